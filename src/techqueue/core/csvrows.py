"""A ticket system's CSV export read as arrivals: which column is which field (a mapping),
and each row checked and mapped, or named as bad with its line number. Pure: the rows, the
clock and the working hours are arguments; reading the file is the caller's.

A mapping names, for each field, the column heading it comes from; the ready ``generic``
mapping knows the headings common ticket exports use ("Ticket ID", "Subject", "Priority" …,
any case). A named mapping of the config, and ``--column FIELD=HEADING`` on top, say what
differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from techqueue.core.intake import MAX_NOTE_CHARS, Incoming, IntakeSettings
from techqueue.core.people import split_person, vip_domain
from techqueue.core.text import clean_text
from techqueue.core.timeparse import TimeParseError, WorkingHours, parse_when
from techqueue.domain import SEVERITIES, is_tag

__all__ = [
    "FIELDS",
    "GENERIC",
    "BadRow",
    "ColumnMap",
    "MappingError",
    "column_map",
    "mapping_named",
    "row_arrival",
]

#: What a column can be: the item's fields an export carries.
FIELDS = ("title", "ref", "requester", "email", "severity", "received", "due", "tags", "note")

#: The ready mapping: for each field, the headings ticket exports commonly give it (any
#: case), and the severities their priority values mean.
GENERIC: Mapping[str, str] = {
    "title": "Subject|Title|Summary|Short description",
    "ref": "Ticket ID|Ticket|ID|Number|Key|Ticket number",
    "requester": "Requester|Requester name|Contact|Reporter|Caller|Customer",
    "email": "Requester email|Email|E-mail|Contact email|Reporter email",
    "severity": "Priority|Severity|Urgency",
    "received": "Created|Created at|Created date|Opened|Opened at|Date",
    "due": "Due|Due date|Due by|Resolution due",
    "tags": "Tags|Category|Labels",
    "note": "Description|Body|Details|Comment",
    "severity.urgent": "critical",
    "severity.critical": "critical",
    "severity.emergency": "critical",
    "severity.highest": "critical",
    "severity.p1": "critical",
    "severity.1": "critical",
    "severity.high": "high",
    "severity.p2": "high",
    "severity.2": "high",
    "severity.normal": "normal",
    "severity.medium": "normal",
    "severity.moderate": "normal",
    "severity.p3": "normal",
    "severity.3": "normal",
    "severity.low": "low",
    "severity.lowest": "low",
    "severity.minor": "low",
    "severity.p4": "low",
    "severity.4": "low",
}


class MappingError(ValueError):
    """The mapping does not fit the file (no title column, an unknown field …): one line."""


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that cannot be imported, and why."""

    line: int
    problem: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.problem}"


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Which column (by position) each field comes from, and the severity values."""

    columns: Mapping[str, int]
    severities: Mapping[str, str]


def mapping_named(
    name: str, settings: IntakeSettings, columns: Iterable[str] = ()
) -> dict[str, str]:
    """The mapping called ``name`` (``generic`` is ready; the config's override it and add
    to it), with ``FIELD=HEADING`` pairs on top (``--column``)."""
    named = settings.csv_mappings.get(name)
    if named is None and name != "generic":
        known = ", ".join(sorted({"generic", *settings.csv_mappings}))
        raise MappingError(f"no column mapping called {name!r} (known: {known})")
    mapping = {**GENERIC, **(named or {})}
    for pair in columns:
        field, equals, heading = pair.partition("=")
        field = field.strip().lower()
        if not equals or not heading.strip():
            raise MappingError(f"--column {pair!r}: write FIELD=HEADING, e.g. title=Summary")
        if field not in FIELDS and not field.startswith("severity."):
            raise MappingError(f"--column {pair!r}: {field!r} is not one of {', '.join(FIELDS)}")
        mapping[field] = heading.strip()
    return mapping


def column_map(mapping: Mapping[str, str], headings: Sequence[str]) -> ColumnMap:
    """Where each field's column is among ``headings`` (its first heading present, any case).
    A title column is needed; the rest may be missing."""
    where = {clean_text(heading).lower(): index for index, heading in enumerate(headings)}
    columns: dict[str, int] = {}
    for field in FIELDS:
        for heading in mapping.get(field, "").split("|"):
            index = where.get(clean_text(heading).lower())
            if index is not None:
                columns[field] = index
                break
    if "title" not in columns:
        wanted = mapping.get("title", "").replace("|", '", "')
        raise MappingError(
            f'no title column: none of "{wanted}" among the headings '
            "(say which with --column title=HEADING)"
        )
    severities: dict[str, str] = {}
    for key, level in mapping.items():
        if key.startswith("severity."):
            if level not in SEVERITIES:
                raise MappingError(f"{key} = {level!r}: not one of {', '.join(SEVERITIES)}")
            severities[clean_text(key.partition(".")[2]).lower()] = level
    return ColumnMap(columns, severities)


def row_arrival(
    values: Sequence[str],
    line: int,
    columns: ColumnMap,
    settings: IntakeSettings,
    now: datetime,
    hours: WorkingHours,
) -> Incoming | BadRow:
    """One row as an arrival (a ticket), or what is wrong with it."""

    def cell(field: str) -> str:
        index = columns.columns.get(field)
        if index is None or index >= len(values):
            return ""
        return values[index]

    title = clean_text(cell("title"))
    if not title:
        return BadRow(line, "no title")
    severity = None
    priority = clean_text(cell("severity")).lower()
    if priority:
        severity = columns.severities.get(priority)
        if severity is None:
            known = ", ".join(sorted(columns.severities))
            return BadRow(line, f"priority {priority!r} is not one the mapping knows ({known})")
    times: dict[str, datetime | None] = {"received": None, "due": None}
    for field in times:
        text = clean_text(cell(field))
        if not text:
            continue
        try:
            times[field] = parse_when(text, now, hours, past=field == "received")
        except TimeParseError as error:
            return BadRow(line, f"{field}: {error}")
    received = times["received"]
    if received is not None and received > now:
        return BadRow(line, f"received {clean_text(cell('received'))!r} is in the future")
    tags = []
    for word in cell("tags").replace(";", ",").replace(",", " ").split():
        tag = word.strip().lstrip("#").lower()
        if not is_tag(tag):
            return BadRow(line, f"tag {word!r} is not a tag (one word starting with a letter)")
        tags.append(tag)
    who, address = split_person(cell("requester"))
    email_name, email = split_person(cell("email"))
    address = email or address
    note = cell("note").strip() or None
    if note is not None and len(note) > MAX_NOTE_CHARS:
        note = note[: MAX_NOTE_CHARS - 1].rstrip() + "…"
    return Incoming(
        title=title,
        channel="ticket",
        where=f"line {line}",
        ref=clean_text(cell("ref")) or None,
        received_at=received,
        requester_name=who or email_name,
        requester_email=address,
        severity=severity,
        due_at=times["due"],
        tags=tuple(dict.fromkeys(tags)),
        note=note,
        vip=vip_domain(address, settings.vip_domains) is not None,
    )
