"""The queue table's columns: every value fits its column or is cut with "…" (never a digit
lost), widths follow the content, and a narrow terminal drops the least useful columns first.

These test the cell and width functions directly: a queue of ten thousand on screen would be
a heavy test, and the functions are what decides."""

from __future__ import annotations

from datetime import timedelta

import pytest
from rich.cells import cell_len

from techqueue.core.forecast import Forecast
from techqueue.core.settings import Settings
from techqueue.core.worktime import working_duration
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked, Weights
from techqueue.tui.widgets.queue_columns import (
    COLUMNS,
    TITLE_FLOOR,
    TITLE_MIN,
    Column,
    RowContext,
    fit,
    fit_cell,
    measure,
    widest_working,
)

from .conftest import NOW

WEIGHTS = Weights()


def record(item_id: int, **fields: object) -> ItemRecord:
    values: dict[str, object] = {
        "id": item_id,
        "title": f"Item {item_id}",
        "requester": None,
        "requester_id": None,
        "channel": "desk",
        "severity": "normal",
        "impact": 1,
        "estimate_minutes": 5.0,
        "status": "open",
        "vip": False,
        "own_vip": False,
        "pinned": False,
        "bump": 0.0,
        "tags": (),
        "ref": None,
        "received_at": NOW,
        "created_at": NOW,
        "started_at": None,
        "done_at": None,
        "due_at": None,
        "deferred_until": None,
        "promise_due_at": None,
        "drop_reason": None,
    }
    values.update(fields)
    return ItemRecord(**values)  # type: ignore[arg-type]


def ranked(*items: ItemRecord, first: int = 1) -> list[Ranked[ItemRecord]]:
    """As the ranking would place them, each having waited since it arrived (a clock that
    never stops: these tests are about widths, not working hours)."""
    return [
        Ranked(
            item.id,
            item,
            rank,
            0.0,
            "normal",
            waited=(NOW - item.received_at).total_seconds() / 60,
        )
        for rank, item in enumerate(items, start=first)
    ]


def context(rows: list[Ranked[ItemRecord]], spent: float = 0.0) -> RowContext:
    forecast = Forecast.of(rows, {}, NOW, Settings())
    return RowContext(NOW, WEIGHTS, forecast, spent)


def column(key: str) -> Column:
    return next(column for column in COLUMNS if column.key == key)


def cells(entry: Ranked[ItemRecord], where: RowContext) -> dict[str, str]:
    return {column.key: column.cell(entry, where) for column in COLUMNS}


def shown(rows: list[Ranked[ItemRecord]], where: RowContext, width: int) -> dict[str, str]:
    """Each shown column's cell of the last row, as drawn at ``width``."""
    layout = fit(COLUMNS, measure(COLUMNS, rows, where), width)
    entry = rows[-1]
    return {c.key: fit_cell(c.cell(entry, where), size, c.right) for c, size in layout}


# --- widths follow the content --------------------------------------------------------------


def test_a_rank_of_ten_thousand_keeps_its_first_digit() -> None:
    rows = ranked(record(1), record(2), first=9_999)
    where = context(rows)
    assert measure(COLUMNS, rows, where)["rank"] == 5
    assert shown(rows, where, 80)["rank"] == "10000"


def test_the_rank_column_is_as_wide_as_the_largest_rank() -> None:
    rows = ranked(*(record(n) for n in range(1, 10)))
    assert measure(COLUMNS, rows, context(rows))["rank"] == 1
    rows = ranked(*(record(n) for n in range(1, 101)))
    assert measure(COLUMNS, rows, context(rows))["rank"] == 3


def test_an_age_of_sixteen_hours_keeps_its_first_digit() -> None:
    old = record(1, received_at=NOW - timedelta(hours=16, minutes=18))
    rows = ranked(record(2), old)
    where = context(rows)
    assert cells(rows[-1], where)["age"] == "16 h 18"
    assert measure(COLUMNS, rows, where)["age"] == len("16 h 18")
    assert shown(rows, where, 80)["age"] == "16 h 18"


