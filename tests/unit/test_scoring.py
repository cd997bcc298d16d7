"""The ranking: every required property of DESIGN.md "Scoring", most of them as properties.

Items are ``SimpleNamespace`` objects, as an outside script would pass them. The generated
piles cover a working fortnight: waits, due times and promises up to a week either side of
``now``, estimates from one second to thirty days (the grammar's cap), impact up to 1,000
people and manual bumps of up to three steps either way. ``test_tiers_*_bug`` at the end shows
what happens far outside that range.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import math
import random
import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scorable import NOW, item

from techqueue.config.loader import load
from techqueue.core.timeparse import WorkingHours, format_duration
from techqueue.core.worktime import WorkClock
from techqueue.scoring import SEVERITIES, Ranked, Reason, Weights, rank

#: Monday 2 March 2026, 09:00 UTC.
WEIGHTS = Weights()
WEEK_MINUTES = 7 * 24 * 60.0
MAX_ESTIMATE = 30 * 24 * 60.0
ACTIVE = ("open", "active", "paused")
FACTORS = {
    "waiting",
    "pinned",
    "vip",
    "quick_win",
    "severity",
    "impact",
    "estimate",
    "aging",
    "due",
    "promise",
    "bump",
    "outage",
    "guard",
    "business",
}


def ago(minutes: float) -> datetime:
    return NOW - timedelta(minutes=minutes)


def by_score(items: Any, now: datetime, weights: Weights | None = None, **options: Any) -> Any:
    """The ranking by score and tiers alone, without the deadline guard (which may move one
    item ahead of its score to start it in time: tests/unit/test_guard.py)."""
    return rank(items, now, weights, guard=False, **options)


def ids(ranked: Sequence[Ranked[Any]]) -> list[Any]:
    return [entry.id for entry in ranked]


def position(ranked: Sequence[Ranked[Any]], item_id: Any) -> int:
    return next(entry.rank for entry in ranked if entry.id == item_id)


def is_quick(entry: SimpleNamespace) -> bool:
    estimate = entry.estimate_minutes
    return estimate is not None and estimate <= WEIGHTS.quick_win_minutes


def is_outage(entry: SimpleNamespace) -> bool:
    """A critical item stopping many people: seen with the VIPs, before their other work."""
    return bool(entry.severity == "critical" and entry.impact >= WEIGHTS.outage_people)


# --- strategies ----------------------------------------------------------------------------

_minutes_in_week = st.one_of(
    st.sampled_from([0.0, 1.0, 5.0, 30.0, 60.0, 240.0, 1440.0]),
    st.integers(0, int(WEEK_MINUTES * 60)).map(lambda seconds: seconds / 60),
)
_estimates = st.one_of(
    st.none(),
    st.sampled_from([1 / 60, 0.5, 1.0, 1.5, 5.0, 20.0, 45.0, 240.0]),
    st.floats(1 / 60, MAX_ESTIMATE),
)
_offsets = st.integers(-int(WEEK_MINUTES * 60), int(WEEK_MINUTES * 60)).map(lambda s: s / 60)
_names = st.sampled_from(["Alice B", "Dana (CEO)", "Bob", "Łucja", "Tomás"])


@st.composite
def fields(
    draw: st.DrawFn,
    statuses: Sequence[str] = ACTIVE,
    *,
    deferred: bool = False,
) -> dict[str, Any]:
    """Everything but the id of one item, drawn from the working-fortnight range."""
    values: dict[str, Any] = {
        "vip": draw(st.booleans()),
        "severity": draw(st.sampled_from(SEVERITIES)),
        "impact": draw(st.one_of(st.just(1), st.integers(1, 1000))),
        "estimate_minutes": draw(_estimates),
        "received_at": ago(draw(_minutes_in_week)),
        "due_at": draw(st.none() | _offsets.map(lambda m: NOW + timedelta(minutes=m))),
        "pinned": draw(st.booleans()),
        "deferred_until": None,
        "promise_due_at": draw(st.none() | _offsets.map(lambda m: NOW + timedelta(minutes=m))),
        "status": draw(st.sampled_from(statuses)),
        "bump": draw(st.one_of(st.just(0), st.integers(-3, 3), st.sampled_from([0.5, -1.5]))),
        "cost": draw(st.sampled_from([None, None, "normal", "high", "low"])),
    }
    if deferred:
        values["deferred_until"] = draw(
            st.none() | _offsets.map(lambda m: NOW + timedelta(minutes=m))
        )
    if draw(st.booleans()):
        values["requester"] = draw(_names)
    return values


def piles(
    statuses: Sequence[str] = ACTIVE, *, deferred: bool = False, max_size: int = 15
) -> st.SearchStrategy[list[SimpleNamespace]]:
    return st.lists(fields(statuses, deferred=deferred), min_size=1, max_size=max_size).map(
        lambda drawn: [item(number, **values) for number, values in enumerate(drawn, start=1)]
    )


def ordered_pairs(ranked: Sequence[Ranked[Any]]) -> list[tuple[Any, Any]]:
    """Every (earlier, later) pair of items in the ranking."""
    return [
        (ranked[i].item, ranked[j].item)
        for i in range(len(ranked))
        for j in range(i + 1, len(ranked))
    ]


def ranks_above(
    better: SimpleNamespace, worse: SimpleNamespace, weights: Weights = WEIGHTS
) -> None:
    """``better`` ranks above ``worse`` on its score, not on a tie-break.

    ``better`` is given the larger id and a later (or equal) arrival, so that neither tie-break
    could be what puts it first.
    """
    better.id, worse.id = 2, 1
    ranked = by_score([better, worse], NOW, weights)
    assert ids(ranked) == [2, 1]
    assert ranked[0].score > ranked[1].score


# --- all else equal ------------------------------------------------------------------------


@given(fields())
def test_all_else_equal_vip_ranks_above_non_vip(base: dict[str, Any]) -> None:
    ranks_above(item(**{**base, "vip": True}), item(**{**base, "vip": False}))


@given(fields(), st.sampled_from([(a, b) for a in SEVERITIES for b in SEVERITIES if a < b]))
def test_all_else_equal_higher_severity_ranks_above_lower(
    base: dict[str, Any], pair: tuple[str, str]
) -> None:
    higher, lower = sorted(pair, key=SEVERITIES.index)
    ranks_above(item(**{**base, "severity": higher}), item(**{**base, "severity": lower}))


@given(fields(), st.integers(1, 1_000_000), st.integers(1, 1_000_000))
def test_all_else_equal_wider_impact_ranks_above_narrower(
    base: dict[str, Any], one: int, other: int
) -> None:
    assume(one != other)
    wide, narrow = max(one, other), min(one, other)
    ranks_above(item(**{**base, "impact": wide}), item(**{**base, "impact": narrow}))


@given(fields(), st.floats(1 / 60, MAX_ESTIMATE / 1.001), st.floats(1.001, 1000))
def test_all_else_equal_shorter_estimate_ranks_above_longer(
    base: dict[str, Any], short: float, ratio: float
) -> None:
    long = min(short * ratio, MAX_ESTIMATE)
    assume(long >= short * 1.001)
    ranks_above(
        item(**{**base, "estimate_minutes": short}), item(**{**base, "estimate_minutes": long})
    )


@given(fields(), _minutes_in_week, _minutes_in_week)
def test_all_else_equal_longer_wait_ranks_above_shorter(
    base: dict[str, Any], one: float, other: float
) -> None:
    assume(one != other)
    longer = item(2, **{**base, "received_at": ago(max(one, other))})
    shorter = item(1, **{**base, "received_at": ago(min(one, other))})
    ranked = by_score([shorter, longer], NOW)
    assert ids(ranked) == [2, 1]
    assert ranked[0].score >= ranked[1].score


@given(fields(), st.integers(-20, 20), st.integers(-20, 20))
def test_all_else_equal_larger_bump_ranks_above(base: dict[str, Any], one: int, other: int) -> None:
    assume(one != other)
    larger, smaller = max(one, other), min(one, other)
    ranks_above(item(**{**base, "bump": larger}), item(**{**base, "bump": smaller}))


@given(fields())
def test_all_else_equal_my_own_started_work_ranks_above(base: dict[str, Any]) -> None:
    """A team technician's own started work (``mine``) gains the ``mine`` weight's bump
    steps, and says so; an item without the attribute (every solo item) gains nothing."""
    ranks_above(item(**{**base, "mine": True}), item(**base))
    explained = rank([item(**{**base, "mine": True})], NOW, WEIGHTS)[0]
    assert "yours: you started it" in [reason.detail for reason in explained.reasons]
    off = Weights(mine=0.0)
    same = by_score([item(2, **{**base, "mine": True}), item(1, **base)], NOW, off)
    assert same[0].score == same[1].score


# --- tiers ---------------------------------------------------------------------------------


@given(piles())
def test_pinned_items_come_first(pile: list[SimpleNamespace]) -> None:
    for earlier, later in ordered_pairs(by_score(pile, NOW)):
        assert earlier.pinned or not later.pinned


@given(piles())
def test_vip_items_come_first(pile: list[SimpleNamespace]) -> None:
    """After the pinned items, every VIP item is above every item that is not VIP, but for an
    outage, which comes before a VIP's non-critical work (and after their critical work)."""
    for earlier, later in ordered_pairs(by_score(pile, NOW)):
        if not earlier.pinned and not later.pinned and later.vip and not earlier.vip:
            assert is_outage(earlier), f"{earlier} is above the VIP's {later}"
            assert later.severity != "critical", f"{earlier} is above the VIP's critical {later}"


