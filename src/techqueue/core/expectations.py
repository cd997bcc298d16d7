"""Setting expectations: when the technician will likely get to each item, whether a promise
still holds, what to tell the customer, and who has waited too long for an update.

The seeds' technicians keep people happy less by being fast than by being straight with them
("This happened before and it took 30 minutes to fix. Is now a good time or later?"). Everything
here is pure — the queue, the estimates, the working hours and ``now`` are arguments — so the
command line and the full-screen app say the same thing, and tests can walk the clock.
"""

from __future__ import annotations

import heapq
import operator
import string
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Protocol

from techqueue.core.timeparse import WorkingHours, at_clock, format_duration, next_working_moment
from techqueue.scoring import SEVERITIES, PerSeverity

if TYPE_CHECKING:  # settings loads this module on every command; statistics is not cheap
    from techqueue.core.estimates import Estimate

__all__ = [
    "DEFAULT_TELL",
    "OVERRUN_SHARE",
    "PROMISE_STATES",
    "TELL_FIELDS",
    "Eta",
    "Etas",
    "Expectations",
    "Nudge",
    "Promised",
    "check_template",
    "promise_state",
    "remaining_minutes",
    "schedule",
    "spoken_duration",
    "spoken_time",
    "tell",
    "top_nudges",
]

DEFAULT_TELL = "{experience} I can be with you {when} — does that work, or is later better?"
#: The placeholders a "what to tell them" template may use.
TELL_FIELDS = ("name", "title", "estimate", "when", "finish", "experience")
#: ``none``: no promise (or the item is closed); ``ok``: it will be kept (or was: work began in
#: time); ``at_risk``: the queue says the technician gets to it only after the promised time;
#: ``broken``: the time passed before work began, and the customer has not been told since.
PROMISE_STATES = ("none", "ok", "at_risk", "broken")


@dataclass(frozen=True, slots=True)
class Expectations:
    """How often a waiting customer should hear from the technician, and what to tell them."""

    contact_target_minutes: PerSeverity = field(
        default_factory=lambda: PerSeverity(critical=30.0, high=120.0, normal=1440.0, low=4320.0)
    )
    tell_template: str = DEFAULT_TELL


# --- what is left of a job -----------------------------------------------------------------


#: A job nearly done, or already past its estimate, is assumed to have this share of its
#: estimate -- or of the time spent on it, when that is more -- still to go: durations are
#: skewed, and a job that has overrun tends to overrun further.
OVERRUN_SHARE = 0.25


def remaining_minutes(estimate: float, spent: float) -> float:
    """What is left of a job: the estimate less the time already worked, but never less than
    a quarter of the estimate or of the time spent, whichever is more."""
    spent = max(spent, 0.0)
    return max(estimate - spent, OVERRUN_SHARE * max(estimate, spent))


# --- the queue-aware ETA ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Eta:
    """When the technician will likely start an item, and finish it."""

    start: datetime
    finish: datetime


class Etas(Mapping[Any, Eta]):
    """ETAs kept as timestamps and made into times only when asked for: a queue of ten
    thousand is scheduled on every re-rank, and only the few rows on screen are read."""

    def __init__(self, times: dict[Any, tuple[float, float]], zone: tzinfo | None) -> None:
        self._times = times
        self._zone = zone

    def __getitem__(self, item_id: Any) -> Eta:
        start, finish = self._times[item_id]
        zone = self._zone
        return Eta(datetime.fromtimestamp(start, zone), datetime.fromtimestamp(finish, zone))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._times)

    def __len__(self) -> int:
        return len(self._times)


def schedule(queue: Iterable[tuple[Any, float, str]], now: datetime, hours: WorkingHours) -> Etas:
    """ETAs for a queue given as ``(id, minutes of work left, status)`` in rank order.

    The item being worked on runs from ``now``; every other one starts when everything ranked
    above it is done, within working hours (a day ending at 17:00 pushes the rest to the next
    working morning). Items waiting on the customer get no ETA: the next move is theirs.
    """
    zone = now.tzinfo
    times: dict[Any, tuple[float, float]] = {}
    rows = [(item_id, max(minutes, 0.0) * 60, status) for item_id, minutes, status in queue]
    cursor = next_working_moment(now, hours)
    start_ts = now.timestamp()
    for item_id, seconds, status in rows:
        if status == "active":
            times[item_id] = (start_ts, start_ts + seconds)
            finish = datetime.fromtimestamp(start_ts + seconds, zone)
            cursor = next_working_moment(max(cursor, finish), hours)

    def day_end(moment: datetime) -> float:
        return at_clock(moment.date(), hours.end, moment).timestamp()

    def resume(timestamp: float) -> tuple[float, float]:
        moment = next_working_moment(datetime.fromtimestamp(timestamp, zone), hours)
        return moment.timestamp(), day_end(moment)

    at, end = cursor.timestamp(), day_end(cursor)
    for item_id, seconds, status in rows:
        if status == "active" or status == "waiting":
            continue
        if at >= end:
            at, end = resume(at)
        start = at
        while seconds > end - at:
            seconds -= end - at
            at, end = resume(end)
        at += seconds
        times[item_id] = (start, at)
    return Etas(times, zone)


# --- promises --------------------------------------------------------------------------------


class Promised(Protocol):
    """What a promise's state depends on (the store's item records fit)."""

    @property
    def status(self) -> str: ...
    @property
    def promise_due_at(self) -> datetime | None: ...
    @property
    def started_at(self) -> datetime | None: ...


