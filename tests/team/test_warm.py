"""The warm helper of team mode: a short command handed to a warm process says and does what
it says and does in its own process (same stdout, stderr and exit status; its environment,
directory, user and signals reach the child), a stale or dead socket costs nothing but the
warm start, the warm process leaves when idle or stale, and it never exists under CI or with
``TECHQUEUE_WARM=0``. Each test's warm processes are stopped at its end. (Solo mode's warm
helper: ``tests/warm/test_solo_warm.py``.)"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import techqueue
from techqueue.cli.main import _SHORT, _split
from techqueue.cli.registry import MODULES
from techqueue.warm import client

from .server import NOBODY, Cluster
from .warm_support import (
    _alive,
    both_ways,
    children,
    runtime_directory,
    served,
    start_add,
    start_warm,
    techqueue_cli,
    until,
    warm_pids,
)

NOW = "2026-03-02T09:00:00+00:00"
TIMEOUT = 60.0


@pytest.fixture
def runtime() -> Iterator[Path]:
    """A runtime directory of the test's own; its warm processes stopped at the end."""
    with runtime_directory("tqw-") as folder:
        yield folder


@pytest.fixture
def warm_env(team_url: str, runtime: Path) -> dict[str, str]:
    """A team command's environment with the warm helper asked for (CI or not)."""
    return {
        **os.environ,
        "TECHQUEUE_DB": team_url,
        "TECHQUEUE_WARM": "1",
        "TECHQUEUE_WARM_IDLE": "120",
        "TECHQUEUE_NOW": NOW,
        "TECHQUEUE_USER": "dana",
        "XDG_RUNTIME_DIR": str(runtime),
    }


def the_socket(env: dict[str, str]) -> Path:
    folder = client.directory(env, create=True)
    assert folder is not None
    return Path(client.socket_path(folder, client.key(env["TECHQUEUE_DB"], env)))


# --- the same command, here or warm --------------------------------------------------------

LINES = [
    ["add", "Printer jammed @desk !high ~5m from:Alice #printer"],
    ["add", "VPN down !critical from:Bob"],
    ["next"],
    ["show", "1"],
    ["list", "--json"],
    ["show", "abc"],
    ["start", "99"],
    ["add", ""],
    ["next", "--claim"],
    ["show", "2", "--json"],
    ["--as", "bob", "next", "--claim", "--json"],
    ["list"],
    ["done", "2"],
    ["list", "--json", "--mine"],
]


def test_a_command_says_and_does_the_same_through_the_warm_process(
    cluster: Cluster, warm_env: dict[str, str], runtime: Path
) -> None:
    here_env = {**warm_env, "TECHQUEUE_WARM": "0", "TECHQUEUE_DB": cluster.new_schema()}
    assert techqueue_cli("list", "--json", env=here_env).code == 0
    start_warm(warm_env, runtime)
    codes, _ = both_ways(LINES, here_env, warm_env, runtime)
    assert {0, 2} <= codes, "bad input too: one line, exit status 2"
    assignees = {
        json.loads(techqueue_cli("show", item, "--json", env=warm_env).out)["assignee"]
        for item in ("1", "2")
    }
    assert assignees == {"dana", "bob"}, "each claimed one, --as bob through the warm process"


def on_a_terminal(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """A command line run on a terminal of 77 columns: its exit status and all it showed."""
    import fcntl as control
    import pty
    import struct
    import termios

    main, terminal = pty.openpty()
    control.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 77, 0, 0))
    command = subprocess.Popen(
        [sys.executable, "-m", "techqueue", *args],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
    )
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal's other end closed
            break
        if not chunk:
            break
        shown += chunk
    os.close(main)
    return command.wait(timeout=TIMEOUT), shown


