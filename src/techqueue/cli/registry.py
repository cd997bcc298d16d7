"""The commands: each is registered by the module that defines it, and running one imports
only that module (a short command must not pay for the rest), while ``--help`` and shell
completion load them all.

A command is a function whose first parameter is the :class:`~techqueue.cli.context.Context`;
Typer (or the fast path) sees it without that parameter, bound to the command line's own
context, so no command reads a global.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    import typer

    from techqueue.cli.context import Context

__all__ = ["MODULES", "Command", "command", "load", "load_all"]

#: Which module defines each command, in the order ``--help`` lists them.
MODULES: dict[str, str] = {
    "add": "capture",
    "edit": "capture",
    "list": "reading",
    "next": "reading",
    "show": "reading",
    "eta": "reading",
    "promises": "reading",
    "overload": "overload",
    "start": "items",
    "assign": "team",
    "unassign": "team",
    "pause": "items",
    "done": "items",
    "drop": "items",
    "reopen": "items",
    "wait": "items",
    "defer": "items",
    "appoint": "serve",
    "answers": "serve",
    "recurring": "serve",
    "stop": "serve",
    "handoff": "items",
    "pin": "items",
    "unpin": "items",
    "bump": "items",
    "note": "items",
    "vip": "items",
    "requesters": "tidy",
    "dupes": "tidy",
    "merge": "tidy",
    "remind": "reminders",
    "reminders": "reminders",
    "snooze": "reminders",
    "dismiss": "reminders",
    "review": "day",
    "carry": "day",
    "morning": "day",
    "log": "day",
    "report": "insight",
    "export": "data",
    "import": "data",
    "import-mail": "intake",
    "import-csv": "intake",
    "export-ics": "intake",
    "backup": "upkeep",
    "restore": "upkeep",
    "undo": "data",
    "config": "data",
    "doctor": "upkeep",
}


class Command(NamedTuple):
    """A command: its name, the function behind it, an example for its help, and Typer's
    settings for it."""

    name: str
    function: Callable[..., Any]
    example: str
    settings: dict[str, Any]

    def bound(self, context: Context) -> Callable[..., Any]:
        """The function with ``context`` given, as Typer and the fast path call it: its
        signature (annotations evaluated) without the context parameter."""
        function = self.function

        @functools.wraps(function)
        def run(**options: Any) -> Any:
            return function(context, **options)

        signature = inspect.signature(function, eval_str=True)
        context_parameter, *options = signature.parameters.values()
        run.__signature__ = signature.replace(parameters=options)  # type: ignore[attr-defined]
        run.__annotations__ = {
            name: hint
            for name, hint in function.__annotations__.items()
            if name != context_parameter.name
        }
        return run

    def register(self, app: typer.Typer, context: Context) -> None:
        """Add the command to ``app``, its help ending with its example, its summary (the
        docstring's first paragraph) listed whole by ``techqueue --help``, and its
        parameters shown by their plain metavars (:mod:`techqueue.cli.help`)."""
        from techqueue.cli.help import PlainCommand, summary
        from techqueue.cli.params import real_annotation

        doc = inspect.cleandoc(self.function.__doc__ or "")
        help_text = f"{doc}\n\nExample:\n\n    {self.example}"
        run = self.bound(context)
        # The declarations, recorded without Typer (cli/params.py), made Typer's own.
        signature: inspect.Signature = run.__signature__  # type: ignore[attr-defined]
        run.__signature__ = signature.replace(  # type: ignore[attr-defined]
            parameters=[
                parameter.replace(annotation=real_annotation(parameter.annotation))
                for parameter in signature.parameters.values()
            ]
        )
        app.command(
            self.name, help=help_text, short_help=summary(doc), cls=PlainCommand, **self.settings
        )(run)


_REGISTERED: dict[str, Command] = {}


def command(
    name: str, example: str, **settings: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function as the command ``name``; ``example`` ends its help."""

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        _REGISTERED[name] = Command(name, function, example, settings)
        return function

    return decorate


def load(name: str) -> Command:
    """The command ``name``, its module imported."""
    importlib.import_module(f"techqueue.cli.{MODULES[name]}")
    return _REGISTERED[name]


def load_all() -> list[Command]:
    """Every command, in help order."""
    return [load(name) for name in MODULES]
