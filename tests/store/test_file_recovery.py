"""The store file after a crash, beside other processes and in odd places: a transaction a
crash left unfinished is rolled back (SQLite's own recovery) and the store works; two
processes opening an old store migrate it once; a file that is not a regular file is refused;
what techqueue creates is owner-only; an interrupted copy leaves nothing behind.

Against real SQLite files in ``tmp_path``; a crash is a child process that ends itself in
the middle of a transaction (``os._exit``: as a kill, nothing cleaned up).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

import techqueue.db.backends
from techqueue.db.files import copy_bytes, examine, put_in_place
from techqueue.db.schema import SCHEMA_VERSION
from techqueue.errors import StoreUnusable
from techqueue.store import open_store

from .test_safety import add, mode

FIXTURES = Path(__file__).parent / "fixtures"

#: A child that makes the store at argv[1] a rollback-journal store with committed notes,
#: then dies in the middle of a large transaction: its journal is left hot, and the file
#: half-written (pages spilled from a tiny cache before the commit).
_CRASH_IN_A_TRANSACTION = """
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA journal_mode = DELETE")  # as a store put back from a backup is
c.execute("BEGIN")
for _ in range(300):
    c.execute(
        "INSERT INTO note (item_id, kind, text, created_at)"
        " VALUES (1, 'plain', ?, '2026-03-02 05:00:00.000000')",
        ("x" * 500,),
    )
c.execute("COMMIT")
c.execute("PRAGMA cache_size = 2")
c.execute("BEGIN IMMEDIATE")
for _ in range(2000):
    c.execute(
        "INSERT INTO journal (at, action, summary, changes, undone)"
        " VALUES ('2026-03-02 05:00:00.000000', 'add', 's', '[]', 0)"
    )
c.execute("DELETE FROM note WHERE id % 2 = 0")
os._exit(0)
"""

#: A child that creates the store at argv[1] as techqueue's first ``add`` does (a new file,
#: so a rollback journal), and dies before the commit.
_CRASH_IN_THE_CREATION = """
import os, sqlite3, sys
from techqueue.db.schema import APPLICATION_ID, SCHEMA_VERSION, create_statements
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("PRAGMA cache_size = 1")
c.execute("BEGIN IMMEDIATE")
for statement in create_statements():
    c.execute(statement)
c.execute("INSERT INTO meta (key, value) VALUES ('schema_version', :v)", {"v": str(SCHEMA_VERSION)})
c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
c.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
for _ in range(200):
    c.execute(
        "INSERT INTO journal (at, action, summary, changes, undone)"
        " VALUES ('2026-03-02 05:00:00.000000', 'add', 's', '[]', 0)"
    )
