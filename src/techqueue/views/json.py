"""The command line's JSON, as DESIGN.md's contract describes it, rendered from the same view
objects the text and the app show: a field cannot say one thing here and another on screen.
Times are ISO 8601 in local time."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Any

from techqueue.core.business import COST_PREFIX, business_cost, without_cost
from techqueue.core.estimates import estimate_of
from techqueue.records import ItemRecord, NoteRecord, ReminderRecord, SpanRecord
from techqueue.scoring import late_minutes

if TYPE_CHECKING:  # ``list --json`` need not load the review's and the morning's types
    from techqueue.core.forecast import Forecast, Miss
    from techqueue.core.insight import Insight, Row
    from techqueue.core.morning import Morning
    from techqueue.core.review import Promise, Review, Share
    from techqueue.core.sweep import Escalation
    from techqueue.scoring import Ranked, Reason, Weights
    from techqueue.views.item import ItemDetail

__all__ = [
    "EXPECTATION_FIELDS",
    "detail_json",
    "escalations_json",
    "insight_json",
    "iso",
    "item_json",
    "items_json",
    "morning_json",
    "note_json",
    "reason_json",
    "reminder_json",
    "review_json",
    "span_json",
]


def iso(moment: datetime | None) -> str | None:
    """A time for JSON: ISO 8601 in local time."""
    if moment is None:
        return None
    return _iso(moment)


def _iso(moment: datetime) -> str:
    return moment.astimezone(_local_zone(moment.timestamp())).isoformat(timespec="seconds")


_ZONES: dict[int, tzinfo | None] = {}
#: Below this a time's timestamp (a double) tells its whole second exactly: a microsecond
#: short of the next second is still short of it (2 ** 32 seconds: the year 2106).
_SECONDS_EXACT = 2**32
#: ``date(1970, 1, 1).toordinal()``
_EPOCH_ORDINAL = 719_163
_TWO_DIGITS = [f"{n:02d}" for n in range(60)]
_UNKNOWN: Any = object()


def _offset_text(zone: tzinfo | None) -> tuple[int, str] | None:
    """A fixed zone's offset in whole seconds, and how ``isoformat`` writes it (``+01:00``);
    ``None`` for any other zone. (Each hour of a listing has its zone object, and they are
    the same one or two zones: each is written once.)"""
    if not isinstance(zone, timezone):
        return None
    found = _OFFSETS.get(zone, _UNKNOWN)
    if found is _UNKNOWN:
        offset = zone.utcoffset(None)
        found = _OFFSETS[zone] = (
            None
            if offset.microseconds
            else (int(offset.total_seconds()), datetime(2000, 1, 1, tzinfo=zone).isoformat()[19:])
        )
    return found  # type: ignore[no-any-return]


_OFFSETS: dict[timezone, tuple[int, str] | None] = {}


def _local_zone(timestamp: float) -> tzinfo | None:
    """The local zone in force at ``timestamp``, looked up once per hour of time (zone
    changes fall on the hour), since asking the C library for every time of a 10k-item
    list is a good part of ``list --json``'s cost."""
    hour = int(timestamp // 3600)
    zone = _ZONES.get(hour)
    if zone is None:
        # What ``datetime.fromtimestamp(t).astimezone().tzinfo`` is (the C library's offset
        # and name for ``t``, as a fixed zone), without making two datetimes: the ETAs of a
        # long queue fall in thousands of hours.
        try:
            local = time.localtime(hour * 3600 + 1800)
        except (OverflowError, OSError, ValueError):
            local = None
        if local is None or local.tm_gmtoff is None:
            zone = datetime.fromtimestamp(hour * 3600 + 1800).astimezone().tzinfo
        else:
            named = (local.tm_gmtoff, local.tm_zone)
            zone = _NAMED.get(named)
            if zone is None:
                zone = _NAMED[named] = timezone(timedelta(seconds=local.tm_gmtoff), local.tm_zone)
        _ZONES[hour] = zone
    return zone


_NAMED: dict[tuple[int, str], tzinfo] = {}


def item_json(
    item: ItemRecord, entry: Ranked[ItemRecord] | None, weights: Weights, forecast: Forecast
) -> dict[str, Any]:
    """The item as the command line's JSON contract describes it."""
    return _ItemWriter(weights, forecast).write(item, entry)


def items_json(
    rows: Iterable[tuple[ItemRecord, Ranked[ItemRecord] | None]],
    weights: Weights,
    forecast: Forecast,
) -> list[dict[str, Any]]:
    """Each item as :func:`item_json` writes it, in one pass over a listing: the times many
    items share (arrivals, ETAs, a reason's sentence) are written once, every 3× deadline is
    laid on the calendar from one start (``list --json`` of 10,000 items spent most of its
    time writing the same times again)."""
    return _ItemWriter(weights, forecast).write_all(rows)


class _ItemWriter:
    """Writes items of one queue as :func:`item_json` says, keeping what they share."""

    def __init__(self, weights: Weights, forecast: Forecast) -> None:
        from techqueue.core.forecast import Etas

        self.weights = weights
        self.forecast = forecast
        etas = forecast.etas
        #: The ETAs as timestamps, when the forecast keeps them so (written straight from
        #: them: an ETA's finish is often the next item's start).
        self.eta_times = etas.timestamps if isinstance(etas, Etas) else None
        self.eta_zone = etas.zone if isinstance(etas, Etas) else None
        self.by_moment: dict[datetime, str] = {}
        self.by_timestamp: dict[float, str] = {}
        #: By the hour: the local zone's offset in seconds and how :func:`iso` writes it.
        self.offsets: dict[int, tuple[int, str] | None] = {}
        #: By the hour (since the epoch, on the local clock): ``2026-03-02T14:``.
        self.hours: dict[int, str] = {}
        self.reasons: dict[Reason, dict[str, Any]] = {}

    def iso(self, moment: datetime | None) -> str | None:
        """:func:`iso`, each moment written once (a time with ``fold`` set each time: it
        compares equal to its twin an hour apart)."""
        if moment is None:
            return None
        if moment.fold:
            return _iso(moment)
        text = self.by_moment.get(moment)
        if text is None:
            timestamp = moment.timestamp()
            text = self.by_moment[moment] = (
                self.second(int(timestamp)) if 0 <= timestamp < _SECONDS_EXACT else None
            ) or _iso(moment)
        return text

    def iso_timestamp(self, timestamp: float) -> str:
        """An ETA's time, as :func:`iso` writes the time ``Etas`` makes of it: that time is
        ``timestamp`` rounded to the microsecond (half to even, as ``datetime`` rounds)."""
        text = self.by_timestamp.get(timestamp)
        if text is None:
            found = None
            if self.eta_zone is not None and 0 <= timestamp < _SECONDS_EXACT:
                second = int(timestamp)
                if round((timestamp - second) * 1e6) >= 1_000_000:
                    second += 1
                found = self.second(second)
            text = self.by_timestamp[timestamp] = found or _iso(
                datetime.fromtimestamp(timestamp, self.eta_zone)
            )
        return text

    def second(self, second: int) -> str | None:
        """What :func:`iso` writes for a time within the whole second ``second`` since the
        epoch, worked out from the number (the local zone's offset found once an hour, each
        local hour's date and hour written once): ``astimezone`` and ``isoformat`` for each
        of the ~30,000 times of a listing was a tenth of ``list --json``. ``None`` for a
        zone this cannot write."""
        hour = second // 3600
        offset = self.offsets.get(hour, _UNKNOWN)
        if offset is _UNKNOWN:
            offset = self.offsets[hour] = _offset_text(_local_zone(second))
        if offset is None:
            return None
        seconds, suffix = offset
        hour, into = divmod(second + seconds, 3600)  # (the hour on the local clock)
        prefix = self.hours.get(hour)
        if prefix is None:
            day, of_day = divmod(hour, 24)
            prefix = self.hours[hour] = (
                f"{date.fromordinal(day + _EPOCH_ORDINAL).isoformat()}T{_TWO_DIGITS[of_day]}:"
            )
        two = _TWO_DIGITS
        return f"{prefix}{two[into // 60]}:{two[into % 60]}{suffix}"

    def reason(self, reason: Reason) -> dict[str, Any]:
        found = self.reasons.get(reason)
        if found is None:
            found = self.reasons[reason] = reason_json(reason)
        return found

    def eta(self, item_id: int) -> tuple[str | None, str | None]:
        times = self.eta_times
        if times is None:
            eta = self.forecast.etas.get(item_id)
            return (iso(eta.start), iso(eta.finish)) if eta else (None, None)
        found = times.get(item_id)
        if found is None:
            return None, None
        return self.iso_timestamp(found[0]), self.iso_timestamp(found[1])

    def write_all(
        self, rows: Iterable[tuple[ItemRecord, Ranked[ItemRecord] | None]]
    ) -> list[dict[str, Any]]:
        """:meth:`write` of each row, with what it calls for every item taken in line: the
        times that are ``None`` not written, the estimate, the lateness, the tags, the
        promise's state and the cost worked out where they are, each 3× deadline written once
        per distinct start-by (the same moment, so the same text). The same dicts as
        :meth:`write` (``tests/unit/test_json_listing.py`` compares them, byte for byte)."""
        weights, forecast, when = self.weights, self.forecast, self.iso
        reason, iso_timestamp, by_moment = self.reason, self.iso_timestamp, self.by_moment.get
        by_timestamp, known_reasons = self.by_timestamp.get, self.reasons.get
        eta_times = self.eta_times
        targets, defaults = weights.response_target_minutes, weights.default_estimate_minutes
        states, misses = forecast.states, forecast.misses
        overload = forecast.overload
        start_bys, will_breach, moment = overload.start_bys, overload.will_breach, None
        deadlines: dict[float, str | None] = {}
        reason_lists: dict[tuple[Reason, ...], list[dict[str, Any]]] = {}
        written: list[dict[str, Any]] = []
        add = written.append
        for item, entry in rows:
            if entry is not None:
                item = entry.item  # the ranked copy: it carries a learned estimate
            item_id = item.id
            minutes = item.estimate_minutes
            if minutes is None:
                minutes, source, samples = defaults[item.severity], "default", 0
            elif item.estimate_source == "history":
                source, samples = "history", item.estimate_samples
            else:
                source, samples = "given", 0
            if eta_times is None:
                eta, eta_finish = self.eta(item_id)
            else:
                times = eta_times.get(item_id)
                if times is None:
                    eta = eta_finish = None
                else:
                    eta = by_timestamp(times[0]) or iso_timestamp(times[0])
                    eta_finish = by_timestamp(times[1]) or iso_timestamp(times[1])
            received, created = item.received_at, item.created_at
            received_text = (None if received.fold else by_moment(received)) or when(received)
            created_text = (None if created.fold else by_moment(created)) or when(created)
            if entry is None:
                reasons: list[dict[str, Any]] = []
                late = 0.0
            else:
                said = entry.reasons
                listed = reason_lists.get(said)  # (many items' reasons are alike)
                if listed is None:
                    listed = reason_lists[said] = []
                    for each in said:
                        found = known_reasons(each)
                        listed.append(reason(each) if found is None else found)
                reasons = listed
                late = (
                    0.0
                    if item.status != "open" or item.started_at is not None
                    else round(max(entry.waited - targets[item.severity], 0.0), 1)
                )
            tags = item.tags
            state = states.get(item_id)
            if state is None:
                state = "none" if item.promise_due_at is None else forecast.state_of(item)
            miss = misses.get(item_id)
            by = start_bys.get(item_id)
            if by is None or by == 0:  # (0.0 and -0.0 are one key: not kept)
                breach = when(forecast.breach_at(item))
            else:
                breach = deadlines.get(by, _UNKNOWN)
                if breach is _UNKNOWN:
                    if moment is None:
                        moment = overload._moment_of
                    breach = deadlines[by] = when(moment(by))
            cost = item.cost
            add(
                {
                    "id": item_id,
                    "title": item.title,
                    "requester": item.requester,
                    "vip": item.vip,
                    "severity": item.severity,
                    "channel": item.channel,
                    "impact": item.impact,
                    "estimate_minutes": round(minutes, 2),
                    "status": item.status,
                    "received_at": received_text,
                    "created_at": created_text,
                    "due_at": None if item.due_at is None else when(item.due_at),
                    "started_at": None if item.started_at is None else when(item.started_at),
                    "done_at": None if item.done_at is None else when(item.done_at),
                    "tags": [tag for tag in tags if not tag.startswith(COST_PREFIX)]
                    if tags
                    else [],
                    "ref": item.ref,
                    "pinned": item.pinned,
                    "deferred_until": None
                    if item.deferred_until is None
                    else when(item.deferred_until),
                    "rank": None if entry is None else entry.rank,
                    "score": None if entry is None else round(entry.score, 2),
                    "reasons": reasons,
                    "bump": item.bump,
                    "promise_due_at": None
                    if item.promise_due_at is None
                    else when(item.promise_due_at),
                    "drop_reason": item.drop_reason,
                    "estimate_source": source,
                    "estimate_samples": samples,
                    "eta": eta,
                    "eta_finish": eta_finish,
                    "promise_state": state,
                    "late_minutes": late,
                    "will_miss": None if miss is None else _miss(miss),
                    "breach_at": breach,
                    "will_breach": will_breach(item_id),
                    "cost": cost
                    if cost is not None
                    else "normal"
                    if entry is not None
                    else _cost(item, weights, ranked=False),
                    "appointment": None if item.appointment_at is None else _appointment(item),
                    "solution": item.solution,
                    "waiting_on": None if item.waiting_on is None else _waiting_on(item),
                    "assignee": item.assignee,
                }
            )
        return written

    def write(self, item: ItemRecord, entry: Ranked[ItemRecord] | None) -> dict[str, Any]:
        """The item as :func:`item_json` writes it: the reference :meth:`write_all` keeps to."""
        weights, forecast, when = self.weights, self.forecast, self.iso
        if entry is not None:
            item = entry.item  # the ranked copy: it carries a learned estimate
        estimate = estimate_of(item, weights)
        eta, eta_finish = self.eta(item.id)
        reason = self.reason
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
            "received_at": when(item.received_at),
            "created_at": when(item.created_at),
            "due_at": when(item.due_at),
            "started_at": when(item.started_at),
            "done_at": when(item.done_at),
            "tags": list(without_cost(item.tags)),
            "ref": item.ref,
            "pinned": item.pinned,
            "deferred_until": when(item.deferred_until),
            "rank": entry.rank if entry else None,
            "score": round(entry.score, 2) if entry else None,
            "reasons": [reason(each) for each in entry.reasons] if entry else [],
            "bump": item.bump,
            "promise_due_at": when(item.promise_due_at),
            "drop_reason": item.drop_reason,
            "estimate_source": estimate.source,
            "estimate_samples": estimate.samples,
            "eta": eta,
            "eta_finish": eta_finish,
            "promise_state": forecast.state_of(item),
            "late_minutes": round(late_minutes(item, entry.waited, weights), 1) if entry else 0.0,
            "will_miss": _miss(forecast.miss(item.id)),
            "breach_at": when(forecast.breach_at(item)),
            "will_breach": forecast.will_breach(item.id),
            "cost": _cost(item, weights, ranked=entry is not None),
            "appointment": _appointment(item),
            "solution": item.solution,
            "waiting_on": _waiting_on(item),
            "assignee": item.assignee,
        }


