"""The main screen's keys that act on items: each asks what it needs (a time, a note, a
confirmation), then runs its action through the one runner, in key order, and redraws from
the store."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from textual import work

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.records import ItemRecord, ReminderRecord
from techqueue.scoring import Ranked
from techqueue.tui.dialogs.asks import (
    OutWith,
    ask_appointment,
    ask_drop,
    ask_note,
    ask_promise,
    ask_reminder,
    ask_solution,
    ask_sure,
    ask_waiting_on,
    ask_when,
)
from techqueue.tui.runner import RunsActions
from techqueue.tui.widgets import QueueTable
from techqueue.views.board import Board
from techqueue.views.text import clean

if TYPE_CHECKING:  # (the quick-add parser and the item view load when first used)
    from techqueue.core.quickadd import Draft
    from techqueue.tui.dialogs import QuickAdd, RemindersDialog
    from techqueue.views.item import ItemDetail

__all__ = ["BURST_PAUSE", "ItemKeys"]

R = TypeVar("R")

#: How long the keys must pause before an action shown ahead of the store re-ranks (seconds).
#: A quarter of a second: keys pressed in one go (start, down, start) come closer than that,
#: and a re-rank of a long queue between them competes with their frames for the interpreter.
BURST_PAUSE = 0.25


class ItemKeys(RunsActions):
    """The acting half of the main screen (the showing half is :class:`MainScreen`)."""

    board: Board | None
    _detail: ItemDetail | None
    _quick_add: QuickAdd | None
    _select_next: int | None
    _kept: dict[str, str]

    def _show(self, board: Board) -> None:
        """Draw ``board`` (the main screen's)."""
        raise NotImplementedError

    def reload(self) -> object:
        """Read the board afresh and draw it (the main screen's)."""
        raise NotImplementedError

    def _selected(self) -> ItemRecord | None:
        board = self.board
        item_id = self.query_one(QueueTable).selected_id
        entry = None if board is None or item_id is None else board.entry(item_id)
        if entry is None:
            if board is not None and board.ranked:
                self.say("Nothing matches the filter: Escape clears it.")
            else:
                self.say("Nothing selected: press a to capture something first.")
            return None
        return entry.item

    def _with_item(self, run: Callable[[ItemRecord], object]) -> None:
        item = self._selected()
        if item is not None:
            run(item)

    def _not_in_hand(self, item: ItemRecord) -> str | None:
        """What to say before closing ``item`` when it is not the one in hand while one is
        (the cursor may have moved off it); ``None`` when there is nothing to say."""
        active = self.board.active if self.board else None
        if active is None or active.id == item.id:
            return None
        return f"It is not the one in hand (#{active.id} {clean(active.title)})."

    def _ask_if_not_in_hand(
        self, item: ItemRecord, question: str, then: Callable[[], None]
    ) -> None:
        """Run ``then`` (it closes ``item``, or puts it aside), asking ``question`` first when
        the item is not the one in hand while one is."""
        warning = self._not_in_hand(item)
        if warning is None:
            then()
        else:
            ask_sure(self, "Not the one in hand", f"{question} {warning}", then)

    def _act_and_rerank(
        self,
        action: Callable[[Desk, datetime], R],
        done: str | Callable[[R], str],
        *,
        shown: threading.Event | None = None,
        select: Callable[[R], int] | None = None,
        typed: tuple[str, str] | None = None,
    ) -> None:
        """Run ``action`` in its turn, then redraw from the store. With ``shown`` (the action
        is already on screen) it re-ranks only once the keys pause; with ``select`` the item it
        names is selected once drawn; with ``typed`` (what it was typed for, and the text),
        the text is kept if the store refuses the action (a full disk, a store deleted
        underneath), for the next try of the same key."""
        pause = BURST_PAUSE if shown is not None else 0.0

        def follow(_: R, ticket: int) -> Board | None:
            # An action already on screen re-ranks when the keys pause: during a burst the
            # re-rank would only compete with the keys for the interpreter. Whichever action
            # is followed by another leaves the re-rank to the last.
            if self.session.actions.followed(ticket, pause):
                return None
            return self.session.board_after_action()

        def show(result: R, board: Board | None) -> None:
            if select is not None:
                self._select_next = select(result)
            if board is not None:
                self._show(board)
                self._select_next = None  # shown and selected, or not in the queue

        def refused() -> None:
            self.reload()
            if typed is not None:
                self._kept[typed[0]] = typed[1]
                self.say("Not saved; what you typed is kept for the next try.", "warning")

        self.act(action, done, follow=follow, show=show, refused=refused, after=shown)

    def action_capture(self) -> None:
        ranked = self.board.ranked if self.board else []
        dialog = self._quick_add_for(ranked, initial=self._kept.pop("capture", ""))

        def save(draft: Draft | None) -> None:
            if draft is not None:
                fields = ItemFields.from_draft(draft)
                self._act_and_rerank(
                    lambda desk, now: actions.add(desk, fields, now),
                    lambda added: f"Captured #{added.item.id}",
                    select=lambda added: added.item.id,
                    typed=("capture", dialog.line),
                )

        self.app.push_screen(dialog, save)

    def _quick_add_for(
        self,
        ranked: list[Ranked[ItemRecord]],
        *,
        title: str = "Capture",
        initial: str = "",
        editing: ItemRecord | None = None,
    ) -> QuickAdd:
        """The quick-add dialog, readied for this use (capture, or an edit of ``editing``)."""
        if self._quick_add is None:
            from techqueue.tui.dialogs import QuickAdd

            self._quick_add = QuickAdd(self.session.now, self.session.settings)
            self.app.install_screen(self._quick_add, f"quick-add-{id(self)}")
        history = self.session.last_history
        return self._quick_add.prepare(
            ranked, title=title, initial=initial, editing=editing, history=history
        )

    def action_start(self) -> None:
        def start(item: ItemRecord) -> None:
            self._show_started(item)
            # The worker waits for that frame to be out: its write and re-rank would
            # otherwise hold the interpreter while the frame is drawn. It is started now,
            # all the same, so that a quit at once still waits for the start to be saved.
            drawn = threading.Event()
            self.call_after_refresh(drawn.set)
            self._act_and_rerank(
                lambda desk, now: actions.start(desk, item.id, now),
                f"Started #{item.id}",
                shown=drawn,
            )

        self._with_item(start)

    def _show_started(self, item: ItemRecord) -> None:
        """Mark the item active (and the one in hand paused) on screen at once, while the
        worker writes it and re-ranks: the key answers in a frame, not after a re-rank of
        the whole queue. The worker's board replaces this one (or, if the store refuses,
        a reload puts the screen back)."""
        board = self.board
        if board is not None:
            self._show(board.started(item.id, self.session.now()))

    def action_pause(self) -> None:
        active = self.board.active if self.board else None
        if active is None:
            self.say("Nothing is active: s starts the selected item.")
            return
        self._act_and_rerank(
            lambda desk, now: actions.pause(desk, active.id, now), f"Paused #{active.id}"
        )

    def action_done(self) -> None:
        def done(item: ItemRecord) -> None:
            self._ask_if_not_in_hand(
                item,
                f"Mark #{item.id} done?",
                lambda: self._act_and_rerank(
                    lambda desk, now: actions.done(desk, item.id, now), f"Done: #{item.id}"
                ),
            )

        self._with_item(done)

    def action_done_solved(self) -> None:
        """Done, keeping one line on how it was solved (shown on similar items later)."""

        def ask(item: ItemRecord) -> None:
            def done(solution: str | None) -> None:
                self._act_and_rerank(
                    lambda desk, now: actions.done(desk, item.id, now, solution),
                    f"Done: #{item.id}" + (", solution kept" if solution else ""),
                )

            self._ask_if_not_in_hand(
                item,
                f"Mark #{item.id} done?",
                lambda: ask_solution(self, f"Done: #{item.id} {clean(item.title)}", done),
            )

        self._with_item(ask)

    def action_drop(self) -> None:
        def ask(item: ItemRecord) -> None:
            def drop(reason: str | None) -> None:
                self._act_and_rerank(
                    lambda desk, now: actions.drop(desk, item.id, now, reason),
                    f"Dropped #{item.id}",
                )

            ask_drop(self, f"#{item.id} {clean(item.title)}", drop, warning=self._not_in_hand(item))

        self._with_item(ask)

    def action_defer(self) -> None:
        def ask(item: ItemRecord) -> None:
            def defer(when: datetime) -> None:
                self._act_and_rerank(
                    lambda desk, now: actions.defer(desk, item.id, when, now),
                    f"Deferred #{item.id}",
                )

            self._ask_if_not_in_hand(
                item,
                f"Put #{item.id} aside?",
                lambda: ask_when(self, f"Defer #{item.id} until", defer),
            )

        self._with_item(ask)

    def action_appoint(self) -> None:
        """Book a slot with the customer (or, for an item booked already, move it)."""

        def ask(item: ItemRecord) -> None:
            def book(when: datetime, minutes: float | None) -> None:
                self._act_and_rerank(
                    lambda desk, now: actions.appoint(desk, item.id, when, now, minutes),
                    f"Booked #{item.id} for {when:%a %H:%M}",
                )

            ask_appointment(self, f"Book a slot for #{item.id} {clean(item.title)}", book)

        self._with_item(ask)

    def action_wait(self) -> None:
        def wait(item: ItemRecord) -> None:
            self._ask_if_not_in_hand(
                item,
                f"Mark #{item.id} waiting on the customer?",
                lambda: self._act_and_rerank(
                    lambda desk, now: actions.wait(desk, item.id, now),
                    f"#{item.id} is waiting on the customer",
                ),
            )

        self._with_item(wait)

    def action_wait_on(self) -> None:
        """Out with someone else (a vendor, a colleague), with a reminder to chase them."""

        def ask(item: ItemRecord) -> None:
            def out(answer: OutWith) -> None:
                self._act_and_rerank(
                    lambda desk, now: actions.wait_on(
                        desk, item.id, answer.who, answer.kind, now, answer.chase
                    ),
                    f"#{item.id} is out with {clean(answer.who)}",
                )

            self._ask_if_not_in_hand(
                item,
                f"Put #{item.id} out with someone else?",
                lambda: ask_waiting_on(self, f"#{item.id} {clean(item.title)}: out with", out),
            )

        self._with_item(ask)

    def action_pin(self) -> None:
        def pin(item: ItemRecord) -> None:
            pinned = not item.pinned
            self._act_and_rerank(
                lambda desk, now: actions.pin(desk, item.id, now, pinned=pinned),
                f"{'Pinned' if pinned else 'Unpinned'} #{item.id}",
            )

        self._with_item(pin)

    def action_bump(self, steps: int) -> None:
        self._with_item(lambda item: self.bump_item(item.id, steps))

    def bump_item(self, item_id: int, steps: int) -> None:
        """Bump an item up or down: ``+``/``-`` on the selected one, and a proposal of the
        escalation sweep raised from the morning summary, the one way."""
        self._act_and_rerank(
            lambda desk, now: actions.bump(desk, item_id, steps, now),
            f"Bumped #{item_id} {steps:+d}",
        )

    def action_note(self) -> None:
        def ask(item: ItemRecord) -> None:
            key = f"note {item.id}"

            def note(text: str) -> None:
                self._act_and_rerank(
                    lambda desk, now: actions.note(desk, item.id, text, now),
                    f"Noted on #{item.id}",
                    typed=(key, text),
                )

            ask_note(self, f"Note on #{item.id}", note, initial=self._kept.pop(key, ""))

        self._with_item(ask)

    def action_promise(self) -> None:
        def ask(item: ItemRecord) -> None:
            def promise(when: datetime, said: str) -> None:
                self._act_and_rerank(
                    lambda desk, now: actions.note(
                        desk, item.id, said, now, kind="promise", due_at=when
                    ),
                    f"Promise on #{item.id} for {when:%H:%M}",
                )

            ask_promise(self, f"Promise to {clean(item.requester) or 'the customer'}", promise)

        self._with_item(ask)

    def action_tell(self) -> None:
        """Copy the sentence for the customer (OSC 52, so it works over SSH) and record
        that they were told, which also clears a broken promise's flag."""

        def run(item: ItemRecord) -> None:
            detail = self._detail
            if detail is None or detail.item.id != item.id or detail.tell is None:
                self.say("Nothing to tell for this item.", "warning")
                return
            self._copy_and_note(item, detail.tell)

        self._with_item(run)

    def _copy_and_note(self, item: ItemRecord, said: str, what: str = "") -> None:
        """Copy ``said`` (OSC 52, so it works over SSH) and record that the customer was told
        it: the one path of ``c`` (what to tell them) and ``A`` (a canned answer)."""
        self.app.copy_to_clipboard(said)
        self._act_and_rerank(
            lambda desk, now: actions.note(
                desk, item.id, f"Told them: {said}", now, kind="contact"
            ),
            f"Copied{what} for {clean(item.requester) or 'the customer'}; contact noted",
        )

    def action_answer(self) -> None:
        """Fill in the canned answer for the item's tag (the config's ``[answers]``), copy
        it, and record it as a contact."""

        def run(item: ItemRecord) -> None:
            from techqueue.views.answers import filled

            detail = self._detail
            if detail is None or detail.item.id != item.id:
                self.say("One moment: the item is still loading.", "warning")
                return
            answer = filled(detail.item, detail.forecast, self.session.settings)
            if answer is None:
                self.say("No canned answer fits: add one to the config's [answers].", "warning")
                return
            self._copy_and_note(item, answer.text, f" the {answer.key} answer")

        self._with_item(run)

    def action_remind(self) -> None:
        item_id = self.query_one(QueueTable).selected_id

        def remind(when: datetime, text: str) -> None:
            self._act_and_rerank(
                lambda desk, now: actions.remind(desk, item_id, when, text, now),
                f"Reminder set for {when:%a %H:%M}",
            )

        ask_reminder(self, f"Remind me about #{item_id}" if item_id else "Remind me", remind)

    def action_reminders(self) -> None:
        """Every pending reminder; y dismisses the highlighted one, s snoozes it."""
        self._open_reminders()

    @work(thread=True, group="reminders", exit_on_error=False)
    def _open_reminders(self) -> None:
        reminders = self.session.reminders()
        self.app.call_from_thread(self._show_reminders, reminders)

    def _show_reminders(self, reminders: list[ReminderRecord]) -> None:
        from techqueue.tui.dialogs import RemindersDialog

        dialog = RemindersDialog(reminders, self.session.now(), self._decide_reminder)
        self.app.push_screen(dialog)

    def _decide_reminder(self, dialog: RemindersDialog, decision: tuple[str, int]) -> None:
        """Dismiss or snooze (after asking until when); the list stays open and shows it."""
        verb, reminder_id = decision
        if verb == "dismiss":
            self._act_on_reminder(
                dialog,
                lambda desk, now: actions.dismiss(desk, reminder_id, now),
                f"Dismissed reminder {reminder_id}",
            )
            return

        def snooze(until: datetime) -> None:
            self._act_on_reminder(
                dialog,
                lambda desk, now: actions.snooze(desk, reminder_id, until, now),
                f"Snoozed until {until:%a %H:%M}",
            )

        ask_when(
            self,
            f"Snooze reminder {reminder_id}",
            snooze,
            label="Until when? +15m, 16:00, tomorrow 9:00",
            placeholder="+15m",
            initial="+15m",
        )

    def _act_on_reminder(
        self, dialog: RemindersDialog, action: Callable[[Desk, datetime], object], done: str
    ) -> None:
        """Run ``action`` in its turn, then show the reminders as they are in ``dialog`` and
        redraw the main screen from the store."""
        session = self.session

        def follow(_: object, ticket: int) -> tuple[Board | None, list[ReminderRecord]]:
            board = None if session.actions.followed(ticket) else session.board_after_action()
            return board, session.reminders()

        def show(_: object, followed: tuple[Board | None, list[ReminderRecord]] | None) -> None:
            if followed is None:
                return
            board, reminders = followed
            if board is not None:
                self._show(board)
            if dialog in self.app.screen_stack:
                dialog.show(reminders, session.now())

        def refused() -> None:
            self.reload()
            self._refresh_reminders(dialog)

        self.act(action, done, follow=follow, show=show, refused=refused)

    @work(thread=True, group="reminders", exit_on_error=False)
    def _refresh_reminders(self, dialog: RemindersDialog) -> None:
        reminders = self.session.reminders()

        def show() -> None:
            if dialog in self.app.screen_stack:
                dialog.show(reminders, self.session.now())

        self.app.call_from_thread(show)

    def action_vip(self) -> None:
        def toggle(item: ItemRecord) -> None:
            requester = item.requester
            if not requester:
                self.say("This item has no requester: e edits it (from:NAME).", "warning")
                return
            vip = not item.requester_vip
            verb = "now VIP" if vip else "no longer VIP"
            self._act_and_rerank(
                lambda desk, now: actions.set_vip(desk, requester, now, vip=vip),
                f"{clean(requester)} is {verb}",
            )

        self._with_item(toggle)

    def action_edit(self) -> None:
        def ask(item: ItemRecord) -> None:
            # Shown in an input, drawn as it is: a stored title's control characters go.
            from techqueue.core.quickadd import as_line

            line = clean(as_line(item, self.session.now().tzinfo))
            ranked = self.board.ranked if self.board else []

            def save(draft: Draft | None) -> None:
                if draft is not None:
                    fields = ItemFields.replacing(draft)
                    self._act_and_rerank(
                        lambda desk, now: actions.edit(desk, item.id, fields, now),
                        f"Edited #{item.id}",
                    )

            title = f"Edit #{item.id}"
            dialog = self._quick_add_for(ranked, title=title, initial=line, editing=item)
            self.app.push_screen(dialog, save)

        self._with_item(ask)

    def action_undo(self) -> None:
        self._act_and_rerank(actions.undo, lambda undone: f"Undid: {undone}")
