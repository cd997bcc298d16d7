"""The escalation sweep in the app: the review marks the long-open items closable in a
quarter of an hour, ``e`` goes to one and ``+`` raises it; the morning summary lists them and
a number key raises one, with the main screen's bump."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from rich.console import Console
from textual.widgets import OptionList

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.screens.morning import MorningSummary
from techqueue.tui.screens.review import review_renderable

from .conftest import EVENING, NEXT_MORNING, NOW, AppFactory, at, open_review, wait_for

pytestmark = pytest.mark.timeout(60)


def _queue(store: Store) -> dict[str, int]:
    """A quick job open since last Wednesday, and today's others ranking above it."""
    desk = Desk(store)

    def add(title: str, received: timedelta, **fields: object) -> int:
        fields = {"received_at": NOW - received, **fields}
        return actions.add(desk, ItemFields(title=title, **fields), NOW).item.id  # type: ignore[arg-type]

    return {
        "server": add("Server patching", timedelta(0), severity="high", estimate_minutes=60),
        "vpn": add("VPN for Bob", timedelta(0), severity="high", estimate_minutes=30),
        "toner": add("Toner for reception", timedelta(days=5), estimate_minutes=10),
    }


def _highlighted(options: OptionList) -> int:
    assert options.highlighted is not None
    return int(options.get_option_at_index(options.highlighted).id or 0)


async def test_the_review_marks_it_e_goes_there_and_plus_raises_it(
    store: Store, observer: Store, make_app: AppFactory
) -> None:
    ids = _queue(store)
    app = make_app(store, Settings(morning_summary=False), at(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        assert screen.review is not None
        assert [entry.id for entry in screen.review.escalate] == [ids["toner"]]
        options = screen.query_one(OptionList)
        assert _highlighted(options) != ids["toner"]
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(review_renderable(screen.review))
        summary = console.export_text()
        assert "Worth escalating" in summary
        assert "Toner for reception" in summary
        await pilot.press("e")
        assert _highlighted(options) == ids["toner"]
        line = str(options.get_option_at_index(options.highlighted or 0).prompt)
        assert "worth escalating" in line
        await pilot.press("plus")
        await wait_for(pilot, lambda: ids["toner"] in screen.decided, what="the raise")
        assert observer.get(ids["toner"]).bump == 1
        await wait_for(pilot, lambda: screen.review is not None and not screen.review.escalate)


async def test_the_morning_lists_them_and_a_number_raises_one(
    store: Store, observer: Store, make_app: AppFactory
) -> None:
    ids = _queue(store)
    app = make_app(store, Settings(), at(NEXT_MORNING))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MorningSummary) and app.screen.is_mounted,
            what="the summary",
        )
        summary = app.screen
        assert isinstance(summary, MorningSummary)
        text = str(summary.query_one("#morning-body").render())
        assert "Worth escalating (1)" in text
        assert f"1. #{ids['toner']} Toner for reception" in text
        await pilot.press("2")  # no second proposal: nothing happens
        await pilot.press("1")
        await wait_for(pilot, lambda: observer.get(ids["toner"]).bump == 1, what="the raise")
        assert summary.raised == {ids["toner"]}
        await pilot.press("1")  # once is enough
        await pilot.app.workers.wait_for_complete()
        assert observer.get(ids["toner"]).bump == 1
        assert "Raised: #" in str(summary.query_one("#morning-body").render())
