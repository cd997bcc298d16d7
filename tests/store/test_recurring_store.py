"""Recurring work through the store: the rule and its instances, one open at a time; the next
scheduled when one is finished or skipped; missed ones never pile up; a stopped rule makes no
more; and the rules come through an export and an import."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from techqueue import actions, transfer
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.errors import BadRequest
from techqueue.store import Store
from techqueue.views.ranking import read_queue

from .support import MakeStore

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


def _backups(desk: Desk, now: datetime) -> int:
    fields = ItemFields(
        title="Check backups", estimate_minutes=15, tags=("backup",), every="mon 09:00"
    )
    return actions.add(desk, fields, now).item.id


def test_the_first_instance_waits_for_its_time_then_ranks_like_the_rest(
    store: Store, now: datetime
) -> None:
    desk = Desk(store)
    first = _backups(desk, now + HOUR)  # Monday 10:00: the next Monday 9:00
    item = store.get(first)
    monday = now + 7 * DAY
    assert (item.received_at, item.deferred_until) == (monday, monday)
    assert item.recurrence_id is not None
    assert (item.title, item.tags, item.estimate_minutes) == ("Check backups", ("backup",), 15)
    assert read_queue(desk, monday - MINUTE).ranked == []
    assert [entry.id for entry in read_queue(desk, monday).ranked] == [first]


def test_finishing_one_schedules_the_next_and_missed_ones_do_not_pile_up(
    store: Store, now: datetime
) -> None:
    desk = Desk(store)
    first = _backups(desk, now)  # Monday 9:00: this very Monday
    assert store.get(first).received_at == now
    actions.done(desk, first, now + 3 * 7 * DAY + HOUR)  # three Mondays later
    (rule,) = store.recurrences()
    instances = store.instances(rule.id)
    assert [item.status for item in instances] == ["open", "done"], "one open, none piled up"
    assert instances[0].received_at == now + 4 * 7 * DAY


def test_closing_one_early_schedules_the_one_after_its_own_time(
    store: Store, now: datetime
) -> None:
    desk = Desk(store)
    first = _backups(desk, now + HOUR)
    actions.drop(desk, first, now + 2 * HOUR, reason="skip this week")  # before it came
    (rule,) = store.recurrences()
    assert store.instances(rule.id)[0].received_at == now + 14 * DAY


def test_a_stopped_rule_makes_no_more_and_takes_its_waiting_instance(
    store: Store, now: datetime
) -> None:
    desk = Desk(store)
    first = _backups(desk, now + HOUR)
    (rule,) = store.recurrences()
    stopped = actions.stop_recurring(desk, rule.id, now + 2 * HOUR)
    assert stopped.stopped_at == now + 2 * HOUR
    item = store.get(first)
    assert (item.status, item.drop_reason) == ("dropped", "its recurring rule was stopped")
    assert store.recurrences() == []
    with pytest.raises(BadRequest, match="stopped already"):
        actions.stop_recurring(desk, rule.id, now + 3 * HOUR)


def test_an_instance_in_the_queue_stays_when_the_rule_stops_and_none_follows_it(
    store: Store, now: datetime
) -> None:
    desk = Desk(store)
    first = _backups(desk, now)
    (rule,) = store.recurrences()
    actions.stop_recurring(desk, rule.id, now + HOUR)
    assert store.get(first).status == "open"
    actions.done(desk, first, now + 2 * HOUR)
    assert [item.id for item in store.instances(rule.id)] == [first]


def test_a_recurring_item_has_no_due_time_or_ref(store: Store, now: datetime) -> None:
    desk = Desk(store)
    with pytest.raises(BadRequest, match="no due time or ref"):
        actions.add(desk, ItemFields(title="x", every="day", ref="INC-1"), now)
    with pytest.raises(BadRequest, match="every:"):
        actions.add(desk, ItemFields(title="x", every="often"), now)
    item = actions.add(desk, ItemFields(title="y"), now).item.id
    with pytest.raises(BadRequest, match="add"):
        actions.edit(desk, item, ItemFields(every="day"), now)


def test_rules_come_through_an_export(store: Store, now: datetime, make_store: MakeStore) -> None:
    desk = Desk(store)
    first = _backups(desk, now + HOUR)
    exported = transfer.export(store, now)
    assert exported["version"] == 3
    assert [row["rule"] for row in exported["recurrence"]] == ["mon 09:00"]
    other = make_store("embedded")
    counts = transfer.import_export(other, exported, now)
    assert counts["recurrence"] == 1
    assert other.get(first).recurrence_id == store.get(first).recurrence_id
    broken = {**exported, "recurrence": [{**exported["recurrence"][0], "rule": "often"}]}
    with pytest.raises(BadRequest, match="recurrence 1: rule 'often'"):
        transfer.import_export(make_store("embedded"), broken, now)
