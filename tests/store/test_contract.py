"""The store contract: every operation of :class:`techqueue.store.Store`, run on both backends.

Every test here takes the ``store`` fixture (or ``backend``), so it runs once on the embedded
SQLite backend and once on the SQLModel backend (SQLAlchemy on a SQLite file).
"""

from __future__ import annotations

import copy
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from techqueue.store import (
    OPEN_STATUSES,
    BadRequest,
    ItemChanges,
    ItemRecord,
    NotFound,
    NothingToUndo,
    Store,
    StoreError,
    open_store,
)

from .support import BACKENDS, MakeStore, comparable, sqlmodel_url

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
ALL_STATUSES = (*OPEN_STATUSES, "done", "dropped")


def add(store: Store, now: datetime, title: str = "Printer jams", **fields: Any) -> ItemRecord:
    return store.add(ItemChanges(title=title, **fields), now)


def populate(store: Store, now: datetime) -> dict[str, int]:
    """A store with something of everything, every write done before ``now``.

    Items by status: ``active`` a, ``paused`` b, ``waiting`` c, ``done`` d, ``dropped`` e,
    ``open`` f. Requesters Alice, Bob (VIP), Carol. Notes of each kind, an item reminder, a
    free-standing one and a dismissed one, work spans open and closed.
    """
    t = now - 3 * HOUR
    a = add(
        store,
        t,
        "Printer jams",
        requester="Alice",
        channel="desk",
        severity="high",
        tags=("printer", "floor-2"),
        estimate_minutes=15,
    )
    b = add(
        store,
        t + MINUTE,
        "VPN down",
        requester="Bob",
        channel="phone",
        severity="critical",
        impact=12,
        due_at=now + HOUR,
        ref="INC-42",
    )
    c = add(store, t + 2 * MINUTE, "New laptop", requester="alice", channel="email", severity="low")
    d = add(store, t + 3 * MINUTE, "Password reset", channel="chat", estimate_minutes=1)
    e = add(store, t + 4 * MINUTE, "Old request", received_at=t - 24 * HOUR)
    store.start(b.id, t + 10 * MINUTE)
    store.start(a.id, t + 30 * MINUTE)
    store.note(a.id, "toner ordered", t + 35 * MINUTE)
    store.note(c.id, "by Friday", t + 36 * MINUTE, kind="promise", due_at=now + 24 * HOUR)
    store.note(b.id, "called back", t + 37 * MINUTE, kind="contact")
    store.wait(c.id, t + 40 * MINUTE)
    store.start(d.id, t + 45 * MINUTE)
    store.done(d.id, t + 50 * MINUTE)
    store.start(a.id, t + 51 * MINUTE)
    store.drop(e.id, t + 55 * MINUTE, reason="duplicate")
    store.set_vip("Bob", t + 60 * MINUTE)
    r1 = store.remind(a.id, now + 30 * MINUTE, "check the toner", t + 61 * MINUTE)
    r2 = store.remind(None, now + 2 * HOUR, "order cables", t + 62 * MINUTE)
    r3 = store.remind(b.id, now - 10 * MINUTE, "call Bob", t + 63 * MINUTE)
    store.dismiss(r3.id, t + 64 * MINUTE)
    f = add(store, t + 70 * MINUTE, "Monitor flickers", requester="Carol", tags=("screen",))
    return {
        "a": a.id,
        "b": b.id,
        "c": c.id,
        "d": d.id,
        "e": e.id,
        "f": f.id,
        "r1": r1.id,
        "r2": r2.id,
        "r3": r3.id,
    }


def snapshot(store: Store, now: datetime) -> dict[str, Any]:
    return comparable(store.export(now))


def journal_size(store: Store) -> int:
    return int(store.db.scalar("SELECT COUNT(*) FROM journal") or 0)


@pytest.fixture
def ids(store: Store, now: datetime) -> dict[str, int]:
    return populate(store, now)


# --- the SQLModel backend on its own ---------------------------------------------------------


def test_sqlmodel_backend_creates_a_new_store(tmp_path: Path, now: datetime) -> None:
    with open_store(sqlmodel_url(tmp_path, "fresh.db")) as store:
        item = add(store, now)
        assert store.get(item.id).title == "Printer jams"


def test_sqlmodel_backend_refuses_a_foreign_database(tmp_path: Path) -> None:
    import sqlite3

    from techqueue.store import StoreUnusable

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
    connection.close()
    before = path.read_bytes()
    with pytest.raises(StoreUnusable) as raised:
        open_store(f"sqlite:///{path}")
    assert "\n" not in str(raised.value)
    assert path.read_bytes() == before


# --- add, get, items --------------------------------------------------------------------------


def test_add_fills_in_the_defaults(store: Store, now: datetime) -> None:
    item = add(store, now, "Printer jams")
    assert item.id >= 1
    assert item.title == "Printer jams"
    assert item.severity == "normal"
    assert item.channel == "other"
    assert item.impact == 1
    assert item.status == "open"
    assert item.requester is None
    assert item.requester_id is None
    assert item.estimate_minutes is None
    assert item.vip is False
    assert item.own_vip is False
    assert item.pinned is False
    assert item.bump == 0
    assert item.tags == ()
    assert item.ref is None
    assert item.received_at == now
    assert item.created_at == now
    assert item.started_at is None
    assert item.done_at is None
    assert item.due_at is None
    assert item.deferred_until is None
    assert item.promise_due_at is None
    assert item.drop_reason is None
    assert store.get(item.id) == item


def test_add_keeps_every_field_given(store: Store, now: datetime) -> None:
    received = now - 20 * MINUTE
    item = add(
        store,
        now,
        "VPN down",
        requester="Bob",
        vip=True,
        severity="critical",
        channel="phone",
        estimate_minutes=7.5,
        impact=12,
        due_at=now + HOUR,
        received_at=received,
        tags=("vpn", "network"),
        ref="INC-42",
    )
    assert (item.title, item.requester, item.severity, item.channel) == (
        "VPN down",
        "Bob",
        "critical",
        "phone",
    )
    assert item.vip is True
    assert item.own_vip is True
    assert item.estimate_minutes == 7.5
    assert item.impact == 12
    assert item.due_at == now + HOUR
    assert item.received_at == received
    assert item.created_at == now
    assert item.tags == ("vpn", "network")
    assert item.ref == "INC-42"
    assert store.get(item.id) == item


def test_add_creates_a_requester_once_and_finds_it_by_name_in_any_case(
    store: Store, now: datetime
) -> None:
    first = add(store, now, "one", requester="Alice Baker")
    second = add(store, now, "two", requester="alice baker")
    third = add(store, now, "three", requester="  ALICE BAKER  ")
    assert first.requester_id is not None
    assert first.requester_id == second.requester_id == third.requester_id
    assert first.requester == second.requester == "Alice Baker"
    assert [r.name for r in store.requesters()] == ["Alice Baker"]
    other = add(store, now, "four", requester="Bob")
    assert other.requester_id != first.requester_id
    assert [r.name for r in store.requesters()] == ["Alice Baker", "Bob"]


