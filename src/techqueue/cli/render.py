"""The queue as a table on a terminal (Rich, imported only when a terminal asks for it).

Every row is one line: the columns are fitted to the terminal's width here, the title column
favoured (it shrinks a third as fast as the others and is never dropped), long cells cut with
"…", and when even the narrowest cells do not fit, the columns a technician misses least
(channel, then age, requester, estimate …) are left out. Rich left alone would wrap rows and
squeeze the title to a sliver at 80 columns.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from techqueue.core.forecast import Forecast
from techqueue.scoring import Weights
from techqueue.views.text import QUEUE_HEADINGS, Row, queue_cells

__all__ = ["queue_table"]

#: Between two columns.
_GAP = 2
#: The columns that may be cut, with how slowly (the title: a third as fast) and how far.
_SHRINK: dict[str, tuple[int, int]] = {
    "title": (3, 18),
    "requester": (1, 8),
    "status": (1, 7),
    "eta": (1, 7),
    "late": (1, 8),
}
#: The columns left out, in this order, when the rest does not fit even cut; past them all
#: (a very narrow terminal) the title is cut further: the rank, the id and the title stay.
#: A column named here that the listing does not have is skipped; one not named is kept.
_DROP = ("channel", "age", "requester", "estimate", "eta", "late", "status", "severity", "vip")


def _fit(names: Sequence[str], natural: Sequence[int], width: int) -> dict[int, int]:
    """The width of each column shown (by index), fitted into ``width`` cells: the widest
    cuttable column (the title counted at a third of its width) loses a cell at a time down to its
    minimum; when that is not enough, the next column of :data:`_DROP` is left out and the
    fitting starts again (with all of them left out, the title may go below its minimum)."""
    for count in range(len(_DROP) + 1):
        last = count == len(_DROP)
        widths = {i: natural[i] for i, name in enumerate(names) if name not in _DROP[:count]}
        excess = sum(widths.values()) + _GAP * (len(widths) - 1) - width
        while excess > 0:
            cuttable = [
                i
                for i in widths
                if names[i] in _SHRINK and widths[i] > (1 if last else _SHRINK[names[i]][1])
            ]
            if not cuttable:
                break
            widest = max(cuttable, key=lambda i: (widths[i] / _SHRINK[names[i]][0], i))
            widths[widest] -= 1
            excess -= 1
        if excess <= 0:
            return widths
    return widths


def queue_table(
    rows: Sequence[Row],
    now: datetime,
    weights: Weights,
    forecast: Forecast,
    *,
    empty: str = "Nothing in the queue: all clear.",
) -> None:
    """The queue as a Rich table on the terminal, one line per row; user text reaches Rich
    as ``Text`` only."""
    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if not rows:
        console.print(empty)
        return
    names = [name for name, _ in QUEUE_HEADINGS]
    cells = [queue_cells(item, entry, now, weights, forecast) for item, entry in rows]
    natural = [
        max(cell_len(name), *(cell_len(row[index]) for row in cells))
        for index, name in enumerate(names)
    ]
    widths = _fit(names, natural, console.width)
    table = Table(box=None, header_style="bold", pad_edge=False, padding=(0, _GAP // 2))
    for index, (name, right) in enumerate(QUEUE_HEADINGS):
        if index in widths:
            table.add_column(
                name,
                justify="right" if right else "left",
                width=widths[index],
                no_wrap=True,
                overflow="ellipsis",
            )
    for (item, entry), row in zip(rows, cells, strict=True):
        style = "bold" if item.status == "active" else "dim" if entry is None else ""
        table.add_row(*(Text(row[index]) for index in widths), style=style)
    console.print(table)
