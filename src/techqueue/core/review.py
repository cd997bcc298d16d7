"""The day (or week) in review, worked out from its records: what was done and the time it
took, where the time went, promises kept and broken, carry-overs, and what is still open.

Pure: the records the store returned for the period and ``now`` are arguments, and the result
is typed, so the text, the Markdown, the JSON and the review screen are views of one object
and always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from techqueue.core.business import without_cost
from techqueue.core.estimates import estimate_of
from techqueue.core.sweep import Escalation, sweep, working_day_minutes
from techqueue.core.text import clean_text
from techqueue.core.timeparse import WorkingHours
from techqueue.core.workday import day_of, span_minutes
from techqueue.records import ItemRecord, NoteRecord, SpanRecord
from techqueue.scoring import Ranked, Weights

__all__ = [
    "Booking",
    "Carried",
    "DayRecords",
    "DayShare",
    "Deferred",
    "Finished",
    "OutWith",
    "Promise",
    "Promises",
    "Review",
    "Share",
    "StillOpen",
    "review_of",
]


@dataclass(frozen=True)
class DayRecords:
    """Everything the review reads from the store for ``[start, end)``, read in one go."""

    start: datetime
    end: datetime
    closed: list[ItemRecord]
    received: list[ItemRecord]
    spans: list[SpanRecord]
    items: Mapping[int, ItemRecord]
    promises: list[NoteRecord]
    carries: list[NoteRecord]
    queue: list[Ranked[ItemRecord]]
    decided_today: set[int]
    """Items given a carry-over decision today: the queue's others are what finishing the day
    carries over as skipped (the rule of ``actions.undecided``, read here from the queue
    already ranked)."""
    deferred: list[ItemRecord] = field(default_factory=list)
    """Open items deferred to a later time, the soonest back first."""
    promises_made: list[NoteRecord] = field(default_factory=list)
    """Promise notes written in the period (a carry-over's promise among them)."""
    promises_later: list[NoteRecord] = field(default_factory=list)
    """The promises of open items that fall due after the period: still to keep."""
    booked: list[ItemRecord] = field(default_factory=list)
    """Open items with a booked slot (an appointment)."""
    out: list[ItemRecord] = field(default_factory=list)
    """Open items waiting on someone else (a vendor, a colleague)."""


@dataclass(frozen=True, slots=True)
class Finished:
    """An item done or dropped in the period, with the time worked on it in the period."""

    id: int
    title: str
    requester: str | None
    status: str
    severity: str
    done_at: datetime | None
    spent_minutes: float
    estimate_minutes: float
    drop_reason: str | None


@dataclass(frozen=True, slots=True)
class StillOpen:
    """An item still open, in rank order, and whether the day's end has decided it yet."""

    id: int
    rank: int
    title: str
    requester: str | None
    status: str
    severity: str
    spent_minutes: float
    undecided: bool


@dataclass(frozen=True, slots=True)
class Share:
    """Where some of the time went: a tag, a channel or a requester, and its minutes."""

    name: str
    minutes: float


@dataclass(frozen=True, slots=True)
class DayShare:
    """The minutes worked on one day of a longer period."""

    date: str
    minutes: float


@dataclass(frozen=True, slots=True)
class Promise:
    """A promise that fell due in the period."""

    item_id: int
    title: str
    requester: str | None
    text: str
    due_at: datetime


@dataclass(frozen=True, slots=True)
class Promises:
    """The period's promises by how they went."""

    kept: tuple[Promise, ...] = ()
    broken: tuple[Promise, ...] = ()
    pending: tuple[Promise, ...] = ()
    #: Promises of open items falling due after the period: still to keep.
    later: tuple[Promise, ...] = ()


@dataclass(frozen=True, slots=True)
class Carried:
    """An item carried over in the period: by the technician, or (``skipped``) for them,
    and the promise made to the customer with it, if any."""

    id: int
    title: str
    skipped: bool
    note: str
    status: str
    promised_for: datetime | None = None


@dataclass(frozen=True, slots=True)
class Deferred:
    """An item put aside until a later time."""

    id: int
    title: str
    requester: str | None
    status: str
    deferred_until: datetime


@dataclass(frozen=True, slots=True)
class Booking:
    """A slot booked with a customer, still to come (or begun and not yet done)."""

    id: int
    title: str
    requester: str | None
    at: datetime
    minutes: float


@dataclass(frozen=True, slots=True)
class OutWith:
    """An item out with someone else: who, what they are, since when, for how many working
    minutes so far, and when to chase them."""

    id: int
    title: str
    who: str
    kind: str | None
    since: datetime | None
    waited_minutes: float
    chase_at: datetime | None


@dataclass(frozen=True)
class Review:
    """The period in review."""

    start: datetime
    end: datetime
    done: list[Finished]
    open: list[StillOpen]
    worked_minutes: float
    received: int
    finished: int
    dropped: int
    by_tag: list[Share]
    by_channel: list[Share]
    by_requester: list[Share]
    by_day: list[DayShare]
    promises: Promises
    carried_over: list[Carried]
    overnight_spans: int
    deferred: list[Deferred] = field(default_factory=list)
    escalate: list[Escalation] = field(default_factory=list)
    """Long-open lower-priority items closable in a quarter of an hour: worth raising."""
    appointments: list[Booking] = field(default_factory=list)
    out_with: list[OutWith] = field(default_factory=list)

    @property
    def shares(self) -> tuple[tuple[str, list[Share]], ...]:
        """Where the time went, by tag, channel and requester, with each one's name."""
        return (
            ("tag", self.by_tag),
            ("channel", self.by_channel),
            ("requester", self.by_requester),
        )


def _shares(totals: dict[str, float]) -> list[Share]:
    ordered = sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))
    return [Share(name, round(minutes, 1)) for name, minutes in ordered if minutes]


