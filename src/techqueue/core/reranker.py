"""A ranking kept between calls: one changed item, or a later moment, does not rank the whole
pile from scratch.

:func:`techqueue.scoring.rank` starts from scratch: it reads every item's fields, scores it,
sorts them all and makes an entry for each. :class:`Reranker` keeps, for every item, the
part of its score that does not depend on the clock (its tier, severity value, estimate
divisor, impact, VIP, business cost, bump, "mine", its arrival and deadlines as timestamps,
where its working clock started). Then:

- :meth:`Reranker.changed` and :meth:`Reranker.removed`, at the same moment, move one entry
  (bisection) and renumber the places it passed;
- :meth:`Reranker.at` ranks the same pile at another moment: only the clock-dependent part
  of each score (aging, due time, promise) is worked out, from the kept numbers laid out as
  columns (:class:`_Columns`: a comprehension per group of items of one severity, laid
  out in the last ranking's order), without reading the items; each tier's items are kept
  in the last ranking's order, so Python's sort gets them nearly sorted (a few comparisons
  each). Items deferred until a moment now past come back. Its result is a
  :class:`RankedRows`, whose entries are made when first looked at: a screen showing the
  first rows of 100,000 pays for those rows.

The deadline guard is checked every time (it plans the whole queue; it stops at the first
few rows of a long queue, which is over the overload line): when it moves someone, the
entries it moves are made afresh, numbered and dated as :func:`rank` makes them.

The result is always what ``rank(items, now, weights, explain=False, hours=hours,
guard=guard)`` returns for the same items at the same moment, to the last bit (property
tests check it on random queues, random changes and random later moments). The entries are
shared between the lists :meth:`Reranker.rank` and :meth:`Reranker.changed` return (a change
renumbers the entries it passes), so a caller must not change them (``rank``'s are its own
to change); the rows :meth:`Reranker.at` returns never change once handed out. Pure: the
moment is an argument.
"""

from __future__ import annotations

import bisect
import contextlib
import gc
import math
import operator
from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, tzinfo
from itertools import compress, count, islice, repeat
from typing import TYPE_CHECKING, Any, Generic, cast, overload

from techqueue.core.timeparse import WorkingHours
from techqueue.core.worktime import WorkClock, work_clock
from techqueue.scoring import (
    _ACTIONABLE,
    _APPOINTMENT,
    _CRITICAL,
    _EPSILON_MINUTES,
    _ESTIMATE_REFERENCE_MINUTES,
    _NAMES,
    _OFFSETS,
    _PINNED,
    _QUICK,
    _VIP,
    POINTS_PER_E,
    RANKED_STATUSES,
    SEVERITIES,
    Ranked,
    S,
    Weights,
    _entry_view,
    _guard_plan,
    _sort_tier,
)

if TYPE_CHECKING:
    from techqueue.core.guard import GuardRules

__all__ = ["RankedRows", "Reranker", "kept_of"]


#: What is kept of an item (see :func:`_keep`), by position:
_TIER, _ID, _ITEM, _ACTIVE, _DEFERRED = 0, 13, 14, 15, 16
_Kept = tuple[Any, ...]
#: What :meth:`Reranker.kept` gives, for :meth:`Reranker.taken_up` (see :func:`_laid_out`).
_LaidOut = tuple[Any, ...]


