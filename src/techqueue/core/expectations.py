"""Setting expectations: what to tell the customer, and who has waited too long for an update.

The seeds' technicians keep people happy less by being fast than by being straight with them
("This happened before and it took 30 minutes to fix. Is now a good time or later?"). Everything
here is pure — the queue, the estimates, the working hours and ``now`` are arguments — so the
command line and the full-screen app say the same thing, and tests can walk the clock.
"""

from __future__ import annotations

import heapq
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from techqueue.core.settings import DEFAULT_TELL, Expectations
from techqueue.core.text import check_placeholders
from techqueue.core.timeparse import format_duration
from techqueue.core.worktime import WorkClock, waited_minutes, working_duration
from techqueue.domain import SEVERITIES
from techqueue.scoring import PerSeverity

if TYPE_CHECKING:  # for hints only: whoever loads this module need not load the estimates
    from techqueue.core.estimates import Estimate
    from techqueue.core.forecast import Eta  # nor the forecast (add and done need none)

__all__ = [
    "DEFAULT_TELL",
    "TELL_FIELDS",
    "TELL_STATES",
    "Expectations",
    "Nudge",
    "Overdue",
    "cannot_before",
    "check_template",
    "overdue",
    "pick_nudges",
    "spoken_duration",
    "spoken_time",
    "tell",
    "top_nudges",
]

#: The placeholders a "what to tell them" template may use.
TELL_FIELDS = ("name", "title", "estimate", "when", "finish", "experience")


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


def cannot_before(moment: datetime, now: datetime) -> str:
    """What to tell someone the queue will get to too late, so they can choose: "I can't get
    to this before Thursday 10:00 — is that OK, or shall I pass it on?" (the time rounded up
    to five minutes, as :func:`spoken_time` says it)."""
    said = spoken_time(moment, now)
    if said == "right away":
        said = "the next few minutes"
    else:
        said = said.replace("around ", "").replace("on ", "", 1)
    return f"I can't get to this before {said} — is that OK, or shall I pass it on?"


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


#: What to say when the work is not simply waiting its turn: the item's state decides (the
#: technician's template is for the usual case, an item in the queue).
_SAID_IN_HAND = "I'm working on it now; it should be done {finish}."
_SAID_STARTED = "I've started on it and will be back on it {when}; it should be done {finish}."
_SAID_WAITING = "I'm waiting to hear back from you; once I do, it should take about {estimate}."
_SAID_BOOKED = "As agreed, I'll be with you {when}; it should take about {estimate}."
#: The states :func:`tell` tells apart.
TELL_STATES = ("queued", "in_hand", "started", "waiting", "booked")


