"""The escalation sweep: long-open lower-priority items the technician's own estimates say
can be closed in a quarter of an hour, with reasons; nothing else."""

from __future__ import annotations

import itertools
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from scorable import NOW, item

from techqueue.core.sweep import (
    LONG_OPEN_MINUTES,
    LOWER_SEVERITIES,
    MOST_PROPOSED,
    QUICK_CLOSE_MINUTES,
    sweep,
    working_day_minutes,
)
from techqueue.core.timeparse import WorkingHours
from techqueue.scoring import Ranked, Weights

WEIGHTS = Weights()


def entry(rank: int, waited: float, **fields: Any) -> Ranked[Any]:
    """A ranked entry that has waited ``waited`` working minutes."""
    values: dict[str, Any] = {
        "title": f"job {rank}",
        "requester": None,
        "tags": (),
        "estimate_source": None,
        "estimate_samples": 0,
        "spent_minutes": 0.0,
        "severity": "low",
        "estimate_minutes": 10.0,
    }
    values.update(fields)
    return Ranked(rank, item(rank, **values), rank, 0.0, "queue", (), waited)


OLD = 3 * 2880.0  # three times a low item's two-day target, in working minutes


def test_a_long_open_low_item_closable_in_ten_minutes_is_proposed_with_reasons() -> None:
    [found] = sweep([entry(7, OLD)], WEIGHTS)
    assert found.id == 7
    assert found.rank == 7
    assert found.left_minutes == 10.0
    assert found.estimate.source == "given"
    assert "3.0× its 48 h target" in found.reasons[0]
    assert "closable in ~10 min: 10 min, your estimate" in found.reasons[1]
    assert found.reasons[2] == "low severity, ranked #7"


def test_what_is_not_proposed() -> None:
    kept_out = [
        entry(1, OLD, estimate_minutes=20.0),  # too long
        entry(2, OLD, estimate_minutes=None),  # the default: not the technician's estimate
        entry(3, 60.0),  # not long open
        entry(4, OLD, severity="high"),  # not a lower priority
        entry(5, OLD, vip=True),
        entry(6, OLD, pinned=True),
        entry(7, OLD, status="waiting"),  # waiting on the customer: not ours to close
        entry(8, OLD, bump=1),  # raised already
        entry(9, OLD, estimate_minutes=40.0, spent_minutes=20.0),  # 20 min left
    ]
    assert sweep(kept_out, WEIGHTS) == []


def test_a_learned_estimate_counts_and_work_done_shortens_it() -> None:
    learned = entry(1, OLD, estimate_minutes=12.0, estimate_source="history", estimate_samples=4)
    started = entry(2, OLD, status="paused", estimate_minutes=30.0, spent_minutes=22.0)
    found = {proposal.id: proposal for proposal in sweep([learned, started], WEIGHTS)}
    assert "from 4 similar" in found[1].reasons[1]
    assert found[2].left_minutes == 8.0
    assert "22 min done" in found[2].reasons[1]


def test_a_normal_item_open_past_a_working_day_qualifies() -> None:
    assert sweep([entry(1, 500.0, severity="normal")], WEIGHTS)[0].id == 1
    assert sweep([entry(1, 470.0, severity="normal")], WEIGHTS) == []  # under a day


def test_the_longest_open_against_its_target_comes_first_and_at_most_five() -> None:
    entries = [entry(rank, OLD + rank * 600) for rank in range(1, 9)]
    found = sweep(entries, WEIGHTS)
    assert [proposal.id for proposal in found] == [8, 7, 6, 5, 4]


def test_the_working_day_is_the_configured_hours() -> None:
    hours = WorkingHours(start=NOW.time(), end=(NOW + timedelta(hours=6, minutes=30)).time())
    assert working_day_minutes(hours) == 390.0
    assert working_day_minutes(WorkingHours()) == LONG_OPEN_MINUTES


entries_strategy = st.lists(
    st.builds(
        lambda waited, severity, estimate, status, vip, pinned, bump, spent, source: (
            waited,
            {
                "severity": severity,
                "estimate_minutes": estimate,
                "status": status,
                "vip": vip,
                "pinned": pinned,
                "bump": bump,
                "spent_minutes": spent,
                "estimate_source": source if estimate is not None else None,
            },
        ),
        st.floats(0, 40_000),
        st.sampled_from(["critical", "high", "normal", "low"]),
        st.none() | st.floats(0.5, 120),
        st.sampled_from(["open", "active", "paused", "waiting"]),
        st.booleans(),
        st.booleans(),
        st.sampled_from([-1, 0, 0, 0, 1]),
        st.floats(0, 60),
        st.sampled_from([None, "history"]),
    ),
    max_size=15,
)


@given(entries_strategy)
def test_every_proposal_meets_the_rules_and_every_qualifier_is_proposed_when_few(
    rows: list[tuple[float, dict[str, Any]]],
) -> None:
    entries = [entry(rank, waited, **fields) for rank, (waited, fields) in enumerate(rows, 1)]
    found = sweep(entries, WEIGHTS)

    def qualifies(candidate: Ranked[SimpleNamespace]) -> bool:
        it = candidate.item
        target = WEIGHTS.response_target_minutes[it.severity]
        return (
            it.status in ("open", "paused")
            and it.severity in LOWER_SEVERITIES
            and not it.vip
            and not it.pinned
            and it.bump <= 0
            and it.estimate_minutes is not None
            and max(it.estimate_minutes - it.spent_minutes, 0) <= QUICK_CLOSE_MINUTES
            and candidate.waited >= max(target, LONG_OPEN_MINUTES)
        )

    expected = {candidate.id for candidate in entries if qualifies(candidate)}
    ids = [proposal.id for proposal in found]
    assert len(ids) == len(set(ids)) <= MOST_PROPOSED
    assert set(ids) <= expected
    if len(expected) <= MOST_PROPOSED:
        assert set(ids) == expected
    ratios = [proposal.waited_minutes / proposal.target_minutes for proposal in found]
    assert all(a >= b - 1e-3 for a, b in itertools.pairwise(ratios))
    assert all(len(proposal.reasons) == 3 for proposal in found)
