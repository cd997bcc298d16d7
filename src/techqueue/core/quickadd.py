"""Quick-add: one line of text, typed in seconds, read into a draft work item.

Tokens may stand anywhere in the line; whatever is not a token is the title::

    Printer jammed @desk !high ~5m from:"Alice B" #printer due:14:00 ref:INC-42

A token that does not parse (``!urgentish``, ``~soon``) is an error naming the token, never
silently part of the title, and every bad token of the line is named at once, so one look
fixes them all; a word that only looks like a token is kept in the title by writing a
backslash before it (``\\#3``). The grammar is DESIGN.md's table, and ``GRAMMAR`` below is
its single source for help texts.

A due time may run over several words (``due:tomorrow 3pm``, ``due:5 mar 14:00``,
``due:next mon``): the words after ``due:`` that, with it, still read as one time are taken,
the longest such run of up to three; a word that does not (``Printer due:fri jammed``) stays
in the title.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Protocol, TypeVar

from techqueue.core.business import own_cost, parse_cost, without_cost
from techqueue.core.text import clean_text
from techqueue.core.timeparse import WorkingHours, parse_duration, parse_when
from techqueue.domain import CHANNELS, MAX_IMPACT, SEVERITIES, is_tag
from techqueue.patterns import Pattern

if TYPE_CHECKING:
    from techqueue.core.settings import Settings

__all__ = [
    "GRAMMAR",
    "Draft",
    "QuickAddError",
    "Writable",
    "as_line",
    "parse",
    "parse_channel",
    "parse_severity",
]

#: (token, meaning, example) rows, in the order of DESIGN.md's table.
GRAMMAR: tuple[tuple[str, str, str], ...] = (
    ("@CHANNEL", "channel", "@desk @phone @ticket @email @chat"),
    ("!LEVEL", "severity", "!critical !high !normal !low (also !!! and !!)"),
    ("~DURATION", "estimate", "~5m ~1h30m"),
    ("*vip", "VIP", "*vip"),
    ("#TAG", "tag (repeatable)", "#printer"),
    ("from:NAME", "requester", 'from:Alice from:"Alice B"'),
    ("due:WHEN", "due time", "due:14:00 due:3pm due:tomorrow due:fri noon due:mar 5"),
    ("ref:REF", "external reference", "ref:INC-42"),
    ("x:N", "impact (people affected)", "x:12"),
    ("cost:LEVEL", "business impact", "cost:high cost:normal cost:low"),
    ("every:RULE", "recurring work", "every:mon 9:00 every:day every:1st every:2w"),
)

#: A word that can only be a clock time (``25:00`` and ``fri midnight`` included, so that
#: they are refused, not left in the title): after ``due:WHEN`` it belongs to the time.
_CLOCK_SHAPED_RE = Pattern(
    r"^(?:\d{1,2}:\d{2}|\d{1,2}(?::\d{2})?[ap]\.?m\.?|noon|midday|midnight)$"
)
#: At most this many words after ``due:WORD`` are read as part of its time.
_MAX_DUE_WORDS = 3
_KEYS = ("from", "due", "ref", "x", "cost", "every")
#: A time of day after ``every:RULE`` belongs to the rule.
_EVERY_CLOCK_RE = Pattern(r"^\d{1,2}:\d{2}$")
_QUOTES = "\"'"
T = TypeVar("T")


class QuickAddError(ValueError):
    """A quick-add line that cannot be read: ``token`` is the first part at fault and
    ``problem`` what is wrong with it; ``problems`` has every (token, problem) of the line,
    and the message names them all, in one line."""

    def __init__(self, token: str, problem: str, *, more: Sequence[tuple[str, str]] = ()) -> None:
        self.problems: tuple[tuple[str, str], ...] = ((token, problem), *more)
        super().__init__(_say(self.problems))
        self.token = token
        self.problem = problem


def _say(problems: Sequence[tuple[str, str]], most: int = 5, tokens: int = 3) -> str:
    """Every problem of a line in one short line: each kind of problem once, with the first
    few tokens that have it ("#0, #1 and 303 more: a tag starts with a letter"), so a pasted
    page of bad tokens is still one line a person can read."""
    by_problem: dict[str, dict[str, None]] = {}  # each kind's tokens, in order, once
    for bad, why in problems:
        by_problem.setdefault(why, {})[bad] = None
    said = []
    for why, named in list(by_problem.items())[:most]:
        shown = ", ".join(_short(bad, 40) for bad in list(named)[:tokens])
        if len(named) > tokens:
            shown += f" and {len(named) - tokens} more"
        said.append(f"{shown}: {_short(why, 200)}")
    if len(by_problem) > most:
        left = len(by_problem) - most
        said.append(f"and {left} more problem{'s' if left > 1 else ''}")
    return "; ".join(said)


def _short(text: str, most: int) -> str:
    """A token, or what is wrong with it, as a message says it: a pasted page is named by
    its start."""
    return text if len(text) <= most else text[: most - 1] + "…"


@dataclass(frozen=True, slots=True)
class Draft:
    """A work item as typed, before it is stored. ``None`` means "not said"."""

    title: str
    requester: str | None = None
    vip: bool = False
    severity: str | None = None
    channel: str | None = None
    estimate_minutes: float | None = None
    due_at: datetime | None = None
    tags: tuple[str, ...] = ()
    ref: str | None = None
    impact: int | None = None
    cost: str | None = None
    """The business impact said (``cost:high``), or ``None``."""
    every: str | None = None
    """Recurring: the rule (``mon 09:00``), as :func:`techqueue.core.recurrence.rule_text`
    writes it."""


def parse_severity(text: str) -> str:
    """Read a severity name (``critical``), an unambiguous prefix (``crit``) or ``!!!``/``!!``."""
    word = text.strip().lower()
    if word in {"!!!", "!!"}:
        return "critical" if word == "!!!" else "high"
    matches = [level for level in SEVERITIES if word and level.startswith(word)]
    if len(matches) != 1:
        raise ValueError(f"unknown severity {text!r} (use {', '.join(SEVERITIES)})")
    return matches[0]


def parse_channel(text: str) -> str:
    """Read a channel name (``desk``) or an unambiguous prefix (``ph``)."""
    word = text.strip().lower()
    matches = [channel for channel in CHANNELS if word and channel.startswith(word)]
    if len(matches) != 1:
        raise ValueError(f"unknown channel {text!r} (use {', '.join(CHANNELS)})")
    return matches[0]


def parse(
    text: str, now: datetime, settings: Settings | None = None, *, need_title: bool = True
) -> Draft:
    """Read one quick-add line at ``now``; raise :class:`QuickAddError` naming every bad
    token.

    With ``need_title`` false, a line of tokens only is a draft with an empty title (an edit
    that changes only what the tokens say)."""
    hours = settings.hours if settings is not None else WorkingHours()
    fields: dict[str, object] = {}
    tags: list[str] = []
    title: list[str] = []
    problems: list[tuple[str, str]] = []
    cleaned = clean_text(text)
    tokens = _tokenize(cleaned)
    index = 0
    while index < len(tokens):
        raw, is_key = tokens[index]
        index += 1
        try:
            index = _read_token(raw, is_key, tokens, index, now, hours, fields, tags, title)
        except QuickAddError as error:
            problems.extend(error.problems)
    if not title and need_title and not problems:
        problems.append((cleaned or "(empty)", "nothing is left for the title"))
    if problems:
        (token, problem), *more = problems
        raise QuickAddError(token, problem, more=more)
    return Draft(title=" ".join(title), tags=tuple(tags), **fields)  # type: ignore[arg-type]


def _read_token(
    raw: str,
    is_key: bool,
    tokens: list[tuple[str, bool]],
    index: int,
    now: datetime,
    hours: WorkingHours,
    fields: dict[str, object],
    tags: list[str],
    title: list[str],
) -> int:
    """Read the token ``raw`` into ``fields``, ``tags`` or ``title``; return the index of the
    next token to read (past the words a due time took)."""
    key, value = _split_key(raw) if is_key else (None, "")
    if key == "due" and value.strip():
        return _read_due(raw, value, tokens, index, now, hours, fields)
    if key == "every":
        return _read_every(raw, value, tokens, index, fields)
    if key is not None:
        name, parsed = _read_key(key, raw, value, now, hours)
        _set(fields, name, raw, parsed)
    elif raw.startswith("\\") and len(raw) > 1:
        title.append(raw[1:])
    elif len(raw) < 2 or raw[0] not in "@!~*#":
        title.append(raw)
    elif raw[0] == "@":
        _set(fields, "channel", raw, _wrap(raw, parse_channel, raw[1:]))
    elif raw[0] == "!":
        if raw[1] == "!" and raw not in {"!!", "!!!"}:
            raise QuickAddError(raw, "use !! for high or !!! for critical")
        level = raw if raw[1] == "!" else raw[1:]
        _set(fields, "severity", raw, _wrap(raw, parse_severity, level))
    elif raw[0] == "~":
        _set(fields, "estimate_minutes", raw, _wrap(raw, parse_duration, raw[1:]))
    elif raw[0] == "*":
        if raw.lower() != "*vip":
            raise QuickAddError(raw, "the only *-token is *vip")
        fields["vip"] = True
    else:
        tag = raw[1:].lower()
        if not is_tag(tag):
            raise QuickAddError(
                raw, "a tag starts with a letter (write \\# to keep # in the title)"
            )
        if tag not in tags:
            tags.append(tag)
    return index


def _read_due(
    raw: str,
    value: str,
    tokens: list[tuple[str, bool]],
    index: int,
    now: datetime,
    hours: WorkingHours,
    fields: dict[str, object],
) -> int:
    """``due:WHEN`` and the words after it that belong to the time (the longest run that
    still reads as one time); a clock-shaped word right after it always does, so that
    ``due:fri 25:00`` is refused rather than leaving ``25:00`` in the title."""
    following: list[str] = []
    for word, is_key in tokens[index : index + _MAX_DUE_WORDS]:
        if not is_key or _split_key(word)[0] is not None or word[:1] in "@!~*#\\":
            break
        following.append(word)
    for extra in range(len(following), 0, -1):
        try:
            moment = parse_when(" ".join([value, *following[:extra]]), now, hours)
        except ValueError:
            continue
        _set(fields, "due_at", raw, moment)
        return index + extra
    taken = 1 if following and _CLOCK_SHAPED_RE.match(following[0].lower()) else 0
    text = " ".join([value, *following[:taken]])
    _set(fields, "due_at", raw, _wrap(raw, lambda when: parse_when(when, now, hours), text))
    return index + taken


def _read_every(
    raw: str, value: str, tokens: list[tuple[str, bool]], index: int, fields: dict[str, object]
) -> int:
    """``every:RULE`` and the time of day after it, if one follows (``every:mon 9:00``)."""
    from techqueue.core.recurrence import parse_rule, rule_text

    clock = None
    if index < len(tokens) and tokens[index][1] and _EVERY_CLOCK_RE.match(tokens[index][0]):
        clock = tokens[index][0]
        index += 1
    if not value.strip():
        raise QuickAddError(raw, "every: needs a rule: every:day, every:mon, every:1st, every:2w")
    shown = raw if clock is None else f"{raw} {clock}"
    _set(fields, "every", shown, rule_text(_wrap(shown, lambda v: parse_rule(v, clock), value)))
    return index


def _tokenize(text: str) -> list[tuple[str, bool]]:
    """Split on spaces, keeping ``"a quoted phrase"`` and ``key:"two words"`` together.

    Each token comes with a flag: true when it may be a ``key:value`` token. A quoted phrase is
    title text as typed, so quoting protects words that look like tokens.
    """
    tokens: list[tuple[str, bool]] = []
    position, length = 0, len(text)
    while position < length:
        if text[position] == " ":
            position += 1
            continue
        first = text[position]
        if first in _QUOTES:
            close = text.find(first, position + 1)
            if close != -1 and (close + 1 == length or text[close + 1] == " "):
                tokens.append((text[position : close + 1], False))
                position = close + 1
                continue
        end = text.find(" ", position)
        end = length if end == -1 else end
        word = text[position:end]
        key, sep, rest = word.partition(":")
        if sep and key.lower() in _KEYS and rest[:1] and rest[0] in _QUOTES:
            opened = position + len(key) + 2
            close = text.find(rest[0], opened)
            if close == -1:
                raise QuickAddError(word, "this quote is never closed")
            if close + 1 < length and text[close + 1] != " ":
                raise QuickAddError(word, "put a space after the closing quote")
            tokens.append((f"{key}:{text[opened:close]}", True))
            position = close + 1
            continue
        tokens.append((word, True))
        position = end
    return tokens


def _split_key(raw: str) -> tuple[str | None, str]:
    key, sep, value = raw.partition(":")
    lowered = key.lower()
    if sep and lowered in _KEYS:
        return lowered, value
    return None, ""


def _read_key(
    key: str, raw: str, value: str, now: datetime, hours: WorkingHours
) -> tuple[str, object]:
    text = value.strip()
    if not text:
        raise QuickAddError(raw, f"{key}: needs a value")
    if key == "from":
        return "requester", text
    if key == "ref":
        return "ref", text
    if key == "due":
        return "due_at", _wrap(raw, lambda when: parse_when(when, now, hours), text)
    if key == "cost":
        return "cost", _wrap(raw, parse_cost, text)
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= MAX_IMPACT:
        raise QuickAddError(raw, f"impact is a number of people, 1 to {MAX_IMPACT:,}")
    return "impact", int(text)


def _wrap(raw: str, reader: Callable[[str], T], value: str) -> T:
    try:
        return reader(value)
    except ValueError as error:
        raise QuickAddError(raw, str(error)) from None


_LABELS = {"estimate_minutes": "the estimate", "due_at": "the due time", "every": "every:"}


def _set(fields: dict[str, object], name: str, raw: str, value: object) -> None:
    if name in fields and fields[name] != value:
        raise QuickAddError(raw, f"{_LABELS.get(name, 'the ' + name)} is given twice")
    fields[name] = value


# --- the other way: an item written back as a line -----------------------------------------


class Writable(Protocol):
    """What :func:`as_line` writes back (the store's item records fit)."""

    @property
    def title(self) -> str: ...
    @property
    def requester(self) -> str | None: ...
    @property
    def severity(self) -> str: ...
    @property
    def channel(self) -> str: ...
    @property
    def own_estimate(self) -> float | None: ...
    @property
    def own_vip(self) -> bool: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def ref(self) -> str | None: ...
    @property
    def impact(self) -> int: ...
    @property
    def due_at(self) -> datetime | None: ...


def _literal(word: str) -> str:
    """A title word that would read as a token, kept as a word with a backslash."""
    key = word.partition(":")[0].lower()
    looks_like_token = word[:1] in "@!~*#\\" or (":" in word and key in _KEYS)
    return "\\" + word if looks_like_token and len(word) > 1 else word


def as_line(item: Writable, zone: tzinfo | None = None) -> str:
    """The item written as a quick-add line that :func:`parse` reads back to the same item
    (for editing); a due time is written in ``zone`` (local time when ``None``)."""
    parts = [" ".join(_literal(word) for word in item.title.split(" "))]
    if item.requester:
        name = item.requester.replace('"', "'")
        parts.append(f'from:"{name}"' if " " in name else f"from:{name}")
    parts.append(f"!{item.severity}")
    parts.append(f"@{item.channel}")
    if item.own_estimate:
        minutes = item.own_estimate
        parts.append(f"~{minutes:g}m" if minutes >= 1 else f"~{round(minutes * 60)}s")
    if item.own_vip:
        parts.append("*vip")
    parts += [f"#{tag}" for tag in without_cost(item.tags)]
    if item.ref:
        parts.append(f"ref:{item.ref}" if " " not in item.ref else f'ref:"{item.ref}"')
    if item.impact > 1:
        parts.append(f"x:{item.impact}")
    if item.due_at:
        parts.append(f"due:{item.due_at.astimezone(zone).isoformat(timespec='minutes')}")
    cost = own_cost(item.tags)
    if cost is not None:
        parts.append(f"cost:{cost}")
    every = getattr(item, "every", None)  # a recurring rule's line (not an item's)
    if every:
        parts.append(f"every:{every}")
    return " ".join(parts)
