"""The top line: the clock (the injected one, so snapshots are stable) and the counts that
matter at a glance, with the item being worked on and its running timer.

The line is one row tall, so what does not fit is cut -- never the running timer: the item
in hand's title gives way first, then the counts."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from techqueue.core.timeparse import format_duration
from techqueue.views.board import Board
from techqueue.views.text import clean

__all__ = ["StatusLine", "status_text"]

#: The fewest cells of the item in hand's title worth showing (less, and it goes).
_TITLE_LEAST = 4
#: Between the counts and the item in hand.
_GAP = "  "


def _cut(text: Text, width: int) -> Text:
    """``text`` in at most ``width`` cells, its end cut with "…" when it is longer."""
    if text.cell_len <= width:
        return text
    cut = text.copy()
    cut.truncate(max(width, 0), overflow="ellipsis")
    return cut


def status_text(
    board: Board,
    now: datetime,
    spent: float,
    width: int | None = None,
    filtered: tuple[str, int] | None = None,
) -> Text:
    """The header for ``board`` in ``width`` cells (no limit when ``None``); ``filtered``
    (the filter's text and how many items it shows) says a filter is on."""
    counts = Text()
    counts.append("techqueue ", style="bold")
    counts.append(now.strftime("%a %d %b %H:%M"))
    if filtered is not None:
        needle, shown = filtered
        counts.append(" · ")
        counts.append(
            f"filter: {clean(needle)} — {shown} of {len(board.ranked)}", style="bold reverse"
        )
    counts.append(f" · {board.open_count} open")
    if board.vip_waiting:
        counts.append(f" · {board.vip_waiting} VIP waiting", style="bold")
    if board.forecast.broken:
        counts.append(f" · {board.forecast.broken} promise broken", style="bold reverse")
    if board.forecast.at_risk:
        counts.append(f" · {board.forecast.at_risk} promise at risk", style="bold")
    if board.promises_due_soon:
        counts.append(f" · {board.promises_due_soon} promise due within 1 h", style="bold")
    if board.reminders_due:
        counts.append(f" · {len(board.reminders_due)} reminder due", style="bold")
    active = board.active
    if active is None:
        return counts if width is None else _cut(counts, width)
    marker = f"▶ #{active.id} "
    timer = format_duration(spent) if spent else "0s"
    title = clean(active.title)
    if width is not None:
        # What the title may have: the width less the counts, the marker and the timer.
        room = width - counts.cell_len - len(_GAP) - cell_len(marker) - 1 - cell_len(timer)
        if room < min(_TITLE_LEAST, cell_len(title)):
            title = ""  # no room for it: the counts are cut instead, below
        elif cell_len(title) > room:
            title = _cut(Text(title), room).plain
    in_hand = Text(marker + (f"{title} " if title else "") + timer)
    if width is not None:
        counts = _cut(counts, width - len(_GAP) - in_hand.cell_len)
    return Text.assemble(counts, _GAP, in_hand)


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

    def __init__(self, content: Text, *, id: str | None = None) -> None:
        super().__init__(content, id=id)
        #: What was last drawn from, to draw again at a new width.
        self._drawn: tuple[Board, datetime, float] | None = None
        #: The filter's text and how many items it shows, while a filter is on.
        self.filtered: tuple[str, int] | None = None

    def show(self, board: Board, now: datetime | None = None, spent: float | None = None) -> None:
        """Draw the board's counts; ``now`` and ``spent`` advance the clock and the timer."""
        now = now or board.now
        spent = board.active_spent if spent is None else spent
        self._drawn = (board, now, spent)
        width = self.content_size.width or None
        text = status_text(board, now, spent, width, self.filtered)
        self.update(text, layout=False)  # one line, docked: its size never changes

    def on_resize(self) -> None:
        if self._drawn is not None:
            self.show(*self._drawn)
