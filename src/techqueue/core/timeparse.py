"""Durations and times as a technician types them, read against an injected clock.

Everything here is pure: ``now`` and the working hours are arguments, so a test, a replay
(``TECHQUEUE_NOW``) and the live app all read ``14:00``, ``3pm`` or ``eod`` the same way.
Every failure is a :class:`TimeParseError` (a ``ValueError``) whose message names the text
and the forms that are understood, so the command line can print it as one line.

The rules for what each form means are written down in ``docs/times.md``. The common forms
(clock times, offsets, day words, weekdays, ISO 8601) are read here by a small grammar; a
date with a month name (``mar 5``) is handed to ``dateutil``, imported only then, so a short
command never pays for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from techqueue.domain import EARLIEST_YEAR, LATEST_YEAR, MAX_DURATION_MINUTES
from techqueue.patterns import Pattern

Moment = TypeVar("Moment", date, datetime)

__all__ = [
    "WEEKDAYS",
    "TimeParseError",
    "WorkingHours",
    "at_clock",
    "format_duration",
    "format_when",
    "next_working_moment",
    "parse_day",
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

#: The month names ``dateutil`` reads, so a phrase without one never loads it.
_MONTHS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        ("jan", "january"),
        ("feb", "february"),
        ("mar", "march"),
        ("apr", "april"),
        ("may",),
        ("jun", "june"),
        ("jul", "july"),
        ("aug", "august"),
        ("sep", "sept", "september"),
        ("oct", "october"),
        ("nov", "november"),
        ("dec", "december"),
    ),
    start=1,
):
    for _name in _names:
        _MONTHS[_name] = _index

_DURATION_FORMS = "90s, 5m, 1h, 1h30m or a number of minutes"
_WHEN_FORMS = (
    "14:00, 3pm, noon, +30m, in 2 hours, tomorrow 9:00, fri 3pm, next mon, eod, mar 5 14:00 "
    "or ISO 8601 (2026-03-05T14:00)"
)
_DAY_FORMS = "today, yesterday, a weekday (mon), mar 5 or 2026-03-05"
_CLOCK_FORMS = "9:00, 14:30, 3pm or noon"

_NUMBER = r"(\d+(?:\.\d+)?|\.\d+)"
_DURATION_RE = Pattern(rf"^(?:{_NUMBER}h)?(?:{_NUMBER}m)?(?:{_NUMBER}s)?$")
_BARE_NUMBER_RE = Pattern(rf"^{_NUMBER}$")
_CLOCK_RE = Pattern(r"^(\d{1,2}):(\d{2})$")
_MERIDIEM_RE = Pattern(r"^(\d{1,2})(?::(\d{2}))? ?([ap])\.?m\.?$")
_NAMED_CLOCKS = {"noon": time(12, 0), "midday": time(12, 0), "midnight": time(0, 0)}
_OFFSET_RE = Pattern(r"^([+-])\s*(\S+)$")
_ISO_DAY_RE = Pattern(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")

#: Spoken units (``in 2 hours``, ``30 min ago``), in minutes; longest spellings first so the
#: pattern below takes ``mins`` whole rather than ``m`` and a stray ``ins``.
_UNITS: dict[str, float] = {}
for _minutes, _spellings in (
    (1 / 60, ("seconds", "second", "secs", "sec", "s")),
    (1.0, ("minutes", "minute", "mins", "min", "m")),
    (60.0, ("hours", "hour", "hrs", "hr", "h")),
    (24 * 60.0, ("days", "day", "d")),
    (7 * 24 * 60.0, ("weeks", "week", "wks", "wk", "w")),
):
    for _spelling in _spellings:
        _UNITS[_spelling] = _minutes
_UNIT_PATTERN = "|".join(sorted(_UNITS, key=len, reverse=True))
_SPOKEN_PART_RE = Pattern(
    rf"\s*(,\s*|and\s+)?({_NUMBER}|an?)\s*({_UNIT_PATTERN})(?![a-z])", re.IGNORECASE
)
#: The parts of a date with a month name: numbers (``5``, ``5th``, ``2027``), words, marks.
_DATE_PART_RE = Pattern(r"(\d+)(st|nd|rd|th)?|([a-z]+)|(\S)")
_DATE_FILLERS = frozenset({"of", ",", ".", "-", "/"})


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
    return _bounded(minutes, text.strip())


def _bounded(minutes: float, text: str) -> float:
    """``minutes``, once it is known to be a usable length of time."""
    if not math.isfinite(minutes) or minutes <= 0:
        raise TimeParseError(f"{text!r}: a duration must be more than zero")
    if minutes > MAX_DURATION_MINUTES:
        raise TimeParseError(f"{text!r}: a duration can be at most 30 days")
    return minutes


def format_duration(minutes: float) -> str:
    """Say a duration the short way a technician writes it: ``30s``, ``5 min``, ``1 h 30``.

    Each unit is chosen by the duration as it will be said, rounded: 59.5 minutes is
    ``1 h``, never ``60 min``, and 59.7 seconds ``1 min``, never ``60s``."""
    seconds = round(minutes * 60)
    if seconds < 60:
        return f"{max(1, seconds)}s"
    whole = round(minutes)
    if whole < 60:
        return f"{max(1, whole)} min"
    if whole < 48 * 60:
        hours, mins = divmod(whole, 60)
        return f"{hours} h {mins:02d}" if mins else f"{hours} h"
    days = minutes / (24 * 60)
    return f"{days:.0f} d" if days >= 10 else f"{days:.1f} d".replace(".0 d", " d")


def format_when(moment: datetime, now: datetime) -> str:
    """Say a time back the way it is checked at a glance: ``today 15:00``, ``Thu 05 Mar
    14:00``, and the year only when it is not ``now``'s — so that ``3pm``, ``fri`` or
    ``mar 5`` shows which day it was read as. In ``now``'s time zone."""
    now = _aware(now)
    local = _aware(moment).astimezone(now.tzinfo)
    if local.date() == now.date():
        return f"today {local:%H:%M}"
    if local.year != now.year:
        return f"{local:%a %d %b %Y %H:%M}"
    return f"{local:%a %d %b %H:%M}"


