"""The command line: the stable contract of DESIGN.md, built with Typer.

Start-up time matters (``add`` and ``next`` run dozens of times a day), so only the command
being run is assembled into the Typer app, heavy modules are imported inside the commands that
need them, and the pydantic config model is skipped when its validated cache is current.
Every failure is one line on stderr and an exit status: 2 for bad input, 1 for the rest.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from techqueue.core.estimates import History
    from techqueue.core.settings import Settings
    from techqueue.scoring import Ranked
    from techqueue.store import ItemChanges, ItemRecord, Store

__all__ = ["main", "run"]

PROG = "techqueue"


class Failure(Exception):
    """A command failed in an expected way: print the message, exit with the code."""

    def __init__(self, message: str, code: int = 1) -> None:
        super().__init__(message)
        self.code = code


def _bad(message: str) -> NoReturn:
    raise Failure(message, 2)


@dataclass
class Env:
    """What every command may need, each made on first use."""

    db: str | None = None
    _store: Store | None = field(default=None, repr=False)
    _settings: Settings | None = field(default=None, repr=False)
    _now: datetime | None = field(default=None, repr=False)
    _history: tuple[int, History] | None = field(default=None, repr=False)

    @property
    def now(self) -> datetime:
        if self._now is None:
            from techqueue.clock import ClockError, now

            try:
                self._now = now()
            except ClockError as error:
                _bad(str(error))
        return self._now

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from techqueue.config.loader import load

            self._settings = load()
        return self._settings

    @property
    def store(self) -> Store:
        if self._store is None:
            from techqueue.store import open_store

            self._store = open_store(self.db)
            self._store.span_cutoff = self._span_cutoff
        return self._store

    @property
    def history(self) -> History:
        """Finished work to learn estimates from, learned once per state of the store (a
        command that ranks and then advises reads it once)."""
        change = self.store.last_change()
        if self._history is None or self._history[0] != change:
            from techqueue.queue import learn

            self._history = (change, learn(self.store))
        return self._history[1]

    def _span_cutoff(self, started_at: datetime) -> datetime:
        """The end of the working day a span started in (settings read only when needed)."""
        from techqueue.core.workday import cutoff_rule

        settings = self.settings
        return cutoff_rule(settings.hours, settings.day_boundary)(started_at)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


ENV = Env()

# --- shared option types ---------------------------------------------------------------------

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
#: The largest number SQLite stores: an id beyond it cannot name anything.
MAX_ID = 2**63 - 1
ItemId = Annotated[
    int, typer.Argument(help="The item's number.", min=1, max=MAX_ID, show_default=False)
]


def _echo(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _note(text: str) -> None:
    sys.stderr.write(text + "\n")


def _print_json(data: Any) -> None:
    """Indented for a person at a terminal; compact, and encoded by orjson, for a pipe."""
    if sys.stdout.isatty():
        _echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    import orjson

    encoded = orjson.dumps(data, option=orjson.OPT_APPEND_NEWLINE)
    binary = getattr(sys.stdout, "buffer", None)
    if binary is None:
        sys.stdout.write(encoded.decode("utf-8"))
        return
    sys.stdout.flush()
    binary.write(encoded)
    binary.flush()


def _when(text: str, *, past: bool = False, what: str = "time") -> datetime:
    from techqueue.core.timeparse import TimeParseError, parse_when

    try:
        return parse_when(text, ENV.now, ENV.settings.hours, past=past)
    except TimeParseError as error:
        _bad(f"{what}: {error}")


def _duration(text: str) -> float:
    from techqueue.core.timeparse import TimeParseError, parse_duration

    try:
        return parse_duration(text)
    except TimeParseError as error:
        _bad(f"--estimate: {error}")


def _label(item: ItemRecord) -> str:
    from techqueue.display import clean

    return f"#{item.id} {clean(item.title)}"


# --- the registry: each command registers itself only when it is the one being run ----------

_COMMANDS: dict[str, tuple[Callable[[typer.Typer], None], Callable[..., Any]]] = {}


def command(
    name: str, example: str, **settings: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``function`` as the command ``name``; ``example`` ends its --help."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        doc = (function.__doc__ or "").strip()
        help_text = f"{doc}\n\nExample:\n\n    {example}"

        def register(app: typer.Typer) -> None:
            app.command(name, help=help_text, **settings)(function)

        _COMMANDS[name] = (register, function)
        return function

    return decorate


# --- capture -------------------------------------------------------------------------------


def _changes(
    text: list[str] | None,
    *,
    from_: str | None,
    vip: bool | None,
    severity: str | None,
    channel: str | None,
    estimate: str | None,
    impact: int | None,
    due: str | None,
    received: str | None,
    tag: list[str] | None,
    ref: str | None,
) -> ItemChanges:
    """Quick-add tokens in TEXT, then the options on top (options win)."""
    from techqueue.core.quickadd import QuickAddError, parse, parse_channel, parse_severity
    from techqueue.core.text import clean_text
    from techqueue.store import ItemChanges

    changes = ItemChanges()
    if text:
        try:
            draft = parse(" ".join(text), ENV.now, ENV.settings)
        except QuickAddError as error:
            _bad(str(error))
        changes = ItemChanges.from_draft(draft)
    try:
        if severity is not None:
            changes.severity = parse_severity(severity)
        if channel is not None:
            changes.channel = parse_channel(channel)
    except ValueError as error:
        _bad(str(error))
    if from_ is not None:
        changes.requester = clean_text(from_) or _bad("--from: a requester needs a name")
    if vip:
        changes.vip = True
    if estimate is not None:
        changes.estimate_minutes = _duration(estimate)
    if impact is not None:
        changes.impact = impact
    if due is not None:
        changes.due_at = _when(due, what="--due")
    if received is not None:
        changes.received_at = _when(received, past=True, what="--received")
        if changes.received_at > ENV.now:
            _bad("--received: that time is in the future")
    if tag:
        from techqueue.domain import is_tag

        extra = []
        for word in tag:
            cleaned = word.strip().lstrip("#").lower()
            if not is_tag(cleaned):
                _bad(f"--tag: {clean_text(word)!r} is not a tag (one word starting with a letter)")
            extra.append(cleaned)
        changes.add_tags = tuple(dict.fromkeys((*changes.add_tags, *extra)))
    if ref is not None:
        changes.ref = clean_text(ref) or _bad("--ref: a reference cannot be empty")
    return changes


FromOpt = Annotated[str | None, typer.Option("--from", help="Who asked (name or email).")]
VipOpt = Annotated[bool, typer.Option("--vip", help="A VIP item: it is seen first.")]
SeverityOpt = Annotated[
    str | None, typer.Option("--severity", help="critical, high, normal or low.")
]
ChannelOpt = Annotated[
    str | None, typer.Option("--channel", help="desk, phone, ticket, email, chat or other.")
]
EstimateOpt = Annotated[str | None, typer.Option("--estimate", help="How long: 90s, 5m, 1h30m.")]
ImpactOpt = Annotated[
    int | None, typer.Option("--impact", min=1, max=1_000_000, help="People affected.")
]
DueOpt = Annotated[str | None, typer.Option("--due", help="Due time: 14:00, eod, fri, ISO.")]
ReceivedOpt = Annotated[
    str | None, typer.Option("--received", help="When it arrived, if not now: 9:40, -20m.")
]
TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")]
RefOpt = Annotated[str | None, typer.Option("--ref", help="Ticket number or message id.")]


@command("add", "techqueue add 'Printer jammed @desk !high ~5m from:\"Alice B\" #printer'")
def add_command(
    text: Annotated[
        list[str], typer.Argument(help="Title and quick-add tokens.", show_default=False)
    ],
    from_: FromOpt = None,
    vip: VipOpt = False,
    severity: SeverityOpt = None,
    channel: ChannelOpt = None,
    estimate: EstimateOpt = None,
    impact: ImpactOpt = None,
    due: DueOpt = None,
    received: ReceivedOpt = None,
    tag: TagOpt = None,
    ref: RefOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Capture an interruption; prints the new item's id."""
    changes = _changes(
        text,
        from_=from_,
        vip=vip,
        severity=severity,
        channel=channel,
        estimate=estimate,
        impact=impact,
        due=due,
        received=received,
        tag=tag,
        ref=ref,
    )
    item = ENV.store.add(changes, ENV.now)
    if as_json:
        _report(item, "added", as_json=True)
    else:
        _echo(str(item.id))
    advice = _interrupt_advice(item)
    if advice is not None:
        _note(("interrupt? yes — " if advice.switch else "interrupt? no — ") + advice.reason)


