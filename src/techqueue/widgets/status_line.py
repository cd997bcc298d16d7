"""The top line: the clock (the injected one, so snapshots are stable) and the counts that
matter at a glance, with the item being worked on and its running timer."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from techqueue.core.timeparse import format_duration
from techqueue.desk import Snapshot
from techqueue.display import clean

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

    def show(
        self, snapshot: Snapshot, now: datetime | None = None, spent: float | None = None
    ) -> None:
        """Draw the snapshot's counts; ``now`` and ``spent`` advance the clock and the timer."""
        now = now or snapshot.now
        spent = snapshot.active_spent if spent is None else spent
        text = Text()
        text.append("techqueue ", style="bold")
        text.append(now.strftime("%a %d %b %H:%M"))
        text.append(f" · {snapshot.open_count} open")
        if snapshot.vip_waiting:
            text.append(f" · {snapshot.vip_waiting} VIP waiting", style="bold")
        if snapshot.forecast.broken:
            text.append(f" · {snapshot.forecast.broken} promise broken", style="bold reverse")
        if snapshot.forecast.at_risk:
            text.append(f" · {snapshot.forecast.at_risk} promise at risk", style="bold")
        if snapshot.promises_due_soon:
            text.append(f" · {snapshot.promises_due_soon} promise due within 1 h", style="bold")
        if snapshot.reminders_due:
            text.append(f" · {len(snapshot.reminders_due)} reminder due", style="bold")
        if snapshot.active is not None:
            shown = format_duration(spent) if spent else "0s"
            text.append(f"  ▶ #{snapshot.active.id} {clean(snapshot.active.title)} {shown}")
        self.update(text, layout=False)  # one line, docked: its size never changes
