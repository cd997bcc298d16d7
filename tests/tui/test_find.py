"""``/`` finds anything: the queue narrows as the technician types (title, requester, tag,
ref; any case), in rank order with the real ranks; Escape clears it, Enter keeps it, and the
keys act on the highlighted row of what is shown."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Static

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.screens.main import MainScreen
from techqueue.tui.widgets import FilterInput, QueueTable

from .conftest import (
    NOW,
    SIZE,
    AppFactory,
    detail_text,
    main_screen,
    notices,
    plain,
    queue,
    screen_lines,
    selected,
    settle,
    type_text,
    wait_for,
)

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def findable(seeded_store: Store, make_app: AppFactory) -> TechQueueApp:
    """The seeded queue and three more: tagged, with a reference, from a second Alice."""
    desk = Desk(seeded_store)
    actions.add(desk, ItemFields(title="Toner for the PRINTER room", estimate_minutes=90), NOW)
    actions.add(desk, ItemFields(title="Scanner", tags=("printer",), estimate_minutes=95), NOW)
    actions.add(desk, ItemFields(title="Mail bounce", ref="INC-42", requester="Alice W"), NOW)
    return make_app(seeded_store)


def shown_rows(app: TechQueueApp) -> list[tuple[str, int]]:
    """(title, rank) of the rows the table shows now, top to bottom."""
    table = queue(app)
    return [(entry.item.title, entry.rank) for entry in table.rows]


def header(app: TechQueueApp) -> str:
    return plain(main_screen(app).query_one("#status", Static))


async def test_typing_narrows_the_queue_with_the_real_ranks(findable: TechQueueApp) -> None:
    app = findable
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        board = main_screen(app).board
        assert board is not None
        ranks = {entry.item.title: entry.rank for entry in board.ranked}
        await pilot.press("slash")
        assert isinstance(app.focused, FilterInput)
        await type_text(pilot, "print")
        await settle(pilot)
        expected = ["Printer jammed on floor 2", "Toner for the PRINTER room", "Scanner"]
        assert sorted(shown_rows(app), key=lambda row: row[1]) == shown_rows(app), "rank order"
        assert sorted(title for title, _ in shown_rows(app)) == sorted(expected)
        assert all(rank == ranks[title] for title, rank in shown_rows(app)), "the real ranks"
        assert "filter: print — 3 of 7" in header(app)
        lines = screen_lines(app)
        for title, rank in shown_rows(app):
            assert any(line.startswith(f"{rank} ") and title[:10] in line for line in lines)

        await type_text(pilot, "er ro")  # "printer ro": two words, each found
        await settle(pilot)
        assert [title for title, _ in shown_rows(app)] == ["Toner for the PRINTER room"]
        assert "filter: printer ro — 1 of 7" in header(app)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("alice", {"Printer jammed on floor 2", "Mail bounce"}),
        ("#printer", {"Scanner"}),
        ("inc-42", {"Mail bounce"}),
        ("CAROL", {"Reset a forgotten password"}),
        ("nothing like it", set()),
    ],
)
async def test_it_finds_by_requester_tag_and_ref(
    findable: TechQueueApp, typed: str, found: set[str]
) -> None:
    app = findable
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, typed)
        await settle(pilot)
        assert {title for title, _ in shown_rows(app)} == found
        if not found:
            assert "Nothing matches" in detail_text(app)


async def test_enter_keeps_the_filter_and_keys_act_on_the_highlighted_row(
    findable: TechQueueApp, observer: Store
) -> None:
    app = findable
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "alice")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.focused, QueueTable)
        assert not main_screen(app).query_one(FilterInput).display
        assert "filter: alice — 2 of 7" in header(app)
        await pilot.press("down")
        await settle(pilot)
        target = selected(app)
        assert target.title == shown_rows(app)[1][0]
        await pilot.press("d")
        await settle(pilot)
        assert observer.get(target.id).status == "done"
        assert [title for title, _ in shown_rows(app)] == [shown_rows(app)[0][0]]
        assert "filter: alice — 1 of 6" in header(app), "the filter stays over the new board"


async def test_escape_clears_the_filter_and_the_cursor_stays_on_its_item(
    findable: TechQueueApp,
) -> None:
    app = findable
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "scanner")
        await settle(pilot)
        assert selected(app).title == "Scanner"
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert isinstance(app.focused, QueueTable)
        assert len(shown_rows(app)) == 7
        assert "filter" not in header(app)
        assert selected(app).title == "Scanner"
        # Kept with Enter, then cleared from the list with Escape.
        await pilot.press("slash")
        await type_text(pilot, "toner")
        await pilot.press("enter")
        await settle(pilot)
        assert len(shown_rows(app)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert len(shown_rows(app)) == 7
        assert "filter" not in header(app)


async def test_the_arrows_move_in_the_list_while_typing(findable: TechQueueApp) -> None:
    app = findable
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "print")
        await settle(pilot)
        first = selected(app)
        await pilot.press("down")
        await settle(pilot)
        assert isinstance(app.focused, FilterInput), "still typing"
        assert selected(app).id != first.id
        assert selected(app).title == shown_rows(app)[1][0]


async def test_keys_typed_in_one_go_after_the_slash_are_the_filters(
    findable: TechQueueApp,
) -> None:
    """ "/printer" arriving at once (a fast typist, a paste, tmux): none of it is lost to the
    list (the / runs as it arrives, before the keys after it are handed on)."""
    app = findable
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        driver = app._driver
        assert driver is not None
        for key, char in [("slash", "/"), *((c, c) for c in "printer"), ("slash", "/")]:
            event = events.Key(key, char)
            event.set_sender(app)
            driver.send_message(event)
        await wait_for(pilot, lambda: main_screen(app).query_one(FilterInput).value == "printer/")
        await settle(pilot)
        assert "filter: printer/ — 0 of 7" in header(app), "a / in the filter is typed"
        assert notices(app) == [], "no key reached the list"


async def test_the_keys_screen_says_how_to_find(app: TechQueueApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        rows = dict(main_screen(app).key_list())
        assert rows["/"] == "Find: filter the queue as you type"
        assert rows["/ then Enter, Esc"] == "Keep the filter (back to the list), or clear it"


# --- the filter itself ----------------------------------------------------------------------


def test_the_filter_typed_on_or_back_finds_what_a_fresh_one_finds() -> None:
    """Typing on only looks among what was found; typing back looks again: either way the
    answer is a fresh filter's."""
    from techqueue.tui.queue_filter import QueueFilter

    from .test_queue_columns import ranked, record

    rows = ranked(
        record(1, title="Printer jammed", requester="Alice"),
        record(2, title="Toner", tags=("printer", "floor2")),
        record(3, title="Mail", ref="INC-42", requester="Alice Wong"),
        record(4, title="Print server down"),
        record(5, title="Scanner", requester="Bob Printz"),
    )
    positions = {entry.id: index for index, entry in enumerate(rows)}
    typing = QueueFilter()
    for text in ["p", "pr", "print", "printer", "printer a", "printer al", "print", "", "INC", "z"]:
        typing.text = text
        fresh = QueueFilter()
        fresh.text = text
        got, places = typing.rows(rows, positions)
        assert got == fresh.rows(rows, positions)[0], text
        assert places == {entry.id: index for index, entry in enumerate(got)}, text
    typing.text = "alice"
    assert [entry.id for entry in typing.rows(rows, positions)[0]] == [1, 3]
    typing.text = "#floor2"
    assert [entry.id for entry in typing.rows(rows, positions)[0]] == [2]
    typing.text = "printer alice"  # every word, in any field
    assert [entry.id for entry in typing.rows(rows, positions)[0]] == [1]
