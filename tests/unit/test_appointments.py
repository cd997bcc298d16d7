"""Appointments in the pure core: the slots, when a booked item comes back, its place at the
top of the ranking, and a forecast that plans around slots and never through one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from techqueue.core.appointments import Slot, back_in_queue, slots_of, todays
from techqueue.core.forecast import schedule
from techqueue.core.timeparse import WorkingHours
from techqueue.scoring import rank

MONDAY_9 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)
HOURS = WorkingHours()


def _item(item_id: int, **fields: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "id": item_id,
        "vip": False,
        "severity": "normal",
        "impact": 1,
        "estimate_minutes": 20.0,
        "received_at": MONDAY_9 - HOUR,
        "due_at": None,
        "pinned": False,
        "deferred_until": None,
        "promise_due_at": None,
        "status": "open",
        "bump": 0.0,
        "appointment_at": None,
        "appointment_minutes": None,
    }
    values.update(fields)
    return SimpleNamespace(**values)


def test_a_booked_item_comes_back_ten_minutes_before() -> None:
    assert back_in_queue(MONDAY_9 + HOUR, MONDAY_9) == MONDAY_9 + 50 * MINUTE
    assert back_in_queue(MONDAY_9 + 5 * MINUTE, MONDAY_9) is None


def test_slots_leave_out_closed_and_ended_ones_and_keep_their_length() -> None:
    items = [
        _item(1, appointment_at=MONDAY_9 + 2 * HOUR, appointment_minutes=45.0),
        _item(2, appointment_at=MONDAY_9 + HOUR),
        _item(3, appointment_at=MONDAY_9 + HOUR, status="done"),
        _item(4, appointment_at=MONDAY_9 - HOUR),
        _item(5),
        _item(6, appointment_at=MONDAY_9 + 26 * HOUR),
    ]
    slots = slots_of(items, MONDAY_9)
    assert [(slot.item_id, slot.minutes) for slot in slots] == [(2, 30.0), (1, 45.0), (6, 30.0)]
    assert [slot.item_id for slot in todays(slots, MONDAY_9)] == [2, 1]


def test_a_booked_item_ranks_first_with_its_reason_even_above_a_pin_and_a_vip() -> None:
    items = [
        _item(1, vip=True, severity="critical", impact=50),
        _item(2, pinned=True),
        _item(3, appointment_at=MONDAY_9 + 5 * MINUTE, estimate_minutes=60.0, severity="low"),
    ]
    ranked = rank(items, MONDAY_9)
    assert [entry.id for entry in ranked] == [3, 2, 1]
    assert ranked[0].tier == "appointment"
    assert ranked[0].reasons[0].detail == "appointment at 09:05"
    assert ranked[0].score > ranked[1].score > ranked[2].score


def test_a_late_appointment_says_it_began() -> None:
    ranked = rank([_item(1, appointment_at=MONDAY_9 - 20 * MINUTE)], MONDAY_9)
    assert ranked[0].reasons[0].detail == "appointment at 08:40, began 20 min ago"


def test_a_booked_item_waiting_on_the_customer_stays_below_the_workable() -> None:
    items = [_item(1), _item(2, appointment_at=MONDAY_9, status="waiting")]
    assert [entry.id for entry in rank(items, MONDAY_9)] == [1, 2]


def test_the_booked_item_is_planned_in_its_slot_even_when_not_yet_in_the_queue() -> None:
    slot = Slot(9, MONDAY_9 + HOUR, MONDAY_9 + 90 * MINUTE)
    etas = schedule([(1, 30.0, "open")], MONDAY_9, HOURS, [slot])
    assert (etas[9].start, etas[9].finish) == (slot.start, slot.end)
    assert etas[1].finish == MONDAY_9 + 30 * MINUTE


def test_work_is_split_around_a_slot() -> None:
    slot = Slot(9, MONDAY_9 + HOUR, MONDAY_9 + 90 * MINUTE)
    etas = schedule([(1, 50.0, "open"), (2, 20.0, "open")], MONDAY_9, HOURS, [slot])
    assert etas[1].start == MONDAY_9
    assert etas[2].start == MONDAY_9 + 50 * MINUTE
    assert etas[2].finish == MONDAY_9 + 100 * MINUTE, "10 min before the slot, 10 after"


def test_a_slot_at_the_end_of_the_day_pushes_work_to_the_next_morning() -> None:
    slot = Slot(9, MONDAY_9 + 7 * HOUR + 30 * MINUTE, MONDAY_9 + 8 * HOUR)  # 16:30-17:00
    etas = schedule([(1, 7 * 60.0, "open"), (2, 60.0, "open")], MONDAY_9, HOURS, [slot])
    assert etas[2].start == MONDAY_9 + 7 * HOUR
    assert etas[2].finish == MONDAY_9 + 24 * HOUR + 30 * MINUTE


_slots = st.lists(
    st.tuples(st.integers(0, 3 * 24 * 60), st.integers(5, 120)), min_size=1, max_size=4
)


@given(
    work=st.lists(st.integers(0, 300), min_size=1, max_size=8),
    booked=_slots,
)
def test_no_work_starts_inside_a_slot_and_none_ends_sooner_than_without(
    work: list[int], booked: list[tuple[int, int]]
) -> None:
    """Whatever the queue and the slots: nothing but the booked item starts inside a slot,
    no item finishes sooner than it would without the slots, and each item's span holds at
    least its own minutes of work."""
    queue = [(index, float(minutes), "open") for index, minutes in enumerate(work)]
    slots = [
        Slot(100 + index, MONDAY_9 + start * MINUTE, MONDAY_9 + (start + length) * MINUTE)
        for index, (start, length) in enumerate(booked)
    ]
    free = schedule(queue, MONDAY_9, HOURS)
    planned = schedule(queue, MONDAY_9, HOURS, slots)
    for item_id, minutes, _ in queue:
        eta = planned[item_id]
        if minutes > 0:
            assert not any(slot.start <= eta.start < slot.end for slot in slots)
        assert eta.finish >= free[item_id].finish
        assert eta.finish - eta.start >= timedelta(minutes=minutes)
    for slot in slots:
        assert (planned[slot.item_id].start, planned[slot.item_id].finish) == (
            slot.start,
            slot.end,
        )


def test_a_booked_customer_is_told_the_time_agreed_not_asked_again() -> None:
    from techqueue.core.estimates import Estimate
    from techqueue.core.expectations import tell
    from techqueue.core.forecast import Eta

    slot = Eta(MONDAY_9 + 5 * HOUR, MONDAY_9 + 5 * HOUR + 30 * MINUTE)
    said = tell(
        requester="Alice",
        title="Outlook",
        estimate=Estimate(15, "given"),
        eta=slot,
        now=MONDAY_9,
        state="booked",
    )
    assert said == "As agreed, I'll be with you around 14:00; it should take about 15 min."
