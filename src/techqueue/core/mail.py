"""One mail read as an arrival: the standard library's ``email`` package with the default
policy does the reading (RFC 2047 encoded subjects and names, RFC 2231 file names, charsets,
MIME structure), and this module only says what of it becomes an item.

- the title is the subject without "Re:"/"Fwd:"/"AW:" …, the severity a hint of its words;
- the requester is the sender, display name and address;
- received is the ``Date`` header; the ref is the ``Message-ID`` (a mail without one gets a
  ref made from its bytes, so importing it twice still adds nothing);
- the replies it answers are ``In-Reply-To`` and ``References``;
- the note is the text (the plain part, or the HTML part's text), quoted history cut, with
  the attachments named (they are not stored).

Pure: bytes in, an :class:`~techqueue.core.intake.Incoming` out; no file, no clock.
"""

from __future__ import annotations

import functools
import hashlib
import re
from datetime import UTC, datetime
from email import policy
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from typing import Any

from techqueue.core.htmltext import html_to_text
from techqueue.core.intake import MAX_NOTE_CHARS, Incoming, IntakeSettings
from techqueue.core.people import split_person, vip_domain
from techqueue.core.subjects import clean_subject, severity_hint
from techqueue.core.text import clean_text

__all__ = ["POLICY", "mail_arrival", "message_refs", "parse_mail"]

_REF = re.compile(r"<[^<>\s]+>")
#: Characters a note must not hold (they could repaint a terminal), but for line ends and tabs.
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u200b-\u200f\u202a-\u202e]")
#: Where a reply's quoted history starts: "On … wrote:", "Am … schrieb …:", Outlook's
#: "-----Original Message-----". (A forwarded message is kept: it is what was sent.)
_QUOTE_START = re.compile(
    r"^\s*(?:On\b.*\bwrote:|Am\b.*\bschrieb\b.*:|"
    r"-{2,}\s*(?:Original Message|Ursprüngliche Nachricht)\s*-{2,})\s*$",
    re.IGNORECASE,
)


class _SharedHeaders(HeaderRegistry):
    """The default policy's headers, each distinct one parsed once.

    The default policy parses a header every time it is read, and reading a mail's structure
    reads its ``Content-Type`` a dozen times; across a mailbox most such headers are the same
    few ("text/plain; charset=utf-8"). Header objects are immutable, so equal ones are shared:
    a 10,000-mail import reads in half the time."""

    def __call__(self, name: str, value: str) -> BaseHeader:
        return _parsed_header(name, value)


_REGISTRY = HeaderRegistry()


@functools.lru_cache(maxsize=4096)
def _parsed_header(name: str, value: str) -> BaseHeader:
    return _REGISTRY(name, value)


#: The standard library's default policy, headers shared (see :class:`_SharedHeaders`).
POLICY = policy.default.clone(header_factory=_SharedHeaders())


def parse_mail(data: bytes) -> EmailMessage:
    """The message in ``data``, read with the default policy (headers decoded on access)."""
    message = BytesParser(policy=POLICY).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def mail_arrival(data: bytes, settings: IntakeSettings, where: str) -> Incoming:
    """One mail as an arrival (see the module's docstring); never raises for a mail that is
    odd, only reads less of it."""
    message = parse_mail(data)
    subject = _header_text(message, "subject")
    title = clean_subject(subject)
    name, address = _sender(message)
    body, attachments = _content(message)
    note = _note(body, attachments)
    raw = _raw_values(message, ("message-id", "in-reply-to", "references", "date"))
    own = message_refs(raw["message-id"])
    ref = own[0] if own else "<" + hashlib.sha256(data).hexdigest()[:40] + "@techqueue.invalid>"
    answers = message_refs(raw["in-reply-to"])
    answers += tuple(reversed(message_refs(raw["references"])))
    return Incoming(
        title=title,
        channel="email",
        where=where,
        ref=ref,
        replies_to=tuple(r for r in dict.fromkeys(answers) if r != ref),
        received_at=_date(raw["date"]),
        requester_name=name,
        requester_email=address,
        severity=severity_hint(subject, settings.severity_words),
        note=note,
        vip=vip_domain(address, settings.vip_domains) is not None,
    )


