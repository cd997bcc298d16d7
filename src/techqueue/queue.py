"""The ranked queue as every front end shows it: store rows, scored by the pure core, with
the estimates learned from history, the ETAs and the promises' states.

The CLI and the TUI both call these functions, so a rank, an estimate, an ETA or a JSON field
cannot differ between them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, tzinfo
from typing import TYPE_CHECKING, Any

from techqueue.core.estimates import Estimate, History, PastJob
from techqueue.core.expectations import (
    Eta,
    Nudge,
    promise_state,
    remaining_minutes,
    schedule,
    tell,
    top_nudges,
)
from techqueue.core.settings import Settings
from techqueue.core.text import clean_text
from techqueue.core.workday import span_minutes, today_span
from techqueue.scoring import Ranked, Weights, effective_estimate, rank
from techqueue.store import OPEN_STATUSES, ItemRecord, SpanRecord, Store

if TYPE_CHECKING:
    from techqueue.core.advice import Advice

__all__ = [
    "Forecast",
    "estimate_of",
    "flag_risk",
    "forecast",
    "forecast_of",
    "interrupt_advice",
    "iso",
    "item_json",
    "learn",
    "nudges",
    "placement",
    "rank_learned",
    "ranked_queue",
    "spent_in_progress",
    "tell_them",
    "time_spent",
    "unranked",
    "with_learned_estimates",
    "worked_minutes",
]


def learn(store: Store) -> History:
    """The technician's finished work, indexed for estimating."""
    return History(
        PastJob(item.title, item.tags, item.requester, minutes)
        for item, minutes in store.finished_work()
    )


def with_learned_estimates(items: Iterable[ItemRecord], history: History) -> list[ItemRecord]:
    """The items, those without an estimate of their own replaced by a copy carrying the
    estimate learned from similar finished work (and marked so), ready to rank."""
    if not len(history):
        return list(items)
    result = []
    for item in items:
        if item.estimate_minutes is None:
            learned = history.learned(item)
            if learned is not None:
                item = dataclasses.replace(
                    item,
                    estimate_minutes=learned[0],
                    estimate_source="history",
                    estimate_samples=learned[1],
                )
        result.append(item)
    return result


def rank_learned(
    items: Iterable[ItemRecord],
    history: History,
    now: datetime,
    weights: Weights,
    *,
    explain: bool = True,
    limit: int | None = None,
) -> list[Ranked[ItemRecord]]:
    """Rank with learned estimates in effect: an item like one that took two hours last time
    does not pass for a default twenty-minute job."""
    return rank(with_learned_estimates(items, history), now, weights, explain=explain, limit=limit)


def ranked_queue(
    store: Store,
    now: datetime,
    weights: Weights,
    *,
    explain: bool = True,
    limit: int | None = None,
    history: History | None = None,
) -> list[Ranked[ItemRecord]]:
    """Unfinished items in rank order (waiting ones last, deferred ones left out); only the
    first ``limit`` places when given. ``history`` spares learning it again."""
    if history is None:
        history = learn(store)
    return rank_learned(
        store.items(OPEN_STATUSES), history, now, weights, explain=explain, limit=limit
    )


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


def placement(
    store: Store,
    now: datetime,
    settings: Settings,
    item: ItemRecord,
    history: History | None = None,
) -> tuple[ItemRecord, Ranked[ItemRecord] | None, Forecast]:
    """``item`` with its learned estimate in effect, where it stands in the queue, explained
    (``None`` when it is not ranked, deferred or finished), and the queue's forecast.

    The whole queue is ranked without explanations and only this item is explained, which
    is what ``show`` and an action's ``--json`` need.
    """
    weights = settings.weights
    if history is None:
        history = learn(store)
    queue = ranked_queue(store, now, weights, explain=False, history=history)
    outlook = forecast_of(store, queue, now, settings)
    for entry in queue:
        if entry.id == item.id:
            entry.reasons = rank([entry.item], now, weights)[0].reasons
            flag_risk(entry, outlook)
            return entry.item, entry, outlook
    return with_learned_estimates([item], history)[0], None, outlook


