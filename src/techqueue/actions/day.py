"""The working day's own actions: carrying work over at its end, closing what was left
running overnight, correcting the work log, and undo."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from techqueue.actions.hooks import fire
from techqueue.actions.items import close_running_span, refuse_long
from techqueue.actions.worklog import check_no_overlap
from techqueue.core.worktime import waited_minutes
from techqueue.desk import Desk
from techqueue.domain import (
    MAX_TEXT,
    OPEN_STATUSES,
    OVERNIGHT_NOTE,
    WORKED_LATE_NOTE,
    carry_note,
    not_allowed,
    promise_said,
)
from techqueue.errors import BadRequest
from techqueue.records import ItemRecord, SpanRecord
from techqueue.views.followups import left_running

__all__ = [
    "carry_over",
    "carry_rest",
    "close_overnight",
    "correct_span",
    "undecided",
    "undo",
    "worked_late",
]


def carry_over(
    desk: Desk,
    item_ids: Iterable[int],
    now: datetime,
    *,
    note: str | None = None,
    promise_due_at: datetime | None = None,
    promise_text: str | None = None,
    skipped: bool = False,
) -> list[ItemRecord]:
    """The review's decision to carry items over to the next day, as one action.

    Each item gets a ``carry`` note (``skipped`` when the technician did not decide and it was
    carried over for them), optionally a promise for the customer; a running item is paused,
    since the day is over."""
    store = desk.store
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise BadRequest("nothing to carry over")
    items = [store.get(item_id) for item_id in ids]
    for item in items:
        problem = not_allowed("carry", item.id, item.status)
        if problem is not None:
            raise BadRequest(problem)
    if note is not None and not note.strip():
        raise BadRequest("a carry-over note needs some text")
    refuse_long("the note", note, MAX_TEXT)
    refuse_long("the promise", promise_text, MAX_TEXT)
    if promise_due_at is not None and promise_due_at <= now:
        raise BadRequest("that time has already passed: promise a later time")
    kind = "skipped" if skipped else "carry"
    label = f"#{ids[0]} {items[0].title!r}" if len(ids) == 1 else f"{len(ids)} items"
    about = ids[0] if len(ids) == 1 else None
    with store.action("carry over", f"carry over {label}", now, about) as tx:
        for item in items:
            if item.status == "active":
                close_running_span(desk, tx, item.id, now)
                tx.update("item", item.id, {"status": "paused"})
            text = note.strip() if note else carry_note(skipped=skipped)
            tx.insert(
                "note",
                {"item_id": item.id, "kind": kind, "text": text, "created_at": now, "due_at": None},
            )
            if promise_due_at is not None:
                said = (promise_text or "").strip() or promise_said(promise_due_at)
                tx.insert(
                    "note",
                    {
                        "item_id": item.id,
                        "kind": "promise",
                        "text": said,
                        "created_at": now,
                        "due_at": promise_due_at,
                    },
                )
                waited = waited_minutes(item, now, desk.clock(now))
                tx.update(
                    "item",
                    item.id,
                    {"promise_due_at": promise_due_at, "contact_waited_minutes": waited},
                )
    if promise_due_at is not None:
        fire(desk, "promise", ids, now)
    return list(store.items_by_id(ids).values())


def undecided(desk: Desk, start: datetime, end: datetime, now: datetime) -> list[int]:
    """Open items with no carry-over decision in ``[start, end)`` (the day being closed):
    what finishing the day carries over as skipped. A deferred item is decided."""
    store = desk.store
    decided = store.decided_between(start, end)
    return [
        item.id
        for item in store.items(OPEN_STATUSES)
        if item.id not in decided and not (item.deferred_until and item.deferred_until > now)
    ]


def carry_rest(
    desk: Desk, start: datetime, end: datetime, *, now: datetime, exclude: Iterable[int] = ()
) -> list[ItemRecord]:
    """Finish the day: carry over, as skipped, every item :func:`undecided` names but
    ``exclude`` (decided at the review in another way, such as a re-rank). The command
    line's ``carry --rest`` and the review screen's ``f`` both come here."""
    left_out = set(exclude)
    ids = [item_id for item_id in undecided(desk, start, end, now) if item_id not in left_out]
    return carry_over(desk, ids, now, skipped=True) if ids else []


def close_overnight(desk: Desk, now: datetime) -> list[SpanRecord]:
    """Close every span left running past its working day at that day's end (with a note)
    and pause its item, so a forgotten timer is not counted as a night of work; one action,
    undone as one; nothing to close writes nothing."""
    store = desk.store
    stale = left_running(desk, now)
    if not stale:
        return []
    with store.action("close overnight", "close work left running overnight", now) as tx:
        for span in stale:
            close_running_span(desk, tx, span.item_id, now)
            if store.get(span.item_id).status == "active":
                tx.update("item", span.item_id, {"status": "paused"})
    return [store.span(span.id) for span in stale]


def worked_late(desk: Desk, span_ids: Iterable[int], now: datetime) -> list[SpanRecord]:
    """The technician worked on past the end of the day: these running spans count until they
    stop, not until the end of working hours. One action, undone as one."""
    store = desk.store
    spans = [store.span(span_id) for span_id in dict.fromkeys(span_ids)]
    if not spans:
        raise BadRequest("no work span given")
    for span in spans:
        if span.ended_at is not None:
            raise BadRequest(f"work span {span.id} has stopped already: correct it with log")
    label = ", ".join(f"#{span.item_id}" for span in spans)
    with store.action("worked late", f"worked late on {label}", now) as tx:
        for span in spans:
            tx.update("work_span", span.id, {"note": WORKED_LATE_NOTE})
    return [store.span(span.id) for span in spans]


def correct_span(
    desk: Desk,
    span_id: int,
    now: datetime,
    *,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
) -> SpanRecord:
    """Correct a span by hand (the time log is the source of estimates and reports).

    A running span keeps running unless given an end; an end needs its item not to be the
    active one, or it would be active with no span running. The corrected span may not
    overlap another: a minute of work is counted once."""
    store = desk.store
    span = store.span(span_id)
    if started_at is None and ended_at is None:
        raise BadRequest("give a new start, a new end, or both")
    start = started_at or span.started_at
    end = ended_at or span.ended_at
    if start > now or (end is not None and end > now):
        raise BadRequest("a work span cannot start or end in the future")
    if end is not None and end <= start:
        raise BadRequest("a work span must end after it starts")
    closing = span.ended_at is None and ended_at is not None
    if closing and store.get(span.item_id).status == "active":
        raise BadRequest(f"item {span.item_id} is being worked on: pause it, then correct its end")
    check_no_overlap(desk, start, now if end is None else end, now, ignore=span_id)
    values: dict[str, Any] = {"started_at": start, "ended_at": end}
    if span.note is None or span.note in (OVERNIGHT_NOTE, WORKED_LATE_NOTE):
        values["note"] = "corrected by hand"
    summary = f"correct work span {span_id} of #{span.item_id}"
    with store.action("log edit", summary, now, span.item_id) as tx:
        tx.update("work_span", span_id, values)
    return store.span(span_id)


def undo(desk: Desk, now: datetime) -> str:
    """Revert the last action of any kind, exactly; say what was undone."""
    return desk.store.undo(now)
