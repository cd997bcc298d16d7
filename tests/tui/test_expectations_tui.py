"""Expectations in the full-screen app: the ETA and promise column, the at-risk count in the
header, what to tell the customer (copied with one key, noted as a contact), update nudges,
and due reminders ringing the bell."""

from __future__ import annotations

import stat
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import Prompt, QuickAdd, RemindersDialog
from techqueue.tui.screens.main import MainScreen
from techqueue.tui.widgets import RemindersPane, StatusLine

from .conftest import (
    NOW,
    SIZE,
    AppFactory,
    at,
    by_title,
    detail_text,
    main_screen,
    notices,
    plain,
    queue,
    queue_titles,
    screen_text,
    select_title,
    settle,
    type_text,
    wait_for,
)

pytestmark = pytest.mark.timeout(60)
MINUTE = timedelta(minutes=1)


def at_risk_store(store: Store) -> Store:
    """A pinned 50-minute job ahead of Alice, who was promised 09:30: at risk at 09:00.
    A finished printer job gives the printer item a learned estimate."""
    done = actions.add(
        Desk(store), ItemFields(title="Printer jammed", tags=("printer",)), NOW - 60 * MINUTE
    ).item
    actions.start(Desk(store), done.id, NOW - 60 * MINUTE)
    actions.done(Desk(store), done.id, NOW - 35 * MINUTE)
    pinned = actions.add(
        Desk(store), ItemFields(title="Server disk alert", estimate_minutes=50), NOW
    ).item
    actions.pin(Desk(store), pinned.id, NOW)
    alice = actions.add(
        Desk(store), ItemFields(title="Printer offline", requester="Alice", tags=("printer",)), NOW
    ).item
    actions.note(Desk(store), alice.id, "By 9:30", NOW, kind="promise", due_at=NOW + 30 * MINUTE)
    actions.add(
        Desk(store), ItemFields(title="Order toner", requester="Bob", estimate_minutes=5), NOW
    )
    return store


def status_text(app: Any) -> str:
    return plain(main_screen(app).query_one(StatusLine))