class Reranker(Generic[S]):
    """``rank(..., explain=False)`` of a pile, kept, and moved item by item or in time."""

    def __init__(
        self,
        weights: Weights | None = None,
        *,
        hours: WorkingHours | None = None,
        guard: bool | GuardRules = True,
    ) -> None:
        self.weights = weights or Weights()
        self.hours = hours
        self.guard = guard
        self._now: datetime | None = None
        self._zone: tzinfo | None = None
        self._clock: WorkClock | None = None
        #: What is kept of each item that ranks at ``_now``, by id, in the order the items
        #: came (the order they lie in memory, which is the order they are read fastest in),
        #: and of those deferred past ``_now``, kept for when they return.
        self._held: dict[Any, _Kept] = {}
        self._later: dict[Any, _Kept] = {}
        #: The ids of the active items (the job in hand is the first of them by score).
        self._active: set[Any] = set()
        #: The entries in score order, numbered so (``None`` after :meth:`at`, which makes no
        #: entries of its own: they are made from ``_scored`` when a change needs them).
        self._entries: list[Ranked[S]] | None = []
        #: The kept numbers as columns (``None``: to lay out again from ``_held``, after
        #: :meth:`rank`, or once many items changed), kept in step by each change, and what
        #: :meth:`at` last worked out from them: the slots in score order, the points and
        #: the waits.
        self._columns: _Columns | None = None
        self._scored: tuple[list[int], list[float], _Waits] = ([], [], [])
        #: Sort keys worked out at ``_now`` for the bisections, by ``id()`` of what was kept
        #: (the entries halfway, a quarter of the way ... are looked at by every change).
        self._keys: dict[int, tuple[_Kept, tuple[int, float, float, Any]]] = {}
        #: Taken up from columns kept by another process (:meth:`taken_up`): no ``_held``,
        #: and its active items by id.
        self._taken_up = False
        self._in_progress: dict[Any, S] = {}

    @property
    def now(self) -> datetime | None:
        """The moment the pile was last ranked at (``None`` before the first :meth:`rank`)."""
        return self._now

    def kept(self, plain: Callable[[S], Any]) -> _LaidOut:
        """What is kept of every item, laid out as the columns :meth:`at` ranks from, each
        item itself made plain by ``plain`` (numbers, text and tuples only: what
        :mod:`marshal` writes), for a later process to take up with :meth:`taken_up` instead
        of reading and scoring every item again."""
        now = self._now
        if now is None:
            raise RuntimeError("rank() a pile before keeping it")
        with _collector_paused():
            columns = self._columns if self._taken_up else _Columns(self._held)
            assert columns is not None
            return _laid_out(columns, self._later, now, self.weights, self._clock, plain)

    @classmethod
    def taken_up(
        cls,
        kept: _LaidOut,
        stand_in: Callable[[Any], S],
        now: datetime,
        weights: Weights | None = None,
        *,
        hours: WorkingHours | None = None,
        guard: bool | GuardRules = True,
        changed: Iterable[S] = (),
        gone: Iterable[Any] = (),
    ) -> tuple[Reranker[S], RankedRows[S]]:
        """A ranking made from what :meth:`kept` or :func:`kept_of` gave (by a ranking with
        the same weights and hours, in ``now``'s time zone, at ``now`` or before), each plain
        item replaced by what ``stand_in`` makes of it, the ``changed`` items (new, or new
        versions of items kept) in place of what was kept of them and the items ``gone`` (by
        id) left out; and that pile ranked at ``now``: what ``rank()`` of the items gives,
        without reading them. The stand-ins need only what the deadline guard reads (status,
        severity, estimate, work spent, VIP, pin, appointment).

        The columns are taken up as they were laid out, each tier's slots in the order of
        the moment they were kept at, so the ranking is :meth:`at`'s: the clock-dependent
        part of each score, one pass per column, and a sort of nearly sorted tiers. The
        ranking it returns can be listed (:meth:`items`) and kept again, not moved further.
        Raises ``ValueError`` for what is not a pile this code kept, or one kept after
        ``now`` (an item back from a deferral then may be deferred again)."""
        if not (isinstance(kept, tuple) and len(kept) == 4 and kept[0] == _LAID_OUT_FORMAT):
            raise ValueError("not a pile kept by this code")
        _, kept_at, fields, later_kept = kept
        now_ts = now.timestamp()
        if now_ts < kept_at:
            raise ValueError("the pile was kept at a later moment")
        kept_up = cls(weights, hours=hours, guard=guard)
        with _collector_paused():
            kept_up._now, kept_up._zone, kept_up._taken_up = now, now.tzinfo, True
            clock = kept_up._clock = None if hours is None else work_clock(hours, now.tzinfo)
            # (copies: a change appends to the columns, and what was kept stays as it was)
            columns = _Columns.__new__(_Columns)
            for name, value in zip(_COLUMN_FIELDS, fields, strict=True):
                if name in _ARRAYS:
                    value = array("d", value)
                elif name == "orders":
                    value = [list(order) for order in value]
                elif isinstance(value, list):
                    value = list(value)
                setattr(columns, name, value)
            columns.slot_of = None  # (made when an item is first looked for)
            columns.patches = columns.latest = None  # (made when first scored)
            # Each item still ranked has its slot in its tier's order; the others' slots
            # (changed or removed before it was kept: no item) are scored for nothing.
            items = columns.items
            columns.items = (
                list(map(stand_in, items))
                if None not in items
                else [None if one is None else stand_in(one) for one in items]
            )
            later = kept_up._later
            for one in later_kept:
                later[one[_ID]] = (*one[:_ITEM], stand_in(one[_ITEM]), *one[_ITEM + 1 :])
            changed = list(changed)
            leaving = {*gone, *(item.id for item in changed)}
            if leaving:
                live = columns.slot_of = {
                    columns.ids[slot]: slot for order in columns.orders for slot in order
                }
                for item_id in leaving:
                    if item_id in live:
                        columns.drop(item_id)
                    else:
                        later.pop(item_id, None)
            for one in _keep(changed, kept_up.weights, clock, now_ts):
                deferred = one[_DEFERRED]
                if deferred is not None and deferred > now_ts:
                    later[one[_ID]] = one
                else:
                    columns.add(one)
            for one in [one for one in later.values() if one[_DEFERRED] <= now_ts]:
                del later[one[_ID]]
                columns.add(one)
            # (the active slots are few: each looked at, whether it still ranks: the newest
            # slot of its id once items moved, else one with an item)
            ids, items, slot_of = columns.ids, columns.items, columns.slot_of
            kept_up._in_progress = {
                ids[slot]: items[slot]
                for slot in compress(count(), columns.active)
                if (items[slot] is not None if slot_of is None else slot_of.get(ids[slot]) == slot)
            }
            kept_up._active = set(kept_up._in_progress)
            now_position = 0.0 if clock is None else clock.position(now)
            points, waits = columns.score(now_ts, now_position, kept_up.weights, clock)
            order = columns.sort(points, waits)
            kept_up._columns = columns
            kept_up._entries, kept_up._keys = None, {}
            kept_up._scored = (order, points, waits)
            return kept_up, kept_up._rows(columns, order, points, waits)

    def items(self) -> list[S]:
        """Every item held: those ranked at the last moment and those deferred past it."""
        later = [one[_ITEM] for one in self._later.values()]
        if self._taken_up:
            assert self._columns is not None
            items = self._columns.items
            return [items[slot] for order in self._columns.orders for slot in order] + later
        return [one[_ITEM] for one in self._held.values()] + later

    def may_be_booked(self) -> list[S]:
        """The items held that may have an appointment: those the ranking puts in its
        appointment tiers, and those it does not rank by one (waiting on the customer, or
        deferred past the last moment), for the booked slots to look at: a few of the pile,
        not every item."""
        later = [one[_ITEM] for one in self._later.values()]
        if self._taken_up:
            assert self._columns is not None
            items, orders = self._columns.items, self._columns.orders
            return [items[slot] for tier in _MAY_BE_BOOKED for slot in orders[tier]] + later
        return [
            one[_ITEM]
            for one in self._held.values()
            if one[_TIER] & _APPOINTMENT or one[_TIER] < _ACTIONABLE
        ] + later

    def active(self) -> list[S]:
        """The items held that are in progress (``active``), whether ranked or deferred."""
        later = [one[_ITEM] for one in self._later.values() if one[_ACTIVE]]
        if self._taken_up:
            assert self._columns is not None
            return [*self._in_progress.values(), *later]
        return [self._held[item_id][_ITEM] for item_id in self._active] + later

    def rank(self, items: Iterable[S], now: datetime) -> list[Ranked[S]]:
        """Rank ``items`` at ``now`` from scratch, and keep what that found."""
        self._refuse_taken_up()
        with _collector_paused():
            self._now, self._zone = now, now.tzinfo
            self._clock = None if self.hours is None else work_clock(self.hours, now.tzinfo)
            now_ts = now.timestamp()
            self._held, self._later, self._active = {}, {}, set()
            self._columns = None
            for one in _keep(items, self.weights, self._clock, now_ts):
                self._hold(one, now_ts)
            self._score(now)
            return self._finish()

    def at(self, now: datetime) -> Sequence[Ranked[S]]:
        """The same pile ranked at ``now``: only the clock-dependent part of each score is
        worked out again, from the kept numbers; items deferred until a moment now past come
        back. (An earlier moment than the last ranking's, or one in another time zone with
        working hours, ranks the kept items from scratch.)

        The result is a :class:`RankedRows`: its entries are made as they are looked at, so
        that a caller showing the first rows does not pay for a hundred thousand entries."""
        if self._now is None:
            raise RuntimeError("rank() a pile before ranking it at another moment")
        self._refuse_taken_up()
        if now < self._now or (self.hours is not None and now.tzinfo != self._zone):
            items = [one[_ITEM] for one in (*self._held.values(), *self._later.values())]
            return self.rank(items, now)
        with _collector_paused():
            columns = self._columns
            if columns is None:  # after rank(), or many changes: laid out (again)
                entries = self._entries  # (the last ranking, in score order: every held item)
                columns = self._columns = _Columns(
                    self._held,
                    None
                    if entries is None or len(entries) != len(self._held)
                    else [entry.id for entry in entries],
                )
            self._now = now
            now_ts = now.timestamp()
            for one in [one for one in self._later.values() if one[_DEFERRED] <= now_ts]:
                del self._later[one[_ID]]
                self._hold(one, now_ts)
                columns.add(one)
            now_position = 0.0 if self._clock is None else self._clock.position(now)
            points, waits = columns.score(now_ts, now_position, self.weights, self._clock)
            order = columns.sort(points, waits)
            self._entries, self._keys = None, {}
            self._scored = (order, points, waits)
            return self._rows(columns, order, points, waits)

    def changed(self, item: S) -> list[Ranked[S]]:
        """The ranking once ``item`` (new, or a new version of one held) is as given, at the
        moment of the last ranking; an item that no longer ranks (done, deferred) leaves
        it."""
        now = self._now
        if now is None:
            raise RuntimeError("rank() a pile before changing it")
        self._refuse_taken_up()
        with _collector_paused():
            self._need_entries()
            before = self._remove(item.id)
            after = None
            for one in _keep((item,), self.weights, self._clock, now.timestamp()):
                if self._hold(one, now.timestamp()):
                    after = self._insert(one)
                    if self._columns is not None:
                        self._columns.add(one)
            self._renumber(before, after)
            self._wear()
            return self._finish()

    def removed(self, item_id: Any) -> list[Ranked[S]]:
        """The ranking without the item ``item_id`` (as it was, if it was not held)."""
        if self._now is None:
            raise RuntimeError("rank() a pile before changing it")
        self._refuse_taken_up()
        with _collector_paused():
            self._need_entries()
            self._renumber(self._remove(item_id), None)
            self._wear()
            return self._finish()

    def _refuse_taken_up(self) -> None:
        """A pile taken up (:meth:`taken_up`) holds its items as columns only: ranked once."""
        if self._taken_up:
            raise RuntimeError("a pile taken up is ranked once: take it up again to move it")

    # --- scoring from the kept numbers -------------------------------------------------------

    def _hold(self, one: _Kept, now_ts: float) -> bool:
        """Keep ``one``; whether it ranks at ``now_ts`` (it is not deferred past it)."""
        deferred = one[_DEFERRED]
        if deferred is not None and deferred > now_ts:
            self._later[one[_ID]] = one
            return False
        self._held[one[_ID]] = one
        if one[_ACTIVE]:
            self._active.add(one[_ID])
        return True

    def _score(self, now: datetime) -> None:
        """Score every held item at ``now`` and sort them: each entry made as its item is
        scored, in the order the items came (each one's numbers are then read from memory in
        order, which at 100,000 items is several times faster than in score order), each
        tier sorted on its scores, and the entries numbered."""
        buckets, keys = _entries_at(self._held.values(), now, self.weights, self._clock)
        ranked: list[Ranked[S]] = []
        for tier in range(63, -1, -1):
            entries = buckets[tier]
            if entries:
                _sort_tier(entries, keys[tier])
                ranked += entries
        for place, entry in enumerate(ranked, start=1):
            entry.rank = place
        self._entries = ranked
        self._keys = {}

    # --- keeping the sorted pile -------------------------------------------------------------

    def _key_of(self, one: _Kept) -> tuple[int, float, float, Any]:
        """The sort key of a kept item at the last ranking's moment, as
        :data:`techqueue.scoring._sort_key` sorts."""
        found = self._keys.get(id(one))
        if found is not None and found[0] is one:
            return found[1]
        assert self._now is not None
        buckets, keys = _entries_at((one,), self._now, self.weights, self._clock)
        tier = one[_TIER]
        key = (-tier, keys[tier][0], -buckets[tier][0].waited, one[_ID])
        if len(self._keys) > 4096:
            self._keys.clear()
        self._keys[id(one)] = (one, key)  # (held with it, so that its id() is not reused)
        return key

    def _place_of(self, key: tuple[int, float, float, Any]) -> int:
        """Where an entry of sort key ``key`` is (or goes) in the entries."""
        held, entries = self._held, self._entries
        assert entries is not None
        return bisect.bisect_left(entries, key, key=lambda entry: self._key_of(held[entry.id]))

    def _remove(self, item_id: Any) -> int | None:
        """Take the item out of the sorted pile; the place it had (``None``: it did not
        rank)."""
        if self._later.pop(item_id, None) is not None:
            return None
        old = self._held.get(item_id)
        if old is None:
            return None
        # found by what was kept of it (the item itself may have been changed in place)
        place = self._place_of(self._key_of(old))
        assert self._entries is not None
        del self._held[item_id], self._entries[place]
        if self._columns is not None:
            self._columns.drop(item_id)
        self._active.discard(item_id)
        return place

    def _insert(self, one: _Kept) -> int:
        """Put a kept item (held) in its place in the sorted pile; that place."""
        assert self._now is not None
        buckets, _ = _entries_at((one,), self._now, self.weights, self._clock)
        entry = buckets[one[_TIER]][0]
        place = self._place_of(self._key_of(one))
        entry.rank = place + 1
        assert self._entries is not None
        self._entries.insert(place, entry)
        return place

    def _renumber(self, before: int | None, after: int | None) -> None:
        """Number the entries again between the places an item left and took."""
        entries = self._entries
        assert entries is not None
        if before is None and after is None:
            return
        low = min(place for place in (before, after) if place is not None)
        # one entry fewer or more: every place after it moves
        high = len(entries) - 1 if before is None or after is None else max(before, after)
        for place in range(low, min(high, len(entries) - 1) + 1):
            entries[place].rank = place + 1

    def _wear(self) -> None:
        """Let the columns go once enough of their slots are out of their groups (the next
        :meth:`at` lays them out again)."""
        if self._columns is not None and self._columns.worn():
            self._columns = None

    def _need_entries(self) -> None:
        """Make the entries :meth:`at` left unmade, for a change to move one of them: fresh
        ones, numbered, never those a :class:`RankedRows` handed out (a change renumbers the
        entries it passes, and a caller's rows must not change under it)."""
        if self._entries is not None:
            return
        columns = self._columns
        assert columns is not None
        order, points, waits = self._scored
        # (rows of its own, never handed out: all made at once, in memory order)
        rows = RankedRows[S](order, columns.ids, columns.items, columns.tiers, points, waits)
        self._entries = list(rows)

    def _rows(
        self, columns: _Columns, order: list[int], points: list[float], waits: _Waits
    ) -> RankedRows[S]:
        """The rows of :meth:`at`, in the order the deadline guard leaves them: as
        :meth:`_finish`, on the columns' slots instead of entries."""
        now, weights = self._now, self.weights
        assert now is not None
        plain = RankedRows[S](order, columns.ids, columns.items, columns.tiers, points, waits)
        if self.guard is False or not weights.deadline_guard:
            return plain
        actionable = columns.actionable()
        if actionable < 2:
            return plain
        in_hand = None
        if self._active:  # the job in hand: the first active item by score
            with contextlib.suppress(ValueError):
                in_hand = operator.indexOf(map(columns.active.__getitem__, order), True)
        items = columns.items

        def view(place: int) -> tuple[Any, float]:
            slot = order[place]
            return items[slot], waits[slot]

        planned = _guard_plan(
            range(actionable),
            in_hand,
            view=view,
            now=now,
            weights=weights,
            clock=self._clock,
            rules=None if self.guard is True else self.guard,
            limit=None,
        )
        if planned is None:
            return plain
        moved, pulled = planned
        start_by = dict(pulled)
        return RankedRows[S](
            [order[place] for place in moved] + order[actionable:],
            columns.ids,
            columns.items,
            columns.tiers,
            points,
            waits,
            {place: start_by[old] for place, old in enumerate(moved) if old in start_by},
        )

    # --- the result ----------------------------------------------------------------------------

    def _finish(self) -> list[Ranked[S]]:
        """The entries in order: the kept ones, unless the deadline guard moves someone."""
        now, weights, entries = self._now, self.weights, self._entries
        assert now is not None
        assert entries is not None
        if self.guard is False or not weights.deadline_guard:
            return list(entries)
        actionable = bisect.bisect_left(entries, True, key=_is_waiting)
        if actionable < 2:
            return list(entries)
        in_hand = None
        if self._active:  # the job in hand: the first active item by score
            with contextlib.suppress(ValueError):
                in_hand = operator.indexOf(map(_status_of, entries[:actionable]), "active")
        planned = _guard_plan(
            entries[:actionable],
            in_hand,
            view=_entry_view,
            now=now,
            weights=weights,
            clock=self._clock,
            rules=None if self.guard is True else self.guard,
            limit=None,
        )
        if planned is None:
            return list(entries)
        order, pulled = planned
        start_by = {id(entry): moment for entry, moment in pulled}
        result = list(entries)
        for place, entry in enumerate(order):
            moment = start_by.get(id(entry))
            if entry is not entries[place] or moment is not None:
                entry = Ranked(
                    entry.id, entry.item, place + 1, entry.score, entry.tier, (), entry.waited
                )
                entry.must_start_by = moment
            result[place] = entry
        return result


