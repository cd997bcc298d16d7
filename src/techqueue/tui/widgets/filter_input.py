"""The line the queue's filter is typed into (``/``): one row above the queue, shown while
the technician types. Escape clears the filter, Enter keeps it and goes back to the list, and
the arrows move in the list meanwhile."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import Input

__all__ = ["FilterInput"]


class FilterInput(Input):
    DEFAULT_CSS = """
    FilterInput { height: 1; border: none; padding: 0 1; background: $boost; }
    FilterInput:focus { border: none; background: $boost; }
    """

    BINDINGS = [
        Binding(
            "escape",
            "screen.clear_filter",
            "Clear filter",
            id="find.clear",
            tooltip="Clear the filter and go back to the whole queue",
        ),
        Binding("up", "screen.filter_step(-1)", "Up", show=False, id="find.up"),
        Binding("down", "screen.filter_step(1)", "Down", show=False, id="find.down"),
    ]

    def __init__(self, *, id: str | None = None, disabled: bool = False) -> None:
        super().__init__(
            placeholder="Find: title, requester, #tag, ref — Enter keeps it, Escape clears it",
            compact=True,
            id=id,
            disabled=disabled,
        )
