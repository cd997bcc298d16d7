"""The config file: a typed, documented pydantic model of every setting, read with tomllib.

Each setting has a default and a one-line description (the docstring under the field), and
``docs/config.md`` is generated from this model (``python -m techqueue.config``), so the
documentation cannot drift from the code. A file that does not validate is reported as one line
naming the key and the problem. Short commands never import this module when the file has not
changed since it was last validated (see :mod:`techqueue.config.loader`).
"""

from __future__ import annotations

import inspect
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from techqueue.config.intake import Intake, Section
from techqueue.config.loader import ConfigError, read_config
from techqueue.core.answers import DEFAULT_ANSWERS, check_answer
from techqueue.core.expectations import Expectations as _ExpectationDefaults
from techqueue.core.expectations import check_template
from techqueue.core.settings import Settings
from techqueue.core.text import plain_problem
from techqueue.core.timeparse import (
    WEEKDAYS,
    TimeParseError,
    WorkingHours,
    parse_duration,
    weekday_number,
)
from techqueue.domain import MAX_BUMP, MAX_DURATION_MINUTES
from techqueue.paths import default_store_path
from techqueue.scoring import Weights

__all__ = ["ConfigError", "ConfigFile", "render_docs", "validate"]

_WEIGHTS = Weights()
_HOURS = WorkingHours()
_EXPECT = _ExpectationDefaults()
_SETTINGS = Settings()


def _minutes(value: object) -> object:
    """A duration is a number of minutes or a string such as ``"15m"``, ``"1h30m"``, ``"48h"``."""
    if isinstance(value, str):
        try:
            return parse_duration(value)
        except TimeParseError as error:
            raise ValueError(str(error)) from None
    return value


Minutes = Annotated[float, BeforeValidator(_minutes), Field(gt=0, le=MAX_DURATION_MINUTES)]


_Section = Section


class SeverityValues(_Section):
    """How much finishing an item of each severity is worth, relative to the others."""

    critical: float = Field(_WEIGHTS.severity_value.critical, gt=0, le=1e6)
    """Value of a critical item (a stopped person or system)."""
    high: float = Field(_WEIGHTS.severity_value.high, gt=0, le=1e6)
    """Value of a high-severity item."""
    normal: float = Field(_WEIGHTS.severity_value.normal, gt=0, le=1e6)
    """Value of a normal item."""
    low: float = Field(_WEIGHTS.severity_value.low, gt=0, le=1e6)
    """Value of a low-severity item."""

    @model_validator(mode="after")
    def _ordered(self) -> SeverityValues:
        if not self.critical > self.high > self.normal > self.low:
            raise ValueError("values must decrease from critical to high to normal to low")
        return self


Cost = Literal["high", "normal", "low"]


class Business(_Section):
    """Business impact: what it costs the business while an item waits, beside the people it
    stops. An item's own `cost:high` (quick-add) wins; then its requester's level here, then
    their organisation's (by mail domain, subdomains included)."""

    high: float = Field(_WEIGHTS.cost_high, ge=1, le=1000)
    """What a high-cost item's value is multiplied by."""
    low: float = Field(_WEIGHTS.cost_low, gt=0, le=1)
    """What a low-cost item's value is multiplied by."""
    organisations: dict[str, Cost] = Field(default_factory=dict)
    """Level per organisation, by mail domain: {"corp.example" = "high"}."""
    requesters: dict[str, Cost] = Field(default_factory=dict)
    """Level per requester, by name or address: {"Dana" = "high"}."""

    @field_validator("organisations")
    @classmethod
    def _domains(cls, value: dict[str, str]) -> dict[str, str]:
        domains: dict[str, str] = {}
        for text, level in value.items():
            domain = text.strip().lower().lstrip("@").strip(".")
            if "." not in domain or any(c.isspace() or c in "@<>,;" for c in domain):
                raise ValueError(f"{text!r} is not a mail domain like corp.example")
            domains[domain] = level
        return domains

    @field_validator("requesters")
    @classmethod
    def _names(cls, value: dict[str, str]) -> dict[str, str]:
        names: dict[str, str] = {}
        for text, level in value.items():
            name = " ".join(text.split())
            if not name:
                raise ValueError("a requester's name cannot be empty")
            names[name] = level
        return names