_status_of = operator.attrgetter("item.status")


def _is_waiting(entry: Ranked[Any]) -> bool:
    return entry.tier == "waiting"


def kept_of(
    items: Iterable[S],
    now: datetime,
    weights: Weights | None = None,
    *,
    hours: WorkingHours | None = None,
    plain: Callable[[S], Any],
) -> _LaidOut:
    """What a :class:`Reranker` ranking ``items`` at ``now`` would keep of them, as
    :meth:`Reranker.kept` gives it, without ranking them (what a whole read leaves for the
    next command to take up)."""
    weights = weights or Weights()
    clock = None if hours is None else work_clock(hours, now.tzinfo)
    now_ts = now.timestamp()
    with _collector_paused():
        held: dict[Any, _Kept] = {}
        later: dict[Any, _Kept] = {}
        for one in _keep(items, weights, clock, now_ts):  # (as Reranker._hold holds them)
            deferred = one[_DEFERRED]
            (later if deferred is not None and deferred > now_ts else held)[one[_ID]] = one
        return _laid_out(_Columns(held), later, now, weights, clock, plain)


def _laid_out(
    columns: _Columns,
    later: dict[Any, _Kept],
    now: datetime,
    weights: Weights,
    clock: WorkClock | None,
    plain: Callable[[Any], Any],
) -> _LaidOut:
    """``columns`` and the items deferred past ``now`` (``later``) as :mod:`marshal` writes
    them, each tier's slots sorted at ``now`` first (the next sort, a little later, then
    finds them nearly sorted): ``(format, now's timestamp, the columns' fields, the deferred
    items kept)``."""
    now_ts = now.timestamp()
    points, waits = columns.score(
        now_ts, 0.0 if clock is None else clock.position(now), weights, clock
    )
    columns.sort(points, waits)
    fields = [
        getattr(columns, name).tobytes() if name in _ARRAYS else getattr(columns, name)
        for name in _COLUMN_FIELDS
    ]
    live = {slot for order in columns.orders for slot in order}
    fields[_COLUMN_FIELDS.index("items")] = [
        plain(item) if slot in live else None for slot, item in enumerate(columns.items)
    ]
    return (
        _LAID_OUT_FORMAT,
        now_ts,
        tuple(fields),
        [(*one[:_ITEM], plain(one[_ITEM]), *one[_ITEM + 1 :]) for one in later.values()],
    )


