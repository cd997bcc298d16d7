"""The day (or week) in review: what was done, the time it took, what is still open.

:func:`build_review` gathers the data once; the text, Markdown and JSON outputs are views of it,
so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from techqueue.core.expectations import promise_state
from techqueue.core.text import clean_text
from techqueue.core.timeparse import WorkingHours, format_duration
from techqueue.core.workday import Morning, bar, day_of, morning_summary, span_minutes, today_span
from techqueue.queue import estimate_of, iso, learn, rank_learned, ranked_queue, unranked
from techqueue.scoring import Ranked, Weights
from techqueue.store import (
    CARRY_KINDS,
    ItemRecord,
    NoteRecord,
    ReminderRecord,
    SpanRecord,
    Store,
)

__all__ = [
    "DayRecords",
    "build_review",
    "gather",
    "gather_morning",
    "morning_json",
    "morning_lines",
    "review_from",
    "review_markdown",
    "review_text",
]


@dataclass(frozen=True)
class DayRecords:
    """Everything the review reads from the store for ``[start, end)``, read in one go."""

    start: datetime
    end: datetime
    closed: list[ItemRecord]
    received: list[ItemRecord]
    spans: list[SpanRecord]
    items: dict[int, ItemRecord]
    promises: list[NoteRecord]
    carries: list[NoteRecord]
    queue: list[Ranked[ItemRecord]]
    decided_today: set[int]
    """Items given a carry-over decision today: the queue's others are what finishing the day
    carries over as skipped (``Store.undecided``, read here from the queue already ranked)."""


def gather(
    store: Store, start: datetime, end: datetime, now: datetime, weights: Weights, boundary: time
) -> DayRecords:
    """The store's part of the review: the records, no arithmetic."""
    spans = store.spans_between(start, end)
    promises = store.notes_between(start, end, ["promise"], by_due=True)
    carries = store.notes_between(start, end, CARRY_KINDS)
    wanted = {span.item_id for span in spans} | {note.item_id for note in promises + carries}
    return DayRecords(
        start=start,
        end=end,
        closed=store.closed_between(start, end),
        received=store.received_between(start, end),
        spans=spans,
        items=store.items_by_id(wanted),
        promises=promises,
        carries=carries,
        queue=ranked_queue(store, now, weights, explain=False),
        decided_today=store.decided_between(*today_span(now, boundary)),
    )


def build_review(
    store: Store,
    start: datetime,
    end: datetime,
    now: datetime,
    weights: Weights,
    hours: WorkingHours,
    boundary: time,
) -> dict[str, Any]:
    """Done and dropped items in ``[start, end)`` with the time worked on each in the period,
    where the time went, promises kept and broken, carry-overs, and what is still open."""
    records = gather(store, start, end, now, weights, boundary)
    return review_from(records, now, weights, hours, boundary)


def _shares(totals: dict[str, float]) -> list[dict[str, Any]]:
    ordered = sorted(totals.items(), key=lambda pair: (-pair[1], pair[0]))
    return [{"name": name, "minutes": round(minutes, 1)} for name, minutes in ordered if minutes]


