"""The vocabulary of techqueue, said once: what an item can be, the limits of what may be
typed, the defaults, and which actions each status allows.

The data model, the store, the quick-add parser, the actions and every screen read these
names from here, so a new severity, a new note kind or a changed limit is one edit, and the
command line, the app and an import file refuse the same things with the same words.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum

from techqueue.patterns import Pattern

__all__ = [
    "ACTIONS_ALLOWED",
    "APPOINTMENT_LEAD_MINUTES",
    "CARRY_KINDS",
    "CHANNELS",
    "CLOSED_STATUSES",
    "DEFAULT_APPOINTMENT_MINUTES",
    "DEFAULT_CHANNEL",
    "DEFAULT_SEVERITY",
    "EARLIEST_YEAR",
    "JOURNAL_KEPT",
    "LATEST_YEAR",
    "MAX_BUMP",
    "MAX_DURATION_MINUTES",
    "MAX_ID",
    "MAX_IMPACT",
    "MAX_NAME",
    "MAX_TEXT",
    "MAX_TITLE",
    "NOTE_KINDS",
    "OPEN_STATUSES",
    "OVERNIGHT_NOTE",
    "SEVERITIES",
    "STATUSES",
    "USER_NOTE_KINDS",
    "WORKED_LATE_NOTE",
    "Channel",
    "NoteKind",
    "Severity",
    "Status",
    "bump_problem",
    "carry_note",
    "estimate_problem",
    "impact_problem",
    "is_tag",
    "length_problem",
    "not_allowed",
    "promise_said",
]


class Severity(StrEnum):
    """How badly someone is stopped, from the most to the least severe."""

    critical = "critical"
    high = "high"
    normal = "normal"
    low = "low"


class Channel(StrEnum):
    """Where an interruption came from."""

    desk = "desk"
    phone = "phone"
    ticket = "ticket"
    email = "email"
    chat = "chat"
    other = "other"


class Status(StrEnum):
    """Where an item is in its life: open → active ⇄ paused/waiting → done or dropped."""

    open = "open"
    active = "active"
    paused = "paused"
    waiting = "waiting"
    done = "done"
    dropped = "dropped"


class NoteKind(StrEnum):
    """What a note records: text, a promise to the customer, a contact with them, or the
    review's carry-over decision (made by the technician, or ``skipped``: for them)."""

    plain = "plain"
    promise = "promise"
    contact = "contact"
    carry = "carry"
    skipped = "skipped"


#: Severities from the most to the least severe.
SEVERITIES: tuple[str, ...] = tuple(level.value for level in Severity)
#: Channels, ``other`` last.
CHANNELS: tuple[str, ...] = tuple(channel.value for channel in Channel)
#: Every status.
STATUSES: tuple[str, ...] = tuple(status.value for status in Status)
#: Statuses of work not finished yet: they take part in the ranking (waiting ones last).
OPEN_STATUSES: tuple[str, ...] = ("open", "active", "paused", "waiting")
#: Statuses of work finished one way or the other.
CLOSED_STATUSES: tuple[str, ...] = ("done", "dropped")
#: Every note kind.
NOTE_KINDS: frozenset[str] = frozenset(kind.value for kind in NoteKind)
#: The kinds a technician writes as a note (the carry-over kinds come from the review).
USER_NOTE_KINDS: tuple[str, ...] = ("plain", "promise", "contact")
#: The note kinds of a carry-over decision: made by the technician, or for them at day's end.
CARRY_KINDS: tuple[str, ...] = ("carry", "skipped")

#: What an item starts as when nothing else is said.
DEFAULT_SEVERITY = Severity.normal.value
DEFAULT_CHANNEL = Channel.other.value

#: The widest impact accepted: more people than that is a different kind of day.
MAX_IMPACT = 1_000_000
#: How far a hand bump may move an item in all, up or down.
MAX_BUMP = 20
#: The longest duration accepted: thirty days. Anything longer is not an estimate but a
#: project, and the cap keeps date arithmetic far from ``datetime``'s limits.
MAX_DURATION_MINUTES = 30 * 24 * 60.0
#: The years a time may fall in: wide enough for any work item, far from ``datetime``'s edges.
EARLIEST_YEAR, LATEST_YEAR = 1970, 9000
#: The largest number SQLite stores: an id beyond it cannot name anything.
MAX_ID = 2**63 - 1
#: The longest title: a line of the queue, not a letter (the rest belongs in a note).
MAX_TITLE = 500
#: The longest name, email, reference or tag.
MAX_NAME = 200
#: The longest text of a note, a promise, a reminder or a drop reason.
MAX_TEXT = 10_000
#: How long before its slot a booked item comes back into the queue (and ranks first).
APPOINTMENT_LEAD_MINUTES = 10
#: How long a slot lasts when the booking says nothing.
DEFAULT_APPOINTMENT_MINUTES = 30.0
#: The newest actions kept undoable however old they are, when the undo history is trimmed.
JOURNAL_KEPT = 100