@given(piles())
def test_a_sub_minute_item_is_never_behind_a_longer_non_vip_item(
    pile: list[SimpleNamespace],
) -> None:
    ranked = by_score(pile, NOW)
    for earlier, later in ordered_pairs(ranked):
        if is_quick(later) and not later.pinned:
            assert earlier.pinned or earlier.vip or is_quick(earlier) or is_outage(earlier), (
                f"{later} is behind the longer, non-VIP {earlier}"
            )


@given(
    st.sampled_from(SEVERITIES),
    st.sampled_from(SEVERITIES),
    st.floats(1 / 60, 1.0),
    st.floats(1.0001, MAX_ESTIMATE),
    _minutes_in_week,
    st.integers(1, 1000),
)
def test_a_quick_question_beats_a_critical_ticket(
    quick_severity: str,
    long_severity: str,
    quick: float,
    long: float,
    waited: float,
    impact: int,
) -> None:
    """The pairwise form: any severity, wait and impact for the longer item, unless it is an
    outage (below)."""
    assume(not (long_severity == "critical" and impact >= WEIGHTS.outage_people))
    question = item(2, severity=quick_severity, estimate_minutes=quick)
    ticket = item(
        1,
        severity=long_severity,
        estimate_minutes=long,
        received_at=ago(waited),
        impact=impact,
    )
    assert ids(by_score([ticket, question], NOW)) == [2, 1]


