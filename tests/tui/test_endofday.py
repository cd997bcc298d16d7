"""The end and the start of the day in the app: the review screen's one-key decisions,
then the next morning's summary, shown once and brought back from the palette."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from techqueue.app import TechQueueApp
from techqueue.screens.main import MainScreen
from techqueue.screens.morning import MorningSummary
from techqueue.screens.review import ReviewScreen
from techqueue.settings import Settings
from techqueue.store import ItemChanges, Store

from .conftest import NOW, settle, wait_for

pytestmark = pytest.mark.timeout(60)
MINUTE = timedelta(minutes=1)
EVENING = NOW + timedelta(hours=8, minutes=30)  # 17:30
NEXT_MORNING = NOW + timedelta(days=1)


def a_day(store: Store) -> dict[str, int]:
    """Monday: a finished item, one worked and paused, one promised, one left untouched."""

    def add(title: str, at: datetime, **fields: Any) -> int:
        return store.add(ItemChanges(title=title, **fields), at).id

    vpn = add("VPN down for sales", NOW, severity="critical", channel="phone", tags=("network",))
    printer = add("Printer jammed", NOW, severity="high", channel="desk", requester="Alice")
    laptop = add("New laptop [b]Carol[/b]", NOW + 60 * MINUTE, channel="email", tags=("laptop",))
    store.start(vpn, NOW)
    store.note(vpn, "Back by 10", NOW, kind="promise", due_at=NOW + 60 * MINUTE)
    store.done(vpn, NOW + 45 * MINUTE)
    store.start(printer, NOW + 50 * MINUTE)
    store.pause(printer, NOW + 80 * MINUTE)
    store.note(laptop, "By noon", NOW + 70 * MINUTE, kind="promise", due_at=NOW + 3 * 60 * MINUTE)
    store.start(laptop, NOW + 4 * 60 * MINUTE)
    store.pause(laptop, NOW + 5 * 60 * MINUTE)
    monitor = add("Monitor flickers", NOW + 6 * 60 * MINUTE, requester="Eve")
    return {"vpn": vpn, "printer": printer, "laptop": laptop, "monitor": monitor}


def at(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


async def open_review(pilot: Pilot[Any]) -> ReviewScreen:
    await settle(pilot)
    await pilot.press("R")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    await wait_for(pilot, lambda: screen.review is not None, what="the review")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


def highlighted_id(screen: ReviewScreen) -> int:
    options = screen.query_one(OptionList)
    assert options.highlighted is not None
    return int(options.get_option_at_index(options.highlighted).id or 0)


async def test_a_day_reviewed_then_the_next_morning(store: Store) -> None:
    ids = a_day(store)
    app = TechQueueApp(store, Settings(morning_summary=False), at(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        review = screen.review
        assert review is not None
        assert review["worked_minutes"] == 45 + 30 + 60
        assert [p["item_id"] for p in review["promises"]["kept"]] == [ids["vpn"]]
        assert [p["item_id"] for p in review["promises"]["broken"]] == [ids["laptop"]]
        order = [entry["id"] for entry in review["open"]]
        assert set(order) == {ids["printer"], ids["laptop"], ids["monitor"]}
        # carry over the first, skip the second, leave the third undecided, finish
        first = highlighted_id(screen)
        await pilot.press("c")
        await wait_for(pilot, lambda: first in screen.decided, what="the carry-over")
        second = highlighted_id(screen)
        assert second != first
        await pilot.press("space")
        assert second in screen.skipped
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="back to the queue")
        await settle(pilot)
    kinds = {item_id: [n.kind for n in store.notes(item_id)] for item_id in order}
    assert "carry" in kinds[first]
    others = [item_id for item_id in order if item_id != first]
    assert all("skipped" in kinds[item_id] for item_id in others)

    morning_app = TechQueueApp(store, Settings(), at(NEXT_MORNING))
    async with morning_app.run_test(size=(100, 30)) as pilot:
        await wait_for(
            pilot,
            lambda: (
                isinstance(morning_app.screen, MorningSummary) and morning_app.screen.is_mounted
            ),
            what="the summary",
        )
        text = str(morning_app.screen.query_one("#morning-body").render())
        assert "Carried over (3)" in text
        assert "skipped at the review" in text
        assert "New laptop [b]Carol[/b]" in text  # shown as typed, not as markup
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(morning_app.screen, MainScreen), what="queue")
        await settle(pilot)
        await pilot.press("m")  # and back again on request
        await wait_for(pilot, lambda: isinstance(morning_app.screen, MorningSummary), what="again")
        await pilot.press("escape")
    assert store.meta("morning_summary_shown") == "2026-03-03"

    again = TechQueueApp(store, Settings(), at(NEXT_MORNING + 60 * MINUTE))
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(again.screen, MainScreen)  # once a day


async def test_no_morning_summary_on_an_empty_store_or_when_switched_off(store: Store) -> None:
    app = TechQueueApp(store, Settings(), at(NEXT_MORNING))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(app.screen, MainScreen)
    a_day(store)
    off = TechQueueApp(store, Settings(morning_summary=False), at(NEXT_MORNING))
    async with off.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(0.2)
        assert isinstance(off.screen, MainScreen)
    assert store.meta("morning_summary_shown") is None


async def test_review_decisions_defer_rerank_and_drop_are_store_actions(store: Store) -> None:
    ids = a_day(store)
    app = TechQueueApp(store, Settings(morning_summary=False), at(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        target = highlighted_id(screen)
        await pilot.press("plus")
        await wait_for(pilot, lambda: target in screen.decided, what="the bump")
        assert store.get(target).bump == 1
        screen.query_one(OptionList).highlighted = 0
        target = highlighted_id(screen)
        await pilot.press("z")
        await pilot.press("enter")  # the default: tomorrow (at the start of working hours)
        await wait_for(pilot, lambda: "deferred" in screen.decided.get(target, ""), what="defer")
        assert store.get(target).deferred_until is not None
        await wait_for(
            pilot, lambda: target not in [e["id"] for e in (screen.review or {})["open"]]
        )
        screen.query_one(OptionList).highlighted = 0
        target = highlighted_id(screen)
        await pilot.press("x")
        await pilot.press("d", "u", "p", "enter")
        await wait_for(pilot, lambda: target in screen.decided, what="the drop")
        assert store.get(target).status == "dropped"
        assert store.get(target).drop_reason == "dup"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="closed")
    assert ids
