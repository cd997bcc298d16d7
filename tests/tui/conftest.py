"""Fixtures for the full-screen app: a temporary store, a fixed clock, and helpers that let a
Pilot test wait until the screen has caught up with the store (every store call of the app
runs in a worker thread)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from textual import events
from textual.content import Content
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input, Static

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.records import ItemRecord
from techqueue.store import Store, open_store
from techqueue.tui.screens.main import MainScreen
from techqueue.tui.screens.review import ReviewScreen
from techqueue.tui.session import Session
from techqueue.tui.widgets import QueueTable

#: Monday 2 March 2026, 09:00 UTC: every test and snapshot sees this instant.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SIZE = (100, 30)

#: (title, severity, channel, requester, estimate) of the seeded queue.
SEED: tuple[tuple[str, str, str, str, float], ...] = (
    ("VPN down for the sales floor", "critical", "phone", "Bob", 30),
    ("Printer jammed on floor 2", "high", "desk", "Alice", 5),
    ("Reset a forgotten password", "normal", "email", "Carol", 2),
    ("New monitor for reception", "low", "ticket", "Dave", 60),
)


def clock() -> datetime:
    return NOW


# --- a working day, for the review and the morning summary --------------------------------

MINUTE = timedelta(minutes=1)
EVENING = NOW + timedelta(hours=8, minutes=30)  # 17:30
NEXT_MORNING = NOW + timedelta(days=1)


def a_day(store: Store) -> dict[str, int]:
    """Monday: a finished item, one worked and paused, one promised, one left untouched."""

    def add(title: str, at: datetime, **fields: Any) -> int:
        return actions.add(Desk(store), ItemFields(title=title, **fields), at).item.id

    vpn = add("VPN down for sales", NOW, severity="critical", channel="phone", tags=("network",))
    printer = add("Printer jammed", NOW, severity="high", channel="desk", requester="Alice")
    laptop = add("New laptop [b]Carol[/b]", NOW + 60 * MINUTE, channel="email", tags=("laptop",))
    actions.start(Desk(store), vpn, NOW)
    actions.note(Desk(store), vpn, "Back by 10", NOW, kind="promise", due_at=NOW + 60 * MINUTE)
    actions.done(Desk(store), vpn, NOW + 45 * MINUTE)
    actions.start(Desk(store), printer, NOW + 50 * MINUTE)
    actions.pause(Desk(store), printer, NOW + 80 * MINUTE)
    actions.note(
        Desk(store),
        laptop,
        "By noon",
        NOW + 70 * MINUTE,
        kind="promise",
        due_at=NOW + 3 * 60 * MINUTE,
    )
    actions.start(Desk(store), laptop, NOW + 4 * 60 * MINUTE)
    actions.pause(Desk(store), laptop, NOW + 5 * 60 * MINUTE)
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


def crowd(store: Store) -> Store:
    """The seeded queue and more: a job in hand for 1 h 15 with a long title, a pinned VIP,
    a long requester's item waiting since 16 h 18, one waiting on the customer, a promise
    broken and one at risk -- a header and rows wider than a small terminal."""
    seed(store)
    desk = Desk(store)

    def add(title: str, at: timedelta = timedelta(0), **fields: Any) -> int:
        return actions.add(desk, ItemFields(title=title, **fields), NOW - at).item.id

    job = add(
        "Outlook keeps asking for the password on every laptop of the third floor",
        timedelta(hours=2),
        severity="high",
        requester="Frank",
    )
    actions.start(desk, job, NOW - timedelta(minutes=75))
    badge = add(
        "Badge reader at the back door",
        timedelta(days=4, hours=16, minutes=18),  # Wednesday 16:42: 16 h 18 of working time
        requester="Alexandra Montgomery-Smith",
        channel="ticket",
    )
    vip = add("Board slides will not print", requester="Dana", estimate_minutes=15)
    actions.set_vip(desk, "Dana", NOW)
    actions.pin(desk, vip, NOW)
    waiting = add("Send the loaner form", timedelta(hours=3), channel="email")
    actions.wait(desk, waiting, NOW)
    for item, due in ((badge, NOW - timedelta(minutes=10)), (waiting, NOW + timedelta(minutes=5))):
        said = f"By {due:%H:%M}"
        actions.note(desk, item, said, NOW - timedelta(hours=1), kind="promise", due_at=due)
    return store


AppFactory = Callable[..., TechQueueApp]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    """The store the app works on (empty)."""
    opened = open_store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def seeded_store(store: Store) -> Store:
    """The store with the four items of ``SEED``, all received at ``NOW``."""
    seed(store)
    return store


def seed(store: Store, rows: tuple[tuple[str, str, str, str, float], ...] = SEED) -> None:
    for title, severity, channel, requester, estimate in rows:
        actions.add(
            Desk(store),
            ItemFields(
                title=title,
                severity=severity,
                channel=channel,
                requester=requester,
                estimate_minutes=estimate,
            ),
            NOW,
        )


@pytest.fixture
def observer(db_path: Path, store: Store) -> Iterator[Store]:
    """A second connection to the same file, for checking what the app committed."""
    opened = open_store(db_path)
    yield opened
    opened.close()


@pytest.fixture
def slow_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every store action takes half a second, so a test can quit while one is under way."""
    run = Session.run

    def slowly(self: Session, action: Any) -> Any:
        time.sleep(0.5)
        return run(self, action)

    monkeypatch.setattr(Session, "run", slowly)


