"""The day's upkeep, once a day: whether it is due is one query, asked on every open of the
store, so this module is small and loads nothing else until the upkeep is due (a backup and
the undo history trimmed: :func:`techqueue.upkeep.backups.upkeep_now`)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from techqueue.errors import StoreError

if TYPE_CHECKING:
    from techqueue.core.settings import Settings
    from techqueue.store import Store
    from techqueue.upkeep.backups import Upkeep

__all__ = ["UPKEEP_KEY", "daily"]

#: The Meta key holding the day the daily upkeep was last done.
UPKEEP_KEY = "upkeep_day"


def daily(store: Store, settings: Settings, now: datetime) -> Upkeep | None:
    """The day's upkeep, when it has not been done today: what it did; ``None`` when it was
    already done, or could not even be noted (the store's own failure is the command's to
    report, if it matters to it)."""
    today = now.date().isoformat()
    try:
        if store.meta(UPKEEP_KEY) == today:
            return None
        # Noted first: two commands at once, or a backup that cannot be written, do (and
        # say) it once a day; the health check reports a missing backup.
        store.set_meta(UPKEEP_KEY, today)
    except StoreError:
        return None
    from techqueue.upkeep.backups import upkeep_now

    return upkeep_now(store, settings, now)
