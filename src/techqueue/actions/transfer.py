"""Loading an export into the store: the one action that writes many rows at once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from techqueue import transfer
from techqueue.desk import Desk

__all__ = ["import_export"]


def import_export(desk: Desk, data: Any, now: datetime, *, merge: bool = False) -> dict[str, int]:
    """Import an export (see :mod:`techqueue.transfer`), all or nothing: rows per table."""
    return transfer.import_export(desk.store, data, now, merge=merge)
