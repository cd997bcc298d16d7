"""Modal dialogs: quick-add with its live preview, one-line prompts, confirmation, keys."""

from techqueue.tui.dialogs.base import mark_typed_beneath, pass_typed_ahead
from techqueue.tui.dialogs.confirm import ConfirmAction, ConfirmDrop, LeftRunning
from techqueue.tui.dialogs.keys import KeysScreen, binding_rows, key_label, what_it_does
from techqueue.tui.dialogs.overload import OverloadDialog
from techqueue.tui.dialogs.prompt import Prompt, later_time, text_given
from techqueue.tui.dialogs.quick_add import QuickAdd
from techqueue.tui.dialogs.recurring import RecurringDialog
from techqueue.tui.dialogs.reminders import RemindersDialog

__all__ = [
    "ConfirmAction",
    "ConfirmDrop",
    "KeysScreen",
    "LeftRunning",
    "OverloadDialog",
    "Prompt",
    "QuickAdd",
    "RecurringDialog",
    "RemindersDialog",
    "binding_rows",
    "key_label",
    "later_time",
    "mark_typed_beneath",
    "pass_typed_ahead",
    "text_given",
    "what_it_does",
]
