"""Canned answers: the technician's own sentences for the replies they write again and again,
kept by tag in the config file's ``[answers]`` table, with placeholders filled in for an item:
``{name}`` (who asked), ``{eta}`` (when they can expect you, as :func:`spoken_time` says it),
``{ticket}`` (the item's reference, or its number), ``{title}``.

They live in the config file, not the store: they are settings written once in the
technician's words and edited in bulk, like the "what to tell them" template, and nothing
about them needs undo or a journal. Pure: the table, the item's facts and ``now`` are
arguments.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from techqueue.core.expectations import spoken_time
from techqueue.core.settings import DEFAULT_ANSWERS, FALLBACK
from techqueue.core.text import check_placeholders

__all__ = [
    "ANSWER_FIELDS",
    "DEFAULT_ANSWERS",
    "FALLBACK",
    "Answer",
    "check_answer",
    "fill",
    "pick",
]

#: The placeholders an answer may use.
ANSWER_FIELDS = ("name", "eta", "ticket", "title")


def check_answer(template: str) -> str:
    """Refuse an answer that names an unknown placeholder or does not format, so a bad config
    fails once, when it is read."""
    return check_placeholders(template, ANSWER_FIELDS, "answer")


@dataclass(frozen=True, slots=True)
class Answer:
    """A canned answer filled in for an item: which one (its tag, or ``default``) and the
    text."""

    key: str
    text: str


def pick(
    tags: Iterable[str], answers: Mapping[str, str], wanted: str | None = None
) -> tuple[str, str] | None:
    """The answer for an item with ``tags``: ``wanted`` when given (``None`` when there is no
    such answer), else that of its first tag that has one, else the fallback."""
    if wanted is not None:
        return (wanted, answers[wanted]) if wanted in answers else None
    for tag in tags:
        if tag in answers:
            return tag, answers[tag]
    if FALLBACK in answers:
        return FALLBACK, answers[FALLBACK]
    return None


def fill(
    template: str,
    *,
    requester: str | None,
    item_id: int,
    ref: str | None,
    title: str,
    eta: datetime | None,
    now: datetime,
) -> str:
    """The answer with its placeholders filled in (the values are text, never read as a
    template: a title with braces in it is written as it is)."""
    values = {
        "name": (requester or "").split(" ")[0] or "there",
        "eta": spoken_time(eta, now) if eta is not None else "as soon as I can",
        "ticket": ref or f"#{item_id}",
        "title": title,
    }
    return " ".join(template.format_map(values).split())
