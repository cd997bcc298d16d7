"""The ranked queue kept between commands, so that ``next`` and ``show`` do not read every
item.

A whole read of the queue reads every open item, learns the estimates of those without one,
and ranks them all: most of what ``next`` and ``show`` cost on a queue of 10,000. What the
ranking keeps of each item (:meth:`~techqueue.core.reranker.Reranker.kept`: the parts of its
score that do not depend on the clock, and a stand-in with the little the deadline guard,
the booked slots and the forecast read of it) is therefore left in the cache directory by
every whole read, with the journal position and the finished work it was learned from.
``next`` takes it up (:meth:`~techqueue.core.reranker.Reranker.taken_up`), ranks it at its
own moment, moves in it only the items the journal says were changed since, and reads the
records of the first places alone, to explain them and forecast their times
(:func:`first_places`). ``show`` (and ``eta ID``, ``answers ID``, an action's ``--json``)
does the same and reads the record of its item alone (:func:`placed`): its ETA is forecast
from the stand-ins of the places above it, and the overload plan (``breach_at``,
``will_breach``) is made over the stand-ins of the whole queue, as a whole read makes it.

It is taken up only where it cannot differ from a whole read:

- the same store (its file, device, inode and contents: a restore marks them anew), the same
  code, weights, working hours and time zone;
- the journal whole since its position, with no undo among the actions (anything may have
  changed) and no requester changed (a VIP flag moves every item of theirs; one added is no
  change);
- no work finished, reopened or corrected since (that changes the estimates learned for
  other items; an item finished with no work logged, or dropped, only leaves the queue),
  and not so many items changed that a whole read costs less;
- solo mode (a team's queue is each technician's own view of a shared store).

Otherwise the queue is read whole, and kept again. A cache that is missing, unreadable, of
another version or half-written only costs that whole read.
"""

from __future__ import annotations

import dataclasses
import marshal
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from techqueue import __version__
from techqueue.core.reranker import RankedRows, Reranker, kept_of
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES
from techqueue.paths import cache_path, write_cache
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked
from techqueue.store import Store

if TYPE_CHECKING:
    from techqueue.core.estimates import History
    from techqueue.core.settings import Settings

__all__ = [
    "KeptBody",
    "StandIn",
    "cache_key",
    "changed_since",
    "code_stamps",
    "first_places",
    "keep",
    "placed",
    "read_ahead",
    "read_kept",
    "store_cache_path",
    "taken_up",
    "used_files",
    "with_records",
    "write_kept",
]

_FORMAT = 4
#: More items changed since the queue was kept than this: a whole read costs less.
_MOST_CHANGED = 64
#: Journal entries after which a queue still good is written again at the new position, so
#: that the next command reads only the items changed since.
_REWRITE_AFTER = 16
#: Items changed since it was kept after which ``next`` keeps it again as it now is.
_REKEEP_AFTER_CHANGES = 8
#: The fields of :func:`_plain`.
_PLAIN_SIZE = 14


def _moment(place: int) -> Any:
    """A property reading the time kept at ``place`` (ISO text, with its offset)."""

    def read(self: tuple[Any, ...]) -> datetime | None:
        kept = self[place]
        return None if kept is None else datetime.fromisoformat(kept)

    return property(read)


class StandIn(tuple[Any, ...]):
    """An item as the kept queue holds it in place of its record: what the deadline guard,
    the appointments' slots and the forecast of the rows above an item (``show``) read of it
    (the estimate is the learned one in effect), and nothing else. A tuple as :func:`_plain`
    made it, read by name: made for every open item by every ``next``, it must cost next to
    nothing to make."""

    __slots__ = ()

    id = property(itemgetter(0))
    status = property(itemgetter(1))
    severity = property(itemgetter(2))
    estimate_minutes = property(itemgetter(3))
    estimate_source = property(itemgetter(4))
    estimate_samples = property(itemgetter(5))
    vip = property(itemgetter(6))
    pinned = property(itemgetter(7))
    impact = property(itemgetter(8))
    appointment_at = _moment(9)
    appointment_minutes = property(itemgetter(10))
    due_at = _moment(11)
    promise_due_at = _moment(12)
    started_at = _moment(13)
    #: When it was started, as kept (ISO text; ``None``: never), read without making a time.
    started_at_text = property(itemgetter(13))
    #: Minutes of work done on it (only an item in progress, :class:`_InProgress`, has any).
    spent_minutes: Any = 0.0


