"""Reminders from the shell: ``remind`` (and ``remind --due`` at every shell prompt),
``reminders``, ``snooze`` and ``dismiss``."""

from __future__ import annotations

from typing import Annotated, Any

from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.options import JsonOpt, ReminderId
from techqueue.cli.output import PROG, bad, echo, note, print_json
from techqueue.cli.registry import command
from techqueue.domain import MAX_ID


@command("remind", "techqueue remind 12 16:00 call Alice back   (ID - for a free-standing one)")
def remind_command(
    ctx: Context,
    target: Annotated[
        str | None, typer.Argument(metavar="ID", help="Item number, or - for none.")
    ] = None,
    when: Annotated[
        str | None, typer.Argument(metavar="WHEN", help="When: 16:00, +30m, tomorrow 9:00.")
    ] = None,
    text: Annotated[
        list[str] | None, typer.Argument(metavar="TEXT", help="What to remember.")
    ] = None,
    due: Annotated[bool, typer.Option("--due", help="Print the reminders due now.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Set a reminder, or with --due print what is due (always exit 0)."""
    if due:
        _due(ctx, as_json)
        return
    if target is None or when is None or not text:
        bad("remind needs ID WHEN TEXT (ID - for a free-standing reminder)")
    from techqueue.core.text import clean_text

    item_id = None
    if target != "-":
        if not (target.isascii() and target.isdigit()) or not 1 <= int(target) <= MAX_ID:
            bad(f"remind: {target!r} is not an item number (or - for none)")
        item_id = int(target)
    moment = ctx.when(when, what="remind")
    if moment <= ctx.now:
        bad("remind: that time has already passed")
    from techqueue import actions

    reminder = actions.remind(ctx.desk, item_id, moment, clean_text(" ".join(text)), ctx.now)
    if as_json:
        from techqueue.views.json import reminder_json

        print_json(reminder_json(reminder, ctx.now))
    else:
        echo(f"reminder {reminder.id} at {moment:%a %d %b %H:%M}")


def _due(ctx: Context, as_json: bool) -> None:
    """Reminders due, broken promises and customers waiting too long for news: everything
    that needs a follow-up now."""
    from techqueue.views.followups import read_followups

    now = ctx.now
    try:
        followups = read_followups(ctx.desk, now)
    except Exception as error:  # for a shell prompt: say it, but never fail the prompt
        note(f"{PROG}: {error}")
        return
    if as_json:
        from techqueue.views.json import iso, reminder_json

        data: list[dict[str, Any]] = [reminder_json(r, now) for r in followups.reminders]
        data += [
            {
                "kind": "promise",
                "item_id": item.id,
                "item_title": item.title,
                "text": f"promise to {item.requester or 'the customer'} broken",
                "due_at": iso(item.promise_due_at),
                "due": True,
            }
            for item in followups.broken
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
            for nudge in followups.updates
        ]
        print_json(data)
        return
    from techqueue.views.text import clean, reminder_line, when

    for reminder in followups.reminders:
        echo(reminder_line(reminder, now))
    for item in followups.broken:
        assert item.promise_due_at is not None
        who = clean(item.requester) or "the customer"
        echo(
            f"-\tBROKEN {when(item.promise_due_at, now)}\tpromise to {who}: tell them "
            f"(#{item.id} {clean(item.title)})"
        )
    for nudge in followups.updates:
        echo(f"-\tUPDATE\t{clean(nudge.text(now))}  ({clean(nudge.title)})")


@command("reminders", "techqueue reminders --json")
def reminders_command(ctx: Context, as_json: JsonOpt = False) -> None:
    """Every reminder not yet dismissed, the due ones first."""
    reminders = ctx.store.reminders()
    if as_json:
        from techqueue.views.json import reminder_json

        print_json([reminder_json(r, ctx.now) for r in reminders])
        return
    if not reminders:
        echo("No reminders.")
    from techqueue.views.text import reminder_line

    for reminder in reminders:
        echo(reminder_line(reminder, ctx.now))


@command("snooze", "techqueue snooze 3 +15m")
def snooze_command(
    ctx: Context,
    reminder_id: ReminderId,
    when: Annotated[
        list[str], typer.Argument(metavar="WHEN", help="Until when: +15m, 16:00, tomorrow 9:00.")
    ],
) -> None:
    """Move a reminder to a later time."""
    from techqueue import actions

    moment = ctx.when(" ".join(when), what="snooze")
    reminder = actions.snooze(ctx.desk, reminder_id, moment, ctx.now)
    echo(f"reminder {reminder.id} snoozed until {moment:%a %d %b %H:%M}")


@command("dismiss", "techqueue dismiss 3")
def dismiss_command(ctx: Context, reminder_id: ReminderId) -> None:
    """Dismiss a reminder: it is done."""
    from techqueue import actions

    reminder = actions.dismiss(ctx.desk, reminder_id, ctx.now)
    echo(f"reminder {reminder.id} dismissed")
