"""The header never hides the running timer: the item in hand's title is cut first, then the
counts."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from techqueue.core.forecast import Forecast
from techqueue.records import ReminderRecord
from techqueue.tui.widgets.status_line import status_text
from techqueue.views.board import Board

from .conftest import NOW
from .test_queue_columns import ranked, record

LONG_TITLE = "Outlook keeps asking for the password on every laptop of the third floor"


def busy_board() -> Board:
    active = record(12, title=LONG_TITLE, status="active", started_at=NOW)
    others = [record(n, vip=True) for n in range(1, 4)]
    reminder = ReminderRecord(1, None, "Call Alice back", NOW, NOW, None)
    rows = ranked(active, *others)
    return Board(
        now=NOW,
        ranked=rows,
        active=active,
        active_spent=75.0,
        reminders_due=[reminder, reminder],
        reminders_today=[],
        promises_due_soon=2,
        journal_id=1,
        forecast=Forecast(NOW),
    )


def test_with_room_everything_shows() -> None:
    text = status_text(busy_board(), NOW, 75.0, 300).plain
    assert text.startswith("techqueue Mon 02 Mar 09:00 · 4 open · 3 VIP waiting")
    assert text.endswith(f"▶ #12 {LONG_TITLE} 1 h 15")


@pytest.mark.parametrize("width", [118, 98, 78, 58])
def test_a_long_header_cuts_the_title_not_the_timer(width: int) -> None:
    text = status_text(busy_board(), NOW, 75.0, width).plain
    assert cell_len(text) <= width
    assert text.endswith(" 1 h 15"), text
    assert "▶ #12 " in text
    assert "…" in text  # the title (or, with no room for one, the counts) is cut visibly
    assert "09:00 · 4 open" in text


def test_then_the_name_and_the_date_give_way_and_the_filter_stays() -> None:
    text = status_text(busy_board(), NOW, 75.0, 58, filtered=("printer", 3)).plain
    assert text.startswith("09:00 · filter: printer — 3 of 4 · 4 open")
    assert text.endswith("  ▶ #12 1 h 15")
    assert cell_len(text) <= 58


def test_the_title_gives_way_before_the_counts() -> None:
    text = status_text(busy_board(), NOW, 75.0, 118).plain
    assert "2 reminders due" in text
    assert "▶ #12 Outlo… 1 h 15" in text


def test_a_filter_is_said_in_the_header() -> None:
    text = status_text(busy_board(), NOW, 75.0, 200, filtered=("printer", 3)).plain
    assert "filter: printer — 3 of 4" in text


def test_each_promise_is_counted_once_and_what_will_be_late_is_counted() -> None:
    """One promise broken, one at risk (it will be late), one on course due within the hour,
    and a due time the queue will miss: each counted once, in words said right."""
    from datetime import timedelta

    from techqueue.core.settings import Settings
    from techqueue.views.board import _promises_due_soon

    minute = timedelta(minutes=1)
    active = record(9, status="active", started_at=NOW, estimate_minutes=20.0)
    broken = record(1, promise_due_at=NOW - 5 * minute)
    on_course = record(2, promise_due_at=NOW + 59 * minute, estimate_minutes=5.0)
    at_risk = record(3, promise_due_at=NOW + 10 * minute, estimate_minutes=5.0)
    due = record(4, due_at=NOW + 30 * minute, estimate_minutes=30.0)
    rows = ranked(active, broken, on_course, at_risk, due)
    forecast = Forecast.of(rows, {9: 0.0}, NOW, Settings())
    board = Board(
        now=NOW,
        ranked=rows,
        active=active,
        active_spent=0.0,
        reminders_due=[],
        reminders_today=[],
        promises_due_soon=_promises_due_soon(rows, forecast, NOW),
        journal_id=1,
        forecast=forecast,
    )
    assert forecast.state(2) == "ok"
    assert forecast.state(3) == "at_risk"
    text = status_text(board, NOW, 0.0, 300).plain
    assert "1 promise broken" in text
    assert "2 will be late" in text
    assert "1 promise due within 1 h" in text
    assert "at risk" not in text
