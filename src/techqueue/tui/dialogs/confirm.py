"""Confirmations: dropping an item always asks first (with an optional reason); closing an
item that is not the one in hand asks whether that is really the one meant."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from techqueue.tui.dialogs.base import Dialog

__all__ = ["ConfirmAction", "ConfirmDrop"]


class ConfirmAction(Dialog[bool | None]):
    """A yes-or-no question: ``True`` on y or Enter, ``None`` on Escape (or n)."""

    DEFAULT_CSS = """
    ConfirmAction > .dialog-box { width: 70%; max-width: 80; border: thick $warning; }
    ConfirmAction #confirm-help { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("y,enter", "confirm", "Yes", id="confirm.yes"),
        Binding("escape,n", "cancel", "Keep it", id="confirm.no"),
    ]

    def __init__(self, title: str, question: str) -> None:
        super().__init__(title)
        self._question = question

    def body(self) -> ComposeResult:
        yield Static(Text(self._question), id="confirm-question")
        yield Static(Text("y or Enter: yes · Escape: no, keep it"), id="confirm-help")

    def action_confirm(self) -> None:
        self.dismiss(True)


class ConfirmDrop(Dialog[str | None]):
    """Dismisses with the reason ("" for none) on Enter, ``None`` on Escape."""

    DEFAULT_CSS = """
    ConfirmDrop > .dialog-box { width: 70%; max-width: 80; border: thick $error; }
    ConfirmDrop #drop-warning { color: $warning; text-style: bold; }
    """

    BINDINGS = [Binding("escape", "cancel", "Keep it", id="drop.cancel")]

    def __init__(self, label: str, warning: str | None = None) -> None:
        """``warning``: a line said before the question (it is not the one in hand)."""
        super().__init__("Drop this item?")
        self._label = label
        self._warning = warning

    def body(self) -> ComposeResult:
        if self._warning:
            yield Static(Text(self._warning), id="drop-warning")
        yield Static(Text(f"Drop {self._label}? Enter drops it, Escape keeps it."))
        yield Input(placeholder="Why (optional): duplicate, solved itself …", id="drop-reason")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())
