"""What the screen looks like, pinned as SVG snapshots (pytest-textual-snapshot).

Every snapshot runs on a store seeded at the fixed ``NOW`` with the app's clock fixed there
too, so no real time reaches the screen. Regenerate after a deliberate change with
``pytest tests/tui --snapshot-update`` and review the SVGs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from techqueue import actions
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import KeysScreen, QuickAdd

from .conftest import (
    EVENING,
    NEXT_MORNING,
    AppFactory,
    a_day,
    at,
    crowd,
    open_review,
    plain,
    settle,
    type_text,
    wait_for,
)

pytestmark = pytest.mark.timeout(60)

QUICK_ADD_LINE = "Scanner offline @phone !high ~10m from:Grace #scanner"


async def _settled(pilot: Pilot[Any]) -> None:
    await settle(pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_main_screen_with_a_seeded_queue(
    snap_compare: Any, seeded_store: Store, make_app: AppFactory, size: tuple[int, int]
) -> None:
    assert snap_compare(make_app(seeded_store), terminal_size=size, run_before=_settled)


@pytest.mark.parametrize("size", [(80, 24), (60, 15)], ids=["80x24", "60x15"])
def test_a_crowded_queue_on_a_small_terminal(
    snap_compare: Any, store: Store, make_app: AppFactory, size: tuple[int, int]
) -> None:
    """Titles cut with "…", every value whole, the timer in the header; at 60x15 the least
    useful columns give way and the lower panes shrink, so the queue keeps its rows."""
    assert snap_compare(make_app(crowd(store)), terminal_size=size, run_before=_settled)


def test_quick_add_with_the_live_preview(
    snap_compare: Any, seeded_store: Store, make_app: AppFactory
) -> None:
    async def typed(pilot: Pilot[Any]) -> None:
        app = pilot.app
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, QuickAdd)
        await type_text(pilot, QUICK_ADD_LINE)
        preview = app.screen.query_one("#quick-preview", Static)
        await wait_for(pilot, lambda: "lands at #" in plain(preview), what="the placement")
        await settle(pilot)
        field = app.screen.query_one(Input)
        field.cursor_blink = False  # a blinking cursor would make the picture flicker
        assert field.value == QUICK_ADD_LINE

    assert snap_compare(make_app(seeded_store), terminal_size=(100, 30), run_before=typed)


def test_keys_screen(snap_compare: Any, seeded_store: Store, make_app: AppFactory) -> None:
    async def opened(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, KeysScreen)

    assert snap_compare(make_app(seeded_store), terminal_size=(100, 30), run_before=opened)


def test_first_run_on_an_empty_store(snap_compare: Any, store: Store, make_app: AppFactory) -> None:
    async def welcomed(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        assert "Press  a  to capture" in plain(pilot.app.screen.query_one("#welcome", Static))

    assert snap_compare(make_app(store), terminal_size=(100, 30), run_before=welcomed)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_review_screen_at_the_end_of_a_day(
    snap_compare: Any, store: Store, make_app: AppFactory, size: tuple[int, int]
) -> None:
    from techqueue.core.settings import Settings

    a_day(store)

    async def reviewed(pilot: Pilot[Any]) -> None:
        await open_review(pilot)
        await pilot.press("c")
        await settle_review(pilot)

    app = make_app(store, Settings(morning_summary=False), at(EVENING))
    assert snap_compare(app, terminal_size=size, run_before=reviewed)


async def settle_review(pilot: Pilot[Any]) -> None:
    from techqueue.tui.screens.review import ReviewScreen

    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    await wait_for(pilot, lambda: bool(screen.decided), what="the decision")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_morning_summary(snap_compare: Any, store: Store, make_app: AppFactory) -> None:
    from techqueue.core.settings import Settings
    from techqueue.tui.screens.morning import MorningSummary

    ids = a_day(store)
    actions.carry_over(
        Desk(store), [ids["printer"]], NEXT_MORNING - timedelta(hours=15), note="Part tomorrow"
    )
    actions.remind(
        Desk(store), None, NEXT_MORNING, "Check the backups", NEXT_MORNING - timedelta(hours=15)
    )

    async def shown(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MorningSummary))
        await settle(pilot)

    app = make_app(store, Settings(), at(NEXT_MORNING))
    assert snap_compare(app, terminal_size=(100, 30), run_before=shown)
