"""A store opened for reading alone (``EmbeddedDatabase(reading_only=True)``, what the app's
first rows are read with beside its launch): everything it reads is one moment of the store;
SQLite refuses any write through it; and a store that opening would change (create, migrate,
switch to write-ahead logging, roll back) is refused with nothing made or changed."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from techqueue.db.backends import EmbeddedDatabase
from techqueue.db.files import readable_as_it_is
from techqueue.errors import StoreError, StoreUnusable
from techqueue.store import Store, open_store

from .test_safety import add

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _titles(store: Store) -> list[str]:
    return [row["title"] for row in store.db.query("SELECT title FROM item ORDER BY id")]


def test_what_it_reads_is_one_moment_and_it_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with open_store(path) as writer:
        add(writer, NOW, "Printer jammed")
        reader = Store(EmbeddedDatabase(path, reading_only=True))
        try:
            assert _titles(reader) == ["Printer jammed"]
            add(writer, NOW, "VPN down")  # (another process writes meanwhile)
            assert _titles(writer) == ["Printer jammed", "VPN down"]
            assert _titles(reader) == ["Printer jammed"], "the moment it began reading"
            with pytest.raises((StoreError, sqlite3.Error)):
                reader.db.execute("DELETE FROM item")
        finally:
            reader.close()
        assert _titles(writer) == ["Printer jammed", "VPN down"]


@pytest.mark.parametrize("name", ["store-v1.db", "store-v5.db"])
def test_an_older_store_is_refused_as_it_is(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    shutil.copyfile(FIXTURES / name, path)
    before = sorted(found.name for found in tmp_path.iterdir()), path.read_bytes()
    assert not readable_as_it_is(path)
    with pytest.raises(StoreUnusable):
        EmbeddedDatabase(path, reading_only=True)
    assert (sorted(found.name for found in tmp_path.iterdir()), path.read_bytes()) == before


def test_a_missing_store_is_not_made(tmp_path: Path) -> None:
    path = tmp_path / "none" / "desk.db"
    with pytest.raises(StoreUnusable):
        EmbeddedDatabase(path, reading_only=True)
    assert not path.parent.exists()


def test_a_store_to_switch_or_roll_back_first_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    with open_store(path) as store:
        add(store, NOW, "Printer jammed")
    assert readable_as_it_is(path)
    journal = Path(f"{path}-journal")
    journal.write_bytes(b"")
    assert not readable_as_it_is(path), "a rollback journal beside it"
    journal.unlink()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
    assert not readable_as_it_is(path), "not in write-ahead logging"
    with pytest.raises(StoreUnusable):
        EmbeddedDatabase(path, reading_only=True)
    assert not readable_as_it_is(tmp_path), "a directory"
