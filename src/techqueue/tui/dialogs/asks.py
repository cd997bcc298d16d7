"""The questions an action asks before it runs — when, what was said, what to remember —
each asked one way on every screen, its answer checked before the dialog closes (a time that
has passed, or no text, is said inline and nothing typed is lost)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from techqueue.domain import promise_said
from techqueue.tui.dialogs.prompt import Prompt, later_time, text_given
from techqueue.tui.runner import RunsActions

__all__ = ["ask_note", "ask_promise", "ask_reminder", "ask_when"]


def _later(screen: RunsActions, text: str) -> datetime:
    session = screen.session
    return later_time(text, session.now(), session.settings.hours)


def ask_when(
    screen: RunsActions,
    title: str,
    then: Callable[[datetime | None], None],
    *,
    label: str = "When? 14:00, +2h, tomorrow 9:00, mon",
    placeholder: str = "tomorrow 9:00",
    initial: str = "",
) -> None:
    """A time still to come; ``then`` gets it, or ``None`` when the question was dismissed."""
    prompt = Prompt(
        title, [(label, placeholder, initial)], lambda values: _later(screen, values[0])
    )
    screen.app.push_screen(prompt, then)


def ask_note(
    screen: RunsActions,
    title: str,
    then: Callable[[str], None],
    *,
    placeholder: str = "Called back, no answer",
) -> None:
    """Some text for a note; ``then`` runs only when some was given."""

    def given(text: str | None) -> None:
        if text:
            then(text)

    prompt = Prompt(
        title, [("Note", placeholder, "")], lambda values: text_given(values[0], "a note")
    )
    screen.app.push_screen(prompt, given)


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

    def given(answer: tuple[datetime, str] | None) -> None:
        if answer is not None:
            then(*answer)

    screen.app.push_screen(Prompt(title, list(fields), check), given)


def ask_reminder(screen: RunsActions, title: str, then: Callable[[datetime, str], None]) -> None:
    """When, and what to be reminded of."""

    def check(values: list[str]) -> tuple[datetime, str]:
        return _later(screen, values[0]), text_given(values[1], "a reminder")

    def given(answer: tuple[datetime, str] | None) -> None:
        if answer is not None:
            then(*answer)

    fields = [("When?", "+30m, 16:00, tomorrow 9:00", ""), ("About what?", "Call Alice back", "")]
    screen.app.push_screen(Prompt(title, fields, check), given)
