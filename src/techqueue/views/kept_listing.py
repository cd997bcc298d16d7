"""``list --json`` from what the last whole listing kept, so that it does not read, explain
and write every item again.

A whole ``list --json`` of 10,000 items reads every open item, explains every rank and writes
some forty fields of each: nearly all of its time (docs/performance.md, item 23). Most of
what it writes of an item does not depend on the clock: the item's own fields, and the
reasons for its rank that are not about time (VIP, severity, impact, business, estimate,
bump). So a whole listing leaves in the cache directory, beside the kept queue
(:mod:`techqueue.views.kept_queue`), each item's JSON cut into those parts, with the journal
position it was read at. The next plain ``list --json`` takes up the kept queue (ranked at
its own moment, only what changed read again), forecasts it as a whole read does, and
writes each item from its kept parts and what the clock decides: its rank, score and waiting
reason, its ETAs, promise state, lateness and 3× deadline.

An item is written whole, from its record, as a whole listing writes it, wherever its kept
parts cannot say it: it changed since they were kept, or is not among them; it has a due
time, a promise or an appointment (their reasons are about time); the deadline guard placed
it; or the overload plan does not hold its 3× deadline. The parts are kept under everything
the text depends on: the kept queue's conditions (the same store, code, weights, working
hours, nothing since that can change more than the items it names), this module's and the
JSON writer's code, and the local time zone the times are written in. What is printed is
byte for byte what a whole listing prints (``tests/unit/test_kept_listing.py``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from itertools import repeat
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from techqueue.desk import Desk
from techqueue.views import kept_queue

if TYPE_CHECKING:
    from techqueue.scoring import Ranked
    from techqueue.views.text import Row

__all__ = ["HEAD", "MIDDLE", "RANKED", "TAIL", "TIMED", "listing_json"]

_FORMAT = 2
#: Items written whole (changed since their parts were kept) after which the parts are
#: kept again, so that the next listing writes none of them whole.
_REKEEP_AFTER = 8

#: An item's fields as the JSON contract orders them (:func:`techqueue.views.json.item_json`),
#: in the runs that are kept (``HEAD``, ``MIDDLE``, ``TAIL``) and the runs the clock decides
#: (``RANKED``, ``TIMED``).
HEAD = (
    "id",
    "title",
    "requester",
    "vip",
    "severity",
    "channel",
    "impact",
    "estimate_minutes",
    "status",
    "received_at",
    "created_at",
    "due_at",
    "started_at",
    "done_at",
    "tags",
    "ref",
    "pinned",
    "deferred_until",
)
RANKED = ("rank", "score", "reasons")
MIDDLE = ("bump", "promise_due_at", "drop_reason", "estimate_source", "estimate_samples")
TIMED = (
    "eta",
    "eta_finish",
    "promise_state",
    "late_minutes",
    "will_miss",
    "breach_at",
    "will_breach",
)
TAIL = ("cost", "appointment", "solution", "waiting_on", "assignee")
#: Where the runs are cut: the first key of each run after the first, as JSON text writes it
#: after the key before it.
_RANK_KEY, _BUMP_KEY, _ETA_KEY, _COST_KEY = (
    f',"{run[0]}":' for run in (RANKED, MIDDLE, TIMED, TAIL)
)

#: The reasons whose text or points depend on the clock or the queue: an item with any of
#: them besides its wait is written whole.
_TIMED_REASONS = frozenset({"appointment", "due", "promise", "guard", "mine"})

#: What is kept of an item: the text up to its rank; its reasons before the waiting one (each
#: with its comma); those after it, with the text from the end of its reasons to its ETA; and
#: the text after its 3× deadline. ``None``: it is always written whole.
Parts = tuple[str, str, str, str] | None


def listing_json(desk: Desk, now: datetime) -> Iterator[bytes]:
    """``list --json`` of the queue at ``now`` as compact JSON, one line, in pieces to be
    written as they come: from the kept parts when they can say it, otherwise from a whole
    read (whose parts are kept for the next). What can fail (reading the store and the kept
    parts) fails before the first piece: the rest is writing what was read."""
    found = _from_kept(desk, now)
    if found is not None:
        return found
    from techqueue.views.listing import read_listing

    listing = read_listing(desk, now, explain=True)
    listing.queue.flag_risks()
    texts = _written(desk, listing.rows, listing.queue.forecast)
    if listing.queue.journal_id is not None:
        _keep(desk, now, listing.queue.journal_id, listing.rows, texts)
    return _pieces(iter(texts))


def _written(desk: Desk, rows: Sequence[Row], forecast: Any) -> list[str]:
    """Each row as the JSON contract writes it, encoded on its own."""
    import orjson

    from techqueue.views.json import items_json

    written = items_json(rows, desk.settings.weights, forecast)
    dumps = orjson.dumps
    return [dumps(each).decode("utf-8") for each in written]


def _pieces(texts: Iterator[str]) -> Iterator[bytes]:
    """The items (their texts) as one JSON list, as ``orjson.dumps`` writes a list of them,
    with a newline: in pieces of :data:`_PIECE` items, each encoded as it is written (the ten
    megabytes of a listing are never held at once, nor joined, then encoded, then copied)."""
    first = next(texts, None)
    if first is None:
        yield b"[]\n"
        return
    batch = ["[" + first]
    for text in texts:
        if len(batch) == _PIECE:
            yield (",".join(batch) + ",").encode()
            batch.clear()
        batch.append(text)
    yield (",".join(batch) + "]\n").encode()


#: Items written in one piece.
_PIECE = 256


def _key(desk: Desk, now: datetime) -> str:
    """What the parts must have been kept under: the kept queue's key, this code's and the
    JSON writer's, and the local time zone every time is written in."""
    stamps = kept_queue.code_stamps(("views/json.py", "views/kept_listing.py"))
    zone = (
        os.environ.get("TZ"),
        os.environ.get("TZDIR"),
        time.tzname,
        time.timezone,
        time.altzone,
        _zone_file(),
    )
    return "|".join((str(_FORMAT), kept_queue.cache_key(desk, now), stamps, repr(zone)))


