"""The technician's desk: their store and their settings, handed together to every action
and every view, with what is worth keeping between two reads of the store.

The command line makes one desk per command; the full-screen app keeps one open all day. Both
learn the technician's history through the same cache and cut a forgotten timer at the same
working day's end, because both ask the desk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from techqueue.core.settings import Settings
from techqueue.core.workday import span_cutoff
from techqueue.core.worktime import WorkClock, work_clock
from techqueue.domain import CLOSED_STATUSES
from techqueue.store import Store

if TYPE_CHECKING:  # a short command that learns nothing need not load the estimates
    from techqueue.core.estimates import History

__all__ = ["Desk", "Hooks", "learn"]


def learn(store: Store) -> History:
    """The technician's finished work, indexed for estimating."""
    from techqueue.core.estimates import History, PastJob

    return History(
        PastJob(item.title, item.tags, item.requester, minutes, item.id)
        for item, minutes in store.finished_work()
    )


@dataclass(frozen=True)
class Hooks:
    """The technician's hook scripts (``hooks/`` beside the config file) and how the front
    end running the actions wants them run: ``report`` is told, in one line, of a hook that
    failed or hung; ``background`` runs them off the caller's thread (the app's actions must
    not wait on a script), otherwise the caller waits (a command line ends after its hooks).
    The running itself is :mod:`techqueue.actions.hooks`'s."""

    directory: Path
    report: Callable[[str], None]
    timeout: float = 10.0
    background: bool = False


@dataclass
class Desk:
    """One technician's store and settings."""

    store: Store
    settings: Settings = field(default_factory=Settings)
    #: Where hook scripts are looked for after an action; ``None``: none are run.
    hooks: Hooks | None = None
    #: The history learned last, and the journal position it was learned at.
    _history: History | None = field(default=None, repr=False)
    _history_at: int = field(default=0, repr=False)

    def history(self) -> History:
        """Finished work to learn estimates from, learned again only when it may have changed:
        an item finished, reopened or undone, or a finished item's work corrected."""
        store = self.store
        if self._history is None:
            self._history_at = store.last_journal_id()
            self._history = learn(store)
            return self._history
        position, touched = store.touched_since(self._history_at)
        if position == self._history_at:
            return self._history
        if touched is None or self._history_changed(touched.get("item", set())):
            self._history = learn(store)
        self._history_at = position
        return self._history

    def forget(self) -> None:
        """Forget what was learned: the store was replaced by another (a restore), so
        nothing read from it before says anything about it now."""
        self._history, self._history_at = None, 0

    def _history_changed(self, touched_items: set[int]) -> bool:
        if not touched_items:
            return False
        history = self._history
        if history is not None and any(item_id in history.item_ids for item_id in touched_items):
            return True
        found = self.store.items_by_id(touched_items)
        return any(item.status in CLOSED_STATUSES for item in found.values())

    def clock(self, now: datetime) -> WorkClock:
        """Working time by the technician's hours, in ``now``'s time zone."""
        return work_clock(self.settings.hours, now.tzinfo)

    def span_cutoff(self, started_at: datetime) -> datetime:
        """The latest a span started at ``started_at`` may run before it counts as forgotten:
        the end of its working day (see :func:`~techqueue.core.workday.span_cutoff`)."""
        settings = self.settings
        return span_cutoff(started_at, settings.hours, settings.day_boundary, None)

    def close(self) -> None:
        """Close the store; closing twice is harmless."""
        self.store.close()
