"""The working day as the review and the morning summary see it: pure, ``now`` an argument.

A technician's "today" is not midnight to midnight for everyone (night work may belong to the
day before), a work span left running overnight is not sixteen hours of work, and the morning
summary is about what yesterday left behind. All of that is decided here, from records the store
returns, so the command line, the app and the tests agree and no clock is read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Generic, Protocol, TypeVar

from techqueue.core.timeparse import WorkingHours, at_clock

__all__ = [
    "OVERNIGHT_NOTE",
    "Morning",
    "bar",
    "cutoff_rule",
    "day_of",
    "day_span",
    "morning_summary",
    "should_show_morning",
    "span_cutoff",
    "span_end",
    "span_minutes",
    "today_span",
    "week_span",
]

#: The note left on a span closed for the technician because it ran past its working day.
OVERNIGHT_NOTE = "left running: closed at the end of the working day"


class _Span(Protocol):
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime | None: ...


def day_of(moment: datetime, boundary: time, zone: tzinfo | None) -> date:
    """The working day ``moment`` belongs to: before the boundary it is still the day before."""
    local = moment.astimezone(zone)
    shifted = local - timedelta(hours=boundary.hour, minutes=boundary.minute)
    return shifted.date()


def day_span(day: date, boundary: time, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """``[start, end)`` of a working day: from its boundary to the next day's."""
    start = datetime.combine(day, boundary, tzinfo=zone)
    if zone is None:
        start = start.astimezone()
    end = datetime.combine(day + timedelta(days=1), boundary, tzinfo=start.tzinfo)
    return start, end


def today_span(now: datetime, boundary: time) -> tuple[datetime, datetime]:
    """``[start, end)`` of the working day ``now`` is in, in ``now``'s zone."""
    return day_span(day_of(now, boundary, now.tzinfo), boundary, now.tzinfo)


def week_span(day: date, boundary: time, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """Monday to Monday around ``day``, each at the day boundary."""
    monday = day - timedelta(days=day.weekday())
    start, _ = day_span(monday, boundary, zone)
    end, _ = day_span(monday + timedelta(days=7), boundary, zone)
    return start, end


def span_cutoff(
    started_at: datetime, hours: WorkingHours, boundary: time, zone: tzinfo | None
) -> datetime:
    """The latest a span started at ``started_at`` may run before it counts as forgotten.

    Work started during the day stops counting at the end of working hours; work started after
    hours (an evening emergency) runs at most until the day boundary.
    """
    local = started_at.astimezone(zone)
    end_of_hours = at_clock(local.date(), hours.end, local)
    if local < end_of_hours:
        return end_of_hours
    _, day_end = day_span(day_of(local, boundary, zone), boundary, local.tzinfo)
    return day_end


def cutoff_rule(hours: WorkingHours, boundary: time) -> Callable[[datetime], datetime]:
    """:func:`span_cutoff` in local time, as the store takes it (``Store.span_cutoff``)."""
    return lambda started_at: span_cutoff(started_at, hours, boundary, None)


def span_end(
    span: _Span, now: datetime, hours: WorkingHours, boundary: time, zone: tzinfo | None
) -> tuple[datetime, bool]:
    """Where the span's time stops counting, and whether it was cut at the working day's end."""
    if span.ended_at is not None:
        return span.ended_at, False
    cutoff = span_cutoff(span.started_at, hours, boundary, zone)
    if now > cutoff:
        return cutoff, True
    return max(now, span.started_at), False


def span_minutes(
    span: _Span,
    now: datetime,
    hours: WorkingHours,
    boundary: time,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[float, bool]:
    """Minutes of the span (inside ``[start, end)`` when given), a forgotten running span
    cut at the end of its working day; and whether it was cut so."""
    finish, cut = span_end(span, now, hours, boundary, now.tzinfo)
    began = span.started_at if start is None else max(span.started_at, start)
    if end is not None:
        finish = min(finish, end)
    return max((finish - began).total_seconds() / 60, 0.0), cut


def bar(value: float, maximum: float, width: int = 20) -> str:
    """A text bar for plain output (Markdown): ``█████░░░``, full at ``maximum``."""
    if maximum <= 0 or width <= 0:
        return "░" * max(width, 0)
    filled = round(width * min(max(value / maximum, 0.0), 1.0))
    if value > 0 and filled == 0:
        filled = 1
    return "█" * filled + "░" * (width - filled)


# --- the morning summary -------------------------------------------------------------------


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

    @property
    def empty(self) -> bool:
        return not (self.carried or self.promises or self.reminders or self.deferred)


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
