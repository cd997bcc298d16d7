"""The start of the day on the main screen: a timer left running past the end of its working
day is asked about (never stopped behind the technician's back), then the morning summary
shows, the first time the app opens on a new day."""

from __future__ import annotations

from textual import work

from techqueue import actions
from techqueue.tui.screens.item_keys import ItemKeys
from techqueue.views.text import left_running_text

__all__ = ["DayStart"]


class DayStart(ItemKeys):
    """The main screen's keys, and its questions at the start of a day."""

    #: Timers left running past the end of the day already asked about (by span id): an
    #: answer of "later" is not asked again until the app is opened again.
    _asked_left: set[int]

    @work(thread=True, exclusive=True, group="left-running", exit_on_error=False)
    def _ask_left_running(self, then_morning: bool) -> None:
        """A timer still running past the end of its working day is never stopped behind
        the technician's back: they are asked whether the evening was worked (on opening
        the app, and when a day ends with the app open). Then, on opening, the morning."""
        left = [
            entry for entry in self.session.left_running() if entry[0].id not in self._asked_left
        ]
        if not left:
            if then_morning:
                self._show_morning(True)
            return
        now = self.session.now()
        lines = [left_running_text(span, title, cutoff, now) for span, title, cutoff in left]
        ends = sorted({cutoff.astimezone(now.tzinfo).strftime("%H:%M") for _, _, cutoff in left})
        spans = [span.id for span, _, _ in left]

        def answered(worked: bool | None) -> None:
            self._asked_left.update(spans)
            labels = ", ".join(f"#{span.item_id}" for span, _, _ in left)
            if worked:
                self._act_and_rerank(
                    lambda desk, now: actions.worked_late(desk, spans, now),
                    f"{labels}: counted until you stop it (u undoes)",
                )
            elif worked is False:
                self._act_and_rerank(
                    lambda desk, now: actions.close_overnight(desk, now),
                    f"{labels}: stopped at the end of the day, and paused (u undoes)",
                )
            if then_morning:
                self._show_morning(True)

        def ask() -> None:
            if self.app.screen is not self:  # busy elsewhere: asked at the next minute
                if then_morning:
                    self._show_morning(True)
                return
            from techqueue.tui.dialogs import LeftRunning

            self.app.push_screen(LeftRunning(lines, " / ".join(ends)), answered)

        self.app.call_from_thread(ask)

    def action_morning(self) -> None:
        self._show_morning(False)

    @work(thread=True, exclusive=True, group="morning", exit_on_error=False)
    def _show_morning(self, only_if_new_day: bool) -> None:
        """The start-of-day summary: on the first open of a new day, or when asked for."""
        morning = self.session.morning(only_if_new_day=only_if_new_day)
        if only_if_new_day and morning.empty:
            return
        now = self.session.now()

        def show() -> None:
            from techqueue.tui.screens.morning import MorningSummary

            if only_if_new_day and self.app.screen is not self:
                return  # the technician is already elsewhere: the palette brings it back
            self.app.push_screen(MorningSummary(morning, now, self.bump_item))
            self.reload()

        self.app.call_from_thread(show)
