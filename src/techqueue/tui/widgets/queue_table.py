"""The ranked queue, drawn a line at a time: only the rows on screen are ever rendered.

A stock ``DataTable`` measures every cell when rows are added, which takes about a second for
a 10,000-item queue; this widget keeps the ranked entries as they are and renders the visible
lines on demand (Textual's Line API), so opening, scrolling and re-ranking cost the same for
ten items or ten thousand.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from math import ceil
from typing import NamedTuple

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
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked, Weights
from techqueue.tui.widgets.queue_columns import (
    COLUMNS,
    Column,
    RowContext,
    fit,
    fit_cell,
    measure,
)

__all__ = ["QueueTable"]

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
        self._cells_context = RowContext(datetime.min, Weights())
        #: Each row's index, by item id.
        self._positions: Mapping[int, int] = {}
        #: Where the active item is in ``_rows`` (``None`` when nothing is active).
        self._active_index: int | None = None
        self._styles_now: _Styles | None = None
        #: Each fixed column's width for the rows shown, measured when they are set.
        self._widths: dict[str, int] = measure(COLUMNS, [], self._cells_context)
        #: The ranking the widths were measured from, and at what time, weights, forecast.
        self._measured_from: tuple[Sequence[Ranked[ItemRecord]], tuple[object, ...]] | None
        self._measured_from = None
        #: The columns shown at a width, with theirs, and the (width, widths) they were for.
        self._layout: tuple[tuple[int, dict[str, int]], list[tuple[Column, int]]] | None = None
        #: Rendered rows by (index, on the cursor): scrolling by a line draws one new row,
        #: not a screenful. Emptied when the rows, the width or the styles change.
        self._row_cache: dict[tuple[int, bool], Strip] = {}
        self._row_cache_key: tuple[int, _Styles] | None = None
        #: Given the item of a row clicked, whether it takes the click to select that item
        #: later (``True``) rather than the cursor moving now: the queue's first rows, while
        #: the keys are held (see :mod:`techqueue.tui.held_keys`).
        self.clicks_held: Callable[[int], bool] | None = None

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> Sequence[Ranked[ItemRecord]]:
        """The rows shown, top to bottom."""
        return self._rows

    @property
    def selected_id(self) -> int | None:
        if not self._rows:
            return None
        return int(self._rows[min(self.cursor, len(self._rows) - 1)].id)

    def set_active_spent(self, minutes: float) -> None:
        """Advance the active item's timer; only its line is repainted (all of them when the
        timer outgrows its column)."""
        self._cells_context = self._cells_context._replace(active_spent=minutes)
        if self._active_index is not None and not self._widen_for(self._active_index):
            self._redraw_row(self._active_index)

    def _redraw_row(self, index: int) -> None:
        self._row_cache.pop((index, False), None)
        self._row_cache.pop((index, True), None)
        self.refresh_line(index + 1)

    def _widen_for(self, index: int) -> bool:
        """Widen the columns that the row's cells have outgrown (the running timer, the
        item just started); whether any had to be, and so everything is drawn again."""
        widths = measure(COLUMNS, [], self._cells_context, exactly=[self._rows[index]])
        wider = {key: size for key, size in widths.items() if size > self._widths.get(key, 0)}
        if not wider:
            return False
        self._widths = {**self._widths, **wider}
        self._row_cache.clear()
        self.refresh()
        return True

    def set_rows(
        self,
        rows: list[Ranked[ItemRecord]],
        now: datetime,
        weights: Weights,
        active_spent: float = 0.0,
        forecast: Forecast | None = None,
        positions: Mapping[int, int] | None = None,
        active_id: int | None = None,
        *,
        measured: Sequence[Ranked[ItemRecord]] | None = None,
        widths: Mapping[str, int] | None = None,
    ) -> None:
        """Show a new ranking, keeping the cursor on the same item when it is still there.

        ``positions`` (each item's index in ``rows``, by id) spares a walk through the rows.
        The columns' widths are measured here, once for a ranking (never on a key), from
        ``measured`` when the rows are a part of it (a filter's): the columns then keep their
        widths as the filter changes, and are not measured again. ``widths``: each column at
        least as wide as that (the first rows, drawn before the whole queue is read, laid
        out as the last whole queue was, so that the columns stay put when it comes).
        """
        keep = self.selected_id
        previous, previous_context = self._rows, self._cells_context
        context = RowContext(now, weights, forecast, active_spent)
        same_order = (
            positions is not None
            and positions is self._positions
            and len(rows) == len(previous)
            and context[:3] == previous_context[:3]
        )  # the running timer's minutes may differ: they are drawn in the active row only
        self._rows = rows
        self._cells_context = context
        if positions is None:
            positions = {entry.id: index for index, entry in enumerate(rows)}
        self._positions = positions
        self._active_index = None if active_id is None else positions.get(active_id)
        measured = rows if measured is None else measured
        measured_before, self._measured_from = self._measured_from, (measured, context[:3])
        if same_order:
            # The same items in the same places at the same time (a start shown ahead of
            # the store): only the rows whose entry changed are drawn again.
            # (When the item just started outgrows a column, everything is drawn again.)
            if self._active_index is None or not self._widen_for(self._active_index):
                top = int(self.scroll_y)
                shown = range(top, min(top + self.scrollable_content_region.height, len(rows)))
                for index in {index for index, _ in self._row_cache}.union(shown):
                    if rows[index] is not previous[index]:
                        self._redraw_row(index)
                if active_spent != previous_context.active_spent and self._active_index is not None:
                    self._redraw_row(self._active_index)
        else:
            if measured_before is None or (
                measured_before[0] is not measured or measured_before[1] != context[:3]
            ):
                active = [] if self._active_index is None else [rows[self._active_index]]
                self._widths = measure(COLUMNS, measured, context, exactly=active)
                if widths:
                    self._widths = {
                        key: max(size, widths.get(key, 0)) for key, size in self._widths.items()
                    }
            elif self._active_index is not None:
                self._widen_for(self._active_index)
            self._row_cache.clear()
            self.virtual_size = Size(self.scrollable_content_region.width, len(rows) + 1)
            self.refresh()
        self.cursor = 0 if keep is None else positions.get(keep, 0)

    @property
    def widths(self) -> Mapping[str, int]:
        """Each fixed column's width, as measured for the rows shown."""
        return self._widths

    def select_id(self, item_id: int) -> None:
        index = self._positions.get(item_id)
        if index is not None:
            self.cursor = index
            # Rows just set are not laid out yet (the scroll range is the old one): bring the
            # row into view again once they are, so the app opening on the item in hand at
            # rank 10,000 shows it.
            self.call_after_refresh(self._scroll_to_cursor)

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
            held = self.clicks_held
            if held is not None and held(self._rows[row].id):
                return
            self.cursor = row

    def on_resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._rows) + 1)

    def columns_shown(self, width: int | None = None) -> list[tuple[Column, int]]:
        """The columns drawn at ``width`` (the table's own by default), with their widths."""
        if width is None:
            width = self.scrollable_content_region.width
        layout = self._layout
        # The widths are replaced, never changed in place: the same object, the same widths.
        if layout is None or layout[0][0] != width or layout[0][1] is not self._widths:
            layout = self._layout = ((width, self._widths), fit(COLUMNS, self._widths, width))
        return layout[1]

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
                layout = self.columns_shown(width)
                cells = {column.key: column.heading for column, _ in layout}
                header = self._strip(cells, layout, styles.header, width)
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
        context = self._cells_context
        forecast = context.forecast
        state = forecast.state(entry.id) if forecast else "none"
        layout = self.columns_shown(width)
        cells = {column.key: column.cell(entry, context) for column, _ in layout}
        marked: dict[str, Style] = {}
        if state in ("at_risk", "broken"):
            flag = styles.at_risk if state == "at_risk" else styles.broken
            marked["eta"] = style + self._emphasis(flag, index)
        if cells.get("flags", "").startswith("★"):
            marked["flags"] = style + self._emphasis(styles.vip, index)
        return self._strip(cells, layout, style, width, marked)

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

    def _strip(
        self,
        cells: Mapping[str, str],
        layout: list[tuple[Column, int]],
        style: Style,
        width: int,
        marked: Mapping[str, Style] | None = None,
    ) -> Strip:
        """One line of cells (by column key) laid out as ``layout`` says; ``marked`` gives
        some columns a style of their own.

        Cells of the same style are joined into one segment: every later step of a frame
        (cropping, the colour filter, compositing) costs per segment, and a row of nine
        cells is mostly one style."""
        pieces: list[tuple[str, Style]] = []
        for position, (column, size) in enumerate(layout):
            if position:
                pieces.append((" ", style))
            text = fit_cell(cells.get(column.key, ""), size, column.right)
            pieces.append((text, marked.get(column.key, style) if marked else style))
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