def review_from(
    records: DayRecords, now: datetime, weights: Weights, hours: WorkingHours, boundary: time
) -> dict[str, Any]:
    """The review as plain data (the JSON output), from the records alone: pure."""
    start, end = records.start, records.end
    worked: dict[int, float] = {}
    by_day: dict[str, float] = {}
    overnight = 0
    for span in records.spans:
        minutes, cut = span_minutes(span, now, hours, boundary, start, end)
        worked[span.item_id] = worked.get(span.item_id, 0.0) + minutes
        overnight += cut
        day = day_of(max(span.started_at, start), boundary, now.tzinfo).isoformat()
        by_day[day] = by_day.get(day, 0.0) + minutes
    by_tag: dict[str, float] = {}
    by_channel: dict[str, float] = {}
    by_requester: dict[str, float] = {}
    for item_id, minutes in worked.items():
        item = records.items.get(item_id)
        if item is None:
            continue
        for tag in item.tags or ("(no tag)",):
            by_tag[tag] = by_tag.get(tag, 0.0) + minutes
        by_channel[item.channel] = by_channel.get(item.channel, 0.0) + minutes
        who = clean_text(item.requester or "") or "(nobody)"
        by_requester[who] = by_requester.get(who, 0.0) + minutes
    promises: dict[str, list[dict[str, Any]]] = {"kept": [], "broken": [], "pending": []}
    for note in records.promises:
        item = records.items.get(note.item_id)
        if item is None or note.due_at is None:
            continue
        if item.status == "done" and item.done_at is not None and item.done_at <= note.due_at:
            state = "kept"
        elif note.due_at <= now:
            state = "broken"
        else:
            state = "pending"
        promises[state].append(
            {
                "item_id": item.id,
                "title": item.title,
                "requester": item.requester,
                "text": note.text,
                "due_at": iso(note.due_at),
            }
        )
    latest: dict[int, NoteRecord] = {note.item_id: note for note in records.carries}
    carried = [
        {
            "id": note.item_id,
            "title": records.items[note.item_id].title,
            "skipped": note.kind == "skipped",
            "note": note.text,
            "status": records.items[note.item_id].status,
        }
        for note in latest.values()
        if note.item_id in records.items
    ]
    closed = records.closed
    days = (end - start) / timedelta(days=1)
    return {
        "from": iso(start),
        "to": iso(end),
        "done": [
            {
                "id": item.id,
                "title": item.title,
                "requester": item.requester,
                "status": item.status,
                "severity": item.severity,
                "done_at": iso(item.done_at),
                "spent_minutes": round(worked.get(item.id, 0.0), 1),
                "estimate_minutes": round(estimate_of(item, weights).minutes, 1),
                "drop_reason": item.drop_reason,
            }
            for item in closed
        ],
        "open": [
            {
                "id": entry.item.id,
                "rank": entry.rank,
                "title": entry.item.title,
                "requester": entry.item.requester,
                "status": entry.item.status,
                "severity": entry.item.severity,
                "spent_minutes": round(worked.get(entry.item.id, 0.0), 1),
                "undecided": entry.item.id not in records.decided_today,
            }
            for entry in records.queue
        ],
        "worked_minutes": round(sum(worked.values()), 1),
        "received": len(records.received),
        "finished": sum(1 for item in closed if item.status == "done"),
        "dropped": sum(1 for item in closed if item.status == "dropped"),
        "by_tag": _shares(by_tag),
        "by_channel": _shares(by_channel),
        "by_requester": _shares(by_requester),
        "by_day": [
            {"date": day, "minutes": round(minutes, 1)} for day, minutes in sorted(by_day.items())
        ]
        if days > 1
        else [],
        "promises": promises,
        "carried_over": carried,
        "overnight_spans": overnight,
    }


def _done_rows(review: dict[str, Any]) -> list[str]:
    rows = []
    for item in review["done"]:
        verb = "dropped" if item["status"] == "dropped" else "done"
        spent = (
            format_duration(item["spent_minutes"]) if item["spent_minutes"] else "no time logged"
        )
        rows.append(f"#{item['id']} {clean_text(item['title'])} — {verb}, {spent}")
    return rows


_SHARES = (("by_tag", "tag"), ("by_channel", "channel"), ("by_requester", "requester"))


def _title(review: dict[str, Any]) -> str:
    start, end = review["from"][:10], review["to"][:10]
    days = (datetime.fromisoformat(review["to"]) - datetime.fromisoformat(review["from"])).days
    return start if days <= 1 else f"{start} to {end}"


def _promise_rows(review: dict[str, Any]) -> list[str]:
    rows = []
    for state in ("kept", "broken", "pending"):
        for promise in review["promises"][state]:
            rows.append(
                f"{state}: #{promise['item_id']} {clean_text(promise['title'])} — "
                f"{clean_text(promise['text'])} (due {promise['due_at'][11:16]})"
            )
    return rows


