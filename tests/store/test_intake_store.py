"""The store's look-ups for intake, on both backends: which item a reference belongs to, who a
name or address is (linked spellings answer with their person), a deleted row undone, and
schema 3's columns through export and import."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from techqueue import actions, transfer
from techqueue.actions import ItemFields
from techqueue.core.intake import Incoming
from techqueue.desk import Desk
from techqueue.store import Store

from .support import MakeStore, comparable

MINUTE = timedelta(minutes=1)


def _item(store: Store, now: datetime, title: str, **fields: object) -> int:
    return actions.add(Desk(store), ItemFields(title=title, **fields), now).item.id  # type: ignore[arg-type]


def _reply(store: Store, item_id: int, ref: str, now: datetime) -> int:
    with store.action("note", "a reply", now, item_id) as tx:
        return tx.insert(
            "note",
            {
                "item_id": item_id,
                "kind": "plain",
                "text": "thanks",
                "created_at": now,
                "due_at": None,
                "ref": ref,
            },
        )


def test_ref_owners_finds_items_by_their_ref_and_their_notes(store: Store, now: datetime) -> None:
    first = _item(store, now, "VPN down", ref="<a@mail>")
    second = _item(store, now + MINUTE, "Printer", ref="INC-2")
    _reply(store, first, "<b@mail>", now + 2 * MINUTE)
    assert store.ref_owners([]) == {}
    assert store.ref_owners(["<a@mail>", "<b@mail>", "INC-2", "nobody", ""]) == {
        "<a@mail>": first,
        "<b@mail>": first,
        "INC-2": second,
    }
    assert store.notes(first)[0].ref == "<b@mail>"


def test_ref_owners_answers_for_many_refs_at_once(store: Store, now: datetime) -> None:
    ids = {f"R-{n}": _item(store, now, f"item {n}", ref=f"R-{n}") for n in range(3)}
    asked = [f"X-{n}" for n in range(1200)] + list(ids)
    assert store.ref_owners(asked) == ids


def test_a_linked_spelling_answers_with_its_person(store: Store, now: datetime) -> None:
    dana = _item(store, now, "Laptop", requester="Dana")
    reyes = _item(store, now, "Mail", requester="dana@corp.example")
    spelling = store.get(dana).requester_id
    person = store.get(reyes).requester_id
    assert spelling is not None
    assert person is not None
    with store.action("link", "link", now) as tx:
        tx.update("requester", spelling, {"same_as": person})
    for who in ("Dana", "DANA", "dana@corp.example"):
        found = store.find_requester(who)
        assert found is not None
        assert found.id == person
    assert [p.id for p in store.requesters_called("dana")] == [person]
    found = store.find_person("Dana", None)
    assert found is not None
    assert found.id == person
    found = store.find_person("Someone else", "DANA@corp.example")
    assert found is not None
    assert found.id == person
    assert store.find_person("Nobody", "nobody@corp.example") is None
    assert store.find_person(None, None) is None
    assert {r.id: r.same_as for r in store.requesters()} == {spelling: person, person: None}


def test_a_deleted_row_comes_back_with_undo(store: Store, now: datetime) -> None:
    item_id = _item(store, now, "Printer", ref="INC-1", tags=("printer",))
    before = store.get(item_id)
    with store.action("merge", "delete it", now) as tx:
        tx.delete("item", item_id)
    assert store.items() == []
    store.undo(now + MINUTE)
    assert store.get(item_id) == before


def test_schema_3_columns_round_trip_through_export(
    store: Store, now: datetime, make_store: MakeStore, backend: str
) -> None:
    first = _item(store, now, "Laptop", requester="Dana", ref="<a@mail>")
    _item(store, now, "Mail", requester="dana@corp.example")
    _reply(store, first, "<b@mail>", now)
    spelling, person = (r.id for r in sorted(store.requesters(), key=lambda r: r.id))
    with store.action("link", "link", now) as tx:
        tx.update("requester", spelling, {"same_as": person})
    exported = transfer.export(store, now)
    assert exported["version"] == transfer.EXPORT_VERSION >= 2
    assert [row["same_as"] for row in exported["requester"]] == [person, None]
    assert exported["note"][0]["ref"] == "<b@mail>"
    kept = make_store(backend)
    transfer.import_export(kept, copy.deepcopy(exported), now)
    assert comparable(transfer.export(kept, now)) == comparable(exported)
    merged = make_store(backend)
    _item(merged, now, "Already here", requester="Someone")
    transfer.import_export(merged, copy.deepcopy(exported), now, merge=True)
    found = merged.find_requester("Dana")
    assert found is not None
    assert found.email == "dana@corp.example"
    owners = merged.ref_owners(["<a@mail>", "<b@mail>"])
    assert len(owners) == 2
    assert len(set(owners.values())) == 1


def test_a_version_1_export_still_imports(store: Store, now: datetime) -> None:
    data = {
        "format": "techqueue-export",
        "version": 1,
        "requester": [{"id": 1, "name": "Alice", "vip": False, "created_at": now.isoformat()}],
        "item": [
            {
                "id": 1,
                "title": "Printer",
                "requester_id": 1,
                "channel": "desk",
                "severity": "normal",
                "status": "open",
                "received_at": now.isoformat(),
                "created_at": now.isoformat(),
            }
        ],
        "note": [
            {"id": 1, "item_id": 1, "kind": "plain", "text": "x", "created_at": now.isoformat()}
        ],
    }
    transfer.import_export(store, data, now)
    assert store.notes(1)[0].ref is None
    assert store.requesters()[0].same_as is None


# --- the intake actions, on both backends ---------------------------------------------------------


def _arrival(ref: str, minutes: int, *answers: str, who: str = "dana@corp.example") -> Incoming:
    return Incoming(
        title=f"mail {ref}",
        channel="email",
        where=ref,
        ref=ref,
        replies_to=answers,
        received_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC) + minutes * MINUTE,
        requester_name="Dana Reyes",
        requester_email=who,
        severity="high",
        note=f"body of {ref}",
    )


def test_an_import_is_one_action_and_twice_adds_nothing(store: Store, now: datetime) -> None:
    desk = Desk(store)
    arrivals = [_arrival("<b>", 5, "<a>"), _arrival("<a>", 0), _arrival("<c>", 1)]
    done = actions.import_arrivals(desk, arrivals, now, source="mail: test")
    assert (len(done.added), len(done.updated), done.skipped) == (2, 1, 0)
    first = store.get(done.added[0])
    assert (first.title, first.ref, first.severity, first.requester) == (
        "mail <a>",
        "<a>",
        "high",
        "Dana Reyes",
    )
    assert [(n.text, n.ref) for n in store.notes(first.id)] == [
        ("body of <a>", None),
        ("Reply from Dana Reyes: body of <b>", "<b>"),
    ]
    assert len(store.requesters()) == 1
    journal = store.last_journal_id()
    again = actions.import_arrivals(desk, arrivals, now, source="mail: test")
    assert again == actions.Imported((), (), (), 3)
    assert store.last_journal_id() == journal  # nothing written, nothing to undo
    assert "import 3 mails" in store.undo(now)
    assert store.items() == []
    assert store.requesters() == []


def test_a_reply_opens_a_waiting_item_and_keeps_its_wait(store: Store, now: datetime) -> None:
    desk = Desk(store)
    added = actions.import_arrivals(desk, [_arrival("<a>", 0)], now, source="mail: one")
    item_id = added.added[0]
    actions.wait(desk, item_id, now + MINUTE)
    later = now + 60 * MINUTE
    done = actions.import_arrivals(desk, [_arrival("<b>", 30, "<a>")], later, source="mail: two")
    assert (done.updated, done.reopened) == ((item_id,), (item_id,))
    item = store.get(item_id)
    assert (item.status, item.clock_at) == ("open", later)


def test_a_person_learns_their_address(store: Store, now: datetime) -> None:
    desk = Desk(store)
    actions.add(desk, ItemFields(title="by hand", requester="Dana Reyes"), now)
    actions.import_arrivals(desk, [_arrival("<a>", 0)], now, source="mail: one")
    assert [(r.name, r.email) for r in store.requesters()] == [("Dana Reyes", "dana@corp.example")]
    other = _arrival("<b>", 0, who="dana@home.example")
    actions.import_arrivals(desk, [other], now, source="mail: two")
    assert len(store.requesters()) == 2  # the same name at another address: someone else


def test_merge_and_link_are_undone_whole(store: Store, now: datetime) -> None:
    desk = Desk(store)
    keep = _item(store, now, "Printer", requester="Dana", ref="INC-1", severity="low")
    other = _item(store, now + MINUTE, "Printer!", requester="dana@corp.example", ref="INC-2")
    actions.note(desk, other, "tray 2", now)
    before = transfer.export(store, now)
    merged = actions.merge(desk, keep, other, now + 2 * MINUTE)
    assert merged.item.severity == "normal"
    assert store.notes(keep)[0].text == "tray 2"
    assert store.ref_owners(["INC-2"]) == {"INC-2": keep}
    store.undo(now + 3 * MINUTE)
    assert comparable(transfer.export(store, now)) == comparable(before)
    spelling = store.get(keep).requester_id
    person = store.get(other).requester_id
    assert person is not None
    linked = actions.link_requesters(desk, "dana@corp.example", "Dana", now)
    assert linked.id == person
    assert store.items_by_requester(person) == [keep, other]
    assert spelling is not None
    assert store.items_by_requester(spelling) == []
    store.undo(now)
    assert comparable(transfer.export(store, now)) == comparable(before)
