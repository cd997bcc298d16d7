"""Item commands do what a person expects: ``start`` on the item in hand, ``vip`` of a name
nobody has, ``bump`` by whole steps, ``reopen``."""

from __future__ import annotations

import pytest

from .support import (
    MONDAY_9,
    Cli,
    SetNow,
    add,
    assert_item_json,
    assert_one_line_error,
    item,
    ok,
)


@pytest.fixture(autouse=True)
def _monday_morning(set_now: SetNow) -> None:
    set_now(MONDAY_9)


@pytest.fixture
def three(cli: Cli) -> list[int]:
    return [add(cli, "Printer jammed"), add(cli, "VPN down"), add(cli, "New mouse")]


def test_start_on_the_item_in_hand_says_so_and_changes_nothing(
    cli: Cli, set_now: SetNow, three: list[int]
) -> None:
    ok(cli("start", "1"))
    set_now("2026-03-02T09:10")
    result = ok(cli("start", "1"))
    assert result.out == "#1 Printer jammed is already in hand\n"
    assert result.err == ""
    assert ok(cli("undo")).out == "undid: start #1 'Printer jammed'\n"  # nothing new journaled
    ok(cli("start", "1"))
    data = ok(cli("start", "1", "--json")).json
    assert_item_json(data)
    assert data["status"] == "active"


def test_vip_of_a_name_nobody_has_is_refused(cli: Cli) -> None:
    add(cli, "Phone broken from:Dana")
    message = assert_one_line_error(cli("vip", "Dnaa"), 2)
    assert message == (
        "techqueue: no requester called 'Dnaa' — check the spelling, or add --new to create them"
    )
    assert [entry["name"] for entry in ok(cli("export")).json["requester"]] == ["Dana"]
    assert_one_line_error(cli("vip", "Dnaa", "--off"), 1)


def test_vip_finds_a_known_requester_by_name_or_email_in_any_case(cli: Cli) -> None:
    first = add(cli, "Phone broken from:Dana")
    second = add(cli, "Laptop", "--from", "frank@corp.example")
    assert ok(cli("vip", "DANA")).out == "Dana is now VIP\n"
    assert ok(cli("vip", "Frank@Corp.Example")).out == "frank@corp.example is now VIP\n"
    assert item(cli, first)["vip"] is True
    assert item(cli, second)["vip"] is True


def test_vip_new_creates_the_requester(cli: Cli) -> None:
    assert ok(cli("vip", "Zoe Washburne", "--new")).out == "Zoe Washburne is now VIP\n"
    later = add(cli, "Radio broken from:'Zoe Washburne'")
    assert item(cli, later)["vip"] is True


def _bump(cli: Cli, item_id: int) -> float:
    data: float = ok(cli("export")).json["item"][item_id - 1]["bump"]
    return data


def test_bump_takes_whole_steps_up_and_down(cli: Cli, three: list[int]) -> None:
    ok(cli("bump", "1", "2"))
    assert _bump(cli, 1) == 2
    ok(cli("bump", "1", "--", "-1"))
    assert _bump(cli, 1) == 1
    ok(cli("bump", "2"))
    assert _bump(cli, 2) == 1


@pytest.mark.parametrize("steps", ["0.5", "1.0", "-0.5", "1e3", "two", "nan"])
def test_bump_by_a_part_of_a_step_is_refused_saying_the_range(
    cli: Cli, three: list[int], steps: str
) -> None:
    message = assert_one_line_error(cli("bump", "1", "--", steps), 2)
    assert f"{steps!r} is not a whole number of steps" in message
    assert "between -20 and 20" in message
    assert _bump(cli, 1) == 0


def test_bump_past_the_range_or_by_nothing_is_refused_saying_the_range(
    cli: Cli, three: list[int]
) -> None:
    ok(cli("bump", "1", "15"))
    message = assert_one_line_error(cli("bump", "1", "10"), 2)
    assert message == (
        "techqueue: a bump is a nudge: the total stays between -20 and 20 (#1 is at +15 now)"
    )
    message = assert_one_line_error(cli("bump", "1", "0"), 2)
    assert "between" not in message
    assert "1 to 20 steps up, or -1 to -20 down" in message
    assert _bump(cli, 1) == 15


def test_bump_help_says_whole_steps_and_the_range(cli: Cli) -> None:
    shown = " ".join(ok(cli("bump", "--help")).out.split())
    assert "Whole steps up (negative: down); the item's total stays between -20 and 20." in shown


@pytest.mark.parametrize("close", [["done"], ["drop", "--reason", "duplicate"]])
def test_reopen_puts_a_finished_item_back_in_the_queue(
    cli: Cli, set_now: SetNow, three: list[int], close: list[str]
) -> None:
    ok(cli(close[0], "1", *close[1:]))
    set_now("2026-03-02T09:30")
    assert ok(cli("reopen", "1")).out == "reopened #1 Printer jammed\n"
    data = item(cli, 1)
    assert data["status"] == "open"
    assert data["done_at"] is None
    assert data["drop_reason"] is None
    assert data["rank"] is not None
    assert 1 in [entry["id"] for entry in ok(cli("list", "--json")).json]
    ok(cli("undo"))
    assert item(cli, 1)["status"] == ("done" if close[0] == "done" else "dropped")


def test_reopen_of_an_item_not_finished_is_refused(cli: Cli, three: list[int]) -> None:
    message = assert_one_line_error(cli("reopen", "2"), 2)
    assert message == "techqueue: item 2 is open: it cannot be reopened"
    assert_one_line_error(cli("reopen", "9"), 1)


def test_reopen_json_is_the_item(cli: Cli, three: list[int]) -> None:
    ok(cli("done", "3"))
    data = ok(cli("reopen", "3", "--json")).json
    assert_item_json(data)
    assert data["status"] == "open"