os._exit(0)
"""


def _child(script: str, path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def _copy_fixture(version: int, target: Path) -> Path:
    """A copy of a fixture store (never opened in place)."""
    shutil.copyfile(FIXTURES / f"store-v{version}.db", target)
    target.chmod(0o600)
    return target


def _count(path: Path, table: str) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def _hot_store(tmp_path: Path, name: str = "store.db") -> tuple[Path, int, int]:
    """A store (schema of this version) with a hot rollback journal, and the number of notes
    and journal entries it held when it was last committed."""
    path = _copy_fixture(SCHEMA_VERSION, tmp_path / name)
    journal_entries = _count(path, "journal")
    _child(_CRASH_IN_A_TRANSACTION, path)
    assert Path(f"{path}-journal").stat().st_size > 0, "the crash left a journal"
    return path, _count_committed(path, tmp_path), journal_entries


def _count_committed(path: Path, tmp_path: Path) -> int:
    """How many notes SQLite itself finds in ``path`` once it rolls its journal back (on a
    copy of the file and its journal)."""
    probe = tmp_path / "probe.db"
    shutil.copyfile(path, probe)
    shutil.copyfile(f"{path}-journal", f"{probe}-journal")
    connection = sqlite3.connect(probe)
    try:
        notes = int(connection.execute("SELECT COUNT(*) FROM note").fetchone()[0])
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        connection.close()
    for each in tmp_path.glob("probe.db*"):
        each.unlink()
    return notes


# --- a transaction a crash left unfinished ----------------------------------------------------


def test_a_store_with_a_hot_journal_is_rolled_back_and_works(tmp_path: Path, now: datetime) -> None:
    path, notes, entries = _hot_store(tmp_path)
    with open_store(path) as store:
        assert store.row_count("note") == notes
        assert store.row_count("journal") == entries
        item_id = add(store, now)
    with open_store(path) as store:
        assert store.get(item_id).title == "Printer jams"
    assert not Path(f"{path}-journal").exists()


def test_examining_a_store_with_a_hot_journal_finds_it_whole(tmp_path: Path) -> None:
    """What doctor and restore see: the last committed store, not the half-written file."""
    path, notes, entries = _hot_store(tmp_path)
    found = examine(path, integrity=True)
    assert found.integrity == "ok"
    assert found.journal_entries == entries
    assert _count(path, "note") == notes


def test_a_hot_journal_beside_a_read_only_store_is_refused_saying_why(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can write a read-only file anyway")
    path, _notes, _entries = _hot_store(tmp_path)
    path.chmod(0o400)
    with pytest.raises(StoreUnusable, match="rolled back"):
        examine(path)


def test_a_first_add_that_crashed_leaves_a_store_created_afresh(
    tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "new.db"
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    _child(_CRASH_IN_THE_CREATION, path)
    assert Path(f"{path}-journal").exists()
    with open_store(path) as store:
        assert store.row_count("item") == 0
        item_id = add(store, now)
    with open_store(path) as store:
        assert store.get(item_id).title == "Printer jams"
    assert sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_store_at_version_0_is_created_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    """Rolled back past its creation after it was looked at (by another process's open):
    SQLite's rollback inside the open leaves version 0 and no tables."""
    path = tmp_path / "s.db"
    with open_store(path):
        pass
    real_prepare = techqueue.db.backends._prepare

    def prepare_then_roll_back(target: Path) -> bool:
        created = real_prepare(target)
        target.write_bytes(b"")  # what SQLite's rollback of a creation leaves
        return created

    monkeypatch.setattr(techqueue.db.backends, "_prepare", prepare_then_roll_back)
    with open_store(path) as store:
        add(store, now)
    monkeypatch.undo()
    with open_store(path) as store:
        assert store.row_count("item") == 1


def test_a_restore_removes_the_old_files_hot_journal(tmp_path: Path) -> None:
    """A stale journal left beside the path would be rolled onto the file put in place."""
    path, _notes, _entries = _hot_store(tmp_path)
    backup = _copy_fixture(SCHEMA_VERSION, tmp_path / "backup.db")
    put_in_place(backup, path)
    assert not Path(f"{path}-journal").exists()
    assert examine(path, integrity=True).integrity == "ok"
    assert path.read_bytes() == backup.read_bytes()


def test_a_kept_copy_keeps_the_hot_journal(tmp_path: Path) -> None:
    path, notes, _entries = _hot_store(tmp_path)
    kept = tmp_path / "kept.db"
    copy_bytes(path, kept)
    assert Path(f"{kept}-journal").read_bytes() == Path(f"{path}-journal").read_bytes()
    assert examine(kept, integrity=True).integrity == "ok"
    assert _count(kept, "note") == notes


# --- two processes migrating one old store ----------------------------------------------------


def test_a_store_migrated_by_another_process_meanwhile_is_not_migrated_twice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    """The other process migrates between this one's look at the version and its lock."""
    path = _copy_fixture(1, tmp_path / "old.db")
    real_transaction = techqueue.db.backends.EmbeddedDatabase.transaction
    other_opened: list[bool] = []

    def another_process_first(self: Any) -> Any:
        if not other_opened:
            other_opened.append(True)
            with open_store(path):  # migrates it to this version
                pass
        return real_transaction(self)

    monkeypatch.setattr(
        techqueue.db.backends.EmbeddedDatabase, "transaction", another_process_first
    )
    with open_store(path) as store:
        add(store, now)
    monkeypatch.undo()
    assert other_opened
    with open_store(path) as store:
        assert store.row_count("item") >= 1


# --- not a regular file -----------------------------------------------------------------------


def test_a_named_pipe_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "pipes" / "pipe.db"
    path.parent.mkdir()
    os.mkfifo(path, 0o600)
    with pytest.raises(StoreUnusable, match="not a regular file"):
        open_store(path)  # without the check: a new store, then a hang reading the pipe
    with pytest.raises(StoreUnusable, match="not a regular file"):
        examine(path)
    assert stat.S_ISFIFO(path.stat().st_mode)
    assert sorted(p.name for p in path.parent.iterdir()) == ["pipe.db"]


def test_a_device_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreUnusable, match="not a regular file"):
        open_store(Path("/dev/null"))
    with pytest.raises(StoreUnusable, match="not a regular file"):
        examine(Path("/dev/null"))


def test_a_named_pipe_is_not_copied_from(tmp_path: Path) -> None:
    path = tmp_path / "pipes" / "pipe.db"
    path.parent.mkdir()
    os.mkfifo(path, 0o600)
    with pytest.raises(StoreUnusable, match="not a regular file"):
        copy_bytes(path, path.parent / "kept.db")
    assert sorted(p.name for p in path.parent.iterdir()) == ["pipe.db"]


# --- owner-only -------------------------------------------------------------------------------


def test_an_empty_file_techqueue_fills_becomes_owner_only(tmp_path: Path, now: datetime) -> None:
    path = tmp_path / "s.db"
    path.touch()
    path.chmod(0o644)
    with open_store(path) as store:
        add(store, now)
    assert mode(path) == 0o600


def test_every_directory_techqueue_creates_is_owner_only_whatever_the_umask(
    tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "a" / "b" / "c" / "s.db"
    saved = os.umask(0)
    try:
        with open_store(path) as store:
            add(store, now)
    finally:
        os.umask(saved)
    for directory in (tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "c"):
        assert mode(directory) == 0o700, directory
    assert mode(path) == 0o600
