"""The technician's commitments as an iCalendar file (RFC 5545, written by the ``icalendar``
package), for ``export-ics``: a calendar app that subscribes to it shows promises, reminders
and due times beside the rest of the day.

The kinds come from :data:`SOURCES`, one function each from the store to events; a new kind
(appointments) is one more entry there and one more event builder in
:mod:`techqueue.core.calendar`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from techqueue.core.calendar import (
    CalendarEvent,
    appointment_events,
    due_events,
    promise_events,
    reminder_events,
)
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES

__all__ = ["SOURCES", "calendar_events", "ics"]

#: Every kind of event, read from the store.
SOURCES: tuple[Callable[[Desk], list[CalendarEvent]], ...] = (
    lambda desk: promise_events(desk.store.items(OPEN_STATUSES)),
    lambda desk: reminder_events(desk.store.reminders()),
    lambda desk: due_events(desk.store.items(OPEN_STATUSES)),
    lambda desk: appointment_events(desk.store.items(OPEN_STATUSES)),
)


def calendar_events(desk: Desk, now: datetime) -> list[CalendarEvent]:
    """Every commitment, soonest first (``now`` is kept for kinds that look ahead)."""
    events = [event for source in SOURCES for event in source(desk)]
    return sorted(events, key=lambda event: (event.start, event.uid))


def ics(events: Sequence[CalendarEvent], now: datetime) -> bytes:
    """The events as an iCalendar file's bytes; times in UTC, so any calendar reads them."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//techqueue//techqueue//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "techqueue")
    stamp = now.astimezone(UTC)
    for each in events:
        event = Event()
        event.add("uid", each.uid)
        event.add("dtstamp", stamp)
        start = each.start.astimezone(UTC)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=each.minutes))
        event.add("summary", each.summary)
        if each.description:
            event.add("description", each.description)
        event.add("categories", [each.kind])
        if each.alarm:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", each.summary)
            alarm.add("trigger", timedelta(0))
            event.add_component(alarm)
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