def _keep(
    items: Iterable[Any], weights: Weights, clock: WorkClock | None, now_ts: float
) -> list[_Kept]:
    """What each item's score at any moment is made of, for the items whose status ranks:
    ``(tier, value, 1 / target, value x quadratic aging, estimate divisor, multipliers, due
    timestamp, promise timestamp, points of the bump, points of "mine", arrival timestamp,
    minutes waited before its clock's start, its clock's start on the working clock, id,
    item, active, deferred-until timestamp)``: the numbers
    :func:`techqueue.scoring._score_entries` works out, each the same way, so that
    :func:`_entries_at` gives its scores to the last bit. (An item of an unknown severity
    deferred past ``now_ts`` is left out, as :func:`techqueue.scoring.rank` leaves it out
    then.)"""
    quadratic = weights.aging_quadratic
    per_severity = {
        severity: (
            weights.severity_value[severity],
            1.0 / weights.response_target_minutes[severity],
            weights.default_estimate_minutes[severity],
            weights.severity_value[severity] * quadratic,
        )
        for severity in SEVERITIES
    }
    exponent = weights.estimate_exponent
    unit_exponent = exponent == 1.0  # (x ** 1.0 is x exactly: the power is left out)
    quick, outage_people = weights.quick_win_minutes, weights.outage_people
    vip_tier = weights.vip_tier
    impact_weight, vip_weight = weights.impact_weight, weights.vip_weight
    bump_points = POINTS_PER_E * math.log(weights.bump_factor)
    cost_factors: dict[str | None, float] = {"high": weights.cost_high, "low": weights.cost_low}
    mine_points = weights.mine * bump_points
    reference, epsilon = _ESTIMATE_REFERENCE_MINUTES, _EPSILON_MINUTES
    kept: list[_Kept] = []
    for item in items:
        status = item.status
        if status not in RANKED_STATUSES:
            continue
        severity = item.severity
        try:
            value, inverse_target, default, value_quadratic = per_severity[severity]
        except KeyError:
            deferred = item.deferred_until
            if deferred is not None and deferred.timestamp() > now_ts:
                continue  # not ranked at ``now_ts``, so not judged, as rank() leaves it
            raise ValueError(f"item {item.id!r}: unknown severity {severity!r}") from None
        estimate = item.estimate_minutes
        if estimate is None:
            estimate = default
        elif estimate < epsilon:
            estimate = epsilon
        impact = item.impact
        vip = item.vip
        cost = cost_factors.get(getattr(item, "cost", None))
        multipliers: tuple[float, ...] = ()
        if impact > 1 or (vip and not vip_tier) or cost is not None:  # in this order
            if impact > 1:
                multipliers += (1.0 + impact_weight * math.log2(impact),)
            if vip and not vip_tier:
                multipliers += (vip_weight,)
            if cost is not None:
                multipliers += (cost,)
        deferred = item.deferred_until
        received = item.received_at
        base, since_position = 0.0, None
        if clock is not None:
            base = getattr(item, "waited_minutes", 0.0) or 0.0
            if status != "waiting":
                since = getattr(item, "clock_at", None) or received
                if deferred is not None and deferred > since:
                    since = deferred
                since_position = clock.position(since)
        due, promise = item.due_at, item.promise_due_at
        bump = item.bump
        tier = (
            (
                0
                if status == "waiting"
                else _ACTIONABLE
                | (_APPOINTMENT if getattr(item, "appointment_at", None) is not None else 0)
            )
            | (_PINNED if item.pinned else 0)
            | (
                _CRITICAL
                if vip_tier and severity == "critical" and (vip or impact >= outage_people)
                else 0
            )
            | (_VIP if vip and vip_tier else 0)
            | (_QUICK if estimate <= quick else 0)
        )
        kept.append(
            (
                tier,
                value,
                inverse_target,
                value_quadratic,
                estimate / reference if unit_exponent else (estimate / reference) ** exponent,
                multipliers,
                None if due is None else due.timestamp(),
                None if promise is None else promise.timestamp(),
                bump * bump_points if bump else None,
                mine_points if mine_points and getattr(item, "mine", False) else None,
                received.timestamp(),
                base,
                since_position,
                item.id,
                item,
                status == "active",
                None if deferred is None else deferred.timestamp(),
            )
        )
    return kept


def _entries_at(
    kept: Iterable[_Kept], now: datetime, weights: Weights, clock: WorkClock | None
) -> tuple[list[list[Ranked[Any]]], list[list[float]]]:
    """The entries of the kept items at ``now``, not yet numbered, by tier (0 to 63), and
    each one's sort key in its tier (its points, negated): the clock-dependent part of
    :func:`techqueue.scoring._score_entries`, operation for operation."""
    now_ts = now.timestamp()
    now_position = 0.0 if clock is None else clock.position(now)
    linear = weights.aging_linear
    horizon = weights.deadline_horizon_minutes
    due_weight, promise_weight = weights.due_weight, weights.promise_weight
    log = math.log
    offsets, names = _OFFSETS, _NAMES
    make = Ranked
    no_reasons = ()
    buckets: list[list[Ranked[Any]]] = [[] for _ in range(64)]
    keys: list[list[float]] = [[] for _ in range(64)]
    add_entry = [bucket.append for bucket in buckets]
    add_key = [bucket.append for bucket in keys]
    for (
        tier,
        value,
        inverse_target,
        value_quadratic,
        divisor,
        multipliers,
        due,
        promise,
        bump,
        mine,
        received,
        wait,
        since,
        item_id,
        item,
        _,
        _,
    ) in kept:
        if clock is None:
            wait = (now_ts - received) / 60.0
        elif since is not None:
            ran = now_position - since
            if ran > 0:
                wait += ran
        ratio = wait * inverse_target if wait > 0 else 0.0
        factor = value * (1.0 + linear * ratio)
        if ratio > 1.0:
            factor += value_quadratic * (ratio - 1.0) * (ratio - 1.0)
        factor /= divisor
        if multipliers:
            for multiplier in multipliers:
                factor *= multiplier
        if due is not None:
            left = (due - now_ts) / 60.0
            factor *= 1.0 + due_weight * (
                horizon / (horizon + left) if left >= 0 else 1.0 - left / horizon
            )
        if promise is not None:
            left = (promise - now_ts) / 60.0
            factor *= 1.0 + promise_weight * (
                horizon / (horizon + left) if left >= 0 else 1.0 - left / horizon
            )
        points = POINTS_PER_E * log(factor)
        if bump is not None:
            points += bump
        if mine is not None:
            points += mine
        add_entry[tier](
            make(item_id, item, 0, offsets[tier] + points, names[tier], no_reasons, wait)
        )
        add_key[tier](-points)
    return buckets, keys


