"""What the store hands out: plain, typed records of items, notes, reminders, work spans and
requesters. The pure core reads them through its protocols, the views compose them, and
nothing here knows how they were stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from techqueue.records.others import (
        NoteRecord,
        RecurrenceRecord,
        ReminderRecord,
        RequesterRecord,
    )

__all__ = [
    "ItemRecord",
    "NoteRecord",
    "RecurrenceRecord",
    "ReminderRecord",
    "RequesterRecord",
    "SpanRecord",
]


@dataclass(slots=True)
class ItemRecord:
    """One item as stored, with its requester's name and the VIP flag in effect."""

    id: int
    title: str
    requester: str | None
    requester_id: int | None
    channel: str
    severity: str
    impact: int
    estimate_minutes: float | None
    status: str
    vip: bool
    own_vip: bool
    pinned: bool
    bump: float
    tags: tuple[str, ...]
    ref: str | None
    received_at: datetime
    created_at: datetime
    started_at: datetime | None
    done_at: datetime | None
    due_at: datetime | None
    deferred_until: datetime | None
    promise_due_at: datetime | None
    drop_reason: str | None
    requester_vip: bool = False
    #: The item's waiting clock (see :mod:`techqueue.core.worktime`): working minutes waited
    #: when it was last checkpointed, when that was (``None``: it runs from arrival), and the
    #: count at the last word to the customer (``None``: none since arrival).
    waited_minutes: float = 0.0
    clock_at: datetime | None = None
    contact_waited_minutes: float | None = None
    #: A booked slot (see :mod:`techqueue.core.appointments`): when, and for how long.
    appointment_at: datetime | None = None
    appointment_minutes: float | None = None
    #: One line saying how it was solved (kept when it was closed).
    solution: str | None = None
    #: Whom it waits on besides the customer: their name, ``vendor``/``colleague``/``person``,
    #: since when, and when to chase them.
    waiting_on: str | None = None
    waiting_kind: str | None = None
    waiting_since: datetime | None = None
    chase_at: datetime | None = None
    #: The recurring rule this item is an instance of (``None``: a one-off).
    recurrence_id: int | None = None
    #: ``"history"`` when ``estimate_minutes`` was learned from similar finished work (set on
    #: the copies the queue ranks, never stored); ``None`` for the item as stored.
    estimate_source: str | None = None
    #: How many finished jobs a learned estimate comes from.
    estimate_samples: int = 0
    #: Minutes of work already done on it (set on the copies the queue ranks, for items in
    #: progress, so the deadline guard counts a paused job's 3x deadline right; 0 as stored).
    spent_minutes: float = 0.0
    #: The requester's address, when known (for the organisation's business weight).
    requester_email: str | None = None
    #: The business impact in effect (``high``/``normal``/``low``; see
    #: :mod:`techqueue.core.business`), set on the copies the queue ranks; ``None`` as stored.
    cost: str | None = None
    #: The technician who has the item (team mode); ``None``: nobody has it.
    assignee: str | None = None
    #: True on the copies a team technician's queue ranks of items they have and started
    #: (the ranking's "mine" weight keeps them near the top); never stored.
    mine: bool = False

    @property
    def own_estimate(self) -> float | None:
        """The estimate as typed in: ``None`` on a copy that carries a learned one."""
        return None if self.estimate_source == "history" else self.estimate_minutes


@dataclass(slots=True, frozen=True)
class SpanRecord:
    """A stretch of work on an item; ``ended_at`` is ``None`` while it runs."""

    id: int
    item_id: int
    started_at: datetime
    ended_at: datetime | None
    note: str | None
    #: Who worked (team mode); ``None``: the store's one technician.
    technician: str | None = None


#: The records made in :mod:`techqueue.records.others`, when first asked for: each class a
#: dataclass makes costs its methods' compilation at import (~0.4 ms apiece), and the short
#: commands (``add``, ``next``, ``done``) make none of these (docs/performance.md, 13.).
_OTHERS = frozenset({"NoteRecord", "RecurrenceRecord", "ReminderRecord", "RequesterRecord"})

if not TYPE_CHECKING:  # (the type checker reads the import above)

    def __getattr__(name: str) -> type:
        if name in _OTHERS:
            from techqueue.records import others

            found = globals()[name] = getattr(others, name)
            return found
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
