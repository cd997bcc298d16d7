"""The app's first rows read by a child process while the launch imports the interface
(:mod:`techqueue.tui.read_beside`): the rows it hands over are those the launch would have
read itself, and it never writes (to the store, beside it, or to the cache): a store that
opening would create, migrate, switch to write-ahead logging or roll back is left to the
launch. Whatever goes wrong in it, or a child too slow, only means the launch reads them
itself; the launch always ends it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui import read_beside
from techqueue.tui.session import Session
from techqueue.views.ranking import read_queue

from .conftest import NOW, SIZE
from .test_first_rows import _fill, _keep

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork, and /proc")

FIXTURES = Path(__file__).parents[1] / "store" / "fixtures"
SETTINGS = Settings(morning_summary=False)
WIDTHS = {"#": 5, "title": 40, "who": 12}


def at_now() -> datetime:
    return NOW


def _start(path: Path, clock: Callable[[], datetime] = at_now) -> read_beside.Beside:
    beside = read_beside.start(str(path), None, SIZE[1], clock, SETTINGS)
    assert beside is not None, "forked"
    return beside


def _as_it_is(path: Path) -> dict[str, Any]:
    """A store file as it is (its bytes and time), and what lies beside it (names, and the
    bytes of its write-ahead log: writes land there first)."""
    beside = {
        found.name: found.read_bytes() if found.name.endswith("-wal") else None
        for found in path.parent.iterdir()
        if found.name.startswith(path.name) and found != path
    }
    return {"bytes": path.read_bytes(), "time": path.stat().st_mtime_ns, "beside": beside}


def _cache(tmp_path: Path) -> list[str]:
    cache = Path(os.environ["XDG_CACHE_HOME"])
    return sorted(str(found.relative_to(cache)) for found in cache.rglob("*"))


def _read_here(store: Store) -> Session:
    session = Session(Desk(store, SETTINGS), at_now)
    session.read_ahead(SIZE[1])
    return session


@pytest.fixture
def kept(store: Store, db_path: Path) -> Store:
    """A varied queue, kept by a whole read, with the column widths of a launch beside it;
    the store closed (the child reads the file as another process would)."""
    _fill(store)
    _keep(store)
    session = Session(Desk(store, SETTINGS), at_now)
    session.note_widths(WIDTHS)
    session.keep_queue()
    return store


def test_the_rows_read_beside_are_those_the_launch_reads(
    kept: Store, db_path: Path, tmp_path: Path
) -> None:
    before, cached = _as_it_is(db_path), _cache(tmp_path)
    taken = _start(db_path).take()
    assert taken is not None, "the kept queue was read beside"
    first, widths = taken
    here = _read_here(kept)
    assert first is not None
    assert first == here.first_rows_read()
    assert widths == WIDTHS == here.kept_widths
    assert _as_it_is(db_path) == before, "only read"
    assert _cache(tmp_path) == cached, "nothing kept"


def test_the_launch_takes_what_the_child_read_as_it_would_have_read_it(
    kept: Store, db_path: Path
) -> None:
    taken = _start(db_path).take()
    assert taken is not None
    session = Session(Desk(kept, SETTINGS), at_now)
    session.took_ahead(*taken)
    assert session.kept_widths == WIDTHS
    first = session.first_rows(SIZE[1])
    assert first == _read_here(kept).first_rows_read()
    assert session.first_rows(SIZE[1]) is not first, "taken once: then read here"


def test_without_a_kept_queue_the_child_says_there_are_no_first_rows(
    store: Store, db_path: Path
) -> None:
    _fill(store)
    assert _start(db_path).take() == (None, None)


def test_a_store_opening_would_create_is_left_to_the_launch(tmp_path: Path) -> None:
    missing = tmp_path / "new" / "techqueue.db"
    assert _start(missing).take() is None
    assert not missing.parent.exists(), "nothing made"


@pytest.mark.parametrize("older", ["store-v5.db", "store-v1.db"])
def test_an_older_store_is_left_to_the_launch_to_migrate(tmp_path: Path, older: str) -> None:
    path = tmp_path / "older.db"
    shutil.copyfile(FIXTURES / older, path)
    before = _as_it_is(path)
    assert _start(path).take() is None
    assert _as_it_is(path) == before, "not migrated, nothing made beside it"


def test_a_store_not_in_write_ahead_logging_is_left_to_the_launch(
    kept: Store, db_path: Path
) -> None:
    """A store put back from a backup is switched to write-ahead logging as it opens."""
    kept.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    before = _as_it_is(db_path)
    assert _start(db_path).take() is None
    assert _as_it_is(db_path) == before, "left as it is"


def test_a_store_with_a_rollback_journal_is_left_to_the_launch(kept: Store, db_path: Path) -> None:
    Path(f"{db_path}-journal").write_bytes(b"")  # (whatever it holds: the launch decides)
    before = _as_it_is(db_path)
    assert _start(db_path).take() is None
    assert _as_it_is(db_path) == before


def test_nothing_is_read_beside_where_nothing_would_be_gained(
    monkeypatch: pytest.MonkeyPatch, db_path: Path
) -> None:
    """A team's store (named by a URL), a system without ``fork``, a single processor."""
    assert (
        read_beside.start("postgresql://tech@db.example/desk", None, 30, at_now, SETTINGS) is None
    )
    with monkeypatch.context() as patched:
        patched.delattr(os, "fork")
        assert read_beside.start(str(db_path), None, 30, at_now, SETTINGS) is None
    with monkeypatch.context() as patched:
        patched.setattr(os, "sched_getaffinity", lambda pid: {0})
        assert read_beside.start(str(db_path), None, 30, at_now, SETTINGS) is None


