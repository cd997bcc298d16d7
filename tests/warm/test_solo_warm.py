"""The warm helper in solo mode: a short command on a SQLite store, handed to the warm
process, says and does what it says and does in its own process (same stdout, stderr and
exit status, byte for byte); one warm process serves every store, each command's child
opening the store its own environment, directory and ``--db`` name; a signal to the command
stops its child with nothing half-written; the solo warm process never imports the team's
driver; and it never runs under CI, with ``TECHQUEUE_WARM=0``, for the full-screen app, or
with a library preloaded into the command. Each test's warm processes are stopped at its
end. (What solo and team share, the socket's permissions, stale code, idling out: the team
tests, ``tests/team/test_warm.py``.)"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from team.warm_support import (
    TIMEOUT,
    both_ways,
    children,
    python_says,
    read_ahead,
    runtime_directory,
    served,
    standby,
    start_add,
    start_warm,
    state,
    techqueue_cli,
    until,
    warm_pids,
)

NOW = "2026-03-02T09:00:00+00:00"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the warm helper is Linux only")


@pytest.fixture
def runtime() -> Iterator[Path]:
    """A runtime directory of the test's own; its warm processes stopped at the end."""
    with runtime_directory("tqs-") as folder:
        yield folder


@contextlib.contextmanager
def waiting_for_the_store(
    env: dict[str, str], runtime: Path, **options: Any
) -> Iterator[tuple[subprocess.Popen[str], Callable[[], object]]]:
    """``add Printer jammed`` started while another connection holds the store's write
    lock, once it has reached the warm process (its first command there): the command, and
    what lets go of the lock. The command is killed if the test leaves it running."""
    blocker = sqlite3.connect(env["TECHQUEUE_DB"], isolation_level=None)
    try:
        blocker.execute("BEGIN IMMEDIATE")  # every other write waits (the busy timeout)
        before = served(runtime)
        command = start_add(env, **options)
        try:
            assert until(lambda: served(runtime) == before + 1), "it reached the warm process"
            time.sleep(0.3)  # the child is waiting for the store
            yield command, partial(blocker.execute, "ROLLBACK")
        finally:
            if command.poll() is None:
                command.kill()
                command.wait()
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()


