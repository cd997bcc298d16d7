"""The cursor and the item in hand: the app opens on it, an undo leaves the cursor on its
item, and a key that closes an item asks first when the highlighted row is not the one in
hand (the cursor may have wandered off it)."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import ConfirmAction, ConfirmDrop, Prompt
from techqueue.tui.screens.main import MainScreen

from .conftest import (
    NOW,
    SIZE,
    AppFactory,
    by_title,
    detail_text,
    plain,
    queue,
    queue_titles,
    screen_text,
    select_title,
    selected,
    settle,
    type_text,
)

pytestmark = pytest.mark.timeout(60)

MONITOR = "New monitor for reception"
PASSWORD = "Reset a forgotten password"
VPN = "VPN down for the sales floor"


@pytest.fixture
def busy_app(seeded_store: Store, make_app: AppFactory) -> TechQueueApp:
    """The seeded queue with the monitor (last in rank) in hand."""
    actions.start(Desk(seeded_store), by_title(seeded_store, MONITOR).id, NOW)
    return make_app(seeded_store)


async def test_the_app_opens_on_the_item_in_hand(busy_app: TechQueueApp) -> None:
    app = busy_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert queue_titles(app)[0] != MONITOR, "the item in hand is not first"
        assert selected(app).title == MONITOR
        assert MONITOR in detail_text(app)


async def test_the_app_opens_on_the_item_in_hand_far_down_a_long_queue(
    store: Store, make_app: AppFactory
) -> None:
    for number in range(60):
        actions.add(
            Desk(store), ItemFields(title=f"Item {number:02d}", estimate_minutes=number + 1), NOW
        )
    actions.start(Desk(store), by_title(store, "Item 50").id, NOW)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert selected(app).title == "Item 50"
        assert "Item 50" in screen_text(app), "scrolled to it"


async def test_undo_leaves_the_cursor_on_its_item_wherever_it_moved(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        await pilot.press("t")  # pinned: to the top, the cursor with it
        await settle(pilot)
        assert queue_titles(app)[0] == MONITOR
        await select_title(pilot, PASSWORD)
        before = queue(app).cursor
        await pilot.press("u")  # the monitor goes back down, the password moves up a place
        await settle(pilot)
        assert queue_titles(app)[-1] == MONITOR
        assert queue(app).cursor == queue_titles(app).index(PASSWORD) < before
        assert selected(app).title == PASSWORD
        await select_title(pilot, MONITOR)
        await pilot.press("t")
        await settle(pilot)
        await pilot.press("u")  # its own undo: it moves back down, the cursor with it
        await settle(pilot)
        assert queue_titles(app)[-1] == MONITOR
        assert selected(app).title == MONITOR


# --- closing another item than the one in hand ----------------------------------------------


def question(app: TechQueueApp) -> str:
    return plain(app.screen.query_one("#confirm-question", Static))


@pytest.mark.parametrize("confirm", ["y", "enter"])
async def test_done_on_another_item_asks_first(
    busy_app: TechQueueApp, observer: Store, confirm: str
) -> None:
    app = busy_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        held = by_title(observer, MONITOR)
        await select_title(pilot, PASSWORD)
        target = selected(app)
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmAction)
        assert question(app) == (
            f"Mark #{target.id} done? It is not the one in hand (#{held.id} {MONITOR})."
        )
        await pilot.press(confirm)
        await settle(pilot)
        assert observer.get(target.id).status == "done"
        assert observer.get(held.id).status == "active"


async def test_escape_keeps_the_item_the_question_was_about(
    busy_app: TechQueueApp, observer: Store
) -> None:
    app = busy_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        journal = observer.last_journal_id()
        await select_title(pilot, PASSWORD)
        for key in ("d", "w", "z"):
            await pilot.press(key)
            assert isinstance(app.screen, ConfirmAction), key
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
        assert observer.last_journal_id() == journal, "nothing written"
        assert by_title(observer, PASSWORD).status == "open"


async def test_wait_and_defer_on_another_item_ask_first(
    busy_app: TechQueueApp, observer: Store
) -> None:
    app = busy_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, PASSWORD)
        target = selected(app)
        await pilot.press("w")
        assert "waiting on the customer? It is not the one in hand" in question(app)
        await pilot.press("y")
        await settle(pilot)
        assert observer.get(target.id).status == "waiting"
        await select_title(pilot, VPN)
        target = selected(app)
        await pilot.press("z")
        assert f"Put #{target.id} aside? It is not the one in hand" in question(app)
        await pilot.press("y")
        assert isinstance(app.screen, Prompt), "then: until when"
        await type_text(pilot, "tomorrow 9:00")
        await pilot.press("enter")
        await settle(pilot)
        assert observer.get(target.id).deferred_until is not None


async def test_drop_on_another_item_says_so_in_its_one_question(
    busy_app: TechQueueApp, observer: Store
) -> None:
    app = busy_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        held = by_title(observer, MONITOR)
        await select_title(pilot, PASSWORD)
        target = selected(app)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDrop)
        warning = plain(app.screen.query_one("#drop-warning", Static))
        assert warning == f"It is not the one in hand (#{held.id} {MONITOR})."
        await pilot.press("enter")
        await settle(pilot)
        assert observer.get(target.id).status == "dropped"


async def test_closing_the_item_in_hand_asks_nothing(
    busy_app: TechQueueApp, observer: Store
) -> None:
    app = busy_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        held = selected(app)
        assert held.status == "active"
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDrop)
        assert not app.screen.query("#drop-warning")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert observer.get(held.id).status == "done"
