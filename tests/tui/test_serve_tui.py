"""Serving everyone, in the app: booking a slot (b), today's slots in the reminders pane."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from techqueue.app import TechQueueApp
from techqueue.store import Store
from techqueue.tui.dialogs import Prompt

from .conftest import (
    NOW,
    SIZE,
    by_title,
    main_screen,
    plain,
    queue_titles,
    select_title,
    settle,
    type_text,
)

pytestmark = pytest.mark.timeout(60)

MONITOR = "New monitor for reception"
HOUR = timedelta(hours=1)


def reminders_pane(app: TechQueueApp) -> str:
    return plain(main_screen(app).query_one("#reminders", Static))


async def test_b_books_a_slot_shown_in_the_reminders_pane(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        await pilot.press("b")
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "11:00")
        await pilot.press("enter")
        await type_text(pilot, "45m")
        await pilot.press("enter")
        await settle(pilot)
        item = by_title(observer, MONITOR)
        assert item.appointment_at == NOW + 2 * HOUR
        assert item.appointment_minutes == 45
        assert MONITOR not in queue_titles(app), "out of the queue until shortly before"
        assert f"BOOKED 11:00–11:45 #{item.id} {MONITOR} (Dave)" in reminders_pane(app)


async def test_a_bad_length_is_said_inline_and_nothing_is_booked(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await type_text(pilot, "11:00")
        await pilot.press("enter")
        await type_text(pilot, "soon")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        assert "how long" in plain(app.screen.query_one("#prompt-error", Static))
        await pilot.press("escape")
        await settle(pilot)
        assert observer.last_journal_id() == 4
