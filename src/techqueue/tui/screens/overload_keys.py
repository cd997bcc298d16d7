"""``O`` on the main screen: the overload list, and its ways out — defer with a promise, hand
off, raise, or copy what to tell them — each the same action the command line runs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import work

from techqueue import actions
from techqueue.desk import Desk
from techqueue.tui import dialogs
from techqueue.tui.dialogs.asks import ask_when
from techqueue.tui.screens.day_start import DayStart
from techqueue.views.board import Board
from techqueue.views.text import clean

if TYPE_CHECKING:
    from techqueue.tui.dialogs import OverloadDialog
    from techqueue.views.overload import OverloadLine, OverloadView  # (after the rows)

__all__ = ["OverloadKeys"]


class OverloadKeys(DayStart):
    """The main screen's keys, its start of the day, and its overload list."""

    def action_overload(self) -> None:
        """Who will wait past 3× their target, and the ways out."""
        self._open_overload()

    @work(thread=True, group="overload", exit_on_error=False)
    def _open_overload(self) -> None:
        view = self.session.overload()
        self.app.call_from_thread(self._show_overload, view)

    def _show_overload(self, view: OverloadView) -> None:
        from techqueue.tui.dialogs import OverloadDialog

        self.app.push_screen(OverloadDialog(view, self._decide_overload))

    def _decide_overload(self, dialog: OverloadDialog, decision: tuple[str, OverloadLine]) -> None:
        verb, line = decision
        item = line.item
        label = f"#{item.id} {clean(item.title)}"
        if verb == "raise":
            self._act_on_overload(
                dialog, lambda desk, now: actions.bump(desk, item.id, 1, now), f"Raised {label}"
            )
        elif verb == "tell":
            said = line.tell
            self.app.copy_to_clipboard(said)
            self._act_on_overload(
                dialog,
                lambda desk, now: actions.note(
                    desk, item.id, f"Told them: {said}", now, kind="contact"
                ),
                f"Copied for {clean(item.requester) or 'the customer'}; contact noted",
            )
        elif verb == "defer":

            def defer(until: datetime) -> None:
                self._act_on_overload(
                    dialog,
                    lambda desk, now: actions.defer_promised(desk, item.id, until, now),
                    f"Deferred {label} to {until:%a %H:%M}, and promised it",
                )

            start = line.expected_start.astimezone(self.session.now().tzinfo)
            ask_when(
                self,
                f"Defer {label}, and promise them the time",
                defer,
                label="Until when? (promised to them too)",
                placeholder="wed 10:00",
                initial=f"{start:%a %H:%M}".lower(),
            )
        elif verb == "handoff":

            def hand_off(to: str) -> None:
                self._act_on_overload(
                    dialog,
                    lambda desk, now: actions.handoff(desk, item.id, to, now),
                    f"Handed {label} off to {to}",
                )

            prompt = dialogs.Prompt(
                f"Hand {label} off",
                [("To whom?", "Sam, the service desk", "")],
                lambda values: dialogs.text_given(values[0], "a hand-off"),
            )
            self.app.push_screen(prompt, lambda to: hand_off(to) if to else None)

    def _act_on_overload(
        self, dialog: OverloadDialog, action: Callable[[Desk, datetime], object], done: str
    ) -> None:
        """Run ``action`` in its turn, then show the notice as it is in ``dialog`` and redraw
        the main screen from the store."""
        session = self.session

        def follow(_: object, ticket: int) -> tuple[Board | None, OverloadView]:
            board = None if session.actions.followed(ticket) else session.board_after_action()
            return board, session.overload()

        def show(_: object, followed: tuple[Board | None, OverloadView] | None) -> None:
            if followed is None:
                return
            board, view = followed
            if board is not None:
                self._show(board)
            if dialog in self.app.screen_stack:
                dialog.show(view)

        self.act(action, done, follow=follow, show=show, refused=self.reload)
