"""An item's life through the command line, with TECHQUEUE_NOW stepping the clock."""

from __future__ import annotations

from typing import Any

import pytest

from .support import (
    Cli,
    SetNow,
    assert_one_line_error,
    at,
    item,
    local,
    ok,
    parse_time,
)


def time_of(data: dict[str, Any], field: str) -> Any:
    value = data[field]
    return None if value is None else parse_time(value)


def test_capture_work_pause_finish_and_undo_step_by_step(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    item_id = int(ok(cli("add", "Reset Alice's password from:Alice @phone")).out)
    data = item(cli, item_id)
    assert data["status"] == "open"
    assert data["started_at"] is None
    assert data["spent_minutes"] == 0

    at(set_now, "09:05")
    ok(cli("start", str(item_id)))
    data = item(cli, item_id)
    assert data["status"] == "active"
    assert time_of(data, "started_at") == local("2026-03-02T09:05")

    at(set_now, "09:20")
    ok(cli("pause", str(item_id)))
    data = item(cli, item_id)
    assert data["status"] == "paused"
    assert data["spent_minutes"] == 15

    at(set_now, "09:30")
    assert item(cli, item_id)["spent_minutes"] == 15, "a paused item's time does not run"
    ok(cli("start", str(item_id)))
    data = item(cli, item_id)
    assert data["status"] == "active"
    assert time_of(data, "started_at") == local("2026-03-02T09:05"), "first start is kept"

    at(set_now, "09:40")
    assert item(cli, item_id)["spent_minutes"] == 25, "an active item's time runs"

    at(set_now, "09:50")
    ok(cli("done", str(item_id)))
    data = item(cli, item_id)
    assert data["status"] == "done"
    assert data["spent_minutes"] == 35
    assert time_of(data, "done_at") == local("2026-03-02T09:50")
    assert data["rank"] is None
    assert ok(cli("list", "--json")).json == []

    at(set_now, "10:00")
    assert item(cli, item_id)["spent_minutes"] == 35, "a finished item's time stops"

    ok(cli("undo"))  # the done
    data = item(cli, item_id)
    assert data["status"] == "active"
    assert data["done_at"] is None
    assert data["spent_minutes"] == 45  # 15 + 09:30 → now (10:00): the span runs again
    assert [entry["id"] for entry in ok(cli("list", "--json")).json] == [item_id]

    ok(cli("undo"))  # the second start
    data = item(cli, item_id)
    assert data["status"] == "paused"
    assert data["spent_minutes"] == 15

    ok(cli("undo"))  # the pause
    data = item(cli, item_id)
    assert data["status"] == "active"
    assert data["spent_minutes"] == 55  # 09:05 → now

    ok(cli("undo"))  # the first start
    data = item(cli, item_id)
    assert data["status"] == "open"
    assert data["started_at"] is None
    assert data["spent_minutes"] == 0

    ok(cli("undo"))  # the capture
    assert_one_line_error(cli("show", str(item_id)), 1)
    assert ok(cli("list", "--json")).json == []
    assert_one_line_error(cli("undo"), 1)


def test_starting_another_item_pauses_the_first(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    first = int(ok(cli("add", "Printer jammed @desk")).out)
    second = int(ok(cli("add", "CEO cannot log in !critical *vip")).out)
    at(set_now, "09:05")
    ok(cli("start", str(first)))
    at(set_now, "09:15")
    result = ok(cli("start", str(second)))
    assert "CEO cannot log in" in result.out
    one, two = item(cli, first), item(cli, second)
    assert (one["status"], two["status"]) == ("paused", "active")
    assert one["spent_minutes"] == 10

    at(set_now, "09:30")
    one, two = item(cli, first), item(cli, second)
    assert one["spent_minutes"] == 10
    assert two["spent_minutes"] == 15
    statuses = {entry["id"]: entry["status"] for entry in ok(cli("list", "--json")).json}
    assert statuses == {first: "paused", second: "active"}

    ok(cli("undo"))  # the second start, and with it the pause of the first
    one, two = item(cli, first), item(cli, second)
    assert (one["status"], two["status"]) == ("active", "open")
    assert one["spent_minutes"] == 25
    assert two["spent_minutes"] == 0


def test_only_one_item_is_ever_active(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    items = [int(ok(cli("add", f"Item {n}")).out) for n in range(4)]
    for minute, item_id in enumerate([*items, items[0], items[2]], start=1):
        at(set_now, f"09:{minute:02d}")
        ok(cli("start", str(item_id)))
        active = [e["id"] for e in ok(cli("list", "--json")).json if e["status"] == "active"]
        assert active == [item_id]


@pytest.mark.parametrize(
    ("action", "status"),
    [
        (["done"], "done"),
        (["drop", "--reason", "not needed"], "dropped"),
        (["wait"], "waiting"),
        (["defer", "14:00"], "paused"),
    ],
    ids=["done", "drop", "wait", "defer"],
)
def test_leaving_the_active_item_stops_its_clock(
    cli: Cli, set_now: SetNow, action: list[str], status: str
) -> None:
    at(set_now, "09:00")
    item_id = int(ok(cli("add", "Laptop update")).out)
    ok(cli("start", str(item_id)))
    at(set_now, "09:12")
    ok(cli(action[0], str(item_id), *action[1:]))
    at(set_now, "09:40")
    data = item(cli, item_id)
    assert data["status"] == status
    assert data["spent_minutes"] == 12


def test_the_review_counts_the_time_worked(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    item_id = int(ok(cli("add", "Install Office")).out)
    at(set_now, "09:05")
    ok(cli("start", str(item_id)))
    at(set_now, "09:20")
    ok(cli("pause", str(item_id)))
    at(set_now, "09:30")
    ok(cli("start", str(item_id)))
    at(set_now, "09:50")
    ok(cli("done", str(item_id)))
    review = ok(cli("review", "--json")).json
    assert [(entry["id"], entry["spent_minutes"]) for entry in review["done"]] == [(item_id, 35)]
    assert review["worked_minutes"] == 35


def test_a_deferred_item_comes_back_when_its_time_comes(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    item_id = int(ok(cli("add", "Call the vendor")).out)
    ok(cli("defer", str(item_id), "+1h"))
    at(set_now, "09:59")
    assert ok(cli("next", "--json")).json is None
    at(set_now, "10:00")
    top = ok(cli("next", "--json")).json
    assert top is not None
    assert top["id"] == item_id


def test_a_promise_raises_its_item_as_it_falls_due(cli: Cli, set_now: SetNow) -> None:
    at(set_now, "09:00")
    promised = int(ok(cli("add", "Set up the projector !low ~30m from:Bob")).out)
    other = int(ok(cli("add", "Order cables !low ~30m")).out)
    ok(cli("note", str(promised), "Told Bob 11:00", "--promise", "11:00"))
    at(set_now, "10:55")
    queue = ok(cli("list", "--json")).json
    assert [entry["id"] for entry in queue] == [promised, other]
    reasons = " ".join(reason["detail"] for reason in queue[0]["reasons"])
    assert "promise" in reasons


UNDOABLE = {
    "add": ["add", "New one !high @phone from:Zoe #new"],
    "edit": ["edit", "1", "Renamed !low", "--due", "15:00", "--tag", "extra"],
    "start": ["start", "3"],
    "start another": ["start", "1"],
    "pause": ["pause", "2"],
    "done": ["done", "2"],
    "drop": ["drop", "1", "--reason", "duplicate"],
    "wait": ["wait", "2", "--until", "tomorrow"],
    "defer": ["defer", "2", "friday"],
    "pin": ["pin", "3"],
    "unpin": ["unpin", "1"],
    "bump": ["bump", "3", "--", "-2"],
    "note": ["note", "1", "A", "note"],
    "promise": ["note", "3", "Told him 16:00", "--promise", "16:00"],
    "contact": ["note", "1", "Called back", "--contact"],
    "vip": ["vip", "Bob"],
    "vip new requester": ["vip", "Zoe", "--new"],
    "vip off": ["vip", "Dana", "--off"],
    "remind": ["remind", "3", "+1h", "call", "Bob"],
    "remind free": ["remind", "-", "tomorrow 9:00", "standup"],
    "snooze": ["snooze", "1", "+3h"],
    "dismiss": ["dismiss", "1"],
    "import merge": ["import", "backup.json", "--merge"],
}


@pytest.mark.parametrize("argv", UNDOABLE.values(), ids=UNDOABLE.keys())
def test_undo_reverts_every_kind_of_action_exactly(
    cli: Cli, set_now: SetNow, argv: list[str]
) -> None:
    at(set_now, "09:00")
    for step in (
        ["add", "Projector !high from:Dana *vip"],
        ["add", "Printer jammed @desk from:Alice"],
        ["add", "Mouse broken !low from:Bob"],
        ["vip", "Dana"],
        ["pin", "1"],
        ["start", "2"],
        ["remind", "1", "+30m", "check", "the", "projector"],
        ["export", "backup.json"],
    ):
        ok(cli(*step))
    at(set_now, "09:10")
    before = ok(cli("export")).json
    ok(cli(*argv))
    assert ok(cli("export")).json != before, "the action changed something"
    at(set_now, "09:20")
    ok(cli("undo"))
    after = ok(cli("export")).json
    before.pop("exported_at")
    after.pop("exported_at")
    assert after == before
