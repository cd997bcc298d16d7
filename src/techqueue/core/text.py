"""Text for people: user text made safe to show, counted words said right, and a validation
library's complaints said in plain words."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping

__all__ = ["check_placeholders", "clean_text", "json_safe", "plain_problem", "plural"]


def clean_text(text: str) -> str:
    """Collapse whitespace and drop control characters, so stored text cannot repaint a screen."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # Already clean, as nearly every title and name is (a listing cleans 20,000): printable
        # text holds no control character and no whitespace but the plain space.
        return text
    kept = "".join(
        " " if char.isspace() else char
        for char in text
        if char.isspace() or unicodedata.category(char) != "Cc"
    )
    return " ".join(kept.split())


#: The characters a JSON encoder leaves as they are although a terminal may act on them:
#: DEL and the C1 controls (U+0080–U+009F; U+009B is a CSI, as ESC [ is).
_RAW_CONTROLS = {code: f"\\u{code:04x}" for code in range(0x7F, 0xA0)}


def json_safe(encoded: str) -> str:
    """Encoded JSON with DEL and the C1 controls escaped (``\\u009b``): the same JSON to a
    program, and nothing a terminal acts on when a person prints it. They can only stand
    inside strings, where an escape means the very same character."""
    return encoded.translate(_RAW_CONTROLS)


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 reminder``, ``2 reminders``, ``0 items``: a count with its word said right.
    ``many`` is the plural when adding an s is wrong (``plural(n, "person", "people")``)."""
    return f"{count} {word if count == 1 else (many or word + 's')}"


def _number(value: object) -> str:
    """A bound as a person writes it: ``1``, ``0.5``, ``1,000,000`` (never ``1e+06``)."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}" if abs(value) < 10**15 else str(value)
    return str(value)


#: What each kind of validation problem means, in words (the bound's name in braces).
_PROBLEMS: Mapping[str, str] = {
    "greater_than": "must be more than {gt}",
    "greater_than_equal": "must be at least {ge}",
    "less_than": "must be less than {lt}",
    "less_than_equal": "must be at most {le}",
    "int_parsing": "must be a whole number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "finite_number": "must be a finite number",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "string_type": "must be text, in quotes",
    "string_too_long": "must be at most {max_length} characters long",
    "list_type": 'must be a list, like ["mon", "tue"]',
    "dict_type": "must be a table of settings ([section])",
    "model_type": "must be a table of settings ([section])",
    "model_attributes_type": "must be a table of settings ([section])",
    "extra_forbidden": "unknown setting",
    "missing": "is missing",
    "literal_error": "must be {expected}",
}


def plain_problem(kind: str, context: Mapping[str, object] | None = None) -> str:
    """A validation problem of ``kind`` (pydantic's error type: ``greater_than``,
    ``float_parsing`` …) said plainly: ``must be more than 0``, ``must be a number``.

    The library's own wording ("Input should be greater than 0") is for programmers; this is
    what a technician reads. A problem a validator of ours raised (``value_error``) is our
    own sentence and is kept; a kind not known here gets a plain sentence too, never the
    library's."""
    context = context or {}
    if kind in ("value_error", "assertion_error"):
        said = str(context.get("error", "")).strip()
        return said or "is not valid"
    template = _PROBLEMS.get(kind)
    if template is None:
        return "is not valid"
    return template.format_map({name: _number(value) for name, value in context.items()})


def check_placeholders(template: str, fields: Iterable[str], what: str) -> str:
    """``template`` when it formats with ``fields`` alone; else a :class:`ValueError` saying
    what is wrong with the ``what`` ("template", "answer") and which placeholders there are,
    so a bad config fails once, when it is read, not each time a sentence is built."""
    import string

    known = tuple(fields)
    if not template.strip():
        raise ValueError(f"the {what} is empty")
    allowed = ", ".join("{" + name + "}" for name in known)
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        raise ValueError(f"not a valid {what} ({error}); use plain {allowed}") from None
    for name in names:
        if name not in known:
            raise ValueError(f"unknown placeholder {{{name}}}; use {allowed}")
    try:
        template.format_map(dict.fromkeys(known, "x"))
    except (ValueError, KeyError, IndexError, AttributeError) as error:
        raise ValueError(f"not a valid {what} ({error}); use plain {allowed}") from None
    return template
