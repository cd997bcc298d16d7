"""Hooks: the technician's executable scripts in ``hooks/`` beside the config file run after
an action is saved, with the item's JSON (as ``show --json``) on stdin; one that fails or
hangs is said in one line and never loses the action; without a hooks directory nothing runs.
"""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest

from techqueue.actions import hooks as hook_module

from .conftest import Home
from .support import MONDAY_9, Cli, SetNow


def _script(home: Home, name: str, body: str) -> Path:
    folder = home.config.parent / "hooks"
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + body)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def _keeping(home: Home, name: str) -> Path:
    """A hook keeping what it read on stdin (one file per run) in ``got/``."""
    got = home.root / "got"
    got.mkdir(exist_ok=True)
    _script(home, name, f'cat > "{got}/{name}.$$.json"\n')
    return got


def _read(got: Path, name: str) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in sorted(got.glob(f"{name}.*.json"))]


def test_on_add_reads_the_items_json_as_show_prints_it(
    cli: Cli, cli_home: Home, set_now: SetNow
) -> None:
    set_now(MONDAY_9)
    got = _keeping(cli_home, "on-add")
    added = cli("add", "Printer jammed !high ~5m from:Alice #printer")
    assert added.code == 0, added
    assert added.err == ""
    [sent] = _read(got, "on-add")
    shown = cli("show", "1", "--json").json
    assert sent == shown
    assert sent["title"] == "Printer jammed"


def test_variants_each_run_and_only_for_their_event(
    cli: Cli, cli_home: Home, set_now: SetNow
) -> None:
    set_now(MONDAY_9)
    got = _keeping(cli_home, "on-done.chat")
    _keeping(cli_home, "on-done.ticket")
    _keeping(cli_home, "on-promise")
    cli("add", "One")
    cli("add", "Two")
    assert _read(got, "on-done.chat") == []
    assert cli("done", "1", "2").code == 0
    assert sorted(item["id"] for item in _read(got, "on-done.chat")) == [1, 2]
    assert {item["status"] for item in _read(got, "on-done.chat")} == {"done"}
    assert len(_read(got, "on-done.ticket")) == 2
    assert _read(got, "on-promise") == []
    cli("add", "Three")
    assert cli("note", "3", "by noon", "--promise", "12:00").code == 0
    [promised] = _read(got, "on-promise")
    assert promised["id"] == 3
    assert promised["promise_due_at"] is not None


def test_a_failing_hook_is_one_line_and_the_action_is_kept(
    cli: Cli, cli_home: Home, set_now: SetNow
) -> None:
    set_now(MONDAY_9)
    _script(cli_home, "on-add", 'echo "chat server unreachable" >&2\nexit 3\n')
    added = cli("add", "Printer jammed", "--json")
    assert added.code == 0
    assert added.json["title"] == "Printer jammed"  # stdout is the item's JSON alone
    [line] = added.err_lines
    assert line.startswith("techqueue: hook on-add failed (exit 3): chat server unreachable")
    assert cli("show", "1", "--json").json["status"] == "open"


def test_a_hanging_hook_is_stopped_and_said(
    cli: Cli, cli_home: Home, set_now: SetNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_now(MONDAY_9)
    monkeypatch.setattr("techqueue.desk.Hooks.__init__.__defaults__", (0.5, False))
    _script(cli_home, "on-add", "exec sleep 30\n")
    added = cli("add", "Printer jammed")
    assert added.code == 0
    [line] = added.err_lines
    assert "on-add was stopped after 0.5 s" in line
    assert cli("list", "--json").json[0]["title"] == "Printer jammed"


def test_not_executable_or_backup_files_are_not_hooks(
    cli: Cli, cli_home: Home, set_now: SetNow
) -> None:
    set_now(MONDAY_9)
    got = _keeping(cli_home, "on-add~")
    plain = _script(cli_home, "on-add.txt", f'cat > "{got}/plain.json"\n')
    plain.chmod(0o644)
    assert cli("add", "Printer").code == 0
    assert list(got.iterdir()) == []


def test_no_hooks_directory_runs_no_process(
    cli: Cli, set_now: SetNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    set_now(MONDAY_9)
    import subprocess

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("no hook, no process")

    monkeypatch.setattr(subprocess, "run", refuse)
    monkeypatch.setattr(hook_module, "_payload", refuse)
    assert cli("add", "Printer").code == 0
    assert cli("done", "1").code == 0


@pytest.mark.timeout(20)
def test_a_hook_leaving_a_child_running_holds_nothing_up(
    cli: Cli, cli_home: Home, set_now: SetNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child holding the hook's stderr, and the hook itself, are stopped at the timeout."""
    set_now(MONDAY_9)
    monkeypatch.setattr("techqueue.desk.Hooks.__init__.__defaults__", (0.5, False))
    _script(cli_home, "on-add", "sleep 30 &\nsleep 30\n")
    added = cli("add", "Printer jammed")
    assert added.code == 0
    assert "was stopped after 0.5 s" in added.err


def test_a_hook_in_the_background_is_fine(cli: Cli, cli_home: Home, set_now: SetNow) -> None:
    set_now(MONDAY_9)
    _script(cli_home, "on-add", "sleep 30 >/dev/null 2>&1 &\nexit 0\n")
    added = cli("add", "Printer jammed")
    assert added.code == 0
    assert added.err == ""


def test_a_hook_beside_a_config_named_relatively_runs(
    cli: Cli, cli_home: Home, set_now: SetNow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TECHQUEUE_CONFIG=config.toml, from the directory that holds it: the hooks beside it are
    found and run (a script named relative to the wrong directory could not be)."""
    set_now(MONDAY_9)
    got = _keeping(cli_home, "on-add")
    monkeypatch.chdir(cli_home.config.parent)
    monkeypatch.setenv("TECHQUEUE_CONFIG", cli_home.config.name)
    added = cli("add", "Printer jammed")
    assert added.code == 0, added
    assert added.err == ""
    assert [sent["title"] for sent in _read(got, "on-add")] == ["Printer jammed"]