def reason_json(reason: Reason) -> dict[str, Any]:
    """One reason for an item's rank, as the JSON contract writes it."""
    return {"factor": reason.factor, "points": round(reason.points, 2), "detail": reason.detail}


def _appointment(item: ItemRecord) -> dict[str, Any] | None:
    if item.appointment_at is None:
        return None
    from techqueue.core.appointments import slot_minutes

    return {"at": iso(item.appointment_at), "minutes": round(slot_minutes(item), 1)}


def _waiting_on(item: ItemRecord) -> dict[str, Any] | None:
    if item.waiting_on is None:
        return None
    return {
        "who": item.waiting_on,
        "kind": item.waiting_kind,
        "since": iso(item.waiting_since),
        "chase_at": iso(item.chase_at),
    }


def _cost(item: ItemRecord, weights: Weights, *, ranked: bool) -> str:
    """The item's business impact: as the queue ranked it (which left a normal one's at
    ``None``), or worked out (an item out of it)."""
    if item.cost is not None:
        return item.cost
    if ranked:
        return "normal"
    found = business_cost(
        item.tags,
        item.requester,
        item.requester_email,
        weights.business_requesters,
        weights.business_organisations,
    )
    return "normal" if found is None else found[0]


def detail_json(detail: ItemDetail, weights: Weights, now: datetime) -> dict[str, Any]:
    """One item in detail, as ``show --json`` prints it and a hook reads it on stdin: the
    item's fields, what to tell the customer, its notes, reminders and time spent."""
    data = item_json(detail.item, detail.entry, weights, detail.forecast)
    data["tell"] = detail.tell
    data["notes"] = [
        {key: value for key, value in note_json(note).items() if key != "item_id"}
        for note in detail.notes
    ]
    data["reminders"] = [reminder_json(r, now) for r in detail.reminders]
    data["spent_minutes"] = round(detail.spent, 2)
    data["past_solutions"] = [
        {
            "item_id": past.item_id,
            "title": past.title,
            "solution": past.solution,
            "minutes": past.minutes,
            "done_at": iso(past.done_at),
        }
        for past in detail.past
    ]
    return data


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
        "escalate": escalations_json(review.escalate),
        "appointments": [
            {
                "id": entry.id,
                "title": entry.title,
                "requester": entry.requester,
                "at": iso(entry.at),
                "minutes": round(entry.minutes, 1),
            }
            for entry in review.appointments
        ],
        "out_with": [
            {
                "id": entry.id,
                "title": entry.title,
                "who": entry.who,
                "kind": entry.kind,
                "since": iso(entry.since),
                "waited_minutes": entry.waited_minutes,
                "chase_at": iso(entry.chase_at),
            }
            for entry in review.out_with
        ],
    }