def test_the_running_timer_is_measured_as_it_is() -> None:
    active = record(1, status="active", started_at=NOW)
    rows = ranked(active)
    where = context(rows, spent=16 * 60 + 18)
    assert cells(rows[0], where)["age"] == "16 h 18"
    assert measure(COLUMNS, rows, where, exactly=rows)["age"] == len("16 h 18")


def test_a_long_requester_is_cut_with_an_ellipsis() -> None:
    rows = ranked(record(1, requester="Alexandra Montgomery-Smith"), record(2, requester="Al"))
    where = context(rows)
    width = measure(COLUMNS, rows, where)["requester"]
    assert width == column("requester").most
    drawn = shown(rows[:1], where, 100)["requester"]
    assert drawn.endswith("…")
    assert cell_len(drawn) == width
    assert "Alexandra Montgomery-Smith".startswith(drawn[:-1])


def test_estimates_and_their_marks_fit() -> None:
    rows = ranked(
        record(1, estimate_minutes=None, severity="low"),
        record(2, estimate_minutes=90.0, estimate_source="history"),
        record(3, estimate_minutes=0.5),
    )
    where = context(rows)
    width = measure(COLUMNS, rows, where)["estimate"]
    drawn = [cells(entry, where)["estimate"] for entry in rows]
    assert width == max(len(text) for text in drawn)
    assert "~1 h 30" in drawn


def test_every_cell_fits_its_measured_column() -> None:
    """A mixed queue: every cell of every row fits the width measured for its column."""
    rows = ranked(
        record(1, status="active", started_at=NOW, title="Server room too hot"),
        record(2, vip=True, pinned=True, requester="Dana (CEO)", severity="critical"),
        record(3, received_at=NOW - timedelta(days=12), channel="ticket", severity="low"),
        record(4, received_at=NOW - timedelta(minutes=59, seconds=40), estimate_minutes=None),
        record(5, promise_due_at=NOW - timedelta(minutes=5)),
        record(6, estimate_minutes=600.0, severity="high", channel="email"),
        record(7, status="waiting", received_at=NOW - timedelta(hours=47, minutes=59)),
    )
    where = context(rows, spent=12.0)
    widths = measure(COLUMNS, rows, where, exactly=rows[:1])
    for entry in rows:
        for key, text in cells(entry, where).items():
            if key != "title":
                assert cell_len(text) <= widths[key], (key, text, widths[key])


@pytest.mark.parametrize(
    ("shortest", "longest"),
    [
        (0.01, 0.5),
        (0.5, 59.0),
        (1.0, 61.0),
        (5.0, 600.0),
        (59.0, 600.0),
        (61.0, 979.0),
        (500.0, 2000.0),
        (1000.0, 2879.0),
        (2000.0, 3000.0),
        (2880.0, 4320.0),
        (4320.0, 5800.0),
        (10_000.0, 14_450.0),
        (14_300.0, 150_000.0),
        (3.0, 1_500_000.0),
    ],
)
def test_the_widest_wait_is_never_narrower_than_a_wait_in_between(
    shortest: float, longest: float
) -> None:
    """Compared with formatting every working span in between, at the rounding's resolution:
    never a digit lost, at most one cell to spare."""
    step = 1 / 120 if longest < 60 else 0.5
    count = min(int((longest - shortest) / step), 200_000)
    step = (longest - shortest) / max(count, 1)
    every = [shortest + n * step for n in range(count + 1)] + [longest]
    widest = max(len(working_duration(m)) for m in every)
    assert widest <= widest_working(shortest, longest) <= widest + 1


# --- a narrow terminal ----------------------------------------------------------------------


