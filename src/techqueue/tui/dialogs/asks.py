"""The questions an action asks before it runs — when, what was said, what to remember, whether
to drop — each asked one way on every screen, its answer checked before the dialog closes (a
time that has passed, or no text, is said inline and nothing typed is lost). The action runs
only when the question is answered; Escape leaves everything as it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from techqueue.domain import promise_said
from techqueue.tui import dialogs
from techqueue.tui.runner import RunsActions

__all__ = [
    "ask_appointment",
    "ask_drop",
    "ask_note",
    "ask_promise",
    "ask_reminder",
    "ask_solution",
    "ask_sure",
    "ask_waiting_on",
    "ask_when",
]

Answer = TypeVar("Answer")


def _answered(then: Callable[[Answer], None]) -> Callable[[Answer | None], None]:
    """``then``, called only when the question was answered (not dismissed)."""

    def answered(answer: Answer | None) -> None:
        if answer is not None:
            then(answer)

    return answered


First = TypeVar("First")
Second = TypeVar("Second")


def _spread(
    then: Callable[[First, Second], None],
) -> Callable[[tuple[First, Second]], None]:
    """``then`` taking its two answers as one pair."""
    return lambda answer: then(*answer)


def _later(screen: RunsActions, text: str) -> datetime:
    session = screen.session
    return dialogs.later_time(text, session.now(), session.settings.hours)


def ask_when(
    screen: RunsActions,
    title: str,
    then: Callable[[datetime], None],
    *,
    label: str = "When? 14:00, +2h, tomorrow 9:00, mon",
    placeholder: str = "tomorrow 9:00",
    initial: str = "",
) -> None:
    """A time still to come, for ``then``."""
    prompt = dialogs.Prompt(
        title, [(label, placeholder, initial)], lambda values: _later(screen, values[0])
    )
    screen.app.push_screen(prompt, _answered(then))


def ask_drop(
    screen: RunsActions,
    label: str,
    then: Callable[[str | None], None],
    *,
    warning: str | None = None,
) -> None:
    """Whether to drop ``label``, and why (``None`` when no reason was given); ``warning`` is
    said first (it is not the one in hand)."""

    def confirmed(reason: str) -> None:
        then(reason or None)

    screen.app.push_screen(dialogs.ConfirmDrop(label, warning), _answered(confirmed))


def ask_sure(screen: RunsActions, title: str, question: str, then: Callable[[], None]) -> None:
    """Yes or no; ``then`` runs on yes."""
    screen.app.push_screen(dialogs.ConfirmAction(title, question), _answered(lambda _: then()))


def ask_note(
    screen: RunsActions,
    title: str,
    then: Callable[[str], None],
    *,
    placeholder: str = "Called back, no answer",
    initial: str = "",
) -> None:
    """Some text for a note (``initial``: what was typed before, and not saved)."""
    prompt = dialogs.Prompt(
        title,
        [("Note", placeholder, initial)],
        lambda values: dialogs.text_given(values[0], "a note"),
    )
    screen.app.push_screen(prompt, _answered(then))


def ask_promise(
    screen: RunsActions,
    title: str,
    then: Callable[[datetime, str], None],
    *,
    fields: tuple[tuple[str, str, str], tuple[str, str, str]] = (
        ("By when?", "14:00", ""),
        ("What was promised", "I'll be with you by 14:00", ""),
    ),
) -> None:
    """By when, and what the customer was told (when left empty: that it is promised then)."""

    def check(values: list[str]) -> tuple[datetime, str]:
        when = _later(screen, values[0])
        return when, values[1].strip() or promise_said(when)

    screen.app.push_screen(dialogs.Prompt(title, list(fields), check), _answered(_spread(then)))


def ask_reminder(screen: RunsActions, title: str, then: Callable[[datetime, str], None]) -> None:
    """When, and what to be reminded of."""

    def check(values: list[str]) -> tuple[datetime, str]:
        return _later(screen, values[0]), dialogs.text_given(values[1], "a reminder")

    fields = [("When?", "+30m, 16:00, tomorrow 9:00", ""), ("About what?", "Call Alice back", "")]
    screen.app.push_screen(dialogs.Prompt(title, fields, check), _answered(_spread(then)))


def _minutes_given(text: str, what: str) -> float | None:
    """A duration as typed (30m, 1h, 90s), ``None`` when blank; a ``ValueError`` otherwise."""
    if not text.strip():
        return None
    from techqueue.core.timeparse import TimeParseError, parse_duration

    try:
        return parse_duration(text)
    except TimeParseError as error:
        raise ValueError(f"{what}: {error}") from None


def ask_appointment(
    screen: RunsActions, title: str, then: Callable[[datetime, float | None], None]
) -> None:
    """When the slot is, and how long it lasts (blank: the default slot)."""

    def check(values: list[str]) -> tuple[datetime, float | None]:
        return _later(screen, values[0]), _minutes_given(values[1], "how long")

    fields = [("When? 14:00, tomorrow 9:30, fri 10:00", "14:00", ""), ("For how long?", "30m", "")]
    screen.app.push_screen(dialogs.Prompt(title, fields, check), _answered(_spread(then)))


def ask_solution(screen: RunsActions, title: str, then: Callable[[str | None], None]) -> None:
    """How it was solved, in one line (``None`` when left blank: done all the same)."""

    def check(values: list[str]) -> str:
        return " ".join(values[0].split())

    def answered(said: str) -> None:
        then(said or None)

    fields = [("How was it solved? (one line; blank: just done)", "reset the print spooler", "")]
    screen.app.push_screen(dialogs.Prompt(title, fields, check), _answered(answered))


@dataclass(frozen=True, slots=True)
class OutWith:
    """Whom an item is out with (name, kind) and when to chase them (``None``: no reminder)."""

    who: str
    kind: str
    chase: datetime | None


def ask_waiting_on(screen: RunsActions, title: str, then: Callable[[OutWith], None]) -> None:
    """Whom the item waits on (``vendor:Acme``, ``colleague:Sam`` or a name) and, optionally,
    when to chase them."""
    from techqueue.core.waiting import read_waiting_on

    def check(values: list[str]) -> OutWith:
        who, kind = read_waiting_on(values[0])
        chase = _later(screen, values[1]) if values[1].strip() else None
        return OutWith(who, kind, chase)

    fields = [
        ("Waiting on whom? vendor:NAME, colleague:NAME or a name", "vendor:Acme", ""),
        ("Chase them when? (blank: no reminder)", "fri 10:00", ""),
    ]
    screen.app.push_screen(dialogs.Prompt(title, fields, check), _answered(then))