def test_add_finds_a_requester_by_email(store: Store, now: datetime) -> None:
    by_address = add(store, now, "one", requester="dana@example.com")
    requester = store.requesters()[0]
    assert requester.email == "dana@example.com"
    again = add(store, now, "two", requester="Dana@Example.COM")
    assert again.requester_id == by_address.requester_id
    assert len(store.requesters()) == 1


def test_add_finds_a_named_requester_by_their_email(store: Store, now: datetime) -> None:
    stamp = now.isoformat()
    store.import_(
        {
            "format": "techqueue-export",
            "version": 1,
            "requester": [
                {"id": 7, "name": "Erin Fox", "email": "erin@example.com", "created_at": stamp}
            ],
        },
        now,
    )
    item = add(store, now, "one", requester="ERIN@example.com")
    assert item.requester_id == 7
    assert item.requester == "Erin Fox"
    assert len(store.requesters()) == 1


def test_add_deduplicates_tags_keeping_their_order(store: Store, now: datetime) -> None:
    item = store.add(
        ItemChanges(title="t", tags=("printer", "floor-2", "printer"), add_tags=("floor-2", "new")),
        now,
    )
    assert item.tags == ("printer", "floor-2", "new")
    assert store.get(item.id).tags == ("printer", "floor-2", "new")


@pytest.mark.parametrize(
    "changes",
    [
        ItemChanges(),
        ItemChanges(title=""),
        ItemChanges(title="   "),
        ItemChanges(title="t", severity="urgent"),
        ItemChanges(title="t", channel="fax"),
        ItemChanges(title="t", impact=0),
        ItemChanges(title="t", impact=-3),
        ItemChanges(title="t", impact=10**7),
        ItemChanges(title="t", estimate_minutes=0),
        ItemChanges(title="t", estimate_minutes=-5),
    ],
    ids=[
        "no title",
        "empty title",
        "blank title",
        "bad severity",
        "bad channel",
        "impact 0",
        "negative impact",
        "impact too large",
        "estimate 0",
        "negative estimate",
    ],
)
def test_add_refuses_bad_input_and_writes_nothing(
    store: Store, now: datetime, changes: ItemChanges
) -> None:
    with pytest.raises(BadRequest):
        store.add(changes, now)
    assert store.items(ALL_STATUSES) == []
    assert store.requesters() == []
    assert store.last_change() == 0


def test_get_items_and_not_found(store: Store, now: datetime, ids: dict[str, int]) -> None:
    by_status = {item.status: item.id for item in store.items(ALL_STATUSES)}
    assert by_status == {
        "active": ids["a"],
        "paused": ids["b"],
        "waiting": ids["c"],
        "done": ids["d"],
        "dropped": ids["e"],
        "open": ids["f"],
    }
    assert {item.id for item in store.items()} == {ids[k] for k in "abcf"}
    assert [item.id for item in store.items(("done",))] == [ids["d"]]
    assert [i.id for i in store.closed_between(now - 24 * HOUR, now)] == [ids["d"], ids["e"]]
    assert store.active() == store.get(ids["a"])
    missing = max(ids[k] for k in "abcdef") + 100
    with pytest.raises(NotFound):
        store.get(missing)
    for action in (
        lambda: store.start(missing, now),
        lambda: store.pause(missing, now),
        lambda: store.done(missing, now),
        lambda: store.drop(missing, now),
        lambda: store.wait(missing, now),
        lambda: store.defer(missing, now + HOUR, now),
        lambda: store.pin(missing, now),
        lambda: store.bump(missing, 1, now),
        lambda: store.note(missing, "x", now),
        lambda: store.edit(missing, ItemChanges(title="x"), now),
        lambda: store.remind(missing, now + HOUR, "x", now),
        lambda: store.snooze(999, now + HOUR, now),
        lambda: store.dismiss(999, now),
        lambda: store.set_vip("Nobody", now, vip=False),
    ):
        before = store.last_change()
        with pytest.raises(NotFound):
            action()
        assert store.last_change() == before


def test_an_empty_store_has_nothing(store: Store) -> None:
    assert store.items(ALL_STATUSES) == []
    assert store.active() is None
    assert store.requesters() == []
    assert store.reminders(include_dismissed=True) == []
    assert store.spans() == []
    assert store.last_change() == 0
    assert store.journal() == []


# --- edit ------------------------------------------------------------------------------------


def test_edit_changes_only_the_fields_given(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    before = store.get(ids["a"])
    after = store.edit(ids["a"], ItemChanges(severity="critical", impact=3), now)
    assert after.severity == "critical"
    assert after.impact == 3
    unchanged = {
        name: getattr(before, name)
        for name in ItemRecord.__slots__
        if name not in {"severity", "impact"}
    }
    assert {name: getattr(after, name) for name in unchanged} == unchanged
    assert store.get(ids["a"]) == after


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (ItemChanges(title="Printer on fire"), {"title": "Printer on fire"}),
        (ItemChanges(channel="ticket"), {"channel": "ticket"}),
        (ItemChanges(estimate_minutes=45), {"estimate_minutes": 45}),
        (ItemChanges(ref="INC-7"), {"ref": "INC-7"}),
        (ItemChanges(vip=True), {"vip": True, "own_vip": True}),
        (ItemChanges(tags=("laser",)), {"tags": ("laser",)}),
        (ItemChanges(tags=()), {"tags": ()}),
        (ItemChanges(add_tags=("urgent", "printer")), {"tags": ("printer", "floor-2", "urgent")}),
    ],
    ids=["title", "channel", "estimate", "ref", "vip", "tags", "no tags", "add tags"],
)
def test_edit_each_field(
    store: Store,
    now: datetime,
    ids: dict[str, int],
    changes: ItemChanges,
    expected: dict[str, Any],
) -> None:
    before = store.get(ids["a"])
    after = store.edit(ids["a"], changes, now)
    for name in ItemRecord.__slots__:
        assert getattr(after, name) == expected.get(name, getattr(before, name)), name


def test_edit_times(store: Store, now: datetime, ids: dict[str, int]) -> None:
    after = store.edit(
        ids["f"], ItemChanges(due_at=now + 5 * HOUR, received_at=now - 5 * HOUR), now
    )
    assert after.due_at == now + 5 * HOUR
    assert after.received_at == now - 5 * HOUR


