"""One technician works through a week of interruptions, choosing the next job by a policy.

The technician is a single server. Without an interrupter a job, once started, runs to the end
(its *true* duration, which no policy sees). With one, every arrival during a job is put to
it; if it says switch, the job in hand is paused (back into the queue, its remaining work
kept) and the newcomer started at once; the paused job pays ``switch_cost`` minutes of
getting back into it when it is resumed. A *guard* is also asked at every choice, at every
arrival during a job and every ``check_every`` minutes of one, whether the job in hand must be
put aside for another (techqueue's deadline guard, ``guard.py``), and which jobs its overload
notice lists: the first moment each job was listed is kept, to count whether a breach was
announced in time. After the last arrival the work goes on until the queue is empty, so a
starved item is counted, not hidden at the end of the week.

Each run serves its own copies of the jobs, and keeps them as techqueue keeps items: the job
in hand ``active``, a paused one ``paused``, and each one's ``spent_minutes`` (the work it
has had), so the ranking and the guard read a paused job as the app does.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from benchmarks.triage.workload import CAPACITY_LEVELS, Job, week

__all__ = ["Choose", "Guard", "Interrupt", "Outcome", "Run", "Runner", "serve", "simulate"]

#: Pick the next job from the (non-empty) queue at working minute ``now``.
Choose = Callable[[Sequence[Job], float], Job]
#: Should the technician drop ``current`` (``spent`` minutes into it) for ``newcomer`` at
#: ``now``, with the rest of the ``queue`` waiting?
Interrupt = Callable[[Job, float, Job, float, Sequence[Job]], bool]


class Look(NamedTuple):
    """What a guard says when it looks: the job to put the one in hand aside for (``None``:
    carry on), and the ids of the jobs its overload notice lists."""

    instead: Job | None
    listed: Collection[int]


#: A look at the job in hand (``None`` when about to choose), the rest of the ``queue`` and
#: ``now``; every job's ``spent_minutes`` and ``status`` are up to date.
Guard = Callable[[Job | None, Sequence[Job], float], Look]


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
    listed: dict[int, float] = field(default_factory=dict)
    """When the guard's overload notice first listed each job it listed, by id."""

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
    guard: Guard | None = None,
    check_every: float = 5.0,
) -> Run:
    """Serve ``jobs`` (in arrival order) one at a time, as ``choose``, ``interrupt`` and
    ``guard`` say.

    The jobs are only read (the run works on copies), so every policy can serve the same
    week in turn."""
    jobs = [dataclasses.replace(job) for job in jobs]
    outcomes = {job.id: Outcome(job) for job in jobs}
    left = {job.id: job.duration for job in jobs}
    run = Run([outcomes[job.id] for job in jobs])
    queue: list[Job] = []
    now, upcoming, total = 0.0, 0, len(jobs)
    current: Job | None = None
    began = end = check = 0.0
    watching = interrupt is not None or guard is not None

    def worked(job: Job) -> float:
        done = outcomes[job.id].worked
        return done + (now - began) if job is current else done

    def look(job: Job | None) -> Job | None:
        """Ask the guard; keep when its notice first listed each job."""
        if guard is None:
            return None
        if job is not None:
            job.spent_minutes = worked(job)
        instead, listed = guard(job, queue, now)
        for job_id in listed:
            run.listed.setdefault(job_id, now)
        return instead

    def start(job: Job) -> None:
        nonlocal current, began, end, check
        outcome = outcomes[job.id]
        if outcome.started < 0:
            outcome.started = now
        else:  # back to a paused job
            left[job.id] += switch_cost  # counted as work once it is done
        job.status = "active"
        current, began, end, check = job, now, now + left[job.id], now + check_every

    def pause(job: Job) -> None:
        outcome = outcomes[job.id]
        _work(run, outcome, began, now)
        left[job.id] -= now - began
        outcome.pauses += 1
        job.status, job.spent_minutes = "paused", outcome.worked
        queue.append(job)

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
            look(None)
            chosen = choose(queue, now)
            queue.remove(chosen)
            start(chosen)
            continue
        arrival = jobs[upcoming].arrival if watching and upcoming < total else math.inf
        checking = check if guard is not None else math.inf
        if end <= min(arrival, checking):
            now = end
            outcome = outcomes[current.id]
            _work(run, outcome, began, now)
            left[current.id] = 0.0
            outcome.finished = now
            current.status, current.spent_minutes = "done", outcome.worked
            current = None
            continue
        if arrival <= checking:
            newcomer = jobs[upcoming]
            upcoming += 1
            now = arrival
            if interrupt is not None:
                current.spent_minutes = worked(current)
                if interrupt(current, current.spent_minutes, newcomer, now, queue):
                    pause(current)
                    start(newcomer)
                    continue
            queue.append(newcomer)
        else:
            now, check = checking, checking + check_every
        if (instead := look(current)) is not None:
            queue.remove(instead)
            pause(current)
            start(instead)


def _work(run: Run, outcome: Outcome, began: float, ended: float) -> None:
    outcome.worked += ended - began
    run.spans.append((outcome.job.id, began, ended))


class Runner(NamedTuple):
    """How one technician works: the choice of the next job, whether to drop the job in hand
    for a newcomer (``None``: never), the minutes of getting back into a paused job, and a
    guard that may put another job first (``None``: none)."""

    choose: Choose
    interrupt: Interrupt | None
    switch_cost: float
    guard: Guard | None = None


def serve(
    runners: Mapping[str, Runner],
    seeds: int,
    loads: Sequence[str] | None = None,
    prepare: Callable[[list[Job], int, str], list[Job]] | None = None,
) -> dict[str, dict[str, list[Run]]]:
    """Every runner over the same ``seeds`` weeks at each load (all by default):
    ``[load][name]``, one run per week; ``prepare(jobs, seed, load)`` may add to each week
    (the business measurement gives its jobs a business impact)."""
    served: dict[str, dict[str, list[Run]]] = {}
    for load in loads or CAPACITY_LEVELS:
        runs: dict[str, list[Run]] = {name: [] for name in runners}
        for seed in range(seeds):
            jobs = week(seed, CAPACITY_LEVELS[load])
            if prepare is not None:
                jobs = prepare(jobs, seed, load)
            for name, runner in runners.items():
                runs[name].append(
                    simulate(
                        jobs,
                        runner.choose,
                        interrupt=runner.interrupt,
                        switch_cost=runner.switch_cost,
                        guard=runner.guard,
                    )
                )
        served[load] = runs
    return served
