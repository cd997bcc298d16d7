"""The ranked queue as every front end shows it: store rows, scored by the pure core.

The CLI and the TUI both call these functions, so a rank, an estimate or a JSON field cannot
differ between them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, tzinfo
from typing import Any

from techqueue.scoring import Ranked, Weights, rank
from techqueue.store import OPEN_STATUSES, ItemRecord, Store, day_bounds

__all__ = ["estimate_in_effect", "iso", "item_json", "ranked_queue", "time_spent"]


def ranked_queue(
    store: Store, now: datetime, weights: Weights, *, explain: bool = True
) -> list[Ranked[ItemRecord]]:
    """Unfinished items in rank order (waiting ones last, deferred ones left out)."""
    return rank(store.items(OPEN_STATUSES), now, weights, explain=explain)


def placement(
    store: Store, now: datetime, weights: Weights, item: ItemRecord
) -> Ranked[ItemRecord] | None:
    """Where ``item`` stands in the queue, explained; ``None`` when it is not ranked.

    The whole queue is ranked without explanations and only this item is explained, which
    is what ``show`` and an action's ``--json`` need.
    """
    for entry in ranked_queue(store, now, weights, explain=False):
        if entry.id == item.id:
            explained = rank([item], now, weights)[0]
            entry.reasons = explained.reasons
            return entry
    return None


def estimate_in_effect(item: ItemRecord, weights: Weights) -> float:
    """The item's own estimate, or its severity's default."""
    if item.estimate_minutes is not None:
        return item.estimate_minutes
    return weights.default_estimate_minutes[item.severity]


def time_spent(store: Store, items: Iterable[ItemRecord], now: datetime) -> dict[int, float]:
    """Minutes of recorded work per item (an open span counts until ``now``)."""
    totals: dict[int, float] = {}
    for span in store.spans(item.id for item in items):
        end = span.ended_at or now
        minutes = max((end - span.started_at).total_seconds() / 60, 0.0)
        totals[span.item_id] = totals.get(span.item_id, 0.0) + minutes
    return totals


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
    item: ItemRecord, placed: Ranked[ItemRecord] | None, weights: Weights
) -> dict[str, Any]:
    """The item as the command line's JSON contract describes it."""
    return {
        "id": item.id,
        "title": item.title,
        "requester": item.requester,
        "vip": item.vip,
        "severity": item.severity,
        "channel": item.channel,
        "impact": item.impact,
        "estimate_minutes": round(estimate_in_effect(item, weights), 2),
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
    }


def closed_today(store: Store, now: datetime) -> list[ItemRecord]:
    """Items done or dropped today (local day)."""
    start, end = day_bounds(now)
    return store.closed_between(start, end)
