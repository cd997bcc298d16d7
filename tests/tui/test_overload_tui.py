"""More work than hours, in the app: the header says so, O lists who will wait past 3× their
target with what to tell them, and the ways out are one key each (the list stays open and
shows each change)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import OverloadDialog, Prompt
from techqueue.tui.screens.main import MainScreen
from techqueue.tui.widgets import StatusLine

from .conftest import NOW, AppFactory, at, main_screen, plain, settle, type_text, wait_for

pytestmark = pytest.mark.timeout(60)
LATER = NOW + timedelta(hours=2)  # Monday 11:00


def too_much(store: Store) -> list[int]:
    """Twelve two-hour jobs for twelve people at 09:00: three days of work for one."""
    return [
        actions.add(
            Desk(store),
            ItemFields(title=f"Migrate mailbox {n}", requester=f"User{n}", estimate_minutes=120),
            NOW,
        ).item.id
        for n in range(1, 13)
    ]


def listed(dialog: OverloadDialog) -> list[str]:
    options = dialog.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_overload(pilot: Any) -> OverloadDialog:
    await pilot.press("O")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, OverloadDialog), what="the list")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, OverloadDialog)
    return screen


async def test_the_header_says_overloaded_and_o_lists_who_with_what_to_say(
    store: Store, make_app: AppFactory
) -> None:
    too_much(store)
    app = make_app(store, None, at(LATER))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        header = plain(main_screen(app).query_one(StatusLine))
        assert "overloaded: 18 h more work than today's hours;" in header
        assert "people will wait past 3× their target" in header
        dialog = await open_overload(pilot)
        rows = listed(dialog)
        assert rows
        assert "waits past Tue 03 Mar 13:00 by" in " ".join(rows)
        told = plain(dialog.query_one("#overload-tell", Static))
        assert told.startswith("Tell them: I can't get to this before ")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="the queue")


async def test_hand_off_and_defer_with_a_promise_from_the_list(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    too_much(store)
    app = make_app(store, None, at(LATER))
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        dialog = await open_overload(pilot)
        first = dialog.highlighted()
        assert first is not None
        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, Prompt), what="to whom")
        await type_text(pilot, "Sam")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: observer.get(first.item.id).status == "dropped", what="the hand-off"
        )
        await settle(pilot)
        assert app.screen is dialog, "the list stays open"
        assert observer.get(first.item.id).drop_reason == "handed off to Sam"
        assert all(f"#{first.item.id} " not in row for row in listed(dialog))
        second = dialog.highlighted()
        assert second is not None
        await pilot.press("z")
        await wait_for(pilot, lambda: isinstance(app.screen, Prompt), what="until when")
        await pilot.press("enter")  # the expected start, offered
        await wait_for(
            pilot,
            lambda: observer.get(second.item.id).deferred_until is not None,
            what="the deferral",
        )
        kept = observer.get(second.item.id)
        assert kept.promise_due_at == kept.deferred_until, "promised the same time"
