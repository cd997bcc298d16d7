"""Waiting on someone else, through the store: the item is out with them, its clock stopped
as while it waits on the customer, a chase reminder on it; starting it again brings it back;
the review lists what is out with whom and for how long, in working time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.errors import BadRequest
from techqueue.scoring import waited
from techqueue.store import Store
from techqueue.views.ranking import read_queue
from techqueue.views.review import read_review

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def test_out_with_a_vendor_stops_the_clock_and_sets_the_chase(store: Store, now: datetime) -> None:
    desk = Desk(store)
    item = actions.add(desk, ItemFields(title="Printer broken"), now).item.id
    other = actions.add(desk, ItemFields(title="Laptop"), now).item.id
    actions.wait_on(desk, item, "Acme", "vendor", now + HOUR, chase=now + DAY)
    out = store.get(item)
    assert (out.status, out.waiting_on, out.waiting_kind) == ("waiting", "Acme", "vendor")
    assert (out.waiting_since, out.chase_at) == (now + HOUR, now + DAY)
    hours = desk.settings.hours
    assert waited(out, now + 5 * HOUR, hours) == waited(out, now + HOUR, hours) == 60
    assert [(r.item_id, r.text, r.due_at) for r in store.reminders()] == [
        (item, f"chase vendor Acme about #{item}", now + DAY)
    ]
    queue = read_queue(desk, now + 2 * HOUR)
    assert [entry.id for entry in queue.ranked] == [other, item]
    assert queue.ranked[1].reasons[0].detail == "waiting on vendor Acme"


def test_starting_it_again_brings_it_back(store: Store, now: datetime) -> None:
    desk = Desk(store)
    item = actions.add(desk, ItemFields(title="Printer broken"), now).item.id
    actions.wait_on(desk, item, "Sam", "colleague", now)
    actions.start(desk, item, now + HOUR)
    back = store.get(item)
    assert (back.status, back.waiting_on, back.waiting_since, back.chase_at) == (
        "active",
        None,
        None,
        None,
    )


def test_waiting_on_the_customer_after_a_vendor_forgets_the_vendor(
    store: Store, now: datetime
) -> None:
    desk = Desk(store)
    item = actions.add(desk, ItemFields(title="Printer broken"), now).item.id
    actions.wait_on(desk, item, "Acme", "vendor", now)
    actions.start(desk, item, now + MINUTE)
    actions.wait(desk, item, now + 2 * MINUTE)
    assert store.get(item).waiting_on is None


def test_asking_again_keeps_since_when_it_is_out_with_them(store: Store, now: datetime) -> None:
    desk = Desk(store)
    item = actions.add(desk, ItemFields(title="Printer broken"), now).item.id
    actions.wait_on(desk, item, "Acme", "vendor", now)
    actions.wait_on(desk, item, "Acme", "vendor", now + HOUR, chase=now + DAY)
    assert store.get(item).waiting_since == now
    actions.wait_on(desk, item, "Bolt", "vendor", now + 2 * HOUR)
    assert store.get(item).waiting_since == now + 2 * HOUR


def test_the_review_lists_what_is_out_with_whom_in_working_time(
    store: Store, now: datetime
) -> None:
    desk = Desk(store)
    first = actions.add(desk, ItemFields(title="Printer"), now).item.id
    second = actions.add(desk, ItemFields(title="Licence"), now).item.id
    actions.wait_on(desk, first, "Acme", "vendor", now, chase=now + 2 * DAY)
    actions.wait_on(desk, second, "Sam", "colleague", now + 6 * HOUR)
    later = now + DAY + 2 * HOUR  # Tuesday 11:00: 10 working hours after Monday 9:00
    review = read_review(desk, later - 2 * HOUR, later + 10 * HOUR, later)
    assert [(o.id, o.who, o.kind, o.waited_minutes) for o in review.out_with] == [
        (first, "Acme", "vendor", 600.0),
        (second, "Sam", "colleague", 240.0),
    ]
    assert review.out_with[0].chase_at == now + 2 * DAY


def test_bad_waiting_on_is_refused(store: Store, now: datetime) -> None:
    desk = Desk(store)
    item = actions.add(desk, ItemFields(title="Printer"), now).item.id
    with pytest.raises(BadRequest, match="say who"):
        actions.wait_on(desk, item, "  ", "vendor", now)
    with pytest.raises(BadRequest, match="unknown kind"):
        actions.wait_on(desk, item, "Acme", "supplier", now)
    with pytest.raises(BadRequest, match="already passed"):
        actions.wait_on(desk, item, "Acme", "vendor", now, chase=now - MINUTE)
    actions.done(desk, item, now)
    with pytest.raises(BadRequest, match="cannot be set waiting on someone else"):
        actions.wait_on(desk, item, "Acme", "vendor", now)
