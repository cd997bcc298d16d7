"""Items to rank in the pure-core tests: the fields of ``scoring.Scorable`` and nothing else,
so a new scoring field is added here once for every test that builds one."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

#: Monday 2 March 2026, 09:00 UTC.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def item(id: Any = 1, **fields: Any) -> SimpleNamespace:
    """A fresh, open, normal, 20-minute item received at ``NOW``; ``fields`` override."""
    values: dict[str, Any] = {
        "id": id,
        "vip": False,
        "severity": "normal",
        "impact": 1,
        "estimate_minutes": 20.0,
        "received_at": NOW,
        "due_at": None,
        "pinned": False,
        "deferred_until": None,
        "promise_due_at": None,
        "status": "open",
        "bump": 0,
    }
    values.update(fields)
    return SimpleNamespace(**values)
