"""The selected item: why it ranks here (the score's parts as sentences), notes, promises."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from techqueue.core.forecast import Forecast
from techqueue.core.timeparse import format_duration
from techqueue.domain import CLOSED_STATUSES
from techqueue.scoring import Weights
from techqueue.views.text import (
    clean,
    expectation_parts,
    past_solution_line,
    serve_facts,
    summary_line,
    when,
)

if TYPE_CHECKING:  # the item view (past solutions, their similarity) loads with the first detail
    from techqueue.views.item import ItemDetail

__all__ = ["DetailPane"]


class DetailPane(VerticalScroll):
    DEFAULT_CSS = """
    DetailPane > Static { width: 1fr; }
    DetailPane > .detail--at-risk { color: $warning; text-style: bold; }
    DetailPane > .detail--broken { color: $error; text-style: bold reverse; }
    """
    COMPONENT_CLASSES = {"detail--at-risk", "detail--broken"}

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def on_mount(self) -> None:
        self.border_title = "Why it ranks here"

    def show_empty(self, message: str) -> None:
        self._set_body(Text(message))

    def show(
        self,
        detail: ItemDetail,
        now: datetime,
        weights: Weights,
        rank: int | None,
        forecast: Forecast | None = None,
    ) -> None:
        item = detail.item
        text = Text()
        text.append(summary_line(item, now, weights), style="bold")
        text.append("\n")
        if forecast is not None and item.status not in CLOSED_STATUSES:
            self._expectations(text, detail, now, weights, forecast)
        if rank is not None and detail.score is not None:
            text.append(f"Ranks {rank} with {detail.score:.1f} points:\n")
        elif item.status in CLOSED_STATUSES:
            text.append(f"Not in the queue ({item.status}).\n")
        else:
            text.append("Not in the queue right now (deferred).\n")
        for reason in detail.entry.reasons if detail.entry else ():
            text.append(f"  {reason.points:+7.1f}  ", style="dim")
            text.append(clean(reason.detail) + "\n")
        if detail.spent:
            text.append(f"Worked on it: {format_duration(detail.spent)}\n")
        for fact in serve_facts(item, now):
            text.append(fact[:1].upper() + fact[1:] + "\n")
        for past in detail.past:
            text.append(past_solution_line(past, now) + "\n", style="bold")
        if detail.notes:
            text.append("Notes\n", style="bold")
            for note in detail.notes:
                label = {"promise": "promise", "contact": "told them"}.get(note.kind, "")
                text.append(f"  {when(note.created_at, now)} ")
                if label:
                    text.append(f"[{label}] ", style="bold")
                text.append(clean(note.text))
                if note.due_at is not None:
                    text.append(f" (due {when(note.due_at, now)})")
                text.append("\n")
        pending = [r for r in detail.reminders if r.dismissed_at is None]
        if pending:
            text.append("Reminders\n", style="bold")
            for reminder in pending:
                text.append(f"  {when(reminder.due_at, now)} {clean(reminder.text)}\n")
        self._set_body(text)

    def _set_body(self, text: Text) -> None:
        """Show ``text``, laying the screen out again only when it takes a different number
        of lines: a new layout repaints every pane and scrollbar, and moving the cursor down
        the queue shows one item after another whose text is mostly as tall as the last."""
        body = self.query_one("#detail-body", Static)
        body.update(text, layout=False)
        size = body.content_size
        if not size.width or body.get_content_height(size, size, size.width) != size.height:
            body.refresh(layout=True)

    def _expectations(
        self, text: Text, detail: ItemDetail, now: datetime, weights: Weights, forecast: Forecast
    ) -> None:
        """The estimate and its source, the ETA, the promise's state and what to say."""
        item = detail.item
        said = " · ".join(expectation_parts(item, forecast, weights))
        text.append(said[:1].upper() + said[1:] + "\n")
        state = forecast.state_of(item)
        if item.promise_due_at is not None and state != "none":
            label = {"ok": "promise", "at_risk": "PROMISE AT RISK", "broken": "PROMISE BROKEN"}
            marked = {"at_risk": "detail--at-risk", "broken": "detail--broken"}.get(state)
            style = self.get_component_rich_style(marked, partial=True) if marked else ""
            text.append(label[state], style=style)
            text.append(f" — due {when(item.promise_due_at, now)}\n")
        if detail.tell:
            text.append("Tell them (c copies): ", style="bold")
            text.append(clean(detail.tell) + "\n")
