"""Recurring work in the app: E lists the rules as ``recurring`` prints them, and x ends the
highlighted one (the same action as ``stop``), asked first."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import OptionList

from techqueue.actions import ItemFields
from techqueue.actions.recurring import add_recurring
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import ConfirmAction, RecurringDialog
from techqueue.tui.screens.main import MainScreen
from techqueue.views.recurring import read_recurring, recurring_line

from .conftest import NOW, AppFactory, at, settle, wait_for

pytestmark = pytest.mark.timeout(60)


def listed(dialog: RecurringDialog) -> list[str]:
    options = dialog.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_recurring(pilot: Any) -> RecurringDialog:
    await pilot.press("E")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecurringDialog), what="rules")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RecurringDialog)
    return screen


async def test_e_lists_the_rules_and_x_ends_one_after_asking(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    desk = Desk(store)
    add_recurring(desk, ItemFields(title="check backups", every="tue 9:00"), NOW)
    add_recurring(desk, ItemFields(title="rotate logs", every="day"), NOW)
    expected = [
        recurring_line(entry, NOW).replace("\t", "  ") for entry in read_recurring(Desk(observer))
    ]
    app = make_app(store, None, at(NOW))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        dialog = await open_recurring(pilot)
        assert listed(dialog) == expected
        assert "check backups" in listed(dialog)[0]
        # x asks first; Escape keeps the rule
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction), what="the question")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is dialog, what="the list again")
        assert all(rule.stopped_at is None for rule in observer.recurrences())
        # x then y ends the highlighted rule, and the list shows it gone
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction), what="the question")
        await pilot.press("y")
        await wait_for(pilot, lambda: len(listed(dialog)) == 1, what="the rule gone")
        assert "rotate logs" in listed(dialog)[0]
        stopped = observer.recurrences(include_stopped=True)
        assert [rule.stopped_at is not None for rule in stopped] == [True, False]
        assert observer.journal()[0]["action"] == "stop"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="the queue")


async def test_with_no_rules_the_list_says_how_to_add_one(
    store: Store, make_app: AppFactory
) -> None:
    app = make_app(store, None, at(NOW))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        dialog = await open_recurring(pilot)
        assert listed(dialog) == []
        help_text = str(dialog.query_one("#recurring-help").render())
        assert "No recurring work" in help_text
