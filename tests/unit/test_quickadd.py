"""Quick-add: DESIGN.md's grammar, one line of text into a draft item or a clear error."""

from __future__ import annotations

import string
from datetime import UTC, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from techqueue.core.business import COSTS, cost_tag
from techqueue.core.quickadd import (
    Draft,
    QuickAddError,
    as_line,
    parse,
    parse_channel,
    parse_severity,
)
from techqueue.core.recurrence import Rule, rule_text
from techqueue.core.settings import Settings
from techqueue.core.text import clean_text
from techqueue.core.timeparse import WorkingHours, parse_when, weekday_number
from techqueue.domain import CHANNELS, MAX_IMPACT
from techqueue.scoring import SEVERITIES

#: Monday 2 March 2026, 09:00 UTC.
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_the_design_example_parses_exactly() -> None:
    line = 'Printer jammed @desk !high ~5m from:"Alice B" #printer due:14:00 ref:INC-42'
    assert parse(line, NOW) == Draft(
        title="Printer jammed",
        requester="Alice B",
        vip=False,
        severity="high",
        channel="desk",
        estimate_minutes=5.0,
        due_at=datetime(2026, 3, 2, 14, 0, tzinfo=UTC),
        tags=("printer",),
        ref="INC-42",
        impact=None,
    )


def test_plain_text_is_all_title() -> None:
    assert parse("Outlook keeps asking for a password", NOW) == Draft(
        title="Outlook keeps asking for a password"
    )


@pytest.mark.parametrize("channel", CHANNELS)
def test_channel_token(channel: str) -> None:
    assert parse(f"Call back @{channel}", NOW).channel == channel


def test_channel_token_is_case_insensitive_and_takes_a_prefix() -> None:
    assert parse("VPN @Phone", NOW).channel == "phone"
    assert parse("VPN @ph", NOW).channel == "phone"


@pytest.mark.parametrize("level", SEVERITIES)
def test_severity_token(level: str) -> None:
    assert parse(f"Server room hot !{level}", NOW).severity == level


@pytest.mark.parametrize(("token", "level"), [("!!!", "critical"), ("!!", "high")])
def test_exclamation_marks_are_severities(token: str, level: str) -> None:
    assert parse(f"No network {token}", NOW).severity == level


@pytest.mark.parametrize(("token", "minutes"), [("~5m", 5.0), ("~1h30m", 90.0), ("~90s", 1.5)])
def test_estimate_token(token: str, minutes: float) -> None:
    assert parse(f"Reset password {token}", NOW).estimate_minutes == minutes


def test_vip_token() -> None:
    draft = parse("Projector *vip", NOW)
    assert draft.vip is True
    assert draft.title == "Projector"
    assert parse("Projector *VIP", NOW).vip is True


def test_tag_token() -> None:
    assert parse("Toner #printer #floor-2", NOW).tags == ("printer", "floor-2")


def test_repeated_tags_are_deduplicated_in_order() -> None:
    assert parse("#b Toner #a #B #a", NOW).tags == ("b", "a")


def test_requester_token() -> None:
    assert parse("Mouse broken from:Alice", NOW).requester == "Alice"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ('Mouse from:"Alice B" broken', "Alice B"),
        ("Mouse from:'Alice B' broken", "Alice B"),
        ('Mouse from:"Dana (CEO)"', "Dana (CEO)"),
        ('Mouse from:"José  Núñez"', "José Núñez"),
    ],
)
def test_quoted_requester_names(line: str, name: str) -> None:
    draft = parse(line, NOW)
    assert draft.requester == name
    assert draft.title in {"Mouse broken", "Mouse"}


def test_due_token() -> None:
    assert parse("Report due:14:00", NOW).due_at == datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    assert parse("Report due:+2h", NOW).due_at == NOW + timedelta(hours=2)


def test_due_token_with_a_weekday_and_a_clock_time() -> None:
    draft = parse("Laptop ready due:fri 10:00 for Bob", NOW)
    assert draft.due_at == datetime(2026, 3, 6, 10, 0, tzinfo=UTC)
    assert draft.title == "Laptop ready for Bob"


def test_due_token_with_a_day_alone_uses_the_configured_working_hours() -> None:
    settings = Settings(hours=WorkingHours(start=time(7, 45), end=time(15, 0)))
    draft = parse("Laptop due:tomorrow", NOW, settings)
    assert draft.due_at == datetime(2026, 3, 3, 7, 45, tzinfo=UTC)


