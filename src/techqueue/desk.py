"""The full-screen app's view of the store: snapshots to draw, and the actions behind the keys.

Nothing here imports Textual, so it is tested like the rest of the core. The app calls these
methods from worker threads; a lock keeps one call at a time on the store's connection. Each
action is the same :class:`~techqueue.store.Store` call the command line makes.
"""

from __future__ import annotations

import dataclasses
import gc
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from techqueue.action_line import ActionLine
from techqueue.core.advice import Advice
from techqueue.core.estimates import History
from techqueue.core.expectations import Nudge
from techqueue.core.settings import Settings
from techqueue.core.workday import Morning, cutoff_rule, day_of, should_show_morning, today_span
from techqueue.queue import (
    Forecast,
    flag_risk,
    forecast,
    interrupt_advice,
    learn,
    nudges,
    rank_learned,
    spent_in_progress,
    tell_them,
    time_spent,
    with_learned_estimates,
)
from techqueue.scoring import Ranked, Reason, rank
from techqueue.store import (
    OPEN_STATUSES,
    ItemRecord,
    NoteRecord,
    NotFound,
    ReminderRecord,
    Store,
)

__all__ = ["MORNING_KEY", "NUDGES_SHOWN", "Desk", "Detail", "Snapshot"]

#: How many "update <name>" nudges the reminders pane has room for.
NUDGES_SHOWN = 5


def _counts(entries: Iterable[Ranked[ItemRecord]]) -> tuple[int, int]:
    """(open, VIP waiting) among ``entries``: the header's counts."""
    open_count = vip_waiting = 0
    for entry in entries:
        status = entry.item.status
        if status != "waiting":
            open_count += 1
        if entry.item.vip and status in ("open", "paused"):
            vip_waiting += 1
    return open_count, vip_waiting


@dataclass(frozen=True)
class Snapshot:
    """Everything the main screen shows, read in one go.

    The counts and the place of each item are worked out once, when the snapshot is made
    (in a worker), so that the clock's tick and the keys never walk the whole queue.
    """

    now: datetime
    ranked: list[Ranked[ItemRecord]]
    active: ItemRecord | None
    active_spent: float
    reminders_due: list[ReminderRecord]
    reminders_today: list[ReminderRecord]
    promises_due_soon: int
    change: int
    forecast: Forecast
    nudges: list[Nudge] = field(default_factory=list)
    nudge_count: int = 0
    #: Open items that arrived since the desk's previous snapshot, best-ranked first (none in
    #: the first snapshot): what the interruption advice is asked about.
    landed: tuple[ItemRecord, ...] = ()
    #: Items not waiting on the customer (counted from ``ranked`` when left at -1).
    open_count: int = -1
    #: VIP items open or paused (counted from ``ranked`` when left at -1).
    vip_waiting: int = -1
    #: Each ranked item's index in ``ranked``, by id (built from ``ranked`` when not given).
    positions: Mapping[int, int] = field(default_factory=dict, repr=False)
    #: Minutes already worked on each item in progress (active or paused), by id.
    in_progress: Mapping[int, float] = field(default_factory=dict, repr=False)
    #: When ``active_spent`` was measured (``now`` when not given): the running timer
    #: counts from here.
    active_since: datetime | None = None

    def __post_init__(self) -> None:
        if self.active_since is None:
            object.__setattr__(self, "active_since", self.now)
        if self.open_count < 0 or self.vip_waiting < 0:
            open_count, vip_waiting = _counts(self.ranked)
            object.__setattr__(self, "open_count", open_count)
            object.__setattr__(self, "vip_waiting", vip_waiting)
        if len(self.positions) != len(self.ranked):
            positions = {entry.id: index for index, entry in enumerate(self.ranked)}
            object.__setattr__(self, "positions", positions)

    def entry(self, item_id: int) -> Ranked[ItemRecord] | None:
        """The item's entry in the queue (``None`` when it is not ranked)."""
        index = self.positions.get(item_id)
        return None if index is None else self.ranked[index]

    def started(self, item_id: int, now: datetime) -> Snapshot:
        """This snapshot with the item shown active and the item in hand paused, in their
        places, as the store will have them once ``start`` is written: what the screen shows
        at once while a worker writes it and re-ranks. Only the two entries are replaced;
        the ranking's time stays (the timer counts from ``now``), so the other rows, their
        ages and ETAs, are the same and need not be drawn again."""
        index = self.positions.get(item_id)
        if index is None or self.ranked[index].item.status not in ("open", "paused", "waiting"):
            return self
        ranked = list(self.ranked)
        entry = ranked[index]
        item = dataclasses.replace(
            entry.item, status="active", started_at=entry.item.started_at or now
        )
        ranked[index] = dataclasses.replace(entry, item=item)
        changed = [index]
        held = None if self.active is None else self.positions.get(self.active.id)
        if held is not None and held != index:
            entry = ranked[held]
            paused = dataclasses.replace(entry.item, status="paused")
            ranked[held] = dataclasses.replace(entry, item=paused)
            changed.append(held)
        before = _counts(self.ranked[i] for i in changed)
        after = _counts(ranked[i] for i in changed)
        return dataclasses.replace(
            self,
            ranked=ranked,
            landed=(),
            active=item,
            active_spent=self.in_progress.get(item_id, 0.0),  # a paused job resumes
            active_since=now,
            open_count=self.open_count + after[0] - before[0],
            vip_waiting=self.vip_waiting + after[1] - before[1],
            positions=self.positions,
        )