def parse_when(
    text: str,
    now: datetime,
    hours: WorkingHours | None = None,
    *,
    past: bool = False,
) -> datetime:
    """Read a point in time, relative to ``now``.

    Understood (``docs/times.md`` has the rules and the reasons):

    - a clock time, ``14:00``, ``3pm``, ``3:30pm``, ``noon``, ``midnight``: the next one, or
      with ``past`` the last one;
    - an offset: ``+30m`` / ``-2h``, ``in 2 hours``, ``in 1h30m``, ``20 min ago``;
    - a day, optionally with a clock time before or after it (``tomorrow 3pm``,
      ``fri at noon``, ``3pm tomorrow``): ``today``, ``tomorrow``, ``yesterday``; a weekday
      name (never today: the next one, or with ``past`` the last one); ``next mon`` (that
      day of next week, weeks running Monday to Sunday); a date with a month name
      (``mar 5``, ``5 March 2027``: without a year the next such date, today included, or
      with ``past`` the last one); an ISO date. A day alone is the start of working hours;
    - ``now``; ``eod``, the end of today's working hours (of the next working day once
      today's are over or today is not a working day); ISO 8601 (a time without a zone is
      local time).

    The result carries ``now``'s time zone (a naive ``now`` is taken as local time).
    """
    hours = hours or WorkingHours()
    now = _aware(now)
    return _read(
        text, "time", _WHEN_FORMS, lambda cleaned: _parse_when(cleaned, now, hours, past=past)
    )


def parse_day(text: str, now: date, *, past: bool = True) -> date:
    """Read a day, for a report about one (``review --date``, ``log --date``).

    ``now`` is today (a ``datetime`` is taken at its date). Understood: ``today``,
    ``yesterday``, ``tomorrow``; a weekday name, never today — the last one (this week's
    Monday on a Wednesday), or without ``past`` the next one; ``next mon``; a date with a
    month name (``mar 5``: the last such date, today included, or without ``past`` the next
    one); an ISO date (``2026-03-05``).
    """
    today = now.date() if isinstance(now, datetime) else now
    return _read(
        text, "day", _DAY_FORMS, lambda cleaned: _day_of(cleaned.split(" "), today, past=past)
    )


def _read(text: str, what: str, forms: str, parse: Callable[[str], Moment | None]) -> Moment:
    """``text`` read by ``parse`` (given it cleaned: lower case, single spaces), or one
    :class:`TimeParseError` saying it is not a ``what`` and the ``forms`` there are: empty,
    longer than any said, not understood, or out of the years techqueue keeps."""
    cleaned = _normal(text)
    if not cleaned:
        raise TimeParseError(f"a {what} is needed; use {forms}")
    if _too_long(cleaned):
        raise TimeParseError(f"{_quoted(text)} is not a {what}; use {forms}")
    try:
        result = parse(cleaned)
    except (OverflowError, ValueError) as error:
        if isinstance(error, TimeParseError):
            raise
        raise TimeParseError(f"{text.strip()!r} is not a {what}: {error}") from None
    if result is None:
        raise TimeParseError(f"{text.strip()!r} is not a {what}; use {forms}")
    _in_range(result, text)
    return result


