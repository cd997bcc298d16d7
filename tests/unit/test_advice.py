"""Interruption advice: switch to the newcomer, or finish the job in hand first?"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scorable import NOW, item

from techqueue.core.advice import Advice, advise, work_left
from techqueue.core.forecast import OVERRUN_SHARE
from techqueue.scoring import SEVERITIES, Weights, effective_estimate, rank

WEIGHTS = Weights()


def job(minutes_ago: float = 30.0, **fields: Any) -> SimpleNamespace:
    """The job in hand: active, received a while ago."""
    received = NOW - timedelta(minutes=minutes_ago)
    return item(12, **{"status": "active", "received_at": received, **fields})


def test_nothing_active_means_no_advice() -> None:
    assert advise(None, item(31), NOW) is None


def test_the_newcomer_being_the_job_in_hand_means_no_advice() -> None:
    current = job()
    assert advise(current, current, NOW) is None


def test_a_sub_minute_question_is_worth_the_switch() -> None:
    question = item(31, estimate_minutes=0.5, requester="Dana", title="Wi-Fi password?")
    advice = advise(job(estimate_minutes=30.0), question, NOW, spent_minutes=5.0)
    assert advice == Advice(
        True, 'switch: #31 "Wi-Fi password?" from Dana is a 30s question; #12 has 25 min left'
    )


def test_the_ceo_is_worth_the_switch() -> None:
    ceo = item(31, vip=True, estimate_minutes=15.0, requester="Dana (CEO)")
    advice = advise(job(estimate_minutes=30.0), ceo, NOW, spent_minutes=5.0)
    assert advice is not None
    assert advice.switch
    assert "VIP" in advice.reason


def test_a_critical_call_during_a_long_normal_job_is_worth_the_switch() -> None:
    critical = item(31, severity="critical", estimate_minutes=30.0)
    advice = advise(job(estimate_minutes=120.0), critical, NOW, spent_minutes=10.0)
    assert advice is not None
    assert advice.switch


def test_a_normal_ticket_during_a_ten_minute_fix_waits() -> None:
    ticket = item(31, estimate_minutes=20.0, title="Printer offline")
    advice = advise(
        job(estimate_minutes=10.0, title="Reset password"), ticket, NOW, spent_minutes=2.0
    )
    assert advice is not None
    assert not advice.switch
    assert advice.reason.startswith('finish #12 "Reset password" first: 8 min left')
    assert "(normal) can wait" in advice.reason


def test_a_question_waits_when_the_job_in_hand_is_all_but_done() -> None:
    question = item(31, estimate_minutes=1.0)
    current = job(estimate_minutes=4.0)
    assert advise(current, question, NOW, spent_minutes=3.0) == Advice(
        False, "finish #12 first: 1 min left; #31 (normal) can wait"
    )


def test_a_critical_call_waits_for_a_job_that_ends_within_its_target() -> None:
    critical = item(31, severity="critical", estimate_minutes=60.0)
    current = job(severity="high", estimate_minutes=10.0)
    advice = advise(current, critical, NOW, spent_minutes=4.0)
    assert advice is not None
    assert not advice.switch


def test_a_critical_call_that_would_go_late_may_interrupt_a_started_vip_job() -> None:
    """The VIP was seen first; the computer that does not boot now comes before the rest."""
    critical = item(31, severity="critical", estimate_minutes=30.0)
    current = job(vip=True, severity="low", estimate_minutes=120.0)
    advice = advise(current, critical, NOW, spent_minutes=10.0)
    assert advice is not None
    assert advice.switch
    assert "target" in advice.reason


def test_an_outage_landing_during_a_vips_ordinary_job_is_worth_the_switch() -> None:
    """'!critical x:100 ~20m' while the CEO's 30-minute job is in hand (issue 19)."""
    outage = item(31, severity="critical", impact=100, estimate_minutes=20.0)
    current = job(vip=True, estimate_minutes=30.0, requester="Dana (CEO)")
    assert advise(current, outage, NOW, spent_minutes=5.0) == Advice(
        True, "switch: #31 is an outage: it stops 100 people"
    )


def test_a_vips_critical_job_is_not_interrupted_for_an_outage() -> None:
    outage = item(31, severity="critical", impact=100, estimate_minutes=20.0)
    current = job(vip=True, severity="critical", estimate_minutes=30.0)
    advice = advise(current, outage, NOW, spent_minutes=5.0)
    assert advice is not None
    assert not advice.switch


def test_low_work_that_is_no_quick_win_never_interrupts() -> None:
    """Worth more per minute than the rest of a long normal job, and still it can wait."""
    toner = item(31, severity="low", estimate_minutes=5.0, title="Order toner")
    current = job(estimate_minutes=120.0)
    assert advise(current, toner, NOW, spent_minutes=10.0) == Advice(
        False, 'finish #12 first: 1 h 50 left; #31 "Order toner" (low) can wait'
    )
    question = item(32, severity="low", estimate_minutes=0.5)
    quick = advise(current, question, NOW, spent_minutes=10.0)
    assert quick is not None
    assert quick.switch, "a low quick win is still answered at once"


def test_a_pinned_job_is_not_interrupted_for_an_ordinary_newcomer() -> None:
    critical = item(31, severity="critical", estimate_minutes=30.0)
    current = job(pinned=True, severity="low", estimate_minutes=120.0)
    advice = advise(current, critical, NOW, spent_minutes=10.0)
    assert advice is not None
    assert not advice.switch


