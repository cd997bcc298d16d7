"""The app's hold on the desk for a day: worker threads take turns on the store's connection,
the open items are kept between reads so that an action re-reads only what it changed, and
the actions run in the order their keys were pressed.

Nothing here imports Textual, so it is tested like the rest of the core; the screens call it
from worker threads. Every read is a view of :mod:`techqueue.views` and every write an action
of :mod:`techqueue.actions`, as on the command line.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from techqueue.core.workday import today_span
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES
from techqueue.errors import NotFound, StoreUnusable
from techqueue.paths import write_cache
from techqueue.records import ItemRecord, ReminderRecord, SpanRecord
from techqueue.tui.action_line import ActionLine
from techqueue.views.board import Board, FirstRows, KeptBoard, read_first_rows
from techqueue.views.ranking import spent_in_progress

if TYPE_CHECKING:
    from pathlib import Path

    # The views of the other screens and keys are imported when first used: the app's
    # first paint waits for nothing but the queue.
    from techqueue.core.advice import Advice
    from techqueue.core.estimates import History
    from techqueue.core.insight import Insight
    from techqueue.core.review import Review
    from techqueue.core.settings import Settings
    from techqueue.db.files import FileProblem
    from techqueue.db.listen import Listener
    from techqueue.upkeep.backups import Upkeep
    from techqueue.views.item import ItemDetail
    from techqueue.views.morning import DayStart
    from techqueue.views.overload import OverloadView
    from techqueue.views.recurring import Recurring

__all__ = ["MORNING_KEY", "Session"]

#: How long after a whole read the queue is still ranked at that read's moment after an
#: action (the screen reads it whole every minute, at the new moment).
KEPT_MOMENT = timedelta(seconds=60)

#: The Meta key holding the day the morning summary was last shown.
MORNING_KEY = "morning_summary_shown"

Result = TypeVar("Result")


class Session:
    """One technician's day at the desk, as the app holds it."""

    def __init__(self, desk: Desk, clock: Callable[[], datetime]) -> None:
        self.desk = desk
        self.clock = clock
        #: The screens' store actions, run in key order (see :class:`ActionLine`).
        self.actions = ActionLine()
        self._lock = threading.Lock()
        #: The board as last read, kept item by item (see :class:`KeptBoard`), and the journal
        #: position it was read at.
        self._kept: KeptBoard | None = None
        self._seen = 0
        self._last: Board | None = None
        #: When each item any board has held was created, by id.
        self._known: dict[int, datetime] = {}
        #: The finished work the last board learned its estimates from (the quick-add
        #: preview ranks with it, and so reads nothing as the technician types).
        self.last_history: History | None = None
        #: What was last said about the store file (so that it is said once).
        self._file_said: FileProblem | None = None
        #: A team's store: the listener hearing the others' writes (``None``: polled).
        self._listener: Listener | None = None
        #: What the last whole read ranked, to keep for the next launch and the next
        #: ``next`` (see :meth:`keep_queue`): the items, journal position, history, moment.
        self._unkept: tuple[list[ItemRecord], int, History, datetime] | None = None
        #: The first rows read ahead (see :meth:`read_ahead`), until taken (``None``: none
        #: were; ``(None,)``: none could be).
        self._ahead: tuple[FirstRows | None] | None = None
        #: The queue's column widths as the last launch's whole board had them (read ahead
        #: with the first rows), and the whole board's to keep for the next launch.
        self._widths_kept: dict[str, int] | None = None
        self._widths_to_keep: dict[str, int] | None = None

    @property
    def settings(self) -> Settings:
        return self.desk.settings

    @contextmanager
    def _using(self) -> Iterator[Desk]:
        with self._lock:
            yield self.desk

    def now(self) -> datetime:
        return self.clock()

    def last_journal_id(self) -> int:
        with self._using() as desk:
            return desk.store.last_journal_id()

    def run(self, action: Callable[[Desk, datetime], Result]) -> Result:
        """Run one action (``lambda desk, now: actions.done(desk, 12, now)``) at the
        current time."""
        with self._using() as desk:
            return action(desk, self.clock())

    def first_rows(self, limit: int) -> FirstRows | None:
        """The queue's first ``limit`` places at the current time, from the queue the last
        whole read kept (here or on the command line), to draw while the whole board is
        read; ``None`` when it cannot be used (see :func:`read_first_rows`). When they were
        read ahead, those (read at their own moment, as many as asked for then)."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            return ahead[0]
        return self.read_first(limit)

    def read_first(self, limit: int) -> FirstRows | None:
        """The first rows (see :meth:`first_rows`), and with them the widths kept
        (:attr:`kept_widths`); raises what reading them raised."""
        now = self.clock()
        with self._using() as desk, _collector_paused():
            first = read_first_rows(desk, now, limit)
            if first is not None:
                self._widths_kept = _read_widths(desk)
            return first

    def first_rows_read(self) -> FirstRows | None:
        """The first rows read ahead (:meth:`read_ahead`), if any; they are still what the
        next :meth:`first_rows` returns."""
        return None if self._ahead is None else self._ahead[0]

    def read_ahead(self, limit: int) -> None:
        """Read the queue's first ``limit`` places now, for the next :meth:`first_rows`: the
        launch reads them before the interface is set up, so that its first frame shows
        them rather than an empty queue.

        Before, not beside: read in a thread while Textual set the interface up, they came
        later (~50-60 ms of wall time for ~20 ms of work, the two threads taking turns on the
        interpreter), and the first frame was mostly drawn without them, then again."""
        try:
            self._ahead = (self.read_first(limit),)
        except Exception:  # only a head start: the whole read decides, and says what failed
            self._ahead = (None,)

    def took_ahead(self, first: FirstRows | None, widths: Mapping[str, int] | None) -> None:
        """The first rows (and the widths kept with them) read ahead by another process
        (:mod:`techqueue.tui.read_beside`), for the next :meth:`first_rows`, as
        :meth:`read_ahead` would have read them here (``None``: none could be)."""
        self._ahead = (first,)
        self._widths_kept = None if widths is None else dict(widths)

    @property
    def kept_widths(self) -> Mapping[str, int] | None:
        """The queue's column widths as the last launch's whole board had them, read ahead
        with the first rows (``None``: not known): the first rows are laid out with them, so
        that the columns do not move when the whole board, measured on every row, comes."""
        return self._widths_kept

    def note_widths(self, widths: Mapping[str, int]) -> None:
        """The whole board's column widths, to keep for the next launch (with the queue, by
        :meth:`keep_queue`)."""
        self._widths_to_keep = dict(widths)

    def board(self, *, first: bool = False, at: datetime | None = None) -> Board:
        """Everything re-read from the store and re-ranked at the current time (``at``: at
        that moment, the first rows' own, so that the whole board shows them as they were
        drawn). The ``first`` board (the app's first paint) leaves the customers overdue for
        news to :meth:`with_nudges`."""
        now = self.clock() if at is None else at
        with self._using() as desk, _collector_paused():
            return self._reread(desk, now, nudges=not first)

    def keep_queue(self) -> None:
        """Leave the queue the last whole read ranked in the cache, as the command line's
        whole reads leave it (:func:`techqueue.views.kept_queue.keep`), so that the next
        launch draws its first rows from it (and the next ``next`` reads less); once per
        whole read, after its rows are drawn; and beside it the whole board's column widths
        (see :meth:`note_widths`) for the next launch's first rows. Nothing is written when
        what is kept already says the same."""
        with self._using() as desk, _collector_paused():
            unkept, self._unkept = self._unkept, None
            widths, self._widths_to_keep = self._widths_to_keep, None
            if desk.store.team:
                return
            if widths is not None and widths != self._widths_kept:
                _keep_widths(desk, widths)
                self._widths_kept = widths
            if unkept is None:
                return
            from techqueue.views.kept_queue import keep

            items, journal_id, history, now = unkept
            keep(desk, items, journal_id, history, now)

    def with_nudges(self, board: Board) -> Board | None:
        """``board`` (read without its nudges) with them; ``None`` when a later board has
        been read since (which has them)."""
        with self._using() as desk, _collector_paused():
            kept = self._kept
            if kept is None or kept.last is not board:
                return None
            self._last = kept.with_nudges(desk)
            return self._last

    def board_after_action(self) -> Board:
        """After actions: re-read only the items changed since the last read (by this app or
        another process) and move them in the kept ranking, at the moment of the last whole
        read while it is under a minute old (the screen reads the whole queue every minute,
        at the new moment); what :meth:`board` would show at that moment. A whole read when
        requesters (VIP) changed, an undo happened, the moment is too old, or nothing is kept
        yet."""
        now = self.clock()
        with self._using() as desk, _collector_paused():
            kept = self._kept
            if kept is None or not timedelta(0) <= now - kept.now < KEPT_MOMENT:
                return self._reread(desk, now)
            seen, touched = desk.store.touched_since(self._seen)
            if touched is None or "requester" in touched:
                return self._reread(desk, now)
            changed: dict[int, ItemRecord | None] = {}
            for item_id in touched.get("item", set()):
                try:
                    item = desk.store.get(item_id)
                except NotFound:
                    changed[item_id] = None
                    continue
                changed[item_id] = item if item.status in OPEN_STATUSES else None
            self._seen = seen
            history = self.last_history = desk.history()
            board = kept.update(desk, changed, history, seen, known=self._known)
            self._known.update(
                (item.id, item.created_at) for item in changed.values() if item is not None
            )
            self._last = board
            if now != kept.now and board.active is not None:
                # The ranking's moment stays; the running timer counts from now.
                spent = spent_in_progress(desk, now).get(board.active.id, 0.0)
                board = dataclasses.replace(board, active_spent=spent, active_since=now)
            return board

    def _reread(self, desk: Desk, now: datetime, *, nudges: bool = True) -> Board:
        """Every open item read afresh, kept for the next action, and ranked at ``now``."""
        # The journal's id is read first: whatever is written while the items are read is
        # newer than it, so the next poll or action reads it again rather than missing it.
        self._seen = desk.store.last_journal_id()
        items = desk.store.items(OPEN_STATUSES)
        known = None if self._last is None else self._known
        history = self.last_history = desk.history()
        kept = self._kept = KeptBoard(desk, now)
        board = kept.read(desk, items, history, self._seen, known=known, nudges=nudges)
        self._unkept = (kept.read_items, self._seen, history, now)
        self._known.update((item.id, item.created_at) for item in items)
        self._last = board
        return board

    # --- the store file and its upkeep -------------------------------------------------

    def upkeep(self) -> Upkeep | None:
        """The day's upkeep, as every command does it on the first open of a day: the app
        stays open past midnight, so it asks too (see :func:`~techqueue.upkeep.daily.daily`)."""
        from techqueue.upkeep.daily import daily

        with self._using() as desk:
            return daily(desk.store, desk.settings, self.clock())

    def check_file(self) -> str | None:
        """What the technician must hear about the store file, once: ``None`` while it is the
        file that was opened (or nothing new happened to it).

        Replaced (restored from a copy, say): the new file is opened and shown. Deleted: what
        the open connection still holds is saved as a rescue copy beside it, and writes are
        refused (each one says so) until a store is back at its path."""
        from techqueue.upkeep.backups import rescue

        with self._using() as desk:
            store = desk.store
            problem = store.file_problem()
            if problem is None:
                self._file_said = None
                return None
            if problem == self._file_said:
                return None
            self._file_said = problem
            if problem.kind == "replaced":
                try:
                    store.reopen()
                except StoreUnusable as error:
                    return (
                        f"{problem.said}, one techqueue cannot use ({error}): nothing can be "
                        "saved until it is put right; what you type is kept"
                    )
                self._file_said = None
                self._kept, self._seen, self._unkept = None, 0, None
                desk.forget()
                return f"{problem.said}: it is open now, and the queue shows what it holds"
            said = f"{problem.said}: nothing can be saved until it is back; what you type is kept"
            if problem.kind == "deleted":
                rescued = rescue(store, self.clock())
                if rescued is not None:
                    said += f". What it held is saved as {rescued} (techqueue restore puts it back)"
            return said

    def watch(self, on_change: Callable[[], None], on_state: Callable[[bool], None]) -> bool:
        """On a team's store, hear every technician's writes as they happen (``on_change``,
        from the listener's thread) and whether the server answers (``on_state``); False on
        a solo store, whose journal the app polls instead."""
        if self._listener is None:
            self._listener = self.desk.store.listen(on_change, on_state)
        return self._listener is not None

    def close(self) -> None:
        """Stop listening, and close the store once no worker is using it."""
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        with self._lock:
            self.desk.close()

    def detail(self, item_id: int) -> ItemDetail:
        """The item explained against the queue last shown (its promise's state as that
        board forecast it), with its notes, reminders and what to tell them."""
        from techqueue.views.item import item_detail

        last = self._last
        with self._using() as desk:
            if last is None:
                return item_detail(desk, item_id, self.clock())
            ranks = {entry.id: entry.rank for entry in last.ranked}
            return item_detail(desk, item_id, self.clock(), forecast=last.forecast, ranks=ranks)

    def advise(self, active: ItemRecord, newcomer: ItemRecord) -> Advice | None:
        """Whether to pause ``active`` for ``newcomer`` (the same advice ``add`` prints)."""
        from techqueue.views.advice import advice_on

        with self._using() as desk:
            return advice_on(desk, newcomer, self.clock(), active)

    def overload(self) -> OverloadView:
        """Who will wait past 3× their target at the queue's pace (``overload``)."""
        from techqueue.views.overload import read_overload

        with self._using() as desk:
            return read_overload(desk, self.clock())

    def recurring(self) -> tuple[list[Recurring], datetime]:
        """The recurring rules as ``recurring`` lists them, and the time they were read at."""
        from techqueue.views.recurring import read_recurring

        with self._using() as desk:
            return read_recurring(desk), self.clock()

    def reminders(self) -> list[ReminderRecord]:
        """Every reminder not yet dismissed, by due time."""
        with self._using() as desk:
            return desk.store.reminders()

    # --- the end and the start of the day ----------------------------------------------

    def review(self, start: datetime, end: datetime) -> Review:
        """The review of ``[start, end)``, as ``review`` prints it."""
        from techqueue.views.review import read_review

        with self._using() as desk:
            return read_review(desk, start, end, self.clock())

    def insight(self, weeks: int) -> Insight:
        """The insight report of the last ``weeks`` weeks, as ``report`` prints it."""
        from techqueue.views.insight import read_insight

        with self._using() as desk:
            return read_insight(desk, self.clock(), weeks)

    def today(self) -> tuple[datetime, datetime]:
        """``[start, end)`` of the current working day, by the configured day boundary."""
        return today_span(self.clock(), self.desk.settings.day_boundary)

    def left_running(self) -> list[tuple[SpanRecord, str, datetime]]:
        """Timers still running past the end of the working day they began in that nobody
        has decided about: each span, its item's title and where its day ended."""
        from techqueue.views.followups import left_running

        now = self.clock()
        with self._using() as desk:
            return [
                (span, desk.store.get(span.item_id).title, desk.span_cutoff(span.started_at))
                for span in left_running(desk, now)
            ]

    def morning(self, *, only_if_new_day: bool) -> DayStart:
        """The morning summary.

        With ``only_if_new_day`` it is empty unless this is the first look at a new working
        day (and the switch is on, and the store is not empty); seeing it is remembered. A
        timer left running is not stopped here: the app asks (see :meth:`left_running`)."""
        from techqueue.core.morning import Morning, should_show_morning
        from techqueue.core.workday import day_of
        from techqueue.views.morning import read_morning

        now = self.clock()
        boundary = self.desk.settings.day_boundary
        with self._using() as desk:
            if only_if_new_day and not should_show_morning(
                now,
                boundary,
                desk.store.meta(MORNING_KEY),
                enabled=desk.settings.morning_summary,
                store_empty=desk.store.is_empty(),
            ):
                return Morning(day_of(now, boundary, now.tzinfo))
            morning = read_morning(desk, now)
            if only_if_new_day:
                desk.store.set_meta(MORNING_KEY, morning.day.isoformat())
            return morning


def _widths_path(desk: Desk) -> Path:
    from techqueue.views.kept_queue import store_cache_path

    return store_cache_path(desk, "widths", ".json")


def _read_widths(desk: Desk) -> dict[str, int] | None:
    """The column widths kept for this store (``None``: none, or none usable)."""
    try:
        found = json.loads(_widths_path(desk).read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(found, dict) or not all(
        isinstance(size, int) and 0 <= size <= _WIDEST for size in found.values()
    ):
        return None
    return found


def _keep_widths(desk: Desk, widths: Mapping[str, int]) -> None:
    write_cache(_widths_path(desk), json.dumps(dict(widths), sort_keys=True))


#: No column is wider than this (a kept width beyond it is not the app's).
_WIDEST = 1000


@contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector paused while a whole queue is read or ranked.

    Reading 10,000 items, or ranking them, makes a few hundred thousand objects that all live
    on; the collector would walk them (and everything else alive) again and again as they are
    made, a third of the read's time here. Nothing made here is cyclic garbage. The collector
    is switched back on only if it was on, so two threads doing this at once leave it on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
