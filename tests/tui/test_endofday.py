"""The end and the start of the day in the app: the review screen's one-key decisions,
then the next morning's summary, shown once and brought back from the palette."""

from __future__ import annotations

from datetime import UTC, time

import pytest
from textual.widgets import OptionList

from techqueue import actions
from techqueue.app import ReviewApp
from techqueue.core.settings import Settings
from techqueue.core.workday import day_span
from techqueue.desk import Desk
from techqueue.store import Store
from techqueue.tui.screens.main import MainScreen
from techqueue.tui.screens.morning import MorningSummary
from techqueue.tui.screens.review import ReviewScreen

from .conftest import (
    EVENING,
    MINUTE,
    NEXT_MORNING,
    NOW,
    AppFactory,
    a_day,
    at,
    open_review,
    settle,
    wait_for,
)

pytestmark = pytest.mark.timeout(60)


def highlighted_id(screen: ReviewScreen) -> int:
    options = screen.query_one(OptionList)
    assert options.highlighted is not None
    return int(options.get_option_at_index(options.highlighted).id or 0)


async def test_a_day_reviewed_then_the_next_morning(store: Store, make_app: AppFactory) -> None:
    ids = a_day(store)
    app = make_app(store, Settings(morning_summary=False), at(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        review = screen.review
        assert review is not None
        assert review.worked_minutes == 45 + 30 + 60
        assert [p.item_id for p in review.promises.kept] == [ids["vpn"]]
        assert [p.item_id for p in review.promises.broken] == [ids["laptop"]]
        order = [entry.id for entry in review.open]
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

    morning_app = make_app(store, Settings(), at(NEXT_MORNING))
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

    again = make_app(store, Settings(), at(NEXT_MORNING + 60 * MINUTE))
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, MainScreen)  # once a day


async def test_finishing_the_day_leaves_alone_what_was_decided_earlier_today(
    store: Store, make_app: AppFactory
) -> None:
    """An item carried over earlier today (from the shell, or in a review closed since) is
    decided: the review shows it so, and ``f`` carries over only the rest, as ``carry
    --rest`` does, instead of marking it skipped as well."""
    ids = a_day(store)
    actions.carry_over(Desk(store), [ids["printer"]], EVENING - 10 * MINUTE, note="Toner on order")
    app = make_app(store, Settings(morning_summary=False), at(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        review = screen.review
        assert review is not None
        undecided = {entry.id: entry.undecided for entry in review.open}
        assert undecided == {ids["printer"]: False, ids["laptop"]: True, ids["monitor"]: True}
        options = screen.query_one(OptionList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("Printer jammed  → carried over earlier today" in line for line in shown)
        assert "2 undecided" in str(screen.query_one("#review-open-title").render())
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="back to the queue")
        await settle(pilot)
    kinds = {name: [n.kind for n in store.notes(ids[name])] for name in ids}
    assert kinds["printer"].count("carry") == 1
    assert "skipped" not in kinds["printer"]
    assert "skipped" in kinds["laptop"]
    assert "skipped" in kinds["monitor"]


async def test_no_morning_summary_on_an_empty_store_or_when_switched_off(
    store: Store, make_app: AppFactory
) -> None:
    app = make_app(store, Settings(), at(NEXT_MORNING))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
    a_day(store)
    off = make_app(store, Settings(morning_summary=False), at(NEXT_MORNING))
    async with off.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(off.screen, MainScreen)
    assert store.meta("morning_summary_shown") is None


async def test_review_decisions_defer_rerank_and_drop_are_store_actions(
    store: Store, observer: Store, make_app: AppFactory
) -> None:
    a_day(store)
    app = make_app(store, Settings(morning_summary=False), at(EVENING))
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_review(pilot)
        target = highlighted_id(screen)
        await pilot.press("plus")
        await wait_for(pilot, lambda: target in screen.decided, what="the bump")
        assert observer.get(target).bump == 1
        screen.query_one(OptionList).highlighted = 0
        target = highlighted_id(screen)
        await pilot.press("z")
        await pilot.press("enter")  # the default: tomorrow (at the start of working hours)
        await wait_for(pilot, lambda: "deferred" in screen.decided.get(target, ""), what="defer")
        assert observer.get(target).deferred_until == NEXT_MORNING

        def gone() -> bool:
            return screen.review is not None and target not in [e.id for e in screen.review.open]

        await wait_for(pilot, gone)
        screen.query_one(OptionList).highlighted = 0
        target = highlighted_id(screen)
        await pilot.press("x")
        await pilot.press("d", "u", "p", "enter")
        await wait_for(pilot, lambda: target in screen.decided, what="the drop")
        assert observer.get(target).status == "dropped"
        assert observer.get(target).drop_reason == "dup"
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, MainScreen), what="closed")


@pytest.mark.usefixtures("slow_writes")
async def test_leaving_the_standalone_review_at_once_still_saves_the_decision(
    store: Store, observer: Store
) -> None:
    """``techqueue review``: c then Escape in the same moment carries the item over before
    the app exits (Escape is the app's quit, which waits for what was asked)."""
    a_day(store)
    start, end = day_span(EVENING.date(), time(0, 0), UTC)
    app = ReviewApp(store, Settings(morning_summary=False), at(EVENING), start, end)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen), what="the screen")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        await wait_for(pilot, lambda: screen.review is not None, what="the review")
        await pilot.pause()
        target = highlighted_id(screen)
        screen.action_carry()
        screen.action_close()
        await wait_for(pilot, lambda: not app.is_running, what="the exit")
    assert [note.kind for note in observer.notes(target)][-1] == "carry"


