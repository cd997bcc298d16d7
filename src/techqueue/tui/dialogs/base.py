"""The one modal base: a bordered box in the middle of the screen, its title on the border,
closed with ``None`` by Escape (each dialog binds the key with an id of its own, so it can be
remapped), or with its typed value by :meth:`~textual.screen.Screen.dismiss`."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input

from techqueue.tui.errors import ReportsWorkerErrors

__all__ = ["Dialog", "PastedAhead", "TypedAhead", "mark_typed_beneath", "pass_typed_ahead"]

Value = TypeVar("Value")


class TypedAhead(events.Key):
    """A key typed before the dialog it was meant for was on screen, passed on to it."""


class PastedAhead(Message):
    """Text pasted before the dialog it was meant for was on screen, passed on to it."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


#: The mark on a key that went through a screen beneath the dialogs (the queue, the review).
_BENEATH = "_techqueue_typed_beneath"


def mark_typed_beneath(event: events.Key | events.Paste) -> None:
    """Called by the screens that open dialogs, for every key that reaches them."""
    setattr(event, _BENEATH, True)


def pass_typed_ahead(app: App[Any], event: events.Key | events.Paste) -> None:
    """Keys typed straight after the one that opens a dialog (``a`` then a whole line, or a
    paste) were already on their way to the screen beneath when the dialog opened: Textual
    runs the binding only once the key has bubbled back to the app, after the keys behind it
    were handed to the old screen. Back at the app, such a key (or text pasted in one event,
    by a terminal with bracketed paste) is passed on to the dialog now on top, in order,
    rather than lost. A key from within the dialog is left alone."""
    top = app.screen
    if not getattr(event, _BENEATH, False) or not isinstance(top, Dialog):
        return
    if isinstance(event, events.Paste):
        top.post_message(PastedAhead(event.text))
    else:
        top.post_message(TypedAhead(event.key, event.character))


class Dialog(ReportsWorkerErrors, ModalScreen[Value]):
    """A modal box; subclasses give its :meth:`body` and, where they differ, its size."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > .dialog-box {
        width: 80%;
        max-width: 90;
        height: auto;
        border: thick $accent;
        background: $panel;
        padding: 1 2;
    }
    """

    #: The app's quit, here too (an app's own keys do not reach past a modal screen): the same
    #: id, so a keymap that moves quit moves it here as well.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit_app", "Quit", show=False, id="quit")
    ]

    #: Whether the box scrolls (long contents: the keys, the morning summary).
    SCROLLS: ClassVar[bool] = False

    def __init__(self, title: str = "") -> None:
        super().__init__()
        #: The title on the box's border (user text in it is shown as typed, never markup).
        self.box_title = title

    def compose(self) -> ComposeResult:
        box = VerticalScroll if self.SCROLLS else Vertical
        with box(classes="dialog-box") as container:
            container.border_title = (
                Text(self.box_title) if isinstance(self.box_title, str) else self.box_title
            )
            yield from self.body()

    def body(self) -> ComposeResult:
        """The widgets inside the box."""
        yield from ()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_mount(self) -> None:
        #: Each line's text as the dialog opened with it (the edit's line, a snooze's
        #: "+15m"): only what was typed since is held back from a quit.
        self._opened_with = {id(field): field.value for field in self.query(Input)}

    async def action_quit_app(self) -> None:
        """Quit from the dialog as from the queue, unless that would throw away a line typed
        into it: then say how to keep or drop it first (nothing typed is lost unasked)."""
        opened_with = getattr(self, "_opened_with", {})
        if any(
            field.value.strip() and field.value != opened_with.get(id(field))
            for field in self.query(Input)
        ):
            self.notify(
                "Enter saves what you typed, Escape drops it; then quit.",
                title="Not quitting yet",
                severity="warning",
                markup=False,
            )
            return
        await self.app.run_action("quit")

    def on_typed_ahead(self, event: TypedAhead) -> None:
        """A key typed before this dialog was on screen goes into its line, if it has one (a
        one-key question is never answered by a key typed before it was asked)."""
        event.stop()
        fields = self.query(Input)
        if not fields:
            return
        field = fields.first()
        if self.focused is not field:
            field.focus()
        if event.key == "enter":
            self.call_later(field.action_submit)
        elif event.key == "backspace":
            field.action_delete_left()
        elif event.is_printable and event.character is not None:
            field.insert_text_at_cursor(event.character)

    def on_pasted_ahead(self, event: PastedAhead) -> None:
        """Text pasted before this dialog was on screen goes into its line, if it has one,
        as the line takes a paste (its first line only), in turn with the keys typed
        ahead."""
        event.stop()
        fields = self.query(Input)
        lines = event.text.splitlines()
        if not fields or not lines:
            return
        field = fields.first()
        if self.focused is not field:
            field.focus()
        field.insert_text_at_cursor(lines[0])