def estimate_of(item: ItemRecord, weights: Weights) -> Estimate:
    """The estimate in effect with where it comes from."""
    if item.estimate_source == "history" and item.estimate_minutes is not None:
        return Estimate(item.estimate_minutes, "history", item.estimate_samples)
    if item.estimate_minutes is not None:
        return Estimate(item.estimate_minutes, "given")
    return Estimate(weights.default_estimate_minutes[item.severity], "default")


@dataclass(frozen=True)
class Forecast:
    """What the queue means for each item: when the technician will likely get to it and
    finish it, and how its promise stands."""

    now: datetime
    etas: Mapping[int, Eta] = field(default_factory=dict)
    states: dict[int, str] = field(default_factory=dict)

    def state(self, item_id: int) -> str:
        return self.states.get(item_id, "none")

    def state_of(self, item: ItemRecord) -> str:
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


def forecast(
    ranked: Iterable[Ranked[ItemRecord]],
    spent: Mapping[int, float],
    now: datetime,
    settings: Settings,
) -> Forecast:
    """ETAs and promise states for a ranked queue (or its first places: an item's ETA
    depends only on what ranks above it). ``spent`` is the time already worked on items in
    progress, taken off their estimates."""
    entries = list(ranked)
    weights = settings.weights
    work: list[tuple[int, float, str]] = []
    promised: list[ItemRecord] = []
    for entry in entries:  # a plain loop: this runs for every open item on every re-rank
        item = entry.item
        estimate = effective_estimate(item, weights)
        if item.id in spent:
            estimate = remaining_minutes(estimate, spent[item.id])
        work.append((item.id, estimate, item.status))
        if item.promise_due_at is not None:
            promised.append(item)
    etas = schedule(work, now, settings.hours)
    states = {item.id: promise_state(item, etas.get(item.id), now) for item in promised}
    return Forecast(now, etas, states)


def forecast_of(
    store: Store, ranked: Iterable[Ranked[ItemRecord]], now: datetime, settings: Settings
) -> Forecast:
    """:func:`forecast` with the time already worked on items in progress read from the
    store: what every command showing ETAs needs."""
    return forecast(ranked, spent_in_progress(store, now, settings), now, settings)


def flag_risk(entry: Ranked[ItemRecord], outlook: Forecast) -> None:
    """Say in the promise's reason that it is at risk, and why, so the explanation of the
    rank carries what the header counts."""
    if outlook.state(entry.id) != "at_risk" or not entry.reasons:
        return
    eta = outlook.etas[entry.id]
    start = eta.start.astimezone(outlook.now.tzinfo)
    day = "" if start.date() == outlook.now.date() else f"{start:%a} "
    entry.reasons = tuple(
        reason._replace(detail=f"{reason.detail} — at risk: likely to start {day}{start:%H:%M}")
        if reason.factor == "promise"
        else reason
        for reason in entry.reasons
    )


def spent_in_progress(store: Store, now: datetime, settings: Settings) -> dict[int, float]:
    """Minutes already worked on the items in progress (active or paused)."""
    return worked_minutes(store.work_in_progress(), now, settings)


def interrupt_advice(
    store: Store,
    active: ItemRecord,
    newcomer: ItemRecord,
    now: datetime,
    settings: Settings,
    history: History | None = None,
) -> Advice | None:
    """Whether to pause ``active`` for ``newcomer``, judged on the estimates the queue ranks
    with (learned ones included), so ``add``'s line and the app's banner always agree."""
    if history is None:
        history = learn(store)
    active, newcomer = with_learned_estimates([active, newcomer], history)
    spent = spent_in_progress(store, now, settings).get(active.id, 0.0)
    from techqueue.core.advice import advise  # only add, next and the app's banner ask

    return advise(active, newcomer, now, settings.weights, spent_minutes=spent)


def worked_minutes(
    spans: Iterable[SpanRecord], now: datetime, settings: Settings
) -> dict[int, float]:
    """Minutes of recorded work per item. A span still running counts until ``now`` — or,
    when it was forgotten overnight, until its working day ended, as the review counts it."""
    hours, boundary = settings.hours, settings.day_boundary
    totals: dict[int, float] = {}
    for span in spans:
        minutes, _ = span_minutes(span, now, hours, boundary)
        totals[span.item_id] = totals.get(span.item_id, 0.0) + minutes
    return totals


