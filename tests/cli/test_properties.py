"""Hypothesis over the command line's arguments, in-process through ``main(argv)``.

Whatever is typed, techqueue answers with exit 0 (done), 2 (bad input) or 1 (anything else),
one line on stderr when it fails, and never a traceback. Each example runs on a store of its
own (a fresh one, or a copy of a small seeded one) with the clock fixed.

Inputs that once slipped through (years before 1000, odd digits, ids beyond SQLite's range)
are pinned by explicit ``@example`` cases and by tests in ``test_commands.py``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from .support import (
    COMMANDS,
    MONDAY_9,
    Result,
    assert_one_line_error,
    environment,
    invoke,
    no_traceback,
)

PROPERTY = settings(
    deadline=None,
    max_examples=100,
    suppress_health_check=[HealthCheck.too_slow],
)


@contextlib.contextmanager
def own_store(template: Path | None = None, now: str = MONDAY_9) -> Iterator[Path]:
    """A store for one example: new, or a copy of ``template``; the clock fixed at ``now``."""
    with tempfile.TemporaryDirectory(prefix="techqueue-cli-") as directory:
        db = Path(directory) / "techqueue.db"
        if template is not None:
            shutil.copyfile(template, db)
        with environment(TECHQUEUE_DB=str(db), TECHQUEUE_NOW=now):
            yield db


def opens_the_app(argv: Sequence[str]) -> bool:
    """True when nothing but ``--db`` options is given: that opens the full-screen app."""
    index = 0
    while index < len(argv):
        if argv[index] == "--db":
            index += 2
        elif argv[index].startswith("--db="):
            index += 1
        else:
            return False
    return True


def check_contract(result: Result, allowed: set[int], argv: Sequence[str] = ()) -> None:
    """Exit status in ``allowed``; on failure one line on stderr; never a traceback.

    ``doctor``'s exit 1 is its report, not a failure: something needs doing, said on stdout
    one line per check (a ``FIX`` line among them), nothing on stderr.
    """
    no_traceback(result)
    assert result.code in allowed, result
    if result.code == 1 and "doctor" in argv and not result.err_lines:
        assert any(line.startswith("FIX") for line in result.out.splitlines()), result
    elif result.code != 0:
        assert_one_line_error(result, result.code, argv)


# --- strategies -------------------------------------------------------------------------------

#: Arbitrary text, control characters and odd Unicode included; no "/" or "~" so that a
#: random word used as a path (``--db``, ``export FILE``) stays inside the test's directory.
SAFE_TEXT = st.text(
    alphabet=st.characters(exclude_characters="/~"),
    max_size=16,
)
TOKENS = st.sampled_from(
    [
        "@desk",
        "@ph",
        "@fax",
        "!high",
        "!!",
        "!!!",
        "!!!!",
        "!crit",
        "!urgentish",
        "~5m",
        "~1h30m",
        "~90s",
        "~soon",
        "~0",
        "*vip",
        "*VIP",
        "*star",
        "#printer",
        "#1abc",
        "#",
        "from:Alice",
        'from:"Alice B"',
        'from:"Alice',
        "due:14:00",
        "due:tomorrow",
        "due:fri",
        "due:eod",
        "due:+30m",
        "due:never",
        "ref:INC-42",
        "x:12",
        "x:0",
        "x:lots",
        "x:1000001",
        "\\#3",
        '"quoted words"',
        "-",
        "--",
        "-x",
        "--json",
        "--vip",
    ]
)
KEYED = st.builds(
    str.__add__,
    st.sampled_from(["@", "!", "~", "*", "#", "from:", "due:", "ref:", "x:", "\\", '"']),
    SAFE_TEXT,
)
WORD = st.one_of(SAFE_TEXT, TOKENS, KEYED)
SURROGATE = st.sampled_from(["\udcff", "caf\udce9", "\ud800x"])


def _durations() -> st.SearchStrategy[str]:
    number = st.one_of(
        st.integers(min_value=-5, max_value=100_000).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(str),
    )
    unit = st.sampled_from(["", "s", "m", "h", "h30m", "d", "min", " m"])
    return st.one_of(st.builds(str.__add__, number, unit), st.sampled_from(["90s", "1h30m", ".5"]))


def _whens() -> st.SearchStrategy[str]:
    clock = st.builds(
        "{}:{:02d}".format, st.integers(min_value=0, max_value=99), st.integers(0, 99)
    )
    offset = st.builds(
        "{}{}{}".format,
        st.sampled_from(["+", "-", ""]),
        st.integers(min_value=0, max_value=10**6),
        st.sampled_from(["m", "h", "s", "d", ""]),
    )
    day = st.builds(
        "{} {}".format,
        st.sampled_from(["today", "tomorrow", "yesterday", "mon", "friday", "sunday", "eod"]),
        st.one_of(clock, st.just("")),
    )
    iso = st.datetimes().map(lambda moment: moment.isoformat())
    iso_aware = st.datetimes(timezones=st.timezones()).map(lambda moment: moment.isoformat())
    return st.one_of(clock, offset, day, iso, iso_aware, st.dates().map(str))


OPTION_VALUES = {
    "--estimate": st.one_of(SAFE_TEXT, _durations()),
    "--due": st.one_of(SAFE_TEXT, _whens()),
    "--received": st.one_of(SAFE_TEXT, _whens()),
    "--severity": st.one_of(
        SAFE_TEXT, st.sampled_from(["critical", "crit", "HIGH", "n", "low ", "!!", "!!!", ""])
    ),
    "--channel": st.one_of(SAFE_TEXT, st.sampled_from(["desk", "ph", "e", "Chat", "", "x"])),
    "--impact": st.one_of(
        SAFE_TEXT,
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.sampled_from(["١٢", "5_000", " 7", "0x10", "1e3"]),
    ),
    "--from": SAFE_TEXT,
    "--tag": SAFE_TEXT,
    "--ref": SAFE_TEXT,
}

VOCABULARY = st.sampled_from(
    [
        *COMMANDS,
        "frobnicate",
        "--json",
        "--all",
        "--from",
        "--vip",
        "--no-vip",
        "--severity",
        "--channel",
        "--estimate",
        "--impact",
        "--due",
        "--received",
        "--tag",
        "--ref",
        "--reason",
        "--until",
        "--promise",
        "--contact",
        "--off",
        "--date",
        "--week",
        "--markdown",
        "--merge",
        "--help",
        "-h",
        "--db",
        "--db=other.db",
        "--",
        "-",
        "1",
        "2",
        "3",
        "0",
        "-1",
        "99",
        "99999999999999999999",
        "+30m",
        "14:00",
        "eod",
        "tomorrow",
        "mon",
        "2026-03-04",
        "5m",
        "high",
        "desk",
        "Alice",
        "backup.json",
    ]
)
ARGUMENT = st.one_of(VOCABULARY, VOCABULARY, TOKENS, SAFE_TEXT)


# --- a seeded store, copied for each example -----------------------------------------------------


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small store with open, active, done and deferred items, notes and reminders."""
    root = tmp_path_factory.mktemp("seeded")
    db = root / "template.db"
    steps = [
        ["add", "Printer jammed @desk !high ~5m from:Alice #printer"],
        ["add", "CEO laptop !critical *vip from:Dana due:14:00"],
        ["add", "Order toner !low"],
        ["add", "Finished thing"],
        ["start", "1"],
        ["done", "4"],
        ["defer", "3", "tomorrow"],
        ["note", "2", "Told Dana 11:00", "--promise", "11:00"],
        ["remind", "1", "+30m", "check", "the", "printer"],
        ["remind", "-", "+2h", "order", "cables"],
        ["export", str(root / "backup.json")],
    ]
    with environment(
        TECHQUEUE_DB=str(db),
        TECHQUEUE_NOW=MONDAY_9,
        TECHQUEUE_CONFIG=str(root / "absent.toml"),
        XDG_CACHE_HOME=str(root / "cache"),
        XDG_CONFIG_HOME=str(root / "config"),
        XDG_DATA_HOME=str(root / "data"),
        XDG_STATE_HOME=str(root / "state"),
        TECHQUEUE_DEBUG=None,
    ):
        for step in steps:
            result = invoke(step)
            assert result.code == 0, (step, result)
    return db


