"""Something lands while a job is in hand: the banner asks "Pause X for Y?" and i switches."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.desk import Desk
from techqueue.store import Store

from .conftest import (
    NOW,
    SIZE,
    AppFactory,
    by_title,
    capture,
    main_screen,
    notices,
    plain,
    select_title,
    settle,
    wait_for,
)

pytestmark = pytest.mark.timeout(60)


def busy_store(store: Store) -> Store:
    job = actions.add(
        Desk(store), ItemFields(title="Fix Bob's laptop", estimate_minutes=10), NOW
    ).item
    actions.start(Desk(store), job.id, NOW)
    return store


def banner(app: object) -> Static:
    return main_screen(app).query_one("#interrupt", Static)


async def test_a_quick_question_while_busy_offers_the_switch_and_i_takes_it(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    app = make_app(busy_store(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not banner(app).has_class("-shown")
        await capture(pilot, "Wifi password? ~30s from:Dana")
        shown = plain(banner(app))
        assert banner(app).has_class("-shown")
        assert "Pause #1 Fix Bob's laptop for #2 Wifi password??" in shown
        assert "30s question" in shown
        await pilot.press("i")
        await settle(pilot)
        assert not banner(app).has_class("-shown")
    assert by_title(observer, "Wifi password?").status == "active"
    assert by_title(observer, "Fix Bob's laptop").status == "paused"


async def test_a_normal_ticket_during_a_short_fix_is_not_worth_a_switch(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    app = make_app(busy_store(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await capture(pilot, "New starter account @ticket ~20m")
        assert not banner(app).has_class("-shown")
        messages = notices(app)
        assert any("Keep on: finish #1" in message for message in messages), messages
        await pilot.press("i")
        await settle(pilot)
    assert by_title(observer, "Fix Bob's laptop").status == "active"


async def test_escape_dismisses_the_banner_and_keeps_on(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    app = make_app(busy_store(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        actions.add(
            Desk(observer), ItemFields(title="CEO cannot print", vip=True, severity="critical"), NOW
        )
        # the poll notices the other terminal's write
        await wait_for(pilot, lambda: banner(app).has_class("-shown"), what="the banner")
        await pilot.press("escape")
        await pilot.pause()
        assert not banner(app).has_class("-shown")
    assert by_title(observer, "Fix Bob's laptop").status == "active"


async def test_the_banner_goes_once_the_newcomer_is_started_another_way(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    app = make_app(busy_store(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await capture(pilot, "Wifi password? ~30s from:Dana")
        await wait_for(pilot, lambda: banner(app).has_class("-shown"), what="the banner")
        await select_title(pilot, "Wifi password?")
        await pilot.press("s")  # started by hand rather than with i
        await settle(pilot)
        assert by_title(observer, "Wifi password?").status == "active"
        assert not banner(app).has_class("-shown"), "no question left to ask"


async def test_an_item_back_from_an_undo_has_not_just_landed(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    actions.add(Desk(store), ItemFields(title="Quick question", estimate_minutes=0.5), NOW)
    app = make_app(busy_store(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not banner(app).has_class("-shown")
        await select_title(pilot, "Quick question")
        await pilot.press("d")
        await pilot.press("y")  # it is not the job in hand: d asks first
        await settle(pilot)
        assert by_title(observer, "Quick question").status == "done"
        await pilot.press("u")
        await settle(pilot)
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert by_title(observer, "Quick question").status == "open"
        assert not banner(app).has_class("-shown"), "it was there before the job began"