@given(piles(("open", "active", "paused", "waiting")))
def test_waiting_items_rank_below_open_active_and_paused(pile: list[SimpleNamespace]) -> None:
    ranked = rank(pile, NOW)
    statuses = [entry.item.status for entry in ranked]
    assert statuses == sorted(statuses, key=lambda status: status == "waiting")


def test_waiting_is_below_even_a_pinned_vip_open_item_would_be() -> None:
    waiting = item(2, status="waiting", vip=True, pinned=True, severity="critical")
    low = item(1, severity="low", estimate_minutes=480.0)
    assert ids(by_score([waiting, low], NOW)) == [1, 2]


@given(piles(("open", "active", "paused", "waiting", "done", "dropped"), deferred=True))
def test_only_rankable_and_due_items_are_ranked(pile: list[SimpleNamespace]) -> None:
    expected = {
        entry.id
        for entry in pile
        if entry.status in {"open", "active", "paused", "waiting"}
        and (entry.deferred_until is None or entry.deferred_until <= NOW)
    }
    ranked = rank(pile, NOW)
    assert set(ids(ranked)) == expected
    assert [entry.rank for entry in ranked] == list(range(1, len(ranked) + 1))


def test_deferred_item_is_out_until_its_time_and_back_once_due() -> None:
    deferred = item(1, deferred_until=NOW + timedelta(hours=2))
    assert rank([deferred], NOW) == []
    assert ids(rank([deferred], NOW + timedelta(hours=2))) == [1]
    assert ids(rank([deferred], NOW + timedelta(hours=3))) == [1]


@pytest.mark.parametrize("status", ["done", "dropped"])
def test_done_and_dropped_items_are_left_out(status: str) -> None:
    assert rank([item(1, status=status), item(2)], NOW)[0].id == 2
    assert len(rank([item(1, status=status)], NOW)) == 0


# --- due times and promises ----------------------------------------------------------------


@pytest.mark.parametrize("attribute", ["due_at", "promise_due_at"])
@given(base=fields(), offset=_offsets)
def test_a_due_time_or_promise_raises_its_item(
    attribute: str, base: dict[str, Any], offset: float
) -> None:
    with_deadline = item(**{**base, attribute: NOW + timedelta(minutes=offset)})
    without = item(**{**base, attribute: None})
    ranks_above(with_deadline, without)


@pytest.mark.parametrize("attribute", ["due_at", "promise_due_at"])
@given(base=fields(), one=_offsets, other=_offsets)
def test_a_closer_or_more_broken_deadline_ranks_higher(
    attribute: str, base: dict[str, Any], one: float, other: float
) -> None:
    assume(abs(one - other) >= 1)
    sooner = item(**{**base, attribute: NOW + timedelta(minutes=min(one, other))})
    later = item(**{**base, attribute: NOW + timedelta(minutes=max(one, other))})
    ranks_above(sooner, later)


def test_a_promise_about_to_break_lifts_an_ordinary_item_over_a_high_one() -> None:
    promised = item(1, promise_due_at=NOW + timedelta(minutes=5), requester="Alice")
    high = item(2, severity="high", estimate_minutes=20.0)
    assert ids(by_score([high, promised], NOW)) == [1, 2]
    assert ids(by_score([high, item(1)], NOW)) == [2, 1]


# --- aging ---------------------------------------------------------------------------------

_ADJACENT = [("low", "normal"), ("normal", "high"), ("high", "critical")]


