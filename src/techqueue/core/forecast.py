"""The forecast: when the technician will likely get to each item and finish it, counting
what ranks ahead within working hours, and whether each promise will hold.

Pure: the ranked queue, the minutes already worked on items in progress, the settings and
``now`` are arguments, so the command line, the app and the tests forecast alike.
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Protocol, cast

from techqueue.core.appointments import Slot
from techqueue.core.timeparse import WorkingHours, at_clock, next_working_moment
from techqueue.domain import CLOSED_STATUSES
from techqueue.scoring import Ranked, effective_estimate

if TYPE_CHECKING:
    from techqueue.core.guard import Overload
    from techqueue.core.settings import Settings

__all__ = [
    "OVERRUN_SHARE",
    "PROMISE_STATES",
    "Eta",
    "Etas",
    "Forecast",
    "KeptForecast",
    "KeptSchedule",
    "Miss",
    "Promised",
    "flag_risk",
    "promise_state",
    "remaining_minutes",
    "schedule",
]

#: ``none``: no promise (or the item is closed); ``ok``: it will be kept (or was: work began in
#: time); ``at_risk``: the queue says the technician gets to it only after the promised time;
#: ``broken``: the time passed before work began, and the customer has not been told since.
PROMISE_STATES = ("none", "ok", "at_risk", "broken")


# --- what is left of a job -----------------------------------------------------------------


#: A job nearly done, or already past its estimate, is assumed to have this share of its
#: estimate -- or of the time spent on it, when that is more -- still to go: durations are
#: skewed, and a job that has overrun tends to overrun further.
OVERRUN_SHARE = 0.25


def remaining_minutes(estimate: float, spent: float) -> float:
    """What is left of a job: the estimate less the time already worked, but never less than
    a quarter of the estimate or of the time spent, whichever is more."""
    spent = max(spent, 0.0)
    return max(estimate - spent, OVERRUN_SHARE * max(estimate, spent))


# --- the queue-aware ETA ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Eta:
    """When the technician will likely start an item, and finish it."""

    start: datetime
    finish: datetime


class Etas(Mapping[Any, Eta]):
    """ETAs kept as timestamps and made into times only when asked for: a queue of ten
    thousand is scheduled on every re-rank, and only the few rows on screen are read."""

    def __init__(self, times: dict[Any, tuple[float, float]], zone: tzinfo | None) -> None:
        self._times = times
        self._zone = zone

    def __getitem__(self, item_id: Any) -> Eta:
        start, finish = self._times[item_id]
        zone = self._zone
        return Eta(datetime.fromtimestamp(start, zone), datetime.fromtimestamp(finish, zone))

    @property
    def timestamps(self) -> Mapping[Any, tuple[float, float]]:
        """Each item's start and finish as timestamps: what ``list --json`` writes from."""
        return self._times

    @property
    def zone(self) -> tzinfo | None:
        """The zone the times are made in."""
        return self._zone

    def __iter__(self) -> Iterator[Any]:
        return iter(self._times)

    def __len__(self) -> int:
        return len(self._times)


