"""The insight report (``techqueue report``, the app's ``I`` screen): read from the store, worked
out by :mod:`techqueue.core.insight`, shown as plain text (piped), Markdown, Rich (a terminal
and the app) or JSON (:func:`techqueue.views.json.insight_json`), all from one object."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from techqueue.core.insight import (
    Dimension,
    Insight,
    InsightRecords,
    Row,
    insight_of,
    periods,
    sparkline,
)
from techqueue.core.text import clean_text
from techqueue.core.timeparse import format_duration
from techqueue.core.worktime import working_duration
from techqueue.desk import Desk
from techqueue.views.text import bar

if TYPE_CHECKING:
    from rich.console import RenderableType

__all__ = [
    "DEFAULT_WEEKS",
    "gather",
    "insight_markdown",
    "insight_renderable",
    "insight_text",
    "read_insight",
]

#: The weeks a report covers when not told (about a month).
DEFAULT_WEEKS = 4


def gather(desk: Desk, now: datetime, weeks: int) -> InsightRecords:
    """The store's part of the report: the records, no arithmetic."""
    store = desk.store
    period = periods(now, desk.settings.day_boundary, weeks)
    received = store.received_between(period.previous_start, period.end)
    spans = store.spans_between(min(period.previous_start, period.month_start), period.end)
    items = store.items_by_id({span.item_id for span in spans})
    return InsightRecords(period, received, spans, items)


def read_insight(desk: Desk, now: datetime, weeks: int = DEFAULT_WEEKS) -> Insight:
    """The last ``weeks`` weeks at ``now``, against the ``weeks`` before them."""
    settings = desk.settings
    records = gather(desk, now, weeks)
    return insight_of(records, now, settings.weights, settings.hours, settings.day_boundary)


