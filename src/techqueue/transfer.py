"""Export and import: everything a store holds as one JSON document, and back, all or
nothing.

An export is a backup or a move to another machine (a team's server, say), so it holds every
row of the data tables, but not the journal, which is this store's own undo history. An
import holds each row to the rules a row written by techqueue itself obeys, and refuses the
whole file for one bad row; into an empty store ids are kept exactly, into a used one only
with ``merge``, which gives new ids.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from techqueue.core.text import json_safe
from techqueue.db.rows import ITEM_COLUMNS
from techqueue.db.schema import DATETIME_COLUMNS, SCHEMA_VERSION
from techqueue.domain import (
    CHANNELS,
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_DURATION_MINUTES,
    MAX_ID,
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    NOTE_KINDS,
    SEVERITIES,
    STATUSES,
    bump_problem,
    estimate_problem,
    impact_problem,
    length_problem,
)
from techqueue.errors import BadRequest
from techqueue.paths import write_whole
from techqueue.store import Store, Transaction

__all__ = [
    "EXPORT_FORMAT",
    "EXPORT_VERSION",
    "export",
    "export_text",
    "import_export",
    "write_export",
]

EXPORT_FORMAT = "techqueue-export"
#: 2 added a note's ``ref`` and a requester's ``same_as`` (schema 3); 3 the recurring rules,
#: an item's appointment, solution, waiting-on and rule (schema 4), an item's ``assignee``
#: and a work span's ``technician`` (schema 5, a team). Older ones still read.
EXPORT_VERSION = 3
#: The export versions this techqueue reads.
READS_VERSIONS = (1, 2, 3)


def export(store: Store, now: datetime) -> dict[str, Any]:
    """Everything but the journal (this store's own undo history), as plain JSON data."""
    data: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "schema": SCHEMA_VERSION,
        "exported_at": _iso(now),
    }
    for table in _DATA_TABLES:
        rows = store.table_rows(table)
        data[table] = [_exported(table, row) for row in rows]
    return data


def export_text(store: Store, now: datetime) -> str:
    """The export as the file holds it: JSON, indented a little, every character as itself
    but the controls a terminal would act on (escaped: ``cat`` of it repaints nothing)."""
    return json_safe(json.dumps(export(store, now), ensure_ascii=False, indent=1))


def write_export(path: Path, text: str) -> None:
    """Write an export to ``path``: owner-only (it holds people's names), and atomically, so
    the file is the old one or the whole new one, never half of it. Raises ``OSError``."""
    write_whole(path, (text + "\n").encode("utf-8"))


def import_export(store: Store, data: Any, now: datetime, *, merge: bool = False) -> dict[str, int]:
    """Import an export, all or nothing; into a non-empty store only with ``merge``."""
    tables = _validate_export(data)
    counts: dict[str, int] = {}
    with store.action("import", "import", now) as tx:
        # Looked at in the write transaction: two imports into one empty store at once, the
        # second finds the first's rows (as it would after it), not a clash of ids.
        if not merge and any(store.row_count(table) for table in _DATA_TABLES):
            raise BadRequest("the store is not empty: use --merge to add to it (with new ids)")
        new_ids: dict[str, dict[int, int]] = {table: {} for table in _DATA_TABLES}
        linked: list[tuple[int, Any]] = []
        for table in _DATA_TABLES:
            for row in tables[table]:
                if table == "requester" and row.get("same_as") is not None:
                    # A spelling may point at a person listed after it: linked once all are in.
                    linked.append((row["id"], row["same_as"]))
                    row = {**row, "same_as": None}
                values = _import_row(table, row, new_ids, keep_ids=not merge)
                if merge and table == "item" and values["status"] == "active":
                    values["status"] = "paused"  # one active item: the one here already
                if merge and table == "work_span" and values["ended_at"] is None:
                    values["ended_at"] = max(now, values["started_at"])
                if merge and table == "requester":
                    found = store.find_requester(values["name"])
                    if found is not None:
                        new_ids[table][row["id"]] = found.id
                        continue
                new_ids[table][row["id"]] = tx.insert(table, values)
            if tables[table] or table != "recurrence":  # said only when there are some
                counts[table] = len(tables[table])
            if table == "requester":
                _link_spellings(tx, linked, new_ids[table])
    return counts


def _link_spellings(tx: Transaction, linked: list[tuple[int, Any]], ids: dict[int, int]) -> None:
    """Point each imported spelling at its person, once every requester has its new id."""
    for row_id, person in linked:
        if person not in ids:
            raise BadRequest(f"export: requester {row_id}: same_as {person} does not exist")
        if ids[row_id] != ids[person]:
            tx.update("requester", ids[row_id], {"same_as": ids[person]})


