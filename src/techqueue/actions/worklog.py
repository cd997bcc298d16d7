"""Time given after the fact, and the rule that keeps the work log honest: a minute of work is
counted once. A span written or corrected by hand may not overlap another span (of any
item), or the review's totals would count the same minutes twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from techqueue.actions.hooks import fire
from techqueue.actions.items import Changed, done_writes, require, solution_given
from techqueue.core.workday import span_end
from techqueue.desk import Desk
from techqueue.domain import MAX_DURATION_MINUTES
from techqueue.errors import BadRequest
from techqueue.records import SpanRecord

__all__ = ["LOGGED_NOTE", "check_no_overlap", "done_spent", "log_time"]

#: The note on a span of time given after the fact.
LOGGED_NOTE = "logged by hand"


def _clock(moment: datetime, now: datetime, day_of: datetime) -> str:
    """``09:40`` on the day of ``day_of``, ``Mon 02 Mar 09:40`` on another day."""
    local = moment.astimezone(now.tzinfo)
    if local.date() == day_of.astimezone(now.tzinfo).date():
        return f"{local:%H:%M}"
    return f"{local:%a %d %b %H:%M}"


def check_no_overlap(
    desk: Desk, start: datetime, end: datetime, now: datetime, *, ignore: int | None = None
) -> None:
    """Refuse a span ``[start, end)`` that would overlap another span (``ignore``: the span
    being corrected), naming the first it overlaps: ``overlaps work span 7 (#12 Printer
    jammed, 09:40–10:10)``. A running span counts until now (a forgotten one until the end
    of its working day, as the review counts it); spans that only touch do not overlap."""
    store, settings = desk.store, desk.settings
    for span in store.spans_between(start, end):
        if span.id == ignore:
            continue
        finish, _ = span_end(span, now, settings.hours, settings.day_boundary, None)
        if not (span.started_at < end and start < finish):
            continue
        item = store.items_by_id([span.item_id]).get(span.item_id)
        title = f" {item.title}" if item is not None else ""
        shown_end = "now" if span.ended_at is None and finish >= now else _clock(finish, now, start)
        raise BadRequest(
            f"overlaps work span {span.id} (#{span.item_id}{title}, "
            f"{_clock(span.started_at, now, start)}–{shown_end}): a minute of work is counted once"
        )


def _length(minutes: float) -> timedelta:
    if not 0 < minutes <= MAX_DURATION_MINUTES:
        raise BadRequest("time spent must be more than zero and at most 30 days")
    return timedelta(minutes=minutes)


def log_time(
    desk: Desk, item_id: int, minutes: float, now: datetime, *, end: datetime | None = None
) -> SpanRecord:
    """Give time spent on an item after the fact: a closed span of ``minutes`` ending at
    ``end`` (default: now), for an item of any status, as one action; refused when it would
    overlap another span or end in the future."""
    store = desk.store
    item = store.get(item_id)
    finish = now if end is None else end
    if finish > now:
        raise BadRequest("time spent cannot end in the future")
    start = finish - _length(minutes)
    check_no_overlap(desk, start, finish, now)
    summary = f"log {minutes:g} min on #{item_id} {item.title!r}"
    with store.action("log time", summary, now, item_id) as tx:
        span_id = tx.insert(
            "work_span",
            {"item_id": item_id, "started_at": start, "ended_at": finish, "note": LOGGED_NOTE},
        )
    return store.span(span_id)


def done_spent(
    desk: Desk, item_id: int, minutes: float, now: datetime, solution: str | None = None
) -> Changed:
    """Mark an item never started done, with the time it took: a closed span of ``minutes``
    ending now and the done, in one action. An item with work logged has its time counted
    already; one whose span would overlap another's is refused (time is counted once)."""
    store = desk.store
    item = require(store, item_id, "done")
    solution = solution_given(solution)
    if store.spans([item_id]):
        raise BadRequest(
            f"#{item_id} has work logged already: mark it done without a time spent "
            "(more time can be logged on it)"
        )
    start = now - _length(minutes)
    check_no_overlap(desk, start, now, now)
    summary = f"done #{item_id} {item.title!r} ({minutes:g} min spent)"
    with store.action("done", summary, now, item_id) as tx:
        tx.insert(
            "work_span",
            {"item_id": item_id, "started_at": start, "ended_at": now, "note": LOGGED_NOTE},
        )
        done_writes(desk, tx, item, now, solution)
    fire(desk, "done", [item_id], now)
    return Changed(store.get(item_id))
