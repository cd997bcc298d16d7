"""Importing work that arrived elsewhere (mail, a ticket export): one action, all or nothing.

The plan (:func:`techqueue.core.intake.plan`) says what each arrival is: a new item, a reply
to an item (a note on it; an item waiting on the customer opens again, since they answered),
or something imported before (skipped: importing twice adds nothing). The writes are one
journaled transaction, so a failure leaves the store as it was and ``undo`` takes a whole
import back. Parsing is the caller's, before: the store is not held while files are read.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from techqueue.actions.items import person_id, stop_or_start_clock
from techqueue.core.intake import Decision, Incoming, plan
from techqueue.core.text import plural
from techqueue.desk import Desk
from techqueue.domain import DEFAULT_SEVERITY, MAX_NAME, MAX_TITLE, length_problem
from techqueue.errors import BadRequest
from techqueue.records import ItemRecord
from techqueue.store import Store, Transaction

__all__ = ["Imported", "fitted", "import_arrivals", "plan_import"]


@dataclass(frozen=True, slots=True)
class Imported:
    """What an import did: the items it added, those it added replies to (and, of those,
    the ones it opened again), and how many arrivals it skipped as imported before."""

    added: tuple[int, ...]
    updated: tuple[int, ...]
    reopened: tuple[int, ...]
    skipped: int


def fitted(arrivals: Sequence[Incoming]) -> list[Incoming]:
    """The arrivals held to the limits of an item captured by hand (``add``), so that an
    import keeps what an export gives back and ``add`` would take.

    A mail is read, never refused for being odd (its reader's rule): what is too long is
    read shorter — a subject or a name cut with "…", an address too long for one dropped,
    an overlong message id kept as a digest of itself (so importing twice still skips it,
    and a reply naming it still finds it). A row can be corrected, so one with a text too
    long is refused, naming its line, and nothing is imported (as for any bad row)."""
    kept: list[Incoming] = []
    problems: list[str] = []
    for incoming in arrivals:
        if incoming.channel == "email":
            kept.append(_mail_fitted(incoming))
            continue
        found = next(
            (
                problem
                for what, text, limit in (
                    ("the title", incoming.title, MAX_TITLE),
                    ("the reference", incoming.ref, MAX_NAME),
                    ("the requester's name", incoming.requester_name, MAX_NAME),
                    ("the requester's email", incoming.requester_email, MAX_NAME),
                    *(("a tag", tag, MAX_NAME) for tag in incoming.tags),
                )
                if (problem := length_problem(what, text, limit)) is not None
            ),
            None,
        )
        if found is not None:
            problems.append(f"{incoming.where}: {found}")
        kept.append(incoming)
    if problems:
        more = f" (and {len(problems) - 1} more too long)" if len(problems) > 1 else ""
        raise BadRequest(f"{problems[0]}{more}: nothing imported")
    return kept


def _mail_fitted(incoming: Incoming) -> Incoming:
    email = incoming.requester_email
    return replace(
        incoming,
        title=_cut(incoming.title, MAX_TITLE),
        ref=None if incoming.ref is None else _short_ref(incoming.ref),
        replies_to=tuple(_short_ref(ref) for ref in incoming.replies_to),
        requester_name=None
        if incoming.requester_name is None
        else _cut(incoming.requester_name, MAX_NAME),
        requester_email=email if email is None or len(email) <= MAX_NAME else None,
    )


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _short_ref(ref: str) -> str:
    """A message id as kept: itself, or when too long a digest of it (the same each time)."""
    if len(ref) <= MAX_NAME:
        return ref
    return (
        "<"
        + hashlib.sha256(ref.encode("utf-8", "surrogatepass")).hexdigest()[:40]
        + "@long.invalid>"
    )


def plan_import(desk: Desk, arrivals: Sequence[Incoming]) -> list[Decision]:
    """What importing ``arrivals`` would do, without doing it (``--dry-run``); arrivals too
    long for an item are refused or read shorter first (:func:`fitted`)."""
    arrivals = fitted(arrivals)
    refs = [r for arrival in arrivals for r in (arrival.ref, *arrival.replies_to) if r]
    return plan(arrivals, desk.store.ref_owners(refs))


def import_arrivals(
    desk: Desk, arrivals: Sequence[Incoming], now: datetime, *, source: str
) -> Imported:
    """Import ``arrivals`` (read from ``source``, for the journal) as one action. When all
    were imported before, nothing is written (and there is nothing to undo)."""
    store = desk.store
    # The plan is made in the write transaction that carries it out: an import running
    # meanwhile has either committed (its rows are skipped here, as by a second run) or
    # waits for this one. The action joins the transaction; all skipped, nothing is written.
    with store.db.transaction():
        decisions = plan_import(desk, arrivals)
        skipped = sum(1 for decision in decisions if decision.kind == "skip")
        if skipped == len(decisions):
            return Imported((), (), (), skipped)
        adding = len(decisions) - skipped
        what = plural(adding, "mail" if source.startswith("mail") else "row")
        before = store.items_by_id(d.item_id for d in decisions if d.item_id is not None)
        writer = _Writer(store, now, before)
        with store.action("import", f"import {what} ({source})", now) as tx:
            writer.tx = tx
            for index, decision in enumerate(decisions):
                if decision.kind == "add":
                    writer.add(index, decision.incoming)
                elif decision.kind == "reply":
                    writer.reply(desk, decision)
    return Imported(
        tuple(writer.added.values()),
        tuple(dict.fromkeys(writer.updated)),
        tuple(writer.reopened),
        skipped,
    )


class _Writer:
    """The writes of one import, with what it learnt on the way (the people found, the
    items added so far by their place in the plan)."""

    def __init__(self, store: Store, now: datetime, before: dict[int, ItemRecord]) -> None:
        self.store = store
        self.now = now
        self.before = before
        self.tx: Transaction | None = None
        self.people: dict[tuple[str | None, str | None], int | None] = {}
        self.added: dict[int, int] = {}
        self.updated: list[int] = []
        self.reopened: list[int] = []

    def _person(self, incoming: Incoming) -> int | None:
        assert self.tx is not None
        key = (incoming.requester_name, incoming.requester_email)
        if key not in self.people:
            name, email = key
            self.people[key] = person_id(self.store, self.tx, name, email, self.now)
        return self.people[key]

    def _received(self, incoming: Incoming) -> datetime:
        when = incoming.received_at
        return self.now if when is None or when > self.now else when

    def _note(self, item_id: int, text: str, when: datetime, ref: str | None) -> None:
        assert self.tx is not None
        self.tx.insert(
            "note",
            {
                "item_id": item_id,
                "kind": "plain",
                "text": text,
                "created_at": when,
                "due_at": None,
                "ref": ref,
            },
        )

    def add(self, index: int, incoming: Incoming) -> None:
        assert self.tx is not None
        received = self._received(incoming)
        values: dict[str, Any] = {
            "title": incoming.title,
            "requester_id": self._person(incoming),
            "channel": incoming.channel,
            "severity": incoming.severity or DEFAULT_SEVERITY,
            "impact": 1,
            "estimate_minutes": None,
            "status": "open",
            "vip": incoming.vip,
            "pinned": False,
            "bump": 0.0,
            "tags": json.dumps(list(incoming.tags)),
            "ref": incoming.ref,
            "received_at": received,
            "created_at": self.now,
            "due_at": incoming.due_at,
            "waited_minutes": 0.0,
        }
        item_id = self.tx.insert("item", values)
        self.added[index] = item_id
        if incoming.note:
            self._note(item_id, incoming.note, received, None)

    def reply(self, desk: Desk, decision: Decision) -> None:
        """A note on the item answered; an item waiting on the customer opens again."""
        assert self.tx is not None
        incoming = decision.incoming
        if decision.item_id is not None:
            item_id = decision.item_id
        else:
            assert decision.new is not None
            item_id = self.added[decision.new]
        sender = incoming.requester_name or incoming.requester_email or "someone"
        text = f"Reply from {sender}: {incoming.note or incoming.title}"
        self._note(item_id, text, self._received(incoming), incoming.ref)
        self.updated.append(item_id)
        item = self.before.get(item_id)
        if item is not None and item.status == "waiting" and item_id not in self.reopened:
            self.tx.update(
                "item",
                item_id,
                {
                    "status": "open",
                    "deferred_until": None,
                    **stop_or_start_clock(desk, item, self.now),
                },
            )
            self.reopened.append(item_id)
