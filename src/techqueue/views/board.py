"""The main screen's board: the ranked queue with its forecast and counts, the reminders due
and coming today, and the customers to update, read in one go (in a worker) so that the
clock's tick and the keys never walk the whole queue."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from techqueue.core.appointments import Slot, slots_of, todays
from techqueue.core.estimates import History
from techqueue.core.expectations import Nudge, Overdue, overdue, pick_nudges
from techqueue.core.forecast import Forecast, KeptForecast
from techqueue.core.reranker import Reranker
from techqueue.core.workday import today_span
from techqueue.desk import Desk
from techqueue.records import ItemRecord, ReminderRecord
from techqueue.scoring import Ranked
from techqueue.views.followups import nudges
from techqueue.views.ranking import (
    learned_copy,
    queue_view,  # read_queue's own: the first rows' forecast is the one ``next`` makes
    rank_learned,
    spent_in_progress,
    team_view,
    with_costs,
    with_learned_estimates,
)

__all__ = ["NUDGES_SHOWN", "Board", "FirstRows", "KeptBoard", "read_board", "read_first_rows"]


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
    #: False on the app's first board, which is drawn before the customers overdue for news
    #: are looked for: ``nudges`` and ``nudge_count`` are not known yet (shown as nothing).
    nudges_known: bool = True
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


@dataclass(frozen=True)
class FirstRows:
    """The queue's first places at ``now``, each as the whole board ranks it at that moment,
    with their rows of the forecast: what the app draws while it reads the whole board.

    Taken from the queue the last whole read kept (:mod:`techqueue.views.kept_queue`), so
    nothing else of the board is known from it: not how many items there are, nor the
    promises, reminders or overload the header counts, nor the rows below these."""

    now: datetime
    ranked: list[Ranked[ItemRecord]]
    forecast: Forecast
    #: The job in hand when it is among these places (the best-ranked active item, as the
    #: board has it); ``None`` when there is none or it ranks below them.
    active: ItemRecord | None
    #: Minutes worked on ``active`` by ``now``.
    active_spent: float


def read_first_rows(desk: Desk, now: datetime, limit: int) -> FirstRows | None:
    """The first ``limit`` places of the queue at ``now`` from the kept queue, as
    ``read_queue(desk, now, explain=False, limit=limit)`` gives them; ``None`` (rather than
    the whole read that call falls back to) when the kept queue cannot be used, or the
    queue has no place to show: the board is then read whole as it always was.

    Nothing is written: the kept queue is not kept again here however many changes it took
    up (this is read before the app's first frame, and the whole read that follows keeps
    the queue)."""
    if desk.store.team:
        return None
    from techqueue.views import kept_queue

    spent = spent_in_progress(desk, now)
    found = kept_queue.first_places(desk, now, limit, spent, keep_again=False)
    if found is None or not found[0]:
        return None
    places, booked, in_hand = found
    view = queue_view(places, in_hand, booked, spent, now, desk.settings)
    active = next((entry.item for entry in places if entry.item.status == "active"), None)
    return FirstRows(
        now,
        view.ranked,
        view.forecast,
        active,
        0.0 if active is None else spent.get(active.id, 0.0),
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
    reminders = desk.store.reminders()
    found, count = nudges(desk, items, now, limit=NUDGES_SHOWN)
    slots = slots_of(items, now)
    forecast = Forecast.of(ranked, in_progress, now, settings, slots)
    by_id = {item.id: item for item in items}
    return _assemble(
        desk,
        now,
        ranked,
        in_progress,
        reminders,
        forecast,
        found,
        count,
        journal_id,
        _landed(ranked, known),
        slots,
        by_id,
    )


def _assemble(
    desk: Desk,
    now: datetime,
    ranked: list[Ranked[ItemRecord]],
    in_progress: Mapping[int, float],
    reminders: list[ReminderRecord],
    forecast: Forecast,
    found: list[Nudge],
    count: int,
    journal_id: int,
    landed: tuple[ItemRecord, ...],
    slots: list[Slot],
    by_id: Mapping[int, ItemRecord],
    *,
    active: ItemRecord | None = None,
    promised: Iterable[Ranked[ItemRecord]] | None = None,
    positions: Mapping[int, int] | None = None,
    counts: tuple[int, int] = (-1, -1),
    nudges_known: bool = True,
) -> Board:
    """The board from its parts, read whole (:func:`read_board`) or kept (:class:`KeptBoard`,
    which knows the item in hand, the places, the promises and the counts)."""
    if positions is None:
        active = next((entry.item for entry in ranked if entry.item.status == "active"), None)
    _, end_of_day = today_span(now, desk.settings.day_boundary)
    return Board(
        now=now,
        ranked=ranked,
        active=active,
        active_spent=0.0 if active is None else in_progress.get(active.id, 0.0),
        in_progress=in_progress,
        reminders_due=[r for r in reminders if r.due_at <= now],
        reminders_today=[r for r in reminders if now < r.due_at < end_of_day],
        promises_due_soon=_promises_due_soon(
            ranked if promised is None else promised, forecast, now
        ),
        journal_id=journal_id,
        forecast=forecast,
        nudges=found,
        nudge_count=count,
        nudges_known=nudges_known,
        landed=landed,
        appointments=tuple((slot, by_id[slot.item_id]) for slot in todays(slots, now)),
        positions={} if positions is None else positions,
        open_count=counts[0],
        vip_waiting=counts[1],
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


class KeptBoard:
    """:func:`read_board`, kept between reads at one moment, so that after an action only
    the items it changed are looked at again.

    What a full read works out item by item is kept by id: each open item as the ranking
    takes it (the technician's view of it in a team, the minutes spent on it, its learned
    estimate and business cost), the ranking itself (a :class:`Reranker`, which moves one
    entry and renumbers the places it passed), each item's row of the forecast and the walk
    of the schedule (:class:`KeptForecast`), and whether its customer is overdue for news.
    :meth:`update` is handed the items an action changed; the board it returns is what
    :func:`read_board` returns for the same items at the same moment (a test compares the
    two, field by field, after random actions). The overload plan is not worked out here
    (it plans the whole queue): ``forecast.overload`` works it out when first asked.
    """

    def __init__(self, desk: Desk, now: datetime) -> None:
        settings = desk.settings
        self.now = now
        self.history: History | None = None
        self._ranker: Reranker[ItemRecord] = Reranker(settings.weights, hours=settings.hours)
        self._forecast = KeptForecast()
        #: Each open item as read, as the technician's view holds it, as ranked.
        self._raw: dict[int, ItemRecord] = {}
        self._viewed: dict[int, ItemRecord] = {}
        self._ranked_items: dict[int, ItemRecord] = {}
        self._in_progress: dict[int, float] = {}
        self._overdue: dict[int, Overdue] = {}
        self._contacts: dict[int, datetime] = {}
        self._ranked: list[Ranked[ItemRecord]] = []
        #: Items with a promise, and items with a booked slot, by id.
        self._promised: set[int] = set()
        self._booked: set[int] = set()
        #: Items in hand, and VIPs' items, by id.
        self._active: set[int] = set()
        self._vip: set[int] = set()
        #: The nudges picked from the overdue customers (``None``: to pick again).
        self._nudges: tuple[list[Nudge], int] | None = None
        self._overdue_known = True
        self._last: Board
        #: Every open item as the last :meth:`read` ranked it (learned estimate, business
        #: impact and work done in effect), in the store's order: what the command line's
        #: whole reads keep for the next command (:func:`techqueue.views.kept_queue.keep`).
        self.read_items: list[ItemRecord] = []

    def read(
        self,
        desk: Desk,
        items: list[ItemRecord],
        history: History,
        journal_id: int,
        *,
        known: Mapping[int, datetime] | None = None,
        nudges: bool = True,
    ) -> Board:
        """Every open item, ranked afresh at the kept moment (what :func:`read_board` does).
        Without ``nudges`` the customers overdue for news are not looked for yet (the app's
        first board: its rows do not wait for them): :meth:`with_nudges` adds them."""
        now = self.now
        self.history = history
        self._in_progress = spent_in_progress(desk, now)
        self._contacts = desk.store.last_contacts()
        self._raw = {item.id: item for item in items}
        self._viewed, self._ranked_items, self._overdue = {}, {}, {}
        self._promised, self._booked, self._active, self._vip = set(), set(), set(), set()
        self._nudges = None
        # As :func:`read_board` does it, in whole-list steps; :meth:`_view` takes in one.
        viewed = team_view(desk, items)
        self._viewed = {item.id: item for item in viewed}
        self._overdue_known = False
        if nudges:
            self._find_overdue(desk)
        spent = self._in_progress
        ranked = with_costs(
            with_learned_estimates(
                [
                    dataclasses.replace(item, spent_minutes=spent[item.id])
                    if item.id in spent
                    else item
                    for item in viewed
                ],
                history,
            ),
            desk.settings.weights,
        )
        self._ranked_items = {item.id: item for item in ranked}
        self.read_items = ranked
        for item in viewed:
            if item.promise_due_at is not None:
                self._promised.add(item.id)
            if item.appointment_at is not None:
                self._booked.add(item.id)
            if item.status == "active":
                self._active.add(item.id)
            if item.vip:
                self._vip.add(item.id)
        self._ranked = self._ranker.rank(ranked, now)
        self._last = self._board(desk, journal_id, known)
        return self._last

    def _find_overdue(self, desk: Desk) -> None:
        """Each item's customer overdue for news, looked for in the whole queue."""
        now = self.now
        targets = desk.settings.expectations.contact_target_minutes
        found = overdue(self._viewed.values(), self._contacts, now, targets, desk.clock(now))
        self._overdue = {entry[1]: entry for entry in found}
        self._overdue_known = True
        self._nudges = None

    @property
    def last(self) -> Board:
        """The board last returned."""
        return self._last

    def with_nudges(self, desk: Desk) -> Board:
        """The last board with its nudges (after a :meth:`read` without them)."""
        if self._overdue_known:
            return self._last
        self._find_overdue(desk)
        targets = desk.settings.expectations.contact_target_minutes
        found, _ = self._nudges = pick_nudges(
            self._overdue.values(), targets, NUDGES_SHOWN, working=True
        )
        self._last = dataclasses.replace(
            self._last, nudges=found, nudge_count=len(self._overdue), nudges_known=True
        )
        return self._last

    def update(
        self,
        desk: Desk,
        changed: Mapping[int, ItemRecord | None],
        history: History,
        journal_id: int,
        *,
        known: Mapping[int, datetime] | None = None,
    ) -> Board:
        """The board once the items in ``changed`` are as given (``None``: no longer open),
        at the kept moment; every other item is as the last read or update left it."""
        now = self.now
        if not self._overdue_known:
            self._find_overdue(desk)
        in_progress = spent_in_progress(desk, now)
        again = set(changed)
        again.update(
            item_id
            for item_id in in_progress.keys() | self._in_progress.keys()
            if in_progress.get(item_id) != self._in_progress.get(item_id)
        )
        self._in_progress = in_progress
        if changed:
            self._contacts = desk.store.last_contacts()
        for item_id, item in changed.items():
            if item is None:
                self._raw.pop(item_id, None)
            else:
                self._raw[item_id] = item
        relearn = history is not self.history
        self.history = history
        if relearn:  # finished work changed: any learned estimate may have
            again.update(item.id for item in self._raw.values() if item.estimate_minutes is None)
        clock = desk.clock(now)
        moved: list[int] = []
        for item_id in again:
            before = self._ranked_items.get(item_id)
            self._forget(item_id)
            item = self._raw.get(item_id)
            if item is not None:
                self._view(desk, item, clock)
            after = self._ranked_items.get(item_id)
            if after is not before and after != before:
                moved.append(item_id)
        if len(moved) > 16:  # many changed (estimates learned again): rank afresh
            self._ranked = self._ranker.rank(list(self._ranked_items.values()), now)
        else:
            for item_id in moved:
                after = self._ranked_items.get(item_id)
                if after is None:
                    self._ranked = self._ranker.removed(item_id)
                else:
                    self._ranked = self._ranker.changed(after)
        self._last = self._board(desk, journal_id, known, changed)
        return self._last

    # --- item by item ---------------------------------------------------------------------

    def _view(self, desk: Desk, item: ItemRecord, clock: Any) -> None:
        """Take in one open item: as the technician's view holds it, as ranked, overdue."""
        viewed = team_view(desk, [item])
        if not viewed:
            return
        item = viewed[0]
        self._viewed[item.id] = item
        if item.promise_due_at is not None:
            self._promised.add(item.id)
        if item.appointment_at is not None:
            self._booked.add(item.id)
        found = overdue(
            (item,),
            self._contacts,
            self.now,
            desk.settings.expectations.contact_target_minutes,
            clock,
        )
        if found:
            entry = self._overdue[item.id] = found[0]
            # The nudges shown change only when it is among the first few now.
            shown = self._nudges
            if shown is not None and (
                len(shown[0]) < NUDGES_SHOWN or entry[:2] < self._overdue[shown[0][-1].item_id][:2]
            ):
                self._nudges = None
        ranked = item
        spent = self._in_progress.get(item.id)
        if spent is not None:
            ranked = dataclasses.replace(ranked, spent_minutes=spent)
        history = self.history
        if history is not None and len(history):
            # as :func:`with_learned_estimates` learns it (one item at a time, without
            # thinning that function's kept copies, which a whole read uses again)
            ranked = learned_copy(ranked, history)
        self._ranked_items[item.id] = with_costs([ranked], desk.settings.weights)[0]
        if item.status == "active":
            self._active.add(item.id)
        if item.vip:
            self._vip.add(item.id)

    def _forget(self, item_id: int) -> None:
        self._viewed.pop(item_id, None)
        self._ranked_items.pop(item_id, None)
        shown = self._nudges
        if shown is not None and any(nudge.item_id == item_id for nudge in shown[0]):
            self._nudges = None
        self._overdue.pop(item_id, None)
        for kept in (self._promised, self._booked, self._active, self._vip):
            kept.discard(item_id)

    # --- the board --------------------------------------------------------------------------

    def _board(
        self,
        desk: Desk,
        journal_id: int,
        known: Mapping[int, datetime] | None,
        changed: Iterable[int] | None = None,
    ) -> Board:
        """The board from what is kept; ``changed``: the only items that may have landed
        (any when ``None``)."""
        now, settings = self.now, desk.settings
        ranked = self._ranked
        viewed = self._viewed
        slots = slots_of((viewed[item_id] for item_id in self._booked), now)
        forecast = Forecast.of(ranked, self._in_progress, now, settings, slots, kept=self._forecast)
        positions = {entry.id: place for place, entry in enumerate(ranked)}
        if changed is None:
            landed = _landed(ranked, known)
        else:
            places = sorted(positions[item_id] for item_id in changed if item_id in positions)
            landed = _landed((ranked[place] for place in places), known)
        if not self._overdue_known:
            found, count = [], 0
        else:
            if self._nudges is None:
                targets = settings.expectations.contact_target_minutes
                self._nudges = pick_nudges(
                    self._overdue.values(), targets, NUDGES_SHOWN, working=True
                )
            found, count = self._nudges[0], len(self._overdue)
        promised = [
            ranked[positions[item_id]] for item_id in self._promised if item_id in positions
        ]
        held = [positions[item_id] for item_id in self._active if item_id in positions]
        active = ranked[min(held)].item if held else None
        statuses = self._forecast.statuses  # the queue's, in rank order
        open_count = len(statuses) - statuses.count("waiting")
        vip_waiting = sum(
            1
            for item_id in self._vip
            if item_id in positions and statuses[positions[item_id]] in ("open", "paused")
        )
        return _assemble(
            desk,
            now,
            ranked,
            self._in_progress,
            desk.store.reminders(),
            forecast,
            found,
            count,
            journal_id,
            landed,
            slots,
            viewed,
            active=active,
            promised=promised,
            positions=positions,
            counts=(open_count, vip_waiting),
            nudges_known=self._overdue_known,
        )
