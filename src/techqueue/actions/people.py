"""Requesters as people: several spellings of one person linked into one.

"Dana", "dana@corp.example" and "Dana Reyes <dana@corp.example>" are one person once linked.
Finding and creating people is :func:`techqueue.actions.items.person_id`'s (a mail from
"Dana <dana@corp.example>" gives the hand-typed "Dana" her address); ``link`` joins two
spellings that no rule could safely join alone ("Dana" and "Dana Reyes").
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from techqueue.core.people import split_person
from techqueue.desk import Desk
from techqueue.errors import BadRequest, NotFound
from techqueue.records import RequesterRecord
from techqueue.store import Store

__all__ = ["link_requesters"]


def link_requesters(desk: Desk, person: str, spelling: str, now: datetime) -> RequesterRecord:
    """Make ``spelling`` (a name or address techqueue knows) one of ``person``'s: their items
    become the person's, and the spelling finds the person from now on (``add --from``,
    ``vip``, imports). The person keeps their name and gains an address they lacked; VIP
    when either was. One action, undone as one."""
    store = desk.store
    kept = _known(store, person)
    other = _known(store, spelling)
    if other.id == kept.id:
        raise BadRequest(f"{spelling.strip()!r} is already {kept.name}")
    with store.action("link", f"link {spelling.strip()!r} to {kept.name!r}", now) as tx:
        for item in store.items_by_requester(other.id):
            tx.update("item", item, {"requester_id": kept.id})
        for row in store.requesters():
            if row.same_as == other.id:
                tx.update("requester", row.id, {"same_as": kept.id})
        values: dict[str, Any] = {}
        if kept.email is None and other.email is not None:
            values["email"] = other.email
        if other.vip and not kept.vip:
            values["vip"] = True
        if values:
            tx.update("requester", kept.id, values)
        tx.update("requester", other.id, {"same_as": kept.id})
    return store.requester(kept.id)


def _known(store: Store, who: str) -> RequesterRecord:
    name, email = split_person(who)
    found = store.find_person(name, email)
    if found is None:
        raise NotFound(f"no requester called {who.strip()!r}")
    return found
