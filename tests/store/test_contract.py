"""The store contract: every operation of :class:`techqueue.store.Store`, run on both backends.

Every test here takes the ``store`` fixture (or ``backend``), so it runs once on the embedded
SQLite backend and once on the SQLModel backend (SQLAlchemy on a SQLite file).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from techqueue import actions, transfer
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES
from techqueue.errors import BadRequest, NotFound, NothingToUndo, StoreError
from techqueue.records import ItemRecord
from techqueue.store import Store, open_store

from .support import BACKENDS, CutoffDesk, MakeStore, comparable, sqlmodel_url

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
ALL_STATUSES = (*OPEN_STATUSES, "done", "dropped")


def add(store: Store, now: datetime, title: str = "Printer jams", **fields: Any) -> ItemRecord:
    return actions.add(Desk(store), ItemFields(title=title, **fields), now).item


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
    actions.start(Desk(store), b.id, t + 10 * MINUTE)
    actions.start(Desk(store), a.id, t + 30 * MINUTE)
    actions.note(Desk(store), a.id, "toner ordered", t + 35 * MINUTE)
    actions.note(
        Desk(store), c.id, "by Friday", t + 36 * MINUTE, kind="promise", due_at=now + 24 * HOUR
    )
    actions.note(Desk(store), b.id, "called back", t + 37 * MINUTE, kind="contact")
    actions.wait(Desk(store), c.id, t + 40 * MINUTE)
    actions.start(Desk(store), d.id, t + 45 * MINUTE)
    actions.done(Desk(store), d.id, t + 50 * MINUTE)
    actions.start(Desk(store), a.id, t + 51 * MINUTE)
    actions.drop(Desk(store), e.id, t + 55 * MINUTE, reason="duplicate")
    actions.set_vip(Desk(store), "Bob", t + 60 * MINUTE)
    r1 = actions.remind(Desk(store), a.id, now + 30 * MINUTE, "check the toner", t + 61 * MINUTE)
    r2 = actions.remind(Desk(store), None, now + 2 * HOUR, "order cables", t + 62 * MINUTE)
    r3 = actions.remind(Desk(store), b.id, now - 10 * MINUTE, "call Bob", t + 63 * MINUTE)
    actions.dismiss(Desk(store), r3.id, t + 64 * MINUTE)
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
    return comparable(transfer.export(store, now))


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

    from techqueue.errors import StoreUnusable

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


def test_an_item_carries_its_requesters_address_and_its_own_cost(
    store: Store, now: datetime
) -> None:
    """The address is read with the item (an organisation's business weight needs it); the
    item's own business impact is kept among its tags, replaced when it changes."""
    item = add(store, now, "one", requester="Dana Reyes <dana@corp.example>", cost="high")
    assert item.requester_email == "dana@corp.example"
    assert item.tags == ("cost:high",)
    assert add(store, now, "two", requester="Bob").requester_email is None
    assert add(store, now, "three").requester_email is None
    changed = actions.edit(Desk(store), item.id, ItemFields(cost="low", add_tags=("x",)), now)
    assert changed.item.tags == ("x", "cost:low")
    assert store.items_by_id([item.id])[item.id].requester_email == "dana@corp.example"


def test_add_finds_a_requester_by_email(store: Store, now: datetime) -> None:
    by_address = add(store, now, "one", requester="dana@example.com")
    requester = store.requesters()[0]
    assert requester.email == "dana@example.com"
    again = add(store, now, "two", requester="Dana@Example.COM")
    assert again.requester_id == by_address.requester_id
    assert len(store.requesters()) == 1


def test_add_finds_a_named_requester_by_their_email(store: Store, now: datetime) -> None:
    stamp = now.isoformat()
    transfer.import_export(
        store,
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
    item = actions.add(
        Desk(store),
        ItemFields(title="t", tags=("printer", "floor-2", "printer"), add_tags=("floor-2", "new")),
        now,
    ).item
    assert item.tags == ("printer", "floor-2", "new")
    assert store.get(item.id).tags == ("printer", "floor-2", "new")


@pytest.mark.parametrize(
    "changes",
    [
        ItemFields(),
        ItemFields(title=""),
        ItemFields(title="   "),
        ItemFields(title="t", severity="urgent"),
        ItemFields(title="t", channel="fax"),
        ItemFields(title="t", impact=0),
        ItemFields(title="t", impact=-3),
        ItemFields(title="t", impact=10**7),
        ItemFields(title="t", estimate_minutes=0),
        ItemFields(title="t", estimate_minutes=-5),
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
    store: Store, now: datetime, changes: ItemFields
) -> None:
    with pytest.raises(BadRequest):
        actions.add(Desk(store), changes, now)
    assert store.items(ALL_STATUSES) == []
    assert store.requesters() == []
    assert store.last_journal_id() == 0


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
        lambda: actions.start(Desk(store), missing, now).item,
        lambda: actions.pause(Desk(store), missing, now).item,
        lambda: actions.done(Desk(store), missing, now).item,
        lambda: actions.drop(Desk(store), missing, now).item,
        lambda: actions.wait(Desk(store), missing, now).item,
        lambda: actions.defer(Desk(store), missing, now + HOUR, now).item,
        lambda: actions.pin(Desk(store), missing, now).item,
        lambda: actions.bump(Desk(store), missing, 1, now).item,
        lambda: actions.note(Desk(store), missing, "x", now),
        lambda: actions.edit(Desk(store), missing, ItemFields(title="x"), now).item,
        lambda: actions.remind(Desk(store), missing, now + HOUR, "x", now),
        lambda: actions.snooze(Desk(store), 999, now + HOUR, now),
        lambda: actions.dismiss(Desk(store), 999, now),
        lambda: actions.set_vip(Desk(store), "Nobody", now, vip=False),
    ):
        before = store.last_journal_id()
        with pytest.raises(NotFound):
            action()
        assert store.last_journal_id() == before


def test_a_journal_position_names_one_entry_of_one_history(
    store: Store, now: datetime, make_store: MakeStore, backend: str
) -> None:
    """A position kept outside the store (a cache) is the entry's number and its mark: the
    same actions in another store (a copy put back, a store made again) give the same
    numbers and other marks."""
    assert store.journal_mark(0) == ""
    assert store.journal_continues(0, "")
    add(store, now, "Printer jams")
    add(store, now, "VPN down")
    other = make_store(backend)
    add(other, now, "Printer jams")
    add(other, now, "VPN down")
    marks = [store.journal_mark(1), store.journal_mark(2), other.journal_mark(2)]
    assert all(marks)
    assert len(set(marks)) == 3
    assert store.journal_mark(3) is None
    assert store.journal_continues(1, store.journal_mark(1))
    assert store.journal_continues(2, store.journal_mark(2))
    assert not store.journal_continues(2, other.journal_mark(2))
    assert not store.journal_continues(3, "")
    assert not store.journal_continues("2", store.journal_mark(2))  # from a damaged cache
    assert not store.journal_continues(2, None)
    store.undo(now)
    assert store.journal_mark(3) not in (None, "", store.journal_mark(2))


def test_an_empty_store_has_nothing(store: Store) -> None:
    assert store.items(ALL_STATUSES) == []
    assert store.active() is None
    assert store.requesters() == []
    assert store.reminders(include_dismissed=True) == []
    assert store.spans() == []
    assert store.last_journal_id() == 0
    assert store.journal() == []


# --- edit ------------------------------------------------------------------------------------


def test_edit_changes_only_the_fields_given(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    before = store.get(ids["a"])
    after = actions.edit(Desk(store), ids["a"], ItemFields(severity="critical", impact=3), now).item
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
        (ItemFields(title="Printer on fire"), {"title": "Printer on fire"}),
        (ItemFields(channel="ticket"), {"channel": "ticket"}),
        (ItemFields(estimate_minutes=45), {"estimate_minutes": 45}),
        (ItemFields(ref="INC-7"), {"ref": "INC-7"}),
        (ItemFields(vip=True), {"vip": True, "own_vip": True}),
        (ItemFields(tags=("laser",)), {"tags": ("laser",)}),
        (ItemFields(tags=()), {"tags": ()}),
        (ItemFields(add_tags=("urgent", "printer")), {"tags": ("printer", "floor-2", "urgent")}),
    ],
    ids=["title", "channel", "estimate", "ref", "vip", "tags", "no tags", "add tags"],
)
def test_edit_each_field(
    store: Store,
    now: datetime,
    ids: dict[str, int],
    changes: ItemFields,
    expected: dict[str, Any],
) -> None:
    before = store.get(ids["a"])
    after = actions.edit(Desk(store), ids["a"], changes, now).item
    for name in ItemRecord.__slots__:
        assert getattr(after, name) == expected.get(name, getattr(before, name)), name


def test_edit_times(store: Store, now: datetime, ids: dict[str, int]) -> None:
    after = actions.edit(
        Desk(store), ids["f"], ItemFields(due_at=now + 5 * HOUR, received_at=now - 5 * HOUR), now
    ).item
    assert after.due_at == now + 5 * HOUR
    assert after.received_at == now - 5 * HOUR


def test_edit_requester_finds_or_creates_them(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    bob = store.get(ids["b"]).requester_id
    moved = actions.edit(Desk(store), ids["f"], ItemFields(requester="BOB"), now).item
    assert moved.requester_id == bob
    assert moved.requester == "Bob"
    assert moved.vip is True  # Bob is a VIP
    assert moved.own_vip is False
    count = len(store.requesters())
    fresh = actions.edit(Desk(store), ids["f"], ItemFields(requester="Zoe"), now).item
    assert fresh.requester == "Zoe"
    assert len(store.requesters()) == count + 1


def test_edit_with_nothing_to_change_is_refused(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    before = snapshot(store, now)
    change = store.last_journal_id()
    with pytest.raises(BadRequest):
        actions.edit(Desk(store), ids["a"], ItemFields(), now)
    with pytest.raises(BadRequest):
        actions.edit(Desk(store), ids["a"], ItemFields(severity="urgent"), now)
    with pytest.raises(BadRequest):
        actions.edit(Desk(store), ids["a"], ItemFields(title=" "), now)
    assert snapshot(store, now) == before
    assert store.last_journal_id() == change


# --- start, pause, done, drop, wait, defer -----------------------------------------------------


def test_start_makes_the_item_active_with_an_open_span(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    started = actions.start(Desk(store), item.id, now).item
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
    actions.start(Desk(store), first.id, now - 30 * MINUTE)
    actions.start(Desk(store), second.id, now)
    assert store.get(first.id).status == "paused"
    assert store.get(second.id).status == "active"
    assert [item.id for item in store.items(("active",))] == [second.id]
    (first_span,) = store.spans([first.id])
    assert (first_span.started_at, first_span.ended_at) == (now - 30 * MINUTE, now)
    (second_span,) = store.spans([second.id])
    assert (second_span.started_at, second_span.ended_at) == (now, None)
    # restarting keeps the first start time and opens a new span
    later = now + 10 * MINUTE
    again = actions.start(Desk(store), first.id, later).item
    assert again.started_at == now - 30 * MINUTE
    assert [s.ended_at for s in store.spans([first.id])] == [now, None]
    assert store.spans([second.id])[0].ended_at == later
    assert store.get(second.id).status == "paused"


def test_start_brings_a_deferred_or_waiting_item_back(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.defer(Desk(store), item.id, now + HOUR, now - 30 * MINUTE)
    assert actions.start(Desk(store), item.id, now).item.deferred_until is None
    actions.wait(Desk(store), item.id, now + MINUTE, until=now + 2 * HOUR)
    started = actions.start(Desk(store), item.id, now + 2 * MINUTE).item
    assert started.status == "active"
    assert started.deferred_until is None


def test_pause_closes_the_span(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.start(Desk(store), item.id, now - 20 * MINUTE)
    paused = actions.pause(Desk(store), item.id, now).item
    assert paused.status == "paused"
    assert store.active() is None
    (span,) = store.spans([item.id])
    assert span.ended_at == now


def test_done_closes_the_span_and_records_when(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.start(Desk(store), item.id, now - 20 * MINUTE)
    done = actions.done(Desk(store), item.id, now).item
    assert done.status == "done"
    assert done.done_at == now
    assert done.drop_reason is None
    assert store.spans([item.id])[0].ended_at == now
    assert store.items() == []
    assert store.closed_between(now - HOUR, now + MINUTE) == [done]


def test_done_from_open_records_no_span(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    assert actions.done(Desk(store), item.id, now).item.status == "done"
    assert store.spans([item.id]) == []


def test_drop_keeps_the_reason(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.start(Desk(store), item.id, now - 5 * MINUTE)
    dropped = actions.drop(Desk(store), item.id, now, reason="duplicate of INC-41").item
    assert dropped.status == "dropped"
    assert dropped.drop_reason == "duplicate of INC-41"
    assert dropped.done_at == now
    assert store.spans([item.id])[0].ended_at == now
    other = actions.drop(Desk(store), add(store, now).id, now).item
    assert other.status == "dropped"
    assert other.drop_reason is None


def test_wait_without_and_with_until(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.start(Desk(store), item.id, now - 5 * MINUTE)
    waiting = actions.wait(Desk(store), item.id, now).item
    assert waiting.status == "waiting"
    assert waiting.deferred_until is None
    assert store.active() is None
    assert store.spans([item.id])[0].ended_at == now
    other = add(store, now)
    until = now + 3 * HOUR
    waiting_until = actions.wait(Desk(store), other.id, now, until=until).item
    assert waiting_until.status == "waiting"
    assert waiting_until.deferred_until == until


def test_wait_refuses_a_past_until(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    change = store.last_journal_id()
    for until in (now, now - MINUTE):
        with pytest.raises(BadRequest):
            actions.wait(Desk(store), item.id, now, until=until)
    assert store.get(item.id).status == "open"
    assert store.last_journal_id() == change


def test_defer_sets_the_time_and_refuses_the_past(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    change = store.last_journal_id()
    for when in (now, now - HOUR):
        with pytest.raises(BadRequest):
            actions.defer(Desk(store), item.id, when, now)
    assert store.last_journal_id() == change
    deferred = actions.defer(Desk(store), item.id, now + 2 * HOUR, now).item
    assert deferred.deferred_until == now + 2 * HOUR
    assert deferred.status == "open"


def test_deferring_the_active_item_pauses_it(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.start(Desk(store), item.id, now - 10 * MINUTE)
    deferred = actions.defer(Desk(store), item.id, now + HOUR, now).item
    assert deferred.status == "paused"
    assert deferred.deferred_until == now + HOUR
    assert store.active() is None
    assert store.spans([item.id])[0].ended_at == now


def test_finishing_clears_a_deferral(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.defer(Desk(store), item.id, now + HOUR, now - MINUTE)
    assert actions.done(Desk(store), item.id, now).item.deferred_until is None


def test_pin_and_unpin(store: Store, now: datetime) -> None:
    item = add(store, now)
    assert actions.pin(Desk(store), item.id, now).item.pinned is True
    assert store.get(item.id).pinned is True
    assert actions.pin(Desk(store), item.id, now, pinned=False).item.pinned is False
    assert store.get(item.id).pinned is False


def test_bump_is_cumulative_and_limited(store: Store, now: datetime) -> None:
    item = add(store, now)
    assert actions.bump(Desk(store), item.id, 2, now).item.bump == 2
    assert actions.bump(Desk(store), item.id, 3, now).item.bump == 5
    assert actions.bump(Desk(store), item.id, -1.5, now).item.bump == 3.5
    assert actions.bump(Desk(store), item.id, 16.5, now).item.bump == 20
    change = store.last_journal_id()
    for steps in (0, 0.5, 100):
        with pytest.raises(BadRequest):
            actions.bump(Desk(store), item.id, steps, now)
    assert store.get(item.id).bump == 20
    assert store.last_journal_id() == change
    assert actions.bump(Desk(store), item.id, -40, now).item.bump == -20
    with pytest.raises(BadRequest):
        actions.bump(Desk(store), item.id, -1, now)
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
        "start": lambda: actions.start(Desk(store), item_id, now).item,
        "pause": lambda: actions.pause(Desk(store), item_id, now).item,
        "done": lambda: actions.done(Desk(store), item_id, now).item,
        "drop": lambda: actions.drop(Desk(store), item_id, now, reason="no longer needed").item,
        "wait": lambda: actions.wait(Desk(store), item_id, now).item,
        "defer": lambda: actions.defer(Desk(store), item_id, now + HOUR, now).item,
        "pin": lambda: actions.pin(Desk(store), item_id, now).item,
        "unpin": lambda: actions.pin(Desk(store), item_id, now, pinned=False).item,
        "bump": lambda: actions.bump(Desk(store), item_id, 1, now).item,
    }[name]()


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_an_action_the_status_does_not_allow_is_refused(
    store: Store, now: datetime, ids: dict[str, int], action: str
) -> None:
    baseline = snapshot(store, now)
    for status, key in STATUS_ITEM.items():
        assert store.get(ids[key]).status == status
        change = store.last_journal_id()
        if status in ALLOWED[action]:
            _item_action(action, store, ids[key], now)
            assert store.last_journal_id() > change
            store.undo(now)
        else:
            with pytest.raises(BadRequest, match=status):
                _item_action(action, store, ids[key], now)
            assert store.last_journal_id() == change
        assert snapshot(store, now) == baseline, (action, status)


# --- notes -------------------------------------------------------------------------------------


def test_notes_plain_promise_and_contact(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    plain = actions.note(Desk(store), item.id, "toner ordered", now - 3 * MINUTE)
    assert (plain.item_id, plain.kind, plain.text, plain.due_at) == (
        item.id,
        "plain",
        "toner ordered",
        None,
    )
    assert plain.created_at == now - 3 * MINUTE
    assert store.get(item.id).promise_due_at is None
    due = now + 2 * HOUR
    promise = actions.note(
        Desk(store), item.id, "by 11:00", now - 2 * MINUTE, kind="promise", due_at=due
    )
    assert (promise.kind, promise.due_at) == ("promise", due)
    assert store.get(item.id).promise_due_at == due
    contact = actions.note(
        Desk(store), item.id, "told her it's ordered", now - MINUTE, kind="contact"
    )
    assert contact.kind == "contact"
    assert store.notes(item.id) == [plain, promise, contact]
    later = actions.note(Desk(store), item.id, "by noon", now, kind="promise", due_at=due + HOUR)
    assert store.get(item.id).promise_due_at == due + HOUR
    assert store.notes(item.id)[-1] == later


def test_a_promise_on_a_finished_item_does_not_change_it(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.done(Desk(store), item.id, now - MINUTE)
    actions.note(Desk(store), item.id, "follow-up call", now, kind="promise", due_at=now + HOUR)
    assert store.get(item.id).promise_due_at is None


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [("", "plain", None), ("   ", "plain", None), ("x", "promise", None), ("x", "memo", None)],
)
def test_bad_notes_are_refused(
    store: Store, now: datetime, text: str, kind: str, due: datetime | None
) -> None:
    item = add(store, now)
    change = store.last_journal_id()
    with pytest.raises(BadRequest):
        actions.note(Desk(store), item.id, text, now, kind=kind, due_at=due)
    assert store.notes(item.id) == []
    assert store.last_journal_id() == change


# --- VIP ---------------------------------------------------------------------------------------


def test_vip_follows_the_requester(store: Store, now: datetime) -> None:
    one = add(store, now, "one", requester="Dana")
    two = add(store, now, "two", requester="dana")
    other = add(store, now, "three", requester="Eve")
    requester = actions.set_vip(Desk(store), "DANA", now)
    assert requester.name == "Dana"
    assert requester.vip is True
    assert store.get(one.id).vip is True
    assert store.get(two.id).vip is True
    assert store.get(one.id).own_vip is False
    assert store.get(other.id).vip is False
    later = add(store, now, "four", requester="Dana")
    assert later.vip is True
    off = actions.set_vip(Desk(store), "dana", now, vip=False)
    assert off.vip is False
    assert store.get(one.id).vip is False
    assert store.get(later.id).vip is False


def test_an_item_marked_vip_stays_vip_when_its_requester_is_not(
    store: Store, now: datetime
) -> None:
    item = add(store, now, requester="Dana", vip=True)
    actions.set_vip(Desk(store), "Dana", now)
    actions.set_vip(Desk(store), "Dana", now, vip=False)
    assert store.get(item.id).vip is True


def test_set_vip_creates_a_new_requester(store: Store, now: datetime) -> None:
    created = actions.set_vip(Desk(store), "Frank Castle", now)
    assert (created.name, created.vip, created.email) == ("Frank Castle", True, None)
    by_mail = actions.set_vip(Desk(store), "gina@example.com", now)
    assert by_mail.email == "gina@example.com"
    assert {r.name for r in store.requesters()} == {"Frank Castle", "gina@example.com"}
    assert add(store, now, requester="frank castle").vip is True


def test_set_vip_off_for_nobody_is_not_found(store: Store, now: datetime) -> None:
    with pytest.raises(NotFound):
        actions.set_vip(Desk(store), "Nobody", now, vip=False)
    assert store.requesters() == []
    assert store.last_journal_id() == 0


@pytest.mark.parametrize("who", ["", "   "])
def test_set_vip_refuses_a_blank_name(store: Store, now: datetime, who: str) -> None:
    with pytest.raises(BadRequest):
        actions.set_vip(Desk(store), who, now)
    assert store.requesters() == []
    assert store.last_journal_id() == 0


# --- reminders ---------------------------------------------------------------------------------


def test_reminders_remind_snooze_dismiss(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR, "Printer jams")
    later = actions.remind(Desk(store), item.id, now + 2 * HOUR, "check toner", now)
    sooner = actions.remind(Desk(store), None, now + HOUR, "order cables", now)
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

    snoozed = actions.snooze(Desk(store), sooner.id, now + 3 * HOUR, now)
    assert snoozed.due_at == now + 3 * HOUR
    assert [r.id for r in store.reminders()] == [later.id, sooner.id]

    dismissed = actions.dismiss(Desk(store), later.id, now + MINUTE)
    assert dismissed.dismissed_at == now + MINUTE
    assert [r.id for r in store.reminders()] == [sooner.id]
    assert [r.id for r in store.reminders(include_dismissed=True)] == [later.id, sooner.id]
    assert store.reminders_for(item.id) == [dismissed]


def test_bad_reminder_requests_are_refused(store: Store, now: datetime) -> None:
    item = add(store, now)
    reminder = actions.remind(Desk(store), item.id, now + HOUR, "call back", now)
    change = store.last_journal_id()
    with pytest.raises(BadRequest):
        actions.remind(Desk(store), item.id, now + HOUR, "  ", now)
    with pytest.raises(BadRequest):
        actions.snooze(Desk(store), reminder.id, now, now)
    with pytest.raises(BadRequest):
        actions.snooze(Desk(store), reminder.id, now - HOUR, now)
    with pytest.raises(NotFound):
        actions.snooze(Desk(store), reminder.id + 1, now + HOUR, now)
    with pytest.raises(NotFound):
        actions.dismiss(Desk(store), reminder.id + 1, now)
    assert store.last_journal_id() == change
    actions.dismiss(Desk(store), reminder.id, now)
    change = store.last_journal_id()
    with pytest.raises(BadRequest):
        actions.dismiss(Desk(store), reminder.id, now)
    with pytest.raises(BadRequest):
        actions.snooze(Desk(store), reminder.id, now + HOUR, now)
    assert store.last_journal_id() == change


# --- spans and closed items ----------------------------------------------------------------


def test_spans_between_and_closed_between(store: Store, now: datetime) -> None:
    day = now.replace(hour=0)
    a = add(store, day, "a")
    b = add(store, day, "b")
    c = add(store, day, "c")
    actions.start(Desk(store), a.id, day + 8 * HOUR)
    actions.pause(Desk(store), a.id, day + 9 * HOUR)
    actions.start(Desk(store), b.id, day + 10 * HOUR)
    actions.done(Desk(store), b.id, day + 11 * HOUR)
    actions.start(Desk(store), c.id, day + 12 * HOUR)  # still running
    actions.drop(Desk(store), a.id, day + 13 * HOUR)

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


def test_closed_since_and_requesters_called(store: Store, now: datetime) -> None:
    day = now.replace(hour=0)
    a = add(store, day, "a", requester="Alice")
    b = add(store, day, "b", requester="alice@corp.example")
    c = add(store, day, "c")
    actions.done(Desk(store), b.id, day + 11 * HOUR)
    actions.drop(Desk(store), a.id, day + 13 * HOUR)
    assert [i.id for i in store.closed_since(("done", "dropped"))] == [b.id, a.id]
    assert [i.id for i in store.closed_since(("done",))] == [b.id]
    assert [i.id for i in store.closed_since(("dropped", "done"), day + 12 * HOUR)] == [a.id]
    assert store.closed_since(("done",), day + 11 * HOUR + MINUTE) == []
    assert store.closed_since(("open",)) == []
    assert c.id not in [i.id for i in store.closed_since(("done", "dropped"))]
    assert [r.name for r in store.requesters_called(" ALICE ")] == ["Alice"]
    assert [r.id for r in store.requesters_called("Alice@Corp.Example")] == [b.requester_id]
    assert store.requesters_called("nobody") == []


def test_a_span_by_hand_may_not_overlap_another(store: Store, now: datetime) -> None:
    first = add(store, now - 3 * HOUR, "Printer jams")
    second = add(store, now - 3 * HOUR, "VPN down")
    actions.start(Desk(store), first.id, now - 2 * HOUR)
    actions.pause(Desk(store), first.id, now - HOUR)  # span: -2 h to -1 h
    with pytest.raises(BadRequest, match=r"^overlaps work span \d+ \(#\d+ Printer jams, "):
        actions.log_time(Desk(store), second.id, 30, now, end=now - 90 * MINUTE)
    with pytest.raises(BadRequest, match="overlaps work span"):
        actions.done_spent(Desk(store), second.id, 61, now)
    logged = actions.log_time(Desk(store), second.id, 30, now, end=now - 30 * MINUTE)
    assert (logged.started_at, logged.ended_at) == (now - HOUR, now - 30 * MINUTE)
    with pytest.raises(BadRequest, match="overlaps work span"):
        actions.correct_span(Desk(store), logged.id, now, started_at=now - 61 * MINUTE)
    with pytest.raises(BadRequest, match="in the future"):
        actions.log_time(Desk(store), second.id, 5, now, end=now + MINUTE)
    with pytest.raises(BadRequest, match="has work logged already"):
        actions.done_spent(Desk(store), second.id, 20, now)
    third = add(store, now - 3 * HOUR, "New mouse")
    done = actions.done_spent(Desk(store), third.id, 30, now).item
    assert done.status == "done"
    assert [(s.started_at, s.ended_at) for s in store.spans([third.id])] == [
        (now - 30 * MINUTE, now)
    ]
    store.undo(now)
    assert store.get(third.id).status == "open"
    assert store.spans([third.id]) == []


def test_reopen_is_one_undoable_action(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.drop(Desk(store), item.id, now - MINUTE, reason="duplicate")
    reopened = actions.reopen(Desk(store), item.id, now).item
    assert (reopened.status, reopened.done_at, reopened.drop_reason) == ("open", None, None)
    store.undo(now)
    dropped = store.get(item.id)
    assert (dropped.status, dropped.drop_reason) == ("dropped", "duplicate")
    with pytest.raises(BadRequest, match="cannot be reopened"):
        actions.reopen(Desk(store), add(store, now).id, now)


def test_queries_take_aware_times_in_any_zone(store: Store, now: datetime) -> None:
    item = add(store, now - HOUR)
    actions.done(Desk(store), item.id, now)
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
    "edit fields": lambda s, i, n: actions.edit(
        Desk(s),
        i["a"],
        ItemFields(title="Printer on fire", severity="critical", add_tags=("fire",)),
        n,
    ),
    "edit new requester": lambda s, i, n: (
        actions.edit(Desk(s), i["f"], ItemFields(requester="Ivy"), n).item
    ),
    "start pausing another": lambda s, i, n: actions.start(Desk(s), i["f"], n).item,
    "start paused": lambda s, i, n: actions.start(Desk(s), i["b"], n).item,
    "start waiting": lambda s, i, n: actions.start(Desk(s), i["c"], n).item,
    "pause": lambda s, i, n: actions.pause(Desk(s), i["a"], n).item,
    "done active": lambda s, i, n: actions.done(Desk(s), i["a"], n).item,
    "done open": lambda s, i, n: actions.done(Desk(s), i["f"], n).item,
    "drop": lambda s, i, n: actions.drop(Desk(s), i["a"], n, reason="not ours").item,
    "wait": lambda s, i, n: actions.wait(Desk(s), i["a"], n).item,
    "wait until": lambda s, i, n: actions.wait(Desk(s), i["f"], n, until=n + HOUR).item,
    "defer active": lambda s, i, n: actions.defer(Desk(s), i["a"], n + HOUR, n).item,
    "defer open": lambda s, i, n: actions.defer(Desk(s), i["f"], n + HOUR, n).item,
    "pin": lambda s, i, n: actions.pin(Desk(s), i["f"], n).item,
    "unpin": lambda s, i, n: actions.pin(Desk(s), i["f"], n, pinned=False).item,
    "bump": lambda s, i, n: actions.bump(Desk(s), i["b"], -2, n).item,
    "note": lambda s, i, n: actions.note(Desk(s), i["a"], "still jammed", n),
    "promise": lambda s, i, n: actions.note(
        Desk(s), i["b"], "by noon", n, kind="promise", due_at=n + HOUR
    ),
    "contact": lambda s, i, n: actions.note(Desk(s), i["c"], "emailed", n, kind="contact"),
    "vip on": lambda s, i, n: actions.set_vip(Desk(s), "alice", n),
    "vip on new": lambda s, i, n: actions.set_vip(Desk(s), "Judy", n),
    "vip off": lambda s, i, n: actions.set_vip(Desk(s), "bob", n, vip=False),
    "remind": lambda s, i, n: actions.remind(Desk(s), i["f"], n + HOUR, "ask Carol", n),
    "remind free": lambda s, i, n: actions.remind(Desk(s), None, n + HOUR, "backups", n),
    "snooze": lambda s, i, n: actions.snooze(Desk(s), i["r1"], n + 2 * HOUR, n),
    "dismiss": lambda s, i, n: actions.dismiss(Desk(s), i["r2"], n),
    "carry over": lambda s, i, n: actions.carry_over(Desk(s), [i["a"]], n),
    "carry over with promise": lambda s, i, n: actions.carry_over(
        Desk(s), [i["f"]], n, note="after lunch", promise_due_at=n + HOUR, promise_text="by 10"
    ),
    "carry over skipped": lambda s, i, n: actions.carry_over(
        Desk(s), [i["b"], i["c"], i["f"]], n, skipped=True
    ),
    "carry rest": lambda s, i, n: actions.carry_rest(
        Desk(s), n - 12 * HOUR, n + HOUR, now=n, exclude=[i["a"]]
    ),
    # span 1 (VPN down, 06:10-06:30 in populate's terms) moved to 06:00-06:20: a correction
    # may not overlap another span (time counted once), so it stays clear of the others
    "log edit": lambda s, i, n: actions.correct_span(
        Desk(s), 1, n, started_at=n - 3 * HOUR, ended_at=n - 3 * HOUR + 20 * MINUTE
    ),
    "log edit running": lambda s, i, n: actions.correct_span(
        Desk(s), 4, n, started_at=n - 2 * HOUR
    ),
    "close overnight": lambda s, i, n: _close_overnight(s, n),
    "worked late": lambda s, i, n: actions.worked_late(
        CutoffDesk(s, HOUR), [span.id for span in s.running_spans()], n
    ),
    "import merge": lambda s, i, n: transfer.import_export(s, transfer.export(s, n), n, merge=True),
}


def _close_overnight(store: Store, now: datetime) -> object:
    """With a working day that ended an hour after each span started."""
    return actions.close_overnight(CutoffDesk(store, HOUR), now)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_undo_restores_the_store_exactly(
    store: Store, now: datetime, ids: dict[str, int], action: str
) -> None:
    if action == "unpin":  # an unpin changes something only on a pinned item
        actions.pin(Desk(store), ids["f"], now - MINUTE)
    before = snapshot(store, now)
    change = store.last_journal_id()
    ACTIONS[action](store, ids, now)
    assert store.last_journal_id() > change
    assert snapshot(store, now) != before
    summary = store.undo(now + MINUTE)
    assert isinstance(summary, str)
    assert summary
    assert snapshot(store, now) == before
    assert store.last_journal_id() > change


def test_undo_every_action_back_to_empty(store: Store, now: datetime) -> None:
    empty = snapshot(store, now)
    ids = populate(store, now)  # adds, starts, notes of each kind, wait, done, drop, VIP, …
    actions.edit(
        Desk(store), ids["f"], ItemFields(requester="Ivy", severity="high", tags=("x",)), now
    )
    actions.pin(Desk(store), ids["f"], now)
    actions.bump(Desk(store), ids["f"], 3, now)
    actions.defer(Desk(store), ids["a"], now + HOUR, now)
    actions.wait(Desk(store), ids["f"], now, until=now + HOUR)
    actions.snooze(Desk(store), ids["r1"], now + 3 * HOUR, now)
    actions.set_vip(Desk(store), "bob", now, vip=False)
    actions.correct_span(Desk(store), 1, now, ended_at=now - 3 * HOUR + 20 * MINUTE)
    actions.carry_over(Desk(store), [ids["b"], ids["c"]], now, promise_due_at=now + HOUR)
    actions.start(Desk(store), ids["f"], now - 2 * HOUR)
    assert actions.close_overnight(CutoffDesk(store, HOUR), now)
    transfer.import_export(store, transfer.export(store, now), now, merge=True)
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
    assert store.last_journal_id() == 0


def test_undo_undoes_the_last_action_not_yet_undone(store: Store, now: datetime) -> None:
    first = add(store, now, "first")
    actions.start(Desk(store), first.id, now)
    actions.pin(Desk(store), first.id, now)
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
    seen = [store.last_journal_id()]
    assert seen[0] > 0
    for name, action in ACTIONS.items():
        if name == "import merge":
            continue
        snapshot(store, now)
        store.items(ALL_STATUSES)
        assert store.last_journal_id() == seen[-1]  # reads do not move it
        action(store, ids, now)
        seen.append(store.last_journal_id())
        assert seen[-1] > seen[-2], name
        store.undo(now)
        seen.append(store.last_journal_id())
        assert seen[-1] > seen[-2], f"undo {name}"
    transfer.import_export(store, transfer.export(store, now), now, merge=True)
    assert store.last_journal_id() > seen[-1]


def test_journal_lists_actions_newest_first(store: Store, now: datetime) -> None:
    item = add(store, now, "first")
    actions.start(Desk(store), item.id, now + MINUTE)
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
    exported = transfer.export(store, now)
    assert exported["format"] == "techqueue-export"
    assert {"requester", "item", "note", "reminder", "work_span"} <= set(exported)
    other = make_store(target)
    counts = transfer.import_export(other, copy.deepcopy(exported), now)
    assert counts == {t: len(exported[t]) for t in counts}
    assert comparable(transfer.export(other, now + HOUR)) == comparable(exported)
    for key in "abcdef":
        assert other.get(ids[key]) == store.get(ids[key])
    assert other.reminders(include_dismissed=True) == store.reminders(include_dismissed=True)
    assert other.spans() == store.spans()
    assert other.notes(ids["a"]) == store.notes(ids["a"])
    assert other.requesters() == store.requesters()


def test_an_export_is_plain_json(store: Store, now: datetime, ids: dict[str, int]) -> None:
    import json

    exported = transfer.export(store, now)
    assert json.loads(json.dumps(exported)) == exported


def test_import_into_a_used_store_needs_merge(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, backend: str
) -> None:
    other = make_store(backend)
    add(other, now, "already here")
    before = snapshot(other, now)
    change = other.last_journal_id()
    with pytest.raises(BadRequest):
        transfer.import_export(other, transfer.export(store, now), now)
    assert snapshot(other, now) == before
    assert other.last_journal_id() == change


def test_import_merge_gives_new_ids_and_keeps_references(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, backend: str
) -> None:
    other = make_store(backend)
    mine = add(other, now, "already here", requester="Alice")
    add(other, now, "another", requester="Zed")
    exported = transfer.export(store, now)
    transfer.import_export(other, copy.deepcopy(exported), now, merge=True)

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
    counts = transfer.import_export(store, _valid_export(now), now)
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
    pytest.param(_top(version=99), id="unknown export version"),
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
        transfer.import_export(store, data, now)
    assert "\n" not in str(raised.value)
    for table in ("requester", "item", "note", "reminder", "work_span", "journal"):
        assert store.db.scalar(f"SELECT COUNT(*) FROM {table}") == 0, table
    assert store.last_journal_id() == 0


def test_a_bad_export_merged_into_a_used_store_changes_nothing(
    store: Store, now: datetime, ids: dict[str, int]
) -> None:
    before = snapshot(store, now)
    change = store.last_journal_id()
    data = _valid_export(now)
    data["reminder"][0]["item_id"] = 99  # the last rows are bad: the first ones must go too
    with pytest.raises(BadRequest):
        transfer.import_export(store, data, now, merge=True)
    assert snapshot(store, now) == before
    assert store.last_journal_id() == change


@pytest.mark.parametrize("data", [None, [], "text", {"format": "techqueue-export"}])
def test_not_an_export_at_all(store: Store, now: datetime, data: object) -> None:
    with pytest.raises(BadRequest):
        transfer.import_export(store, data, now)
    assert store.last_journal_id() == 0


def test_import_then_undo_empties_the_store(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, backend: str
) -> None:
    other = make_store(backend)
    empty = snapshot(other, now)
    transfer.import_export(other, transfer.export(store, now), now)
    other.undo(now)
    assert snapshot(other, now) == empty


# --- times ------------------------------------------------------------------------------------


@pytest.fixture
def local_zone(in_zone: Callable[[str], AbstractContextManager[None]]) -> Iterator[None]:
    """Run in a local time zone far from UTC (exports write local times): UTC-3:30."""
    with in_zone("XST+3:30"):  # POSIX: no tz database needed
        yield


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
    note = actions.note(Desk(store), item.id, "by then", now, kind="promise", due_at=due)
    assert note.due_at == due
    assert store.get(item.id).promise_due_at == due
    reminder = actions.remind(Desk(store), item.id, due, "call", now.astimezone(kolkata))
    assert (reminder.due_at, reminder.created_at) == (due, now)
    assert reminder.due_at.utcoffset() == timedelta(0)
    actions.start(Desk(store), item.id, received.astimezone(kolkata))
    (span,) = store.spans()
    assert span.started_at == received
    assert span.started_at.tzinfo is not None
    assert span.started_at.utcoffset() == timedelta(0)


def test_export_round_trips_in_a_local_zone_far_from_utc(
    store: Store, now: datetime, ids: dict[str, int], make_store: MakeStore, local_zone: None
) -> None:
    exported = transfer.export(store, now)
    assert exported["item"][0]["created_at"].endswith("-03:30")
    assert exported["exported_at"] == "2026-03-02T05:30:00-03:30"
    for target in BACKENDS:
        other = make_store(target)
        transfer.import_export(other, copy.deepcopy(exported), now)
        assert comparable(transfer.export(other, now)) == comparable(exported)
        assert other.get(ids["a"]) == store.get(ids["a"])


def test_a_naive_time_in_an_export_is_local_time(
    store: Store, now: datetime, local_zone: None
) -> None:
    data = _valid_export(now)
    data["item"][1]["received_at"] = "2026-03-02T05:30:00"
    transfer.import_export(store, data, now)
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
            return actions.edit(
                Desk(store), target, ItemFields(title=f"edited {minutes}", requester=who), now
            ).item
        case "start":
            return actions.start(Desk(store), target, now).item
        case "pause":
            return actions.pause(Desk(store), target, now).item
        case "done":
            return actions.done(Desk(store), target, now).item
        case "drop":
            return actions.drop(Desk(store), target, now, reason=who).item
        case "wait":
            return actions.wait(Desk(store), target, now, until=later if minutes % 2 else None).item
        case "defer":
            return actions.defer(Desk(store), target, later, now).item
        case "pin":
            return actions.pin(Desk(store), target, now).item
        case "unpin":
            return actions.pin(Desk(store), target, now, pinned=False).item
        case "bump":
            return actions.bump(Desk(store), target, minutes % 7 - 3, now).item
        case "note":
            return actions.note(Desk(store), target, f"note {minutes}", now)
        case "promise":
            return actions.note(Desk(store), target, "promised", now, kind="promise", due_at=later)
        case "contact":
            return actions.note(Desk(store), target, "told them", now, kind="contact")
        case "vip":
            return actions.set_vip(Desk(store), who, now)
        case "vip off":
            return actions.set_vip(Desk(store), who, now, vip=False)
        case "remind":
            return actions.remind(Desk(store), target or None, later, f"remind {minutes}", now)
        case "snooze":
            return actions.snooze(Desk(store), target, later, now)
        case "dismiss":
            return actions.dismiss(Desk(store), target, now)
        case "carry":
            return actions.carry_over(
                Desk(store),
                [target],
                now,
                promise_due_at=later if minutes > 0 else None,
                skipped=minutes < 0,
            )
        case "log edit":
            return actions.correct_span(
                Desk(store), target, now, started_at=now - timedelta(minutes=abs(minutes))
            )
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
            change = store.last_journal_id()
            before = snapshot(store, moment)
            try:
                _step(store, name, target, minutes, who, moment)
            except StoreError:
                # a refused action writes nothing at all
                assert store.last_journal_id() == change
                assert snapshot(store, moment) == before
            else:
                assert store.last_journal_id() > change
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
    seen = store.last_journal_id()
    assert store.touched_since(seen) == (seen, {})
    second = add(store, now, "VPN down")
    actions.start(Desk(store), first.id, now)
    newest, touched = store.touched_since(seen)
    assert newest == store.last_journal_id() == seen + 2
    assert touched is not None
    assert touched["item"] == {first.id, second.id}
    store.undo(now)
    assert store.touched_since(seen) == (seen + 3, None), "after an undo, anything may differ"
