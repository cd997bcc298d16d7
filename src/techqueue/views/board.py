"""The main screen's board: the ranked queue with its forecast and counts, the reminders due
and coming today, and the customers to update, read in one go (in a worker) so that the
clock's tick and the keys never walk the whole queue."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from techqueue.core.appointments import Slot, slots_of, todays
from techqueue.core.estimates import History
from techqueue.core.expectations import Nudge
from techqueue.core.forecast import Forecast
from techqueue.core.workday import today_span
from techqueue.desk import Desk
from techqueue.records import ItemRecord, ReminderRecord
from techqueue.scoring import Ranked
from techqueue.views.followups import nudges
from techqueue.views.ranking import rank_learned, spent_in_progress, team_view

__all__ = ["NUDGES_SHOWN", "Board", "read_board"]

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


def _promises_due_soon(
    ranked: Iterable[Ranked[ItemRecord]], forecast: Forecast, now: datetime
) -> int:
    """Promises due within the hour that are still on course and not yet begun: a broken one
    is counted as broken and one at risk as will be late, never twice."""
    soon = now + timedelta(hours=1)
    return sum(
        1
        for entry in ranked
        if entry.item.promise_due_at is not None
        and now <= entry.item.promise_due_at <= soon
        and entry.item.started_at is None
        and forecast.state(entry.id) == "ok"
    )


@dataclass(frozen=True)
class Board:
    """Everything the main screen shows, read in one go.

    The counts and the place of each item are worked out once, when the board is read
    (in a worker), so that the clock's tick and the keys never walk the whole queue.
    """

    now: datetime
    ranked: list[Ranked[ItemRecord]]
    active: ItemRecord | None
    active_spent: float
    reminders_due: list[ReminderRecord]
    reminders_today: list[ReminderRecord]
    promises_due_soon: int
    journal_id: int
    """The store's journal position the board was read at."""
    forecast: Forecast
    nudges: list[Nudge] = field(default_factory=list)
    nudge_count: int = 0
    #: Open items that arrived since the previous board, best-ranked first (none in
    #: the first board): what the interruption advice is asked about.
    landed: tuple[ItemRecord, ...] = ()
    #: Items not waiting on the customer (counted from ``ranked`` when left at -1).
    open_count: int = -1
    #: VIP items open or paused (counted from ``ranked`` when left at -1).
    vip_waiting: int = -1
    #: Each ranked item's index in ``ranked``, by id (built from ``ranked`` when not given).
    positions: Mapping[int, int] = field(default_factory=dict, repr=False)
    #: Minutes already worked on each item in progress (active or paused), by id.
    in_progress: Mapping[int, float] = field(default_factory=dict, repr=False)
    #: Today's booked slots not yet over, with their items (see ``appoint``).
    appointments: tuple[tuple[Slot, ItemRecord], ...] = ()
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

    def started(self, item_id: int, now: datetime) -> Board:
        """This board with the item shown active and the item in hand paused, in their
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


def read_board(
    desk: Desk,
    now: datetime,
    items: list[ItemRecord],
    history: History,
    journal_id: int,
    *,
    known: Mapping[int, datetime] | None = None,
) -> Board:
    """The board for the open ``items`` at ``now``. ``known`` (item id to when it was
    created) is what an earlier board held: the open items not in it have just landed. In a
    team, the technician's own board: their items and nobody's."""
    settings = desk.settings
    items = team_view(desk, items)
    in_progress = spent_in_progress(desk, now)  # the guard counts the work paused jobs had
    ranked = rank_learned(items, history, now, settings, explain=False, spent=in_progress)
    active = next((entry.item for entry in ranked if entry.item.status == "active"), None)
    reminders = desk.store.reminders()
    found, count = nudges(desk, items, now, limit=NUDGES_SHOWN)
    _, end_of_day = today_span(now, settings.day_boundary)
    slots = slots_of(items, now)
    forecast = Forecast.of(ranked, in_progress, now, settings, slots)
    by_id = {item.id: item for item in items}
    _ = forecast.overload  # worked out here, in the worker, not when the header is drawn
    return Board(
        now=now,
        ranked=ranked,
        active=active,
        active_spent=0.0 if active is None else in_progress.get(active.id, 0.0),
        in_progress=in_progress,
        reminders_due=[r for r in reminders if r.due_at <= now],
        reminders_today=[r for r in reminders if now < r.due_at < end_of_day],
        promises_due_soon=_promises_due_soon(ranked, forecast, now),
        journal_id=journal_id,
        forecast=forecast,
        nudges=found,
        nudge_count=count,
        landed=_landed(ranked, known),
        appointments=tuple((slot, by_id[slot.item_id]) for slot in todays(slots, now)),
    )


def _landed(
    ranked: Iterable[Ranked[ItemRecord]], known: Mapping[int, datetime] | None
) -> tuple[ItemRecord, ...]:
    """The open items no earlier board held, best-ranked first; an item back from a deferral
    or an undo was held before. An item is known by its id and when it was created, since an
    undone capture's id is given to the next one."""
    if known is None:
        return ()
    return tuple(
        entry.item
        for entry in ranked
        if entry.item.status == "open" and known.get(entry.id) != entry.item.created_at
    )
