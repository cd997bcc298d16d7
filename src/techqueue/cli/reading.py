"""Reading the queue: ``list``, ``next``, ``show``, ``eta`` and ``promises``. Each reads a view
of :mod:`techqueue.views` and prints it as text or JSON; none composes its own."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.options import ItemId, JsonOpt
from techqueue.cli.output import bad, echo, print_json
from techqueue.cli.registry import command
from techqueue.domain import MAX_ID

if TYPE_CHECKING:
    from techqueue.core.forecast import Forecast
    from techqueue.records import ItemRecord
    from techqueue.scoring import Ranked
    from techqueue.views.item import ItemDetail
    from techqueue.views.listing import Filters


@command("list", "techqueue list --status done --since mon --search printer")
def list_command(
    ctx: Context,
    as_json: JsonOpt = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Add waiting, deferred and today's finished items.")
    ] = False,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Only these: open, waiting, deferred, done, dropped or all.",
        ),
    ] = None,
    tag: Annotated[
        list[str] | None,
        typer.Option("--tag", metavar="TAG", help="Only items with this tag (repeatable)."),
    ] = None,
    from_: Annotated[
        str | None,
        typer.Option("--from", metavar="NAME", help="Only this requester's (name or email)."),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search", metavar="TEXT", help="Words in the title, requester, a tag or the ref."
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="WHEN",
            help="Received since then (done or dropped since then, for those).",
        ),
    ] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only the items you have.")] = False,
    unassigned: Annotated[
        bool, typer.Option("--unassigned", help="Only the items nobody has.")
    ] = False,
    by: Annotated[
        str | None, typer.Option("--by", metavar="NAME", help="Only the items NAME has.")
    ] = None,
) -> None:
    """Open items in rank order, or the items you are looking for.

    A table in a terminal; tab-separated, under a header row, when piped. --status, --tag,
    --from, --search and --since find any item, done and dropped ones too."""
    from techqueue.views.listing import STATUS_CHOICES, read_listing

    if status is not None:
        status = status.strip().lower()
        if status not in STATUS_CHOICES:
            bad(f"--status: {status!r} is not one of {', '.join(STATUS_CHOICES)}")
        if show_all:
            bad("choose one of --all and --status")
    filters = _filters(ctx, tag, from_, search, since)
    if mine or unassigned or by is not None:
        filters = _holders(ctx, filters, mine, unassigned, by)
    if as_json and status is None and not show_all and filters.empty and not sys.stdout.isatty():
        # The queue as a program reads it: from what the last listing kept, when it can.
        from techqueue.cli.output import print_encoded
        from techqueue.views.kept_listing import listing_json

        print_encoded(listing_json(ctx.desk, ctx.now))
        return
    listing = read_listing(
        ctx.desk, ctx.now, status=status, show_all=show_all, filters=filters, explain=as_json
    )
    weights, forecast = ctx.settings.weights, listing.queue.forecast
    if as_json:
        from techqueue.views.json import items_json

        listing.queue.flag_risks()
        print_json(items_json(listing.rows, weights, forecast))
        return
    looking = status is not None or not filters.empty
    empty = "Nothing matches." if looking else "Nothing in the queue: all clear."
    if sys.stdout.isatty():
        from techqueue.cli.render import queue_table

        queue_table(listing.rows, ctx.now, weights, forecast, empty=empty)
    else:
        from techqueue.views.text import queue_lines

        for line in queue_lines(listing.rows, ctx.now, weights, forecast):
            echo(line)


def _holders(
    ctx: Context, filters: Filters, mine: bool, unassigned: bool, by: str | None
) -> Filters:
    """``--mine``, ``--unassigned`` or ``--by NAME`` added to what ``list`` looks for."""
    import dataclasses

    from techqueue.core.text import clean_text

    if mine + unassigned + (by is not None) > 1:
        bad("choose one of --mine, --unassigned and --by")
    if unassigned:
        return dataclasses.replace(filters, unassigned=True)
    who = ctx.store.user if mine else clean_text(by or "").strip()
    if not who:
        bad("--by: give a technician's name")
    return dataclasses.replace(filters, assignee=who)


def _filters(
    ctx: Context,
    tags: list[str] | None,
    who: str | None,
    search: str | None,
    since: str | None,
) -> Filters:
    """What ``list`` is asked to look for, checked and read."""
    from techqueue.views.listing import Filters

    if not tags and who is None and search is None and since is None:
        return Filters()
    from techqueue.core.text import clean_text
    from techqueue.domain import is_tag

    wanted = []
    for word in tags or ():
        cleaned = word.strip().lstrip("#").lower()
        if not is_tag(cleaned):
            bad(f"--tag: {clean_text(word)!r} is not a tag (one word starting with a letter)")
        wanted.append(cleaned)
    requester_ids = None
    if who is not None:
        name = clean_text(who) or bad("--from: give a name or an email")
        requester_ids = frozenset(person.id for person in ctx.store.requesters_called(name))
    words = None
    if search is not None:
        words = clean_text(search) or bad("--search: give some words to look for")
    moment = None
    if since is not None:
        moment = ctx.when(since, past=True, what="--since")
        if moment > ctx.now:
            bad("--since: that time is in the future")
    return Filters(tuple(wanted), requester_ids, words, moment)


@command("next", "techqueue next --json   (in a team: techqueue next --claim)")
def next_command(
    ctx: Context,
    as_json: JsonOpt = False,
    claim: Annotated[
        bool,
        typer.Option(
            "--claim", help="Take the top item nobody has and start it (two never get one)."
        ),
    ] = False,
) -> None:
    """What to do next: the top of the queue, with why."""
    from techqueue.views.ranking import read_queue

    if claim:
        _claim(ctx, as_json)
        return

    queue = read_queue(ctx.desk, ctx.now, limit=1)
    top = queue.ranked[0] if queue.ranked and queue.ranked[0].item.status != "waiting" else None
    if top is None:
        if as_json:
            print_json(None)
        else:
            echo("Nothing in the queue: all clear. Capture something with: techqueue add 'TEXT'")
        return
    queue.flag_risks()
    if as_json:
        from techqueue.views.advice import advice_on
        from techqueue.views.json import item_json

        data = item_json(top.item, top, ctx.settings.weights, queue.forecast)
        advice = advice_on(ctx.desk, top.item, ctx.now)
        data["interrupt"] = bool(advice and advice.switch)
        data["interrupt_reason"] = advice.reason if advice else None
        print_json(data)
        return
    from techqueue.views.text import clean, summary_line

    echo(summary_line(top.item, ctx.now, ctx.settings.weights))
    echo("  why: " + "; ".join(clean(reason.detail) for reason in top.reasons))


def _claim(ctx: Context, as_json: bool) -> None:
    """``next --claim``: the top item nobody has, started and made this technician's."""
    from techqueue import actions
    from techqueue.cli.report import report

    started = actions.claim(ctx.desk, ctx.now)
    if started is None:
        if as_json:
            print_json(None)
        else:
            echo("Nothing to claim: every item in the queue is someone's, or there is none.")
        return
    extra = f" (paused {ctx.label(started.paused)})" if started.paused is not None else ""
    report(ctx, started.item, "claimed", as_json, extra)


