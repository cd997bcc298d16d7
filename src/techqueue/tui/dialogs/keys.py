"""``?``: every key of the main screen, with what it does."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from techqueue.tui.dialogs.base import Dialog

__all__ = ["KeysScreen", "binding_rows", "key_label", "what_it_does"]


def key_label(app: Any, binding: Binding) -> str:
    """How the binding's keys read now, the user's keymap applied."""
    keys = binding.key
    keymap = getattr(app, "_keymap", {}) or {}
    if binding.id and binding.id in keymap:
        keys = keymap[binding.id]
    return ", ".join(app.get_key_display(Binding(key, binding.action)) for key in keys.split(","))


def what_it_does(binding: Binding) -> str:
    """The binding's longer help where it has one (the keys screen, the palette)."""
    return binding.tooltip or binding.description


def binding_rows(app: Any, bindings: Sequence[object]) -> list[tuple[str, str]]:
    """(keys, what it does) for each binding, as the keys screen lists them."""
    return [
        (key_label(app, binding), what_it_does(binding))
        for binding in bindings
        if isinstance(binding, Binding)
    ]


class KeysScreen(Dialog[None]):
    """Every key of a screen with what it does, as the keymap has them now."""

    DEFAULT_CSS = """
    KeysScreen > .dialog-box { max-width: 76; height: 90%; padding: 0 1; }
    """
    SCROLLS = True

    BINDINGS = [
        Binding("escape,question_mark,q", "cancel", "Close", id="keys.close"),
    ]

    def __init__(self, keys: Iterable[tuple[str, str]]) -> None:
        super().__init__("Keys (Escape closes)")
        self._keys = list(keys)

    def body(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold")
        table.add_column()
        for key, description in self._keys:
            table.add_row(Text(key), Text(description))
        yield Static(table)
