"""The kept ranking (core/reranker.py) is the full ranking: on random queues, after random
changes, additions and removals, at a moment with or without working hours, it returns what
``rank(..., explain=False)`` returns for the same items."""

from __future__ import annotations

import marshal
from collections.abc import Callable, Sequence
from datetime import timedelta
from random import Random
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scorable import NOW, item
from test_scoring import fields
from test_scoring_fast import extras, piles, tight_piles

from techqueue.core.guard import GuardRules
from techqueue.core.reranker import RankedRows, Reranker, kept_of
from techqueue.core.timeparse import WorkingHours
from techqueue.scoring import Ranked, Weights, rank

STATUSES = ("open", "open", "active", "paused", "waiting", "done", "dropped")
HOURS = WorkingHours()


def _change(
    kept: Reranker[SimpleNamespace],
    pile: dict[int, SimpleNamespace],
    number: int,
    values: dict[str, Any] | None,
) -> list[Ranked[SimpleNamespace]]:
    """Item ``number`` changed to ``values`` (``None``: removed), in the pile and in the kept
    ranking; what the kept ranking returns."""
    if values is None:
        pile.pop(number, None)
        return kept.removed(number)
    pile[number] = item(number, **values)
    return kept.changed(pile[number])


def seen(ranked: Sequence[Ranked[Any]]) -> list[tuple[Any, ...]]:
    return [
        (entry.id, entry.rank, entry.score, entry.tier, entry.waited, entry.must_start_by)
        for entry in ranked
    ]


#: A change: (which item, by index into the pile; its new fields, or None to remove it).
changes = st.lists(
    st.tuples(st.integers(0, 40), st.none() | fields(STATUSES, deferred=True)), max_size=8
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(fields(STATUSES, deferred=True), max_size=30),
    changes,
    st.sampled_from([None, HOURS]),
    st.sampled_from([True, False]),
)
def test_the_kept_ranking_is_the_full_ranking(
    drawn: list[dict[str, Any]],
    steps: list[tuple[int, dict[str, Any] | None]],
    hours: WorkingHours | None,
    guard: bool,
) -> None:
    pile = {number: item(number, **values) for number, values in enumerate(drawn, start=1)}
    weights = Weights()
    kept: Reranker[SimpleNamespace] = Reranker(weights, hours=hours, guard=guard)

    def full() -> list[tuple[Any, ...]]:
        return seen(
            rank(list(pile.values()), NOW, weights, explain=False, hours=hours, guard=guard)
        )

    assert seen(kept.rank(list(pile.values()), NOW)) == full()
    for index, values in steps:
        assert seen(_change(kept, pile, index + 1, values)) == full()


def test_a_bump_moves_one_entry_and_renumbers_those_it_passed() -> None:
    pile = [item(n, received_at=NOW - timedelta(minutes=n)) for n in range(1, 8)]
    kept: Reranker[SimpleNamespace] = Reranker()
    first = kept.rank(pile, NOW)
    assert [entry.id for entry in first] == [7, 6, 5, 4, 3, 2, 1]
    pile[0].bump = 3
    after = kept.changed(pile[0])
    assert [entry.id for entry in after] == [1, 7, 6, 5, 4, 3, 2]
    assert [entry.rank for entry in after] == list(range(1, 8))
    assert after[1] is first[0]  # the entries it passed are the same ones, renumbered


def test_changing_before_ranking_is_refused() -> None:
    with pytest.raises(RuntimeError):
        Reranker[Any]().changed(item(1))


