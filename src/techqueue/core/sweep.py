"""The escalation sweep: "review lower priority tickets that seem to remain open, and escalate
those that can be closed with a little time and attention" (the seed 001's comment).

From the ranked queue it picks the items of normal or low severity that have stayed open a
long time — at least a working day and past their own response target, in working time — and
that the technician's own estimates say can be closed in a quarter of an hour: an estimate
typed in, or one learned from similar finished work (a severity's default says nothing about
this job, so it never qualifies). VIP, pinned and waiting items are left out (they have their
own place), and so are items already raised by hand. The ones waiting longest against their
target come first. The end-of-day review and the morning start propose them, each raised with
one key (a bump, as anywhere else).

Pure: the ranked entries and the weights are arguments; no store, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from techqueue.core.estimates import Estimate, estimate_of
from techqueue.core.timeparse import WorkingHours
from techqueue.core.worktime import working_duration
from techqueue.scoring import Ranked, Weights

__all__ = [
    "ESCALATE_STEPS",
    "LONG_OPEN_MINUTES",
    "LOWER_SEVERITIES",
    "MOST_PROPOSED",
    "QUICK_CLOSE_MINUTES",
    "Escalation",
    "sweep",
    "working_day_minutes",
]

#: Closable "with a little time and attention": the estimate in effect at most this.
QUICK_CLOSE_MINUTES = 15.0
#: "Seem to remain open": waited at least this much working time (a working day).
LONG_OPEN_MINUTES = 8 * 60.0
#: The severities a sweep looks at: the lower priorities.
LOWER_SEVERITIES = frozenset({"normal", "low"})
#: How many are proposed at once: a few extra minutes of work, not a second queue.
MOST_PROPOSED = 5
#: How far raising a proposal bumps it (the same nudge as ``+`` anywhere).
ESCALATE_STEPS = 1


@dataclass(frozen=True, slots=True)
class Escalation:
    """An item worth raising: long open, quick to close, and why in words."""

    id: int
    title: str
    requester: str | None
    severity: str
    rank: int
    waited_minutes: float
    """Working minutes it has waited."""
    target_minutes: float
    """Its response target."""
    estimate: Estimate
    """The technician's own estimate in effect (typed in or learned)."""
    left_minutes: float
    """The estimate less the work already done on it."""
    reasons: tuple[str, ...]


def working_day_minutes(hours: WorkingHours) -> float:
    """The length of one working day, in minutes: what "open for a day" means."""
    start = hours.start.hour * 60 + hours.start.minute
    return float(hours.end.hour * 60 + hours.end.minute - start)


def sweep(
    ranked: Iterable[Ranked[Any]],
    weights: Weights,
    *,
    quick_minutes: float = QUICK_CLOSE_MINUTES,
    long_open_minutes: float = LONG_OPEN_MINUTES,
    most: int = MOST_PROPOSED,
) -> list[Escalation]:
    """The items of ``ranked`` (ranked with working time, as techqueue ranks) worth
    escalating, the longest open against their target first, at most ``most``."""
    found: list[tuple[float, float, int, Escalation]] = []
    for entry in ranked:
        item = entry.item
        if (
            item.status not in ("open", "paused")
            or item.severity not in LOWER_SEVERITIES
            or item.vip
            or item.pinned
            or item.bump > 0
        ):
            continue
        estimate = estimate_of(item, weights)
        if estimate.source == "default":
            continue
        spent = float(getattr(item, "spent_minutes", 0.0) or 0.0)
        left = max(estimate.minutes - spent, 0.0)
        if left > quick_minutes:
            continue
        target = weights.response_target_minutes[item.severity]
        waited = entry.waited
        if waited < max(target, long_open_minutes):
            continue
        reasons = (
            f"open {working_duration(waited)} of working time, "
            f"{waited / target:.1f}× its {working_duration(target)} target",
            f"closable in ~{working_duration(max(left, 1.0))}: {estimate.describe()}"
            + (f", {working_duration(spent)} done" if spent >= 1 else ""),
            f"{item.severity} severity, ranked #{entry.rank}",
        )
        proposal = Escalation(
            id=item.id,
            title=item.title,
            requester=item.requester,
            severity=item.severity,
            rank=entry.rank,
            waited_minutes=round(waited, 1),
            target_minutes=target,
            estimate=estimate,
            left_minutes=round(left, 1),
            reasons=reasons,
        )
        found.append((-waited / target, left, entry.rank, proposal))
    found.sort(key=lambda row: row[:3])
    return [row[3] for row in found[: max(most, 0)]]