def test_a_child_slower_than_the_launch_will_wait_for_is_stopped(
    kept: Store, db_path: Path
) -> None:
    def slow() -> datetime:
        time.sleep(30)
        return NOW

    beside = _start(db_path, slow)
    # (waited for to the end, the child would hand its rows over: not None)
    assert beside.take(patience=0.3) is None, "not waited for"
    assert not Path(f"/proc/{beside.pid}").exists(), "stopped, and waited for"


def test_a_child_that_fails_hands_over_nothing(
    kept: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **options: object) -> bytes:
        raise RuntimeError("cannot pickle")

    import pickle

    monkeypatch.setattr(pickle, "dumps", broken)
    beside = _start(db_path)
    assert beside.take() is None
    assert not Path(f"/proc/{beside.pid}").exists()


def test_a_launch_that_fails_first_stops_the_child(kept: Store, db_path: Path) -> None:
    """Whatever stops the launch before it takes the rows (a failure, Ctrl-C): the child
    is stopped and waited for, once."""

    def slow() -> datetime:
        time.sleep(30)
        return NOW

    beside = _start(db_path, slow)
    beside.abandon()
    assert not Path(f"/proc/{beside.pid}").exists()
    beside.abandon()
    assert beside.take() is None, "nothing to take any more"


def test_a_launch_takes_the_rows_the_child_read(
    kept: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The launch itself (``techqueue`` with a terminal), up to the app's run: the rows
    the child read are the app's first rows; the launch reads none itself."""
    import importlib

    from techqueue.app import TechQueueApp

    cli_main = importlib.import_module("techqueue.cli.main")

    monkeypatch.setenv("TECHQUEUE_DB", str(db_path))
    monkeypatch.setenv("TECHQUEUE_NOW", NOW.isoformat())
    from techqueue.cli.clock import now

    read_queue(Desk(kept, SETTINGS), now())  # (kept in the command line clock's zone)
    kept.close()
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(os, "get_terminal_size", lambda: os.terminal_size((100, 30)))
    read_here: list[int] = []
    monkeypatch.setattr(Session, "read_ahead", lambda self, limit: read_here.append(limit))
    shown: list[Any] = []
    monkeypatch.setattr(TechQueueApp, "run", lambda self: shown.append(self.session))
    assert cli_main.main([]) == 0
    (session,) = shown
    assert read_here == [], "taken from the child"
    first = session.first_rows_read()
    assert first is not None
    assert len(first.ranked) == 30
    assert session.kept_widths == WIDTHS


def test_the_rows_come_through_a_descriptor_beyond_1024(kept: Store, db_path: Path) -> None:
    """A launch with many files open (the rows' pipe past what ``select`` takes) still
    takes them."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1200:
        pytest.skip("too few descriptors allowed")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1200), hard))
    beside = _start(db_path)
    try:
        high = os.dup2(beside.pipe, 1100)
        os.close(beside.pipe)
        beside.pipe = high
        taken = beside.take()
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    assert taken is not None
    assert taken[0] == _read_here(kept).first_rows_read()


def test_a_ctrl_c_as_the_child_is_made_stops_it(
    kept: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C typed while the launch forks (held, then raised as the launch lets it through):
    the child is stopped and waited for, and the launch is interrupted as ever."""
    import signal

    forked: list[int] = []
    fork = os.fork

    def fork_then_ctrl_c() -> int:
        pid = fork()
        if pid:
            forked.append(pid)
            os.kill(os.getpid(), signal.SIGINT)  # (held: raised once let through)
        return pid

    monkeypatch.setattr(os, "fork", fork_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        read_beside.start(str(db_path), None, SIZE[1], at_now, SETTINGS)
    (pid,) = forked
    assert not Path(f"/proc/{pid}").exists(), "stopped, and waited for"
