"""Working time: the clock that waiting, aging, response targets and lateness are read on.

A technician's day has working hours; nights, weekends and holidays do not count. An item
received Friday 16:30 has waited one working hour at Monday 09:30, not 65 hours, so nothing
comes back on Monday morning with a weekend of aging, and no customer is "not updated for a
night". Each item also keeps its own clock, which stops while it waits on the customer or is
deferred: :func:`waited_minutes` reads it.

Pure: the working hours and ``now`` are arguments; positions are worked out in the time zone
the clock is made for (``now``'s), and cached, since a queue of thousands asks for the same
arrival times at every re-rank.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Protocol

from techqueue.core.timeparse import WorkingHours, format_duration

__all__ = [
    "Clocked",
    "WorkClock",
    "clock_checkpoint",
    "running_since",
    "waited_minutes",
    "work_clock",
    "working_duration",
]

#: Statuses whose waiting clock runs (when not deferred): the work is still to be done by us.
_RUNNING = frozenset({"open", "active", "paused"})
#: How many positions a clock remembers before it starts afresh (a day's re-ranks ask for the
#: same few thousand; this only bounds memory in a process that runs for weeks).
_CACHE_LIMIT = 200_000


def _minutes_of_day(clock: time) -> float:
    return clock.hour * 60 + clock.minute + clock.second / 60


#: ``date(1970, 1, 1).toordinal()``: timestamps count days from it.
_EPOCH_ORDINAL = 719_163


def _utc_offset(timestamp: float, zone: tzinfo | None) -> float:
    """The offset from UTC, in seconds, of ``zone`` (``None``: the local zone) then."""
    moment = (
        datetime.fromtimestamp(timestamp, zone)
        if zone
        else datetime.fromtimestamp(timestamp).astimezone()
    )
    offset = moment.utcoffset()
    return 0.0 if offset is None else offset.total_seconds()


def _local_seconds(moment: datetime, zone: tzinfo | None) -> float:
    """Seconds since 1970-01-01 00:00 of ``moment`` read on the wall clock of ``zone``."""
    return moment.timestamp() + _utc_offset(moment.timestamp(), zone)


class WorkClock:
    """Working minutes counted on ``hours`` (days, start, end, holidays) in ``zone``."""

    def __init__(self, hours: WorkingHours, zone: tzinfo | None) -> None:
        self.hours = hours
        self.zone = zone
        self._start = _minutes_of_day(hours.start)
        self._length = _minutes_of_day(hours.end) - self._start
        #: Working days among the first ``n`` weekdays (Monday first), for n in 0..7.
        self._week_prefix = [sum(1 for day in range(n) if day in hours.days) for n in range(8)]
        #: Holidays falling on working days, as ordinals, sorted.
        self._holidays = sorted(
            day.toordinal() for day in hours.holidays if day.weekday() in hours.days
        )
        self._positions: dict[float, float] = {}
        self._offsets: dict[int, float | None] = {}
        #: Each day's position at its start, and whether it is worked, by ordinal.
        self._days: dict[int, tuple[float, bool]] = {}
        #: The ordinal of each working day, by how many working days come before it.
        self._working_days: dict[int, int] = {}

    def _days_before(self, ordinal: int) -> int:
        """Working days before the day ``ordinal`` (``date.toordinal``; day 1 is a Monday)."""
        weeks, rest = divmod(ordinal - 1, 7)
        days = weeks * self._week_prefix[7] + self._week_prefix[rest]
        return days - bisect.bisect_left(self._holidays, ordinal)

    def is_working_day(self, day: date) -> bool:
        return self._works_on(day.toordinal())

    def _works_on(self, ordinal: int) -> bool:
        """Whether the day ``ordinal`` (``date.toordinal``; day 1 is a Monday) is worked."""
        if (ordinal - 1) % 7 not in self.hours.days:
            return False
        index = bisect.bisect_left(self._holidays, ordinal)
        return not (index < len(self._holidays) and self._holidays[index] == ordinal)

    def position(self, moment: datetime) -> float:
        """Working minutes from the clock's beginning of time to ``moment``: the difference of
        two positions is the working time between them.

        Worked out from the timestamp and the zone's offset at that hour (looked up once per
        hour of time), without building a local time: a queue of ten thousand asks for ten
        thousand positions on a short command's one ranking."""
        key = moment.timestamp()
        found = self._positions.get(key)
        if found is not None:
            return found
        hour = int(key // 3600)
        offset = self._offsets[hour] if hour in self._offsets else self._offset(key)
        local = key + offset if offset is not None else _local_seconds(moment, self.zone)
        days, seconds = divmod(local, 86_400)
        ordinal = int(days) + _EPOCH_ORDINAL
        day = self._days.get(ordinal)
        if day is None:
            day = self._days[ordinal] = (
                self._days_before(ordinal) * self._length,
                self._works_on(ordinal),
            )
        position, worked = day
        if worked:
            position += min(max(seconds / 60 - self._start, 0.0), self._length)
        if len(self._positions) >= _CACHE_LIMIT:
            self._positions.clear()
            self._days.clear()
        self._positions[key] = position
        return position

    def _offset(self, timestamp: float) -> float | None:
        """The zone's UTC offset in seconds throughout the hour of ``timestamp`` (``None``
        when it changes within that hour: then each moment is converted on its own)."""
        hour = int(timestamp // 3600)
        if hour in self._offsets:
            return self._offsets[hour]
        first = _utc_offset(hour * 3600, self.zone)
        offset = first if first == _utc_offset(hour * 3600 + 3599, self.zone) else None
        if len(self._offsets) >= _CACHE_LIMIT:
            self._offsets.clear()
        self._offsets[hour] = offset
        return offset

    def between(self, start: datetime, end: datetime) -> float:
        """Working minutes from ``start`` to ``end`` (none when ``end`` is not later)."""
        return max(self.position(end) - self.position(start), 0.0)

    def after(self, start: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` working minutes after ``start`` (at a day's end exactly,
        that day's end, not the next morning).

        The working day the target falls on is found from its number (working days before
        it), remembered, so laying ten thousand deadlines on a calendar costs a division
        each, not a walk through the days."""
        if self._length <= 0:
            return start
        target = self.position(start) + max(minutes, 0.0)
        index, into = divmod(target, self._length)
        if into == 0 and index > 0:  # exactly a day's end: that day, not the next morning
            index, into = index - 1, self._length
        ordinal = self._ordinal_of(int(index))
        if ordinal is None:
            return start  # no working day within reach: WorkingHours refuses that
        zone = start.astimezone(self.zone).tzinfo
        opening = datetime.combine(date.fromordinal(ordinal), self.hours.start, tzinfo=zone)
        return max(opening + timedelta(minutes=into), start)

    def _ordinal_of(self, index: int) -> int | None:
        """The ordinal of the working day with ``index`` working days before it."""
        found = self._working_days.get(index)
        if found is not None:
            return found
        per_week = self._week_prefix[7]
        if per_week == 0:
            return None
        ordinal = 1 + (index // per_week) * 7  # a Monday no later than the day sought
        for _ in range(8 + 7 * len(self._holidays)):
            if self._works_on(ordinal) and self._days_before(ordinal) == index:
                if len(self._working_days) >= _CACHE_LIMIT:
                    self._working_days.clear()
                self._working_days[index] = ordinal
                return ordinal
            ordinal += 1
        return None

    def moments_from(self, start: datetime) -> Callable[[float], datetime]:
        """``minutes -> after(start, minutes)`` for minutes from 0 up, ``before(start,
        -minutes)`` below 0: the same moments, for many offsets from one ``start`` (every
        item's 3× deadline from ``now``). What depends only on ``start`` (its position, its
        zone, the anchors :meth:`before` steps back to) and on the day (its opening) is
        worked out once, with the same arithmetic in the same order, so each moment is the
        one :meth:`after` and :meth:`before` give, to the microsecond."""
        if self._length <= 0:
            return lambda minutes: start
        _, after_start = self._after_from(start)
        anchors: dict[int, tuple[float, Callable[[float], datetime]]] = {}
        end_position = self.position(start)
        week = max(self._week_prefix[7] * self._length, 1.0)

        def moment(minutes: float) -> datetime:
            if minutes >= 0:
                return after_start(minutes)
            minutes = -minutes
            target = end_position - minutes
            weeks = 1 + int(minutes // week)
            while True:
                found = anchors.get(weeks)
                if found is None:
                    found = anchors[weeks] = self._after_from(start - timedelta(weeks=weeks))
                anchored, after_anchor = found
                if anchored <= target:
                    return after_anchor(target - anchored)
                weeks *= 2

        return moment

    def _after_from(self, start: datetime) -> tuple[float, Callable[[float], datetime]]:
        """``start``'s position, and :meth:`after` from it with its position, its zone and
        each day's opening kept."""
        position = self.position(start)
        zone = start.astimezone(self.zone).tzinfo
        length, opens = self._length, self.hours.start
        openings: dict[int, datetime] = {}

        def after(minutes: float) -> datetime:
            target = position + max(minutes, 0.0)
            index, into = divmod(target, length)
            if into == 0 and index > 0:  # exactly a day's end: that day, not the next morning
                index, into = index - 1, length
            ordinal = self._ordinal_of(int(index))
            if ordinal is None:
                return start
            opening = openings.get(ordinal)
            if opening is None:
                opening = openings[ordinal] = datetime.combine(
                    date.fromordinal(ordinal), opens, tzinfo=zone
                )
            return max(opening + timedelta(minutes=into), start)

        return position, after

    def before(self, end: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` working minutes before ``end``: when a deadline that has
        already passed fell (at a day's end exactly, that day's end, as :meth:`after` says)."""
        if minutes <= 0:
            return end
        target = self.position(end) - minutes
        weeks = 1 + int(minutes // max(self._week_prefix[7] * self._length, 1.0))
        anchor = end - timedelta(weeks=weeks)
        while self.position(anchor) > target:  # holidays: a week may hold less work
            weeks *= 2
            anchor = end - timedelta(weeks=weeks)
        return self.after(anchor, target - self.position(anchor))


def working_duration(minutes: float) -> str:
    """A span of working time as a technician says it: ``40 min``, ``1 h 30``, ``80 h`` —
    never in days, since a working day is not 24 hours."""
    if minutes < 60:
        return format_duration(minutes)
    hours, rest = divmod(round(minutes), 60)
    return f"{hours} h {rest:02d}" if rest else f"{hours} h"


@functools.lru_cache(maxsize=32)
def work_clock(hours: WorkingHours, zone: tzinfo | None) -> WorkClock:
    """The clock for ``hours`` in ``zone``, one per pair, so its cache serves every re-rank."""
    return WorkClock(hours, zone)


class Clocked(Protocol):
    """What an item's waiting clock is read from (the store's records fit; a plain object
    without the clock fields waits from its arrival)."""

    @property
    def status(self) -> str: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def deferred_until(self) -> datetime | None: ...


def running_since(item: Clocked) -> datetime | None:
    """Since when the item's clock has run (``None``: stopped — waiting on the customer,
    finished, or deferred until later than this is asked)."""
    if item.status not in _RUNNING:
        return None
    since: datetime = getattr(item, "clock_at", None) or item.received_at
    deferred = item.deferred_until
    if deferred is not None and deferred > since:
        since = deferred
    return since


def waited_minutes(item: Clocked, now: datetime, clock: WorkClock) -> float:
    """Working minutes the item has waited at ``now``: what it had when its clock was last
    checkpointed, plus the working time since while the clock ran."""
    waited: float = getattr(item, "waited_minutes", 0.0) or 0.0
    since = running_since(item)
    if since is not None and since < now:
        waited += clock.between(since, now)
    return waited


def clock_checkpoint(item: Clocked, now: datetime, clock: WorkClock) -> dict[str, object]:
    """The item's clock fields brought up to ``now``: what an action writes before it changes
    whether the clock runs (a status, a deferral), so the time already waited is kept and the
    time to come is counted from the new state."""
    return {"waited_minutes": waited_minutes(item, now, clock), "clock_at": now}