def _add(totals: dict[str, float], key: str, minutes: float) -> None:
    totals[key] = totals.get(key, 0.0) + minutes


def review_of(
    records: DayRecords, now: datetime, weights: Weights, hours: WorkingHours, boundary: time
) -> Review:
    """The review of the records' period at ``now``."""
    start, end = records.start, records.end
    worked: dict[int, float] = {}
    by_day: dict[str, float] = {}
    overnight = 0
    for span in records.spans:
        minutes, cut = span_minutes(span, now, hours, boundary, start, end)
        worked[span.item_id] = worked.get(span.item_id, 0.0) + minutes
        overnight += cut
        _add(by_day, day_of(max(span.started_at, start), boundary, now.tzinfo).isoformat(), minutes)
    by_tag: dict[str, float] = {}
    by_channel: dict[str, float] = {}
    by_requester: dict[str, float] = {}
    for item_id, minutes in worked.items():
        item = records.items.get(item_id)
        if item is None:
            continue
        for tag in without_cost(item.tags) or ("(no tag)",):
            _add(by_tag, tag, minutes)
        _add(by_channel, item.channel, minutes)
        _add(by_requester, clean_text(item.requester or "") or "(nobody)", minutes)
    closed = records.closed
    days = (end - start) / timedelta(days=1)
    return Review(
        start=start,
        end=end,
        done=[_finished(item, worked, weights) for item in closed],
        open=[
            StillOpen(
                id=entry.item.id,
                rank=entry.rank,
                title=entry.item.title,
                requester=entry.item.requester,
                status=entry.item.status,
                severity=entry.item.severity,
                spent_minutes=round(worked.get(entry.item.id, 0.0), 1),
                undecided=entry.item.id not in records.decided_today,
            )
            for entry in records.queue
        ],
        worked_minutes=round(sum(worked.values()), 1),
        received=len(records.received),
        finished=sum(1 for item in closed if item.status == "done"),
        dropped=sum(1 for item in closed if item.status == "dropped"),
        by_tag=_shares(by_tag),
        by_channel=_shares(by_channel),
        by_requester=_shares(by_requester),
        by_day=[DayShare(day, round(minutes, 1)) for day, minutes in sorted(by_day.items())]
        if days > 1
        else [],
        promises=_promises(records.promises, records.promises_later, records.items, now),
        carried_over=_carried(records.carries, records.promises_made, records.items),
        overnight_spans=overnight,
        deferred=[
            Deferred(item.id, item.title, item.requester, item.status, item.deferred_until)
            for item in records.deferred
            if item.deferred_until is not None
        ],
        escalate=sweep(records.queue, weights, long_open_minutes=working_day_minutes(hours)),
        appointments=_bookings(records.booked),
        out_with=_out_with(records.out, now, hours),
    )