class _InProgress(StandIn):
    """An item in progress: the minutes worked on it so far follow what :func:`_plain` made."""

    __slots__ = ()

    spent_minutes = property(itemgetter(_PLAIN_SIZE))


def _stand_in(plain: tuple[Any, ...], spent: Mapping[int, float]) -> Any:
    """A kept item's stand-in, one in progress with the minutes worked on it so far."""
    worked = spent.get(plain[0])
    return StandIn(plain) if worked is None else _InProgress((*plain, worked))


def _plain(item: ItemRecord) -> tuple[Any, ...]:
    """What :class:`StandIn` is made from, as :mod:`marshal` writes it."""
    booked, due, promise, started = (
        item.appointment_at,
        item.due_at,
        item.promise_due_at,
        item.started_at,
    )
    return (
        item.id,
        item.status,
        item.severity,
        item.estimate_minutes,
        item.estimate_source,
        item.estimate_samples,
        item.vip,
        item.pinned,
        item.impact,
        None if booked is None else booked.isoformat(),
        item.appointment_minutes,
        None if due is None else due.isoformat(),
        None if promise is None else promise.isoformat(),
        None if started is None else started.isoformat(),
    )


def _plain_again(item: Any) -> tuple[Any, ...]:
    """What :func:`_plain` made of a stand-in's item (a record changed since: its own)."""
    if isinstance(item, StandIn):
        return tuple(item[:_PLAIN_SIZE])
    return _plain(item)


#: The source files whose arithmetic the kept numbers come from (in the package): a change to
#: one of them (a working copy edited without a new version) makes what was kept of no use.
_SOURCES = (
    "scoring.py",
    "core/reranker.py",
    "core/weights.py",
    "core/worktime.py",
    "core/timeparse.py",
    "core/estimates.py",
    "core/business.py",
    "views/ranking.py",
    "views/kept_queue.py",
)


def _code() -> str:
    """The sources' sizes and times, whether or not this command imported them."""
    return code_stamps(_SOURCES)


def code_stamps(names: Iterable[str]) -> str:
    """Each named source of the package (``views/json.py``), its modification time and size
    (``-`` when missing): what a cache of numbers or text those sources made is kept under,
    so that a working copy edited without a new version never trusts it."""
    package = os.path.dirname(os.path.dirname(__file__))
    stamps = []
    for name in names:
        try:
            found = os.stat(os.path.join(package, name))
        except OSError:
            stamps.append("-")
        else:
            stamps.append(f"{found.st_mtime_ns}:{found.st_size}")
    return ",".join(stamps)


def cache_key(desk: Desk, now: datetime) -> str:
    """What the kept queue must have been kept under to be taken up at ``now``: the
    settings it was ranked by are compared whole (a checksum of them can match another's)."""
    settings = desk.settings
    ranked_by = _settled((settings.weights, settings.hours, now.tzinfo))
    return "|".join((str(_FORMAT), __version__, _code(), desk.store.identity, ranked_by))


def _settled(value: object) -> str:
    """``repr`` of the ranking's settings with every set in one order. A set's order comes
    from its members' hashes, and a date's hash differs from one process to the next: the
    plain ``repr`` of the same holidays differed between two commands."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        inner = ", ".join(
            f"{field.name}={_settled(getattr(value, field.name))}"
            for field in dataclasses.fields(value)
        )
        return f"{type(value).__qualname__}({inner})"
    if isinstance(value, set | frozenset):
        return "{" + ", ".join(sorted(_settled(member) for member in value)) + "}"
    if isinstance(value, tuple | list):
        return "(" + ", ".join(_settled(member) for member in value) + ")"
    if isinstance(value, dict):
        pairs = sorted(f"{_settled(key)}: {_settled(item)}" for key, item in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)


def _path(desk: Desk) -> Path:
    """The kept queue's file: one per store file (what it was kept of is inside)."""
    return store_cache_path(desk, "queue", ".bin")


