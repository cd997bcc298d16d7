"""Waiting on someone else: a vendor, a colleague, or anyone named, besides the customer.

``--on vendor:Acme``, ``--on colleague:Sam`` or ``--on "Dana Reyes"`` names who the item is
out with; :func:`read_waiting_on` reads it and :func:`waiting_on_text` writes it back, each
the other's inverse. Pure.
"""

from __future__ import annotations

from techqueue.domain import MAX_NAME

__all__ = ["WAITING_KINDS", "read_waiting_on", "waiting_on_text"]

#: What the one waited on can be: ``person`` is a plain name.
WAITING_KINDS = ("vendor", "colleague", "person")


def read_waiting_on(text: str) -> tuple[str, str]:
    """(who, kind) from ``vendor:NAME``, ``colleague:NAME`` or a plain name; a
    ``ValueError`` saying what is wrong otherwise."""
    said = " ".join(text.split())
    kind, colon, rest = said.partition(":")
    if colon and kind.lower() in WAITING_KINDS:  # person:NAME: a name that has a colon
        who, kind = rest.strip(), kind.lower()
    else:
        who, kind = said, "person"
    if not who:
        raise ValueError("say who it waits on: vendor:NAME, colleague:NAME or a name")
    if len(who) > MAX_NAME:
        raise ValueError(f"the name is too long: at most {MAX_NAME} characters")
    return who, kind


def waiting_on_text(who: str, kind: str) -> str:
    """What :func:`read_waiting_on` reads back as ``(who, kind)``."""
    if kind in ("vendor", "colleague"):
        return f"{kind}:{who}"
    if ":" in who and who.partition(":")[0].strip().lower() in WAITING_KINDS:
        return f"person:{who}"  # so the prefix is read as part of the name
    return who
