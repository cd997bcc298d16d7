"""The done-when scenario: a new user's first minutes, keyboard only, checked in the store."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from techqueue.app import TechQueueApp
from techqueue.store import Store
from techqueue.tui.dialogs import Prompt, QuickAdd
from techqueue.tui.screens.main import MainScreen

from .conftest import (
    NOW,
    SIZE,
    all_items,
    by_title,
    detail_text,
    main_screen,
    plain,
    queue,
    queue_titles,
    screen_text,
    selected,
    settle,
    type_text,
    wait_for,
)

INTERRUPTIONS = (
    # (typed line, title, severity, channel, requester, estimate)
    (
        "Laptop won't boot @desk !high ~20m from:Dana",
        "Laptop won't boot",
        "high",
        "desk",
        "Dana",
        20,
    ),
    (
        "Outlook keeps asking for a password @phone ~5m from:Alice",
        "Outlook keeps asking for a password",
        "normal",
        "phone",
        "Alice",
        5,
    ),
    (
        "New starter account @ticket !low ~45m from:Eric ref:INC-42",
        "New starter account",
        "low",
        "ticket",
        "Eric",
        45,
    ),
)


@pytest.mark.timeout(60)
async def test_first_minutes_of_a_new_user(empty_app: TechQueueApp, observer: Store) -> None:
    app = empty_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = main_screen(app)

        # 1. An empty store greets the new user and says what to press.
        welcome = screen.query_one("#welcome", Static)
        assert welcome.display
        assert not queue(app).display
        assert "Press  a  to capture" in plain(welcome)
        assert "Press  a  to capture" in screen_text(app)
        assert "Ctrl+Q" in plain(welcome)
        assert "Press a to capture the first interruption." in detail_text(app)

        # 2. Three interruptions, captured from the keyboard.
        for count, (line, *_rest) in enumerate(INTERRUPTIONS, start=1):
            await pilot.press("a")
            assert isinstance(app.screen, QuickAdd)
            await type_text(pilot, line)
            await wait_for(
                pilot,
                lambda: "lands at #" in plain(app.screen.query_one("#quick-preview", Static)),
                what="the live preview",
            )
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)
            assert len(all_items(observer)) == count
            assert queue(app).row_count == count
        assert not welcome.display
        assert queue(app).display

        for _line, title, severity, channel, requester, estimate in INTERRUPTIONS:
            item = by_title(observer, title)
            assert (item.severity, item.channel, item.requester, item.estimate_minutes) == (
                severity,
                channel,
                requester,
                estimate,
            )
            assert (item.status, item.received_at) == ("open", NOW)
        assert by_title(observer, "New starter account").ref == "INC-42"

        # 3. The top of the queue is explained.
        await pilot.press("home")
        await settle(pilot)
        top = selected(app)
        assert top.title == queue_titles(app)[0]
        detail = detail_text(app)
        assert f"#{top.id} {top.title}" in detail
        assert "Ranks 1 with" in detail
        assert "severity" in detail  # one of the reasons, as a sentence

        # 4. Start it.
        await pilot.press("s")
        await settle(pilot)
        assert observer.get(top.id).status == "active"
        assert f"▶ #{top.id}" in plain(screen.query_one("#status", Static))

        # 5. Note a promise: when, then what was said.
        await pilot.press("o")
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "11:00")
        await pilot.press("enter")
        await type_text(pilot, "Fixed by 11:00 or a loaner")
        await pilot.press("enter")
        await settle(pilot)
        promised = NOW.replace(hour=11)
        notes = observer.notes(top.id)
        assert [(n.kind, n.text, n.due_at) for n in notes] == [
            ("promise", "Fixed by 11:00 or a loaner", promised)
        ]
        assert observer.get(top.id).promise_due_at == promised
        assert "[promise] Fixed by 11:00 or a loaner" in detail_text(app)

        # 6. Finish it.
        await pilot.press("d")
        await settle(pilot)
        done = observer.get(top.id)
        assert (done.status, done.done_at) == ("done", NOW)
        assert top.title not in queue_titles(app)
        assert queue(app).row_count == 2

        # 7. Quit.
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0

    # The store holds every step, in order.
    actions = [entry["action"] for entry in reversed(observer.journal(limit=10))]
    assert actions == ["add", "add", "add", "start", "promise", "done"]
    assert [span.ended_at for span in observer.spans([top.id])] == [NOW]
    others = [item for item in all_items(observer) if item.id != top.id]
    assert sorted(item.status for item in others) == ["open", "open"]
