"""The ranked queue as every front end shows it: store rows, scored by the pure core, with the
estimates learned from history, the ETAs and the promises' states.

The command line and the app both read the queue here, so a rank, an estimate, an ETA or a
JSON field cannot differ between them.
"""

from __future__ import annotations

import dataclasses
import weakref
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from techqueue.core.appointments import Booked, slots_of
from techqueue.core.business import business_cost
from techqueue.core.forecast import Forecast, flag_risk
from techqueue.core.settings import Settings
from techqueue.core.workday import today_span, worked_minutes
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked, Weights, explain_ranked, rank, say_guard

if TYPE_CHECKING:
    from techqueue.core.estimates import History

__all__ = [
    "Placement",
    "QueueView",
    "as_ranked",
    "closed_today",
    "learned_copy",
    "place",
    "queue_view",
    "rank_learned",
    "read_queue",
    "spent_in_progress",
    "team_view",
    "time_spent",
    "unranked",
    "with_costs",
    "with_learned_estimates",
]


def with_learned_estimates(items: Iterable[ItemRecord], history: History) -> list[ItemRecord]:
    """The items, those without an estimate of their own replaced by a copy carrying the
    estimate learned from similar finished work (and marked so), ready to rank."""
    if not len(history):
        return list(items)
    # The copies made for the same history are kept with the record they were made from (by
    # its ``id()``, the record itself held so that no other takes its ``id()``): an app
    # re-ranking after each action hands over the same records again, and an unchanged record
    # needs no new copy (records are frozen, so a kept copy is still true).
    items = items if isinstance(items, list) else list(items)
    made = _LEARNED.get(history)
    if made is None:
        made = _LEARNED[history] = {}
    result = []
    for item in items:
        if item.estimate_minutes is None:
            before = made.get(id(item))
            if before is not None:
                item = before[1]
            else:
                source = item
                item = learned_copy(item, history)
                made[id(source)] = (source, item)
        result.append(item)
    if len(made) > 2 * len(result) + 256:  # records replaced since: forget theirs
        kept = {id(item) for item in items}
        for key in [key for key in made if key not in kept]:
            del made[key]
    return result


def learned_copy(item: ItemRecord, history: History) -> ItemRecord:
    """The item as it ranks: without an estimate of its own, a copy carrying the one
    learned from similar finished work (marked so), if any; otherwise the item itself."""
    if item.estimate_minutes is not None:
        return item
    learned = history.learned(item)
    if learned is None:
        return item
    return dataclasses.replace(
        item, estimate_minutes=learned[0], estimate_source="history", estimate_samples=learned[1]
    )


def with_costs(items: Iterable[ItemRecord], weights: Weights) -> list[ItemRecord]:
    """The items, each whose business impact is not normal (its own ``cost:``, or its
    requester's or organisation's in the config) replaced by a copy carrying it, ready to
    rank. Without business weights in the config only items with tags are looked at."""
    requesters, organisations = weights.business_requesters, weights.business_organisations
    configured = bool(requesters or organisations)
    result = []
    for item in items:
        if configured or item.tags:
            found = business_cost(
                item.tags, item.requester, item.requester_email, requesters, organisations
            )
            level = None if found is None else found[0]
            if level != item.cost:
                item = dataclasses.replace(item, cost=level)
        result.append(item)
    return result


#: For each history still in use, the records :func:`with_learned_estimates` made, by the
#: ``id()`` of the record it was given: (that record, what it made of it).
_LEARNED: weakref.WeakKeyDictionary[History, dict[int, tuple[ItemRecord, ItemRecord]]] = (
    weakref.WeakKeyDictionary()
)


def rank_learned(
    items: Iterable[ItemRecord],
    history: History,
    now: datetime,
    settings: Settings,
    *,
    explain: bool = True,
    limit: int | None = None,
    spent: Mapping[int, float] | None = None,
) -> list[Ranked[ItemRecord]]:
    """Rank as techqueue ranks: by the technician's weights, waiting counted in their working
    time, learned estimates in effect (an item like one that took two hours last time does not
    pass for a default twenty-minute job), and, given ``spent`` (:func:`spent_in_progress`),
    the work already done on the items in progress, which the deadline guard counts."""
    return rank(
        as_ranked(items, history, settings, spent),
        now,
        settings.weights,
        explain=explain,
        limit=limit,
        hours=settings.hours,
    )


