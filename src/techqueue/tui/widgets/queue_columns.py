"""The queue table's columns, as data: what each shows, how wide its widest value is, which
side it is drawn flush to, and which go first when the terminal is narrow.

A column's width follows its content, worked out once when rows are set (never on a key):
each column's ``widest`` looks at the rows cheaply -- the largest rank is the last one's, the
widest age lies between the oldest and the newest arrival -- rather than formatting ten
thousand cells. A value wider than its column is cut with "…", never silently.

Adding a column is one :class:`Column` in :data:`COLUMNS`: its heading, its cell, its widest.
Nothing here imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size

from techqueue.core.forecast import Forecast
from techqueue.core.timeparse import format_duration
from techqueue.core.worktime import working_duration
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked, Weights, late_minutes
from techqueue.views.text import clean, estimate_cell, promise_countdown, will_miss_text

__all__ = [
    "COLUMNS",
    "TITLE_MIN",
    "Column",
    "RowContext",
    "fit",
    "fit_cell",
    "measure",
    "widest_working",
]

Row = Ranked[ItemRecord]

#: The title's width below which the least useful columns are dropped to make room.
TITLE_MIN = 16
#: The title never gets less than this, whatever the terminal (a title of nothing says nothing).
TITLE_FLOOR = 6
#: What stands for the cut end of a value too wide for its column.
CUT = "…"

_SEVERITY = {"critical": "CRIT", "high": "high", "normal": "norm", "low": "low"}
_PROMISE_MARKS = {"ok": "◷", "at_risk": "!", "broken": "✗"}


class RowContext(NamedTuple):
    """What a cell needs besides its row: the ranking's time and weights, the forecast, and
    the minutes worked on the item in hand (its running timer)."""

    now: datetime
    weights: Weights
    forecast: Forecast | None = None
    active_spent: float = 0.0


class Column(NamedTuple):
    """One column of the queue table."""

    key: str
    heading: str
    #: The text of the column's cell in a row.
    cell: Callable[[Row, RowContext], str]
    #: The widest cell of the column among the rows, in terminal cells (cheaply: no column
    #: may format every row). ``None`` for the flexible column.
    widest: Callable[[Sequence[Row], RowContext], int] | None
    #: Drawn flush right (numbers, durations).
    right: bool = False
    #: When the terminal is too narrow, columns are dropped by this order, lowest first;
    #: 0 is never dropped.
    drop: int = 0
    #: The widest it may be (its longer values are cut with "…"); ``None``: no limit.
    most: int | None = None

    @property
    def flexible(self) -> bool:
        """Whether it takes the width the others leave (the title)."""
        return self.widest is None


# --- time, shortly ----------------------------------------------------------------------------


def short_time(moment: datetime, now: datetime) -> str:
    """A time in nine columns at most: ``14:20`` today, ``Tue 09:00`` this week, ``02 Dec``."""
    local = moment.astimezone(now.tzinfo)
    days = (local.date() - now.date()).days
    if days == 0:
        return f"{local:%H:%M}"
    if days < 7:
        return f"{local:%a %H:%M}"
    return f"{local:%d %b}"


def widest_working(shortest: float, longest: float) -> int:
    """The widest :func:`working_duration` of any span from ``shortest`` to ``longest``
    minutes, at most a cell too wide: ``59s``, ``59 min``, then hours with minutes
    (``123 h 59``), never days."""
    low, high = min(shortest, longest), max(shortest, longest)
    widest = max(len(working_duration(low)), len(working_duration(high)))
    if low < 60 and high >= 10:
        widest = max(widest, len("59 min"))
    if high >= 60:
        widest = max(widest, len(f"{round(high) // 60} h 59"))
    return widest


# --- the cells ----------------------------------------------------------------------------------


def _rank(entry: Row, context: RowContext) -> str:
    return "▶" if entry.item.status == "active" else str(entry.rank)


def _flags(entry: Row, context: RowContext) -> str:
    item = entry.item
    if item.status == "waiting":
        return "…"  # the next move is the customer's
    return ("★" if item.vip else " ") + ("📌" if item.pinned else "")


def _severity(entry: Row, context: RowContext) -> str:
    severity = entry.item.severity
    return _SEVERITY.get(severity, severity)


def _channel(entry: Row, context: RowContext) -> str:
    return entry.item.channel


def _title(entry: Row, context: RowContext) -> str:
    return clean(entry.item.title)


def _requester(entry: Row, context: RowContext) -> str:
    return clean(entry.item.requester)


def _timer(spent: float) -> str:
    return format_duration(spent) if spent else "0s"


def _age(entry: Row, context: RowContext) -> str:
    """How long it has waited, in working time on its own clock (as the ranking counts it:
    no nights, weekends or time waiting on the customer); the item in hand shows its running
    timer instead."""
    if entry.item.status == "active":
        return _timer(context.active_spent)
    return working_duration(max(entry.waited, 1 / 60))


def _late(entry: Row, context: RowContext) -> str:
    """What will be missed, before it is (``will miss 14:00 by 25 min``), else how late it
    already is (``late 40 min``): the one thing most worth a glance, so the column stays
    narrow on a small terminal; the detail pane says both."""
    forecast = context.forecast
    if forecast is None:
        return ""
    miss = forecast.miss(entry.id)
    if miss is not None:
        return will_miss_text(miss, context.now)
    late = late_minutes(entry.item, entry.waited, context.weights)
    return f"late {working_duration(late)}" if late > 0 else ""


def _estimate(entry: Row, context: RowContext) -> str:
    return estimate_cell(entry.item, context.weights)


def _eta(entry: Row, context: RowContext) -> str:
    """The promise's countdown while one is to keep (◷ ok, ! at risk, ✗ broken), else when
    the technician will likely get to it (→ when the item in hand should be done)."""
    forecast = context.forecast
    if forecast is None:
        return ""
    item = entry.item
    countdown = promise_countdown(item, forecast)
    if countdown is not None:
        state, minutes = countdown
        return f"{_PROMISE_MARKS[state]} {format_duration(minutes)}"
    eta = forecast.etas.get(item.id)
    if eta is None:
        return ""
    now = context.now
    if item.status == "active":
        return "→ " + short_time(eta.finish, now)
    return "now" if eta.start <= now else short_time(eta.start, now)


# --- the widest cells, cheaply --------------------------------------------------------------


def _widest_text(texts: Iterable[str | None]) -> int:
    """The widest of a few distinct texts, as cleaned for the screen."""
    return max((cell_len(clean(text)) for text in texts if text), default=0)


def _widest_rank(rows: Sequence[Row], context: RowContext) -> int:
    return len(str(rows[-1].rank)) if rows else 1  # rows come in rank order


class _Summary:
    """What the columns' widths depend on, gathered in one walk through the rows (a queue of
    ten thousand is measured on every re-rank, and before the first screen shows): the
    distinct severities, channels, requesters and estimates, the shortest and the longest
    wait, the least and the most late (as :func:`late_minutes` has it), the promised rows."""

    def __init__(self, rows: Sequence[Row], weights: Weights) -> None:
        targets = weights.response_target_minutes
        self.pinned = False
        self.severities: set[str] = set()
        self.channels: set[str] = set()
        self.requesters: set[str | None] = set()
        self.estimates: set[tuple[float | None, str | None, str]] = set()
        self.promised: list[Row] = []
        shortest = longest = rows[0].waited if rows else 0.0
        least = most = 0.0
        for entry in rows:
            item = entry.item
            severity = item.severity
            if item.pinned:
                self.pinned = True
            self.severities.add(severity)
            self.channels.add(item.channel)
            self.requesters.add(item.requester)
            minutes = item.estimate_minutes
            self.estimates.add((minutes, item.estimate_source, severity if minutes is None else ""))
            if item.promise_due_at is not None:
                self.promised.append(entry)
            waited = entry.waited
            if waited < shortest:
                shortest = waited
            elif waited > longest:
                longest = waited
            if item.status == "open" and item.started_at is None:
                late = waited - targets[severity]
                if late > 0:
                    if not most or late < least:
                        least = late
                    if late > most:
                        most = late
        self.waits = (shortest, longest)
        self.late = (least, most)


#: The rows last summed up, and what was found (one measure asks every column).
_summed: tuple[Sequence[Row], Weights, _Summary] | None = None


def _summary(rows: Sequence[Row], weights: Weights) -> _Summary:
    global _summed
    if _summed is None or _summed[0] is not rows or _summed[1] is not weights:
        _summed = (rows, weights, _Summary(rows, weights))
    return _summed[2]


def _widest_flags(rows: Sequence[Row], context: RowContext) -> int:
    pinned = _summary(rows, context.weights).pinned
    return 3 if pinned else 1  # "★📌": a pin is two cells


def _widest_severity(rows: Sequence[Row], context: RowContext) -> int:
    severities = _summary(rows, context.weights).severities
    return max((len(_SEVERITY.get(s, s)) for s in severities), default=0)


def _widest_channel(rows: Sequence[Row], context: RowContext) -> int:
    return _widest_text(_summary(rows, context.weights).channels)


def _widest_requester(rows: Sequence[Row], context: RowContext) -> int:
    return _widest_text(_summary(rows, context.weights).requesters)


def _widest_age(rows: Sequence[Row], context: RowContext) -> int:
    """The widest wait between the shortest and the longest (the item in hand's timer is
    measured as it is: see :func:`measure`)."""
    if not rows:
        return 0
    shortest, longest = _summary(rows, context.weights).waits
    return widest_working(max(shortest, 1 / 60), max(longest, 1 / 60))


def _widest_late(rows: Sequence[Row], context: RowContext) -> int:
    """The lateness of every row is a subtraction (cheap); only the few misses the forecast
    found are formatted."""
    forecast = context.forecast
    if forecast is None or not rows:
        return 0
    least, most = _summary(rows, context.weights).late
    widest_late = len("late ") + widest_working(least, most) if most else 0
    misses = [will_miss_text(miss, context.now) for miss in forecast.misses.values()]
    widest_miss = max((cell_len(text) for text in misses), default=0)
    return max(widest_late, widest_miss)


def _widest_estimate(rows: Sequence[Row], context: RowContext) -> int:
    """Estimates take few distinct values (and their marks): each is formatted once."""
    weights = context.weights
    widest = 0
    for minutes, source, severity in _summary(rows, weights).estimates:
        if minutes is None:
            shown = format_duration(weights.default_estimate_minutes[severity]) + "?"
        else:
            shown = ("~" if source == "history" else "") + format_duration(minutes)
        widest = max(widest, len(shown))
    return widest


def _widest_eta(rows: Sequence[Row], context: RowContext) -> int:
    """The ETAs grow down the queue: the first and the last say which forms of a time are
    drawn (a day other than today takes nine cells); promises are measured as they are
    (and the item in hand too: see :func:`measure`)."""
    if context.forecast is None or not rows:
        return 0
    measured = list(_summary(rows, context.weights).promised)
    first = next((e for e in rows if e.item.status not in ("waiting", "active")), None)
    queued = [] if first is None else [first]
    last = len(rows) - 1
    while last >= 0 and rows[last].item.status in ("waiting", "active"):
        last -= 1
    if last >= 0:
        queued.append(rows[last])
    measured += queued
    widest = max((cell_len(_eta(entry, context)) for entry in measured), default=0)
    etas = context.forecast.etas
    days = [
        (etas[entry.id].start.astimezone(context.now.tzinfo).date() - context.now.date()).days
        for entry in queued
        if entry.id in etas
    ]
    if days and days[0] < 7 and days[-1] > 0:
        widest = max(widest, len("Tue 09:00"))
    return widest


#: The queue's columns, left to right.
COLUMNS: tuple[Column, ...] = (
    Column("rank", "#", _rank, _widest_rank, right=True),
    Column("flags", "", _flags, _widest_flags, drop=8),
    Column("severity", "sev", _severity, _widest_severity, drop=7),
    Column("channel", "via", _channel, _widest_channel, drop=1),
    Column("title", "title", _title, None),
    Column("requester", "from", _requester, _widest_requester, drop=3, most=14),
    Column("age", "age", _age, _widest_age, right=True, drop=2),
    Column("estimate", "est", _estimate, _widest_estimate, right=True, drop=4),
    Column("eta", "eta", _eta, _widest_eta, drop=5),
    Column("late", "late", _late, _widest_late, drop=6, most=26),
)


# --- widths and cutting ---------------------------------------------------------------------


def measure(
    columns: Sequence[Column],
    rows: Sequence[Row],
    context: RowContext,
    exactly: Iterable[Row] = (),
) -> dict[str, int]:
    """Each fixed column's width for these rows: its widest cell or its heading, whichever
    is wider, within its limit. Once per set of rows, never per key. The rows ``exactly``
    (the item in hand, whose cells change as it runs) are measured cell by cell."""
    exact = list(exactly)
    widths: dict[str, int] = {}
    for column in columns:
        if column.widest is None:
            continue
        width = max(
            column.widest(rows, context),
            cell_len(column.heading),
            *(cell_len(column.cell(entry, context)) for entry in exact),
        )
        widths[column.key] = width if column.most is None else min(width, column.most)
    return widths


def fit(
    columns: Sequence[Column], widths: Mapping[str, int], width: int
) -> list[tuple[Column, int]]:
    """The columns shown in ``width`` cells, each with its width: when the title would get
    less than :data:`TITLE_MIN`, the least useful columns are dropped first (by their
    ``drop`` order); the title takes what is left, never less than :data:`TITLE_FLOOR`."""
    shown = list(columns)

    def room() -> int:
        fixed = sum(widths.get(column.key, 0) for column in shown if not column.flexible)
        return width - fixed - (len(shown) - 1)

    droppable = sorted((c for c in columns if c.drop), key=lambda column: column.drop)
    for column in droppable:
        if room() >= TITLE_MIN:
            break
        shown.remove(column)
    title = max(room(), TITLE_FLOOR)
    return [(c, title if c.flexible else widths.get(c.key, 0)) for c in shown]


def fit_cell(text: str, size: int, right: bool = False) -> str:
    """``text`` in exactly ``size`` cells: padded on the right (or, flush right, on the left),
    or cut with "…" when it is wider -- never cut silently."""
    if size <= 0:
        return ""
    width = cell_len(text)
    if width > size:
        return set_cell_size(text, size - 1) + CUT
    padding = " " * (size - width)
    return padding + text if right else text + padding
