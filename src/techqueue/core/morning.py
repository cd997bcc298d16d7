"""The start of the day: what yesterday left behind — items carried over (and how the
review left them), promises and reminders due today, items deferred to today. Pure: the
records and ``now`` are arguments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Generic, Protocol, TypeVar

from techqueue.core.appointments import Slot
from techqueue.core.sweep import Escalation
from techqueue.core.workday import day_of, day_span

__all__ = ["Carried", "Morning", "morning_summary", "should_show_morning"]


class _Item(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def received_at(self) -> datetime: ...
    @property
    def deferred_until(self) -> datetime | None: ...
    @property
    def promise_due_at(self) -> datetime | None: ...
    @property
    def status(self) -> str: ...


class _Note(Protocol):
    @property
    def item_id(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def created_at(self) -> datetime: ...


class _Reminder(Protocol):
    @property
    def due_at(self) -> datetime: ...
    @property
    def dismissed_at(self) -> datetime | None: ...


ItemT = TypeVar("ItemT", bound=_Item)
NoteT = TypeVar("NoteT", bound=_Note)
ReminderT = TypeVar("ReminderT", bound=_Reminder)


@dataclass(frozen=True)
class Carried(Generic[ItemT, NoteT]):
    """An item from an earlier day still open, with how the review left it."""

    item: ItemT
    note: NoteT | None
    """The last carry-over note (``carry`` or ``skipped``); ``None``: never reviewed."""

    @property
    def how(self) -> str:
        """``carried over``, ``skipped at the review`` or ``not reviewed``."""
        if self.note is None:
            return "not reviewed"
        return "skipped at the review" if self.note.kind == "skipped" else "carried over"


@dataclass(frozen=True)
class Morning(Generic[ItemT, NoteT, ReminderT]):
    """What the technician should know before the queue: the start of a working day."""

    day: date
    carried: list[Carried[ItemT, NoteT]] = field(default_factory=list)
    promises: list[ItemT] = field(default_factory=list)
    reminders: list[ReminderT] = field(default_factory=list)
    deferred: list[ItemT] = field(default_factory=list)
    escalate: list[Escalation] = field(default_factory=list)
    """Long-open lower-priority items closable in a quarter of an hour: worth raising today
    (see :mod:`techqueue.core.sweep`)."""
    appointments: list[tuple[Slot, ItemT]] = field(default_factory=list)
    """Today's booked slots not yet over, soonest first, with their items: the fixed points
    of the day, planned around before anything else."""

    @property
    def empty(self) -> bool:
        return not (
            self.carried
            or self.promises
            or self.reminders
            or self.deferred
            or self.escalate
            or self.appointments
        )


def morning_summary(
    now: datetime,
    boundary: time,
    open_items: Sequence[ItemT],
    carry_notes: Iterable[NoteT],
    reminders: Iterable[ReminderT],
) -> Morning[ItemT, NoteT, ReminderT]:
    """Carried-over items, promises and reminders due today, items deferred to today.

    ``open_items`` come in the order to show them (rank order); ``carry_notes`` are the
    ``carry``/``skipped`` notes of those items, any age (the latest counts).
    """
    today = day_of(now, boundary, now.tzinfo)
    start, end = day_span(today, boundary, now.tzinfo)
    latest: dict[int, NoteT] = {}
    for note in sorted(carry_notes, key=lambda note: note.created_at):
        latest[note.item_id] = note
    deferred = [
        item
        for item in open_items
        if item.deferred_until is not None and start <= item.deferred_until < end
    ]
    deferred_ids = {item.id for item in deferred}
    carried = [
        Carried(item, latest.get(item.id))
        for item in open_items
        if item.received_at < start
        and item.id not in deferred_ids
        and (item.deferred_until is None or item.deferred_until < start)
    ]
    promises = [
        item for item in open_items if item.promise_due_at is not None and item.promise_due_at < end
    ]
    promises.sort(key=lambda item: item.promise_due_at or end)
    due = [r for r in reminders if r.dismissed_at is None and r.due_at < end]
    return Morning(today, carried, promises, due, deferred)


def should_show_morning(
    now: datetime, boundary: time, last_shown: str | None, *, enabled: bool, store_empty: bool
) -> bool:
    """The summary shows once per working day, never on an empty store or when switched off."""
    if not enabled or store_empty:
        return False
    return last_shown != day_of(now, boundary, now.tzinfo).isoformat()
