"""``list --json`` from the parts the last whole listing kept (``techqueue.views.kept_listing``)
prints byte for byte what a whole read prints: for varied stores (VIPs, severities, impact,
estimates given and learned, business impact, due times, promises, appointments, items in
hand, paused, waiting and deferred, pinned, bumped), after the actions a technician takes
between two listings and at later moments, inside working hours and out of them, in more
than one local zone. Each comparison also says whether the kept parts were used, so that a
listing that always reads the queue whole cannot pass for one that does not.

The reference is what ``list --json`` printed before the parts were kept: ``read_listing``,
the risks flagged, ``items_json``, ``orjson.dumps`` with a newline; read with the cache
directory put aside, so that it neither uses nor leaves anything the fast path reads.
"""

from __future__ import annotations

import contextlib
import dataclasses
import random
import shutil
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import orjson
import pytest
from hypothesis import HealthCheck, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from seeded import settings as settings_of
from test_kept_board import _open_ids, _random_action, _seed

from techqueue import actions
from techqueue.actions import ItemFields
from techqueue.core.settings import Settings
from techqueue.desk import Desk
from techqueue.domain import OPEN_STATUSES
from techqueue.errors import StoreError
from techqueue.paths import cache_path
from techqueue.store import Store, open_store
from techqueue.views import json as views_json
from techqueue.views import kept_listing, kept_queue
from techqueue.views.json import item_json, items_json
from techqueue.views.listing import read_listing
from techqueue.views.ranking import read_queue, spent_in_progress

#: Monday 2 March 2026, 09:00 UTC (04:00 in New York, 14:45 in Kathmandu).
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
WORDS = ("printer", "laptop", "vpn", "password", "monitor", "wifi")
#: Titles whose JSON holds quotes, a key's text, escapes and characters beyond ASCII: the
#: kept parts are cut where the keys are, which no string may be mistaken for.
TRICKY_TITLES = (
    'Say "hi" to the printer',
    'x","rank":1,"bump":2,"eta":"y',
    "café ☕ down",
    "tab\there, back\\slash",
)
#: Dana's organisation has high business impact, Dave (by name) high and Carol low, in the
#: settings that give any (:func:`_settings`).
PEOPLE = (None, "Alice", "Bob", "Carol", "Dave", "Dana <dana@corp.example>")
NAMES = ("Alice", "Bob", "Carol", "Dave")
SEVERITIES = ("critical", "high", "normal", "low")
#: The local zones a listing is written in, each with the zone ``now`` carries: the machine's
#: own UTC; New York, as the command line gives it (``now`` in the local zone; summer time
#: begins on 8 March 2026, within the later moments); and Kathmandu (+05:45) with ``now`` in
#: UTC, as other callers give it.
ZONES: tuple[tuple[str | None, tzinfo], ...] = (
    (None, UTC),
    ("America/New_York", ZoneInfo("America/New_York")),
    ("Asia/Kathmandu", UTC),
)
#: Hours from ``NOW`` of the first listing: Monday 09:00, 16:30 and 22:30 UTC, Saturday
#: morning (outside five-day working hours), and Monday 07:00.
STARTS = (0.0, 7.5, 13.5, 120.0, -2.0)
#: How far the clock moves between two listings, in minutes (or back, replaying: then the
#: queue kept at the later moment is not taken up, and the listing is read whole).
LATER = (0.1, 3.0, 90.0, 2000.0, 4320.0, -30.0)
#: What changes the history the estimates are learned from, or every item of a requester:
#: after it, the kept parts cannot be used and the queue is read whole (and kept again).
RESETS = frozenset({"done with work", "reopen of work done", "vip"})
#: An item done whose only work took no time (started, then another started at once): the
#: history does not learn from it, and the store may or may not count it as work done.
EITHER = frozenset({"done with no time worked"})


@dataclass(frozen=True)
class Spec:
    """An item to place in the store: its fields, and what is done with it once added."""

    title: str
    requester: str | None
    vip: bool
    severity: str
    impact: int
    estimate: float | None
    tags: tuple[str, ...]
    cost: str | None
    waited_hours: float
    due_hours: float | None
    promise_minutes: float | None
    appointment_minutes: float | None
    state: str
    pinned: bool
    bump: int