def solo_env(tmp_path: Path, runtime: Path, name: str) -> dict[str, str]:
    """A solo command's environment with the warm helper asked for (CI or not): a store,
    config and cache of ``name``'s own."""
    home = tmp_path / name
    home.mkdir(exist_ok=True)
    return {
        **os.environ,
        "TECHQUEUE_DB": str(home / "techqueue.db"),
        "TECHQUEUE_CONFIG": str(home / "config.toml"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "TECHQUEUE_WARM": "1",
        "TECHQUEUE_WARM_IDLE": "120",
        "TECHQUEUE_NOW": NOW,
        "XDG_RUNTIME_DIR": str(runtime),
    }


LINES = [
    ["add", "Printer jammed @desk !high ~5m from:Alice #printer"],
    ["add", "VPN down !critical from:Bob vip"],
    ["add", "Password reset from:Carol ~1m"],
    ["next"],
    ["next", "--json"],
    ["show", "1"],
    ["show", "2", "--json"],
    ["list"],
    ["list", "--json"],
    ["show", "abc"],
    ["start", "99"],
    ["add", ""],
    ["start", "1"],
    ["note", "1", "toner ordered"],
    ["bump", "3"],
    ["eta", "3"],
    ["promises"],
    ["remind", "-", "in 2h", "call the printer vendor"],
    ["reminders"],
    ["pause"],
    ["done", "2"],
    ["done", "2"],
    ["overload"],
    ["list", "--json"],
]


def test_a_solo_command_says_and_does_the_same_through_the_warm_process(
    tmp_path: Path, runtime: Path
) -> None:
    warm_env = solo_env(tmp_path, runtime, "warm")
    here_env = {**solo_env(tmp_path, runtime, "here"), "TECHQUEUE_WARM": "0"}
    start_warm(warm_env, runtime)
    assert techqueue_cli("list", "--json", env=here_env).code == 0
    codes, here = both_ways(LINES, here_env, warm_env, runtime)
    assert {0, 1, 2} <= codes, "refusals too: one line, the same exit status"
    titles = {item["title"] for item in json.loads(here.out)}
    assert titles == {"Printer jammed", "Password reset"}, "the work was done, in each store"


def test_one_warm_process_serves_each_store_its_own(tmp_path: Path, runtime: Path) -> None:
    """Two technicians' worth of stores, configs and caches, one named by ``--db`` and one
    by a path relative to the command's own directory: each command's child opens its own."""
    first = solo_env(tmp_path, runtime, "first")
    second = solo_env(tmp_path, runtime, "second")
    (tmp_path / "second" / "config.toml").write_text(  # (a weekend technician)
        '[hours]\ndays = ["sat", "sun"]\n', encoding="utf-8"
    )
    pid = start_warm(first, runtime)
    assert techqueue_cli("add", "Monitor flickers from:Dee", env=first).code == 0
    relative = {**second, "TECHQUEUE_DB": "own.db"}
    assert techqueue_cli("add", "Phone dead from:Eve", env=relative, cwd=tmp_path).code == 0
    named = ["--db", str(tmp_path / "named.db")]
    assert techqueue_cli(*named, "add", "Scanner offline", env=first).code == 0
    assert served(runtime) == 3, "all three through the warm process"
    assert warm_pids(runtime) == [pid], "one warm process for every solo store"
    assert (tmp_path / "own.db").is_file(), "the store named relative to the command's directory"

    def titles(*args: str, env: dict[str, str], cwd: Path | None = None) -> list[str]:
        ran = techqueue_cli(*args, "list", "--json", env=env, cwd=cwd)
        assert ran.code == 0, ran
        return [item["title"] for item in json.loads(ran.out)]

    assert titles(env=first) == ["Monitor flickers"]
    assert titles(env=relative, cwd=tmp_path) == ["Phone dead"]
    assert titles(*named, env=first) == ["Scanner offline"]
    warm = techqueue_cli("list", "--json", env=relative, cwd=tmp_path)
    here = techqueue_cli("list", "--json", env={**relative, "TECHQUEUE_WARM": "0"}, cwd=tmp_path)
    assert warm == here
    assert json.loads(warm.out)[0]["eta"].startswith("2026-03-07T09:00"), "its own config"


# --- the standby child ----------------------------------------------------------------------


def test_the_next_command_runs_in_a_child_forked_ahead_with_the_kept_files_read(
    tmp_path: Path, runtime: Path
) -> None:
    """After a command that used the kept queue, the warm process forks the next command's
    child ahead, which reads the kept files the latest commands used; the next command runs
    in it, and says what it says in its own process; then another is forked ahead."""
    warm_env = solo_env(tmp_path, runtime, "ahead")
    here_env = {**warm_env, "TECHQUEUE_WARM": "0"}
    pid = start_warm(warm_env, runtime)
    for line in LINES[:3]:
        assert techqueue_cli(*line, env=warm_env).code == 0
    assert techqueue_cli("next", env=warm_env).code == 0
    assert until(lambda: standby(runtime) != 0), "a child forked ahead"
    assert read_ahead(runtime) == 1, "the kept queue, which next used"
    ahead = standby(runtime)
    assert ahead in children(pid)
    before = served(runtime)
    for line in (["list", "--json"], ["next", "--json"], ["show", "2"]):
        warm = techqueue_cli(*line, env=warm_env)
        assert warm == techqueue_cli(*line, env=here_env), line
    assert served(runtime) == before + 3
    assert until(lambda: state(ahead) in ("Z", "gone")), "it ran the first, and ended"
    assert until(lambda: standby(runtime) not in (0, ahead)), "another forked ahead"
    assert until(lambda: read_ahead(runtime) == 2), "the kept queue, and the listing list used"
    # more than a socket takes at once (a variable is at most 128 KiB)
    big = {**warm_env, **{f"BIG{number}": "x" * 100_000 for number in range(3)}}
    assert techqueue_cli("list", "--json", env=big) == techqueue_cli(
        "list", "--json", env={**big, "TECHQUEUE_WARM": "0"}
    )
    assert served(runtime) == before + 4


def test_files_kept_again_after_they_were_read_ahead_are_read_as_they_are(
    tmp_path: Path, runtime: Path
) -> None:
    """The kept queue and listing read ahead, then made again by commands in their own
    processes (the store changed too): the next command through the warm process reads
    them as they are now."""
    warm_env = solo_env(tmp_path, runtime, "stale")
    here_env = {**warm_env, "TECHQUEUE_WARM": "0"}
    start_warm(warm_env, runtime)
    for line in LINES[:3]:
        assert techqueue_cli(*line, env=warm_env).code == 0
    assert techqueue_cli("list", "--json", env=warm_env).code == 0
    assert until(lambda: read_ahead(runtime) == 2), "both read ahead"
    kept = sorted((tmp_path / "stale" / "cache" / "techqueue").glob("*.bin"))
    assert [path.name.split("-")[0] for path in kept] == ["listing", "queue"]

    def identity(path: Path) -> tuple[int, ...]:
        found = path.stat()  # (a new file may get the inode number of one removed)
        return (found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)

    read = [identity(path) for path in kept]
    for path in kept:
        path.unlink()  # (so that they are made again, whatever changed)
    for line in (["add", "Laptop fan loud from:Dan"], ["done", "3"], ["list", "--json"]):
        assert techqueue_cli(*line, env=here_env).code == 0
    made = [identity(path) for path in kept]
    assert all(new != old for new, old in zip(made, read, strict=True)), "made again"
    for line in (["list", "--json"], ["next", "--json"], ["show", "1"]):
        assert techqueue_cli(*line, env=warm_env) == techqueue_cli(*line, env=here_env), line


def test_the_child_forked_ahead_goes_with_the_warm_process(tmp_path: Path, runtime: Path) -> None:
    env = solo_env(tmp_path, runtime, "goes")
    pid = start_warm(env, runtime)
    assert techqueue_cli("add", "Printer jammed", env=env).code == 0
    assert techqueue_cli("next", env=env).code == 0
    assert until(lambda: standby(runtime) != 0)
    ahead = standby(runtime)
    os.kill(pid, signal.SIGTERM)
    assert until(lambda: state(ahead) in ("Z", "gone")), "nothing left waiting"


def test_a_child_forked_ahead_that_dies_is_not_replaced_until_a_command_ends(
    tmp_path: Path, runtime: Path
) -> None:
    """Killed while it waits: the next command gets a child of its own, as without, and
    the warm process forks another ahead only once a command has ended (never a loop of
    children that die at once)."""
    env = solo_env(tmp_path, runtime, "dies")
    pid = start_warm(env, runtime)
    assert techqueue_cli("add", "Printer jammed", env=env).code == 0
    assert techqueue_cli("next", env=env).code == 0
    assert until(lambda: standby(runtime) != 0)
    os.kill(standby(runtime), signal.SIGKILL)
    assert until(lambda: standby(runtime) == 0), "its death seen"
    time.sleep(0.3)
    assert (standby(runtime), children(pid)) == (0, []), "none forked in its place"
    before = served(runtime)
    ran = techqueue_cli("next", env=env)
    assert (ran.code, served(runtime)) == (0, before + 1)
    assert "Printer jammed" in ran.out
    assert until(lambda: standby(runtime) != 0), "forked ahead again after the command"


def test_a_signal_to_the_command_stops_its_child_with_nothing_half_written(
    tmp_path: Path, runtime: Path
) -> None:
    env = solo_env(tmp_path, runtime, "signal")
    start_warm(env, runtime)
    assert techqueue_cli("add", "First", env=env).code == 0
    with waiting_for_the_store(env, runtime) as (command, _):
        command.send_signal(signal.SIGINT)
        out, err = command.communicate(timeout=TIMEOUT)
    assert (command.returncode, out) == (130, "")
    assert err == "techqueue: interrupted; nothing was half-written\n"
    listed = json.loads(techqueue_cli("list", "--json", env=env).out)
    assert [item["title"] for item in listed] == ["First"], "nothing half-written"


TEAM_DRIVER = """
import sys
from techqueue.warm import server
server._preload(team=sys.argv[1] == "team")
print(sorted(name for name in sys.modules if name.split(".")[0] in ("psycopg", "psycopg_binary")
             or name == "techqueue.db.postgres")[:1])
"""


def test_the_solo_warm_process_never_imports_the_team_driver() -> None:
    """A solo warm process holds what solo commands use, no more (psycopg alone is ~40 MB
    and a tenth of a second); a team one the driver as well."""

    assert python_says(TEAM_DRIVER, "solo") == "[]"
    assert python_says(TEAM_DRIVER, "team") != "[]"


#: A warm process's preloading, then one command run as its child runs it: the modules the
#: command imported that the warm process had not.
IMPORTED_IN_CHILD = r"""
import json, os, sys
from techqueue.warm import server
server._preload(team=False)
before = set(sys.modules)
from techqueue.cli.main import main
real = sys.stdout
sys.stdout = open(os.devnull, "w")
try:
    main(sys.argv[1:])
except SystemExit:
    pass
real.write(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_a_short_command_imports_nothing_the_warm_process_has_not(tmp_path: Path) -> None:
    """What a short command imports in the warm process's child is paid by every command:
    the warm process preloads all that the commands a technician runs most use, on a queue
    whose kept caches are in use (the queue kept, the listing's parts kept)."""
    env = solo_env(tmp_path, tmp_path, "imports")
    env["TECHQUEUE_WARM"] = "0"
    for title in ("Printer jammed !high ~5m #printer", "VPN down *vip", "Mouse !low"):
        assert techqueue_cli("add", title, env=env).code == 0
    for _ in range(2):  # (the second listing from the kept parts)
        assert techqueue_cli("list", "--json", env=env).code == 0
    for line in (
        ["add", "Screen flickers ~10m"],
        ["next"],
        ["show", "2"],
        ["list", "--json"],
        ["done", "3"],
        ["list", "--json"],
    ):
        assert python_says(IMPORTED_IN_CHILD, *line, env=env) == "[]", line


@pytest.mark.parametrize(
    "asked",
    [
        {"CI": "true", "TECHQUEUE_WARM": ""},
        {"TECHQUEUE_WARM": "0"},
        {"LD_PRELOAD": ""},  # (set below to a real library: the loader must find it)
        {"FAKETIME": "+0"},
    ],
)
def test_never_under_ci_when_turned_off_or_with_a_library_preloaded(
    tmp_path: Path, runtime: Path, asked: dict[str, str]
) -> None:
    env = {**solo_env(tmp_path, runtime, "never"), **asked}
    if "LD_PRELOAD" in asked:
        found = [Path(p) for p in ("/lib/x86_64-linux-gnu/libm.so.6", "/usr/lib/libm.so.6")]
        library = next((path for path in found if path.exists()), None)
        if library is None:
            pytest.skip("no libm to preload")
        env["LD_PRELOAD"] = str(library)
    for line in (["add", "Printer"], ["next"], ["list", "--json"]):
        assert techqueue_cli(*line, env=env).code == 0
    time.sleep(0.5)
    assert list(runtime.iterdir()) == [], "no directory, no socket, no warm process"


def test_never_for_the_full_screen_app_or_a_long_command(tmp_path: Path, runtime: Path) -> None:
    env = solo_env(tmp_path, runtime, "long")
    start_warm(env, runtime)
    before = served(runtime)
    for line in (["review"], ["doctor"], ["config"], ["--version"]):
        assert techqueue_cli(*line, env=env).code in (0, 1), line
    assert served(runtime) == before, "each ran in its own process"


# --- what a child could not take on runs in its own process ---------------------------------


def _ignoring_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def test_a_closed_stream_or_an_ignored_signal_keeps_the_command_in_its_own_process(
    tmp_path: Path, runtime: Path
) -> None:
    """A closed standard output: the socket would have taken its number and been handed
    over as the child's output. SIGINT ignored (``cmd &`` in a script): passed on, it would
    have stopped a child that should have ignored it."""
    warm_env = solo_env(tmp_path, runtime, "warm")
    here_env = {**solo_env(tmp_path, runtime, "here"), "TECHQUEUE_WARM": "0"}
    start_warm(warm_env, runtime)
    before = served(runtime)
    script = [sys.executable, "-m", "techqueue", "add", "Printer jammed"]
    closed = {
        name: subprocess.run(
            ["sh", "-c", '"$@" >&-', "sh", *script],
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        for name, env in (("warm", warm_env), ("here", here_env))
    }
    assert (closed["warm"].returncode, closed["warm"].stderr) == (
        closed["here"].returncode,
        closed["here"].stderr,
    )
    assert closed["here"].returncode == 1, "the standard output is closed; nothing was done"
    ignoring = [
        subprocess.run(
            script,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            preexec_fn=_ignoring_sigint,
        )
        for env in (warm_env, here_env)
    ]
    assert [(ran.returncode, ran.stdout) for ran in ignoring] == [(0, "1\n"), (0, "1\n")]
    assert served(runtime) == before, "neither went to the warm process"


def test_unbuffered_output_is_handed_over_unbuffered(tmp_path: Path, runtime: Path) -> None:
    """Under ``PYTHONUNBUFFERED`` the id and the advice, written to one pipe, arrive in the
    order they are written, through the warm process as in the command's own."""
    warm_env = {**solo_env(tmp_path, runtime, "warm"), "PYTHONUNBUFFERED": "1"}
    here_env = {**solo_env(tmp_path, runtime, "here"), "PYTHONUNBUFFERED": "1"}
    here_env["TECHQUEUE_WARM"] = "0"
    start_warm(warm_env, runtime)
    before = served(runtime)
    said = []
    for env in (warm_env, here_env):
        for line in (["add", "Printer jammed ~5m from:Alice"], ["start", "1"], ["add", "Toner"]):
            done = subprocess.run(
                [sys.executable, "-m", "techqueue", *line],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                timeout=TIMEOUT,
                check=False,
            )
        said.append(done.stdout)
    assert said[0] == said[1]
    assert said[0].startswith(b"2\n"), said[0]
    assert served(runtime) - before == 3, "handed over, unbuffered"


def test_ctrl_z_stops_the_child_too_and_fg_lets_it_go_on(tmp_path: Path, runtime: Path) -> None:
    """As a shell with job control runs it: a process group of its own, its parent (here
    the test) in another group of the same session, so that SIGTSTP stops it (the system
    drops it for a group with no such parent, as under CI: the next test)."""
    env = solo_env(tmp_path, runtime, "stop")
    pid = start_warm(env, runtime)
    with waiting_for_the_store(env, runtime, process_group=0) as (command, let_go):
        command.send_signal(signal.SIGTSTP)
        assert until(lambda: state(command.pid) == "T"), "the command is stopped"
        assert until(
            lambda: [state(child) for child in children(pid) if child != standby(runtime)] == ["T"]
        ), "its child"
        let_go()
        time.sleep(0.3)
        here = {**env, "TECHQUEUE_WARM": "0"}
        assert json.loads(techqueue_cli("list", "--json", env=here).out) == [], "not yet"
        command.send_signal(signal.SIGCONT)
        out, err = command.communicate(timeout=TIMEOUT)
    assert (command.returncode, out, err) == (0, "1\n", "")


# --- the client's checks --------------------------------------------------------------------


def test_only_this_users_warm_process_is_talked_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whoever listens on the socket is asked who they are (``SO_PEERCRED``) before anything
    of the command's is sent: another user's process gets nothing."""
    from techqueue.warm import client

    mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with mine, theirs:
        assert client._ours(mine)
        uid = os.getuid()
        monkeypatch.setattr(os, "getuid", lambda: uid + 1)
        assert not client._ours(mine)


KEY = """
import os, resource, sys, zlib
from techqueue.warm import client
if sys.argv[1] == "limited":
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, 64), hard))
print(zlib.crc32(client.key(client.SOLO, os.environ).encode()))
"""


def test_a_command_under_other_limits_has_another_warm_process() -> None:
    """A forked child takes its limits, privileges and namespaces from the warm process: a
    command under ``ulimit`` (or in a sandbox) gets a warm process of its own standing."""

    assert python_says(KEY, "plain") == python_says(KEY, "plain")
    assert python_says(KEY, "limited") != python_says(KEY, "plain")


@pytest.mark.parametrize("name", ["=C:", "", "A=B"])
def test_an_environment_a_child_cannot_take_keeps_the_command_here(name: str) -> None:
    from techqueue.warm import client

    assert client.warm_store(["add", "x"], {"TECHQUEUE_WARM": "1", name: "1"}) is None
    assert client.warm_store(["add", "x"], {"TECHQUEUE_WARM": "1"}) == client.SOLO


FORGED = """
import os, resource, sys
from techqueue.warm import client
honest = client.key
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(soft, 64), hard))
client.key = lambda url, env: sys.argv[1]  # the key of a process with more than this one
folder = client.directory(os.environ)
status, start = client._through_warm(client.SOLO, ["add", "Forged"])
print(status, start)
"""


def test_a_caller_claiming_more_than_it_has_gets_nothing(tmp_path: Path, runtime: Path) -> None:
    """The warm process reads its caller's standing itself (``/proc`` of ``SO_PEERCRED``'s
    pid): a process under tighter limits that sends the key of one without them is turned
    away, nothing run."""
    from techqueue.warm import client

    env = solo_env(tmp_path, runtime, "forged")
    start_warm(env, runtime)
    honest_key = python_says(
        "import os; from techqueue.warm import client; print(client.key(client.SOLO, os.environ))",
        env=env,
    )
    assert Path(client.socket_path(str(runtime / "techqueue" / "warm"), honest_key)).exists()
    assert python_says(FORGED, honest_key, env=env).split() == ["None", "False"]
    assert served(runtime) == 0
    listed = json.loads(techqueue_cli("list", "--json", env={**env, "TECHQUEUE_WARM": "0"}).out)
    assert listed == []


def test_ctrl_z_where_nothing_can_be_stopped_lets_the_command_finish(
    tmp_path: Path, runtime: Path
) -> None:
    """A command of its own session (``setsid``, a daemon's child) is not stopped by SIGTSTP:
    the system drops it. Through the warm process its child must not be left stopped."""
    env = solo_env(tmp_path, runtime, "setsid")
    start_warm(env, runtime)
    with waiting_for_the_store(env, runtime, start_new_session=True) as (command, let_go):
        command.send_signal(signal.SIGTSTP)
        time.sleep(0.3)
        let_go()
        out, err = command.communicate(timeout=TIMEOUT)
    assert (command.returncode, out, err) == (0, "1\n", "")