def _carried_rows(review: dict[str, Any]) -> list[str]:
    return [
        f"#{entry['id']} {clean_text(entry['title'])} — "
        + ("skipped at the review, carried over" if entry["skipped"] else "carried over")
        + (
            f": {clean_text(entry['note'])}"
            if entry["note"] not in {"carried over", "not decided at the review: carried over"}
            else ""
        )
        for entry in review["carried_over"]
    ]


def review_text(review: dict[str, Any]) -> list[str]:
    """The review for a terminal."""
    worked = format_duration(review["worked_minutes"]) if review["worked_minutes"] else "no time"
    lines = [
        f"Review {review['from'][:10]} to {review['to'][:10]}: {review['finished']} done, "
        f"{review['received']} received, {worked} worked"
    ]
    lines.append("Done:" if review["done"] else "Nothing finished.")
    lines += [f"  {row}" for row in _done_rows(review)]
    for key, label in _SHARES:
        shares = review[key]
        if shares:
            lines.append(f"Time by {label}:")
            top = shares[0]["minutes"]
            width = max(len(clean_text(share["name"])) for share in shares)
            lines += [
                f"  {clean_text(share['name']):<{width}}  {bar(share['minutes'], top, 20)}  "
                f"{format_duration(share['minutes'])}"
                for share in shares
            ]
    promise_rows = _promise_rows(review)
    if promise_rows:
        lines.append("Promises:")
        lines += [f"  {row}" for row in promise_rows]
    if review["carried_over"]:
        lines.append("Carried over:")
        lines += [f"  {row}" for row in _carried_rows(review)]
    lines.append(f"Still open ({len(review['open'])}):" if review["open"] else "Nothing left open.")
    lines += [
        f"  {item['rank']}. #{item['id']} {clean_text(item['title'])} ({item['status']})"
        for item in review["open"]
    ]
    return lines


def _markdown_cell(text: str) -> str:
    return clean_text(text).replace("|", "\\|")


def review_markdown(review: dict[str, Any]) -> str:
    """The review as a Markdown report (for a manager or a ticket system)."""
    worked = format_duration(review["worked_minutes"]) if review["worked_minutes"] else "none"
    kept, broken = len(review["promises"]["kept"]), len(review["promises"]["broken"])
    lines = [
        f"# Review: {_title(review)}",
        "",
        f"- Interruptions received: {review['received']}",
        f"- Finished: {review['finished']}",
        f"- Dropped: {review['dropped']}",
        f"- Time worked: {worked}",
        f"- Promises kept: {kept}, broken: {broken}",
        "",
        "## Done",
        "",
    ]
    lines += [f"- {row}" for row in _done_rows(review)] or ["- nothing"]
    if review["by_day"]:
        top = max(day["minutes"] for day in review["by_day"])
        lines += ["", "## Time by day", "", "| day | time | |", "|---|---:|---|"]
        lines += [
            f"| {day['date']} | {format_duration(day['minutes'])} | "
            f"`{bar(day['minutes'], top, 20)}` |"
            for day in review["by_day"]
        ]
    for key, label in _SHARES:
        shares = review[key]
        if not shares:
            continue
        top = shares[0]["minutes"]
        lines += ["", f"## Time by {label}", "", f"| {label} | time | |", "|---|---:|---|"]
        lines += [
            f"| {_markdown_cell(share['name'])} | {format_duration(share['minutes'])} | "
            f"`{bar(share['minutes'], top, 20)}` |"
            for share in shares
        ]
    lines += ["", "## Promises", ""]
    lines += [f"- {row}" for row in _promise_rows(review)] or ["- none fell due"]
    lines += ["", "## Carried over", ""]
    lines += [f"- {row}" for row in _carried_rows(review)] or ["- nothing"]
    lines += ["", "## Still open", ""]
    lines += [
        f"{item['rank']}. #{item['id']} {clean_text(item['title'])} ({item['status']})"
        for item in review["open"]
    ] or ["- nothing"]
    return "\n".join(lines)


# --- the morning summary ---------------------------------------------------------------------

#: How many carried-over items the summary names before it says "and N more".
MORNING_LIMIT = 8


