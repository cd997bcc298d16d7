"""The warm processes of a runtime directory, as the warm helper's tests (team and solo) and
the benchmarks see them from outside: which are alive, how many commands they ran (their lock
files say), their children, and stopping every one of them; and a command run in a process
of its own, as the console script runs it."""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

__all__ = [
    "Ran",
    "both_ways",
    "children",
    "python_says",
    "read_ahead",
    "runtime_directory",
    "served",
    "standby",
    "start_add",
    "start_warm",
    "state",
    "stop_warm",
    "techqueue_cli",
    "until",
    "warm_pids",
    "warm_processes",
]

#: How long a command of a test may take.
TIMEOUT = 60.0


class Ran(NamedTuple):
    code: int
    out: str
    err: str


def techqueue_cli(
    *args: str, env: dict[str, str], cwd: Path | None = None, stdin: str | None = None
) -> Ran:
    """``python -m techqueue ARGS`` in a process of its own: the console script's path."""
    done = subprocess.run(
        [sys.executable, "-m", "techqueue", *args],
        env=env,
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def both_ways(
    lines: list[list[str]], here_env: dict[str, str], warm_env: dict[str, str], runtime: Path
) -> tuple[set[int], Ran]:
    """Each command line in its own process (``here_env``) and through the warm process
    (``warm_env``), each pair the same byte for byte, every warm one served by the warm
    process: the exit statuses seen, and the last line's own-process run."""
    before = served(runtime)
    codes = set()
    for line in lines:
        here = techqueue_cli(*line, env=here_env)
        warm = techqueue_cli(*line, env=warm_env)
        assert warm == here, line
        codes.add(here.code)
    assert served(runtime) - before == len(lines), "every line went through the warm process"
    return codes, here


def start_add(env: dict[str, str], **options: Any) -> subprocess.Popen[str]:
    """``techqueue add Printer jammed`` started in a process of its own, its output captured
    (the signal tests send it a signal while it waits on a locked store)."""
    return subprocess.Popen(
        [sys.executable, "-m", "techqueue", "add", "Printer jammed"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )


def python_says(code: str, *args: str, env: dict[str, str] | None = None) -> str:
    """What ``python -c CODE ARGS`` prints (it must succeed), stripped."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=True,
    )
    return done.stdout.strip()


@contextlib.contextmanager
def runtime_directory(prefix: str) -> Iterator[Path]:
    """A runtime directory of a test's own (short: a socket's path is at most 107 bytes);
    every warm process started in it is stopped at the end."""
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    try:
        yield folder
    finally:
        stop_warm(folder)
        shutil.rmtree(folder, ignore_errors=True)


def start_warm(env: dict[str, str], runtime: Path) -> int:
    """Run a command (it starts the warm process), wait until the warm process listens;
    its pid."""
    ran = techqueue_cli("list", "--json", env=env)
    assert ran.code == 0, ran
    assert until(lambda: bool(warm_pids(runtime)) and bool(list(runtime.rglob("*.sock"))))
    return warm_pids(runtime)[0]


def state(pid: int) -> str:
    """A process's state letter (``T`` stopped, ``Z`` a zombie), ``gone`` when it is."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return "gone"


def children(pid: int) -> list[int]:
    """The living children of ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if fields[1] == str(pid) and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def until(condition: Callable[[], bool], seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _alive(pid: int) -> bool:
    """Whether ``pid`` is a process that has not ended (a zombie has)."""
    try:
        with open(f"/proc/{pid}/stat") as found:
            return found.read().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def _locks(runtime: Path) -> list[list[str]]:
    """What each warm process's lock file says (``PID COUNT STANDBY AHEAD``), split; one
    not saying it yet (the process starting), or gone meanwhile, is left out."""
    found = []
    for lock in runtime.glob("techqueue/warm/*.lock"):
        try:
            said = lock.read_text().split()
        except FileNotFoundError:
            continue
        if len(said) >= 2:
            found.append(said)
    return found


def warm_pids(runtime: Path) -> list[int]:
    """The warm processes of this test's runtime directory: each lock held, and its pid."""
    pids = []
    for lock in runtime.glob("techqueue/warm/*.lock"):
        try:
            descriptor = os.open(lock, os.O_RDONLY)
        except FileNotFoundError:
            continue  # (the warm process left meanwhile)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:  # held: a warm process lives; it says its pid once it listens
                said = os.pread(descriptor, 256, 0).split()
                if said:
                    pids.append(int(said[0]))
        finally:
            os.close(descriptor)
    return pids


def standby(runtime: Path) -> int:
    """The standby child of this test's solo warm process (the next command's, forked ahead,
    once it has read the kept files ahead and waits): its pid, 0 when it has none waiting
    (its lock file says)."""
    return sum(said[0] for said in _standbys(runtime))


def read_ahead(runtime: Path) -> int:
    """How many kept files the waiting standby child read ahead (0: none waits)."""
    return sum(said[1] for said in _standbys(runtime))


def _standbys(runtime: Path) -> list[tuple[int, int]]:
    return [(int(said[2]), int(said[3])) for said in _locks(runtime) if len(said) > 3]


def served(runtime: Path) -> int:
    """How many commands this test's warm processes have run (their lock files say)."""
    return sum(int(said[1]) for said in _locks(runtime))


def warm_processes(runtime: Path) -> list[int]:
    """Every warm process started for this runtime directory, listening yet or not: found by
    its command line and its environment."""
    found = []
    wanted = f"XDG_RUNTIME_DIR={runtime}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if b"techqueue.warm.server" not in (entry / "cmdline").read_bytes():
                continue
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return [pid for pid in found if _alive(pid)]


def stop_warm(runtime: Path) -> None:
    """Stop every warm process of this runtime directory (SIGTERM, then SIGKILL)."""
    pids = warm_processes(runtime)
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)
    for pid in pids:
        if not until(lambda pid=pid: not _alive(pid), 10):  # type: ignore[misc]
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