@command("show", "techqueue show 12")
def show_command(ctx: Context, item_id: ItemId, as_json: JsonOpt = False) -> None:
    """One item: notes, reminders, time spent, the parts of its score."""
    from techqueue.views.item import item_detail

    detail = item_detail(ctx.desk, item_id, ctx.now)
    if as_json:
        from techqueue.views.json import detail_json

        data = detail_json(detail, ctx.settings.weights, ctx.now)
        print_json(data)
        return
    from techqueue.views.text import show_lines

    for line in show_lines(detail, ctx.now, ctx.settings.weights):
        echo(line)
    if detail.tell is not None:
        echo(f"  Tell them: {detail.tell}")


# --- expectations: ETAs and promises ----------------------------------------------------------


def _expectation_json(
    ctx: Context, item: ItemRecord, entry: Ranked[ItemRecord] | None, forecast: Forecast
) -> dict[str, Any]:
    """The expectation fields of the item's JSON, and what to tell the customer."""
    from techqueue.views.item import tell_them
    from techqueue.views.json import EXPECTATION_FIELDS, item_json

    full = item_json(item, entry, ctx.settings.weights, forecast)
    data = {name: full[name] for name in EXPECTATION_FIELDS}
    data["tell"] = tell_them(item, forecast, ctx.settings)
    return data


