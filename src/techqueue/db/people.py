"""Who a name or an address is, and which item an external reference belongs to: the
look-ups every captured and imported interruption asks, in SQL either backend runs.

A person may be known by several spellings ("Dana", "dana@corp.example", "Dana Reyes"): a
requester row linked to another (``same_as``) is one of those spellings, and every look-up
answers with the person it points at. A reference (a ticket number, a Message-ID) belongs to
the item that carries it, or to the item a note carrying it was added to (an imported reply).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from techqueue import records
from techqueue.db.backends import Database

if TYPE_CHECKING:
    from techqueue.records import RequesterRecord

__all__ = ["find_person", "items_of", "people_called", "ref_owners"]

#: Each look-up names at most this many values in one statement: far below any backend's
#: limit on parameters (SQLite's was 999), and few enough statements for 10,000 mails.
_CHUNK = 500

#: The person a matching spelling points at (itself when it is linked to nobody).
_PERSON = (
    "SELECT DISTINCT person.* FROM requester AS spelling "
    "JOIN requester AS person ON person.id = COALESCE(spelling.same_as, spelling.id) "
)


def people_called(db: Database, who: str) -> list[RequesterRecord]:
    """Every person known by this name or address (any case), oldest first."""
    key = who.strip().lower()
    rows = db.query(
        f"{_PERSON}WHERE lower(spelling.name) = :key OR lower(spelling.email) = :key "
        "ORDER BY person.id",
        {"key": key},
    )
    return [records.RequesterRecord(**row) for row in rows]


def find_person(db: Database, name: str | None, email: str | None) -> RequesterRecord | None:
    """The person with this address, else the one with this name (any case; the oldest when
    several share it); ``None`` when neither is known."""
    for column, value in (("email", email), ("name", name)):
        if value is None or not value.strip():
            continue
        rows = db.query(
            f"{_PERSON}WHERE lower(spelling.{column}) = :key ORDER BY person.id LIMIT 1",
            {"key": value.strip().lower()},
        )
        if rows:
            return records.RequesterRecord(**rows[0])
    return None


def ref_owners(db: Database, refs: Iterable[str]) -> dict[str, int]:
    """The item each of ``refs`` belongs to (its own ref, or a note's); unknown refs are
    left out. When two items hold one ref (an import of old data may), the older wins."""
    wanted = list(dict.fromkeys(ref for ref in refs if ref))
    owners: dict[str, int] = {}
    for start in range(0, len(wanted), _CHUNK):
        names: dict[str, Any] = {
            f"r{index}": ref for index, ref in enumerate(wanted[start : start + _CHUNK])
        }
        marks = ", ".join(f":{name}" for name in names)
        rows = db.rows(
            f"SELECT ref, id FROM item WHERE ref IN ({marks}) "
            f"UNION ALL SELECT ref, item_id FROM note WHERE ref IN ({marks}) ORDER BY 2",
            names,
        )
        for ref, item_id in rows:
            owners.setdefault(ref, int(item_id))
    return owners


def items_of(db: Database, requester_id: int) -> list[int]:
    """The ids of every item of the requester row ``requester_id``, whatever their status."""
    rows = db.rows("SELECT id FROM item WHERE requester_id = :id ORDER BY id", {"id": requester_id})
    return [int(row[0]) for row in rows]
