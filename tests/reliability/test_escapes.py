"""Terminal escape sequences in stored text are neutralised on every screen and in every
output format: a title, a name, a note or a reminder that holds ``ESC [2J``, an OSC that sets
the window title or the clipboard, a C1 CSI or a bell repaints nothing, anywhere.

The text is stored as given (an import or a script may put anything there); each way out is
checked — every reading command as text and as JSON (in-process; JSON keeps the text exactly,
escaped), every screen of the app (Pilot), and a real terminal (tmux: the pane's title must
not change, the screen must not be cleared).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sys
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from cli.support import environment, invoke
from e2e.test_tmux import STARTUP_DEADLINE, Terminal, _env_and_config
from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.core.text import clean_text
from techqueue.desk import Desk
from techqueue.store import open_store
from tui.conftest import screen_lines, settle

from .support import MONDAY_9, control_characters, local

#: What a hostile text may hold, each a way to act on a terminal.
ESCAPES = (
    "\x1b[2J\x1b[H",  # clear the screen, cursor home
    "\x1b]2;PWNED\x07",  # set the window title
    "\x1b]52;c;cHduZWQ=\x07",  # set the clipboard
    "\x9b31m",  # C1 CSI: red, without ESC
    "\x07\x08\x08\x7f",  # bell, backspaces, DEL
    "ok\rEVIL",  # carriage return over the line
    "[b]markup[/b] [/]",  # Rich markup, which must stay text
)
HOSTILE = "".join(ESCAPES)
TITLE = f"Printer {HOSTILE} jammed"
NOW = local(MONDAY_9)


def hostile_store(path: Path) -> dict[str, int]:
    """Every text a technician's store holds, hostile: titles, names, references, notes of
    each kind, promises, reminders, a drop reason, a carry-over note."""
    with open_store(path) as store:
        desk = Desk(store)

        def add(title: str, **fields: Any) -> int:
            return actions.add(desk, ItemFields(title=title, **fields), NOW).item.id

        first = add(TITLE, requester=f"Alice {HOSTILE}", ref=f"INC {HOSTILE}", tags=("printer",))
        second = add(f"VPN {HOSTILE}", requester=f"bob{HOSTILE}@example.com", severity="high")
        dropped = add(f"Old {HOSTILE}")
        actions.start(desk, first, NOW)
        actions.note(desk, first, f"plain {HOSTILE}", NOW)
        actions.note(desk, first, f"contact {HOSTILE}", NOW, kind="contact")
        later = NOW + timedelta(hours=1)
        actions.note(desk, second, f"promise {HOSTILE}", NOW, kind="promise", due_at=later)
        actions.remind(desk, first, NOW + timedelta(minutes=5), f"remind {HOSTILE}", NOW)
        actions.remind(desk, None, NOW - timedelta(minutes=5), f"due {HOSTILE}", NOW)
        actions.drop(desk, dropped, NOW, reason=f"reason {HOSTILE}")
        actions.carry_over(desk, [second], NOW, note=f"carry {HOSTILE}")
        actions.set_vip(desk, f"Alice {HOSTILE}", NOW)
    return {"first": first, "second": second, "dropped": dropped}


@pytest.fixture
def hostile(isolated_environment: Path) -> dict[str, int]:
    return hostile_store(isolated_environment / "techqueue.db")


# --- the command line --------------------------------------------------------------------------

TEXT_COMMANDS = [
    ["list"],
    ["list", "--all"],
    ["list", "--status", "all"],
    ["list", "--search", "Printer"],
    ["next"],
    ["show", "1"],
    ["show", "2"],
    ["show", "3"],
    ["eta"],
    ["eta", "1"],
    ["promises"],
    ["reminders"],
    ["remind", "--due"],
    ["review"],
    ["review", "--markdown"],
    ["review", "--week"],
    ["morning"],
    ["log"],
    ["log", "1"],
    ["config"],
    ["doctor"],
    ["vip", HOSTILE, "--off"],  # a failure quoting what was typed
    ["show", HOSTILE],
]
JSON_COMMANDS = [
    ["list", "--json"],
    ["list", "--json", "--all"],
    ["next", "--json"],
    ["show", "1", "--json"],
    ["show", "3", "--json"],
    ["eta", "--json"],
    ["promises", "--json"],
    ["reminders", "--json"],
    ["review", "--json"],
    ["morning", "--json"],
    ["log", "--json"],
    ["export"],
    ["doctor", "--json"],
]


@pytest.mark.parametrize("argv", TEXT_COMMANDS, ids=lambda argv: " ".join(argv)[:30])
def test_text_output_carries_no_control_character(hostile: dict[str, int], argv: list[str]) -> None:
    with environment(TECHQUEUE_NOW=MONDAY_9):
        result = invoke(argv)
    assert result.code in (0, 1, 2), result
    assert control_characters(result.out, allowed=("\n", "\t")) == set(), result.out
    assert control_characters(result.err) == set(), result.err
    if argv[0] == "show" and result.code == 0:
        assert "Printer" in result.out or "VPN" in result.out or "Old" in result.out


@pytest.mark.parametrize("argv", JSON_COMMANDS, ids=lambda argv: " ".join(argv))
def test_json_keeps_the_text_exactly_but_escaped(hostile: dict[str, int], argv: list[str]) -> None:
    with environment(TECHQUEUE_NOW=MONDAY_9):
        result = invoke(argv)
    assert result.code in (0, 1), result
    assert control_characters(result.out) == set(), "every control is written as \\u00XX"
    data = result.json
    if argv[:2] == ["show", "1"]:
        assert data["title"] == TITLE
        # A person's name is an identity (matched by name or address), so it is kept cleaned
        # of controls and runs of spaces when it is first written; a title is kept exactly.
        assert data["requester"] == clean_text(f"Alice {HOSTILE}")
        assert data["requester"].startswith("Alice [2J")
    if argv == ["export"]:
        assert TITLE in [item["title"] for item in data["item"]]


def test_an_exported_file_is_escaped_too_and_imports_exactly(
    hostile: dict[str, int], tmp_path: Path
) -> None:
    target = tmp_path / "out.json"
    with environment(TECHQUEUE_NOW=MONDAY_9):
        assert invoke(["export", str(target)]).code == 0
    text = target.read_text(encoding="utf-8")
    assert control_characters(text) == set()
    with environment(TECHQUEUE_NOW=MONDAY_9, TECHQUEUE_DB=str(tmp_path / "other.db")):
        assert invoke(["import", str(target)]).code == 0
        shown = invoke(["show", "1", "--json"]).json
    assert shown["title"] == TITLE


# --- every screen of the app -------------------------------------------------------------------


def clean_screen(pilot: Pilot[Any], where: str) -> str:
    """The screen as drawn now, checked for control characters; its text."""
    lines = screen_lines(pilot.app)
    found = control_characters("\n".join(lines))
    assert found == set(), f"{where}: {sorted(map(repr, found))}"
    return "\n".join(lines)


@pytest.mark.timeout(120)
async def test_every_screen_of_the_app_shows_the_text_neutralised(
    hostile: dict[str, int], isolated_environment: Path
) -> None:
    store = open_store(isolated_environment / "techqueue.db")
    app = TechQueueApp(store, Settings(morning_summary=False), lambda: NOW, notifier=None)
    async with app.run_test(size=(140, 44)) as pilot:
        await settle(pilot)
        shown = clean_screen(pilot, "the main screen")
        assert "Printer" in shown
        assert "[b]markup[/b]" in shown, "markup stays text"
        for step in range(3):  # each item's detail pane
            await pilot.press("down" if step else "home")
            await settle(pilot)
            clean_screen(pilot, f"the detail of row {step + 1}")
        for key, screen in (
            ("L", "the reminders"),
            ("R", "the review"),
            ("m", "the morning summary"),
            ("question_mark", "the keys"),
            ("e", "the edit line"),
            ("n", "the note dialog"),
            ("o", "the promise dialog"),
            ("r", "the reminder dialog"),
            ("z", "the defer dialog"),
            ("x", "the drop question"),
            ("ctrl+p", "the command palette"),
        ):
            await pilot.press("home")
            await settle(pilot)
            await pilot.press(key)
            await pilot.pause(0.3)
            await app.workers.wait_for_complete()
            await pilot.pause()
            clean_screen(pilot, screen)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("slash")
        await pilot.press(*"Printer")
        await pilot.pause()
        clean_screen(pilot, "the filtered queue")
        notices = [str(notice.message) for notice in app._notifications]
        assert control_characters("\n".join(notices)) == set(), notices
    store.close()


# --- a real terminal ---------------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.timeout(240)
def test_a_real_terminal_is_not_acted_on(tmp_path: Path) -> None:
    """tmux holds a pane title and a screen: an OSC 2 would change the one, ESC [2J clear the
    other. The app and the commands run there, on the hostile store."""
    tmux = shutil.which("tmux")
    if tmux is None:
        reason = "tmux is not installed (apt-get install tmux); .ci/run installs it"
        print(f"skipped: {reason}")
        pytest.skip(reason)
    env, config = _env_and_config(tmp_path)
    hostile_store(Path(env["TECHQUEUE_DB"]))
    script = Path(sys.executable).with_name("techqueue")
    marker = "MARKER-BEFORE-THE-COMMANDS"
    commands = " ; ".join(
        f"{shlex.quote(str(script))} {args}"
        for args in ("list", "show 1", "show 1 --json", "reminders", "review --markdown")
    )
    # One tmux server for the commands, one for the app: a server whose last session ends
    # exits, and may still be exiting when the next session is asked of it.
    shell = Terminal(tmux, f"tq-escapes-{os.getpid()}-{uuid.uuid4().hex[:8]}", env, config)
    try:
        # A pane tall enough to hold it all: the marker must still be on the screen.
        script_line = f"echo {marker}; {commands}; echo DONE-WITH-COMMANDS; sleep 30"
        shell.start(script_line, tmp_path, size=(200, 250))
        screen = shell.wait_for_text("DONE-WITH-COMMANDS", deadline=STARTUP_DEADLINE)
        assert marker in screen, "nothing cleared the screen"
        assert "PWNED" not in shell.pane("#{pane_title}")
        assert "EVIL" in screen, "a carriage return did not overwrite the line"
    finally:
        shell.kill()
    app = Terminal(tmux, f"tq-escapes-app-{os.getpid()}-{uuid.uuid4().hex[:8]}", env, config)
    try:
        app.start(shlex.quote(str(script)), tmp_path)
        app.wait_for_text("Printer", deadline=STARTUP_DEADLINE)
        # The title whole, markup as text, is in the detail pane, drawn with the whole board
        # (the first rows, drawn from a kept queue before it, show it cut to the column).
        screen = app.wait_for_text("[b]markup[/b]", deadline=STARTUP_DEADLINE)
        assert "PWNED" not in app.pane("#{pane_title}")
        app.keys("C-q")
    finally:
        app.kill()
    assert json.loads(json.dumps(TITLE)) == TITLE
