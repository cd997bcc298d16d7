"""The ``[intake]`` section of the config file: how mail and ticket exports are read.

Its own module so the config model stays small; :mod:`techqueue.config.model` puts it in
the file's model, and ``docs/config.md`` lists it with the rest.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from techqueue.core.csvrows import FIELDS
from techqueue.core.intake import DEFAULT_SEVERITY_WORDS
from techqueue.domain import SEVERITIES

__all__ = ["CsvMapping", "Intake", "Section", "SeverityWords"]


class Section(BaseModel):
    """A table of the config file: unknown keys refused, each key documented below it."""

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, frozen=True, allow_inf_nan=False
    )


def _words(value: list[str]) -> list[str]:
    cleaned = [" ".join(word.split()).lower() for word in value]
    if not all(cleaned):
        raise ValueError("a severity word cannot be empty")
    return list(dict.fromkeys(cleaned))


class SeverityWords(Section):
    """Words or phrases of a mail's subject that set the item's severity (whole words, any
    case; the most severe level that matches wins; none: normal)."""

    critical: list[str] = Field(default_factory=lambda: list(DEFAULT_SEVERITY_WORDS["critical"]))
    """Subject words that make an imported mail critical."""
    high: list[str] = Field(default_factory=lambda: list(DEFAULT_SEVERITY_WORDS["high"]))
    """Subject words that make an imported mail high."""
    normal: list[str] = Field(default_factory=list)
    """Subject words that make an imported mail normal (over a lower level's words)."""
    low: list[str] = Field(default_factory=lambda: list(DEFAULT_SEVERITY_WORDS["low"]))
    """Subject words that make an imported mail low."""

    _clean = field_validator("critical", "high", "normal", "low")(_words)


class CsvMapping(Section):
    """A named column mapping for ``import-csv --mapping NAME``: each field's column heading
    (fields left out keep the generic mapping's headings)."""

    title: str | None = None
    """The title's column."""
    ref: str | None = None
    """The ticket number's column."""
    requester: str | None = None
    """The requester's column (a name, an address, or both)."""
    email: str | None = None
    """The requester's address column."""
    severity: str | None = None
    """The priority column."""
    received: str | None = None
    """When the ticket was opened."""
    due: str | None = None
    """When it is due."""
    tags: str | None = None
    """Tags (words, separated by spaces, commas or semicolons)."""
    note: str | None = None
    """The description, kept as a note."""
    severities: dict[str, str] = Field(default_factory=dict)
    """Priority values and the severity each means, e.g. { P1 = "critical" }."""

    @field_validator("severities")
    @classmethod
    def _levels(cls, value: dict[str, str]) -> dict[str, str]:
        for key, level in value.items():
            if level not in SEVERITIES:
                raise ValueError(f"{key} = {level!r}: not one of {', '.join(SEVERITIES)}")
        return value


assert set(CsvMapping.model_fields) == {*FIELDS, "severities"}


class Intake(Section):
    """Work arriving by mail and from ticket systems: import-mail and import-csv."""

    vip_domains: list[str] = Field(default_factory=list)
    """Organisations whose people are all VIP, by mail domain (subdomains included)."""
    severity_words: SeverityWords = SeverityWords()
    """Severity hints in a mail's subject."""
    csv: dict[str, CsvMapping] = Field(default_factory=dict)
    """Named column mappings, [intake.csv.NAME]; "generic" is ready and may be overridden."""

    @field_validator("vip_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        domains = []
        for text in value:
            domain = text.strip().lower().lstrip("@").strip(".")
            if "." not in domain or any(c.isspace() or c in "@<>,;" for c in domain):
                raise ValueError(f"{text!r} is not a mail domain like board.example")
            domains.append(domain)
        return list(dict.fromkeys(domains))
