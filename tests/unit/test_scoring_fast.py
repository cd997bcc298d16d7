"""The ranking without reasons (``rank(explain=False)``, made for large piles: each tier sorted
on its scores alone, entries made as the items are scored) is the ranking with them, factor
by factor (``rank(explain=True)``, the reference), to the last bit: the same order, scores,
places, tiers, waits and guard moments, on random piles with and without working hours, with
the guard on, off or chasing every deadline, with a limit, and with identical items (ties)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from scorable import NOW, item
from test_scoring import fields

from techqueue.core.guard import SHIPPED, GuardRules
from techqueue.core.timeparse import WorkingHours
from techqueue.core.worktime import work_clock
from techqueue.scoring import (
    Ranked,
    Reason,
    Weights,
    _rank_reference,
    aging_reason,
    late_minutes,
    rank,
)

STATUSES = ("open", "open", "active", "paused", "waiting", "done", "dropped")
HOURS = WorkingHours()


def reference(
    pile: list[SimpleNamespace],
    weights: Weights,
    hours: WorkingHours | None,
    guard: bool | GuardRules,
    limit: int | None,
) -> list[Ranked[SimpleNamespace]]:
    """The ranking factor by factor, every item explained: what ``rank`` is measured by."""
    clock = None if hours is None else work_clock(hours, NOW.tzinfo)
    guarding = guard is not False and weights.deadline_guard
    rules = None if isinstance(guard, bool) else guard
    return _rank_reference(pile, NOW, weights, clock, guarding, rules, limit, explain=True)


def seen(ranked: list[Ranked[Any]]) -> list[tuple[Any, ...]]:
    return [
        (entry.id, entry.rank, entry.score, entry.tier, entry.waited, entry.must_start_by)
        for entry in ranked
    ]


@st.composite
def extras(draw: st.DrawFn) -> dict[str, Any]:
    """The optional attributes the ranking reads when an item has them."""
    values: dict[str, Any] = {}
    if draw(st.booleans()):
        values["mine"] = draw(st.booleans())
    if draw(st.booleans()):
        values["waited_minutes"] = draw(st.floats(0, 5000))
        values["clock_at"] = draw(
            st.none() | st.integers(-5000, 0).map(lambda m: NOW + timedelta(minutes=m))
        )
    if draw(st.booleans()):
        values["spent_minutes"] = draw(st.floats(0, 300))
    if draw(st.integers(0, 9)) == 0:
        values["appointment_at"] = NOW + timedelta(minutes=draw(st.integers(-120, 120)))
    return values


@st.composite
def piles(draw: st.DrawFn) -> list[SimpleNamespace]:
    """Up to 40 items, some of them copies of others under another id (ties on every score)."""
    drawn = draw(st.lists(st.tuples(fields(STATUSES, deferred=True), extras()), max_size=40))
    values = [{**one, **more} for one, more in drawn]
    if values:
        values += [
            values[index] for index in draw(st.lists(st.integers(0, len(values) - 1), max_size=8))
        ]
    ids = draw(st.permutations(range(1, len(values) + 1)))
    return [item(number, **one) for number, one in zip(ids, values, strict=True)]


@st.composite
def tight_piles(draw: st.DrawFn) -> list[SimpleNamespace]:
    """Short queues near their 3x deadlines, one job in hand: where the guard moves people."""
    size = draw(st.integers(2, 12))
    pile = [
        item(
            number,
            severity=draw(st.sampled_from(["critical", "high", "normal"])),
            status="active" if number == 1 else draw(st.sampled_from(["open", "paused"])),
            estimate_minutes=draw(st.sampled_from([None, 5.0, 30.0, 90.0, 240.0])),
            received_at=NOW - timedelta(minutes=draw(st.integers(0, 700))),
            vip=draw(st.integers(0, 5)) == 0,
            spent_minutes=draw(st.sampled_from([0.0, 0.0, 20.0])),
        )
        for number in range(1, size + 1)
    ]
    return draw(st.permutations(pile))


weightings = st.sampled_from(
    [
        Weights(),
        Weights(vip_tier=False, estimate_exponent=0.7, mine=0.0),
        Weights(deadline_guard=False),
        Weights(in_overload="protect"),
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    piles(),
    weightings,
    st.sampled_from([None, HOURS]),
    st.sampled_from([True, False, GuardRules(overload_when="never"), SHIPPED]),
    st.none() | st.integers(0, 12),
)
def test_without_reasons_the_ranking_is_the_reference_ranking(
    pile: list[SimpleNamespace],
    weights: Weights,
    hours: WorkingHours | None,
    guard: bool | GuardRules,
    limit: int | None,
) -> None:
    options: dict[str, Any] = {"hours": hours, "guard": guard, "limit": limit}
    fast = rank(pile, NOW, weights, explain=False, **options)
    factor_by_factor = reference(pile, weights, hours, guard, limit)
    assert seen(fast) == seen(factor_by_factor)
    assert all(entry.reasons == () for entry in fast)
    assert [entry.item for entry in fast] == [entry.item for entry in factor_by_factor]
    # With reasons (the first places only, when limited, as next asks): the same again,
    # and the same reasons as the reference gives.
    explained = rank(pile, NOW, weights, explain=True, **options)
    assert seen(explained) == seen(factor_by_factor)
    assert [entry.reasons for entry in explained] == [entry.reasons for entry in factor_by_factor]


def test_identical_items_are_ordered_by_id_whatever_order_they_come_in() -> None:
    pile = [item(number) for number in (5, 3, 9, 1)]
    for order in (pile, pile[::-1]):
        ranked = rank(order, NOW, explain=False)
        assert [entry.id for entry in ranked] == [1, 3, 5, 9]
        assert [entry.rank for entry in ranked] == [1, 2, 3, 4]


def test_equal_scores_from_different_points_keep_the_points_order() -> None:
    # Two points so close that adding the tier's offset rounds them to one score: the one
    # with more points still ranks first, as the reference's tuple key says.
    first = item(1, received_at=NOW - timedelta(minutes=30), pinned=True)
    later = item(2, received_at=NOW - timedelta(minutes=30), pinned=True, bump=1e-14)
    fast = rank([first, later], NOW, explain=False, guard=False)
    reference = rank([first, later], NOW, explain=True, guard=False)
    assert seen(fast) == seen(reference)
    assert fast[0].score == fast[1].score
    assert [entry.id for entry in fast] == [2, 1]


@settings(max_examples=200, deadline=None)
@given(
    tight_piles(),
    st.sampled_from(
        [True, GuardRules(overload_when="never"), GuardRules(in_overload="protect the most")]
    ),
    st.none() | st.integers(0, 4),
)
def test_where_the_guard_moves_people_the_ranking_is_the_reference_ranking(
    pile: list[SimpleNamespace], guard: bool | GuardRules, limit: int | None
) -> None:
    fast = rank(pile, NOW, explain=False, guard=guard, limit=limit)
    factor_by_factor = reference(pile, Weights(), None, guard, limit)
    assert seen(fast) == seen(factor_by_factor)
    explained = rank(pile, NOW, explain=True, guard=guard, limit=limit)
    assert [(e.id, e.reasons) for e in explained] == [(e.id, e.reasons) for e in factor_by_factor]


def test_the_tight_piles_do_make_the_guard_move_people() -> None:
    """(So that the test above tests the guard's moves.)"""
    moved = 0

    @settings(max_examples=100, deadline=None, database=None)
    @given(tight_piles())
    def count(pile: list[SimpleNamespace]) -> None:
        nonlocal moved
        ranked = rank(pile, NOW, explain=False, guard=GuardRules(overload_when="never"))
        moved += any(entry.must_start_by is not None for entry in ranked)

    count()
    assert moved >= 10


def _aging_of(entry: Ranked[Any]) -> Reason:
    return next(reason for reason in entry.reasons if reason.factor == "aging")


@settings(max_examples=200, deadline=None)
@given(piles(), weightings, st.sampled_from([None, HOURS]))
def test_an_aging_reason_made_once_per_wait_is_each_item_s_own(
    pile: list[SimpleNamespace], weights: Weights, hours: WorkingHours | None
) -> None:
    """``rank`` makes the aging sentence once per severity, wait and lateness (many items
    waited alike): each entry's is what its own item, severity and wait make, to the bit."""
    for entry in rank(pile, NOW, weights, hours=hours):
        item = entry.item
        can_be_late = item.status == "open" and getattr(item, "started_at", None) is None
        own = aging_reason(weights, item.severity, entry.waited, can_be_late, hours is not None)
        assert repr(_aging_of(entry)) == repr(own)
        if can_be_late:
            late = late_minutes(item, entry.waited, weights)
            assert (late > 0) == _aging_of(entry).detail.startswith("late ")


def test_items_that_waited_alike_but_cannot_be_late_are_not_said_to_be() -> None:
    """The same arrival and severity, one open, one started before (not late), one waiting."""
    received = NOW - timedelta(hours=9)
    pile = [
        item(1, received_at=received),
        item(2, received_at=received, started_at=received),
        item(3, received_at=received, status="paused"),
        item(4, received_at=received),
    ]
    details = {entry.id: _aging_of(entry).detail for entry in rank(pile, NOW, Weights())}
    assert details[1] == details[4]
    assert details[1].startswith("late ")
    assert not details[2].startswith("late ")
    assert not details[3].startswith("late ")
