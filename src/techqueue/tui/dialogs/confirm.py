"""Confirmations: dropping an item always asks first (with an optional reason); closing an
item that is not the one in hand asks whether that is really the one meant."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from techqueue.tui.dialogs.base import Dialog

__all__ = ["ConfirmAction", "ConfirmDrop", "LeftRunning"]


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


class LeftRunning(Dialog[bool | None]):
    """A timer still running past the end of its working day: only the technician knows
    whether the evening was worked. ``True`` on y (it ran on: keep counting), ``False`` on n
    (stop it at the end of the day), ``None`` on Escape (ask again later)."""

    DEFAULT_CSS = """
    LeftRunning > .dialog-box { width: 80%; max-width: 90; border: thick $warning; }
    LeftRunning #left-help { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("y", "worked", "Worked on", id="left.worked"),
        Binding("n", "stop", "Stop it then", id="left.stop"),
        Binding("escape", "cancel", "Later", id="left.later"),
    ]

    def __init__(self, lines: list[str], day_end: str) -> None:
        """``lines``: each timer, said; ``day_end``: when the working day ended (17:00)."""
        title = "A timer ran past the end of the day" if len(lines) == 1 else "Timers ran on"
        super().__init__(title)
        self._lines = lines
        self._day_end = day_end

    def body(self) -> ComposeResult:
        yield Static(Text("\n".join(self._lines)), id="left-timers")
        yield Static(Text(f"Did you work on after {self._day_end}?"), id="left-question")
        yield Static(
            Text(
                "y: yes, it ran on — count it until you stop it · "
                f"n: no, stop it at {self._day_end} · Escape: ask me later"
            ),
            id="left-help",
        )

    def action_worked(self) -> None:
        self.dismiss(True)

    def action_stop(self) -> None:
        self.dismiss(False)


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
