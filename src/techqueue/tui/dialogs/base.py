"""The one modal base: a bordered box in the middle of the screen, its title on the border,
closed with ``None`` by Escape (each dialog binds the key with an id of its own, so it can be
remapped), or with its typed value by :meth:`~textual.screen.Screen.dismiss`."""

from __future__ import annotations

from typing import ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen

from techqueue.tui.errors import ReportsWorkerErrors

__all__ = ["Dialog"]

Value = TypeVar("Value")


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
