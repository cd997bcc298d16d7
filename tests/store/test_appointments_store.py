"""Appointments through the store: a booked item leaves the queue until shortly before its
slot, then ranks first; the forecast plans other work around the slot, never through it.

Before appointments, the only way to say "later" was ``defer``: the item came back at #2
(or wherever its score put it), and the ETAs of everything else ran straight through the
time promised to the customer. The first two tests pin exactly that difference.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.errors import BadRequest
from techqueue.store import Store
from techqueue.views.ranking import read_queue

MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)


def _two(desk: Desk, now: datetime) -> tuple[int, int]:
    """A VIP's long job and a short one, both waiting since an hour ago."""
    big = actions.add(
        desk, ItemFields(title="Server", vip=True, estimate_minutes=180), now - HOUR
    ).item.id
    small = actions.add(desk, ItemFields(title="Outlook", estimate_minutes=15), now - HOUR).item.id
    return big, small


def test_a_booked_item_comes_back_first_where_a_deferred_one_came_back_second(
    store: Store, now: datetime
) -> None:
    desk = Desk(store)
    big, small = _two(desk, now)
    slot = now + 2 * HOUR
    actions.defer(desk, small, slot - 10 * MINUTE, now)
    before = [entry.id for entry in read_queue(desk, slot - 5 * MINUTE).ranked]
    assert before == [big, small], "deferred: back at #2, behind the higher score"

    actions.appoint(desk, small, slot, now + MINUTE, 30)
    assert [entry.id for entry in read_queue(desk, now + 2 * MINUTE).ranked] == [big]
    queue = read_queue(desk, slot - 5 * MINUTE)
    assert [entry.id for entry in queue.ranked] == [small, big]
    first = queue.ranked[0]
    assert first.tier == "appointment"
    assert any(reason.detail == "appointment at 11:00" for reason in first.reasons)


def test_etas_plan_around_a_slot_not_through_it(store: Store, now: datetime) -> None:
    desk = Desk(store)
    big, small = _two(desk, now)
    slot = now + HOUR
    actions.defer(desk, small, slot, now)
    through = read_queue(desk, now).forecast.etas[big]
    assert through.finish == now + 3 * HOUR, "deferred: the big job runs through 10:00"

    actions.appoint(desk, small, slot, now, 30)
    etas = read_queue(desk, now).forecast.etas
    assert etas[big].start == now
    assert etas[big].finish == now + 3 * HOUR + 30 * MINUTE, "stopped for the slot"
    assert (etas[small].start, etas[small].finish) == (slot, slot + 30 * MINUTE)


def test_work_after_a_slot_starts_when_it_ends(store: Store, now: datetime) -> None:
    desk = Desk(store)
    first = actions.add(desk, ItemFields(title="A", estimate_minutes=20), now - HOUR).item.id
    second = actions.add(desk, ItemFields(title="B", estimate_minutes=20), now).item.id
    booked = actions.add(desk, ItemFields(title="C", estimate_minutes=5), now).item.id
    actions.appoint(desk, booked, now + 20 * MINUTE, now, 15)
    etas = read_queue(desk, now).forecast.etas
    assert etas[first].finish == now + 20 * MINUTE
    assert etas[second].start == now + 35 * MINUTE, "starts when the slot ends"


def test_cancelling_puts_the_item_back_now(store: Store, now: datetime) -> None:
    desk = Desk(store)
    big, small = _two(desk, now)
    actions.appoint(desk, small, now + 3 * HOUR, now)
    item = store.get(small)
    assert item.appointment_at == now + 3 * HOUR
    assert item.appointment_minutes is None  # the default slot
    assert item.deferred_until == now + 3 * HOUR - 10 * MINUTE
    actions.cancel_appointment(desk, small, now + MINUTE)
    item = store.get(small)
    assert (item.appointment_at, item.deferred_until) == (None, None)
    assert {entry.id for entry in read_queue(desk, now + 2 * MINUTE).ranked} == {big, small}
    with pytest.raises(BadRequest, match="no appointment"):
        actions.cancel_appointment(desk, small, now + 2 * MINUTE)


def test_booking_the_item_in_hand_pauses_it(store: Store, now: datetime) -> None:
    desk = Desk(store)
    _, small = _two(desk, now)
    actions.start(desk, small, now)
    actions.appoint(desk, small, now + HOUR, now + 5 * MINUTE)
    item = store.get(small)
    assert item.status == "paused"
    assert store.running_spans() == []


def test_a_booking_in_the_past_or_of_a_closed_item_is_refused(store: Store, now: datetime) -> None:
    desk = Desk(store)
    big, small = _two(desk, now)
    with pytest.raises(BadRequest, match="already passed"):
        actions.appoint(desk, small, now - MINUTE, now)
    with pytest.raises(BadRequest, match="30 days"):
        actions.appoint(desk, small, now + HOUR, now, 0)
    actions.done(desk, big, now)
    with pytest.raises(BadRequest, match="cannot be booked"):
        actions.appoint(desk, big, now + HOUR, now)


def test_a_slot_soon_is_in_the_queue_at_once(store: Store, now: datetime) -> None:
    desk = Desk(store)
    big, small = _two(desk, now)
    actions.appoint(desk, small, now + 5 * MINUTE, now)
    assert store.get(small).deferred_until is None
    assert [entry.id for entry in read_queue(desk, now).ranked] == [small, big]


def test_the_morning_summary_names_today_s_appointments(store: Store, now: datetime) -> None:
    from techqueue.views.json import morning_json
    from techqueue.views.morning import morning_lines, read_morning

    desk = Desk(store)
    printer = actions.add(desk, ItemFields(title="Printer", requester="Alice"), now).item.id
    later = actions.add(desk, ItemFields(title="Laptop"), now).item.id
    actions.appoint(desk, printer, now + 2 * HOUR, now, 45)
    actions.appoint(desk, later, now + 24 * HOUR, now, 30)  # tomorrow: not today's
    morning = read_morning(desk, now)
    assert [(slot.item_id, item.id) for slot, item in morning.appointments] == [(printer, printer)]
    assert not morning.empty
    sections = dict(morning_lines(morning, now))
    start, end = now + 2 * HOUR, now + 2 * HOUR + 45 * MINUTE
    assert sections["Booked today"] == [f"{start:%H:%M}–{end:%H:%M} #{printer} Printer (Alice)"]
    (booked,) = morning_json(morning)["appointments"]
    assert (booked["id"], booked["requester"], booked["minutes"]) == (printer, "Alice", 45.0)
