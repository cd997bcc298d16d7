"""The triage simulation's invariants, on a reduced run (a few seeds, a few policies)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import astuple, replace

import pytest
from benchmarks.triage.__main__ import ADVICE, SIMPLE, TECHQUEUE, evaluate, main, verdict
from benchmarks.triage.__main__ import table as policy_table
from benchmarks.triage.bounds import BOUND_FACTOR, SCHEDULERS, Bound, bounds, deadline_scheduler
from benchmarks.triage.guard import (
    NO_GUARD,
    SHIPPED_NAME,
    announced,
    breached_at,
    guards,
    looking,
    runner,
    table,
)
from benchmarks.triage.metrics import Summary, job_weight, summarise
from benchmarks.triage.policies import POLICIES, advice_interrupter, techqueue_policy
from benchmarks.triage.simulate import Choose, Interrupt, Look, Outcome, Run, simulate
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

from techqueue.core.guard import SHIPPED
from techqueue.scoring import Weights

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
    shipped = runner(SHIPPED)
    done[GUARDED] = (
        jobs,
        simulate(
            jobs,
            shipped.choose,
            interrupt=shipped.interrupt,
            switch_cost=SWITCH,
            guard=shipped.guard,
        ),
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
    shown = policy_table(results)
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
    assert interrupt(normal, 5.0, critical, 600.0, [])
    assert not interrupt(normal, 5.0, late_critical, 720.0, [])
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


# --- the deadline guard and the notice, as shipped (docs/scoring.md) ---------------------------


def test_the_guard_puts_a_long_job_aside_for_someone_it_would_make_wait_too_long() -> None:
    long_job = _job(1, "normal", 0.0, 900.0)
    newcomer = _job(2, "normal", 1.0, 10.0)
    run = simulate([long_job, newcomer], CHOOSERS[TECHQUEUE], guard=looking(SHIPPED, Weights()))
    # at the look after the arrival, the 900-minute job would make the newcomer start past
    # its 720 (less the 10-minute margin): the newcomer goes first, the long job after it
    assert [(span[0], span[1]) for span in run.spans] == [(1, 0.0), (2, 1.0), (1, 11.0)]
    assert run.outcomes[0].worked == pytest.approx(900.0 + SWITCH)
    assert run.outcomes[1].wait == pytest.approx(0.0)
    unguarded = simulate([long_job, newcomer], CHOOSERS[TECHQUEUE])
    assert unguarded.outcomes[1].wait == pytest.approx(899.0), "3.7 targets without it"


def test_each_run_serves_its_own_copies_and_keeps_status_and_work_as_the_app_does() -> None:
    seen: list[tuple[int, str, float]] = []

    def spy(current: Job | None, queue: Sequence[Job], now: float) -> Look:
        for job in queue:
            seen.append((job.id, job.status, job.spent_minutes))
        if current is not None:
            seen.append((current.id, current.status, current.spent_minutes))
        return Look(None, ())

    jobs = [_job(1, "normal", 0.0, 30.0), _job(2, "critical", 10.0, 5.0)]
    simulate(jobs, CHOOSERS["fifo"], interrupt=lambda *_: True, guard=spy, check_every=20.0)
    assert (1, "paused", 10.0) in seen, "put aside for the critical call 10 minutes in"
    assert (1, "active", 30.0) in seen, "taken up again at 15, looked at 20 minutes later"
    assert all(job.status == "open" and job.spent_minutes == 0.0 for job in jobs)


def test_a_run_keeps_when_the_notice_first_named_each_job() -> None:
    def naming(current: Job | None, queue: Sequence[Job], now: float) -> Look:
        return Look(None, [job.id for job in queue])

    jobs = [_job(1, "normal", 0.0, 30.0), _job(2, "low", 5.0, 5.0), _job(3, "low", 6.0, 5.0)]
    run = simulate(jobs, CHOOSERS["fifo"], interrupt=lambda *_: False, guard=naming)
    assert run.listed == {1: 0.0, 2: 5.0, 3: 6.0}, "named at the first look that found them"


def test_a_breach_falls_when_the_wait_reaches_three_targets() -> None:
    critical = _job(1, "critical", 100.0, 20.0)  # 45 minutes of waiting allowed
    # waited 30 before the first span, then 30 more before the second: the 45th minute of
    # waiting falls 15 minutes after the first span ended
    assert breached_at([(130.0, 140.0), (170.0, 180.0)], critical) == pytest.approx(155.0)
    assert breached_at([(150.0, 160.0)], critical) == pytest.approx(145.0)
    assert breached_at([(130.0, 140.0), (150.0, 160.0)], critical) is None, "40 in all"


def test_a_breach_is_announced_when_the_notice_named_it_an_hour_before() -> None:
    early, late, never, fine = (
        _job(1, "normal", 0.0, 10.0),
        _job(2, "normal", 0.0, 10.0),
        _job(3, "normal", 0.0, 10.0),
        _job(4, "normal", 0.0, 10.0),
    )
    # all but the last wait 800 minutes, past their 720: the deadline falls at 720
    outcomes = [Outcome(job, 800.0, 810.0, 10.0) for job in (early, late, never)]
    outcomes.append(Outcome(fine, 100.0, 110.0, 10.0))
    spans = [(job.id, 800.0, 810.0) for job in (early, late, never)] + [(4, 100.0, 110.0)]
    run = Run(outcomes, spans, listed={1: 660.0, 2: 661.0, 4: 50.0})
    told = announced([run])
    assert (told.breaches, told.ahead, told.false_alarms) == (3, 1, 1)
    assert told.share == pytest.approx(1 / 3)
    assert announced([]).share == 1.0


def test_the_guard_table_lists_every_variant_with_the_issues_columns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    results = guards(1, names=[NO_GUARD, SHIPPED_NAME])
    shown = table(results, 1)
    for load in CAPACITY_LEVELS:
        assert f"| {load} | {SHIPPED_NAME} |" in shown
    assert "breaches announced ≥ 60 min ahead" in shown
    assert main(["--guard", "--seeds", "1", "--only", SHIPPED_NAME]) == 0
    printed = capsys.readouterr().out
    assert f"| 130% | {SHIPPED_NAME} |" in printed
    assert "130%: " in printed, "the targets, held or missed"
    with pytest.raises(SystemExit) as refused:
        main(["--guard", "--config", "any.toml"])
    assert refused.value.code == 2


def test_the_business_week_is_the_same_week_with_a_cost_given() -> None:
    from benchmarks.triage import business

    jobs = week(3, 1.0)
    given = business.business_week(jobs, 3, "100%")
    assert [job.id for job in given] == [job.id for job in jobs]
    assert all(job.cost is None for job in jobs)  # the ordinary week is untouched
    for job in given:
        if job.requester in business.HIGH_PEOPLE:
            assert job.cost == "high"
        elif job.requester in business.LOW_PEOPLE:
            assert job.cost == "low"
        else:
            assert job.cost in ("high", "normal")
    again = business.business_week(week(3, 1.0), 3, "100%")
    assert [astuple(job) for job in given] == [astuple(job) for job in again]


def test_the_business_table_weighs_the_costly_work_sooner() -> None:
    from benchmarks.triage import business

    results = business.measure(2, ["100%"])
    rows = results["100%"]
    assert set(rows) == set(business.WAYS)
    ignored, weighed = rows["techqueue, cost ignored"], rows["techqueue, cost weighed"]
    assert weighed.high_mean < ignored.high_mean  # the costly work is served sooner
    assert weighed.low_mean > ignored.low_mean  # and the work that can wait pays for it
    table = business.table(results)
    assert "| 100% | techqueue, cost ignored | 1.000 |" in table
