"""Modal dialogs: quick-add with its live preview, one-line prompts, confirmation, keys."""

from techqueue.dialogs.confirm import ConfirmDrop
from techqueue.dialogs.keys import KeysScreen
from techqueue.dialogs.prompt import Prompt, later_time, text_given
from techqueue.dialogs.quick_add import QuickAdd
from techqueue.dialogs.reminders import RemindersDialog

__all__ = [
    "ConfirmDrop",
    "KeysScreen",
    "Prompt",
    "QuickAdd",
    "RemindersDialog",
    "later_time",
    "text_given",
]