@dataclass(frozen=True)
class Detail:
    """The selected item: why it ranks where it does, its notes, reminders and time spent."""

    item: ItemRecord
    score: float | None
    reasons: tuple[Reason, ...]
    notes: list[NoteRecord]
    reminders: list[ReminderRecord]
    spent: float
    #: What to tell the customer (``None`` for a closed item).
    tell: str | None = None


@dataclass
class Desk:
    """One technician's desk: the store, their settings and the clock."""

    store: Store
    settings: Settings
    clock: Callable[[], datetime]
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: The screens' store actions, run in key order (see :class:`ActionLine`).
    actions: ActionLine = field(default_factory=ActionLine, repr=False)
    _items: dict[int, ItemRecord] | None = field(default=None, repr=False)
    _history: History | None = field(default=None, repr=False)
    _last: Snapshot | None = field(default=None, repr=False)
    #: When each item any snapshot has held was created, by id.
    _known: dict[int, datetime] = field(default_factory=dict, repr=False)
    #: The journal id the cached items were read at.
    _seen: int = field(default=0, repr=False)

    def __post_init__(self) -> None:
        self.store.span_cutoff = cutoff_rule(self.settings.hours, self.settings.day_boundary)

    @contextmanager
    def _using(self) -> Iterator[Store]:
        with self._lock:
            yield self.store

    def now(self) -> datetime:
        return self.clock()

    def last_change(self) -> int:
        with self._using() as store:
            return store.last_change()

    def snapshot(self) -> Snapshot:
        """Everything re-read from the store and re-ranked at the current time."""
        now = self.clock()
        with self._using() as store, _collector_paused():
            return self._reread(store, now)

    def snapshot_after_action(self) -> Snapshot:
        """After actions: re-read only the items changed since the last read (by this app or
        another process) and re-rank in memory; a full read when requesters (VIP) changed,
        an undo happened, or nothing is cached yet."""
        now = self.clock()
        with self._using() as store, _collector_paused():
            cached = self._items
            history = self._history
            if cached is None or history is None:
                return self._reread(store, now)
            seen, touched = store.touched_since(self._seen)
            if touched is None or "requester" in touched:
                return self._reread(store, now)
            updated = dict(cached)
            finished = False
            for item_id in touched.get("item", set()):
                try:
                    item = store.get(item_id)
                except NotFound:
                    updated.pop(item_id, None)
                    continue
                if item.status in OPEN_STATUSES:
                    updated[item_id] = item
                else:
                    updated.pop(item_id, None)
                    finished = True
            if finished:
                history = self._history = learn(store)  # a finished job is new history
            self._items = updated
            self._seen = seen
            return self._build(store, now, list(updated.values()), history)

    def _reread(self, store: Store, now: datetime) -> Snapshot:
        """Every open item and the history read afresh, kept for the next action, and ranked."""
        # The journal's id is read first: whatever is written while the items are read is
        # newer than it, so the next poll or action reads it again rather than missing it.
        self._seen = store.last_change()
        items = store.items(OPEN_STATUSES)
        self._items = {item.id: item for item in items}
        self._history = learn(store)
        return self._build(store, now, items, self._history)

    def _build(
        self, store: Store, now: datetime, items: list[ItemRecord], history: History
    ) -> Snapshot:
        ranked = rank_learned(items, history, now, self.settings.weights, explain=False)
        active = next((e.item for e in ranked if e.item.status == "active"), None)
        in_progress = spent_in_progress(store, now, self.settings)
        spent = 0.0 if active is None else in_progress.get(active.id, 0.0)
        outlook = forecast(ranked, in_progress, now, self.settings)
        reminders = store.reminders()
        found, count = nudges(store, items, now, self.settings, limit=NUDGES_SHOWN)
        _, end_of_day = today_span(now, self.settings.day_boundary)
        soon = now + timedelta(hours=1)
        landed = self._landed(ranked, items)
        snapshot = Snapshot(
            now=now,
            ranked=ranked,
            active=active,
            active_spent=spent,
            in_progress=in_progress,
            reminders_due=[r for r in reminders if r.due_at <= now],
            reminders_today=[r for r in reminders if now < r.due_at < end_of_day],
            promises_due_soon=sum(
                1
                for entry in ranked
                if entry.item.promise_due_at is not None and entry.item.promise_due_at <= soon
            ),
            change=self._seen,
            forecast=outlook,
            nudges=found,
            nudge_count=count,
            landed=landed,
        )
        self._last = snapshot
        return snapshot

    def _landed(
        self, ranked: list[Ranked[ItemRecord]], items: list[ItemRecord]
    ) -> tuple[ItemRecord, ...]:
        """The open items no earlier snapshot held, best-ranked first; an item back from a
        deferral or an undo was held before. An item is known by its id and when it was
        created, since an undone capture's id is given to the next one."""
        known = self._known
        landed = (
            ()
            if self._last is None
            else tuple(
                e.item
                for e in ranked
                if e.item.status == "open" and known.get(e.id) != e.item.created_at
            )
        )
        known.update((item.id, item.created_at) for item in items)
        return landed

    def close(self) -> None:
        """Close the store once no worker is using it."""
        with self._lock:
            self.store.close()

    def detail(self, item_id: int) -> Detail:
        """The item with its learned estimate, explained (its promise's state as the last
        snapshot forecast it), with its notes, reminders and what to tell them."""
        now = self.clock()
        with self._using() as store:
            item = store.get(item_id)
            notes = store.notes(item_id)
            reminders = store.reminders_for(item_id)
            spent = time_spent(store, [item], now, self.settings).get(item_id, 0.0)
        last = self._last
        if self._history is not None:
            item = with_learned_estimates([item], self._history)[0]
        placed = rank([item], now, self.settings.weights)
        entry = placed[0] if placed else None
        if entry is not None and last is not None:
            flag_risk(entry, last.forecast)
        said = None if last is None else tell_them(item, last.forecast, self.settings)
        return Detail(
            item=item,
            score=entry.score if entry else None,
            reasons=entry.reasons if entry else (),
            notes=notes,
            reminders=reminders,
            spent=spent,
            tell=said,
        )

    def advise(self, active: ItemRecord, newcomer: ItemRecord) -> Advice | None:
        """Whether to pause ``active`` for ``newcomer`` (the same advice ``add`` prints)."""
        with self._using() as store:
            return interrupt_advice(
                store, active, newcomer, self.clock(), self.settings, self._history
            )

    def reminders(self) -> list[ReminderRecord]:
        """Every reminder not yet dismissed, by due time."""
        with self._using() as store:
            return store.reminders()

    def act(self, action: str, *args: Any, **kwargs: Any) -> Any:
        """Run one store action (``start``, ``note`` …) at the current time."""
        with self._using() as store:
            method = getattr(store, action)
            return method(*args, now=self.clock(), **kwargs)

    # --- the end and the start of the day ----------------------------------------------

    def review(self, start: datetime, end: datetime) -> dict[str, Any]:
        """The review of ``[start, end)`` as the command line's ``--json`` gives it."""
        from techqueue.report import build_review

        now = self.clock()
        settings = self.settings
        with self._using() as store:
            return build_review(
                store, start, end, now, settings.weights, settings.hours, settings.day_boundary
            )

    def today(self) -> tuple[datetime, datetime]:
        """``[start, end)`` of the current working day, by the configured day boundary."""
        return today_span(self.clock(), self.settings.day_boundary)

    def morning(self, *, only_if_new_day: bool) -> Morning[ItemRecord, NoteRecord, ReminderRecord]:
        """The morning summary, after closing work left running overnight.

        With ``only_if_new_day`` it is empty unless this is the first look at a new working
        day (and the switch is on, and the store is not empty); seeing it is remembered."""
        from techqueue.report import gather_morning

        now = self.clock()
        boundary = self.settings.day_boundary
        with self._using() as store:
            store.close_overnight(now)
            if only_if_new_day and not should_show_morning(
                now,
                boundary,
                store.meta(MORNING_KEY),
                enabled=self.settings.morning_summary,
                store_empty=store.is_empty(),
            ):
                return Morning(day_of(now, boundary, now.tzinfo))
            morning = gather_morning(store, now, self.settings.weights, boundary)
            if only_if_new_day:
                store.set_meta(MORNING_KEY, morning.day.isoformat())
            return morning


#: The Meta key holding the day the morning summary was last shown.
MORNING_KEY = "morning_summary_shown"


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a whole queue is read or ranked.

    Reading 10,000 items, or ranking them, makes a few hundred thousand objects that all live
    on; the collector would walk them (and everything else alive) again and again as they are
    made, a third of the read's time here. Nothing made here is cyclic garbage. The collector
    is switched back on only if it was on, so two threads doing this at once leave it on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