def crossing_ratio(older: str, fresher: str, weights: Weights = WEIGHTS) -> float:
    """The wait, in the older item's targets, at which it draws level with a fresh item of the
    next severity: the root of 1 + a·r + b·(r - 1)² = value ratio (see docs/scoring.md)."""
    ratio = weights.severity_value[fresher] / weights.severity_value[older]
    a, b = weights.aging_linear, weights.aging_quadratic
    # b r² + (a - 2b) r + (b + 1 - ratio) = 0, the root above 1
    return (-(a - 2 * b) + math.sqrt((a - 2 * b) ** 2 - 4 * b * (b + 1 - ratio))) / (2 * b)


@pytest.mark.parametrize(("older", "fresher"), _ADJACENT)
@pytest.mark.parametrize("estimate", [0.5, 5.0, 20.0, 240.0])
def test_aging_at_three_targets_outranks_a_fresh_item_one_severity_higher(
    older: str, fresher: str, estimate: float
) -> None:
    target = WEIGHTS.response_target_minutes[older]
    waited = item(2, severity=older, estimate_minutes=estimate, received_at=ago(3 * target))
    fresh = item(1, severity=fresher, estimate_minutes=estimate)
    ranked = by_score([fresh, waited], NOW)
    assert ids(ranked) == [2, 1]
    assert ranked[0].score > ranked[1].score


@pytest.mark.parametrize(("older", "fresher"), _ADJACENT)
@given(
    times=st.floats(3, 200),
    estimate=st.one_of(st.none(), st.floats(1 / 60, MAX_ESTIMATE)),
    impact=st.integers(1, 1000),
    vip=st.booleans(),
    pinned=st.booleans(),
    status=st.sampled_from(("open", "active", "paused", "waiting")),
    due=st.none() | _offsets,
)
def test_aging_beyond_three_targets_outranks_a_fresh_item_one_severity_higher(
    older: str,
    fresher: str,
    times: float,
    estimate: float | None,
    impact: int,
    vip: bool,
    pinned: bool,
    status: str,
    due: float | None,
) -> None:
    if estimate is None:  # "of the same estimate": the default of either severity, for both
        estimate = WEIGHTS.default_estimate_minutes[older]
    # "of the same tier": a VIP's critical item, or one stopping many people, is seen before
    # the VIPs' other work, which aging never crosses (the deadline guard bounds that wait)
    assume(fresher != "critical" or not (vip or impact >= WEIGHTS.outage_people))
    shared: dict[str, Any] = {
        "estimate_minutes": estimate,
        "impact": impact,
        "vip": vip,
        "pinned": pinned,
        "status": status,
        "due_at": None if due is None else NOW + timedelta(minutes=due),
    }
    target = WEIGHTS.response_target_minutes[older]
    waited = item(2, severity=older, received_at=ago(times * target), **shared)
    fresh = item(1, severity=fresher, **shared)
    ranked = by_score([fresh, waited], NOW)
    assert ids(ranked) == [2, 1]
    assert ranked[0].score > ranked[1].score


# --- the bound in working time ----------------------------------------------------------------

HOURS = WorkingHours()


def working_ago(minutes: float, now: datetime) -> datetime:
    """The moment ``minutes`` of working time before ``now`` (nights and weekends skipped)."""
    clock = WorkClock(HOURS, now.tzinfo)
    anchor = now - timedelta(days=1000)
    return clock.after(anchor, clock.between(anchor, now) - minutes)


working_nows = st.builds(
    lambda day, minute: datetime(2026, 3, 2, tzinfo=UTC) + timedelta(days=day, minutes=minute),
    st.integers(0, 27),
    st.integers(0, 24 * 60 - 1),
)


@pytest.mark.parametrize(("older", "fresher"), _ADJACENT)
@given(times=st.floats(3, 60), estimate=st.floats(1 / 60, MAX_ESTIMATE), now=working_nows)
def test_in_working_time_three_targets_outrank_a_fresh_item_one_severity_higher(
    older: str, fresher: str, times: float, estimate: float, now: datetime
) -> None:
    """The bounded starvation of docs/scoring.md, counted as techqueue counts it: in working
    time, however many nights and weekends the wait spans, whatever the hour it is read."""
    target = WEIGHTS.response_target_minutes[older]
    waited = item(
        2,
        severity=older,
        estimate_minutes=estimate,
        received_at=working_ago(times * target, now),
    )
    fresh = item(1, severity=fresher, estimate_minutes=estimate, received_at=now)
    ranked = by_score([fresh, waited], now, hours=HOURS)
    assert ids(ranked) == [2, 1]
    assert ranked[0].waited == pytest.approx(times * target, abs=1e-6)


