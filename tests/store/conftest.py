"""Fixtures for the store tests: a store of each backend, a fixed clock, a store factory."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from techqueue.store import Store

from .support import BACKENDS, MakeStore, new_store


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """The name of a backend: ``embedded`` (stdlib sqlite3) or ``sqlmodel`` (SQLAlchemy)."""
    return str(request.param)


@pytest.fixture
def store_dir(tmp_path: Path) -> Iterator[Path]:
    """Where the contract tests keep their stores: in RAM (``/dev/shm``) when there is one.

    Every commit fsyncs, and on a busy machine that is nearly all a store test costs (the
    SQLModel backend's rollback journal most of all). The behaviour under test does not
    depend on the file system; the tests about files (``test_safety.py``, ``test_schema.py``,
    ``test_migrations.py``) use ``tmp_path``. ``TECHQUEUE_TEST_ON_DISK=1`` puts these on
    ``tmp_path`` too.
    """
    shm = Path("/dev/shm")
    if os.environ.get("TECHQUEUE_TEST_ON_DISK") or not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    directory = Path(tempfile.mkdtemp(prefix="techqueue-test-", dir=shm))
    try:
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def store(backend: str, store_dir: Path) -> Iterator[Store]:
    """A new, empty store of each backend, closed afterwards.

    Embedded: ``open_store(store_dir / "s.db")``; SQLModel: ``open_store("sqlite:///…/m.db")``,
    which creates its tables from the SQLModel classes.
    """
    opened = new_store(backend, store_dir)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def now() -> datetime:
    """A fixed, aware moment: Monday 2 March 2026, 09:00 UTC."""
    return datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def make_store(store_dir: Path) -> Iterator[MakeStore]:
    """A factory of further new stores (each in its own directory), all closed afterwards.

    ``make_store("embedded")`` or ``make_store("sqlmodel")``; safe to call once per
    hypothesis example.
    """
    opened: list[Store] = []

    def make(backend: str) -> Store:
        created = new_store(backend, Path(tempfile.mkdtemp(dir=store_dir)))
        opened.append(created)
        return created

    try:
        yield make
    finally:
        for each in opened:
            each.close()
