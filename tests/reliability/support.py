"""Helpers of the reliability tests: the real command line in a process of its own (as a
technician runs it, or as another user), the files a test must find unchanged, and stores
seeded the way the commands themselves write them."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.db.files import read_only
from techqueue.desk import Desk
from techqueue.store import Store, open_store

#: Monday 2 March 2026, 09:00 local time: the fixed clock of these tests.
MONDAY_9 = "2026-03-02T09:00"
#: Every process is given this long; a test that needs it is broken, not slow.
PROCESS_TIMEOUT = 60.0
#: The user the permission tests run as when they run as root (root writes read-only files).
NOBODY = 65534


class Ran(NamedTuple):
    """What one run of the command line did."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def techqueue(
    *args: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    stdin: str | None = None,
    user: int | None = None,
    preexec: Callable[[], None] | None = None,
) -> Ran:
    """``python -m techqueue ARGS`` in a process of its own, with the test's environment
    (and ``env`` on top); as ``user`` when given (the caller checks :func:`can_switch_user`)."""
    command = [sys.executable, "-m", "techqueue", *args]
    if user is not None:
        command = [*switch_user(user), *command]
    done = subprocess.run(
        command,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=PROCESS_TIMEOUT,
        preexec_fn=preexec,  # a resource limit for this child alone
        check=False,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def one_line(ran: Ran, code: int) -> str:
    """The contract of a failure: exit ``code``, one clear line on stderr, no traceback."""
    assert ran.code == code, ran
    assert "Traceback" not in ran.err + ran.out, ran
    lines = ran.err_lines
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("techqueue: "), lines
    return lines[0]


def switch_user(user: int) -> list[str]:
    """The words that run a command as ``user`` (and its group), with no other groups."""
    return ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", "--"]


def can_switch_user() -> str | None:
    """Why the tests cannot run a command as another user; ``None`` when they can."""
    if os.geteuid() != 0:
        return None
    if shutil.which("setpriv") is None:
        return "running as root without setpriv (util-linux) to become another user"
    probe = subprocess.run(
        [*switch_user(NOBODY), sys.executable, "-c", "import techqueue.cli"],
        capture_output=True,
        text=True,
        timeout=PROCESS_TIMEOUT,
        check=False,
    )
    if probe.returncode != 0:
        return f"user {NOBODY} cannot run techqueue from here: {probe.stderr.strip()[-200:]}"
    return None


def other_user() -> int | None:
    """The user a permission test runs as: another one when root (root writes read-only
    files anyway), else ``None`` (this one). Skips the test, saying why, when neither works."""
    if os.geteuid() != 0:
        return None
    reason = can_switch_user()
    if reason is not None:
        print(f"skipped: {reason}")  # the reason shows in CI's log: never a silent pass
        pytest.skip(reason)
    return NOBODY


@contextmanager
def shared_directory() -> Iterator[Path]:
    """A directory another user can enter (pytest's own are the test user's alone)."""
    directory = Path(tempfile.mkdtemp(prefix="techqueue-shared-"))
    directory.chmod(0o755)
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def fingerprint(path: Path) -> tuple[str, int]:
    """What must not change about a file techqueue refuses: its bytes and size."""
    data = path.read_bytes()
    return hashlib.sha256(data).hexdigest(), len(data)


def siblings(path: Path) -> set[str]:
    return {entry.name for entry in path.parent.iterdir()}


def local(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.astimezone() if moment.tzinfo is None else moment


def seed(path: Path, count: int = 3, now: str = MONDAY_9, **fields: Any) -> list[int]:
    """``count`` items in the store at ``path`` (created when missing); their ids."""
    with open_store(path) as store:
        return [add(store, f"item {n}", local(now), **fields) for n in range(count)]


def add(store: Store, title: str, now: datetime, **fields: Any) -> int:
    return actions.add(Desk(store), ItemFields(title=title, **fields), now).item.id


# --- stores that techqueue must refuse ------------------------------------------------------


def newer_store(path: Path) -> None:
    """A store (made at ``path`` when missing) marked as written by a newer techqueue."""
    if not path.exists():
        seed(path, 2)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA user_version = 42")
    connection.close()


def damaged_store(path: Path) -> None:
    """A store of 100 items whose schema page is overwritten with noise."""
    seed(path, 100)
    data = bytearray(path.read_bytes())
    data[100:4096] = random.Random(5).randbytes(3996)
    path.write_bytes(bytes(data))


def truncated_store(path: Path) -> None:
    """A store of 100 items cut short in its second page."""
    seed(path, 100)
    path.write_bytes(path.read_bytes()[:5000])


def foreign_database(path: Path) -> None:
    """Another program's SQLite database."""
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE invoice (id INTEGER PRIMARY KEY, total REAL)")
    connection.close()


def dump(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the store file ``path``, as stored (but the app's memory
    in ``meta``: the day's upkeep notes its day there), read the way techqueue looks at a
    file: creating nothing beside it."""
    with read_only(path) as connection:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'meta' "
                "ORDER BY name"
            )
        ]
        return {
            table: connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in tables
        }


def integrity(path: Path) -> str:
    """SQLite's verdict on the store file ``path``."""
    with read_only(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def items_in(path: Path) -> list[str]:
    """The titles of every item of the store file ``path``, by id."""
    with read_only(path) as connection:
        return [title for (title,) in connection.execute("SELECT title FROM item ORDER BY id")]


def control_characters(text: str, allowed: Sequence[str] = ("\n",)) -> set[str]:
    """The control characters (C0, DEL, C1) in ``text`` other than ``allowed``."""
    return {
        char
        for char in text
        if (ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0) and char not in allowed
    }
