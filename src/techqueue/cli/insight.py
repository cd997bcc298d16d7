"""Insight from the shell: ``report``, the most common issues and where the time went over the
last weeks, against the weeks before. The app shows the same report on its ``I`` screen."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from techqueue.cli.context import Context
from techqueue.cli.options import JsonOpt
from techqueue.cli.output import bad, echo, print_json
from techqueue.cli.registry import command


@command("report", "techqueue report --weeks 12 --markdown > quarter.md")
def report_command(
    ctx: Context,
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            metavar="N",
            help="How many weeks, ending today (4); compared with the N before.",
        ),
    ] = 4,
    as_json: JsonOpt = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown report.")] = False,
) -> None:
    """Insight: the most common issues and where the time went.

    Top tags, requesters, organisations and channels by count and by time, how many were
    answered late and by how much, the trend against the weeks before (arrows and a
    sparkline per week), and the five issues that cost the most time this month."""
    from techqueue.core.insight import MAX_WEEKS

    if as_json and markdown:
        bad("choose one of --json and --markdown")
    if not 1 <= weeks <= MAX_WEEKS:
        bad(f"--weeks: give 1 to {MAX_WEEKS} weeks")
    from techqueue.views.insight import read_insight

    insight = read_insight(ctx.desk, ctx.now, weeks)
    if as_json:
        from techqueue.views.json import insight_json

        print_json(insight_json(insight))
    elif markdown:
        from techqueue.views.insight import insight_markdown

        echo(insight_markdown(insight))
    elif sys.stdout.isatty():
        from rich.console import Console

        from techqueue.views.insight import insight_renderable

        Console().print(insight_renderable(insight))
    else:
        from techqueue.views.insight import insight_text

        for line in insight_text(insight):
            echo(line)