def _normal(text: str) -> str:
    return " ".join(text.strip().lower().split())


#: The longest time said is a few words ("5 march 2027 at 3:30pm", "in 1 hour 30 minutes")
#: or an ISO 8601 moment with fractions and a zone; anything longer is not one, and is not
#: tried word split by word split (a pasted page took minutes).
_MOST_WORDS, _MOST_CHARACTERS = 8, 64


def _too_long(cleaned: str) -> bool:
    return len(cleaned) > _MOST_CHARACTERS or cleaned.count(" ") >= _MOST_WORDS


def _quoted(text: str) -> str:
    """What was typed, as an error quotes it: a pasted page by its start."""
    shown = text.strip()
    return repr(shown if len(shown) <= 40 else shown[:39] + "…")


def _in_range(moment: date, text: str) -> None:
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise TimeParseError(
            f"{text.strip()!r}: a time must fall in the years {EARLIEST_YEAR} to {LATEST_YEAR}"
        )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.astimezone()


def at_clock(day: date, clock: time, like: datetime) -> datetime:
    """``day`` at ``clock``, in the zone of ``like``."""
    return datetime.combine(day, clock, tzinfo=like.tzinfo)


def next_working_moment(moment: datetime, hours: WorkingHours) -> datetime:
    """``moment`` itself inside working hours, else when the next working day starts.

    Looked for past holidays however many there are in a row (a fortnight's leave over
    Christmas, one working day a week with a holiday on it): a week's search ended on a day
    off, at midnight, and the forecast and ``eod`` took that for a working moment."""
    day = moment.date()
    for _ in range(8 + 7 * len(hours.holidays)):
        # Compared as instants: two times of one zone compare as wall-clock readings, and in
        # the hour the clocks go back 01:10 on its second pass comes after a day that ended
        # at 01:30 on its first (the forecast then counted the next week's hours for it).
        end = at_clock(day, hours.end, moment)
        if hours.is_working_day(day) and moment.timestamp() < end.timestamp():
            return max(moment, at_clock(day, hours.start, moment), key=datetime.timestamp)
        day += timedelta(days=1)
        moment = at_clock(day, time(0), moment)
    return moment  # no working day at all: WorkingHours refuses that, so never reached


def _parse_when(text: str, now: datetime, hours: WorkingHours, *, past: bool) -> datetime | None:
    if text == "now":
        return now
    if text == "eod":
        return _end_of_day(now, hours)
    offset = _OFFSET_RE.match(text)
    if offset:
        minutes = parse_duration(offset.group(2))
        delta = timedelta(minutes=minutes)
        return now + delta if offset.group(1) == "+" else now - delta
    if text.startswith("in "):
        return now + timedelta(minutes=_spoken_duration(text[3:], text))
    if text.endswith(" ago"):
        return now - timedelta(minutes=_spoken_duration(text[:-4], text))
    return _iso(text, now, hours) or _phrase(text, now, hours, past=past)


def _spoken_duration(words: str, text: str) -> float:
    """Minutes in ``2 hours``, ``an hour``, ``1h30m``, ``1 hour and 30 minutes``."""
    minutes, position = 0.0, 0
    while position < len(words):
        part = _SPOKEN_PART_RE.match(words, position)
        if part is None or (position == 0 and part.group(1)):
            raise TimeParseError(
                f"{text!r} is not a time; after 'in' (or before 'ago') give a length of time "
                "like 2 hours, 30 min or 1h30m"
            )
        amount = 1.0 if part.group(2) in {"a", "an"} else float(part.group(2))
        minutes += amount * _UNITS[part.group(4).lower()]
        position = part.end()
    if position == 0:
        raise TimeParseError(f"{text!r} is not a time; give a length of time like 2 hours")
    if minutes > MAX_DURATION_MINUTES:
        raise TimeParseError(f"{text!r}: an offset can be at most 30 days; give a date instead")
    return _bounded(minutes, text)