def test_on_a_terminal_too_the_warm_process_shows_the_same(
    warm_env: dict[str, str], runtime: Path
) -> None:
    assert techqueue_cli("add", "Printer jammed @desk !high ~5m from:Alice", env=warm_env).code == 0
    start_warm(warm_env, runtime)
    before = served(runtime)
    own = {**warm_env, "TECHQUEUE_WARM": "0"}
    for line in (["show", "1"], ["next"], ["list", "--json"], ["add", "--help"]):
        here = on_a_terminal(line, own)
        assert on_a_terminal(line, warm_env) == here, line
        assert here[0] == 0
    assert served(runtime) - before == 4


def test_the_environment_directory_and_user_reach_the_child(
    warm_env: dict[str, str], runtime: Path, tmp_path: Path
) -> None:
    hooks = Path(warm_env["TECHQUEUE_CONFIG"]).parent / "hooks"
    hooks.mkdir()
    hook = hooks / "on-add"
    hook.write_text('#!/bin/sh\necho "$MARKER" > "$OUT"\n')
    hook.chmod(0o700)
    start_warm(warm_env, runtime)
    before = served(runtime)
    out = tmp_path / "hook.out"
    ran = techqueue_cli("add", "Toner", env={**warm_env, "MARKER": "ours", "OUT": str(out)})
    assert ran.code == 0, ran
    assert out.read_text() == "ours\n", "the command's environment, down to its hooks"
    # A relative config path is read from the working directory: a broken one is refused.
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "config.toml").write_text("[scoring\n")
    relative = {**warm_env, "TECHQUEUE_CONFIG": "config.toml"}
    warm = techqueue_cli("next", env=relative, cwd=elsewhere)
    here = techqueue_cli("next", env={**relative, "TECHQUEUE_WARM": "0"}, cwd=elsewhere)
    assert warm == here
    assert warm.code != 0, warm
    assert "config.toml" in warm.err
    assert techqueue_cli("--as", "bob", "start", "1", env=warm_env).code == 0
    shown = json.loads(techqueue_cli("show", "1", "--json", env=warm_env).out)
    assert shown["assignee"] == "bob", "--as reaches the child"
    assert techqueue_cli("add", "VPN", env=warm_env).code == 0
    carol = {**warm_env, "TECHQUEUE_USER": "carol"}
    assert techqueue_cli("start", "2", env=carol).code == 0
    shown = json.loads(techqueue_cli("show", "2", "--json", env=warm_env).out)
    assert shown["assignee"] == "carol", "TECHQUEUE_USER reaches the child"
    assert served(runtime) - before == 7


def test_the_umask_and_a_terminal_free_stdin_reach_the_child(
    warm_env: dict[str, str], runtime: Path, tmp_path: Path
) -> None:
    hooks = Path(warm_env["TECHQUEUE_CONFIG"]).parent / "hooks"
    hooks.mkdir()
    (hooks / "on-add").write_text('#!/bin/sh\numask > "$OUT"\n')
    (hooks / "on-add").chmod(0o700)
    start_warm(warm_env, runtime)
    out = tmp_path / "umask.out"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys, runpy; os.umask(0o027); "
            "sys.argv = ['techqueue', 'add', 'Toner']; runpy.run_module('techqueue', "
            "run_name='__main__')",
        ],
        env={**warm_env, "OUT": str(out)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert out.read_text().strip() == "0027"
    assert served(runtime) == 1


def test_claims_at_once_through_the_warm_process_each_get_their_own(
    warm_env: dict[str, str], runtime: Path
) -> None:
    for number in range(8):
        assert techqueue_cli("add", f"Job {number}", env=warm_env).code == 0
    start_warm(warm_env, runtime)
    before = served(runtime)
    claims = [
        subprocess.Popen(
            [sys.executable, "-m", "techqueue", f"--as=tech{number}", "next", "--claim", "--json"],
            env=warm_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(8)
    ]
    claimed = []
    for claim in claims:
        out, err = claim.communicate(timeout=TIMEOUT)
        assert claim.returncode == 0, err
        claimed.append(json.loads(out)["id"])
    assert sorted(claimed) == list(range(1, 9)), "each claimed a different item, none lost"
    assert served(runtime) - before == 8


# --- falling back, and leaving ---------------------------------------------------------------


def test_a_stale_socket_falls_back_to_running_here(warm_env: dict[str, str], runtime: Path) -> None:
    path = the_socket(warm_env)
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))
    stale.close()  # the file stays, nobody listens: a warm process that died
    path.chmod(0o755)  # told apart from the warm process's own (0600)
    ran = techqueue_cli("add", "Printer jammed", env=warm_env)
    assert (ran.code, ran.out) == (0, "1\n"), ran
    assert until(lambda: path.exists() and stat.S_IMODE(path.stat().st_mode) == 0o600)
    assert techqueue_cli("add", "Toner", env=warm_env).out == "2\n"
    assert served(runtime) == 1, "the warm process started took the next command"


