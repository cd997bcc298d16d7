"""The technician's preferences as the rest of techqueue reads them: plain, frozen data.

Loading them is the config package's job (a TOML file, validated once and cached); what is
here is only their shape and the defaults, so the pure core and the tests can build settings
without reading a file or importing a validation library.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from techqueue.core.timeparse import WEEKDAYS, WorkingHours
from techqueue.core.weights import PerSeverity, Weights

__all__ = [
    "DEFAULT_ANSWERS",
    "DEFAULT_SEVERITY_WORDS",
    "DEFAULT_TELL",
    "FALLBACK",
    "Expectations",
    "IntakeSettings",
    "Settings",
]

# The defaults of the expectations and the canned answers are here, with the other settings'
# shapes, rather than in ``core/expectations.py`` and ``core/answers.py`` (which say them
# again): every command loads the settings, and few need those modules' arithmetic (importing
# them was ~2 ms of ``add`` and ``done``; docs/performance.md, 13.).

DEFAULT_TELL = "{experience} I can be with you {when} — does that work, or is later better?"

#: The key of the answer for an item none of whose tags has one of its own.
FALLBACK = "default"
#: The answers shipped: the config file's ``[answers]`` replaces them as a whole.
DEFAULT_ANSWERS: Mapping[str, str] = {
    FALLBACK: "Hi {name}, I have your request ({ticket}) and expect to be with you {eta}. "
    "I'll keep you posted.",
}


@dataclass(frozen=True, slots=True)
class Expectations:
    """How often a waiting customer should hear from the technician, and what to tell them."""

    #: In working time: half an hour, two hours, one working day, three working days.
    contact_target_minutes: PerSeverity = field(
        default_factory=lambda: PerSeverity(critical=30.0, high=120.0, normal=480.0, low=1440.0)
    )
    tell_template: str = DEFAULT_TELL


#: The words of a subject that hint at a severity, most severe first (``[intake]
#: severity_words`` in the config replaces them).
DEFAULT_SEVERITY_WORDS: Mapping[str, tuple[str, ...]] = {
    "critical": ("outage", "down", "emergency", "not booting"),
    "high": ("urgent", "asap", "dringend", "broken"),
    "low": ("fyi", "no rush", "when you have time"),
}


@dataclass(frozen=True, slots=True)
class IntakeSettings:
    """How arrivals are read: who is VIP by organisation, the severity words of a subject,
    and the named column mappings of ``import-csv``."""

    vip_domains: tuple[str, ...] = ()
    severity_words: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_SEVERITY_WORDS)
    )
    csv_mappings: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Named column mappings: field (``title``, ``ref`` …) to the column's heading; a field
    ``severity.VALUE`` maps a value of the severity column to a severity."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a command needs to know about the technician's preferences."""

    weights: Weights = field(default_factory=Weights)
    hours: WorkingHours = field(default_factory=WorkingHours)
    expectations: Expectations = field(default_factory=Expectations)
    keymap: Mapping[str, str] = field(default_factory=dict)
    source: str = "defaults"
    day_boundary: time = time(0, 0)
    """When one day ends and the next begins, for the review and the morning summary."""
    morning_summary: bool = True
    """Whether the app opens a new day with the morning summary."""
    intake: IntakeSettings = field(default_factory=IntakeSettings)
    """How mail and ticket exports are read: VIP domains, severity words, CSV mappings."""
    journal_days: int = 90
    """How many days of undo history are kept (the newest actions are kept whatever their
    age); older history is trimmed once a day."""
    backups_kept: int = 7
    """How many daily backups of the store are kept beside it."""
    answers: Mapping[str, str] = field(default_factory=lambda: dict(DEFAULT_ANSWERS))
    """Canned answers by tag (``default`` for any other item), see :mod:`techqueue.core.answers`."""

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "defaults") -> Settings:
        """Build settings from the config file's shape, every value already validated."""
        scoring = dict(data["scoring"])
        severity = scoring.pop("severity")
        quick_win = scoring.pop("quick_win")
        horizon = scoring.pop("deadline_horizon")
        switch_cost = scoring.pop("switch_cost")
        business = scoring.pop("business", None) or {}
        hours = data["hours"]
        weights = Weights(
            severity_value=PerSeverity(**severity),
            response_target_minutes=PerSeverity(**data["targets"]),
            default_estimate_minutes=PerSeverity(**data["estimates"]),
            quick_win_minutes=quick_win,
            deadline_horizon_minutes=horizon,
            switch_cost_minutes=switch_cost,
            **_business(business),
            **scoring,
        )
        return cls(
            weights=weights,
            hours=WorkingHours(
                start=time.fromisoformat(hours["start"]),
                end=time.fromisoformat(hours["end"]),
                days=frozenset(WEEKDAYS.index(day) for day in hours["days"]),
                holidays=frozenset(date.fromisoformat(day) for day in hours.get("holidays", ())),
            ),
            expectations=Expectations(
                contact_target_minutes=PerSeverity(**data["expectations"]["contact"]),
                tell_template=data["expectations"]["tell"],
            ),
            keymap=dict(data.get("keys", {})),
            source=source,
            day_boundary=time.fromisoformat(data["day"]["boundary"]),
            morning_summary=bool(data["day"]["morning_summary"]),
            intake=_intake(data.get("intake")),
            answers=dict(data.get("answers", DEFAULT_ANSWERS)),
            **_data(data.get("data")),
        )


def _business(section: dict[str, Any]) -> dict[str, Any]:
    """``[scoring.business]`` (validated) as the ranking's weights; defaults when absent."""
    found: dict[str, Any] = {}
    if "high" in section:
        found["cost_high"] = float(section["high"])
    if "low" in section:
        found["cost_low"] = float(section["low"])
    for key in ("requesters", "organisations"):
        given = section.get(key) or {}
        found[f"business_{key}"] = tuple((str(k), str(v)) for k, v in given.items())
    return found


def _intake(data: dict[str, Any] | None) -> IntakeSettings:
    """The ``[intake]`` section (validated) as settings; defaults when absent."""
    if not data:
        return IntakeSettings()
    words = data.get("severity_words") or {}
    mappings: dict[str, dict[str, str]] = {}
    for name, mapping in (data.get("csv") or {}).items():
        flat = {key: value for key, value in mapping.items() if isinstance(value, str)}
        for value, level in (mapping.get("severities") or {}).items():
            flat[f"severity.{value.lower()}"] = level
        mappings[name] = flat
    return IntakeSettings(
        vip_domains=tuple(data.get("vip_domains") or ()),
        severity_words={
            level: tuple(words.get(level, DEFAULT_SEVERITY_WORDS.get(level, ())))
            for level in ("critical", "high", "normal", "low")
            if words.get(level, DEFAULT_SEVERITY_WORDS.get(level, ()))
        },
        csv_mappings=mappings,
    )


def _data(section: Any) -> dict[str, int]:
    """The ``[data]`` section's settings (absent from a cache written before it existed)."""
    if not isinstance(section, dict):
        return {}
    return {"journal_days": int(section["journal_days"]), "backups_kept": int(section["backups"])}
