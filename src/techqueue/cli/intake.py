"""Work that arrived elsewhere: ``import-mail`` (mbox, Maildir, ``.eml``), ``import-csv`` (a
ticket system's export) and ``export-ics`` (promises, reminders and due times for a calendar).

Files are read first (with a progress bar when that takes a while), then everything is
imported in one action: a bad mail or row refuses the whole import, listed, and nothing is
half-imported. Each ends with one summary line: added, updated, skipped, refused.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.options import JsonOpt
from techqueue.cli.output import bad, echo, note, print_json
from techqueue.cli.registry import command

if TYPE_CHECKING:
    from techqueue.actions.intake import Imported
    from techqueue.core.intake import Decision, Incoming

DryRunOpt = Annotated[
    bool, typer.Option("--dry-run", help="Show what would be imported; change nothing.")
]


@command("import-mail", "techqueue import-mail ~/Mail/inbox.mbox ~/Maildir/helpdesk")
def import_mail_command(
    ctx: Context,
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH", help="An mbox file, a Maildir, .eml files.", show_default=False
        ),
    ],
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Import mail: one item per conversation, a reply as a note on its item.

    The subject (without Re:/Fwd:/AW:) is the title, the sender the requester, the Date
    header when it arrived, the Message-ID its ref. A reply opens its item again when it was
    waiting on the customer. Mail imported before is skipped: importing twice adds nothing."""
    from techqueue.cli.progress import Progress
    from techqueue.core.mail import mail_arrival
    from techqueue.sources import mail_sources

    sources = mail_sources(paths)
    intake = ctx.settings.intake
    arrivals: list[Incoming] = []
    refused: list[str] = []
    with Progress("reading mail", sum(source.count for source in sources)) as progress:
        for source in sources:
            for where, data in source.messages():
                if not data.strip():
                    refused.append(f"{where}: empty")
                else:
                    arrivals.append(mail_arrival(data, intake, where))
                progress.advance()
    names = ", ".join(path.name or str(path) for path in paths)
    _import(ctx, "import-mail", arrivals, refused, f"mail: {names}", dry_run, as_json)


@command("import-csv", "techqueue import-csv tickets.csv --column title=Summary --dry-run")
def import_csv_command(
    ctx: Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A CSV export (- for stdin).", show_default=False)
    ],
    mapping: Annotated[
        str,
        typer.Option(
            "--mapping", metavar="NAME", help="A column mapping of the config (ready: generic)."
        ),
    ] = "generic",
    column: Annotated[
        list[str] | None,
        typer.Option(
            "--column", metavar="FIELD=HEADING", help="Which column a field is (repeatable)."
        ),
    ] = None,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Import a ticket system's CSV export: one item per row, all or nothing.

    Fields: title, ref, requester, email, severity, received, due, tags, note. The generic
    mapping knows the usual headings (Ticket ID, Subject, Requester, Priority, Created …); a
    named mapping in the config ([intake.csv.NAME]) or --column says what differs. Rows whose
    ref was imported before are skipped; bad rows are listed with their line numbers."""
    from techqueue.cli.progress import Progress
    from techqueue.core.csvrows import (
        FIELDS,
        BadRow,
        MappingError,
        column_map,
        mapping_named,
        row_arrival,
    )
    from techqueue.sources import read_csv

    stdin = str(file) == "-"
    table = read_csv(None if stdin else file, sys.stdin.read() if stdin else None)
    try:
        columns = column_map(
            mapping_named(mapping, ctx.settings.intake, column or ()), table.headings
        )
    except MappingError as error:
        bad(f"import-csv: {error}")
    for pair in column or ():
        field = pair.partition("=")[0].strip().lower()
        if field in FIELDS and field not in columns.columns:
            bad(f"import-csv: --column {pair}: no such heading in {file}")
    arrivals: list[Incoming] = []
    refused: list[str] = []
    with Progress("reading rows", len(table.rows)) as progress:
        for line, values in table.rows:
            if len(values) > len(table.headings):
                refused.append(
                    f"line {line}: {len(values)} cells, the heading row has {len(table.headings)}"
                )
            else:
                read = row_arrival(
                    values, line, columns, ctx.settings.intake, ctx.now, ctx.settings.hours
                )
                if isinstance(read, BadRow):
                    refused.append(str(read))
                else:
                    arrivals.append(read)
            progress.advance()
    source = f"csv: {'stdin' if stdin else file.name}"
    _import(ctx, "import-csv", arrivals, refused, source, dry_run, as_json)


def _import(
    ctx: Context,
    command: str,
    arrivals: Sequence[Incoming],
    refused: list[str],
    source: str,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Refuse the whole import when anything was refused (each listed on stderr), show the
    plan for a dry run, or import; then the summary line."""
    from techqueue import actions
    from techqueue.core.text import plural

    for problem in refused:
        note(f"{command}: {problem}")
    if dry_run:
        decisions = actions.plan_import(ctx.desk, arrivals)
        _show_plan(decisions, len(refused), as_json)
        if refused:
            bad(f"{command}: {plural(len(refused), 'refusal')} above: the import would fail")
        return
    if refused:
        bad(f"{command}: nothing imported: {plural(len(refused), 'refusal')} above")
    result = actions.import_arrivals(ctx.desk, arrivals, ctx.now, source=source)
    if as_json:
        print_json(_imported_json(result))
        return
    echo(f"{command}: {_summary(result)}")


