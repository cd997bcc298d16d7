"""The reminders list: every reminder not yet dismissed, the due ones first, to snooze or
dismiss with one key — the full-screen counterpart of ``reminders``, ``snooze`` and
``dismiss``."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from techqueue.records import ReminderRecord
from techqueue.tui.dialogs.base import Dialog
from techqueue.views.text import reminder_parts

__all__ = ["RemindersDialog"]

#: What the dialog decides: ("dismiss", reminder id) or ("snooze", reminder id).
Decision = tuple[str, int]


class RemindersDialog(Dialog[Decision | None]):
    """Dismisses with the decision for the highlighted reminder, or ``None`` on Escape."""

    DEFAULT_CSS = """
    RemindersDialog > .dialog-box { max-height: 80%; padding: 0 1; }
    RemindersDialog OptionList { height: auto; max-height: 20; background: $panel; }
    RemindersDialog #reminders-help { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="reminders.close"),
        Binding("y", "decide('dismiss')", "Dismiss", id="reminders.dismiss"),
        Binding("s", "decide('snooze')", "Snooze", id="reminders.snooze"),
    ]

    def __init__(self, reminders: list[ReminderRecord], now: datetime) -> None:
        super().__init__("Reminders (Escape closes)")
        self._reminders = reminders
        self._now = now

    def body(self) -> ComposeResult:
        if not self._reminders:
            yield Static(Text("No reminders. r sets one."), id="reminders-help")
            return
        yield OptionList(*(self._option(r) for r in self._reminders))
        yield Static(
            Text("y dismisses the highlighted reminder, s snoozes it."), id="reminders-help"
        )

    def _option(self, reminder: ReminderRecord) -> Option:
        due, at, said, about = reminder_parts(reminder, self._now)
        text = Text()
        if due:
            text.append("DUE ", style="bold reverse")
        text.append(f" {at}  ")
        text.append(said)
        if about:
            text.append(about, style="dim")
        return Option(text, id=str(reminder.id))

    def action_decide(self, verb: str) -> None:
        options = self.query(OptionList)
        if not options:
            return
        highlighted = options.first().highlighted_option
        if highlighted is not None and highlighted.id is not None:
            self.dismiss((verb, int(highlighted.id)))
