"""The triage simulation's invariants, on a reduced run (a few seeds, a few policies)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import astuple, replace

import pytest
from benchmarks.triage.__main__ import ADVICE, SIMPLE, TECHQUEUE, evaluate, main, table, verdict
from benchmarks.triage.bounds import BOUND_FACTOR, SCHEDULERS, Bound, bounds, deadline_scheduler
from benchmarks.triage.guard import GUARDS, deadline_guard
from benchmarks.triage.metrics import Summary, job_weight, summarise
from benchmarks.triage.policies import POLICIES, advice_interrupter, techqueue_policy
from benchmarks.triage.simulate import Choose, Interrupt, Run, simulate
from benchmarks.triage.workload import (
    _MEAN_DURATION,
    BASE,
    CAPACITY_LEVELS,
    DAY_MINUTES,
    DAYS,
    Job,
    mean_duration,
    week,
)

SWITCH = 1.0
GUARDED = "techqueue+advice+guard"
CHOOSERS: dict[str, Choose] = {**POLICIES, TECHQUEUE: techqueue_policy()}


def runs(seed: int = 3, load: float = 1.3) -> dict[str, tuple[list[Job], Run]]:
    """Every policy, and techqueue following the advice, over one week."""
    jobs = week(seed, load)
    done = {name: (jobs, simulate(jobs, choose)) for name, choose in CHOOSERS.items()}
    interrupt: Interrupt = advice_interrupter()
    done[ADVICE] = (
        jobs,
        simulate(jobs, CHOOSERS[TECHQUEUE], interrupt=interrupt, switch_cost=SWITCH),
    )
    vetoed, guard = deadline_guard(GUARDS["guard"])
    done[GUARDED] = (
        jobs,
        simulate(jobs, CHOOSERS[TECHQUEUE], interrupt=vetoed, switch_cost=SWITCH, guard=guard),
    )
    return done


@pytest.fixture(scope="module")
def overloaded() -> dict[str, tuple[list[Job], Run]]:
    return runs()


def test_every_arrival_is_served_exactly_once_and_completely(
    overloaded: dict[str, tuple[list[Job], Run]],
) -> None:
    for name, (jobs, run) in overloaded.items():
        assert [o.job.id for o in run.outcomes] == [job.id for job in jobs], name
        worked: dict[int, float] = defaultdict(float)
        for job_id, began, ended in run.spans:
            worked[job_id] += ended - began
        for outcome in run.outcomes:
            expected = outcome.job.duration + SWITCH * outcome.pauses
            assert worked[outcome.job.id] == pytest.approx(expected), name
            assert outcome.worked == pytest.approx(expected), name
            assert outcome.finished >= outcome.started >= outcome.job.arrival, name
            assert outcome.wait >= -1e-9, name


def test_no_work_before_arrival_and_one_job_at_a_time(
    overloaded: dict[str, tuple[list[Job], Run]],
) -> None:
    for name, (jobs, run) in overloaded.items():
        arrival = {job.id: job.arrival for job in jobs}
        previous_end = 0.0
        for job_id, began, ended in run.spans:
            assert began >= arrival[job_id] - 1e-9, name
            assert began >= previous_end - 1e-9, name
            assert ended >= began, name
            previous_end = ended


def test_only_the_advice_and_guard_variants_pause_work(
    overloaded: dict[str, tuple[list[Job], Run]],
) -> None:
    for name, (_, run) in overloaded.items():
        assert (run.switches > 0) == (name in (ADVICE, GUARDED)), name


def test_work_carries_over_and_drains_after_the_last_day(
    overloaded: dict[str, tuple[list[Job], Run]],
) -> None:
    week_end = DAYS * DAY_MINUTES
    for name, (jobs, run) in overloaded.items():
        assert max(job.arrival for job in jobs) < week_end
        # at 130 % the week ends with work still open, and it is all done afterwards
        assert max(outcome.finished for outcome in run.outcomes) > week_end, name
        for day in range(1, DAYS):
            # waited overnight: arrived before the day ended, first worked on the next morning
            carried = [o for o in run.outcomes if o.job.arrival < day * DAY_MINUTES < o.started]
            assert carried, (name, day)


def test_overnight_arrivals_are_tickets_and_emails_at_the_first_minute() -> None:
    jobs = [job for seed in range(3) for job in week(seed, 1.0)]
    overnight = [job for job in jobs if job.arrival % DAY_MINUTES == 0]
    assert overnight
    assert {job.channel for job in overnight} <= {"ticket", "email"}
    assert {job.channel for job in jobs} == {"desk", "phone", "chat", "ticket", "email"}


def _signature(jobs: Sequence[Job]) -> list[tuple[object, ...]]:
    return [astuple(job) for job in jobs]


def test_the_same_seed_gives_the_same_week_and_the_same_run() -> None:
    first, again = week(7, 1.0), week(7, 1.0)
    assert _signature(first) == _signature(again)
    assert _signature(first) != _signature(week(8, 1.0))
    choose = CHOOSERS[TECHQUEUE]
    one = simulate(first, choose, interrupt=advice_interrupter())
    two = simulate(again, choose, interrupt=advice_interrupter())
    assert one.spans == two.spans
    assert summarise([one]) == summarise([two])


def test_serving_a_week_twice_does_not_change_it() -> None:
    """Every policy serves the same Job objects in turn, so a run must leave them as found."""
    jobs = week(2, 1.0)
    before = simulate(jobs, CHOOSERS[TECHQUEUE])
    simulate(jobs, CHOOSERS["fifo"], interrupt=lambda *_: True)
    assert simulate(jobs, CHOOSERS[TECHQUEUE]).spans == before.spans


def test_the_offered_load_is_what_it_says() -> None:
    for load in CAPACITY_LEVELS.values():
        work = [sum(job.duration for job in week(seed, load)) for seed in range(12)]
        offered = sum(work) / len(work) / (DAYS * DAY_MINUTES)
        assert offered == pytest.approx(load, rel=0.12)


def test_the_mean_duration_constant_matches_the_distribution() -> None:
    assert mean_duration(60_000) == pytest.approx(_MEAN_DURATION, rel=0.03)


def test_an_empty_week_is_an_empty_run() -> None:
    assert simulate([], CHOOSERS["fifo"]).outcomes == []


def test_weights_follow_vip_severity_and_impact() -> None:
    assert job_weight(_job(1, "normal", 0.0, 5.0)) == 2.0
    assert job_weight(_job(1, "critical", 0.0, 5.0)) == 16.0
    assert job_weight(_job(1, "high", 0.0, 5.0, vip=True)) == 24.0, "a VIP counts four times"
    assert job_weight(_job(1, "normal", 0.0, 5.0, impact=4)) == 4.0, "four people: twice"


def test_wspt_beats_fifo_on_weighted_wait_and_the_table_lists_everything() -> None:
    results = evaluate(seeds=2, loads=["100%"])
    by = results["100%"]
    assert set(by) == {*POLICIES, TECHQUEUE, ADVICE}
    assert by["wspt"].weighted_wait < by["fifo"].weighted_wait
    assert by[ADVICE].switches > 0
    shown = table(results)
    for name in by:
        assert f"| 100% | {name} |" in shown


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--json", "--seeds", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["seeds"] == 1
    assert set(data["results"]) == set(CAPACITY_LEVELS)
    assert {"weighted_wait", "worst_over_target", "vip_p95"} <= set(data["results"]["80%"]["wspt"])


def _job(
    number: int,
    severity: str,
    arrival: float,
    duration: float,
    *,
    estimate: float | None = None,
    vip: bool = False,
    impact: int = 1,
) -> Job:
    """A bare job (estimated right unless ``estimate`` says otherwise)."""
    return Job(
        id=number,
        vip=vip,
        severity=severity,
        impact=impact,
        estimate_minutes=duration if estimate is None else estimate,
        received_at=BASE,
        promise_due_at=None,
        channel="ticket",
        requester="someone",
        arrival=arrival,
        duration=duration,
        promise=None,
    )


def test_the_deadline_scheduler_serves_the_earliest_deadline_and_preempts_for_an_earlier_one() -> (
    None
):
    choose, interrupt = deadline_scheduler(lambda job: job.duration)
    # deadlines: arrival + duration + 3 x target (critical 15, normal 240 minutes)
    normal = _job(1, "normal", 0.0, 30.0)  # 0 + 30 + 720 = 750
    critical = _job(2, "critical", 600.0, 10.0)  # 600 + 10 + 45 = 655
    late_critical = _job(3, "critical", 720.0, 10.0)  # 775
    assert choose([normal, critical, late_critical], 720.0) is critical
    assert interrupt(normal, 5.0, critical, 600.0)
    assert not interrupt(normal, 5.0, late_critical, 720.0)
    first = _job(1, "normal", 0.0, 700.0)
    second = _job(2, "critical", 10.0, 10.0)
    run = simulate([first, second], choose, interrupt=interrupt, switch_cost=1.0)
    assert [span[0] for span in run.spans] == [1, 2, 1]
    assert run.outcomes[0].worked == pytest.approx(701.0)  # the minute of getting back into it


def test_bounds_table_lists_both_schedulers_at_every_load(
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = bounds(seeds=1)
    assert set(results) == set(CAPACITY_LEVELS)
    for by in results.values():
        assert set(by) == {"edf-oracle", "edf-estimate"}
        assert by["edf-oracle"].runs_over == 0, "knowing the durations, 3x holds every week"
    assert main(["--bounds", "--seeds", "1"]) == 0
    shown = capsys.readouterr().out
    for load in CAPACITY_LEVELS:
        assert f"| {load} | edf-oracle |" in shown


def test_a_week_counts_over_the_bound_when_someone_waits_more_than_three_targets() -> None:
    # A normal job estimated at 5 minutes takes 1,000; one estimated at 600 takes 5.
    long_job = _job(1, "normal", 0.0, 1000.0, estimate=5.0)
    short_job = _job(2, "normal", 1.0, 5.0, estimate=600.0)

    def serve(jobs: list[Job], size: Callable[[Job], float]) -> Run:
        choose, interrupt = deadline_scheduler(size)
        return simulate(jobs, choose, interrupt=interrupt, switch_cost=SWITCH)

    served = {name: serve([long_job, short_job], size) for name, size in SCHEDULERS.items()}
    calm = serve([_job(3, "normal", 0.0, 5.0)], SCHEDULERS["edf-oracle"])
    # By estimate the short job waits the long one out: 999 minutes, 4.2 targets of 240.
    estimate = Bound.of([served["edf-estimate"], calm], wspt_weighted_wait=1.0)
    assert estimate.runs_over == 1
    assert estimate.summary.worst_over_target_max == pytest.approx(999 / 240)
    # Knowing the truth, the short job pre-empts the long one and nobody waits long.
    oracle = Bound.of([served["edf-oracle"], calm], wspt_weighted_wait=1.0)
    assert oracle.runs_over == 0
    assert oracle.summary.worst_over_target_max < BOUND_FACTOR


def test_the_verdict_holds_or_misses_each_target_by_its_own_figure() -> None:
    base = Summary(100.0, 4.0, 6.0, 90.0, 1.0, 0.1, 0.0, 10)
    by = dict.fromkeys(SIMPLE, base)
    by["wspt"] = base
    by[TECHQUEUE] = replace(base, weighted_wait=104.0, worst_over_target=3.5, vip_p95=80.0)
    by[ADVICE] = replace(base, weighted_wait=99.0, worst_over_target_max=3.5)
    lines = verdict({"80%": by})
    assert lines == [
        "80%: held   weighted wait within 5 % of WSPT",
        "80%: held   worst wait no worse than the best simple baseline",
        "80%: held   VIP p95 no worse than vip+severity",
        "80%: held   advice: weighted wait below WSPT's",
        "80%: MISSED  advice: worst wait within 3x target (every run)",
    ]
    by[TECHQUEUE] = replace(by[TECHQUEUE], weighted_wait=106.0)
    assert verdict({"80%": by})[0] == "80%: MISSED  weighted wait within 5 % of WSPT"


# --- the deadline guard (an experiment, docs/scoring.md) ---------------------------------------


def _none_worked(job: Job) -> float:
    return 0.0


def test_the_guard_puts_first_whoever_would_otherwise_start_past_three_targets() -> None:
    _, guard = deadline_guard(GUARDS["guard"])
    # a normal job that arrived at 0 must start by 720 (3 x 240 minutes)
    waiting = _job(1, "normal", 0.0, 30.0)
    short = _job(2, "high", 650.0, 60.0)
    assert guard(short, [waiting], 650.0, _none_worked) is None, "650 + 60 is still in time"
    assert guard(short, [waiting], 670.0, _none_worked) is waiting, "670 + 60 is not"
    # the job in hand has had 5 minutes of work, so its own start-by moved to 725
    assert guard(short, [waiting], 670.0, lambda job: 5.0 if job is short else 0.0) is waiting
    assert guard(short, [], 670.0, _none_worked) is None


def test_the_guard_pauses_a_long_job_for_someone_it_would_make_wait_too_long() -> None:
    long_job = _job(1, "normal", 0.0, 900.0)
    newcomer = _job(2, "normal", 1.0, 10.0)
    _, guard = deadline_guard(GUARDS["guard"])
    run = simulate(
        [long_job, newcomer], lambda queue, now: queue[0], guard=guard, switch_cost=SWITCH
    )
    # at the first look (5 minutes in) the long job's start-by (720 + 5) is past the
    # newcomer's (1 + 720): the newcomer goes first, the long job after it
    assert [(span[0], span[1]) for span in run.spans] == [(1, 0.0), (2, 5.0), (1, 15.0)]
    assert run.outcomes[0].worked == pytest.approx(900.0 + SWITCH)
    assert run.outcomes[1].wait == pytest.approx(4.0)
    unguarded = simulate([long_job, newcomer], lambda queue, now: queue[0])
    assert unguarded.outcomes[1].wait == pytest.approx(899.0), "3.7 targets without it"


def test_the_guard_vetoes_a_switch_that_would_make_the_paused_job_start_late() -> None:
    interrupt, _ = deadline_guard(GUARDS["guard"])
    advice = advice_interrupter()
    current = _job(1, "normal", 0.0, 120.0)  # its start-by, if paused, is 720 + 710 spent
    quick = _job(2, "high", 1415.0, 10.0)
    assert advice(current, 710.0, quick, 1415.0), "the advice alone says switch"
    assert interrupt(current, 710.0, quick, 1415.0), "back to it by 1425, before 1430"
    late = _job(3, "high", 1425.0, 20.0)
    assert advice(current, 710.0, late, 1425.0)
    assert not interrupt(current, 710.0, late, 1425.0), "1445 is past its start-by of 1430"
    critical = _job(4, "critical", 1425.0, 20.0)
    assert advice(current, 710.0, critical, 1425.0)
    assert interrupt(current, 710.0, critical, 1425.0), "a critical call goes first anyway"


def test_the_guard_variants_hold_back_in_an_overload_a_big_backlog_or_for_the_spared() -> None:
    hopeless = _job(1, "normal", 0.0, 30.0)  # start-by 720, long gone at 800
    also = _job(2, "normal", 0.0, 30.0)
    pick = _job(3, "high", 790.0, 60.0)
    chase = deadline_guard(GUARDS["guard"])[1]
    assert chase(pick, [hopeless, also], 800.0, _none_worked) is hopeless
    stand_aside = deadline_guard(GUARDS["guard, silent in an overload"])[1]
    assert stand_aside(pick, [hopeless, also], 800.0, _none_worked) is None
    waiting = _job(4, "normal", 0.0, 400.0)  # start-by 720: 680 + the pick's 60 is too late
    backlog = deadline_guard(GUARDS["guard, silent above 8 h of work"])[1]
    assert chase(pick, [waiting], 680.0, _none_worked) is waiting
    assert backlog(pick, [waiting], 680.0, _none_worked) is waiting, "400 minutes: under 8 h"
    assert backlog(pick, [waiting, _job(5, "low", 0.0, 100.0)], 680.0, _none_worked) is None
    spare = deadline_guard(GUARDS["guard, sparing VIPs, criticals, quick wins"])[1]
    vip = _job(6, "low", 670.0, 60.0, vip=True)
    assert chase(vip, [waiting], 680.0, _none_worked) is waiting
    assert spare(vip, [waiting], 680.0, _none_worked) is None
    assert spare(pick, [waiting], 680.0, _none_worked) is waiting


def test_the_guard_table_lists_the_shipped_advice_and_every_variant(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["--guard", "--seeds", "1"]) == 0
    shown = capsys.readouterr().out
    for name in ("ranking + advice, as shipped", *GUARDS):
        assert f"| {name} |" in shown
    with pytest.raises(SystemExit) as refused:
        main(["--guard", "--config", "any.toml"])
    assert refused.value.code == 2