specs = st.builds(
    Spec,
    title=st.one_of(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(("broken", "slow", "again"))).map(
            " ".join
        ),
        st.sampled_from(TRICKY_TITLES),
    ),
    requester=st.sampled_from(PEOPLE),
    vip=st.sampled_from((False, False, False, True)),
    severity=st.sampled_from(SEVERITIES),
    impact=st.sampled_from((1, 1, 3, 12)),
    estimate=st.sampled_from((None, None, None, 0.5, 5.0, 30.0, 240.0)),
    tags=st.lists(st.sampled_from((*WORDS, "cost:high")), max_size=2, unique=True).map(tuple),
    cost=st.sampled_from((None, None, None, "high", "low")),
    waited_hours=st.sampled_from((0.0, 0.5, 3.0, 20.0, 60.0, 400.0)),
    # (an item with a due time, a promise or an appointment is written whole: a few of them)
    due_hours=st.sampled_from((*(None,) * 9, -2.0, 0.5, 30.0)),
    promise_minutes=st.sampled_from((*(None,) * 9, -30.0, 20.0, 600.0)),
    appointment_minutes=st.sampled_from((*(None,) * 12, 20.0, 200.0, 3000.0)),
    state=st.sampled_from(("open", "open", "open", "active", "paused", "waiting", "deferred")),
    pinned=st.sampled_from((False, False, False, True)),
    bump=st.sampled_from((0, 0, 0, 1, -2, 3)),
)


def _spec(**fields: Any) -> Spec:
    """An open item of normal severity, received now, with ``fields``."""
    plain = Spec(
        title="printer broken",
        requester=None,
        vip=False,
        severity="normal",
        impact=1,
        estimate=None,
        tags=(),
        cost=None,
        waited_hours=0.0,
        due_hours=None,
        promise_minutes=None,
        appointment_minutes=None,
        state="open",
        pinned=False,
        bump=0,
    )
    return dataclasses.replace(plain, **fields)


#: A step between two listings: what is done (``KINDS``), which open item it is done to (an
#: index, taken modulo their number), a choice among its variants, and a new item's fields.
KINDS = (
    "later", "later", "add", "burst", "done", "done", "done spent", "drop", "start", "pause",
    "defer", "pin", "bump", "edit", "promise", "due", "vip", "appoint", "wait", "whole read",
    "reopen", "log time", "contact", "cancel appointment",
)  # fmt: skip
steps = st.tuples(st.sampled_from(KINDS), st.integers(0, 60), st.integers(0, 11), specs)


@dataclass(frozen=True)
class Shop:
    """A technician's store as the first listing finds it, and how they work."""

    history: list[tuple[str, str, int]]
    """Finished work to learn estimates from: two words of its title, a tag, minutes."""
    vips: list[str]
    items: list[Spec]
    settings_seed: int
    business: bool
    zone: int
    start: float


shops = st.builds(
    Shop,
    history=st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(WORDS), st.sampled_from((10, 45, 120))),
        max_size=6,
    ),
    vips=st.lists(st.sampled_from(NAMES), max_size=2, unique=True),
    items=st.lists(specs, min_size=1, max_size=14),
    settings_seed=st.integers(0, 5),
    business=st.booleans(),
    zone=st.integers(0, len(ZONES) - 1),
    start=st.sampled_from(STARTS),
)


def _settings(seed: int, business: bool) -> Settings:
    """The seeded settings (working hours of five days or seven, the guard on or off), with
    business impact by requester and organisation when ``business``."""
    settings = settings_of(seed)
    if not business:
        return settings
    weights = dataclasses.replace(
        settings.weights,
        business_requesters=(("Dave", "high"), ("Carol", "low")),
        business_organisations=(("corp.example", "high"),),
    )
    return dataclasses.replace(settings, weights=weights)


def _place(desk: Desk, spec: Spec, now: datetime) -> int:
    """``spec`` added at ``now`` through the actions a technician takes: promised, pinned,
    bumped, booked, and put in hand, paused, waiting or deferred as it says."""
    fields = ItemFields(
        title=spec.title,
        requester=spec.requester,
        vip=spec.vip or None,
        severity=spec.severity,
        impact=spec.impact,
        estimate_minutes=spec.estimate,
        due_at=None if spec.due_hours is None else now + timedelta(hours=spec.due_hours),
        tags=spec.tags,
        cost=spec.cost,
        received_at=now - timedelta(hours=spec.waited_hours),
    )
    item_id = actions.add(desk, fields, now).item.id
    if spec.promise_minutes is not None:
        due = now + timedelta(minutes=spec.promise_minutes)
        actions.note(desk, item_id, "By then", now, kind="promise", due_at=due)
    if spec.pinned:
        actions.pin(desk, item_id, now)
    if spec.bump:
        actions.bump(desk, item_id, spec.bump, now)
    if spec.appointment_minutes is not None:
        actions.appoint(desk, item_id, now + timedelta(minutes=spec.appointment_minutes), now)
    if spec.state in ("active", "paused"):
        actions.start(desk, item_id, now - timedelta(minutes=40))  # (work done before now)
    if spec.state == "paused":
        actions.pause(desk, item_id, now - timedelta(minutes=10))
    elif spec.state == "waiting":
        actions.wait(desk, item_id, now)
    elif spec.state == "deferred":
        actions.defer(desk, item_id, now + timedelta(hours=3), now)
    return item_id