@command("eta", "techqueue eta 12   (or: techqueue eta --json)")
def eta_command(
    ctx: Context,
    item_id: Annotated[
        int | None,
        typer.Argument(
            metavar="ID", help="One item (default: the whole queue).", min=1, max=MAX_ID
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """When you will likely get to each item and finish it.

    It counts what ranks ahead, within working hours; for one item, it also says what to tell
    the customer."""
    from techqueue.views.text import clean, estimate_cell, span_text, will_miss_text

    now = ctx.now
    if item_id is not None:
        from techqueue.views.item import item_detail

        detail = item_detail(ctx.desk, item_id, now)
        if as_json:
            print_json(_expectation_json(ctx, detail.item, detail.entry, detail.forecast))
            return
        for line in _eta_lines(ctx, detail):
            echo(line)
        return
    from techqueue.views.ranking import read_queue

    queue = read_queue(ctx.desk, now, explain=False)
    if as_json:
        print_json(
            [_expectation_json(ctx, entry.item, entry, queue.forecast) for entry in queue.ranked]
        )
        return
    if not queue.ranked:
        echo("Nothing in the queue: all clear.")
    for entry in queue.ranked:
        eta = queue.forecast.etas.get(entry.id)
        span = span_text(eta.start, eta.finish, now) if eta else "waiting on them"
        state = queue.forecast.state(entry.id)
        flag = "" if state in ("none", "ok") else f"  promise {state.replace('_', ' ')}"
        miss = queue.forecast.miss(entry.id)
        if miss is not None and state != "broken":
            flag += f"  {will_miss_text(miss, now)}"
        echo(
            f"{entry.rank}\t#{entry.id}\t{span}\t{estimate_cell(entry.item, ctx.settings.weights)}"
            f"\t{clean(entry.item.title)}{flag}"
        )


def _eta_lines(ctx: Context, detail: ItemDetail) -> list[str]:
    from techqueue.views.text import clean, expectation_parts, when

    now, item, entry = ctx.now, detail.item, detail.entry
    who = f" — {clean(item.requester)}" if item.requester else ""
    lines = [f"#{item.id} {clean(item.title)}{who}"]
    deferred = item.deferred_until is not None and item.deferred_until > now
    state = "deferred" if deferred and item.status == "open" else item.status
    rank = f" (rank {entry.rank})" if entry else f" (not in the queue: {state})"
    parts = expectation_parts(item, detail.forecast, ctx.settings.weights)
    lines.append("  " + " · ".join(parts) + rank)
    if item.promise_due_at is not None:
        promise = detail.forecast.state_of(item).replace("_", " ")
        lines.append(f"  promise: due {when(item.promise_due_at, now)} — {promise}")
    if detail.tell is not None:
        lines.append(f"  tell them: {detail.tell}")
    return lines


@command("promises", "techqueue promises --json")
def promises_command(ctx: Context, as_json: JsonOpt = False) -> None:
    """Every open promise, the soonest first: will it be kept?"""
    from techqueue.core.timeparse import format_duration
    from techqueue.views.json import iso
    from techqueue.views.ranking import read_queue
    from techqueue.views.text import clean, when

    store, now = ctx.store, ctx.now
    forecast = read_queue(ctx.desk, now, explain=False).forecast
    promised = [item for item in store.items() if item.promise_due_at is not None]
    promised.sort(key=lambda item: (item.promise_due_at, item.id))
    said = {
        note.item_id: note.text
        for note in store.notes_of([item.id for item in promised], ["promise"])
    }  # oldest first: the latest promise note of each item wins
    rows: list[dict[str, Any]] = []
    for item in promised:
        eta = forecast.etas.get(item.id)
        rows.append(
            {
                "id": item.id,
                "title": item.title,
                "requester": item.requester,
                "status": item.status,
                "promise_due_at": iso(item.promise_due_at),
                "promise_state": forecast.state_of(item),
                "promised": said.get(item.id),
                "eta": iso(eta.start) if eta else None,
            }
        )
    if as_json:
        print_json(rows)
        return
    if not rows:
        echo("No open promises.")
    for row, item in zip(rows, promised, strict=True):
        assert item.promise_due_at is not None
        left = (item.promise_due_at - now).total_seconds() / 60
        countdown = f"in {format_duration(left)}" if left >= 0 else f"{format_duration(-left)} ago"
        state = row["promise_state"].replace("_", " ")
        who = clean(item.requester) or "the customer"
        echo(
            f"#{item.id}\t{when(item.promise_due_at, now)} ({countdown})\t{state}\t"
            f"{who}: {clean(row['promised'] or item.title)}"
        )
