"""The command line's JSON, as DESIGN.md's contract describes it, rendered from the same view
objects the text and the app show: a field cannot say one thing here and another on screen.
Times are ISO 8601 in local time."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from techqueue.core.estimates import estimate_of
from techqueue.records import ItemRecord, NoteRecord, ReminderRecord, SpanRecord
from techqueue.scoring import late_minutes

if TYPE_CHECKING:  # ``list --json`` need not load the review's and the morning's types
    from techqueue.core.forecast import Forecast, Miss
    from techqueue.core.morning import Morning
    from techqueue.core.review import Promise, Review, Share
    from techqueue.scoring import Ranked, Weights

__all__ = [
    "EXPECTATION_FIELDS",
    "iso",
    "item_json",
    "morning_json",
    "note_json",
    "reminder_json",
    "review_json",
    "span_json",
]


def iso(moment: datetime | None) -> str | None:
    """A time for JSON: ISO 8601 in local time."""
    if moment is None:
        return None
    return moment.astimezone(_local_zone(moment.timestamp())).isoformat(timespec="seconds")


_ZONES: dict[int, tzinfo | None] = {}


def _local_zone(timestamp: float) -> tzinfo | None:
    """The local zone in force at ``timestamp``, looked up once per hour of time (zone
    changes fall on the hour), since asking the C library for every time of a 10k-item
    list is a good part of ``list --json``'s cost."""
    hour = int(timestamp // 3600)
    zone = _ZONES.get(hour)
    if zone is None:
        zone = _ZONES[hour] = datetime.fromtimestamp(hour * 3600 + 1800).astimezone().tzinfo
    return zone


def item_json(
    item: ItemRecord, entry: Ranked[ItemRecord] | None, weights: Weights, forecast: Forecast
) -> dict[str, Any]:
    """The item as the command line's JSON contract describes it."""
    if entry is not None:
        item = entry.item  # the ranked copy: it carries a learned estimate
    estimate = estimate_of(item, weights)
    eta = forecast.etas.get(item.id)
    return {
        "id": item.id,
        "title": item.title,
        "requester": item.requester,
        "vip": item.vip,
        "severity": item.severity,
        "channel": item.channel,
        "impact": item.impact,
        "estimate_minutes": round(estimate.minutes, 2),
        "status": item.status,
        "received_at": iso(item.received_at),
        "created_at": iso(item.created_at),
        "due_at": iso(item.due_at),
        "started_at": iso(item.started_at),
        "done_at": iso(item.done_at),
        "tags": list(item.tags),
        "ref": item.ref,
        "pinned": item.pinned,
        "deferred_until": iso(item.deferred_until),
        "rank": entry.rank if entry else None,
        "score": round(entry.score, 2) if entry else None,
        "reasons": [
            {"factor": reason.factor, "points": round(reason.points, 2), "detail": reason.detail}
            for reason in (entry.reasons if entry else ())
        ],
        "bump": item.bump,
        "promise_due_at": iso(item.promise_due_at),
        "drop_reason": item.drop_reason,
        "estimate_source": estimate.source,
        "estimate_samples": estimate.samples,
        "eta": iso(eta.start) if eta else None,
        "eta_finish": iso(eta.finish) if eta else None,
        "promise_state": forecast.state_of(item),
        "late_minutes": round(late_minutes(item, entry.waited, weights), 1) if entry else 0.0,
        "will_miss": _miss(forecast.miss(item.id)),
        "breach_at": iso(forecast.breach_at(item)),
        "will_breach": forecast.will_breach(item.id),
        "assignee": item.assignee,
    }


def _miss(miss: Miss | None) -> dict[str, Any] | None:
    if miss is None:
        return None
    return {"what": miss.what, "at": iso(miss.at), "by_minutes": round(miss.by_minutes, 1)}


#: The fields of an item that ``eta --json`` gives, with the sentence to tell the customer.
EXPECTATION_FIELDS = (
    "id",
    "title",
    "requester",
    "status",
    "rank",
    "estimate_minutes",
    "estimate_source",
    "estimate_samples",
    "eta",
    "eta_finish",
    "promise_due_at",
    "promise_state",
    "late_minutes",
    "will_miss",
    "breach_at",
    "will_breach",
)


def note_json(note: NoteRecord) -> dict[str, Any]:
    return {
        "id": note.id,
        "item_id": note.item_id,
        "kind": note.kind,
        "text": note.text,
        "created_at": iso(note.created_at),
        "due_at": iso(note.due_at),
    }


def reminder_json(reminder: ReminderRecord, now: datetime) -> dict[str, Any]:
    return {
        "kind": "reminder",
        "id": reminder.id,
        "item_id": reminder.item_id,
        "item_title": reminder.item_title,
        "text": reminder.text,
        "due_at": iso(reminder.due_at),
        "created_at": iso(reminder.created_at),
        "dismissed_at": iso(reminder.dismissed_at),
        "due": reminder.due_at <= now,
    }


def span_json(
    span: SpanRecord, title: str | None, minutes: float, *, running: bool
) -> dict[str, Any]:
    return {
        "id": span.id,
        "item_id": span.item_id,
        "title": title,
        "started_at": iso(span.started_at),
        "ended_at": iso(span.ended_at),
        "running": running,
        "minutes": round(minutes, 1),
        "note": span.note,
    }


def _shares(shares: list[Share]) -> list[dict[str, Any]]:
    return [{"name": share.name, "minutes": share.minutes} for share in shares]


def _promise(promise: Promise) -> dict[str, Any]:
    return {
        "item_id": promise.item_id,
        "title": promise.title,
        "requester": promise.requester,
        "text": promise.text,
        "due_at": iso(promise.due_at),
    }


def review_json(review: Review) -> dict[str, Any]:
    """The review as ``review --json`` prints it."""
    promises = review.promises
    return {
        "from": iso(review.start),
        "to": iso(review.end),
        "done": [
            {
                "id": done.id,
                "title": done.title,
                "requester": done.requester,
                "status": done.status,
                "severity": done.severity,
                "done_at": iso(done.done_at),
                "spent_minutes": done.spent_minutes,
                "estimate_minutes": done.estimate_minutes,
                "drop_reason": done.drop_reason,
            }
            for done in review.done
        ],
        "open": [
            {
                "id": entry.id,
                "rank": entry.rank,
                "title": entry.title,
                "requester": entry.requester,
                "status": entry.status,
                "severity": entry.severity,
                "spent_minutes": entry.spent_minutes,
                "undecided": entry.undecided,
            }
            for entry in review.open
        ],
        "worked_minutes": review.worked_minutes,
        "received": review.received,
        "finished": review.finished,
        "dropped": review.dropped,
        "by_tag": _shares(review.by_tag),
        "by_channel": _shares(review.by_channel),
        "by_requester": _shares(review.by_requester),
        "by_day": [{"date": day.date, "minutes": day.minutes} for day in review.by_day],
        "promises": {
            "kept": [_promise(p) for p in promises.kept],
            "broken": [_promise(p) for p in promises.broken],
            "pending": [_promise(p) for p in promises.pending],
            "later": [_promise(p) for p in promises.later],
        },
        "carried_over": [
            {
                "id": carried.id,
                "title": carried.title,
                "skipped": carried.skipped,
                "note": carried.note,
                "status": carried.status,
                "promised_for": iso(carried.promised_for),
            }
            for carried in review.carried_over
        ],
        "overnight_spans": review.overnight_spans,
        "deferred": [
            {
                "id": entry.id,
                "title": entry.title,
                "requester": entry.requester,
                "status": entry.status,
                "deferred_until": iso(entry.deferred_until),
            }
            for entry in review.deferred
        ],
    }


def morning_json(morning: Morning[ItemRecord, NoteRecord, ReminderRecord]) -> dict[str, Any]:
    """The morning summary as ``techqueue morning --json`` prints it."""

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