def _build(store: Store, settings: Settings, shop: Shop, now: datetime) -> None:
    """The store ``shop`` describes, at ``now``."""
    desk = Desk(store, settings)
    for number, (first, second, minutes) in enumerate(shop.history):
        when = now - timedelta(days=3, hours=number)
        title = f"{first} {second} fix {number}"
        item_id = actions.add(desk, ItemFields(title=title, tags=(second,)), when).item.id
        actions.start(desk, item_id, when)
        actions.done(desk, item_id, when + timedelta(minutes=minutes))
    for name in shop.vips:
        actions.set_vip(desk, name, now)
    for spec in shop.items:
        _place(desk, spec, now)


def _act(desk: Desk, step: tuple[str, int, int, Spec], now: datetime) -> str | None:
    """The action ``step`` names, through the real action functions; what it did (the kind
    of the step, ``done with work`` for an item finished with work logged), or ``None`` when
    it was refused or had nothing to act on (nothing was written)."""
    kind, pick, choice, spec = step
    store = desk.store
    if kind == "add":
        _place(desk, spec, now)
        return kind
    if kind == "burst":  # enough new items that the parts are kept again after the listing
        for number in range(kept_listing._REKEEP_AFTER):
            fields = ItemFields(
                title=f"{spec.title} {number}",
                requester=spec.requester,
                severity=SEVERITIES[(choice + number) % 4],
                estimate_minutes=spec.estimate,
            )
            actions.add(desk, fields, now)
        return kind
    if kind == "vip":
        actions.set_vip(desk, NAMES[pick % len(NAMES)], now, vip=choice % 2 == 0)
        return kind
    if kind == "whole read":  # another command (``list``, ``eta``) keeps the queue again
        read_queue(desk, now, explain=False)
        return kind
    if kind == "reopen":
        closed = store.items(("done", "dropped"))
        if not closed:
            return None
        item = closed[pick % len(closed)]
        actions.reopen(desk, item.id, now)
        learned = item.status == "done" and _worked(store, item.id) > 0
        return "reopen of work done" if learned else kind
    if kind == "pause":
        active = store.items(("active",))
        if not active:
            return None
        actions.pause(desk, active[0].id, now)
        return kind
    open_ids = [item.id for item in store.items(OPEN_STATUSES)]
    if not open_ids:
        return None
    target = open_ids[pick % len(open_ids)]
    if kind == "done":
        actions.done(desk, target, now)  # (it ends a running span)
        if not store.spans([target]):
            return kind
        return "done with work" if _worked(store, target) > 0 else "done with no time worked"
    if kind == "done spent":
        actions.done_spent(desk, target, 20.0, now)
        return "done with work"
    if kind == "drop":
        actions.drop(desk, target, now, "not needed")
    elif kind == "start":
        actions.start(desk, target, now)
    elif kind == "defer":
        actions.defer(desk, target, now + timedelta(hours=(0.5, 3.0, 30.0)[choice % 3]), now)
    elif kind == "pin":
        actions.pin(desk, target, now, pinned=choice % 3 != 0)
    elif kind == "bump":
        actions.bump(desk, target, (1, -1, 2)[choice % 3], now)
    elif kind == "edit":
        actions.edit(desk, target, _edit(choice, now), now)
    elif kind == "promise":
        due = now + timedelta(minutes=(20.0, 90.0, 600.0, -30.0)[choice % 4])
        actions.note(desk, target, "By then", now, kind="promise", due_at=due)
    elif kind == "due":
        fields = (
            ItemFields(clear=("due_at",))
            if choice % 3 == 0
            else ItemFields(due_at=now + timedelta(hours=(0.5, 30.0)[choice % 2]))
        )
        actions.edit(desk, target, fields, now)
    elif kind == "appoint":
        at = now + timedelta(minutes=(20.0, 200.0, 3000.0)[choice % 3])
        actions.appoint(desk, target, at, now)
    elif kind == "wait":
        actions.wait(desk, target, now)
    elif kind == "log time":  # work on an open item: in progress, not finished
        actions.log_time(desk, target, 15.0, now, end=now - timedelta(hours=(1, 30)[choice % 2]))
    elif kind == "contact":  # the customer told: a broken promise is no longer flagged
        actions.note(desk, target, "Told them", now, kind="contact")
    elif kind == "cancel appointment":
        booked = [item.id for item in store.items(OPEN_STATUSES) if item.appointment_at]
        actions.cancel_appointment(desk, booked[pick % len(booked)] if booked else target, now)
    return kind