def promise_state(item: Promised, eta: Eta | None, now: datetime) -> str:
    """One of :data:`PROMISE_STATES` for ``item`` at ``now``, given its ETA."""
    due = item.promise_due_at
    if due is None or item.status in ("done", "dropped"):
        return "none"
    if item.status in ("active", "waiting") or (
        item.started_at is not None and item.started_at <= due
    ):
        return "ok"
    if now > due:
        return "broken"
    if eta is not None and eta.start > due:
        return "at_risk"
    return "ok"


# --- what to tell them -----------------------------------------------------------------------


def spoken_time(moment: datetime, now: datetime) -> str:
    """A time as one says it to a customer, rounded up to five minutes: "right away",
    "around 14:20", "tomorrow around 09:00", "on Thursday around 09:00"."""
    if moment <= now + timedelta(minutes=2):
        return "right away"
    moment = moment.astimezone(now.tzinfo)
    past = (moment.minute % 5) or (1 if moment.second or moment.microsecond else 0)
    if past:
        moment += timedelta(minutes=5 - moment.minute % 5)
    moment = moment.replace(second=0, microsecond=0)
    clock = f"around {moment:%H:%M}"
    days = (moment.date() - now.date()).days
    if days == 0:
        return clock
    if days == 1:
        return f"tomorrow {clock}"
    if days < 7:
        return f"on {moment:%A} {clock}"
    return f"on {moment:%a %d %b} {clock}"


def spoken_duration(minutes: float) -> str:
    """A duration as one says it: "under a minute", "30 min", "an hour", "1 h 30 min"."""
    if minutes < 1:
        return "under a minute"
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    hours, mins = divmod(whole, 60)
    if mins == 0:
        return "an hour" if hours == 1 else f"{hours} hours"
    return f"{hours} h {mins} min"


def _experience(estimate: Estimate) -> str:
    said = spoken_duration(estimate.minutes)
    if estimate.source == "history":
        if estimate.samples == 1:
            return f"Last time this took about {said}."
        return f"The last {estimate.samples} like this took about {said}."
    return f"This should take about {said}."


def tell(
    *,
    requester: str | None,
    title: str,
    estimate: Estimate,
    eta: Eta | None,
    now: datetime,
    template: str = DEFAULT_TELL,
) -> str:
    """The sentence to say to the customer, from the template with its placeholders filled."""
    values = {
        "name": requester or "there",
        "title": title,
        "estimate": spoken_duration(estimate.minutes),
        "when": spoken_time(eta.start, now) if eta else "as soon as I hear back from you",
        "finish": spoken_time(eta.finish, now) if eta else "once I hear back from you",
        "experience": _experience(estimate),
    }
    return " ".join(template.format_map(values).split())


def check_template(template: str) -> str:
    """Refuse a template that names an unknown placeholder or does not format, so a bad
    config fails once, when it is read, not every time a sentence is built."""
    if not template.strip():
        raise ValueError("the template is empty")
    allowed = ", ".join("{" + known + "}" for known in TELL_FIELDS)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        raise ValueError(f"not a valid template: {error}") from None
    for name in fields:
        if name not in TELL_FIELDS:
            raise ValueError(f"unknown placeholder {{{name}}}; use {allowed}")
    try:
        template.format_map(dict.fromkeys(TELL_FIELDS, "x"))
    except (ValueError, KeyError, IndexError, AttributeError) as error:
        raise ValueError(f"not a valid template ({error}); use plain {allowed}") from None
    return template


# --- keeping customers updated ---------------------------------------------------------------


class Waiting(Protocol):
    @property
    def id(self) -> Any: ...
    @property
    def title(self) -> str: ...
    @property
    def requester(self) -> str | None: ...
    @property
    def severity(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def received_at(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Nudge:
    """A customer who has waited longer than their severity's contact target for news."""

    item_id: Any
    requester: str
    title: str
    since: datetime
    overdue_minutes: float

    def text(self, now: datetime) -> str:
        waited = format_duration(max((now - self.since).total_seconds() / 60, 0.0))
        return f"update {self.requester} on #{self.item_id} (no word for {waited})"


def _overdue(
    items: Iterable[Waiting],
    last_contact: Mapping[Any, datetime],
    now: datetime,
    targets: PerSeverity,
) -> list[tuple[float, Any, Waiting, datetime, float]]:
    """(-waited / target, id, item, since, minutes overdue) of every overdue customer."""
    now_ts = now.timestamp()
    target_of = {severity: targets[severity] * 60 for severity in SEVERITIES}
    found = []
    for item in items:
        if item.status not in ("open", "paused") or not item.requester:
            continue
        since = item.received_at
        contact = last_contact.get(item.id)
        if contact is not None and contact > since:
            since = contact
        waited = now_ts - since.timestamp()
        target = target_of[item.severity]
        if waited > target:
            found.append((-waited / target, item.id, item, since, (waited - target) / 60))
    return found


def _nudge(entry: tuple[float, Any, Waiting, datetime, float]) -> Nudge:
    _, _, item, since, overdue = entry
    return Nudge(item.id, item.requester or "", item.title, since, overdue)


def top_nudges(
    items: Iterable[Waiting],
    last_contact: Mapping[Any, datetime],
    now: datetime,
    targets: PerSeverity,
    limit: int | None = None,
) -> tuple[list[Nudge], int]:
    """Open items whose requester has not heard anything (a contact or a promise note) for
    longer than the contact target, the most overdue (relative to its target) first, equals
    by id: the first ``limit`` of them (all when ``None``), and how many there are in all, so
    a pane of a few lines need not sort thousands. Items in hand and items waiting on the
    customer need no nudge."""
    found = _overdue(items, last_contact, now, targets)
    key = operator.itemgetter(0, 1)
    top = sorted(found, key=key) if limit is None else heapq.nsmallest(limit, found, key=key)
    return [_nudge(entry) for entry in top], len(found)
