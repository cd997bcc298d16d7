"""The top line: the clock (the injected one, so snapshots are stable) and the counts that
matter at a glance, with the item being worked on and its running timer.

The line is one row tall, so what does not fit is cut -- never the running timer: the item
in hand's title gives way first, then the app's name and the date, then the counts."""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from techqueue.core.text import plural
from techqueue.core.timeparse import format_duration
from techqueue.views.board import Board
from techqueue.views.text import clean

__all__ = ["StatusLine", "first_rows_text", "status_text"]

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
    offline: str | None = None,
) -> Text:
    """The header for ``board`` in ``width`` cells (no limit when ``None``); ``filtered``
    (the filter's text and how many items it shows) says a filter is on.

    When it is too long, the item in hand's title is cut, then left out; then the name of the
    app goes, then the date (the time stays); then the counts are cut at their end (the
    filter, first among them, last). The running timer always shows."""
    counts = Text()
    if offline is not None:  # a team's server not answering: said first, until it is back
        counts.append(" · ")
        counts.append(offline, style="bold reverse")
    if filtered is not None:
        needle, found = filtered
        counts.append(" · ")
        counts.append(
            f"filter: {clean(needle)} — {found} of {len(board.ranked)}", style="bold reverse"
        )
    counts.append(f" · {board.open_count} open")
    # The overload plan (the whole queue's) follows the board from its worker: until then
    # the header says nothing about it rather than something stale.
    plan = board.forecast.overload_if_known()
    overloaded = None
    if plan is not None:
        from techqueue.views.overload import headline  # (once planned: after the first rows)

        overloaded = headline(plan)
    if overloaded:  # who will wait past 3× their target: O lists them
        counts.append(f" · {overloaded}", style="bold reverse")
    if board.vip_waiting:
        counts.append(f" · {board.vip_waiting} VIP waiting", style="bold")
    forecast = board.forecast
    if forecast.broken:
        counts.append(f" · {plural(forecast.broken, 'promise')} broken", style="bold reverse")
    if forecast.will_be_late:
        counts.append(f" · {forecast.will_be_late} will be late", style="bold")
    if board.promises_due_soon:
        due = plural(board.promises_due_soon, "promise")
        counts.append(f" · {due} due within 1 h", style="bold")
    if board.reminders_due:
        counts.append(f" · {plural(len(board.reminders_due), 'reminder')} due", style="bold")
    # From the fullest to the shortest: the first whose counts fit beside the timer is shown.
    lefts = [
        Text.assemble(("techqueue ", "bold"), now.strftime("%a %d %b %H:%M"), counts),
        Text.assemble(now.strftime("%a %d %b %H:%M"), counts),
        Text.assemble(now.strftime("%H:%M"), counts),
    ]
    active = board.active
    timer = format_duration(spent) if spent else "0s"
    in_hand = Text() if active is None else Text(f"{_GAP}▶ #{active.id} {timer}")
    if width is None:
        left = lefts[0]
    else:
        left = next((t for t in lefts if t.cell_len + in_hand.cell_len <= width), lefts[-1])
        left = _cut(left, width - in_hand.cell_len)
    if active is None:
        return left
    title = clean(active.title)
    if width is not None:
        # What the title may have: what the counts and the timer leave, less a space.
        room = width - left.cell_len - in_hand.cell_len - 1
        if room < min(_TITLE_LEAST, cell_len(title)):
            title = ""
        elif cell_len(title) > room:
            title = _cut(Text(title), room).plain
    named = f"{title} " if title else ""
    return Text.assemble(left, f"{_GAP}▶ #{active.id} {named}{timer}")


def first_rows_text(now: datetime, width: int | None = None) -> Text:
    """The header while only the queue's first rows are shown: the time, and no count (none
    is known before the whole queue is read)."""
    said = " · reading the whole queue…"
    lefts = [
        Text.assemble(("techqueue ", "bold"), now.strftime("%a %d %b %H:%M"), said),
        Text.assemble(now.strftime("%a %d %b %H:%M"), said),
        Text.assemble(now.strftime("%H:%M"), said),
    ]
    if width is None:
        return lefts[0]
    return _cut(next((t for t in lefts if t.cell_len <= width), lefts[-1]), width)


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
        #: What was last drawn from, to draw again at a new width (a time alone: the
        #: header of the first rows).
        self._drawn: tuple[Board, datetime, float] | datetime | None = None
        #: The filter's text and how many items it shows, while a filter is on.
        self.filtered: tuple[str, int] | None = None
        #: What to say while a team's database server does not answer (``None``: it does).
        self.offline: str | None = None

    def show(self, board: Board, now: datetime | None = None, spent: float | None = None) -> None:
        """Draw the board's counts; ``now`` and ``spent`` advance the clock and the timer."""
        now = now or board.now
        spent = board.active_spent if spent is None else spent
        self._drawn = (board, now, spent)
        width = self.content_size.width or None
        text = status_text(board, now, spent, width, self.filtered, self.offline)
        self.update(text, layout=False)  # one line, docked: its size never changes

    def show_first(self, now: datetime) -> None:
        """The header while only the queue's first rows are shown (see
        :func:`first_rows_text`)."""
        self._drawn = now
        self.update(first_rows_text(now, self.content_size.width or None), layout=False)

    def on_resize(self) -> None:
        drawn = self._drawn
        if isinstance(drawn, datetime):
            self.show_first(drawn)
        elif drawn is not None:
            self.show(*drawn)