def schedule(
    queue: Iterable[tuple[Any, float, str]],
    now: datetime,
    hours: WorkingHours,
    slots: Sequence[Slot] = (),
) -> Etas:
    """ETAs for a queue given as ``(id, minutes of work left, status)`` in rank order.

    The item being worked on runs from ``now``; every other one starts when everything ranked
    above it is done, within working hours (a day ending at 17:00 pushes the rest to the next
    working morning). Items waiting on the customer get no ETA: the next move is theirs.

    ``slots`` are booked appointments: their items are planned in their slot (whether they
    are in the queue yet or not), and nothing else is planned through one -- work that would
    run into a slot stops at its start and goes on after its end.
    """
    zone = now.tzinfo
    times: dict[Any, tuple[float, float]] = {}
    rows = [(item_id, max(minutes, 0.0) * 60, status) for item_id, minutes, status in queue]
    cursor = next_working_moment(now, hours)
    start_ts = now.timestamp()
    for item_id, seconds, status in rows:
        if status == "active":
            times[item_id] = (start_ts, start_ts + seconds)
            finish = datetime.fromtimestamp(start_ts + seconds, zone)
            cursor = next_working_moment(max(cursor, finish), hours)

    def day_end(moment: datetime) -> float:
        return at_clock(moment.date(), hours.end, moment).timestamp()

    def resume(timestamp: float) -> tuple[float, float]:
        moment = next_working_moment(datetime.fromtimestamp(timestamp, zone), hours)
        return moment.timestamp(), day_end(moment)

    booked = {slot.item_id: (slot.start.timestamp(), slot.end.timestamp()) for slot in slots}
    blocked = sorted(booked.values())
    at, end = cursor.timestamp(), day_end(cursor)
    if not blocked:
        for item_id, seconds, status in rows:
            if status == "active" or status == "waiting":
                continue
            if at >= end:
                at, end = resume(at)
            start = at
            while seconds > end - at:
                seconds -= end - at
                at, end = resume(end)
            at += seconds
            times[item_id] = (start, at)
        return Etas(times, zone)
    for item_id, seconds, status in rows:
        if status == "active" or status == "waiting" or item_id in booked:
            continue
        first: float | None = None
        while True:
            if at >= end:
                at, end = resume(at)
            slot = next(((s, e) for s, e in blocked if e > at), None)
            if slot is not None and slot[0] <= at:  # in a slot: go on after it
                at = slot[1]
                continue
            limit = end if slot is None else min(end, slot[0])
            if first is None:
                first = at
            take = min(seconds, limit - at)
            seconds -= take
            at += take
            if seconds <= 0:
                break
        times[item_id] = (at if first is None else first, at)
    for item_id, (start_ts, end_ts) in booked.items():
        if item_id not in times:
            times[item_id] = (start_ts, end_ts)
    return Etas(times, zone)


class KeptSchedule:
    """:func:`schedule` of a queue without booked slots, kept between calls at one moment.

    The walk through the queue carries one state, the time the next job starts and the end
    of that working day; keeping the state before each row, a queue that changed from its
    n-th row on is walked again from there only, with the same arithmetic in the same order,
    so the ETAs are exactly :func:`schedule`'s. With booked slots (rare: today's
    appointments) it is :func:`schedule` itself.
    """

    def __init__(self) -> None:
        self._key: tuple[Any, ...] | None = None
        self._queue: list[tuple[Any, float, str]] = []
        self._states: list[tuple[float, float]] = []
        self._times: dict[Any, tuple[float, float]] = {}
        self._start: tuple[float, float] = (0.0, 0.0)

    def etas(
        self,
        queue: list[tuple[Any, float, str]],
        now: datetime,
        hours: WorkingHours,
        slots: Sequence[Slot] = (),
    ) -> Etas:
        """ETAs for ``queue`` (as :func:`schedule` takes it: ``(id, minutes left, status)``
        in rank order)."""
        if slots:
            self._key = None
            return schedule(queue, now, hours, slots)
        zone = now.tzinfo
        statuses = list(map(_STATUS, queue))
        active: list[tuple[Any, float, str]] = []
        place = -1
        for _ in range(statuses.count("active")):
            place = statuses.index("active", place + 1)
            active.append(queue[place])
        key = (now, hours, tuple(active))
        old = self._queue
        if key != self._key:
            self._key, old = key, []
            times: dict[Any, tuple[float, float]] = {}
            cursor = next_working_moment(now, hours)
            start_ts = now.timestamp()
            for item_id, minutes, _ in active:
                seconds = max(minutes, 0.0) * 60
                times[item_id] = (start_ts, start_ts + seconds)
                finish = datetime.fromtimestamp(start_ts + seconds, zone)
                cursor = next_working_moment(max(cursor, finish), hours)
            self._start = (
                cursor.timestamp(),
                at_clock(cursor.date(), hours.end, cursor).timestamp(),
            )
            self._times, self._states = times, []
        low = 0
        for low, (new_row, old_row) in enumerate(zip(queue, old, strict=False)):  # noqa: B007
            if new_row != old_row:
                break
        else:
            low = min(len(queue), len(old))
        if low == len(queue) == len(old):
            return Etas(self._times, zone)
        # The rows both queues end with: once the walk reaches them in the state it was in
        # before, the rest of it is what it was (a job moved up shifts no one below where
        # it was; the float sums are exact for whole seconds, and compared exactly).
        count, old_count = len(queue), len(old)
        common, most = 0, min(count, old_count) - low
        while common < most and queue[count - 1 - common] == old[old_count - 1 - common]:
            common += 1
        tail, shift = count - common, old_count - count
        old_states = self._states
        states = old_states[:low]
        at, end = old_states[low] if low < len(old_states) else self._start

        def resume(timestamp: float) -> tuple[float, float]:
            moment = next_working_moment(datetime.fromtimestamp(timestamp, zone), hours)
            return moment.timestamp(), at_clock(moment.date(), hours.end, moment).timestamp()

        fresh: dict[Any, tuple[float, float]] = {}
        remember = states.append
        stop = count
        for index in range(low, count):
            if index >= tail and old_states[index + shift] == (at, end):
                stop = index
                break
            item_id, minutes, status = queue[index]
            remember((at, end))
            if status == "active" or status == "waiting":
                continue
            seconds = max(minutes, 0.0) * 60
            if at >= end:
                at, end = resume(at)
            start = at
            while seconds > end - at:
                seconds -= end - at
                at, end = resume(end)
            at += seconds
            fresh[item_id] = (start, at)
        if stop < count:
            states.extend(old_states[stop + shift :])
        else:
            remember((at, end))  # after the last row: where a queue that grows goes on from
        times = dict(self._times)
        for item_id, _, status in old[low : stop + shift]:
            if status != "active":
                times.pop(item_id, None)
        times.update(fresh)
        self._queue, self._states, self._times = list(queue), states, times
        return Etas(times, zone)


