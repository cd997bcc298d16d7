"""The ways of choosing what to do next that the simulation compares, all through one interface.

A policy is a function ``(queue, now) -> job``. The baselines read only what a technician
would know at the moment (arrival order, channel, severity, VIP, impact, the *estimate*, a
promise); none sees a job's true duration. techqueue's own policy calls
``techqueue.scoring.rank`` through its public API exactly as the app does: the jobs are
``Scorable`` objects and ``now`` a ``datetime``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from benchmarks.triage.metrics import job_weight
from benchmarks.triage.simulate import Choose, Interrupt
from benchmarks.triage.workload import HOURS, Job, moment
from techqueue.core.advice import advise
from techqueue.core.guard import SHIPPED, GuardRules
from techqueue.scoring import SEVERITIES, Weights, effective_estimate, rank

__all__ = ["POLICIES", "advice_interrupter", "job_estimate", "techqueue_policy"]

_SEVERITY_ORDER = {severity: order for order, severity in enumerate(SEVERITIES)}
#: Who gets served first without a queue: the person standing there, then the ringing phone.
_LOUDNESS = {"desk": 0, "phone": 1, "chat": 2, "ticket": 3, "email": 4}
_SHIPPED = Weights()  # estimates for blank ones, as the app fills them in


def job_estimate(job: Job) -> float:
    """What a technician would assume the job takes: its estimate, or its severity's default."""
    return effective_estimate(job, _SHIPPED)


def fifo(queue: Sequence[Job], now: float) -> Job:
    """First in, first out."""
    return min(queue, key=lambda job: (job.arrival, job.id))


def loudest(queue: Sequence[Job], now: float) -> Job:
    """What a technician does without a queue: desk > phone > chat > ticket > email."""
    return min(queue, key=lambda job: (_LOUDNESS[job.channel], job.arrival, job.id))


def severity_only(queue: Sequence[Job], now: float) -> Job:
    """Most severe first, first come first served among equals."""
    return min(queue, key=lambda job: (_SEVERITY_ORDER[job.severity], job.arrival, job.id))


def vip_then_severity(queue: Sequence[Job], now: float) -> Job:
    """Seed 002 taken literally: VIPs first, then by severity."""
    return min(
        queue,
        key=lambda job: (not job.vip, _SEVERITY_ORDER[job.severity], job.arrival, job.id),
    )


# Taskwarrior's default urgency coefficients (``task show urgency``): priority H 6.0, M 3.9,
# L 1.8; the ``next`` tag 15.0; tags 1.0 (0.8 for one tag); age 2.0 over 365 days; due 12.0.
# Severity maps to priority (critical: H and +next), VIP and team to tags, a promise to due.
_TW_PRIORITY = {"critical": 6.0 + 15.0, "high": 6.0, "normal": 3.9, "low": 1.8}
_TW_VIP = 5.0  # urgency.user.tag.vip.coefficient, as a user would set it
_TW_TAG = 0.8
_TW_AGE, _TW_AGE_MAX = 2.0, 365 * 1440.0
_TW_DUE = 12.0


def _taskwarrior_urgency(job: Job, now: float) -> float:
    urgency = _TW_PRIORITY[job.severity] + _TW_AGE * min((now - job.arrival) / _TW_AGE_MAX, 1.0)
    if job.vip:
        urgency += _TW_VIP + _TW_TAG
    elif job.impact > 1:
        urgency += _TW_TAG
    if job.promise is not None:
        # 1.0 from a week overdue, 0.2 two weeks ahead, linear in between
        days = (now - job.promise) / 1440.0
        urgency += _TW_DUE * (
            1.0 if days >= 7 else 0.2 if days < -14 else (days + 14) * 0.8 / 21 + 0.2
        )
    return urgency


def taskwarrior(queue: Sequence[Job], now: float) -> Job:
    """A Taskwarrior-style urgency sum (no notion of how long a job takes)."""
    return min(queue, key=lambda job: (-_taskwarrior_urgency(job, now), job.arrival, job.id))


def wspt(queue: Sequence[Job], now: float) -> Job:
    """Weighted shortest processing time (Smith's rule): weight ÷ estimate, highest first."""
    return min(queue, key=lambda job: (-job_weight(job) / job_estimate(job), job.arrival, job.id))


def techqueue_policy(weights: Weights | None = None, guard: bool | GuardRules = True) -> Choose:
    """techqueue's ranking, called as the app calls it (with its deadline guard, unless
    ``guard`` is false or says other rules); the top of the queue is next."""
    chosen = weights or Weights()

    def choose(queue: Sequence[Job], now: float) -> Job:
        top = rank(queue, moment(now), chosen, explain=False, limit=1, hours=HOURS, guard=guard)
        return top[0].item

    return choose


def advice_interrupter(
    weights: Weights | None = None, guard: bool | GuardRules = True
) -> Interrupt:
    """Follow ``techqueue.core.advice.advise`` whenever something lands during a job, with
    the deadline guard's veto (unless ``guard`` is false; other rules when it says)."""
    chosen = weights or Weights()
    if guard is False:
        chosen = replace(chosen, deadline_guard=False)
    rules = guard if isinstance(guard, GuardRules) else SHIPPED

    def interrupt(
        current: Job, spent: float, newcomer: Job, now: float, queue: Sequence[Job]
    ) -> bool:
        advice = advise(
            current,
            newcomer,
            moment(now),
            chosen,
            spent_minutes=spent,
            hours=HOURS,
            queue=queue,
            rules=rules,
        )
        return advice is not None and advice.switch

    return interrupt


#: The baselines by name, in the order the table shows them.
POLICIES: dict[str, Choose] = {
    "fifo": fifo,
    "loudest": loudest,
    "severity": severity_only,
    "vip+severity": vip_then_severity,
    "taskwarrior": taskwarrior,
    "wspt": wspt,
}