async def test_an_at_risk_promise_is_highlighted_and_counted(
    store: Store, make_app: AppFactory
) -> None:
    app = make_app(at_risk_store(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        header = status_text(app)
        assert "1 will be late" in header
        assert "due within 1 h" not in header, "a promise is counted once"
        table = queue(app)
        row = queue_titles(app).index("Printer offline")
        strip = table.render_line(row + 1 - int(table.scroll_y))
        risky = table.get_component_rich_style("queue--at-risk")
        cells = [segment for segment in strip if segment.text.strip().startswith("!")]
        assert cells, strip.text
        assert cells[0].style is not None
        assert cells[0].style.color == risky.color, "the countdown wears the at-risk colour"
        assert "! 30 min" in strip.text
        await select_title(pilot, "Printer offline")
        shown = detail_text(app)
        assert "PROMISE AT RISK" in shown
        assert "at risk: likely to start 09:55" in shown, "the reason says why"
        assert "~25 min, from 1 similar" in shown


async def test_c_copies_what_to_tell_them_and_notes_the_contact(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    app = make_app(at_risk_store(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, "Printer offline")
        expected = (
            "Last time this took about 25 min. I can be with you around 09:55 — does that "
            "work, or is later better?"
        )
        assert expected in " ".join(detail_text(app).split())
        await pilot.press("c")
        await settle(pilot)
        assert app.clipboard == expected
        item = by_title(observer, "Printer offline")
        notes = observer.notes(item.id)
        assert [note.kind for note in notes] == ["promise", "contact"]
        assert notes[-1].text == f"Told them: {expected}"


async def test_a_broken_promise_is_flagged_until_c_tells_them(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    item = actions.add(
        Desk(store), ItemFields(title="Laptop won't boot", requester="Erin"), NOW
    ).item
    actions.note(
        Desk(store), item.id, "By 8:45", NOW - 30 * MINUTE, kind="promise", due_at=NOW - 15 * MINUTE
    )
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "1 promise broken" in status_text(app)
        assert "due within" not in status_text(app), "a broken promise is counted once"
        assert "✗ 15 min" in screen_text(app)
        assert "PROMISE BROKEN" in detail_text(app)
        await pilot.press("c")
        await settle(pilot)
        assert observer.get(item.id).promise_due_at is None
        assert "broken" not in status_text(app)


async def test_a_customer_past_the_contact_target_shows_an_update_nudge(
    store: Store, make_app: AppFactory
) -> None:
    """Silence is counted in working time: 45 minutes from 09:00, none of the night before."""
    actions.add(
        Desk(store),
        ItemFields(title="Email down", requester="Bob", severity="critical"),
        NOW,
    )
    app = make_app(store, now=at(NOW + 45 * MINUTE))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = plain(main_screen(app).query_one(RemindersPane))
        assert "UPDATE update Bob on #1 (no word for 45 min of working time)" in pane


def _notifier(tmp_path: Path) -> tuple[Path, Path]:
    """A stand-in for notify-send that writes its arguments to a file."""
    log = tmp_path / "notified.txt"
    script = tmp_path / "fake-notify-send"
    script.write_text(f'#!/bin/sh\nprintf "%s|" "$@" >> "{log}"\necho >> "{log}"\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script, log


async def test_a_reminder_falling_due_rings_notifies_and_reaches_the_desktop_once(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    actions.add(Desk(store), ItemFields(title="Call the vendor"), NOW)
    actions.remind(Desk(store), 1, NOW + 2 * MINUTE, "chase the vendor", NOW)
    moments = [NOW]

    def clock() -> datetime:
        return moments[0]

    script, log = _notifier(tmp_path)
    app = TechQueueApp(store, Settings(morning_summary=False), clock, notifier=str(script))
    rings: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert rings == []
        moments[0] = NOW + 3 * MINUTE
        await wait_for(pilot, lambda: rings == [1], what="the bell")
        await wait_for(
            pilot,
            lambda: "Reminder: chase the vendor (#1)" in notices(app),
            what="the notification",
        )
        await wait_for(pilot, log.exists, what="the desktop notification")
        await settle(pilot)
        main_screen(app)._tick()  # more ticks: the same reminder must not ring again
        main_screen(app)._tick()
        await settle(pilot)
        assert rings == [1]
    assert log.read_text().splitlines() == [
        "--app-name=techqueue|techqueue reminder|chase the vendor|"
    ]


async def test_a_snoozed_reminder_rings_again_when_it_falls_due_again(
    store: Store, make_app: AppFactory, observer: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    reminder = actions.remind(Desk(store), None, NOW + 2 * MINUTE, "chase the vendor", NOW)
    moments = [NOW + 3 * MINUTE]
    app = make_app(store, Settings(morning_summary=False), lambda: moments[0])
    rings: list[int] = []
    monkeypatch.setattr(app, "bell", lambda: rings.append(1))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: rings == [1], what="the first bell")
        actions.snooze(
            Desk(observer), reminder.id, NOW + 10 * MINUTE, moments[0]
        )  # from another terminal
        screen = main_screen(app)
        await wait_for(
            pilot,
            lambda: screen.board is not None and bool(screen.board.reminders_today),
            what="the snooze read",
        )
        moments[0] = NOW + 11 * MINUTE
        screen._tick()
        await wait_for(pilot, lambda: rings == [1, 1], what="the bell once more")


async def test_a_learned_estimate_is_not_written_back_by_edit(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    app = make_app(at_risk_store(store))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, "Printer offline")
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, QuickAdd), what="the edit line")
        line = app.screen.query_one(Input).value
        assert line.startswith("Printer offline from:Alice")
        assert "~" not in line, "the learned 25 min is not the technician's own estimate"
        await pilot.press("enter")
        await settle(pilot)
    assert observer.journal(1)[0]["action"] == "edit", "the edit was saved"
    assert by_title(observer, "Printer offline").estimate_minutes is None


async def _on_printer_offline(pilot: Pilot[Any]) -> None:
    await settle(pilot)
    await select_title(pilot, "Printer offline")  # which settles


def test_snapshot_of_the_detail_pane_with_what_to_tell_them(
    snap_compare: Any, store: Store, make_app: AppFactory
) -> None:
    app = make_app(at_risk_store(store))
    assert snap_compare(app, terminal_size=(110, 32), run_before=_on_printer_offline)


async def open_reminders(pilot: Pilot[Any]) -> None:
    await pilot.press("L")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RemindersDialog), what="the list")


async def test_shift_l_lists_reminders_to_snooze_and_dismiss(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    actions.add(Desk(store), ItemFields(title="Call the vendor"), NOW)
    first = actions.remind(Desk(store), 1, NOW - MINUTE, "chase the vendor", NOW - 5 * MINUTE)
    second = actions.remind(Desk(store), None, NOW + 60 * MINUTE, "water the plants", NOW)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reminders(pilot)
        shown = screen_text(app)
        assert "chase the vendor" in shown
        assert "water the plants" in shown
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, Prompt), what="the snooze prompt")
        await pilot.press("enter")  # the suggested +15m
        await settle(pilot)
        snoozed = next(r for r in observer.reminders() if r.id == first.id)
        assert snoozed.due_at == NOW + 15 * MINUTE
        await open_reminders(pilot)
        await pilot.press("y")  # the first listed: the snoozed one, now due 09:15
        await settle(pilot)
        assert [r.id for r in observer.reminders()] == [second.id]
        await open_reminders(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, RemindersDialog)


async def test_the_reminders_list_opens_even_when_a_reload_starts_at_the_same_moment(
    store: Store, make_app: AppFactory
) -> None:
    """The minute's reload (or another terminal's write) must not swallow an L."""
    actions.remind(Desk(store), None, NOW + 60 * MINUTE, "water the plants", NOW)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main_screen(app).action_reminders()
        main_screen(app).reload()
        await wait_for(pilot, lambda: isinstance(app.screen, RemindersDialog), what="the list")
        assert "water the plants" in screen_text(app)


async def test_a_reminder_from_an_earlier_day_shows_its_date(
    store: Store, make_app: AppFactory
) -> None:
    """A reminder missed last Thursday is not this morning's: the pane says its day."""
    actions.remind(Desk(store), None, NOW - 4 * 24 * 60 * MINUTE, "renew the cert", NOW)
    actions.remind(Desk(store), None, NOW - 30 * MINUTE, "call the courier", NOW)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = plain(app.screen.query_one(RemindersPane))
        assert "Thu 26 Feb 09:00 renew the cert" in pane
        assert "08:30 call the courier" in pane
        assert "Mon 02 Mar 08:30" not in pane


async def test_the_reminders_list_stays_open_and_shows_each_change(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    """y and s act on the highlighted reminder and the list stays, showing the change; the
    highlight moves to the next one when one goes; Escape closes it."""
    due = actions.remind(Desk(store), None, NOW - MINUTE, "chase the vendor", NOW - 5 * MINUTE)
    plants = actions.remind(Desk(store), None, NOW + 60 * MINUTE, "water the plants", NOW)
    backups = actions.remind(Desk(store), None, NOW + 90 * MINUTE, "check the backups", NOW)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_reminders(pilot)
        dialog = app.screen
        assert isinstance(dialog, RemindersDialog)

        def listed() -> list[str]:
            options = dialog.query_one(OptionList)
            return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]

        await pilot.press("y")  # the first: the one due
        await wait_for(pilot, lambda: len(listed()) == 2, what="the list without it")
        await settle(pilot)
        assert app.screen is dialog, "the list stays open"
        assert [r.id for r in observer.reminders()] == [plants.id, backups.id]
        assert due.id not in [r.id for r in observer.reminders()]
        assert "water the plants" in listed()[0]
        assert dialog.query_one(OptionList).highlighted == 0

        await pilot.press("s")  # the plants: after the backups now
        await wait_for(pilot, lambda: isinstance(app.screen, Prompt), what="the snooze prompt")
        await pilot.press("end", *["backspace"] * 4)
        await type_text(pilot, "+2h")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "11:00" in " ".join(listed()), what="the new time")
        await settle(pilot)
        assert app.screen is dialog
        assert observer.reminders()[-1].due_at == NOW + 120 * MINUTE
        assert "check the backups" in listed()[0]
        assert "water the plants" in listed()[1]
        assert dialog.query_one(OptionList).highlighted == 1, "still on the one snoozed"

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