def test_a_weekend_earns_no_aging() -> None:
    """Received Friday 16:30, an item has the aging of one working hour at Monday 09:30: a
    fresh item a severity higher, of the same estimate, still comes first (on the wall clock
    it had 65 hours, past three normal targets, and would have jumped it)."""
    friday, monday = (
        datetime(2026, 3, 6, 16, 30, tzinfo=UTC),
        datetime(2026, 3, 9, 9, 30, tzinfo=UTC),
    )
    old = item(2, severity="normal", estimate_minutes=20.0, received_at=friday)
    fresh = item(1, severity="high", estimate_minutes=20.0, received_at=monday)
    assert ids(by_score([fresh, old], monday, hours=HOURS)) == [1, 2]
    assert rank([old], monday, hours=HOURS)[0].waited == 60
    assert ids(by_score([fresh, old], monday)) == [2, 1], "the wall clock: the weekend counted"


def test_an_item_waiting_on_the_customer_keeps_the_wait_it_had() -> None:
    waiting = item(1, status="waiting", received_at=ago(600), waited_minutes=30.0)
    assert rank([waiting], NOW + timedelta(days=3), hours=HOURS)[0].waited == 30


@pytest.mark.parametrize(
    ("older", "fresher", "exact"),
    [
        ("high", "critical", (1 + math.sqrt(31 / 3)) / 2),  # 2.107
        ("normal", "high", (1 + math.sqrt(13)) / 2),  # 2.303
        ("low", "normal", (1 + math.sqrt(5)) / 2),  # 1.618
    ],
)
def test_the_documented_crossing_point(older: str, fresher: str, exact: float) -> None:
    """Below the crossing point the fresh, more severe item stays ahead; past it, the older."""
    assert crossing_ratio(older, fresher) == pytest.approx(exact)
    assert exact < 3
    target = WEIGHTS.response_target_minutes[older]
    fresh = item(1, severity=fresher, estimate_minutes=20.0)
    before = item(2, severity=older, estimate_minutes=20.0, received_at=ago(0.99 * exact * target))
    after = item(2, severity=older, estimate_minutes=20.0, received_at=ago(1.01 * exact * target))
    assert ids(by_score([fresh, before], NOW)) == [1, 2]
    assert ids(by_score([fresh, after], NOW)) == [2, 1]


def test_aging_makes_a_low_item_overtake_a_fresh_critical_one_eventually() -> None:
    """Nothing waits forever: a low item passes even a fresh critical one, in a finite time."""
    fresh = item(1, severity="critical", estimate_minutes=20.0)
    for days in (2, 4, 8, 16):
        old = item(2, severity="low", estimate_minutes=20.0, received_at=ago(days * 1440))
        order = ids(by_score([fresh, old], NOW))
        if order == [2, 1]:
            break
    else:
        pytest.fail("a low item never overtook a fresh critical one within 16 days")


# --- determinism ---------------------------------------------------------------------------


@given(piles(("open", "active", "paused", "waiting"), deferred=True), st.randoms())
def test_order_does_not_depend_on_the_input_order(
    pile: list[SimpleNamespace], rng: random.Random
) -> None:
    shuffled = list(pile)
    rng.shuffle(shuffled)
    first, second = rank(pile, NOW), rank(shuffled, NOW)
    assert ids(first) == ids(second)
    assert [entry.score for entry in first] == [entry.score for entry in second]
    assert [entry.reasons for entry in first] == [entry.reasons for entry in second]


@given(piles(("open", "active", "paused", "waiting")))
def test_explain_does_not_change_the_order_or_the_scores(pile: list[SimpleNamespace]) -> None:
    explained, quick = rank(pile, NOW, explain=True), rank(pile, NOW, explain=False)
    assert ids(explained) == ids(quick)
    assert [entry.score for entry in explained] == [entry.score for entry in quick]
    assert all(entry.reasons == () for entry in quick)
    assert all(entry.reasons for entry in explained)


@given(piles(("open", "active", "paused", "waiting")))
def test_re_ranking_the_ranked_items_is_stable(pile: list[SimpleNamespace]) -> None:
    once = rank(pile, NOW)
    twice = rank([entry.item for entry in once], NOW)
    assert ids(twice) == ids(once)
    assert [(entry.rank, entry.score) for entry in twice] == [
        (entry.rank, entry.score) for entry in once
    ]


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 10.0, 60.0]), st.sampled_from(["normal", "high"])),
        min_size=2,
        max_size=12,
    ),
    st.randoms(),
)
def test_ties_are_broken_by_received_time_then_id(
    shapes: list[tuple[float, str]], rng: random.Random
) -> None:
    numbers = list(range(1, len(shapes) + 1))
    rng.shuffle(numbers)
    pile = [
        item(number, received_at=ago(waited), severity=severity)
        for number, (waited, severity) in zip(numbers, shapes, strict=True)
    ]
    ranked = rank(pile, NOW)
    for earlier, later in itertools.pairwise(ranked):
        if earlier.score == later.score:
            key = (earlier.item.received_at, earlier.id)
            assert key < (later.item.received_at, later.id)


def test_identical_items_rank_by_id() -> None:
    assert ids(rank([item(3), item(1), item(2)], NOW)) == [1, 2, 3]


