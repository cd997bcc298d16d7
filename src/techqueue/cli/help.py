"""Help as a person reads it: ``--from NAME``, ``ID``, ``TEXT...``, never Typer's type labels
(``<int range>``, ``<list[str]>``) or its ranges (``[1<=x<=9223372036854775807]``).

Typer 0.29 prints a parameter's Python type beside it and the bounds it checks after it, and
offers no setting to stop either; its help for the whole app cuts each command's summary
with "...". The commands are declared with plain metavars (``metavar="ID"``), and the command
and group classes here print those alone, click-style, and each command's summary whole.
Bounds a person needs to know are said in the parameter's own help, in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from typer._click import Context, Parameter
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption

__all__ = ["PlainCommand", "PlainGroup", "summary"]


def summary(doc: str) -> str:
    """A docstring's first paragraph on one line: the summary ``techqueue --help`` lists."""
    return " ".join(doc.strip().split("\n\n")[0].split())


def _metavar(param: Parameter) -> str:
    """The parameter's declared metavar, or its name in capitals when it has none."""
    return param.metavar or (param.name or "value").upper()


class _PlainArgument(TyperArgument):
    """An argument shown by its metavar alone: ``ID``, ``[WHEN]``, ``TEXT...``."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return None

    def _get_number_range_help_str(self) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        return _metavar(self) + ("..." if self.nargs != 1 else "")

    def _usage_display_name(self) -> str:
        name = _metavar(self)
        shown = name if self.required else f"[{name}]"
        return shown + ("..." if self.nargs != 1 else "")


class _PlainOption(TyperOption):
    """An option shown with its metavar alone: ``--from NAME``, ``--impact N``."""

    def display_type_rich(self, ctx: Context) -> str | None:
        return _metavar(self) + ("..." if self.nargs != 1 else "")

    def _get_number_range_help_str(self) -> str | None:
        return None


def _plain(params: Sequence[Parameter]) -> None:
    """Show ``params`` plainly: each Typer argument and option becomes its plain kind (the
    classes add no state, only how the parameter is shown)."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = _PlainArgument
        elif type(param) is TyperOption:
            param.__class__ = _PlainOption


class PlainCommand(TyperCommand):
    """A command whose help shows plain metavars, and whose refusal of extra words counts
    them right ("1 word too many: 'B'", not Click's "extra argument(s) (B)")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self.params)

    def parse_args(self, ctx: Context, args: list[str]) -> list[str]:
        allowed = ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            from techqueue.core.text import clean_text, plural

            words = ", ".join(repr(clean_text(word)) for word in rest)
            ctx.fail(f"{plural(len(rest), 'word')} too many: {words}")
        return rest


class PlainGroup(TyperGroup):
    """The app: its own options shown plainly, and every command's summary whole."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self.params)