#: A step in time: minutes later (or, now and then, earlier) than the last ranking, and the
#: changes made at that moment.
moments = st.lists(
    st.tuples(
        st.one_of(
            st.sampled_from([0.0, 1 / 60, 1.0, 5.0, 60.0]),
            st.floats(0, 3 * 24 * 60),
            st.floats(-600, 0),
        ),
        changes,
    ),
    max_size=5,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(fields(STATUSES, deferred=True), extras()).map(lambda two: {**two[0], **two[1]}),
        max_size=30,
    ),
    moments,
    st.sampled_from([None, HOURS]),
    st.sampled_from([True, False]),
)
def test_the_kept_ranking_at_a_later_moment_is_the_full_ranking(
    drawn: list[dict[str, Any]],
    steps: list[tuple[float, list[tuple[int, dict[str, Any] | None]]]],
    hours: WorkingHours | None,
    guard: bool,
) -> None:
    pile = {number: item(number, **values) for number, values in enumerate(drawn, start=1)}
    weights = Weights()
    kept: Reranker[SimpleNamespace] = Reranker(weights, hours=hours, guard=guard)
    now = NOW
    kept.rank(list(pile.values()), now)
    for minutes, changed in steps:
        now += timedelta(minutes=minutes)
        result = kept.at(now)
        assert kept.now == now
        assert seen(result) == seen(
            rank(list(pile.values()), now, weights, explain=False, hours=hours, guard=guard)
        )
        for index, values in changed:
            number = index + 1
            if values is None:
                pile.pop(number, None)
                result = kept.removed(number)
            else:
                pile[number] = item(number, **values)
                result = kept.changed(pile[number])
            assert seen(result) == seen(
                rank(list(pile.values()), now, weights, explain=False, hours=hours, guard=guard)
            )


def test_a_deferred_item_comes_back_when_its_moment_has_passed() -> None:
    back = item(2, deferred_until=NOW + timedelta(minutes=30))
    kept: Reranker[SimpleNamespace] = Reranker()
    assert [entry.id for entry in kept.rank([item(1), back], NOW)] == [1]
    assert [entry.id for entry in kept.at(NOW + timedelta(minutes=10))] == [1]
    later = kept.at(NOW + timedelta(minutes=31))
    assert sorted(entry.id for entry in later) == [1, 2]
    # and goes again at an earlier moment
    assert [entry.id for entry in kept.at(NOW)] == [1]


def test_an_item_changed_in_place_is_found_where_it_was() -> None:
    pile = [item(n, received_at=NOW - timedelta(minutes=n)) for n in range(1, 6)]
    kept: Reranker[SimpleNamespace] = Reranker()
    kept.rank(pile, NOW)
    pile[4].bump = -3  # the first, changed in place: the kept ranking still finds it
    after = kept.changed(pile[4])
    assert [entry.id for entry in after] == [4, 3, 2, 1, 5]
    assert seen(after) == seen(rank(pile, NOW, explain=False))


def test_ranking_at_another_moment_before_ranking_is_refused() -> None:
    with pytest.raises(RuntimeError):
        Reranker[Any]().at(NOW)


def test_an_unknown_severity_is_refused_as_rank_refuses_it() -> None:
    away = item(2, severity="urgent", deferred_until=NOW + timedelta(hours=1))
    kept: Reranker[SimpleNamespace] = Reranker()
    assert seen(kept.rank([item(1), away], NOW)) == seen(rank([item(1), away], NOW, explain=False))
    with pytest.raises(ValueError, match="unknown severity"):
        kept.changed(item(3, severity="urgent"))
    with pytest.raises(ValueError, match="unknown severity"):
        rank([item(3, severity="urgent")], NOW, explain=False)


#: The weights and guards the columns of ``Reranker.at`` must follow: multipliers (no VIP
#: tier: a VIP multiplies), a power of the estimate, no "mine", the guard protecting.
weightings = st.sampled_from(
    [
        Weights(),
        Weights(vip_tier=False, estimate_exponent=0.7, mine=0.0),
        Weights(deadline_guard=False),
        Weights(in_overload="protect"),
    ]
)
guards = st.sampled_from(
    [True, False, GuardRules(overload_when="never"), GuardRules(in_overload="protect the most")]
)