@pytest.fixture
def make_app() -> AppFactory:
    """Build the app on a store, with default settings (or the ones given) and ``NOW`` (or
    the clock given)."""

    def build(
        on: Store, settings: Settings | None = None, now: Callable[[], datetime] = clock
    ) -> TechQueueApp:
        # The morning summary is off unless a test asks for it: it would cover other screens.
        # No desktop notifier: a reminder falling due must not pop up on the developer's screen.
        return TechQueueApp(on, settings or Settings(morning_summary=False), now, notifier=None)

    return build


@pytest.fixture
def app(seeded_store: Store, make_app: AppFactory) -> TechQueueApp:
    return make_app(seeded_store)


@pytest.fixture
def empty_app(store: Store, make_app: AppFactory) -> TechQueueApp:
    return make_app(store)


# --- helpers for Pilot tests -----------------------------------------------------------------


def main_screen(app: Any) -> MainScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, MainScreen))


def _busy(app: Any) -> bool:
    return any(not worker.is_finished for worker in app.workers)


async def settle(pilot: Pilot[Any], timeout: float = 30.0) -> None:
    """Wait until the main screen has drawn a board and no worker is left running.

    Two quiet rounds in a row are required, since a finished worker may post a message that
    starts another (a redraw loads the selected item's detail in a worker of its own).
    """
    app = pilot.app
    deadline = time.monotonic() + timeout
    quiet = 0
    while quiet < 2:
        if not app.is_running or app._exception is not None:
            raise AssertionError("the app stopped")
        if time.monotonic() > deadline:
            raise AssertionError("the app did not settle: workers still running or no board")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = main_screen(app)
        if screen.board is not None and not _busy(app):
            quiet += 1
        else:
            quiet = 0


async def wait_for(
    pilot: Pilot[Any], condition: Callable[[], bool], timeout: float = 15.0, what: str = ""
) -> None:
    """Poll ``condition`` (pausing the app between tries) until it holds or time runs out.

    The time allowed is generous: it is only spent when something is wrong, and a CI machine
    with two busy cores can take seconds over what a quiet one takes in milliseconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition!r}")
        await pilot.pause(0.05)


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` a key at a time, as a person would, into the focused widget.

    The key events go through the driver like ``pilot.press`` sends them, but without its
    wait for an idle process between two keys (that wait costs ~0.1 s a key here); the
    helper returns once the focused input holds the text.
    """
    app = pilot.app
    target = app.focused
    driver = app._driver
    assert driver is not None, "the app is not running"
    for char in text:
        key = char if char.isalnum() else _character_to_key(char)
        event = events.Key(key, char)
        event.set_sender(app)
        driver.send_message(event)
    if isinstance(target, Input):
        await wait_for(pilot, lambda: text in target.value, what=f"{text!r} to be typed")
    await pilot.pause()


async def capture(pilot: Pilot[Any], line: str) -> None:
    """Capture ``line`` the way a person does: a, type it, Enter; then wait for the redraw."""
    await pilot.press("a")
    await type_text(pilot, line)
    await pilot.press("enter")
    await settle(pilot)


def notices(app: Any) -> list[str]:
    """The notifications the app has shown, as text."""
    return [str(notice.message) for notice in app._notifications]


def plain(widget: Static) -> str:
    """The text a ``Static`` was given, without styles."""
    content = widget.content
    if isinstance(content, Text | Content):
        return content.plain
    return str(content)


def screen_lines(app: Any) -> list[str]:
    """What the terminal shows now, one string per line."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_text(app: Any) -> str:
    return "\n".join(screen_lines(app))


def detail_text(app: Any) -> str:
    return plain(main_screen(app).query_one("#detail-body", Static))


def queue(app: Any) -> QueueTable:
    return main_screen(app).query_one(QueueTable)


def queue_titles(app: Any) -> list[str]:
    """The titles in the order the queue shows them."""
    board = main_screen(app).board
    assert board is not None
    return [entry.item.title for entry in board.ranked]


def selected(app: Any) -> ItemRecord:
    board = main_screen(app).board
    assert board is not None
    item_id = queue(app).selected_id
    return next(entry.item for entry in board.ranked if entry.id == item_id)


def by_title(store: Store, title: str) -> ItemRecord:
    """The one item with ``title``, in any status."""
    everything = store.items(("open", "active", "paused", "waiting", "done", "dropped"))
    found = [item for item in everything if item.title == title]
    assert len(found) == 1, f"expected one item titled {title!r}, found {len(found)}"
    return found[0]


def all_items(store: Store) -> list[ItemRecord]:
    return store.items(("open", "active", "paused", "waiting", "done", "dropped"))


async def select_title(pilot: Pilot[Any], title: str) -> None:
    """Move the cursor onto the item called ``title`` with the keyboard."""
    app = pilot.app
    titles = queue_titles(app)
    target = titles.index(title)
    await pilot.press("home")
    await pilot.press(*(["down"] * target))
    await settle(pilot)
    assert selected(app).title == title


def input_value(app: Any, selector: str = "Input") -> str:
    value: str = app.screen.query_one(selector, Input).value
    return value
