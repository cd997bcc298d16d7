"""The real ``techqueue`` in a real terminal: tmux on a private socket, driven key by key.

One smoke test of the whole path a technician takes: open the app on an empty store, capture
an interruption, start it, finish it, quit; then ``techqueue list --json --all`` must report
the item done. Every wait polls ``capture-pane`` against a generous deadline (never a fixed
sleep), so a slow or loaded machine makes the test slower, not flaky.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.store import open_store

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(240)]

NOW = "2026-03-02T09:00:00+00:00"
WIDTH, HEIGHT = 100, 30
LINE = "Printer jammed in room 4B @desk !high ~5m from:Alice"
TITLE = "Printer jammed in room 4B"
#: A cold start of Python + Textual on a loaded 2-core machine can take several seconds.
STARTUP_DEADLINE = 60.0
DEADLINE = 30.0
POLL = 0.1


class Terminal:
    """One tmux server on its own socket, holding one session that runs one command."""

    def __init__(self, tmux: str, socket: str, env: dict[str, str], config: Path) -> None:
        self.tmux = tmux
        self.socket = socket
        self.env = env
        self.config = config
        self.target = "tq"
        self.last_screen = ""

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [self.tmux, "-L", self.socket, "-f", str(self.config), *args],
            env=self.env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
            check=check,
        )

    def start(self, command: str, cwd: Path, size: tuple[int, int] = (WIDTH, HEIGHT)) -> None:
        self.run(
            "new-session",
            "-d",
            "-s",
            self.target,
            "-x",
            str(size[0]),
            "-y",
            str(size[1]),
            "-c",
            str(cwd),
            *(
                arg
                for name in sorted(self.env)
                if name.startswith("TECHQUEUE_")
                for arg in ("-e", f"{name}={self.env[name]}")
            ),
            command,
        )

    def start_app(
        self, console_script: Path, cwd: Path, size: tuple[int, int] = (WIDTH, HEIGHT)
    ) -> Path:
        """Start techqueue in a shell that writes its exit status, when it ends, to the file
        returned (whole: written beside it, then moved; see :meth:`wait_for_exit`)."""
        status_file = cwd / "exit-status"
        partial = shlex.quote(f"{status_file}.partial")
        self.start(
            f"{shlex.quote(str(console_script))}; echo $? > {partial} && "
            f"mv {partial} {shlex.quote(str(status_file))}",
            cwd,
            size=size,
        )
        return status_file

    def screen(self) -> str:
        result = self.run("capture-pane", "-p", "-t", self.target, check=False)
        if result.returncode == 0:
            self.last_screen = result.stdout
        return self.last_screen

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.target, *(["-l"] if literal else []), *keys)

    def pane(self, fmt: str) -> str:
        return self.run("display-message", "-p", "-t", self.target, fmt).stdout.strip()

    def wait_for(self, what: str, ready: Callable[[str], bool], deadline: float = DEADLINE) -> str:
        """Poll the screen until ``ready(screen)``; fail with the last screen otherwise."""
        end = time.monotonic() + deadline
        while True:
            screen = self.screen()
            if ready(screen):
                return screen
            if time.monotonic() > end:
                pytest.fail(
                    f"after {deadline:.0f} s still waiting for {what}; the screen was:\n{screen}"
                )
            time.sleep(POLL)

    def wait_for_text(self, *texts: str, deadline: float = DEADLINE) -> str:
        return self.wait_for(
            " and ".join(repr(t) for t in texts),
            lambda screen: all(text in screen for text in texts),
            deadline,
        )

    def wait_for_exit(self, status_file: Path, deadline: float = DEADLINE) -> int:
        """Wait until the command has ended; its exit status, as the wrapper wrote it.

        The shell around techqueue writes the status to a file: tmux's own
        ``#{pane_dead_status}`` is unreliable here, as tmux 3.3a sometimes marks the pane
        dead without ever reaping the process, leaving the status empty.
        """
        end = time.monotonic() + deadline
        while not status_file.exists():
            if time.monotonic() > end:
                pytest.fail(
                    f"techqueue still running {deadline:.0f} s after Ctrl+Q; the screen was:\n"
                    f"{self.screen()}"
                )
            time.sleep(POLL)
        return int(status_file.read_text())

    def kill(self) -> None:
        self.run("kill-server", check=False)


#: The queue row of the captured item: rank (or ▶ when active), flags, sev, via, title, from.
ROW = re.compile(rf"^ *(?P<marker>\d+|▶) +\S* *high +desk +{re.escape(TITLE)} +Alice ", re.M)


def row_of(screen: str) -> re.Match[str] | None:
    """The captured item's row in the queue table, when the table shows it."""
    return ROW.search(screen)


