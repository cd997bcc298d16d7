"""``done``, ``drop`` and ``pause`` with several ids: all checked first, one action (one
journal entry, undone as one), a line per item; one bad id refuses the whole line."""

from __future__ import annotations

from typing import Any

import pytest

from .support import MONDAY_9, Cli, SetNow, add, assert_item_json, assert_one_line_error, item, ok


@pytest.fixture(autouse=True)
def _monday_morning(set_now: SetNow) -> None:
    set_now(MONDAY_9)


@pytest.fixture
def three(cli: Cli) -> list[int]:
    return [add(cli, "Printer jammed"), add(cli, "VPN down"), add(cli, "New mouse")]


def statuses(cli: Cli, ids: list[int]) -> list[str]:
    return [item(cli, item_id)["status"] for item_id in ids]


def test_done_with_several_ids_is_one_action(cli: Cli, three: list[int]) -> None:
    result = ok(cli("done", "1", "2", "3"))
    assert result.out.splitlines() == [
        "done #1 Printer jammed",
        "done #2 VPN down",
        "done #3 New mouse",
    ]
    assert statuses(cli, three) == ["done", "done", "done"]
    undone = ok(cli("undo"))
    assert undone.out == "undid: done 3 items (#1, #2, #3)\n"
    assert statuses(cli, three) == ["open", "open", "open"]


def test_drop_with_several_ids_gives_each_the_reason(cli: Cli, three: list[int]) -> None:
    result = ok(cli("drop", "3", "1", "--reason", "duplicates"))
    assert result.out.splitlines() == ["dropped #3 New mouse", "dropped #1 Printer jammed"]
    assert statuses(cli, three) == ["dropped", "open", "dropped"]
    data = ok(cli("show", "1", "--json")).json
    assert data["drop_reason"] == "duplicates"
    ok(cli("undo"))
    assert statuses(cli, three) == ["open", "open", "open"]


def test_an_unknown_id_refuses_the_whole_line_and_writes_nothing(
    cli: Cli, three: list[int]
) -> None:
    message = assert_one_line_error(cli("done", "1", "2", "99"), 1)
    assert "item 99 not found" in message
    assert statuses(cli, three) == ["open", "open", "open"]
    # nothing was journaled: undo reverts the last add, not a done
    assert ok(cli("undo")).out == "undid: add 'New mouse'\n"


def test_an_id_whose_status_forbids_it_refuses_the_whole_line(cli: Cli, three: list[int]) -> None:
    ok(cli("done", "2"))
    message = assert_one_line_error(cli("done", "1", "2", "3"), 2)
    assert message == "techqueue: item 2 is done: it cannot be marked done"
    assert statuses(cli, three) == ["open", "done", "open"]
    assert_one_line_error(cli("drop", "3", "2"), 2)
    assert statuses(cli, three) == ["open", "done", "open"]


def test_pause_with_an_id_not_in_hand_refuses_the_whole_line(cli: Cli, three: list[int]) -> None:
    ok(cli("start", "1"))
    message = assert_one_line_error(cli("pause", "1", "2"), 2)
    assert message == "techqueue: item 2 is open: it cannot be paused"
    assert statuses(cli, three) == ["active", "open", "open"]
    assert ok(cli("pause", "1")).out == "paused #1 Printer jammed\n"


def test_the_same_id_twice_is_done_once(cli: Cli, three: list[int]) -> None:
    assert ok(cli("done", "2", "2")).out == "done #2 VPN down\n"
    assert statuses(cli, three) == ["open", "done", "open"]


def test_json_with_several_ids_is_a_list_and_with_one_an_item(cli: Cli, three: list[int]) -> None:
    several: list[dict[str, Any]] = ok(cli("done", "1", "3", "--json")).json
    assert isinstance(several, list)
    assert [entry["id"] for entry in several] == [1, 3]
    for entry in several:
        assert_item_json(entry)
        assert entry["status"] == "done"
    one = ok(cli("done", "2", "--json")).json
    assert isinstance(one, dict)
    assert_item_json(one)
    assert one["id"] == 2


def test_a_running_item_done_with_others_keeps_its_time(
    cli: Cli, set_now: SetNow, three: list[int]
) -> None:
    ok(cli("start", "2"))
    set_now("2026-03-02T09:30")
    ok(cli("done", "1", "2"))
    assert ok(cli("show", "2", "--json")).json["spent_minutes"] == 30
    assert ok(cli("review", "--json")).json["worked_minutes"] == 30
