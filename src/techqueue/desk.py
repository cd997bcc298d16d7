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
    from techqueue.kept import Kept

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
    #: The journal position and answers of the history kept in the cache when it was read
    #: (``None``: not read, or not usable): what :meth:`close` compares before writing it.
    _kept: Kept | None = field(default=None, repr=False)

    def history(self) -> History:
        """Finished work to learn estimates from, learned again only when it may have changed:
        an item finished, reopened or undone, or a finished item's work corrected.

        What was learned is kept between commands (:mod:`techqueue.kept`): a command whose
        history has not changed since takes the answers learned before instead of learning
        3,000 estimates again, and one whose history changed keeps every answer the changed
        jobs cannot touch."""
        if self._history is None:
            from techqueue import kept

            store = self.store
            found = kept.read(store)
            if found is not None and store.journal_continues(found.journal_id, found.mark):
                self._kept, self._history = found, found.history
                self._refresh(found.journal_id)
                return self._history
            # Nothing kept, or what was written since is partly forgotten (the journal was
            # trimmed): learn again, keeping the answers that the changed jobs cannot touch.
            self._history_at = store.last_journal_id()
            self._history = learn(store)
            if found is not None:
                self._history.take_answers(found.history.answers(), found.history.jobs)
            return self._history
        self._refresh(self._history_at)
        return self._history

    def _refresh(self, since: int) -> None:
        """Learn the history again if what was written after journal entry ``since`` may
        have changed it, keeping the answers the changed jobs cannot touch."""
        position, touched = self.store.touched_since(since)
        if (
            touched is None
            or "requester" in touched  # renamed or linked: the jobs are matched by name
            or self._history_changed(touched.get("item", set()))
        ):
            before = self._history
            self._history = learn(self.store)
            if before is not None:
                self._history.take_answers(before.answers(), before.jobs)
        self._history_at = position

    def forget(self) -> None:
        """Forget what was learned: the store was replaced by another (a restore), so
        nothing read from it before says anything about it now."""
        self._history, self._history_at, self._kept = None, 0, None

    def _history_changed(self, touched_items: set[int]) -> bool:
        if not touched_items:
            return False
        history = self._history
        if history is not None and any(item_id in history.item_ids for item_id in touched_items):
            return True
        found = self.store.items_by_id(touched_items)
        closed = [item for item in found.values() if item.status in CLOSED_STATUSES]
        return bool(closed) and self.store.history_changed_by(closed)

    def clock(self, now: datetime) -> WorkClock:
        """Working time by the technician's hours, in ``now``'s time zone."""
        return work_clock(self.settings.hours, now.tzinfo)

    def span_cutoff(self, started_at: datetime) -> datetime:
        """The latest a span started at ``started_at`` may run before it counts as forgotten:
        the end of its working day (see :func:`~techqueue.core.workday.span_cutoff`)."""
        settings = self.settings
        return span_cutoff(started_at, settings.hours, settings.day_boundary, None)

    def close(self) -> None:
        """Keep what was learned for the next command, and close the store; closing twice
        is harmless."""
        history = self._history
        if history is not None and not self.store.closed:
            from techqueue import kept

            kept.write(self.store, history, self._history_at, self._kept)
            self._history = None
        self.store.close()