@given(fields())
def test_all_else_equal_a_higher_business_impact_ranks_above(base: dict[str, Any]) -> None:
    ranks_above(item(**{**base, "cost": "high"}), item(**{**base, "cost": "normal"}))
    ranks_above(item(**{**base, "cost": None}), item(**{**base, "cost": "low"}))


def test_business_impact_is_a_reason_naming_where_it_comes_from() -> None:
    weights = Weights(business_organisations=(("corp.example", "high"),))
    by_org = item(1, cost="high", requester="Bob", requester_email="bob@corp.example")
    own = item(2, cost="low", tags=("cost:low",))
    details = {
        entry.id: {reason.factor: reason for reason in entry.reasons}
        for entry in rank([by_org, own], NOW, weights)
    }
    assert details[1]["business"].detail == "business impact high (organisation corp.example)"
    assert details[1]["business"].points == pytest.approx(10 * math.log(2.0))
    assert details[2]["business"].detail == "business impact low (cost:low)"
    assert details[2]["business"].points == pytest.approx(10 * math.log(0.5))
    assert "business" not in {r.factor for r in rank([item(3)], NOW)[0].reasons}


# --- reasons -------------------------------------------------------------------------------


@given(piles(("open", "active", "paused", "waiting")))
def test_reasons_add_up_to_the_score(pile: list[SimpleNamespace]) -> None:
    for entry in rank(pile, NOW):
        total = math.fsum(reason.points for reason in entry.reasons)
        assert math.isclose(total, entry.score, rel_tol=1e-9, abs_tol=1e-9), entry.reasons


@given(piles(("open", "active", "paused", "waiting")))
def test_reasons_are_human_sentences(pile: list[SimpleNamespace]) -> None:
    for entry in rank(pile, NOW):
        factors = [reason.factor for reason in entry.reasons]
        assert len(factors) == len(set(factors))
        assert set(factors) <= FACTORS
        assert {"severity", "estimate", "aging"} <= set(factors)
        for reason in entry.reasons:
            assert isinstance(reason, Reason)
            assert reason.detail
            assert reason.detail == " ".join(reason.detail.split())
            assert not any(word in reason.detail for word in ("None", "nan", "inf", "{", "_"))
        details = {reason.factor: reason.detail for reason in entry.reasons}
        name = getattr(entry.item, "requester", None)
        if entry.item.vip:
            assert details["vip"].startswith("VIP")
            if name:
                assert name in details["vip"]
        if entry.item.promise_due_at is not None:
            assert "promise" in details["promise"]
            if name:
                assert f"promise to {name}" in details["promise"]
        if entry.item.due_at is not None:
            assert details["due"].startswith(("due in", "overdue by"))
        target = WEIGHTS.response_target_minutes[entry.item.severity]
        assert format_duration(target) in details["aging"]
        assert details["severity"] == f"{entry.item.severity} severity"


def test_reason_sentences_read_as_in_the_design() -> None:
    vip = item(1, vip=True, requester="Dana (CEO)")
    quick = item(2, estimate_minutes=1.0)
    old = item(3, severity="low", received_at=ago(2 * 2880), estimate_minutes=None)
    promised = item(4, requester="Alice", promise_due_at=NOW + timedelta(minutes=10))
    broken = item(5, requester="Alice", promise_due_at=NOW - timedelta(minutes=30))
    bumped = item(6, bump=2, due_at=NOW - timedelta(hours=2), impact=12)
    ranked = {entry.id: entry for entry in rank([vip, quick, old, promised, broken, bumped], NOW)}

    def detail(item_id: int, factor: str) -> str:
        return next(r.detail for r in ranked[item_id].reasons if r.factor == factor)

    assert detail(1, "vip").startswith("VIP: Dana (CEO)")
    assert detail(2, "quick_win") == "quick win: ~1 min"
    assert detail(3, "aging") == "late 2 d: waiting 4 d, past its 2 d target"
    assert detail(3, "estimate") == "about 15 min of work (default for its severity)"
    assert detail(4, "promise") == "promise to Alice due in 10 min"
    assert detail(5, "promise") == "promise to Alice broken 30 min ago"
    assert detail(6, "bump") == "bumped +2 by hand"
    assert detail(6, "due") == "overdue by 2 h"
    assert detail(6, "impact") == "affects 12 people"
    assert detail(2, "aging") == "just arrived; its target is 4 h"


def test_requester_may_be_an_object_with_a_name() -> None:
    vip = item(1, vip=True, requester=SimpleNamespace(name="Dana (CEO)"))
    (entry,) = rank([vip], NOW)
    assert any("Dana (CEO)" in reason.detail for reason in entry.reasons)


# --- the scene of seed 002 -----------------------------------------------------------------


