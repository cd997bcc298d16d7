"""The edit dialog's preview places the item where the queue will put it once saved: with its
own arrival, its learned estimate, its pin, bump and promise, in place of itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import QuickAdd

from .conftest import (
    NOW,
    SIZE,
    AppFactory,
    main_screen,
    plain,
    queue,
    queue_titles,
    select_title,
    settle,
    type_text,
    wait_for,
)

pytestmark = pytest.mark.timeout(120)

HOUR = timedelta(hours=1)


def varied(store: Store) -> Store:
    """A queue whose ranks depend on more than a line says: arrivals hours apart, an estimate
    learned from finished work, a pin, a bump, a promise, a VIP requester, a job in hand."""
    desk = Desk(store)

    def add(title: str, at: timedelta = timedelta(0), **fields: object) -> int:
        return actions.add(desk, ItemFields(title=title, **fields), NOW - at).item.id  # type: ignore[arg-type]

    toner = add("Printer toner empty", 6 * HOUR, tags=("printer",))
    actions.start(desk, toner, NOW - 6 * HOUR)
    actions.done(desk, toner, NOW - 4 * HOUR)  # two hours: learned for printer work
    add("Printer toner streaks", 3 * HOUR, tags=("printer",))
    add("Password reset", estimate_minutes=2, requester="Carol")
    add("Old ticket nobody answered", 30 * HOUR, severity="low", estimate_minutes=20)
    pinned = add("Projector for the board", estimate_minutes=60, severity="low")
    actions.pin(desk, pinned, NOW)
    bumped = add("Spreadsheet macro", estimate_minutes=45)
    actions.bump(desk, bumped, 3, NOW)
    promised = add("Laptop dock", 2 * HOUR, estimate_minutes=30, requester="Eve")
    actions.note(desk, promised, "By ten", NOW - HOUR, kind="promise", due_at=NOW + HOUR)
    add("Board call audio", estimate_minutes=15, requester="Dana")
    actions.set_vip(desk, "Dana", NOW)
    job = add("Server patching", HOUR, severity="high", estimate_minutes=90)
    actions.start(desk, job, NOW - HOUR / 2)
    add("Mouse double-clicks", 20 * timedelta(minutes=1), severity="high", estimate_minutes=10)
    return store


def preview(app: TechQueueApp) -> str:
    return plain(app.screen.query_one("#quick-preview", Static))


@pytest.fixture
def varied_app(store: Store, make_app: AppFactory) -> TechQueueApp:
    return make_app(varied(store))


async def test_an_unchanged_edit_lands_where_the_item_is(varied_app: TechQueueApp) -> None:
    app = varied_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = main_screen(app).board
        assert board is not None
        count = len(board.ranked)
        for entry in board.ranked:
            await select_title(pilot, entry.item.title)
            await pilot.press("e")
            assert isinstance(app.screen, QuickAdd)
            await wait_for(pilot, lambda: "lands at #" in preview(app), what="the placement")
            said = preview(app).split("lands at ")[1]
            assert said == f"#{entry.rank} of {count}", (entry.item.title, said)
            await pilot.press("escape")
            await settle(pilot)


async def test_an_edit_lands_where_the_preview_said(varied_app: TechQueueApp) -> None:
    """More people affected: saved, the item is where the preview placed it."""
    app = varied_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, "Printer toner streaks")
        await pilot.press("e")
        await pilot.press("end")
        await type_text(pilot, " x:25")
        await wait_for(
            pilot,
            lambda: "people: 25" in preview(app) and "lands at #" in preview(app),
            what="the new placement",
        )
        place = int(preview(app).split("lands at #")[1].split()[0])
        await pilot.press("enter")
        await settle(pilot)
        assert queue_titles(app).index("Printer toner streaks") + 1 == place
        assert queue(app).row_count == len(queue_titles(app))


async def test_a_capture_from_a_vip_lands_where_the_preview_said(varied_app: TechQueueApp) -> None:
    app = varied_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        count = len(queue_titles(app))
        await pilot.press("a")
        await type_text(pilot, "Dana's phone will not sync ~20m from:dana")
        await wait_for(pilot, lambda: "lands at #" in preview(app), what="the placement")
        said = preview(app).split("lands at ")[1]
        place = int(said.split()[0][1:])
        assert said.endswith(f" of {count + 1}")
        await pilot.press("enter")
        await settle(pilot)
        assert queue_titles(app).index("Dana's phone will not sync") + 1 == place