def test_a_killed_warm_process_falls_back_and_is_started_again(
    warm_env: dict[str, str], runtime: Path
) -> None:
    first = start_warm(warm_env, runtime)
    os.kill(first, signal.SIGKILL)
    assert until(lambda: not _alive(first))
    assert the_socket(warm_env).exists(), "a killed process leaves its socket"
    ran = techqueue_cli("add", "Printer jammed", env=warm_env)
    assert (ran.code, ran.out) == (0, "1\n"), ran
    assert until(lambda: warm_pids(runtime) not in ([], [first]))
    assert techqueue_cli("add", "Toner", env=warm_env).out == "2\n"
    assert served(runtime) == 1


def test_the_warm_process_leaves_when_idle(warm_env: dict[str, str], runtime: Path) -> None:
    env = {**warm_env, "TECHQUEUE_WARM_IDLE": "1"}
    pid = start_warm(env, runtime)
    assert until(lambda: not _alive(pid), 30), "an idle warm process exits"
    assert list(runtime.rglob("*.sock")) == [], "and removes its socket"
    assert list(runtime.rglob("*.lock")) == [], "and its lock file"


def test_the_warm_process_leaves_when_the_code_changes(
    warm_env: dict[str, str], runtime: Path
) -> None:
    pid = start_warm(warm_env, runtime)
    marker = Path(techqueue.__file__).parent / "py.typed"
    was = marker.stat()
    try:
        os.utime(marker, ns=(was.st_atime_ns, was.st_mtime_ns + 7_000_000_000))
        assert client.key(warm_env["TECHQUEUE_DB"], warm_env) != "", "a new key"
        assert until(lambda: not _alive(pid), 30), "stale code never serves: it exits"
    finally:
        os.utime(marker, ns=(was.st_atime_ns, was.st_mtime_ns))
    assert list(runtime.rglob("*.sock")) == []


def test_the_warm_process_leaves_when_its_socket_is_removed(
    warm_env: dict[str, str], runtime: Path
) -> None:
    """As a runtime directory is emptied at logout: no one could reach it any more."""
    pid = start_warm(warm_env, runtime)
    the_socket(warm_env).unlink()
    assert until(lambda: not _alive(pid), 30)
    assert list(runtime.rglob("*.lock")) == []


def test_a_request_of_another_key_is_refused(warm_env: dict[str, str], runtime: Path) -> None:
    import marshal

    start_warm(warm_env, runtime)
    request = marshal.dumps(
        (client.PROTOCOL, "another key", ["techqueue", "add", "x"], {}, 0o22, [("utf-8",) * 2] * 3)
    )
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as connection:
        connection.settimeout(10)
        connection.connect(str(the_socket(warm_env)))
        here = os.open(".", os.O_RDONLY)
        try:
            data = len(request).to_bytes(4, "big") + request
            socket.send_fds(connection, [data], [0, 1, 2, here])
        finally:
            os.close(here)
        assert connection.recv(1) == client.REFUSED
    assert served(runtime) == 0