def store_cache_path(desk: Desk, kind: str, suffix: str) -> Path:
    """A cache file of ``kind`` kept for the store ``desk`` works on, one per store file: the
    kept queue (``queue-….bin``), and what the app keeps beside it."""
    store = desk.store
    where = store.identity if store.file is None else str(store.file.resolve())
    return cache_path(f"{kind}-{zlib.crc32(where.encode('utf-8', 'surrogatepass')):08x}{suffix}")


class KeptBody:
    """What a kept file holds after its header, taken apart when asked (:meth:`load`):
    a cache whose header does not fit is never taken apart. Read ahead (:func:`read_ahead`),
    it is taken apart already."""

    __slots__ = ("_data", "_loaded")

    def __init__(self, data: memoryview | None, loaded: Any = None) -> None:
        self._data = data
        self._loaded = loaded

    def load(self) -> Any:
        """Raises ``EOFError``, ``ValueError`` or ``TypeError`` as :func:`marshal.loads`
        does for bytes it cannot read."""
        return self._loaded if self._data is None else marshal.loads(self._data)


#: Kept files read ahead (:func:`read_ahead`), by path: the file as it was (its identity),
#: its header and what followed, taken apart. Each is taken once.
_READ_AHEAD: dict[str, tuple[tuple[int, ...], tuple[Any, ...], Any]] = {}
#: The kept files this process read or wrote, in order (:func:`used_files`).
_USED: dict[str, None] = {}


def read_kept(path: Path) -> tuple[tuple[Any, ...], KeptBody] | None:
    """The header of a kept queue and what follows it (``None``: none usable). Mapped, not
    read, and taken apart in memory: :func:`marshal.load` from a file asks it for every
    small object, and a copy of megabytes is as many fresh pages to fault in. (A file
    replaced while mapped stays as it was: caches are replaced whole.) Taken from what was
    read ahead when the file is still the one read."""
    name = os.fspath(path)
    ahead = _READ_AHEAD.pop(name, None)
    if ahead is not None:
        identity, header, loaded = ahead
        try:
            still = _identity(os.stat(name)) == identity
        except OSError:
            still = False
        if still:
            _USED[name] = None
            return header, KeptBody(None, loaded)
    found = _mapped(name)
    if found is None:
        return None
    _USED[name] = None
    return found[1], KeptBody(found[2])


def _mapped(name: str) -> tuple[tuple[int, ...], tuple[Any, ...], memoryview] | None:
    """A kept file mapped: its identity, its header and the bytes after it."""
    import mmap
    import stat

    try:
        # (never waiting on a named pipe put where a cache was: only a file is read)
        descriptor = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
        with open(descriptor, "rb"):  # (closes it)
            found = os.fstat(descriptor)
            if not stat.S_ISREG(found.st_mode):
                return None
            identity = _identity(found)
            data = memoryview(mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ))
        size = int.from_bytes(data[:4], "little")
        header = marshal.loads(data[4 : 4 + size])
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(header, tuple) or len(header) != 4:
        return None
    return identity, header, data[4 + size :]


def _identity(found: os.stat_result) -> tuple[int, ...]:
    """A file as it is: a cache is replaced whole (another inode), never written in place."""
    return (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)


def read_ahead(names: Iterable[str]) -> int:
    """Read and take apart the kept files ``names`` now, for this process's next command
    (the warm process's standby child: :mod:`techqueue.warm.server`): taking apart the
    megabytes of a kept queue and listing is a tenth of ``list --json``. One that is missing
    or unreadable is passed over; one replaced since is read again when asked for. How many
    were read."""
    for name in names:
        found = _mapped(name)
        if found is None:
            continue
        identity, header, data = found
        try:
            _READ_AHEAD[name] = (identity, header, marshal.loads(data))
        except (EOFError, ValueError, TypeError):
            continue
    return len(_READ_AHEAD)


