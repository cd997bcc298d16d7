"""What a calendar shows of the technician's commitments: each promise, reminder and due
time as an event, said once, before any file format. Pure: records in, events out.

Each kind is one function from records to events, listed in the view that reads the store
(:mod:`techqueue.views.calendar`): appointments, when they exist, are one more. Every event
has a uid made from what it is (``promise-12@techqueue``), so a calendar that subscribes to
the file sees an event move when its time changes, not a new one appear.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from techqueue.records import ItemRecord, ReminderRecord

__all__ = [
    "KIND_WORDS",
    "CalendarEvent",
    "appointment_events",
    "due_events",
    "promise_events",
    "reminder_events",
]

#: What an event of each kind is called, in a summary line (singular, plural).
KIND_WORDS: Mapping[str, tuple[str, str]] = {
    "promise": ("promise", "promises"),
    "reminder": ("reminder", "reminders"),
    "due": ("due time", "due times"),
    "appointment": ("appointment", "appointments"),
}


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One commitment in time."""

    kind: str
    uid: str
    summary: str
    start: datetime
    minutes: int
    description: str = ""
    alarm: bool = True
    """Whether the calendar should alert at its time."""


def _on_items(
    items: Iterable[ItemRecord], kind: str, said: str, when: Callable[[ItemRecord], datetime | None]
) -> list[CalendarEvent]:
    """An event for each item that has a time for ``kind``: ``Promised: #12 VPN (Dana)``."""
    events = []
    for item in items:
        moment = when(item)
        if moment is None:
            continue
        who = f" ({item.requester})" if item.requester else ""
        ref = f"; ref {item.ref}" if item.ref else ""
        events.append(
            CalendarEvent(
                kind,
                f"{kind}-{item.id}@techqueue",
                f"{said}: #{item.id} {item.title}{who}",
                moment,
                15,
                f"techqueue item {item.id}, {item.severity}{ref}",
            )
        )
    return events


def promise_events(items: Iterable[ItemRecord]) -> list[CalendarEvent]:
    """The promise each unfinished item carries: when the customer was told work would start."""
    return _on_items(items, "promise", "Promised", lambda item: item.promise_due_at)


def due_events(items: Iterable[ItemRecord]) -> list[CalendarEvent]:
    """Each unfinished item's due time."""
    return _on_items(items, "due", "Due", lambda item: item.due_at)


def reminder_events(reminders: Iterable[ReminderRecord]) -> list[CalendarEvent]:
    """Each reminder not dismissed."""
    return [
        CalendarEvent(
            "reminder",
            f"reminder-{reminder.id}@techqueue",
            f"Reminder: {reminder.text}",
            reminder.due_at,
            5,
            f"about #{reminder.item_id} {reminder.item_title}"
            if reminder.item_id is not None
            else "",
        )
        for reminder in reminders
        if reminder.dismissed_at is None
    ]


def appointment_events(items: Iterable[ItemRecord]) -> list[CalendarEvent]:
    """Each unfinished item's booked slot, as long as it lasts: ``Appointment: #12 VPN
    (Dana)``."""
    from techqueue.core.appointments import slot_minutes

    events = []
    for item in items:
        if item.appointment_at is None:
            continue
        (event,) = _on_items([item], "appointment", "Appointment", lambda it: it.appointment_at)
        minutes = max(round(slot_minutes(item)), 1)
        events.append(
            CalendarEvent(
                event.kind, event.uid, event.summary, event.start, minutes, event.description
            )
        )
    return events
