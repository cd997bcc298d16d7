"""Modal dialogs: quick-add with its live preview, one-line prompts, confirmation, keys.

Each is imported from its module when first named (``from techqueue.tui.dialogs import
QuickAdd`` imports ``quick_add`` only): the app's first paint needs none of them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techqueue.tui.dialogs.base import mark_typed_beneath, pass_typed_ahead
    from techqueue.tui.dialogs.confirm import ConfirmAction, ConfirmDrop, LeftRunning
    from techqueue.tui.dialogs.keys import KeysScreen, binding_rows, key_label, what_it_does
    from techqueue.tui.dialogs.overload import OverloadDialog
    from techqueue.tui.dialogs.prompt import Prompt, later_time, text_given
    from techqueue.tui.dialogs.quick_add import QuickAdd
    from techqueue.tui.dialogs.recurring import RecurringDialog
    from techqueue.tui.dialogs.reminders import RemindersDialog

#: Where each name lives.
_MODULES = {
    "mark_typed_beneath": "base",
    "pass_typed_ahead": "base",
    "ConfirmAction": "confirm",
    "ConfirmDrop": "confirm",
    "LeftRunning": "confirm",
    "KeysScreen": "keys",
    "binding_rows": "keys",
    "key_label": "keys",
    "what_it_does": "keys",
    "OverloadDialog": "overload",
    "Prompt": "prompt",
    "later_time": "prompt",
    "text_given": "prompt",
    "QuickAdd": "quick_add",
    "RecurringDialog": "recurring",
    "RemindersDialog": "reminders",
}

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


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