def used_files() -> list[str]:
    """The kept files this process read or wrote: what the warm process reads ahead for the
    next command."""
    return list(_USED)


def write_kept(path: Path, header: tuple[Any, ...], kept: Any) -> None:
    head = marshal.dumps(header)
    write_cache(path, len(head).to_bytes(4, "little") + head + marshal.dumps(kept))
    _USED[os.fspath(path)] = None


def keep(
    desk: Desk, prepared: Iterable[ItemRecord], journal_id: int, history: History, now: datetime
) -> None:
    """Keep the queue a whole read ranked (``prepared``: every open item as it ranks, its
    learned estimate and business impact in effect), read at journal entry ``journal_id``
    with ``history``, for the next ``next``; unless what is kept already says the same."""
    store = desk.store
    if store.team:
        return
    path = _path(desk)
    key, learned_from = cache_key(desk, now), tuple(sorted(history.item_ids))
    found = read_kept(path)
    if found is not None:
        kept_key, kept_at, kept_from, kept_mark = found[0]
        if (
            (kept_key, kept_from) == (key, learned_from)
            and isinstance(kept_at, int)
            and 0 <= journal_id - kept_at < _REWRITE_AFTER
            and changed_since(store, kept_at, kept_mark, learned_from) is not None
        ):
            return  # (what was written since is read again by the next command: a few items)
    settings = desk.settings
    kept = kept_of(prepared, now, settings.weights, hours=settings.hours, plain=_plain)
    write_kept(path, (key, journal_id, learned_from, store.journal_mark(journal_id)), kept)


def changed_since(
    store: Store, journal_id: Any, mark: Any, learned_from: tuple[int, ...]
) -> tuple[int, dict[int, ItemRecord | None]] | None:
    """The journal's newest entry, and the items changed since entry ``journal_id`` (its
    mark ``mark``) as they are now (``None`` for one that is no longer); ``None`` when that
    entry is not this store's any more (the file overwritten by an older copy, or made
    again) or something written since may have changed more than they: the journal
    trimmed since, an undo, a requester changed,
    work finished, reopened or corrected (the estimates learned for others may differ), or
    so many items that a whole read costs less."""
    if not store.journal_continues(journal_id, mark):
        return None  # (another history reached the same entry numbers: a copy put back)
    newest, touched = store.touched_since(journal_id)
    if touched is None or "requester" in touched:
        return None
    changed_ids = touched.get("item", set())
    if len(changed_ids) > _MOST_CHANGED or any(item in learned_from for item in changed_ids):
        return None
    found = store.items_by_id(changed_ids) if changed_ids else {}
    closed = [item for item in found.values() if item.status not in OPEN_STATUSES]
    if closed and store.history_changed_by(closed):
        return None
    # (an item finished with no work logged, or dropped, left the queue and nothing else:
    # the history learns only from work done and logged)
    return newest, {
        item_id: None if item_id not in found or found[item_id] in closed else found[item_id]
        for item_id in sorted(changed_ids)
    }


def first_places(
    desk: Desk, now: datetime, limit: int, spent: Mapping[int, float], *, keep_again: bool = True
) -> tuple[list[Ranked[Any]], list[Any], ItemRecord | None] | None:
    """The first ``limit`` places of the queue at ``now``, from the kept queue: each entry
    with its item's record, as a whole read ranks it (learned estimate, business impact,
    ``spent`` work in effect; no reasons yet), the items held that may be booked (records
    or stand-ins, for the appointments' slots) and the job in hand (its record, learned
    estimate only); ``None`` when the kept queue cannot be used (then the queue is read
    whole). ``keep_again=False``: never written again here, even after many changes (the
    app's first rows, read before its first frame: the whole read that follows keeps the
    queue anyway)."""
    taken = taken_up(desk, now, spent, keep_again=keep_again)
    if taken is None:
        return None
    ranked, booked, active = taken
    found = with_records(desk, ranked[: max(limit, 0)], active, spent)
    if found is None:
        return None
    places, in_hand = found
    return places, booked, in_hand