@settings(max_examples=200, deadline=None)
@given(
    piles(),
    st.lists(st.tuples(st.floats(0, 3 * 24 * 60), st.booleans(), changes), max_size=5),
    weightings,
    st.sampled_from([None, HOURS]),
    guards,
    st.randoms(use_true_random=False),
)
def test_rows_at_later_moments_are_the_full_ranking_and_never_change_afterwards(
    drawn: list[SimpleNamespace],
    steps: list[tuple[float, bool, list[tuple[int, dict[str, Any] | None]]]],
    weights: Weights,
    hours: WorkingHours | None,
    guard: bool | GuardRules,
    rng: Random,
) -> None:
    """``at`` (again and again with nothing changed, or after changes), whatever weights,
    working hours and guard: the rows are ``rank``'s, whichever rows are looked at first;
    the rows handed out earlier stay as they were, entry for entry. (The piles have copies
    of items under other ids: ties, which an item back from a deferral must be put among.)"""
    pile = {one.id: one for one in drawn}
    kept: Reranker[SimpleNamespace] = Reranker(weights, hours=hours, guard=guard)
    now = NOW
    kept.rank(list(pile.values()), now)
    handed: list[tuple[Sequence[Ranked[SimpleNamespace]], list[Any], list[tuple[Any, ...]]]] = []
    for minutes, twice, changed in steps:
        now += timedelta(minutes=minutes)
        for _ in range(2 if twice else 1):
            rows = kept.at(now)
            # a few rows looked at first, in any order, as a screen looks at them
            looked = [rows[rng.randrange(-len(rows), len(rows))] for _ in range(3)] if rows else []
            full = rank(list(pile.values()), now, weights, explain=False, hours=hours, guard=guard)
            assert seen(rows) == seen(full)
            assert [entry.item for entry in rows] == [entry.item for entry in full]
            assert all(any(entry is row for row in rows) for entry in looked)
            assert sorted(one.id for one in kept.active()) == sorted(
                one.id for one in pile.values() if one.status == "active"
            )
            assert {
                one.id
                for one in pile.values()
                if getattr(one, "appointment_at", None) is not None
                and one.status not in ("done", "dropped")
            } <= {one.id for one in kept.may_be_booked()}
            handed.append((rows, list(rows), seen(rows)))
        for index, values in changed:
            after = _change(kept, pile, index + 1, values)
            full = rank(list(pile.values()), now, weights, explain=False, hours=hours, guard=guard)
            assert seen(after) == seen(full)
    for rows, entries, as_seen in handed:
        assert seen(rows) == as_seen
        assert all(row is entry for row, entry in zip(rows, entries, strict=True))


@settings(max_examples=150, deadline=None)
@given(
    tight_piles(),
    st.sampled_from(
        [True, GuardRules(overload_when="never"), GuardRules(in_overload="protect the most")]
    ),
    st.lists(st.integers(0, 90), min_size=1, max_size=4),
)
def test_where_the_guard_moves_people_the_rows_at_a_later_moment_are_the_full_ranking(
    pile: list[SimpleNamespace], guard: bool | GuardRules, steps: list[int]
) -> None:
    kept: Reranker[SimpleNamespace] = Reranker(guard=guard)
    kept.rank(pile, NOW)
    now = NOW
    for minutes in steps:
        now += timedelta(minutes=minutes)
        assert seen(kept.at(now)) == seen(rank(pile, now, explain=False, guard=guard))


def test_the_rows_are_a_sequence_that_makes_each_entry_once() -> None:
    pile = [item(n, received_at=NOW - timedelta(minutes=n)) for n in range(1, 6)]
    kept: Reranker[SimpleNamespace] = Reranker()
    kept.rank(pile, NOW)
    rows = kept.at(NOW + timedelta(minutes=5))
    assert isinstance(rows, RankedRows)
    assert len(rows) == 5
    assert rows[-1] is rows[4]
    assert rows[0] is next(iter(rows))
    assert [entry.id for entry in rows[1:3]] == [4, 3]
    assert [entry.rank for entry in rows[::-1]] == [5, 4, 3, 2, 1]
    with pytest.raises(IndexError):
        rows[5]
    with pytest.raises(IndexError):
        rows[-6]


