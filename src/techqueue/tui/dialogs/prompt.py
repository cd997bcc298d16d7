"""A small form of one or more lines (a note, a promise and its time, a reminder, a deferral).

The caller passes a check that turns the values into what it needs or raises ``ValueError``
with a message; the message is shown inline and nothing typed is lost.

A time typed as people say it (``3pm``, ``fri``, ``mar 5``, ``in 2 hours``) can be read in more
than one way by the person typing it, so a prompt whose answer holds a time shows, as it is
typed, the time understood (``→ Tue 03 Mar 15:00``) under the first field — where every time
prompt asks for its time — before Enter commits to it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol, TypeVar, runtime_checkable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Label, Static

from techqueue.core.timeparse import TimeParseError, WorkingHours, format_when, parse_when
from techqueue.tui.dialogs.base import Dialog
from techqueue.views.text import clean

__all__ = ["Prompt", "later_time", "text_given"]

Value = TypeVar("Value")


@runtime_checkable
class _Clocked(Protocol):
    """A session with the app's clock (both of techqueue's apps have one)."""

    def now(self) -> datetime: ...


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
    Prompt #prompt-understood { color: $text-muted; height: auto; }
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
            if index == 0:
                yield Static(id="prompt-understood")
        yield Static(id="prompt-error")

    def on_mount(self) -> None:
        self.query_one("#prompt-0", Input).focus()
        self._show_understood()

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._show_understood()

    def _show_understood(self) -> None:
        """Under the first field, the time the answer so far holds, or nothing."""
        moment = self._understood([field.value for field in self.query(Input)])
        shown = self.query_one("#prompt-understood", Static)
        text = f"→ {self._say(moment)}" if moment is not None else ""
        if str(shown.content) != text:  # an update lays the dialog out again
            shown.update(Text(text))

    def _understood(self, values: list[str]) -> datetime | None:
        """The time in what ``check`` makes of ``values``: blank later fields are read as
        their placeholders (a reminder's text not yet written must not hide its time), a
        blank first field as nothing typed yet."""
        if not values or not values[0].strip():
            return None
        filled = [values[0]] + [
            value if value.strip() else placeholder
            for value, (_, placeholder, _) in zip(values[1:], self._fields[1:], strict=True)
        ]
        try:
            answer: object = self._check(filled)
        except ValueError:
            return None
        parts = answer if isinstance(answer, tuple) else (answer,)
        return next((part for part in parts if isinstance(part, datetime)), None)

    def _say(self, moment: datetime) -> str:
        """``today 15:00`` or ``Tue 03 Mar 15:00``, against the session's clock (the one the
        check read the time with); the full date when the app has no session."""
        session = getattr(self.app, "session", None)
        if isinstance(session, _Clocked):
            return format_when(moment, session.now())
        return f"{moment:%a %d %b %Y %H:%M}"

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