def _summary(result: Imported) -> str:
    reopened = f" ({len(result.reopened)} reopened)" if result.reopened else ""
    return (
        f"{len(result.added)} added, {len(result.updated)} updated{reopened}, "
        f"{result.skipped} skipped, 0 refused"
    )


def _imported_json(result: Imported) -> dict[str, object]:
    return {
        "added": list(result.added),
        "updated": list(result.updated),
        "reopened": list(result.reopened),
        "skipped": result.skipped,
        "refused": 0,
    }


def _show_plan(decisions: Sequence[Decision], refused: int, as_json: bool) -> None:
    from techqueue.views.text import clean

    counts = {kind: sum(1 for d in decisions if d.kind == kind) for kind in ("add", "reply")}
    skipped = len(decisions) - counts["add"] - counts["reply"]
    if as_json:
        print_json(
            {
                "would_add": [_arrival_json(d.incoming) for d in decisions if d.kind == "add"],
                "would_update": [
                    {**_arrival_json(d.incoming), "item_id": d.item_id}
                    for d in decisions
                    if d.kind == "reply"
                ],
                "skipped": skipped,
                "refused": refused,
            }
        )
        return
    for decision in decisions:
        arrival = decision.incoming
        who = arrival.requester_name or arrival.requester_email
        said = clean(arrival.title) + (f" (from {clean(who)})" if who else "")
        if decision.kind == "add":
            echo(f"add: {said}")
        elif decision.kind == "reply":
            target = f"#{decision.item_id}" if decision.item_id is not None else "a new item"
            echo(f"note on {target}: {said}")
    echo(f"would add {counts['add']}, update {counts['reply']}, skip {skipped}, refuse {refused}")


def _arrival_json(arrival: Incoming) -> dict[str, object]:
    from techqueue.views.json import iso

    return {
        "title": arrival.title,
        "requester": arrival.requester_name,
        "email": arrival.requester_email,
        "severity": arrival.severity or "normal",
        "received_at": iso(arrival.received_at),
        "ref": arrival.ref,
        "where": arrival.where,
    }


@command("export-ics", "techqueue export-ics ~/calendar/techqueue.ics")
def export_ics_command(
    ctx: Context,
    file: Annotated[
        Path | None, typer.Argument(metavar="FILE", help="Where to write (default: stdout).")
    ] = None,
) -> None:
    """Promises, reminders and due times as an iCalendar (.ics) file.

    For a calendar app to subscribe to; written whole or not at all, so cron can run it to keep
    a subscribed calendar current."""
    from techqueue.cli.files import is_stdout, write_file
    from techqueue.views.calendar import calendar_events, ics

    to_stdout = is_stdout(file, "export-ics")
    events = calendar_events(ctx.desk, ctx.now)
    data = ics(events, ctx.now)
    counts: dict[str, int] = {}
    for event in events:
        counts[event.kind] = counts.get(event.kind, 0) + 1
    from techqueue.core.calendar import KIND_WORDS
    from techqueue.core.text import plural

    said = ", ".join(plural(counts.get(kind, 0), *words) for kind, words in KIND_WORDS.items())
    if to_stdout or file is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        note(f"export-ics: {said}")
        return
    write_file(file, data, "export-ics")
    echo(f"export-ics: {said} to {file}")
