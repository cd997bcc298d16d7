"""What a technician does to an item from the shell: ``start``, ``pause``, ``done``,
``drop``, ``reopen``, ``wait``, ``defer``, ``pin``/``unpin``, ``bump``, ``note``, and ``vip`` for a
requester. Each is one action of :mod:`techqueue.actions`, the same the app's keys run."""

from __future__ import annotations

from typing import Annotated

from techqueue import actions
from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.options import ItemId, ItemIds, JsonOpt
from techqueue.cli.output import bad, echo, print_json
from techqueue.cli.registry import command
from techqueue.cli.report import report, report_all
from techqueue.domain import MAX_BUMP


@command("start", "techqueue start 12")
def start_command(ctx: Context, item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Start working on an item (whatever else is active is paused)."""
    in_hand = ctx.store.get(item_id)
    theirs = ctx.store.team and in_hand.assignee not in (None, ctx.store.user)
    if in_hand.status == "active" and not theirs:
        # Already being worked on: what was asked for is so, and nothing changes.
        if as_json:
            report(ctx, in_hand, "started", as_json)
        else:
            echo(f"{ctx.label(in_hand)} is already in hand")
        return
    started = actions.start(ctx.desk, item_id, ctx.now)
    extra = f" (paused {ctx.label(started.paused)})" if started.paused is not None else ""
    report(ctx, started.item, "started", as_json, extra)


@command("pause", "techqueue pause 12")
def pause_command(ctx: Context, item_ids: ItemIds, as_json: JsonOpt = False) -> None:
    """Pause the item in hand; the time worked so far is kept."""
    report_all(ctx, actions.pause_all(ctx.desk, item_ids, ctx.now), "paused", as_json)


@command(
    "done",
    "techqueue done 12 14   (one, its time and how: done 12 --spent 5m --solution 'new toner')",
)
def done_command(
    ctx: Context,
    item_ids: ItemIds,
    spent: Annotated[
        str | None,
        typer.Option(
            "--spent",
            metavar="DURATION",
            help="For an item never started: the time it took, logged as work ending now.",
        ),
    ] = None,
    solution: Annotated[
        str | None,
        typer.Option(
            "--solution",
            metavar="TEXT",
            help="One line: how it was solved (shown on similar items later).",
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Mark an item done (or several at once).

    Several ids are one action: all are checked first, and one undo reverts them all. With
    --spent, the time it took is logged too (one item, never started; the time may not
    overlap other work: a minute is counted once). With --solution, one line saying how it
    was solved is kept: a new item like it shows that line and the time it took."""
    if solution is not None:
        from techqueue.core.text import clean_text

        solution = clean_text(solution)
        if not solution.strip():
            bad("--solution: say in a few words how it was solved")
        if len(set(item_ids)) > 1:
            bad("--solution goes with one item")
    if spent is None:
        if solution is not None:
            item = actions.done(ctx.desk, item_ids[0], ctx.now, solution).item
            report(ctx, item, "done", as_json)
            return
        report_all(ctx, actions.done_all(ctx.desk, item_ids, ctx.now), "done", as_json)
        return
    from techqueue.core.timeparse import TimeParseError, format_duration, parse_duration

    if len(set(item_ids)) > 1:
        bad("--spent goes with one item (give others their time with: techqueue log ID --spent D)")
    try:
        minutes = parse_duration(spent)
    except TimeParseError as error:
        bad(f"--spent: {error}")
    item = actions.done_spent(ctx.desk, item_ids[0], minutes, ctx.now, solution).item
    report(ctx, item, "done", as_json, f" ({format_duration(minutes)} spent)")


@command("drop", "techqueue drop 12 --reason 'duplicate of 9'   (several: techqueue drop 12 14)")
def drop_command(
    ctx: Context,
    item_ids: ItemIds,
    reason: Annotated[
        str | None, typer.Option("--reason", metavar="TEXT", help="Why it is dropped.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Drop an item that will not be done (or several at once, as one action)."""
    report_all(ctx, actions.drop_all(ctx.desk, item_ids, ctx.now, reason), "dropped", as_json)


@command("reopen", "techqueue reopen 12")
def reopen_command(ctx: Context, item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Put a done or dropped item back in the queue, open."""
    report(ctx, actions.reopen(ctx.desk, item_id, ctx.now).item, "reopened", as_json)


@command(
    "wait",
    "techqueue wait 12 --until tomorrow   (or: wait 12 --on vendor:Acme --chase fri)"
    "techqueue wait 12 --until tomorrow   (on a vendor: wait 12 --on vendor:Acme --chase fri)",
)
def wait_command(
    ctx: Context,
    item_id: ItemId,
    until: Annotated[
        str | None, typer.Option("--until", metavar="WHEN", help="Out of sight until then.")
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--on",
            metavar="WHO",
            help="Waiting on someone else: vendor:NAME, colleague:NAME or a name.",
        ),
    ] = None,
    chase: Annotated[
        str | None,
        typer.Option("--chase", metavar="WHEN", help="With --on: a reminder to chase them then."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Waiting on the customer, or on someone else (--on): it ranks below.

    Its clock stops while it waits. With --on it is out with a vendor, a colleague or anyone
    named; --chase sets a reminder to chase them, and the review lists what is out with whom
    and for how long. Starting it again brings it back."""
    when = ctx.when(until, what="--until") if until is not None else None
    if on is None:
        if chase is not None:
            bad("--chase goes with --on (whom to chase)")
        report(ctx, actions.wait(ctx.desk, item_id, ctx.now, when).item, "waiting", as_json)
        return
    from techqueue.core.text import clean_text
    from techqueue.core.waiting import read_waiting_on

    try:
        who, kind = read_waiting_on(clean_text(on))
    except ValueError as error:
        bad(f"--on: {error}")
    chase_at = ctx.when(chase, what="--chase") if chase is not None else None
    item = actions.wait_on(ctx.desk, item_id, who, kind, ctx.now, chase_at, when).item
    from techqueue.views.text import waiting_on_text

    report(ctx, item, "out:", as_json, f" — {waiting_on_text(item, ctx.now)}")


@command("defer", "techqueue defer 12 tomorrow")
def defer_command(
    ctx: Context,
    item_id: ItemId,
    when: Annotated[
        list[str], typer.Argument(metavar="WHEN", help="Until when: 14:00, tomorrow 9:00, mon.")
    ],
    promise: Annotated[
        bool,
        typer.Option(
            "--promise", help="And promise the customer that time (followed up like any promise)."
        ),
    ] = False,
    say: Annotated[
        str | None,
        typer.Option("--say", metavar="TEXT", help="With --promise: what was said to them."),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Put an item out of the queue until a time.

    With --promise the customer is promised that time too (a way out of an overload)."""
    moment = ctx.when(" ".join(when), what="defer")
    if say is not None and not promise:
        bad("--say goes with --promise")
    if promise:
        item = actions.defer_promised(ctx.desk, item_id, moment, ctx.now, said=say).item
        report(ctx, item, "deferred with a promise", as_json)
        return
    report(ctx, actions.defer(ctx.desk, item_id, moment, ctx.now).item, "deferred", as_json)


@command("handoff", "techqueue handoff 12 --to Sam")
def handoff_command(
    ctx: Context,
    item_id: ItemId,
    to: Annotated[
        str, typer.Option("--to", metavar="NAME", help="Who takes it over (a colleague, a team).")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Hand an item off to someone else: it leaves the queue, reason recorded."""
    from techqueue.core.text import clean_text

    item = actions.handoff(ctx.desk, item_id, to, ctx.now).item
    report(ctx, item, "handed off", as_json, extra=f" to {clean_text(to)}")


@command("pin", "techqueue pin 12")
def pin_command(ctx: Context, item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Pin an item to the top of the queue."""
    report(ctx, actions.pin(ctx.desk, item_id, ctx.now, pinned=True).item, "pinned", as_json)


@command("unpin", "techqueue unpin 12")
def unpin_command(ctx: Context, item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Let a pinned item rank normally again."""
    report(ctx, actions.pin(ctx.desk, item_id, ctx.now, pinned=False).item, "unpinned", as_json)


@command(
    "bump",
    "techqueue bump 12 2   (or: techqueue bump 12 -- -1)",
    context_settings={"ignore_unknown_options": True},
)
def bump_command(
    ctx: Context,
    item_id: ItemId,
    steps: Annotated[
        str,
        typer.Argument(
            metavar="N",
            help=f"Whole steps up (negative: down); the item's total stays between "
            f"-{MAX_BUMP} and {MAX_BUMP}.",
        ),
    ] = "1",
    as_json: JsonOpt = False,
) -> None:
    """Nudge an item up or down by hand; shown as a reason."""
    text = steps.strip()
    digits = text.removeprefix("-").removeprefix("+")
    if not (digits.isascii() and digits.isdigit()):
        bad(
            f"bump: {steps!r} is not a whole number of steps "
            f"(the total stays between -{MAX_BUMP} and {MAX_BUMP})"
        )
    amount = int(text)  # the action refuses 0 and a total past the range, saying the range
    report(ctx, actions.bump(ctx.desk, item_id, amount, ctx.now).item, "bumped", as_json)


@command("note", "techqueue note 12 'Told her 14:00' --promise 14:00")
def note_command(
    ctx: Context,
    item_id: ItemId,
    text: Annotated[
        list[str], typer.Argument(metavar="TEXT", help="The note.", show_default=False)
    ],
    promise: Annotated[
        str | None, typer.Option("--promise", metavar="WHEN", help="A promise falling due then.")
    ] = None,
    contact: Annotated[bool, typer.Option("--contact", help="The customer was updated.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Add a note to an item; a promise or a contact with the customer."""
    from techqueue.core.text import clean_text

    if promise is not None and contact:
        bad("a note is a promise or a contact, not both")
    due = ctx.when(promise, what="--promise") if promise is not None else None
    kind = "promise" if due is not None else "contact" if contact else "plain"
    note = actions.note(
        ctx.desk, item_id, clean_text(" ".join(text)), ctx.now, kind=kind, due_at=due
    )
    if as_json:
        from techqueue.views.json import note_json

        print_json(note_json(note))
    else:
        echo(
            f"noted on {ctx.label(ctx.store.get(item_id))}"
            + (f" (promise due {due:%a %H:%M})" if due else "")
        )


@command("vip", "techqueue vip 'Dana Scully'   (or: techqueue vip dana@corp.example --off)")
def vip_command(
    ctx: Context,
    who: Annotated[str, typer.Argument(metavar="NAME", help="The requester's name or email.")],
    off: Annotated[bool, typer.Option("--off", help="No longer VIP.")] = False,
    new: Annotated[
        bool, typer.Option("--new", help="Create the requester when nobody has that name.")
    ] = False,
) -> None:
    """Mark a requester as VIP: all their items are seen first.

    The name or email must be one techqueue knows (any case), so a typo does not make a new
    person; --new creates them."""
    from techqueue.core.text import clean_text

    name = clean_text(who) or bad("vip: give a name or an email")
    if off and new:
        bad("vip: --new creates a VIP, --off unmarks one: not both")
    from techqueue.core.people import split_person

    if not (off or new) and ctx.store.find_person(*split_person(name)) is None:
        bad(f"no requester called {name!r} — check the spelling, or add --new to create them")
    requester = actions.set_vip(ctx.desk, name, ctx.now, vip=not off)
    echo(f"{requester.name} is {'no longer ' if off else 'now '}VIP")
