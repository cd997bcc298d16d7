"""The records a short command seldom makes: notes, reminders, requesters and recurring
rules (see :mod:`techqueue.records`, which hands them out under its own name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["NoteRecord", "RecurrenceRecord", "ReminderRecord", "RequesterRecord"]


@dataclass(slots=True, frozen=True)
class NoteRecord:
    """A note on an item: plain, a promise (with when it falls due), a contact, or a carry-over
    decision (see :class:`techqueue.domain.NoteKind`)."""

    id: int
    item_id: int
    kind: str
    text: str
    created_at: datetime
    due_at: datetime | None
    #: The external reference of what the note came from (an imported reply's Message-ID).
    ref: str | None = None


@dataclass(slots=True, frozen=True)
class ReminderRecord:
    """A reminder, with the title of the item it is about (when it is about one)."""

    id: int
    item_id: int | None
    text: str
    due_at: datetime
    created_at: datetime
    dismissed_at: datetime | None
    item_title: str | None = None


@dataclass(slots=True, frozen=True)
class RequesterRecord:
    """A person served."""

    id: int
    name: str
    email: str | None
    vip: bool
    note: str | None
    created_at: datetime
    #: The person this spelling (a name or an address) is linked to; ``None``: it is theirs.
    same_as: int | None = None


@dataclass(slots=True, frozen=True)
class RecurrenceRecord:
    """A recurring rule: what each instance is (``fields``, item fields as JSON), when they
    come (``rule``, as the quick-add line writes it after ``every:``), the moment it was made
    (``anchor_at``: ``Nw`` counts from its day), and when it was stopped."""

    id: int
    fields: str
    rule: str
    anchor_at: datetime
    created_at: datetime
    stopped_at: datetime | None = None