def test_an_item_is_found_among_the_rows_without_making_them() -> None:
    pile = [item(n, received_at=NOW - timedelta(minutes=n)) for n in range(1, 6)]
    kept: Reranker[SimpleNamespace] = Reranker()
    kept.rank(pile, NOW)
    rows = kept.at(NOW + timedelta(minutes=5))
    assert isinstance(rows, RankedRows)
    made: list[int] = []
    real = RankedRows._make

    def make(self: RankedRows[Any], place: int) -> Ranked[Any]:
        made.append(place)
        return real(self, place)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RankedRows, "_make", make)
        assert [rows.index_of(number) for number in (5, 1, 3, 6)] == [0, 4, 2, None]
        assert made == []
        assert rows[2].id == 3
        assert made == [2]


def test_identical_items_at_a_later_moment_are_ordered_by_id() -> None:
    pile = [item(number) for number in (5, 3, 9, 1)]
    kept: Reranker[SimpleNamespace] = Reranker()
    kept.rank(pile[::-1], NOW)
    assert [entry.id for entry in kept.at(NOW + timedelta(minutes=3))] == [1, 3, 5, 9]


def test_a_change_after_the_rows_leaves_the_rows_as_they_were() -> None:
    pile = [item(n, received_at=NOW - timedelta(minutes=n)) for n in range(1, 6)]
    kept: Reranker[SimpleNamespace] = Reranker()
    kept.rank(pile, NOW)
    rows = kept.at(NOW + timedelta(minutes=1))
    first = rows[0]
    pile[0].bump = 3
    after = kept.changed(pile[0])
    assert [entry.id for entry in after] == [1, 5, 4, 3, 2]
    assert (first.id, first.rank) == (5, 1)
    assert all(entry is not row for entry in after for row in rows)


def test_an_item_back_from_a_deferral_is_put_among_its_ties_by_id() -> None:
    """(It comes back last in its tier: where it ties, the id decides, not where it came.)"""
    pile = [item(1, deferred_until=NOW + timedelta(minutes=5)), item(2), item(3)]
    kept: Reranker[SimpleNamespace] = Reranker()
    assert [entry.id for entry in kept.rank(pile, NOW)] == [2, 3]
    assert [entry.id for entry in kept.at(NOW + timedelta(minutes=10))] == [1, 2, 3]


def test_many_changes_between_moments_keep_the_rows_the_full_ranking() -> None:
    """(Enough changes that the columns are laid out again, and, before that, fewer, that
    they are kept in step change by change.)"""
    rng = Random(22)
    pile = {
        number: item(number, received_at=NOW - timedelta(minutes=rng.randint(0, 600)))
        for number in range(1, 9)
    }
    kept: Reranker[SimpleNamespace] = Reranker()
    kept.rank(list(pile.values()), NOW)
    now = NOW
    for step in range(30):
        now += timedelta(minutes=rng.choice([1, 7, 45]))
        assert seen(kept.at(now)) == seen(rank(list(pile.values()), now, explain=False))
        for _ in range(step % 4):
            number = rng.randint(1, 10)
            if rng.random() < 0.2:
                pile.pop(number, None)
                kept.removed(number)
            else:
                pile[number] = item(
                    number,
                    bump=rng.choice([0, 1, -2]),
                    severity=rng.choice(["high", "normal"]),
                    received_at=NOW - timedelta(minutes=rng.randint(0, 600)),
                    due_at=rng.choice([None, now + timedelta(minutes=30)]),
                )
                kept.changed(pile[number])


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            fields(STATUSES, deferred=True),
            st.sampled_from([0.0, 1.0, 30.0]) | st.floats(-600, 600),
        ),
        max_size=30,
    ),
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 30.0]) | st.floats(0, 900), min_size=1, max_size=5),
    weightings,
)
def test_rows_at_moments_around_the_items_arrivals_are_the_full_ranking(
    drawn: list[tuple[dict[str, Any], float]],
    steps: list[float],
    weights: Weights,
) -> None:
    """Items that arrive after the moment (their wait not above 0) and those that have
    arrived, in one pile, on the wall clock: a group of the columns whose items have all
    arrived is scored without comparing each wait with 0, the others with it, and both
    are ``rank``'s, at the moment of an arrival too."""
    pile = [
        item(number, **{**values, "received_at": NOW + timedelta(minutes=minutes)})
        for number, (values, minutes) in enumerate(drawn, start=1)
    ]
    kept: Reranker[SimpleNamespace] = Reranker(weights)
    kept.rank(pile, NOW)
    now = NOW
    for minutes in steps:
        now += timedelta(minutes=minutes)
        assert seen(kept.at(now)) == seen(rank(pile, now, weights, explain=False))


