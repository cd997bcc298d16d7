"""Read a plain command line straight into a command's keyword arguments, without Typer.

Typer 0.29 imports pydantic to coerce every parameter, which alone costs more than a whole
``techqueue add`` may take. The commands are still declared once, with Typer's ``Annotated``
options; this module reads those same declarations and parses the common, well-formed case
itself. Anything it does not fully understand (``--help``, ``--``, an unknown or malformed
option, a value out of range, a missing argument) makes it return ``None``, and Typer parses
the line instead, with its usual messages. A test checks both paths agree.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["parse_fast"]

_SCALARS: dict[type, Callable[[str], Any]] = {str: str, int: int, float: float, Path: Path}


class _Param:
    __slots__ = ("kind", "many", "maximum", "minimum", "name", "required", "target")

    def __init__(self, name: str, target: type, many: bool, required: bool, info: Any) -> None:
        self.name = name
        self.target = target
        self.many = many
        self.required = required
        self.kind = type(info).__name__
        self.minimum = getattr(info, "min", None)
        self.maximum = getattr(info, "max", None)


def _unwrap(annotation: Any) -> tuple[type | None, bool, Any]:
    """(scalar type, is a list, the Typer info) of an ``Annotated`` parameter."""
    info = None
    if typing.get_origin(annotation) is typing.Annotated:
        annotation, *extras = typing.get_args(annotation)
        info = next((extra for extra in extras if type(extra).__name__.endswith("Info")), None)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        annotation = options[0] if len(options) == 1 else None
    many = typing.get_origin(annotation) is list
    if many:
        annotation = typing.get_args(annotation)[0]
    if annotation is bool or annotation in _SCALARS:
        return annotation, many, info
    return None, many, info


def _plan(
    function: Callable[..., Any],
) -> tuple[dict[str, tuple[_Param, Any]], list[_Param]] | None:
    hints = typing.get_type_hints(function, include_extras=True)
    options: dict[str, tuple[_Param, Any]] = {}
    positionals: list[_Param] = []
    for name, parameter in inspect.signature(function).parameters.items():
        target, many, info = _unwrap(hints[name])
        if target is None or info is None:
            return None
        required = parameter.default is inspect.Parameter.empty
        param = _Param(name, target, many, required, info)
        if param.kind == "ArgumentInfo":
            positionals.append(param)
            continue
        declared = [info.default] if isinstance(info.default, str) else []
        declared += list(info.param_decls or ())
        for declaration in declared or [f"--{name.replace('_', '-')}"]:
            on, _, off = declaration.partition("/")
            options[on] = (param, True)
            if off:
                options[off] = (param, False)
    return options, positionals


def _convert(param: _Param, text: str) -> Any:
    if param.target in (int, float) and not text.isascii():
        # Python reads any script's digits ("٣", "５"); Typer's validation reads only ASCII,
        # and says so: let it.
        raise ValueError(text)
    value = _SCALARS[param.target](text)
    if param.minimum is not None and value < param.minimum:
        raise ValueError(text)
    if param.maximum is not None and value > param.maximum:
        raise ValueError(text)
    return value


def parse_fast(function: Callable[..., Any], args: list[str]) -> dict[str, Any] | None:
    """The keyword arguments for ``function`` from ``args``, or ``None`` to let Typer parse."""
    plan = _plan(function)
    if plan is None:
        return None
    options, positionals = plan
    values: dict[str, Any] = {}
    loose: list[str] = []
    index = 0
    try:
        while index < len(args):
            arg = args[index]
            index += 1
            if not arg.startswith("-") or arg == "-":
                loose.append(arg)
                continue
            name, has_value, inline = arg.partition("=")
            if name not in options:
                return None
            param, flag = options[name]
            if param.target is bool:
                if has_value:
                    return None
                values[param.name] = flag
                continue
            if not has_value:
                if index >= len(args):
                    return None
                inline = args[index]
                index += 1
            value = _convert(param, inline)
            if param.many:
                values.setdefault(param.name, []).append(value)
            else:
                values[param.name] = value
        if any(param.required and param.name not in values for param, _ in options.values()):
            return None  # Typer says which option is missing
        for param in positionals:
            if param.many:
                if loose:
                    values[param.name] = [_convert(param, text) for text in loose]
                    loose = []
                elif param.required:
                    return None
            elif loose:
                values[param.name] = _convert(param, loose.pop(0))
            elif param.required:
                return None
    except ValueError:
        return None
    return None if loose else values