#: Which statuses each action may start from; the verb is what the refusal says.
ACTIONS_ALLOWED: Mapping[str, tuple[tuple[str, ...], str]] = {
    "start": (("open", "paused", "waiting"), "started"),
    "pause": (("active",), "paused"),
    "done": (OPEN_STATUSES, "marked done"),
    "drop": (OPEN_STATUSES, "dropped"),
    "wait": (("open", "active", "paused"), "set waiting"),
    "wait on": (OPEN_STATUSES, "set waiting on someone else"),
    "defer": (OPEN_STATUSES, "deferred"),
    "appoint": (OPEN_STATUSES, "booked"),
    "pin": (OPEN_STATUSES, "pinned"),
    "unpin": (OPEN_STATUSES, "unpinned"),
    "bump": (OPEN_STATUSES, "bumped"),
    "carry": (OPEN_STATUSES, "carried over"),
    "reopen": (CLOSED_STATUSES, "reopened"),
    "merge": (OPEN_STATUSES, "merged"),
    "assign": (OPEN_STATUSES, "assigned"),
    "unassign": (OPEN_STATUSES, "unassigned"),
}

_TAG_RE = Pattern(r"^[^\W\d][\w\-./]*$")

#: The note left on a span closed for the technician because it ran past its working day.
OVERNIGHT_NOTE = "left running: closed at the end of the working day"
#: The note on a span the technician said ran on past the end of the day because they worked
#: on: it counts until it stops, not until the end of working hours.
WORKED_LATE_NOTE = "worked past the end of the working day"


def not_allowed(action: str, item_id: int, status: str) -> str | None:
    """Why ``action`` cannot be done to item ``item_id`` in ``status``; ``None`` when it can."""
    allowed, verb = ACTIONS_ALLOWED[action]
    if status in allowed:
        return None
    return f"item {item_id} is {status}: it cannot be {verb}"


def impact_problem(impact: object) -> str | None:
    """What is wrong with an impact (people affected), or ``None``."""
    if isinstance(impact, bool) or not isinstance(impact, int) or not 1 <= impact <= MAX_IMPACT:
        return f"impact must be a whole number from 1 to {MAX_IMPACT:,}"
    return None


def estimate_problem(minutes: object) -> str | None:
    """What is wrong with an estimate in minutes, or ``None``."""
    if (
        isinstance(minutes, bool)
        or not isinstance(minutes, int | float)
        or not 0 < minutes <= MAX_DURATION_MINUTES
    ):
        return "an estimate must be more than zero and at most 30 days"
    return None


def bump_problem(total: object) -> str | None:
    """What is wrong with an item's total bump, or ``None``."""
    if isinstance(total, bool) or not isinstance(total, int | float) or not abs(total) <= MAX_BUMP:
        return f"bump must be a number from -{MAX_BUMP} to {MAX_BUMP}"
    return None


def length_problem(what: str, text: str | None, limit: int) -> str | None:
    """What is wrong with the length of ``text`` (``what`` names it), or ``None``."""
    if text is None or len(text) <= limit:
        return None
    more = " (put the rest in a note)" if limit == MAX_TITLE else ""
    return f"{what} is too long: {len(text):,} characters, at most {limit:,}{more}"


def is_tag(word: str) -> bool:
    """A tag is one word that starts with a letter: ``printer``, ``vpn/site-2``."""
    return bool(_TAG_RE.match(word))


def promise_said(due: datetime) -> str:
    """What a promise says when the technician gave no words of their own."""
    return f"Promised for {due:%a %H:%M}"


def carry_note(*, skipped: bool) -> str:
    """The note a carry-over leaves when the technician gave no words of their own."""
    return "not decided at the review: carried over" if skipped else "carried over"
