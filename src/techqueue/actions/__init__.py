"""Every change a technician makes, each one typed function with a typed result.

The command line and the full-screen app call these same functions, and nothing else writes
to the store: a rule (which status allows what, what an item may hold) is checked here once.
Each action is one journaled transaction, so ``undo`` reverts it exactly, and each takes the
technician's :class:`~techqueue.desk.Desk` and ``now`` (the clock is the caller's to read).

A command imports only the module of the action it runs (``actions.start`` loads
``techqueue.actions.items`` on first use), so a short command does not pay for the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from techqueue.actions.appointments import appoint, cancel_appointment
    from techqueue.actions.day import (
        carry_over,
        carry_rest,
        close_overnight,
        correct_span,
        undecided,
        undo,
        worked_late,
    )
    from techqueue.actions.duplicates import Merged, add_or_merge, merge
    from techqueue.actions.intake import Imported, import_arrivals, plan_import
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
        reopen,
        set_vip,
        start,
        wait,
    )
    from techqueue.actions.notes import dismiss, note, remind, snooze
    from techqueue.actions.overload import defer_promised, handoff
    from techqueue.actions.people import link_requesters
    from techqueue.actions.recurring import stop_recurring
    from techqueue.actions.several import done_all, drop_all, pause_all
    from techqueue.actions.team import assign, claim, unassign
    from techqueue.actions.transfer import import_export
    from techqueue.actions.waiting import wait_on
    from techqueue.actions.worklog import done_spent, log_time

#: Which module holds each action (and result type).
_HOMES = {
    **dict.fromkeys(("appoint", "cancel_appointment"), "appointments"),
    "wait_on": "waiting",
    "stop_recurring": "recurring",
    **dict.fromkeys(
        (
            "carry_over",
            "carry_rest",
            "close_overnight",
            "correct_span",
            "undecided",
            "undo",
            "worked_late",
        ),
        "day",
    ),
    **dict.fromkeys(
        ("Changed", "ItemFields", "Started", "add", "bump", "defer", "done", "drop", "edit"),
        "items",
    ),
    **dict.fromkeys(("pause", "pin", "set_vip", "start", "wait"), "items"),
    "reopen": "items",
    **dict.fromkeys(("done_all", "drop_all", "pause_all"), "several"),
    **dict.fromkeys(("dismiss", "note", "remind", "snooze"), "notes"),
    **dict.fromkeys(("defer_promised", "handoff"), "overload"),
    "import_export": "transfer",
    **dict.fromkeys(("Imported", "import_arrivals", "plan_import"), "intake"),
    **dict.fromkeys(("Merged", "add_or_merge", "merge"), "duplicates"),
    "link_requesters": "people",
    **dict.fromkeys(("assign", "claim", "unassign"), "team"),
    **dict.fromkeys(("done_spent", "log_time"), "worklog"),
}

__all__ = [
    "Changed",
    "Imported",
    "ItemFields",
    "Merged",
    "Started",
    "add",
    "add_or_merge",
    "appoint",
    "assign",
    "bump",
    "cancel_appointment",
    "carry_over",
    "carry_rest",
    "claim",
    "close_overnight",
    "correct_span",
    "defer",
    "defer_promised",
    "dismiss",
    "done",
    "done_all",
    "done_spent",
    "drop",
    "drop_all",
    "edit",
    "handoff",
    "import_arrivals",
    "import_export",
    "link_requesters",
    "log_time",
    "merge",
    "note",
    "pause",
    "pause_all",
    "pin",
    "plan_import",
    "remind",
    "reopen",
    "set_vip",
    "snooze",
    "start",
    "stop_recurring",
    "unassign",
    "undecided",
    "undo",
    "wait",
    "wait_on",
    "worked_late",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{home}"), name)