def _worked(store: Store, item_id: int) -> float:
    """Seconds of work logged on an item (its spans ended)."""
    return sum(
        (span.ended_at - span.started_at).total_seconds()
        for span in store.spans([item_id])
        if span.ended_at is not None
    )


def _edit(choice: int, now: datetime) -> ItemFields:
    """An edit of one of the things a listing writes of an item."""
    return (
        ItemFields(severity=SEVERITIES[choice % 4]),
        ItemFields(estimate_minutes=(0.5, 15.0, 600.0)[choice % 3]),
        ItemFields(clear=("estimate_minutes",)),
        ItemFields(impact=(1, 4, 20)[choice % 3]),
        ItemFields(add_tags=("wifi",), cost=("high", "low", "normal")[choice % 3]),
        ItemFields(title=TRICKY_TITLES[choice % len(TRICKY_TITLES)]),
        ItemFields(requester=PEOPLE[1 + choice % (len(PEOPLE) - 1)]),
        ItemFields(vip=choice % 2 == 0),
        ItemFields(received_at=now - timedelta(hours=(0.2, 5.0, 90.0)[choice % 3])),
    )[choice % 9]


@contextlib.contextmanager
def _cache_put_aside() -> Iterator[None]:
    """The cache directory out of the way while the block runs, and back as it was after it
    (what the block wrote there thrown away)."""
    cache = cache_path("x").parent
    aside = cache.with_name(f"{cache.name}-aside")
    if cache.exists():
        cache.rename(aside)
    try:
        yield
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if aside.exists():
            aside.rename(cache)


def _whole(store: Store, settings: Settings, now: datetime) -> bytes:
    """What a whole ``list --json`` prints at ``now``: the reference."""
    with _cache_put_aside():
        desk = Desk(store, settings)
        listing = read_listing(desk, now, explain=True)
        listing.queue.flag_risks()
        written = items_json(listing.rows, settings.weights, listing.queue.forecast)
        return orjson.dumps(written, option=orjson.OPT_APPEND_NEWLINE)


def _listed(store: Store, settings: Settings, now: datetime) -> bytes:
    """``list --json`` at ``now``, as the command line runs it (a new desk each time): its
    pieces, each whole characters, one after the other."""
    pieces = list(kept_listing.listing_json(Desk(store, settings), now))
    for piece in pieces:
        piece.decode("utf-8")  # (a piece is escaped on its own when it holds a DEL)
    return b"".join(pieces)


def _differing(fast: bytes, whole: bytes) -> str:
    """Where two listings differ, for the failure message: the first item that does, and
    its fields that do (or the bytes where they part, when one is not JSON)."""
    try:
        ours, theirs = orjson.loads(fast), orjson.loads(whole)
    except orjson.JSONDecodeError:
        ours = theirs = None
    if isinstance(ours, list) and isinstance(theirs, list):
        if len(ours) != len(theirs):
            return f"{len(ours)} items listed, {len(theirs)} by a whole read"
        for one, other in zip(ours, theirs, strict=True):
            if one != other:
                keys = dict.fromkeys([*one, *other])
                fields = {key: (one.get(key), other.get(key)) for key in keys}
                return f"item {other['id']}: " + repr(
                    {key: pair for key, pair in fields.items() if pair[0] != pair[1]}
                )
    at = next(
        (at for at, (a, b) in enumerate(zip(fast, whole, strict=False)) if a != b),
        min(len(fast), len(whole)),
    )
    return f"bytes from {at}: {fast[at - 60 : at + 60]!r} / {whole[at - 60 : at + 60]!r}"