def _zone_file() -> str:
    """The file the C library reads the local zone's rules from (``TZ`` naming a zone, in
    ``TZDIR`` or the system's zone directory; else ``/etc/localtime``), as it is now: a
    tzdata update that rewrites a zone's past rules changes the times of a listing."""
    name = (os.environ.get("TZ") or "").removeprefix(":")
    if not name:
        path = "/etc/localtime"
    elif name.startswith("/"):
        path = name
    else:
        path = os.path.join(os.environ.get("TZDIR") or "/usr/share/zoneinfo", name)
    try:
        found = os.stat(path)
    except (OSError, ValueError):
        return "-"
    return f"{os.path.realpath(path)}:{found.st_ino}:{found.st_mtime_ns}:{found.st_size}"


def _path(desk: Desk) -> Path:
    """The kept parts' file: one per store file, beside the kept queue's."""
    return kept_queue.store_cache_path(desk, "listing", ".bin")


def _keep(
    desk: Desk, now: datetime, journal_id: int, rows: Sequence[Row], texts: list[str]
) -> None:
    """Keep the parts of each ranked row of a whole listing read at journal entry
    ``journal_id`` (``texts``: each row written)."""
    parts = {
        entry.id: _cut(text, entry)
        for (_, entry), text in zip(rows, texts, strict=True)
        if entry is not None
    }
    _write(desk, now, journal_id, parts)


def _write(desk: Desk, now: datetime, journal_id: int, parts: dict[int, Parts]) -> None:
    store = desk.store
    learned_from = tuple(sorted(desk.history().item_ids))
    header = (_key(desk, now), journal_id, learned_from, store.journal_mark(journal_id))
    kept_queue.write_kept(_path(desk), header, parts)


def _cut(text: str, entry: Ranked[Any]) -> Parts:
    """The kept parts of an item written as ``text`` (ranked as ``entry``), or ``None`` when
    its reasons are about time. Cut where its keys are: in JSON text a comma followed by a
    quote cannot stand inside a string (a quote there is escaped), so ``,"rank":`` is that
    key wherever it is found."""
    reasons = entry.reasons
    if reasons and reasons[-1].factor == "guard":
        reasons = reasons[:-1]  # (the guard's placing is said anew each time)
    factors = [reason.factor for reason in reasons]
    if factors.count("aging") != 1 or not _TIMED_REASONS.isdisjoint(factors):
        return None
    rank_at = text.find(_RANK_KEY)
    bump_at = text.find(_BUMP_KEY, rank_at)
    eta_at = text.find(_ETA_KEY, bump_at)
    cost_at = text.find(_COST_KEY, eta_at)
    if min(rank_at, bump_at, eta_at, cost_at) < 0:
        return None
    import orjson

    from techqueue.views.json import reason_json

    aging = factors.index("aging")
    encoded = [orjson.dumps(reason_json(reason)).decode("utf-8") for reason in reasons]
    before = "".join(each + "," for each in encoded[:aging])
    after = "".join("," + each for each in encoded[aging + 1 :])
    return (
        text[: rank_at + len(_RANK_KEY)],
        before,
        after + "]" + text[bump_at : eta_at + len(_ETA_KEY)],
        text[cost_at:],
    )


