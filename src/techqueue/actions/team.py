"""A team's share of the queue: claiming the top item nobody has, and giving an item to a
technician or back to the queue.

A claim is atomic: the item is taken under a row lock that other claimers skip (``SELECT …
FOR UPDATE SKIP LOCKED`` on PostgreSQL; a solo store's write transaction is exclusive), so
two technicians claiming at once never get the same item, and none is lost.
"""

from __future__ import annotations

from datetime import datetime

from techqueue.actions.items import (
    Changed,
    Started,
    close_running_span,
    refuse_long,
    require,
    start_writes,
)
from techqueue.desk import Desk
from techqueue.domain import MAX_NAME
from techqueue.errors import BadRequest
from techqueue.store import technician_name

__all__ = ["assign", "claim", "unassign"]


def claim(desk: Desk, now: datetime) -> Started | None:
    """Take the top-ranked item nobody has and start it (pausing this technician's job in
    hand); ``None`` when every item is someone's or the queue is empty."""
    from techqueue.views.ranking import read_queue

    store = desk.store
    queue = read_queue(desk, now, explain=False)
    candidates = [
        entry.id
        for entry in queue.ranked
        if entry.item.assignee is None and entry.item.status in ("open", "paused")
    ]
    if not candidates:
        return None
    try:
        with store.action("claim", "claim", now) as tx:
            item_id = store.claim(candidates)
            if item_id is None:
                raise _Nothing
            item = store.get(item_id)
            tx.item_id = item_id
            paused = start_writes(desk, tx, item, now)
            if not store.team:  # alone, a claim still says who has the item
                tx.update("item", item_id, {"assignee": store.user})
    except _Nothing:  # every candidate went to others on the way: nothing was written
        return None
    return Started(store.get(item_id), store.get(paused[0].id) if paused else None)


class _Nothing(Exception):
    """Every candidate was taken by another technician on the way."""


def assign(desk: Desk, item_id: int, name: str, now: datetime) -> Changed:
    """Give an item to a technician (by name). An item being worked on by someone else is
    paused, so its time is not counted as the new technician's."""
    refuse_long("the technician's name", name, MAX_NAME)
    try:
        who = technician_name(name)
    except BadRequest:
        raise BadRequest("give the technician's name (printable text)") from None
    store = desk.store
    item = require(store, item_id, "assign")
    with store.action("assign", f"assign #{item_id} to {who}", now, item_id) as tx:
        holder = store.holder(item_id)
        values: dict[str, object] = {"assignee": who}
        if item.status == "active" and holder != who:
            close_running_span(desk, tx, item_id, now)
            values["status"] = "paused"
        tx.update("item", item_id, values)
    return Changed(store.get(item_id))


def unassign(desk: Desk, item_id: int, now: datetime) -> Changed:
    """Give an item back to the queue: nobody has it (a job in hand is paused first)."""
    store = desk.store
    item = require(store, item_id, "unassign")
    if item.assignee is None:
        raise BadRequest(f"#{item_id} is nobody's already")
    with store.action("unassign", f"unassign #{item_id}", now, item_id) as tx:
        values: dict[str, object] = {"assignee": None}
        if item.status == "active":
            close_running_span(desk, tx, item_id, now)
            values["status"] = "paused"
        tx.update("item", item_id, values)
    return Changed(store.get(item_id))
