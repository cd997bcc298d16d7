"""The deadline guard: an experiment on top of techqueue's ranking and advice, not shipped.

The advice's target is that nobody waits more than three response targets. The guard watches
for it: every waiting job must be *started* by ``arrival + 3 × target + the work it has already
had`` (from then on its wait only grows while it is not worked on). Laid out in that order on
the estimates (what is left of each, as the forecast counts it), either every job starts in
time or some cannot. The guard is asked whenever the policy picks a job, whenever something
lands during a job and every few minutes of one (``simulate(guard=...)``); when the job in hand
or about to be started would make some job start late, it names the job with the earliest
start-by instead. It also vetoes an advised switch that would push the paused job past its own
start-by, unless the newcomer is critical.

docs/scoring.md shows what it buys and costs (``python -m benchmarks.triage --guard``): the 3×
bound at 80 % and 100 % load, and an overload collapse at 130 %. The variants hold it back
under overload in different ways; none keeps both targets at every load.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks.triage.bounds import BOUND_FACTOR, Bound, against_wspt
from benchmarks.triage.metrics import TARGET_MINUTES
from benchmarks.triage.policies import advice_interrupter, job_estimate, techqueue_policy
from benchmarks.triage.simulate import Guard, Interrupt, Runner
from benchmarks.triage.workload import Job
from techqueue.core.forecast import remaining_minutes
from techqueue.scoring import Weights

__all__ = ["GUARDS", "GuardSettings", "deadline_guard", "guards", "table"]

#: (start-by, minutes of work left, job), in start-by order.
_Plan = list[tuple[float, float, Job]]


@dataclass(frozen=True, slots=True)
class GuardSettings:
    """How far the guard goes."""

    stand_aside: bool = False
    """Say nothing while the queue cannot all start in time (an overload), instead of
    chasing the earliest start-by."""
    backlog_minutes: float | None = None
    """Say nothing while the queue holds more estimated work than this."""
    spare: bool = False
    """Never take over from, nor pause, a VIP's job, a critical one or a quick win."""


#: The variants docs/scoring.md compares, by name.
GUARDS: dict[str, GuardSettings] = {
    "guard": GuardSettings(),
    "guard, silent in an overload": GuardSettings(stand_aside=True),
    "guard, silent above 8 h of work": GuardSettings(backlog_minutes=480.0),
    "guard, silent above 16 h of work": GuardSettings(backlog_minutes=960.0),
    "guard, silent above 24 h of work": GuardSettings(backlog_minutes=1440.0),
    "guard, sparing VIPs, criticals, quick wins": GuardSettings(spare=True),
}


def deadline_guard(
    settings: GuardSettings, weights: Weights | None = None
) -> tuple[Interrupt, Guard]:
    """The advice with the guard's veto, and the guard itself, for ``simulate``."""
    chosen = weights or Weights()
    advice = advice_interrupter(chosen)

    def start_by(job: Job, worked: float) -> float:
        return job.arrival + BOUND_FACTOR * TARGET_MINUTES[job.severity] + worked

    def left(job: Job, worked: float) -> float:
        return remaining_minutes(job_estimate(job), worked)

    def plan(jobs: Sequence[Job], worked: Callable[[Job], float]) -> _Plan:
        rows = []
        for job in jobs:
            done = worked(job)
            back = chosen.switch_cost_minutes if done > 0 else 0.0  # a paused job
            rows.append((start_by(job, done), left(job, done) + back, job))
        rows.sort(key=lambda row: (row[0], row[2].id))
        return rows

    def in_time(rows: _Plan, now: float) -> bool:
        for latest, minutes, _ in rows:
            if now > latest:
                return False
            now += minutes
        return True

    def spared(job: Job) -> bool:
        return settings.spare and (
            job.vip or job.severity == "critical" or job_estimate(job) <= chosen.quick_win_minutes
        )

    def guard(
        job: Job, queue: Sequence[Job], now: float, worked: Callable[[Job], float]
    ) -> Job | None:
        if not queue or spared(job):
            return None
        rest = plan(queue, worked)
        if settings.backlog_minutes is not None and (
            sum(minutes for _, minutes, _ in rest) > settings.backlog_minutes
        ):
            return None
        if in_time(rest, now + left(job, worked(job))):
            return None  # doing this one first, everyone still starts in time
        every = plan([*queue, job], worked)
        if settings.stand_aside and not in_time(every, now):
            return None
        first = every[0][2]
        return None if first is job else first

    def interrupt(current: Job, spent: float, newcomer: Job, now: float) -> bool:
        if not advice(current, spent, newcomer, now):
            return False
        paused_by = now + left(newcomer, 0.0)
        return newcomer.severity == "critical" or paused_by <= start_by(current, spent)

    return interrupt, guard


#: The reference row: ranking and advice as shipped.
SHIPPED = "ranking + advice, as shipped"


def guards(seeds: int) -> dict[str, dict[str, Bound]]:
    """The shipped advice and each guard of :data:`GUARDS` over ``seeds`` weeks per load,
    next to WSPT: ``[load][name]``."""
    weights = Weights()
    switch = weights.switch_cost_minutes
    ranked = techqueue_policy(weights)
    runners = {SHIPPED: Runner(ranked, advice_interrupter(weights), switch)}
    for name, settings in GUARDS.items():
        interrupt, guard = deadline_guard(settings, weights)
        runners[name] = Runner(ranked, interrupt, switch, guard)
    return against_wspt(runners, seeds)


def table(results: dict[str, dict[str, Bound]], seeds: int) -> str:
    """One row per variant; each cell is 80 % / 100 % / 130 %."""
    lines = [
        f"| variant | worst wait ÷ target, worst run | weeks over {BOUND_FACTOR:g}× (of {seeds}) "
        "| weighted wait ÷ WSPT | VIP p95, min | sub-minute mean wait, min |",
        "|---|---|---|---|---|---|",
    ]
    names = next(iter(results.values())).keys()
    for name in names:
        rows = [by[name] for by in results.values()]
        cells = [
            " / ".join(f"{row.summary.worst_over_target_max:.1f}" for row in rows),
            " / ".join(str(row.runs_over) for row in rows),
            " / ".join(f"{row.weighted_over_wspt:.2f}" for row in rows),
            " / ".join(f"{row.summary.vip_p95:.0f}" for row in rows),
            " / ".join(f"{row.summary.quick_mean:.0f}" for row in rows),
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
