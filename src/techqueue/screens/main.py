"""The triage desk: the ranked queue, why the selected item ranks there, reminders, and one
key per action. Every store call runs in a worker thread and the screen redraws from the
snapshot it returns, so the interface never waits on the database."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import get_current_worker

from techqueue.core.advice import Advice
from techqueue.core.quickadd import parse
from techqueue.desk import Desk, Detail, Snapshot
from techqueue.dialogs import (
    ConfirmDrop,
    KeysScreen,
    Prompt,
    QuickAdd,
    RemindersDialog,
    binding_rows,
    later_time,
    text_given,
)
from techqueue.display import clean
from techqueue.scoring import Ranked
from techqueue.store import ItemChanges, ItemRecord, ReminderRecord, StoreError
from techqueue.widgets import DetailPane, KeysFooter, QueueTable, RemindersPane, StatusLine

__all__ = ["DETAIL_SETTLE", "WELCOME", "MainScreen"]


#: How long an action's worker waits for the frame showing it ahead of the store (seconds).
_FRAME_WAIT = 0.25
#: How long the cursor rests on an item before its detail is loaded (seconds): a scroll
#: through the queue does not read every item it passes.
DETAIL_SETTLE = 0.05
#: How long the keys must pause before an action shown ahead of the store re-ranks (seconds).
#: A quarter of a second: keys pressed in one go (start, down, start) come closer than that,
#: and a re-rank of a long queue between them competes with their frames for the interpreter.
_BURST_PAUSE = 0.25

WELCOME = (
    "Nothing in the queue yet.\n\n"
    "Press  a  to capture an interruption: one line, tokens anywhere, for example\n"
    "    Printer jammed @desk !high ~5m from:Alice\n\n"
    "Then  s  starts the top item,  d  marks it done,  ?  lists every key,\n"
    "Ctrl+P  searches every action, and  Ctrl+Q  quits."
)


class MainScreen(Screen[None]):
    DEFAULT_CSS = """
    MainScreen { layout: vertical; }
    MainScreen #queue-area { height: 1fr; }
    MainScreen #interrupt {
        display: none;
        height: auto;
        padding: 0 1;
        background: $warning 30%;
        color: $text;
    }
    MainScreen #interrupt.-shown { display: block; }
    MainScreen #welcome {
        height: 1fr;
        padding: 1 2;
        content-align: center middle;
        color: $text;
        background: $surface;
    }
    MainScreen #lower { height: 12; }
    MainScreen DetailPane { width: 2fr; }
    MainScreen RemindersPane { width: 1fr; min-width: 24; }
    """

    BINDINGS = [
        Binding("a", "capture", "Capture", id="capture", tooltip="Capture an interruption"),
        Binding("s", "start", "Start", id="start", tooltip="Start the selected item"),
        Binding("p", "pause", "Pause", show=False, id="pause", tooltip="Pause the active item"),
        Binding("d", "done", "Done", id="done", tooltip="Mark the selected item done"),
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
        Binding("escape", "keep_on", "Keep on", show=False, id="keep_on", tooltip="Keep on"),
        Binding("u", "undo", "Undo", id="undo", tooltip="Undo the last action"),
        Binding("R", "review", "Review", id="review", tooltip="End of day: review and carry over"),
        Binding("m", "morning", "Morning", show=False, id="morning", tooltip="The morning summary"),
        Binding("question_mark", "keys", "Keys", id="keys", tooltip="Every key"),
    ]

    def __init__(self, desk: Desk) -> None:
        super().__init__()
        self.desk = desk
        self.snapshot: Snapshot | None = None
        self._detail_timer: Timer | None = None
        self._detail: Detail | None = None
        #: The item the interruption banner offers to switch to, and the job it would pause.
        self._switch_to: int | None = None
        self._banner_for: int | None = None
        #: Reminders already announced (bell, toast, desktop), by id and due time, so each
        #: rings once each time it falls due (a snoozed one rings again).
        self._announced: set[tuple[int, datetime]] = set()
        #: The quick-add dialog, built on first use and kept (building it costs frames).
        self._quick_add: QuickAdd | None = None
        #: An item just added, selected once a snapshot shows it.
        self._select_next: int | None = None

    # --- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield StatusLine(Text("techqueue · loading…"), id="status")
        yield Static(id="interrupt")
        with Vertical(id="queue-area"):
            yield QueueTable(id="queue")
            yield Static(Text(WELCOME), id="welcome")
        with Horizontal(id="lower"):
            yield DetailPane(id="detail")
            yield RemindersPane(id="reminders")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#welcome").display = False
        self.query_one(QueueTable).focus()
        self.reload()
        self._show_morning(True)
        self.set_interval(1.0, self._tick)
        self.set_interval(1.0, self._poll)
        self.set_interval(60.0, self.reload)

    # --- data --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def reload(self) -> None:
        """Read a fresh snapshot (re-ranked at the current time) and draw it."""
        snapshot = self.desk.snapshot()
        self.app.call_from_thread(self._show, snapshot)

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _poll(self) -> None:
        """Cheap change detection: only the journal's highest id is read."""
        if self.desk.actions.busy:
            return  # the actions' own re-rank follows; a reload now would read twice
        if self.snapshot is not None and self.desk.last_change() != self.snapshot.change:
            self.app.call_from_thread(self.reload)

    def _show(self, snapshot: Snapshot) -> None:
        previous = self.snapshot
        self.snapshot = snapshot
        if snapshot.landed and snapshot.active is not None:
            # Something landed (here or from another terminal) while a job is in hand: ask
            # the advice whether to switch to the best-ranked newcomer.
            self._advise(snapshot.active, snapshot.landed[0])
        self._drop_stale_banner(snapshot)
        self.query_one(StatusLine).show(snapshot)
        table = self.query_one(QueueTable)
        table.set_rows(
            snapshot.ranked,
            snapshot.now,
            self.desk.settings.weights,
            snapshot.active_spent,
            snapshot.forecast,
            snapshot.positions,
            None if snapshot.active is None else snapshot.active.id,
        )
        if self._select_next is not None and snapshot.entry(self._select_next) is not None:
            table.select_id(self._select_next)
            self._select_next = None
        empty = not snapshot.ranked
        table.display = not empty
        self.query_one("#welcome").display = empty
        self.query_one(RemindersPane).show(snapshot)
        if empty:
            self.query_one(DetailPane).show_empty("Press a to capture the first interruption.")
        self._announce(snapshot.reminders_due)
        if previous is None:
            # Everything alive now lives as long as the app: keep it out of the cyclic
            # collector's full passes, which otherwise stall a keystroke now and then.
            gc.freeze()

    def _tick(self) -> None:
        """The clock and the running timer, advanced without touching the store."""
        snapshot = self.snapshot
        if snapshot is None:
            return
        now = self.desk.now()
        spent = snapshot.active_spent
        if snapshot.active is not None:
            since = snapshot.active_since or snapshot.now
            spent += max((now - since).total_seconds() / 60, 0.0)
            self.query_one(QueueTable).set_active_spent(spent)
        self.query_one(StatusLine).show(snapshot, now, spent)
        self._announce([r for r in snapshot.reminders_today if r.due_at <= now])

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
            self._say(f"Reminder: {clean(reminder.text)}{about}", "warning")
        notify_desktop = getattr(self.app, "notify_desktop", None)
        if notify_desktop is not None:
            notify_desktop([clean(reminder.text) for reminder in fresh])

    @on(QueueTable.Highlighted)
    def _highlighted(self, event: QueueTable.Highlighted) -> None:
        """Load the detail a moment after the cursor settles, not on every step of a scroll."""
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_SETTLE, lambda: self._load_detail(event.item_id))

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_detail(self, item_id: int | None) -> None:
        if item_id is None:
            return
        try:
            detail = self.desk.detail(item_id)
        except StoreError:
            return
        self.app.call_from_thread(self._show_detail, detail)

    def _show_detail(self, detail: Detail) -> None:
        snapshot = self.snapshot
        if snapshot is None:
            return
        entry = snapshot.entry(detail.item.id)
        rank = None if entry is None else entry.rank
        self._detail = detail
        self.query_one(DetailPane).show(
            detail, snapshot.now, self.desk.settings.weights, rank, snapshot.forecast
        )

    # --- running actions ---------------------------------------------------------------

    def _selected(self) -> ItemRecord | None:
        snapshot = self.snapshot
        item_id = self.query_one(QueueTable).selected_id
        entry = None if snapshot is None or item_id is None else snapshot.entry(item_id)
        if entry is None:
            self._say("Nothing selected: press a to capture something first.")
            return None
        return entry.item

    def _act(
        self,
        done: str | Callable[[Any], str],
        action: str,
        *args: Any,
        after: threading.Event | None = None,
        **kwargs: Any,
    ) -> None:
        """Run one store action in a worker, in key order, then redraw; a refusal is a
        notification. With ``after`` (the action is already on screen), the worker first
        waits (briefly) for that event, and re-ranks only once the keys pause."""
        self._run_act(self.desk.actions.ticket(), done, action, args, kwargs, after)

    @work(thread=True, group="act", exit_on_error=False)
    def _run_act(
        self,
        ticket: int,
        done: str | Callable[[Any], str],
        action: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        after: threading.Event | None,
    ) -> None:
        with self.desk.actions.turn(ticket, _worker_cancelled) as mine:
            if not mine:
                return
            if after is not None:
                after.wait(_FRAME_WAIT)
            try:
                result = self.desk.act(action, *args, **kwargs)
            except StoreError as error:
                self.app.call_from_thread(self._say, str(error), "warning")
                self.app.call_from_thread(self.reload)  # undo anything shown ahead of the store
                return
            message = done(result) if callable(done) else done
            # An action already on screen re-ranks when the keys pause: during a burst the
            # re-rank would only compete with the keys for the interpreter. Whichever action
            # is followed by another leaves the re-rank to the last.
            pause = _BURST_PAUSE if after is not None else 0.0
            followed = self.desk.actions.followed(ticket, pause)
            snapshot = None if followed else self.desk.snapshot_after_action()

            def finish() -> None:
                if action == "add" and result is not None:
                    self._select_next = result.id
                if snapshot is not None:
                    self._show(snapshot)
                    self._select_next = None  # shown and selected, or not in the queue
                if message:
                    self._say(message)

            self.app.call_from_thread(finish)

    def _say(self, message: str, severity: str = "information") -> None:
        """A notification; user text in it is never read as markup."""
        self.notify(message, severity=severity, markup=False)  # type: ignore[arg-type]

    def _with_item(self, run: Callable[[ItemRecord], object]) -> None:
        item = self._selected()
        if item is not None:
            run(item)

    def action_capture(self) -> None:
        ranked = self.snapshot.ranked if self.snapshot else []

        def save(line: str | None) -> None:
            if line:
                draft = parse(line, self.desk.now(), self.desk.settings)
                self._act(
                    lambda result: f"Captured #{result.id}", "add", ItemChanges.from_draft(draft)
                )

        self.app.push_screen(self._quick_add_for(ranked), save)

    def _quick_add_for(
        self, ranked: list[Ranked[ItemRecord]], *, title: str = "Capture", initial: str = ""
    ) -> QuickAdd:
        """The quick-add dialog, readied for this use (capture, or an edit)."""
        if self._quick_add is None:
            self._quick_add = QuickAdd(self.desk.now, self.desk.settings)
            self.app.install_screen(self._quick_add, f"quick-add-{id(self)}")
        return self._quick_add.prepare(ranked, title=title, initial=initial)

    def action_start(self) -> None:
        def start(item: ItemRecord) -> None:
            self._show_started(item)
            # The worker waits for that frame to be out: its write and re-rank would
            # otherwise hold the interpreter while the frame is drawn. It is started now,
            # all the same, so that a quit at once still waits for the start to be saved.
            drawn = threading.Event()
            self.call_after_refresh(drawn.set)
            self._act(f"Started #{item.id}", "start", item.id, after=drawn)

        self._with_item(start)

    def _show_started(self, item: ItemRecord) -> None:
        """Mark the item active (and the one in hand paused) on screen at once, while the
        worker writes it and re-ranks: the key answers in a frame, not after a re-rank of
        the whole queue. The worker's snapshot replaces this one (or, if the store refuses,
        a reload puts the screen back)."""
        snapshot = self.snapshot
        if snapshot is not None:
            self._show(snapshot.started(item.id, self.desk.now()))

    def action_pause(self) -> None:
        snapshot = self.snapshot
        active = snapshot.active if snapshot else None
        if active is None:
            self._say("Nothing is active: s starts the selected item.")
            return
        self._act(f"Paused #{active.id}", "pause", active.id)

    def action_done(self) -> None:
        self._with_item(lambda item: self._act(f"Done: #{item.id}", "done", item.id))

    def action_drop(self) -> None:
        def ask(item: ItemRecord) -> None:
            def drop(reason: str | None) -> None:
                if reason is not None:
                    self._act(f"Dropped #{item.id}", "drop", item.id, reason=reason or None)

            self.app.push_screen(ConfirmDrop(f"#{item.id} {clean(item.title)}"), drop)

        self._with_item(ask)

    def _ask_when(self, item: ItemRecord, title: str, action: str, done: str) -> None:
        def check(values: list[str]) -> datetime:
            return later_time(values[0], self.desk.now(), self.desk.settings.hours)

        def run(when: datetime | None) -> None:
            if when is not None:
                self._act(done, action, item.id, when)

        fields = [("When? 14:00, +2h, tomorrow 9:00, mon", "tomorrow 9:00", "")]
        self.app.push_screen(Prompt(title, fields, check), run)

    def action_defer(self) -> None:
        self._with_item(
            lambda item: self._ask_when(
                item, f"Defer #{item.id} until", "defer", f"Deferred #{item.id}"
            )
        )

    def action_wait(self) -> None:
        self._with_item(
            lambda item: self._act(f"#{item.id} is waiting on the customer", "wait", item.id)
        )

    def action_pin(self) -> None:
        self._with_item(
            lambda item: self._act(
                f"{'Unpinned' if item.pinned else 'Pinned'} #{item.id}",
                "pin",
                item.id,
                pinned=not item.pinned,
            )
        )

    def action_bump(self, steps: int) -> None:
        self._with_item(
            lambda item: self._act(f"Bumped #{item.id} {steps:+d}", "bump", item.id, steps)
        )

    def action_note(self) -> None:
        def ask(item: ItemRecord) -> None:
            def check(values: list[str]) -> str:
                return text_given(values[0], "a note")

            def run(text: str | None) -> None:
                if text:
                    self._act(f"Noted on #{item.id}", "note", item.id, text)

            self.app.push_screen(
                Prompt(f"Note on #{item.id}", [("Note", "Called back, no answer", "")], check), run
            )

        self._with_item(ask)

    def action_promise(self) -> None:
        def ask(item: ItemRecord) -> None:
            def check(values: list[str]) -> tuple[datetime, str]:
                when = later_time(values[0], self.desk.now(), self.desk.settings.hours)
                said = values[1].strip() or f"Promised for {when:%a %H:%M}"
                return when, said

            def run(result: tuple[datetime, str] | None) -> None:
                if result is not None:
                    when, said = result
                    self._act(
                        f"Promise on #{item.id} for {when:%H:%M}",
                        "note",
                        item.id,
                        said,
                        kind="promise",
                        due_at=when,
                    )

            fields = [
                ("By when?", "14:00", ""),
                ("What was promised", "I'll be with you by 14:00", ""),
            ]
            self.app.push_screen(
                Prompt(f"Promise to {clean(item.requester) or 'the customer'}", fields, check), run
            )

        self._with_item(ask)

    # --- interruptions -------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="advice", exit_on_error=False)
    def _advise(self, active: ItemRecord, newcomer: ItemRecord) -> None:
        advice = self.desk.advise(active, newcomer)
        if advice is not None:
            self.app.call_from_thread(self._offer_switch, advice, active, newcomer)

    def _offer_switch(self, advice: Advice, active: ItemRecord, newcomer: ItemRecord) -> None:
        """A banner, "Pause X for Y?", with one key to switch; or a quiet note to finish."""
        if not self._switch_still_open(active.id, newcomer.id):
            return  # the technician moved on while the advice was worked out
        if not advice.switch:
            self._say(f"Keep on: {clean(advice.reason)}")
            return
        self._switch_to = newcomer.id
        self._banner_for = active.id
        text = Text()
        text.append(
            f"Pause #{active.id} {clean(active.title)} for #{newcomer.id} {clean(newcomer.title)}?",
            style="bold",
        )
        text.append("  i switches, Esc keeps on — ")
        text.append(clean(advice.reason))
        banner = self.query_one("#interrupt", Static)
        banner.update(text)
        banner.add_class("-shown")

    def _switch_still_open(self, active_id: int, newcomer_id: int) -> bool:
        """Whether "pause ``active_id`` for ``newcomer_id``" still makes sense on screen."""
        snapshot = self.snapshot
        if snapshot is None or snapshot.active is None or snapshot.active.id != active_id:
            return False
        entry = snapshot.entry(newcomer_id)
        return entry is not None and entry.item.status == "open"

    def _drop_stale_banner(self, snapshot: Snapshot) -> None:
        """The banner goes once its question is moot: the job in hand changed, or the
        newcomer was started, finished or dropped another way."""
        offer, held = self._switch_to, self._banner_for
        if offer is not None and held is not None and not self._switch_still_open(held, offer):
            self._hide_banner()

    def _hide_banner(self) -> None:
        self._switch_to = self._banner_for = None
        self.query_one("#interrupt", Static).remove_class("-shown")

    def action_interrupt(self) -> None:
        target = self._switch_to
        if target is None:
            self._say("Nothing to switch to: the advice appears when something lands.")
            return
        self._hide_banner()
        self._act(f"Switched to #{target}", "start", target)

    def action_keep_on(self) -> None:
        if self._switch_to is not None:
            self._hide_banner()

    def action_tell(self) -> None:
        """Copy the sentence for the customer (OSC 52, so it works over SSH) and record
        that they were told, which also clears a broken promise's flag."""

        def run(item: ItemRecord) -> None:
            detail = self._detail
            if detail is None or detail.item.id != item.id or detail.tell is None:
                self._say("Nothing to tell for this item.", "warning")
                return
            self.app.copy_to_clipboard(detail.tell)
            self._act(
                f"Copied for {clean(item.requester) or 'the customer'}; contact noted",
                "note",
                item.id,
                f"Told them: {detail.tell}",
                kind="contact",
            )

        self._with_item(run)

    def action_remind(self) -> None:
        item_id = self.query_one(QueueTable).selected_id

        def check(values: list[str]) -> tuple[datetime, str]:
            when = later_time(values[0], self.desk.now(), self.desk.settings.hours)
            return when, text_given(values[1], "a reminder")

        def run(result: tuple[datetime, str] | None) -> None:
            if result is not None:
                when, text = result
                self._act(f"Reminder set for {when:%a %H:%M}", "remind", item_id, when, text)

        fields = [
            ("When?", "+30m, 16:00, tomorrow 9:00", ""),
            ("About what?", "Call Alice back", ""),
        ]
        title = f"Remind me about #{item_id}" if item_id else "Remind me"
        self.app.push_screen(Prompt(title, fields, check), run)

    def action_reminders(self) -> None:
        """Every pending reminder; y dismisses the highlighted one, s snoozes it."""
        self._open_reminders()

    @work(thread=True, group="reminders", exit_on_error=False)
    def _open_reminders(self) -> None:
        reminders = self.desk.reminders()
        self.app.call_from_thread(self._show_reminders, reminders)

    def _show_reminders(self, reminders: list[ReminderRecord]) -> None:
        def decide(decision: tuple[str, int] | None) -> None:
            if decision is None:
                return
            verb, reminder_id = decision
            if verb == "dismiss":
                self._act(f"Dismissed reminder {reminder_id}", "dismiss", reminder_id)
                return

            def check(values: list[str]) -> datetime:
                return later_time(values[0], self.desk.now(), self.desk.settings.hours)

            def snooze(until: datetime | None) -> None:
                if until is not None:
                    self._act(f"Snoozed until {until:%a %H:%M}", "snooze", reminder_id, until)

            fields = [("Until when? +15m, 16:00, tomorrow 9:00", "+15m", "+15m")]
            self.app.push_screen(Prompt(f"Snooze reminder {reminder_id}", fields, check), snooze)

        self.app.push_screen(RemindersDialog(reminders, self.desk.now()), decide)

    def action_vip(self) -> None:
        def toggle(item: ItemRecord) -> None:
            if not item.requester:
                self._say("This item has no requester: e edits it (from:NAME).", "warning")
                return
            vip = not item.requester_vip
            verb = "now VIP" if vip else "no longer VIP"
            self._act(f"{clean(item.requester)} is {verb}", "set_vip", item.requester, vip=vip)

        self._with_item(toggle)

    def action_edit(self) -> None:
        def ask(item: ItemRecord) -> None:
            line = _as_line(item)
            ranked = self.snapshot.ranked if self.snapshot else []

            def save(text: str | None) -> None:
                if text:
                    draft = parse(text, self.desk.now(), self.desk.settings)
                    changes = ItemChanges.replacing(draft)
                    self._act(f"Edited #{item.id}", "edit", item.id, changes)

            self.app.push_screen(
                self._quick_add_for(ranked, title=f"Edit #{item.id}", initial=line), save
            )

        self._with_item(ask)

    def action_undo(self) -> None:
        self._act(lambda result: f"Undid: {result}", "undo")

    def action_review(self) -> None:
        from techqueue.screens.review import ReviewScreen

        start, end = self.desk.today()

        def back(_: None) -> None:
            self.reload()

        self.app.push_screen(ReviewScreen(self.desk, start, end), back)

    def action_morning(self) -> None:
        self._show_morning(False)

    @work(thread=True, exclusive=True, group="morning", exit_on_error=False)
    def _show_morning(self, only_if_new_day: bool) -> None:
        """The start-of-day summary: on the first open of a new day, or when asked for."""
        morning = self.desk.morning(only_if_new_day=only_if_new_day)
        if only_if_new_day and morning.empty:
            return
        now = self.desk.now()

        def show() -> None:
            from techqueue.screens.morning import MorningSummary

            if only_if_new_day and self.app.screen is not self:
                return  # the technician is already elsewhere: the palette brings it back
            self.app.push_screen(MorningSummary(morning, now))
            self.reload()

        self.app.call_from_thread(show)

    def action_keys(self) -> None:
        self.app.push_screen(KeysScreen(self.key_list()))

    def key_list(self) -> list[tuple[str, str]]:
        """Every key of this screen with its description, as the keymap has it now."""
        return [
            *binding_rows(self.app, self.BINDINGS),
            ("↑ ↓ j k", "Move in the queue"),
            ("PgUp PgDn Home End", "Move by a page, to the top or bottom"),
            ("Ctrl+P", "Search every action (the command palette)"),
            ("Ctrl+Q", "Quit (Ctrl+C does not quit)"),
        ]


