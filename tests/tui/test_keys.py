"""Every key of the main screen, driven through Pilot, with the store checked afterwards."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

import pytest
from rich.segment import Segment
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import Vertical
from textual.geometry import Region
from textual.widgets import OptionList, Static
from textual.widgets._footer import FooterKey

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import ConfirmDrop, KeysScreen, Prompt, QuickAdd
from techqueue.tui.screens.main import MainScreen
from techqueue.tui.widgets import DetailPane, KeysFooter
from techqueue.tui.widgets.queue_table import _thumb
from techqueue.views.board import Board

from .conftest import (
    NOW,
    SIZE,
    AppFactory,
    all_items,
    by_title,
    capture,
    detail_text,
    input_value,
    main_screen,
    notices,
    plain,
    queue,
    queue_titles,
    screen_lines,
    screen_text,
    select_title,
    selected,
    settle,
    type_text,
    wait_for,
)

pytestmark = pytest.mark.timeout(60)

PRINTER = "Printer jammed on floor 2"
VPN = "VPN down for the sales floor"
PASSWORD = "Reset a forgotten password"
MONITOR = "New monitor for reception"


def preview_text(app: TechQueueApp) -> str:
    return plain(app.screen.query_one("#quick-preview", Static))


def error_text(app: TechQueueApp, selector: str) -> str:
    return plain(app.screen.query_one(selector, Static))


# --- a: quick-add ------------------------------------------------------------------------------


async def test_capture_previews_and_saves_the_parsed_line(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        assert isinstance(app.screen, QuickAdd)
        await type_text(pilot, "Server room too hot @phone !critical ~10m from:Eve #hvac x:3")
        await wait_for(pilot, lambda: "lands at #" in preview_text(app), what="the placement")
        preview = preview_text(app)
        for part in (
            "title: Server room too hot",
            "from: Eve",
            "VIP: no",
            "severity: critical",
            "channel: phone",
            "estimate: 10 min",
            "tags: #hvac",
            "people: 3",
            "of 5",
        ):
            assert part in preview, (part, preview)
        place = int(preview.split("lands at #")[1].split()[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)

        item = by_title(observer, "Server room too hot")
        assert (item.severity, item.channel, item.requester) == ("critical", "phone", "Eve")
        assert item.estimate_minutes == 10
        assert item.tags == ("hvac",)
        assert item.impact == 3
        assert item.status == "open"
        assert len(all_items(observer)) == 5
        # It landed where the preview said, and the cursor is on it.
        assert queue_titles(app).index("Server room too hot") + 1 == place
        assert selected(app).id == item.id
        assert f"Ranks {place} " in detail_text(app)


async def test_ctrl_j_is_enter(app: TechQueueApp, observer: Store) -> None:
    """A line typed as the app starts, before it has the terminal, ends in a line feed (the
    terminal, not yet raw, turns Enter's carriage return into one): Ctrl+J, taken as Enter."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "Mouse broken @desk")
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert any(item.title == "Mouse broken" for item in all_items(observer))


async def test_capture_escape_saves_nothing(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "Mouse broken @desk")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert len(all_items(observer)) == 4
        assert observer.last_journal_id() == 4


async def test_capture_opens_clean_after_an_escape_a_bad_line_and_an_edit(
    app: TechQueueApp, observer: Store
) -> None:
    """The dialog is kept between uses: each opening starts from its own line and title."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "Coffee machine leaking !urgentish")
        await pilot.pause()
        assert "!urgentish" in error_text(app, "#quick-error")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, QuickAdd)
        assert input_value(app) == ""
        assert error_text(app, "#quick-error") == ""
        assert preview_text(app) == ""
        await pilot.press("escape")
        await settle(pilot)

        item = selected(app)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, QuickAdd)
        assert input_value(app).startswith(item.title)
        assert str(app.screen.query_one(Vertical).border_title) == f"Edit #{item.id}"
        await wait_for(pilot, lambda: "lands at #" in preview_text(app), what="the preview")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("a")
        await pilot.pause()
        assert input_value(app) == ""
        assert preview_text(app) == ""
        assert str(app.screen.query_one(Vertical).border_title) == "Capture"
        await type_text(pilot, "Mouse broken @desk")
        await pilot.press("enter")
        await settle(pilot)
    assert by_title(observer, "Mouse broken").channel == "desk"
    assert len(all_items(observer)) == 5


async def test_capture_bad_token_is_shown_inline_and_keeps_the_text(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        line = "Coffee machine leaking !urgentish"
        await type_text(pilot, line)
        await pilot.pause()
        assert "!urgentish" in error_text(app, "#quick-error")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QuickAdd), "a bad line must not close the dialog"
        assert input_value(app) == line
        assert "!urgentish" in error_text(app, "#quick-error")
        assert len(all_items(observer)) == 4
        # Fixing the token clears the error and saves.
        await pilot.press(*["backspace"] * len("urgentish"), *"low")
        await pilot.pause()
        assert error_text(app, "#quick-error") == ""
        await pilot.press("enter")
        await settle(pilot)
        assert by_title(observer, "Coffee machine leaking").severity == "low"


async def test_quick_add_opens_clean_after_an_error_or_a_preview(app: TechQueueApp) -> None:
    """The dialog is kept between uses: what the last use showed is gone when it reopens."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for line in ("Coffee machine leaking !urgentish", "Toner low @desk ~5m"):
            await pilot.press("a")
            await type_text(pilot, line)
            await pilot.pause()
            assert error_text(app, "#quick-error") or preview_text(app)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("a")
            await pilot.pause()
            assert input_value(app) == ""
            assert error_text(app, "#quick-error") == ""
            assert preview_text(app) == ""
            await pilot.press("escape")
            await settle(pilot)


# --- s, p: start and pause ---------------------------------------------------------------------


async def test_start_then_start_another_pauses_the_first(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = selected(app)
        await pilot.press("s")
        await settle(pilot)
        assert observer.get(first.id).status == "active"
        assert observer.get(first.id).started_at == NOW
        assert f"▶ #{first.id}" in plain(main_screen(app).query_one("#status", Static))

        await pilot.press("down")
        await settle(pilot)
        second = selected(app)
        assert second.id != first.id
        await pilot.press("s")
        await settle(pilot)
        assert observer.get(second.id).status == "active"
        assert observer.get(first.id).status == "paused"
        assert [item.id for item in observer.items(("active",))] == [second.id]


@pytest.mark.usefixtures("slow_writes")
async def test_start_shows_at_once_and_a_quit_at_once_still_saves_it(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        target = selected(app)
        await pilot.press("s")
        assert f"▶ #{target.id}" in plain(main_screen(app).query_one("#status", Static))
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert observer.get(target.id).status == "active"


async def test_a_burst_of_starts_is_written_in_key_order_and_re_ranked_once(
    app: TechQueueApp, observer: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long pause, so the second s surely lands while the first waits for the keys to pause.
    monkeypatch.setattr("techqueue.tui.screens.item_keys.BURST_PAUSE", 2.0)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        re_ranks: list[int] = []
        after_action = app.session.board_after_action

        def counted() -> Board:
            re_ranks.append(1)
            return after_action()

        monkeypatch.setattr(app.session, "board_after_action", counted)
        first = selected(app)
        await pilot.press("s", "down", "s")
        second = selected(app)
        assert second.id != first.id
        await app.workers.wait_for_complete()
        await settle(pilot)
        assert observer.get(second.id).status == "active", "the last key pressed wins"
        assert observer.get(first.id).status == "paused"
        assert re_ranks == [1]
        shown = main_screen(app).board
        assert shown is not None
        assert shown.active is not None
        assert shown.active.id == second.id


async def test_pause_pauses_the_active_item(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("p")  # nothing active: a hint, nothing written
        await settle(pilot)
        assert observer.last_journal_id() == 4
        hints = notices(app)
        assert "Nothing is active: s starts the selected item." in hints
        item = selected(app)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("end")  # pause acts on the active item, wherever the cursor is
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        assert observer.get(item.id).status == "paused"
        assert observer.active() is None


# --- d, x: done and drop -----------------------------------------------------------------------


async def test_done_finishes_the_selected_item(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, PASSWORD)
        await pilot.press("d")
        await settle(pilot)
        item = observer.get(by_title(observer, PASSWORD).id)
        assert item.status == "done"
        assert item.done_at == NOW
        assert PASSWORD not in queue_titles(app)
        assert queue(app).row_count == 3


async def test_drop_escape_keeps_the_item(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        item = selected(app)
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDrop)
        assert f"Drop #{item.id} {MONITOR}?" in plain(app.screen.query_one(Static))
        await pilot.press("escape")
        await settle(pilot)
        assert by_title(observer, MONITOR).status == "open"
        assert observer.last_journal_id() == 4


async def test_drop_with_a_reason(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        await pilot.press("x")
        await type_text(pilot, "duplicate of INC-7")
        await pilot.press("enter")
        await settle(pilot)
        item = by_title(observer, MONITOR)
        assert item.status == "dropped"
        assert item.drop_reason == "duplicate of INC-7"
        assert MONITOR not in queue_titles(app)


# --- z, w: defer and wait ----------------------------------------------------------------------


async def test_defer_until_tomorrow(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, VPN)
        await pilot.press("z")
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "tomorrow 9:00")
        await pilot.press("enter")
        await settle(pilot)
        item = by_title(observer, VPN)
        assert item.deferred_until == NOW + timedelta(days=1)
        assert item.status == "open"
        assert VPN not in queue_titles(app)


@pytest.mark.parametrize("when", ["-1h", "yesterday 9:00"])
async def test_defer_to_a_past_time_is_an_inline_error(
    app: TechQueueApp, observer: Store, when: str
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("z")
        await type_text(pilot, when)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Prompt), "a past time must keep the prompt open"
        assert "already passed" in error_text(app, "#prompt-error")
        assert input_value(app, "#prompt-0") == when
        await pilot.press("escape")
        await settle(pilot)
        assert all(item.deferred_until is None for item in all_items(observer))
        assert observer.last_journal_id() == 4


async def test_wait_puts_the_item_below_the_others(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        top = selected(app)
        await pilot.press("w")
        await settle(pilot)
        assert observer.get(top.id).status == "waiting"
        assert queue_titles(app)[-1] == top.title
        assert "…" in screen_text(app)


# --- t: pin ------------------------------------------------------------------------------------


async def test_pin_then_unpin(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        assert queue_titles(app)[0] != MONITOR
        await pilot.press("t")
        await settle(pilot)
        assert by_title(observer, MONITOR).pinned is True
        assert queue_titles(app)[0] == MONITOR
        assert selected(app).title == MONITOR, "the cursor follows the item"
        await pilot.press("t")
        await settle(pilot)
        assert by_title(observer, MONITOR).pinned is False
        assert queue_titles(app)[0] != MONITOR


# --- n, o, r: note, promise, reminder ----------------------------------------------------------


async def test_note(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        item = selected(app)
        await pilot.press("n")
        await type_text(pilot, "Called back, no answer")
        await pilot.press("enter")
        await settle(pilot)
        notes = observer.notes(item.id)
        assert [(note.kind, note.text) for note in notes] == [("plain", "Called back, no answer")]
        assert "Called back, no answer" in detail_text(app)


async def test_empty_note_is_refused_inline(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        assert "needs some text" in error_text(app, "#prompt-error")
        await pilot.press("escape")
        await settle(pilot)
        assert observer.last_journal_id() == 4


async def test_promise_records_a_note_and_the_due_time(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, PRINTER)
        item = selected(app)
        await pilot.press("o")
        assert isinstance(app.screen, Prompt)
        assert "Promise to Alice" in screen_text(app)
        await type_text(pilot, "14:00")
        await pilot.press("enter")  # to the second field
        await type_text(pilot, "I'll be with you by 14:00")
        await pilot.press("enter")
        await settle(pilot)
        due = NOW.replace(hour=14)
        notes = observer.notes(item.id)
        assert [(n.kind, n.text, n.due_at) for n in notes] == [
            ("promise", "I'll be with you by 14:00", due)
        ]
        assert observer.get(item.id).promise_due_at == due
        detail = detail_text(app)
        assert "[promise] I'll be with you by 14:00 (due 14:00)" in detail


async def test_remind(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        item = selected(app)
        await pilot.press("r")
        await type_text(pilot, "+30m")
        await pilot.press("enter")
        await type_text(pilot, "Call Alice back")
        await pilot.press("enter")
        await settle(pilot)
        reminders = observer.reminders()
        assert [(r.item_id, r.text, r.due_at) for r in reminders] == [
            (item.id, "Call Alice back", NOW + timedelta(minutes=30))
        ]
        pane = plain(main_screen(app).query_one("#reminders", Static))
        assert "09:30 Call Alice back" in pane
        assert "Call Alice back" in detail_text(app)


# --- v: VIP ------------------------------------------------------------------------------------


async def test_vip_toggles_the_requester(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        await pilot.press("v")
        await settle(pilot)
        item = by_title(observer, MONITOR)
        assert item.vip is True
        assert {r.name: r.vip for r in observer.requesters()}["Dave"] is True
        # a VIP's item comes first, but for the critical call the deadline guard puts ahead of
        # it: behind the VIP's hour-long job it would wait past 3x its 15-minute target
        assert queue_titles(app)[:2] == [VPN, MONITOR], "a VIP's item comes first"
        assert "★" in screen_text(app)
        assert selected(app).title == MONITOR
        table = queue(app)
        vip = table.get_component_rich_style("queue--vip")
        await pilot.press("down")  # off the VIP row: the cursor's colours would cover the star's
        await settle(pilot)
        star = [segment for segment in table.render_line(2) if "★" in segment.text]
        assert len(star) == 1
        assert star[0].style is not None
        assert star[0].style.color == vip.color, "the star wears the VIP colour"
        assert star[0].style.bold
        await pilot.press("up")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        assert by_title(observer, MONITOR).vip is False
        assert {r.name: r.vip for r in observer.requesters()}["Dave"] is False


async def test_vip_marks_the_requester_of_an_item_flagged_vip_by_itself(
    empty_app: TechQueueApp, observer: Store
) -> None:
    app = empty_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await capture(pilot, "Laptop dead from:Dana *vip")
        assert selected(app).vip
        assert {r.name: r.vip for r in observer.requesters()} == {"Dana": False}
        await pilot.press("v")
        await settle(pilot)
        assert {r.name: r.vip for r in observer.requesters()} == {"Dana": True}


# --- e: edit -----------------------------------------------------------------------------------


async def test_edit_prefills_the_line_and_saves_a_new_severity(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, PRINTER)
        await pilot.press("e")
        assert isinstance(app.screen, QuickAdd)
        line = input_value(app)
        assert line == f"{PRINTER} from:Alice !high @desk ~5m"
        # The cursor starts at the end: step back over " @desk ~5m", replace "high" by "crit".
        await pilot.press("end", *["left"] * len(" @desk ~5m"), *["backspace"] * 4, *"crit")
        assert input_value(app) == f"{PRINTER} from:Alice !crit @desk ~5m"
        await wait_for(pilot, lambda: "severity: critical" in preview_text(app), what="preview")
        await pilot.press("enter")
        await settle(pilot)
        item = by_title(observer, PRINTER)
        assert item.severity == "critical"
        assert (item.requester, item.channel, item.estimate_minutes) == ("Alice", "desk", 5)
        assert len(all_items(observer)) == 4
        assert "CRIT" in screen_text(app)


async def test_edit_round_trips_every_token(empty_app: TechQueueApp, observer: Store) -> None:
    """Opening the editor on an item and pressing Enter changes nothing."""
    app = empty_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await capture(pilot, 'Odd one ref:"INC 42" x:12 #net ~90s due:15:30 !! from:"Al B"')
        before = selected(app)
        assert (before.ref, before.impact, before.estimate_minutes) == ("INC 42", 12, 1.5)
        await pilot.press("e")
        await pilot.pause()
        assert error_text(app, "#quick-error") == ""
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert observer.get(before.id) == before


async def test_edit_of_a_title_with_a_token_like_word(
    empty_app: TechQueueApp, observer: Store
) -> None:
    app = empty_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await capture(pilot, "Printer \\#3 broken")
        item = selected(app)
        assert item.title == "Printer #3 broken"
        await pilot.press("e")
        await pilot.pause()
        assert error_text(app, "#quick-error") == ""
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert observer.get(item.id).title == "Printer #3 broken"


async def test_edit_can_remove_the_vip_token(empty_app: TechQueueApp, observer: Store) -> None:
    app = empty_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await capture(pilot, "Projector *vip")
        item = selected(app)
        assert item.vip
        await pilot.press("e")
        assert input_value(app) == "Projector !normal @other *vip"
        await pilot.press("end", *["backspace"] * len(" *vip"))
        await pilot.press("enter")
        await settle(pilot)
        assert observer.get(item.id).vip is False


# --- + and -: bump -----------------------------------------------------------------------------


async def test_bump_up_and_down(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        item = selected(app)
        await pilot.press("plus")
        await settle(pilot)
        assert observer.get(item.id).bump == 1
        await pilot.press("+")
        await settle(pilot)
        assert observer.get(item.id).bump == 2
        await pilot.press("minus")
        await settle(pilot)
        assert observer.get(item.id).bump == 1
        assert selected(app).id == item.id


# --- u: undo -----------------------------------------------------------------------------------


async def test_undo_reverts_the_last_action(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        top = selected(app)
        await pilot.press("d")
        await settle(pilot)
        assert observer.get(top.id).status == "done"
        await pilot.press("u")
        await settle(pilot)
        assert observer.get(top.id).status == "open"
        assert observer.get(top.id).done_at is None
        assert top.title in queue_titles(app)


async def test_undo_of_a_capture_removes_it(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await capture(pilot, "Scanner offline")
        assert "Scanner offline" in queue_titles(app)
        await pilot.press("u")
        await settle(pilot)
        assert "Scanner offline" not in queue_titles(app)
        assert len(all_items(observer)) == 4


# --- ?: keys -----------------------------------------------------------------------------------


async def test_keys_screen_lists_every_binding(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        shown = screen_text(app)
        for _ in range(4):  # the list scrolls when the terminal is short
            await pilot.press("pagedown")
            await pilot.pause()
            shown += "\n" + screen_text(app)
        for binding in MainScreen.BINDINGS:
            assert isinstance(binding, Binding)
            key = app.get_key_display(binding)
            description = binding.tooltip or binding.description
            assert any(
                line.split("█")[1].split()[:1] == [key] and description in line
                for line in shown.splitlines()
                if line.count("█") >= 2
            ), (key, description)
        assert "Ctrl+Q" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


# --- cursor keys and the detail pane -----------------------------------------------------------


async def test_the_detail_pane_grows_and_shrinks_with_the_selected_item(
    store: Store, make_app: AppFactory
) -> None:
    """The pane is laid out again only when its text changes height: an item with more
    lines than the pane can be scrolled to its end, and the next item, shorter, leaves no
    line of it behind."""
    plain = actions.add(
        Desk(store), ItemFields(title="Plain item", estimate_minutes=5), NOW
    ).item.id
    noted = actions.add(
        Desk(store), ItemFields(title="Noted item", estimate_minutes=50), NOW
    ).item.id
    for number in range(3):
        actions.note(Desk(store), noted, f"Note number {number}", NOW)
    also_plain = actions.add(
        Desk(store), ItemFields(title="Also plain", estimate_minutes=500), NOW
    ).item.id
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        body = main_screen(app).query_one("#detail-body", Static)
        pane = main_screen(app).query_one(DetailPane)

        def fits() -> bool:
            size = body.content_size
            return body.get_content_height(size, size, size.width) == size.height

        heights: dict[int, int] = {}
        for item_id in (plain, noted, also_plain, plain):
            await settle(pilot)
            if queue(app).selected_id != item_id:
                await pilot.press("down")
                await settle(pilot)
            assert queue(app).selected_id == item_id
            assert fits(), "the body is as tall as its text"
            assert ("Note number 2" in detail_text(app)) == (item_id == noted)
            # scrolls to its end (a text shorter than the pane fills the pane)
            tallest = max(body.outer_size.height, pane.scrollable_content_region.height)
            assert pane.virtual_size.height == tallest, "scrolls to its end"
            heights[item_id] = body.outer_size.height
            if item_id == also_plain:
                await pilot.press("home")
        assert heights[noted] >= heights[plain] + 4
        assert heights[also_plain] < heights[noted]


async def test_cursor_keys_move_and_the_detail_pane_follows(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = main_screen(app).board
        assert board is not None
        ranked = board.ranked

        async def check(expected: int) -> None:
            await settle(pilot)
            assert queue(app).cursor == expected
            entry = ranked[expected]
            detail = detail_text(app)
            assert f"#{entry.id} {entry.item.title}" in detail
            assert f"Ranks {expected + 1} " in detail
            assert "severity" in detail, "the score's parts are explained"

        await check(0)
        for key, expected in (
            ("j", 1),
            ("down", 2),
            ("k", 1),
            ("up", 0),
            ("up", 0),
            ("end", 3),
            ("down", 3),
            ("home", 0),
            ("G", 3),
            ("g", 0),
            ("pagedown", 3),
            ("pageup", 0),
        ):
            await pilot.press(key)
            await check(expected)


@pytest.fixture
def long_app(store: Store, make_app: AppFactory) -> TechQueueApp:
    for number in range(40):
        actions.add(
            Desk(store), ItemFields(title=f"Item {number:02d}", estimate_minutes=number + 1), NOW
        )
    return make_app(store)


async def test_a_long_queue_pages_with_the_cursor(long_app: TechQueueApp) -> None:
    app = long_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert queue(app).row_count == 40
        await pilot.press("pagedown")
        await settle(pilot)
        assert 0 < queue(app).cursor < 39
        await pilot.press("end")
        await settle(pilot)
        assert queue(app).cursor == 39
        assert "Ranks 40 " in detail_text(app)
        await pilot.press("home")
        await settle(pilot)
        assert queue(app).cursor == 0
        assert "Item 00" in screen_text(app)


async def test_end_shows_the_last_item_of_a_long_queue(long_app: TechQueueApp) -> None:
    app = long_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("end")
        await settle(pilot)
        assert queue(app).cursor == 39
        table = queue(app)
        assert not table.show_horizontal_scrollbar
        assert "Item 39" in screen_text(app), "the cursor's row is on screen"
        header = screen_lines(app)[1]
        assert header.rstrip().endswith("late"), header


async def test_the_scrollbar_thumb_follows_a_line_by_line_scroll(
    store: Store, make_app: AppFactory
) -> None:
    """The bar is repainted only when its thumb moves: scrolling a line at a time to the end
    and back, what the bar draws is where its thumb is, at every step, and in a queue much
    longer than the screen the bar is not repainted on every line."""
    for number in range(200):
        actions.add(Desk(store), ItemFields(title=f"Item {number:03d}"), NOW)
    app = make_app(store)

    def is_thumb(cell: Iterable[Segment]) -> bool:
        """Thumb (reversed, or a part-cell glyph) rather than track."""
        return any(s.text.strip() or (s.style is not None and s.style.reverse) for s in cell)

    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = queue(app)
        bar = table.vertical_scrollbar
        repaints = 0
        refresh = bar.refresh

        def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal repaints
            repaints += 1
            return refresh(*args, **kwargs)

        bar.refresh = counted  # type: ignore[method-assign]
        steps = [
            *range(1, int(table.max_scroll_y) + 1),
            *range(int(table.max_scroll_y) - 1, -1, -1),
        ]
        drawn = []
        for y in steps:
            table.scroll_y = y
            lines = bar.render_lines(Region(0, 0, bar.size.width, bar.size.height))
            drawn.append([is_thumb(strip.crop(0, 1)) for strip in lines])
            assert drawn[-1] == [is_thumb([segment]) for segment in _thumb(bar)], y
        at_end = drawn[len(steps) // 2 - 1]
        assert at_end[-1], "the thumb is at the end"
        assert not at_end[0]
        assert drawn[-1][0], "the thumb is back at the top"
        assert not drawn[-1][-1]
        assert 0 < repaints < len(steps)


async def test_rows_drawn_again_after_scrolling_and_a_tick_are_current(
    store: Store, make_app: AppFactory
) -> None:
    """Rows are kept once drawn (a scroll draws one new row): the cursor's mark leaves the
    row it left, rows scrolled back into view are the right ones, and the active row's
    timer advances with the clock."""
    for number in range(40):
        actions.add(
            Desk(store), ItemFields(title=f"Item {number:02d}", estimate_minutes=number + 1), NOW
        )
    later = [timedelta(0)]
    app = make_app(store, now=lambda: NOW + later[0])
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = queue(app)

        def marked_rows() -> list[str]:
            cursor_style = table.get_component_rich_style("queue--cursor")
            return [
                strip.text
                for strip in app.screen._compositor.render_strips()
                if any(segment.style == cursor_style for segment in strip)
            ]

        await pilot.press(*(["down"] * 30))
        await settle(pilot)
        assert table.cursor == 30
        assert [row for row in marked_rows() if "Item 30" in row] == marked_rows()
        assert len(marked_rows()) == 1
        await pilot.press(*(["up"] * 30))
        await settle(pilot)
        assert [row for row in marked_rows() if "Item 00" in row] == marked_rows()
        assert len(marked_rows()) == 1
        assert "Item 01" in screen_text(app)
        assert "Item 30" not in screen_text(app)
        before = table.get_component_rich_style("queue--cursor")
        app.theme = "nord"
        await pilot.pause()
        assert table.get_component_rich_style("queue--cursor") != before
        assert [row for row in marked_rows() if "Item 00" in row] == marked_rows()
        assert len(marked_rows()) == 1, "the cursor drawn in the new theme's style"

        await pilot.press("s")
        await settle(pilot)

        def active_row() -> str:
            return next(line for line in screen_lines(app)[1:] if "▶" in line)

        assert "Item 00" in active_row()
        later[0] = timedelta(minutes=125)
        await wait_for(pilot, lambda: "2 h 05" in active_row(), what="the timer to advance")


# --- ctrl+q ------------------------------------------------------------------------------------


async def test_ctrl_q_quits(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


@pytest.mark.parametrize("opens", ["m", "question_mark"], ids=["morning summary", "keys"])
async def test_ctrl_q_quits_from_a_dialog_with_nothing_typed(app: TechQueueApp, opens: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(opens)
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen), what="the dialog")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_ctrl_q_in_quick_add_keeps_a_typed_line_until_it_is_saved_or_dropped(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "Toner for floor 3")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, QuickAdd)
        assert input_value(app) == "Toner for floor 3"
        assert any("Enter saves what you typed" in notice for notice in notices(app))
        await pilot.press("enter")
        await settle(pilot)
        assert any(item.title == "Toner for floor 3" for item in all_items(observer))
        await pilot.press("a")  # an empty line loses nothing: quits at once
        await wait_for(pilot, lambda: isinstance(app.screen, QuickAdd), what="the quick add")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_q_quits_from_a_dialog_that_opened_with_its_line_filled_in(
    app: TechQueueApp,
) -> None:
    """The edit opens on the item's line: what the dialog offered is not what was typed, and
    nothing of the technician's is lost by quitting."""
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: not isinstance(app.screen, MainScreen), what="the dialog")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


async def test_a_keymap_that_moves_quit_moves_it_in_the_dialogs_too(
    seeded_store: Store, make_app: AppFactory
) -> None:
    app = make_app(seeded_store, Settings(keymap={"quit": "ctrl+x"}, morning_summary=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, KeysScreen), what="the keys")
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        await pilot.press("ctrl+x")
        await pilot.pause()
        assert not app.is_running


async def test_ctrl_c_does_not_quit(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+c")
        await settle(pilot)
        assert app.is_running


async def test_keys_on_an_empty_queue_write_nothing(
    empty_app: TechQueueApp, observer: Store
) -> None:
    app = empty_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("s", "p", "d", "x", "z", "w", "t", "n", "o", "v", "e", "plus", "minus", "u"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, MainScreen), key
        assert observer.last_journal_id() == 0
        # r with nothing selected sets a free-standing reminder.
        await pilot.press("r")
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "16:00")
        await pilot.press("enter")
        await type_text(pilot, "Order toner")
        await pilot.press("enter")
        await settle(pilot)
        assert [(r.item_id, r.text) for r in observer.reminders()] == [(None, "Order toner")]
        assert "16:00 Order toner" in plain(main_screen(app).query_one("#reminders", Static))


async def test_the_footer_says_how_to_quit_at_80_columns(app: TechQueueApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "^q Quit" in screen_lines(app)[-1]


# --- outside writes, hostile text, palette, keymap ---------------------------------------------


async def test_writes_from_outside_appear_without_restart(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        actions.add(
            Desk(observer),
            ItemFields(title="Added by the CLI", severity="critical", channel="chat"),
            NOW,
        )
        await wait_for(
            pilot, lambda: "Added by the CLI" in queue_titles(app), timeout=4, what="the poll"
        )
        await settle(pilot)
        assert "Added by the CLI" in screen_text(app)
        actions.done(Desk(observer), by_title(observer, "Added by the CLI").id, NOW)
        await wait_for(
            pilot, lambda: "Added by the CLI" not in queue_titles(app), timeout=4, what="the poll"
        )


HOSTILE_TITLE = "Fix [bold]x[/] now \x1b[2J\x07 please"
HOSTILE_REQUESTER = "[red]Eve[/]"


def _app_with_one_item(
    store: Store, make_app: AppFactory, title: str, requester: str, severity: str
) -> TechQueueApp:
    """An app over a store holding one five-minute desk item, as given."""
    changes = ItemFields(
        title=title, requester=requester, severity=severity, channel="desk", estimate_minutes=5
    )
    actions.add(Desk(store), changes, NOW)
    return make_app(store)


@pytest.fixture
def hostile_app(store: Store, make_app: AppFactory) -> TechQueueApp:
    return _app_with_one_item(store, make_app, HOSTILE_TITLE, HOSTILE_REQUESTER, "critical")


async def test_markup_and_control_characters_are_shown_literally(hostile_app: TechQueueApp) -> None:
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "said [i]later[/i] ok")
        await pilot.press("enter")
        await settle(pilot)
        shown = screen_text(app)
        assert "Fix [bold]x[/] now [2J please" in shown  # queue row, status line
        assert "[red]Eve[/]" in shown
        assert "\x1b" not in shown
        assert "\x07" not in shown
        detail = detail_text(app)
        assert "Fix [bold]x[/] now [2J please" in detail
        assert "[red]Eve[/]" in detail
        assert "said [i]later[/i] ok" in detail
        # The drop confirmation quotes the title literally too.
        await pilot.press("x")
        assert isinstance(app.screen, ConfirmDrop)
        assert "Drop #1 Fix [bold]x[/] now [2J please?" in plain(app.screen.query_one(Static))
        await pilot.press("escape")
        await settle(pilot)


async def test_quick_add_preview_shows_markup_literally(
    empty_app: TechQueueApp, observer: Store
) -> None:
    app = empty_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "Odd [b]title[/b] from:[x]")
        await wait_for(pilot, lambda: "lands at #" in preview_text(app), what="the placement")
        assert "title: Odd [b]title[/b]" in preview_text(app)
        assert "from: [x]" in screen_text(app)
        await pilot.press("enter")
        await settle(pilot)
        assert by_title(observer, "Odd [b]title[/b]").requester == "[x]"
        assert "Odd [b]title[/b]" in screen_text(app)


async def test_promise_prompt_title_shows_the_requester_literally(
    hostile_app: TechQueueApp,
) -> None:
    app = hostile_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        assert isinstance(app.screen, Prompt)
        assert "Promise to [red]Eve[/]" in screen_text(app)


CLOSING_TAG_TITLE = "Close tag [/] here"
CLOSING_TAG_REQUESTER = "Zed [/]"


@pytest.fixture
def closing_tag_app(store: Store, make_app: AppFactory) -> TechQueueApp:
    return _app_with_one_item(store, make_app, CLOSING_TAG_TITLE, CLOSING_TAG_REQUESTER, "high")


async def test_promise_to_a_requester_with_a_closing_tag_does_not_crash(
    closing_tag_app: TechQueueApp, observer: Store
) -> None:
    app = closing_tag_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "+1h")
        await pilot.press("enter", "enter")
        await settle(pilot)
    assert observer.get(1).promise_due_at == NOW + timedelta(hours=1)


async def test_vip_notification_shows_the_requester_literally(hostile_app: TechQueueApp) -> None:
    app = hostile_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await wait_for(pilot, lambda: "is now VIP" in screen_text(app), what="the toast")
        assert "[red]Eve[/] is now VIP" in screen_text(app)


async def test_undo_of_an_item_with_a_closing_tag_does_not_crash(
    closing_tag_app: TechQueueApp, observer: Store
) -> None:
    app = closing_tag_app
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        await wait_for(pilot, lambda: "Undid" in screen_text(app), what="the toast")
        assert f"Undid: start #1 '{CLOSING_TAG_TITLE}'" in screen_text(app)
    assert observer.get(1).status == "open"


async def test_command_palette_lists_the_actions_with_their_keys(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        titles = [command.title for command in app.get_system_commands(screen)]
        for binding in MainScreen.BINDINGS:
            assert isinstance(binding, Binding)
            expected = f"{binding.description} ({app.get_key_display(binding)})"
            assert expected in titles, expected

        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await type_text(pilot, "Capture")
        options = app.screen.query_one(OptionList)
        await wait_for(pilot, lambda: options.option_count > 0, what="a palette hit")
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Capture (a)" in prompt for prompt in prompts), prompts
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, QuickAdd), what="quick-add")
        await pilot.press("escape")
        await settle(pilot)


async def test_keymap_from_settings_rebinds_capture(
    seeded_store: Store, make_app: AppFactory, observer: Store
) -> None:
    app = make_app(seeded_store, Settings(keymap={"capture": "c"}, morning_summary=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("c")
        assert isinstance(app.screen, QuickAdd)
        await type_text(pilot, "Keyboard sticky")
        await pilot.press("enter")
        await settle(pilot)
        assert by_title(observer, "Keyboard sticky").status == "open"
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        assert any(
            line.split("█")[1].split()[:1] == ["c"] and "Capture an interruption" in line
            for line in screen_text(app).splitlines()
            if line.count("█") >= 2
        )
        await pilot.press("escape")
        await pilot.pause()
        assert "c Capture" in screen_text(app)  # the footer


async def test_the_footer_keeps_its_keys_until_they_change(
    seeded_store: Store, make_app: AppFactory
) -> None:
    """Closing a dialog refreshes the screen's bindings: the footer keeps the keys it has
    (rebuilding them cost a third of the frame), and rebuilds them once they do change."""
    app = make_app(seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = main_screen(app).query_one(KeysFooter)
        keys = list(footer.children)
        assert "a Capture" in screen_lines(app)[-1]
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, QuickAdd), what="quick-add")
        await pilot.press("escape")
        await settle(pilot)
        assert list(footer.children) == keys, "the same keys, not rebuilt"
        app.update_keymap({"capture": "c"})
        await wait_for(
            pilot, lambda: "c Capture" in screen_lines(app)[-1], what="the new key in the footer"
        )
        assert "a Capture" not in screen_lines(app)[-1]


async def test_the_footer_builds_its_keys_once_each_as_it_shows_them(
    seeded_store: Store, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The screen's bindings are refreshed twice before a frame at the start (the screen's,
    then the queue's as it takes the focus): the keys are built once, from the bindings as
    they are by then; and each key is made as the footer shows it, not made compact and then
    restyled back (the command palette's key, bound to nothing, stays compact)."""
    built: list[int] = []
    recompose = KeysFooter.recompose

    async def counted(self: KeysFooter) -> None:
        built.append(len(self.children))
        await recompose(self)

    styled: list[tuple[bool, bool]] = []
    watch_compact = FooterKey._watch_compact

    def watched(self: FooterKey, compact: bool) -> None:
        styled.append((self.has_class("-command-palette"), compact))
        watch_compact(self, compact)

    monkeypatch.setattr(KeysFooter, "recompose", counted)
    monkeypatch.setattr(FooterKey, "_watch_compact", watched)
    app = make_app(seeded_store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)
        footer = screen.query_one(KeysFooter)
        assert built == [0], "one build, of the footer composed empty"
        assert all(not compact for palette, compact in styled if not palette), styled
        keys = list(footer.query(FooterKey))
        assert [key.compact for key in keys] == [False] * (len(keys) - 1) + [True]
        assert keys[-1].has_class("-command-palette", "-compact")

        app.update_keymap({"capture": "c"})  # the bindings refreshed ...
        screen.refresh_bindings()  # ... twice before the next frame
        await wait_for(
            pilot, lambda: "c Capture" in screen_lines(app)[-1], what="the new key in the footer"
        )
        await settle(pilot)
        assert built == [0, len(keys)], "one build for the two refreshes"


async def test_command_palette_shows_the_remapped_key(
    seeded_store: Store, make_app: AppFactory
) -> None:
    app = make_app(seeded_store, Settings(keymap={"capture": "c"}, morning_summary=False))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(main_screen(app))]
        assert "Capture (c)" in titles, titles