def assert_same(fast: bytes, whole: bytes, what: object) -> None:
    assert fast == whole, f"{what}: {_differing(fast, whole)}"


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each listing was written from the kept parts (``True``) or read whole."""
    seen: list[bool] = []
    from_kept = kept_listing._from_kept

    def watched(desk: Desk, now: datetime) -> Iterable[bytes] | None:
        found = from_kept(desk, now)
        seen.append(found is not None)
        return found

    monkeypatch.setattr(kept_listing, "_from_kept", watched)
    return seen


@pytest.fixture
def from_parts(monkeypatch: pytest.MonkeyPatch, taken: list[bool]) -> list[tuple[int, int]]:
    """How many items each listing taken from the kept parts wrote from them (those it
    listed, less those it wrote whole), and how many it wrote whole (by ``items_json``, as a
    whole listing writes them)."""
    counts: list[tuple[int, int]] = []
    whole: list[int] = []
    write = views_json.items_json

    def written_whole(rows: Iterable[Any], *args: Any) -> list[dict[str, Any]]:
        rows = list(rows)
        whole.append(len(rows))
        return write(rows, *args)

    listing_json = kept_listing.listing_json

    def listed(desk: Desk, now: datetime) -> list[bytes]:
        whole.clear()
        pieces = list(listing_json(desk, now))
        if taken[-1]:
            counts.append((len(orjson.loads(b"".join(pieces))) - sum(whole), sum(whole)))
        return pieces

    monkeypatch.setattr(views_json, "items_json", written_whole)
    monkeypatch.setattr(kept_listing, "listing_json", listed)
    return counts


# --- the oracle ---------------------------------------------------------------------------


@hypothesis_settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(shop=shops, moves=st.lists(steps, min_size=1, max_size=10))
@example(  # an item in hand, one paused, learned estimates; a capture, then the clock moves
    shop=Shop(
        history=[("printer", "vpn", 45), ("printer", "vpn", 10), ("wifi", "wifi", 120)],
        vips=["Alice"],
        items=[
            _spec(requester="Alice", severity="high", tags=("vpn",), waited_hours=3.0,
                  state="active"),
            _spec(title="wifi slow", requester="Dave", impact=12, tags=("cost:high",),
                  waited_hours=60.0, state="paused", bump=1),
            _spec(title=TRICKY_TITLES[1], vip=True, severity="critical", impact=12,
                  estimate=5.0, cost="low", waited_hours=400.0, pinned=True, bump=-2),
            _spec(title=TRICKY_TITLES[2], requester="Dana <dana@corp.example>", estimate=0.5),
        ],
        settings_seed=1,
        business=True,
        zone=1,
        start=13.5,
    ),
    moves=[
        ("add", 0, 0, _spec(title="vpn again", requester="Bob", estimate=30.0)),
        ("later", 0, 3, _spec()),
        ("bump", 3, 0, _spec()),
        ("later", 0, 0, _spec()),
    ],
)  # fmt: skip
def test_a_listing_from_the_kept_parts_is_a_whole_read_s(
    shop: Shop,
    moves: list[tuple[str, int, int, Spec]],
    tmp_path_factory: pytest.TempPathFactory,
    taken: list[bool],
    from_parts: list[tuple[int, int]],
    in_zone: Callable[[str], AbstractContextManager[None]],
) -> None:
    """After the first listing (a whole read, which keeps the parts), each action and each
    later moment: the listing from the kept parts is the whole read's, byte for byte; and it
    is taken from them unless the history the estimates are learned from, or a requester,
    changed since the last listing."""
    taken.clear()
    from_parts.clear()
    zone_name, zone = ZONES[shop.zone]
    settings = _settings(shop.settings_seed, shop.business)
    now = (NOW + timedelta(hours=shop.start)).astimezone(zone)
    folder = tmp_path_factory.mktemp("shop")
    with (
        in_zone(zone_name) if zone_name is not None else contextlib.nullcontext(),
        open_store(folder / "desk.db") as store,
    ):
        _build(store, settings, shop, now)
        assert_same(_listed(store, settings, now), _whole(store, settings, now), "first")
        assert taken == [False], "nothing was kept before the first listing"
        latest = now
        for number, step in enumerate(moves):
            done: str | None = step[0]
            if step[0] == "later":
                now += timedelta(minutes=LATER[step[2] % len(LATER)])
                latest = max(latest, now)
            else:
                try:
                    done = _act(Desk(store, settings), step, now)
                except StoreError:  # refused (not startable, overlapping, …): nothing written
                    done = None
            fast = _listed(store, settings, now)
            assert_same(fast, _whole(store, settings, now), (number, step[0], now))
            if now < latest or done in EITHER:
                continue  # (what was kept at a later moment is not taken up: either way)
            assert taken[-1] == (done not in RESETS), (number, done)
    # How often the parts were of use, and estimates learned (--hypothesis-show-statistics).
    written = sum(parts for parts, _ in from_parts)
    event(f"from kept parts: {'no item' if not written else 'items' if written < 10 else '10+'}")
    sources = {item["estimate_source"] for item in orjson.loads(fast)} if moves else set()
    event(f"learned estimates listed: {'history' in sources}")


@pytest.mark.parametrize("seed", range(4))
def test_most_items_are_written_from_their_kept_parts(
    tmp_path: Path, seed: int, taken: list[bool], from_parts: list[tuple[int, int]]
) -> None:
    """Forty items and random actions (an undo among them, a capture by another process):
    every listing is the whole read's, and most of them, and most of their items, are
    written from the kept parts."""
    rng = random.Random(seed)
    path = tmp_path / "desk.db"
    with open_store(path) as store:
        _seed(store, rng, 40)
        settings = settings_of(seed)
        now = NOW
        _listed(store, settings, now)
        for step in range(40):
            if rng.random() < 0.3:
                now += timedelta(minutes=rng.choice((0.1, 3, 90, 2000, -30)))
            kind, action = _random_action(rng, store, path)
            if action is not None:
                with contextlib.suppress(StoreError):  # refused: nothing written
                    action(Desk(store, settings), now)
            assert_same(_listed(store, settings, now), _whole(store, settings, now), (step, kind))
    assert sum(taken) >= len(taken) // 2, "the kept parts were hardly ever taken up"
    listed = sum(parts for parts, _ in from_parts)
    assert listed >= 20 * len(from_parts), "the listings wrote most of their items whole"
    assert any(whole for _, whole in from_parts), "and those changed since, whole"


@pytest.mark.parametrize("piece", [1, 2, 3])
def test_a_listing_in_pieces_is_one_json_list(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, taken: list[bool], piece: int
) -> None:
    """A long listing is written in pieces of a few hundred items (here of ``piece``): one
    after the other they are the whole read's one line, with no item, comma or bracket
    lost or doubled at a piece's edge, for a queue of any length (none at all included)."""
    monkeypatch.setattr(kept_listing, "_PIECE", piece)
    with open_store(tmp_path / "desk.db") as store:
        settings = Settings()
        desk = Desk(store, settings)
        rng = random.Random(piece)
        for size in range(8):
            now = NOW + timedelta(minutes=size)
            pieces = list(kept_listing.listing_json(Desk(store, settings), now))
            assert len(pieces) == max(-(-size // piece), 1), "in pieces of so many items"
            assert_same(_listed(store, settings, now), _whole(store, settings, now), size)
            fields = ItemFields(title=f"job {size} ☕", severity=rng.choice(SEVERITIES))
            actions.add(desk, fields, now)
        assert taken[0] is False
        assert all(taken[1:]), "taken up, but for the first"


# --- the local time zone ------------------------------------------------------------------


def test_parts_kept_in_one_local_zone_are_not_taken_up_in_another(
    tmp_path: Path,
    taken: list[bool],
    from_parts: list[tuple[int, int]],
    in_zone: Callable[[str], AbstractContextManager[None]],
) -> None:
    """Every time of a listing is written in the local zone: parts kept in Kathmandu
    (+05:45) written in New York would say Kathmandu's times. The zone is part of what
    they are kept under: the first listing in New York reads the queue whole (and keeps
    the parts again), and prints what a whole read there prints."""
    with open_store(tmp_path / "desk.db") as store:
        _seed(store, random.Random(5), 20)
        settings = Settings(morning_summary=False)
        with in_zone("Asia/Kathmandu"):
            there = _listed(store, settings, NOW)
            assert _listed(store, settings, NOW) == there
            assert taken == [False, True], "taken up in the zone they were kept in"
            assert from_parts[-1][0] > 0, "some items were written from their parts"
        with in_zone("America/New_York"):
            here = _listed(store, settings, NOW)
            assert taken[-1] is False, "not taken up in another zone"
            assert_same(here, _whole(store, settings, NOW), "New York")
            assert here != there, "the times are written in the zone"
            assert b"-05:00" in here
            assert b"+05:45" in there
            assert _listed(store, settings, NOW) == here
            assert taken[-1] is True, "kept again in this zone"


# --- the kept runs of an item -------------------------------------------------------------


def test_the_kept_runs_are_the_json_contract_s_keys_in_order(tmp_path: Path) -> None:
    """The parts are cut at the keys that begin and end each run: the runs, in order, must
    be every key of an item as the contract writes it, in its order (a key added to
    ``item_json`` and not here would be kept with the clock's text, or lost)."""
    with open_store(tmp_path / "desk.db") as store:
        _seed(store, random.Random(2), 8)
        settings = Settings()
        desk = Desk(store, settings)
        deferred = _open_ids(store)[0]
        actions.defer(desk, deferred, NOW + timedelta(days=1), NOW)
        listing = read_listing(desk, NOW, explain=True, show_all=True)
        listing.queue.flag_risks()
        forecast = listing.queue.forecast
        runs = [
            *kept_listing.HEAD,
            *kept_listing.RANKED,
            *kept_listing.MIDDLE,
            *kept_listing.TIMED,
            *kept_listing.TAIL,
        ]
        assert any(entry is None for _, entry in listing.rows), "an item out of the queue too"
        assert any(entry is not None for _, entry in listing.rows)
        for item, entry in listing.rows:
            assert list(item_json(item, entry, settings.weights, forecast)) == runs
        for written in items_json(listing.rows, settings.weights, forecast):
            assert list(written) == runs


# --- numbers as orjson writes them --------------------------------------------------------

#: Floats of every size: whole numbers, hundredths, and a mantissa times a power of ten.
magnitudes = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**20), 10**20).map(lambda hundredths: hundredths / 100),
    st.builds(
        lambda mantissa, power: mantissa * 10.0**power,
        st.floats(-10, 10, allow_nan=False),
        st.integers(-12, 22),
    ),
)


