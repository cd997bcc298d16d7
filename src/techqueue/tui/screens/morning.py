"""The start of the day: what yesterday left behind, shown once before the queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from techqueue.core.sweep import ESCALATE_STEPS, MOST_PROPOSED
from techqueue.tui.dialogs.base import Dialog
from techqueue.views.morning import DayStart, morning_lines

__all__ = ["MorningSummary", "morning_text"]


def morning_text(morning: DayStart, now: datetime, raised: frozenset[int] = frozenset()) -> Text:
    """The summary as styled text; user text is appended, never parsed as markup. The
    proposals to escalate already ``raised`` here are said so."""
    text = Text()
    text.append(f"Good morning: {morning.day:%A %d %B}\n", style="bold")
    sections = morning_lines(morning, now)
    if not sections:
        text.append("\nNothing carried over, nothing due: a clean start.\n")
    for heading, lines in sections:
        text.append(f"\n{heading}\n", style="bold")
        for line in lines:
            text.append(f"  {line}\n")
    if morning.escalate:
        text.append(
            f"\n1–{len(morning.escalate)}: raise that item worth escalating (a bump up)\n",
            style="dim",
        )
    if raised:
        text.append("Raised: " + ", ".join(f"#{item_id}" for item_id in sorted(raised)) + "\n")
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
        *(
            Binding(
                str(number),
                f"raise_item({number})",
                f"Raise {number}",
                show=False,
                id=f"morning.raise{number}",
                tooltip=f"Raise item {number} of those worth escalating",
            )
            for number in range(1, MOST_PROPOSED + 1)
        ),
    ]

    def __init__(
        self, morning: DayStart, now: datetime, bump: Callable[[int, int], None] | None = None
    ) -> None:
        super().__init__("Start of the day")
        self._morning = morning
        self._now = now
        self._bump = bump
        self.raised: set[int] = set()

    def body(self) -> ComposeResult:
        yield Static(morning_text(self._morning, self._now), id="morning-body")
        yield Static(
            Text("Enter, Space or Escape: to the queue · m brings it back"), id="morning-hint"
        )

    def action_raise_item(self, number: int) -> None:
        """Raise the ``number``-th item worth escalating, once (the main screen's bump)."""
        proposals = self._morning.escalate
        if self._bump is None or not 1 <= number <= len(proposals):
            return
        item_id = proposals[number - 1].id
        if item_id in self.raised:
            self.notify(f"#{item_id} is raised already", markup=False)
            return
        self.raised.add(item_id)
        self._bump(item_id, ESCALATE_STEPS)
        text = morning_text(self._morning, self._now, frozenset(self.raised))
        self.query_one("#morning-body", Static).update(text)