def message_refs(text: str) -> tuple[str, ...]:
    """The message ids in a header's text (``<id@host>``), in order; a bare id without angle
    brackets (some clients write them so) is taken whole."""
    found = tuple(_REF.findall(text))
    if found:
        return found
    bare = text.strip()
    return (f"<{bare}>",) if bare and not any(c.isspace() for c in bare) else ()


def _header_text(message: Message, name: str) -> str:
    """A header's decoded text, or ``""``. A header the default policy cannot parse (a mail
    from a broken client) is decoded from its raw value instead of failing the mail."""
    try:
        value = message.get(name)
    except Exception:  # the policy's parser raises on some malformed headers
        value = _raw_header(message, name)
    return "" if value is None else str(value)


def _raw_values(message: EmailMessage, names: tuple[str, ...]) -> dict[str, str]:
    """The first value of each header in ``names``, as written (``""`` when absent). Message
    ids and dates are plain ASCII with parsers of their own (:func:`message_refs`,
    ``email.utils``): reading them through the policy's header objects only costs time."""
    found = dict.fromkeys(names, "")
    for key, value in message.raw_items():
        name = key.lower()
        if name in found and not found[name]:
            found[name] = str(value)
    return found


def _raw_header(message: Message, name: str) -> str | None:
    from email.header import decode_header, make_header

    for key, raw in message.raw_items() if isinstance(message, EmailMessage) else ():
        if key.lower() == name:
            try:
                return str(make_header(decode_header(str(raw))))
            except Exception:
                return str(raw)
    return None


def _sender(message: EmailMessage) -> tuple[str | None, str | None]:
    for header in ("from", "sender", "reply-to"):
        try:
            value: Any = message.get(header)
            addresses = getattr(value, "addresses", ())
        except Exception:
            value, addresses = _raw_header(message, header), ()
        for address in addresses:
            name, email = split_person(address.addr_spec)
            display = clean_text(address.display_name or "") or None
            if email is not None or display is not None:
                return display or name, email
        if value is not None:
            name, email = split_person(str(value))
            if name is not None or email is not None:
                return name, email
    return None, None


def _date(text: str) -> datetime | None:
    """The ``Date`` header's time (read by ``email.utils``); UTC when it gives no zone."""
    if not text.strip():
        return None
    try:
        moment = parsedate_to_datetime(" ".join(text.split()))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, ValueError, AttributeError, KeyError):  # an unknown charset …
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if isinstance(content, bytes):
        return content.decode("utf-8", "replace")
    return content if isinstance(content, str) else ""


def _content(message: EmailMessage) -> tuple[str, list[str]]:
    """The mail's text (its plain part, else its HTML part's text) and its attachments' names."""
    if (
        not message.is_multipart()
        and message.get_content_maintype() == "text"
        and message.get_content_disposition() != "attachment"
    ):
        text = _part_text(message)  # most mail: one part, and nothing attached
        return (html_to_text(text) if message.get_content_subtype() == "html" else text), []
    try:
        body = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        body = None
    text = ""
    if body is not None:
        text = _part_text(body)
        if body.get_content_subtype() == "html":
            text = html_to_text(text)
    attachments: list[str] = []
    for part in message.walk():
        if part is body or part.is_multipart():
            continue
        try:
            name = part.get_filename()
        except Exception:
            name = None
        if name or part.get_content_disposition() == "attachment":
            attachments.append(clean_text(name or "") or f"unnamed {part.get_content_type()}")
    return text, attachments


def _unquoted(text: str) -> str:
    """A mail's own words: quoted lines ("> …") and the history under "On … wrote:" cut."""
    kept: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if _QUOTE_START.match(line) and kept:
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    lines = "\n".join(kept).strip().split("\n")
    return "\n".join(line for index, line in enumerate(lines) if line or lines[index - 1])


def _note(body: str, attachments: list[str]) -> str | None:
    text = _unquoted(body)
    words = (text if text.isprintable() else _UNPRINTABLE.sub("", text)).strip()
    if len(words) > MAX_NOTE_CHARS:
        words = words[: MAX_NOTE_CHARS - 1].rstrip() + "…"
    if attachments:
        named = ", ".join(attachments)
        words = (words + "\n" if words else "") + f"Attached (not kept): {named}"
    return words or None
