"""What a technician does to an item: capture it, change it, work on it, close it.

Each action checks its rules (which status allows it, which values an item may hold), then
writes what it changes in one journaled transaction of the store, so it is undone as one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from techqueue.actions.hooks import fire
from techqueue.core.business import COSTS, cost_tag, without_cost
from techqueue.core.people import split_person, vip_domain
from techqueue.core.worktime import clock_checkpoint
from techqueue.desk import Desk
from techqueue.domain import (
    CHANNELS,
    DEFAULT_CHANNEL,
    DEFAULT_SEVERITY,
    MAX_BUMP,
    MAX_NAME,
    MAX_TEXT,
    MAX_TITLE,
    OVERNIGHT_NOTE,
    SEVERITIES,
    WORKED_LATE_NOTE,
    bump_problem,
    estimate_problem,
    impact_problem,
    length_problem,
    not_allowed,
)
from techqueue.errors import BadRequest, NotFound
from techqueue.records import ItemRecord
from techqueue.store import Store, Transaction

if TYPE_CHECKING:  # the parser is a capture's, not a done's or a pause's
    from techqueue.core.quickadd import Draft
    from techqueue.records import RequesterRecord

__all__ = [
    "Changed",
    "ItemFields",
    "Started",
    "add",
    "bump",
    "defer",
    "defer_writes",
    "done",
    "done_writes",
    "drop",
    "drop_writes",
    "edit",
    "pause",
    "pause_writes",
    "person_id",
    "pin",
    "refuse_known_ref",
    "refuse_long",
    "reopen",
    "requester_id",
    "require",
    "set_vip",
    "start",
    "start_writes",
    "wait",
    "wait_writes",
]

#: The fields ``edit`` may empty: back to nothing, or (impact) back to one person.
CLEARABLE = ("requester", "estimate_minutes", "due_at", "ref", "impact")


@dataclass(slots=True)
class ItemFields:
    """What to set on a new item (``add``) or change on one (``edit``); ``None`` leaves a
    field alone."""

    title: str | None = None
    requester: str | None = None
    vip: bool | None = None
    severity: str | None = None
    channel: str | None = None
    estimate_minutes: float | None = None
    impact: int | None = None
    due_at: datetime | None = None
    received_at: datetime | None = None
    tags: tuple[str, ...] | None = None
    add_tags: tuple[str, ...] = field(default=())
    ref: str | None = None
    cost: str | None = None
    """The business impact given (``high``, ``normal``, ``low``), kept as a ``cost:`` tag."""
    clear: tuple[str, ...] = field(default=())
    """Fields to empty (any of :data:`CLEARABLE`)."""
    every: str | None = None
    """Recurring work (``add`` only): the rule, ``mon 09:00`` (see ``core.recurrence``)."""

    @classmethod
    def from_draft(cls, draft: Draft) -> ItemFields:
        """What a quick-add line says, as fields of a new (or edited) item. A draft of tokens
        only (no title) leaves the title alone."""
        return cls(
            title=draft.title or None,
            requester=draft.requester,
            vip=draft.vip or None,
            severity=draft.severity,
            channel=draft.channel,
            estimate_minutes=draft.estimate_minutes,
            impact=draft.impact,
            due_at=draft.due_at,
            add_tags=draft.tags,
            ref=draft.ref,
            cost=draft.cost,
            every=draft.every,
        )

    @classmethod
    def replacing(cls, draft: Draft) -> ItemFields:
        """A whole quick-add line as the item's new state: what the line leaves out is cleared
        (back to its default), as when the line was shown for editing and a token deleted."""
        optional = {
            "requester": draft.requester,
            "estimate_minutes": draft.estimate_minutes,
            "due_at": draft.due_at,
            "ref": draft.ref,
            "impact": draft.impact,
        }
        return replace(
            cls.from_draft(draft),
            vip=draft.vip,
            severity=draft.severity or DEFAULT_SEVERITY,
            channel=draft.channel or DEFAULT_CHANNEL,
            tags=draft.tags,
            add_tags=(),
            clear=tuple(name for name, value in optional.items() if value is None),
        )

    def check(self) -> None:
        """Refuse values no item may hold (the command line checks earlier, scripts may not)."""
        if self.title is not None and not self.title.strip():
            raise BadRequest("the title cannot be empty")
        for what, text, limit in (
            ("the title", self.title, MAX_TITLE),
            ("the requester's name", self.requester, MAX_NAME),
            ("the reference", self.ref, MAX_NAME),
            *(("a tag", tag, MAX_NAME) for tag in (*(self.tags or ()), *self.add_tags)),
        ):
            refuse_long(what, text, limit)
        if self.severity is not None and self.severity not in SEVERITIES:
            raise BadRequest(f"unknown severity {self.severity!r}")
        if self.channel is not None and self.channel not in CHANNELS:
            raise BadRequest(f"unknown channel {self.channel!r}")
        if self.cost is not None and self.cost not in COSTS:
            raise BadRequest(f"unknown cost {self.cost!r} (use {', '.join(COSTS)})")
        problem = (None if self.impact is None else impact_problem(self.impact)) or (
            None if self.estimate_minutes is None else estimate_problem(self.estimate_minutes)
        )
        if problem is not None:
            raise BadRequest(problem)
        unknown = [name for name in self.clear if name not in CLEARABLE]
        if unknown:
            raise BadRequest(f"{unknown[0]} cannot be cleared")
        if self.every is not None and (self.due_at is not None or self.ref is not None):
            raise BadRequest(
                "recurring work has no due time or ref of its own: each instance comes at "
                "its time (give them to an instance once it is there)"
            )


@dataclass(frozen=True, slots=True)
class Changed:
    """An item as it is after an action."""

    item: ItemRecord


@dataclass(frozen=True, slots=True)
class Started(Changed):
    """The item now being worked on, and the one it paused (``None`` when nothing was)."""

    paused: ItemRecord | None = None


def refuse_long(what: str, text: str | None, limit: int) -> None:
    """Refuse text longer than ``limit`` characters, saying how long it is and may be: a
    pasted page is not a title, and a megabyte would slow every screen that shows it."""
    problem = length_problem(what, text, limit)
    if problem is not None:
        raise BadRequest(problem)


def require(store: Store, item_id: int, action: str) -> ItemRecord:
    """The item, when its status allows ``action``; a refusal naming the status otherwise."""
    item = store.get(item_id)
    problem = not_allowed(action, item_id, item.status)
    if problem is not None:
        raise BadRequest(problem)
    return item


def stop_or_start_clock(desk: Desk, item: ItemRecord, now: datetime) -> dict[str, Any]:
    """The item's waiting clock brought up to ``now``, to write with a change of status or
    deferral: the working time waited so far is kept, what comes is counted from the new
    state (stopped while waiting on the customer, deferred or finished)."""
    return clock_checkpoint(item, now, desk.clock(now))


def _arrived_at(desk: Desk, item: ItemRecord, received: datetime, now: datetime) -> dict[str, Any]:
    """A corrected arrival moves the waiting clock by the working time between the two."""
    if item.clock_at is None:
        return {}  # the clock still runs from arrival: the new one is read as it is
    clock = desk.clock(now)
    shift = clock.position(item.received_at) - clock.position(received)
    return {"waited_minutes": max(item.waited_minutes + shift, 0.0)}


def close_running_span(desk: Desk, tx: Transaction, item_id: int, now: datetime) -> None:
    """End the item's running span at ``now``, or, when it was forgotten past the end of its
    working day, at that end (with a note), so a night is not counted as work."""
    for span in desk.store.running_spans(item_id):
        cutoff = desk.span_cutoff(span.started_at)
        if now > cutoff and span.note != WORKED_LATE_NOTE:
            values: dict[str, Any] = {
                "ended_at": max(cutoff, span.started_at),
                "note": OVERNIGHT_NOTE,
            }
        else:
            values = {"ended_at": max(now, span.started_at)}
        tx.update("work_span", span.id, values)


def requester_id(store: Store, tx: Transaction, who: str | None, now: datetime) -> int | None:
    """The person ``who`` names (a name, an address, or ``Name <address>``), created when new."""
    name, email = split_person(who)
    return person_id(store, tx, name, email, now)


def person_id(
    store: Store, tx: Transaction, name: str | None, email: str | None, now: datetime
) -> int | None:
    """The person with this address, else with this name and no other address; created when
    neither is known. A known person is taught what they lacked: an address, or a name when
    they were known by their address alone."""
    if name is None and email is None:
        return None
    found = store.find_person(name, email)
    if found is not None and (
        email is None or found.email is None or found.email.lower() == email.lower()
    ):
        learnt: dict[str, Any] = {}
        if email is not None and found.email is None:
            learnt["email"] = email
        if name is not None and found.email is not None and found.name == found.email:
            learnt["name"] = name
        if learnt:
            tx.update("requester", found.id, learnt)
        return found.id
    return tx.insert(
        "requester",
        {"name": name or email, "email": email, "vip": False, "note": None, "created_at": now},
    )


def add(desk: Desk, fields: ItemFields, now: datetime) -> Changed:
    """Capture a new item; its requester is found by name or email, or created."""
    fields.check()
    if not fields.title:
        raise BadRequest("a new item needs a title")
    if fields.every is not None:
        from techqueue.actions.recurring import add_recurring

        changed = add_recurring(desk, fields, now)
        fire(desk, "add", [changed.item.id], now)
        return changed
    store = desk.store
    with store.action("add", f"add {fields.title!r}", now) as tx:
        # Checked in the write transaction: another process adding the same ref meanwhile
        # has either committed (and is seen here) or waits for this one.
        refuse_known_ref(store, fields.ref)
        item_id = tx.item_id = tx.insert("item", new_item_values(desk, tx, fields, now))
    fire(desk, "add", [item_id], now)
    return Changed(store.get(item_id))


def new_item_values(
    desk: Desk, tx: Transaction, fields: ItemFields, now: datetime
) -> dict[str, Any]:
    """The row of a new item with ``fields`` (its requester found or created in ``tx``)."""
    _, email = split_person(fields.requester)
    vip = bool(fields.vip) or vip_domain(email, desk.settings.intake.vip_domains) is not None
    return {
        "title": fields.title,
        "requester_id": requester_id(desk.store, tx, fields.requester, now),
        "channel": fields.channel or DEFAULT_CHANNEL,
        "severity": fields.severity or DEFAULT_SEVERITY,
        "impact": fields.impact or 1,
        "estimate_minutes": fields.estimate_minutes,
        "status": "open",
        "vip": vip,
        "pinned": False,
        "bump": 0.0,
        "tags": json.dumps(_with_cost((fields.tags or ()) + fields.add_tags, fields.cost)),
        "ref": fields.ref,
        "received_at": fields.received_at or now,
        "created_at": now,
        "due_at": fields.due_at,
        "waited_minutes": 0.0,
    }


def _with_cost(tags: tuple[str, ...], cost: str | None) -> list[str]:
    """The tags to store: each once, and with ``cost`` the item's ``cost:`` tag in place of
    any it had."""
    kept = list(dict.fromkeys(tags))
    if cost is None:
        return kept
    return [*without_cost(kept), cost_tag(cost)]


class KnownRef(BadRequest):
    """A reference another item already holds: ``owner``."""

    def __init__(self, ref: str, owner: int) -> None:
        super().__init__(
            f"ref {ref} is already item {owner} (add --merge to add this to it as a note)"
        )
        self.owner = owner


def refuse_known_ref(store: Store, ref: str | None, item_id: int | None = None) -> None:
    """Refuse a reference another item already holds (nothing comes in twice), naming it."""
    if ref is None:
        return
    owner = store.ref_owners([ref]).get(ref)
    if owner is not None and owner != item_id:
        raise KnownRef(ref, owner)


def edit(desk: Desk, item_id: int, fields: ItemFields, now: datetime) -> Changed:
    """Change what was said about an item; fields left ``None`` stay as they are."""
    fields.check()
    if fields.every is not None:
        raise BadRequest("every: makes recurring work with add; an item cannot be made one")
    store = desk.store
    item = store.get(item_id)
    with store.action("edit", f"edit #{item_id}", now, item_id) as tx:
        refuse_known_ref(store, fields.ref, item_id)  # in the transaction, as for add
        values: dict[str, Any] = {}
        for name in ("title", "severity", "channel", "estimate_minutes", "impact", "ref"):
            value = getattr(fields, name)
            if value is not None:
                values[name] = value
        if fields.due_at is not None:
            values["due_at"] = fields.due_at
        if fields.received_at is not None:
            values["received_at"] = fields.received_at
            values |= _arrived_at(desk, item, fields.received_at, now)
        if fields.vip is not None:
            values["vip"] = fields.vip
        if fields.requester is not None:
            values["requester_id"] = requester_id(store, tx, fields.requester, now)
        for name in fields.clear:
            column = "requester_id" if name == "requester" else name
            values[column] = 1 if column == "impact" else None
        if fields.tags is not None or fields.add_tags or fields.cost is not None:
            base = fields.tags if fields.tags is not None else item.tags
            values["tags"] = json.dumps(_with_cost(base + fields.add_tags, fields.cost))
        if not values:
            raise BadRequest("nothing to change: give a new title, tokens or options")
        tx.update("item", item_id, values)
    return Changed(store.get(item_id))


def start(desk: Desk, item_id: int, now: datetime) -> Started:
    """Start work on an item, pausing whatever else is active (in a team: whatever else this
    technician has in hand; the item becomes theirs, refused when another technician has
    it, checked under a lock so two never start the same item)."""
    store = desk.store
    if store.team:
        _refuse_theirs(store, item_id, store.get(item_id).assignee)
    item = require(store, item_id, "start")
    with store.action("start", f"start #{item_id} {item.title!r}", now, item_id) as tx:
        if store.team:  # again under the row's lock: someone may have claimed it meanwhile
            _refuse_theirs(store, item_id, store.holder(item_id))
        paused = start_writes(desk, tx, item, now)
    return Started(store.get(item_id), store.get(paused[0].id) if paused else None)


def _refuse_theirs(store: Store, item_id: int, holder: str | None) -> None:
    """Refuse to start an item another technician has, naming them."""
    if holder is not None and holder != store.user:
        raise BadRequest(
            f"#{item_id} is {holder}'s: ask them, or take it with: "
            f"techqueue assign {item_id} {store.user}"
        )


def start_writes(desk: Desk, tx: Transaction, item: ItemRecord, now: datetime) -> list[ItemRecord]:
    """What starting an item writes (for :func:`start` and a claim): the job in hand paused
    (in a team, only this technician's), the item active (and theirs), a span of work begun.
    Returns the items it paused."""
    store = desk.store
    active = store.in_hand()
    for other in active:
        close_running_span(desk, tx, other.id, now)
        tx.update("item", other.id, {"status": "paused"})
    values: dict[str, Any] = {
        "status": "active",
        "started_at": item.started_at or now,
        "deferred_until": None,
        **stop_or_start_clock(desk, item, now),
        **back_from_them(item),
    }
    span: dict[str, Any] = {"item_id": item.id, "started_at": now, "ended_at": None, "note": None}
    if store.team:
        values["assignee"] = span["technician"] = store.user
    tx.update("item", item.id, values)
    tx.insert("work_span", span)
    return [other for other in active if other.id != item.id]


def back_from_them(item: ItemRecord) -> dict[str, Any]:
    """An item out with someone else (``wait --on``) is back: who it waited on is cleared."""
    if item.waiting_on is None:
        return {}
    return {"waiting_on": None, "waiting_kind": None, "waiting_since": None, "chase_at": None}


def pause(desk: Desk, item_id: int, now: datetime) -> Changed:
    """Stop the clock on the active item; the time worked so far is kept."""
    store = desk.store
    item = require(store, item_id, "pause")
    with store.action("pause", f"pause #{item_id} {item.title!r}", now, item_id) as tx:
        pause_writes(desk, tx, item, now)
    return Changed(store.get(item_id))


def pause_writes(desk: Desk, tx: Transaction, item: ItemRecord, now: datetime) -> None:
    """What pausing one item writes (for :func:`pause` and :func:`pause_all` alike)."""
    close_running_span(desk, tx, item.id, now)
    tx.update("item", item.id, {"status": "paused"})


def done(desk: Desk, item_id: int, now: datetime, solution: str | None = None) -> Changed:
    """Mark an item done; ``solution``, one line saying how it was solved, is kept and shown
    on similar items later."""
    store = desk.store
    item = require(store, item_id, "done")
    solution = solution_given(solution)
    with store.action("done", f"done #{item_id} {item.title!r}", now, item_id) as tx:
        done_writes(desk, tx, item, now, solution)
    fire(desk, "done", [item_id], now)
    return Changed(store.get(item_id))


def solution_given(solution: str | None) -> str | None:
    """The line saying how it was solved, stripped (``None`` when blank); one line, not a
    report: as long as a title at most."""
    if solution is None or not solution.strip():
        return None
    text = " ".join(solution.split())
    refuse_long("the solution", text, MAX_TITLE)
    return text


def done_writes(
    desk: Desk, tx: Transaction, item: ItemRecord, now: datetime, solution: str | None = None
) -> None:
    """What marking one item done writes (for :func:`done` and :func:`done_all` alike)."""
    close_running_span(desk, tx, item.id, now)
    values: dict[str, Any] = {
        "status": "done",
        "done_at": now,
        "deferred_until": None,
        **stop_or_start_clock(desk, item, now),
        **closer(desk, item),
    }
    if solution is not None:
        values["solution"] = solution
    tx.update("item", item.id, values)
    if item.recurrence_id is not None:
        from techqueue.actions.recurring import schedule_next

        schedule_next(desk, tx, item, now)


def closer(desk: Desk, item: ItemRecord) -> dict[str, Any]:
    """In a team, an item nobody had is had by whoever finishes or drops it: it is in their
    review. Nothing for a solo store, or an item someone has."""
    store = desk.store
    if store.team and item.assignee is None:
        return {"assignee": store.user}
    return {}


def drop(desk: Desk, item_id: int, now: datetime, reason: str | None = None) -> Changed:
    """Drop an item that will not be done, with an optional reason."""
    store = desk.store
    item = require(store, item_id, "drop")
    with store.action("drop", f"drop #{item_id} {item.title!r}", now, item_id) as tx:
        drop_writes(desk, tx, item, now, reason)
    return Changed(store.get(item_id))


def drop_writes(
    desk: Desk, tx: Transaction, item: ItemRecord, now: datetime, reason: str | None
) -> None:
    """What dropping one item writes (for :func:`drop` and :func:`drop_all` alike)."""
    refuse_long("the reason", reason, MAX_TEXT)
    close_running_span(desk, tx, item.id, now)
    tx.update(
        "item",
        item.id,
        {
            "status": "dropped",
            "done_at": now,
            "drop_reason": reason,
            "deferred_until": None,
            **stop_or_start_clock(desk, item, now),
            **closer(desk, item),
        },
    )
    if item.recurrence_id is not None:  # skipped: the next one comes all the same
        from techqueue.actions.recurring import schedule_next

        schedule_next(desk, tx, item, now)


def wait(desk: Desk, item_id: int, now: datetime, until: datetime | None = None) -> Changed:
    """Waiting on the customer; with ``until`` it stays out of sight until then."""
    store = desk.store
    item = require(store, item_id, "wait")
    if until is not None and until <= now:
        raise BadRequest("that time has already passed")
    with store.action("wait", f"wait #{item_id} {item.title!r}", now, item_id) as tx:
        wait_writes(desk, tx, item, now, until, back_from_them(item))  # on the customer now
    return Changed(store.get(item_id))


def wait_writes(
    desk: Desk,
    tx: Transaction,
    item: ItemRecord,
    now: datetime,
    until: datetime | None,
    on_whom: Mapping[str, Any],
) -> None:
    """What waiting writes, on the customer or on someone else (``on_whom``: the item's
    waiting-on fields): the work on it stops, its clock stops, and it is out of sight until
    ``until`` when given."""
    close_running_span(desk, tx, item.id, now)
    tx.update(
        "item",
        item.id,
        {
            "status": "waiting",
            "deferred_until": until,
            **stop_or_start_clock(desk, item, now),
            **on_whom,
        },
    )


def defer(desk: Desk, item_id: int, when: datetime, now: datetime) -> Changed:
    """Out of the ranking until ``when``; deferring the active item pauses it."""
    store = desk.store
    item = require(store, item_id, "defer")
    if when <= now:
        raise BadRequest("that time has already passed: defer to a later time")
    with store.action("defer", f"defer #{item_id} {item.title!r}", now, item_id) as tx:
        defer_writes(desk, tx, item, when, now)
    return Changed(store.get(item_id))


def defer_writes(
    desk: Desk, tx: Transaction, item: ItemRecord, when: datetime, now: datetime
) -> None:
    """What deferring one item writes (for :func:`defer` and a deferral with a promise)."""
    values: dict[str, Any] = {"deferred_until": when, **stop_or_start_clock(desk, item, now)}
    if item.status == "active":
        close_running_span(desk, tx, item.id, now)
        values["status"] = "paused"
    tx.update("item", item.id, values)


def pin(desk: Desk, item_id: int, now: datetime, *, pinned: bool = True) -> Changed:
    """Pin an item to the top of the queue, or let it rank normally again."""
    verb = "pin" if pinned else "unpin"
    store = desk.store
    item = require(store, item_id, verb)
    with store.action(verb, f"{verb} #{item_id} {item.title!r}", now, item_id) as tx:
        tx.update("item", item_id, {"pinned": pinned})
    return Changed(store.get(item_id))


def bump(desk: Desk, item_id: int, steps: float, now: datetime) -> Changed:
    """Nudge an item up (or down, with a negative number) by hand."""
    store = desk.store
    item = require(store, item_id, "bump")
    if not steps:
        raise BadRequest(
            f"a bump of 0 moves nothing: give 1 to {MAX_BUMP} steps up, or -1 to -{MAX_BUMP} down"
        )
    if bump_problem(item.bump + steps) is not None:
        raise BadRequest(
            f"a bump is a nudge: the total stays between -{MAX_BUMP} and {MAX_BUMP} "
            f"(#{item_id} is at {item.bump:+g} now)"
        )
    with store.action("bump", f"bump #{item_id} by {steps:+g}", now, item_id) as tx:
        tx.update("item", item_id, {"bump": item.bump + steps})
    return Changed(store.get(item_id))


def set_vip(desk: Desk, who: str, now: datetime, *, vip: bool = True) -> RequesterRecord:
    """Mark a requester (by name, address, or ``Name <address>``; a linked spelling marks its
    person) as VIP, creating them if new; or unmark."""
    if not who.strip():
        raise BadRequest("give the requester's name or email")
    refuse_long("the requester's name", who.strip(), MAX_NAME)
    store = desk.store
    found = store.find_person(*split_person(who))
    if found is None and not vip:
        raise NotFound(f"no requester called {who.strip()!r}")
    verb = "vip" if vip else "vip off"
    with store.action(verb, f"{verb} {who.strip()!r}", now) as tx:
        if found is None:
            new_id = requester_id(store, tx, who, now)
            assert new_id is not None
        else:
            new_id = found.id
        tx.update("requester", new_id, {"vip": vip})
    return store.requester(new_id)


def reopen(desk: Desk, item_id: int, now: datetime) -> Changed:
    """A done or dropped item back in the queue, open: it was not finished after all (or
    dropped by mistake). Its ``done_at`` and drop reason are cleared; its work log stays. Its
    waiting clock runs again from now, on top of what it had waited before it was closed
    (the days it sat closed were nobody's wait)."""
    store = desk.store
    item = require(store, item_id, "reopen")
    with store.action("reopen", f"reopen #{item_id} {item.title!r}", now, item_id) as tx:
        tx.update(
            "item",
            item_id,
            {
                "status": "open",
                "done_at": None,
                "drop_reason": None,
                "solution": None,  # it was not solved after all
                "clock_at": now,
            },
        )
    return Changed(store.get(item_id))