def _from_kept(desk: Desk, now: datetime) -> Iterator[bytes] | None:
    """The listing written from the kept queue and the kept parts, or ``None`` when they
    cannot say it (then the queue is read whole)."""
    store, settings = desk.store, desk.settings
    if store.team:
        return None
    found = kept_queue.read_kept(_path(desk))
    if found is None:
        return None
    (key, journal_id, learned_from, mark), body = found
    if key != _key(desk, now):
        return None
    changes = kept_queue.changed_since(store, journal_id, mark, learned_from)
    if changes is None:
        return None
    newest, changed = changes
    from techqueue.views.ranking import queue_view, spent_in_progress

    spent = spent_in_progress(desk, now)
    taken = kept_queue.taken_up(desk, now, spent)
    if taken is None:
        return None
    ranked, booked, active = taken
    with_records = kept_queue.with_records(desk, [], active, spent)
    if with_records is None:
        return None
    try:
        parts: dict[int, Parts] = body.load()
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(parts, dict):
        return None
    entries = list(ranked)
    forecast = queue_view(entries, with_records[1], booked, spent, now, settings).forecast
    start_bys, stand_in = forecast.overload.start_bys, kept_queue.StandIn
    listed = [entry for entry in entries if entry.item.status != "waiting"]
    whole = [
        entry
        for entry in listed
        if parts.get(entry.id) is None
        or entry.id in changed
        or entry.must_start_by is not None
        or not isinstance(entry.item, stand_in)
        or start_bys.get(entry.id) is None
    ]
    written: dict[int, str] = {}
    if whole:
        found_whole = _written_whole(desk, now, whole, active, spent, forecast)
        if found_whole is None:
            return None
        written = {entry.id: text for text, entry in found_whole}
        if len(whole) >= _REKEEP_AFTER:
            # Kept again at the newest position: what changed since and is not written now
            # (gone, or not listed) has no parts any more.
            for item_id in changed:
                parts.pop(item_id, None)
            parts.update((entry.id, _cut(text, entry)) for text, entry in found_whole)
            _write(desk, now, newest, parts)
    texts = _write_listed(desk, listed, parts, written, forecast)
    return None if texts is None else _pieces(texts)


def _write_listed(
    desk: Desk,
    listed: list[Ranked[Any]],
    parts: dict[int, Parts],
    written: dict[int, str],
    forecast: Any,
) -> Iterator[str] | None:
    """The text of each listed entry, made as it is written: as written whole when it was,
    otherwise from its kept parts and what the clock says (``None`` when the parts are not
    what this code keeps: found before anything is written). The hot loop of ``list
    --json``, so it goes a field at a time over every item (the interpreter's own loops,
    ``map`` and ``zip``, where it can), each value that many items share (a wait's reason
    and lateness, a time, a deadline) written once."""
    fast = [entry for entry in listed if entry.id not in written]
    ids = [entry.id for entry in fast]
    runs = list(map(parts.__getitem__, ids))
    if not all(type(four) is tuple and len(four) == 4 for four in runs):
        return None
    items = [entry.item for entry in fast]
    overload = forecast.overload
    late_ids = overload.late_ids
    late = ["true" if item_id in late_ids else "false" for item_id in ids]
    rows = zip(
        runs,
        map(_RANK, fast),
        _scores(fast),
        _waits(desk, fast, items),
        _etas(desk, forecast, ids),
        map(forecast.states.get, ids, repeat("none")),
        _misses(forecast, ids),
        _deadlines(desk, forecast, ids),
        late,
        strict=True,
    )
    texts = (  # (made as they are written: the ten megabytes are never all held)
        f'{head}{rank},"score":{score},"reasons":[{before}{aging}{after}{eta},'
        f'"eta_finish":{finish},"promise_state":"{state}","late_minutes":{lateness},'
        f'"will_miss":{miss},"breach_at":{breach},"will_breach":{will}{tail}'
        for (
            (head, before, after, tail),
            rank,
            score,
            (aging, lateness),
            (eta, finish),
            state,
            miss,
            breach,
            will,
        ) in rows
    )
    if not written:
        return texts
    return (next(texts) if (text := written.get(entry.id)) is None else text for entry in listed)


_RANK = attrgetter("rank")
_SCORE = attrgetter("score")
_SEVERITY = attrgetter("severity")
_STATUS = attrgetter("status")
_STARTED = attrgetter("started_at_text")
_WAITED = attrgetter("waited")


def _scores(entries: list[Ranked[Any]]) -> list[str]:
    """Each entry's score, as the JSON contract writes it (rounded to hundredths)."""
    return [
        repr(score) if 0.01 <= abs(score) < 1e15 else _number(score)
        for score in map(round, map(_SCORE, entries), repeat(2))
    ]


