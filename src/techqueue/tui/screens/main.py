"""The triage desk: the ranked queue, why the selected item ranks there, reminders, and one
key per action. Every store call runs in a worker thread and the screen redraws from the
board it returns, so the interface never waits on the database."""

from __future__ import annotations

import contextlib
import gc
import threading
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from techqueue import actions
from techqueue.errors import StoreError
from techqueue.records import ItemRecord, ReminderRecord
from techqueue.tui.dialogs import KeysScreen, binding_rows, mark_typed_beneath
from techqueue.tui.errors import ReportsWorkerErrors
from techqueue.tui.queue_filter import QueueFilter
from techqueue.tui.runner import FRAME_WAIT
from techqueue.tui.screens.recurring_keys import RecurringKeys
from techqueue.tui.session import Session
from techqueue.tui.widgets import (
    DetailPane,
    FilterInput,
    InterruptBanner,
    KeysFooter,
    QueueTable,
    RemindersPane,
    StatusLine,
)
from techqueue.views.board import Board, FirstRows
from techqueue.views.text import clean

if TYPE_CHECKING:
    from techqueue.core.advice import Advice
    from techqueue.tui.dialogs import QuickAdd
    from techqueue.tui.held_keys import HeldKeys
    from techqueue.views.item import ItemDetail

__all__ = ["DETAIL_SETTLE", "WELCOME", "MainScreen"]

R = TypeVar("R")

#: What the status line says while a team's database server does not answer.
OFFLINE = "database server unreachable: reconnecting…"


#: How long the cursor rests on an item before its detail is loaded (seconds): a scroll
#: through the queue does not read every item it passes.
DETAIL_SETTLE = 0.05

WELCOME = (
    "Nothing in the queue yet.\n\n"
    "Press  a  to capture an interruption: one line, tokens anywhere, for example\n"
    "    Printer jammed @desk !high ~5m from:Alice\n\n"
    "Then  s  starts the top item,  d  marks it done,  ?  lists every key,\n"
    "Ctrl+P  searches every action, and  Ctrl+Q  quits."
)