def test_ref_token() -> None:
    assert parse("Printer ref:INC-42", NOW).ref == "INC-42"


def test_impact_token() -> None:
    assert parse("Wi-Fi down x:12", NOW).impact == 12


def test_tokens_anywhere_in_the_line() -> None:
    expected = Draft(
        title="Printer jammed again",
        channel="desk",
        severity="high",
        estimate_minutes=5.0,
        tags=("printer",),
    )
    for line in [
        "@desk !high ~5m #printer Printer jammed again",
        "Printer @desk jammed !high ~5m again #printer",
        "Printer jammed again @desk !high ~5m #printer",
        "#printer ~5m Printer !high jammed @desk again",
    ]:
        assert parse(line, NOW) == expected


def test_unicode_title() -> None:
    draft = parse("Drucker im 2. Stock läuft nicht — 打印机 !low", NOW)
    assert draft.title == "Drucker im 2. Stock läuft nicht — 打印机"
    assert draft.severity == "low"


def test_unicode_tag() -> None:
    assert parse("Drucker #büro", NOW).tags == ("büro",)


def test_backslash_keeps_a_token_looking_word_in_the_title() -> None:
    draft = parse(r"Call \#3 about \@home and \!important \from:me", NOW)
    assert draft.title == "Call #3 about @home and !important from:me"
    assert draft.channel is None
    assert draft.tags == ()


def test_a_quoted_phrase_is_title_text_as_typed() -> None:
    assert parse('Error "@desk not found"', NOW).title == 'Error "@desk not found"'


def test_a_lone_sigil_is_title_text() -> None:
    assert parse("Q & A @ 3 #", NOW).title == "Q & A @ 3 #"


def test_control_characters_are_stripped() -> None:
    draft = parse("Printer\x1b[31m red\x07\x00 now\tplease\r\n !high", NOW)
    assert draft.title == "Printer[31m red now please"
    assert draft.severity == "high"
    assert clean_text("a\x00b\x1b\x7fc\n\td") == "abc d"


def test_repeating_the_same_token_value_is_fine() -> None:
    draft = parse("VPN @desk @desk !high !h *vip *vip from:Al from:Al", NOW)
    assert (draft.channel, draft.severity, draft.vip, draft.requester) == (
        "desk",
        "high",
        True,
        "Al",
    )


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        ("VPN @desk @phone", "@phone"),
        ("VPN !high !low", "!low"),
        ("VPN !!! !normal", "!normal"),
        ("VPN ~5m ~10m", "~10m"),
        ("VPN from:Al from:Bo", "from:Bo"),
        ("VPN due:14:00 due:15:00", "due:15:00"),
        ("VPN ref:A-1 ref:B-2", "ref:B-2"),
        ("VPN x:2 x:3", "x:3"),
    ],
)
def test_conflicting_repeated_tokens_are_an_error(line: str, bad: str) -> None:
    with pytest.raises(QuickAddError, match="twice") as caught:
        parse(line, NOW)
    assert caught.value.token == bad


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        ("Printer !urgentish", "!urgentish"),
        ("Printer ~soon", "~soon"),
        ("Printer @lunch", "@lunch"),
        ("Printer #3", "#3"),
        ("Printer x:0", "x:0"),
        ("Printer x:lots", "x:lots"),
        (f"Printer x:{MAX_IMPACT + 1}", f"x:{MAX_IMPACT + 1}"),
        ("Printer *foo", "*foo"),
        ("Printer !!!!", "!!!!"),
        ("Printer ~0m", "~0m"),
        ("Printer due:whenever", "due:whenever"),
        ("Printer due:fri 25:00", "due:fri"),
        ('Printer from:"Alice B', 'from:"Alice'),
        ('Printer from:"Alice B"x', 'from:"Alice'),
        ('Printer from:""', "from:"),
        ("Printer ref:''", "ref:"),
        ("Printer !importantish", "!importantish"),
        ("Printer @home", "@home"),
    ],
)
def test_bad_token_is_an_error_naming_it(line: str, bad: str) -> None:
    with pytest.raises(QuickAddError) as caught:
        parse(line, NOW)
    assert caught.value.token == bad
    assert bad in str(caught.value)
    assert "\n" not in str(caught.value)
    assert caught.value.problem


