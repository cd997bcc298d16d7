"""Booking a slot with a customer, and cancelling it: "is now a good time, or later?"

A booked item is deferred until shortly before its slot (so it leaves the queue and its
waiting clock stops, as for any deferral), then ranks first; the forecast plans around the
slot (:mod:`techqueue.core.appointments`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from techqueue.actions.items import Changed, close_running_span, require, stop_or_start_clock
from techqueue.core.appointments import back_in_queue
from techqueue.desk import Desk
from techqueue.domain import MAX_DURATION_MINUTES
from techqueue.errors import BadRequest

__all__ = ["appoint", "cancel_appointment"]


def appoint(
    desk: Desk, item_id: int, at: datetime, now: datetime, minutes: float | None = None
) -> Changed:
    """Book item ``item_id`` for a slot at ``at`` lasting ``minutes`` (the default slot
    when ``None``); a booking made again moves the slot. The item in hand is paused first."""
    store = desk.store
    item = require(store, item_id, "appoint")
    if at <= now:
        raise BadRequest("that time has already passed: book a later time")
    if minutes is not None and not 0 < minutes <= MAX_DURATION_MINUTES:
        raise BadRequest("a slot must last more than zero and at most 30 days")
    summary = f"appoint #{item_id} {item.title!r} at {at:%a %H:%M}"
    with store.action("appoint", summary, now, item_id) as tx:
        values: dict[str, Any] = {
            "appointment_at": at,
            "appointment_minutes": minutes,
            "deferred_until": back_in_queue(at, now),
            **stop_or_start_clock(desk, item, now),
        }
        if item.status == "active":
            close_running_span(desk, tx, item_id, now)
            values["status"] = "paused"
        tx.update("item", item_id, values)
    return Changed(store.get(item_id))


def cancel_appointment(desk: Desk, item_id: int, now: datetime) -> Changed:
    """The slot is off: the item is back in the queue now, ranking as any other."""
    store = desk.store
    item = store.get(item_id)
    if item.appointment_at is None:
        raise BadRequest(f"item {item_id} has no appointment to cancel")
    summary = f"cancel the appointment of #{item_id} {item.title!r}"
    with store.action("appoint cancel", summary, now, item_id) as tx:
        values: dict[str, Any] = {"appointment_at": None, "appointment_minutes": None}
        if item.deferred_until is not None and item.deferred_until > now:
            values |= {"deferred_until": None, **stop_or_start_clock(desk, item, now)}
        tx.update("item", item_id, values)
    return Changed(store.get(item_id))
