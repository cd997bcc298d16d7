"""The day (or week) in review: what was done, the time it took, what is still open.

:func:`build_review` gathers the data once; the text, Markdown and JSON outputs are views of it,
so they always agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from techqueue.queue import estimate_in_effect, iso, ranked_queue
from techqueue.quickadd import clean_text
from techqueue.scoring import Weights
from techqueue.store import Store
from techqueue.timeparse import format_duration

__all__ = ["build_review", "review_markdown", "review_text"]


def build_review(
    store: Store, start: datetime, end: datetime, now: datetime, weights: Weights
) -> dict[str, Any]:
    """Done and dropped items in ``[start, end)`` with the time worked on each in the period,
    and the items still open, in rank order."""
    closed = store.closed_between(start, end)
    worked: dict[int, float] = {}
    for span in store.spans_between(start, end):
        span_end = min(span.ended_at or now, end)
        minutes = (span_end - max(span.started_at, start)).total_seconds() / 60
        worked[span.item_id] = worked.get(span.item_id, 0.0) + max(minutes, 0.0)
    received = [
        item
        for item in store.items(("open", "active", "paused", "waiting", "done", "dropped"))
        if start <= item.received_at < end
    ]
    queue = ranked_queue(store, now, weights, explain=False)
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
                "estimate_minutes": round(estimate_in_effect(item, weights), 1),
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
            }
            for entry in queue
        ],
        "worked_minutes": round(sum(worked.values()), 1),
        "received": len(received),
        "finished": sum(1 for item in closed if item.status == "done"),
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


def review_text(review: dict[str, Any]) -> list[str]:
    """The review for a terminal."""
    worked = format_duration(review["worked_minutes"]) if review["worked_minutes"] else "no time"
    lines = [
        f"Review {review['from'][:10]} to {review['to'][:10]}: {review['finished']} done, "
        f"{review['received']} received, {worked} worked"
    ]
    lines.append("Done:" if review["done"] else "Nothing finished.")
    lines += [f"  {row}" for row in _done_rows(review)]
    lines.append(f"Still open ({len(review['open'])}):" if review["open"] else "Nothing left open.")
    lines += [
        f"  {item['rank']}. #{item['id']} {clean_text(item['title'])} ({item['status']})"
        for item in review["open"]
    ]
    return lines


def review_markdown(review: dict[str, Any]) -> str:
    """The review as a Markdown report (for a manager or a ticket system)."""
    worked = format_duration(review["worked_minutes"]) if review["worked_minutes"] else "none"
    lines = [
        f"# Review: {review['from'][:10]} to {review['to'][:10]}",
        "",
        f"- Finished: {review['finished']}",
        f"- Received: {review['received']}",
        f"- Time worked: {worked}",
        "",
        "## Done",
        "",
    ]
    lines += [f"- {row}" for row in _done_rows(review)] or ["- nothing"]
    lines += ["", "## Still open", ""]
    lines += [
        f"{item['rank']}. #{item['id']} {clean_text(item['title'])} ({item['status']})"
        for item in review["open"]
    ] or ["- nothing"]
    return "\n".join(lines)