def _id(one: SimpleNamespace) -> int:
    return int(one.id)


def _written(laid: tuple[Any, ...]) -> Any:
    """What another process reads of what was kept: as :mod:`marshal` writes it."""
    return marshal.loads(marshal.dumps(laid))


@settings(max_examples=200, deadline=None)
@given(
    piles(),
    st.lists(st.tuples(st.floats(0, 3 * 24 * 60), changes, st.booleans()), min_size=1, max_size=4),
    weightings,
    st.sampled_from([None, HOURS]),
    guards,
)
def test_a_pile_kept_and_taken_up_later_with_its_changes_is_the_full_ranking(
    drawn: list[SimpleNamespace],
    steps: list[tuple[float, list[tuple[int, dict[str, Any] | None]], bool]],
    weights: Weights,
    hours: WorkingHours | None,
    guard: bool | GuardRules,
) -> None:
    """What a whole read keeps (``kept_of``, through :mod:`marshal`), taken up by later
    commands with the items changed since (and kept again by some of them, as ``next``
    does after many changes): the rows are ``rank``'s at that moment, item for item, and
    the items held are every item that ranks or is deferred."""
    pile = {one.id: one for one in drawn}
    as_kept = dict(pile)  # each item as what was kept holds it (its plain form: its id)
    now = NOW
    laid = _written(kept_of(list(pile.values()), now, weights, hours=hours, plain=_id))
    changed: set[int] = set()
    for minutes, changes_now, keep_again in steps:
        now += timedelta(minutes=minutes)
        for index, values in changes_now:
            if values is None:
                pile.pop(index + 1, None)
            else:
                pile[index + 1] = item(index + 1, **values)
            changed.add(index + 1)
        kept, rows = Reranker.taken_up(
            laid,
            as_kept.__getitem__,
            now,
            weights,
            hours=hours,
            guard=guard,
            changed=[pile[number] for number in sorted(changed) if number in pile],
            gone=[number for number in sorted(changed) if number not in pile],
        )
        full = rank(list(pile.values()), now, weights, explain=False, hours=hours, guard=guard)
        assert seen(rows) == seen(full)
        assert [entry.item for entry in rows] == [entry.item for entry in full]
        held = [one for one in pile.values() if one.status not in ("done", "dropped")]
        assert sorted(one.id for one in kept.items()) == sorted(one.id for one in held)
        assert sorted(one.id for one in kept.active()) == sorted(
            one.id for one in held if one.status == "active"
        )
        booked = {one.id for one in held if getattr(one, "appointment_at", None) is not None}
        assert booked <= {one.id for one in kept.may_be_booked()}
        if keep_again:
            laid, as_kept, changed = _written(kept.kept(_id)), dict(pile), set()


def test_a_pile_taken_up_is_ranked_once_and_only_at_or_after_its_moment() -> None:
    pile = [item(n, received_at=NOW - timedelta(minutes=n)) for n in range(1, 6)]
    by_id = {one.id: one for one in pile}
    laid = _written(kept_of(pile, NOW, plain=_id))
    kept, rows = Reranker.taken_up(laid, by_id.__getitem__, NOW + timedelta(minutes=1))
    assert [entry.id for entry in rows] == [5, 4, 3, 2, 1]
    moves: list[Callable[[], object]] = [
        lambda: kept.at(NOW + timedelta(minutes=2)),
        lambda: kept.changed(pile[0]),
        lambda: kept.removed(1),
        lambda: kept.rank(pile, NOW),
    ]
    for move in moves:
        with pytest.raises(RuntimeError, match="taken up"):
            move()
    with pytest.raises(ValueError, match="later moment"):
        Reranker.taken_up(laid, by_id.__getitem__, NOW - timedelta(seconds=1))
    with pytest.raises(ValueError, match="not a pile"):
        Reranker.taken_up((tuple(range(17)),), by_id.__getitem__, NOW)  # (another format)
