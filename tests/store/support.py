"""Helpers shared by the store tests: building a store of either backend, comparing exports."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from techqueue.desk import Desk
from techqueue.store import Store, open_store

#: ``embedded`` (stdlib sqlite3), ``sqlmodel`` (SQLAlchemy on a SQLite file) and ``postgres``
#: (psycopg on the test session's throw-away PostgreSQL server, ``tests/team/server.py``; its
#: tests skip, saying why, where no server can be started).
BACKENDS = ("embedded", "sqlmodel", "postgres")


def postgres_url() -> str:
    """A new, empty store's URL on the session's PostgreSQL server (a schema of its own);
    the test is skipped, with the reason, where no server can be started."""
    import pytest

    from team.server import Unavailable, shared

    try:
        return shared().new_schema()
    except Unavailable as error:
        pytest.skip(str(error))


def sqlmodel_url(directory: Path, name: str = "m.db") -> str:
    return f"sqlite:///{directory / name}"


def new_store(backend: str, directory: Path, name: str | None = None) -> Store:
    """A new, empty store of ``backend`` in ``directory``."""
    if backend == "embedded":
        return open_store(directory / (name or "s.db"))
    if backend == "postgres":
        return open_store(postgres_url())
    return open_store(sqlmodel_url(directory, name or "m.db"))


def comparable(export: dict[str, Any]) -> dict[str, Any]:
    """An export without the one field that legitimately differs: when it was made."""
    data = copy.deepcopy(export)
    data.pop("exported_at", None)
    return data


#: The ``make_store`` fixture: ``make_store("embedded")`` or ``make_store("sqlmodel")``.
MakeStore = Callable[[str], Store]


class CutoffDesk(Desk):
    """A desk whose working day ends a fixed time after each span starts: a forgotten timer
    is cut there, whatever the machine's time zone."""

    def __init__(self, store: Store, day: timedelta) -> None:
        super().__init__(store)
        self.day = day

    def span_cutoff(self, started_at: datetime) -> datetime:
        return started_at + self.day
