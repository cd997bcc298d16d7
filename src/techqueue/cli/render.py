"""The queue as a table on a terminal (Rich, imported only when a terminal asks for it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from techqueue.core.forecast import Forecast
from techqueue.scoring import Weights
from techqueue.views.text import QUEUE_HEADINGS, Row, queue_cells

__all__ = ["queue_table"]


def queue_table(
    rows: Sequence[Row],
    now: datetime,
    weights: Weights,
    forecast: Forecast,
    *,
    empty: str = "Nothing in the queue: all clear.",
) -> None:
    """The queue as a Rich table on the terminal; user text reaches Rich as ``Text`` only."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for name, right in QUEUE_HEADINGS:
        table.add_column(name, justify="right" if right else "left", no_wrap=name != "title")
    for item, entry in rows:
        style = "bold" if item.status == "active" else "dim" if entry is None else ""
        cells = queue_cells(item, entry, now, weights, forecast)
        table.add_row(*(Text(cell) for cell in cells), style=style)
    console = Console()
    if not rows:
        console.print(empty)
        return
    console.print(table)
