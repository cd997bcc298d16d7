"""``E`` on the main screen: the recurring rules (``recurring``), and ending one (``stop``)
through the same action the command line runs, asked first."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import work

from techqueue import actions
from techqueue.tui.dialogs.asks import ask_sure
from techqueue.tui.screens.overload_keys import OverloadKeys
from techqueue.views.board import Board
from techqueue.views.text import clean

if TYPE_CHECKING:
    from techqueue.tui.dialogs.recurring import RecurringDialog
    from techqueue.views.recurring import Recurring  # (read when the rules are asked for)

__all__ = ["RecurringKeys"]


class RecurringKeys(OverloadKeys):
    """The main screen's keys, its overload list, and its list of recurring rules."""

    def action_recurring(self) -> None:
        """The recurring rules, and a key to end one."""
        self._open_recurring()

    @work(thread=True, group="recurring", exit_on_error=False)
    def _open_recurring(self) -> None:
        rules, now = self.session.recurring()
        self.app.call_from_thread(self._show_recurring, rules, now)

    def _show_recurring(self, rules: list[Recurring], now: datetime) -> None:
        from techqueue.tui.dialogs.recurring import RecurringDialog

        self.app.push_screen(RecurringDialog(rules, now, self._end_recurring))

    def _end_recurring(self, dialog: RecurringDialog, entry: Recurring) -> None:
        rule_id = entry.rule.id
        label = f"every {clean(entry.rule.rule)}: {clean(entry.title)}"
        session = self.session

        def stop() -> None:
            def follow(_: object, ticket: int) -> tuple[Board | None, list[Recurring], datetime]:
                board = None if session.actions.followed(ticket) else session.board_after_action()
                return (board, *session.recurring())

            def show(
                _: object, followed: tuple[Board | None, list[Recurring], datetime] | None
            ) -> None:
                if followed is None:
                    return
                board, rules, now = followed
                if board is not None:
                    self._show(board)
                if dialog in self.app.screen_stack:
                    dialog.show(rules, now)

            self.act(
                lambda desk, now: actions.stop_recurring(desk, rule_id, now),
                f"Ended recurring {rule_id} ({label})",
                follow=follow,
                show=show,
                refused=self.reload,
            )

        ask_sure(
            self,
            f"End recurring {rule_id}?",
            f"No more instances of {label}. One waiting for its time is dropped with it; "
            "one already in the queue stays.",
            stop,
        )
