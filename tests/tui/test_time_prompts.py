"""Times as people type them in the app (docs/times.md): each time prompt shows, as the time is
typed, the moment it is understood as; quick-add shows the day of a due time that is not
today. The clock is ``NOW``, Monday 2 March 2026 at 09:00 UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from techqueue.app import TechQueueApp
from techqueue.store import Store
from techqueue.tui.dialogs import Prompt, QuickAdd

from .conftest import SIZE, by_title, plain, selected, settle, type_text, wait_for

pytestmark = pytest.mark.timeout(60)


def understood(app: TechQueueApp) -> str:
    """The line under a prompt's first field."""
    return plain(app.screen.query_one("#prompt-understood", Static))


async def retype(app: TechQueueApp, pilot: Pilot[Any], text: str) -> None:
    """Replace what the focused prompt field holds with ``text``, typed a key at a time."""
    field = app.screen.query_one("#prompt-0", Input)
    field.value = ""
    await type_text(pilot, text)


async def test_the_defer_prompt_shows_the_time_understood_as_it_is_typed(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        title = selected(app).title
        await pilot.press("z")
        assert isinstance(app.screen, Prompt)
        assert understood(app) == "", "nothing typed, nothing understood"
        await type_text(pilot, "3pm")
        await wait_for(pilot, lambda: understood(app) == "→ today 15:00", what="3pm read")
        await retype(app, pilot, "someday")
        await wait_for(pilot, lambda: understood(app) == "", what="no time for 'someday'")
        await retype(app, pilot, "next mon")
        await wait_for(pilot, lambda: understood(app) == "→ Mon 09 Mar 09:00", what="next mon")
        await retype(app, pilot, "5 mar 2pm")
        await wait_for(pilot, lambda: understood(app) == "→ Thu 05 Mar 14:00", what="5 mar 2pm")
        await pilot.press("enter")
        await settle(pilot)
        assert by_title(observer, title).deferred_until == datetime(2026, 3, 5, 14, tzinfo=UTC)


async def test_a_time_already_passed_shows_nothing_and_is_refused_on_enter(
    app: TechQueueApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await type_text(pilot, "2 hours ago")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        assert understood(app) == ""
        assert "already passed" in plain(app.screen.query_one("#prompt-error", Static))


async def test_the_reminder_prompt_shows_its_time_before_its_text_is_written(
    app: TechQueueApp,
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("r")
        await type_text(pilot, "in 2 hours")
        await wait_for(pilot, lambda: understood(app) == "→ today 11:00", what="in 2 hours")
        await pilot.press("enter")  # to the text: the time stays shown
        assert understood(app) == "→ today 11:00"


async def test_the_promise_prompt_shows_its_time(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await type_text(pilot, "fri noon")
        await wait_for(pilot, lambda: understood(app) == "→ Fri 06 Mar 12:00", what="fri noon")


async def test_a_prompt_without_a_time_shows_none(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "tomorrow 3pm")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        assert understood(app) == ""


@pytest.mark.parametrize(
    ("line", "due"),
    [
        ("Printer due:14:00", "due: today 14:00"),
        ("Printer due:5 mar 14:00", "due: Thu 05 Mar 14:00"),
        ("Printer due:tomorrow 3pm", "due: Tue 03 Mar 15:00"),
        ("Printer due:mar 1", "due: Mon 01 Mar 2027 09:00"),
    ],
)
async def test_quick_add_shows_the_day_of_a_due_time(
    app: TechQueueApp, line: str, due: str
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, QuickAdd)
        await type_text(pilot, line)
        preview = app.screen.query_one("#quick-preview", Static)
        await wait_for(pilot, lambda: due in plain(preview), what=due)