def status_line(screen: str) -> str:
    return screen.splitlines()[0] if screen else ""


@pytest.fixture
def tmux() -> str:
    found = shutil.which("tmux")
    if found is None:
        pytest.skip("tmux is not installed (apt-get install tmux)")
    return found


@pytest.fixture
def console_script() -> Path:
    script = Path(sys.executable).with_name("techqueue")
    if not script.exists():
        pytest.fail(f"no console script at {script}: pip install -e . first")
    return script


def test_capture_start_done_quit(tmux: str, console_script: Path, tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if name not in {"TMUX", "TMUX_PANE"}}
    env |= {
        "TECHQUEUE_DB": str(tmp_path / "techqueue.db"),
        "TECHQUEUE_CONFIG": str(tmp_path / "config.toml"),
        "TECHQUEUE_NOW": NOW,
    }
    config = tmp_path / "tmux.conf"
    # remain-on-exit keeps the pane, and so the last screen (a traceback?), after the end.
    config.write_text(
        'set -g default-terminal "tmux-256color"\n'
        "set -g remain-on-exit on\n"
        "set -g history-limit 1000\n"
        "set -s escape-time 0\n"
    )
    terminal = Terminal(tmux, f"tq-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}", env, config)
    try:
        # The shell waits for techqueue and records its exit status (stderr stays on the
        # terminal: Textual draws there).
        status_file = terminal.start_app(console_script, tmp_path)
        assert terminal.pane("#{pane_width}x#{pane_height}") == f"{WIDTH}x{HEIGHT}"

        terminal.wait_for_text("Nothing in the queue yet", deadline=STARTUP_DEADLINE)

        # Capture: wait for the quick-add input itself (its placeholder), not just the
        # footer's "Capture", before typing; then for the preview of the whole line.
        terminal.keys("a")
        terminal.wait_for_text("What happened? Tokens anywhere.")
        terminal.keys(LINE, literal=True)
        terminal.wait_for_text(LINE, f"title: {TITLE}", "from: Alice")
        terminal.keys("Enter")
        screen = terminal.wait_for(
            f"{TITLE!r} in the queue",
            lambda screen: row_of(screen) is not None and "1 open" in status_line(screen),
        )
        row = row_of(screen)
        assert row is not None
        assert row["marker"] == "1", screen

        # Start: the row and the status line show the running marker.
        terminal.keys("s")
        terminal.wait_for(
            "the ▶ marker",
            lambda screen: (
                (row := row_of(screen)) is not None
                and row["marker"] == "▶"
                and f"▶ #1 {TITLE}" in status_line(screen)
            ),
        )

        # Done: the queue is empty again.
        terminal.keys("d")
        terminal.wait_for(
            "the queue to empty",
            lambda screen: (
                "0 open" in status_line(screen)
                and "▶" not in status_line(screen)
                and row_of(screen) is None
                and "Nothing in the queue yet" in screen
            ),
        )

        terminal.keys("C-q")
        status = terminal.wait_for_exit(status_file)
        final = terminal.screen()
        assert "Traceback" not in final, final
        assert status == 0, final
    finally:
        terminal.kill()

    listed = subprocess.run(
        [str(console_script), "list", "--json", "--all"],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)
    assert [(item["title"], item["status"]) for item in items] == [(TITLE, "done")], items
    (item,) = items
    assert (item["severity"], item["channel"], item["requester"]) == ("high", "desk", "Alice")
    assert item["estimate_minutes"] == 5
    assert item["started_at"] is not None
    assert item["done_at"] is not None


