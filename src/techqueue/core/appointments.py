"""Appointments: a slot booked with a customer ("is now a good time, or later?").

An item with an appointment leaves the queue until shortly before its slot (it is deferred
until then), then ranks first (:mod:`techqueue.scoring`'s appointment tier); the forecast
plans other work around every booked slot, never through one. This module holds the
arithmetic, pure: records in, times out, ``now`` an argument.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from techqueue.domain import APPOINTMENT_LEAD_MINUTES, CLOSED_STATUSES, DEFAULT_APPOINTMENT_MINUTES

__all__ = ["Booked", "Slot", "back_in_queue", "slot_minutes", "slots_of", "todays"]


class Booked(Protocol):
    """What a slot is read from (the store's item records fit)."""

    @property
    def id(self) -> Any: ...
    @property
    def status(self) -> str: ...
    @property
    def appointment_at(self) -> datetime | None: ...
    @property
    def appointment_minutes(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class Slot:
    """A booked slot: the item, when it begins and when it ends."""

    item_id: Any
    start: datetime
    end: datetime

    @property
    def minutes(self) -> float:
        return (self.end - self.start).total_seconds() / 60


def slot_minutes(item: Booked) -> float:
    """How long the item's slot lasts (the default when none was said)."""
    return item.appointment_minutes or DEFAULT_APPOINTMENT_MINUTES


def back_in_queue(at: datetime, now: datetime) -> datetime | None:
    """When an item booked for ``at`` comes back into the queue: a few minutes before (wall
    time: a slot at the start of the day comes back just before it, not the evening before);
    ``None`` when that moment has already come."""
    back = at - timedelta(minutes=APPOINTMENT_LEAD_MINUTES)
    return back if back > now else None


def slots_of(items: Iterable[Booked], now: datetime) -> list[Slot]:
    """The booked slots of unfinished items that have not ended by ``now``, soonest first."""
    slots = []
    for item in items:
        at = item.appointment_at
        if at is None or item.status in CLOSED_STATUSES:
            continue
        end = at + timedelta(minutes=slot_minutes(item))
        if end > now:
            slots.append(Slot(item.id, at, end))
    slots.sort(key=lambda slot: (slot.start, slot.item_id))
    return slots


def todays(slots: Iterable[Slot], now: datetime) -> list[Slot]:
    """The slots that begin on ``now``'s day (local to ``now``)."""
    day = now.date()
    return [slot for slot in slots if slot.start.astimezone(now.tzinfo).date() == day]