def _phrase(text: str, now: datetime, hours: WorkingHours, *, past: bool) -> datetime | None:
    """A clock time, a day, or a day and a clock time in either order (``at`` between)."""
    words = text.split(" ")
    if words[0] == "at" and len(words) > 1:
        words = words[1:]
    today = now.date()
    clock = _clock_of(words)
    if clock is not None:
        return _occurrence(clock, now, past=past)
    day = _day_of(words, today, past=past)
    if day is not None:
        return at_clock(day, hours.start, now)
    for day_words, clock_words in _splits(words):
        day = _day_of(day_words, today, past=past)
        if day is None:
            continue
        clock = _clock_of(clock_words)
        if clock is None:
            continue
        if clock_words == ["midnight"]:
            raise TimeParseError(
                f"{text!r}: midnight with a day is ambiguous; write 23:59 that day, "
                "or 0:00 the day after"
            )
        return at_clock(day, clock, now)
    for length in range(len(words) - 1, 0, -1):
        if _day_of(words[:length], today, past=past) is not None:
            rest = " ".join(words[length:])
            raise TimeParseError(f"{rest!r} is not a clock time like {_CLOCK_FORMS}")
    return None


def _splits(words: list[str]) -> list[tuple[list[str], list[str]]]:
    """(day words, clock words): the clock time last or first, one or two words long."""
    found: list[tuple[list[str], list[str]]] = []
    for size in (1, 2):
        if len(words) <= size:
            continue
        head, tail = words[:-size], words[-size:]
        if head[-1] == "at" and len(head) > 1:
            head = head[:-1]
        found.append((head, tail))
        found.append((words[size:], words[:size]))
    return found


def _occurrence(clock: time, now: datetime, *, past: bool) -> datetime:
    """The next ``clock`` after ``now`` (or with ``past`` the last one at or before it)."""
    candidate = at_clock(now.date(), clock, now)
    if past and candidate > now:
        candidate = at_clock(now.date() - timedelta(days=1), clock, now)
    elif not past and candidate <= now:
        candidate = at_clock(now.date() + timedelta(days=1), clock, now)
    return candidate


def _clock_of(words: list[str]) -> time | None:
    """A clock time in one or two words (``14:00``, ``3pm``, ``3 pm``, ``noon``), or
    ``None``; a word shaped like a clock time that is no time of day is an error."""
    if not 1 <= len(words) <= 2:
        return None
    text = " ".join(words)
    if text in _NAMED_CLOCKS:
        return _NAMED_CLOCKS[text]
    match = _CLOCK_RE.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            raise TimeParseError(f"{text!r} is not a clock time (00:00 to 23:59)")
        return time(hour, minute)
    match = _MERIDIEM_RE.match(text)
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise TimeParseError(f"{text!r} is not a clock time (12am to 11:59pm)")
        return time(hour % 12 + (12 if match.group(3) == "p" else 0), minute)
    return None


def _day_of(words: list[str], today: date, *, past: bool) -> date | None:
    """The day ``words`` name, or ``None`` when they name none."""
    if len(words) == 1:
        word = words[0]
        if word == "today":
            return today
        if word == "tomorrow":
            return today + timedelta(days=1)
        if word == "yesterday":
            return today - timedelta(days=1)
        weekday = _DAY_NAMES.get(word)
        if weekday is not None:
            if past:
                return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
            return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
        iso = _ISO_DAY_RE.match(word)
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
    if len(words) == 2 and words[0] == "next" and words[1] in _DAY_NAMES:
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(days=7 + _DAY_NAMES[words[1]])
    return _month_date(" ".join(words), today, past=past)


def _month_date(text: str, today: date, *, past: bool) -> date | None:
    """A date with a month name (``mar 5``, ``5th of March 2027``), read by ``dateutil``.

    ``dateutil`` reads almost anything as a date (``1``, ``a``, ``mar 32`` as the year
    2032), so only a phrase of one month name, one day number (1 to 31), at most one
    four-digit year and a few fillers is handed to it, with ``fuzzy`` off, and its reading
    is checked against the numbers seen.
    """
    month = day = year = None
    for number, suffix, word, mark in _DATE_PART_RE.findall(text):
        if number and len(number) <= 2 and day is None:
            day = int(number)
        elif number and len(number) == 4 and not suffix and year is None:
            year = int(number)
        elif word in _MONTHS and month is None:
            month = _MONTHS[word]
        elif (word or mark) not in _DATE_FILLERS:
            return None
    if month is None or day is None or not 1 <= day <= 31:
        return None
    from dateutil import parser  # here only: a short command never loads it

    # A leap year as the default, so that feb 29 is read before its year is chosen.
    read = parser.parse(text, default=datetime(2000, 1, 1), fuzzy=False).date()
    if (read.month, read.day) != (month, day) or (year is not None and read.year != year):
        return None
    if year is not None:
        return read
    step = -1 if past else 1
    for ahead in range(9):  # feb 29 comes round within eight years
        try:
            candidate = date(today.year + step * ahead, month, day)
        except ValueError:
            continue
        if (candidate <= today) if past else (candidate >= today):
            return candidate
    return None


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