def escalations_json(proposals: list[Escalation]) -> list[dict[str, Any]]:
    """The escalation sweep's proposals, as the review and the morning give them."""
    return [
        {
            "id": entry.id,
            "title": entry.title,
            "requester": entry.requester,
            "severity": entry.severity,
            "rank": entry.rank,
            "waited_minutes": entry.waited_minutes,
            "target_minutes": entry.target_minutes,
            "estimate_minutes": round(entry.estimate.minutes, 2),
            "estimate_source": entry.estimate.source,
            "estimate_samples": entry.estimate.samples,
            "left_minutes": entry.left_minutes,
            "reasons": list(entry.reasons),
        }
        for entry in proposals
    ]


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
        "escalate": escalations_json(morning.escalate),
        "appointments": [
            {
                **item(record),
                "at": iso(slot.start),
                "minutes": round(slot.minutes, 1),
                "end": iso(slot.end),
            }
            for slot, record in morning.appointments
        ],
    }


def _insight_row(row: Row) -> dict[str, Any]:
    return {
        "name": row.name,
        "count": row.count,
        "minutes": row.minutes,
        "previous_count": row.previous_count,
        "previous_minutes": row.previous_minutes,
        "trend": row.trend,
        "time_trend": row.time_trend,
        "weekly_counts": list(row.weekly_counts),
        "weekly_minutes": list(row.weekly_minutes),
    }


