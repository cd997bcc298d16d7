"""The day (or week) in review, read from the store and shown as text or Markdown; the JSON is
:func:`techqueue.views.json.review_json` of the same :class:`~techqueue.core.review.Review`,
and the review screen draws it too."""

from __future__ import annotations

from datetime import datetime

from techqueue.core.review import DayRecords, Review, review_of
from techqueue.core.sweep import QUICK_CLOSE_MINUTES
from techqueue.core.text import clean_text
from techqueue.core.timeparse import format_duration
from techqueue.core.workday import today_span
from techqueue.desk import Desk
from techqueue.domain import CARRY_KINDS, OPEN_STATUSES, carry_note
from techqueue.records import NoteRecord
from techqueue.views.morning import escalation_lines
from techqueue.views.ranking import read_queue
from techqueue.views.text import bar

#: "≤ 15 min", as the sweep's headings say it.
_QUICK = f"≤ {format_duration(QUICK_CLOSE_MINUTES)}"

__all__ = [
    "appointment_rows",
    "gather",
    "out_rows",
    "read_review",
    "review_markdown",
    "review_text",
]


def gather(desk: Desk, start: datetime, end: datetime, now: datetime) -> DayRecords:
    """The store's part of the review: the records, no arithmetic."""
    store = desk.store
    spans = store.spans_between(start, end)
    promises = store.notes_between(start, end, ["promise"], by_due=True)
    carries = store.notes_between(start, end, CARRY_KINDS)
    made = store.notes_between(start, end, ["promise"])
    open_items = store.items(OPEN_STATUSES)
    deferred = sorted(
        (item for item in open_items if item.deferred_until and item.deferred_until > now),
        key=lambda item: (item.deferred_until or now, item.id),
    )
    promised_later = [
        item.id for item in open_items if item.promise_due_at and item.promise_due_at >= end
    ]
    later = _latest(store.notes_of(promised_later, ["promise"]))
    wanted = {span.item_id for span in spans} | {
        note.item_id for note in promises + carries + later
    }
    return DayRecords(
        start=start,
        end=end,
        closed=store.closed_between(start, end),
        received=store.received_between(start, end),
        spans=spans,
        items=store.items_by_id(wanted),
        promises=promises,
        carries=carries,
        queue=read_queue(desk, now, explain=False).ranked,
        decided_today=store.decided_between(*today_span(now, desk.settings.day_boundary)),
        deferred=deferred,
        promises_made=made,
        promises_later=later,
        booked=[item for item in open_items if item.appointment_at is not None],
        out=[item for item in open_items if item.waiting_on is not None],
    )


def _latest(notes: list[NoteRecord]) -> list[NoteRecord]:
    """The latest note of each item (``notes`` oldest first), in the order of their items'
    first note."""
    latest: dict[int, NoteRecord] = {}
    for note in notes:
        latest[note.item_id] = note
    return sorted(latest.values(), key=lambda note: (note.due_at or note.created_at, note.id))


def read_review(desk: Desk, start: datetime, end: datetime, now: datetime) -> Review:
    """Done and dropped items in ``[start, end)`` with the time worked on each in the period,
    where the time went, promises kept and broken, carry-overs, and what is still open."""
    settings = desk.settings
    records = gather(desk, start, end, now)
    return review_of(records, now, settings.weights, settings.hours, settings.day_boundary)