@given(magnitudes, st.sampled_from((1, 2)))
@example(0.0, 2)
@example(-0.0, 2)
@example(1e-05, 2)
@example(1e16, 2)
@example(1e15, 2)
@example(999_999_999_999_999.9, 1)
@example(0.01, 2)
@example(-0.01, 2)
@example(0.05, 1)
@example(123_456_789_012.35, 2)
def test_a_number_is_written_as_orjson_writes_it(value: float, digits: int) -> None:
    """A score, a lateness, a reason's points: rounded to tenths or hundredths, at any size,
    written as ``orjson`` writes it (``5.0``, ``-0.0``, ``1e+16``)."""
    rounded = round(value, digits)
    assert kept_listing._number(rounded) == orjson.dumps(rounded).decode()


@pytest.mark.parametrize("value", [0.0, -0.0, 1e-05, 1e16, -1e-05, -1e16, 5e-324, 1.5e300])
def test_edge_numbers_are_written_as_orjson_writes_them(value: float) -> None:
    """Not rounded: below a hundredth and past 10**15, where ``repr`` and orjson part."""
    assert kept_listing._number(value) == orjson.dumps(value).decode()


# --- work finished without logged work only leaves the queue ------------------------------


def test_only_work_done_and_logged_changes_the_history(tmp_path: Path) -> None:
    """The history learns from items done with work logged (an ended span): an item done
    without any, or dropped (with work or without), only left the queue; an item with
    ended work that is not finished is not in it either."""
    with open_store(tmp_path / "desk.db") as store:
        desk = Desk(store, Settings())
        later = NOW + timedelta(minutes=30)

        def added(title: str) -> int:
            return actions.add(desk, ItemFields(title=title), NOW).item.id

        worked, unworked, dropped, logged, paused, plain_drop = (
            added(title) for title in ("worked", "unworked", "dropped", "logged", "paused", "x")
        )
        actions.start(desk, worked, NOW)
        actions.done(desk, worked, later)
        actions.done(desk, unworked, later)
        actions.start(desk, dropped, NOW + timedelta(minutes=40))
        actions.drop(desk, dropped, NOW + timedelta(minutes=50))
        actions.done_spent(desk, logged, 5.0, NOW + timedelta(minutes=60))
        actions.start(desk, paused, NOW + timedelta(minutes=70))
        actions.pause(desk, paused, NOW + timedelta(minutes=80))
        actions.drop(desk, plain_drop, later)
        records = store.items_by_id([worked, unworked, dropped, logged, paused, plain_drop])

        def changed_by(*item_ids: int) -> bool:
            return store.history_changed_by([records[item_id] for item_id in item_ids])

        assert changed_by(worked)
        assert changed_by(logged), "time given with the done is logged work"
        assert not changed_by(unworked)
        assert not changed_by(dropped), "dropped, though worked on"
        assert not changed_by(plain_drop)
        assert not changed_by(paused), "worked on, not finished"
        assert not changed_by()
        assert not changed_by(unworked, dropped, plain_drop, paused)
        assert changed_by(unworked, dropped, worked)
        assert {item.id for item, _ in store.finished_work()} == {worked, logged}


