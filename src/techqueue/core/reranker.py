"""A ranking kept between calls, so that one changed item does not rank the whole pile again.

:func:`techqueue.scoring.rank` starts from scratch: it scores every item, sorts them all and
makes an entry for each, which for 100,000 items is most of a second. After one action
nothing but the item acted on has changed, at the same moment; its score moves it from one
place to another, and only the places between the two change. :class:`Reranker` keeps the
sorted scores and the entries it handed out, and :meth:`Reranker.changed` moves the one
entry and renumbers the places it passed — unless the deadline guard moves anything, which
is checked every time (the guard plans the whole queue; when it moves someone, the entries
are made afresh, exactly as :func:`rank` makes them).

The result is always what ``rank(items, now, weights, explain=False, hours=hours,
guard=guard)`` returns for the same items at the same moment (a property test checks it on
random queues and random changes). The entries are shared between the lists this returns,
so a caller must not change them (``rank``'s are its own to change). Pure: the moment is an
argument.
"""

from __future__ import annotations

import bisect
import gc
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Generic

from techqueue.core.timeparse import WorkingHours
from techqueue.core.worktime import WorkClock, work_clock
from techqueue.scoring import (
    _NAMES,
    _OFFSETS,
    Ranked,
    S,
    Weights,
    _guard,
    _score_all,
    _sort_key,
)

if TYPE_CHECKING:
    from techqueue.core.guard import GuardRules

__all__ = ["Reranker"]

#: A scored item as :func:`techqueue.scoring._score_all` makes it: ``(-tier, -points, -wait,
#: id, item)``, sorted by its first four.
_Scored = tuple[int, float, float, Any, Any]


class Reranker(Generic[S]):
    """``rank(..., explain=False)`` of a pile, kept, and moved item by item."""

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
        self._clock: WorkClock | None = None
        #: The scored items in score order, their sort keys, and each one by id.
        self._scored: list[_Scored] = []
        self._keys: list[tuple[int, float, float, Any]] = []
        self._by_id: dict[Any, _Scored] = {}
        #: The entries in score order (``None`` until made: the guard moved someone).
        self._entries: list[Ranked[S]] | None = None

    @property
    def now(self) -> datetime | None:
        """The moment the pile was last ranked at (``None`` before the first :meth:`rank`)."""
        return self._now

    def rank(self, items: Iterable[S], now: datetime) -> list[Ranked[S]]:
        """Rank ``items`` at ``now`` from scratch, and keep what that found."""
        with _collector_paused():
            self._now = now
            self._clock = None if self.hours is None else work_clock(self.hours, now.tzinfo)
            scored = _score_all(items, now, self.weights, self._clock)
            scored.sort(key=_sort_key)
            self._scored = scored
            self._keys = [_sort_key(entry) for entry in scored]
            self._by_id = {entry[3]: entry for entry in scored}
            self._entries = None
            return self._finish()

    def changed(self, item: S) -> list[Ranked[S]]:
        """The ranking once ``item`` (new, or a new version of one held) is as given, at the
        moment of the last :meth:`rank`; an item that no longer ranks (done, deferred) leaves
        it."""
        now = self._now
        if now is None:
            raise RuntimeError("rank() a pile before changing it")
        with _collector_paused():
            before = self._remove(item.id)
            found = _score_all((item,), now, self.weights, self._clock)
            after = self._insert(found[0]) if found else None
            self._move(before, after)
            return self._finish()

    def removed(self, item_id: Any) -> list[Ranked[S]]:
        """The ranking without the item ``item_id`` (as it was, if it was not held)."""
        if self._now is None:
            raise RuntimeError("rank() a pile before changing it")
        with _collector_paused():
            self._move(self._remove(item_id), None)
            return self._finish()

    # --- keeping the sorted pile ----------------------------------------------------------

    def _remove(self, item_id: Any) -> int | None:
        """Take the item out of the sorted pile; the place it had (``None``: not held)."""
        old = self._by_id.pop(item_id, None)
        if old is None:
            return None
        index = bisect.bisect_left(self._keys, _sort_key(old))
        del self._scored[index], self._keys[index]
        if self._entries is not None:
            del self._entries[index]
        return index

    def _insert(self, entry: _Scored) -> int:
        """Put a scored item in its place in the sorted pile; that place."""
        key = _sort_key(entry)
        index = bisect.bisect_left(self._keys, key)
        self._scored.insert(index, entry)
        self._keys.insert(index, key)
        self._by_id[entry[3]] = entry
        if self._entries is not None:
            tier, points, wait, _, item = entry
            self._entries.insert(
                index,
                Ranked(
                    item.id, item, index + 1, _OFFSETS[-tier] - points, _NAMES[-tier], (), -wait
                ),
            )
        return index

    def _move(self, before: int | None, after: int | None) -> None:
        """Number the entries again between the places an item left and took."""
        entries = self._entries
        if entries is None or (before is None and after is None):
            return
        low = min(place for place in (before, after) if place is not None)
        # one entry fewer or more: every place after it moves
        high = len(entries) - 1 if before is None or after is None else max(before, after)
        for position in range(low, min(high, len(entries) - 1) + 1):
            entries[position].rank = position + 1

    # --- the result -------------------------------------------------------------------------

    def _finish(self) -> list[Ranked[S]]:
        """The entries in order: the kept ones, unless the deadline guard moves someone."""
        now, weights = self._now, self.weights
        assert now is not None
        scored = self._scored
        if self.guard is not False and weights.deadline_guard:
            planned = list(scored)
            rules = None if self.guard is True else self.guard
            deadlines = _guard(planned, now, weights, self._clock, rules, None)
            if deadlines or planned != scored:
                return _entries(planned, deadlines)
        if self._entries is None:
            self._entries = _entries(scored, {})
        return list(self._entries)


def _entries(scored: list[_Scored], deadlines: dict[int, datetime]) -> list[Ranked[Any]]:
    """The entries for ``scored`` in its order, as :func:`techqueue.scoring.rank` makes them
    without reasons."""
    offsets, names = _OFFSETS, _NAMES
    ranked = [
        Ranked(item.id, item, position, offsets[-tier] - points, names[-tier], (), -wait)
        for position, (tier, points, wait, _, item) in enumerate(scored, start=1)
    ]
    if deadlines:
        for entry in ranked:
            entry.must_start_by = deadlines.get(id(entry.item))
    return ranked


class _collector_paused:
    """The cyclic collector off while entries are made (see :func:`techqueue.scoring.rank`)."""

    def __enter__(self) -> None:
        self.collecting = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.collecting:
            gc.enable()