class MainScreen(ReportsWorkerErrors, RecurringKeys):
    #: Under 12 lines the lower panes are hidden (``-short``): the queue keeps its rows.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (12, "-tall")]

    BINDINGS = [
        Binding("a", "capture", "Capture", id="capture", tooltip="Capture an interruption"),
        Binding("s", "start", "Start", id="start", tooltip="Start the selected item"),
        Binding("p", "pause", "Pause", show=False, id="pause", tooltip="Pause the active item"),
        Binding("d", "done", "Done", id="done", tooltip="Mark the selected item done"),
        Binding(
            "S",
            "done_solved",
            "Solved",
            show=False,
            id="done_solved",
            tooltip="Done, with one line on how it was solved",
        ),
        Binding(
            "x",
            "drop",
            "Drop",
            show=False,
            id="drop",
            tooltip="Drop the selected item (asks first)",
        ),
        Binding("z", "defer", "Defer", show=False, id="defer", tooltip="Put it aside until a time"),
        Binding("w", "wait", "Waiting", show=False, id="wait", tooltip="Waiting on the customer"),
        Binding(
            "W",
            "wait_on",
            "Out with",
            show=False,
            id="wait_on",
            tooltip="Waiting on a vendor or a colleague",
        ),
        Binding(
            "b",
            "appoint",
            "Book",
            show=False,
            id="appoint",
            tooltip="Book a slot with the customer",
        ),
        Binding("t", "pin", "Pin", show=False, id="pin", tooltip="Pin or unpin at the top"),
        Binding("n", "note", "Note", show=False, id="note", tooltip="Add a note"),
        Binding("o", "promise", "Promise", show=False, id="promise", tooltip="Record a promise"),
        Binding(
            "c",
            "tell",
            "Tell them",
            show=False,
            id="tell",
            tooltip="Copy what to tell them, note it",
        ),
        Binding(
            "A",
            "answer",
            "Answer",
            show=False,
            id="answer",
            tooltip="Copy the canned answer for it, note the contact",
        ),
        Binding("r", "remind", "Remind", show=False, id="remind", tooltip="Set a reminder"),
        Binding(
            "L",
            "reminders",
            "Reminders",
            show=False,
            id="reminders",
            tooltip="Reminders: snooze or dismiss",
        ),
        Binding("v", "vip", "VIP", show=False, id="vip", tooltip="Mark the requester VIP or not"),
        Binding("e", "edit", "Edit", show=False, id="edit", tooltip="Edit the selected item"),
        Binding("plus", "bump(1)", "Bump up", show=False, id="bump_up", tooltip="Nudge it up"),
        Binding(
            "minus", "bump(-1)", "Bump down", show=False, id="bump_down", tooltip="Nudge it down"
        ),
        Binding(
            "i",
            "interrupt",
            "Switch",
            show=False,
            id="interrupt",
            tooltip="Switch to what just landed (when advised)",
        ),
        Binding(
            "escape",
            "keep_on",
            "Keep on",
            show=False,
            id="keep_on",
            tooltip="Keep on (the advice goes), or clear the filter",
        ),
        Binding(
            "slash",
            "find",
            "Find",
            show=False,  # the footer is full at 80 columns: ? and the palette list it
            # Run as the key arrives, before the keys typed after it are handed to the list:
            # "/printer" typed in one go is all the filter's.
            priority=True,
            id="find",
            tooltip="Find: filter the queue as you type",
        ),
        Binding(
            "J",
            "scroll_detail(1)",
            "Detail down",
            show=False,
            id="detail_down",
            tooltip="Scroll the detail pane down",
        ),
        Binding(
            "K",
            "scroll_detail(-1)",
            "Detail up",
            show=False,
            id="detail_up",
            tooltip="Scroll the detail pane up",
        ),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last action"),
        Binding("R", "review", "Review", id="review", tooltip="End of day: review and carry over"),
        Binding(
            "O",
            "overload",
            "Overload",
            show=False,
            id="overload",
            tooltip="Who will wait past 3× their target: ways out",
        ),
        Binding(
            "E",
            "recurring",
            "Recurring",
            show=False,
            id="recurring",
            tooltip="Recurring work: the rules, and ending one",
        ),
        Binding("m", "morning", "Morning", show=False, id="morning", tooltip="The morning summary"),
        Binding(
            "I",
            "insight",
            "Insight",
            show=False,
            id="insight",
            tooltip="Insight: common issues, where the time went",
        ),
        Binding("question_mark", "keys", "Keys", id="keys", tooltip="Every key"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.board: Board | None = None
        self._detail_timer: Timer | None = None
        self._detail: ItemDetail | None = None
        #: Reminders already announced (bell, toast, desktop), by id and due time, so each
        #: rings once each time it falls due (a snoozed one rings again).
        self._announced: set[tuple[int, datetime]] = set()
        #: The quick-add dialog, built on first use and kept (building it costs frames).
        self._quick_add: QuickAdd | None = None
        #: An item just added, selected once a board shows it.
        self._select_next: int | None = None
        #: What ``/`` narrows the queue to (everything while it is blank).
        self._filter = QueueFilter()
        self._asked_left: set[int] = set()
        #: What was typed for an action the store refused, by what it was typed for.
        self._kept: dict[str, str] = {}
        #: The queue's first rows shown before the first whole board (see :meth:`reload`).
        self._first_shown: FirstRows | None = None
        #: Set once the frame showing them is out (the whole read waits for it).
        self._first_drawn = threading.Event()

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(Text("techqueue · loading…"), id="status")
        yield InterruptBanner(id="interrupt")
        with Vertical(id="queue-area"):
            # Made hidden, and hidden from the focus, as ``_filter_field(shown=False)`` leaves
            # it (hiding it once mounted restyled it and its parts several times over, ~8 ms
            # of the first paint), as the welcome is.
            field = FilterInput(id="filter", disabled=True)
            field.display = False
            yield field
            yield QueueTable(id="queue")
            welcome = Static(Text(WELCOME), id="welcome")
            welcome.display = False
            yield welcome
        with Horizontal(id="lower"):
            yield DetailPane(id="detail")
            yield RemindersPane(id="reminders")
        yield KeysFooter()

    def on_key(self, event: events.Key) -> None:
        mark_typed_beneath(event)  # a dialog opened meanwhile takes it (see mark_typed_beneath)

    def on_paste(self, event: events.Paste) -> None:
        mark_typed_beneath(event)  # as a key (a paste after ``a``, handed in with it)

    def on_mount(self) -> None:
        self.query_one(QueueTable).focus()
        first = self.session.first_rows_read()
        if first is not None:  # read before the interface was set up: in its first frame
            self._show_first(first)
        self.reload()  # the questions of the start of the day follow the first rows
        self.set_interval(1.0, self._tick)
        #: A team's store: every technician's writes are heard as they happen (LISTEN), so
        #: the journal is not polled.
        self._listening = self.session.watch(self._heard, self._server_answers)
        self.set_interval(1.0, self._poll)
        self.set_interval(60.0, self._every_minute)

    # --- data --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self) -> None:
        """Read a fresh board (re-ranked at the current time) and draw it.

        The first time, the queue's first rows are drawn before the whole board is read,
        from the queue the last whole read kept, when it can be used (see
        :class:`~techqueue.views.board.FirstRows`): the whole board, read at their moment,
        then shows the same rows and the rest. Meanwhile the keys wait for it (see
        :class:`~techqueue.tui.held_keys.HeldKeys`)."""
        session = self.session
        if self.board is not None:
            self.app.call_from_thread(self._show, session.board())
            return
        try:
            # More places than the table can show: it is shorter than the terminal.
            first = session.first_rows(self.app.size.height)
        except Exception:  # only a head start: the whole read decides, and says what failed
            first = None
        if first is not None:
            if first is not self._first_shown:
                self.app.call_from_thread(self._show_first, first)
            # The frame is written out before the whole read competes with it.
            self._first_drawn.wait(FRAME_WAIT)
        try:
            board = session.board(first=True, at=None if first is None else first.now)
        except BaseException:
            with contextlib.suppress(RuntimeError):  # the app is closing
                self.app.call_from_thread(self._release_keys)
            raise
        self.app.call_from_thread(self._show, board)

    def _held_keys(self) -> HeldKeys | None:
        held: HeldKeys | None = getattr(self.app, "held_keys", None)
        return held

    def _show_first(self, first: FirstRows) -> None:
        """The queue's first rows, drawn while the whole board is read; until it is drawn the
        keys are held, the header counts nothing and no detail is loaded."""
        self.call_after_refresh(self._first_drawn.set)
        if self.board is not None:
            return
        self._first_shown = first
        held = self._held_keys()
        if held is not None:
            held.hold()
        table = self.query_one(QueueTable)
        table.clicks_held = self._hold_click
        table.set_rows(
            first.ranked,
            first.now,
            self.session.settings.weights,
            first.active_spent,
            first.forecast,
            None,
            None if first.active is None else first.active.id,
            widths=self.session.kept_widths,
        )
        if first.active is not None:
            table.select_id(first.active.id)  # the app opens on the job in hand
        self.query_one(StatusLine).show_first(first.now)

    def _hold_click(self, item_id: int) -> bool:
        """A click on a row while the keys are held: held in turn with them, as the item
        clicked (see :mod:`techqueue.tui.held_keys`); ``False`` once they are not."""
        held = self._held_keys()
        if held is None:
            return False
        return held.take_call(partial(self.query_one(QueueTable).select_id, item_id))

    def _acted_on_first_rows(self) -> bool:
        """Whether something typed (or clicked) over the first rows waits to be handed in.

        The whole board keeps the cursor on the item the first rows had selected (by id):
        the keys typed over them were meant for the row the technician saw selected, and act
        from it once handed in (a ``d`` on the top row asks about the top row, rather than
        marking done the job in hand further down). Only when nothing was typed does the
        whole board move the cursor to the job in hand that ranks below the first rows."""
        held = self._held_keys()
        return held is not None and held.pending

    def _release_keys(self) -> None:
        """The keys held while the first rows were shown, handed in (in order)."""
        held = self._held_keys()
        if held is not None and held.holding:
            held.release(self.app)

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _poll(self) -> None:
        """Cheap change detection: the store file looked at (is it still the one open?) and
        the journal's highest id read."""
        if self.session.actions.busy:
            return  # the actions' own re-rank follows; a reload now would read twice
        said = self.session.check_file()
        if said is not None:
            self.app.call_from_thread(self._file_changed, said)
            return
        board = self.board
        if self._listening:
            return
        if board is not None and self.session.last_journal_id() != board.journal_id:
            self.app.call_from_thread(self.reload)

    def _heard(self) -> None:
        """A technician (another, or this app) wrote to the team's store: read it again (from
        the listener's thread)."""
        with contextlib.suppress(RuntimeError):  # the app is closing
            self.app.call_from_thread(self._reload_unless_busy)

    def _reload_unless_busy(self) -> None:
        if not self.session.actions.busy:  # the actions' own re-rank follows
            self.reload()

    def _server_answers(self, answers: bool) -> None:
        """The team's server stopped or started answering (from the listener's thread): the
        status line says so, once, until it is back; the listener reconnects by itself."""
        with contextlib.suppress(RuntimeError):
            self.app.call_from_thread(self._show_server, answers)

    def _show_server(self, answers: bool) -> None:
        status = self.query_one(StatusLine)
        status.offline = None if answers else OFFLINE
        if self.board is not None:
            status.show(self.board, self.session.now())
        if answers:
            self.say("the database server answers again")

    def _file_changed(self, said: str) -> None:
        """The store file was deleted or replaced under the app: say so, and show the store
        now open (the same one, when it was deleted: nothing on screen is lost)."""
        self.say(said, "error")
        self.reload()

    def _show(self, board: Board) -> None:
        previous = self.board
        self.board = board
        if board.landed and board.active is not None:
            # Something landed (here or from another terminal) while a job is in hand: ask
            # the advice whether to switch to the best-ranked newcomer.
            self._advise(board.active, board.landed[0])
        self._drop_stale_banner()
        table = self.query_one(QueueTable)
        self._draw_queue(board, board.now, board.active_spent)
        if previous is None and board.active is not None and not self._acted_on_first_rows():
            table.select_id(board.active.id)  # the app opens on the job in hand
        if self._select_next is not None and board.entry(self._select_next) is not None:
            table.select_id(self._select_next)
            self._select_next = None
        empty = not board.ranked
        table.display = not empty
        self.query_one("#welcome").display = empty
        self.query_one(RemindersPane).show(board)
        if empty:
            self.query_one(DetailPane).show_empty("Press a to capture the first interruption.")
        self._announce(board.reminders_due)
        if board.forecast.overload_if_known() is None or not board.nudges_known:
            # Once these rows are on the screen (the work would only delay them).
            self.call_after_refresh(self._complete, board)
        if previous is None:
            # The whole queue's column widths, kept for the next launch's first rows.
            self.session.note_widths(table.widths)
            # The first rows are drawn: now the start of the day's questions (a timer left
            # running, the morning summary), which would only have delayed them.
            self.call_after_refresh(self._ask_left_running, then_morning=True)
            # Everything alive now lives as long as the app: keep it out of the cyclic
            # collector's full passes, which otherwise stall a keystroke now and then.
            gc.freeze()
            self._release_keys()  # pressed while only the first rows were shown

    def _complete(self, board: Board) -> None:
        """What the board just drawn leaves to follow, in a worker: the customers to update
        (the first board's), then the overload plan (the guard plans the whole queue); the
        reminders pane and the header are drawn again with them. (Not an ``@work`` method:
        that would describe the worker with the board's ``repr``, every item.)"""

        def complete() -> None:
            if not board.nudges_known:
                full = self.session.with_nudges(board)
                if full is not None:
                    self.app.call_from_thread(self._show_nudges, board, full)
            _ = board.forecast.overload
            self.app.call_from_thread(self._overload_planned, board)
            # A whole read's ranking kept for the next launch's first rows (and ``next``).
            self.session.keep_queue()

        self.run_worker(
            complete,
            thread=True,
            exclusive=True,
            group="complete",
            description="the board's nudges and overload plan",
            exit_on_error=False,
        )

    def _show_nudges(self, board: Board, full: Board) -> None:
        if self.board is board:
            self.board = full
            self.query_one(RemindersPane).show(full)

    def _overload_planned(self, board: Board) -> None:
        if self.board is not None and self.board.forecast is board.forecast:
            now = self.session.now()
            self.query_one(StatusLine).show(board, now, self._timer(board, now))

    def _draw_queue(self, board: Board, now: datetime, spent: float) -> None:
        """The board's queue, narrowed by the filter when one is on, and the header."""
        rows, positions = self._filter.rows(board.ranked, board.positions)
        self.query_one(QueueTable).set_rows(
            rows,
            board.now,
            self.session.settings.weights,
            spent,
            board.forecast,
            positions,
            None if board.active is None else board.active.id,
            measured=board.ranked,
        )
        status = self.query_one(StatusLine)
        status.filtered = (self._filter.text.strip(), len(rows)) if self._filter.active else None
        status.show(board, now, spent)

    def _timer(self, board: Board, now: datetime) -> float:
        """The minutes worked on the item in hand by ``now``."""
        spent = board.active_spent
        if board.active is not None:
            since = board.active_since or board.now
            spent += max((now - since).total_seconds() / 60, 0.0)
        return spent

    def _tick(self) -> None:
        """The clock and the running timer, advanced without touching the store."""
        board = self.board
        if board is None:
            return
        now = self.session.now()
        spent = self._timer(board, now)
        if board.active is not None:
            self.query_one(QueueTable).set_active_spent(spent)
        self.query_one(StatusLine).show(board, now, spent)
        self._announce([r for r in board.reminders_today if r.due_at <= now])

    def _announce(self, due: list[ReminderRecord]) -> None:
        """A reminder falling due rings the bell, shows a notification and, where the
        desktop has a notifier, a desktop notification — once each."""
        fresh = [r for r in due if (r.id, r.due_at) not in self._announced]
        if not fresh:
            return
        self._announced.update((r.id, r.due_at) for r in fresh)
        self.app.bell()
        for reminder in fresh:
            about = f" (#{reminder.item_id})" if reminder.item_id else ""
            self.say(f"Reminder: {clean(reminder.text)}{about}", "warning")
        notify_desktop = getattr(self.app, "notify_desktop", None)
        if notify_desktop is not None:
            notify_desktop([clean(reminder.text) for reminder in fresh])

    @on(QueueTable.Highlighted)
    def _highlighted(self, event: QueueTable.Highlighted) -> None:
        """Load the detail a moment after the cursor settles, not on every step of a scroll."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        if self.board is None:
            return  # the first rows only: the whole board, once drawn, says where it is
        if event.item_id is None and self.board.ranked:
            said = clean(self._filter.text.strip())
            self.query_one(DetailPane).show_empty(
                f"Nothing matches “{said}”. Escape clears the filter, / changes it."
            )
            return
        self._detail_timer = self.set_timer(DETAIL_SETTLE, lambda: self._load_detail(event.item_id))

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_detail(self, item_id: int | None) -> None:
        if item_id is None:
            return
        try:
            detail = self.session.detail(item_id)
        except StoreError:
            return  # gone meanwhile (another terminal dropped it, an undo): nothing to show
        self.app.call_from_thread(self._show_detail, detail)

    def _show_detail(self, detail: ItemDetail) -> None:
        board = self.board
        if board is None:
            return
        entry = board.entry(detail.item.id)
        self._detail = detail
        self.query_one(DetailPane).show(
            detail,
            board.now,
            self.session.settings.weights,
            None if entry is None else entry.rank,
            board.forecast,
        )

    # --- interruptions -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="advice", exit_on_error=False)
    def _advise(self, active: ItemRecord, newcomer: ItemRecord) -> None:
        advice = self.session.advise(active, newcomer)
        if advice is not None:
            self.app.call_from_thread(self._offer_switch, advice, active, newcomer)

    def _offer_switch(self, advice: Advice, active: ItemRecord, newcomer: ItemRecord) -> None:
        """A banner, "Pause X for Y?", with one key to switch; or a quiet note to finish."""
        if not self._switch_still_open(active.id, newcomer.id):
            return  # the technician moved on while the advice was worked out
        if not advice.switch:
            self.say(f"Keep on: {clean(advice.reason)}")
            return
        self.query_one(InterruptBanner).offer(advice, active, newcomer)

    def _switch_still_open(self, active_id: int, newcomer_id: int) -> bool:
        """Whether "pause ``active_id`` for ``newcomer_id``" still makes sense on screen."""
        board = self.board
        if board is None or board.active is None or board.active.id != active_id:
            return False
        entry = board.entry(newcomer_id)
        return entry is not None and entry.item.status == "open"

    def _drop_stale_banner(self) -> None:
        """The banner goes once its question is moot: the job in hand changed, or the
        newcomer was started, finished or dropped another way."""
        banner = self.query_one(InterruptBanner)
        offered, pausing = banner.offered, banner.pausing
        if (
            offered is not None
            and pausing is not None
            and not self._switch_still_open(pausing, offered)
        ):
            banner.hide()

    def action_interrupt(self) -> None:
        banner = self.query_one(InterruptBanner)
        target = banner.offered
        if target is None:
            self.say("Nothing to switch to: the advice appears when something lands.")
            return
        banner.hide()
        self._act_and_rerank(
            lambda desk, now: actions.start(desk, target, now), f"Switched to #{target}"
        )

    def action_keep_on(self) -> None:
        banner = self.query_one(InterruptBanner)
        if banner.offered is not None:
            banner.hide()
        elif self._filter.active:
            self.action_clear_filter()

    # --- find ------------------------------------------------------------------------------

    def action_find(self) -> None:
        """``/``: the filter's line, to type into; the queue narrows as it is typed."""
        field = self.query_one(FilterInput)
        if self.focused is field:
            # A / typed in the filter is the filter's ("and/or"): handed to it after the keys
            # already on their way to it.
            field.post_message(events.Key("slash", "/"))
            return
        self.set_focus(self._filter_field(shown=True))  # at once: the next keys are its

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._filter.text = event.value
        self._redraw_queue()

    @on(Input.Submitted, "#filter")
    def _filter_kept(self, event: Input.Submitted) -> None:
        """Enter: back to the list, the filter kept (the header says so)."""
        self.set_focus(self.query_one(QueueTable))  # at once: the next keys are the list's
        self._filter_field(shown=False)

    def action_clear_filter(self) -> None:
        """The whole queue again, the cursor still on its item."""
        self.set_focus(self.query_one(QueueTable))  # at once: the next keys are the list's
        field = self._filter_field(shown=False)
        with field.prevent(Input.Changed):
            field.value = ""
        if self._filter.active:
            self._filter.text = ""
            self._redraw_queue()

    def _filter_field(self, *, shown: bool) -> FilterInput:
        """The filter's line, shown (to type into) or hidden; hidden, it cannot take the
        focus (a hidden widget otherwise can, and would swallow the keys)."""
        field = self.query_one(FilterInput)
        field.display = shown
        field.disabled = not shown
        return field

    def action_filter_step(self, step: int) -> None:
        """The arrows, while typing the filter: move in the list."""
        self.query_one(QueueTable).action_cursor(step)

    def _redraw_queue(self) -> None:
        board = self.board
        if board is not None:
            now = self.session.now()
            self._draw_queue(board, now, self._timer(board, now))

    def action_review(self) -> None:
        from techqueue.tui.screens.review import ReviewScreen

        start, end = self.session.today()

        def back(_: None) -> None:
            self.reload()

        self.app.push_screen(ReviewScreen(self.session, start, end), back)

    def action_insight(self) -> None:
        from techqueue.tui.screens.insight import InsightScreen

        self.app.push_screen(InsightScreen(self.session))

    def _every_minute(self) -> None:
        self.reload()
        self._ask_left_running(then_morning=False)
        self._upkeep()

    @work(thread=True, exclusive=True, group="upkeep", exit_on_error=False)
    def _upkeep(self) -> None:
        """A new day while the app stays open: its backup and trimming, as a command's first
        open of the day does them; a backup that cannot be written is said."""
        done = self.session.upkeep()
        if done is not None and done.failure is not None:
            said = f"Today's backup was not made: {done.failure}"
            self.app.call_from_thread(self.say, said, "warning")

    def action_scroll_detail(self, lines: int) -> None:
        """J and K: the detail pane, a line at a time, without the mouse."""
        self.query_one(DetailPane).scroll_relative(y=lines, animate=False)

    def action_keys(self) -> None:
        self.app.push_screen(KeysScreen(self.key_list()))

    def key_list(self) -> list[tuple[str, str]]:
        """Every key of this screen with its description, as the keymap has it now."""
        return [
            *binding_rows(self.app, self.BINDINGS),
            ("↑ ↓ j k", "Move in the queue"),
            ("PgUp PgDn Home End", "Move by a page, to the top or bottom"),
            ("/ then Enter, Esc", "Keep the filter (back to the list), or clear it"),
            ("1…5", "Morning summary: raise an item to escalate"),
            ("Ctrl+P", "Search every action (the command palette)"),
            ("Ctrl+Q", "Quit (Ctrl+C does not quit)"),
        ]
