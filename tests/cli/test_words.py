"""The command line says it right: counts with their words, and no validation library's
wording in a refusal."""

from __future__ import annotations

import json

import pytest

from .support import MONDAY_9, Cli, SetNow, add, assert_usage_error, ok


@pytest.fixture(autouse=True)
def _monday_morning(set_now: SetNow) -> None:
    set_now(MONDAY_9)


def test_import_counts_each_kind_of_row_with_its_word(cli: Cli) -> None:
    add(cli, "Printer jammed from:Alice")
    ok(cli("remind", "1", "+1h", "call", "back"))
    exported = ok(cli("export")).out
    ok(cli("--db", "other.db", "import", "-", stdin=exported))
    data = json.loads(exported)
    assert len(data["requester"]) == 1
    result = ok(cli("--db", "fresh.db", "import", "-", stdin=exported))
    assert result.out == ("imported 1 requester, 1 item, 0 notes, 1 reminder, 0 work spans\n")


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["show", "abc"], "ID must be a whole number, not 'abc'"),
        (["show", "0"], "ID must be at least 1, not '0'"),
        (["add", "x", "--impact", "0"], "--impact must be at least 1, not '0'"),
        (["add", "x", "--impact", "many"], "--impact must be a whole number, not 'many'"),
        (["carry", "abc"], "ID must be a whole number, not 'abc'"),
        (["eta", "0"], "ID must be at least 1, not '0'"),
        (["vip", "Alice", "B"], "1 word too many: 'B'"),
        (["show", "1", "2", "3"], "2 words too many: '2', '3'"),
    ],
)
def test_a_refused_value_is_said_plainly(cli: Cli, argv: list[str], said: str) -> None:
    message = assert_usage_error(cli(*argv))
    assert message == f"techqueue: {said}"
    assert "Input should" not in message
