"""The app's first rows read by a child process while the launch imports the interface
(:mod:`techqueue.tui.read_beside`): the rows it hands over are those the launch would have
read itself, and it never writes to a store (one that opening would create, migrate, switch
to write-ahead logging or roll back is left to the launch). Whatever goes wrong in it, or a
child too slow, only means the launch reads them itself."""

from __future__ import annotations

import shutil
import sqlite3
import time
from pathlib import Path

import pytest

from techqueue.config.loader import load
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui import read_beside
from techqueue.tui.session import Session

from .conftest import NOW, SIZE
from .test_first_rows import _fill, _keep

pytestmark = pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")

FIXTURES = Path(__file__).parents[1] / "store" / "fixtures"


def _as_it_is(path: Path) -> tuple[bytes, int, bytes, bool]:
    """A store file as it is: its bytes, its time, its write-ahead log's bytes (writes land
    there first; a reader may leave an empty one), and whether it has a rollback journal."""
    log = Path(f"{path}-wal")
    return (
        path.read_bytes(),
        path.stat().st_mtime_ns,
        log.read_bytes() if log.exists() else b"",
        Path(f"{path}-journal").exists(),
    )


def _read_here(store: Store) -> Session:
    session = Session(Desk(store, load()), lambda: NOW)
    session.read_ahead(SIZE[1])
    return session


def test_the_rows_read_beside_are_those_the_launch_reads(store: Store, db_path: Path) -> None:
    _fill(store)
    _keep(store)
    before = _as_it_is(db_path)
    beside = read_beside.start(str(db_path), None, SIZE[1], lambda: NOW)
    assert beside is not None
    taken = beside.take()
    assert taken is not None, "the kept queue was read beside"
    first, widths = taken
    here = _read_here(store)
    expected = here.first_rows_read()
    assert expected is not None
    assert first.now == expected.now
    assert [(e.id, e.score, e.reasons, e.item) for e in first.ranked] == [
        (e.id, e.score, e.reasons, e.item) for e in expected.ranked
    ]
    ids = [entry.id for entry in first.ranked]
    assert [first.forecast.etas.get(i) for i in ids] == [expected.forecast.etas.get(i) for i in ids]
    assert [first.forecast.state(i) for i in ids] == [expected.forecast.state(i) for i in ids]
    assert (first.active, first.active_spent) == (expected.active, expected.active_spent)
    assert widths == here.kept_widths
    assert _as_it_is(db_path) == before, "only read"


def test_the_launch_takes_what_the_child_read_as_it_would_have_read_it(
    store: Store, db_path: Path
) -> None:
    _fill(store)
    _keep(store)
    beside = read_beside.start(str(db_path), None, SIZE[1], lambda: NOW)
    assert beside is not None
    taken = beside.take()
    assert taken is not None
    session = Session(Desk(store, load()), lambda: NOW)
    session.took_ahead(*taken)
    first = session.first_rows(SIZE[1])
    assert first is not None
    assert [entry.id for entry in first.ranked] == [
        entry.id
        for entry in _read_here(store).first_rows_read().ranked  # type: ignore[union-attr]
    ]
    assert session.first_rows(SIZE[1]) is not first, "taken once: then read here"


def test_without_a_kept_queue_the_child_hands_over_nothing(store: Store, db_path: Path) -> None:
    _fill(store)
    beside = read_beside.start(str(db_path), None, SIZE[1], lambda: NOW)
    assert beside is not None
    assert beside.take() is None


def test_a_store_opening_would_create_is_left_to_the_launch(tmp_path: Path) -> None:
    missing = tmp_path / "new" / "techqueue.db"
    beside = read_beside.start(str(missing), None, SIZE[1], lambda: NOW)
    assert beside is not None
    assert beside.take() is None
    assert not missing.parent.exists(), "nothing made"


def test_an_older_store_is_left_to_the_launch_to_migrate(tmp_path: Path) -> None:
    older = tmp_path / "older.db"
    shutil.copyfile(FIXTURES / "store-v5.db", older)
    before = _as_it_is(older)
    beside = read_beside.start(str(older), None, SIZE[1], lambda: NOW)
    assert beside is not None
    assert beside.take() is None
    assert _as_it_is(older) == before, "not migrated"


def test_a_store_not_in_write_ahead_logging_is_left_to_the_launch(
    store: Store, db_path: Path
) -> None:
    """A store put back from a backup is switched to write-ahead logging as it opens."""
    _fill(store)
    _keep(store)
    store.close()
    with sqlite3.connect(db_path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    before = _as_it_is(db_path)
    beside = read_beside.start(str(db_path), None, SIZE[1], lambda: NOW)
    assert beside is not None
    assert beside.take() is None
    assert _as_it_is(db_path) == before, "left as it is"


def test_a_store_with_a_rollback_journal_is_left_to_the_launch(store: Store, db_path: Path) -> None:
    _fill(store)
    _keep(store)
    journal = Path(f"{db_path}-journal")
    journal.write_bytes(b"")  # (whatever it holds: the launch decides what to do with it)
    before = _as_it_is(db_path)
    beside = read_beside.start(str(db_path), None, SIZE[1], lambda: NOW)
    assert beside is not None
    assert beside.take() is None
    assert _as_it_is(db_path) == before


def test_a_team_store_is_not_read_beside() -> None:
    assert read_beside.start("postgresql://tech@db.example/desk", None, SIZE[1], None) is None  # type: ignore[arg-type]


def test_a_child_slower_than_the_launch_will_wait_for_is_stopped(
    store: Store, db_path: Path
) -> None:
    _fill(store)
    _keep(store)

    def slow_clock() -> object:
        time.sleep(30)
        return NOW

    beside = read_beside.start(str(db_path), None, SIZE[1], slow_clock)  # type: ignore[arg-type]
    assert beside is not None
    started = time.monotonic()
    assert beside.take(patience=0.3) is None
    assert time.monotonic() - started < 10, "not waited for"
    assert not Path(f"/proc/{beside.pid}").exists(), "stopped, and waited for"


def test_a_child_that_fails_hands_over_nothing(store: Store, db_path: Path) -> None:
    _fill(store)
    _keep(store)

    def broken_clock() -> object:
        raise RuntimeError("no time")

    beside = read_beside.start(str(db_path), None, SIZE[1], broken_clock)  # type: ignore[arg-type]
    assert beside is not None
    assert beside.take() is None