def placed(
    desk: Desk, item_id: int, now: datetime, spent: Mapping[int, float]
) -> (
    tuple[
        Ranked[Any] | None, list[Ranked[Any]], Sequence[Ranked[Any]], list[Any], ItemRecord | None
    ]
    | None
):
    """Where item ``item_id`` stands in the queue at ``now``, from the kept queue (``show``):
    its entry, with its record as a whole read ranks it (no reasons yet; ``None`` when the
    queue does not rank it: deferred, finished, unknown), the places down to it (those above
    it with stand-ins, which carry what the forecast reads of a row: the ETA of an item
    depends on every row above it), the whole queue with the job in hand (for the overload
    plan, which plans the whole queue; its entries are made when the plan looks at them;
    empty when the item does not rank: the plan then says nothing of it), the items held
    that may be booked (for the appointments' slots) and the job in hand (as
    :func:`first_places`); ``None`` when the kept queue cannot be used (then the queue is
    read whole)."""
    taken = taken_up(desk, now, spent)
    if taken is None:
        return None
    ranked, booked, active = taken
    at = ranked.index_of(item_id)
    found = with_records(desk, [] if at is None else [ranked[at]], active, spent)
    if found is None:
        return None
    places, in_hand = found
    if at is None:
        return None, [], [], booked, in_hand
    entry = places[0]
    after: list[Ranked[Any]] = []
    if in_hand is not None and ranked.index_of(in_hand.id) is None:
        after.append(Ranked(in_hand.id, in_hand, 0, 0.0, "active"))
    return entry, [*ranked[:at], entry], _Queue(ranked, at, entry, after), booked, in_hand


class _Queue(Sequence[Ranked[Any]]):
    """The whole queue as taken up, ``entry`` at place ``at`` and ``after`` after it: the
    rows' entries made only when looked at (the overload plan of ``show --json`` looks at
    them all, the text of ``show`` at none)."""

    def __init__(
        self, rows: RankedRows[Any], at: int, entry: Ranked[Any], after: list[Ranked[Any]]
    ) -> None:
        self._rows, self._at, self._entry, self._after = rows, at, entry, after

    def __len__(self) -> int:
        return len(self._rows) + len(self._after)

    @overload
    def __getitem__(self, index: int) -> Ranked[Any]: ...
    @overload
    def __getitem__(self, index: slice) -> list[Ranked[Any]]: ...
    def __getitem__(self, index: int | slice) -> Ranked[Any] | list[Ranked[Any]]:
        if isinstance(index, slice):
            return [self[place] for place in range(*index.indices(len(self)))]
        place = index + len(self) if index < 0 else index
        if not 0 <= place < len(self):
            raise IndexError(index)
        if place == self._at:
            return self._entry
        size = len(self._rows)
        return self._rows[place] if place < size else self._after[place - size]

    def __iter__(self) -> Iterator[Ranked[Any]]:
        at, entry = self._at, self._entry
        for place, row in enumerate(self._rows):
            yield entry if place == at else row
        yield from self._after