def gather_morning(
    store: Store, now: datetime, weights: Weights, boundary: time
) -> Morning[ItemRecord, NoteRecord, ReminderRecord]:
    """The store's part of the morning summary; the choosing is :func:`morning_summary`'s."""
    items = store.items()
    ranked = rank_learned(items, learn(store), now, weights, explain=False)
    ordered = [entry.item for entry in ranked] + unranked(items, ranked, now)
    notes = store.notes_of([item.id for item in ordered], CARRY_KINDS)
    return morning_summary(now, boundary, ordered, notes, store.reminders())


def morning_json(morning: Morning[ItemRecord, NoteRecord, ReminderRecord]) -> dict[str, Any]:
    """The morning summary as plain data (``techqueue morning --json``)."""

    def item(record: ItemRecord) -> dict[str, Any]:
        return {
            "id": record.id,
            "title": record.title,
            "requester": record.requester,
            "status": record.status,
            "promise_due_at": iso(record.promise_due_at),
            "deferred_until": iso(record.deferred_until),
        }

    return {
        "day": morning.day.isoformat(),
        "carried_over": [
            {**item(entry.item), "how": entry.how, "note": entry.note.text if entry.note else None}
            for entry in morning.carried
        ],
        "promises_due": [item(record) for record in morning.promises],
        "reminders": [
            {
                "id": reminder.id,
                "item_id": reminder.item_id,
                "text": reminder.text,
                "due_at": iso(reminder.due_at),
            }
            for reminder in morning.reminders
        ],
        "deferred_to_today": [item(record) for record in morning.deferred],
    }


def _promise_word(item: ItemRecord, now: datetime) -> str:
    """ "broken: was due" only when the promise is broken as everywhere else (work did not
    begin in time); a promise kept by starting in time "was due"."""
    if promise_state(item, None, now) == "broken":
        return "broken: was due "
    return "was due " if item.promise_due_at is not None and item.promise_due_at <= now else "due "


def morning_lines(
    morning: Morning[ItemRecord, NoteRecord, ReminderRecord],
    now: datetime,
    limit: int = MORNING_LIMIT,
) -> list[tuple[str, list[str]]]:
    """The summary's sections as (heading, lines) for a terminal or the app, user text
    cleaned; long lists end with how many more there are."""
    from techqueue.display import when

    def capped(lines: list[str]) -> list[str]:
        if len(lines) > limit:
            return [*lines[:limit], f"… and {len(lines) - limit} more"]
        return lines

    sections: list[tuple[str, list[str]]] = []
    if morning.carried:
        sections.append(
            (
                f"Carried over ({len(morning.carried)})",
                capped(
                    [
                        f"#{entry.item.id} {clean_text(entry.item.title)} — {entry.how}"
                        + (
                            f": {clean_text(entry.note.text)}"
                            if entry.note is not None
                            and entry.note.text != "carried over"
                            and entry.note.kind == "carry"
                            else ""
                        )
                        for entry in morning.carried
                    ]
                ),
            )
        )
    if morning.promises:
        sections.append(
            (
                f"Promises due today ({len(morning.promises)})",
                capped(
                    [
                        f"#{item.id} {clean_text(item.title)} — "
                        + (f"to {clean_text(item.requester)}, " if item.requester else "")
                        + _promise_word(item, now)
                        + when(item.promise_due_at or now, now)
                        for item in morning.promises
                    ]
                ),
            )
        )
    if morning.reminders:
        sections.append(
            (
                f"Reminders ({len(morning.reminders)})",
                capped(
                    [
                        f"{when(reminder.due_at, now)}  {clean_text(reminder.text)}"
                        for reminder in morning.reminders
                    ]
                ),
            )
        )
    if morning.deferred:
        sections.append(
            (
                f"Deferred to today ({len(morning.deferred)})",
                capped(
                    [
                        f"#{item.id} {clean_text(item.title)} — from "
                        + when(item.deferred_until or now, now)
                        for item in morning.deferred
                    ]
                ),
            )
        )
    return sections
