"""How the store reads items: one SELECT joining each item to its requester, and its rows
made into records by position (this runs for every open item on every re-rank)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from techqueue.db.backends import from_stored
from techqueue.errors import StoreError
from techqueue.records import ItemRecord

__all__ = ["ITEM_COLUMNS", "ITEM_SELECT", "item_records", "stored_time"]

ITEM_SELECT = (
    "SELECT item.id, item.title, requester.name, item.requester_id, item.channel, "
    "item.severity, item.impact, item.estimate_minutes, item.status, "
    "item.vip OR COALESCE(requester.vip, false), item.vip, item.pinned, item.bump, item.tags, "
    "item.ref, item.received_at, item.created_at, item.started_at, item.done_at, item.due_at, "
    "item.deferred_until, item.promise_due_at, item.drop_reason, "
    "COALESCE(requester.vip, false), item.waited_minutes, item.clock_at, "
    "item.contact_waited_minutes, item.appointment_at, item.appointment_minutes, "
    "item.solution, item.waiting_on, item.waiting_kind, item.waiting_since, item.chase_at, "
    "item.recurrence_id, item.assignee, requester.email "
    "FROM item LEFT JOIN requester ON requester.id = item.requester_id"
)
#: The item table's columns but its id, in the order of the table.
ITEM_COLUMNS = (
    "title",
    "requester_id",
    "channel",
    "severity",
    "impact",
    "estimate_minutes",
    "status",
    "vip",
    "pinned",
    "bump",
    "tags",
    "ref",
    "received_at",
    "created_at",
    "started_at",
    "done_at",
    "due_at",
    "deferred_until",
    "promise_due_at",
    "drop_reason",
    "waited_minutes",
    "clock_at",
    "contact_waited_minutes",
    "appointment_at",
    "appointment_minutes",
    "solution",
    "waiting_on",
    "waiting_kind",
    "waiting_since",
    "chase_at",
    "recurrence_id",
    "assignee",
)


def stored_time(value: Any) -> datetime:
    moment = from_stored(value)
    if moment is None:
        raise StoreError("the store holds an item without a time it must have")
    return moment


def item_records(rows: list[tuple[Any, ...]]) -> list[ItemRecord]:
    """Rows of :data:`ITEM_SELECT` as records; by position, as this runs for every open item."""
    when = from_stored
    must = stored_time
    loads = json.loads
    return [
        ItemRecord(
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            r[8],
            bool(r[9]),
            bool(r[10]),
            bool(r[11]),
            r[12],
            () if r[13] == "[]" else tuple(loads(r[13])),
            r[14],
            must(r[15]),
            must(r[16]),
            None if r[17] is None else when(r[17]),
            None if r[18] is None else when(r[18]),
            None if r[19] is None else when(r[19]),
            None if r[20] is None else when(r[20]),
            None if r[21] is None else when(r[21]),
            r[22],
            bool(r[23]),
            r[24],
            None if r[25] is None else when(r[25]),
            r[26],
            appointment_at=None if r[27] is None else when(r[27]),
            appointment_minutes=r[28],
            solution=r[29],
            waiting_on=r[30],
            waiting_kind=r[31],
            waiting_since=None if r[32] is None else when(r[32]),
            chase_at=None if r[33] is None else when(r[33]),
            recurrence_id=r[34],
            assignee=r[35],
            requester_email=r[36],
        )
        for r in rows
    ]
