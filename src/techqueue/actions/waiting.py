"""Waiting on someone else: an item out with a vendor or a colleague, with a reminder to
chase them. Its clock stops, as while it waits on the customer (it is ``waiting``), and the
review lists what is out with whom and for how long."""

from __future__ import annotations

from datetime import datetime

from techqueue.actions.items import Changed, require, wait_writes
from techqueue.core.waiting import WAITING_KINDS
from techqueue.desk import Desk
from techqueue.domain import MAX_NAME
from techqueue.errors import BadRequest

__all__ = ["chase_text", "wait_on"]


def chase_text(who: str, kind: str, item_id: int) -> str:
    """The chase reminder's text: ``chase vendor Acme about #12`` (the reminder is on the
    item, which every list of reminders names beside it)."""
    said = who if kind == "person" else f"{kind} {who}"
    return f"chase {said} about #{item_id}"


def wait_on(
    desk: Desk,
    item_id: int,
    who: str,
    kind: str,
    now: datetime,
    chase: datetime | None = None,
    until: datetime | None = None,
) -> Changed:
    """Item ``item_id`` is out with ``who`` (a ``vendor``, a ``colleague`` or a ``person``):
    waiting, its clock stopped; with ``chase`` a reminder to chase them then (on the item,
    as any reminder); with ``until`` out of sight until then."""
    store = desk.store
    item = require(store, item_id, "wait on")
    who = " ".join(who.split())
    if not who:
        raise BadRequest("say who it waits on: vendor:NAME, colleague:NAME or a name")
    if len(who) > MAX_NAME:
        raise BadRequest(f"the name is too long: at most {MAX_NAME} characters")
    if kind not in WAITING_KINDS:
        raise BadRequest(f"unknown kind {kind!r}: vendor, colleague or person")
    for moment, what in ((chase, "the chase"), (until, "--until")):
        if moment is not None and moment <= now:
            raise BadRequest(f"{what}: that time has already passed")
    summary = f"wait on {who} for #{item_id} {item.title!r}"
    with store.action("wait on", summary, now, item_id) as tx:
        since = item.waiting_since if item.waiting_on == who else None
        out_with = {
            "waiting_on": who,
            "waiting_kind": kind,
            "waiting_since": since or now,
            "chase_at": chase,
        }
        wait_writes(desk, tx, item, now, until, out_with)
        if chase is not None:
            tx.insert(
                "reminder",
                {
                    "item_id": item_id,
                    "text": chase_text(who, kind, item_id),
                    "due_at": chase,
                    "created_at": now,
                    "dismissed_at": None,
                },
            )
    return Changed(store.get(item_id))