def insight_json(insight: Insight) -> dict[str, Any]:
    """The insight report as ``report --json`` prints it."""
    period, late = insight.period, insight.lateness
    data: dict[str, Any] = {
        "from": iso(period.start),
        "to": iso(period.end),
        "weeks": period.weeks,
        "previous_from": iso(period.previous_start),
        "received": insight.received,
        "previous_received": insight.previous_received,
        "received_trend": insight.received_trend,
        "worked_minutes": insight.minutes,
        "previous_worked_minutes": insight.previous_minutes,
        "worked_trend": insight.time_trend,
        "late": {
            "count": late.late,
            "of": late.of,
            "total_minutes": late.total_minutes,
            "mean_minutes": round(late.mean_minutes, 1),
            "worst_minutes": late.worst_minutes,
            "previous_count": late.previous_late,
            "previous_of": late.previous_of,
            "trend": late.trend,
        },
        "by_week": [
            {
                "from": iso(week.start),
                "received": week.received,
                "worked_minutes": week.minutes,
                "late": week.late,
            }
            for week in insight.weeks
        ],
    }
    for dimension in insight.dimensions:
        data[dimension.key] = {
            "by_count": [_insight_row(row) for row in dimension.by_count],
            "by_time": [_insight_row(row) for row in dimension.by_time],
        }
    data["month_from"] = iso(period.month_start)
    data["costliest"] = [
        {
            "id": costly.id,
            "title": costly.title,
            "requester": costly.requester,
            "status": costly.status,
            "minutes": costly.minutes,
        }
        for costly in insight.costliest
    ]
    return data
