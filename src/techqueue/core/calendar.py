"""What a calendar shows of the technician's commitments: each promise, reminder and due
time as an event, said once, before any file format. Pure: records in, events out.

Each kind is one function from records to events, listed in the view that reads the store
(:mod:`techqueue.views.calendar`): appointments, when they exist, are one more. Every event
has a uid made from what it is (``promise-12@techqueue``), so a calendar that subscribes to
the file sees an event move when its time changes, not a new one appear.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from techqueue.records import ItemRecord, ReminderRecord

__all__ = ["KIND_WORDS", "CalendarEvent", "due_events", "promise_events", "reminder_events"]

#: What an event of each kind is called, in a summary line (singular, plural).
KIND_WORDS: Mapping[str, tuple[str, str]] = {
    "promise": ("promise", "promises"),
    "reminder": ("reminder", "reminders"),
    "due": ("due time", "due times"),
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


def _who(item: ItemRecord) -> str:
    return f" ({item.requester})" if item.requester else ""


def promise_events(items: Iterable[ItemRecord]) -> list[CalendarEvent]:
    """The promise each unfinished item carries: when the customer was told work would start."""
    return [
        CalendarEvent(
            "promise",
            f"promise-{item.id}@techqueue",
            f"Promised: #{item.id} {item.title}{_who(item)}",
            item.promise_due_at,
            15,
            f"techqueue item {item.id}; ref {item.ref}"
            if item.ref
            else f"techqueue item {item.id}",
        )
        for item in items
        if item.promise_due_at is not None
    ]


def due_events(items: Iterable[ItemRecord]) -> list[CalendarEvent]:
    """Each unfinished item's due time."""
    return [
        CalendarEvent(
            "due",
            f"due-{item.id}@techqueue",
            f"Due: #{item.id} {item.title}{_who(item)}",
            item.due_at,
            15,
            f"techqueue item {item.id}, {item.severity}",
        )
        for item in items
        if item.due_at is not None
    ]


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