def _interrupt_advice(newcomer: ItemRecord) -> Any:
    """Whether to drop the job in hand for ``newcomer``; ``None`` when nothing is active."""
    active = ENV.store.active()
    if active is None or active.id == newcomer.id:
        return None
    from techqueue.queue import interrupt_advice

    return interrupt_advice(ENV.store, active, newcomer, ENV.now, ENV.settings, ENV.history)


@command("edit", "techqueue edit 12 --severity high --due 15:00")
def edit_command(
    item_id: ItemId,
    text: Annotated[
        list[str] | None,
        typer.Argument(help="New title and/or quick-add tokens.", show_default=False),
    ] = None,
    from_: FromOpt = None,
    vip: Annotated[bool | None, typer.Option("--vip/--no-vip", help="Mark or unmark VIP.")] = None,
    severity: SeverityOpt = None,
    channel: ChannelOpt = None,
    estimate: EstimateOpt = None,
    impact: ImpactOpt = None,
    due: DueOpt = None,
    received: ReceivedOpt = None,
    tag: TagOpt = None,
    ref: RefOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an item: options as for add; TEXT of only tokens keeps the title."""
    tokens_only = bool(text)
    if text:
        from techqueue.core.quickadd import QuickAddError, parse

        try:
            parse(" ".join(text), ENV.now, ENV.settings)
            tokens_only = False
        except QuickAddError as error:
            tokens_only = error.problem == "nothing is left for the title"
            if not tokens_only:
                _bad(str(error))
    changes = _changes(
        [*text, "\\_"] if text and tokens_only else text,
        from_=from_,
        vip=bool(vip),
        severity=severity,
        channel=channel,
        estimate=estimate,
        impact=impact,
        due=due,
        received=received,
        tag=tag,
        ref=ref,
    )
    if tokens_only:
        changes.title = None
    if vip is False:
        changes.vip = False
    item = ENV.store.edit(item_id, changes, ENV.now)
    _report(item, "edited", as_json)


def _report(item: ItemRecord, verb: str, as_json: bool, extra: str = "") -> None:
    if as_json:
        from techqueue.queue import item_json, placement

        shown, placed, outlook = placement(ENV.store, ENV.now, ENV.settings, item, ENV.history)
        _print_json(item_json(shown, placed, ENV.settings.weights, outlook))
    else:
        _echo(f"{verb} {_label(item)}{extra}")


# --- reading the queue ------------------------------------------------------------------------


@command("list", "techqueue list --json | jq '.[0].title'")
def list_command(
    as_json: JsonOpt = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Add waiting, deferred and today's finished items.")
    ] = False,
) -> None:
    """Open items in rank order (a table in a terminal, tab-separated when piped)."""
    from techqueue.queue import (
        closed_today,
        flag_risk,
        forecast_of,
        item_json,
        ranked_queue,
        unranked,
        with_learned_estimates,
    )

    weights = ENV.settings.weights
    queue = ranked_queue(ENV.store, ENV.now, weights, explain=as_json, history=ENV.history)
    outlook = forecast_of(ENV.store, queue, ENV.now, ENV.settings)
    rows: list[tuple[ItemRecord, Ranked[ItemRecord] | None]] = [
        (entry.item, entry) for entry in queue if show_all or entry.item.status != "waiting"
    ]
    if show_all:
        deferred = unranked(ENV.store.items(), queue, ENV.now)
        rows += [(item, None) for item in with_learned_estimates(deferred, ENV.history)]
        finished = closed_today(ENV.store, ENV.now, ENV.settings.day_boundary)
        rows += [(item, None) for item in finished]
    if as_json:
        for entry in queue:
            flag_risk(entry, outlook)
        _print_json([item_json(item, entry, weights, outlook) for item, entry in rows])
        return
    from techqueue.display import queue_lines, queue_table

    if sys.stdout.isatty():
        queue_table(rows, ENV.now, weights, outlook)
    else:
        for line in queue_lines(rows, ENV.now, weights, outlook):
            _echo(line)


@command("next", "techqueue next --json")
def next_command(as_json: JsonOpt = False) -> None:
    """What to do next: the top of the queue, with why."""
    from techqueue.queue import flag_risk, item_json, ranked_queue

    store, weights = ENV.store, ENV.settings.weights
    placed = ranked_queue(store, ENV.now, weights, limit=1, history=ENV.history)
    top = placed[0] if placed and placed[0].item.status != "waiting" else None
    if top is None:
        if as_json:
            _print_json(None)
        else:
            _echo("Nothing in the queue: all clear. Capture something with: techqueue add 'TEXT'")
        return
    from techqueue.queue import forecast_of

    outlook = forecast_of(store, [top], ENV.now, ENV.settings)
    flag_risk(top, outlook)
    if as_json:
        data = item_json(top.item, top, weights, outlook)
        advice = _interrupt_advice(top.item)
        data["interrupt"] = bool(advice and advice.switch)
        data["interrupt_reason"] = advice.reason if advice else None
        _print_json(data)
        return
    from techqueue.display import summary_line

    _echo(summary_line(top.item, ENV.now, weights))
    _echo("  why: " + "; ".join(reason.detail for reason in top.reasons))


@command("show", "techqueue show 12")
def show_command(item_id: ItemId, as_json: JsonOpt = False) -> None:
    """One item with its notes, reminders, time spent and the parts of its score."""
    from techqueue.queue import iso, item_json, placement, tell_them, time_spent

    store, weights = ENV.store, ENV.settings.weights
    item, placed, outlook = placement(store, ENV.now, ENV.settings, store.get(item_id), ENV.history)
    notes = store.notes(item_id)
    reminders = store.reminders_for(item_id)
    spent = time_spent(store, [item], ENV.now, ENV.settings).get(item_id, 0.0)
    said = tell_them(item, outlook, ENV.settings)
    if as_json:
        data = item_json(item, placed, weights, outlook)
        data["tell"] = said
        data["notes"] = [
            {
                "id": n.id,
                "kind": n.kind,
                "text": n.text,
                "created_at": iso(n.created_at),
                "due_at": iso(n.due_at),
            }
            for n in notes
        ]
        data["reminders"] = [_reminder_json(r) for r in reminders]
        data["spent_minutes"] = round(spent, 2)
        _print_json(data)
        return
    from techqueue.display import show_lines

    for line in show_lines(item, placed, notes, reminders, spent, ENV.now, weights, outlook):
        _echo(line)
    if said is not None:
        _echo(f"  Tell them: {said}")


# --- expectations: ETAs and promises ----------------------------------------------------------


#: The fields of an item that ``eta --json`` gives, with the sentence to tell the customer.
_EXPECTATION_FIELDS = (
    "id",
    "title",
    "requester",
    "status",
    "rank",
    "estimate_minutes",
    "estimate_source",
    "estimate_samples",
    "eta",
    "eta_finish",
    "promise_due_at",
    "promise_state",
)


def _expectation_json(
    item: ItemRecord, placed: Ranked[ItemRecord] | None, outlook: Any
) -> dict[str, Any]:
    """The expectation fields of :func:`~techqueue.queue.item_json`, and ``tell``."""
    from techqueue.queue import item_json, tell_them

    full = item_json(item, placed, ENV.settings.weights, outlook)
    data = {name: full[name] for name in _EXPECTATION_FIELDS}
    data["tell"] = tell_them(item, outlook, ENV.settings)
    return data


@command("eta", "techqueue eta 12   (or: techqueue eta --json)")
def eta_command(
    item_id: Annotated[
        int | None,
        typer.Argument(help="One item (default: the whole queue).", min=1, max=MAX_ID),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """When you will likely get to each item and finish it, counting what ranks ahead,
    within working hours; for one item, also what to tell the customer."""
    from techqueue.display import clean, estimate_cell, when
    from techqueue.queue import forecast_of, placement, ranked_queue

    store, now = ENV.store, ENV.now
    if item_id is not None:
        item, placed, outlook = placement(store, now, ENV.settings, store.get(item_id), ENV.history)
        data = _expectation_json(item, placed, outlook)
        if as_json:
            _print_json(data)
            return
        for line in _eta_lines(item, placed, outlook, data):
            _echo(line)
        return
    queue = ranked_queue(store, now, ENV.settings.weights, explain=False)
    outlook = forecast_of(store, queue, now, ENV.settings)
    if as_json:
        _print_json([_expectation_json(entry.item, entry, outlook) for entry in queue])
        return
    if not queue:
        _echo("Nothing in the queue: all clear.")
    for entry in queue:
        eta = outlook.etas.get(entry.id)
        span = f"{when(eta.start, now)} → {when(eta.finish, now)}" if eta else "waiting on them"
        state = outlook.state(entry.id)
        flag = "" if state in ("none", "ok") else f"  promise {state.replace('_', ' ')}"
        _echo(
            f"{entry.rank}\t#{entry.id}\t{span}\t{estimate_cell(entry.item, ENV.settings.weights)}"
            f"\t{clean(entry.item.title)}{flag}"
        )


def _eta_lines(
    item: ItemRecord, placed: Ranked[ItemRecord] | None, outlook: Any, data: dict[str, Any]
) -> list[str]:
    from techqueue.display import clean, expectation_parts, when

    now = ENV.now
    who = f" — {clean(item.requester)}" if item.requester else ""
    lines = [f"#{item.id} {clean(item.title)}{who}"]
    deferred = item.deferred_until is not None and item.deferred_until > now
    state = "deferred" if deferred and item.status == "open" else item.status
    rank = f" (rank {placed.rank})" if placed else f" (not in the queue: {state})"
    lines.append("  " + " · ".join(expectation_parts(item, outlook, ENV.settings.weights)) + rank)
    if item.promise_due_at is not None:
        state = data["promise_state"].replace("_", " ")
        lines.append(f"  promise: due {when(item.promise_due_at, now)} — {state}")
    if data["tell"] is not None:
        lines.append(f"  tell them: {data['tell']}")
    return lines


@command("promises", "techqueue promises --json")
def promises_command(as_json: JsonOpt = False) -> None:
    """Every open promise, the soonest first, with whether it will be kept."""
    from techqueue.core.timeparse import format_duration
    from techqueue.display import clean, when
    from techqueue.queue import forecast_of, iso, ranked_queue

    store, now = ENV.store, ENV.now
    queue = ranked_queue(store, now, ENV.settings.weights, explain=False)
    outlook = forecast_of(store, queue, now, ENV.settings)
    promised = [item for item in store.items() if item.promise_due_at is not None]
    promised.sort(key=lambda item: (item.promise_due_at, item.id))
    said = {
        note.item_id: note.text
        for note in store.notes_of([item.id for item in promised], ["promise"])
    }  # oldest first: the latest promise note of each item wins
    rows: list[dict[str, Any]] = []
    for item in promised:
        eta = outlook.etas.get(item.id)
        rows.append(
            {
                "id": item.id,
                "title": item.title,
                "requester": item.requester,
                "status": item.status,
                "promise_due_at": iso(item.promise_due_at),
                "promise_state": outlook.state_of(item),
                "promised": said.get(item.id),
                "eta": iso(eta.start) if eta else None,
            }
        )
    if as_json:
        _print_json(rows)
        return
    if not rows:
        _echo("No open promises.")
    for row, item in zip(rows, promised, strict=True):
        assert item.promise_due_at is not None
        left = (item.promise_due_at - now).total_seconds() / 60
        countdown = f"in {format_duration(left)}" if left >= 0 else f"{format_duration(-left)} ago"
        state = row["promise_state"].replace("_", " ")
        who = clean(item.requester) or "the customer"
        _echo(
            f"#{item.id}\t{when(item.promise_due_at, now)} ({countdown})\t{state}\t"
            f"{who}: {clean(row['promised'] or item.title)}"
        )


# --- item actions ---------------------------------------------------------------------------


@command("start", "techqueue start 12")
def start_command(item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Start working on an item (whatever else is active is paused)."""
    before = ENV.store.active()
    item = ENV.store.start(item_id, ENV.now)
    extra = f" (paused {_label(before)})" if before is not None and before.id != item_id else ""
    _report(item, "started", as_json, extra)


@command("pause", "techqueue pause 12")
def pause_command(item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Pause the active item; the time worked so far is kept."""
    _report(ENV.store.pause(item_id, ENV.now), "paused", as_json)


@command("done", "techqueue done 12")
def done_command(item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Mark an item done."""
    _report(ENV.store.done(item_id, ENV.now), "done", as_json)


@command("drop", "techqueue drop 12 --reason 'duplicate of 9'")
def drop_command(
    item_id: ItemId,
    reason: Annotated[str | None, typer.Option("--reason", help="Why it is dropped.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Drop an item that will not be done."""
    _report(ENV.store.drop(item_id, ENV.now, reason), "dropped", as_json)


@command("wait", "techqueue wait 12 --until tomorrow")
def wait_command(
    item_id: ItemId,
    until: Annotated[str | None, typer.Option("--until", help="Out of sight until then.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Waiting on the customer: it ranks below everything you can work on."""
    when = _when(until, what="--until") if until is not None else None
    _report(ENV.store.wait(item_id, ENV.now, when), "waiting", as_json)


@command("defer", "techqueue defer 12 tomorrow")
def defer_command(
    item_id: ItemId,
    when: Annotated[list[str], typer.Argument(help="Until when: 14:00, tomorrow 9:00, mon.")],
    as_json: JsonOpt = False,
) -> None:
    """Put an item out of the queue until a time."""
    moment = _when(" ".join(when), what="defer")
    _report(ENV.store.defer(item_id, moment, ENV.now), "deferred", as_json)


@command("pin", "techqueue pin 12")
def pin_command(item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Pin an item to the top of the queue."""
    _report(ENV.store.pin(item_id, ENV.now, pinned=True), "pinned", as_json)


@command("unpin", "techqueue unpin 12")
def unpin_command(item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Let a pinned item rank normally again."""
    _report(ENV.store.pin(item_id, ENV.now, pinned=False), "unpinned", as_json)


@command(
    "bump",
    "techqueue bump 12 2   (or: techqueue bump 12 -- -1)",
    context_settings={"ignore_unknown_options": True},
)
def bump_command(
    item_id: ItemId,
    steps: Annotated[str, typer.Argument(help="Steps up (negative: down).")] = "1",
    as_json: JsonOpt = False,
) -> None:
    """Nudge an item up or down by hand; shown as a reason."""
    try:
        amount = float(steps)
    except ValueError:
        _bad(f"bump: {steps!r} is not a number of steps")
    if amount != amount or amount in (float("inf"), float("-inf")):
        _bad(f"bump: {steps!r} is not a number of steps")
    _report(ENV.store.bump(item_id, amount, ENV.now), "bumped", as_json)


@command("note", "techqueue note 12 'Told her 14:00' --promise 14:00")
def note_command(
    item_id: ItemId,
    text: Annotated[list[str], typer.Argument(help="The note.", show_default=False)],
    promise: Annotated[
        str | None, typer.Option("--promise", help="A promise falling due then.")
    ] = None,
    contact: Annotated[bool, typer.Option("--contact", help="The customer was updated.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a note to an item; a promise or a contact with the customer."""
    from techqueue.core.text import clean_text

    if promise is not None and contact:
        _bad("a note is a promise or a contact, not both")
    due = _when(promise, what="--promise") if promise is not None else None
    kind = "promise" if due is not None else "contact" if contact else "plain"
    note = ENV.store.note(item_id, clean_text(" ".join(text)), ENV.now, kind=kind, due_at=due)
    if as_json:
        from techqueue.queue import iso

        _print_json(
            {
                "id": note.id,
                "item_id": item_id,
                "kind": note.kind,
                "text": note.text,
                "created_at": iso(note.created_at),
                "due_at": iso(note.due_at),
            }
        )
    else:
        _echo(
            f"noted on {_label(ENV.store.get(item_id))}"
            + (f" (promise due {due:%a %H:%M})" if due else "")
        )


@command("vip", "techqueue vip 'Dana Scully'   (or: techqueue vip dana@corp.example --off)")
def vip_command(
    who: Annotated[str, typer.Argument(help="The requester's name or email.")],
    off: Annotated[bool, typer.Option("--off", help="No longer VIP.")] = False,
) -> None:
    """Mark a requester as VIP: all their items are seen first."""
    from techqueue.core.text import clean_text

    name = clean_text(who) or _bad("vip: give a name or an email")
    requester = ENV.store.set_vip(name, ENV.now, vip=not off)
    _echo(f"{requester.name} is {'no longer ' if off else 'now '}VIP")


# --- reminders -------------------------------------------------------------------------------


@command("remind", "techqueue remind 12 16:00 call Alice back   (ID - for a free-standing one)")
def remind_command(
    target: Annotated[str | None, typer.Argument(help="Item number, or - for none.")] = None,
    when: Annotated[str | None, typer.Argument(help="When: 16:00, +30m, tomorrow 9:00.")] = None,
    text: Annotated[list[str] | None, typer.Argument(help="What to remember.")] = None,
    due: Annotated[bool, typer.Option("--due", help="Print the reminders due now.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Set a reminder, or with --due print what is due (always exit 0)."""
    if due:
        _due_reminders(as_json)
        return
    if target is None or when is None or not text:
        _bad("remind needs ID WHEN TEXT (ID - for a free-standing reminder)")
    from techqueue.core.text import clean_text

    item_id = None
    if target != "-":
        if not (target.isascii() and target.isdigit()) or not 1 <= int(target) <= MAX_ID:
            _bad(f"remind: {target!r} is not an item number (or - for none)")
        item_id = int(target)
    moment = _when(when, what="remind")
    if moment <= ENV.now:
        _bad("remind: that time has already passed")
    reminder = ENV.store.remind(item_id, moment, clean_text(" ".join(text)), ENV.now)
    if as_json:
        _print_json(_reminder_json(reminder))
    else:
        _echo(f"reminder {reminder.id} at {moment:%a %d %b %H:%M}")


def _reminder_json(reminder: Any) -> dict[str, Any]:
    from techqueue.queue import iso

    return {
        "kind": "reminder",
        "id": reminder.id,
        "item_id": reminder.item_id,
        "item_title": reminder.item_title,
        "text": reminder.text,
        "due_at": iso(reminder.due_at),
        "created_at": iso(reminder.created_at),
        "dismissed_at": iso(reminder.dismissed_at),
        "due": reminder.due_at <= ENV.now,
    }


def _due_reminders(as_json: bool) -> None:
    """Reminders due, broken promises and customers waiting too long for news: everything
    that needs a follow-up now."""
    from techqueue.core.expectations import promise_state
    from techqueue.queue import iso, nudges

    now = ENV.now
    try:
        due = [r for r in ENV.store.reminders() if r.due_at <= now]
        items = ENV.store.items()
        broken = [item for item in items if promise_state(item, None, now) == "broken"]
        updates, _ = nudges(ENV.store, items, now, ENV.settings)
    except Exception as error:  # for a shell prompt: say it, but never fail the prompt
        _note(f"{PROG}: {error}")
        return
    if as_json:
        data = [_reminder_json(r) for r in due]
        data += [
            {
                "kind": "promise",
                "item_id": item.id,
                "item_title": item.title,
                "text": f"promise to {item.requester or 'the customer'} broken",
                "due_at": iso(item.promise_due_at),
                "due": True,
            }
            for item in broken
        ]
        data += [
            {
                "kind": "update",
                "item_id": nudge.item_id,
                "item_title": nudge.title,
                "text": nudge.text(now),
                "due_at": iso(nudge.since),
                "due": True,
            }
            for nudge in updates
        ]
        _print_json(data)
        return
    from techqueue.display import clean, reminder_line, when

    for reminder in due:
        _echo(reminder_line(reminder, now))
    for item in broken:
        assert item.promise_due_at is not None
        who = clean(item.requester) or "the customer"
        _echo(
            f"-\tBROKEN {when(item.promise_due_at, now)}\tpromise to {who}: tell them "
            f"(#{item.id} {clean(item.title)})"
        )
    for nudge in updates:
        _echo(f"-\tUPDATE\t{clean(nudge.text(now))}  ({clean(nudge.title)})")


@command("reminders", "techqueue reminders --json")
def reminders_command(as_json: JsonOpt = False) -> None:
    """Every reminder not yet dismissed, the due ones first."""
    reminders = ENV.store.reminders()
    if as_json:
        _print_json([_reminder_json(r) for r in reminders])
        return
    if not reminders:
        _echo("No reminders.")
    from techqueue.display import reminder_line

    for reminder in reminders:
        _echo(reminder_line(reminder, ENV.now))


ReminderId = Annotated[int, typer.Argument(help="The reminder's number.", min=1, max=MAX_ID)]


@command("snooze", "techqueue snooze 3 +15m")
def snooze_command(
    reminder_id: ReminderId,
    when: Annotated[list[str], typer.Argument(help="Until when: +15m, 16:00, tomorrow 9:00.")],
) -> None:
    """Move a reminder to a later time."""
    moment = _when(" ".join(when), what="snooze")
    reminder = ENV.store.snooze(reminder_id, moment, ENV.now)
    _echo(f"reminder {reminder.id} snoozed until {moment:%a %d %b %H:%M}")


@command("dismiss", "techqueue dismiss 3")
def dismiss_command(reminder_id: ReminderId) -> None:
    """Dismiss a reminder: it is done."""
    reminder = ENV.store.dismiss(reminder_id, ENV.now)
    _echo(f"reminder {reminder.id} dismissed")


# --- the day, the data, the settings ----------------------------------------------------------


def _day(date: str | None) -> Any:
    """The working day meant: ``--date YYYY-MM-DD``, or today (by the day boundary)."""
    from techqueue.core.workday import day_of

    if date is None:
        return day_of(ENV.now, ENV.settings.day_boundary, ENV.now.tzinfo)
    try:
        return datetime.strptime(date, "%Y-%m-%d").date()
    except ValueError:
        _bad(f"--date: {date!r} is not a date like 2026-03-02")


def _period(date: str | None, week: bool) -> tuple[datetime, datetime]:
    from techqueue.core.workday import day_span, week_span

    day = _day(date)
    try:
        span = week_span if week else day_span
        return span(day, ENV.settings.day_boundary, ENV.now.tzinfo)
    except OverflowError:
        _bad(f"--date: {date!r} is too far in the future")


DateOpt = Annotated[str | None, typer.Option("--date", help="Another day: YYYY-MM-DD.")]


@command("review", "techqueue review --markdown > today.md")
def review_command(
    date: DateOpt = None,
    week: Annotated[
        bool, typer.Option("--week", help="The whole week (Monday to Sunday).")
    ] = False,
    as_json: JsonOpt = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown report.")] = False,
) -> None:
    """What was done (and the time it took), where the time went, promises kept and broken,
    and what is still open; in a terminal, the review screen with the carry-over decisions."""
    from techqueue.report import build_review, review_markdown, review_text

    if as_json and markdown:
        _bad("choose one of --json and --markdown")
    start, end = _period(date, week)
    if not (as_json or markdown) and sys.stdin.isatty() and sys.stdout.isatty():
        _open_review(start, end)
        return
    settings = ENV.settings
    review = build_review(
        ENV.store, start, end, ENV.now, settings.weights, settings.hours, settings.day_boundary
    )
    if as_json:
        _print_json(review)
    elif markdown:
        _echo(review_markdown(review))
    else:
        for line in review_text(review):
            _echo(line)


def _open_review(start: datetime, end: datetime) -> None:
    """The review screen on its own, for ``techqueue review`` in a terminal."""
    from techqueue.app import ReviewApp
    from techqueue.clock import now

    app = ReviewApp(ENV.store, ENV.settings, now, start, end)
    try:
        app.run()
    finally:
        app.desk.close()


@command("carry", "techqueue carry 12 --promise 'tomorrow 10:00' --note 'Waiting for the part'")
def carry_command(
    item_ids: Annotated[
        list[int] | None,
        typer.Argument(help="Items to carry over to the next day.", show_default=False),
    ] = None,
    promise: Annotated[
        str | None, typer.Option("--promise", help="A new promise to the customer, due then.")
    ] = None,
    note: Annotated[str | None, typer.Option("--note", help="Why, or what was said.")] = None,
    rest: Annotated[
        bool,
        typer.Option("--rest", help="Every open item not decided today: carried over as skipped."),
    ] = False,
) -> None:
    """The end-of-day decision to carry items over (defer, bump and drop decide the others)."""
    from techqueue.core.text import clean_text

    if rest == bool(item_ids):
        _bad("carry needs item numbers, or --rest (not both)")
    if rest and (promise or note):
        _bad("--rest carries over as skipped: no --promise or --note with it")
    due = _when(promise, what="--promise") if promise is not None else None
    if due is not None and due <= ENV.now:
        _bad("--promise: that time has already passed")
    text = None
    if note is not None:
        text = clean_text(note) or _bad("--note: a note needs some text")
    ids = list(item_ids or [])
    if any(not 1 <= item_id <= MAX_ID for item_id in ids):
        _bad("carry: item numbers start at 1")
    if rest:
        from techqueue.core.workday import today_span

        items = ENV.store.carry_rest(*today_span(ENV.now, ENV.settings.day_boundary), now=ENV.now)
        if not items:
            _echo("Nothing left undecided today.")
            return
    else:
        items = ENV.store.carry_over(ids, ENV.now, note=text, promise_due_at=due)
    verb = "carried over (skipped at the review)" if rest else "carried over"
    for item in items:
        _echo(f"{verb} {_label(item)}")


@command("morning", "techqueue morning --json")
def morning_command(as_json: JsonOpt = False) -> None:
    """The start of the day: carried-over items, promises due, reminders, deferred to today."""
    from techqueue.report import gather_morning, morning_json, morning_lines

    settings = ENV.settings
    ENV.store.close_overnight(ENV.now)
    morning = gather_morning(ENV.store, ENV.now, settings.weights, settings.day_boundary)
    if as_json:
        _print_json(morning_json(morning))
        return
    _echo(f"Good morning: {morning.day:%A %d %B}")
    sections = morning_lines(morning, ENV.now)
    if not sections:
        _echo("Nothing carried over, nothing due: a clean start.")
    for heading, lines in sections:
        _echo(f"{heading}:")
        for line in lines:
            _echo(f"  {line}")


@command(
    "log",
    "techqueue log --date 2026-03-02   (correct one: techqueue log 7 --end 17:30)",
)
def log_command(
    span_id: Annotated[
        int | None,
        typer.Argument(
            help="A work span to correct (with --start and/or --end).", min=1, max=MAX_ID
        ),
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="Its new start: 9:40, ISO.")] = None,
    end: Annotated[str | None, typer.Option("--end", help="Its new end: 17:30, ISO.")] = None,
    date: DateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The work log: a day's spans of work with their ids; or correct one span by hand."""
    from techqueue.core.timeparse import format_duration
    from techqueue.core.workday import span_end
    from techqueue.display import clean
    from techqueue.queue import iso

    store = ENV.store
    if span_id is None:
        if start is not None or end is not None:
            _bad("log: --start and --end correct a span: give its id (techqueue log 7 --end 17:30)")
        day_start, day_end = _period(date, False)
        spans = store.spans_between(day_start, day_end)
    else:
        if date is not None:
            _bad("log: --date lists a day; to correct a span give only its id and times")
        if start is None and end is None:
            _bad("log: give --start and/or --end to correct the span")
        span = store.span(span_id)
        store.edit_span(
            span_id,
            ENV.now,
            started_at=_span_time(start, span.started_at, "--start"),
            ended_at=_span_time(end, span.started_at, "--end"),
        )
        spans = [store.span(span_id)]
    items = store.items_by_id(span.item_id for span in spans)
    settings = ENV.settings
    rows = []
    for span in spans:
        finish, cut = span_end(span, ENV.now, settings.hours, settings.day_boundary, None)
        minutes = max((finish - span.started_at).total_seconds() / 60, 0.0)
        rows.append((span, finish, cut, minutes))
    if as_json:
        _print_json(
            [
                {
                    "id": span.id,
                    "item_id": span.item_id,
                    "title": items[span.item_id].title if span.item_id in items else None,
                    "started_at": iso(span.started_at),
                    "ended_at": iso(span.ended_at),
                    "running": span.ended_at is None and not cut,
                    "minutes": round(minutes, 1),
                    "note": span.note,
                }
                for span, _, cut, minutes in rows
            ]
        )
        return
    if span_id is not None:
        _echo(f"corrected work span {span_id}")
    if not rows:
        _echo("No work logged that day.")
    for span, finish, cut, minutes in rows:
        title = clean(items[span.item_id].title) if span.item_id in items else "?"
        local_start = span.started_at.astimezone(ENV.now.tzinfo)
        shown_end = (
            "running"
            if span.ended_at is None and not cut
            else finish.astimezone(ENV.now.tzinfo).strftime("%H:%M")
        )
        note = f"  ({clean(span.note)})" if span.note else ""
        if span.ended_at is None and cut:
            note = "  (left running: counted to the end of the working day)"
        _echo(
            f"{span.id:>5}  {local_start:%a %d %b %H:%M}–{shown_end:<7} "
            f"{format_duration(minutes):>8}  #{span.item_id} {title}{note}"
        )


def _span_time(text: str | None, day_of_span: datetime, what: str) -> datetime | None:
    """A corrected time: a bare clock time is on the span's own day; anything else as usual."""
    if text is None:
        return None
    stripped = text.strip()
    if len(stripped) in (4, 5) and ":" in stripped:
        from datetime import time as clock

        try:
            moment = clock.fromisoformat(stripped.zfill(5))
        except ValueError:
            _bad(f"{what}: {text!r} is not a clock time like 9:40 or 17:30")
        local = day_of_span.astimezone(ENV.now.tzinfo)
        return datetime.combine(local.date(), moment, tzinfo=local.tzinfo)
    return _when(text, past=True, what=what)


@command("export", "techqueue export backup.json")
def export_command(
    file: Annotated[Path | None, typer.Argument(help="Where to write (default: stdout).")] = None,
) -> None:
    """Everything in the store as JSON (for a backup or another machine)."""
    if file is not None and not file.name and str(file) != "-":
        _bad("export: give a file name, or - for standard output")
    data = json.dumps(ENV.store.export(ENV.now), ensure_ascii=False, indent=1)
    if file is None or str(file) == "-":
        _echo(data)
        return
    temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
    try:
        descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(data + "\n")
        temporary.replace(file)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise Failure(f"export: cannot write {file}: {error.strerror}") from None
    _echo(f"exported to {file}")


@command("import", "techqueue import backup.json   (into a used store: --merge)")
def import_command(
    file: Annotated[Path, typer.Argument(help="An export file (- for stdin).")],
    merge: Annotated[
        bool, typer.Option("--merge", help="Add to a non-empty store, with new ids.")
    ] = False,
) -> None:
    """Load an export, all or nothing."""
    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise Failure(
            f"import: cannot read {file}: {getattr(error, 'strerror', None) or error}"
        ) from None
    try:
        data = json.loads(text)
    except ValueError as error:
        _bad(f"import: {file} is not JSON: {error}")
    counts = ENV.store.import_(data, ENV.now, merge=merge)
    _echo("imported " + ", ".join(f"{count} {table}" for table, count in counts.items()))


@command("undo", "techqueue undo")
def undo_command() -> None:
    """Revert the last action of any kind (repeat to go further back)."""
    _echo(ENV.store.undo(ENV.now).join(("undid: ", "")))


@command("config", "techqueue config")
def config_command() -> None:
    """The effective settings and where each comes from."""
    from techqueue.config.model import describe
    from techqueue.paths import config_path

    ENV.now  # noqa: B018  (a bad TECHQUEUE_NOW is reported here too)
    for line in describe(
        config_path(), ENV.db or os.environ.get("TECHQUEUE_DB"), os.environ.get("TECHQUEUE_NOW")
    ):
        _echo(line)


# --- assembly and the entry point ------------------------------------------------------------


def _build(name: str | None) -> typer.Typer:
    app = typer.Typer(
        name=PROG,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        help="What to do next when everything arrives at once. Run without a command for the "
        "full-screen app.",
    )

    @app.callback(invoke_without_command=True)
    def main_options(
        ctx: typer.Context,
        db: Annotated[
            str | None,
            typer.Option("--db", help="The store: a file path or a database URL.", envvar=None),
        ] = None,
    ) -> None:
        if db is not None:
            ENV.db = db
        if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
            _open_app()

    for command_name, (register, _) in _COMMANDS.items():
        if name is None or command_name == name:
            register(app)
    return app


def _open_app() -> None:
    """The full-screen app, when there is a terminal to draw it on."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        _echo(
            "techqueue: the full-screen app needs a terminal. From scripts: techqueue add "
            "'TEXT', techqueue next, techqueue list --json (see techqueue --help)."
        )
        return
    from techqueue.app import TechQueueApp
    from techqueue.clock import now

    ENV.now  # noqa: B018  (a bad TECHQUEUE_NOW is reported before the screen opens)
    app = TechQueueApp(ENV.store, ENV.settings, now)
    try:
        app.run()
    finally:
        app.desk.close()  # waits for a worker still reading, then closes


def _split(args: list[str]) -> tuple[str | None, str | None, list[str] | None]:
    """(the --db value, the subcommand, its arguments), skipping the global options; the
    arguments are ``None`` when the line holds nothing but ``--db`` options."""
    db = None
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--db" and index + 1 < len(args):
            db, index = args[index + 1], index + 2
        elif arg.startswith("--db="):
            db, index = arg.partition("=")[2], index + 1
        else:
            name = arg if arg in _COMMANDS else None
            return db, name, args[index + 1 :]
    return db, None, None


def main(argv: list[str] | None = None) -> int:
    """Run techqueue with ``argv`` (default: the process's); return the exit status."""
    global ENV
    args = list(sys.argv[1:] if argv is None else argv)
    ENV = Env()
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return _fail(f"{arg.encode('utf-8', 'replace').decode()!r} is not valid UTF-8 text", 2)
    completing = any(key.startswith("_TECHQUEUE") for key in os.environ)
    db, name, rest = _split(args)
    call: Callable[[], Any]
    fast = None
    if rest is None and not completing:
        # Nothing but --db: the full-screen app, opened without assembling the Typer app,
        # which costs a third of a second (pydantic included) before the first frame.
        ENV.db = db
        return _guarded(_open_app)
    if name is not None and rest is not None and not completing:
        from techqueue.fastpath import parse_fast

        function = _COMMANDS[name][1]
        fast = parse_fast(function, rest)
        if fast is not None:
            ENV.db = db
            call = functools.partial(function, **fast)
    if fast is None:
        from typer.main import get_command

        click_command = get_command(_build(None if completing else name))
        call = functools.partial(
            click_command.main, args=args, prog_name=PROG, standalone_mode=False
        )
    return _guarded(call)


def _guarded(call: Callable[[], Any]) -> int:
    """Run a command; turn every expected failure into one line on stderr and a status."""
    from typer._click.exceptions import ClickException
    from typer.exceptions import Abort

    from techqueue.backends import StoreUnusable
    from techqueue.config.loader import ConfigError
    from techqueue.store import StoreError

    try:
        result = call()
    except Failure as error:
        return _fail(str(error), error.code)
    except StoreError as error:
        return _fail(str(error), error.exit_code)
    except (StoreUnusable, ConfigError) as error:
        return _fail(str(error), 1)
    except ClickException as error:
        return _fail(error.format_message(), error.exit_code)
    except Abort:
        return _fail("aborted", 1)
    except KeyboardInterrupt:
        return _fail("interrupted; nothing was half-written", 130)
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except Exception as error:
        if os.environ.get("TECHQUEUE_DEBUG"):
            raise
        return _fail(f"unexpected error: {type(error).__name__}: {error}", 1)
    finally:
        ENV.close()
    return result if isinstance(result, int) else 0


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"{PROG}: {' '.join(message.split())}\n")
    return code


def run() -> int:
    """The console script."""
    return main()
