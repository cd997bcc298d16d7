"""One technician works through a week of interruptions, choosing the next job by a policy.

The technician is a single server. Without an interrupter a job, once started, runs to the end
(its *true* duration, which no policy sees). With one, every arrival during a job is put to
it; if it says switch, the job in hand is paused (back into the queue, its remaining work
kept) and the newcomer started at once; the paused job pays ``switch_cost`` minutes of
getting back into it when it is resumed. After the last arrival the work goes on until the
queue is empty, so a starved item is counted, not hidden at the end of the week.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from benchmarks.triage.workload import CAPACITY_LEVELS, Job, week

__all__ = ["Choose", "Interrupt", "Outcome", "Run", "Runner", "serve", "simulate"]

#: Pick the next job from the (non-empty) queue at working minute ``now``.
Choose = Callable[[Sequence[Job], float], Job]
#: Should the technician drop ``current`` (``spent`` minutes into it) for ``newcomer`` at ``now``?
Interrupt = Callable[[Job, float, Job, float], bool]


@dataclass(slots=True)
class Outcome:
    """What happened to one job."""

    job: Job
    started: float = -1.0
    finished: float = -1.0
    worked: float = 0.0
    """Minutes the technician spent on it, switch costs included."""
    pauses: int = 0

    @property
    def wait(self) -> float:
        """Time in the system not being worked on: the waiting the person did."""
        return self.finished - self.job.arrival - self.worked


@dataclass(slots=True)
class Run:
    """Every job's outcome, in arrival order, and the work spans for checking invariants."""

    outcomes: list[Outcome]
    spans: list[tuple[int, float, float]] = field(default_factory=list)

    @property
    def switches(self) -> int:
        """How often the technician dropped a job for a newcomer."""
        return sum(outcome.pauses for outcome in self.outcomes)


def simulate(
    jobs: Sequence[Job],
    choose: Choose,
    *,
    interrupt: Interrupt | None = None,
    switch_cost: float = 1.0,
) -> Run:
    """Serve ``jobs`` (in arrival order) one at a time, as ``choose`` and ``interrupt`` say.

    The jobs are only read, so every policy can serve the same week in turn."""
    outcomes = {job.id: Outcome(job) for job in jobs}
    left = {job.id: job.duration for job in jobs}
    run = Run([outcomes[job.id] for job in jobs])
    queue: list[Job] = []
    now, upcoming, total = 0.0, 0, len(jobs)
    current: Job | None = None
    began = end = 0.0
    while True:
        if current is None:
            while upcoming < total and jobs[upcoming].arrival <= now:
                queue.append(jobs[upcoming])
                upcoming += 1
            if not queue:
                if upcoming == total:
                    return run
                now = jobs[upcoming].arrival
                continue
            current = choose(queue, now)
            queue.remove(current)
            outcome = outcomes[current.id]
            if outcome.started < 0:
                outcome.started = now
            else:  # back to a job paused for a newcomer
                left[current.id] += switch_cost  # counted as work once it is done
            began, end = now, now + left[current.id]
            continue
        if interrupt is not None and upcoming < total and jobs[upcoming].arrival < end:
            newcomer = jobs[upcoming]
            upcoming += 1
            now = newcomer.arrival
            outcome = outcomes[current.id]
            spent = outcome.worked + (now - began)
            if interrupt(current, spent, newcomer, now):
                _work(run, outcome, began, now)
                left[current.id] -= now - began
                outcome.pauses += 1
                queue.append(current)
                current = newcomer
                outcomes[newcomer.id].started = now
                began, end = now, now + left[newcomer.id]
            else:
                queue.append(newcomer)
            continue
        now = end
        outcome = outcomes[current.id]
        _work(run, outcome, began, now)
        left[current.id] = 0.0
        outcome.finished = now
        current = None


def _work(run: Run, outcome: Outcome, began: float, ended: float) -> None:
    outcome.worked += ended - began
    run.spans.append((outcome.job.id, began, ended))


#: How one technician works: the choice of the next job, whether to drop the job in hand for
#: a newcomer (``None``: never), and the minutes of getting back into a paused job.
Runner = tuple[Choose, Interrupt | None, float]


def serve(
    runners: Mapping[str, Runner], seeds: int, loads: Sequence[str] | None = None
) -> dict[str, dict[str, list[Run]]]:
    """Every runner over the same ``seeds`` weeks at each load (all by default):
    ``[load][name]``, one run per week."""
    served: dict[str, dict[str, list[Run]]] = {}
    for load in loads or CAPACITY_LEVELS:
        runs: dict[str, list[Run]] = {name: [] for name in runners}
        for seed in range(seeds):
            jobs = week(seed, CAPACITY_LEVELS[load])
            for name, (choose, interrupt, switch_cost) in runners.items():
                runs[name].append(
                    simulate(jobs, choose, interrupt=interrupt, switch_cost=switch_cost)
                )
        served[load] = runs
    return served