def _literal(word: str) -> str:
    """A title word that would read as a token, kept as a word with a backslash."""
    key = word.partition(":")[0].lower()
    looks_like_token = word[:1] in "@!~*#\\" or (":" in word and key in {"from", "due", "ref", "x"})
    return "\\" + word if looks_like_token and len(word) > 1 else word


def _worker_cancelled() -> bool:
    return get_current_worker().is_cancelled


def _as_line(item: ItemRecord) -> str:
    """The item written back as a quick-add line, for editing."""
    parts = [" ".join(_literal(word) for word in item.title.split(" "))]
    if item.requester:
        name = item.requester.replace('"', "'")
        parts.append(f'from:"{name}"' if " " in name else f"from:{name}")
    parts.append(f"!{item.severity}")
    parts.append(f"@{item.channel}")
    if item.own_estimate:
        minutes = item.own_estimate
        parts.append(f"~{minutes:g}m" if minutes >= 1 else f"~{round(minutes * 60)}s")
    if item.own_vip:
        parts.append("*vip")
    parts += [f"#{tag}" for tag in item.tags]
    if item.ref:
        parts.append(f"ref:{item.ref}" if " " not in item.ref else f'ref:"{item.ref}"')
    if item.impact > 1:
        parts.append(f"x:{item.impact}")
    if item.due_at:
        parts.append(f"due:{item.due_at.astimezone().isoformat(timespec='minutes')}")
    return " ".join(parts)
