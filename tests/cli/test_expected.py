"""Item commands do what a person expects: ``start`` on the item in hand, ``vip`` of a name
nobody has, ``bump`` by whole steps, ``reopen``."""

from __future__ import annotations

import pytest

from .support import MONDAY_9, Cli, SetNow, add, assert_item_json, ok


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
