"""The insight screen: ``I`` on the queue opens the report of the last weeks, read in a
worker; ``+``/``-`` change the period, ``?`` lists its keys, Escape goes back."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from rich.console import Console

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import KeysScreen
from techqueue.tui.screens.insight import InsightScreen
from techqueue.tui.screens.main import MainScreen
from techqueue.views.insight import insight_renderable

from .conftest import NOW, SIZE, AppFactory, screen_text, settle, wait_for

pytestmark = pytest.mark.timeout(60)


def _history(store: Store) -> None:
    desk = Desk(store)
    for days, title, tag in ((2, "Printer jammed", "printer"), (9, "VPN drops", "vpn")):
        at = NOW - timedelta(days=days)
        item = actions.add(desk, ItemFields(title=title, tags=(tag,)), at).item.id
        actions.start(desk, item, at)
        actions.done(desk, item, at + timedelta(minutes=40))


def _text(screen: InsightScreen) -> str:
    assert screen.insight is not None
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(insight_renderable(screen.insight))
    return console.export_text()


async def test_I_opens_the_report_and_plus_lengthens_the_period(
    store: Store, make_app: AppFactory
) -> None:
    _history(store)
    app: TechQueueApp = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("I")
        screen = app.screen
        assert isinstance(screen, InsightScreen)
        await wait_for(pilot, lambda: screen.insight is not None, what="the report")
        assert screen.insight is not None
        assert screen.insight.period.weeks == 4
        assert screen.insight.received == 2
        shown = _text(screen)
        assert "Tags by count" in shown
        assert "printer" in shown
        assert "The issues that cost the most time this month" in shown
        assert "Insight: the last 4 weeks" in screen_text(app)
        await pilot.press("minus")
        await wait_for(
            pilot,
            lambda: screen.insight is not None and screen.insight.period.weeks == 2,
            what="two weeks",
        )
        await pilot.press("minus", "minus")
        await wait_for(
            pilot,
            lambda: screen.insight is not None and screen.insight.period.weeks == 1,
            what="one week",
        )
        assert screen.insight is not None
        assert screen.insight.received == 1  # the VPN item is the week before
        assert screen.insight.previous_received == 1
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        assert "A longer period" in screen_text(app)
        await pilot.press("escape")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="the queue")
