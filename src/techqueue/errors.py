"""What can go wrong in a way the technician is told about: one line, and an exit status.

The command line's contract (DESIGN.md) exits 2 for bad input or an action the item's status
does not allow, and 1 for the rest (not found, nothing to undo, a store that cannot be used);
each error carries its status, so the command line prints the message and exits with it, and
the app shows the same message as a notification.
"""

from __future__ import annotations

__all__ = [
    "BadRequest",
    "NotFound",
    "NothingToUndo",
    "StoreError",
    "StoreFailed",
    "StoreUnusable",
]


class StoreError(Exception):
    """A request techqueue refuses; ``exit_code`` is what the command line exits with."""

    exit_code = 1


class NotFound(StoreError):
    """No such item, reminder, work span or requester."""


class NothingToUndo(StoreError):
    """The journal holds no action left to undo."""


class BadRequest(StoreError):
    """Bad input, or an action the item's status does not allow."""

    exit_code = 2


class StoreFailed(StoreError):
    """The store could not do what was asked (a full disk, a read-only or vanished file, a
    lock held too long, damage found on the way): nothing was written, and the message says
    why in one line. A refusal like the others, so the app shows it and keeps what was typed,
    and the command line exits 1."""


class StoreUnusable(Exception):
    """The store cannot be opened safely; the message is one line and nothing was modified."""
