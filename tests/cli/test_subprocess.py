"""A few true end-to-end runs: ``python -m techqueue`` and the installed console script.

Eight processes in all (each costs a Python start-up); everything else runs in-process.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import Home, RunSubprocess
from .support import (
    ITEM_FIELDS,
    MONDAY_9,
    Result,
    assert_item_json,
    assert_one_line_error,
    local,
    parse_time,
)

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


_ADD_AND_SAY_WHAT_WAS_LOADED = """
import json, sys
from techqueue.cli.main import main
code = main(["add", sys.argv[1], "--json"])
loaded = sorted({name.partition(".")[0] for name in sys.modules} & {"dateutil", "dateparser"})
print(json.dumps({"code": code, "loaded": loaded}))
"""


def _add_in_a_fresh_interpreter(
    line: str, run_subprocess: RunSubprocess
) -> tuple[dict[str, Any], list[str]]:
    """``techqueue add LINE --json`` through ``techqueue.cli.main`` in a new process: the item
    and the date libraries the command loaded."""
    done = run_subprocess(line, now=MONDAY_9, probe=_ADD_AND_SAY_WHAT_WAS_LOADED)
    assert done.code == 0, done.err
    *item_lines, probe_line = done.out.strip().splitlines()
    probe = json.loads(probe_line)
    assert probe["code"] == 0, done.err
    item: dict[str, Any] = json.loads("\n".join(item_lines))
    loaded: list[str] = probe["loaded"]
    return item, loaded


def test_a_short_command_does_not_load_the_date_library(run_subprocess: RunSubprocess) -> None:
    """docs/times.md: the built-in forms cost nothing; only a month name loads dateutil."""
    item, loaded = _add_in_a_fresh_interpreter("x due:14:00", run_subprocess)
    assert parse_time(item["due_at"]) == local("2026-03-02T14:00")
    assert loaded == []
    item, loaded = _add_in_a_fresh_interpreter("y due:mar 5", run_subprocess)
    assert (item["title"], parse_time(item["due_at"])) == ("y", local("2026-03-05T09:00"))
    assert loaded == ["dateutil"]
