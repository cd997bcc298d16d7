"""Helpers shared by the store tests: building a store of either backend, comparing exports."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from techqueue.desk import Desk
from techqueue.store import Store, open_store

BACKENDS = ("embedded", "sqlmodel")


def sqlmodel_url(directory: Path, name: str = "m.db") -> str:
    return f"sqlite:///{directory / name}"


def new_store(backend: str, directory: Path, name: str | None = None) -> Store:
    """A new, empty store of ``backend`` in ``directory``."""
    if backend == "embedded":
        return open_store(directory / (name or "s.db"))
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
