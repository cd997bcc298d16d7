"""Capture and change: ``add`` and ``edit``, from quick-add tokens and options (options win)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.options import (
    ChannelOpt,
    CostOpt,
    DueOpt,
    EstimateOpt,
    FromOpt,
    ImpactOpt,
    ItemId,
    JsonOpt,
    ReceivedOpt,
    RefOpt,
    SeverityOpt,
    TagOpt,
    VipOpt,
)
from techqueue.cli.output import bad, echo, note
from techqueue.cli.registry import command
from techqueue.cli.report import report

if TYPE_CHECKING:
    from techqueue.actions import ItemFields


class Given:
    """The item options of ``add`` and ``edit``, as typed. A plain class: a dataclass compiles
    its methods when this module is imported, at every ``add`` (docs/performance.md, 13.)."""

    __slots__ = (
        "channel",
        "cost",
        "due",
        "estimate",
        "from_",
        "impact",
        "received",
        "ref",
        "severity",
        "tag",
        "vip",
    )

    def __init__(
        self,
        from_: str | None,
        vip: bool | None,
        severity: str | None,
        channel: str | None,
        estimate: str | None,
        impact: int | None,
        due: str | None,
        received: str | None,
        tag: list[str] | None,
        ref: str | None,
        cost: str | None = None,
    ) -> None:
        self.from_, self.vip, self.severity, self.channel = from_, vip, severity, channel
        self.estimate, self.impact, self.due, self.received = estimate, impact, due, received
        self.tag, self.ref, self.cost = tag, ref, cost


def _fields(
    ctx: Context, text: list[str] | None, given: Given, *, need_title: bool = True
) -> ItemFields:
    """Quick-add tokens in TEXT, then the options on top (options win)."""
    from_, vip, severity, channel = given.from_, given.vip, given.severity, given.channel
    estimate, impact, due, received = given.estimate, given.impact, given.due, given.received
    tag, ref = given.tag, given.ref
    from techqueue.actions import ItemFields
    from techqueue.core.quickadd import QuickAddError, parse, parse_channel, parse_severity
    from techqueue.core.text import clean_text
    from techqueue.core.timeparse import TimeParseError, parse_duration

    fields = ItemFields()
    if text:
        try:
            draft = parse(" ".join(text), ctx.now, ctx.settings, need_title=need_title)
        except QuickAddError as error:
            bad(str(error))
        fields = ItemFields.from_draft(draft)
    try:
        if severity is not None:
            fields.severity = parse_severity(severity)
        if channel is not None:
            fields.channel = parse_channel(channel)
    except ValueError as error:
        bad(str(error))
    if from_ is not None:
        fields.requester = clean_text(from_) or bad("--from: a requester needs a name")
    if vip:
        fields.vip = True
    if estimate is not None:
        try:
            fields.estimate_minutes = parse_duration(estimate)
        except TimeParseError as error:
            bad(f"--estimate: {error}")
    if impact is not None:
        fields.impact = impact
    if due is not None:
        fields.due_at = ctx.when(due, what="--due")
    if received is not None:
        fields.received_at = ctx.when(received, past=True, what="--received")
        if fields.received_at > ctx.now:
            bad("--received: that time is in the future")
    if tag:
        from techqueue.domain import is_tag

        extra = []
        for word in tag:
            cleaned = word.strip().lstrip("#").lower()
            if not is_tag(cleaned):
                bad(f"--tag: {clean_text(word)!r} is not a tag (one word starting with a letter)")
            extra.append(cleaned)
        fields.add_tags = tuple(dict.fromkeys((*fields.add_tags, *extra)))
    if ref is not None:
        fields.ref = clean_text(ref) or bad("--ref: a reference cannot be empty")
    if given.cost is not None:
        from techqueue.core.business import parse_cost

        try:
            fields.cost = parse_cost(given.cost)
        except ValueError as error:
            bad(f"--cost: {error}")
    return fields


@command("add", "techqueue add 'Printer jammed @desk !high ~5m from:\"Alice B\" #printer'")
def add_command(
    ctx: Context,
    text: Annotated[
        list[str],
        typer.Argument(metavar="TEXT", help="Title and quick-add tokens.", show_default=False),
    ],
    from_: FromOpt = None,
    vip: VipOpt = False,
    severity: SeverityOpt = None,
    channel: ChannelOpt = None,
    estimate: EstimateOpt = None,
    impact: ImpactOpt = None,
    due: DueOpt = None,
    received: ReceivedOpt = None,
    tag: TagOpt = None,
    ref: RefOpt = None,
    cost: CostOpt = None,
    merge: Annotated[
        bool,
        typer.Option("--merge", help="When the ref is an item's already, add this to it."),
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Capture an interruption; prints the new item's id.

    A ref that an item already holds is refused, naming that item (nothing comes in twice);
    with --merge this is added to that item as a note, and its id printed."""
    from techqueue import actions

    given = Given(from_, vip, severity, channel, estimate, impact, due, received, tag, ref, cost)
    fields = _fields(ctx, text, given)
    add = actions.add_or_merge if merge else actions.add
    item = add(ctx.desk, fields, ctx.now).item
    if as_json:
        report(ctx, item, "added", as_json=True)
    else:
        echo(str(item.id))
    if item.recurrence_id is not None:
        from techqueue.views.text import when as shown

        rule = ctx.store.recurrence(item.recurrence_id)
        note(
            f"recurring {rule.id}: every {rule.rule}; this one comes "
            f"{shown(item.received_at, ctx.now)} (techqueue recurring lists them)"
        )
        return
    from techqueue.views.advice import advice_on

    advice = advice_on(ctx.desk, item, ctx.now)
    if advice is not None:
        note(("interrupt? yes — " if advice.switch else "interrupt? no — ") + advice.reason)


@command("edit", "techqueue edit 12 --severity high --due 15:00")
def edit_command(
    ctx: Context,
    item_id: ItemId,
    text: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TEXT", help="New title and/or quick-add tokens.", show_default=False
        ),
    ] = None,
    from_: FromOpt = None,
    vip: Annotated[bool | None, typer.Option("--vip/--no-vip", help="Mark or unmark VIP.")] = None,
    severity: SeverityOpt = None,
    channel: ChannelOpt = None,
    estimate: EstimateOpt = None,
    impact: ImpactOpt = None,
    due: DueOpt = None,
    received: ReceivedOpt = None,
    tag: TagOpt = None,
    ref: RefOpt = None,
    cost: CostOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an item: options as for add.

    TEXT of only tokens keeps the title."""
    from techqueue import actions

    given = Given(
        from_, bool(vip), severity, channel, estimate, impact, due, received, tag, ref, cost
    )
    fields = _fields(ctx, text, given, need_title=False)
    if vip is False:
        fields.vip = False
    report(ctx, actions.edit(ctx.desk, item_id, fields, ctx.now).item, "edited", as_json)
