"""Keeping people in the loop: notes, promises, contacts, and reminders to follow up."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from techqueue.actions.hooks import fire
from techqueue.actions.items import refuse_long
from techqueue.core.worktime import waited_minutes
from techqueue.desk import Desk
from techqueue.domain import MAX_TEXT, OPEN_STATUSES, USER_NOTE_KINDS
from techqueue.errors import BadRequest
from techqueue.records import ItemRecord, NoteRecord, ReminderRecord
from techqueue.store import Transaction

__all__ = ["dismiss", "note", "note_writes", "remind", "snooze"]


def note(
    desk: Desk,
    item_id: int,
    text: str,
    now: datetime,
    *,
    kind: str = "plain",
    due_at: datetime | None = None,
) -> NoteRecord:
    """Add a note: plain, a promise (it also records on the item when it falls due), or a
    contact (the customer was updated, which also stops a broken promise being flagged)."""
    store = desk.store
    item = store.get(item_id)
    if not text.strip():
        raise BadRequest("a note needs some text")
    refuse_long(f"the {kind if kind in USER_NOTE_KINDS else 'note'}", text, MAX_TEXT)
    if kind not in USER_NOTE_KINDS:
        raise BadRequest(f"unknown note kind {kind!r}")
    if kind == "promise" and due_at is None:
        raise BadRequest("a promise needs the time it falls due")
    action = kind if kind != "plain" else "note"
    with store.action(action, f"{kind} on #{item_id}", now, item_id) as tx:
        note_id = note_writes(desk, tx, item, text, now, kind=kind, due_at=due_at)
    if kind == "promise":
        fire(desk, "promise", [item_id], now)
    return store.note(note_id)


def note_writes(
    desk: Desk,
    tx: Transaction,
    item: ItemRecord,
    text: str,
    now: datetime,
    *,
    kind: str,
    due_at: datetime | None,
) -> int:
    """What a note writes (for :func:`note` and the actions that also say something to the
    customer): the note, and for a promise or a contact what it changes on the item."""
    note_id = tx.insert(
        "note",
        {"item_id": item.id, "kind": kind, "text": text, "created_at": now, "due_at": due_at},
    )
    values: dict[str, Any] = {}
    if kind in ("promise", "contact"):
        # A word to the customer restarts the clock of "not updated for a while".
        clock = desk.clock(now)
        values["contact_waited_minutes"] = waited_minutes(item, now, clock)
    if kind == "promise" and item.status in OPEN_STATUSES:
        values["promise_due_at"] = due_at
    elif kind == "contact" and item.promise_due_at is not None and item.promise_due_at < now:
        # The customer has been told: a broken promise stops being flagged (the promise
        # note stays in the history).
        values["promise_due_at"] = None
    if values:
        tx.update("item", item.id, values)
    return note_id


def remind(
    desk: Desk, item_id: int | None, when: datetime, text: str, now: datetime
) -> ReminderRecord:
    """A reminder at ``when``, about an item or (``item_id`` ``None``) free-standing."""
    store = desk.store
    if item_id is not None:
        store.get(item_id)
    if not text.strip():
        raise BadRequest("a reminder needs some text")
    refuse_long("the reminder", text, MAX_TEXT)
    with store.action("remind", f"remind {text!r}", now, item_id) as tx:
        reminder_id = tx.insert(
            "reminder",
            {
                "item_id": item_id,
                "text": text,
                "due_at": when,
                "created_at": now,
                "dismissed_at": None,
            },
        )
    return store.reminder(reminder_id)


def snooze(desk: Desk, reminder_id: int, when: datetime, now: datetime) -> ReminderRecord:
    """Move a reminder to a later time."""
    store = desk.store
    reminder = store.reminder(reminder_id)
    if reminder.dismissed_at is not None:
        raise BadRequest(f"reminder {reminder_id} was dismissed")
    if when <= now:
        raise BadRequest("that time has already passed: snooze to a later time")
    with store.action("snooze", f"snooze reminder {reminder_id}", now, reminder.item_id) as tx:
        tx.update("reminder", reminder_id, {"due_at": when})
    return store.reminder(reminder_id)


def dismiss(desk: Desk, reminder_id: int, now: datetime) -> ReminderRecord:
    """A reminder is done with."""
    store = desk.store
    reminder = store.reminder(reminder_id)
    if reminder.dismissed_at is not None:
        raise BadRequest(f"reminder {reminder_id} was already dismissed")
    with store.action("dismiss", f"dismiss reminder {reminder_id}", now, reminder.item_id) as tx:
        tx.update("reminder", reminder_id, {"dismissed_at": now})
    return store.reminder(reminder_id)