class Scoring(_Section):
    """Weights of the ranking (docs/scoring.md explains each)."""

    vip_tier: bool = _WEIGHTS.vip_tier
    """VIP items rank above every other unpinned item; when false, vip_weight multiplies them."""
    vip_weight: float = Field(_WEIGHTS.vip_weight, ge=1, le=1000)
    """Multiplier of a VIP item's value when vip_tier is false."""
    impact_weight: float = Field(_WEIGHTS.impact_weight, ge=0, le=1000)
    """Extra value per doubling of the people affected (impact 2 is worth 1 + this)."""
    estimate_exponent: float = Field(_WEIGHTS.estimate_exponent, ge=0, le=3)
    """How strongly a shorter estimate wins: value / estimate ** this (1 = shortest job first)."""
    aging_linear: float = Field(_WEIGHTS.aging_linear, gt=0, le=1000)
    """Value gained per response target waited (waiting one target adds this much)."""
    aging_quadratic: float = Field(_WEIGHTS.aging_quadratic, ge=0, le=1000)
    """Extra value, squared, per response target waited past the target: nothing starves."""
    due_weight: float = Field(_WEIGHTS.due_weight, ge=0, le=1000)
    """How much a due time raises its item as it approaches (doubles it at due with 1)."""
    promise_weight: float = Field(_WEIGHTS.promise_weight, ge=0, le=1000)
    """How much a promise raises its item as it approaches (4x at its time with 3)."""
    deadline_horizon: Minutes = _WEIGHTS.deadline_horizon_minutes
    """How far ahead a due time or promise starts to matter (it halves its pull at this much)."""
    bump_factor: float = Field(_WEIGHTS.bump_factor, gt=1, le=1000)
    """What one manual bump multiplies an item's value by."""
    quick_win: Minutes = _WEIGHTS.quick_win_minutes
    """Items estimated at this or less are quick wins, done right away after VIPs."""
    switch_cost: Minutes = _WEIGHTS.switch_cost_minutes
    """Time lost getting back into a paused job: what interrupting it for a newcomer costs."""
    outage_people: int = Field(_WEIGHTS.outage_people, ge=2, le=1_000_000)
    """A critical item stopping this many people or more ranks before a VIP's non-critical work."""
    deadline_guard: bool = _WEIGHTS.deadline_guard
    """Put first whoever would otherwise wait past 3x their target, while the day can hold all."""
    in_overload: Literal["stand aside", "protect"] = "stand aside"
    """With more work than the day holds: serve the important work first ("stand aside"), or
    keep safe whoever can still start in time, never for a VIP, critical or quick item
    ("protect")."""
    mine: float = Field(_WEIGHTS.mine, ge=0, le=MAX_BUMP)
    """In a team: bump steps a technician's own started work gains in their queue (0: none)."""
    severity: SeverityValues = SeverityValues()
    """Value per severity."""
    business: Business = Business()
    """Business impact per organisation and requester."""


class Targets(_Section):
    """Response targets: how long an item of each severity may wait before it is late."""

    critical: Minutes = _WEIGHTS.response_target_minutes.critical
    """Response target for critical items."""
    high: Minutes = _WEIGHTS.response_target_minutes.high
    """Response target for high-severity items."""
    normal: Minutes = _WEIGHTS.response_target_minutes.normal
    """Response target for normal items."""
    low: Minutes = _WEIGHTS.response_target_minutes.low
    """Response target for low-severity items."""


