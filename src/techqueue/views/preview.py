"""Where a quick-add line will land: the item as the store will hold it once the line is saved
(a new capture, or an item edited with its whole line), ranked with the rest of the queue the
same way the board ranks it -- so the preview's "lands at #N of M" is the queue's own answer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from techqueue.core.business import cost_tag
from techqueue.domain import DEFAULT_CHANNEL, DEFAULT_SEVERITY
from techqueue.records import ItemRecord
from techqueue.views.ranking import rank_learned

if TYPE_CHECKING:
    from techqueue.core.estimates import History
    from techqueue.core.quickadd import Draft
    from techqueue.core.settings import Settings

__all__ = ["drafted_item", "placement"]


def drafted_item(
    draft: Draft,
    now: datetime,
    *,
    editing: ItemRecord | None = None,
    new_id: int = 0,
    requester_vip: bool = False,
) -> ItemRecord:
    """The item ``draft`` becomes when saved: captured at ``now`` (with ``new_id``), or, with
    ``editing``, that item with what the line says in place of what it said (what the line
    leaves out is cleared, as ``edit`` does with a whole line); its pin, bump, promise, status,
    arrival and deferral stay. ``requester_vip``: whether the line's requester is a VIP."""
    said: dict[str, Any] = {
        "title": draft.title or (editing.title if editing else ""),
        "requester": draft.requester,
        "severity": draft.severity or DEFAULT_SEVERITY,
        "channel": draft.channel or DEFAULT_CHANNEL,
        "impact": draft.impact or 1,
        "estimate_minutes": draft.estimate_minutes,
        "estimate_source": None,
        "estimate_samples": 0,
        "due_at": draft.due_at,
        "tags": tuple(dict.fromkeys(draft.tags))
        + ((cost_tag(draft.cost),) if draft.cost is not None else ()),
        "ref": draft.ref,
        "own_vip": draft.vip,
        "vip": draft.vip or requester_vip,
        "requester_vip": requester_vip,
    }
    if editing is not None:
        return dataclasses.replace(editing, **said)
    return ItemRecord(
        id=new_id,
        requester_id=None,
        status="open",
        pinned=False,
        bump=0.0,
        received_at=now,
        created_at=now,
        started_at=None,
        done_at=None,
        deferred_until=None,
        promise_due_at=None,
        drop_reason=None,
        **said,
    )


def placement(
    item: ItemRecord,
    others: Iterable[ItemRecord],
    history: History,
    now: datetime,
    settings: Settings,
) -> tuple[int, int] | None:
    """(the place ``item`` takes, how many are ranked) when ranked with ``others`` (the queue
    without it), by the board's own ranking; ``None`` when it would not be ranked."""
    ranked = rank_learned([item, *others], history, now, settings, explain=False)
    place = next((entry.rank for entry in ranked if entry.item.id == item.id), None)
    return None if place is None else (place, len(ranked))
