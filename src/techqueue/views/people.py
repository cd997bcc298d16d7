"""The people served and the work captured twice, as ``requesters`` and ``dupes`` show them:
each person with every spelling linked to them, their organisation and why they are VIP;
the likely duplicates among unfinished items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from techqueue.core.people import organisation, vip_domain
from techqueue.core.similar import DUPE_WINDOW, Pair, likely_duplicates
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES
from techqueue.records import ItemRecord, RequesterRecord

__all__ = ["Person", "duplicates", "people"]


@dataclass(frozen=True, slots=True)
class Person:
    """A requester, the other spellings they are known by, their organisation (their
    address's domain), why they are VIP (``marked`` by hand, their ``domain`` in the config,
    or ``None``) and how many unfinished items they have."""

    record: RequesterRecord
    spellings: tuple[str, ...]
    organisation: str | None
    vip_by: str | None
    open_items: int


def people(desk: Desk) -> list[Person]:
    """Every person (linked spellings under theirs), by name."""
    rows = desk.store.requesters()
    spellings: dict[int, list[str]] = {}
    for row in rows:
        if row.same_as is not None:
            spellings.setdefault(row.same_as, []).extend(
                text for text in (row.name, row.email) if text
            )
    open_items: dict[int, int] = {}
    for item in desk.store.items(OPEN_STATUSES):
        if item.requester_id is not None:
            open_items[item.requester_id] = open_items.get(item.requester_id, 0) + 1
    domains = desk.settings.intake.vip_domains
    found = []
    for row in rows:
        if row.same_as is not None:
            continue
        known = tuple(dict.fromkeys(s for s in spellings.get(row.id, ()) if s != row.email))
        by_domain = vip_domain(row.email, domains) is not None
        vip_by = "marked" if row.vip else "domain" if by_domain else None
        found.append(Person(row, known, organisation(row.email), vip_by, open_items.get(row.id, 0)))
    return found


def duplicates(desk: Desk, within: timedelta = DUPE_WINDOW) -> list[Pair[ItemRecord]]:
    """Likely duplicates among the unfinished items, the most alike first."""
    return likely_duplicates(desk.store.items(OPEN_STATUSES), within)
