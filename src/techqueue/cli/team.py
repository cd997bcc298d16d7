"""A team's share of the queue from the shell: ``assign ID NAME`` and ``unassign ID``
(``next --claim`` is ``next``'s, in :mod:`techqueue.cli.reading`). Each is one action of
:mod:`techqueue.actions`, the same the app would run."""

from __future__ import annotations

from typing import Annotated

import typer

from techqueue import actions
from techqueue.cli.context import Context
from techqueue.cli.options import ItemId, JsonOpt
from techqueue.cli.registry import command
from techqueue.cli.report import report


@command("assign", "techqueue assign 12 dana")
def assign_command(
    ctx: Context,
    item_id: ItemId,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The technician's name.")],
    as_json: JsonOpt = False,
) -> None:
    """Give an item to a technician (someone else's job in hand is paused)."""
    changed = actions.assign(ctx.desk, item_id, name, ctx.now)
    report(ctx, changed.item, f"assigned to {changed.item.assignee}:", as_json)


@command("unassign", "techqueue unassign 12")
def unassign_command(ctx: Context, item_id: ItemId, as_json: JsonOpt = False) -> None:
    """Give an item back to the queue: nobody has it."""
    report(ctx, actions.unassign(ctx.desk, item_id, ctx.now).item, "unassigned", as_json)