def _wide_rows(title: str = "Badge reader") -> tuple[list[Ranked[ItemRecord]], RowContext]:
    rows = ranked(
        record(1, title=title, requester="Alexandra Montgomery", channel="ticket", pinned=True),
        record(2, received_at=NOW - timedelta(hours=16, minutes=18), estimate_minutes=None),
        first=9_999,
    )
    return rows, context(rows)


def test_at_90_columns_every_column_shows_and_the_title_is_cut() -> None:
    """(At 80, with an item 12 hours late, the channel and the age give way: see below.)"""
    title = "Outlook keeps asking for the password on every laptop of the third floor"
    rows, where = _wide_rows(title)
    layout = fit(COLUMNS, measure(COLUMNS, rows, where), 90)
    assert [c.key for c, _ in layout] == [c.key for c in COLUMNS]
    assert sum(size for _, size in layout) + len(layout) - 1 == 90
    size = {c.key: size for c, size in layout}["title"]
    assert size >= TITLE_MIN
    drawn = fit_cell(title, size)
    assert drawn.endswith("…")
    assert title.startswith(drawn[:-1])


def test_a_narrow_terminal_drops_via_then_age_then_from_then_est() -> None:
    """The age goes before who asked: a late item still says by how much in its own column."""
    rows, where = _wide_rows()
    widths = measure(COLUMNS, rows, where)
    every = [c.key for c in COLUMNS]
    seen: list[list[str]] = []
    for width in range(100, 20, -1):
        keys = [c.key for c, _ in fit(COLUMNS, widths, width)]
        if keys not in seen:
            seen.append(keys)
    assert seen[0] == every
    assert seen[1] == [key for key in every if key != "channel"]
    assert seen[2] == [key for key in every if key not in ("channel", "age")]
    assert seen[3] == [key for key in every if key not in ("channel", "age", "requester")]
    assert seen[4] == [
        key for key in every if key not in ("channel", "age", "requester", "estimate")
    ]


@pytest.mark.parametrize("width", [58, 40, 30, 12])
def test_the_queue_always_keeps_its_rank_and_a_title(width: int) -> None:
    rows, where = _wide_rows()
    layout = {c.key: size for c, size in fit(COLUMNS, measure(COLUMNS, rows, where), width)}
    assert layout["rank"] == 5
    assert layout["title"] >= TITLE_FLOOR
    drawn = shown(rows, where, width)
    assert drawn["rank"] == "10000"
    assert drawn["title"].strip()


def test_a_cut_cell_ends_with_an_ellipsis_and_keeps_its_width() -> None:
    assert fit_cell("16 h 18", 6, right=True) == "16 h …"
    assert fit_cell("16 h 18", 7, right=True) == "16 h 18"
    assert fit_cell("5 min", 7, right=True) == "  5 min"
    assert fit_cell("漢字の名前", 5) == "漢字…"
    assert cell_len(fit_cell("漢字の名前", 4)) == 4
    assert fit_cell("abc", 0) == ""


def test_the_late_column_says_how_late_in_working_time_whole() -> None:
    """An item 12 h 18 past its 4 h target says so on its row, in a column as wide as that."""
    rows, where = _wide_rows()
    assert cells(rows[-1], where)["late"] == "late 12 h 18"
    assert cells(rows[0], where)["late"] == ""
    assert measure(COLUMNS, rows, where)["late"] == len("late 12 h 18")
    assert shown(rows, where, 80)["late"] == "late 12 h 18"


def test_the_late_column_says_what_will_be_missed_before_it_is() -> None:
    """The job in hand takes an hour; the next is due in 30 minutes: it will miss it."""
    active = record(1, status="active", started_at=NOW, estimate_minutes=60.0)
    due = record(2, due_at=NOW + timedelta(minutes=30), estimate_minutes=10.0)
    rows = ranked(active, due)
    where = context(rows)
    assert cells(rows[-1], where)["late"] == "will miss 09:30 by 40 min"
    assert measure(COLUMNS, rows, where)["late"] == len("will miss 09:30 by 40 min")
