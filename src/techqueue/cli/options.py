"""The options and arguments several commands share, declared once (Typer's ``Annotated``
style, which the fast path reads too)."""

from __future__ import annotations

from typing import Annotated

from techqueue.cli import params as typer
from techqueue.domain import MAX_ID, MAX_IMPACT

__all__ = [
    "ChannelOpt",
    "CostOpt",
    "DateOpt",
    "DueOpt",
    "EstimateOpt",
    "FromOpt",
    "ImpactOpt",
    "ItemId",
    "ItemIds",
    "JsonOpt",
    "ReceivedOpt",
    "RefOpt",
    "ReminderId",
    "SeverityOpt",
    "TagOpt",
    "VipOpt",
]

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of text.")]
ItemId = Annotated[
    int,
    typer.Argument(metavar="ID", help="The item's number.", min=1, max=MAX_ID, show_default=False),
]
ItemIds = Annotated[
    list[int],
    typer.Argument(
        metavar="ID",
        help="The item's number (several: each of them, as one action).",
        min=1,
        max=MAX_ID,
        show_default=False,
    ),
]
ReminderId = Annotated[
    int, typer.Argument(metavar="ID", help="The reminder's number.", min=1, max=MAX_ID)
]
DateOpt = Annotated[
    str | None, typer.Option("--date", metavar="DATE", help="Another day: YYYY-MM-DD.")
]

FromOpt = Annotated[
    str | None, typer.Option("--from", metavar="NAME", help="Who asked (name or email).")
]
VipOpt = Annotated[bool, typer.Option("--vip", help="A VIP item: it is seen first.")]
SeverityOpt = Annotated[
    str | None, typer.Option("--severity", metavar="LEVEL", help="critical, high, normal or low.")
]
ChannelOpt = Annotated[
    str | None,
    typer.Option("--channel", metavar="CHANNEL", help="desk, phone, ticket, email, chat or other."),
]
EstimateOpt = Annotated[
    str | None, typer.Option("--estimate", metavar="DURATION", help="How long: 90s, 5m, 1h30m.")
]
ImpactOpt = Annotated[
    int | None,
    typer.Option(
        "--impact",
        metavar="N",
        min=1,
        max=MAX_IMPACT,
        help=f"People affected (1 to {MAX_IMPACT:,}).",
    ),
]
DueOpt = Annotated[
    str | None, typer.Option("--due", metavar="WHEN", help="Due time: 14:00, eod, fri, ISO.")
]
ReceivedOpt = Annotated[
    str | None,
    typer.Option("--received", metavar="WHEN", help="When it arrived, if not now: 9:40, -20m."),
]
TagOpt = Annotated[
    list[str] | None, typer.Option("--tag", metavar="TAG", help="A tag (repeatable).")
]
CostOpt = Annotated[
    str | None,
    typer.Option(
        "--cost", metavar="LEVEL", help="Business impact: high, normal or low (as cost:LEVEL)."
    ),
]
RefOpt = Annotated[
    str | None, typer.Option("--ref", metavar="REF", help="Ticket number or message id.")
]
