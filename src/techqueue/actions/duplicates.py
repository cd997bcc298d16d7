"""Duplicates: one piece of work captured twice (a call and the mail that followed, a ticket
and its copy) made one again, with both histories; and a capture whose ref an item already
holds added to that item instead of starting another.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from techqueue.actions.items import (
    Changed,
    ItemFields,
    KnownRef,
    add,
    requester_id,
    require,
    stop_or_start_clock,
)
from techqueue.core.worktime import waited_minutes
from techqueue.desk import Desk
from techqueue.domain import SEVERITIES
from techqueue.errors import BadRequest
from techqueue.records import ItemRecord

__all__ = ["Merged", "add_or_merge", "merge"]

#: The merged item's status: the further along of the two (work in hand is not set back).
_FURTHEST = ("active", "paused", "open", "waiting")


@dataclass(frozen=True, slots=True)
class Merged:
    """The item kept, and the id of the one merged into it (which no longer exists)."""

    item: ItemRecord
    merged: int


def _earliest(*moments: datetime | None) -> datetime | None:
    given = [moment for moment in moments if moment is not None]
    return min(given) if given else None


def _merged_values(
    desk: Desk, keep: ItemRecord, other: ItemRecord, now: datetime
) -> dict[str, Any]:
    """The kept item's fields with the other's taken in: the more severe severity, the wider
    impact, every tag, the earlier arrival, due time and promise, the longer wait."""
    clock = desk.clock(now)
    deferred = (
        _earliest(keep.deferred_until, other.deferred_until)
        if keep.deferred_until is not None and other.deferred_until is not None
        else None
    )
    return {
        "status": next(s for s in _FURTHEST if s in (keep.status, other.status)),
        "severity": min(keep.severity, other.severity, key=SEVERITIES.index),
        "impact": max(keep.impact, other.impact),
        "vip": keep.own_vip or other.own_vip,
        "pinned": keep.pinned or other.pinned,
        "tags": json.dumps(list(dict.fromkeys(keep.tags + other.tags))),
        "requester_id": keep.requester_id or other.requester_id,
        "estimate_minutes": keep.own_estimate or other.own_estimate,
        "ref": keep.ref or other.ref,
        "received_at": min(keep.received_at, other.received_at),
        "started_at": _earliest(keep.started_at, other.started_at),
        "due_at": _earliest(keep.due_at, other.due_at),
        "promise_due_at": _earliest(keep.promise_due_at, other.promise_due_at),
        "deferred_until": deferred,
        "waited_minutes": max(waited_minutes(keep, now, clock), waited_minutes(other, now, clock)),
        "clock_at": now,
    }


def merge(desk: Desk, keep_id: int, other_id: int, now: datetime) -> Merged:
    """Merge item ``other_id`` into ``keep_id``: its notes, reminders and work log become the
    kept item's, a note says what was merged (carrying its ref, so a reply to it still finds
    the kept item), and it is gone. Both must be unfinished. One action, undone as one."""
    if keep_id == other_id:
        raise BadRequest("an item cannot be merged with itself")
    store = desk.store
    keep = require(store, keep_id, "merge")
    other = require(store, other_id, "merge")
    summary = f"merge #{other_id} into #{keep_id} {keep.title!r}"
    with store.action("merge", summary, now, keep_id) as tx:
        for note in store.notes(other_id):
            tx.update("note", note.id, {"item_id": keep_id})
        for reminder in store.reminders_for(other_id):
            tx.update("reminder", reminder.id, {"item_id": keep_id})
        for span in store.spans([other_id]):
            tx.update("work_span", span.id, {"item_id": keep_id})
        values = _merged_values(desk, keep, other, now)
        carried = other.ref if other.ref is not None and values["ref"] != other.ref else None
        who = f" from {other.requester}" if other.requester else ""
        tx.insert(
            "note",
            {
                "item_id": keep_id,
                "kind": "plain",
                "text": f"Merged #{other_id} {other.title!r}{who}",
                "created_at": now,
                "due_at": None,
                "ref": carried,
            },
        )
        tx.delete("item", other_id)
        tx.update("item", keep_id, values)
    return Merged(store.get(keep_id), other_id)


def add_or_merge(desk: Desk, fields: ItemFields, now: datetime) -> Changed:
    """``add --merge``: a capture whose ref an item already holds is added to that item as a
    note (opening it again when it waited on the customer); otherwise a new item."""
    store = desk.store
    owner = store.ref_owners([fields.ref]).get(fields.ref) if fields.ref else None
    if owner is None:
        try:
            return add(desk, fields, now)
        except KnownRef as known:  # captured by another process meanwhile: merged into it
            owner = known.owner
    fields.check()
    item = store.get(owner)
    who = f" (from {fields.requester})" if fields.requester else ""
    with store.action("note", f"add to #{owner} (ref {fields.ref})", now, owner) as tx:
        if fields.requester:
            requester_id(store, tx, fields.requester, now)
        tx.insert(
            "note",
            {
                "item_id": owner,
                "kind": "plain",
                "text": f"{fields.title or 'Again'}{who}",
                "created_at": now,
                "due_at": None,
                "ref": None,
            },
        )
        if item.status == "waiting":
            tx.update(
                "item",
                owner,
                {"status": "open", "deferred_until": None, **stop_or_start_clock(desk, item, now)},
            )
    return Changed(store.get(owner))
