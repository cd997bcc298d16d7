"""A few true end-to-end runs: ``python -m techqueue`` and the installed console script.

Six processes in all (each costs a Python start-up); everything else runs in-process.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import Home, RunSubprocess
from .support import ITEM_FIELDS, MONDAY_9, Result, assert_item_json, assert_one_line_error

pytestmark = pytest.mark.slow


def no_traceback(result: Result) -> None:
    assert "Traceback" not in result.out + result.err, result


def test_add_json_then_list_json(run_subprocess: RunSubprocess, console_script: Path) -> None:
    added = run_subprocess(
        "add", "Printer jammed @desk !high ~5m from:Alice #printer", "--json", now=MONDAY_9
    )
    no_traceback(added)
    assert added.code == 0, added
    item = added.json
    assert_item_json(item)
    assert set(item) >= ITEM_FIELDS
    assert (item["title"], item["channel"], item["severity"]) == ("Printer jammed", "desk", "high")

    listed = run_subprocess("list", "--json", now=MONDAY_9, script=console_script)
    no_traceback(listed)
    assert listed.code == 0, listed
    assert isinstance(listed.json, list)
    assert [entry["id"] for entry in listed.json] == [item["id"]]
    assert_item_json(listed.json[0])
    assert {key: listed.json[0][key] for key in ITEM_FIELDS} == {
        key: item[key] for key in ITEM_FIELDS
    }


def test_usage_error_is_one_line_and_exit_2(
    run_subprocess: RunSubprocess, console_script: Path
) -> None:
    result = run_subprocess("add", "Printer !urgentish", now=MONDAY_9, script=console_script)
    message = assert_one_line_error(result, 2)
    assert "urgentish" in message
    assert result.out == ""


def test_no_arguments_and_no_terminal_exits_0(run_subprocess: RunSubprocess) -> None:
    result = run_subprocess(timeout=30)
    no_traceback(result)
    assert result.code == 0, result


def test_help_exits_0(run_subprocess: RunSubprocess, console_script: Path) -> None:
    result = run_subprocess("--help", script=console_script)
    no_traceback(result)
    assert result.code == 0, result
    assert "add" in result.out
    assert "list" in result.out


def test_a_foreign_store_is_one_line_exit_1_and_untouched(
    run_subprocess: RunSubprocess, cli_home: Home
) -> None:
    cli_home.db.write_text("not a techqueue store\n", encoding="utf-8")
    result = run_subprocess("list", now=MONDAY_9)
    assert_one_line_error(result, 1)
    assert cli_home.db.read_text(encoding="utf-8") == "not a techqueue store\n"