@pytest.mark.parametrize("line", ["", "   ", "\x00\x07", "@desk !high ~5m", "#tag due:14:00"])
def test_nothing_left_for_the_title_is_an_error(line: str) -> None:
    with pytest.raises(QuickAddError, match="title") as caught:
        parse(line, NOW)
    assert caught.value.token
    assert caught.value.token in str(caught.value)


def test_empty_line_names_the_empty_input() -> None:
    with pytest.raises(QuickAddError) as caught:
        parse("", NOW)
    assert caught.value.token == "(empty)"


def test_quick_add_error_is_a_value_error() -> None:
    assert issubclass(QuickAddError, ValueError)


@pytest.mark.parametrize(
    ("line", "bad"),
    [
        ("Printer due:", "due:"),
        ("Printer ref:", "ref:"),
        ("Printer from:", "from:"),
        ("Printer x:", "x:"),
        ("Printer due: 14:00", "due:"),
        ("Printer DUE:", "DUE:"),
    ],
)
def test_key_token_without_a_value_is_an_error(line: str, bad: str) -> None:
    with pytest.raises(QuickAddError) as caught:
        parse(line, NOW)
    assert caught.value.token == bad


@pytest.mark.parametrize("token", ["x:²", "x:①"])
def test_impact_with_a_non_decimal_digit_is_an_error(token: str) -> None:
    with pytest.raises(QuickAddError) as caught:
        parse(f"Printer {token}", NOW)
    assert caught.value.token == token


@pytest.mark.parametrize("line", ["@desk\n!high", "\x1b", "\x1b\x07 @desk !high"])
def test_no_title_error_is_one_clean_line(line: str) -> None:
    with pytest.raises(QuickAddError) as caught:
        parse(line, NOW)
    assert clean_text(str(caught.value)) == str(caught.value)


def test_severity_and_channel_readers() -> None:
    assert parse_severity("crit") == "critical"
    assert parse_channel("em") == "email"
    with pytest.raises(ValueError, match="unknown severity"):
        parse_severity("")
    with pytest.raises(ValueError, match="unknown channel"):
        parse_channel("")


# --- a due time of several words (docs/times.md) ------------------------------------------


