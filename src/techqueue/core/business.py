"""Business impact: "prioritize … based on factors such as financial impact, technical
impact, and the order of calls" (the seed 004). Beside the people an item stops (``x:N``),
what it costs the business when it waits: ``high``, ``normal`` or ``low``.

It comes from the item itself (``cost:high`` in quick-add, kept among its tags as the tag
``cost:high``, which no ``#tag`` can be, since a tag holds no colon), else from the config's
``[scoring.business]``: a weight per requester (by name or address) and per organisation (a
mail domain, subdomains included). The ranking multiplies a ``high`` item's value by
``cost_high`` and a ``low`` one's by ``cost_low``, and says so in a reason line.

Pure: no store, no clock; the mappings are plain tuples, so the weights holding them stay
hashable.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from techqueue.core.people import organisation

__all__ = [
    "COSTS",
    "COST_PREFIX",
    "business_cost",
    "cost_tag",
    "own_cost",
    "parse_cost",
    "without_cost",
]

#: The levels, from the most costly wait to the least.
COSTS = ("high", "normal", "low")
#: How the level an item was given is kept among its tags: ``cost:high``.
COST_PREFIX = "cost:"


def parse_cost(text: str) -> str:
    """Read a level (``high``) or an unambiguous prefix (``h``); ``ValueError`` otherwise."""
    word = text.strip().lower()
    matches = [level for level in COSTS if word and level.startswith(word)]
    if len(matches) != 1:
        raise ValueError(f"unknown cost {text!r} (use {', '.join(COSTS)})")
    return matches[0]


def cost_tag(level: str) -> str:
    """The tag keeping an item's own level."""
    return f"{COST_PREFIX}{level}"


def own_cost(tags: Iterable[str]) -> str | None:
    """The level an item was given (its ``cost:`` tag), or ``None``."""
    for tag in tags:
        if tag.startswith(COST_PREFIX):
            level = tag[len(COST_PREFIX) :]
            return level if level in COSTS else None
    return None


def without_cost(tags: Iterable[str]) -> tuple[str, ...]:
    """The tags a person gave, the ``cost:`` one left out."""
    return tuple(tag for tag in tags if not tag.startswith(COST_PREFIX))


def business_cost(
    tags: Iterable[str],
    requester: str | None,
    email: str | None,
    requesters: Sequence[tuple[str, str]] = (),
    organisations: Sequence[tuple[str, str]] = (),
) -> tuple[str, str] | None:
    """``(level, where it comes from)`` for an item, or ``None`` (normal, said by nobody).

    The item's own ``cost:`` first (``"cost:high"``), then the requester by name or address
    (``"requester Dana"``), then their organisation (``"organisation corp.example"``)."""
    own = own_cost(tags)
    if own is not None:
        return own, cost_tag(own)
    if requesters:
        names = {value.casefold() for value in (requester, email) if value}
        for who, level in requesters:
            if who.casefold() in names:
                return level, f"requester {who}"
    if organisations:
        domain = organisation(email) or organisation(requester)
        if domain is not None:
            for wanted, level in organisations:
                if domain == wanted or domain.endswith("." + wanted):
                    return level, f"organisation {wanted}"
    return None
