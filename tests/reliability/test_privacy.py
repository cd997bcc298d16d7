"""Privacy: the data directory is 0700 and every file in it 0600; nothing is written outside
techqueue's own directories (and the file a technician names); no network access in solo
mode — a process that runs every command and the app fails on any socket that is not a
local pipe, any name looked up, any connection."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from .support import MONDAY_9, PROCESS_TIMEOUT, techqueue

#: techqueue's own directories (platformdirs on Linux), under each XDG base.
BASES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME")
SESSION = [
    ["add", "Printer jammed @desk !high ~5m from:Alice #printer"],
    ["add", "VPN down !critical from:Bob"],
    ["start", "1"],
    ["note", "1", "paper tray two", "--promise", "+1h"],
    ["remind", "2", "+30m", "call Bob"],
    ["done", "1"],
    ["list", "--json"],
    ["review", "--markdown"],
    ["export", "{chosen}/export.json"],
    ["backup", "{chosen}/copy.db"],
    ["undo"],
    ["config"],
]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A whole home for techqueue: HOME, the XDG bases, a working and a temporary directory
    (all empty), and a place the technician chooses for an export; the store and config at
    their default places (no TECHQUEUE_DB, no TECHQUEUE_CONFIG)."""
    for name in ("TECHQUEUE_DB", "TECHQUEUE_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    env = {name: value for name, value in os.environ.items() if not name.startswith("TECHQUEUE_")}
    for name in ("HOME", "CWD", "TMPDIR", "CHOSEN", *BASES):
        folder = tmp_path / "private" / name.lower()
        folder.parent.mkdir(exist_ok=True)
        folder.mkdir(mode=0o755)
        env[name] = str(folder)
    config = Path(env["XDG_CONFIG_HOME"]) / "techqueue" / "config.toml"
    config.parent.mkdir(mode=0o700)
    config.write_text("[data]\njournal_days = 30\n")  # a config file: its cache is written
    config.chmod(0o600)
    return env


def run_session(env: dict[str, str]) -> None:
    for day, now in enumerate((MONDAY_9, "2026-03-03T09:00")):
        for argv in SESSION:
            words = [word.format(chosen=env["CHOSEN"]) for word in argv]
            ran = techqueue(*words, env={**env, "TECHQUEUE_NOW": now}, cwd=Path(env["CWD"]))
            assert ran.code == 0, (day, argv, ran)
    ran = techqueue("doctor", env=env, cwd=Path(env["CWD"]))
    assert "Traceback" not in ran.err


def test_every_file_is_owner_only_and_inside_techqueues_directories(
    home: dict[str, str],
) -> None:
    run_session(home)
    own = [Path(home[base]) / "techqueue" for base in BASES]
    data = own[0]
    assert (data / "techqueue.db").is_file()
    assert (data / "backups").is_dir(), "the second day began with a backup"
    for name in ("HOME", "CWD", "TMPDIR"):
        assert list(Path(home[name]).iterdir()) == [], f"{name}: nothing written there"
    for base in BASES:
        strays = [p for p in Path(home[base]).iterdir() if p.name != "techqueue"]
        assert strays == [], f"{base}: nothing beside techqueue's own directory"
    checked = 0
    for root in [*own, Path(home["CHOSEN"])]:
        if not root.exists():
            continue
        for path in [root, *root.rglob("*")]:
            mode = stat.S_IMODE(path.lstat().st_mode)
            if path == Path(home["CHOSEN"]):
                continue  # the technician's own directory
            expected = 0o700 if path.is_dir() else 0o600
            assert mode == expected, f"{path} is {mode:04o}, not {expected:04o}"
            checked += 1
    assert checked >= 8
    print(f"{checked} files and directories checked: owner-only")


#: The child: every command through the real entry point, then the app under Pilot, with
#: an audit hook that records every socket, name lookup, connection and subprocess.
NO_NETWORK = r"""
import asyncio, socket, sys
seen = []
NETWORK = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
           "socket.gethostbyname_ex", "socket.gethostbyaddr", "socket.sendto", "socket.bind",
           "subprocess.Popen", "os.system", "os.exec", "os.spawn", "urllib.Request"}

def hook(event, args):
    if event == "socket.__new__":
        family = args[1]
        if family != socket.AF_UNIX:
            seen.append(f"{event} family={family}")
    elif event in NETWORK:
        seen.append(f"{event} {args!r:.80}")

sys.addaudithook(hook)

from techqueue.cli.main import main
chosen = sys.argv[1]
lines = [
    ["add", "Printer jammed @desk !high from:Alice"], ["add", "VPN down !critical"],
    ["start", "1"], ["note", "1", "tray", "--promise", "+1h"], ["remind", "2", "+1h", "x"],
    ["list", "--json"], ["next"], ["show", "1"], ["eta"], ["promises"], ["reminders"],
    ["remind", "--due"], ["review", "--json"], ["morning"], ["log"],
    ["export", chosen + "/e.json"], ["backup"], ["backup", chosen + "/b.db"],
    ["restore", chosen + "/b.db"], ["doctor"], ["config"], ["done", "1"], ["undo"],
    ["vip", "Alice"], ["import", chosen + "/e.json", "--merge"],
]
for argv in lines:
    code = main(argv)
    if code not in (0, 1):
        print("failed:", argv, code)
        sys.exit(4)

from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.store import open_store

from datetime import datetime

KEYS = ("a", *"Call back", "enter", "down", "s", "R", "escape", "question_mark", "escape")

async def app():
    store = open_store()
    clock = lambda: datetime.now().astimezone()
    tq = TechQueueApp(store, Settings(morning_summary=False), clock, notifier=None)
    async with tq.run_test() as pilot:
        await pilot.pause(1.5)
        for key in KEYS:
            await pilot.press(key)
        await pilot.pause(1.2)
        await tq.workers.wait_for_complete()
    store.close()

asyncio.run(app())
print("EVENTS:", seen)
sys.exit(1 if seen else 0)
"""


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_solo_mode_never_touches_the_network(home: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", NO_NETWORK, home["CHOSEN"]],
        env={**home, "TECHQUEUE_NOW": MONDAY_9},
        cwd=home["CWD"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT * 2,
        check=False,
    )
    assert "EVENTS: []" in done.stdout, done.stdout[-2000:] + done.stderr[-2000:]
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_audit_hook_would_see_a_connection() -> None:
    """The network test's own check: a lookup in the child is caught."""
    probe = NO_NETWORK.split("from techqueue.cli.main")[0] + (
        "\ntry:\n    socket.getaddrinfo('localhost', 80)\nexcept OSError:\n    pass\n"
        "print('EVENTS:', seen)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
        check=False,
    )
    assert "socket.getaddrinfo" in done.stdout, done