class Estimates(_Section):
    """Estimates for items that have none (and, later, no similar history to learn from)."""

    critical: Minutes = _WEIGHTS.default_estimate_minutes.critical
    """Default estimate for critical items."""
    high: Minutes = _WEIGHTS.default_estimate_minutes.high
    """Default estimate for high-severity items."""
    normal: Minutes = _WEIGHTS.default_estimate_minutes.normal
    """Default estimate for normal items."""
    low: Minutes = _WEIGHTS.default_estimate_minutes.low
    """Default estimate for low-severity items."""


def _clock_text(value: str, example: str) -> str:
    """A time of day as HH:MM, or one line saying what is wrong with it."""
    try:
        return time.fromisoformat(value).strftime("%H:%M")
    except ValueError:
        raise ValueError(f"{value!r} is not a time of day like {example}") from None


class Hours(_Section):
    """Working hours: the clock that waiting, targets and lateness count on (nights, days
    off and holidays do not count), and the frame for eod, weekday names and ETAs."""

    start: str = _HOURS.start.strftime("%H:%M")
    """When the working day starts (HH:MM)."""
    end: str = _HOURS.end.strftime("%H:%M")
    """When the working day ends (HH:MM)."""
    days: list[str] = Field(default_factory=lambda: [WEEKDAYS[day] for day in sorted(_HOURS.days)])
    """Working days (mon … sun)."""
    holidays: list[str] = Field(default_factory=list)
    """Days off that are not working time (YYYY-MM-DD): public holidays, leave."""

    @field_validator("start", "end")
    @classmethod
    def _clock(cls, value: str) -> str:
        return _clock_text(value, "09:00")

    @field_validator("days")
    @classmethod
    def _days(cls, value: list[str]) -> list[str]:
        days: list[str] = []
        for day in value:
            number = weekday_number(day)
            if number is None:
                raise ValueError(f"{day!r} is not a weekday (mon … sun)")
            if WEEKDAYS[number] not in days:
                days.append(WEEKDAYS[number])
        if not days:
            raise ValueError("at least one working day is needed")
        return sorted(days, key=WEEKDAYS.index)

    @field_validator("holidays")
    @classmethod
    def _holidays(cls, value: list[str]) -> list[str]:
        days: set[str] = set()
        for text in value:
            try:
                days.add(date.fromisoformat(text.strip()).isoformat())
            except ValueError:
                raise ValueError(f"{text!r} is not a date like 2026-12-25") from None
        return sorted(days)

    @model_validator(mode="after")
    def _order(self) -> Hours:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class ContactTargets(_Section):
    """How long a waiting customer may go without news before you are nudged to update them."""

    critical: Minutes = _EXPECT.contact_target_minutes.critical
    """Contact target for critical items."""
    high: Minutes = _EXPECT.contact_target_minutes.high
    """Contact target for high-severity items."""
    normal: Minutes = _EXPECT.contact_target_minutes.normal
    """Contact target for normal items."""
    low: Minutes = _EXPECT.contact_target_minutes.low
    """Contact target for low-severity items."""


class Expectations(_Section):
    """Setting expectations: what to tell a customer, and how often to update them."""

    tell: str = Field(_EXPECT.tell_template, max_length=1000)
    """What to tell them: {experience}, {when}, {finish}, {estimate}, {name}, {title}."""
    contact: ContactTargets = ContactTargets()
    """Contact targets per severity."""

    @field_validator("tell")
    @classmethod
    def _template(cls, value: str) -> str:
        return check_template(value)


class Day(_Section):
    """The end of the day: the review, the carry-over and the next morning's summary."""

    boundary: str = _SETTINGS.day_boundary.strftime("%H:%M")
    """When "today" ends for the review (HH:MM; 04:00 counts night work to the day before)."""
    morning_summary: bool = _SETTINGS.morning_summary
    """Show the morning summary the first time techqueue opens on a new day."""

    @field_validator("boundary")
    @classmethod
    def _clock(cls, value: str) -> str:
        return _clock_text(value, "04:00")