# --- signals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "code", "said"),
    [
        (signal.SIGINT, 130, "techqueue: interrupted; nothing was half-written\n"),
        (signal.SIGTERM, -signal.SIGTERM, ""),
    ],
)
def test_a_signal_to_the_command_stops_its_child(
    warm_env: dict[str, str], runtime: Path, sent: int, code: int, said: str
) -> None:
    import psycopg

    pid = start_warm(warm_env, runtime)
    assert techqueue_cli("add", "First", env=warm_env).code == 0  # the tables made
    with psycopg.connect(warm_env["TECHQUEUE_DB"]) as blocker:
        blocker.execute("LOCK TABLE item IN ACCESS EXCLUSIVE MODE")  # every write waits
        command = start_add(warm_env)
        try:
            assert until(lambda: served(runtime) == 2), "the command reached the warm process"
            assert until(lambda: bool(children(pid)))
            time.sleep(0.5)  # the child is waiting on the lock
            command.send_signal(sent)
            out, err = command.communicate(timeout=TIMEOUT)
        finally:
            if command.poll() is None:
                command.kill()
        blocker.rollback()
    assert (command.returncode, out, err) == (code, "", said)
    assert until(lambda: children(pid) == []), "the child is gone"
    listed = json.loads(techqueue_cli("list", "--json", env=warm_env).out)
    assert [item["title"] for item in listed] == ["First"], "nothing half-written"


# --- never where it must not be --------------------------------------------------------------


NO_SOCKET = r"""
import atexit, sys
seen = []
def hook(event, args):
    if event.startswith(("socket.", "os.posix_spawn", "os.fork", "subprocess.")):
        seen.append(event)
sys.addaudithook(hook)
atexit.register(lambda: print("EVENTS:", seen))  # a function at exit: the ordinary exit
sys.argv = ["techqueue", *sys.argv[1:]]
from techqueue.warm.client import run
sys.exit(run())
"""


def test_the_audit_hook_sees_a_team_command_reach_for_its_socket(
    warm_env: dict[str, str], runtime: Path
) -> None:
    """A team command through the probe is seen starting the warm process, then handing
    itself to it."""

    def probe() -> str:
        done = subprocess.run(
            [sys.executable, "-c", NO_SOCKET, "list", "--json"],
            env=warm_env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "os.posix_spawn" in probe()
    assert until(lambda: bool(warm_pids(runtime)))
    assert "socket.connect" in probe()
    assert served(runtime) == 1


@pytest.mark.parametrize(
    "asked", [{"CI": "true"}, {"TECHQUEUE_WARM": "0"}, {"CI": "1", "TECHQUEUE_WARM": "off"}]
)
def test_never_under_ci_or_when_turned_off(
    warm_env: dict[str, str], runtime: Path, asked: dict[str, str]
) -> None:
    env = {**warm_env, **asked}
    if "TECHQUEUE_WARM" not in asked:
        del env["TECHQUEUE_WARM"]
    for line in (["add", "Printer"], ["next"]):
        assert techqueue_cli(*line, env=env).code == 0
    time.sleep(0.5)
    assert list(runtime.iterdir()) == []


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, True),
        ({"CI": "true"}, False),
        ({"CI": "false"}, True),
        ({"CI": "true", "TECHQUEUE_WARM": "1"}, True),
        ({"TECHQUEUE_WARM": "0"}, False),
        ({"TECHQUEUE_WARM": "no"}, False),
    ],
)
def test_when_the_warm_helper_may_be_used(env: dict[str, str], expected: bool) -> None:
    assert client.enabled(env) is (expected and sys.platform == "linux")


URL = "postgresql://dana@db.example/techqueue"