def tell_them(item: ItemRecord, outlook: Forecast, settings: Settings) -> str | None:
    """The sentence to say to the item's requester (the detail pane, ``show``, ``eta ID``);
    ``None`` once the item is done or dropped, when there is nothing left to promise. A
    deferred item is taken up again when its deferral ends, within working hours."""
    if item.status in ("done", "dropped"):
        return None
    estimate = estimate_of(item, settings.weights)
    eta = outlook.etas.get(item.id)
    back = item.deferred_until
    if eta is None and back is not None and back > outlook.now:
        eta = schedule([(item.id, estimate.minutes, "open")], back, settings.hours)[item.id]
    return tell(
        requester=clean_text(item.requester or "") or None,
        title=clean_text(item.title),
        estimate=estimate,
        eta=eta,
        now=outlook.now,
        template=settings.expectations.tell_template,
    )


def time_spent(
    store: Store, items: Iterable[ItemRecord], now: datetime, settings: Settings
) -> dict[int, float]:
    """Minutes of recorded work per item (see :func:`worked_minutes`)."""
    return worked_minutes(store.spans(item.id for item in items), now, settings)


def iso(moment: datetime | None) -> str | None:
    """A time for JSON: ISO 8601 in local time."""
    if moment is None:
        return None
    return moment.astimezone(_local_zone(moment.timestamp())).isoformat(timespec="seconds")


_ZONES: dict[int, tzinfo | None] = {}


def _local_zone(timestamp: float) -> tzinfo | None:
    """The local zone in force at ``timestamp``, looked up once per hour of time (zone
    changes fall on the hour), since asking the C library for every time of a 10k-item
    list is a good part of ``list --json``'s cost."""
    hour = int(timestamp // 3600)
    zone = _ZONES.get(hour)
    if zone is None:
        zone = _ZONES[hour] = datetime.fromtimestamp(hour * 3600 + 1800).astimezone().tzinfo
    return zone


def item_json(
    item: ItemRecord,
    placed: Ranked[ItemRecord] | None,
    weights: Weights,
    outlook: Forecast,
) -> dict[str, Any]:
    """The item as the command line's JSON contract describes it."""
    if placed is not None:
        item = placed.item  # the ranked copy: it carries a learned estimate
    estimate = estimate_of(item, weights)
    eta = outlook.etas.get(item.id)
    return {
        "id": item.id,
        "title": item.title,
        "requester": item.requester,
        "vip": item.vip,
        "severity": item.severity,
        "channel": item.channel,
        "impact": item.impact,
        "estimate_minutes": round(estimate.minutes, 2),
        "status": item.status,
        "received_at": iso(item.received_at),
        "created_at": iso(item.created_at),
        "due_at": iso(item.due_at),
        "started_at": iso(item.started_at),
        "done_at": iso(item.done_at),
        "tags": list(item.tags),
        "ref": item.ref,
        "pinned": item.pinned,
        "deferred_until": iso(item.deferred_until),
        "rank": placed.rank if placed else None,
        "score": round(placed.score, 2) if placed else None,
        "reasons": [
            {"factor": reason.factor, "points": round(reason.points, 2), "detail": reason.detail}
            for reason in (placed.reasons if placed else ())
        ],
        "bump": item.bump,
        "promise_due_at": iso(item.promise_due_at),
        "drop_reason": item.drop_reason,
        "estimate_source": estimate.source,
        "estimate_samples": estimate.samples,
        "eta": iso(eta.start) if eta else None,
        "eta_finish": iso(eta.finish) if eta else None,
        "promise_state": outlook.state_of(item),
    }


def closed_today(store: Store, now: datetime, boundary: time) -> list[ItemRecord]:
    """Items done or dropped in the working day ``now`` is in (it turns at ``boundary``)."""
    start, end = today_span(now, boundary)
    return store.closed_between(start, end)


def nudges(
    store: Store,
    items: Iterable[ItemRecord],
    now: datetime,
    settings: Settings,
    limit: int | None = None,
) -> tuple[list[Nudge], int]:
    """Customers to update (open items past their severity's contact target), the most
    overdue first — the first ``limit`` of them — and how many there are in all."""
    targets = settings.expectations.contact_target_minutes
    return top_nudges(items, store.last_contacts(), now, targets, limit)