@pytest.mark.parametrize(
    "fields",
    [{"status": "waiting"}, {"status": "done"}, {"deferred_until": NOW + timedelta(hours=1)}],
)
def test_a_newcomer_that_cannot_be_worked_on_now_is_no_reason_to_switch(
    fields: dict[str, Any],
) -> None:
    newcomer = item(31, severity="critical", estimate_minutes=0.5, **fields)
    advice = advise(job(estimate_minutes=120.0), newcomer, NOW)
    assert advice is not None
    assert not advice.switch
    assert "not up for work" in advice.reason


def test_the_switch_cost_is_a_setting() -> None:
    """A five-minute job is worth a switch from a long one, unless switching costs a lot."""
    newcomer = item(31, severity="high", estimate_minutes=5.0)
    current = job(estimate_minutes=25.0, received_at=NOW)
    assert advise(current, newcomer, NOW, spent_minutes=10.0) == Advice(
        True,
        "switch: #31 (high, ~5 min) is worth more per minute than the 15 min left of #12",
    )
    costly = Weights(switch_cost_minutes=60.0)
    advice = advise(current, newcomer, NOW, costly, spent_minutes=10.0)
    assert advice is not None
    assert not advice.switch


@pytest.mark.parametrize(
    ("estimate", "spent", "left"),
    [
        (30.0, 0.0, 30.0),
        (30.0, 10.0, 20.0),
        (30.0, 29.0, 30.0 * OVERRUN_SHARE),
        (10.0, 40.0, 40.0 * OVERRUN_SHARE),  # overrun: it goes on in proportion
        (None, 5.0, WEIGHTS.default_estimate_minutes.normal - 5.0),
        (30.0, -3.0, 30.0),
    ],
)
def test_work_left(estimate: float | None, spent: float, left: float) -> None:
    assert work_left(item(estimate_minutes=estimate), spent, WEIGHTS) == pytest.approx(left)


# --- properties ----------------------------------------------------------------------------

_items = st.fixed_dictionaries(
    {
        "vip": st.booleans(),
        "severity": st.sampled_from(SEVERITIES),
        "impact": st.integers(1, 50),
        "estimate_minutes": st.none() | st.floats(0.1, 480.0),
        "received_at": st.floats(0, 3000).map(lambda m: NOW - timedelta(minutes=m)),
        "pinned": st.booleans(),
        "promise_due_at": st.none()
        | st.floats(-120, 600).map(lambda m: NOW + timedelta(minutes=m)),
        "bump": st.integers(-2, 2),
    }
)


@given(_items, _items, st.floats(0, 600))
def test_advice_never_switches_to_something_ranked_below_the_job_in_hand(
    current_fields: dict[str, Any], newcomer_fields: dict[str, Any], spent: float
) -> None:
    """Except a more severe newcomer that would go late behind a started, unpinned VIP job."""
    current = item(1, status="active", **current_fields)
    newcomer = item(2, **newcomer_fields)
    advice = advise(current, newcomer, NOW, spent_minutes=spent)
    assert advice is not None
    ranked_first = rank([current, newcomer], NOW, explain=False, guard=False)[0].item
    if advice.switch and ranked_first is current:
        assert current.vip
        assert not current.pinned
        assert SEVERITIES.index(newcomer.severity) < SEVERITIES.index(current.severity)


@given(_items, _items, st.floats(0, 600))
def test_advice_never_switches_for_low_work_that_is_no_quick_win(
    current_fields: dict[str, Any], newcomer_fields: dict[str, Any], spent: float
) -> None:
    """Unless it is a VIP's (seen first) or pinned by hand (the technician's own word)."""
    current = item(1, status="active", **current_fields)
    newcomer = item(2, **{**newcomer_fields, "severity": "low", "vip": False, "pinned": False})
    advice = advise(current, newcomer, NOW, spent_minutes=spent)
    assert advice is not None
    if effective_estimate(newcomer, WEIGHTS) > WEIGHTS.quick_win_minutes:
        assert not advice.switch


class _Clockless(datetime):
    """``datetime`` for the pure modules, refusing to tell the time."""

    @classmethod
    def now(cls, tz: Any = None) -> Any:
        raise AssertionError("the pure core read the clock")

    utcnow = today = now


@contextmanager
def _no_clock() -> Iterator[None]:
    """The advice and what it calls, with any read of the clock an error."""
    modules = ("core.advice", "core.guard", "scoring", "core.expectations", "core.timeparse")
    with ExitStack() as stack:
        for name in modules:
            stack.enter_context(patch(f"techqueue.{name}.datetime", _Clockless))
        yield


@given(_items, _items, st.floats(0, 600))
def test_advice_is_deterministic_and_reads_no_clock(
    current_fields: dict[str, Any], newcomer_fields: dict[str, Any], spent: float
) -> None:
    current = item(1, status="active", **current_fields)
    newcomer = item(2, **newcomer_fields)
    with _no_clock():
        first = advise(current, newcomer, NOW, spent_minutes=spent)
        assert first == advise(current, newcomer, NOW, spent_minutes=spent)
    assert first is not None
    assert first.reason.startswith(("switch: ", "finish #1 first: "))
