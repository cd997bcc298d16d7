"""The start of the day as the command line prints it and the app shows it: read from the
store (after closing work left running overnight), chosen by the pure core, written in
sections."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from techqueue.core.appointments import Slot, slots_of, todays
from techqueue.core.forecast import promise_state
from techqueue.core.morning import Morning, morning_summary
from techqueue.core.sweep import Escalation, sweep, working_day_minutes
from techqueue.core.text import clean_text
from techqueue.desk import Desk
from techqueue.domain import CARRY_KINDS
from techqueue.records import ItemRecord, NoteRecord, ReminderRecord
from techqueue.views.ranking import rank_learned, unranked
from techqueue.views.text import when

__all__ = [
    "MORNING_LIMIT",
    "DayStart",
    "booked_line",
    "escalation_lines",
    "morning_lines",
    "read_morning",
]

#: How many carried-over items the summary names before it says "and N more".
MORNING_LIMIT = 8

#: The morning summary of the store's records.
DayStart = Morning[ItemRecord, NoteRecord, ReminderRecord]


def read_morning(desk: Desk, now: datetime) -> DayStart:
    """The store's part of the morning summary; the choosing is :func:`morning_summary`'s."""
    store = desk.store
    items = store.items()
    ranked = rank_learned(items, desk.history(), now, desk.settings, explain=False)
    ordered = [entry.item for entry in ranked] + unranked(items, ranked, now)
    notes = store.notes_of([item.id for item in ordered], CARRY_KINDS)
    settings = desk.settings
    morning = morning_summary(now, settings.day_boundary, ordered, notes, store.reminders())
    proposals = sweep(
        ranked, settings.weights, long_open_minutes=working_day_minutes(settings.hours)
    )
    by_id = {item.id: item for item in items}
    booked = [(slot, by_id[slot.item_id]) for slot in todays(slots_of(items, now), now)]
    return dataclasses.replace(morning, escalate=proposals, appointments=booked)


def _promise_word(item: ItemRecord, now: datetime) -> str:
    """ "broken: was due" only when the promise is broken as everywhere else (work did not
    begin in time); a promise kept by starting in time "was due"."""
    if promise_state(item, None, now) == "broken":
        return "broken: was due "
    return "was due " if item.promise_due_at is not None and item.promise_due_at <= now else "due "


def morning_lines(
    morning: DayStart,
    now: datetime,
    limit: int = MORNING_LIMIT,
) -> list[tuple[str, list[str]]]:
    """The summary's sections as (heading, lines) for a terminal or the app, user text
    cleaned; long lists end with how many more there are."""

    def capped(lines: list[str]) -> list[str]:
        if len(lines) > limit:
            return [*lines[:limit], f"… and {len(lines) - limit} more"]
        return lines

    sections: list[tuple[str, list[str]]] = []
    if morning.carried:
        sections.append(
            (
                f"Carried over ({len(morning.carried)})",
                capped(
                    [
                        f"#{entry.item.id} {clean_text(entry.item.title)} — {entry.how}"
                        + (
                            f": {clean_text(entry.note.text)}"
                            if entry.note is not None
                            and entry.note.text != "carried over"
                            and entry.note.kind == "carry"
                            else ""
                        )
                        for entry in morning.carried
                    ]
                ),
            )
        )
    if morning.promises:
        sections.append(
            (
                f"Promises due today ({len(morning.promises)})",
                capped(
                    [
                        f"#{item.id} {clean_text(item.title)} — "
                        + (f"to {clean_text(item.requester)}, " if item.requester else "")
                        + _promise_word(item, now)
                        + when(item.promise_due_at or now, now)
                        for item in morning.promises
                    ]
                ),
            )
        )
    if morning.appointments:
        sections.append(
            ("Booked today", [booked_line(slot, item, now) for slot, item in morning.appointments])
        )
    if morning.reminders:
        sections.append(
            (
                f"Reminders ({len(morning.reminders)})",
                capped(
                    [
                        f"{when(reminder.due_at, now)}  {clean_text(reminder.text)}"
                        for reminder in morning.reminders
                    ]
                ),
            )
        )
    if morning.escalate:
        sections.append(
            (f"Worth escalating ({len(morning.escalate)})", escalation_lines(morning.escalate))
        )
    if morning.deferred:
        sections.append(
            (
                f"Deferred to today ({len(morning.deferred)})",
                capped(
                    [
                        f"#{item.id} {clean_text(item.title)} — from "
                        + when(item.deferred_until or now, now)
                        for item in morning.deferred
                    ]
                ),
            )
        )
    return sections


def booked_line(slot: Slot, item: ItemRecord, now: datetime) -> str:
    """``11:00–11:45 #12 Printer (Alice)``: a slot booked today, in ``now``'s time zone."""
    start, end = slot.start.astimezone(now.tzinfo), slot.end.astimezone(now.tzinfo)
    who = f" ({clean_text(item.requester)})" if item.requester else ""
    return f"{start:%H:%M}–{end:%H:%M} #{item.id} {clean_text(item.title)}{who}"


def escalation_lines(proposals: list[Escalation], *, numbered: bool = True) -> list[str]:
    """The escalation sweep's proposals, one line each with its reasons: long open, quick to
    close. Numbered (``1``, ``2`` …) as the keys that raise them in the app."""
    return [
        (f"{number}. " if numbered else "")
        + f"#{entry.id} {clean_text(entry.title)} — "
        + "; ".join(entry.reasons)
        for number, entry in enumerate(proposals, start=1)
    ]
