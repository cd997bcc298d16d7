"""How far can the worst wait go down at all? Deadline schedulers as reference points.

The issue's target for the advice variant is that every item waits at most three times its
response target. These schedulers ask only that question, ignoring weights: they are earliest
deadline first with pre-emption (Horn's rule, which meets every deadline whenever any schedule
can), with each job's deadline at ``arrival + duration + 3 × target``. ``edf-oracle`` knows the
true durations, which no technician does: it shows that the target is reachable in principle
on every simulated week. ``edf-estimate`` uses the estimates a technician has, as the advice
must. Neither is a policy to ship: both ignore severity and VIP weights except through the
targets, so their weighted waiting time is far above WSPT's (the table says by how much).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from benchmarks.triage.metrics import TARGET_MINUTES, Summary, summarise, worst_over_target
from benchmarks.triage.policies import POLICIES, job_estimate
from benchmarks.triage.simulate import Choose, Interrupt, Run, Runner, serve
from benchmarks.triage.workload import Job
from techqueue.scoring import Weights

__all__ = ["BOUND_FACTOR", "Bound", "against_wspt", "bounds", "deadline_scheduler"]

#: The advice's target: nobody waits more than this many response targets.
BOUND_FACTOR = 3.0
#: The yardstick's name in a run of :func:`against_wspt` (no runner is called so).
_WSPT = " wspt"


@dataclass(frozen=True, slots=True)
class Bound:
    """One deadline scheduler at one load, next to WSPT's weighted waiting time."""

    summary: Summary
    weighted_over_wspt: float
    runs_over: int
    """Runs (weeks) in which some item waited more than :data:`BOUND_FACTOR` targets."""
    runs: Sequence[Run] = ()
    """The runs themselves, one per week."""

    @classmethod
    def of(cls, runs: Sequence[Run], wspt_weighted_wait: float) -> Bound:
        summary = summarise(runs)
        over = sum(worst_over_target(run) > BOUND_FACTOR for run in runs)
        return cls(summary, summary.weighted_wait / wspt_weighted_wait, over, runs)


def deadline_scheduler(size: Callable[[Job], float]) -> tuple[Choose, Interrupt]:
    """Earliest deadline first, pre-emptive, with ``size(job)`` minutes of work assumed."""

    def deadline(job: Job) -> float:
        return job.arrival + size(job) + BOUND_FACTOR * TARGET_MINUTES[job.severity]

    def choose(queue: Sequence[Job], now: float) -> Job:
        return min(queue, key=lambda job: (deadline(job), job.id))

    def interrupt(
        current: Job, spent: float, newcomer: Job, now: float, queue: Sequence[Job]
    ) -> bool:
        return deadline(newcomer) < deadline(current)

    return choose, interrupt


SCHEDULERS: dict[str, Callable[[Job], float]] = {
    "edf-oracle": lambda job: job.duration,
    "edf-estimate": job_estimate,
}


def against_wspt(
    runners: Mapping[str, Runner], seeds: int, loads: Sequence[str] | None = None
) -> dict[str, dict[str, Bound]]:
    """Each of ``runners`` at each load (or only ``loads``) over ``seeds`` weeks, next to
    WSPT serving the same weeks: ``[load][name]``."""
    reference = Runner(POLICIES["wspt"], None, Weights().switch_cost_minutes)
    results: dict[str, dict[str, Bound]] = {}
    for load, runs in serve({**runners, _WSPT: reference}, seeds, loads).items():
        weighted_wait = summarise(runs[_WSPT]).weighted_wait
        results[load] = {name: Bound.of(runs[name], weighted_wait) for name in runners}
    return results


def bounds(seeds: int) -> dict[str, dict[str, Bound]]:
    """Each deadline scheduler at each load over ``seeds`` weeks: ``[load][name]``."""
    switch = Weights().switch_cost_minutes  # what the advice variant pays
    runners = {name: Runner(*deadline_scheduler(size), switch) for name, size in SCHEDULERS.items()}
    return against_wspt(runners, seeds)


def table(results: dict[str, dict[str, Bound]], seeds: int) -> str:
    """The bounds as one Markdown table."""
    lines = [
        "| load | scheduler | worst wait ÷ target (mean / max) "
        f"| weeks over {BOUND_FACTOR:g}× (of {seeds}) | weighted wait ÷ WSPT |",
        "|---|---|---|---|---|",
    ]
    for load, by in results.items():
        for name, bound in by.items():
            s = bound.summary
            lines.append(
                f"| {load} | {name} | {s.worst_over_target:.1f} / {s.worst_over_target_max:.1f} "
                f"| {bound.runs_over} | {bound.weighted_over_wspt:.2f} |"
            )
    return "\n".join(lines)