def as_ranked(
    items: Iterable[ItemRecord],
    history: History | None,
    settings: Settings,
    spent: Mapping[int, float] | None = None,
) -> list[ItemRecord]:
    """The items as :func:`rank_learned` ranks them: learned estimates (unless ``history``
    is ``None``: they are in effect already), business impact and, given ``spent``, the
    work done on those in progress in effect."""
    if spent:
        items = [
            dataclasses.replace(item, spent_minutes=spent[item.id]) if item.id in spent else item
            for item in items
        ]
    if history is not None:
        items = with_learned_estimates(items, history)
    return with_costs(items, settings.weights)


def spent_in_progress(desk: Desk, now: datetime) -> dict[int, float]:
    """Minutes already worked on the items in progress (active or paused)."""
    settings = desk.settings
    return worked_minutes(desk.store.work_in_progress(), now, settings.hours, settings.day_boundary)


def time_spent(desk: Desk, items: Iterable[ItemRecord], now: datetime) -> dict[int, float]:
    """Minutes of recorded work per item (see :func:`~techqueue.core.workday.worked_minutes`)."""
    settings = desk.settings
    spans = desk.store.spans(item.id for item in items)
    return worked_minutes(spans, now, settings.hours, settings.day_boundary)


@dataclass(frozen=True)
class QueueView:
    """The open items in rank order at ``now`` (waiting ones last, deferred ones left out),
    with the forecast of when each will be started and finished."""

    now: datetime
    ranked: list[Ranked[ItemRecord]]
    forecast: Forecast
    journal_id: int | None = None
    """The journal's position as a whole read of a solo store began (what is kept of the
    read is brought up to date from it); ``None`` otherwise."""

    def flag_risks(self) -> None:
        """Say in each explained promise's reason when it is at risk."""
        for entry in self.ranked:
            flag_risk(entry, self.forecast)


def team_view(
    desk: Desk, items: Iterable[ItemRecord], *, everyone: bool = False
) -> list[ItemRecord]:
    """The items as a team technician's queue holds them: theirs and nobody's (``everyone``:
    the others' too), those they have and started marked ``mine`` (the ranking's "mine"
    weight keeps them near the top). A solo store's items, as they are."""
    store = desk.store
    if not store.team:
        return list(items)
    me = store.user
    return [
        dataclasses.replace(item, mine=True)
        if item.assignee == me and item.status in ("active", "paused")
        else item
        for item in items
        if everyone or item.assignee is None or item.assignee == me
    ]


def read_queue(
    desk: Desk,
    now: datetime,
    *,
    explain: bool = True,
    limit: int | None = None,
    everyone: bool = False,
) -> QueueView:
    """The queue at ``now`` (only its first ``limit`` places when given: an item's ETA depends
    only on what ranks above it, and on the job in hand, which comes first whatever its
    rank). In a team, the technician's own queue: their items and nobody's (``everyone``:
    every technician's), their own job in hand first."""
    store, settings = desk.store, desk.settings
    if limit is not None and not store.team:
        # The first places only (``next``): from the queue the last whole read kept, when
        # nothing since can make it differ from a whole read (see views.kept_queue).
        from techqueue.views import kept_queue

        spent = spent_in_progress(desk, now)
        found = kept_queue.first_places(desk, now, limit, spent)
        if found is not None:
            places, booked, in_hand = found
            if explain:
                explain_ranked(places, now, settings.weights, hours=settings.hours)
            return queue_view(places, in_hand, booked, spent, now, settings)
    # The journal's position first: whatever is written while the items are read is newer
    # than it, so what is kept of this read is brought up to date with it later.
    journal_id = store.last_journal_id() if not store.team else 0
    items = team_view(desk, store.items(OPEN_STATUSES), everyone=everyone)
    history = desk.history()
    spent = spent_in_progress(desk, now)
    prepared = as_ranked(items, history, settings, spent)
    ranked = rank(
        prepared, now, settings.weights, explain=explain, limit=limit, hours=settings.hours
    )
    if not store.team:
        from techqueue.views import kept_queue

        kept_queue.keep(desk, prepared, journal_id, history, now)
    in_hand = next((item for item in items if item.status == "active"), None)
    if in_hand is not None:
        in_hand = with_learned_estimates([in_hand], history)[0]
    view = queue_view(ranked, in_hand, items, spent, now, settings)
    if store.team:
        return view
    return QueueView(view.now, view.ranked, view.forecast, journal_id)


