"""Reminders: what is due now (with its date when that was an earlier day, so a reminder
from last week is not read as this morning's), and what is coming later today."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from techqueue.views.board import Board
from techqueue.views.text import clean, when

__all__ = ["RemindersPane"]


class RemindersPane(Static):
    DEFAULT_CSS = """
    RemindersPane { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: Text | None = None

    def on_mount(self) -> None:
        self.border_title = "Reminders"

    def show(self, board: Board) -> None:
        text = Text()
        nothing = not (
            board.reminders_due or board.reminders_today or board.nudges or board.appointments
        )
        if nothing and board.nudges_known:  # (the first board has not looked for nudges)
            text.append("Nothing due today. r sets a reminder, L lists them.", style="dim")
        for slot, item in board.appointments:  # a time given to a customer: first to see
            text.append("BOOKED", style="bold reverse")
            start = slot.start.astimezone(board.now.tzinfo)
            end = slot.end.astimezone(board.now.tzinfo)
            text.append(f" {start:%H:%M}–{end:%H:%M} #{item.id} {clean(item.title)}")
            if item.requester:
                text.append(f" ({clean(item.requester)})")
            text.append("\n")
        for reminder in board.reminders_due:
            text.append("DUE ", style="bold reverse")
            text.append(f" {when(reminder.due_at, board.now)} ")  # an earlier day: its date
            text.append(clean(reminder.text) + "\n")
        for nudge in board.nudges:
            text.append("UPDATE", style="bold reverse")
            text.append(f" {clean(nudge.text(board.now))}\n")
        if board.nudge_count > len(board.nudges):
            more = board.nudge_count - len(board.nudges)
            text.append(f"… and {more} more to update (remind --due lists them)\n", style="dim")
        for reminder in board.reminders_today:
            text.append(f"{when(reminder.due_at, board.now)} ", style="dim")
            text.append(clean(reminder.text) + "\n")
        if text != self._shown:  # drawing the same again costs a few milliseconds
            self._shown = text
            self.update(text, layout=False)  # its size is the layout's, not the text's
