"""The recurring rules, as ``recurring`` lists them, with one key to end the highlighted one
(the same action as ``stop RID``, asked first). It stays open while the technician goes down
it; Escape closes it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from techqueue.tui.dialogs.base import Dialog
from techqueue.views.recurring import Recurring, recurring_line

__all__ = ["RecurringDialog"]

_HELP = "x end the highlighted rule (asks first) · Escape closes"
_NONE = "No recurring work: add some with every: in the capture line (a, then every:mon 9:00)."


class RecurringDialog(Dialog[None]):
    """Hands the highlighted rule to ``end`` on ``x`` (which asks, carries it out and calls
    :meth:`show` with the rules as they are then); closes on Escape."""

    DEFAULT_CSS = """
    RecurringDialog > .dialog-box { max-height: 90%; padding: 0 1; }
    RecurringDialog OptionList { height: auto; max-height: 16; background: $panel; }
    RecurringDialog #recurring-help { color: $text-muted; margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="recurring.close"),
        Binding("x", "end", "End rule", id="recurring.end"),
    ]

    def __init__(
        self,
        rules: list[Recurring],
        now: datetime,
        end: Callable[[RecurringDialog, Recurring], None],
    ) -> None:
        super().__init__("Recurring work (Escape closes)")
        self._rules = rules
        self._now = now
        self._end = end

    def body(self) -> ComposeResult:
        options = OptionList(*self._options())
        options.display = bool(self._rules)
        yield options
        yield Static(Text(_HELP if self._rules else _NONE), id="recurring-help")

    def _options(self) -> list[Option]:
        # the line ``recurring`` prints (cleaned there), its tabs as gaps
        return [
            Option(
                Text(recurring_line(entry, self._now).replace("\t", "  ")), id=str(entry.rule.id)
            )
            for entry in self._rules
        ]

    def show(self, rules: list[Recurring], now: datetime) -> None:
        """The rules as they are now; the highlight stays in its place."""
        self._rules, self._now = rules, now
        options = self.query_one(OptionList)
        place = options.highlighted or 0
        options.clear_options()
        options.add_options(self._options())
        options.display = bool(rules)
        if rules:
            options.highlighted = min(place, len(rules) - 1)
            options.focus()
        self.query_one("#recurring-help", Static).update(Text(_HELP if rules else _NONE))

    def highlighted(self) -> Recurring | None:
        chosen = self.query_one(OptionList).highlighted_option
        if chosen is None:
            return None
        return next((e for e in self._rules if str(e.rule.id) == chosen.id), None)

    def action_end(self) -> None:
        entry = self.highlighted()
        if entry is not None:
            self._end(self, entry)
