"""The warm processes of a runtime directory, as the warm helper's tests and the team
benchmark see them from outside: which are alive, how many commands they ran (their lock
files say), and stopping every one of them."""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["served", "stop_warm", "until", "warm_pids", "warm_processes"]


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


def warm_pids(runtime: Path) -> list[int]:
    """The warm processes of this test's runtime directory: each lock held, and its pid."""
    pids = []
    for lock in runtime.glob("techqueue/warm/*.lock"):
        descriptor = os.open(lock, os.O_RDONLY)
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except OSError:  # held: a warm process lives; it says its pid once it listens
                said = lock.read_text().split()
                if said:
                    pids.append(int(said[0]))
        finally:
            os.close(descriptor)
    return pids


def served(runtime: Path) -> int:
    """How many commands this test's warm processes have run (their lock files say)."""
    return sum(int(lock.read_text().split()[1]) for lock in runtime.glob("techqueue/warm/*.lock"))


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
