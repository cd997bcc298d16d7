"""Serving everyone, in the app: booking a slot (b) and today's slots in the reminders pane;
done with how it was solved (S) and past solutions in the detail; a canned answer copied
(A); out with someone else (W); recurring work captured (a … every:); the review screen."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Static

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.app import TechQueueApp
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.dialogs import Prompt

from .conftest import (
    NOW,
    SIZE,
    AppFactory,
    by_title,
    detail_text,
    main_screen,
    notices,
    open_review,
    plain,
    queue_titles,
    screen_text,
    select_title,
    settle,
    type_text,
)

pytestmark = pytest.mark.timeout(60)

MONITOR = "New monitor for reception"
HOUR = timedelta(hours=1)


def reminders_pane(app: TechQueueApp) -> str:
    return plain(main_screen(app).query_one("#reminders", Static))


async def test_b_books_a_slot_shown_in_the_reminders_pane(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        await pilot.press("b")
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "11:00")
        await pilot.press("enter")
        await type_text(pilot, "45m")
        await pilot.press("enter")
        await settle(pilot)
        item = by_title(observer, MONITOR)
        assert item.appointment_at == NOW + 2 * HOUR
        assert item.appointment_minutes == 45
        assert MONITOR not in queue_titles(app), "out of the queue until shortly before"
        assert f"BOOKED 11:00–11:45 #{item.id} {MONITOR} (Dave)" in reminders_pane(app)


async def test_a_bad_length_is_said_inline_and_nothing_is_booked(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("b")
        await type_text(pilot, "11:00")
        await pilot.press("enter")
        await type_text(pilot, "soon")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, Prompt)
        assert "how long" in plain(app.screen.query_one("#prompt-error", Static))
        await pilot.press("escape")
        await settle(pilot)
        assert observer.last_journal_id() == 4


# --- S: done, with how it was solved; past solutions in the detail ------------------------------


async def test_s_keeps_the_solution_and_a_similar_item_shows_it(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    desk = Desk(store)
    first = actions.add(desk, ItemFields(title="Printer jams on floor 2", tags=("printer",)), NOW)
    actions.log_time(desk, first.item.id, 10, NOW)
    actions.add(desk, ItemFields(title="Printer offline", tags=("printer",)), NOW)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, "Printer jams on floor 2")
        await pilot.press("S")
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "reset the print spooler")
        await pilot.press("enter")
        await settle(pilot)
        done = by_title(observer, "Printer jams on floor 2")
        assert (done.status, done.solution) == ("done", "reset the print spooler")
        await select_title(pilot, "Printer offline")
        await settle(pilot)
        shown = " ".join(detail_text(app).split())
        assert "Last time: reset the print spooler, 10 min (#1 Printer jams on floor 2" in shown


async def test_s_with_nothing_typed_is_just_done(app: TechQueueApp, observer: Store) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        await pilot.press("S")
        await pilot.press("enter")
        await settle(pilot)
        item = by_title(observer, MONITOR)
        assert (item.status, item.solution) == ("done", None)


# --- A: a canned answer, copied and noted --------------------------------------------------------


async def test_a_copies_the_canned_answer_of_the_items_tag_and_notes_the_contact(
    store: Store, make_app: AppFactory, observer: Store
) -> None:
    desk = Desk(store)
    actions.add(
        desk,
        ItemFields(title="Printer offline", tags=("printer",), requester="Alice B", ref="INC-7"),
        NOW,
    )
    answers = {"printer": "Hi {name}, the printer is on my list for {eta} ({ticket})."}
    app = make_app(store, Settings(morning_summary=False, answers=answers))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        expected = "Hi Alice, the printer is on my list for right away (INC-7)."
        assert app.clipboard == expected
        notes = observer.notes(by_title(observer, "Printer offline").id)
        assert [(note.kind, note.text) for note in notes] == [("contact", f"Told them: {expected}")]


async def test_a_without_an_answer_that_fits_says_so(
    app: TechQueueApp, make_app: AppFactory, seeded_store: Store, observer: Store
) -> None:
    app = make_app(seeded_store, Settings(morning_summary=False, answers={}))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert "No canned answer fits" in " ".join(notices(app))
        assert observer.last_journal_id() == 4


# --- W: out with someone else --------------------------------------------------------------------


async def test_w_capital_puts_it_out_with_a_vendor_and_sets_the_chase(
    app: TechQueueApp, observer: Store
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select_title(pilot, MONITOR)
        await pilot.press("W")
        assert isinstance(app.screen, Prompt)
        await type_text(pilot, "vendor:Acme Displays")
        await pilot.press("enter")
        await type_text(pilot, "tomorrow 10:00")
        await pilot.press("enter")
        await settle(pilot)
        item = by_title(observer, MONITOR)
        assert (item.status, item.waiting_on, item.waiting_kind) == (
            "waiting",
            "Acme Displays",
            "vendor",
        )
        assert item.chase_at == NOW + 25 * HOUR
        assert [(r.item_id, r.text) for r in observer.reminders()] == [
            (item.id, f"chase vendor Acme Displays about #{item.id}")
        ]
        assert queue_titles(app)[-1] == MONITOR
        await select_title(pilot, MONITOR)
        await settle(pilot)
        assert "waiting on vendor Acme Displays" in " ".join(detail_text(app).split())


# --- a … every: recurring work captured in the app --------------------------------------------


async def test_capturing_a_recurring_line_makes_the_rule(
    empty_app: TechQueueApp, observer: Store
) -> None:
    async with empty_app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await type_text(pilot, "check backups ~15m every:tue 9:00")
        await pilot.pause()
        preview = plain(empty_app.screen.query_one("#quick-preview", Static))
        assert "every: tue 09:00" in preview
        assert "recurring: each one comes at its time" in preview
        await pilot.press("enter")
        await settle(pilot)
        (rule,) = observer.recurrences()
        assert rule.rule == "tue 09:00"
        (instance,) = observer.instances(rule.id)
        assert instance.received_at == NOW + 24 * HOUR, "Tuesday 9:00"
        assert queue_titles(empty_app) == [], "out of the queue until its time"


# --- R: the review screen lists the slots and what is out with whom ----------------------------


async def test_the_review_screen_lists_appointments_and_what_is_out(
    seeded_store: Store, make_app: AppFactory
) -> None:
    desk = Desk(seeded_store)
    monitor = by_title(seeded_store, MONITOR).id
    printer = by_title(seeded_store, "Printer jammed on floor 2").id
    actions.appoint(desk, monitor, NOW + 2 * HOUR, NOW, 30)
    actions.wait_on(desk, printer, "Acme", "vendor", NOW)
    app = make_app(seeded_store, Settings(morning_summary=False), lambda: NOW + 3 * HOUR)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot)
        shown = " ".join(screen_text(app).split())
        assert f"Appointments: #{monitor} {MONITOR} (Dave) — 11:00 for 30 min" in shown
        assert f"#{printer} Printer jammed on floor 2 — with vendor Acme for 3 h" in shown


# --- the morning summary names today's appointments ------------------------------------------


async def test_the_morning_summary_says_what_is_booked_today(
    store: Store, make_app: AppFactory
) -> None:
    from techqueue.tui.screens.morning import MorningSummary

    from .conftest import wait_for

    desk = Desk(store)
    printer = actions.add(desk, ItemFields(title="Printer", requester="Alice"), NOW).item.id
    actions.appoint(desk, printer, NOW + 2 * HOUR, NOW, 45)
    app = make_app(store, Settings(), lambda: NOW + timedelta(minutes=5))
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, MorningSummary) and app.screen.is_mounted,
            what="the summary",
        )
        text = str(app.screen.query_one("#morning-body").render())
        assert "Booked today" in text
        assert f"11:00–11:45 #{printer} Printer (Alice)" in text
