"""The app's first rows: drawn from the queue the last whole read kept before the whole board
is read, the same rows the whole board then shows at that moment; while only they are on
screen the header counts nothing, no detail is read and every key waits, in order, for the
whole board. Without a usable kept queue the app starts as it always did.

The whole read is held back by a gate (:func:`gated`), so that what the screen shows in
between can be looked at."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked
from techqueue.store import Store
from techqueue.tui.dialogs import ConfirmAction, QuickAdd
from techqueue.tui.session import Session
from techqueue.tui.widgets import QueueTable, StatusLine
from techqueue.tui.widgets.queue_columns import COLUMNS, RowContext
from techqueue.views import kept_queue
from techqueue.views.ranking import read_queue

from .conftest import (
    NOW,
    SIZE,
    AppFactory,
    all_items,
    by_title,
    main_screen,
    notices,
    plain,
    queue,
    screen_text,
    selected,
    settle,
    wait_for,
)

pytestmark = pytest.mark.timeout(60)

#: More items than the 30 lines of the test's terminal show.
ITEMS = 80


def _fill(store: Store) -> None:
    """A varied queue of ``ITEMS``: severities, estimates given and not, a VIP's items, a
    promise, one waiting on the customer, one put aside, one in hand, one paused with work
    done, and a year's worth of nothing (every item received in the last days)."""
    desk = Desk(store)
    severities = ("low", "normal", "high", "critical")
    for number in range(ITEMS):
        actions.add(
            desk,
            ItemFields(
                title=f"Item {number:02d}",
                severity=severities[number % 4],
                requester="Dana" if number % 9 == 0 else f"Person {number % 7}",
                estimate_minutes=None if number % 5 == 0 else number % 40 + 5,
            ),
            NOW - timedelta(hours=number * 3 % 50),
        )
    actions.set_vip(desk, "Dana", NOW)
    promised = by_title(store, "Item 07").id
    actions.note(desk, promised, "By ten", NOW, kind="promise", due_at=NOW + timedelta(hours=1))
    actions.wait(desk, by_title(store, "Item 11").id, NOW)
    actions.defer(desk, by_title(store, "Item 12").id, NOW + timedelta(days=1), NOW)
    paused = by_title(store, "Item 13").id
    actions.start(desk, paused, NOW - timedelta(hours=2))
    actions.pause(desk, paused, NOW - timedelta(hours=1))
    actions.start(desk, by_title(store, "Item 03").id, NOW - timedelta(minutes=20))


def _keep(store: Store) -> None:
    """A whole read of the queue, as ``list`` or ``show`` makes it: it keeps the queue."""
    read_queue(Desk(store, Settings(morning_summary=False)), NOW)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """The app's first whole read waits until the event is set (set at the end in any case,
    so that no worker is left waiting)."""
    opened = threading.Event()
    board = Session.board

    def gated(self: Session, *, first: bool = False, at: Any = None) -> Any:
        if first:
            opened.wait(30)
        return board(self, first=first, at=at)

    monkeypatch.setattr(Session, "board", gated)
    yield opened
    opened.set()


