"""The app launched as a technician launches it, ``techqueue`` in a terminal (a pseudo-terminal
here): the queue a command's whole read kept is read ahead while the interface is set up, its
first rows are drawn before the whole queue is read, then the whole board; Ctrl+Q, held
meanwhile or not, quits. The launch keeps the queue itself for the next one."""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from techqueue.store import open_store

from .test_first_rows import _fill

pytestmark = [pytest.mark.timeout(120), pytest.mark.skipif(sys.platform != "linux", reason="pty")]

ROWS, COLUMNS = 30, 100


def _launch(env: dict[str, str]) -> tuple[int, int]:
    """``python -m techqueue`` on a pseudo-terminal of ROWS x COLUMNS: (its pid, the fd)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: its terminal is the pty's other end
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        os.execve(sys.executable, [sys.executable, "-m", "techqueue"], env)
    return pid, fd


def _read_until(fd: int, seen: bytearray, wanted: bytes, timeout: float = 60.0) -> None:
    """Read what the app draws into ``seen`` until ``wanted`` is among it."""
    end = time.monotonic() + timeout
    while wanted not in seen:
        left = end - time.monotonic()
        if left <= 0:
            raise AssertionError(f"{wanted!r} never drawn; last: {bytes(seen[-2000:])!r}")
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the child is gone
                raise AssertionError(f"the app ended before {wanted!r}") from None


def _quit(pid: int, fd: int, seen: bytearray) -> int:
    os.write(fd, b"\x11")  # Ctrl+Q
    end = time.monotonic() + 30
    while time.monotonic() < end:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            os.close(fd)
            return os.waitstatus_to_exitcode(status)
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            with contextlib.suppress(OSError):
                seen += os.read(fd, 65536)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    raise AssertionError("Ctrl+Q did not end the app")


@pytest.fixture
def env(isolated_environment: Path) -> dict[str, str]:
    config = Path(os.environ["TECHQUEUE_CONFIG"])
    config.write_text("[day]\nmorning_summary = false\n", encoding="utf-8")
    return {
        **os.environ,
        "TECHQUEUE_NOW": "2026-03-02T09:00:00+00:00",
        "TERM": "xterm-256color",
        "TZ": "UTC",
    }


def _seed() -> None:
    store = open_store(Path(os.environ["TECHQUEUE_DB"]))
    try:
        _fill(store)
    finally:
        store.close()


def _cli(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "techqueue", *args],
        env=env,
        check=True,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )


def test_a_launch_draws_the_first_rows_a_command_kept_then_the_whole_board(
    env: dict[str, str],
) -> None:
    _seed()
    _cli(env, "list")  # a whole read: it keeps the queue
    pid, fd = _launch(env)
    seen = bytearray()
    _read_until(fd, seen, b"reading the whole queue")
    _read_until(fd, seen, b"Item 00")
    _read_until(fd, seen, b" open")  # the whole board's header
    assert _quit(pid, fd, seen) == 0


def test_a_launch_with_nothing_kept_draws_the_whole_board_and_keeps_it(
    env: dict[str, str],
) -> None:
    _seed()
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "techqueue"
    pid, fd = _launch(env)
    seen = bytearray()
    _read_until(fd, seen, b" open")
    # The queue is kept after the rows are drawn: given a moment before quitting.
    end = time.monotonic() + 30
    while not list(cache.glob("queue-*.bin")) and time.monotonic() < end:
        time.sleep(0.05)
    assert _quit(pid, fd, seen) == 0
    assert b"reading the whole queue" not in seen, "nothing kept to draw from"
    assert list(cache.glob("queue-*.bin")), "kept for the next launch"
    pid, fd = _launch(env)  # the next launch draws its first rows from it
    seen = bytearray()
    _read_until(fd, seen, b"reading the whole queue")
    _read_until(fd, seen, b" open")
    assert _quit(pid, fd, seen) == 0
