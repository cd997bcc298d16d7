"""What a command runs against, made on first use: the clock, the settings, the store and
the desk that holds them. One context per command line, passed to the command, so no
command reads a global and a test can run many command lines in one process."""

from __future__ import annotations

from typing import TYPE_CHECKING

from techqueue.cli.output import bad, note

if TYPE_CHECKING:
    from datetime import datetime

    from techqueue.core.settings import Settings
    from techqueue.desk import Desk
    from techqueue.records import ItemRecord
    from techqueue.store import Store

__all__ = ["Context"]


class Context:
    """One command line's clock, settings and desk.

    A plain class, not a dataclass: one is made by every command, and a dataclass compiles its
    generated methods when its module is imported (docs/performance.md, 13.)."""

    __slots__ = ("_desk", "_now", "_settings", "db", "user")

    def __init__(self, db: str | None = None, user: str | None = None) -> None:
        self.db = db
        """The store named by ``--db`` (``None``: ``$TECHQUEUE_DB`` or the default path)."""
        self.user = user
        """The technician named by ``--as`` (``None``: ``$TECHQUEUE_USER`` or the login
        name)."""
        self._now: datetime | None = None
        self._settings: Settings | None = None
        self._desk: Desk | None = None

    @property
    def now(self) -> datetime:
        """The command's time, read once (``TECHQUEUE_NOW`` fixes it)."""
        if self._now is None:
            from techqueue.cli.clock import ClockError, now

            try:
                self._now = now()
            except ClockError as error:
                bad(str(error))
        return self._now

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from techqueue.config.loader import load

            self._settings = load()
        return self._settings

    @property
    def desk(self) -> Desk:
        if self._desk is None:
            from techqueue.desk import Desk, Hooks
            from techqueue.paths import hooks_dir
            from techqueue.store import open_store

            hooks = Hooks(hooks_dir(), report=lambda line: note(f"techqueue: {line}"))
            self._desk = Desk(open_store(self.db, user=self.user), self.settings, hooks)
            self._upkeep(self._desk)
        return self._desk

    def _upkeep(self, desk: Desk) -> None:
        """The day's upkeep (a backup as the day begins, old undo history trimmed), the first
        time the store is opened on a new day; a backup that cannot be written is said once,
        on stderr, and never fails the command."""
        from techqueue.upkeep.daily import daily

        done = daily(desk.store, desk.settings, self.now)
        if done is not None and done.failure is not None:
            note(f"techqueue: note: today's backup was not made: {done.failure}")

    @property
    def store(self) -> Store:
        return self.desk.store

    def when(self, text: str, *, past: bool = False, what: str = "time") -> datetime:
        """A time as typed, read against the command's clock and working hours."""
        from techqueue.core.timeparse import TimeParseError, parse_when

        try:
            return parse_when(text, self.now, self.settings.hours, past=past)
        except TimeParseError as error:
            bad(f"{what}: {error}")

    def label(self, item: ItemRecord) -> str:
        """``#12 Printer jammed``, for a line of output."""
        from techqueue.core.text import clean_text  # (as views.text.clean, without its weight)

        return f"#{item.id} {clean_text(item.title)}"

    def saved_actions(self) -> int:
        """How many actions this command has committed to the store so far."""
        return 0 if self._desk is None else self._desk.store.saved_actions

    def close(self) -> None:
        if self._desk is not None:
            self._desk.close()
