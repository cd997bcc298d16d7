"""The data model: SQLModel tables, the one definition of what techqueue stores.

The SQLModel backend creates its tables from these classes; the embedded backend (stdlib
``sqlite3``, for start-up speed) carries the same schema as DDL in :mod:`techqueue.db.schema`, and
a test proves the two match table for table, column for column. Choices:

- times are stored in UTC without a zone (SQLAlchemy's SQLite format), converted at the edges;
- severities, channels, statuses and note kinds (the enums of :mod:`techqueue.domain`) are
  stored as their plain string values (not enum names), validated where input arrives;
- tags are a JSON array in one text column: they are few per item and only ever read whole.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from techqueue.domain import Channel, NoteKind, Severity, Status

__all__ = [
    "Channel",
    "Item",
    "Journal",
    "Meta",
    "Note",
    "NoteKind",
    "Recurrence",
    "Reminder",
    "Requester",
    "Severity",
    "Status",
    "WorkSpan",
]


class Meta(SQLModel, table=True):
    """Facts about the store itself, such as its schema version."""

    key: str = Field(primary_key=True)
    value: str


class Requester(SQLModel, table=True):
    """A person served. A VIP requester makes all their items VIP."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    email: str | None = Field(default=None, index=True)
    vip: bool = False
    note: str | None = None
    created_at: datetime
    same_as: int | None = Field(default=None, foreign_key="requester.id")
    """The requester this name or address is linked to: one person, several spellings."""


class Recurrence(SQLModel, table=True):
    """Recurring work: what each instance is (item fields, JSON) and when they come (the
    rule, ``mon 09:00``; ``anchor_at`` is when it was made, which ``Nw`` counts from)."""

    id: int | None = Field(default=None, primary_key=True)
    fields: str
    rule: str
    anchor_at: datetime
    created_at: datetime
    stopped_at: datetime | None = None


class Item(SQLModel, table=True):
    """One piece of work born from an interruption."""

    id: int | None = Field(default=None, primary_key=True)
    title: str
    requester_id: int | None = Field(default=None, foreign_key="requester.id")
    channel: str = Channel.other.value
    severity: str = Severity.normal.value
    impact: int = 1
    estimate_minutes: float | None = None
    status: str = Field(default=Status.open.value, index=True)
    vip: bool = False
    pinned: bool = False
    bump: float = 0.0
    tags: str = "[]"
    ref: str | None = Field(default=None, index=True)
    received_at: datetime
    created_at: datetime
    started_at: datetime | None = None
    done_at: datetime | None = None
    due_at: datetime | None = None
    deferred_until: datetime | None = None
    promise_due_at: datetime | None = None
    drop_reason: str | None = None
    waited_minutes: float = 0.0
    """Working minutes waited when the item's clock was last checkpointed (``clock_at``)."""
    clock_at: datetime | None = None
    """When the waiting clock was last checkpointed (``None``: it runs from arrival)."""
    contact_waited_minutes: float | None = None
    """The waiting clock's count at the last word to the customer (a contact or a promise)."""
    appointment_at: datetime | None = None
    """A booked slot: the item is out of the queue until shortly before it, then first."""
    appointment_minutes: float | None = None
    """How long the booked slot lasts."""
    solution: str | None = None
    """One line saying how it was solved, kept when it was closed, shown on similar items."""
    waiting_on: str | None = None
    """Who the item waits on besides the customer (a vendor, a colleague), by name."""
    waiting_kind: str | None = None
    """``vendor``, ``colleague`` or ``person``: what ``waiting_on`` is."""
    waiting_since: datetime | None = None
    """When it went out to them."""
    chase_at: datetime | None = None
    """When to chase them (a reminder is set for then)."""
    recurrence_id: int | None = Field(default=None, foreign_key="recurrence.id")
    """The recurring rule this item is an instance of."""
    assignee: str | None = Field(default=None, index=True)
    """The technician who has the item (team mode), by name; ``None``: nobody has it."""


class Note(SQLModel, table=True):
    """Timestamped text on an item: plain, a promise (with when it falls due) or a contact."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    kind: str = NoteKind.plain.value
    text: str
    created_at: datetime
    due_at: datetime | None = None
    ref: str | None = Field(default=None, index=True)
    """The external reference of what the note came from (a reply's Message-ID)."""


class Reminder(SQLModel, table=True):
    """A time and a text, on an item or free-standing; snoozed by moving it, done when dismissed."""

    id: int | None = Field(default=None, primary_key=True)
    item_id: int | None = Field(default=None, foreign_key="item.id", index=True)
    text: str
    due_at: datetime
    created_at: datetime
    dismissed_at: datetime | None = None


class WorkSpan(SQLModel, table=True):
    """A stretch of actual work on an item: the source of time spent and of estimates."""

    __tablename__ = "work_span"

    id: int | None = Field(default=None, primary_key=True)
    item_id: int = Field(foreign_key="item.id", index=True)
    started_at: datetime = Field(index=True)
    ended_at: datetime | None = None
    note: str | None = None
    technician: str | None = None
    """Who worked (team mode), by name; ``None``: the store's one technician."""


class Journal(SQLModel, table=True):
    """Every user action with the rows it changed as they were before, so undo is exact."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    action: str
    item_id: int | None = None
    summary: str
    changes: str
    undone: bool = False
    #: Random, one per entry: a journal position kept elsewhere names this entry, not
    #: another store's entry of the same number (``None`` for entries older than schema 6).
    mark: str | None = None