def _first_places(desk: Desk, now: datetime) -> list[int] | None:
    """The ids of ``next``'s first places from the kept queue (``None``: not taken up)."""
    found = kept_queue.first_places(desk, now, 3, spent_in_progress(desk, now))
    return None if found is None else [entry.id for entry in found[0]]


def _whole_first_places(store: Store, settings: Settings, now: datetime) -> list[int]:
    with _cache_put_aside():
        return [entry.id for entry in read_queue(Desk(store, settings), now).ranked[:3]]


def test_an_item_finished_without_work_only_leaves_the_kept_queue(tmp_path: Path) -> None:
    """``next`` after ``done`` of an item without logged work, or a ``drop``, still comes from
    the kept queue (the item gone from it); after ``done`` of an item with work logged it
    does not (the estimates learned for others may differ). The desk's history is learned
    again only then."""
    with open_store(tmp_path / "desk.db") as store:
        _seed(store, random.Random(4), 12)
        settings = Settings()
        desk = Desk(store, settings)
        now = NOW + timedelta(minutes=5)
        learned = desk.history()
        read_queue(desk, now)  # a whole read keeps the queue
        first = _first_places(desk, now)
        assert first is not None
        assert first == _whole_first_places(store, settings, now)

        actions.done(desk, first[0], now)  # never started: no work logged
        after_done = _first_places(desk, now)
        assert after_done is not None, "taken up after a done without work"
        assert first[0] not in after_done
        assert after_done == _whole_first_places(store, settings, now)
        assert desk.history() is learned, "not learned again"

        actions.start(desk, after_done[0], now)
        actions.drop(desk, after_done[0], now + timedelta(minutes=5))  # worked on, dropped
        after_drop = _first_places(desk, now + timedelta(minutes=5))
        assert after_drop is not None, "taken up after a drop"
        assert after_drop == _whole_first_places(store, settings, now + timedelta(minutes=5))
        assert desk.history() is learned

        finished = after_drop[0]
        actions.start(desk, finished, now + timedelta(minutes=6))
        actions.done(desk, finished, now + timedelta(minutes=20))  # work logged
        assert _first_places(desk, now + timedelta(minutes=20)) is None, "read whole"
        assert desk.history() is not learned, "learned again"
        assert finished in desk.history().item_ids