class _collector_paused:
    """The cyclic collector off while entries are made (see :func:`techqueue.scoring.rank`)."""

    def __enter__(self) -> None:
        self.collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.collecting:
            gc.enable()


class _Columns:
    """The kept numbers of the held items as columns, one list per number, an item's numbers
    at one index (its slot), for :meth:`Reranker.at`: a pass down a list of floats is a
    comprehension, several times faster than unpacking a tuple per item in a loop.

    The slots are laid out in groups of one severity (whose value, target and quadratic
    weight are then constants of the pass) and one kind: no multiplier, due time or promise;
    a due time only, or a promise only (whose factor is multiplied in the same pass); the
    others (whose factor is patched before its log is taken). Within a group, in the order
    of the last ranking when there is one (``ranked``: the held items' ids in score order),
    else in the order the items are held. Each tier's slots are kept in the order of the
    last ranking, so that at the next moment they come to the sort nearly sorted (curves
    cross now and then) and the sort is a few comparisons per slot; laid out in score order,
    a tier's slots in its order are a few runs up each group's slots, so the sort (which
    reads each slot's points by its number), and all that reads the slots in score order,
    reads memory in a few streams rather than all over it (at 100,000 items the sort took
    9 ms from slots laid out in the order the items came, 6 ms from slots laid out in score
    order). The numbers only some items have are kept as (slot, number) pairs. The lists
    are only ever appended to (an item back from a deferral gets a slot after the groups,
    scored with its own numbers), so the rows handed out, which read ``ids``, ``items`` and
    ``tiers`` by slot, never see them change: a change lays out new columns."""

    __slots__ = (
        "active",
        "bases",
        "bumps",
        "divisors",
        "dropped",
        "dues",
        "grouped",
        "groups",
        "ids",
        "inverse_targets",
        "items",
        "latest",
        "mines",
        "moments",
        "multiplied",
        "orders",
        "patches",
        "promises",
        "quadratics",
        "received",
        "since",
        "slot_of",
        "tiers",
        "values",
    )

    def __init__(self, held: dict[Any, _Kept], ranked: Iterable[Any] | None = None) -> None:
        by_group: dict[tuple[float, float, float, int], list[_Kept]] = {}
        for one in held.values() if ranked is None else map(held.__getitem__, ranked):
            due, promise = one[6] is not None, one[7] is not None
            kind = (
                _PATCHED
                if one[5] or (due and promise)
                else _DUE
                if due
                else _PROMISE
                if promise
                else _PLAIN
            )
            key = (one[1], one[2], one[3], kind)
            found = by_group.get(key)
            if found is None:
                by_group[key] = [one]
            else:
                found.append(one)
        kept: list[_Kept] = []
        #: (first slot, end, value, 1 / target, value x quadratic, kind) of each group.
        self.groups: list[tuple[int, int, float, float, float, int]] = []
        for (value, inverse_target, quadratic, kind), ones in by_group.items():
            self.groups.append(
                (len(kept), len(kept) + len(ones), value, inverse_target, quadratic, kind)
            )
            kept += ones
        #: Slots from here on (items back from a deferral) are in no group.
        self.grouped = len(kept)
        self.tiers: list[int] = []
        self.values: list[float] = []
        self.inverse_targets: list[float] = []
        self.quadratics: list[float] = []
        # (the floats the pass reads for every slot as arrays of doubles: read in order from
        # one block of memory, not each from a float object wherever it was made)
        self.divisors: array[float] = array("d")
        self.received: array[float] = array("d")
        self.bases: list[float] = []
        self.since: list[float | None] = []
        self.moments: array[float] = array("d")
        self.ids: list[Any] = []
        self.items: list[Any] = []
        self.active: list[bool] = []
        self.multiplied: list[tuple[int, tuple[float, ...]]] = []
        self.dues: list[tuple[int, float]] = []
        self.promises: list[tuple[int, float]] = []
        self.bumps: list[tuple[int, float]] = []
        self.mines: list[tuple[int, float]] = []
        if kept:
            (
                tiers,
                values,
                inverse_targets,
                quadratics,
                divisors,
                multipliers,
                dues,
                promises,
                bumps,
                mines,
                received,
                bases,
                since,
                ids,
                items,
                active,
                _,
            ) = (list(column) for column in zip(*kept, strict=True))
            self.tiers, self.values = tiers, values
            self.inverse_targets, self.quadratics = inverse_targets, quadratics
            self.divisors, self.received = array("d", divisors), array("d", received)
            self.bases, self.since = bases, since
            self.ids, self.items, self.active = ids, items, active
            #: the due time or promise of a slot in a group of either kind, for its pass
            #: (not a number for the others, which never read it)
            self.moments = array(
                "d",
                [
                    due if due is not None else promise if promise is not None else math.nan
                    for due, promise in zip(dues, promises, strict=True)
                ],
            )
            # the patched groups' numbers, by slot
            patched = {
                slot
                for first, end, _, _, _, kind in self.groups
                if kind == _PATCHED
                for slot in range(first, end)
            }
            self.multiplied = [(slot, one) for slot, one in enumerate(multipliers) if one]
            self.dues = [
                (slot, one) for slot, one in enumerate(dues) if one is not None and slot in patched
            ]
            self.promises = [
                (slot, one)
                for slot, one in enumerate(promises)
                if one is not None and slot in patched
            ]
            self.bumps = [(slot, one) for slot, one in enumerate(bumps) if one is not None]
            self.mines = [(slot, one) for slot, one in enumerate(mines) if one is not None]
        # Each tier's slots, in the order they are laid out: the first sort is a whole one
        # (putting them in the last ranking's order, each entry read where it lies, costs
        # more), and each sort after it leaves them in that moment's order for the next.
        self.orders: list[list[int]] = [[] for _ in range(64)]
        orders = self.orders
        for slot, tier in enumerate(self.tiers):
            orders[tier].append(slot)
        #: Each item's slot by id, made when a change first asks (``None``: not yet).
        self.slot_of: dict[Any, int] | None = None
        #: Slots of items changed or removed since, no longer in any tier's order.
        self.dropped = 0
        #: The patched slots' numbers as :meth:`score` patches them, and each group's latest
        #: arrival (``None``: not yet worked out).
        self.patches: _Patches | None = None
        self.latest: list[float] | None = None

    def add(self, one: _Kept) -> None:
        """Hold one more item (back from a deferral): a slot at the end, in no group, last in
        its tier (the next sort puts it in its place)."""
        slot = len(self.ids)
        tier = one[_TIER]
        self.tiers.append(tier)
        self.values.append(one[1])
        self.inverse_targets.append(one[2])
        self.quadratics.append(one[3])
        self.divisors.append(one[4])
        self.moments.append(math.nan)  # (in no group: patched)
        patches = self.patches
        if one[5]:
            self.multiplied.append((slot, one[5]))
            if patches is not None:
                patches.multiplied(slot, one[5])
        for number, pairs in ((6, self.dues), (7, self.promises), (8, self.bumps), (9, self.mines)):
            if one[number] is not None:
                pairs.append((slot, one[number]))
                if patches is not None:
                    slots, numbers = (
                        patches.dues,
                        patches.promises,
                        patches.bumps,
                        patches.mines,
                    )[number - 6]
                    slots.append(slot)
                    numbers.append(one[number])
        self.received.append(one[10])
        self.bases.append(one[11])
        self.since.append(one[12])
        self.ids.append(one[_ID])
        self.items.append(one[_ITEM])
        self.active.append(one[_ACTIVE])
        self.orders[tier].append(slot)
        if self.slot_of is not None:
            self.slot_of[one[_ID]] = slot

    def drop(self, item_id: Any) -> None:
        """Take a held item out (changed: it comes back with :meth:`add`; or removed): its
        slot stays, scored with the others, in no tier's order, so in no ranking."""
        if self.slot_of is None:
            self.slot_of = dict(zip(self.ids, range(len(self.ids)), strict=True))
        slot = self.slot_of.pop(item_id)
        self.orders[self.tiers[slot]].remove(slot)
        self.dropped += 1

    def worn(self) -> bool:
        """Whether enough slots are out of their groups (items changed, removed or back from
        a deferral, each scored on its own and the dropped ones for nothing) to lay the
        columns out again."""
        return (self.dropped + len(self.ids) - self.grouped) * 8 > len(self.ids) + 64

    def score(
        self, now_ts: float, now_position: float, weights: Weights, clock: WorkClock | None
    ) -> tuple[list[float], _Waits]:
        """Every slot's points (its score less its tier's offset) and wait at a moment: what
        :func:`_entries_at` works out, operation for operation, a column at a time. On the
        wall clock the waits are not kept as a list: each is worked out again, the same way,
        for the few that are looked at (the rows shown, ties, the guard's first rows).

        A group's pass works out its slots' points whole (its due time's or promise's factor
        multiplied in, as :func:`_entries_at` multiplies it, before the ``log``); the patched
        ones' factors are then multiplied, a step at a time in :func:`_entries_at`'s order
        (each multiplier, the due time's factor, the promise's), by passes in C over the
        slots that have the step (:func:`_scale`), before their ``log``; bump and "mine" are
        added after it (:func:`_shift`)."""
        waits: _Waits
        if clock is None:
            waits = _WallWaits(self.received, now_ts)
            source: Sequence[float] = self.received
        else:
            waits = source = [
                base
                if since is None
                else (base + (now_position - since) if now_position - since > 0 else base)
                for base, since in zip(self.bases, self.since, strict=True)
            ]
        linear, divisors, moments = weights.aging_linear, self.divisors, self.moments
        wall = clock is None
        horizon = weights.deadline_horizon_minutes
        weight_of = {_DUE: weights.due_weight, _PROMISE: weights.promise_weight}
        # The points of the groups in slot order; a patched group's factors for now.
        points: list[float] = []
        latest = self.latest
        if wall and latest is None:
            latest = self.latest = [
                _latest(self.received[first:end]) for first, end, *_ in self.groups
            ]
        for group, (first, end, value, inverse_target, quadratic, kind) in enumerate(self.groups):
            points += _group_points(
                source[first:end],
                divisors[first:end],
                (value, inverse_target, quadratic, linear, now_ts),
                wall=wall,
                # (every wait of the group is then above 0: the latest arrival's is, and the
                # others' are as long or longer, each worked out the same way)
                arrived=wall and latest is not None and (now_ts - latest[group]) / 60.0 > 0.0,
                factors=kind == _PATCHED,
                deadlines=(
                    (moments[first:end], weight_of[kind], horizon)
                    if kind in (_DUE, _PROMISE)
                    else None
                ),
            )
        grouped = self.grouped
        if grouped < len(divisors):  # (no group: each with its own severity's numbers)
            points += _loose_factors(self, grouped, source, linear, now_ts, wall=wall)
        patches = self.patches
        if patches is None:
            patches = self.patches = _Patches(self)
        for slots, multipliers in patches.multipliers:
            _scale(points, slots, multipliers)
        for (slots, moments_of), weight in (
            (patches.dues, weights.due_weight),
            (patches.promises, weights.promise_weight),
        ):
            if slots:
                _scale(
                    points,
                    slots,
                    [
                        1.0
                        + weight
                        * (horizon / (horizon + left) if left >= 0 else 1.0 - left / horizon)
                        for moment in moments_of
                        for left in ((moment - now_ts) / 60.0,)
                    ],
                )
        log, points_per_e = math.log, POINTS_PER_E
        for first, end, _, _, _, kind in self.groups:
            if kind == _PATCHED:
                points[first:end] = [points_per_e * log(factor) for factor in points[first:end]]
        points[grouped:] = [points_per_e * log(factor) for factor in points[grouped:]]
        for slots, more in (patches.bumps, patches.mines):
            if slots:
                _shift(points, slots, more)
        return points, waits

    def sort(self, points: list[float], waits: _Waits) -> list[int]:
        """Each tier's slots sorted on their points (higher first), kept so for the next
        moment; all the slots in score order. Where two have the same points, the longer
        wait, then the id decides, as :func:`techqueue.scoring._sort_tier` sorts.

        Equal points are next to each other once sorted: as soon as a tier is sorted (what
        it read still in the cache), its points are read in their new order and compared
        with the next ones (passes in C), and only a tier with a run of equal points has its
        runs put in order. (A ``set`` of all the points, which hashes each float into a table
        of megabytes, said as much for more, and before the sorts it pushed out of the cache
        what they read.)"""
        by_points = points.__getitem__
        ids = self.ids
        order: list[int] = []
        for tier in range(63, -1, -1):
            slots = self.orders[tier]
            if not slots:
                continue
            slots.sort(key=by_points, reverse=True)
            found = list(map(by_points, slots))
            if any(map(operator.eq, found, islice(found, 1, None))):
                _order_ties(slots, found, waits, ids)
            order += slots
        return order

    def actionable(self) -> int:
        """How many slots can be worked on (the first ones in score order)."""
        return sum(len(self.orders[tier]) for tier in range(_ACTIONABLE, 64))


