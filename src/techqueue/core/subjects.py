"""A mail's subject as an item's title: reply and forward prefixes taken off ("Re:", "Fwd:",
"AW:", "WG:", "SV:" … however many, in any case), and the severity its words hint at
("outage", "URGENT"), by the words the technician configured. Pure."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from techqueue.core.text import clean_text

__all__ = ["NO_SUBJECT", "clean_subject", "severity_hint"]

#: The title of a mail that has no subject.
NO_SUBJECT = "(no subject)"

#: Reply and forward prefixes in the languages mail clients write them: English (Re, Fwd, Fw),
#: German (AW, WG), Scandinavian (SV, VS), Dutch (Antw), French (TR), Italian (R, RIF), with
#: an optional count ("Re[2]:", "Re(3):"), and a ticket system's "[EXTERNAL]" style tag before
#: them is kept.
_PREFIX = re.compile(
    r"^\s*(?:re|fwd?|aw|wg|sv|vs|antw|tr|rif|r)\s*(?:\[\d+\]|\(\d+\))?\s*:\s*", re.IGNORECASE
)


def clean_subject(subject: str | None) -> str:
    """The subject without its reply and forward prefixes, on one line; :data:`NO_SUBJECT`
    when nothing is left."""
    text = clean_text(subject or "")
    while True:
        shorter = _PREFIX.sub("", text, count=1)
        if shorter == text:
            break
        text = shorter
    return text.strip() or NO_SUBJECT


def severity_hint(subject: str, words: Mapping[str, Sequence[str]]) -> str | None:
    """The most severe level whose words the subject holds (whole words, any case: "down"
    is in "Server down" but not in "download"), or ``None``. ``words`` maps severities,
    most severe first, to their words or phrases."""
    for level, phrases in words.items():
        pattern = _pattern(tuple(phrases))
        if pattern is not None and pattern.search(subject):
            return level
    return None


@functools.lru_cache(maxsize=64)
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """One expression for a level's phrases (a mailbox asks the same few thousands of times)."""
    alternatives = [r"\s+".join(map(re.escape, p.split())) for p in phrases if p.split()]
    if not alternatives:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)