# --- the properties ---------------------------------------------------------------------------


@PROPERTY
@given(words=st.lists(st.one_of(WORD, SURROGATE), min_size=1, max_size=6))
@example(words=["Printer jammed @desk !high ~5m"])
@example(words=["hello !urgentish"])
@example(words=["--help"])
@example(words=["\x00"])
@example(words=["\x1b[2J"])
@example(words=["x due:0500-06-01"])
def test_add_text_exits_0_or_2(words: list[str]) -> None:
    with own_store():
        result = invoke(["add", *words])
        check_contract(result, {0, 2}, words)
        if result.code == 0 and not {"--help", "-h"} & set(words):
            if "--json" in words:
                assert isinstance(result.json["id"], int), result
            else:
                assert result.out.strip().isdigit(), result
            after = invoke(["list", "--json"])
            check_contract(after, {0})
            titles = [entry["title"] for entry in after.json]
            assert len(titles) == 1
            assert titles[0].strip(), "an item always has a title"


OPTION_AND_VALUE = st.sampled_from(sorted(OPTION_VALUES)).flatmap(
    lambda option: st.tuples(st.just(option), OPTION_VALUES[option])
)


@PROPERTY
@given(option_and_value=OPTION_AND_VALUE, joined=st.booleans())
@example(option_and_value=("--estimate", "soon"), joined=False)
@example(option_and_value=("--due", "-5m"), joined=False)
@example(option_and_value=("--impact", "-3"), joined=False)
def test_option_values_exit_0_or_2(option_and_value: tuple[str, str], joined: bool) -> None:
    option, value = option_and_value
    argv = ["add", "Title", f"{option}={value}"] if joined else ["add", "Title", option, value]
    with own_store():
        result = invoke(argv)
        check_contract(result, {0, 2}, argv)
        if result.code == 0:
            check_contract(invoke(["list", "--json"]), {0})