def _left_running(store: Store) -> int:
    """Monday 09:00: a migration started at 15:10 and never stopped. Its item's id."""
    from techqueue.actions import ItemFields

    job = actions.add(Desk(store), ItemFields(title="Migrate the file share"), NOW).item.id
    actions.start(Desk(store), job, NOW + 370 * MINUTE)  # 15:10
    return job


@pytest.mark.parametrize(
    ("key", "worked"), [("y", True), ("n", False), ("escape", None)], ids=["y", "n", "esc"]
)
async def test_a_timer_left_running_is_never_stopped_behind_the_technicians_back(
    store: Store, make_app: AppFactory, observer: Store, key: str, worked: bool | None
) -> None:
    """Opened the next morning, the app asks whether the evening was worked: y counts it until
    the timer stops, n stops it at 17:00 (paused, with a note), Escape leaves it to later;
    then the morning summary shows, as on any new day."""
    from techqueue.domain import OVERNIGHT_NOTE, WORKED_LATE_NOTE
    from techqueue.tui.dialogs import LeftRunning

    job = _left_running(store)
    app = make_app(store, Settings(), at(NEXT_MORNING))
    async with app.run_test(size=(100, 30)) as pilot:

        def shown() -> str:
            if not isinstance(app.screen, LeftRunning):
                return ""
            return " ".join(str(w.render()) for w in app.screen.query("Static"))

        # The question's text, not only its screen: pushed, it may not be composed yet.
        await wait_for(pilot, lambda: "Did you work on" in shown(), what="the question")
        said = shown()
        assert f"#{job} Migrate the file share: running since Mon 02 Mar 15:10" in said
        assert "past the day's end at Mon 02 Mar 17:00" in said
        assert "Did you work on after 17:00?" in said
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, MorningSummary), what="the morning")
        expected = {True: WORKED_LATE_NOTE, False: OVERNIGHT_NOTE, None: None}[worked]
        await wait_for(
            pilot, lambda: observer.spans([job])[0].note == expected, what="the answer saved"
        )
        await settle(pilot)
    [span] = observer.spans([job])
    if worked:
        assert span.ended_at is None
        assert span.note == WORKED_LATE_NOTE
        assert observer.get(job).status == "active"
    elif worked is False:
        assert span.ended_at == NOW + 8 * 60 * MINUTE
        assert span.note == OVERNIGHT_NOTE
        assert observer.get(job).status == "paused"
    else:
        assert span.ended_at is None
        assert span.note is None, "nothing decided, nothing written"
