"""The one place that reads the clock: ``TECHQUEUE_NOW`` when set, else the real time.

Everything else takes ``now`` as an argument, so tests, demos and replays fix the time by
setting one variable.
"""

from __future__ import annotations

import os
from datetime import datetime

__all__ = ["ClockError", "now"]


class ClockError(ValueError):
    """``TECHQUEUE_NOW`` is set but is not an ISO 8601 time."""


def now() -> datetime:
    """The current time, aware, in local time (or as ``TECHQUEUE_NOW`` says)."""
    fixed = os.environ.get("TECHQUEUE_NOW")
    if not fixed:
        return datetime.now().astimezone()
    try:
        moment = datetime.fromisoformat(fixed.strip())
    except ValueError:
        raise ClockError(
            f"TECHQUEUE_NOW={fixed!r} is not an ISO 8601 time like 2026-03-02T09:00"
        ) from None
    from techqueue.domain import EARLIEST_YEAR, LATEST_YEAR

    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ClockError(
            f"TECHQUEUE_NOW={fixed!r} must fall in the years {EARLIEST_YEAR} to {LATEST_YEAR}"
        )
    return moment.astimezone() if moment.tzinfo is None else moment