_DATA_TABLES = ("requester", "recurrence", "item", "note", "reminder", "work_span")
_FOREIGN = {
    "item": {"requester_id": "requester", "recurrence_id": "recurrence"},
    "note": {"item_id": "item"},
}
_FOREIGN |= {"reminder": {"item_id": "item"}, "work_span": {"item_id": "item"}}


def _iso(moment: datetime) -> str:
    return moment.astimezone().isoformat()


def _exported(table: str, row: dict[str, Any]) -> dict[str, Any]:
    values = {
        key: _iso(value) if isinstance(value, datetime) else value for key, value in row.items()
    }
    if table == "item":
        values["tags"] = json.loads(values["tags"])
    return values


def _validate_export(data: Any) -> dict[str, list[dict[str, Any]]]:
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise BadRequest('not a techqueue export (no "format": "techqueue-export")')
    if data.get("version") not in READS_VERSIONS:
        raise BadRequest(f"export version {data.get('version')!r} is not one this techqueue reads")
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in _DATA_TABLES:
        rows = data.get(table, [])
        if not isinstance(rows, list) or not all(
            isinstance(row, dict) and type(row.get("id")) is int and 1 <= row["id"] <= MAX_ID
            for row in rows
        ):
            raise BadRequest(
                f"export: {table} must be a list of rows with whole-number ids from 1 to {MAX_ID:,}"
            )
        ids = [row["id"] for row in rows]
        if len(set(ids)) != len(ids):
            raise BadRequest(f"export: {table} has two rows with the same id")
        tables[table] = rows
    return tables


_COLUMNS = {
    "requester": ("id", "name", "email", "vip", "note", "created_at", "same_as"),
    "recurrence": ("id", "fields", "rule", "anchor_at", "created_at", "stopped_at"),
    "item": ("id", *ITEM_COLUMNS),
    "note": ("id", "item_id", "kind", "text", "created_at", "due_at", "ref"),
    "reminder": ("id", "item_id", "text", "due_at", "created_at", "dismissed_at"),
    "work_span": ("id", "item_id", "started_at", "ended_at", "note", "technician"),
}


def _import_row(
    table: str, row: dict[str, Any], new_ids: dict[str, dict[int, int]], *, keep_ids: bool
) -> dict[str, Any]:
    unknown = set(row) - set(_COLUMNS[table])
    if unknown:
        raise BadRequest(f"export: {table} {row['id']}: unknown field {sorted(unknown)[0]!r}")
    values: dict[str, Any] = {}
    for name in _COLUMNS[table]:
        if name == "id" and not keep_ids:
            continue
        value = row.get(name)
        if name in DATETIME_COLUMNS and value is not None:
            try:
                value = datetime.fromisoformat(value)
            except (TypeError, ValueError):
                raise BadRequest(f"export: {table} {row['id']}: {name} is not a time") from None
            value = _kept_time(value, f"export: {table} {row['id']}: {name}")
        target = _FOREIGN.get(table, {}).get(name)
        if target is not None and value is not None:
            if value not in new_ids[target]:
                raise BadRequest(f"export: {table} {row['id']}: {name} {value} does not exist")
            value = new_ids[target][value]
        values[name] = value
    _check_import(table, row["id"], values)
    return values


def _kept_time(value: datetime, what: str) -> datetime:
    """A time read from an export, aware; refused when no store could keep it (it is
    stored in UTC, where ``0001-01-01T00:00+14:00`` is before the year 1) or it falls
    outside the years a time typed in may (as ``add`` and the others refuse)."""
    try:
        aware = value if value.tzinfo is not None else value.astimezone()
        year = aware.astimezone(UTC).year
    except (OverflowError, ValueError, OSError):
        year = None
    if year is None or not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise BadRequest(
            f"{what}: {value.isoformat()} is not a time techqueue keeps "
            f"(the years {EARLIEST_YEAR} to {LATEST_YEAR})"
        )
    return aware


_TEXT = {
    "requester": {"name": False, "email": True, "note": True},
    "recurrence": {"fields": False, "rule": False},
    "item": {"title": False, "channel": False, "severity": False, "status": False},
    "note": {"kind": False, "text": False, "ref": True},
    "reminder": {"text": False},
    "work_span": {"note": True, "technician": True},
}
_TEXT["item"] |= {"ref": True, "drop_reason": True, "solution": True, "assignee": True}
_TEXT["item"] |= {"waiting_on": True, "waiting_kind": True}
#: The longest each text column may be, as when techqueue itself writes it (else MAX_TEXT).
_LIMITS = {"title": MAX_TITLE, "name": MAX_NAME, "email": MAX_NAME, "ref": MAX_NAME}
_LIMITS |= {"assignee": MAX_NAME, "technician": MAX_NAME}
#: The most minutes an item can have waited: the working minutes of the years a time may
#: fall in (a bound far past any real wait, and a number every store can hold).
_MOST_WAITED = (LATEST_YEAR - EARLIEST_YEAR + 1) * 366 * 24 * 60.0
_REQUIRED_TIMES = {
    "requester": ("created_at",),
    "recurrence": ("anchor_at", "created_at"),
    "item": ("received_at", "created_at"),
    "note": ("created_at",),
    "reminder": ("due_at", "created_at"),
    "work_span": ("started_at",),
}


