"""What "serving people well" is measured by, the same for every policy.

A job's *weight* says how much its waiting hurts: severity (critical 16, high 6, normal 2,
low 1), times 4 for a VIP, times ``1 + 0.5·log2(people affected)``. These are techqueue's
shipped defaults from before any tuning, frozen here so that tuning the ranking cannot move
the yardstick. Response targets are likewise the shipped ones (critical 15 min, high 1 h,
normal 4 h, low 2 days), read as working time.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks.triage.simulate import Run
from benchmarks.triage.workload import Job

__all__ = [
    "SEVERITY_WEIGHT",
    "TARGET_MINUTES",
    "Summary",
    "job_weight",
    "summarise",
    "worst_over_target",
]

SEVERITY_WEIGHT = {"critical": 16.0, "high": 6.0, "normal": 2.0, "low": 1.0}
VIP_WEIGHT = 4.0
IMPACT_WEIGHT = 0.5
TARGET_MINUTES = {"critical": 15.0, "high": 60.0, "normal": 240.0, "low": 2880.0}
#: True duration under which an item counts as a sub-minute question.
QUICK_MINUTES = 1.0


def job_weight(job: Job) -> float:
    """How much a minute of this job's waiting costs."""
    weight = SEVERITY_WEIGHT[job.severity]
    if job.vip:
        weight *= VIP_WEIGHT
    if job.impact > 1:
        weight *= 1.0 + IMPACT_WEIGHT * math.log2(job.impact)
    return weight


@dataclass(frozen=True, slots=True)
class Summary:
    """One policy at one load, over every seed."""

    weighted_wait: float
    """Total weighted waiting time (weight·minutes), summed over the seeds."""
    worst_over_target: float
    """The worst wait ÷ its target in a run, averaged over the runs."""
    worst_over_target_max: float
    """The same, the worst run."""
    vip_p95: float
    """95th percentile of VIP items' waits (minutes), pooled over the runs."""
    quick_mean: float
    """Mean wait (minutes) of items whose true duration is under a minute."""
    promises_broken: float
    """Share of promises (start of work by a stated time) broken."""
    switches: float
    """Interruptions followed per run."""
    jobs: int


def worst_over_target(run: Run) -> float:
    """The longest wait of the run, measured in its own severity's response target."""
    return max(
        (outcome.wait / TARGET_MINUTES[outcome.job.severity] for outcome in run.outcomes),
        default=0.0,
    )


def summarise(runs: Sequence[Run]) -> Summary:
    """Pool the runs of one policy at one load (one run per seed)."""
    weighted, worsts, vip, quick = 0.0, [], [], []
    promised = broken = switches = jobs = 0
    for run in runs:
        switches += run.switches
        for outcome in run.outcomes:
            job, wait = outcome.job, outcome.wait
            jobs += 1
            weighted += job_weight(job) * wait
            if job.vip:
                vip.append(wait)
            if job.duration < QUICK_MINUTES:
                quick.append(wait)
            if job.promise is not None:
                promised += 1
                broken += outcome.started > job.promise + 1e-9
        worsts.append(worst_over_target(run))
    return Summary(
        weighted_wait=weighted,
        worst_over_target=sum(worsts) / len(worsts),
        worst_over_target_max=max(worsts),
        vip_p95=_percentile(vip, 0.95),
        quick_mean=sum(quick) / len(quick) if quick else 0.0,
        promises_broken=broken / promised if promised else 0.0,
        switches=switches / len(runs),
        jobs=jobs,
    )


def _percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile; 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(math.ceil(share * len(ordered)) - 1, 0))]
