"""What needs a follow-up now: reminders due, promises broken, and customers who have waited
longer than their severity's contact target for news (``remind --due`` at a shell prompt, the
app's reminders pane)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from techqueue.core.expectations import Nudge, top_nudges
from techqueue.core.forecast import promise_state
from techqueue.desk import Desk
from techqueue.domain import WORKED_LATE_NOTE
from techqueue.records import ItemRecord, ReminderRecord, SpanRecord

__all__ = ["Followups", "left_running", "nudges", "read_followups"]


def nudges(
    desk: Desk, items: Iterable[ItemRecord], now: datetime, limit: int | None = None
) -> tuple[list[Nudge], int]:
    """Customers to update (open items past their severity's contact target), the most
    overdue first — the first ``limit`` of them — and how many there are in all."""
    targets = desk.settings.expectations.contact_target_minutes
    clock = desk.clock(now)
    return top_nudges(items, desk.store.last_contacts(), now, targets, limit, clock=clock)


@dataclass(frozen=True)
class Followups:
    """Everything that needs a follow-up at ``now``."""

    now: datetime
    reminders: list[ReminderRecord]
    broken: list[ItemRecord]
    updates: list[Nudge]


def read_followups(desk: Desk, now: datetime) -> Followups:
    """Reminders due, broken promises and customers to update, as of ``now``."""
    store = desk.store
    due = [reminder for reminder in store.reminders() if reminder.due_at <= now]
    items = store.items()
    broken = [item for item in items if promise_state(item, None, now) == "broken"]
    updates, _ = nudges(desk, items, now)
    return Followups(now, due, broken, updates)


def left_running(desk: Desk, now: datetime) -> list[SpanRecord]:
    """Spans still running past the end of the working day they began in, that nobody has
    said were worked on: a timer forgotten, or an evening worked, which only the technician
    can tell (the app asks; nothing stops them silently)."""
    return [
        span
        for span in desk.store.running_spans()
        if now > desk.span_cutoff(span.started_at) and span.note != WORKED_LATE_NOTE
    ]
