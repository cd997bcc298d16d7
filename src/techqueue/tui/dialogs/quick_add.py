"""Capture in one line: as the technician types, show how the line is read and where the
item will land in the queue. Enter saves, Escape cancels; a parse error is shown inline and
the text stays where it is.

The dialog opens on a key a technician presses dozens of times a day, so it is built once and
kept (:meth:`QuickAdd.prepare` readies it for the next use), and it covers the queue rather
than tinting it: Textual draws a see-through backdrop by re-rendering and tinting the whole
screen beneath, which took longer than the dialog itself (~25 ms of ~40 at 120x40).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from techqueue.core.quickadd import Draft, QuickAddError, parse
from techqueue.core.settings import Settings
from techqueue.core.timeparse import format_duration, format_when
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked
from techqueue.tui.dialogs.base import Dialog
from techqueue.views.preview import drafted_item, placement
from techqueue.views.text import clean

if TYPE_CHECKING:
    from techqueue.core.estimates import History

__all__ = ["QuickAdd"]

HINT = 'e.g. Printer jammed @desk !high ~5m from:"Alice B" #printer due:14:00 ref:INC-42'


class QuickAdd(Dialog[Draft | None]):
    """Returns the line read as a draft item, or ``None`` when cancelled."""

    DEFAULT_CSS = """
    QuickAdd { background: $background; }
    QuickAdd > .dialog-box { width: 90%; max-width: 110; }
    QuickAdd #quick-hint { color: $text-muted; }
    QuickAdd #quick-preview { margin-top: 1; }
    QuickAdd #quick-error { color: $error; }
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="quick_add.cancel")]
    AUTO_FOCUS = "#quick-input"

    def __init__(self, now: Callable[[], datetime], settings: Settings) -> None:
        super().__init__("Capture")
        self._now = now
        self._settings = settings
        self._ranked: list[Ranked[ItemRecord]] = []
        self._initial = ""
        #: The item being edited (``None`` for a capture).
        self._editing: ItemRecord | None = None
        #: What the queue's estimates were learned from.
        self._history: History | None = None
        #: Whether each requester the queue knows is a VIP, by name (built when first needed).
        self._vips: dict[str, bool] | None = None
        #: The line as it was when Enter saved it (kept by the screen if the save fails).
        self.line = ""

    def body(self) -> ComposeResult:
        yield Input(
            value=self._initial, placeholder="What happened? Tokens anywhere.", id="quick-input"
        )
        yield Static(Text(HINT), id="quick-hint")
        yield Static(id="quick-preview")
        yield Static(id="quick-error")

    def on_mount(self) -> None:
        self._reset()

    def on_screen_suspend(self) -> None:
        """Closed, and kept for next time: let go of the queue it was placing the line in."""
        self._ranked, self._editing, self._vips = [], None, None

    def prepare(
        self,
        ranked: list[Ranked[ItemRecord]],
        *,
        title: str = "Capture",
        initial: str = "",
        editing: ItemRecord | None = None,
        history: History | None = None,
    ) -> QuickAdd:
        """Ready the dialog for a new line, or for ``editing`` an item; it is built once and
        kept. ``history`` is what the queue learned its estimates from."""
        self._ranked, self.box_title, self._initial = ranked, title, initial
        self._editing, self._history, self._vips = editing, history, None
        if self.is_mounted:
            self._reset()
        return self

    def _reset(self) -> None:
        box = self.query_one(".dialog-box")
        if str(box.border_title) != self.box_title:
            box.border_title = Text(self.box_title)
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = self._initial
        field.cursor_position = len(self._initial)
        self._preview(self._initial)

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        self._preview(event.value)

    def _preview(self, line: str) -> None:
        error = self.query_one("#quick-error", Static)
        preview = self.query_one("#quick-preview", Static)
        if not line.strip():
            for shown in (preview, error):
                if str(shown.content):  # an update lays the dialog out again
                    shown.update("")
            return
        try:
            draft = parse(line, self._now(), self._settings)
        except QuickAddError as problem:
            error.update(Text(clean(str(problem))))
            preview.update("")
            return
        error.update("")
        preview.update(self._describe(draft))
        self._place(line, draft)

    def _describe(self, draft: Draft, place: tuple[int, int] | None = None) -> Text:
        weights = self._settings.weights
        severity = draft.severity or "normal"
        estimate = draft.estimate_minutes or weights.default_estimate_minutes[severity]
        parts = [
            ("title", clean(draft.title)),
            ("from", clean(draft.requester) if draft.requester else "—"),
            ("VIP", "yes" if draft.vip else "no"),
            ("severity", severity),
            ("channel", draft.channel or "other"),
            ("estimate", ("" if draft.estimate_minutes else "~") + format_duration(estimate)),
            ("due", format_when(draft.due_at, self._now()) if draft.due_at else "—"),
        ]
        if draft.tags:
            parts.append(("tags", " ".join(f"#{clean(tag)}" for tag in draft.tags)))
        if draft.ref:
            parts.append(("ref", clean(draft.ref)))
        if draft.impact:
            parts.append(("people", str(draft.impact)))
        if draft.cost:
            parts.append(("cost", draft.cost))
        if draft.every:
            parts.append(("every", clean(draft.every)))
        text = Text()
        for label, value in parts:
            text.append(f"{label}: ", style="dim")
            text.append(f"{value}  ")
        if draft.every:  # it comes at its time: where it lands now says nothing
            text.append("\nrecurring: each one comes at its time", style="bold")
        elif place is not None:
            text.append(f"\nlands at #{place[0]} of {place[1]}", style="bold")
        return text

    @work(thread=True, exclusive=True, group="quick-add-preview", exit_on_error=False)
    def _place(self, line: str, draft: Draft) -> None:
        """Rank the item the line makes with the rest of the queue, as the board will (an
        edited item in place of itself), from the queue in memory: nothing is read."""
        from techqueue.core.estimates import History

        now, editing, ranked = self._now(), self._editing, self._ranked
        if editing is None:
            others = [entry.item for entry in ranked]
            new_id = max((entry.id for entry in ranked), default=0) + 1
        else:
            others = [entry.item for entry in ranked if entry.id != editing.id]
            new_id = editing.id
        item = drafted_item(
            draft,
            now,
            editing=editing,
            new_id=new_id,
            requester_vip=self._requester_vip(draft.requester),
        )
        history = self._history if self._history is not None else History(())
        place = placement(item, others, history, now, self._settings)
        if place is not None:
            self.app.call_from_thread(self._show_place, line, draft, place)

    def _requester_vip(self, name: str | None) -> bool:
        """Whether the requester named is a VIP, as far as the queue knows them."""
        key = (name or "").strip().casefold()
        if not key:
            return False
        editing = self._editing
        if editing is not None and (editing.requester or "").strip().casefold() == key:
            return editing.requester_vip
        if self._vips is None:
            vips: dict[str, bool] = {}
            for entry in self._ranked:
                known = entry.item.requester
                if known:
                    vips.setdefault(known.strip().casefold(), entry.item.requester_vip)
            self._vips = vips
        return self._vips.get(key, False)

    def _show_place(self, line: str, draft: Draft, place: tuple[int, int]) -> None:
        if self.query_one(Input).value == line:  # the line was not changed meanwhile
            self.query_one("#quick-preview", Static).update(self._describe(draft, place))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        try:
            draft = parse(event.value, self._now(), self._settings)
        except QuickAddError as problem:
            self.query_one("#quick-error", Static).update(Text(clean(str(problem))))
            return
        self.line = event.value
        self.dismiss(draft)
