"""What an item command says once it is done: one line naming the item, or (``--json``) the
item as the contract describes it, placed in the queue and explained."""

from __future__ import annotations

from typing import TYPE_CHECKING

from techqueue.cli.output import echo, print_json

if TYPE_CHECKING:
    from techqueue.cli.context import Context
    from techqueue.records import ItemRecord

__all__ = ["report", "report_all"]


def report(ctx: Context, item: ItemRecord, verb: str, as_json: bool, extra: str = "") -> None:
    """``done #12 Printer jammed`` (with ``extra`` after it), or the item's JSON."""
    if as_json:
        from techqueue.views.json import item_json
        from techqueue.views.ranking import place

        placement = place(ctx.desk, item, ctx.now)
        print_json(
            item_json(placement.item, placement.entry, ctx.settings.weights, placement.forecast)
        )
    else:
        echo(f"{verb} {ctx.label(item)}{extra}")


def report_all(ctx: Context, items: list[ItemRecord], verb: str, as_json: bool) -> None:
    """What an action on one or several items says: for one item, as :func:`report`; for
    several, a line per item, or (``--json``) a list of the items."""
    if len(items) == 1:
        report(ctx, items[0], verb, as_json)
        return
    if as_json:
        from techqueue.views.json import item_json
        from techqueue.views.ranking import place

        data = []
        for item in items:
            placement = place(ctx.desk, item, ctx.now)
            data.append(
                item_json(placement.item, placement.entry, ctx.settings.weights, placement.forecast)
            )
        print_json(data)
        return
    for item in items:
        echo(f"{verb} {ctx.label(item)}")
