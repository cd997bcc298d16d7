"""The detail pane scrolls from the keyboard: J and K (remappable by their binding ids)."""

from __future__ import annotations

import pytest

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import KeysScreen
from techqueue.tui.widgets import DetailPane

from .conftest import NOW, SIZE, AppFactory, main_screen, screen_text, settle

pytestmark = pytest.mark.timeout(60)


def long_detail(store: Store) -> Store:
    item = actions.add(Desk(store), ItemFields(title="Noted item", estimate_minutes=5), NOW)
    for number in range(30):
        actions.note(Desk(store), item.item.id, f"Note number {number}", NOW)
    return store


def pane(app: TechQueueApp) -> DetailPane:
    return main_screen(app).query_one(DetailPane)


@pytest.mark.parametrize(
    ("keymap", "down", "up"),
    [({}, "J", "K"), ({"detail_down": "ctrl+n", "detail_up": "ctrl+b"}, "ctrl+n", "ctrl+b")],
)
async def test_the_detail_pane_scrolls_from_the_keyboard(
    store: Store, make_app: AppFactory, keymap: dict[str, str], down: str, up: str
) -> None:
    app = make_app(long_detail(store), Settings(keymap=keymap, morning_summary=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        detail = pane(app)
        assert detail.max_scroll_y > 3, "the notes are longer than the pane"
        assert detail.scroll_y == 0
        await pilot.press(down, down, down)
        await pilot.pause()
        assert detail.scroll_y == 3
        await pilot.press(*[down] * (int(detail.max_scroll_y) - 3 + 2))  # two past the end
        await pilot.pause()
        assert detail.scroll_y == detail.max_scroll_y
        assert "Note number 29" in screen_text(app)
        await pilot.press(up)
        await pilot.pause()
        assert detail.scroll_y == detail.max_scroll_y - 1


async def test_the_keys_screen_lists_the_detail_keys(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(app)
        assert any(
            "J" in line and "Scroll the detail pane down" in line for line in shown.split("\n")
        )
        assert any(
            "K" in line and "Scroll the detail pane up" in line for line in shown.split("\n")
        )
