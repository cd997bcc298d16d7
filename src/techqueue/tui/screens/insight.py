"""Insight: the most common issues and where the time went over the last weeks, against the
weeks before — the same report as ``techqueue report``, read in a worker and drawn with Rich
bars, arrows and a sparkline per week."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from techqueue.core.insight import Insight
from techqueue.tui.dialogs import KeysScreen, binding_rows
from techqueue.tui.errors import ReportsWorkerErrors
from techqueue.tui.session import Session
from techqueue.tui.widgets import KeysFooter
from techqueue.views.insight import DEFAULT_WEEKS, insight_renderable

__all__ = ["WEEK_CHOICES", "InsightScreen"]

#: The periods ``+`` and ``-`` step through, in weeks.
WEEK_CHOICES = (1, 2, 4, 8, 13, 26, 52)


class InsightScreen(ReportsWorkerErrors, Screen[None]):
    """The insight report; Escape goes back to the queue."""

    BINDINGS = [
        Binding("plus", "weeks(1)", "More weeks", id="insight.more", tooltip="A longer period"),
        Binding("minus", "weeks(-1)", "Fewer", id="insight.fewer", tooltip="A shorter period"),
        Binding("escape", "close", "Close", id="insight.close", tooltip="Back to the queue"),
        Binding("question_mark", "keys", "Keys", id="insight.keys", tooltip="Every key"),
    ]

    def __init__(self, session: Session, weeks: int = DEFAULT_WEEKS) -> None:
        super().__init__()
        self.session = session
        self.weeks = weeks
        self.insight: Insight | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text(self._title()), id="insight-title")
        with VerticalScroll(id="insight-summary"):
            yield Static(Text("Reading the weeks…"), id="insight-body")
        yield KeysFooter()

    def _title(self) -> str:
        return f"Insight: the last {self.weeks} weeks, against the {self.weeks} before"

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        self.reload()

    @work(thread=True, exclusive=True, group="insight-load", exit_on_error=False)
    def reload(self) -> None:
        weeks = self.weeks
        insight = self.session.insight(weeks)
        self.app.call_from_thread(self._show, insight, weeks)

    def _show(self, insight: Insight, weeks: int) -> None:
        if weeks != self.weeks:
            return  # another period was asked for meanwhile: its worker draws it
        self.insight = insight
        self.query_one("#insight-title", Static).update(Text(self._title()))
        self.query_one("#insight-body", Static).update(insight_renderable(insight))

    def action_weeks(self, step: int) -> None:
        choices = WEEK_CHOICES
        here = min(range(len(choices)), key=lambda i: abs(choices[i] - self.weeks))
        chosen = choices[max(0, min(len(choices) - 1, here + step))]
        if chosen == self.weeks:
            return
        self.weeks = chosen
        self.query_one("#insight-title", Static).update(Text(self._title() + " (reading…)"))
        self.reload()

    def action_keys(self) -> None:
        keys = binding_rows(self.app, self.BINDINGS)
        self.app.push_screen(KeysScreen([*keys, ("↑ ↓ PgUp PgDn", "Scroll the report")]))

    def action_close(self) -> None:
        self.dismiss(None)