# --- promises --------------------------------------------------------------------------------


class Promised(Protocol):
    """What a promise's state depends on (the store's item records fit)."""

    @property
    def status(self) -> str: ...
    @property
    def promise_due_at(self) -> datetime | None: ...
    @property
    def started_at(self) -> datetime | None: ...


class Forecastable(Promised, Protocol):
    @property
    def id(self) -> Any: ...


def promise_state(item: Promised, eta: Eta | None, now: datetime) -> str:
    """One of :data:`PROMISE_STATES` for ``item`` at ``now``, given its ETA."""
    due = item.promise_due_at
    if due is None or item.status in CLOSED_STATUSES:
        return "none"
    if item.status in ("active", "waiting") or (
        item.started_at is not None and item.started_at <= due
    ):
        return "ok"
    if now > due:
        return "broken"
    if eta is not None and eta.start > due:
        return "at_risk"
    return "ok"


@dataclass(frozen=True, slots=True)
class Miss:
    """A time the queue says will be missed, before it is: a due time (the work finishes
    after it) or a promise (the work starts after it), and by how many minutes."""

    what: str
    at: datetime
    by_minutes: float


@dataclass(frozen=True)
class Forecast:
    """What the queue means for each item: when the technician will likely get to it and
    finish it, how its promise stands, and which times it will miss."""

    now: datetime
    etas: Mapping[int, Eta] = field(default_factory=dict)
    states: dict[int, str] = field(default_factory=dict)
    misses: dict[int, Miss] = field(default_factory=dict)
    #: The booked appointments the queue was planned around.
    slots: Sequence[Slot] = field(default=(), compare=False)
    #: The queue and the settings it was forecast from, for :attr:`overload`.
    ranked: Sequence[Ranked[Any]] = field(default=(), repr=False, compare=False)
    settings: Settings | None = field(default=None, repr=False, compare=False)

    @functools.cached_property
    def overload(self) -> Overload:
        """Who the queue will get to after their 3× deadline (worked out when first asked:
        only the views that show it pay for it)."""
        from techqueue.core.guard import Overload, breaches

        if self.settings is None:
            return Overload(self.now, WorkingHours())
        return breaches(self.ranked, self.now, self.settings, slots=self.slots)

    def overload_if_known(self) -> Overload | None:
        """:attr:`overload` when it has been worked out, else ``None`` (without working it
        out): what a screen drawing on the interface's thread may show."""
        known: Overload | None = self.__dict__.get("overload")
        return known

    def breach_at(self, item: Any) -> datetime | None:
        """The item's 3× deadline in working time (``None`` while its clock is stopped, and
        for the job in hand)."""
        known = self.overload.deadline(item.id)
        if known is not None or self.settings is None:
            return known
        from techqueue.core.guard import breach_at

        return breach_at(item, self.now, self.settings.weights, self.settings.hours)

    def will_breach(self, item_id: Any) -> bool:
        """Whether the queue will get to the item after its 3× deadline."""
        return self.overload.will_breach(item_id)

    def miss(self, item_id: int) -> Miss | None:
        """The time this item will miss, the soonest when it would miss two."""
        return self.misses.get(item_id)

    @property
    def will_be_late(self) -> int:
        """How many items the queue says will miss a due time or a promise."""
        return len(self.misses)

    def state(self, item_id: int) -> str:
        return self.states.get(item_id, "none")

    def state_of(self, item: Forecastable) -> str:
        """The promise's state, also for an item outside the queue (deferred, closed)."""
        known = self.states.get(item.id)
        if known is not None:
            return known
        return promise_state(item, None, self.now)

    @property
    def at_risk(self) -> int:
        return sum(1 for state in self.states.values() if state == "at_risk")

    @property
    def broken(self) -> int:
        return sum(1 for state in self.states.values() if state == "broken")

    @classmethod
    def of(
        cls,
        ranked: Iterable[Ranked[Any]],
        spent: Mapping[int, float],
        now: datetime,
        settings: Settings,
        slots: Sequence[Slot] = (),
        *,
        kept: KeptForecast | None = None,
        queue: Sequence[Ranked[Any]] | None = None,
    ) -> Forecast:
        """ETAs and promise states for a ranked queue (or its first places: an item's ETA
        depends only on what ranks above it). ``spent`` is the time already worked on items
        in progress, taken off their estimates. ``slots`` are the booked appointments, which
        other work is planned around. ``kept``: what the last forecast of this queue at the
        same moment worked out, used again for what did not change (the app's re-rank after
        one action); the result is the same. ``queue``: the whole queue, when ``ranked`` is
        its first places only, for the :attr:`overload` (planned over the whole queue:
        who is breached depends on who ranks below too)."""
        weights = settings.weights
        ranked = list(ranked)
        if kept is not None:
            work, promised, dated = kept.work(ranked, spent, weights)
            etas = kept.schedule.etas(work, now, settings.hours, slots)
        else:
            work = []
            promised = []
            dated = []
            for entry in ranked:  # a plain loop: this runs for every open item on every re-rank
                item = entry.item
                estimate = effective_estimate(item, weights)
                if item.id in spent:
                    estimate = remaining_minutes(estimate, spent[item.id])
                work.append((item.id, estimate, item.status))
                if item.promise_due_at is not None:
                    promised.append(item)
                if item.due_at is not None:
                    dated.append(item)
            etas = schedule(work, now, settings.hours, slots)
        states = {item.id: promise_state(item, etas.get(item.id), now) for item in promised}
        misses: dict[int, Miss] = {}
        for item in promised:
            if states[item.id] == "at_risk":
                start = etas[item.id].start
                misses[item.id] = Miss(
                    "promise", item.promise_due_at, _minutes(item.promise_due_at, start)
                )
        for item in dated:
            eta = etas.get(item.id)
            due = item.due_at
            if eta is None or due <= now or eta.finish <= due:
                continue
            known = misses.get(item.id)
            if known is None or due < known.at:
                misses[item.id] = Miss("due", due, _minutes(due, eta.finish))
        return cls(now, etas, states, misses, slots, ranked if queue is None else queue, settings)


