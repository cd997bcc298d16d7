"""Something has just landed while a job is in hand: switch to it, or finish first?

Switching is worth it when the newcomer is worth more per minute than *what is left* of the
current job, even after charging it the minutes it takes to get back into the paused one
(``Weights.switch_cost_minutes``): that is Smith's exchange argument for two jobs, scored with
the ranking's own value per minute, so the advice and the queue never disagree about what
matters. One more reason to switch: the newcomer would wait past its response target behind
the rest of the current job, and it ranks above that rest.

The advice says to switch to something the queue ranks below the current job in one case
only, on purpose: a VIP's job already under way (not pinned) gives way to a more severe
newcomer that would otherwise go past its response target. The VIP was seen first, as
promised; the queue still ranks their job first, so it is the one taken up again next. Moving
that rule into the ranking would hold a critical call behind every VIP request, started or not.

Two rules override value per minute. Low work that is no quick win never interrupts (unless
it is a VIP's or pinned): it is the kind of work that can wait. And the deadline guard
(:mod:`techqueue.core.guard`) vetoes a switch that would make the job in hand, put aside, wait
past three response targets, unless the newcomer is critical or the queue is an overload.

Pure: the caller passes the two items, the minutes already spent on the current one, the rest
of the open work and ``now``; nothing here reads the clock or the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from techqueue.core.forecast import remaining_minutes
from techqueue.core.guard import BREACH_TARGETS, GuardRules, veto
from techqueue.core.timeparse import WorkingHours, format_duration
from techqueue.scoring import (
    SEVERITIES,
    Scorable,
    Weights,
    effective_estimate,
    rank,
    requester_name,
    waited,
)

__all__ = ["Advice", "advise", "work_left"]


@dataclass(frozen=True, slots=True)
class Advice:
    """Whether to pause the job in hand for the newcomer, and a sentence saying why."""

    switch: bool
    reason: str


@dataclass(frozen=True, slots=True)
class _View:
    """An item as the advice weighs it: the same fields, another estimate, always actionable."""

    id: Any
    vip: bool
    severity: str
    impact: int
    estimate_minutes: float | None
    received_at: datetime
    due_at: datetime | None
    pinned: bool
    deferred_until: datetime | None
    promise_due_at: datetime | None
    status: str
    bump: float
    waited_minutes: float
    clock_at: datetime | None

    @classmethod
    def of(cls, item: Scorable, estimate: float, status: str) -> _View:
        return cls(
            item.id,
            item.vip,
            item.severity,
            item.impact,
            estimate,
            item.received_at,
            item.due_at,
            item.pinned,
            None,
            item.promise_due_at,
            status,
            item.bump,
            getattr(item, "waited_minutes", 0.0) or 0.0,
            getattr(item, "clock_at", None),
        )


def work_left(item: Scorable, spent_minutes: float, weights: Weights) -> float:
    """What is left of ``item`` after ``spent_minutes`` of work on it, by its estimate."""
    return remaining_minutes(effective_estimate(item, weights), spent_minutes)


def advise(
    current: Scorable | None,
    newcomer: Scorable,
    now: datetime,
    weights: Weights | None = None,
    *,
    spent_minutes: float = 0.0,
    hours: WorkingHours | None = None,
    queue: Iterable[Scorable] = (),
    rules: GuardRules | None = None,
) -> Advice | None:
    """Should the technician pause ``current`` for ``newcomer``, which has just landed?

    ``spent_minutes`` is the work already done on ``current`` (every span of its work log,
    the running one included). ``queue`` is the rest of the open work, from which the
    deadline guard judges an overload (see :func:`techqueue.core.guard.veto`): without it,
    the guard's veto spares only critical newcomers. Returns None when there is nothing to
    advise: no job in hand, or the newcomer is that job.
    """
    if current is None or newcomer.id == current.id:
        return None
    weights = weights or Weights()
    name, other = _name(current), _name(newcomer)
    if newcomer.status not in ("open", "paused", "active") or (
        newcomer.deferred_until is not None
        and newcomer.deferred_until.timestamp() > now.timestamp()
    ):
        return Advice(False, f"keep on {name}: {other} is not up for work now")
    left = work_left(current, spent_minutes, weights)
    estimate = effective_estimate(newcomer, weights)
    wait = Advice(
        False,
        f"finish {name} first: {format_duration(left)} left; "
        f"{other} ({newcomer.severity}) can wait",
    )
    if _low_and_long(newcomer, estimate, weights):
        return wait
    switch = _switch(current, newcomer, now, weights, hours, left, estimate, name, other)
    if switch is None:
        return wait
    if newcomer.pinned and not current.pinned:
        return switch  # the technician's own word
    late = veto(
        current,
        newcomer,
        now,
        weights,
        spent_minutes=spent_minutes,
        hours=hours,
        queue=queue,
        rules=rules,
    )
    if late is None:
        return switch
    target = weights.response_target_minutes[current.severity]
    return Advice(
        False,
        f"finish {name} first: put aside for {other} ({newcomer.severity}, "
        f"~{format_duration(estimate)}) it would wait past {BREACH_TARGETS:g}× its "
        f"{format_duration(target)} target (it must be taken up again within "
        f"{format_duration(max(late, 0.0))})",
    )


def _low_and_long(newcomer: Scorable, estimate: float, weights: Weights) -> bool:
    """Low work that is no quick win never interrupts anything, whatever its value per
    minute: it is the kind of work that can wait. A VIP's (seen first) and a pinned item
    (the technician's own word) are not "low work" in that sense."""
    return (
        newcomer.severity == "low"
        and estimate > weights.quick_win_minutes
        and not newcomer.vip
        and not newcomer.pinned
    )


def _switch(
    current: Scorable,
    newcomer: Scorable,
    now: datetime,
    weights: Weights,
    hours: WorkingHours | None,
    left: float,
    estimate: float,
    name: str,
    other: str,
) -> Advice | None:
    """The advice to switch, by the rules of the module's docstring (``None``: finish
    first)."""
    # ranked by what is left, but never below the whole job: the queue would not do that
    rest = _View.of(current, min(left, effective_estimate(current, weights)), "active")
    cost = weights.switch_cost_minutes
    charged = _View.of(newcomer, estimate + cost, "open")
    if _first(rest, charged, now, weights, hours) is charged:
        return Advice(True, _why_switch(newcomer, current, other, name, estimate, left, weights))
    plain = _View.of(newcomer, estimate, "open")
    if left > cost and (
        _first(rest, plain, now, weights, hours) is plain
        or _outranks_a_started_vip(newcomer, current)
    ):
        target = weights.response_target_minutes[newcomer.severity]
        if waited(newcomer, now, hours) + left > target:
            return Advice(
                True,
                f"switch: {other} ({newcomer.severity}) would wait past its "
                f"{format_duration(target)} target behind the {format_duration(left)} "
                f"left of {name}",
            )
    return None


def _is_outage(item: Scorable, weights: Weights) -> bool:
    """A critical item stopping many people, which the ranking sees with the VIPs."""
    return weights.vip_tier and item.severity == "critical" and item.impact >= weights.outage_people


def _outranks_a_started_vip(newcomer: Scorable, current: Scorable) -> bool:
    """A VIP job already under way has been seen first, as promised; a more severe newcomer
    that would otherwise go late may now interrupt it (a pinned job is never interrupted)."""
    return (
        current.vip
        and not current.pinned
        and SEVERITIES.index(newcomer.severity) < SEVERITIES.index(current.severity)
    )


def _first(
    a: _View, b: _View, now: datetime, weights: Weights, hours: WorkingHours | None
) -> _View:
    return rank((a, b), now, weights, explain=False, limit=1, hours=hours, guard=False)[0].item


def _why_switch(
    newcomer: Scorable,
    current: Scorable,
    other: str,
    name: str,
    estimate: float,
    left: float,
    weights: Weights,
) -> str:
    if newcomer.pinned and not current.pinned:
        return f"switch: {other} is pinned"
    if _is_outage(newcomer, weights) and not _is_outage(current, weights):
        return f"switch: {other} is an outage: it stops {newcomer.impact} people"
    if newcomer.vip and weights.vip_tier and not current.vip:
        return f"switch: {other} is for a VIP, seen first"
    if estimate <= weights.quick_win_minutes:
        return (
            f"switch: {other} is a {format_duration(estimate)} question; "
            f"{name} has {format_duration(left)} left"
        )
    return (
        f"switch: {other} ({newcomer.severity}, ~{format_duration(estimate)}) is worth more "
        f"per minute than the {format_duration(left)} left of {name}"
    )


def _name(item: Scorable) -> str:
    """``#12 "Printer jammed" from Dana``, or as much of it as the item has."""
    text = f"#{item.id}"
    title = getattr(item, "title", None)
    if title:
        text += f' "{title}"'
    who = requester_name(item)
    if who:
        text += f" from {who}"
    return text
