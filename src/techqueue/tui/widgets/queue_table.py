"""The ranked queue, drawn a line at a time: only the rows on screen are ever rendered.

A stock ``DataTable`` measures every cell when rows are added, which takes about a second for
a 10,000-item queue; this widget keeps the ranked entries as they are and renders the visible
lines on demand (Textual's Line API), so opening, scrolling and re-ranking cost the same for
ten items or ten thousand.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from math import ceil
from typing import NamedTuple

from rich.cells import set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.strip import Strip

from techqueue.core.forecast import Forecast
from techqueue.core.timeparse import format_duration
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked, Weights
from techqueue.views.text import age, clean, estimate_cell, promise_countdown

__all__ = ["QueueTable"]

_SEVERITY = {"critical": "CRIT", "high": "high", "normal": "norm", "low": "low"}
#: (heading, width); the title takes what is left.
_COLUMNS = (
    ("#", 4),
    ("", 3),
    ("sev", 4),
    ("via", 6),
    ("title", 0),
    ("from", 12),
    ("age", 6),
    ("est", 7),
    ("eta", 9),
)
#: Columns drawn flush right.
_RIGHT = (0, 6, 7)
_FLAGS = 1
_ETA = 8
_PROMISE_MARKS = {"ok": "◷", "at_risk": "!", "broken": "✗"}
#: Rendered rows kept for reuse: a screenful or two, with room for both cursor states.
_ROW_CACHE_SIZE = 256
#: The heading line's key in the row cache (no row has a negative index).
_HEADER = (-1, False)


def _thumb(bar: ScrollBar) -> list[Segment]:
    """The vertical scrollbar as it would be drawn now, in its default colours (its shape is
    what tells whether it must be repainted)."""
    window = bar.window_size if bar.window_size < bar.window_virtual_size else 0
    drawn = ScrollBarRender.render_bar(
        size=bar.size.height,
        virtual_size=ceil(bar.window_virtual_size),
        window_size=ceil(window),
        position=bar.position,
        thickness=bar.thickness,
        vertical=True,
    )
    return list(drawn.segments)


class _Styles(NamedTuple):
    """The widget's styles as one frame draws them (resolving them costs more than a row)."""

    base: Style
    header: Style
    cursor: Style
    active: Style
    critical: Style
    high: Style
    waiting: Style
    vip: Style
    at_risk: Style
    broken: Style


def _short_time(moment: datetime, now: datetime) -> str:
    """A time in nine columns at most: ``14:20`` today, ``Tue 09:00`` this week, ``02 Dec``."""
    local = moment.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    if days == 0:
        return f"{local:%H:%M}"
    if days < 7:
        return f"{local:%a %H:%M}"
    return f"{local:%d %b}"


