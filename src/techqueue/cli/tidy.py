"""Keeping the pile tidy: ``requesters`` (the people served, their spellings linked into one
person), ``dupes`` (work captured twice) and ``merge`` (made one again, both histories kept)."""

from __future__ import annotations

from typing import Annotated

from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.options import ItemId, JsonOpt
from techqueue.cli.output import bad, echo, print_json
from techqueue.cli.registry import command
from techqueue.cli.report import report
from techqueue.domain import MAX_ID


@command(
    "requesters",
    "techqueue requesters   (one person: techqueue requesters --link Dana --to dana@corp.example)",
)
def requesters_command(
    ctx: Context,
    as_json: JsonOpt = False,
    link: Annotated[
        str | None,
        typer.Option("--link", metavar="SPELLING", help="A name or address to make --to's."),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", metavar="PERSON", help="Whom --link's spelling is (name or address)."),
    ] = None,
) -> None:
    """The people served: name, address, organisation, VIP, open items.

    --link with --to joins two spellings of one person (Dana, and Dana Reyes with her
    address): their items become one person's, and either spelling finds them from then on."""
    from techqueue.core.text import clean_text

    if (link is None) != (to is None):
        bad("--link SPELLING goes with --to PERSON")
    if link is not None and to is not None:
        from techqueue import actions

        spelling = clean_text(link) or bad("--link: give a name or an address")
        whom = clean_text(to) or bad("--to: give a name or an address")
        kept = actions.link_requesters(ctx.desk, whom, spelling, ctx.now)
        echo(f"{spelling} is now {kept.name}" + (f" <{kept.email}>" if kept.email else ""))
        return
    from techqueue.views.people import people

    found = people(ctx.desk)
    if as_json:
        print_json(
            [
                {
                    "id": person.record.id,
                    "name": person.record.name,
                    "email": person.record.email,
                    "organisation": person.organisation,
                    "vip": person.vip_by is not None,
                    "vip_by": person.vip_by,
                    "also_known_as": list(person.spellings),
                    "open_items": person.open_items,
                }
                for person in found
            ]
        )
        return
    if not found:
        echo("No requesters yet.")
        return
    for person in found:
        record = person.record
        parts = [clean_text(record.name)]
        if record.email and record.email != record.name:
            parts.append(f"<{record.email}>")
        if person.vip_by:
            parts.append("VIP" if person.vip_by == "marked" else "VIP (domain)")
        if person.spellings:
            parts.append("also: " + ", ".join(clean_text(s) for s in person.spellings))
        if person.open_items:
            parts.append(f"{person.open_items} open")
        echo(f"{record.id}\t" + "  ".join(parts))


@command("dupes", "techqueue dupes --within 2d")
def dupes_command(
    ctx: Context,
    as_json: JsonOpt = False,
    within: Annotated[
        str | None,
        typer.Option(
            "--within", metavar="DURATION", help="How close in time: 72h, 2d (default 3 days)."
        ),
    ] = None,
) -> None:
    """Likely duplicates: the same requester, a similar title, close in time.

    Each pair is listed first-received first; merge them with: techqueue merge A B."""
    from techqueue.core.similar import DUPE_WINDOW
    from techqueue.views.people import duplicates

    window = DUPE_WINDOW
    if within is not None:
        from datetime import timedelta

        from techqueue.core.timeparse import TimeParseError, parse_duration

        text = within.strip().lower()
        try:
            if text.endswith("d") and text[:-1].isdigit():  # days, which durations do not say
                text = f"{int(text[:-1]) * 24}h"
            window = timedelta(minutes=parse_duration(text))
        except TimeParseError as error:
            bad(f"--within: {error}")
    pairs = duplicates(ctx.desk, window)
    if as_json:
        from techqueue.views.json import iso

        print_json(
            [
                {
                    "first": pair.first.id,
                    "second": pair.second.id,
                    "titles": [pair.first.title, pair.second.title],
                    "requester": pair.first.requester,
                    "similarity": round(pair.similarity, 3),
                    "apart_minutes": round(pair.apart.total_seconds() / 60, 1),
                    "received_at": [iso(pair.first.received_at), iso(pair.second.received_at)],
                }
                for pair in pairs
            ]
        )
        return
    if not pairs:
        echo("No likely duplicates.")
        return
    for pair in pairs:
        echo(
            f"{ctx.label(pair.first)}  ~  {ctx.label(pair.second)}  "
            f"({pair.first.requester}, {round(pair.similarity * 100)}% alike)  "
            f"-> techqueue merge {pair.first.id} {pair.second.id}"
        )


@command("merge", "techqueue merge 12 15")
def merge_command(
    ctx: Context,
    keep: ItemId,
    other: Annotated[
        int,
        typer.Argument(
            metavar="ID", help="The item merged into the first (it goes).", min=1, max=MAX_ID
        ),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Merge the second item into the first: one item, both histories.

    Notes, reminders and work log move to the first; it takes the more severe severity, the
    earlier arrival, due time and promise, every tag and the longer wait."""
    from techqueue import actions

    merged = actions.merge(ctx.desk, keep, other, ctx.now)
    report(ctx, merged.item, "merged", as_json, f" (#{merged.merged} merged into it)")
