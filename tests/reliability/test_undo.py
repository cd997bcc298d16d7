"""Undo for every action kind, one test each, restoring the store exactly (every row of every
table, as stored); and the undo history trimmed by age without losing what undo needs.

The actions are the functions the command line and the app both call; a guard test fails
when an action (a public function of :mod:`techqueue.actions`, or a kind of journal entry
written anywhere in the source) has no undo test here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from store.support import CutoffDesk
from techqueue import actions, transfer
from techqueue.actions import ItemFields
from techqueue.core.intake import Incoming
from techqueue.desk import Desk
from techqueue.errors import NothingToUndo
from techqueue.store import Store, open_store

from .support import MONDAY_9, local

NOW = local(MONDAY_9)
MINUTE, HOUR = timedelta(minutes=1), timedelta(hours=1)
SOURCE = Path(actions.__file__).parent.parent

Ids = dict[str, int]
Act = Callable[[Store, Ids], object]


def populate(store: Store) -> Ids:
    """A day in progress: an item in hand, one paused, one waiting, one done, one dropped,
    two open (one from a VIP), reminders, notes and work spans."""
    desk = Desk(store)

    def add(title: str, at: timedelta, **fields: Any) -> int:
        return actions.add(desk, ItemFields(title=title, **fields), NOW - at).item.id

    ids = {
        "a": add("VPN down", 3 * HOUR, severity="critical", requester="Alice", tags=("vpn",)),
        "b": add("Printer jammed", 3 * HOUR, requester="Bob"),
        "c": add("Send the form", 3 * HOUR, channel="email"),
        "d": add("Reset password", 5 * HOUR, estimate_minutes=5),
        "e": add("Old request", 5 * HOUR),
        "f": add("New monitor", HOUR, requester="Carol", tags=("hardware",)),
        "g": add("CEO laptop", HOUR, requester="Dana"),
    }
    actions.start(desk, ids["d"], NOW - 240 * MINUTE)
    actions.done(desk, ids["d"], NOW - 200 * MINUTE)
    actions.drop(desk, ids["e"], NOW - 190 * MINUTE, reason="duplicate")
    actions.start(desk, ids["b"], NOW - 150 * MINUTE)
    actions.pause(desk, ids["b"], NOW - 130 * MINUTE)
    actions.start(desk, ids["a"], NOW - 120 * MINUTE)
    actions.wait(desk, ids["c"], NOW - 100 * MINUTE)
    actions.note(desk, ids["a"], "rebooted the router", NOW - 90 * MINUTE)
    actions.set_vip(desk, "Dana", NOW - 80 * MINUTE)
    ids["r1"] = actions.remind(desk, ids["f"], NOW + HOUR, "ask Carol", NOW - 70 * MINUTE).id
    ids["r2"] = actions.remind(desk, None, NOW - 10 * MINUTE, "backups", NOW - 60 * MINUTE).id
    spans = {span.item_id: span.id for span in store.spans()}
    ids["span a"], ids["span b"] = spans[ids["a"]], spans[ids["b"]]
    return ids


def _pin_first(store: Store, ids: Ids) -> None:
    actions.pin(Desk(store), ids["f"], NOW - MINUTE)


def _pause_first(store: Store, ids: Ids) -> None:
    actions.pause(Desk(store), ids["a"], NOW - 30 * MINUTE)


def _d(store: Store) -> Desk:
    return Desk(store)


def _add_with_ref(store: Store, ids: Ids) -> None:
    actions.add(Desk(store), ItemFields(title="Printer jammed again", ref="INC-7"), NOW - HOUR)


def _add_by_address(store: Store, ids: Ids) -> None:
    actions.add(Desk(store), ItemFields(title="Dock", requester="carol@corp.example"), NOW - HOUR)


def _add_waiting_mail(store: Store, ids: Ids) -> None:
    """A mail's item waiting on the customer, whom the import's reply brings back."""
    desk = Desk(store)
    item = actions.add(desk, ItemFields(title="Laptop slow", ref="<m1@corp.example>"), NOW - HOUR)
    actions.wait(desk, item.item.id, NOW - 30 * MINUTE)


#: A new conversation of two mails (one a reply to the other) and a reply to a stored one.
_ARRIVALS = (
    Incoming(
        title="Scanner offline",
        channel="email",
        where="inbox.mbox, message 1",
        ref="<n1@corp.example>",
        received_at=NOW - 20 * MINUTE,
        requester_name="Erin",
        requester_email="erin@corp.example",
        note="It says offline.",
    ),
    Incoming(
        title="Re: Scanner offline",
        channel="email",
        where="inbox.mbox, message 2",
        ref="<n2@corp.example>",
        replies_to=("<n1@corp.example>",),
        received_at=NOW - 10 * MINUTE,
        requester_email="erin@corp.example",
        note="Still offline.",
    ),
    Incoming(
        title="Re: Laptop slow",
        channel="email",
        where="inbox.mbox, message 3",
        ref="<m2@corp.example>",
        replies_to=("<m1@corp.example>",),
        received_at=NOW - 5 * MINUTE,
        note="Here is the log you asked for.",
    ),
)


def _late(store: Store) -> Desk:
    """A working day that ended an hour after each span began: the one in hand ran over."""
    return CutoffDesk(store, HOUR)


#: Every kind of action: (the action function, the journal entry it writes, what to do
#: first, the action).
KINDS: dict[str, tuple[str, str, Act | None, Act]] = {
    "add": (
        "add",
        "add",
        None,
        lambda s, i: actions.add(
            _d(s), ItemFields(title="Wi-Fi", requester="Eve", tags=("wifi",)), NOW
        ),
    ),
    "edit": (
        "edit",
        "edit",
        None,
        lambda s, i: actions.edit(
            _d(s),
            i["f"],
            ItemFields(
                title="Two monitors", severity="high", requester="Frank", add_tags=("desk",)
            ),
            NOW,
        ),
    ),
    "start": ("start", "start", None, lambda s, i: actions.start(_d(s), i["f"], NOW)),
    "pause": ("pause", "pause", None, lambda s, i: actions.pause(_d(s), i["a"], NOW)),
    "done": ("done", "done", None, lambda s, i: actions.done(_d(s), i["a"], NOW)),
    "drop": (
        "drop",
        "drop",
        None,
        lambda s, i: actions.drop(_d(s), i["f"], NOW, reason="not ours"),
    ),
    "wait": ("wait", "wait", None, lambda s, i: actions.wait(_d(s), i["a"], NOW, until=NOW + HOUR)),
    "defer": (
        "defer",
        "defer",
        None,
        lambda s, i: actions.defer(_d(s), i["f"], NOW + 2 * HOUR, NOW),
    ),
    "pin": ("pin", "pin", None, lambda s, i: actions.pin(_d(s), i["f"], NOW)),
    "unpin": (
        "pin",
        "unpin",
        _pin_first,
        lambda s, i: actions.pin(_d(s), i["f"], NOW, pinned=False),
    ),
    "bump": ("bump", "bump", None, lambda s, i: actions.bump(_d(s), i["f"], 2, NOW)),
    "vip": ("set_vip", "vip", None, lambda s, i: actions.set_vip(_d(s), "Carol", NOW)),
    "vip off": (
        "set_vip",
        "vip off",
        None,
        lambda s, i: actions.set_vip(_d(s), "Dana", NOW, vip=False),
    ),
    "reopen": ("reopen", "reopen", None, lambda s, i: actions.reopen(_d(s), i["d"], NOW)),
    "note": ("note", "note", None, lambda s, i: actions.note(_d(s), i["a"], "called back", NOW)),
    "promise": (
        "note",
        "promise",
        None,
        lambda s, i: actions.note(_d(s), i["f"], "by 10", NOW, kind="promise", due_at=NOW + HOUR),
    ),
    "contact": (
        "note",
        "contact",
        None,
        lambda s, i: actions.note(_d(s), i["f"], "emailed", NOW, kind="contact"),
    ),
    "remind": (
        "remind",
        "remind",
        None,
        lambda s, i: actions.remind(_d(s), i["g"], NOW + HOUR, "call Dana", NOW),
    ),
    "snooze": (
        "snooze",
        "snooze",
        None,
        lambda s, i: actions.snooze(_d(s), i["r1"], NOW + 3 * HOUR, NOW),
    ),
    "dismiss": ("dismiss", "dismiss", None, lambda s, i: actions.dismiss(_d(s), i["r2"], NOW)),
    "carry over": (
        "carry_over",
        "carry over",
        None,
        lambda s, i: actions.carry_over(
            _d(s),
            [i["a"], i["f"]],
            NOW,
            note="tomorrow",
            promise_due_at=NOW + 24 * HOUR,
            promise_text="first thing",
        ),
    ),
    "carry the rest": (
        "carry_rest",
        "carry over",
        None,
        lambda s, i: actions.carry_rest(
            _d(s), NOW - 12 * HOUR, NOW + HOUR, now=NOW, exclude=[i["g"]]
        ),
    ),
    "close overnight": (
        "close_overnight",
        "close overnight",
        None,
        lambda s, i: actions.close_overnight(_late(s), NOW),
    ),
    "worked late": (
        "worked_late",
        "worked late",
        None,
        lambda s, i: actions.worked_late(_late(s), [i["span a"]], NOW),
    ),
    "log edit": (
        "correct_span",
        "log edit",
        None,
        lambda s, i: actions.correct_span(_d(s), i["span b"], NOW, started_at=NOW - 160 * MINUTE),
    ),
    "log time": (
        "log_time",
        "log time",
        None,
        lambda s, i: actions.log_time(_d(s), i["f"], 15, NOW, end=NOW - 5 * HOUR),
    ),
    "done --spent": (
        "done_spent",
        "done",
        _pause_first,
        lambda s, i: actions.done_spent(_d(s), i["f"], 10, NOW),
    ),
    "done several": (
        "done_all",
        "done",
        None,
        lambda s, i: actions.done_all(_d(s), [i["a"], i["f"], i["g"]], NOW),
    ),
    "drop several": (
        "drop_all",
        "drop",
        None,
        lambda s, i: actions.drop_all(_d(s), [i["f"], i["c"]], NOW, reason="dup"),
    ),
    "pause several": (
        "pause_all",
        "pause",
        None,
        lambda s, i: actions.pause_all(_d(s), [i["a"]], NOW),
    ),
    "import": (
        "import_export",
        "import",
        None,
        lambda s, i: actions.import_export(_d(s), transfer.export(s, NOW), NOW, merge=True),
    ),
    "hand off": (
        "handoff",
        "handoff",
        None,
        lambda s, i: actions.handoff(_d(s), i["b"], "Sam at the helpdesk", NOW),
    ),
    "defer with a promise": (
        "defer_promised",
        "defer",
        None,
        lambda s, i: actions.defer_promised(_d(s), i["f"], NOW + 2 * HOUR, NOW, said="by 11"),
    ),
    "add with a known ref": (
        "add_or_merge",
        "note",
        _add_with_ref,
        lambda s, i: actions.add_or_merge(
            _d(s), ItemFields(title="Printer again", ref="INC-7", requester="Bob"), NOW
        ),
    ),
    "import mail": (
        "import_arrivals",
        "import",
        _add_waiting_mail,
        lambda s, i: actions.import_arrivals(_d(s), _ARRIVALS, NOW, source="inbox.mbox"),
    ),
    "link requesters": (
        "link_requesters",
        "link",
        _add_by_address,
        lambda s, i: actions.link_requesters(_d(s), "Carol", "carol@corp.example", NOW),
    ),
    "merge": ("merge", "merge", None, lambda s, i: actions.merge(_d(s), i["b"], i["f"], NOW)),
}
#: What ``techqueue.actions`` offers that changes nothing by itself: result types, and the
#: dry run of an import.
NOT_CHANGES = {
    "Changed",
    "Imported",
    "ItemFields",
    "Merged",
    "Started",
    "plan_import",
    "undecided",
    "undo",
}


def exact(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but the journal and the app's memory, as stored."""
    db = store.db
    names = [
        row[0]
        for row in db.rows("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if row[0] not in ("journal", "meta")
    ]
    return {name: db.rows(f"SELECT * FROM {name} ORDER BY id") for name in names}


@pytest.fixture
def store(tmp_path: Path) -> Any:
    opened = open_store(tmp_path / "undo.db")
    yield opened
    opened.close()


@pytest.mark.parametrize("kind", list(KINDS))
def test_undo_restores_the_store_exactly(store: Store, kind: str) -> None:
    _, entry, first, act = KINDS[kind]
    ids = populate(store)
    if first is not None:
        first(store, ids)
    before = exact(store)
    act(store, ids)
    assert exact(store) != before, "the action changed something"
    (last,) = store.journal(limit=1)
    assert last["action"] == entry
    said = actions.undo(Desk(store), NOW + MINUTE)
    assert said
    assert exact(store) == before


def test_every_action_has_its_undo_test() -> None:
    offered = set(actions.__all__) - NOT_CHANGES
    tested = {function for function, *_ in KINDS.values()}
    assert offered - tested == set(), "an action without an undo test"
    written: set[str] = set()
    for path in SOURCE.rglob("*.py"):
        written |= set(re.findall(r'store\.action\(\s*"([^"]+)"', path.read_text("utf-8")))
    kinds = {entry for _, entry, *_ in KINDS.values()}
    assert written - kinds == set(), "a kind of journal entry without an undo test"


# --- the undo history trimmed by age ---------------------------------------------------------


def test_trimming_keeps_what_undo_needs(store: Store) -> None:
    """A hundred days of work; the history trimmed to the last 30 days: every action of
    those days still undoes exactly, one after the other, back to the state before the
    oldest one kept, and nothing further back."""
    desk = Desk(store)
    before: dict[int, dict[str, list[tuple[Any, ...]]]] = {}

    def act(action: Callable[[], actions.Changed]) -> int:
        state = exact(store)
        item = action().item.id
        before[store.last_journal_id()] = state
        return item

    for day in range(100):
        moment = NOW + timedelta(days=day)
        title = f"day {day}"
        item = act(partial(actions.add, desk, ItemFields(title=title), moment))
        if day % 3 == 0:  # some days the item is done at once
            act(partial(actions.start, desk, item, moment + MINUTE))
            act(partial(actions.done, desk, item, moment + 2 * MINUTE))
    entries = store.journal(limit=1000)
    newest = store.last_journal_id()
    now = NOW + timedelta(days=100)
    assert store.trim_journal(now - timedelta(days=30), keep=5) > 0
    assert store.last_journal_id() == newest, "the id every screen polls never moves back"
    kept = store.journal(limit=1000)
    assert all(entry["at"] >= now - timedelta(days=30) for entry in kept)
    assert [entry["id"] for entry in kept] == [entry["id"] for entry in entries[: len(kept)]]
    for entry in kept:  # newest first, as undo goes
        actions.undo(desk, now)
        assert exact(store) == before[entry["id"]], f"undo of {entry['summary']}"
    with pytest.raises(NothingToUndo):
        actions.undo(desk, now)


def test_the_newest_actions_are_kept_however_old(store: Store) -> None:
    desk = Desk(store)
    for n in range(8):
        actions.add(desk, ItemFields(title=f"long ago {n}"), NOW - timedelta(days=400))
    assert store.trim_journal(NOW, keep=5) == 3
    assert len(store.journal(limit=100)) == 5
    actions.undo(desk, NOW)
    assert [item.title for item in store.items()] == [f"long ago {n}" for n in range(7)]


def test_trimming_an_empty_or_short_history_does_nothing(store: Store) -> None:
    assert store.trim_journal(NOW, keep=100) == 0
    actions.add(Desk(store), ItemFields(title="one"), NOW - timedelta(days=900))
    assert store.trim_journal(NOW, keep=100) == 0
    assert store.trim_journal(NOW, keep=0) == 0, "the newest entry always stays"
