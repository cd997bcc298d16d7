"""Durations and times as a technician types them, read against an injected clock.

Everything here is pure: ``now`` and the working hours are arguments, so a test, a replay
(``TECHQUEUE_NOW``) and the live app all read ``14:00`` or ``eod`` the same way. Every failure
is a :class:`TimeParseError` (a ``ValueError``) whose message names the text and the forms
that are understood, so the command line can print it as one line.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from techqueue.domain import EARLIEST_YEAR, LATEST_YEAR, MAX_DURATION_MINUTES

__all__ = [
    "WEEKDAYS",
    "TimeParseError",
    "WorkingHours",
    "at_clock",
    "format_duration",
    "next_working_moment",
    "parse_duration",
    "parse_when",
    "weekday_number",
]

#: Weekday names in ``datetime.weekday()`` order, as the config spells them.
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_DAY_NAMES: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("mon", "monday"),
        ("tue", "tues", "tuesday"),
        ("wed", "weds", "wednesday"),
        ("thu", "thur", "thurs", "thursday"),
        ("fri", "friday"),
        ("sat", "saturday"),
        ("sun", "sunday"),
    )
):
    for _name in _names:
        _DAY_NAMES[_name] = _index

_DURATION_FORMS = "90s, 5m, 1h, 1h30m or a number of minutes"
_WHEN_FORMS = (
    "14:00, +30m, tomorrow 9:00, eod, a weekday (mon, friday) or ISO 8601 (2026-03-02T14:00)"
)

_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
_DURATION_RE = re.compile(rf"^(?:{_NUMBER}h)?(?:{_NUMBER}m)?(?:{_NUMBER}s)?$")
_BARE_NUMBER_RE = re.compile(rf"^{_NUMBER}$")
_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_OFFSET_RE = re.compile(r"^([+-])\s*(\S+)$")


def weekday_number(name: str) -> int | None:
    """``0`` for ``mon``/``monday`` … ``6`` for ``sun``; ``None`` for anything else."""
    return _DAY_NAMES.get(name.strip().lower())


class TimeParseError(ValueError):
    """A duration or a time that could not be read; the message says what was expected."""


@dataclass(frozen=True, slots=True)
class WorkingHours:
    """When the technician works: the frame for ``eod``, weekday names, ETAs and the working
    time that waiting is counted in (:mod:`techqueue.core.worktime`)."""

    start: time = time(9, 0)
    end: time = time(17, 0)
    days: frozenset[int] = field(default_factory=lambda: frozenset(range(5)))
    #: Days off that would otherwise be working days (public holidays, leave).
    holidays: frozenset[date] = frozenset()

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("working hours must end after they start")
        if not self.days:
            raise ValueError("at least one working day is needed")

    def is_working_day(self, day: date) -> bool:
        """True when ``day`` is one of the configured working days and not a holiday."""
        return day.weekday() in self.days and day not in self.holidays


def parse_duration(text: str) -> float:
    """Read a duration and return it in minutes.

    ``90s`` is 1.5, ``5m`` 5, ``1h`` 60, ``1h30m`` 90 and a bare number is minutes. A duration
    must be more than zero and at most thirty days.
    """
    cleaned = text.strip().lower()
    minutes: float | None = None
    if _BARE_NUMBER_RE.match(cleaned):
        minutes = float(cleaned)
    else:
        match = _DURATION_RE.match(cleaned)
        if match and any(match.groups()):
            hours, mins, secs = (float(g) if g else 0.0 for g in match.groups())
            minutes = hours * 60 + mins + secs / 60
    if minutes is None:
        raise TimeParseError(f"{text.strip()!r} is not a duration; use {_DURATION_FORMS}")
    if not math.isfinite(minutes) or minutes <= 0:
        raise TimeParseError(f"{text.strip()!r}: a duration must be more than zero")
    if minutes > MAX_DURATION_MINUTES:
        raise TimeParseError(f"{text.strip()!r}: a duration can be at most 30 days")
    return minutes


def format_duration(minutes: float) -> str:
    """Say a duration the short way a technician writes it: ``30s``, ``5 min``, ``1 h 30``."""
    if minutes < 1:
        return f"{max(1, round(minutes * 60))}s"
    if minutes < 60:
        return f"{round(minutes)} min"
    if minutes < 48 * 60:
        hours, mins = divmod(round(minutes), 60)
        return f"{hours} h {mins:02d}" if mins else f"{hours} h"
    days = minutes / (24 * 60)
    return f"{days:.0f} d" if days >= 10 else f"{days:.1f} d".replace(".0 d", " d")


def parse_when(
    text: str,
    now: datetime,
    hours: WorkingHours | None = None,
    *,
    past: bool = False,
) -> datetime:
    """Read a point in time, relative to ``now``.

    Understood: ISO 8601 (a time without a zone is local time, a date alone is the start of
    working hours that day); ``14:00`` (the next 14:00, or with ``past`` the last one);
    ``+30m`` / ``-2h``; ``now``; ``today``/``tomorrow``/``yesterday`` or a weekday name, each
    optionally followed by a clock time (a day alone is the start of working hours, and a
    weekday is next week's when it names today); ``eod``, the end of today's working hours
    (of the next working day once today's are over or today is not a working day).

    The result carries ``now``'s time zone (a naive ``now`` is taken as local time).
    """
    hours = hours or WorkingHours()
    now = _aware(now)
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise TimeParseError(f"a time is needed; use {_WHEN_FORMS}")
    try:
        result = _parse_when(cleaned, now, hours, past=past)
    except (OverflowError, ValueError) as error:
        if isinstance(error, TimeParseError):
            raise
        raise TimeParseError(f"{text.strip()!r} is not a time: {error}") from None
    if result is None:
        raise TimeParseError(f"{text.strip()!r} is not a time; use {_WHEN_FORMS}")
    if not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        raise TimeParseError(
            f"{text.strip()!r}: a time must fall in the years {EARLIEST_YEAR} to {LATEST_YEAR}"
        )
    return result


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def at_clock(day: date, clock: time, like: datetime) -> datetime:
    """``day`` at ``clock``, in the zone of ``like``."""
    return datetime.combine(day, clock, tzinfo=like.tzinfo)


def next_working_moment(moment: datetime, hours: WorkingHours) -> datetime:
    """``moment`` itself inside working hours, else when the next working day starts."""
    day = moment.date()
    for _ in range(8):
        if hours.is_working_day(day) and moment < at_clock(day, hours.end, moment):
            return max(moment, at_clock(day, hours.start, moment))
        day += timedelta(days=1)
        moment = at_clock(day, time(0), moment)
    return moment  # no working day at all: WorkingHours refuses that, so never reached


def _clock(text: str) -> time | None:
    match = _CLOCK_RE.match(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        raise TimeParseError(f"{text!r} is not a clock time (00:00 to 23:59)")
    return time(hour, minute)


def _parse_when(text: str, now: datetime, hours: WorkingHours, *, past: bool) -> datetime | None:
    if text == "now":
        return now
    if text == "eod":
        return _end_of_day(now, hours)
    clock = _clock(text)
    if clock is not None:
        candidate = at_clock(now.date(), clock, now)
        if past and candidate > now:
            candidate = at_clock(now.date() - timedelta(days=1), clock, now)
        elif not past and candidate <= now:
            candidate = at_clock(now.date() + timedelta(days=1), clock, now)
        return candidate
    offset = _OFFSET_RE.match(text)
    if offset:
        minutes = parse_duration(offset.group(2))
        delta = timedelta(minutes=minutes)
        return now + delta if offset.group(1) == "+" else now - delta
    words = text.split(" ")
    if len(words) <= 2 and (day := _day(words[0], now)) is not None:
        if len(words) == 1:
            return at_clock(day, hours.start, now)
        clock = _clock(words[1])
        if clock is None:
            raise TimeParseError(f"{words[1]!r} is not a clock time like 9:00 or 14:30")
        return at_clock(day, clock, now)
    return _iso(text, now, hours)


def _day(word: str, now: datetime) -> date | None:
    today = now.date()
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word == "yesterday":
        return today - timedelta(days=1)
    weekday = _DAY_NAMES.get(word)
    if weekday is None:
        return None
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def _end_of_day(now: datetime, hours: WorkingHours) -> datetime:
    """The end of today's working day, or of the next one once today's is over."""
    return at_clock(next_working_moment(now, hours).date(), hours.end, now)


def _iso(text: str, now: datetime, hours: WorkingHours) -> datetime | None:
    if not text[:1].isdigit():
        return None
    candidate = text.upper()
    try:
        if len(candidate) == 10 and candidate[4] == "-":
            return at_clock(date.fromisoformat(candidate), hours.start, now)
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=now.tzinfo)
    return parsed.astimezone(now.tzinfo)