def _bookings(items: Sequence[ItemRecord]) -> list[Booking]:
    """The booked slots, soonest first."""
    from techqueue.core.appointments import slot_minutes

    return sorted(
        (
            Booking(item.id, item.title, item.requester, item.appointment_at, slot_minutes(item))
            for item in items
            if item.appointment_at is not None
        ),
        key=lambda booking: (booking.at, booking.id),
    )


def _out_with(items: Sequence[ItemRecord], now: datetime, hours: WorkingHours) -> list[OutWith]:
    """What is out with whom, the longest out first; how long counted in working time."""
    from techqueue.core.worktime import work_clock

    clock = work_clock(hours, now.tzinfo)
    out = [
        OutWith(
            item.id,
            item.title,
            item.waiting_on,
            item.waiting_kind,
            item.waiting_since,
            0.0
            if item.waiting_since is None
            else round(max(clock.position(now) - clock.position(item.waiting_since), 0.0), 1),
            item.chase_at,
        )
        for item in items
        if item.waiting_on is not None
    ]
    return sorted(out, key=lambda entry: (-entry.waited_minutes, entry.id))


def _finished(item: ItemRecord, worked: Mapping[int, float], weights: Weights) -> Finished:
    return Finished(
        id=item.id,
        title=item.title,
        requester=item.requester,
        status=item.status,
        severity=item.severity,
        done_at=item.done_at,
        spent_minutes=round(worked.get(item.id, 0.0), 1),
        estimate_minutes=round(estimate_of(item, weights).minutes, 1),
        drop_reason=item.drop_reason,
    )


def _promises(
    notes: Sequence[NoteRecord],
    later: Sequence[NoteRecord],
    items: Mapping[int, ItemRecord],
    now: datetime,
) -> Promises:
    """Each promise note falling due in the period: kept (done by then), broken (its time
    passed first) or pending; and those still to keep after it."""
    found: dict[str, list[Promise]] = {"kept": [], "broken": [], "pending": []}
    for note in notes:
        item = items.get(note.item_id)
        if item is None or note.due_at is None:
            continue
        if item.status == "done" and item.done_at is not None and item.done_at <= note.due_at:
            state = "kept"
        elif note.due_at <= now:
            state = "broken"
        else:
            state = "pending"
        found[state].append(Promise(item.id, item.title, item.requester, note.text, note.due_at))
    still = tuple(
        Promise(
            note.item_id,
            items[note.item_id].title,
            items[note.item_id].requester,
            note.text,
            note.due_at,
        )
        for note in later
        if note.item_id in items and note.due_at is not None
    )
    return Promises(tuple(found["kept"]), tuple(found["broken"]), tuple(found["pending"]), still)


def _carried(
    notes: Sequence[NoteRecord], made: Sequence[NoteRecord], items: Mapping[int, ItemRecord]
) -> list[Carried]:
    """The latest carry-over decision of each item carried over in the period, with the
    promise written with it (one action writes both, at the same moment)."""
    latest = {note.item_id: note for note in notes}
    promised = {(note.item_id, note.created_at): note.due_at for note in made}
    return [
        Carried(
            id=note.item_id,
            title=items[note.item_id].title,
            skipped=note.kind == "skipped",
            note=note.text,
            status=items[note.item_id].status,
            promised_for=promised.get((note.item_id, note.created_at)),
        )
        for note in latest.values()
        if note.item_id in items
    ]
