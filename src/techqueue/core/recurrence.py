"""Recurring proactive work: ``every:mon 9:00``, ``every:day``, ``every:1st``, ``every:2w``.

A rule says on which days an instance of the work comes back and at what time of day (the
start of working hours when none is said); :func:`next_occurrence` is the arithmetic. Times
are wall-clock times in the technician's zone: "9:00 every Monday" stays 9:00 across a change
of the clocks (a time the clocks skip is moved on by the gap), and "the 31st" is
the last day of a shorter month. Pure: ``after``, the anchor and the zone are arguments.

Forms (the text after ``every:``):

- ``day``: every working day (the working hours' days, holidays left out);
- ``mon`` … ``sun`` (or the full name): that weekday;
- ``1st`` … ``31st`` (``2nd``, ``3rd``, ``15th``): that day of each month, the month's last day
  when it is shorter;
- ``Nw`` (``2w``): every N weeks, on the weekday the rule was made, counted from that day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from techqueue.core.timeparse import WEEKDAYS, WorkingHours, weekday_number

__all__ = [
    "MAX_WEEKS",
    "Rule",
    "next_occurrence",
    "parse_clock",
    "parse_rule",
    "rule_text",
]

#: The longest gap of ``Nw``: a year.
MAX_WEEKS = 52
_ORDINAL_RE = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
_WEEKS_RE = re.compile(r"^(\d{1,2})w$")
_CLOCK_RE = re.compile(r"^(\d{1,2}):(\d{2})$")
_SUFFIX = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


@dataclass(frozen=True, slots=True)
class Rule:
    """When instances come: ``kind`` is ``day``, ``weekday`` (``value`` 0 for Monday …),
    ``monthday`` (``value`` the day of the month) or ``weeks`` (``value`` weeks apart);
    ``clock`` the time of day (``None``: the start of working hours)."""

    kind: str
    value: int = 0
    clock: time | None = None


def parse_clock(text: str) -> time:
    """``9:00`` or ``14:30`` as a time of day; a ``ValueError`` otherwise."""
    match = _CLOCK_RE.match(text.strip())
    if not match or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f"{text!r} is not a time of day like 9:00 or 14:30")
    return time(int(match.group(1)), int(match.group(2)))


def parse_rule(text: str, clock: str | None = None) -> Rule:
    """The rule ``every:TEXT`` says (``clock``: the time word after it, if any); a
    ``ValueError`` saying which forms there are otherwise."""
    word = text.strip().lower()
    at = parse_clock(clock) if clock is not None else None
    if word in ("day", "daily"):
        return Rule("day", 0, at)
    weekday = weekday_number(word)
    if weekday is not None:
        return Rule("weekday", weekday, at)
    match = _ORDINAL_RE.match(word)
    if match and 1 <= int(match.group(1)) <= 31:
        return Rule("monthday", int(match.group(1)), at)
    match = _WEEKS_RE.match(word)
    if match and 1 <= int(match.group(1)) <= MAX_WEEKS:
        return Rule("weeks", int(match.group(1)), at)
    raise ValueError(
        f"every:{text} is not a rule: use every:day, every:mon (a weekday), every:1st (a day "
        f"of the month, to 31st) or every:2w (weeks apart, 1w to {MAX_WEEKS}w), and a time "
        "after it if you like (every:mon 9:00)"
    )


def rule_text(rule: Rule) -> str:
    """The rule as the quick-add line writes it after ``every:`` (``mon 09:00``, ``1st``):
    what :func:`parse_rule` reads back to the same rule."""
    if rule.kind == "day":
        said = "day"
    elif rule.kind == "weekday":
        said = WEEKDAYS[rule.value]
    elif rule.kind == "monthday":
        said = f"{rule.value}{_SUFFIX.get(rule.value, 'th')}"
    else:
        said = f"{rule.value}w"
    return said if rule.clock is None else f"{said} {rule.clock:%H:%M}"


def _wall(day: date, clock: time, zone: tzinfo | None) -> datetime:
    """``day`` at ``clock`` on the wall clocks of ``zone`` (``None``: the system's local
    zone). A time the clocks skip is moved on by the gap (02:30 on the night the clocks go
    forward is 03:30); a time they repeat is its first passing."""
    if zone is None:
        return datetime.combine(day, clock).astimezone()
    return datetime.combine(day, clock, tzinfo=zone).astimezone(UTC).astimezone(zone)


def _matches(rule: Rule, day: date, anchor: date, hours: WorkingHours) -> bool:
    if rule.kind == "day":
        return hours.is_working_day(day)
    if rule.kind == "weekday":
        return day.weekday() == rule.value
    if rule.kind == "monthday":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(rule.value, last)
    return (day - anchor).days % (7 * rule.value) == 0


def next_occurrence(
    rule: Rule,
    after: datetime,
    *,
    anchor: date,
    hours: WorkingHours,
    zone: tzinfo | None = None,
) -> datetime:
    """The rule's first occurrence strictly after ``after``: on a day the rule names, at its
    time of day in ``zone`` (``None``: the system's local zone; the start of working hours
    when the rule has no time). ``anchor`` is the day every ``Nw`` counts from."""
    clock = rule.clock or hours.start
    local = after.astimezone(zone) if zone is not None else after.astimezone()
    day = local.date() - timedelta(days=1)
    for _ in range(7 * MAX_WEEKS + 62):
        if _matches(rule, day, anchor, hours):
            moment = _wall(day, clock, zone)
            if moment > after:
                return moment
        day += timedelta(days=1)
    raise ValueError("the rule names no day in the next year")  # every:day with no working day