#: An item's row in :class:`KeptForecast`: (record, minutes spent, row of work, has a
#: promise, has a due time).
_Row = tuple[Any, float | None, tuple[Any, float, str], bool, bool]


class KeptForecast:
    """What :meth:`Forecast.of` worked out for a queue, kept for the next forecast of the
    same queue at the same moment: each item's row of work (by the record it was made from,
    with the minutes spent on it) and the schedule (:class:`KeptSchedule`)."""

    def __init__(self) -> None:
        #: By the ``id()`` of the record (held in the row, so no other record takes it).
        self.rows: dict[int, _Row] = {}
        #: The keys of the rows made for each item id, of those made with minutes spent,
        #: and of those with a promise or a due time.
        self._keys: dict[Any, set[int]] = {}
        self._spent: set[int] = set()
        self._dated: set[int] = set()
        self.schedule = KeptSchedule()
        #: The statuses of the queue last forecast, in rank order.
        self.statuses: list[str] = []

    def work(
        self, ranked: list[Ranked[Any]], spent: Mapping[int, float], weights: Any
    ) -> tuple[list[tuple[Any, float, str]], list[Any], list[Any]]:
        """The queue's rows of work, and its items with a promise and with a due time, as
        :meth:`Forecast.of` makes them, the rows of the records seen before taken again
        (in whole-list operations: this runs over the whole queue after every action)."""
        rows = self.rows
        # The work done on a job in progress is in its row: a row made with other minutes
        # (or none) is made again.
        for item_id in spent:
            self._spent.update(self._keys.get(item_id, ()))
        for key in list(self._spent):
            row = rows[key]
            if row[1] != spent.get(row[2][0]):
                self._make(key, row[0], spent, weights)
        items = list(map(_ITEM, ranked))
        keys = list(map(id, items))
        found = list(map(rows.get, keys))
        stale = list(itertools.compress(range(len(found)), map(operator.not_, found)))
        if len(stale) > 64:  # a new queue: in one plain loop
            made_for = self._keys
            promised_or_dated = self._dated
            for place in stale:
                item = items[place]
                item_id = item.id
                estimate = effective_estimate(item, weights)
                if item_id in spent:
                    estimate = remaining_minutes(estimate, spent[item_id])
                    self._spent.add(keys[place])
                promise, due = item.promise_due_at is not None, item.due_at is not None
                found[place] = rows[keys[place]] = (
                    item,
                    spent.get(item_id),
                    (item_id, estimate, item.status),
                    promise,
                    due,
                )
                held = made_for.get(item_id)
                if held is None:
                    made_for[item_id] = {keys[place]}
                else:
                    held.add(keys[place])
                if promise or due:
                    promised_or_dated.add(keys[place])
        else:
            for place in stale:
                found[place] = self._make(keys[place], items[place], spent, weights)
        made = cast("list[_Row]", found)  # every place filled
        if len(rows) > 2 * len(keys) + 256:  # records replaced since: forget theirs
            self._forget(set(keys))
        work = list(map(_WORK, made))
        self.statuses = list(map(_STATUS, work))
        promised: list[Any] = []
        dated: list[Any] = []
        if self._dated:
            promised = list(itertools.compress(items, map(_PROMISED, made)))
            dated = list(itertools.compress(items, map(_DATED, made)))
        return work, promised, dated

    def _make(self, key: int, item: Any, spent: Mapping[int, float], weights: Any) -> _Row:
        estimate = effective_estimate(item, weights)
        if item.id in spent:
            estimate = remaining_minutes(estimate, spent[item.id])
        row = self.rows[key] = (
            item,
            spent.get(item.id),
            (item.id, estimate, item.status),
            item.promise_due_at is not None,
            item.due_at is not None,
        )
        self._keys.setdefault(item.id, set()).add(key)
        for kept, held in ((self._spent, row[1] is not None), (self._dated, row[3] or row[4])):
            if held:
                kept.add(key)
            else:
                kept.discard(key)
        return row

    def _forget(self, keep: set[int]) -> None:
        """Only the rows of the records in ``keep``."""
        self.rows = {key: row for key, row in self.rows.items() if key in keep}
        self._keys = {}
        for key, row in self.rows.items():
            self._keys.setdefault(row[2][0], set()).add(key)
        self._spent &= keep
        self._dated &= keep


_ITEM = operator.attrgetter("item")
_STATUS = operator.itemgetter(2)
_WORK, _PROMISED, _DATED = operator.itemgetter(2), operator.itemgetter(3), operator.itemgetter(4)


def _minutes(earlier: datetime, later: datetime) -> float:
    return (later.timestamp() - earlier.timestamp()) / 60


def flag_risk(entry: Ranked[Any], forecast: Forecast) -> None:
    """Say in the promise's reason that it is at risk, and why, so the explanation of the
    rank carries what the header counts."""
    if forecast.state(entry.id) != "at_risk" or not entry.reasons:
        return
    eta = forecast.etas[entry.id]
    start = eta.start.astimezone(forecast.now.tzinfo)
    day = "" if start.date() == forecast.now.date() else f"{start:%a} "
    entry.reasons = tuple(
        reason._replace(detail=f"{reason.detail} — at risk: likely to start {day}{start:%H:%M}")
        if reason.factor == "promise"
        else reason
        for reason in entry.reasons
    )