@pytest.mark.parametrize(
    ("args", "env", "expected"),
    [
        (["add", "x"], {"TECHQUEUE_DB": URL}, URL),
        (["--db", URL, "next"], {}, URL),
        ([f"--db={URL}", "--as", "bob", "show", "1"], {"TECHQUEUE_DB": "/tmp/x.db"}, URL),
        (
            ["--as=bob", "list"],
            {"TECHQUEUE_DB": "postgres+psycopg://h/db"},
            "postgres+psycopg://h/db",
        ),
        (["add", "x"], {"TECHQUEUE_DB": "/tmp/solo.db"}, client.SOLO),
        (["--db", "/tmp/solo.db", "add", "x"], {"TECHQUEUE_DB": URL}, client.SOLO),
        (["next"], {}, client.SOLO),  # the default store
        (["list"], {"TECHQUEUE_DB": "sqlite:///tmp/solo.db"}, client.SOLO),
        ([], {}, None),  # the full-screen app
        (["add", "x"], {"LD_PRELOAD": "libfaketime.so.1"}, None),  # the child would not have it
        (["add", "x"], {"FAKETIME": "@2026-03-02 09:00:00"}, None),
        ([], {"TECHQUEUE_DB": URL}, None),  # the full-screen app
        (["import", "f.json"], {"TECHQUEUE_DB": URL}, None),  # not a short command
        (["review"], {"TECHQUEUE_DB": URL}, None),
        (["add", "x"], {"TECHQUEUE_DB": URL, "_TECHQUEUE_COMPLETE": "bash"}, None),
        (["add", "x"], {"TECHQUEUE_DB": URL, "TECHQUEUE_WARM": "0"}, None),
    ],
)
def test_which_command_lines_go_to_the_warm_process(
    args: list[str], env: dict[str, str], expected: str | None
) -> None:
    if sys.platform != "linux":
        expected = None
    assert client.warm_store(args, env) == expected


@pytest.mark.parametrize(
    "args",
    [
        ["add", "x"],
        ["--db", "u", "next"],
        ["--db=u", "--as", "bob", "show", "1"],
        ["--as=bob", "--db", "u"],
        ["--as"],
        ["--db", "u", "--as"],
        ["--version"],
        [],
    ],
)
def test_the_global_options_are_read_as_the_command_line_reads_them(args: list[str]) -> None:
    db, _, word, _ = _split(args)
    assert client._global_options(args) == (db, word)


def test_the_warm_commands_are_short_commands() -> None:
    assert _SHORT <= client.COMMANDS <= set(MODULES)


# --- permissions ---------------------------------------------------------------------------


def test_the_socket_is_owner_only(warm_env: dict[str, str], runtime: Path) -> None:
    start_warm(warm_env, runtime)
    path = the_socket(warm_env)
    modes = {
        found: stat.S_IMODE(found.lstat().st_mode)
        for found in (path.parent.parent, path.parent, path, path.with_suffix(".lock"))
    }
    assert list(modes.values()) == [0o700, 0o700, 0o600, 0o600], modes
    assert stat.S_ISSOCK(path.lstat().st_mode)


def test_another_user_is_turned_away(warm_env: dict[str, str], runtime: Path) -> None:
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to connect as another user")
    import pwd

    start_warm(warm_env, runtime)
    path = the_socket(warm_env)
    for folder in (runtime, path.parent.parent, path.parent):
        folder.chmod(0o711)  # let nobody reach the socket: only the uid check is left
    path.chmod(0o666)
    user = pwd.getpwnam(NOBODY)
    probe = (
        "import socket, sys; s = socket.socket(socket.AF_UNIX); s.settimeout(10); "
        "s.connect(sys.argv[1]); print(repr(s.recv(1)))"
    )
    done = subprocess.run(
        [
            "setpriv",
            f"--reuid={user.pw_uid}",
            f"--regid={user.pw_gid}",
            "--clear-groups",
            sys.executable,
            "-c",
            probe,
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert done.stdout.strip() == "b''", done.stdout + done.stderr
    assert served(runtime) == 0


# --- the client's own cost -------------------------------------------------------------------


def test_the_client_imports_almost_nothing() -> None:
    """Every command passes through the client first: it loads nothing but itself (socket,
    signal and zlib only once a command is on its way to the warm process)."""
    code = (
        "import sys; before = set(sys.modules); import techqueue.warm.client; "
        "print(sorted(set(sys.modules) - before))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == str(
        ["__future__", "techqueue", "techqueue.warm", "techqueue.warm.client"]
    )
