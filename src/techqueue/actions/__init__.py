"""Every change a technician makes, each one typed function with a typed result.

The command line and the full-screen app call these same functions, and nothing else writes
to the store: a rule (which status allows what, what an item may hold) is checked here once.
Each action is one journaled transaction, so ``undo`` reverts it exactly, and each takes the
technician's :class:`~techqueue.desk.Desk` and ``now`` (the clock is the caller's to read).
"""

from techqueue.actions.day import (
    carry_over,
    carry_rest,
    close_overnight,
    correct_span,
    undecided,
    undo,
)
from techqueue.actions.items import (
    Changed,
    ItemFields,
    Started,
    add,
    bump,
    defer,
    done,
    drop,
    edit,
    pause,
    pin,
    set_vip,
    start,
    wait,
)
from techqueue.actions.notes import dismiss, note, remind, snooze
from techqueue.actions.transfer import import_export

__all__ = [
    "Changed",
    "ItemFields",
    "Started",
    "add",
    "bump",
    "carry_over",
    "carry_rest",
    "close_overnight",
    "correct_span",
    "defer",
    "dismiss",
    "done",
    "drop",
    "edit",
    "import_export",
    "note",
    "pause",
    "pin",
    "remind",
    "set_vip",
    "snooze",
    "start",
    "undecided",
    "undo",
    "wait",
]