class QueueTable(ScrollView, can_focus=True):
    """The queue in rank order, with a cursor; the active item is marked with its timer."""

    DEFAULT_CSS = """
    QueueTable {
        background: $surface;
        scrollbar-gutter: stable;
        overflow-x: hidden;
    }
    QueueTable > .queue--header { color: $text-muted; text-style: bold; }
    QueueTable > .queue--cursor { background: $accent 40%; }
    QueueTable:focus > .queue--cursor { background: $accent; color: $text; }
    QueueTable > .queue--active { color: $success; text-style: bold; }
    QueueTable > .queue--critical { color: $error; }
    QueueTable > .queue--high { color: $warning; }
    QueueTable > .queue--vip { color: $accent; text-style: bold; }
    QueueTable > .queue--waiting { color: $text-muted; }
    QueueTable > .queue--at-risk { color: $warning; text-style: bold; }
    QueueTable > .queue--broken { color: $error; text-style: bold reverse; }
    """

    COMPONENT_CLASSES = {
        "queue--header",
        "queue--cursor",
        "queue--active",
        "queue--critical",
        "queue--high",
        "queue--vip",
        "queue--waiting",
        "queue--at-risk",
        "queue--broken",
    }

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="queue.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="queue.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="queue.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="queue.page_down"),
        Binding("home,g", "jump(0)", "Top", show=False, id="queue.top"),
        Binding("end,G", "jump(-1)", "Bottom", show=False, id="queue.bottom"),
    ]

    #: No repaint of its own: the watcher repaints the two lines that change.
    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)

    class Highlighted(Message):
        """The cursor moved to another item (``None`` when the queue is empty)."""

        def __init__(self, item_id: int | None) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._rows: list[Ranked[ItemRecord]] = []
        self._now: datetime | None = None
        self._weights = Weights()
        self._forecast: Forecast | None = None
        self._active_spent: float = 0.0
        #: Each row's index, by item id.
        self._positions: Mapping[int, int] = {}
        #: Where the active item is in ``_rows`` (``None`` when nothing is active).
        self._active_index: int | None = None
        self._styles_now: _Styles | None = None
        #: Rendered rows by (index, on the cursor): scrolling by a line draws one new row,
        #: not a screenful. Emptied when the rows, the width or the styles change.
        self._row_cache: dict[tuple[int, bool], Strip] = {}
        self._row_cache_key: tuple[int, _Styles] | None = None

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def selected_id(self) -> int | None:
        if not self._rows:
            return None
        return int(self._rows[min(self.cursor, len(self._rows) - 1)].id)

    def set_active_spent(self, minutes: float) -> None:
        """Advance the active item's timer; only its line is repainted."""
        self._active_spent = minutes
        if self._active_index is not None:
            self._redraw_row(self._active_index)

    def _redraw_row(self, index: int) -> None:
        self._row_cache.pop((index, False), None)
        self._row_cache.pop((index, True), None)
        self.refresh_line(index + 1)

    def set_rows(
        self,
        rows: list[Ranked[ItemRecord]],
        now: datetime,
        weights: Weights,
        active_spent: float = 0.0,
        forecast: Forecast | None = None,
        positions: Mapping[int, int] | None = None,
        active_id: int | None = None,
    ) -> None:
        """Show a new ranking, keeping the cursor on the same item when it is still there.

        ``positions`` (each item's index in ``rows``, by id) spares a walk through the rows.
        """
        keep = self.selected_id
        previous, previous_spent = self._rows, self._active_spent
        same_order = (
            positions is not None
            and positions is self._positions
            and len(rows) == len(previous)
            and (now, weights, forecast) == (self._now, self._weights, self._forecast)
        )  # the running timer's minutes may differ: they are drawn in the active row only
        self._rows = rows
        self._now = now
        self._weights = weights
        self._forecast = forecast
        self._active_spent = active_spent
        if positions is None:
            positions = {entry.id: index for index, entry in enumerate(rows)}
        self._positions = positions
        self._active_index = None if active_id is None else positions.get(active_id)
        if same_order:
            # The same items in the same places at the same time (a start shown ahead of
            # the store): only the rows whose entry changed are drawn again.
            top = int(self.scroll_y)
            shown = range(top, min(top + self.scrollable_content_region.height, len(rows)))
            for index in {index for index, _ in self._row_cache}.union(shown):
                if rows[index] is not previous[index]:
                    self._redraw_row(index)
            if active_spent != previous_spent and self._active_index is not None:
                self._redraw_row(self._active_index)
        else:
            self._row_cache.clear()
            self.virtual_size = Size(self.scrollable_content_region.width, len(rows) + 1)
            self.refresh()
        self.cursor = 0 if keep is None else positions.get(keep, 0)

    def select_id(self, item_id: int) -> None:
        index = self._positions.get(item_id)
        if index is not None:
            self.cursor = index

    def watch_cursor(self, old: int, new: int) -> None:
        if self._rows:
            clamped = max(0, min(new, len(self._rows) - 1))
            if clamped != new:
                self.cursor = clamped
                return
        before = self.scroll_y
        self._scroll_to_cursor()
        if self.scroll_y == before:  # only two lines change: repaint just those
            self.refresh_line(old + 1)
            self.refresh_line(new + 1)
        else:
            self.refresh()
        self.post_message(self.Highlighted(self.selected_id))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """As ``ScrollView``'s, but the scrollbar is repainted only when its thumb moves.

        In a long queue the thumb moves a notch every few dozen rows, yet repainting the bar
        costs as much as repainting the rows; its position is kept exact without a repaint
        (a drag starts from it)."""
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            before = _thumb(bar)
            bar.set_reactive(ScrollBar.position, bar.validate_position(new_value))
            if _thumb(bar) != before:
                bar.refresh()
        if round(old_value) != round(new_value):
            self.refresh(self.size.region)

    def _scroll_to_cursor(self) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible:
            self.scroll_to(y=self.cursor - visible + 1, animate=False)

    def action_cursor(self, step: int) -> None:
        if self._rows:
            self.cursor = max(0, min(self.cursor + step, len(self._rows) - 1))

    def action_page(self, direction: int) -> None:
        self.action_cursor(direction * max(self.scrollable_content_region.height - 2, 1))

    def action_jump(self, where: int) -> None:
        if self._rows:
            self.cursor = 0 if where == 0 else len(self._rows) - 1

    def on_click(self, event: events.Click) -> None:
        row = int(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= row < len(self._rows):
            self.cursor = row

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) + 1)

    def _widths(self, width: int) -> list[int]:
        fixed = sum(size for _, size in _COLUMNS) + len(_COLUMNS) - 1
        title = max(width - fixed, 8)
        return [size or title for _, size in _COLUMNS]

    def notify_style_update(self) -> None:
        """The theme, the focus or the CSS changed: resolve the styles again."""
        super().notify_style_update()
        self._styles_now = None

    def _resolve_styles(self) -> _Styles:
        """The styles, resolved once until they change (that walks every ancestor, nine
        times, which would cost a millisecond a frame)."""
        if self._styles_now is not None:
            return self._styles_now
        component = self.get_component_rich_style
        styles = _Styles(
            self.rich_style,
            component("queue--header"),
            component("queue--cursor"),
            component("queue--active"),
            component("queue--critical"),
            component("queue--high"),
            component("queue--waiting"),
            component("queue--vip"),
            component("queue--at-risk"),
            component("queue--broken"),
        )
        self._styles_now = styles
        return styles

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        styles = self._resolve_styles()
        key = (width, styles)
        if key != self._row_cache_key:  # resized, or the theme or the focus changed
            self._row_cache.clear()
            self._row_cache_key = key
        if y == 0:
            header = self._row_cache.get(_HEADER)
            if header is None:
                cells = [heading for heading, _ in _COLUMNS]
                header = self._strip(cells, self._widths(width), styles.header, width)
                self._row_cache[_HEADER] = header
            return header
        index = int(self.scroll_y) + y - 1
        if index >= len(self._rows):
            return Strip.blank(width, styles.base)
        row_key = (index, index == self.cursor)
        strip = self._row_cache.get(row_key)
        if strip is None:
            if len(self._row_cache) >= _ROW_CACHE_SIZE:
                self._row_cache.clear()
            strip = self._row_cache[row_key] = self._render_row(index, styles, width)
        return strip

    def _render_row(self, index: int, styles: _Styles, width: int) -> Strip:
        entry = self._rows[index]
        style = self._row_style(entry, index, styles)
        state = self._forecast.state(entry.id) if self._forecast else "none"
        marked: dict[int, Style] = {}
        if state in ("at_risk", "broken"):
            flag = styles.at_risk if state == "at_risk" else styles.broken
            marked[_ETA] = style + self._emphasis(flag, index)
        cells = self._cells(entry)
        if cells[_FLAGS].startswith("★"):
            marked[_FLAGS] = style + self._emphasis(styles.vip, index)
        return self._strip(cells, self._widths(width), style, width, marked)

    def _emphasis(self, marked: Style, index: int) -> Style:
        """Only the colour and emphasis of a cell's style: its background would hide the
        cursor, and on the cursor's row its colour may match the cursor's own."""
        emphasis = Style(bold=marked.bold, reverse=marked.reverse)
        if index != self.cursor:
            emphasis += Style(color=marked.color)
        return emphasis

    def _row_style(self, entry: Ranked[ItemRecord], index: int, styles: _Styles) -> Style:
        item = entry.item
        style = styles.base
        if item.status == "waiting":
            style += styles.waiting
        elif item.severity == "critical":
            style += styles.critical
        elif item.severity == "high":
            style += styles.high
        if item.status == "active":
            style += styles.active
        if index == self.cursor:
            style += styles.cursor
        return style

    def _eta(self, item: ItemRecord, now: datetime) -> str:
        """The promise's countdown while one is to keep (◷ ok, ! at risk, ✗ broken), else
        when the technician will likely get to it (→ when the active item should be done)."""
        forecast = self._forecast
        if forecast is None:
            return ""
        countdown = promise_countdown(item, forecast)
        if countdown is not None:
            state, minutes = countdown
            return f"{_PROMISE_MARKS[state]} {format_duration(minutes)}"
        eta = forecast.etas.get(item.id)
        if eta is None:
            return ""
        if item.status == "active":
            return "→ " + _short_time(eta.finish, now)
        return "now" if eta.start <= now else _short_time(eta.start, now)

    def _cells(self, entry: Ranked[ItemRecord]) -> list[str]:
        item = entry.item
        now = self._now or item.received_at
        if item.status == "active":
            marker = "▶"
            waited = format_duration(self._active_spent) if self._active_spent else "0s"
        else:
            marker = str(entry.rank)
            waited = age(item.received_at, now)
        if item.status == "waiting":
            flags = "…"  # the next move is the customer's
        else:
            flags = ("★" if item.vip else " ") + ("📌" if item.pinned else "")
        return [
            marker,
            flags,
            _SEVERITY.get(item.severity, item.severity),
            item.channel,
            clean(item.title),
            clean(item.requester),
            waited,
            estimate_cell(item, self._weights),
            self._eta(item, now),
        ]

    def _strip(
        self,
        cells: list[str],
        widths: list[int],
        style: Style,
        width: int,
        marked: dict[int, Style] | None = None,
    ) -> Strip:
        """One line of cells; ``marked`` gives some columns (by position) a style of their own.

        Cells of the same style are joined into one segment: every later step of a frame
        (cropping, the colour filter, compositing) costs per segment, and a row of nine
        cells is mostly one style."""
        pieces: list[tuple[str, Style]] = []
        for position, (cell, size) in enumerate(zip(cells, widths, strict=True)):
            if position:
                pieces.append((" ", style))
            right = position in _RIGHT
            text = set_cell_size(cell, size) if not right else cell[-size:].rjust(size)
            pieces.append((text, marked.get(position, style) if marked else style))
        segments: list[Segment] = []
        run: list[str] = []
        run_style = style
        for text, piece_style in pieces:
            if piece_style != run_style and run:
                segments.append(Segment("".join(run), run_style))
                run = []
            run_style = piece_style
            run.append(text)
        segments.append(Segment("".join(run), run_style))
        return Strip(segments).adjust_cell_length(width, style)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._rows) + 1