def _march(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment of March 2026 in UTC, the zone of ``NOW``."""
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("line", "title", "due"),
    [
        ("Call Bob due:tomorrow 3pm", "Call Bob", _march(3, 15)),
        ("Call Bob due:fri noon", "Call Bob", _march(6, 12)),
        ("Call Bob due:mar 5", "Call Bob", _march(5, 9)),
        ("Call Bob due:5 mar 14:00", "Call Bob", _march(5, 14)),
        ("Call Bob due:mar 5 14:00 soon", "Call Bob soon", _march(5, 14)),
        ("Call Bob due:next mon", "Call Bob", _march(9, 9)),
        ("Call Bob due:next mon 10:00 today", "Call Bob today", _march(9, 10)),
        ('Call Bob due:"in 2 hours"', "Call Bob", _march(2, 11)),
        ("Call Bob due:in 2 hours", "Call Bob", _march(2, 11)),
        ("Call Bob due:3pm", "Call Bob", _march(2, 15)),
        ("Call Bob due:3 pm", "Call Bob", _march(2, 15)),
        ("Call Bob due:tomorrow at 3 pm", "Call Bob", _march(3, 15)),
        ("Call Bob due:noon tomorrow", "Call Bob", _march(3, 12)),
        ("Printer due:fri jammed", "Printer jammed", _march(6, 9)),
        ("Order due:fri 3 toners", "Order 3 toners", _march(6, 9)),
        ("Order due:mar 5 15 toners", "Order 15 toners", _march(5, 9)),
        ("Printer due:fri may jam", "Printer may jam", _march(6, 9)),
        ("Lunch due:tomorrow at noonish", "Lunch at noonish", _march(3, 9)),
        ("Laptop ready due:fri 10:00 for Bob", "Laptop ready for Bob", _march(6, 10)),
    ],
)
def test_due_token_reads_the_following_words_that_belong_to_the_time(
    line: str, title: str, due: datetime
) -> None:
    draft = parse(line, NOW)
    assert (draft.title, draft.due_at) == (title, due)


def test_due_words_never_swallow_a_following_token() -> None:
    draft = parse("Report due:tomorrow ref:INC-7 @desk \\noon", NOW)
    assert draft.due_at == _march(3, 9)
    assert (draft.ref, draft.channel, draft.title) == ("INC-7", "desk", "Report noon")


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("Printer due:fri 25:00", "not a clock time"),
        ("Printer due:tomorrow 13pm", "not a clock time"),
        ("Printer due:fri midnight", "ambiguous"),
        ("Printer due:next", "'next' is not a time"),
        ("Printer due:mar 32", "'mar' is not a time"),
    ],
)
def test_a_due_time_that_cannot_be_read_is_an_error(line: str, problem: str) -> None:
    with pytest.raises(QuickAddError, match=problem) as caught:
        parse(line, NOW)
    assert caught.value.token == line.split(" ")[1]


# --- every bad token of a line, at once ----------------------------------------------------


def test_every_bad_token_is_reported_in_one_line() -> None:
    with pytest.raises(QuickAddError) as caught:
        parse("Printer !urgentish jammed ~soon @lunch due:whenever x:0", NOW)
    error = caught.value
    assert [token for token, _ in error.problems] == [
        "!urgentish",
        "~soon",
        "@lunch",
        "due:whenever",
        "x:0",
    ]
    assert (error.token, error.problem) == error.problems[0]
    message = str(error)
    assert "\n" not in message
    assert message.startswith("!urgentish: unknown severity 'urgentish'")
    assert "; ~soon: 'soon' is not a duration" in message
    for token, problem in error.problems:
        assert f"{token}: {problem}" in message


def test_a_repeated_token_is_reported_with_the_other_bad_tokens() -> None:
    with pytest.raises(QuickAddError) as caught:
        parse("VPN !high !low ~soon", NOW)
    assert [token for token, _ in caught.value.problems] == ["!low", "~soon"]
    assert "twice" in caught.value.problems[0][1]


def test_nothing_left_for_the_title_is_said_only_when_every_token_reads() -> None:
    with pytest.raises(QuickAddError) as caught:
        parse("!urgentish @desk", NOW)
    assert caught.value.problems == (
        ("!urgentish", "unknown severity 'urgentish' (use critical, high, normal, low)"),
    )


def test_a_single_problem_reads_as_before() -> None:
    with pytest.raises(QuickAddError) as caught:
        parse("Printer ~soon", NOW)
    assert len(caught.value.problems) == 1
    assert str(caught.value) == f"~soon: {caught.value.problem}"


def test_a_page_of_bad_tokens_is_one_short_line() -> None:
    """Each kind of problem is said once with its first few tokens, and only the first few
    kinds (a pasted page of them once made a 20,000-character line)."""
    with pytest.raises(QuickAddError) as caught:
        parse(" ".join(f"#{n}" for n in range(300)) + " !a !b !c !d !e !f", NOW)
    message = str(caught.value)
    problems = caught.value.problems
    assert [token for token, _ in problems[:300]] == [f"#{n}" for n in range(300)]
    kinds = len({problem for _, problem in problems})
    assert kinds == 6, "five severities and the tags"
    assert message.startswith("#0, #1, #2 and 297 more: a tag starts with a letter")
    assert message.count("unknown severity") == 4
    assert message.endswith("; and 1 more problem")
    assert len(message) < 1000


# --- properties ----------------------------------------------------------------------------


_TOKENISH = st.lists(
    st.sampled_from(
        [
            *("@", "!", "~", "*", "#", "\\", '"', "'", " ", ":", "from:", "due:", "ref:", "x:"),
            *("desk", "high", "vip", "5m", "14:00", "fri", "A", "1", "²", "\x00", "\x1b", "\n"),
        ]
    ),
    max_size=12,
).map("".join)


def _check_any_text(text: str) -> None:
    error: QuickAddError | None = None
    try:
        draft = parse(text, NOW)
    except QuickAddError as caught:
        error = caught
    if error is not None:
        assert isinstance(error, ValueError)
        assert error.token
        # the message names the token (a long one by its first 39 characters and "…": a
        # pasted page of text is still one short line)
        assert error.token[:39] in str(error)
        assert clean_text(str(error)) == str(error), "the message must be one clean line"
        return
    assert isinstance(draft, Draft)
    assert draft.title
    assert draft.title == clean_text(draft.title)


@given(st.one_of(st.text(), _TOKENISH))
@example("Printer due:")
@example("Printer x:²")
@example('from:"')
@example("\\")
@example("x x:٣")
@example("Printer ~.5s due:-5m")
@example("@" + "a" * 40)
def test_any_text_is_a_draft_with_a_title_or_a_quick_add_error(text: str) -> None:
    _check_any_text(text)


_LETTERS = string.ascii_letters + "éüßøжλ中"
_WORD = st.text(alphabet=_LETTERS, min_size=1, max_size=8)
#: Words that continue a due time (``due:9:00 pm``, ``due:9:00 fri``): a title made of
#: generated words leaves them out, since after ``due:`` they are read as part of the time.
_TIME_WORDS = frozenset({"today", "tomorrow", "yesterday", "am", "pm", "noon", "midday"})
_TITLE_WORD = _WORD.filter(
    lambda word: word.lower() not in _TIME_WORDS and weekday_number(word) is None
)
_TAG = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from(string.ascii_lowercase + "éü"),
    st.text(alphabet=string.ascii_lowercase + string.digits + "-./_", max_size=6),
)


@st.composite
def _duration(draw: st.DrawFn) -> tuple[str, float]:
    hours = draw(st.integers(0, 48))
    minutes = draw(st.integers(0, 90))
    seconds = draw(st.integers(0, 90))
    if hours == minutes == seconds == 0:
        minutes = 1
    text = "".join(f"{v}{u}" for v, u in ((hours, "h"), (minutes, "m"), (seconds, "s")) if v)
    return text, hours * 60 + minutes + seconds / 60


_CLOCKS = st.none() | st.builds(time, st.integers(0, 23), st.integers(0, 59))
_RULES = st.one_of(
    st.builds(Rule, st.just("day"), st.just(0), _CLOCKS),
    st.builds(Rule, st.just("weekday"), st.integers(0, 6), _CLOCKS),
    st.builds(Rule, st.just("monthday"), st.integers(1, 31), _CLOCKS),
    st.builds(Rule, st.just("weeks"), st.integers(1, 52), _CLOCKS),
)


@st.composite
def _line(draw: st.DrawFn) -> tuple[str, Draft]:
    """A line built from generated token values around a plain title, in any order."""
    title = draw(st.lists(_TITLE_WORD, min_size=1, max_size=5))
    tokens: list[str] = []
    expected: dict[str, object] = {}
    if draw(st.booleans()):
        channel = draw(st.sampled_from(CHANNELS))
        tokens.append("@" + (channel.upper() if draw(st.booleans()) else channel))
        expected["channel"] = channel
    if draw(st.booleans()):
        level = draw(st.sampled_from([*SEVERITIES, "!!", "!!!"]))
        tokens.append("!" + level if level[0] != "!" else level)
        expected["severity"] = {"!!!": "critical", "!!": "high"}.get(level, level)
    if draw(st.booleans()):
        text, minutes = draw(_duration())
        tokens.append("~" + text)
        expected["estimate_minutes"] = minutes
    if draw(st.booleans()):
        tokens.append("*vip")
        expected["vip"] = True
    tags = draw(st.lists(_TAG, max_size=4))
    tokens += ["#" + tag for tag in tags]
    if draw(st.booleans()):
        name = " ".join(draw(st.lists(_WORD, min_size=1, max_size=3)))
        quote = draw(st.sampled_from(['"', "'"]))
        tokens.append(f"from:{quote}{name}{quote}" if " " in name else f"from:{name}")
        expected["requester"] = name
    if draw(st.booleans()):
        ref = draw(st.from_regex(r"\A[A-Z]{2,5}-[0-9]{1,6}\Z"))
        tokens.append("ref:" + ref)
        expected["ref"] = ref
    if draw(st.booleans()):
        impact = draw(st.integers(1, MAX_IMPACT))
        tokens.append(f"x:{impact}")
        expected["impact"] = impact
    if draw(st.booleans()):
        clock = f"{draw(st.integers(0, 23))}:{draw(st.integers(0, 59)):02d}"
        tokens.append("due:" + clock)
        expected["due_at"] = parse_when(clock, NOW)
    if draw(st.booleans()):
        cost = draw(st.sampled_from(COSTS))
        written = draw(st.sampled_from([cost, cost.upper(), cost[:1]]))
        tokens.append(f"cost:{written}")
        expected["cost"] = cost
        rule = rule_text(draw(_RULES))
        tokens.append("every:" + rule)  # with its time of day, when it has one, right after
        expected["every"] = rule
    # Shuffle tokens and title words together, keeping the title's own word order.
    blanks: list[str | None] = [None] * len(title)
    slots = draw(st.permutations([*blanks, *tokens]))
    words = iter(title)
    ordered = [next(words) if slot is None else slot for slot in slots]
    seen_tags = tuple(dict.fromkeys(w[1:] for w in ordered if w.startswith("#")))
    draft = Draft(title=" ".join(title), tags=seen_tags, **expected)  # type: ignore[arg-type]
    return " ".join(ordered), draft


@given(_line())
def test_a_line_built_from_token_values_parses_back_to_them(case: tuple[str, Draft]) -> None:
    line, expected = case
    draft = parse(line, NOW)
    assert draft == expected


_BAD_TOKENS = ("!urgentish", "~soon", "@lunch", "*star", "#3", "x:lots", "due:whenever", "!!!!")


@given(
    st.lists(_TITLE_WORD, min_size=1, max_size=4),
    st.lists(st.sampled_from(_BAD_TOKENS), min_size=1, max_size=4, unique=True),
    st.randoms(use_true_random=False),
)
def test_every_bad_token_is_named_in_line_order(
    title: list[str], bad: list[str], random: Any
) -> None:
    words: list[str] = [*title, *bad]
    random.shuffle(words)
    with pytest.raises(QuickAddError) as caught:
        parse(" ".join(words), NOW)
    named = [token for token, _ in caught.value.problems]
    assert named == [word for word in words if word in bad]
    assert caught.value.token == named[0]
    assert clean_text(str(caught.value)) == str(caught.value)


@given(_line())
def test_an_item_written_back_as_a_line_reads_back_the_same(case: tuple[str, Draft]) -> None:
    """``as_line`` (the edit line) and ``parse`` are inverses: every field survives, the
    business impact (kept as a ``cost:`` tag) and a recurring rule (``every:``) among them."""
    _, draft = case
    tags = draft.tags + ((cost_tag(draft.cost),) if draft.cost else ())
    stored = SimpleNamespace(
        title=draft.title,
        requester=draft.requester,
        severity=draft.severity or "normal",
        channel=draft.channel or "other",
        own_estimate=draft.estimate_minutes,
        own_vip=draft.vip,
        tags=tags,
        ref=draft.ref,
        impact=draft.impact or 1,
        due_at=draft.due_at,
        every=draft.every,
    )
    again = parse(as_line(stored, UTC), NOW)
    assert again.every == draft.every
    assert again.title == draft.title
    assert again.cost == draft.cost
    assert again.tags == draft.tags
    assert again.requester == draft.requester
    assert again.severity == (draft.severity or "normal")
    assert again.ref == draft.ref
    assert again.due_at == draft.due_at
    if draft.estimate_minutes is not None and draft.estimate_minutes >= 1:
        assert again.estimate_minutes == pytest.approx(draft.estimate_minutes, rel=1e-4)


def test_cost_token() -> None:
    assert parse("Payroll server slow cost:high", NOW).cost == "high"
    assert parse("Payroll server slow cost:L", NOW).cost == "low"
    assert parse("Payroll server slow", NOW).cost is None
    with pytest.raises(QuickAddError, match="unknown cost 'huge'"):
        parse("Payroll server slow cost:huge", NOW)
    with pytest.raises(QuickAddError, match="given twice"):
        parse("Payroll cost:high cost:low", NOW)


@pytest.mark.parametrize(
    ("line", "every", "title"),
    [
        ("check backups ~15m every:mon 9:00", "mon 09:00", "check backups"),
        ("every:day rotate tapes", "day", "rotate tapes"),
        ("patch servers every:1st", "1st", "patch servers"),
        ("review firewall every:2w 14:30 #security", "2w 14:30", "review firewall"),
    ],
)
def test_every_reads_the_rule_and_its_time(line: str, every: str, title: str) -> None:
    draft = parse(line, NOW)
    assert (draft.every, draft.title) == (every, title)


@pytest.mark.parametrize(
    "line", ["backups every:often", "backups every:", "backups every:mon 25:00"]
)
def test_a_bad_every_is_named(line: str) -> None:
    with pytest.raises(QuickAddError) as caught:
        parse(line, NOW)
    assert caught.value.token.startswith("every:")