def _day(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d")


def _moment(moment: datetime, review: Review) -> str:
    """A time in a review of a day: ``10:00`` that day, ``Tue 03 Mar 10:00`` another."""
    local = moment.astimezone()
    if local.date() == review.start.astimezone().date():
        return f"{local:%H:%M}"
    return f"{local:%a %d %b %H:%M}"


def _done_rows(review: Review, status: str = "done") -> list[str]:
    """The items finished (``done``) or given up (``dropped``) in the period."""
    rows = []
    for item in review.done:
        if item.status != status:
            continue
        spent = format_duration(item.spent_minutes) if item.spent_minutes else "no time logged"
        why = f": {clean_text(item.drop_reason)}" if item.drop_reason else ""
        rows.append(f"#{item.id} {clean_text(item.title)} — {spent}{why}")
    return rows


def _deferred_rows(review: Review) -> list[str]:
    return [
        f"#{entry.id} {clean_text(entry.title)} — to {_moment(entry.deferred_until, review)}"
        for entry in review.deferred
    ]


def appointment_rows(review: Review) -> list[str]:
    rows = []
    for entry in review.appointments:
        who = f" ({clean_text(entry.requester)})" if entry.requester else ""
        rows.append(
            f"#{entry.id} {clean_text(entry.title)}{who} — {_moment(entry.at, review)} "
            f"for {format_duration(entry.minutes)}"
        )
    return rows


def out_rows(review: Review) -> list[str]:
    from techqueue.core.worktime import working_duration

    rows = []
    for entry in review.out_with:
        kind = "" if entry.kind in (None, "person") else f"{entry.kind} "
        chase = f", chase {_moment(entry.chase_at, review)}" if entry.chase_at else ""
        rows.append(
            f"#{entry.id} {clean_text(entry.title)} — with {kind}{clean_text(entry.who)} "
            f"for {working_duration(entry.waited_minutes)} of working time{chase}"
        )
    return rows


def _title(review: Review) -> str:
    start, end = _day(review.start), _day(review.end)
    return start if (review.end - review.start).days <= 1 else f"{start} to {end}"


def _promise_rows(review: Review) -> list[str]:
    promises = review.promises
    return [
        f"{state}: #{promise.item_id} {clean_text(promise.title)} — "
        f"{clean_text(promise.text)} (due {_moment(promise.due_at, review)})"
        for state, found in (
            ("kept", promises.kept),
            ("broken", promises.broken),
            ("pending", promises.pending),
            ("still open", promises.later),
        )
        for promise in found
    ]


def _carried_rows(review: Review) -> list[str]:
    plain = {carry_note(skipped=False), carry_note(skipped=True)}
    return [
        f"#{entry.id} {clean_text(entry.title)} — "
        + ("skipped at the review, carried over" if entry.skipped else "carried over")
        + (f", promised {_moment(entry.promised_for, review)}" if entry.promised_for else "")
        + (f": {clean_text(entry.note)}" if entry.note not in plain else "")
        for entry in review.carried_over
    ]


def _open_rows(review: Review) -> list[str]:
    return [
        f"{entry.rank}. #{entry.id} {clean_text(entry.title)} ({entry.status})"
        for entry in review.open
    ]


def review_text(review: Review) -> list[str]:
    """The review for a terminal."""
    worked = format_duration(review.worked_minutes) if review.worked_minutes else "no time"
    lines = [
        f"Review {_day(review.start)} to {_day(review.end)}: {review.finished} done, "
        f"{review.received} received, {worked} worked"
    ]
    done, dropped = _done_rows(review), _done_rows(review, "dropped")
    lines.append("Done:" if done else "Nothing finished.")
    lines += [f"  {row}" for row in done]
    if dropped:
        lines.append("Dropped:")
        lines += [f"  {row}" for row in dropped]
    for label, shares in review.shares:
        if shares:
            lines.append(f"Time by {label}:")
            top = shares[0].minutes
            width = max(len(clean_text(share.name)) for share in shares)
            lines += [
                f"  {clean_text(share.name):<{width}}  {bar(share.minutes, top, 20)}  "
                f"{format_duration(share.minutes)}"
                for share in shares
            ]
    promise_rows = _promise_rows(review)
    if promise_rows:
        lines.append("Promises:")
        lines += [f"  {row}" for row in promise_rows]
    if review.carried_over:
        lines.append("Carried over:")
        lines += [f"  {row}" for row in _carried_rows(review)]
    if review.deferred:
        lines.append("Deferred:")
        lines += [f"  {row}" for row in _deferred_rows(review)]
    if review.escalate:
        lines.append(f"Worth escalating: long open, closable in {_QUICK} (techqueue bump ID):")
        lines += [f"  {row}" for row in escalation_lines(review.escalate, numbered=False)]
    if review.appointments:
        lines.append("Appointments:")
        lines += [f"  {row}" for row in appointment_rows(review)]
    if review.out_with:
        lines.append("Out with someone else:")
        lines += [f"  {row}" for row in out_rows(review)]
    lines.append(f"Still open ({len(review.open)}):" if review.open else "Nothing left open.")
    lines += [f"  {row}" for row in _open_rows(review)]
    return lines


def _markdown_cell(text: str) -> str:
    return clean_text(text).replace("|", "\\|")


def review_markdown(review: Review) -> str:
    """The review as a Markdown report (for a manager or a ticket system)."""
    worked = format_duration(review.worked_minutes) if review.worked_minutes else "none"
    kept, broken = len(review.promises.kept), len(review.promises.broken)
    lines = [
        f"# Review: {_title(review)}",
        "",
        f"- Interruptions received: {review.received}",
        f"- Finished: {review.finished}",
        f"- Dropped: {review.dropped}",
        f"- Time worked: {worked}",
        f"- Promises kept: {kept}, broken: {broken}",
        "",
        "## Done",
        "",
    ]
    lines += [f"- {row}" for row in _done_rows(review)] or ["- nothing"]
    dropped = _done_rows(review, "dropped")
    if dropped:
        lines += ["", "## Dropped", ""]
        lines += [f"- {row}" for row in dropped]
    if review.by_day:
        top = max(day.minutes for day in review.by_day)
        lines += ["", "## Time by day", "", "| day | time | |", "|---|---:|---|"]
        lines += [
            f"| {day.date} | {format_duration(day.minutes)} | `{bar(day.minutes, top, 20)}` |"
            for day in review.by_day
        ]
    for label, shares in review.shares:
        if not shares:
            continue
        top = shares[0].minutes
        lines += ["", f"## Time by {label}", "", f"| {label} | time | |", "|---|---:|---|"]
        lines += [
            f"| {_markdown_cell(share.name)} | {format_duration(share.minutes)} | "
            f"`{bar(share.minutes, top, 20)}` |"
            for share in shares
        ]
    lines += ["", "## Promises", ""]
    lines += [f"- {row}" for row in _promise_rows(review)] or ["- none fell due"]
    lines += ["", "## Carried over", ""]
    lines += [f"- {row}" for row in _carried_rows(review)] or ["- nothing"]
    if review.deferred:
        lines += ["", "## Deferred", ""]
        lines += [f"- {row}" for row in _deferred_rows(review)]
    if review.escalate:
        lines += ["", f"## Worth escalating (closable in {_QUICK})", ""]
        lines += [
            f"- {_markdown_cell(row)}" for row in escalation_lines(review.escalate, numbered=False)
        ]
    if review.appointments:
        lines += ["", "## Appointments", ""]
        lines += [f"- {_markdown_cell(row)}" for row in appointment_rows(review)]
    if review.out_with:
        lines += ["", "## Out with someone else", ""]
        lines += [f"- {_markdown_cell(row)}" for row in out_rows(review)]
    lines += ["", "## Still open", ""]
    lines += _open_rows(review) or ["- nothing"]
    return "\n".join(lines)
