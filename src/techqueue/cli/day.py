"""The working day from the shell: ``review``, ``carry``, ``morning`` and the work ``log``."""

from __future__ import annotations

import sys
from datetime import date, datetime
from datetime import time as clock
from typing import Annotated

from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.options import DateOpt, JsonOpt
from techqueue.cli.output import bad, echo, print_json
from techqueue.cli.registry import command
from techqueue.domain import MAX_ID
from techqueue.records import SpanRecord


def _day(ctx: Context, text: str | None) -> date:
    """The working day meant: ``--date`` as people say it (``yesterday``, ``mon``, ``mar 5``,
    ``2026-03-02``; docs/times.md), or today. Both count from today's working day, by the
    day boundary, so ``yesterday`` just after midnight is still the day before the one
    being worked."""
    from techqueue.core.timeparse import TimeParseError, parse_day
    from techqueue.core.workday import day_of

    today = day_of(ctx.now, ctx.settings.day_boundary, ctx.now.tzinfo)
    if text is None:
        return today
    try:
        return parse_day(text, today)
    except TimeParseError as error:
        bad(f"--date: {error}")


def _period(ctx: Context, text: str | None, week: bool) -> tuple[datetime, datetime]:
    from techqueue.core.workday import day_span, week_span

    day = _day(ctx, text)
    try:
        span = week_span if week else day_span
        return span(day, ctx.settings.day_boundary, ctx.now.tzinfo)
    except OverflowError:
        bad(f"--date: {text!r} is too far in the future")


@command("review", "techqueue review --markdown > today.md")
def review_command(
    ctx: Context,
    date: DateOpt = None,
    week: Annotated[
        bool, typer.Option("--week", help="The whole week (Monday to Sunday).")
    ] = False,
    as_json: JsonOpt = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown report.")] = False,
) -> None:
    """The day's review: what was done and where the time went.

    Also promises kept and broken, and what is still open; in a terminal, the review screen
    with the carry-over decisions."""
    if as_json and markdown:
        bad("choose one of --json and --markdown")
    start, end = _period(ctx, date, week)
    if not (as_json or markdown) and sys.stdin.isatty() and sys.stdout.isatty():
        _open_review(ctx, start, end)
        return
    from techqueue.views.review import read_review, review_markdown, review_text

    review = read_review(ctx.desk, start, end, ctx.now)
    if as_json:
        from techqueue.views.json import review_json

        print_json(review_json(review))
    elif markdown:
        echo(review_markdown(review))
    else:
        for line in review_text(review):
            echo(line)


def _open_review(ctx: Context, start: datetime, end: datetime) -> None:
    """The review screen on its own, for ``techqueue review`` in a terminal."""
    from techqueue.app import ReviewApp
    from techqueue.cli.clock import now

    app = ReviewApp(ctx.store, ctx.settings, now, start, end)
    try:
        app.run()
    finally:
        app.session.close()


@command("carry", "techqueue carry 12 --promise 'tomorrow 10:00' --note 'Waiting for the part'")
def carry_command(
    ctx: Context,
    item_ids: Annotated[
        list[int] | None,
        typer.Argument(
            metavar="ID", help="Items to carry over to the next day.", show_default=False
        ),
    ] = None,
    promise: Annotated[
        str | None,
        typer.Option("--promise", metavar="WHEN", help="A new promise to the customer, due then."),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", metavar="TEXT", help="Why, or what was said.")
    ] = None,
    rest: Annotated[
        bool,
        typer.Option("--rest", help="Every open item not decided today: carried over as skipped."),
    ] = False,
) -> None:
    """Carry items over to the next day: the end-of-day decision.

    Defer, bump and drop decide the others."""
    from techqueue import actions
    from techqueue.core.text import clean_text

    if rest == bool(item_ids):
        bad("carry needs item numbers, or --rest (not both)")
    if rest and (promise or note):
        bad("--rest carries over as skipped: no --promise or --note with it")
    due = ctx.when(promise, what="--promise") if promise is not None else None
    if due is not None and due <= ctx.now:
        bad("--promise: that time has already passed")
    text = None
    if note is not None:
        text = clean_text(note) or bad("--note: a note needs some text")
    ids = list(item_ids or [])
    if any(not 1 <= item_id <= MAX_ID for item_id in ids):
        bad("carry: item numbers start at 1")
    if rest:
        from techqueue.core.workday import today_span

        today = today_span(ctx.now, ctx.settings.day_boundary)
        items = actions.carry_rest(ctx.desk, *today, now=ctx.now)
        if not items:
            echo("Nothing left undecided today.")
            return
    else:
        items = actions.carry_over(ctx.desk, ids, ctx.now, note=text, promise_due_at=due)
    verb = "carried over (skipped at the review)" if rest else "carried over"
    for item in items:
        echo(f"{verb} {ctx.label(item)}")


@command("morning", "techqueue morning --json")
def morning_command(ctx: Context, as_json: JsonOpt = False) -> None:
    """The start of the day: what was carried over and what is due.

    Carried-over items, promises due, today's appointments, reminders, items deferred to
    today."""
    from techqueue import actions
    from techqueue.views.morning import morning_lines, read_morning

    stopped = actions.close_overnight(ctx.desk, ctx.now)
    morning = read_morning(ctx.desk, ctx.now)
    titles = {span.item_id: ctx.store.get(span.item_id).title for span in stopped}
    if as_json:
        from techqueue.views.json import morning_json, span_json

        data = morning_json(morning)
        data["timers_stopped"] = [
            span_json(span, titles[span.item_id], _minutes(span), running=False) for span in stopped
        ]
        print_json(data)
        return
    from techqueue.views.text import timer_stopped_lines

    echo(f"Good morning: {morning.day:%A %d %B}")
    for line in timer_stopped_lines(stopped, titles, ctx.now):
        echo(line)  # said, never silent: only the technician knows whether they worked on
    sections = morning_lines(morning, ctx.now)
    if not sections:
        echo("Nothing carried over, nothing due: a clean start.")
    for heading, lines in sections:
        echo(f"{heading}:")
        for line in lines:
            echo(f"  {line}")
    if morning.escalate:
        echo("  (raise one: techqueue bump ID)")


