"""The top line: the clock (the injected one, so snapshots are stable) and the counts that
matter at a glance, with the item being worked on and its running timer."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from techqueue.core.timeparse import format_duration
from techqueue.views.board import Board
from techqueue.views.text import clean

__all__ = ["StatusLine"]


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine {
        dock: top;
        height: 1;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    """

    def show(self, board: Board, now: datetime | None = None, spent: float | None = None) -> None:
        """Draw the board's counts; ``now`` and ``spent`` advance the clock and the timer."""
        now = now or board.now
        spent = board.active_spent if spent is None else spent
        text = Text()
        text.append("techqueue ", style="bold")
        text.append(now.strftime("%a %d %b %H:%M"))
        text.append(f" · {board.open_count} open")
        if board.vip_waiting:
            text.append(f" · {board.vip_waiting} VIP waiting", style="bold")
        if board.forecast.broken:
            text.append(f" · {board.forecast.broken} promise broken", style="bold reverse")
        if board.forecast.at_risk:
            text.append(f" · {board.forecast.at_risk} promise at risk", style="bold")
        if board.promises_due_soon:
            text.append(f" · {board.promises_due_soon} promise due within 1 h", style="bold")
        if board.reminders_due:
            text.append(f" · {len(board.reminders_due)} reminder due", style="bold")
        if board.active is not None:
            shown = format_duration(spent) if spent else "0s"
            text.append(f"  ▶ #{board.active.id} {clean(board.active.title)} {shown}")
        self.update(text, layout=False)  # one line, docked: its size never changes
