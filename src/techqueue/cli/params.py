"""``Option`` and ``Argument`` as the command modules declare them, without importing Typer.

Importing Typer costs about 50 ms (its Click fork, its coercion layer), more than a short
command may take in all. A command module says ``from techqueue.cli import params as typer``
and declares its parameters exactly as with Typer; these records keep what was written. The
fast path (:mod:`techqueue.cli.fastpath`) reads them as they are, and only when Typer parses the
line (``--help``, an unusual line, completion) does :func:`real` turn each into Typer's own
``typer.Option(...)`` / ``typer.Argument(...)``, made with the very same arguments.
"""

from __future__ import annotations

import typing
from typing import Any

__all__ = ["Argument", "ArgumentInfo", "Option", "OptionInfo", "real", "real_annotation"]


class _Info:
    """What was written: the positional and keyword arguments, and the few the fast path
    reads (the first positional is the default, as in Typer; the rest are names)."""

    __slots__ = ("args", "default", "kwargs", "max", "min", "param_decls")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs
        self.default: Any = args[0] if args else kwargs.get("default", ...)
        self.param_decls: tuple[str, ...] = tuple(args[1:])
        self.min: Any = kwargs.get("min")
        self.max: Any = kwargs.get("max")


class OptionInfo(_Info):
    """A ``typer.Option(...)`` as written."""

    __slots__ = ()


class ArgumentInfo(_Info):
    """A ``typer.Argument(...)`` as written."""

    __slots__ = ()


def Option(*args: Any, **kwargs: Any) -> Any:
    """Declare an option, as ``typer.Option`` does."""
    return OptionInfo(*args, **kwargs)


def Argument(*args: Any, **kwargs: Any) -> Any:
    """Declare an argument, as ``typer.Argument`` does."""
    return ArgumentInfo(*args, **kwargs)


def real(info: Any) -> Any:
    """Typer's own declaration for ``info`` (anything else is returned as it is)."""
    if not isinstance(info, _Info):
        return info
    import typer

    make = typer.Option if isinstance(info, OptionInfo) else typer.Argument
    return make(*info.args, **info.kwargs)


def real_annotation(annotation: Any) -> Any:
    """``annotation`` with each of these records in its ``Annotated`` extras made Typer's."""
    if typing.get_origin(annotation) is not typing.Annotated:
        return annotation
    base, *extras = typing.get_args(annotation)
    if not any(isinstance(extra, _Info) for extra in extras):
        return annotation
    return typing.Annotated[(base, *(real(extra) for extra in extras))]
