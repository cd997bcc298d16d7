"""Business impact in the simulated week (``python -m benchmarks.triage --business``): does
weighing what a wait costs the business serve the costly work sooner, and at what price to
everyone else?

The week is the usual one (``workload.py``, the same seeds), with a business impact given as
a technician would configure it: the ten people of one organisation (``person 11``…``20``, a
finance office) are ``high`` in ``[scoring.business] organisations``, the ten of another
(``person 51``…``60``, an outside partner) ``low``, and 5 % of everyone else's items are
marked ``cost:high`` when captured (a separate random stream, so the week itself is the same
as in every other table). techqueue then ranks the same weeks twice: with the shipped cost
factors (high ×2, low ×0.5) and with both factors at 1 (the cost ignored).

The yardstick is the usual weighted wait times the business factor (high 2, normal 1, low
0.5), frozen here as the other yardsticks are, and the mean wait of the high- and low-cost
items; the worst wait, the VIPs' and the promises show what the others pay.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.triage.guard import runner as advice_runner
from benchmarks.triage.metrics import job_weight, summarise
from benchmarks.triage.policies import techqueue_policy
from benchmarks.triage.simulate import Run, Runner, serve
from benchmarks.triage.workload import Job
from techqueue.core.guard import SHIPPED
from techqueue.scoring import Weights

__all__ = ["BUSINESS_FACTOR", "business_week", "measure", "table"]

#: What a minute of waiting costs the business, by impact (the yardstick, frozen).
BUSINESS_FACTOR = {"high": 2.0, "normal": 1.0, "low": 0.5}
HIGH_PEOPLE = frozenset(f"person {n:02d}" for n in range(11, 21))
LOW_PEOPLE = frozenset(f"person {n:02d}" for n in range(51, 61))
#: Share of other people's items marked ``cost:high`` as they are captured.
MARKED_SHARE = 0.05
IGNORED = Weights(cost_high=1.0, cost_low=1.0)


def business_week(jobs: list[Job], seed: int, load: str) -> list[Job]:
    """The week's jobs, each with the business impact the technician's config and tokens
    give it."""
    rng = random.Random(f"business-{seed}-{load}")
    marked = [rng.random() < MARKED_SHARE for _ in jobs]
    given = []
    for job, mark in zip(jobs, marked, strict=True):
        if job.requester in HIGH_PEOPLE or mark:
            cost = "high"
        elif job.requester in LOW_PEOPLE:
            cost = "low"
        else:
            cost = "normal"
        given.append(dataclasses.replace(job, cost=cost))
    return given


@dataclass(frozen=True, slots=True)
class Row:
    """One way of working over the seeds at one load."""

    business_wait: float
    high_mean: float
    normal_mean: float
    low_mean: float
    worst_over_target: float
    worst_over_target_max: float
    vip_p95: float
    promises_broken: float


def _row(runs: Sequence[Run]) -> Row:
    summary = summarise(runs)
    total = 0.0
    waits: dict[str, list[float]] = {"high": [], "normal": [], "low": []}
    for run in runs:
        for outcome in run.outcomes:
            cost = outcome.job.cost or "normal"
            total += job_weight(outcome.job) * BUSINESS_FACTOR[cost] * outcome.wait
            waits[cost].append(outcome.wait)
    means = {cost: sum(found) / len(found) if found else 0.0 for cost, found in waits.items()}
    return Row(
        business_wait=total,
        high_mean=means["high"],
        normal_mean=means["normal"],
        low_mean=means["low"],
        worst_over_target=summary.worst_over_target,
        worst_over_target_max=summary.worst_over_target_max,
        vip_p95=summary.vip_p95,
        promises_broken=summary.promises_broken,
    )


WAYS = {
    "techqueue, cost ignored": Runner(techqueue_policy(IGNORED), None, 1.0),
    "techqueue, cost weighed": Runner(techqueue_policy(Weights()), None, 1.0),
    "techqueue+advice, cost ignored": advice_runner(SHIPPED, IGNORED),
    "techqueue+advice, cost weighed": advice_runner(SHIPPED, Weights()),
}


def measure(seeds: int, loads: Sequence[str] | None = None) -> dict[str, dict[str, Row]]:
    """Every way of :data:`WAYS` over the same business weeks: ``[load][way]``."""
    served = serve(WAYS, seeds, loads, prepare=business_week)
    return {load: {way: _row(runs) for way, runs in by.items()} for load, by in served.items()}


def table(results: dict[str, dict[str, Row]]) -> str:
    """Markdown: the business-weighted wait as a ratio to techqueue's with the cost ignored."""
    lines = [
        "| load | way | business-weighted wait ÷ cost ignored | mean wait high / normal / low "
        "| worst wait ÷ target (mean / max) | VIP p95 wait | promises broken |",
        "|---|---|---|---|---|---|---|",
    ]
    for load, by in results.items():
        for way, row in by.items():
            base = by[way.replace("weighed", "ignored")].business_wait
            lines.append(
                f"| {load} | {way} | {row.business_wait / base:.3f} "
                f"| {row.high_mean:.0f} / {row.normal_mean:.0f} / {row.low_mean:.0f} min "
                f"| {row.worst_over_target:.1f} / {row.worst_over_target_max:.1f} "
                f"| {row.vip_p95:.0f} min | {100 * row.promises_broken:.0f} % |"
            )
    return "\n".join(lines)