def taken_up(
    desk: Desk, now: datetime, spent: Mapping[int, float], *, keep_again: bool = True
) -> tuple[RankedRows[Any], list[Any], list[Any]] | None:
    """The kept queue taken up and ranked at ``now``, as a whole read ranks it (the items
    the journal names as changed since read again and put in place of what was kept of
    them, ``spent`` work in effect; the other items are stand-ins), the items held that may
    be booked (for the appointments' slots) and those in progress (for the job in hand);
    ``None`` when it cannot be used. Kept again as it now is after many changes, unless
    ``keep_again`` is false."""
    store = desk.store
    if store.team:
        return None
    path = _path(desk)
    found = read_kept(path)
    if found is None:
        return None
    (key, journal_id, learned_from, mark), body = found
    if key != cache_key(desk, now):
        return None
    found_changes = changed_since(store, journal_id, mark, learned_from)
    if found_changes is None:
        return None
    newest, changed = found_changes
    settings = desk.settings
    moved = [
        _as_ranked(record, desk, settings, spent)
        for record in changed.values()
        if record is not None
    ]
    # (typed Any: the ranking holds stand-ins and records, and reads only what both have)
    stand_in: Callable[[tuple[Any, ...]], Any] = (
        partial(_stand_in, spent=spent) if spent else StandIn
    )
    try:
        kept = body.load()
        reranker, ranked = Reranker.taken_up(
            kept,
            stand_in,
            now,
            settings.weights,
            hours=settings.hours,
            changed=moved,
            gone=[item_id for item_id, record in changed.items() if record is None],
        )
    except (EOFError, ValueError, TypeError, IndexError):  # not what this code keeps
        return None
    if keep_again and (
        len(changed) >= _REKEEP_AFTER_CHANGES or newest - journal_id >= _REWRITE_AFTER
    ):
        # Kept again as it now is: the next command reads none of these again.
        again = (key, newest, learned_from, store.journal_mark(newest))
        write_kept(path, again, reranker.kept(_plain_again))
    return ranked, reranker.may_be_booked(), reranker.active()


def with_records(
    desk: Desk, entries: Sequence[Ranked[Any]], active: list[Any], spent: Mapping[int, float]
) -> tuple[list[Ranked[Any]], ItemRecord | None] | None:
    """``entries`` (of a kept queue taken up) each with its item's record as a whole read
    ranks it, and the job in hand, in one read of the records; ``None`` when one is gone."""
    store, settings = desk.store, desk.settings
    # The job in hand (the first active item in the store's order, the lowest id): its
    # record is read, as a whole read hands it over, with its learned estimate only.
    in_hand_of = {item.id: item for item in active}
    in_hand_id = min(in_hand_of, default=None)
    wanted = {entry.id for entry in entries if not isinstance(entry.item, ItemRecord)}
    if in_hand_id is not None:
        wanted.add(in_hand_id)
    records = store.items_by_id(wanted) if wanted else {}
    if not wanted <= records.keys():
        return None  # (gone meanwhile: not without a journal entry, but never guessed)
    places = []
    for entry in entries:
        item = entry.item
        if not isinstance(item, ItemRecord):
            item = _as_ranked(records[entry.id], desk, settings, spent, like=item)
        place = Ranked(entry.id, item, entry.rank, entry.score, entry.tier, (), entry.waited)
        place.must_start_by = entry.must_start_by
        places.append(place)
    in_hand = None
    if in_hand_id is not None:
        in_hand = _learned(records[in_hand_id], desk, in_hand_of[in_hand_id])
    return places, in_hand


def _learned(record: ItemRecord, desk: Desk, like: Any = None) -> ItemRecord:
    """``record`` with its learned estimate in effect: as what was kept of it (``like``, a
    stand-in or a record as it ranked, when the record has not changed since) says, or as
    learned from the technician's history."""
    if record.estimate_minutes is not None:
        return record
    if like is None:
        from techqueue.views.ranking import learned_copy

        return learned_copy(record, desk.history())
    if like.estimate_source != "history":
        return record
    return dataclasses.replace(
        record,
        estimate_minutes=like.estimate_minutes,
        estimate_source="history",
        estimate_samples=like.estimate_samples,
    )


def _as_ranked(
    record: ItemRecord, desk: Desk, settings: Settings, spent: Mapping[int, float], like: Any = None
) -> ItemRecord:
    """``record`` as a whole read ranks it (see :func:`techqueue.views.ranking.as_ranked`)."""
    from techqueue.views.ranking import as_ranked

    return as_ranked([_learned(record, desk, like)], None, settings, spent)[0]