def _order_ties(slots: list[int], found: list[float], waits: _Waits, ids: list[Any]) -> None:
    """``slots``, sorted on their points (``found``, in the same order), put in the order of
    the whole key, as :func:`techqueue.scoring._sort_tier` sorts: within each run of equal
    points, the longer wait first, then the id. Only the runs are sorted (a queue of copies,
    an import of a thousand alike, has runs all through a tier; the key of every slot in a
    tier, made in Python, cost a queue of 10,000 ~5 ms)."""
    start = last = -2
    for place in compress(count(), map(operator.eq, found, islice(found, 1, None))):
        if place != last + 1:  # a run begins (the one before ended at ``last + 1``)
            if start >= 0:
                slots[start : last + 2] = sorted(
                    slots[start : last + 2], key=lambda slot: (-waits[slot], ids[slot])
                )
            start = place
        last = place
    if start >= 0:
        slots[start : last + 2] = sorted(
            slots[start : last + 2], key=lambda slot: (-waits[slot], ids[slot])
        )


#: The tiers whose items may have an appointment: the appointment tiers, and those of the
#: items not ranked by one (waiting on the customer).
_MAY_BE_BOOKED = tuple(tier for tier in range(64) if tier & _APPOINTMENT or tier < _ACTIONABLE)

#: What :meth:`Reranker.kept` gives starts with this: another code's columns are not taken up.
_LAID_OUT_FORMAT = "techqueue reranker columns 1"
#: The columns' fields as kept, in this order (each item's slot is looked up again; what is
#: made from them when first needed is not kept).
_COLUMN_FIELDS = tuple(
    name for name in _Columns.__slots__ if name not in ("latest", "patches", "slot_of")
)
#: The fields that are arrays of doubles, kept as their bytes.
_ARRAYS = frozenset({"divisors", "moments", "received"})