def _waits(desk: Desk, entries: list[Ranked[Any]], items: list[Any]) -> list[tuple[str, str]]:
    """Each entry's waiting reason (encoded) and its lateness, both from its severity, its
    wait and whether it can be late, made once for each of those that occurs."""
    import orjson

    from techqueue.scoring import aging_reason
    from techqueue.views.json import reason_json

    weights = desk.settings.weights
    working = desk.settings.hours is not None
    targets = weights.response_target_minutes
    keys = list(
        zip(
            map(_SEVERITY, items),
            map(_WAITED, entries),
            [
                status == "open" and started is None
                for status, started in zip(map(_STATUS, items), map(_STARTED, items), strict=True)
            ],
            strict=True,
        )
    )
    said: dict[tuple[str, float, bool], tuple[str, str]] = {}
    for key in dict.fromkeys(keys):
        severity, wait, can_be_late = key
        reason = aging_reason(weights, severity, wait, can_be_late, working)
        lateness = round(max(wait - targets[severity], 0.0), 1) if can_be_late else 0.0
        said[key] = (orjson.dumps(reason_json(reason)).decode(), _number(lateness))
    return list(map(said.__getitem__, keys))


def _etas(desk: Desk, forecast: Any, ids: list[int]) -> list[tuple[str, str]]:
    """Each item's ETA and finish, as JSON values (each time written once)."""
    from techqueue.views.json import _ItemWriter

    writer = _ItemWriter(desk.settings.weights, forecast)
    times = writer.eta_times
    if times is None:
        pairs = map(writer.eta, ids)
        return [
            ("null" if eta is None else f'"{eta}"', "null" if finish is None else f'"{finish}"')
            for eta, finish in pairs
        ]
    found = list(map(times.get, ids))
    stamp = writer.iso_timestamp
    texts = {
        moment: f'"{stamp(moment)}"'
        for moment in dict.fromkeys(moment for pair in found if pair is not None for moment in pair)
    }
    nothing = ("null", "null")
    return [nothing if pair is None else (texts[pair[0]], texts[pair[1]]) for pair in found]


def _misses(forecast: Any, ids: list[int]) -> list[str]:
    """Each item's time it will miss, as a JSON value (nearly always ``null``)."""
    misses = forecast.misses
    if not misses:
        return ["null"] * len(ids)
    import orjson

    from techqueue.views.json import _miss

    return [
        "null" if miss is None else orjson.dumps(_miss(miss)).decode()
        for miss in map(misses.get, ids)
    ]


def _deadlines(desk: Desk, forecast: Any, ids: list[int]) -> list[str]:
    """Each item's 3× deadline, as a JSON value, from the overload plan (which holds it for
    each entry written from its parts), each moment written once (``0.0`` and ``-0.0`` are
    one key: each of those written on its own)."""
    from techqueue.views.json import _ItemWriter

    overload = forecast.overload
    moment, iso = overload._moment_of, _ItemWriter(desk.settings.weights, forecast).iso
    bys = list(map(overload.start_bys.__getitem__, ids))
    texts = {by: f'"{iso(moment(by))}"' for by in dict.fromkeys(bys) if by}
    return [texts[by] if by else f'"{iso(moment(by))}"' for by in bys]


def _number(value: float) -> str:
    """A float as orjson writes it: as ``repr`` does in the range a score, a lateness or a
    reason's points rounded to hundredths is in (the tests hold the two to it), by orjson
    itself outside it (``1e-05`` is ``0.00001`` there)."""
    if value == 0 or 0.01 <= abs(value) < 1e15:
        return repr(value)
    import orjson

    return orjson.dumps(value).decode()


def _written_whole(
    desk: Desk,
    now: datetime,
    entries: list[Ranked[Any]],
    active: list[Any],
    spent: Any,
    forecast: Any,
) -> list[tuple[str, Ranked[Any]]] | None:
    """``entries`` written whole, as a whole listing writes them (their records read, their
    ranks explained, their promises' risks said), each with its entry; ``None`` when one is
    gone."""
    from techqueue.core.forecast import flag_risk
    from techqueue.scoring import explain_ranked

    found = kept_queue.with_records(desk, entries, active, spent)
    if found is None:
        return None
    places = found[0]
    settings = desk.settings
    explain_ranked(places, now, settings.weights, hours=settings.hours)
    for place in places:
        flag_risk(place, forecast)
    rows: list[Row] = [(place.item, place) for place in places]
    return list(zip(_written(desk, rows, forecast), places, strict=True))