@pytest.fixture
def details(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The items whose detail the app read."""
    read: list[int] = []
    detail = Session.detail

    def watched(self: Session, item_id: int) -> Any:
        read.append(item_id)
        return detail(self, item_id)

    monkeypatch.setattr(Session, "detail", watched)
    return read


def _cells(rows: list[Ranked[ItemRecord]], table: QueueTable) -> list[list[str]]:
    """What each row shows, column by column, as the table draws it now."""
    context: RowContext = table._cells_context
    return [[column.cell(entry, context) for column in COLUMNS] for entry in rows]


def _header(app: Any) -> str:
    return plain(main_screen(app).query_one(StatusLine))


async def _first_rows_shown(pilot: Any) -> QueueTable:
    table = queue(pilot.app)
    await wait_for(pilot, lambda: table.row_count > 0, what="the first rows")
    await pilot.pause()
    return table


async def test_the_first_rows_then_the_whole_board_with_the_same_rows(
    store: Store, make_app: AppFactory, gate: threading.Event, details: list[int]
) -> None:
    _fill(store)
    _keep(store)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        screen = main_screen(app)
        assert screen.board is None, "the whole board is not read yet"
        first = list(table.rows)
        assert len(first) == SIZE[1], "as many places as the terminal has lines"
        first_cells = _cells(first, table)
        first_states = [table._cells_context.forecast.state(e.id) for e in first]  # type: ignore[union-attr]
        header = _header(app)
        assert "reading the whole queue" in header
        assert "open" not in header, "no count is claimed"
        assert "promise" not in header
        in_hand = by_title(store, "Item 03").id
        assert table.selected_id == in_hand, "it opens on the job in hand"
        assert "Item 00" in screen_text(app)
        assert details == [], "no detail read from the first rows"

        gate.set()
        await settle(pilot)
        board = screen.board
        assert board is not None
        assert len(board.ranked) == ITEMS - 1, "the whole queue (one item put aside)"
        assert board.now == NOW
        whole = board.ranked[: len(first)]
        assert [(e.id, e.rank, e.score, e.tier, e.waited) for e in first] == [
            (e.id, e.rank, e.score, e.tier, e.waited) for e in whole
        ]
        assert [e.must_start_by for e in first] == [e.must_start_by for e in whole]
        assert [e.item for e in first] == [e.item for e in whole]
        assert _cells(whole, table) == first_cells, "every cell as it was drawn"
        assert [board.forecast.state(e.id) for e in whole] == first_states
        assert table.selected_id == in_hand
        assert "open" in _header(app)
        await wait_for(pilot, lambda: details == [in_hand], what="the detail of the job in hand")


async def test_keys_pressed_while_the_first_rows_show_wait_for_the_whole_board(
    store: Store, make_app: AppFactory, gate: threading.Event, observer: Store
) -> None:
    _fill(store)
    _keep(store)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        second = table.rows[1].item
        journal = observer.last_journal_id()
        # Home, down, start the second item; then a capture typed in one go.
        for key in ("home", "down", "s", "a", "P", "r", "i", "n", "t", "enter"):
            await pilot.press(key)
        assert table.selected_id == by_title(store, "Item 03").id, "the keys are held"
        assert main_screen(app).board is None
        assert app.screen is main_screen(app), "no dialog opened on the first rows"
        assert observer.last_journal_id() == journal, "nothing acted on the first rows"

        gate.set()
        await settle(pilot)
        await wait_for(pilot, lambda: observer.get(second.id).status == "active", what="start")
        assert observer.get(second.id).status == "active", "the row the cursor was moved to"
        await _captured(pilot, app, observer, "Print")
        assert by_title(observer, "Item 03").status == "paused", "the start paused the job in hand"


async def _captured(pilot: Pilot[Any], app: TechQueueApp, observer: Store, title: str) -> None:
    """Wait for the line typed or pasted after ``a`` to be captured, its box closed."""
    await wait_for(
        pilot,
        lambda: any(item.title == title for item in all_items(observer)),
        what=f"the capture of {title!r} after a",
    )
    await settle(pilot)
    assert not isinstance(app.screen, QuickAdd)


async def test_a_paste_over_the_first_rows_waits_in_turn_with_the_keys(
    store: Store, make_app: AppFactory, gate: threading.Event, observer: Store
) -> None:
    """``a``, a line pasted (one event, as a terminal with bracketed paste sends it), Enter:
    all held, then handed in in order, the paste into the quick-add box the ``a`` opens."""
    _fill(store)
    _keep(store)
    app = make_app(store)
    app.session.read_ahead(SIZE[1])  # as the launch does, before the app runs
    async with app.run_test(size=SIZE) as pilot:
        await _first_rows_shown(pilot)
        driver = app._driver
        assert driver is not None
        await pilot.press("a")
        driver.send_message(events.Paste("Toner for the second floor\nnot this line"))
        await pilot.pause()
        await pilot.press("enter")
        assert app.screen is main_screen(app), "held"
        gate.set()
        await _captured(pilot, app, observer, "Toner for the second floor")


async def test_the_filter_waits_for_the_whole_board(
    store: Store, make_app: AppFactory, gate: threading.Event
) -> None:
    _fill(store)
    _keep(store)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await _first_rows_shown(pilot)
        for key in ("slash", "I", "t", "e", "m", "space", "7"):
            await pilot.press(key)
        assert "filter" not in _header(app), "no count of the first rows as the queue's"
        gate.set()
        await settle(pilot)
        header = _header(app)
        assert "filter: Item 7 — " in header
        assert f" of {ITEMS - 1} ·" in header, "counted in the whole queue"


async def test_without_a_kept_queue_the_app_starts_as_before(
    store: Store, make_app: AppFactory, gate: threading.Event
) -> None:
    _fill(store)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert queue(app).row_count == 0, "no rows before the whole board"
        assert not app.held_keys.holding
        assert "loading" in _header(app)
        gate.set()
        await settle(pilot)
        assert main_screen(app).board is not None
        assert selected(app).title == "Item 03"


async def test_after_an_undo_the_kept_queue_is_not_used(
    store: Store, make_app: AppFactory, gate: threading.Event
) -> None:
    _fill(store)
    _keep(store)
    actions.undo(Desk(store), NOW)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert queue(app).row_count == 0
        gate.set()
        await settle(pilot)
        assert main_screen(app).board is not None


async def test_the_app_keeps_the_queue_for_its_next_launch(
    store: Store, make_app: AppFactory
) -> None:
    _fill(store)
    desk = Desk(store, Settings(morning_summary=False))
    assert kept_queue.first_places(desk, NOW, 1, {}) is None, "nothing kept yet"
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert kept_queue.first_places(desk, NOW, 1, {}) is not None


async def test_the_job_in_hand_below_the_first_rows_is_selected_with_the_whole_board(
    store: Store, make_app: AppFactory, gate: threading.Event
) -> None:
    _fill(store)
    actions.start(Desk(store), by_title(store, "Item 76").id, NOW)
    _keep(store)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        in_hand = by_title(store, "Item 76").id
        assert all(entry.id != in_hand for entry in table.rows), "it ranks below them"
        assert table.cursor == 0
        gate.set()
        await settle(pilot)
        assert table.selected_id == in_hand


@pytest.mark.parametrize("keys", [("d",), ("j", "j", "d")])
async def test_keys_typed_over_the_first_rows_act_on_the_row_selected_then(
    store: Store,
    make_app: AppFactory,
    gate: threading.Event,
    observer: Store,
    keys: tuple[str, ...],
) -> None:
    """The job in hand ranks below the first rows: they open on their top row. A ``d``
    typed there (or two rows down) is meant for the row selected as it is typed: the whole
    board keeps the cursor on that item, and the ``d`` asks about it, as about any item not
    in hand, rather than marking the job in hand done."""
    _fill(store)
    in_hand = by_title(store, "Item 76").id
    actions.start(Desk(store), in_hand, NOW)
    _keep(store)
    app = make_app(store)
    app.session.read_ahead(SIZE[1])  # as the launch does, before the app runs
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        assert table.cursor == 0
        target = table.rows[keys.count("j")].item
        journal = observer.last_journal_id()
        await pilot.press(*keys)
        gate.set()
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction), what="the question")
        assert main_screen(app).board is not None
        assert queue(app).selected_id == target.id
        asked = plain(app.screen.query_one("#confirm-question", Static))
        assert asked == f"Mark #{target.id} done? It is not the one in hand (#{in_hand} Item 76)."
        assert observer.last_journal_id() == journal, "nothing done without asking"
        assert observer.get(in_hand).status == "active"


@pytest.mark.parametrize("before", [(), ("j",)])
async def test_a_click_on_the_first_rows_is_held_in_turn_with_the_keys(
    store: Store,
    make_app: AppFactory,
    gate: threading.Event,
    observer: Store,
    before: tuple[str, ...],
) -> None:
    """A click on the fourth row, then ``d`` (after a ``j``, or not): the cursor does not
    move yet; once the whole board is drawn the click selects the fourth row's item, after
    the ``j``, and the ``d`` asks about that item, not the job in hand the rows opened on."""
    _fill(store)
    _keep(store)
    in_hand = by_title(store, "Item 03").id
    app = make_app(store)
    app.session.read_ahead(SIZE[1])  # as the launch does, before the app runs
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        assert table.selected_id == in_hand
        target = table.rows[3].item
        assert target.id != in_hand
        journal = observer.last_journal_id()
        await pilot.press(*before)
        assert await pilot.click(QueueTable, offset=(10, 4))  # the header, then rows 0 to 3
        await pilot.press("d")
        assert table.selected_id == in_hand, "held: the cursor has not moved yet"
        gate.set()
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmAction), what="the question")
        assert queue(app).selected_id == target.id
        asked = plain(app.screen.query_one("#confirm-question", Static))
        assert asked.startswith(f"Mark #{target.id} done? It is not the one in hand")
        assert observer.last_journal_id() == journal, "nothing done without asking"
        assert observer.get(in_hand).status == "active"


async def test_a_click_on_the_whole_board_moves_the_cursor_at_once(
    store: Store, make_app: AppFactory, gate: threading.Event
) -> None:
    """Once the whole board is drawn, clicks are no longer held."""
    _fill(store)
    _keep(store)
    app = make_app(store)
    app.session.read_ahead(SIZE[1])
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        gate.set()
        await settle(pilot)
        assert not app.held_keys.holding
        assert await pilot.click(QueueTable, offset=(10, 4))
        assert table.cursor == 3


@pytest.fixture
def first_places_calls(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each look at the kept queue, and whether it could be used."""
    calls: list[bool] = []
    first_places = kept_queue.first_places

    def watched(*args: Any, **kwargs: Any) -> Any:
        found = first_places(*args, **kwargs)
        calls.append(found is not None)
        return found

    monkeypatch.setattr(kept_queue, "first_places", watched)
    return calls


async def test_rows_read_ahead_at_launch_are_drawn_once_then_the_whole_board(
    store: Store, make_app: AppFactory, gate: threading.Event, first_places_calls: list[bool]
) -> None:
    _fill(store)
    _keep(store)
    app = make_app(store)
    app.session.read_ahead(SIZE[1])  # as the launch does, before the app runs
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        assert len(table.rows) == SIZE[1]
        assert main_screen(app).board is None
        assert app.held_keys.holding
        gate.set()
        await settle(pilot)
        board = main_screen(app).board
        assert board is not None
        assert [e.id for e in board.ranked[: SIZE[1]]] == [e.id for e in table.rows[: SIZE[1]]]
        assert not app.held_keys.holding
    assert first_places_calls == [True], "read once, ahead"


async def test_nothing_read_ahead_without_a_kept_queue(
    store: Store, make_app: AppFactory, gate: threading.Event, first_places_calls: list[bool]
) -> None:
    _fill(store)
    app = make_app(store)
    app.session.read_ahead(SIZE[1])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        assert queue(app).row_count == 0
        assert not app.held_keys.holding
        gate.set()
        await settle(pilot)
        assert main_screen(app).board is not None
    assert first_places_calls[0] is False
    assert len(first_places_calls) == 1, "not looked for twice"


async def test_keys_held_on_the_first_rows_go_on_when_the_whole_read_fails(
    store: Store, make_app: AppFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A whole read that fails is reported, and the keys held meanwhile are not lost with it:
    they act on what the screen has, and later keys are no longer held."""
    _fill(store)
    _keep(store)
    opened = threading.Event()
    board = Session.board

    def failing(self: Session, *, first: bool = False, at: Any = None) -> Any:
        if first:
            opened.wait(30)
            raise OSError("disk I/O error")
        return board(self, first=first, at=at)

    monkeypatch.setattr(Session, "board", failing)
    app = make_app(store)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _first_rows_shown(pilot)
            await pilot.press("a")
            assert app.held_keys.holding
            assert not isinstance(app.screen, QuickAdd), "held"
            opened.set()
            await wait_for(pilot, lambda: isinstance(app.screen, QuickAdd), what="quick-add")
            await wait_for(
                pilot,
                lambda: any("disk I/O error" in line for line in notices(app)),
                what="the failure said",
            )
            assert not app.held_keys.holding
            await pilot.press("escape")
            await wait_for(pilot, lambda: not isinstance(app.screen, QuickAdd), what="closed")
            assert main_screen(app).board is None
    finally:
        opened.set()


async def test_the_first_rows_are_laid_out_as_the_last_launch_s_whole_queue(
    store: Store, make_app: AppFactory, gate: threading.Event
) -> None:
    """The columns are measured on every row of the whole queue: the first rows alone (a long
    name further down not among them) would lay them out narrower, and they would move when
    the whole queue came. A launch keeps the whole queue's widths; the next lays its first
    rows out with them."""
    _fill(store)
    long_name = "Alexandra Montgomery-Smythe"
    actions.add(Desk(store), ItemFields(title="Far down", severity="low", requester=long_name), NOW)
    _keep(store)

    app = make_app(store)  # nothing kept of the widths yet: the first rows measure themselves
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        assert all(entry.item.requester != long_name for entry in table.rows)
        alone = dict(table.widths)
        gate.set()
        await settle(pilot)
        whole = dict(table.widths)
    assert alone["requester"] < whole["requester"], "the long name widens the column"

    gate.clear()
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        table = await _first_rows_shown(pilot)
        assert main_screen(app).board is None
        assert dict(table.widths) == whole
        gate.set()
        await settle(pilot)
        assert dict(table.widths) == whole, "the columns stayed put"


async def test_widths_kept_that_cannot_be_read_are_not_used(
    store: Store, make_app: AppFactory
) -> None:
    _fill(store)
    _keep(store)
    desk = Desk(store, Settings(morning_summary=False))
    path = kept_queue.store_cache_path(desk, "widths", ".json")
    for kept in ('{"requester": "wide"}', "[3]", "not json"):
        path.write_text(kept, encoding="utf-8")
        app = make_app(store)
        app.session.read_ahead(SIZE[1])
        assert app.session.kept_widths is None, kept
        async with app.run_test(size=SIZE) as pilot:
            table = await _first_rows_shown(pilot)
            assert table.widths["requester"] == len("Person 0")
            await settle(pilot)


def test_keys_are_held_from_the_start_when_first_rows_were_read_ahead(
    store: Store, make_app: AppFactory
) -> None:
    """Keys typed as the app starts, before its screen is up, wait for the whole queue as
    those typed over the first rows do; with no first rows, nothing is held."""
    _fill(store)
    app = make_app(store)
    app.session.read_ahead(SIZE[1])
    app.first_screen()
    assert not app.held_keys.holding, "nothing kept: no first rows"
    _keep(store)
    app = make_app(store)
    app.session.read_ahead(SIZE[1])
    assert app.session.first_rows_read() is not None
    app.first_screen()
    assert app.held_keys.holding