class Data(_Section):
    """Your data: how much undo history and how many daily backups are kept (the README's
    "Your data" says where they are and what is safe to delete)."""

    journal_days: int = Field(_SETTINGS.journal_days, ge=1, le=36_500)
    """Days of undo history kept; older history is trimmed once a day (the newest 100
    actions stay undoable whatever their age)."""
    backups: int = Field(_SETTINGS.backups_kept, ge=1, le=365)
    """Daily backups kept beside the store (the oldest beyond this are deleted)."""


class ConfigFile(_Section):
    """The whole config file."""

    scoring: Scoring = Scoring()
    """How the queue is ranked."""
    targets: Targets = Targets()
    """Response targets: how long each severity may wait before it is late."""
    estimates: Estimates = Estimates()
    """Estimates for items that have none."""
    hours: Hours = Hours()
    """Working hours and days."""
    expectations: Expectations = Expectations()
    """What to tell customers and how often to update them."""
    day: Day = Day()
    """The day boundary and the morning summary."""
    intake: Intake = Intake()
    """How mail and ticket exports are read."""
    data: Data = Data()
    """Undo history and backups kept."""
    keys: dict[str, str] = Field(default_factory=dict)
    """Your own keys for the full-screen app: binding id = "key[,key]" (ids: see the README)."""
    answers: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_ANSWERS))
    """Canned answers by tag (`default`: for any other item), with {name}, {eta}, {ticket},
    {title}; A in the app fills one in for the item and copies it. Replaces the shipped one."""

    @field_validator("answers")
    @classmethod
    def _answers(cls, value: dict[str, str]) -> dict[str, str]:
        for tag, template in value.items():
            if len(template) > 1000:
                raise ValueError(f"{tag}: an answer is at most 1,000 characters")
            try:
                check_answer(template)
            except ValueError as error:
                raise ValueError(f"{tag}: {error}") from None
        return value