def tell(
    *,
    requester: str | None,
    title: str,
    estimate: Estimate,
    eta: Eta | None,
    now: datetime,
    template: str = DEFAULT_TELL,
    state: str = "queued",
) -> str:
    """The sentence to say to the customer: for an item in the queue (``queued``), the
    technician's template with its placeholders filled; for one in hand, one started and put
    aside, or one waiting on the customer, a sentence that says so (offering a time to come
    for work already under way, or to someone whose answer is awaited, rings false)."""
    if state == "in_hand" and eta is not None:
        template = _SAID_IN_HAND
    elif state == "started" and eta is not None:
        template = _SAID_STARTED
    elif state == "waiting":
        template = _SAID_WAITING
    elif state == "booked" and eta is not None:  # a slot agreed: no question to ask again
        template = _SAID_BOOKED
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
    return check_placeholders(template, TELL_FIELDS, "template")


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
    @property
    def deferred_until(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class Nudge:
    """A customer who has waited longer than their severity's contact target for news."""

    item_id: Any
    requester: str
    title: str
    since: datetime
    """Since when they have had no word: their last contact, or the item's arrival."""
    overdue_minutes: float
    #: How long they have had no word, on the clock the targets are read on.
    silent_minutes: float = 0.0
    #: Whether that clock is working time.
    working: bool = False

    def text(self, now: datetime) -> str:
        say = working_duration if self.working else format_duration
        silent = say(max(self.silent_minutes, 0.0))
        clock = " of working time" if self.working else ""
        return f"update {self.requester} on #{self.item_id} (no word for {silent}{clock})"


def _overdue(
    items: Iterable[Waiting],
    last_contact: Mapping[Any, datetime],
    now: datetime,
    targets: PerSeverity,
    clock: WorkClock | None,
) -> list[tuple[float, Any, Waiting, datetime, float]]:
    """(-silent / target, id, item, silent since, silent minutes) of every overdue customer:
    plain tuples, since a big queue may have thousands overdue and only a few are shown."""
    now_ts = now.timestamp()
    target_of = {severity: targets[severity] for severity in SEVERITIES}
    found = []
    for item in items:
        if item.status not in ("open", "paused") or not item.requester:
            continue
        since = item.received_at
        contact = last_contact.get(item.id)
        if contact is not None and contact > since:
            since = contact
        if clock is None:
            silent = (now_ts - since.timestamp()) / 60
        else:
            silent = _silent_working(item, contact, since, now, clock)
        target = target_of[item.severity]
        if silent > target:
            found.append((-silent / target, item.id, item, since, silent))
    return found


def _silent_working(
    item: Waiting, contact: datetime | None, since: datetime, now: datetime, clock: WorkClock
) -> float:
    """Working minutes without a word, on the item's own clock (stopped while it waited on
    the customer or was deferred); a contact restarts it."""
    baseline: float | None = getattr(item, "contact_waited_minutes", None)
    if baseline is not None:
        return waited_minutes(item, now, clock) - baseline
    if contact is not None:  # a word from before items kept a clock: count from it
        return clock.between(since, now)
    return waited_minutes(item, now, clock)


def top_nudges(
    items: Iterable[Waiting],
    last_contact: Mapping[Any, datetime],
    now: datetime,
    targets: PerSeverity,
    limit: int | None = None,
    *,
    clock: WorkClock | None = None,
) -> tuple[list[Nudge], int]:
    """Open items whose requester has not heard anything (a contact or a promise note) for
    longer than the contact target, the most overdue (relative to its target) first, equals
    by id: the first ``limit`` of them (all when ``None``), and how many there are in all, so
    a pane of a few lines need not sort thousands. Items in hand and items waiting on the
    customer need no nudge. With ``clock`` silence is counted in working time, as techqueue
    counts it (no nudge fires for a night); without, on the wall clock."""
    found = _overdue(items, last_contact, now, targets, clock)
    return pick_nudges(found, targets, limit, working=clock is not None)


#: One overdue customer as :func:`overdue` finds them.
Overdue = tuple[float, Any, Any, datetime, float]


def overdue(
    items: Iterable[Waiting],
    last_contact: Mapping[Any, datetime],
    now: datetime,
    targets: PerSeverity,
    clock: WorkClock | None = None,
) -> list[Overdue]:
    """The overdue customers among ``items`` as :func:`top_nudges` finds them, for a caller
    that keeps them item by item (the app, which looks again only at the items an action
    changed) and picks from them with :func:`pick_nudges`."""
    return _overdue(items, last_contact, now, targets, clock)


def pick_nudges(
    found: Iterable[Overdue], targets: PerSeverity, limit: int | None, *, working: bool
) -> tuple[list[Nudge], int]:
    """The first ``limit`` of the overdue customers ``found`` (all when ``None``), the most
    overdue first, as nudges; and how many there are in all."""
    found = found if isinstance(found, list) else list(found)
    key = operator.itemgetter(0, 1)
    top = sorted(found, key=key) if limit is None else heapq.nsmallest(limit, found, key=key)
    nudges = [
        Nudge(
            item.id,
            item.requester or "",
            item.title,
            since,
            silent - targets[item.severity],
            silent,
            working=working,
        )
        for _, _, item, since, silent in top
    ]
    return nudges, len(found)