def test_seed_002_scene() -> None:
    """ "You have a customer at your desk, the phone rings, a critical ticket comes in and you
    have an email demanding your immediate attention." VIP first; questions answerable in under
    a minute right away; then the computer that does not boot; then severity and speed. The
    loud visitor at the desk with an ordinary request does not jump the queue."""
    scene = [
        # (id, channel, fields): all of it arrived within the last six minutes
        ("loud-visitor", "desk", {"estimate_minutes": 20.0, "received_at": ago(1)}),
        ("email", "email", {"estimate_minutes": 30.0, "received_at": ago(4)}),
        ("low-ticket", "ticket", {"severity": "low", "estimate_minutes": 60.0}),
        ("no-boot", "ticket", {"severity": "critical", "estimate_minutes": 45.0}),
        ("phone-question", "phone", {"estimate_minutes": 1.0, "received_at": ago(2)}),
        ("desk-question", "desk", {"severity": "low", "estimate_minutes": 0.5}),
        ("ceo", "desk", {"vip": True, "estimate_minutes": 15.0, "requester": "Dana (CEO)"}),
    ]
    arrived = {"low-ticket": ago(6), "no-boot": ago(3), "desk-question": ago(1), "ceo": NOW}
    pile = [
        item(name, channel=channel, **{"received_at": arrived.get(name, NOW), **values})
        for name, channel, values in scene
    ]
    order = ids(rank(pile, NOW))
    assert order[0] == "ceo"
    assert set(order[1:3]) == {"desk-question", "phone-question"}
    assert order[3] == "no-boot"
    assert order[4:] == ["loud-visitor", "email", "low-ticket"]
    assert order.index("loud-visitor") > order.index("no-boot")


# --- weights from the config file ----------------------------------------------------------


def _config(path: Path, text: str) -> Weights:
    path.write_text(text, encoding="utf-8")
    return load(path).weights


def test_weights_come_from_the_config_file_and_change_the_ranking(tmp_path: Path) -> None:
    vip_low = item(1, vip=True, severity="low", estimate_minutes=60.0)
    critical = item(2, severity="critical", estimate_minutes=30.0)
    assert ids(by_score([vip_low, critical], NOW)) == [1, 2]
    weights = _config(tmp_path / "config.toml", "[scoring]\nvip_tier = false\nvip_weight = 1.5\n")
    assert weights.vip_tier is False
    assert ids(by_score([vip_low, critical], NOW, weights)) == [2, 1]


def test_severity_values_and_targets_from_the_config_file(tmp_path: Path) -> None:
    high = item(1, severity="high", estimate_minutes=30.0)
    normal = item(2, severity="normal", estimate_minutes=30.0, received_at=ago(120))
    assert ids(by_score([high, normal], NOW)) == [1, 2]
    weights = _config(
        tmp_path / "config.toml",
        '[scoring.severity]\nhigh = 2.5\n\n[targets]\nnormal = "30m"\n',
    )
    assert weights.response_target_minutes.normal == 30.0
    assert ids(by_score([high, normal], NOW, weights)) == [2, 1]


def test_quick_win_threshold_from_the_config_file(tmp_path: Path) -> None:
    five_minutes = item(1, severity="low", estimate_minutes=5.0)
    critical = item(2, severity="critical", estimate_minutes=10.0)
    assert ids(by_score([five_minutes, critical], NOW)) == [2, 1]
    weights = _config(tmp_path / "config.toml", '[scoring]\nquick_win = "5m"\n')
    assert ids(by_score([five_minutes, critical], NOW, weights)) == [1, 2]


# --- tiers hold at the extremes -------------------------------------------------------------


def test_all_else_equal_vip_ranks_above_non_vip_while_waiting() -> None:
    ranks_above(item(vip=True, status="waiting"), item(vip=False, status="waiting"))


def _extreme(id: int, **overrides: Any) -> SimpleNamespace:
    """A critical item for a million people, waiting, overdue and promised a year ago."""
    year_ago = ago(365 * 1440)
    values: dict[str, Any] = {
        "severity": "critical",
        "impact": 1_000_000,
        "received_at": year_ago,
        "due_at": year_ago,
        "promise_due_at": year_ago,
    }
    return item(id, **{**values, **overrides})


def test_tiers_pinned_first_even_at_extremes() -> None:
    pinned = item(1, pinned=True, severity="low", estimate_minutes=MAX_ESTIMATE)
    extreme = _extreme(2, vip=True, estimate_minutes=1 / 60)
    assert ids(by_score([extreme, pinned], NOW)) == [1, 2]


def test_tiers_quick_question_first_even_at_extremes() -> None:
    question = item(1, severity="low", estimate_minutes=1.0)
    decade = 10 * 365 * 1440
    extreme = _extreme(
        2,
        severity="high",
        estimate_minutes=1.5,
        received_at=ago(decade),
        due_at=ago(decade),
        promise_due_at=ago(decade),
    )
    assert ids(by_score([extreme, question], NOW)) == [1, 2]


# --- docs/scoring.md -----------------------------------------------------------------------