def _env_and_config(tmp_path: Path) -> tuple[dict[str, str], Path]:
    env = {name: value for name, value in os.environ.items() if name not in {"TMUX", "TMUX_PANE"}}
    env |= {
        "TECHQUEUE_DB": str(tmp_path / "techqueue.db"),
        "TECHQUEUE_CONFIG": str(tmp_path / "config.toml"),
        "TECHQUEUE_NOW": NOW,
    }
    config = tmp_path / "tmux.conf"
    config.write_text(
        'set -g default-terminal "tmux-256color"\n'
        "set -g remain-on-exit on\n"
        "set -g history-limit 1000\n"
        "set -s escape-time 0\n"
    )
    return env, config


def _cli(console_script: Path, env: dict[str, str], cwd: Path, *args: str) -> str:
    done = subprocess.run(
        [str(console_script), *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


JOB = "Outlook keeps asking for the password on every laptop of the third floor"


def test_a_small_terminal_keeps_the_queue_the_timer_and_finds(
    tmux: str, console_script: Path, tmp_path: Path
) -> None:
    """At 60x15: the queue keeps its rows, the header its timer (the long title in hand is
    what gives way), the cursor starts on the job in hand, and / narrows the queue."""
    env, config = _env_and_config(tmp_path)
    for line in ("Printer jammed @desk !high ~5m from:Alice", "Reset a password ~2m from:Carol"):
        _cli(console_script, env, tmp_path, "add", line)
    job = _cli(console_script, env, tmp_path, "add", f"{JOB} ~90m from:Alexandra-Montgomery")
    _cli(console_script, env, tmp_path, "start", job)
    terminal = Terminal(tmux, f"tq-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}", env, config)
    try:
        status_file = terminal.start_app(console_script, tmp_path, size=(60, 15))
        screen = terminal.wait_for(
            "the queue",
            lambda screen: "Printer jammed" in screen and "Reset a password" in screen,
            deadline=STARTUP_DEADLINE,
        )
        header = status_line(screen).rstrip()
        assert f"▶ #{job} " in header, header
        assert header.endswith(" 0s"), "the timer, whatever else gives way"
        rows = [line for line in screen.splitlines() if re.match(r"^(\d+|▶) ", line)]
        assert len(rows) == 3, screen
        assert any(line.startswith("▶ ") and "Outlook" in line for line in rows), screen
        assert f"#{job} Outlook" in screen, "the detail shows the job in hand"

        terminal.keys("/")
        terminal.keys("printer", literal=True)
        terminal.wait_for_text("filter: printer — 1 of 3")
        terminal.keys("Enter")
        screen = terminal.wait_for(
            "the queue narrowed",
            lambda screen: "Reset a password" not in screen and "Printer jammed" in screen,
        )
        assert "filter: printer — 1 of 3" in status_line(screen)
        terminal.keys("Escape")
        terminal.wait_for(
            "the whole queue again",
            lambda screen: "Reset a password" in screen and "filter" not in status_line(screen),
        )

        terminal.keys("C-q")
        status = terminal.wait_for_exit(status_file)
        final = terminal.screen()
        assert "Traceback" not in final, final
        assert status == 0, final
    finally:
        terminal.kill()


def _capture_in_one_go(
    terminal: Terminal, status_file: Path, count: str, deadline: float = DEADLINE
) -> None:
    """``a``, :data:`LINE` and Enter sent in one go; wait until the capture is in the queue
    and the header says ``count``; then Ctrl+Q, and the app ends with status 0."""
    terminal.keys("a" + LINE, literal=True)
    terminal.keys("Enter")
    terminal.wait_for(
        f"{TITLE!r} in the queue",
        lambda screen: row_of(screen) is not None and count in status_line(screen),
        deadline=deadline,
    )
    terminal.keys("C-q")
    status = terminal.wait_for_exit(status_file)
    assert status == 0, terminal.screen()


def test_a_line_typed_straight_after_a_is_captured_whole(
    tmux: str, console_script: Path, tmp_path: Path
) -> None:
    """``a``, the line and Enter sent in one go (a fast typist, a paste, a macro), before the
    dialog is on screen: nothing typed is lost, and none of it is taken as a queue key (the
    letters of "Printer jammed" include t, p, d, n, e and r)."""
    env, config = _env_and_config(tmp_path)
    first = _cli(console_script, env, tmp_path, "add", "Existing job ~20m")
    terminal = Terminal(tmux, f"tq-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}", env, config)
    try:
        status_file = terminal.start_app(console_script, tmp_path)
        terminal.wait_for_text("Existing job", deadline=STARTUP_DEADLINE)
        _capture_in_one_go(terminal, status_file, "2 open")
    finally:
        terminal.kill()
    items = json.loads(_cli(console_script, env, tmp_path, "list", "--json", "--all"))
    assert sorted(item["title"] for item in items) == sorted(["Existing job", TITLE])
    existing = next(item for item in items if item["id"] == int(first))
    assert (existing["status"], existing["pinned"]) == ("open", False), "no key hit the queue"


def test_keys_typed_at_launch_over_the_first_rows_are_captured_whole(
    tmux: str, console_script: Path, tmp_path: Path
) -> None:
    """A queue long enough to take a moment to read whole, kept by ``techqueue list``: the app
    draws its first rows from it before the whole queue, and holds the keys meanwhile. ``a``,
    a line and Enter sent at once at launch are captured whole, and none of it reaches the
    first rows as a queue key (the letters of the line include s, d, p and u)."""
    env, config = _env_and_config(tmp_path)
    # No start-of-the-day summary over the queue (Ctrl+Q does not quit from a dialog).
    Path(env["TECHQUEUE_CONFIG"]).write_text("[day]\nmorning_summary = false\n")
    with open_store(Path(env["TECHQUEUE_DB"])) as store:
        desk = Desk(store)
        received = datetime.fromisoformat(NOW) - timedelta(days=3)
        for number in range(1500):
            fields = ItemFields(
                title=f"Old job {number:04d}", severity=("low", "normal")[number % 2]
            )
            actions.add(desk, fields, received + timedelta(minutes=number))
    _cli(console_script, env, tmp_path, "list")  # keeps the queue
    before = json.loads(_cli(console_script, env, tmp_path, "list", "--json"))
    terminal = Terminal(tmux, f"tq-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}", env, config)
    try:
        status_file = terminal.start_app(console_script, tmp_path)
        _capture_in_one_go(terminal, status_file, "1501 open", deadline=STARTUP_DEADLINE)
    finally:
        terminal.kill()
    after = json.loads(_cli(console_script, env, tmp_path, "list", "--json", "--all"))
    added = [item for item in after if item["title"] == TITLE]
    assert len(added) == 1, added
    assert added[0]["requester"] == "Alice"
    unchanged = {item["id"]: (item["status"], item["pinned"]) for item in before}
    assert {
        item["id"]: (item["status"], item["pinned"]) for item in after if item["id"] in unchanged
    } == unchanged


def test_the_app_opens_on_the_item_in_hand_even_far_down(
    tmux: str, console_script: Path, tmp_path: Path
) -> None:
    """The job in hand ranks 60th of 60 (a long, low job): the app opens with its row on
    screen, not on rows 1 to 20 with the cursor out of sight."""
    env, config = _env_and_config(tmp_path)
    for number in range(59):
        _cli(console_script, env, tmp_path, "add", f"Quick thing {number:02d} ~{number + 1}m")
    job = _cli(console_script, env, tmp_path, "add", "Rebuild the old file server !low ~8h")
    _cli(console_script, env, tmp_path, "start", job)
    terminal = Terminal(tmux, f"tq-e2e-{os.getpid()}-{uuid.uuid4().hex[:8]}", env, config)
    try:
        terminal.start(shlex.quote(str(console_script)), tmp_path)
        screen = terminal.wait_for(
            "the job in hand's row",
            lambda screen: any(
                line.lstrip().startswith("▶") and "Rebuild the old file" in line
                for line in screen.splitlines()
            ),
            deadline=STARTUP_DEADLINE,
        )
        assert "Quick thing 00" not in screen, "scrolled down to it"
    finally:
        terminal.kill()