def _can_be_an_environment_variable(text: str) -> bool:
    """What a shell can put in TECHQUEUE_NOW: no NUL, and bytes the file system encoding
    can give (a lone surrogate outside its escape range cannot be set at all)."""
    if "\x00" in text:
        return False
    try:
        os.fsencode(text)
    except UnicodeEncodeError:
        return False
    return True


@PROPERTY
@given(value=st.one_of(SAFE_TEXT, _whens()).filter(_can_be_an_environment_variable))
@example(value="half past nine")
@example(value="2026-03-02T09:00+05:30")
@example(value="0999-01-01T00:00")
def test_any_clock_exits_0_or_2(value: str) -> None:
    with own_store(now=value):
        for argv in (["add", "Title", "--due", "eod"], ["list", "--json"], ["next"]):
            check_contract(invoke(argv), {0, 2}, [value])


@PROPERTY
@given(
    db=st.booleans(),
    command=st.one_of(st.sampled_from(COMMANDS), ARGUMENT),
    rest=st.lists(ARGUMENT, max_size=7),
)
@example(db=False, command="bump", rest=["3", "--", "-1"])
@example(db=True, command="remind", rest=["-", "+30m", "x"])
@example(db=False, command="import", rest=["-"])
@example(db=False, command="remind", rest=["²", "+1h", "call"])
@example(db=False, command="show", rest=["99999999999999999999"])
@example(db=False, command="add", rest=["x", "--received", "0999-01-01T00:00"])
@example(db=False, command="doctor", rest=[])
def test_any_command_line_exits_0_1_or_2(
    seeded_template: Path, db: bool, command: str, rest: list[str]
) -> None:
    argv = ["--db", "other.db", command, *rest] if db else [command, *rest]
    assume(not opens_the_app(argv))
    with own_store(seeded_template) as store:
        with contextlib.chdir(store.parent):
            result = invoke(argv)
        check_contract(result, {0, 1, 2}, argv)
        check_contract(invoke(["list", "--json"]), {0})
