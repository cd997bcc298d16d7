"""Dropping an item is the one action that asks first (with an optional reason)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from techqueue.tui.dialogs.base import Dialog

__all__ = ["ConfirmDrop"]


class ConfirmDrop(Dialog[str | None]):
    """Dismisses with the reason ("" for none) on Enter, ``None`` on Escape."""

    DEFAULT_CSS = """
    ConfirmDrop > .dialog-box { width: 70%; max-width: 80; border: thick $error; }
    """

    BINDINGS = [Binding("escape", "cancel", "Keep it", id="drop.cancel")]

    def __init__(self, label: str) -> None:
        super().__init__("Drop this item?")
        self._label = label

    def body(self) -> ComposeResult:
        yield Static(Text(f"Drop {self._label}? Enter drops it, Escape keeps it."))
        yield Input(placeholder="Why (optional): duplicate, solved itself …", id="drop-reason")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())
