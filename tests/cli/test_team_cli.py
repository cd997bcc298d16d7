"""Team commands on a solo store, through the real entry point: ``assign``, ``unassign``,
``next --claim``, ``list --mine|--unassigned|--by``, ``--as`` and ``TECHQUEUE_USER``; and a solo
store otherwise as before (``start`` never assigns). The same on PostgreSQL, with several
technicians, is ``tests/team``'s."""

from __future__ import annotations

from typing import Any

import pytest

from .support import Cli, SetNow, add, assert_item_json, assert_usage_error, at, ok


def ids(cli: Cli, *options: str) -> list[int]:
    data: list[dict[str, Any]] = ok(cli("list", "--json", *options)).json
    for entry in data:
        assert_item_json(entry)
    return [entry["id"] for entry in data]


@pytest.fixture
def three(cli: Cli, set_now: SetNow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TECHQUEUE_USER", "dana")
    at(set_now, "09:00")
    add(cli, "VPN down !critical")
    add(cli, "Printer jammed !high")
    add(cli, "Toner low !low")
    at(set_now, "09:30")


def test_assign_and_unassign_say_who_has_an_item(cli: Cli, three: None) -> None:
    assert ok(cli("assign", "2", "eve")).out == "assigned to eve: #2 Printer jammed\n"
    data = ok(cli("show", "2", "--json")).json
    assert data["assignee"] == "eve"
    assert ok(cli("show", "1", "--json")).json["assignee"] is None
    assert "with eve" in ok(cli("list")).out
    assert ids(cli, "--by", "eve") == [2]
    assert ids(cli, "--unassigned") == [1, 3]
    assert ids(cli, "--mine") == []
    assert ok(cli("unassign", "2")).out == "unassigned #2 Printer jammed\n"
    assert ids(cli, "--by", "eve") == []
    assert_usage_error(cli("unassign", "2"))  # nobody's already: exit 2, one line


def test_next_claim_takes_the_top_item_nobody_has(cli: Cli, three: None) -> None:
    ok(cli("assign", "1", "eve"))
    claimed = ok(cli("next", "--claim", "--json")).json
    assert_item_json(claimed)
    assert (claimed["id"], claimed["status"], claimed["assignee"]) == (2, "active", "dana")
    assert ids(cli, "--mine") == [2]
    # A solo store has one job in hand, whoever claims: the claim pauses it (in a team, each
    # technician has their own: tests/team).
    said = ok(cli("--as", "frank", "next", "--claim")).out
    assert said == "claimed #3 Toner low (paused #2 Printer jammed)\n"
    assert ids(cli, "--by", "frank") == [3]
    assert ok(cli("next", "--claim", "--json")).json is None  # everything is someone's
    assert "Nothing to claim" in ok(cli("next", "--claim")).out
    ok(cli("undo"))
    assert ids(cli, "--by", "frank") == []


def test_a_solo_start_assigns_nobody(cli: Cli, three: None) -> None:
    ok(cli("start", "1"))
    assert ok(cli("show", "1", "--json")).json["assignee"] is None
    assert ids(cli, "--unassigned") == [1, 2, 3]


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--mine", "--unassigned"],
        ["list", "--by", " "],
        ["assign", "1", ""],
        ["assign", "1", "a\x1bb"],
        ["--as", "", "list", "--mine"],
    ],
)
def test_bad_team_input_is_one_line_and_exit_2(cli: Cli, three: None, argv: list[str]) -> None:
    assert_usage_error(cli(*argv))


def test_the_mine_weight_is_in_the_config(cli: Cli) -> None:
    assert "mine = 2" in ok(cli("config")).out