_DOCS = Path(__file__).resolve().parents[2] / "docs" / "scoring.md"


def _blocks(language: str) -> list[str]:
    text = _DOCS.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def test_the_docs_example_prints_what_the_docs_show() -> None:
    example = next(block for block in _blocks("python") if "import rank" in block)
    (shown,) = _blocks("text")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(example, str(_DOCS), "exec"), {"__name__": "docs_example"})
    assert printed.getvalue() == shown


def test_the_docs_config_snippets_are_valid_and_take_effect(tmp_path: Path) -> None:
    business, tuning = _blocks("toml")  # in the order of the document
    weights = _config(tmp_path / "config.toml", tuning)
    assert weights.quick_win_minutes == 2.0
    assert weights.vip_tier is False
    assert weights.response_target_minutes.low == 24 * 60.0
    weights = _config(tmp_path / "business.toml", business)
    assert ("corp.example", "high") in weights.business_organisations
    assert weights.business_requesters == (("Dana Reyes", "high"),)


@given(piles(), st.integers(0, 12), st.booleans())
def test_a_limit_gives_the_first_places_of_the_full_ranking(
    pile: list[SimpleNamespace], limit: int, explain: bool
) -> None:
    full = rank(pile, NOW, explain=explain)
    top = rank(pile, NOW, explain=explain, limit=limit)
    assert [(r.id, r.rank, r.score, r.reasons) for r in top] == [
        (r.id, r.rank, r.score, r.reasons) for r in full[:limit]
    ]


# --- the VIP tier yields to an outage (issue 19) ---------------------------------------------


def test_an_outage_stopping_a_hundred_people_comes_before_a_vips_ordinary_job() -> None:
    """Tried as a new user would: '!critical x:100 ~20m' ranked behind a VIP's 30-minute job."""
    outage = item(1, severity="critical", impact=100, estimate_minutes=20.0)
    vip_job = item(2, vip=True, estimate_minutes=30.0, received_at=ago(30))
    ranked = rank([vip_job, outage], NOW)
    assert ids(ranked) == [1, 2]
    assert ranked[0].tier == "outage"
    assert ranked[0].reasons[0] == Reason(
        "outage", 2000.0, "outage: stops 100 people, seen before the VIPs' other work"
    )


@pytest.mark.parametrize("severity", ["high", "normal", "low"])
@pytest.mark.parametrize("estimate", [0.5, 5.0, 240.0])
def test_an_outage_comes_before_any_non_critical_vip_work(severity: str, estimate: float) -> None:
    outage = item(1, severity="critical", impact=WEIGHTS.outage_people, estimate_minutes=480.0)
    vip_job = item(2, vip=True, severity=severity, estimate_minutes=estimate, received_at=ago(600))
    assert ids(by_score([vip_job, outage], NOW)) == [1, 2]


def test_a_vips_critical_work_still_comes_before_an_outage() -> None:
    """VIP first stays the rule between comparable items (seed 002): two critical items."""
    outage = item(1, severity="critical", impact=1000, estimate_minutes=5.0)
    vip_critical = item(2, vip=True, severity="critical", estimate_minutes=45.0)
    ranked = by_score([outage, vip_critical], NOW)
    assert ids(ranked) == [2, 1]
    assert ranked[0].reasons[0] == Reason("vip", 3000.0, "VIP, critical: seen first of all")


def test_a_critical_item_for_fewer_people_stays_behind_the_vip() -> None:
    """ "Is a computer not booting? That person takes priority after the CEO." [002]"""
    few = item(1, severity="critical", impact=WEIGHTS.outage_people - 1, estimate_minutes=20.0)
    vip_job = item(2, vip=True, estimate_minutes=30.0)
    assert ids(by_score([few, vip_job], NOW)) == [2, 1]


def test_an_outage_comes_before_a_quick_question_but_a_vips_question_before_it_not() -> None:
    outage = item(1, severity="critical", impact=50, estimate_minutes=30.0)
    question = item(2, estimate_minutes=0.5)
    vip_question = item(3, vip=True, estimate_minutes=0.5)
    assert ids(by_score([question, vip_question, outage], NOW)) == [1, 3, 2]


def test_the_outage_threshold_comes_from_the_config_file(tmp_path: Path) -> None:
    outage = item(1, severity="critical", impact=5, estimate_minutes=20.0)
    vip_job = item(2, vip=True, estimate_minutes=30.0)
    assert ids(by_score([outage, vip_job], NOW)) == [2, 1]
    weights = _config(tmp_path / "config.toml", "[scoring]\noutage_people = 5\n")
    assert weights.outage_people == 5
    assert ids(by_score([outage, vip_job], NOW, weights)) == [1, 2]
    no_tier = _config(tmp_path / "config.toml", "[scoring]\nvip_tier = false\n")
    assert by_score([outage], NOW, no_tier)[0].tier == "queue", "no VIP tier, nothing to yield"