def _group_points(
    source: Sequence[float],
    divisors: Sequence[float],
    numbers: tuple[float, float, float, float, float],
    *,
    wall: bool,
    factors: bool,
    deadlines: tuple[Sequence[float], float, float] | None = None,
    arrived: bool = False,
) -> list[float]:
    """The points of a group of one severity (``factors``: the factors, to be patched
    before their log is taken; ``deadlines``: each one's due time or promise, with its
    weight and the horizon, whose factor is multiplied in before the log), from the arrivals
    (``wall``: the wait is worked out here, on the wall clock) or the waits: the aging of
    :func:`_entries_at`, operation for operation, written out once per case, since a
    comprehension is the fast loop and it cannot call out for a part of its body without
    paying for the call. (The comparisons are with ``0.0``: a float compared with a float
    is the interpreter's quick path, and the same answer as with ``0``.) On the wall clock
    with every arrival before ``now_ts`` (``arrived``: each wait above 0), the wait is not
    compared with 0 at all: its ratio is the wait times ``1 / target`` as it would be."""
    if wall and arrived:
        return _arrived_points(source, divisors, numbers, factors=factors, deadlines=deadlines)
    value, inverse_target, quadratic, linear, now_ts = numbers
    log, points_per_e = math.log, POINTS_PER_E
    if deadlines is not None:
        moments, weight, horizon = deadlines
        if wall:
            return [
                points_per_e
                * log(
                    (
                        value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                        if ratio > 1.0
                        else value * (1.0 + linear * ratio)
                    )
                    / divisor
                    * (
                        1.0
                        + weight
                        * (horizon / (horizon + left) if left >= 0.0 else 1.0 - left / horizon)
                    )
                )
                for received, divisor, moment in zip(source, divisors, moments, strict=True)
                for wait in ((now_ts - received) / 60.0,)
                for ratio in (wait * inverse_target if wait > 0.0 else 0.0,)
                for left in ((moment - now_ts) / 60.0,)
            ]
        return [
            points_per_e
            * log(
                (
                    value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                    if ratio > 1.0
                    else value * (1.0 + linear * ratio)
                )
                / divisor
                * (
                    1.0
                    + weight * (horizon / (horizon + left) if left >= 0.0 else 1.0 - left / horizon)
                )
            )
            for wait, divisor, moment in zip(source, divisors, moments, strict=True)
            for ratio in (wait * inverse_target if wait > 0.0 else 0.0,)
            for left in ((moment - now_ts) / 60.0,)
        ]
    pairs = zip(source, divisors, strict=True)
    if wall and factors:
        return [
            (
                value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                if ratio > 1.0
                else value * (1.0 + linear * ratio)
            )
            / divisor
            for received, divisor in pairs
            for wait in ((now_ts - received) / 60.0,)
            for ratio in (wait * inverse_target if wait > 0.0 else 0.0,)
        ]
    if wall:
        return [
            points_per_e
            * log(
                (
                    value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                    if ratio > 1.0
                    else value * (1.0 + linear * ratio)
                )
                / divisor
            )
            for received, divisor in pairs
            for wait in ((now_ts - received) / 60.0,)
            for ratio in (wait * inverse_target if wait > 0.0 else 0.0,)
        ]
    if factors:
        return [
            (
                value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                if ratio > 1.0
                else value * (1.0 + linear * ratio)
            )
            / divisor
            for wait, divisor in pairs
            for ratio in (wait * inverse_target if wait > 0.0 else 0.0,)
        ]
    return [
        points_per_e
        * log(
            (
                value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                if ratio > 1.0
                else value * (1.0 + linear * ratio)
            )
            / divisor
        )
        for wait, divisor in pairs
        for ratio in (wait * inverse_target if wait > 0.0 else 0.0,)
    ]


def _arrived_points(
    source: Sequence[float],
    divisors: Sequence[float],
    numbers: tuple[float, float, float, float, float],
    *,
    factors: bool,
    deadlines: tuple[Sequence[float], float, float] | None,
) -> list[float]:
    """:func:`_group_points` on the wall clock for a group whose items have all arrived
    (each wait above 0, so each ratio is ``wait * inverse_target``): the same operations,
    without the comparison with 0."""
    value, inverse_target, quadratic, linear, now_ts = numbers
    log, points_per_e = math.log, POINTS_PER_E
    if deadlines is not None:
        moments, weight, horizon = deadlines
        return [
            points_per_e
            * log(
                (
                    value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                    if ratio > 1.0
                    else value * (1.0 + linear * ratio)
                )
                / divisor
                * (
                    1.0
                    + weight * (horizon / (horizon + left) if left >= 0.0 else 1.0 - left / horizon)
                )
            )
            for received, divisor, moment in zip(source, divisors, moments, strict=True)
            for ratio in ((now_ts - received) / 60.0 * inverse_target,)
            for left in ((moment - now_ts) / 60.0,)
        ]
    pairs = zip(source, divisors, strict=True)
    if factors:
        return [
            (
                value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                if ratio > 1.0
                else value * (1.0 + linear * ratio)
            )
            / divisor
            for received, divisor in pairs
            for ratio in ((now_ts - received) / 60.0 * inverse_target,)
        ]
    return [
        points_per_e
        * log(
            (
                value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                if ratio > 1.0
                else value * (1.0 + linear * ratio)
            )
            / divisor
        )
        for received, divisor in pairs
        for ratio in ((now_ts - received) / 60.0 * inverse_target,)
    ]


def _latest(received: Sequence[float]) -> float:
    """The latest of a group's arrivals (infinite, never before any moment, when one is not
    a number: its wait is not above 0, and the pass that compares it says so)."""
    return math.inf if any(map(math.isnan, received)) else max(received)


def _loose_factors(
    columns: _Columns,
    first: int,
    source: Sequence[float],
    linear: float,
    now_ts: float,
    *,
    wall: bool,
) -> list[float]:
    """The factors (to be patched, as a patched group's) of the slots from ``first`` on,
    those in no group (items back from a deferral, or changed): each with its own severity's
    numbers, read from their columns, in one pass."""
    numbers = zip(
        source[first:],
        columns.divisors[first:],
        columns.values[first:],
        columns.inverse_targets[first:],
        columns.quadratics[first:],
        strict=True,
    )
    if wall:
        return [
            (
                value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
                if ratio > 1.0
                else value * (1.0 + linear * ratio)
            )
            / divisor
            for received, divisor, value, inverse_target, quadratic in numbers
            for wait in ((now_ts - received) / 60.0,)
            for ratio in (wait * inverse_target if wait > 0.0 else 0.0,)
        ]
    return [
        (
            value * (1.0 + linear * ratio) + quadratic * (ratio - 1.0) * (ratio - 1.0)
            if ratio > 1.0
            else value * (1.0 + linear * ratio)
        )
        / divisor
        for wait, divisor, value, inverse_target, quadratic in numbers
        for ratio in (wait * inverse_target if wait > 0.0 else 0.0,)
    ]


