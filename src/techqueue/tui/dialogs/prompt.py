"""A small form of one or more lines (a note, a promise and its time, a reminder, a deferral).

The caller passes a check that turns the values into what it needs or raises ``ValueError``
with a message; the message is shown inline and nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, Static

from techqueue.core.timeparse import TimeParseError, WorkingHours, parse_when
from techqueue.tui.dialogs.base import Dialog
from techqueue.views.text import clean

__all__ = ["Prompt", "later_time", "text_given"]

Value = TypeVar("Value")


def text_given(value: str, what: str) -> str:
    """The text typed, stripped; a ``ValueError`` saying what needs it when it is blank."""
    if not value.strip():
        raise ValueError(f"{what} needs some text")
    return value.strip()


def later_time(text: str, now: datetime, hours: WorkingHours) -> datetime:
    """A time as typed (14:00, +2h, tomorrow 9:00, mon) that is still to come."""
    try:
        moment = parse_when(text, now, hours)
    except TimeParseError as error:
        raise ValueError(str(error)) from None
    if moment <= now:
        raise ValueError(f"{text.strip()!r} has already passed: give a later time")
    return moment


class Prompt(Dialog[Value]):
    """Dismisses with ``check(values)`` once it passes, or ``None`` on Escape."""

    DEFAULT_CSS = """
    Prompt Label { color: $text-muted; margin-top: 1; }
    Prompt #prompt-error { color: $error; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]

    def __init__(
        self,
        title: str,
        fields: Sequence[tuple[str, str, str]],
        check: Callable[[list[str]], Value],
    ) -> None:
        """``fields``: (label, placeholder, initial value) per line."""
        super().__init__(title)
        self._fields = list(fields)
        self._check = check

    def body(self) -> ComposeResult:
        for index, (label, placeholder, initial) in enumerate(self._fields):
            yield Label(Text(label))
            yield Input(value=initial, placeholder=placeholder, id=f"prompt-{index}")
        yield Static(id="prompt-error")

    def on_mount(self) -> None:
        self.query_one("#prompt-0", Input).focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is not inputs[-1]:
            inputs[inputs.index(event.input) + 1].focus()
            return
        values = [field.value for field in inputs]
        try:
            result = self._check(values)
        except ValueError as problem:
            self.query_one("#prompt-error", Static).update(Text(clean(str(problem))))
            return
        self.dismiss(result)
