"""The start of the day: what yesterday left behind, shown once before the queue."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from techqueue.tui.dialogs.base import Dialog
from techqueue.views.morning import DayStart, morning_lines

__all__ = ["MorningSummary", "morning_text"]


def morning_text(morning: DayStart, now: datetime) -> Text:
    """The summary as styled text; user text is appended, never parsed as markup."""
    text = Text()
    text.append(f"Good morning: {morning.day:%A %d %B}\n", style="bold")
    sections = morning_lines(morning, now)
    if not sections:
        text.append("\nNothing carried over, nothing due: a clean start.\n")
    for heading, lines in sections:
        text.append(f"\n{heading}\n", style="bold")
        for line in lines:
            text.append(f"  {line}\n")
    return text


class MorningSummary(Dialog[None]):
    """Dismissed with one key; the queue is behind it."""

    DEFAULT_CSS = """
    MorningSummary > .dialog-box { width: 90%; max-width: 100; max-height: 90%; padding: 0 2; }
    MorningSummary #morning-hint { color: $text-muted; margin-top: 1; }
    """
    SCROLLS = True

    BINDINGS = [
        Binding("escape,enter,space", "cancel", "To the queue", id="morning.close"),
    ]

    def __init__(self, morning: DayStart, now: datetime) -> None:
        super().__init__("Start of the day")
        self._morning = morning
        self._now = now

    def body(self) -> ComposeResult:
        yield Static(morning_text(self._morning, self._now), id="morning-body")
        yield Static(
            Text("Enter, Space or Escape: to the queue · m brings it back"), id="morning-hint"
        )