def validate(content: bytes, path: Path) -> dict[str, Any]:
    """Validate a config file's bytes; return the effective settings as plain data."""
    try:
        raw = tomllib.loads(content.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    try:
        model = ConfigFile.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(f"{path}: {_problems(error)}") from None
    return model.model_dump(mode="json")


def _problems(error: ValidationError) -> str:
    """Every problem of the file on one line, each naming its key and said in plain words
    (``scoring.vip_weight: must be at least 1; hours.start: '25:00' is not a time of day``):
    a person fixes them all at once, and never reads pydantic's own wording."""
    said = []
    for problem in error.errors(include_url=False):
        key = ".".join(str(part) for part in problem["loc"]) or "(top level)"
        said.append(f"{key}: {plain_problem(problem['type'], problem.get('ctx'))}")
    return "; ".join(dict.fromkeys(said))


def render_docs() -> str:
    """``docs/config.md``: every key with its type, default and description."""
    lines = [
        "# Configuration",
        "",
        "<!-- generated by `python -m techqueue.config`; do not edit by hand -->",
        "",
        "techqueue reads one TOML file: `$TECHQUEUE_CONFIG` when set, otherwise `config.toml`",
        "in the platform's config directory (`~/.config/techqueue/` on Linux). Every key is",
        "optional; `techqueue config` prints the effective settings and where each came from.",
        'Durations are minutes (`15`) or strings such as `"90s"`, `"15m"`, `"1h30m"`,',
        '`"48h"`.',
        "",
    ]
    for name, info in ConfigFile.model_fields.items():
        section = info.annotation
        if not (isinstance(section, type) and issubclass(section, BaseModel)):
            lines += [f"## `[{name}]`", "", info.description or "", ""]
            lines += [_EXAMPLES.get(name, ""), ""]
            continue
        lines += [f"## `[{name}]`", "", inspect.cleandoc(section.__doc__ or ""), ""]
        lines += _rows(section, name)
    return "\n".join(lines).rstrip() + "\n"


#: An example for each table of free keys.
_EXAMPLES = {
    "keys": 'For example: `capture = "a,insert"`, `done = "D"`.',
    "answers": 'For example: `printer = "Hi {name}, the printer is on my list for {eta} '
    '({ticket})."`.',
}


def _rows(model: type[BaseModel], prefix: str) -> list[str]:
    rows = ["| key | default | meaning |", "|---|---|---|"]
    nested: list[str] = []
    for name, info in model.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            nested += [
                f"### `[{prefix}.{name}]`",
                "",
                inspect.cleandoc(annotation.__doc__ or ""),
                "",
            ]
            nested += _rows(annotation, f"{prefix}.{name}")
            continue
        default = info.get_default(call_default_factory=True)
        shown = _duration_text(default) if _is_duration(info) else _toml(default)
        rows.append(f"| `{name}` | `{shown}` | {info.description or ''} |")
    return [*rows, "", *nested]


def _is_duration(info: FieldInfo) -> bool:
    return any(getattr(meta, "func", None) is _minutes for meta in info.metadata)


def _duration_text(minutes: float) -> str:
    """A duration the way the config file writes it: ``"15m"``, ``"1h30m"``, ``"48h"``."""
    if minutes < 1:
        return f'"{minutes * 60:g}s"'
    hours, rest = divmod(minutes, 60)
    text = (f"{hours:g}h" if hours else "") + (f"{rest:g}m" if rest else "")
    return f'"{text}"'


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return str(value)


def _toml_key(key: str) -> str:
    """A key as TOML reads it back: bare when it can be, quoted otherwise (a domain's dots
    would make a bare key a nested table)."""
    if key and all(char.isascii() and (char.isalnum() or char in "_-") for char in key):
        return key
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def describe(path: Path, store: str | None, now: str | None) -> list[str]:
    """``techqueue config``: every effective setting, marked with where it came from."""
    content = read_config(path)
    raw: dict[str, Any] = {}
    if content is not None:
        validate(content, path)
        raw = tomllib.loads(content.decode("utf-8"))
    model = ConfigFile.model_validate(raw)
    state = f"{path}" if content is not None else f"{path} (not present: all defaults)"
    lines = [f"# config file: {state}"]
    if store:
        from techqueue.db.backends import hide_password

        lines.append(f"# store: {hide_password(store)}")  # a team's URL may hold a password
    else:
        lines.append(f"# store: {default_store_path()} (default)")
    if now:
        lines.append(f"# clock: fixed by TECHQUEUE_NOW={now}")
    lines += _describe_section(model, raw, "")
    return lines


def _describe_section(model: BaseModel, raw: dict[str, Any], prefix: str) -> list[str]:
    lines: list[str] = []
    nested: list[str] = []
    for name, info in type(model).model_fields.items():
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, dict) and any(isinstance(v, BaseModel) for v in value.values()):
            tables = raw.get(name)
            tables = tables if isinstance(tables, dict) else {}
            for entry, inner in value.items():
                given = tables.get(entry)
                given = given if isinstance(given, dict) else {}
                nested += ["", f"[{key}.{entry}]"]
                nested += _describe_section(inner, given, f"{key}.{entry}.")
            continue
        if isinstance(value, dict):
            nested += ["", f"[{key}]"]
            nested += [f"{_toml_key(k)} = {_toml(v)}  # config file" for k, v in value.items()]
            if not value:
                nested.append("# (none: the default keys)")
            continue
        if isinstance(value, BaseModel):
            inner = raw.get(name, {}) if isinstance(raw.get(name), dict) else {}
            nested += ["", f"[{key}]", *_describe_section(value, inner, f"{key}.")]
            continue
        if value is None:
            continue  # a mapping's field left to the generic one
        shown = _duration_text(value) if _is_duration(info) else _toml(value)
        source = "config file" if name in raw else "default"
        lines.append(f"{name} = {shown}  # {source}")
    return lines + nested
