"""``overload``: who will wait past three times their target at the current pace, what to
tell each, and the ways out — the same notice the app's header counts."""

from __future__ import annotations

from typing import Any

from techqueue.cli.context import Context
from techqueue.cli.options import JsonOpt
from techqueue.cli.output import echo, print_json
from techqueue.cli.registry import command

__all__ = ["overload_command"]


@command("overload", "techqueue overload --json")
def overload_command(ctx: Context, as_json: JsonOpt = False) -> None:
    """Who will wait past 3× their target, and what to tell them.

    The soonest deadline first, each with the sentence to say and the ways out: defer with a
    promise, hand off, or raise."""
    from techqueue.views.overload import read_overload

    view = read_overload(ctx.desk, ctx.now)
    if as_json:
        from techqueue.views.json import iso

        overload = view.overload
        data: dict[str, Any] = {
            "overloaded": overload.overloaded,
            "work_minutes": round(overload.work_minutes, 1),
            "left_today_minutes": round(overload.left_today, 1),
            "beyond_today_minutes": round(overload.beyond_today, 1),
            "will_wait_too_long": overload.will_wait_too_long,
            "people": overload.people,
            "items": [
                {
                    "id": line.item.id,
                    "title": line.item.title,
                    "requester": line.item.requester,
                    "severity": line.item.severity,
                    "impact": line.item.impact,
                    "breach_at": iso(line.breach_at),
                    "expected_start": iso(line.expected_start),
                    "late_minutes": round(line.late_minutes, 1),
                    "already": line.already,
                    "will_breach": line.will_breach,
                    "tell": line.tell,
                }
                for line in view.lines
            ],
        }
        print_json(data)
        return
    from techqueue.core.worktime import working_duration
    from techqueue.views.text import clean, when

    if not view.lines:
        echo("Nobody will wait past 3× their target at this pace.")
        return
    echo(view.headline or "Nobody will wait past 3× their target, but these are close:")
    for line in view.lines:
        item = line.item
        who = f" — {clean(item.requester)}" if item.requester else ""
        if line.already:
            state = f"past its 3× deadline since {when(line.breach_at, ctx.now)}"
        elif line.will_breach:
            state = (
                f"waits past {when(line.breach_at, ctx.now)} "
                f"by {working_duration(line.late_minutes)}"
            )
        else:
            state = f"only just in time for {when(line.breach_at, ctx.now)}"
        echo(
            f"#{item.id} {clean(item.title)}{who}: {state}; likely "
            f"{when(line.expected_start, ctx.now)}"
        )
        echo(f"  Tell them: {line.tell}")
        echo(
            f"  Ways out: techqueue defer {item.id} WHEN --promise · "
            f"techqueue handoff {item.id} --to NAME · techqueue bump {item.id}"
        )