def _minutes(span: SpanRecord) -> float:
    assert span.ended_at is not None
    return (span.ended_at - span.started_at).total_seconds() / 60


@command(
    "log",
    "techqueue log 12 --spent 20m   (correct span 7: techqueue log 7 --end 17:30)",
)
def log_command(
    ctx: Context,
    number: Annotated[
        int | None,
        typer.Argument(
            metavar="ID",
            help="An item (alone: its spans; with --spent: time on it), or, with --start or "
            "--end, the work span to correct.",
            min=1,
            max=MAX_ID,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="WHEN", help="The span's new start: 9:40, ISO."),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option("--end", metavar="WHEN", help="The span's new end: 17:30, ISO."),
    ] = None,
    spent: Annotated[
        str | None,
        typer.Option(
            "--spent", metavar="DURATION", help="Time spent on the item, given after the fact."
        ),
    ] = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="WHEN", help="When that time ended (default: now)."),
    ] = None,
    date: DateOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The work log: see it, give time after the fact, or correct a span.

    \b
    log                           a day's spans, with ids (--date D: another day)
    log ID                        every span of item ID
    log ID --spent D [--at WHEN]  D of work on item ID, ending then (default: now)
    log SPAN --start/--end WHEN   correct work span SPAN (17:30: on its own day)

    A span may not overlap another: a minute of work is counted once."""
    from techqueue import actions
    from techqueue.core.timeparse import format_duration
    from techqueue.core.workday import span_end
    from techqueue.views.text import clean

    store = ctx.store
    said: str | None = None
    empty = "No work logged that day."
    correcting = start is not None or end is not None
    if spent is None and at is not None:
        bad("log: --at says when the time given with --spent ended")
    if correcting and spent is not None:
        bad("log: --start and --end correct a span, --spent gives an item time: not both")
    if number is not None and date is not None:
        bad("log: --date lists a day: give it without an id")
    if number is None:
        if correcting:
            bad("log: --start and --end correct a span: give its id (techqueue log 7 --end 17:30)")
        if spent is not None:
            bad("log: --spent gives an item time: give its id (techqueue log 12 --spent 20m)")
        day_start, day_end = _period(ctx, date, False)
        spans = store.spans_between(day_start, day_end)
    elif correcting:
        span = store.span(number)
        actions.correct_span(
            ctx.desk,
            number,
            ctx.now,
            started_at=_span_time(ctx, start, span.started_at, "--start"),
            ended_at=_span_time(ctx, end, span.started_at, "--end"),
        )
        spans = [store.span(number)]
        said = f"corrected work span {number}"
    elif spent is not None:
        from techqueue.core.timeparse import TimeParseError, parse_duration

        try:
            minutes = parse_duration(spent)
        except TimeParseError as error:
            bad(f"--spent: {error}")
        until = ctx.when(at, past=True, what="--at") if at is not None else None
        logged = actions.log_time(ctx.desk, number, minutes, ctx.now, end=until)
        spans = [logged]
        said = f"logged {format_duration(minutes)} on {ctx.label(store.get(number))}"
    else:
        item = store.get(number)
        spans = store.spans([number])
        empty = f"No work logged on {ctx.label(item)}."
    items = store.items_by_id(span.item_id for span in spans)
    settings = ctx.settings
    rows = []
    for span in spans:
        finish, cut = span_end(span, ctx.now, settings.hours, settings.day_boundary, None)
        minutes = max((finish - span.started_at).total_seconds() / 60, 0.0)
        rows.append((span, finish, cut, minutes))
    if as_json:
        from techqueue.views.json import span_json

        print_json(
            [
                span_json(
                    span,
                    items[span.item_id].title if span.item_id in items else None,
                    minutes,
                    running=span.ended_at is None and not cut,
                )
                for span, _, cut, minutes in rows
            ]
        )
        return
    if said is not None:
        echo(said)
    if not rows:
        echo(empty)
    zone = ctx.now.tzinfo
    for span, finish, cut, minutes in rows:
        title = clean(items[span.item_id].title) if span.item_id in items else "?"
        local_start = span.started_at.astimezone(zone)
        running = span.ended_at is None and not cut
        shown_end = "running" if running else finish.astimezone(zone).strftime("%H:%M")
        said = f"  ({clean(span.note)})" if span.note else ""
        if span.ended_at is None and cut:
            said = "  (left running: counted to the end of the working day)"
        echo(
            f"{span.id:>5}  {local_start:%a %d %b %H:%M}–{shown_end:<7} "
            f"{format_duration(minutes):>8}  #{span.item_id} {title}{said}"
        )


def _span_time(ctx: Context, text: str | None, day_of_span: datetime, what: str) -> datetime | None:
    """A corrected time: a bare clock time is on the span's own day; anything else as usual."""
    if text is None:
        return None
    stripped = text.strip()
    if len(stripped) in (4, 5) and ":" in stripped:
        try:
            moment = clock.fromisoformat(stripped.zfill(5))
        except ValueError:
            bad(f"{what}: {text!r} is not a clock time like 9:40 or 17:30")
        local = day_of_span.astimezone(ctx.now.tzinfo)
        return datetime.combine(local.date(), moment, tzinfo=local.tzinfo)
    return ctx.when(text, past=True, what=what)