def queue_view(
    ranked: list[Ranked[ItemRecord]],
    in_hand: ItemRecord | None,
    items: Iterable[Booked],
    spent: Mapping[int, float],
    now: datetime,
    settings: Settings,
    whole: Sequence[Ranked[Any]] | None = None,
) -> QueueView:
    """The queue with its forecast: of the places ranked, and of the job in hand (its
    learned estimate in effect) when it is not among them, around the booked ``items``;
    its overload planned over ``whole`` (the whole queue, the job in hand among it, when
    ``ranked`` is its first places only)."""
    ahead: list[Ranked[ItemRecord]] = _with_in_hand(ranked, in_hand)
    forecast = Forecast.of(ahead, spent, now, settings, slots_of(items, now), queue=whole)
    return QueueView(now, ranked, forecast)


def _with_in_hand(ranked: list[Ranked[Any]], in_hand: ItemRecord | None) -> list[Ranked[Any]]:
    """The places, with the job in hand after them when it is not among them."""
    if in_hand is not None and all(entry.id != in_hand.id for entry in ranked):
        return [*ranked, Ranked(in_hand.id, in_hand, 0, 0.0, "active")]
    return ranked


def unranked(
    items: Iterable[ItemRecord], ranked: Iterable[Ranked[ItemRecord]], now: datetime
) -> list[ItemRecord]:
    """The ``items`` the ranking left out (deferred ones), the soonest back first: what a
    full listing shows after the queue."""
    placed = {entry.id for entry in ranked}
    return sorted(
        (item for item in items if item.id not in placed),
        key=lambda item: (item.deferred_until or now, item.id),
    )


@dataclass(frozen=True)
class Placement:
    """One item as the queue sees it: with its learned estimate in effect, its place
    explained (``None`` when it is not ranked: deferred or finished), and the queue's
    forecast."""

    item: ItemRecord
    entry: Ranked[ItemRecord] | None
    forecast: Forecast


def place(desk: Desk, item: ItemRecord, now: datetime) -> Placement:
    """Where ``item`` stands in the whole queue at ``now``. The queue is ranked without
    explanations and only this item is explained, which is what ``show`` and an action's
    ``--json`` need.

    From the queue the last whole read kept, when nothing since can make it differ from a
    whole read (:func:`techqueue.views.kept_queue.placed`): only the item's record (and the
    job in hand's) is read; the forecast is of the places down to the item (its ETA depends
    only on those, the job in hand and the booked slots), so it gives the ETAs, promise
    states and misses of those places alone, as ``read_queue(limit=...)`` does; its
    overload is planned over the whole kept queue, stand-ins and all, as a whole read plans
    it (``breach_at``, ``will_breach``). Otherwise the queue is read whole."""
    settings = desk.settings
    if not desk.store.team:
        from techqueue.views import kept_queue

        spent = spent_in_progress(desk, now)
        found = kept_queue.placed(desk, item.id, now, spent)
        if found is not None:
            entry, ahead, whole, booked, in_hand = found
            view = queue_view(ahead, in_hand, booked, spent, now, settings, whole or None)
            if entry is None:
                learned = with_learned_estimates([item], desk.history())[0]
                return Placement(learned, None, view.forecast)
            # (the entry's record has its learned estimate in effect: no history needed)
            return _explained(entry, None, now, settings, view.forecast)
    queue = read_queue(desk, now, explain=False)
    for entry in queue.ranked:
        if entry.id == item.id:
            return _explained(entry, desk.history(), now, settings, queue.forecast)
    return Placement(with_learned_estimates([item], desk.history())[0], None, queue.forecast)


def _explained(
    entry: Ranked[ItemRecord],
    history: History | None,
    now: datetime,
    settings: Settings,
    forecast: Forecast,
) -> Placement:
    """``entry``, as its queue placed it, explained on its own: its reasons, why the deadline
    guard placed it, if it did, and its promise's risk."""
    weights = settings.weights
    alone = as_ranked([entry.item], history, settings)
    entry.reasons = rank(alone, now, weights, hours=settings.hours)[0].reasons
    say_guard(entry, now, weights)  # the deadline guard placed it: say why
    flag_risk(entry, forecast)
    return Placement(entry.item, entry, forecast)


def closed_today(desk: Desk, now: datetime) -> list[ItemRecord]:
    """Items done or dropped in the working day ``now`` is in (by the day boundary)."""
    start, end = today_span(now, desk.settings.day_boundary)
    return desk.store.closed_between(start, end)