class _Patches:
    """What :meth:`_Columns.score` patches, step by step, as pairs of lists (the slots, and
    each one's number) for passes in C (:func:`_scale`, :func:`_shift`): the ``k``-th
    multiplier of each slot that has one, the due times and promises of the slots not
    scored with them in their group's pass, the bumps and "mine" points. Made from the
    columns' pairs when first needed, and kept in step by :meth:`_Columns.add`."""

    __slots__ = ("bumps", "dues", "mines", "multipliers", "promises")

    def __init__(self, columns: _Columns) -> None:
        self.multipliers: list[tuple[list[int], list[float]]] = []
        for slot, multipliers in columns.multiplied:
            self.multiplied(slot, multipliers)
        self.dues = _unzipped(columns.dues)
        self.promises = _unzipped(columns.promises)
        self.bumps = _unzipped(columns.bumps)
        self.mines = _unzipped(columns.mines)

    def multiplied(self, slot: int, multipliers: tuple[float, ...]) -> None:
        """One more slot with its multipliers, each in its step."""
        steps = self.multipliers
        while len(steps) < len(multipliers):
            steps.append(([], []))
        for (slots, numbers), multiplier in zip(steps, multipliers, strict=False):
            slots.append(slot)
            numbers.append(multiplier)


def _unzipped(pairs: list[tuple[int, float]]) -> tuple[list[int], list[float]]:
    """(slot, number) pairs as a list of slots and a list of numbers."""
    return [slot for slot, _ in pairs], [number for _, number in pairs]


#: Takes an iterator to its end in C, keeping nothing (``deque(maxlen=0)``).
_consume = deque[Any](maxlen=0).extend


def _scale(points: list[float], slots: list[int], by: Sequence[float]) -> None:
    """``points[slot] *= number`` for each slot and its number in ``by``, in C."""
    _consume(
        map(
            operator.setitem,
            repeat(points),
            slots,
            map(operator.mul, map(points.__getitem__, slots), by),
        )
    )


def _shift(points: list[float], slots: list[int], by: Sequence[float]) -> None:
    """``points[slot] += number`` for each slot and its number in ``by``, in C."""
    _consume(
        map(
            operator.setitem,
            repeat(points),
            slots,
            map(operator.add, map(points.__getitem__, slots), by),
        )
    )


#: The kinds of group of :class:`_Columns`: what is multiplied in besides the aging.
_PLAIN, _DUE, _PROMISE, _PATCHED = 0, 1, 2, 3


class _WallWaits:
    """The waits on the wall clock at one moment, by slot, each worked out when asked, as
    :func:`_entries_at` works it out (the columns' arrivals are only appended to)."""

    __slots__ = ("_now_ts", "_received")

    def __init__(self, received: array[float], now_ts: float) -> None:
        self._received, self._now_ts = received, now_ts

    def __getitem__(self, slot: int) -> float:
        return (self._now_ts - self._received[slot]) / 60.0

    def upto(self, count: int) -> list[float]:
        """The waits of the first ``count`` slots."""
        now_ts = self._now_ts
        return [(now_ts - received) / 60.0 for received in self._received[:count]]


#: The waits of a ranking by slot: a list (working hours), or worked out when asked.
_Waits = list[float] | _WallWaits


#: How many entries :meth:`RankedRows.__iter__` makes one by one before it makes the rest.
_HEAD = 256


class RankedRows(Sequence[Ranked[S]]):
    """A ranking as :meth:`Reranker.at` returns it: a sequence of :class:`Ranked` entries,
    each made the first time it is looked at and then kept, so that showing the first rows
    of a long queue costs what those rows cost. The same entries as ``rank(...,
    explain=False)`` makes, field for field.

    Nothing a caller holds changes afterwards: the rows read columns that are only appended
    to, and points and waits of their own. The entries are the caller's to read, not to
    change (two threads reading one row at once may each make it: both are the same)."""

    __slots__ = (
        "_ids",
        "_items",
        "_made",
        "_moments",
        "_order",
        "_points",
        "_tiers",
        "_unmade",
        "_waits",
    )

    def __init__(
        self,
        order: list[int],
        ids: list[Any],
        items: list[Any],
        tiers: list[int],
        points: list[float],
        waits: _Waits,
        moments: dict[int, datetime] | None = None,
    ) -> None:
        self._order, self._ids, self._items, self._tiers = order, ids, items, tiers
        self._points, self._waits, self._moments = points, waits, moments or {}
        self._made: list[Ranked[S] | None] = [None] * len(order)
        #: How many are not made yet (``None in`` would compare each entry made with None).
        self._unmade = len(order)

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> Ranked[S]: ...
    @overload
    def __getitem__(self, index: slice) -> list[Ranked[S]]: ...
    def __getitem__(self, index: int | slice) -> Ranked[S] | list[Ranked[S]]:
        if isinstance(index, slice):
            return [self[place] for place in range(*index.indices(len(self._order)))]
        made = self._made[index]  # (an IndexError, as a list raises it, when out of range)
        if made is None:
            place = index + len(self._made) if index < 0 else index
            made = self._made[place] = self._make(place)
            self._unmade -= 1
        return made

    def index_of(self, item_id: Any) -> int | None:
        """The place (from 0) of the item ``item_id``, ``None`` when it is not among the
        rows: found without making an entry."""
        ids = self._ids
        try:
            return list(map(ids.__getitem__, self._order)).index(item_id)
        except ValueError:
            return None

    def __iter__(self) -> Iterator[Ranked[S]]:
        """The entries in order: the first few made one by one (a caller may stop there),
        the rest all at once (:meth:`_fill`)."""
        made = self._made
        size = len(made)
        head = min(size, _HEAD)
        for place in range(head):
            yield self[place]
        if head < size:
            if self._unmade:
                self._fill()
            yield from cast("list[Ranked[S]]", made[head:])

    def _fill(self) -> None:
        """Make every entry not yet made, as :func:`techqueue.scoring.rank` makes them: each
        in the order of the slots (the order their numbers lie in memory: made in score
        order, each would be a few reads from all over memory, several times slower), then
        put in its place and numbered; with the cyclic collector paused, which would
        otherwise walk every object alive again and again as they are made."""
        with _collector_paused():
            order, made, moments = self._order, self._made, self._moments
            count = len(self._points)
            waits = self._waits
            waited = waits.upto(count) if isinstance(waits, _WallWaits) else waits
            offsets, names, make, no_reasons = _OFFSETS, _NAMES, Ranked, ()
            by_slot: list[Ranked[S]] = [
                make(one, item, 0, offsets[tier] + points, names[tier], no_reasons, wait)
                for one, item, tier, points, wait in zip(
                    self._ids[:count],
                    self._items[:count],
                    self._tiers[:count],
                    self._points,
                    waited,
                    strict=True,
                )
            ]
            for place, slot in enumerate(order):
                if made[place] is None:
                    entry = by_slot[slot]
                    entry.rank = place + 1
                    if moments:
                        entry.must_start_by = moments.get(place)
                    made[place] = entry
            self._unmade = 0

    def _make(self, place: int) -> Ranked[S]:
        slot = self._order[place]
        tier = self._tiers[slot]
        entry: Ranked[S] = Ranked(
            self._ids[slot],
            self._items[slot],
            place + 1,
            _OFFSETS[tier] + self._points[slot],
            _NAMES[tier],
            (),
            self._waits[slot],
        )
        if self._moments:
            entry.must_start_by = self._moments.get(place)
        return entry
