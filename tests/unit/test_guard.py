"""The deadline guard and the overload notice (issue 19): who must go first so that nobody
waits past three response targets, when the guard steps aside, and who will wait too long."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from unittest import mock

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scorable import NOW, item

from techqueue.core.advice import advise
from techqueue.core.guard import (
    SHIPPED,
    GuardRules,
    Row,
    breach_at,
    breaches,
    overloaded,
    plan,
    put_aside_for,
    row_of,
    rows_of,
    veto,
)
from techqueue.core.settings import Settings
from techqueue.core.timeparse import WorkingHours
from techqueue.core.worktime import work_clock
from techqueue.scoring import SEVERITIES, PerSeverity, Ranked, Weights, rank

HOURS = WorkingHours()
CLOCK = work_clock(HOURS, NOW.tzinfo)
WEIGHTS = Weights()
SETTINGS = Settings(weights=WEIGHTS, hours=HOURS)


def working_ago(minutes: float, now: datetime = NOW) -> datetime:
    return CLOCK.before(now, minutes)


def ranked_ids(pile: list[SimpleNamespace], now: datetime, **options: Any) -> list[Any]:
    return [entry.id for entry in rank(pile, now, hours=HOURS, **options)]


# --- the plan, on bare rows ------------------------------------------------------------------


def test_with_room_for_everyone_the_plan_is_the_ranking() -> None:
    rows = [Row(0, 600.0, 60.0), Row(1, 300.0, 30.0), Row(2, 700.0, 5.0)]
    laid = plan(rows)
    assert laid.order == (0, 1, 2)
    assert dict(laid.starts) == {0: 0.0, 1: 60.0, 2: 90.0}
    assert not laid.pulled
    assert not laid.put_aside
    assert not laid.overloaded


def test_whoever_would_start_late_goes_first() -> None:
    # by rank, the 4-hour job would make the second start at 240, past its 60 (less the margin)
    rows = [Row(0, 720.0, 240.0), Row(1, 60.0, 30.0)]
    laid = plan(rows)
    assert laid.order == (1, 0)
    assert laid.pulled == {1}
    assert laid.starts[0] == 30.0


def test_when_not_everyone_can_make_it_the_tightest_deadline_goes_first() -> None:
    """Outside an overload the guard chases every deadline by start-by, even a long job's:
    on estimates that are often too long, the job about to go late goes first."""
    rows = [Row(0, 200.0, 10.0), Row(1, 15.0, 300.0), Row(2, 100.0, 30.0)]
    assert plan(rows).order[0] == 1


def test_the_job_in_hand_goes_on_unless_someone_would_start_late() -> None:
    rows = [Row(0, 300.0, 20.0), Row(1, 500.0, 100.0)]
    kept = plan(rows, in_hand=1, switch_cost=1.0)
    assert kept.order == (1, 0)
    assert not kept.put_aside
    tight = [Row(0, 50.0, 20.0), Row(1, 500.0, 100.0)]
    aside = plan(tight, in_hand=1, switch_cost=1.0)
    assert aside.put_aside
    assert aside.order == (0, 1)
    assert aside.starts[1] == 20.0
    assert tight[1].work == 100.0, "the plan leaves the caller's rows as they were"


def test_nothing_goes_above_a_pin() -> None:
    rows = [Row(0, 720.0, 240.0, pinned=True), Row(1, 60.0, 30.0)]
    assert plan(rows).order == (0, 1)


def test_in_an_overload_the_guard_stands_aside() -> None:
    # six jobs of three hours, each counted for 2 h at most, and half an hour: 12 h 30
    rows = [Row(key, 2000.0 + key, 180.0) for key in range(6)] + [Row(6, 400.0, 30.0)]
    assert overloaded(rows)
    assert not overloaded(rows[1:]), "five of them: 10 h 30 counted"
    laid = plan(rows)
    assert laid.overloaded
    assert laid.order[0] == 0, "by rank: nobody moved ahead of the first"
    # three hours later the work left is no overload: the plan foresees the guard putting the
    # half-hour job first once the next three hours would make it start late
    assert laid.order == (0, 1, 6, 2, 3, 4, 5)
    assert laid.pulled == {6}


def test_the_protecting_variants_keep_the_most_and_spare_the_important_work() -> None:
    rules = GuardRules(overload_when="infeasible", in_overload="protect the most")
    # nobody can save all three short ones behind the long one: keep the two that fit
    rows = [
        Row(0, 10.0, 5.0, spared=True),  # a VIP's question goes first whatever happens
        Row(1, 400.0, 200.0),
        Row(2, 60.0, 40.0),
        Row(3, 60.0, 40.0),
        Row(4, 60.0, 40.0),
    ]
    laid = plan(rows, rules=rules)
    assert laid.overloaded
    assert laid.order[0] == 0
    assert set(laid.order[1:3]) == {2, 3}


# --- the guard in the ranking ---------------------------------------------------------------


def test_nothing_moves_while_everyone_can_start_in_time() -> None:
    pile = [
        item(1, vip=True, estimate_minutes=30.0),
        item(2, received_at=working_ago(60)),
        item(3, severity="high", estimate_minutes=10.0, received_at=working_ago(30)),
    ]
    assert ranked_ids(pile, NOW) == ranked_ids(pile, NOW, guard=False)
    assert all(entry.must_start_by is None for entry in rank(pile, NOW, hours=HOURS))


def test_the_guard_puts_first_whoever_would_otherwise_wait_past_three_targets() -> None:
    now = NOW + timedelta(hours=4)  # 13:00
    vip_job = item(1, vip=True, estimate_minutes=240.0, received_at=now, requester="Dana")
    high = item(2, severity="high", estimate_minutes=30.0, received_at=NOW + timedelta(hours=2))
    assert ranked_ids([vip_job, high], now, guard=False) == [1, 2]
    first, second = rank([vip_job, high], now, hours=HOURS)
    assert (first.id, second.id) == (2, 1)
    assert first.must_start_by == NOW + timedelta(hours=5), "11:00 + 3 x 1 h"
    assert first.reasons[-1].factor == "guard"
    assert first.reasons[-1].points == 0.0, "its score is its own"
    assert first.reasons[-1].detail == "must start by 14:00, or it waits past 3× its 1 h target"
    assert second.must_start_by is None
    assert rank([vip_job, high], now, WEIGHTS, hours=HOURS, limit=1)[0].id == 2


def test_the_guard_can_be_turned_off() -> None:
    now = NOW + timedelta(hours=4)
    pile = [
        item(1, vip=True, estimate_minutes=240.0, received_at=now),
        item(2, severity="high", estimate_minutes=30.0, received_at=NOW + timedelta(hours=2)),
    ]
    off = Weights(deadline_guard=False)
    ranked = rank(pile, now, off, hours=HOURS)
    assert [e.id for e in ranked] == [1, 2]
    assert ranked_ids(pile, now, guard=False) == [1, 2]
    # the notice then forecasts the queue's own order: the high item waits too long
    notice = breaches(ranked, now, Settings(weights=off, hours=HOURS))
    assert notice.will_breach(2)
    assert not breaches(rank(pile, now, hours=HOURS), now, SETTINGS).will_breach(2)


def test_the_job_in_hand_is_put_aside_for_someone_about_to_go_late() -> None:
    now = NOW + timedelta(hours=4)
    in_hand = item(1, status="active", estimate_minutes=240.0, received_at=NOW, spent_minutes=30.0)
    high = item(2, severity="high", estimate_minutes=20.0, received_at=working_ago(170, now))
    ranked = rank([in_hand, high], now, hours=HOURS)
    assert [entry.id for entry in ranked] == [2, 1]
    aside = put_aside_for(ranked)
    assert aside is not None
    assert aside.id == 2
    calm = replace_item(high, severity="normal")  # 12 hours to start it, not 3
    assert put_aside_for(rank([in_hand, calm], now, hours=HOURS)) is None


def test_what_must_follow_the_job_in_hand_is_ranked_after_it() -> None:
    """The guard lets the job in hand go on and puts someone right after it: the job in hand
    is then ranked before them, so nothing reads as 'put it aside'."""
    now = NOW + timedelta(hours=4)
    in_hand = item(9, status="active", estimate_minutes=30.0, spent_minutes=10.0)
    vip_job = item(1, vip=True, estimate_minutes=240.0, received_at=now)
    high = item(2, severity="high", estimate_minutes=20.0, received_at=working_ago(120, now))
    ranked = rank([in_hand, vip_job, high], now, hours=HOURS)
    assert [entry.id for entry in ranked] == [9, 2, 1]
    assert put_aside_for(ranked) is None


def replace_item(base: SimpleNamespace, **fields: Any) -> SimpleNamespace:
    return SimpleNamespace(**{**vars(base), **fields})


# --- the 3x deadline ------------------------------------------------------------------------


def test_the_deadline_is_three_targets_of_working_time_after_arrival() -> None:
    friday = datetime(2026, 3, 6, 16, 0, tzinfo=NOW.tzinfo)
    normal = item(1, received_at=friday)  # 12 working hours: 1 h on Friday, then 8 + 3
    assert breach_at(normal, friday, WEIGHTS, HOURS) == datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_a_paused_jobs_deadline_moves_on_by_the_work_done_on_it() -> None:
    now = NOW + timedelta(hours=2)
    paused = item(1, status="paused", received_at=NOW, spent_minutes=45.0)
    waiting = item(2, received_at=NOW)
    assert breach_at(waiting, now, WEIGHTS, HOURS) == NOW + timedelta(days=1, hours=4)
    assert breach_at(paused, now, WEIGHTS, HOURS) == NOW + timedelta(days=1, hours=4, minutes=45)


def test_no_deadline_while_the_clock_is_stopped_or_the_job_is_in_hand() -> None:
    for status in ("waiting", "done", "dropped", "active"):
        assert breach_at(item(1, status=status), NOW, WEIGHTS, HOURS) is None


def test_a_deferred_items_clock_runs_from_its_return() -> None:
    back = NOW + timedelta(days=1)
    deferred = item(1, severity="high", deferred_until=back)
    assert breach_at(deferred, NOW, WEIGHTS, HOURS) == back + timedelta(hours=3)


def test_a_deadline_long_passed_is_in_the_past() -> None:
    old = item(1, severity="critical", received_at=working_ago(120))
    assert breach_at(old, NOW, WEIGHTS, HOURS) == working_ago(75)


# --- the notice ------------------------------------------------------------------------------


def test_the_notice_names_who_will_wait_too_long_and_when() -> None:
    now = NOW + timedelta(hours=2)  # Monday 11:00; the day ends at 17:00
    pile = [item(k, estimate_minutes=120.0, received_at=NOW, requester=f"p{k}") for k in range(8)]
    pile.append(item(8, severity="high", impact=4, estimate_minutes=30.0, received_at=now))
    ranked = rank(pile, now, hours=HOURS)
    notice = breaches(ranked, now, SETTINGS)
    assert notice.overloaded, "16 h of work"
    assert notice.work_minutes == 8 * 120.0 + 30.0
    assert notice.left_today == 360.0
    assert notice.beyond_today == 990.0 - 360.0
    late = [b for b in notice.breaches if b.will_breach]
    assert late
    assert notice.will_wait_too_long == len(late)
    for breach in notice.breaches:
        assert notice.breach(breach.item.id) is breach
        assert breach.expected_start >= now
        assert breach.late_minutes > -SHIPPED.notice_minutes
        assert notice.deadlines[breach.item.id] == breach.breach_at
        assert breach.breach_at == breach_at(breach.item, now, WEIGHTS, HOURS)
        assert notice.will_breach(breach.item.id) == (breach.late_minutes > 0)
    # 12 working hours after 09:00 Monday is Tuesday 13:00; the 7th two-hour job starts then
    seventh = notice.breach(6)
    assert seventh is not None
    assert not seventh.already


def test_a_calm_queue_has_an_empty_notice() -> None:
    pile = [item(1, estimate_minutes=30.0), item(2, severity="high", estimate_minutes=10.0)]
    notice = breaches(rank(pile, NOW, hours=HOURS), NOW, SETTINGS)
    assert notice.breaches == ()
    assert not notice.overloaded
    assert notice.people == 0
    assert notice.will_wait_too_long == 0
    assert set(notice.deadlines) == {1, 2}


def test_people_counts_everyone_an_item_stops() -> None:
    now = NOW + timedelta(hours=7)
    pile = [
        item(1, severity="critical", estimate_minutes=60.0, received_at=working_ago(40, now)),
        item(2, severity="critical", impact=5, estimate_minutes=60.0, received_at=now),
    ]
    notice = breaches(rank(pile, now, hours=HOURS), now, SETTINGS)
    assert notice.will_breach(2)
    assert not notice.will_breach(1)
    assert notice.people == 5


# --- the advice's veto ------------------------------------------------------------------------


def test_a_switch_that_would_make_the_paused_job_wait_too_long_is_vetoed() -> None:
    now = NOW + timedelta(hours=7)  # 16:00
    current = item(1, status="active", estimate_minutes=120.0, received_at=NOW, spent_minutes=0)
    # received at 09:00 and not yet started: 7 working hours waited of its 12, 5 left, and the
    # guard keeps a 10-minute margin
    long_newcomer = item(2, severity="high", estimate_minutes=295.0, received_at=now)
    assert veto(current, long_newcomer, now, WEIGHTS, spent_minutes=0.0, hours=HOURS) == 300.0
    short = item(3, severity="high", estimate_minutes=290.0, received_at=now)
    assert veto(current, short, now, WEIGHTS, spent_minutes=0.0, hours=HOURS) is None
    critical = item(4, severity="critical", estimate_minutes=400.0, received_at=now)
    assert veto(current, critical, now, WEIGHTS, spent_minutes=0.0, hours=HOURS) is None
    backlog = [item(10 + k, estimate_minutes=180.0) for k in range(7)]
    assert (
        veto(current, long_newcomer, now, WEIGHTS, spent_minutes=0.0, hours=HOURS, queue=backlog)
        is None
    ), "in an overload the guard steps aside"


def test_the_advice_says_why_it_does_not_switch() -> None:
    now = NOW + timedelta(hours=7)
    current = item(1, status="active", estimate_minutes=120.0, received_at=NOW, title="Backup")
    newcomer = item(2, vip=True, estimate_minutes=330.0, received_at=now)
    advice = advise(current, newcomer, now, WEIGHTS, hours=HOURS)
    assert advice is not None
    assert not advice.switch
    assert advice.reason.startswith('finish #1 "Backup" first: put aside for #2 (normal, ~5 h')
    assert "it would wait past 3× its 4 h target" in advice.reason


# --- properties --------------------------------------------------------------------------------

_severities = st.sampled_from(SEVERITIES)
_estimates = st.sampled_from([0.5, 5.0, 10.0, 20.0, 45.0, 90.0, 180.0])


@st.composite
def queues(draw: st.DrawFn, max_size: int = 12) -> list[SimpleNamespace]:
    """A queue of open items that arrived over the last three working days, some of them
    started and put aside (a quarter of their work or less done)."""
    size = draw(st.integers(1, max_size))
    pile = []
    for number in range(1, size + 1):
        estimate = draw(_estimates)
        paused = draw(st.integers(0, 4)) == 0
        spent = estimate / 4 if paused else 0.0
        pile.append(
            item(
                number,
                severity=draw(_severities),
                vip=draw(st.booleans()),
                impact=draw(st.sampled_from([1, 1, 1, 3, 20])),
                estimate_minutes=estimate,
                # a job cannot have had more work than the time since it arrived
                received_at=working_ago(max(draw(st.integers(0, 1440)), spent), START),
                status="paused" if paused else "open",
                spent_minutes=spent,
            )
        )
    return pile


#: Tuesday 3 March 2026, 10:00: inside working hours, with a working day behind it.
START = datetime(2026, 3, 3, 10, 0, tzinfo=NOW.tzinfo)


def serve_without_arrivals(
    pile: list[SimpleNamespace], weights: Weights = WEIGHTS
) -> dict[Any, datetime]:
    """Follow the guarded ranking with nothing new landing, every job taking its estimate:
    when each one starts."""
    left = list(pile)
    now = START
    started: dict[Any, datetime] = {}
    while left:
        top = rank(left, now, weights, explain=False, limit=1, hours=HOURS)[0].item
        started[top.id] = now
        work = top.estimate_minutes - top.spent_minutes
        if top.spent_minutes:
            work += weights.switch_cost_minutes  # getting back into it
        now = CLOCK.after(now, work)
        left.remove(top)
    return started


def unnamed_start_in_time(pile: list[SimpleNamespace], weights: Weights = WEIGHTS) -> bool:
    """Is everyone the notice does not name now started by their 3x deadline, when nothing
    new lands and every job takes its estimate? (Asserts it, and says whether the queue was
    an overload.)"""
    settings = Settings(weights=weights, hours=HOURS)
    notice = breaches(rank(pile, START, weights, hours=HOURS), START, settings)
    named = {breach.item.id for breach in notice.breaches}
    started = serve_without_arrivals(pile, weights)
    for entry in pile:
        if entry.id not in named:
            due = breach_at(entry, START, weights, HOURS)
            assert due is not None
            assert started[entry.id] <= due + timedelta(seconds=1), (
                f"#{entry.id} started {started[entry.id]}, its deadline {due}"
            )
    return notice.overloaded


@settings(deadline=None, max_examples=150)
@given(queues(max_size=30))
def test_on_a_day_that_holds_everyone_whoever_the_notice_does_not_name_starts_in_time(
    pile: list[SimpleNamespace],
) -> None:
    """The guard's promise: with nothing new landing, whoever the notice leaves out of it
    starts by their 3x deadline, however aging reorders the queue meanwhile."""
    notice = breaches(rank(pile, START, hours=HOURS), START, SETTINGS)
    assume(not notice.overloaded)
    unnamed_start_in_time(pile)


#: The ranking without aging: the order holds while time passes.
STILL = Weights(aging_linear=0.0, aging_quadratic=0.0)


@settings(deadline=None, max_examples=150)
@given(queues(max_size=30))
def test_in_an_overload_whoever_the_notice_does_not_name_starts_in_time_while_the_order_holds(
    pile: list[SimpleNamespace],
) -> None:
    """In an overload the guard stands aside and the queue goes by rank; the notice foresees
    that order, and when the work left is no overload any more, the guard's chase. (It
    cannot foresee aging lifting a long-waiting item over one that would have been in time:
    the notice is asked again as time passes.)"""
    unnamed_start_in_time(pile, STILL)


@given(queues(), st.sampled_from(SEVERITIES), st.floats(1, 2000), st.floats(1, 2000))
def test_the_deadline_is_later_the_longer_the_target(
    pile: list[SimpleNamespace], severity: str, one: float, other: float
) -> None:
    assume(one != other)
    short, long = sorted((one, other))

    def deadline(target: float) -> datetime | None:
        targets = {name: WEIGHTS.response_target_minutes[name] for name in SEVERITIES}
        weights = Weights(response_target_minutes=PerSeverity(**{**targets, severity: target}))
        return breach_at(replace_item(pile[0], severity=severity), START, weights, HOURS)

    earlier, later = deadline(short), deadline(long)
    assert earlier is not None
    assert later is not None
    assert earlier <= later


@given(queues(), st.booleans())
def test_the_guard_moves_only_what_it_says_it_moved(
    pile: list[SimpleNamespace], in_hand: bool
) -> None:
    """Every item ranked above one with a better score was put there by the guard (and says
    by when it must start), or is the job in hand, which goes on before them."""
    if in_hand:
        pile[0] = replace_item(pile[0], status="active", spent_minutes=5.0)
    guarded = rank(pile, START, hours=HOURS)
    plain = rank(pile, START, hours=HOURS, guard=False)
    assert sorted(e.id for e in guarded) == sorted(e.id for e in plain)
    assert {e.id: e.score for e in guarded} == {e.id: e.score for e in plain}
    score_rank = {entry.id: entry.rank for entry in plain}
    for position, earlier in enumerate(guarded):
        for later in guarded[position + 1 :]:
            if score_rank[earlier.id] > score_rank[later.id]:
                assert earlier.must_start_by is not None or earlier.item.status == "active"


@given(queues())
def test_the_notice_and_the_deadlines_agree(pile: list[SimpleNamespace]) -> None:
    notice = breaches(rank(pile, START, hours=HOURS), START, SETTINGS)
    for entry in pile:
        assert notice.deadlines[entry.id] == breach_at(entry, START, WEIGHTS, HOURS)


@pytest.mark.parametrize("rules", [SHIPPED, GuardRules(overload_when="never")])
@given(pile=queues())
def test_a_plan_with_room_starts_everyone_in_time(
    rules: GuardRules, pile: list[SimpleNamespace]
) -> None:
    """When laying the queue out by deadline fits everyone (with the guard's margin), the
    guard's plan does too: the notice may say some start close to their deadline, none
    after it."""
    ranked = rank(pile, START, hours=HOURS, guard=rules)
    notice = breaches(ranked, START, SETTINGS, rules=rules)
    assume(not notice.overloaded)
    planned = [e for e in ranked if e.id in notice.deadlines]
    rows = sorted((notice.deadlines[e.id], e.item.estimate_minutes) for e in planned)
    at, fits = START, True
    for due, minutes in rows:
        fits = fits and at <= CLOCK.before(due, rules.margin_minutes)
        at = CLOCK.after(at, minutes)
    assume(fits)
    assert not any(breach.will_breach for breach in notice.breaches)


UTC = NOW.tzinfo


def test_the_technician_chooses_what_the_guard_does_in_an_overload() -> None:
    """``[scoring] in_overload``: the shipped "stand aside", or "protect", the rules the issue
    first asked for (keep safe whoever can still start in time, sparing the important work);
    the ranking, the notice and the advice all follow it."""
    from techqueue.core.guard import OVERLOAD_CHOICES, SHIPPED, rules_for

    assert rules_for(Weights()) is SHIPPED
    protect = rules_for(Weights(in_overload="protect"))
    assert protect.in_overload == "protect the most"
    assert set(OVERLOAD_CHOICES) == {"stand aside", "protect"}
    # Twelve fresh two-hour high jobs, and a low one that has waited 140 working hours of its
    # 144 (three 48 h targets): an overload. Standing aside, the ranking is the score's and
    # the low one comes last; protecting, it is pulled up while it can still start in time.
    now = NOW + timedelta(hours=6)
    pile = [item(n, severity="high", estimate_minutes=120.0, received_at=now) for n in range(1, 13)]
    pile.append(
        item(13, severity="low", estimate_minutes=120.0, received_at=CLOCK.before(now, 140 * 60))
    )
    aside = ranked_ids(pile, now, weights=Weights())
    assert aside == ranked_ids(pile, now, guard=False)
    assert aside[-1] == 13
    protecting = ranked_ids(pile, now, weights=Weights(in_overload="protect"))
    assert protecting.index(13) < aside.index(13)


# --- booked slots (issue 23) -------------------------------------------------------------------


def test_a_booked_slot_in_the_way_puts_someone_past_their_deadline() -> None:
    """The notice plans on the ETAs' timeline: nobody starts while the technician is in a
    booked slot, and slot time is not counted as hours left today."""
    from techqueue.core.appointments import Slot
    from techqueue.core.forecast import Forecast

    # a high item's 3x deadline is 180 working minutes after it lands: 12:00
    pile = [item(1, severity="high", estimate_minutes=30.0, received_at=NOW)]
    ranked = rank(pile, NOW, hours=HOURS)
    assert not breaches(ranked, NOW, SETTINGS).breaches
    # another customer's slot, 09:00-12:30: the high item can start only at 12:30
    slot = Slot(99, NOW, NOW + timedelta(minutes=210))
    notice = Forecast.of(ranked, {}, NOW, SETTINGS, [slot]).overload
    assert notice.will_breach(1)
    breach = notice.breach(1)
    assert breach is not None
    assert breach.expected_start == NOW + timedelta(minutes=210)
    assert breach.late_minutes == pytest.approx(30.0)
    assert notice.left_today == pytest.approx(480.0 - 210.0)


def test_overlapping_slots_take_their_time_once() -> None:
    """Two customers booked over the same hour take that hour from today's hours once."""
    from techqueue.core.appointments import Slot

    pile = [item(1, estimate_minutes=30.0, received_at=NOW)]
    one = Slot(98, NOW + timedelta(hours=1), NOW + timedelta(hours=2))
    other = Slot(99, NOW + timedelta(minutes=90), NOW + timedelta(minutes=150))
    notice = breaches(rank(pile, NOW, hours=HOURS), NOW, SETTINGS, slots=[one, other])
    assert notice.left_today == pytest.approx(480.0 - 90.0)


def test_a_booked_items_own_slot_is_counted_once() -> None:
    """An item back in the queue for its slot is work in the queue, not also time taken."""
    from techqueue.core.appointments import Slot

    at = NOW + timedelta(hours=2)
    pile = [item(1, estimate_minutes=30.0, appointment_at=at, appointment_minutes=30.0)]
    notice = breaches(
        rank(pile, NOW, hours=HOURS), NOW, SETTINGS, slots=[Slot(1, at, at + timedelta(minutes=30))]
    )
    assert notice.left_today == pytest.approx(480.0)


@settings(deadline=None, max_examples=100)
@given(
    queues(max_size=15),
    st.integers(-120, 900),
    st.integers(5, 240),
)
def test_a_slot_never_brings_anyone_s_start_forward(
    pile: list[SimpleNamespace], offset: int, minutes: int
) -> None:
    """Adding a booked slot never takes anyone off the notice nor makes their expected
    start earlier."""
    from techqueue.core.appointments import Slot

    ranked = rank(pile, START, hours=HOURS)
    before = breaches(ranked, START, SETTINGS)
    begin = START + timedelta(minutes=offset)
    slot = Slot("elsewhere", begin, begin + timedelta(minutes=minutes))
    after = breaches(ranked, START, SETTINGS, slots=[slot])
    for old in before.breaches:
        new = after.breach(old.item.id)
        assert new is not None
        assert new.expected_start >= old.expected_start - timedelta(seconds=1)
    assert after.left_today <= before.left_today + 1e-6


_ROW_ITEMS = st.builds(
    lambda severity, estimate, spent, vip, pinned, booked, wait: (
        item(
            severity=severity,
            estimate_minutes=estimate,
            spent_minutes=spent,
            vip=vip,
            pinned=pinned,
            appointment_at=NOW if booked else None,
        ),
        wait,
    ),
    st.sampled_from(SEVERITIES),
    st.one_of(st.none(), st.floats(0, 600), st.integers(0, 600)),
    st.one_of(st.none(), st.floats(-5, 600), st.integers(0, 600)),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.floats(-10, 20_000),
)


@given(
    st.lists(_ROW_ITEMS, max_size=12),
    st.data(),
    st.floats(0, 30),
    st.floats(0, 5),
)
def test_rows_of_a_queue_are_each_item_s_row(
    pile: list[tuple[SimpleNamespace, float]],
    data: st.DataObject,
    switch_cost: float,
    quick: float,
) -> None:
    """The overload notice makes every item's row at once (:func:`rows_of`, the severity's
    numbers looked up once): each must be the row :func:`row_of` makes, to the last bit."""
    weights = Weights(switch_cost_minutes=switch_cost, quick_win_minutes=quick)
    in_hand = data.draw(st.one_of(st.none(), st.integers(0, max(len(pile) - 1, 0))))
    entries = [
        Ranked(thing.id, thing, key + 1, 0.0, "queue", (), wait)
        for key, (thing, wait) in enumerate(pile)
    ]
    expected = [
        row_of(key, entry.item, entry.waited, weights, in_hand=key == in_hand)
        for key, entry in enumerate(entries)
    ]
    assert rows_of(entries, weights, in_hand) == expected
    assert repr(rows_of(entries, weights, in_hand)) == repr(expected)  # 0.0 and -0.0 too


_PLAN_ROWS = st.lists(
    st.tuples(
        st.floats(-300, 3_000),  # start-by
        st.sampled_from([0.5, 5.0, 30.0, 90.0, 180.0, 600.0]),  # work
        st.booleans(),  # spared
        st.integers(0, 9).map(lambda n: n == 0),  # pinned, now and then
    ),
    max_size=40,
)
_RULES = st.builds(
    GuardRules,
    overload_when=st.sampled_from(["backlog", "infeasible", "never"]),
    backlog_minutes=st.sampled_from([60.0, 240.0, 720.0]),
    in_overload=st.sampled_from(["stand aside", "protect the most", "protect"]),
    margin_minutes=st.sampled_from([0.0, 10.0]),
)


@settings(deadline=None, max_examples=300)
@given(_PLAN_ROWS, _RULES, st.data(), st.booleans(), st.one_of(st.none(), st.integers(0, 45)))
def test_a_run_in_rank_order_is_planned_as_row_by_row(
    drawn: list[tuple[float, float, bool, bool]],
    rules: GuardRules,
    data: st.DataObject,
    guarding: bool,
    limit: int | None,
) -> None:
    """Where nobody is kept safe and nobody is overdue (an overload the guard stands aside
    in, a pin), :func:`plan` serves the rank order without its checks: the plan must be the
    one the checks of each row make, whatever the rules, the pins and the job in hand."""
    from techqueue.core import guard

    rows = [Row(key, *values) for key, values in enumerate(drawn)]
    in_hand = data.draw(st.one_of(st.none(), st.integers(0, max(len(rows) - 1, 0))))
    if not rows:
        in_hand = None
    options: dict[str, Any] = {
        "in_hand": in_hand,
        "switch_cost": 5.0,
        "rules": rules,
        "limit": limit,
        "guarding": guarding,
    }
    fast = plan([Row(r.key, r.start_by, r.work, r.spared, r.pinned) for r in rows], **options)
    with mock.patch.object(guard, "_RANK_ORDER_RUNS", False):
        checked = plan(rows, **options)
    assert fast == checked
