"""Serving everyone from the shell: ``appoint`` (a slot booked with a customer), ``answers``
(canned answers, filled in for an item), ``recurring`` and ``stop`` (recurring work). Each
change is one action of :mod:`techqueue.actions`, the same the app's keys run."""

from __future__ import annotations

from typing import Annotated

import typer

from techqueue import actions
from techqueue.cli.context import Context
from techqueue.cli.options import ItemId, JsonOpt
from techqueue.cli.output import bad, echo, print_json
from techqueue.cli.registry import command
from techqueue.cli.report import report
from techqueue.domain import MAX_ID


@command(
    "appoint", "techqueue appoint 12 14:00 --for 30m   (off again: techqueue appoint 12 --cancel)"
)
def appoint_command(
    ctx: Context,
    item_id: ItemId,
    when: Annotated[
        list[str] | None,
        typer.Argument(metavar="WHEN", help="The slot: 14:00, tomorrow 9:30, fri 10:00."),
    ] = None,
    length: Annotated[
        str | None,
        typer.Option("--for", metavar="DURATION", help="How long the slot lasts (default 30m)."),
    ] = None,
    cancel: Annotated[bool, typer.Option("--cancel", help="Cancel the booked slot.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Book a slot with the customer: it ranks first when the time comes.

    The item leaves the queue until shortly before the slot, then ranks first; other work is
    planned around the slot. Booking again moves the slot; --cancel puts the item back in
    the queue now."""
    if cancel:
        if when or length is not None:
            bad("appoint --cancel takes only the item's number")
        item = actions.cancel_appointment(ctx.desk, item_id, ctx.now).item
        report(ctx, item, "appointment cancelled for", as_json)
        return
    if not when:
        bad("appoint needs ID WHEN (or ID --cancel)")
    minutes = None
    if length is not None:
        from techqueue.core.timeparse import TimeParseError, parse_duration

        try:
            minutes = parse_duration(length)
        except TimeParseError as error:
            bad(f"--for: {error}")
    at = ctx.when(" ".join(when), what="appoint")
    item = actions.appoint(ctx.desk, item_id, at, ctx.now, minutes).item
    from techqueue.views.text import appointment_text

    report(ctx, item, "booked", as_json, f": {appointment_text(item, ctx.now)}")


@command("answers", "techqueue answers   (filled in for an item: techqueue answers 12 --contact)")
def answers_command(
    ctx: Context,
    item_id: Annotated[
        int | None,
        typer.Argument(metavar="ID", help="Fill the answer in for this item.", min=1, max=MAX_ID),
    ] = None,
    tag: Annotated[
        str | None,
        typer.Option("--tag", metavar="TAG", help="The answer of this tag (default: the item's)."),
    ] = None,
    contact: Annotated[
        bool, typer.Option("--contact", help="And note that the customer was told it.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Canned answers by tag; with an item, the one that fits it, filled in.

    The answers are the config file's [answers] table (tag = "text", with {name}, {eta},
    {ticket} and {title}; "default" for items whose tags have none). With --contact the
    filled-in answer is recorded as a contact with the customer."""
    from techqueue.core.text import clean_text

    answers = ctx.settings.answers
    if item_id is None:
        if tag is not None or contact:
            bad("--tag and --contact go with an item's number")
        if as_json:
            print_json([{"tag": key, "text": text} for key, text in answers.items()])
            return
        if not answers:
            echo("No canned answers: add an [answers] table to the config file.")
        for key, text in answers.items():
            echo(f"{clean_text(key)}\t{clean_text(text)}")
        return
    from techqueue.views.answers import answer_for

    answer = answer_for(ctx.desk, item_id, ctx.now, tag)
    if answer is None:
        if tag is not None:
            bad(f"no canned answer for #{clean_text(tag)} (answers lists them)")
        bad("no canned answer fits: add a default one to the config's [answers]")
    if contact:
        actions.note(ctx.desk, item_id, f"Told them: {answer.text}", ctx.now, kind="contact")
    if as_json:
        print_json({"item_id": item_id, "tag": answer.key, "text": answer.text, "noted": contact})
    else:
        echo(answer.text)


@command(
    "recurring",
    "techqueue recurring   (add one: techqueue add 'check backups ~15m every:mon 9:00')",
)
def recurring_command(
    ctx: Context,
    show_all: Annotated[bool, typer.Option("--all", help="Stopped rules too.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """The recurring rules: what comes back when, and its next instance.

    Recurring work is added with every: in the quick-add line (every:day, every:mon 9:00,
    every:1st, every:2w); finishing or dropping an instance schedules the next; stop ends
    a rule."""
    from techqueue.views.recurring import read_recurring, recurring_json, recurring_line

    entries = read_recurring(ctx.desk, include_stopped=show_all)
    if as_json:
        print_json([recurring_json(entry) for entry in entries])
        return
    if not entries:
        echo("No recurring work: add some with every: (add 'check backups every:mon 9:00').")
    for entry in entries:
        echo(recurring_line(entry, ctx.now))


@command("stop", "techqueue stop 3   (the recurring rule's number, from: techqueue recurring)")
def stop_command(
    ctx: Context,
    rule_id: Annotated[
        int,
        typer.Argument(metavar="RID", help="The recurring rule's number.", min=1, max=MAX_ID),
    ],
) -> None:
    """End a recurring rule: no more instances.

    Its instance still waiting for its time is dropped with it; one already in the queue
    stays, to finish or drop."""
    from techqueue.core.text import clean_text

    rule = actions.stop_recurring(ctx.desk, rule_id, ctx.now)
    echo(f"stopped recurring {rule.id}: every {clean_text(rule.rule)}")
