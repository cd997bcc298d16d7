"""Modal dialogs: quick-add with its live preview, one-line prompts, confirmation, keys."""

from techqueue.dialogs.confirm import ConfirmDrop
from techqueue.dialogs.keys import KeysScreen, binding_rows, key_label, what_it_does
from techqueue.dialogs.prompt import Prompt, later_time, text_given
from techqueue.dialogs.quick_add import QuickAdd
from techqueue.dialogs.reminders import RemindersDialog

__all__ = [
    "ConfirmDrop",
    "KeysScreen",
    "Prompt",
    "QuickAdd",
    "RemindersDialog",
    "binding_rows",
    "key_label",
    "later_time",
    "text_given",
    "what_it_does",
]
