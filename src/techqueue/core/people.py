"""People as they are written: a name, an address, or both ("Dana Reyes <dana@corp.example>"),
and the organisation an address belongs to. Pure: the standard library's address parser
(imported only for the ``Name <address>`` form), no store, no clock."""

from __future__ import annotations

from collections.abc import Iterable

from techqueue.core.text import clean_text

__all__ = ["is_address", "organisation", "split_person", "vip_domain"]


def is_address(text: str) -> bool:
    """An e-mail address as people type one: one ``@`` between a local part and a domain with
    a dot, no spaces or angle brackets."""
    local, at, domain = text.rpartition("@")
    return (
        bool(at and local and "." in domain.strip("."))
        and not any(char.isspace() or char in "<>,;" for char in text)
        and "@" not in local
    )


def split_person(text: str | None) -> tuple[str | None, str | None]:
    """``(name, address)`` of a requester as written: ``"Dana"`` → ``("Dana", None)``,
    ``"dana@corp.example"`` → ``(None, "dana@corp.example")``, ``"Dana Reyes
    <dana@corp.example>"`` → both. The address is lower-cased (people type it either way);
    a name is cleaned of control characters and extra spaces."""
    if text is None:
        return None, None
    written = clean_text(text)
    if not written:
        return None, None
    if "<" in written and written.endswith(">"):
        # Here only: email.utils costs a short command 15 ms (it loads socket).
        from email.utils import parseaddr

        name, address = parseaddr(written)
        address = address.strip()
        if is_address(address):
            return clean_text(name.strip().strip('"')) or None, address.lower()
    if is_address(written):
        return None, written.lower()
    return written, None


def organisation(address: str | None) -> str | None:
    """The organisation an address belongs to: its domain, lower-cased."""
    if not address or "@" not in address:
        return None
    return address.rpartition("@")[2].strip().lower() or None


def vip_domain(address: str | None, domains: Iterable[str]) -> str | None:
    """The VIP domain ``address`` belongs to (the domain itself or one under it:
    ``ceo@mail.board.example`` is ``board.example``'s), or ``None``."""
    domain = organisation(address)
    if domain is None:
        return None
    for vip in domains:
        wanted = vip.strip().lower().lstrip("@").strip(".")
        if wanted and (domain == wanted or domain.endswith("." + wanted)):
            return wanted
    return None
