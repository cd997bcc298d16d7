"""A small terminal still shows the queue: rows, whole values, and the running timer."""

from __future__ import annotations

import pytest

from techqueue.app import TechQueueApp
from techqueue.store import Store
from techqueue.tui.widgets import DetailPane

from .conftest import AppFactory, crowd, main_screen, queue, screen_lines, settle

pytestmark = pytest.mark.timeout(60)


async def test_at_60x15_the_queue_keeps_its_rows(app: TechQueueApp) -> None:
    async with app.run_test(size=(60, 15)) as pilot:
        await settle(pilot)
        lines = screen_lines(app)
        for rank in range(1, 5):
            assert any(line.startswith(f"{rank} ") for line in lines[2:]), (rank, lines)
        assert queue(app).scrollable_content_region.height >= 5
        assert main_screen(app).query_one(DetailPane).display, "the detail shrinks, still there"


async def test_on_a_very_short_terminal_the_lower_panes_give_way(app: TechQueueApp) -> None:
    async with app.run_test(size=(60, 10)) as pilot:
        await settle(pilot)
        assert not main_screen(app).query_one("#lower").display
        lines = screen_lines(app)
        assert all(any(line.startswith(f"{n} ") for line in lines) for n in range(1, 5)), lines


@pytest.mark.parametrize("size", [(100, 30), (80, 24), (60, 15)])
async def test_the_header_keeps_the_running_timer(
    store: Store, make_app: AppFactory, size: tuple[int, int]
) -> None:
    app = make_app(crowd(store))
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        header = screen_lines(app)[0].rstrip()
        assert header.endswith("1 h 15"), header
        assert "▶ #5" in header


async def test_an_old_item_shows_its_whole_age(store: Store, make_app: AppFactory) -> None:
    """16 h 18 of working time, 12 h 18 past its target: whole, never a digit lost. At 80
    columns the age gives way to the lateness, which says more."""
    app = make_app(crowd(store))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        row = next(line for line in screen_lines(app) if "Badge reader" in line)
        assert " 16 h 18 " in row, row
        assert "late 12 h 18" in row, row
    app = make_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        row = next(line for line in screen_lines(app) if "Badge reader" in line)
        assert "late 12 h 18" in row, row
        assert "Alexandra" in row, "who asked stays"