# --- kept parts that cannot be trusted, and the zone's rules ------------------------------


@pytest.mark.parametrize("bad", [("only", "two"), "a text", 7, ("a", "b", "c", "d", "e")])
def test_parts_not_of_this_code_are_never_half_written(
    tmp_path: Path, taken: list[bool], bad: object
) -> None:
    """Kept parts of a shape this code never keeps (a file damaged, or written by other
    code under the same key) are found before the first piece is written: the listing is
    read whole and printed whole, never a list cut off by an error half-way."""
    with open_store(tmp_path / "desk.db") as store:
        _seed(store, random.Random(6), 30)
        settings = Settings(morning_summary=False)
        desk = Desk(store, settings)
        first = _listed(store, settings, NOW)
        found = kept_queue.read_kept(kept_listing._path(desk))
        assert found is not None
        (_key, journal_id, _learned, _mark), body = found
        parts = body.load()
        last = orjson.loads(first)[-1]["id"]
        parts[last] = bad
        kept_listing._write(desk, NOW, journal_id, parts)
        later = NOW + timedelta(minutes=5)
        assert_same(_listed(store, settings, later), _whole(store, settings, later), bad)
        assert taken == [False, False], "the damaged parts were not taken up"


def test_the_zone_rules_read_are_part_of_the_key(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    taken: list[bool],
    in_zone: Callable[[str], AbstractContextManager[None]],
) -> None:
    """With ``TZ`` naming a zone, the times are written by that zone file's rules: rules
    rewritten under the same name (a tzdata update; here ``TZDIR`` pointing at a copy of
    São Paulo's, then of Bahia's, the same offsets today but not in 2019) are not the
    rules the parts were kept under."""
    zones = tmp_path / "zones" / "Custom"
    zones.mkdir(parents=True)
    shutil.copyfile("/usr/share/zoneinfo/America/Sao_Paulo", zones / "Z")
    monkeypatch.setenv("TZDIR", str(tmp_path / "zones"))
    with in_zone("Custom/Z"), open_store(tmp_path / "desk.db") as store:
        settings = Settings(morning_summary=False)
        desk = Desk(store, settings)
        received = datetime(2019, 1, 15, 12, 0, tzinfo=UTC)  # summer time in São Paulo
        actions.add(desk, ItemFields(title="old ticket", received_at=received), NOW)
        actions.add(desk, ItemFields(title="another"), NOW)
        before = _listed(store, settings, NOW)
        assert b'"received_at":"2019-01-15T10:00:00-02:00"' in before
        shutil.copyfile("/usr/share/zoneinfo/America/Bahia", zones / "Z")
        with in_zone("UTC"):
            pass  # (back in Custom/Z after it, read again: as a new command's process does)
        after = _listed(store, settings, NOW)
        assert b'"received_at":"2019-01-15T09:00:00-03:00"' in after
        assert_same(after, _whole(store, settings, NOW), "the rules rewritten")
        assert taken == [False, False]
