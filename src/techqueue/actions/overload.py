"""The ways out of an overload, when there is more work than hours: hand an item off to
someone else, or defer it with a promise the customer can plan on. Each is one action, undone
as one; raising an item is ``bump``."""

from __future__ import annotations

from datetime import datetime

from techqueue.actions.hooks import fire
from techqueue.actions.items import Changed, defer_writes, drop_writes, require
from techqueue.actions.notes import note_writes
from techqueue.core.text import clean_text
from techqueue.desk import Desk
from techqueue.errors import BadRequest

__all__ = ["defer_promised", "handoff"]


def handoff(desk: Desk, item_id: int, to: str, now: datetime) -> Changed:
    """Someone else takes the item: it leaves the queue (dropped, with "handed off to NAME"
    as the reason, so the review and ``list --status dropped`` say where it went) and its
    history says so."""
    who = clean_text(to)
    if not who:
        raise BadRequest("say who takes it over: --to NAME")
    store = desk.store
    item = require(store, item_id, "drop")
    reason = f"handed off to {who}"
    with store.action(
        "handoff", f"hand #{item_id} {item.title!r} off to {who}", now, item_id
    ) as tx:
        drop_writes(desk, tx, item, now, reason)
        note_writes(desk, tx, item, f"Handed off to {who}.", now, kind="plain", due_at=None)
    return Changed(store.get(item_id))


def defer_promised(
    desk: Desk, item_id: int, when: datetime, now: datetime, *, said: str | None = None
) -> Changed:
    """Out of the queue until ``when``, and the customer promised that time: the deferral
    and the promise in one action, so the promise is followed up like any other."""
    store = desk.store
    item = require(store, item_id, "defer")
    if when <= now:
        raise BadRequest("that time has already passed: defer to a later time")
    text = clean_text(said or "") or f"I'll get to it by {when:%a %d %b %H:%M}."
    with store.action(
        "defer", f"defer #{item_id} {item.title!r} with a promise", now, item_id
    ) as tx:
        defer_writes(desk, tx, item, when, now)
        note_writes(desk, tx, item, text, now, kind="promise", due_at=when)
    fire(desk, "promise", [item_id], now)
    return Changed(store.get(item_id))