def _encodable(text: str) -> bool:
    """JSON may escape a lone surrogate (``"\\ud800"``), which no store can hold."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_import(table: str, row_id: int, values: dict[str, Any]) -> None:
    """Hold an imported row to the rules a row written by techqueue itself obeys."""

    def refuse(problem: str) -> NoReturn:
        raise BadRequest(f"export: {table} {row_id}: {problem}")

    for name, nullable in _TEXT[table].items():
        value = values.get(name)
        if value is None and nullable:
            continue
        if not isinstance(value, str) or (not nullable and not value.strip()):
            refuse(f"{name} must be {'text' if nullable else 'non-empty text'}")
        if not _encodable(value):
            refuse(f"{name} is not valid Unicode text (a lone surrogate)")
        too_long = length_problem(name, value, _LIMITS.get(name, MAX_TEXT))
        if too_long is not None:
            refuse(too_long)
    for name in _REQUIRED_TIMES[table]:
        if values.get(name) is None:
            refuse(f"{name} is missing")
    for name in ("vip", "pinned"):
        if name not in values:
            continue
        if values[name] is None:
            values[name] = False
        elif not isinstance(values[name], bool):
            refuse(f"{name} must be true or false")
    if table == "note" and values["kind"] not in NOTE_KINDS:
        refuse(f"unknown note kind {values['kind']!r}")
    if table == "item":
        _check_imported_item(values, refuse)
    if table == "recurrence":
        _check_imported_rule(values, refuse)


def _check_imported_rule(values: dict[str, Any], refuse: Callable[[str], NoReturn]) -> None:
    from techqueue.core.recurrence import parse_rule

    word, _, clock = values["rule"].partition(" ")
    try:
        parse_rule(word, clock or None)
        fields = json.loads(values["fields"])
    except ValueError:
        refuse(f"rule {values['rule']!r} or its fields cannot be read")
    if not isinstance(fields, dict) or not isinstance(fields.get("title"), str):
        refuse("fields must hold the instances' title")
    if not isinstance(fields.get("tags", []), list):
        refuse("fields: tags must be a list")


def _check_imported_item(values: dict[str, Any], refuse: Callable[[str], NoReturn]) -> None:
    if values["severity"] not in SEVERITIES:
        refuse(f"unknown severity {values['severity']!r}")
    if values["channel"] not in CHANNELS:
        refuse(f"unknown channel {values['channel']!r}")
    if values["status"] not in STATUSES:
        refuse(f"unknown status {values['status']!r}")
    if values.get("impact") is None:
        values["impact"] = 1
    if values.get("bump") is None:
        values["bump"] = 0.0
    if values.get("waited_minutes") is None:  # an export from before items kept a clock
        values["waited_minutes"] = 0.0
    for name in ("waited_minutes", "contact_waited_minutes"):
        minutes = values.get(name)
        if minutes is None:
            continue
        if (
            isinstance(minutes, bool)
            or not isinstance(minutes, int | float)
            or not 0 <= minutes <= _MOST_WAITED  # NaN and infinity too
        ):
            refuse(f"{name} must be a number of minutes, zero or more")
        values[name] = float(minutes)
    length = values.get("appointment_minutes")
    if length is not None and (
        isinstance(length, bool)
        or not isinstance(length, int | float)
        or not 0 < length <= MAX_DURATION_MINUTES
    ):
        refuse(f"appointment_minutes must be a number of minutes up to {MAX_DURATION_MINUTES:,.0f}")
    estimate = values.get("estimate_minutes")
    problem = (
        impact_problem(values["impact"])
        or (estimate_problem(estimate) if estimate is not None else None)
        or bump_problem(values["bump"])
    )
    if problem is not None:
        refuse(problem)
    tags = values.get("tags")
    if tags is None:
        tags = []
    if not isinstance(tags, list) or not all(
        isinstance(tag, str) and tag and _encodable(tag) and len(tag) <= MAX_NAME for tag in tags
    ):
        refuse(f"tags must be a list of words (each at most {MAX_NAME} characters)")
    values["tags"] = json.dumps(tags)