def test_edit_requester_finds_or_creates_them(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    bob = store.get(ids["b"]).requester_id
    moved = store.edit(ids["f"], ItemChanges(requester="BOB"), now)
    assert moved.requester_id == bob
    assert moved.requester == "Bob"
    assert moved.vip is True  # Bob is a VIP
    assert moved.own_vip is False
    count = len(store.requesters())
    fresh = store.edit(ids["f"], ItemChanges(requester="Zoe"), now)
    assert fresh.requester == "Zoe"
    assert len(store.requesters()) == count + 1


def test_edit_with_nothing_to_change_is_refused(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    before = snapshot(store, now)
    change = store.last_change()
    with pytest.raises(BadRequest):
        store.edit(ids["a"], ItemChanges(), now)
    with pytest.raises(BadRequest):
        store.edit(ids["a"], ItemChanges(severity="urgent"), now)
    with pytest.raises(BadRequest):
        store.edit(ids["a"], ItemChanges(title=" "), now)
    assert snapshot(store, now) == before
    assert store.last_change() == change


# --- start, pause, done, drop, wait, defer -----------------------------------------------------


def test_start_makes_the_item_active_with_an_open_span(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    started = store.start(item.id, now)
    assert started.status == "active"
    assert started.started_at == now
    spans = store.spans([item.id])
    assert len(spans) == 1
    assert spans[0].item_id == item.id
    assert spans[0].started_at == now
    assert spans[0].ended_at is None
    assert store.active() == started


def test_start_pauses_the_other_active_item_and_closes_its_span(
    store: Store, now: datetime
) -> None:
    first = add(store, now - HOUR, "first")
    second = add(store, now - HOUR, "second")
    store.start(first.id, now - 30 * MINUTE)
    store.start(second.id, now)
    assert store.get(first.id).status == "paused"
    assert store.get(second.id).status == "active"
    assert [item.id for item in store.items(("active",))] == [second.id]
    (first_span,) = store.spans([first.id])
    assert (first_span.started_at, first_span.ended_at) == (now - 30 * MINUTE, now)
    (second_span,) = store.spans([second.id])
    assert (second_span.started_at, second_span.ended_at) == (now, None)
    # restarting keeps the first start time and opens a new span
    later = now + 10 * MINUTE
    again = store.start(first.id, later)
    assert again.started_at == now - 30 * MINUTE
    assert [s.ended_at for s in store.spans([first.id])] == [now, None]
    assert store.spans([second.id])[0].ended_at == later
    assert store.get(second.id).status == "paused"


def test_start_brings_a_deferred_or_waiting_item_back(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.defer(item.id, now + HOUR, now - 30 * MINUTE)
    assert store.start(item.id, now).deferred_until is None
    store.wait(item.id, now + MINUTE, until=now + 2 * HOUR)
    started = store.start(item.id, now + 2 * MINUTE)
    assert started.status == "active"
    assert started.deferred_until is None


def test_pause_closes_the_span(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.start(item.id, now - 20 * MINUTE)
    paused = store.pause(item.id, now)
    assert paused.status == "paused"
    assert store.active() is None
    (span,) = store.spans([item.id])
    assert span.ended_at == now


def test_done_closes_the_span_and_records_when(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.start(item.id, now - 20 * MINUTE)
    done = store.done(item.id, now)
    assert done.status == "done"
    assert done.done_at == now
    assert done.drop_reason is None
    assert store.spans([item.id])[0].ended_at == now
    assert store.items() == []
    assert store.closed_between(now - HOUR, now + MINUTE) == [done]


def test_done_from_open_records_no_span(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    assert store.done(item.id, now).status == "done"
    assert store.spans([item.id]) == []


def test_drop_keeps_the_reason(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.start(item.id, now - 5 * MINUTE)
    dropped = store.drop(item.id, now, reason="duplicate of INC-41")
    assert dropped.status == "dropped"
    assert dropped.drop_reason == "duplicate of INC-41"
    assert dropped.done_at == now
    assert store.spans([item.id])[0].ended_at == now
    other = store.drop(add(store, now).id, now)
    assert other.status == "dropped"
    assert other.drop_reason is None


def test_wait_without_and_with_until(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.start(item.id, now - 5 * MINUTE)
    waiting = store.wait(item.id, now)
    assert waiting.status == "waiting"
    assert waiting.deferred_until is None
    assert store.active() is None
    assert store.spans([item.id])[0].ended_at == now
    other = add(store, now)
    until = now + 3 * HOUR
    waiting_until = store.wait(other.id, now, until=until)
    assert waiting_until.status == "waiting"
    assert waiting_until.deferred_until == until


def test_wait_refuses_a_past_until(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    change = store.last_change()
    for until in (now, now - MINUTE):
        with pytest.raises(BadRequest):
            store.wait(item.id, now, until=until)
    assert store.get(item.id).status == "open"
    assert store.last_change() == change


def test_defer_sets_the_time_and_refuses_the_past(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    change = store.last_change()
    for when in (now, now - HOUR):
        with pytest.raises(BadRequest):
            store.defer(item.id, when, now)
    assert store.last_change() == change
    deferred = store.defer(item.id, now + 2 * HOUR, now)
    assert deferred.deferred_until == now + 2 * HOUR
    assert deferred.status == "open"


def test_deferring_the_active_item_pauses_it(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.start(item.id, now - 10 * MINUTE)
    deferred = store.defer(item.id, now + HOUR, now)
    assert deferred.status == "paused"
    assert deferred.deferred_until == now + HOUR
    assert store.active() is None
    assert store.spans([item.id])[0].ended_at == now


def test_finishing_clears_a_deferral(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.defer(item.id, now + HOUR, now - MINUTE)
    assert store.done(item.id, now).deferred_until is None


def test_pin_and_unpin(store: Store, now: datetime) -> None:
    item = add(store, now)
    assert store.pin(item.id, now).pinned is True
    assert store.get(item.id).pinned is True
    assert store.pin(item.id, now, pinned=False).pinned is False
    assert store.get(item.id).pinned is False


def test_bump_is_cumulative_and_limited(store: Store, now: datetime) -> None:
    item = add(store, now)
    assert store.bump(item.id, 2, now).bump == 2
    assert store.bump(item.id, 3, now).bump == 5
    assert store.bump(item.id, -1.5, now).bump == 3.5
    assert store.bump(item.id, 16.5, now).bump == 20
    change = store.last_change()
    for steps in (0, 0.5, 100):
        with pytest.raises(BadRequest):
            store.bump(item.id, steps, now)
    assert store.get(item.id).bump == 20
    assert store.last_change() == change
    assert store.bump(item.id, -40, now).bump == -20
    with pytest.raises(BadRequest):
        store.bump(item.id, -1, now)
    assert store.get(item.id).bump == -20


# --- status rules ------------------------------------------------------------------------------

#: What each action allows, by the status of the item it is given.
ALLOWED = {
    "start": {"open", "paused", "waiting"},
    "pause": {"active"},
    "done": set(OPEN_STATUSES),
    "drop": set(OPEN_STATUSES),
    "wait": {"open", "active", "paused"},
    "defer": set(OPEN_STATUSES),
    "pin": set(OPEN_STATUSES),
    "unpin": set(OPEN_STATUSES),
    "bump": set(OPEN_STATUSES),
}
STATUS_ITEM = {
    "active": "a",
    "paused": "b",
    "waiting": "c",
    "done": "d",
    "dropped": "e",
    "open": "f",
}


def _item_action(name: str, store: Store, item_id: int, now: datetime) -> object:
    return {
        "start": lambda: store.start(item_id, now),
        "pause": lambda: store.pause(item_id, now),
        "done": lambda: store.done(item_id, now),
        "drop": lambda: store.drop(item_id, now, reason="no longer needed"),
        "wait": lambda: store.wait(item_id, now),
        "defer": lambda: store.defer(item_id, now + HOUR, now),
        "pin": lambda: store.pin(item_id, now),
        "unpin": lambda: store.pin(item_id, now, pinned=False),
        "bump": lambda: store.bump(item_id, 1, now),
    }[name]()


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_an_action_the_status_does_not_allow_is_refused(
    store: Store, now: datetime, ids: dict[str, int], action: str
) -> None:
    baseline = snapshot(store, now)
    for status, key in STATUS_ITEM.items():
        assert store.get(ids[key]).status == status
        change = store.last_change()
        if status in ALLOWED[action]:
            _item_action(action, store, ids[key], now)
            assert store.last_change() > change
            store.undo(now)
        else:
            with pytest.raises(BadRequest, match=status):
                _item_action(action, store, ids[key], now)
            assert store.last_change() == change
        assert snapshot(store, now) == baseline, (action, status)


# --- notes -------------------------------------------------------------------------------------


def test_notes_plain_promise_and_contact(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    plain = store.note(item.id, "toner ordered", now - 3 * MINUTE)
    assert (plain.item_id, plain.kind, plain.text, plain.due_at) == (
        item.id,
        "plain",
        "toner ordered",
        None,
    )
    assert plain.created_at == now - 3 * MINUTE
    assert store.get(item.id).promise_due_at is None
    due = now + 2 * HOUR
    promise = store.note(item.id, "by 11:00", now - 2 * MINUTE, kind="promise", due_at=due)
    assert (promise.kind, promise.due_at) == ("promise", due)
    assert store.get(item.id).promise_due_at == due
    contact = store.note(item.id, "told her it's ordered", now - MINUTE, kind="contact")
    assert contact.kind == "contact"
    assert store.notes(item.id) == [plain, promise, contact]
    later = store.note(item.id, "by noon", now, kind="promise", due_at=due + HOUR)
    assert store.get(item.id).promise_due_at == due + HOUR
    assert store.notes(item.id)[-1] == later


def test_a_promise_on_a_finished_item_does_not_change_it(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.done(item.id, now - MINUTE)
    store.note(item.id, "follow-up call", now, kind="promise", due_at=now + HOUR)
    assert store.get(item.id).promise_due_at is None


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [("", "plain", None), ("   ", "plain", None), ("x", "promise", None), ("x", "memo", None)],
)
def test_bad_notes_are_refused(
    store: Store, now: datetime, text: str, kind: str, due: datetime | None
) -> None:
    item = add(store, now)
    change = store.last_change()
    with pytest.raises(BadRequest):
        store.note(item.id, text, now, kind=kind, due_at=due)
    assert store.notes(item.id) == []
    assert store.last_change() == change


# --- VIP ---------------------------------------------------------------------------------------


def test_vip_follows_the_requester(store: Store, now: datetime) -> None:
    one = add(store, now, "one", requester="Dana")
    two = add(store, now, "two", requester="dana")
    other = add(store, now, "three", requester="Eve")
    requester = store.set_vip("DANA", now)
    assert requester.name == "Dana"
    assert requester.vip is True
    assert store.get(one.id).vip is True
    assert store.get(two.id).vip is True
    assert store.get(one.id).own_vip is False
    assert store.get(other.id).vip is False
    later = add(store, now, "four", requester="Dana")
    assert later.vip is True
    off = store.set_vip("dana", now, vip=False)
    assert off.vip is False
    assert store.get(one.id).vip is False
    assert store.get(later.id).vip is False


def test_an_item_marked_vip_stays_vip_when_its_requester_is_not(
    store: Store, now: datetime
) -> None:
    item = add(store, now, requester="Dana", vip=True)
    store.set_vip("Dana", now)
    store.set_vip("Dana", now, vip=False)
    assert store.get(item.id).vip is True


def test_set_vip_creates_a_new_requester(store: Store, now: datetime) -> None:
    created = store.set_vip("Frank Castle", now)
    assert (created.name, created.vip, created.email) == ("Frank Castle", True, None)
    by_mail = store.set_vip("gina@example.com", now)
    assert by_mail.email == "gina@example.com"
    assert {r.name for r in store.requesters()} == {"Frank Castle", "gina@example.com"}
    assert add(store, now, requester="frank castle").vip is True


def test_set_vip_off_for_nobody_is_not_found(store: Store, now: datetime) -> None:
    with pytest.raises(NotFound):
        store.set_vip("Nobody", now, vip=False)
    assert store.requesters() == []
    assert store.last_change() == 0


@pytest.mark.parametrize("who", ["", "   "])
def test_set_vip_refuses_a_blank_name(store: Store, now: datetime, who: str) -> None:
    with pytest.raises(BadRequest):
        store.set_vip(who, now)
    assert store.requesters() == []
    assert store.last_change() == 0


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_remind_snooze_dismiss(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR, "Printer jams")
    later = store.remind(item.id, now + 2 * HOUR, "check toner", now)
    sooner = store.remind(None, now + HOUR, "order cables", now)
    assert (later.item_id, later.text, later.due_at, later.created_at) == (
        item.id,
        "check toner",
        now + 2 * HOUR,
        now,
    )
    assert later.item_title == "Printer jams"
    assert later.dismissed_at is None
    assert sooner.item_id is None
    assert sooner.item_title is None
    assert store.reminders() == [sooner, later]
    assert store.reminders_for(item.id) == [later]

    snoozed = store.snooze(sooner.id, now + 3 * HOUR, now)
    assert snoozed.due_at == now + 3 * HOUR
    assert [r.id for r in store.reminders()] == [later.id, sooner.id]

    dismissed = store.dismiss(later.id, now + MINUTE)
    assert dismissed.dismissed_at == now + MINUTE
    assert [r.id for r in store.reminders()] == [sooner.id]
    assert [r.id for r in store.reminders(include_dismissed=True)] == [later.id, sooner.id]
    assert store.reminders_for(item.id) == [dismissed]


def test_bad_reminder_requests_are_refused(store: Store, now: datetime) -> None:
    item = add(store, now)
    reminder = store.remind(item.id, now + HOUR, "call back", now)
    change = store.last_change()
    with pytest.raises(BadRequest):
        store.remind(item.id, now + HOUR, "  ", now)
    with pytest.raises(BadRequest):
        store.snooze(reminder.id, now, now)
    with pytest.raises(BadRequest):
        store.snooze(reminder.id, now - HOUR, now)
    with pytest.raises(NotFound):
        store.snooze(reminder.id + 1, now + HOUR, now)
    with pytest.raises(NotFound):
        store.dismiss(reminder.id + 1, now)
    assert store.last_change() == change
    store.dismiss(reminder.id, now)
    change = store.last_change()
    with pytest.raises(BadRequest):
        store.dismiss(reminder.id, now)
    with pytest.raises(BadRequest):
        store.snooze(reminder.id, now + HOUR, now)
    assert store.last_change() == change


# --- spans and closed items ----------------------------------------------------------------


def test_spans_between_and_closed_between(store: Store, now: datetime) -> None:
    day = now.replace(hour=0)
    a = add(store, day, "a")
    b = add(store, day, "b")
    c = add(store, day, "c")
    store.start(a.id, day + 8 * HOUR)
    store.pause(a.id, day + 9 * HOUR)
    store.start(b.id, day + 10 * HOUR)
    store.done(b.id, day + 11 * HOUR)
    store.start(c.id, day + 12 * HOUR)  # still running
    store.drop(a.id, day + 13 * HOUR)

    assert [(s.item_id, s.started_at, s.ended_at) for s in store.spans()] == [
        (a.id, day + 8 * HOUR, day + 9 * HOUR),
        (b.id, day + 10 * HOUR, day + 11 * HOUR),
        (c.id, day + 12 * HOUR, None),
    ]
    assert [s.item_id for s in store.spans([b.id, c.id])] == [b.id, c.id]
    assert store.spans([]) == []

    def between(start: timedelta, end: timedelta) -> list[int]:
        return [s.item_id for s in store.spans_between(day + start, day + end)]

    assert between(0 * HOUR, 8 * HOUR) == []
    assert between(0 * HOUR, 24 * HOUR) == [a.id, b.id, c.id]
    assert between(8 * HOUR + MINUTE, 8 * HOUR + 2 * MINUTE) == [a.id]
    assert between(9 * HOUR, 10 * HOUR) == []  # touching ends do not overlap
    assert between(10 * HOUR + 30 * MINUTE, 12 * HOUR + MINUTE) == [b.id, c.id]
    assert between(30 * HOUR, 31 * HOUR) == [c.id]  # an open span runs on

    def closed(start: timedelta, end: timedelta) -> list[int]:
        return [i.id for i in store.closed_between(day + start, day + end)]

    assert closed(0 * HOUR, 24 * HOUR) == [b.id, a.id]
    assert closed(11 * HOUR, 13 * HOUR) == [b.id]  # [start, end)
    assert closed(11 * HOUR + MINUTE, 13 * HOUR + MINUTE) == [a.id]
    assert closed(24 * HOUR, 48 * HOUR) == []


def test_queries_take_aware_times_in_any_zone(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    store.done(item.id, now)
    tokyo = timezone(timedelta(hours=9))
    local_now = now.astimezone(tokyo)
    assert [i.id for i in store.closed_between(local_now, local_now + MINUTE)] == [item.id]
    assert store.closed_between(local_now + timedelta(microseconds=1), local_now + MINUTE) == []


# --- the journal: last_change, undo -----------------------------------------------------------

Action = Callable[[Store, dict[str, int], datetime], object]

#: One of each kind of write, each done on the populated store at ``now``.
ACTIONS: dict[str, Action] = {
    "add new requester": lambda s, i, n: add(s, n, "Wi-Fi slow", requester="Hank", tags=("wifi",)),
    "add known requester": lambda s, i, n: add(s, n, "Mouse", requester="ALICE", vip=True),
    "add no requester": lambda s, i, n: add(s, n, "Question", estimate_minutes=1),
    "edit fields": lambda s, i, n: s.edit(
        i["a"], ItemChanges(title="Printer on fire", severity="critical", add_tags=("fire",)), n
    ),
    "edit new requester": lambda s, i, n: s.edit(i["f"], ItemChanges(requester="Ivy"), n),
    "start pausing another": lambda s, i, n: s.start(i["f"], n),
    "start paused": lambda s, i, n: s.start(i["b"], n),
    "start waiting": lambda s, i, n: s.start(i["c"], n),
    "pause": lambda s, i, n: s.pause(i["a"], n),
    "done active": lambda s, i, n: s.done(i["a"], n),
    "done open": lambda s, i, n: s.done(i["f"], n),
    "drop": lambda s, i, n: s.drop(i["a"], n, reason="not ours"),
    "wait": lambda s, i, n: s.wait(i["a"], n),
    "wait until": lambda s, i, n: s.wait(i["f"], n, until=n + HOUR),
    "defer active": lambda s, i, n: s.defer(i["a"], n + HOUR, n),
    "defer open": lambda s, i, n: s.defer(i["f"], n + HOUR, n),
    "pin": lambda s, i, n: s.pin(i["f"], n),
    "unpin": lambda s, i, n: s.pin(i["f"], n, pinned=False),
    "bump": lambda s, i, n: s.bump(i["b"], -2, n),
    "note": lambda s, i, n: s.note(i["a"], "still jammed", n),
    "promise": lambda s, i, n: s.note(i["b"], "by noon", n, kind="promise", due_at=n + HOUR),
    "contact": lambda s, i, n: s.note(i["c"], "emailed", n, kind="contact"),
    "vip on": lambda s, i, n: s.set_vip("alice", n),
    "vip on new": lambda s, i, n: s.set_vip("Judy", n),
    "vip off": lambda s, i, n: s.set_vip("bob", n, vip=False),
    "remind": lambda s, i, n: s.remind(i["f"], n + HOUR, "ask Carol", n),
    "remind free": lambda s, i, n: s.remind(None, n + HOUR, "backups", n),
    "snooze": lambda s, i, n: s.snooze(i["r1"], n + 2 * HOUR, n),
    "dismiss": lambda s, i, n: s.dismiss(i["r2"], n),
    "carry over": lambda s, i, n: s.carry_over([i["a"]], n),
    "carry over with promise": lambda s, i, n: s.carry_over(
        [i["f"]], n, note="after lunch", promise_due_at=n + HOUR, promise_text="by 10"
    ),
    "carry over skipped": lambda s, i, n: s.carry_over([i["b"], i["c"], i["f"]], n, skipped=True),
    "carry rest": lambda s, i, n: s.carry_rest(n - 12 * HOUR, n + HOUR, now=n, exclude=[i["a"]]),
    "log edit": lambda s, i, n: s.edit_span(1, n, started_at=n - 2 * HOUR, ended_at=n - HOUR),
    "log edit running": lambda s, i, n: s.edit_span(4, n, started_at=n - 2 * HOUR),
    "close overnight": lambda s, i, n: _close_overnight(s, n),
    "import merge": lambda s, i, n: s.import_(s.export(n), n, merge=True),
}


def _close_overnight(store: Store, now: datetime) -> object:
    """With a working day that ended an hour after each span started."""
    store.span_cutoff = lambda started: started + HOUR
    return store.close_overnight(now)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_undo_restores_the_store_exactly(
    store: Store, now: datetime, ids: dict[str, int], action: str
) -> None:
    if action == "unpin":  # an unpin changes something only on a pinned item
        store.pin(ids["f"], now - MINUTE)
    before = snapshot(store, now)
    change = store.last_change()
    ACTIONS[action](store, ids, now)
    assert store.last_change() > change
    assert snapshot(store, now) != before
    summary = store.undo(now + MINUTE)
    assert isinstance(summary, str)
    assert summary
    assert snapshot(store, now) == before
    assert store.last_change() > change


def test_undo_every_action_back_to_empty(store: Store, now: datetime) -> None:
    empty = snapshot(store, now)
    ids = populate(store, now)  # adds, starts, notes of each kind, wait, done, drop, VIP, …
    store.edit(ids["f"], ItemChanges(requester="Ivy", severity="high", tags=("x",)), now)
    store.pin(ids["f"], now)
    store.bump(ids["f"], 3, now)
    store.defer(ids["a"], now + HOUR, now)
    store.wait(ids["f"], now, until=now + HOUR)
    store.snooze(ids["r1"], now + 3 * HOUR, now)
    store.set_vip("bob", now, vip=False)
    store.edit_span(1, now, ended_at=now - HOUR)
    store.carry_over([ids["b"], ids["c"]], now, promise_due_at=now + HOUR)
    store.start(ids["f"], now - 2 * HOUR)
    store.span_cutoff = lambda started: started + HOUR
    assert store.close_overnight(now)
    store.import_(store.export(now), now, merge=True)
    entries = journal_size(store)
    assert entries > 20
    undone = 0
    while True:
        try:
            store.undo(now)
        except NothingToUndo:
            break
        undone += 1
    assert undone == entries
    assert snapshot(store, now) == empty
    assert store.items(ALL_STATUSES) == []
    assert store.requesters() == []
    with pytest.raises(NothingToUndo):
        store.undo(now)


def test_nothing_to_undo_on_an_empty_journal(store: Store, now: datetime) -> None:
    with pytest.raises(NothingToUndo):
        store.undo(now)
    assert store.last_change() == 0


def test_undo_undoes_the_last_action_not_yet_undone(store: Store, now: datetime) -> None:
    first = add(store, now, "first")
    store.start(first.id, now)
    store.pin(first.id, now)
    assert "pin" in store.undo(now)
    assert store.get(first.id).pinned is False
    assert store.get(first.id).status == "active"
    assert "start" in store.undo(now)  # an undo is not itself undone
    assert store.get(first.id).status == "open"
    assert "first" in store.undo(now)
    with pytest.raises(NotFound):
        store.get(first.id)
    with pytest.raises(NothingToUndo):
        store.undo(now)
    second = add(store, now, "second")
    store.undo(now)
    with pytest.raises(NotFound):
        store.get(second.id)
    with pytest.raises(NothingToUndo):
        store.undo(now)


def test_last_change_moves_on_every_write_only(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    seen = [store.last_change()]
    assert seen[0] > 0
    for name, action in ACTIONS.items():
        if name == "import merge":
            continue
        snapshot(store, now)
        store.items(ALL_STATUSES)
        assert store.last_change() == seen[-1]  # reads do not move it
        action(store, ids, now)
        seen.append(store.last_change())
        assert seen[-1] > seen[-2], name
        store.undo(now)
        seen.append(store.last_change())
        assert seen[-1] > seen[-2], f"undo {name}"
    store.import_(store.export(now), now, merge=True)
    assert store.last_change() > seen[-1]


def test_journal_lists_actions_newest_first(store: Store, now: datetime) -> None:
    item = add(store, now, "first")
    store.start(item.id, now + MINUTE)
    store.undo(now + 2 * MINUTE)
    entries = store.journal()
    assert [e["action"] for e in entries] == ["undo", "start", "add"]
    assert [e["undone"] for e in entries] == [False, True, False]
    assert entries[1]["item_id"] == item.id
    assert entries[0]["at"] == now + 2 * MINUTE
    assert "changes" not in entries[0]


# --- export and import -----------------------------------------------------------------------


@pytest.mark.parametrize("target", BACKENDS)
def test_export_import_round_trips_exactly(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, target: str
) -> None:
    exported = store.export(now)
    assert exported["format"] == "techqueue-export"
    assert {"requester", "item", "note", "reminder", "work_span"} <= set(exported)
    other = make_store(target)
    counts = other.import_(copy.deepcopy(exported), now)
    assert counts == {t: len(exported[t]) for t in counts}
    assert comparable(other.export(now + HOUR)) == comparable(exported)
    for key in "abcdef":
        assert other.get(ids[key]) == store.get(ids[key])
    assert other.reminders(include_dismissed=True) == store.reminders(include_dismissed=True)
    assert other.spans() == store.spans()
    assert other.notes(ids["a"]) == store.notes(ids["a"])
    assert other.requesters() == store.requesters()


def test_an_export_is_plain_json(store: Store, now: datetime, ids: dict[str, int]) -> None:
    import json

    exported = store.export(now)
    assert json.loads(json.dumps(exported)) == exported


def test_import_into_a_used_store_needs_merge(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, backend: str
) -> None:
    other = make_store(backend)
    add(other, now, "already here")
    before = snapshot(other, now)
    change = other.last_change()
    with pytest.raises(BadRequest):
        other.import_(store.export(now), now)
    assert snapshot(other, now) == before
    assert other.last_change() == change


def test_import_merge_gives_new_ids_and_keeps_references(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, backend: str
) -> None:
    other = make_store(backend)
    mine = add(other, now, "already here", requester="Alice")
    add(other, now, "another", requester="Zed")
    exported = store.export(now)
    other.import_(copy.deepcopy(exported), now, merge=True)

    items = {item.title: item for item in other.items(ALL_STATUSES)}
    assert len(items) == 2 + len(exported["item"])
    assert items["already here"] == other.get(mine.id)
    old_ids = {row["id"] for row in exported["item"]}
    new_ids = {items[row["title"]].id for row in exported["item"]}
    assert not new_ids & {mine.id}
    assert len(new_ids) == len(old_ids)
    # requesters: Alice is matched by name, Bob and Carol are added once
    assert sorted(r.name for r in other.requesters()) == ["Alice", "Bob", "Carol", "Zed"]
    for row in exported["item"]:
        original = store.get(row["id"])
        copied = items[row["title"]]
        assert copied.requester == original.requester
        assert copied.vip == original.vip
        # a merged store keeps one active item, its own: an imported one arrives paused,
        # its open span closed at the time of the import
        expected_status = "paused" if original.status == "active" else original.status
        assert (copied.status, copied.tags, copied.received_at) == (
            expected_status,
            original.tags,
            original.received_at,
        )
        assert [(n.kind, n.text, n.due_at) for n in other.notes(copied.id)] == [
            (n.kind, n.text, n.due_at) for n in store.notes(original.id)
        ]
        assert [(s.started_at, s.ended_at) for s in other.spans([copied.id])] == [
            (s.started_at, s.ended_at or max(now, s.started_at)) for s in store.spans([original.id])
        ]
    reminders = {r.text: r for r in other.reminders(include_dismissed=True)}
    assert reminders["check the toner"].item_title == "Printer jams"
    assert reminders["order cables"].item_id is None
    assert reminders["call Bob"].item_title == "VPN down"
    assert other.get(mine.id).requester_id == items["Printer jams"].requester_id
    # and the whole merge is one action
    other.undo(now)
    assert sorted(i.title for i in other.items(ALL_STATUSES)) == ["already here", "another"]


def _valid_export(now: datetime) -> dict[str, Any]:
    stamp = now.isoformat()
    return {
        "format": "techqueue-export",
        "version": 1,
        "schema": 1,
        "exported_at": stamp,
        "requester": [
            {
                "id": 1,
                "name": "Alice",
                "email": None,
                "vip": False,
                "note": None,
                "created_at": stamp,
            }
        ],
        "item": [
            {
                "id": 1,
                "title": "Printer jams",
                "requester_id": 1,
                "channel": "desk",
                "severity": "high",
                "impact": 1,
                "estimate_minutes": 15.0,
                "status": "open",
                "vip": False,
                "pinned": False,
                "bump": 0.0,
                "tags": ["printer"],
                "ref": None,
                "received_at": stamp,
                "created_at": stamp,
                "started_at": None,
                "done_at": None,
                "due_at": None,
                "deferred_until": None,
                "promise_due_at": None,
                "drop_reason": None,
            },
            {
                "id": 2,
                "title": "VPN down",
                "requester_id": None,
                "channel": "phone",
                "severity": "critical",
                "status": "open",
                "received_at": stamp,
                "created_at": stamp,
            },
        ],
        "note": [
            {"id": 1, "item_id": 1, "kind": "plain", "text": "toner", "created_at": stamp},
            {
                "id": 2,
                "item_id": 2,
                "kind": "promise",
                "text": "by noon",
                "created_at": stamp,
                "due_at": stamp,
            },
        ],
        "reminder": [
            {"id": 1, "item_id": 2, "text": "call", "due_at": stamp, "created_at": stamp},
            {"id": 2, "item_id": None, "text": "backups", "due_at": stamp, "created_at": stamp},
        ],
        "work_span": [{"id": 1, "item_id": 1, "started_at": stamp, "ended_at": None}],
    }


def test_the_valid_export_used_below_imports(store: Store, now: datetime) -> None:
    counts = store.import_(_valid_export(now), now)
    assert counts == {"requester": 1, "item": 2, "note": 2, "reminder": 2, "work_span": 1}
    assert store.get(2).impact == 1  # defaults fill in what an export leaves out
    assert store.get(2).tags == ()


def _set(table: str, index: int, **values: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data[table][index].update(values)

    return change


def _drop_field(table: str, index: int, name: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del data[table][index][name]

    return change


def _top(**values: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data.update(values)

    return change


def _duplicate(table: str, index: int) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data[table].append(dict(data[table][index]))

    return change


BAD_EXPORTS = [
    pytest.param(_top(format="something-else"), id="wrong format"),
    pytest.param(_top(version=2), id="unknown export version"),
    pytest.param(_top(item={"1": {}}), id="table not a list"),
    pytest.param(_top(item=[{"title": "no id"}]), id="row without id"),
    pytest.param(_set("item", 0, requester_id=99), id="dangling requester_id"),
    pytest.param(_set("note", 1, item_id=99), id="dangling note item_id"),
    pytest.param(_set("reminder", 0, item_id=99), id="dangling reminder item_id"),
    pytest.param(_set("work_span", 0, item_id=99), id="dangling work_span item_id"),
    pytest.param(_set("item", 1, received_at="yesterday"), id="bad time"),
    pytest.param(_set("note", 0, created_at=1700000000), id="time as a number"),
    pytest.param(_set("item", 0, colour="red"), id="unknown field"),
    pytest.param(_set("item", 1, severity="urgent"), id="bad severity"),
    pytest.param(_set("item", 1, channel="fax"), id="bad channel"),
    pytest.param(_set("item", 1, status="finished"), id="bad status"),
    pytest.param(_set("item", 0, tags="printer"), id="tags not a list"),
    pytest.param(_drop_field("item", 1, "title"), id="missing title"),
    pytest.param(_set("requester", 0, name=""), id="empty requester name"),
    pytest.param(
        _set("note", 0, kind="memo"),
        id="bad note kind",
    ),
    pytest.param(
        _set("item", 1, impact="many"),
        id="impact not a number",
    ),
    pytest.param(
        _set("item", 1, impact=0),
        id="impact out of range",
    ),
    pytest.param(
        _set("item", 0, estimate_minutes=-5),
        id="negative estimate",
    ),
    pytest.param(
        _set("item", 0, bump="lots"),
        id="bump not a number",
    ),
    pytest.param(
        _duplicate("item", 1),
        id="duplicate item id",
    ),
]


@pytest.mark.parametrize("spoil", BAD_EXPORTS)
def test_a_bad_export_is_refused_and_nothing_is_imported(
    store: Store, now: datetime, spoil: Callable[[dict[str, Any]], None]
) -> None:
    data = _valid_export(now)
    spoil(data)
    with pytest.raises(BadRequest) as raised:
        store.import_(data, now)
    assert "\n" not in str(raised.value)
    for table in ("requester", "item", "note", "reminder", "work_span", "journal"):
        assert store.db.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert store.last_change() == 0


def test_a_bad_export_merged_into_a_used_store_changes_nothing(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    before = snapshot(store, now)
    change = store.last_change()
    data = _valid_export(now)
    data["reminder"][0]["item_id"] = 99  # the last rows are bad: the first ones must go too
    with pytest.raises(BadRequest):
        store.import_(data, now, merge=True)
    assert snapshot(store, now) == before
    assert store.last_change() == change


@pytest.mark.parametrize("data", [None, [], "text", {"format": "techqueue-export"}])
def test_not_an_export_at_all(store: Store, now: datetime, data: object) -> None:
    with pytest.raises(BadRequest):
        store.import_(data, now)
    assert store.last_change() == 0


def test_import_then_undo_empties_the_store(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, backend: str
) -> None:
    other = make_store(backend)
    empty = snapshot(other, now)
    other.import_(store.export(now), now)
    other.undo(now)
    assert snapshot(other, now) == empty


# --- times ------------------------------------------------------------------------------------


@pytest.fixture
def local_zone() -> Iterator[None]:
    """Run in a local time zone far from UTC (exports write local times): UTC-3:30."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "XST+3:30"  # POSIX: no tz database needed
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_times_come_back_as_aware_utc_the_same_instant(store: Store, now: datetime) -> None:
    kolkata = timezone(timedelta(hours=5, minutes=30))
    pacific = timezone(timedelta(hours=-8))
    received = datetime(2026, 3, 2, 1, 2, 3, 456789, tzinfo=pacific)
    due = datetime(2026, 3, 2, 18, 45, 0, 1, tzinfo=kolkata)
    item = add(store, now, received_at=received, due_at=due)
    for record in (item, store.get(item.id), store.items()[0]):
        assert record.received_at == received
        assert record.due_at == due
        assert record.created_at == now
        for moment in (record.received_at, record.due_at, record.created_at):
            assert moment is not None
            assert moment.utcoffset() == timedelta(0)
        assert record.received_at.microsecond == 456789
    note = store.note(item.id, "by then", now, kind="promise", due_at=due)
    assert note.due_at == due
    assert store.get(item.id).promise_due_at == due
    reminder = store.remind(item.id, due, "call", now.astimezone(kolkata))
    assert (reminder.due_at, reminder.created_at) == (due, now)
    assert reminder.due_at.utcoffset() == timedelta(0)
    store.start(item.id, received.astimezone(kolkata))
    (span,) = store.spans()
    assert span.started_at == received
    assert span.started_at.tzinfo is not None
    assert span.started_at.utcoffset() == timedelta(0)


def test_export_round_trips_in_a_local_zone_far_from_utc(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, local_zone: None
) -> None:
    exported = store.export(now)
    assert exported["item"][0]["created_at"].endswith("-03:30")
    assert exported["exported_at"] == "2026-03-02T05:30:00-03:30"
    for target in BACKENDS:
        other = make_store(target)
        other.import_(copy.deepcopy(exported), now)
        assert comparable(other.export(now)) == comparable(exported)
        assert other.get(ids["a"]) == store.get(ids["a"])


def test_a_naive_time_in_an_export_is_local_time(
    store: Store, now: datetime, local_zone: None
) -> None:
    data = _valid_export(now)
    data["item"][1]["received_at"] = "2026-03-02T05:30:00"
    store.import_(data, now)
    assert store.get(2).received_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


# --- property: any sequence of actions, undone, leaves no trace ---------------------------------

STEP_NAMES = (
    "add",
    "edit",
    "start",
    "pause",
    "done",
    "drop",
    "wait",
    "defer",
    "pin",
    "unpin",
    "bump",
    "note",
    "promise",
    "contact",
    "vip",
    "vip off",
    "remind",
    "snooze",
    "dismiss",
    "carry",
    "log edit",
)
NAMES = ("Alice", "alice", "Bob", "carol@example.com", "Dana")
steps = st.lists(
    st.tuples(
        st.sampled_from(("add",) * 4 + STEP_NAMES),  # enough items for the rest to act on
        st.integers(1, 7),  # which item or reminder (ids start at 1; the last may be missing)
        st.integers(-30, 600),  # minutes: an offset in time, a bump, …
        st.sampled_from(NAMES),
    ),
    min_size=8,
    max_size=30,
)


def _step(store: Store, name: str, target: int, minutes: int, who: str, now: datetime) -> object:
    later = now + timedelta(minutes=minutes)
    severity = ("critical", "high", "normal", "low")[target % 4]
    match name:
        case "add":
            return add(store, now, f"item {minutes}", requester=who, severity=severity, tags=(who,))
        case "edit":
            return store.edit(target, ItemChanges(title=f"edited {minutes}", requester=who), now)
        case "start":
            return store.start(target, now)
        case "pause":
            return store.pause(target, now)
        case "done":
            return store.done(target, now)
        case "drop":
            return store.drop(target, now, reason=who)
        case "wait":
            return store.wait(target, now, until=later if minutes % 2 else None)
        case "defer":
            return store.defer(target, later, now)
        case "pin":
            return store.pin(target, now)
        case "unpin":
            return store.pin(target, now, pinned=False)
        case "bump":
            return store.bump(target, minutes % 7 - 3, now)
        case "note":
            return store.note(target, f"note {minutes}", now)
        case "promise":
            return store.note(target, "promised", now, kind="promise", due_at=later)
        case "contact":
            return store.note(target, "told them", now, kind="contact")
        case "vip":
            return store.set_vip(who, now)
        case "vip off":
            return store.set_vip(who, now, vip=False)
        case "remind":
            return store.remind(target or None, later, f"remind {minutes}", now)
        case "snooze":
            return store.snooze(target, later, now)
        case "dismiss":
            return store.dismiss(target, now)
        case "carry":
            return store.carry_over(
                [target], now, promise_due_at=later if minutes > 0 else None, skipped=minutes < 0
            )
        case "log edit":
            return store.edit_span(target, now, started_at=now - timedelta(minutes=abs(minutes)))
    raise AssertionError(name)


@settings(
    deadline=None,
    max_examples=30,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=steps)
def test_any_actions_then_as_many_undos_restore_the_store(
    backend: str, make_store: MakeStore, now: datetime, sequence: list[tuple[str, int, int, str]]
) -> None:
    store = make_store(backend)
    try:
        initial = snapshot(store, now)
        done = 0
        moment = now
        for name, target, minutes, who in sequence:
            moment += timedelta(minutes=abs(minutes) % 17 + 1)
            change = store.last_change()
            before = snapshot(store, moment)
            try:
                _step(store, name, target, minutes, who, moment)
            except StoreError:
                # a refused action writes nothing at all
                assert store.last_change() == change
                assert snapshot(store, moment) == before
            else:
                assert store.last_change() > change
                done += 1
                active = store.items(("active",))
                assert len(active) <= 1
                open_spans = [s for s in store.spans() if s.ended_at is None]
                assert [s.item_id for s in open_spans] == [i.id for i in active]
        event(f"actions done: {done // 5 * 5}+")
        for _ in range(done):
            store.undo(moment)
        assert snapshot(store, now) == initial
        with pytest.raises(NothingToUndo):
            store.undo(moment)
    finally:
        store.close()


def test_touched_since_names_every_row_changed_after_a_journal_entry(
    store: Store, now: datetime
) -> None:
    first = add(store, now)
    seen = store.last_change()
    assert store.touched_since(seen) == (seen, {})
    second = add(store, now, "VPN down")
    store.start(first.id, now)
    newest, touched = store.touched_since(seen)
    assert newest == store.last_change() == seen + 2
    assert touched is not None
    assert touched["item"] == {first.id, second.id}
    store.undo(now)
    assert store.touched_since(seen) == (seen + 3, None), "after an undo, anything may differ"