def _day(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d")


def _span(insight: Insight) -> str:
    period = insight.period
    last = period.end - timedelta(minutes=1)  # the end is the next day's first moment
    return f"{_day(period.start)} to {_day(last)} ({period.weeks} weeks)"


def _time(minutes: float) -> str:
    return format_duration(minutes) if minutes else "–"


def _late_line(insight: Insight) -> str:
    late = insight.lateness
    if not late.late:
        return f"Late: none of {late.of} answered late (was {late.previous_late})"
    return (
        f"Late: {late.late} of {late.of} answered after their target {late.trend} "
        f"(was {late.previous_late} of {late.previous_of}), "
        f"by {working_duration(late.mean_minutes)} on average, "
        f"at worst {working_duration(late.worst_minutes)} (working time)"
    )


def _headline(insight: Insight) -> list[str]:
    weekly = insight.weeks
    return [
        f"Report {_span(insight)}",
        f"Received: {insight.received} {insight.received_trend} (was {insight.previous_received})"
        f"  weekly {sparkline(week.received for week in weekly)}",
        f"Worked: {_time(insight.minutes)} {insight.time_trend} "
        f"(was {_time(insight.previous_minutes)})"
        f"  weekly {sparkline(week.minutes for week in weekly)}",
        _late_line(insight),
    ]


def _row_text(row: Row, top: float, width: int, by_time: bool) -> str:
    value = row.minutes if by_time else row.count
    said = _time(row.minutes) if by_time else str(row.count)
    arrow = row.time_trend if by_time else row.trend
    was = _time(row.previous_minutes) if by_time else str(row.previous_count)
    weekly = sparkline(row.weekly_minutes if by_time else row.weekly_counts)
    return (
        f"{clean_text(row.name):<{width}}  {bar(value, top, 16)}  {said:>7} {arrow} "
        f"(was {was})  {weekly}"
    )


def _table_lines(dimension: Dimension, by_time: bool) -> list[str]:
    rows = dimension.by_time if by_time else dimension.by_count
    if not rows:
        return []
    top = max((row.minutes if by_time else row.count) for row in rows)
    width = max(len(clean_text(row.name)) for row in rows)
    what = "time" if by_time else "count"
    lines = [f"Top {dimension.key} by {what}:"]
    lines += [f"  {_row_text(row, top, width, by_time)}" for row in rows]
    return lines


def _costly_lines(insight: Insight) -> list[str]:
    return [
        f"#{costly.id} {clean_text(costly.title)}"
        + (f" ({clean_text(costly.requester)})" if costly.requester else "")
        + f" — {format_duration(costly.minutes)}, {costly.status}"
        for costly in insight.costliest
    ]


def insight_text(insight: Insight) -> list[str]:
    """The report for a pipe or a plain terminal: text bars and sparklines, no colour."""
    lines = _headline(insight)
    for dimension in insight.dimensions:
        for by_time in (False, True):
            lines += _table_lines(dimension, by_time)
    costly = _costly_lines(insight)
    lines.append(
        "The issues that cost the most time this month:" if costly else "No work logged this month."
    )
    lines += [f"  {number}. {line}" for number, line in enumerate(costly, start=1)]
    return lines


def _cell(text: str) -> str:
    return clean_text(text).replace("|", "\\|")


def insight_markdown(insight: Insight) -> str:
    """The report as Markdown (for a manager or a wiki)."""
    late = insight.lateness
    lines = [
        f"# Report: {_span(insight)}",
        "",
        f"- Received: {insight.received} {insight.received_trend} "
        f"(previous period {insight.previous_received}), weekly "
        f"`{sparkline(week.received for week in insight.weeks)}`",
        f"- Worked: {_time(insight.minutes)} {insight.time_trend} "
        f"(previous period {_time(insight.previous_minutes)}), weekly "
        f"`{sparkline(week.minutes for week in insight.weeks)}`",
        f"- Answered late: {late.late} of {late.of} {late.trend} (previous period "
        f"{late.previous_late} of {late.previous_of}); mean "
        f"{working_duration(late.mean_minutes)}, worst {working_duration(late.worst_minutes)} "
        "of working time past the target",
        "",
        "## Week by week",
        "",
        "| week from | received | worked | late |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {_day(week.start)} | {week.received} | {_time(week.minutes)} | {week.late} |"
        for week in insight.weeks
    ]
    for dimension in insight.dimensions:
        for by_time, rows in ((False, dimension.by_count), (True, dimension.by_time)):
            if not rows:
                continue
            what = "time" if by_time else "count"
            top = max((row.minutes if by_time else row.count) for row in rows)
            lines += [
                "",
                f"## Top {dimension.key} by {what}",
                "",
                f"| {dimension.label} | {what} | trend | previous | weekly | |",
                "|---|---:|---|---:|---|---|",
            ]
            for row in rows:
                value = row.minutes if by_time else row.count
                said = _time(row.minutes) if by_time else str(row.count)
                was = _time(row.previous_minutes) if by_time else str(row.previous_count)
                arrow = row.time_trend if by_time else row.trend
                weekly = sparkline(row.weekly_minutes if by_time else row.weekly_counts)
                lines.append(
                    f"| {_cell(row.name)} | {said} | {arrow} | {was} | `{weekly}` "
                    f"| `{bar(value, top, 16)}` |"
                )
    lines += ["", "## The issues that cost the most time this month", ""]
    lines += [
        f"{number}. {_cell(line)}" for number, line in enumerate(_costly_lines(insight), start=1)
    ] or ["- no work logged this month"]
    return "\n".join(lines)


def insight_renderable(insight: Insight) -> RenderableType:
    """The report as Rich renderables, for a terminal and the app: bars, sparklines and
    arrows, user text as ``Text`` (never markup)."""
    from rich.bar import Bar
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    arrows = {"↑": "bold red", "↓": "bold green", "→": "dim"}
    parts: list[RenderableType] = []
    head = Text()
    for number, line in enumerate(_headline(insight)):
        head.append(line + "\n", style="bold" if number == 0 else "")
    parts.append(head)
    for dimension in insight.dimensions:
        tables = []
        for by_time, rows in ((False, dimension.by_count), (True, dimension.by_time)):
            if not rows:
                continue
            what = "time" if by_time else "count"
            top = max((row.minutes if by_time else row.count) for row in rows)
            table = Table(
                title=f"{dimension.key.capitalize()} by {what}",
                title_justify="left",
                box=None,
                show_header=False,
                padding=(0, 1),
            )
            table.add_column(no_wrap=True, overflow="ellipsis", max_width=20)
            table.add_column(width=12)
            table.add_column(justify="right", no_wrap=True)
            table.add_column(no_wrap=True)
            table.add_column(no_wrap=True)
            for row in rows:
                value = row.minutes if by_time else row.count
                arrow = row.time_trend if by_time else row.trend
                table.add_row(
                    Text(clean_text(row.name)),
                    Bar(size=top, begin=0, end=value, width=12, color="cyan"),
                    Text(_time(row.minutes) if by_time else str(row.count)),
                    Text(arrow, style=arrows[arrow]),
                    Text(
                        sparkline(row.weekly_minutes if by_time else row.weekly_counts),
                        style="cyan",
                    ),
                )
            tables.append(table)
        if tables:
            grid = Table.grid(padding=(0, 3))
            for _ in tables:
                grid.add_column()
            grid.add_row(*tables)
            parts.append(grid)
    costly = Text("The issues that cost the most time this month\n", style="bold")
    lines = _costly_lines(insight)
    for number, line in enumerate(lines, start=1):
        costly.append(f"  {number}. {line}\n")
    if not lines:
        costly.append("  no work logged this month\n", style="dim")
    parts.append(costly)
    return Group(*parts)
