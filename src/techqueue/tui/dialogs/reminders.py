"""The reminders list: every reminder not yet dismissed, the due ones first, to snooze or
dismiss with one key — the full-screen counterpart of ``reminders``, ``snooze`` and
``dismiss``. It stays open while the technician goes down it, showing each change; Escape
closes it."""

from __future__ import annotations

from collections.abc import Callable
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

_HELP = "y dismisses the highlighted reminder, s snoozes it, Escape closes the list."
_NONE = "No reminders. r sets one."


class RemindersDialog(Dialog[None]):
    """Hands each decision on the highlighted reminder to ``decide`` (which carries it out
    and calls :meth:`show` with the list as it is then); closes on Escape."""

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

    def __init__(
        self,
        reminders: list[ReminderRecord],
        now: datetime,
        decide: Callable[[RemindersDialog, Decision], None],
    ) -> None:
        super().__init__("Reminders (Escape closes)")
        self._reminders = reminders
        self._now = now
        self._decide = decide

    def body(self) -> ComposeResult:
        options = OptionList(*(self._option(r) for r in self._reminders))
        options.display = bool(self._reminders)
        yield options
        yield Static(Text(_HELP if self._reminders else _NONE), id="reminders-help")

    def show(self, reminders: list[ReminderRecord], now: datetime) -> None:
        """The list as it is now; the highlight stays on its reminder (snoozed, it may have
        moved), or, when that one is gone, on the one that took its place."""
        self._reminders, self._now = reminders, now
        options = self.query_one(OptionList)
        was = options.highlighted_option
        place = options.highlighted or 0
        options.clear_options()
        options.add_options([self._option(r) for r in reminders])
        ids = [str(r.id) for r in reminders]
        if was is not None and was.id in ids:
            place = ids.index(was.id)
        options.display = bool(reminders)
        if reminders:
            options.highlighted = min(place, len(reminders) - 1)
            options.focus()
        self.query_one("#reminders-help", Static).update(Text(_HELP if reminders else _NONE))

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
            self._decide(self, (verb, int(highlighted.id)))
