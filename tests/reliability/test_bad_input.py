"""Bad input everywhere: whatever is typed, pasted or imported, techqueue saves it cleanly or
exits 2 with one short line — never a traceback, never half an import.

Hypothesis drives the quick-add parser and the real entry point (``main(argv)``, in-process:
a process per example would make CI slow); a few cases run the installed command in a
process of its own. The wider properties of the command line (any word, any option value,
any clock) are ``tests/cli/test_properties.py``; these add sizes up to a megabyte, control
characters, long notes and reasons, and import files that are not what they claim.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from cli.support import Result, environment, invoke
from techqueue.core.quickadd import QuickAddError, parse
from techqueue.domain import MAX_NAME, MAX_TEXT, MAX_TITLE
from techqueue.store import open_store

from .support import MONDAY_9, dump, local, seed, techqueue

PROPERTY = settings(
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
MEGABYTE = 1 << 20

#: Any character at all, control characters and lone surrogates included.
ANY_CHARACTER = st.characters(codec=None)
#: Text as long as a pasted page, or a megabyte: a short piece repeated.
LONG_TEXT = st.builds(
    lambda piece, times: piece * times,
    st.text(ANY_CHARACTER, min_size=1, max_size=4),
    st.integers(min_value=1, max_value=MEGABYTE // 2),
)


def short_failure(result: Result, code: int = 2) -> str:
    """Exit ``code``, one short line on stderr, no traceback."""
    assert result.code == code, result.err[:500]
    assert "Traceback" not in result.err + result.out
    lines = result.err.splitlines()
    assert len(lines) == 1, lines[:3]
    assert lines[0].startswith("techqueue: ")
    assert len(lines[0]) <= 420, "a message quoting a pasted page says only its start"
    return lines[0]


@contextmanager
def fresh_store(tmp_path: Path, name: str) -> Iterator[Path]:
    db = tmp_path / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    with environment(TECHQUEUE_DB=str(db), TECHQUEUE_NOW=MONDAY_9):
        yield db


# --- the quick-add parser ----------------------------------------------------------------------


@PROPERTY
@given(text=st.one_of(st.text(ANY_CHARACTER, max_size=200), LONG_TEXT))
@example(text="x" * MEGABYTE)
@example(text="!" + "a" * MEGABYTE)
@example(text="due:" + "9" * 100_000)
@example(text='from:"' + "\x00" * 1000)
@example(text="\x1b]52;c;aGVsbG8=\x07 printer @desk")
@example(text="0 #" * 305)
def test_the_quick_add_parser_reads_any_text_or_names_the_problem(text: str) -> None:
    said = ""
    try:
        draft = parse(text, local(MONDAY_9))
    except QuickAddError as error:
        said = str(error)
    else:
        assert isinstance(draft.title, str)
    assert len(said) < 20_000, "a bad token is quoted by its start"


# --- titles, notes and the rest through the command line ------------------------------------


@PROPERTY
@given(title=LONG_TEXT)
@example(title="a" * MAX_TITLE)
@example(title="a" * (MAX_TITLE + 1))
@example(title="a" * MEGABYTE)
@example(title="\x1b[2J\x1b[H" * 1000)
def test_a_title_of_any_size_is_saved_or_refused_in_one_line(tmp_path: Path, title: str) -> None:
    with fresh_store(tmp_path, "titles") as db:
        result = invoke(["add", title])
        if result.code == 0:
            with open_store(db) as store:
                (saved,) = store.items()
            assert 0 < len(saved.title) <= MAX_TITLE
            return
        said = short_failure(result)
        if len(title.strip()) > MAX_TITLE and "is too long" in said:
            assert f"at most {MAX_TITLE}" in said
        assert not db.exists() or dump(db)["item"] == []


def test_the_title_limit_says_what_to_do(tmp_path: Path) -> None:
    with fresh_store(tmp_path, "limit"):
        said = short_failure(invoke(["add", "x" * (MAX_TITLE + 1)]))
    assert said == (
        f"techqueue: the title is too long: {MAX_TITLE + 1} characters, at most {MAX_TITLE} "
        "(put the rest in a note)"
    )


TEXTS = {
    "note": lambda text: ["note", "1", text],
    "promise": lambda text: ["note", "1", text, "--promise", "+1h"],
    "reminder": lambda text: ["remind", "1", "+1h", text],
    "drop reason": lambda text: ["drop", "1", "--reason", text],
    "requester": lambda text: ["add", "Title", "--from", text],
    "reference": lambda text: ["add", "Title", "--ref", text],
    "vip": lambda text: ["vip", text, "--new"],
}
LIMITS = {"requester": MAX_NAME, "reference": MAX_NAME, "vip": MAX_NAME}


@pytest.mark.parametrize("what", list(TEXTS))
def test_every_text_has_a_limit_said_in_one_line(tmp_path: Path, what: str) -> None:
    limit = LIMITS.get(what, MAX_TEXT)
    with fresh_store(tmp_path, what) as db:
        assert invoke(["add", "Printer jammed"]).code == 0
        assert invoke(TEXTS[what]("y" * limit)).code == 0, "at the limit it is saved"
        assert invoke(["undo"]).code == 0
        before = dump(db)
        said = short_failure(invoke(TEXTS[what]("y" * MEGABYTE)))
        assert f"at most {limit:,}" in said
        assert dump(db) == before


@PROPERTY
@given(
    option=st.sampled_from(["--from", "--ref", "--tag", "--due", "--estimate", "--severity"]),
    value=st.one_of(st.text(ANY_CHARACTER, max_size=30), LONG_TEXT),
)
def test_any_option_value_is_saved_or_refused_in_one_line(
    tmp_path: Path, option: str, value: str
) -> None:
    with fresh_store(tmp_path, "options"):
        result = invoke(["add", "Title", option, value])
        assert result.code in (0, 2), result.err[:300]
        if result.code:
            short_failure(result)


# --- import files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real export of a small store, as bytes."""
    root = tmp_path_factory.mktemp("export")
    db = root / "source.db"
    with environment(TECHQUEUE_DB=str(db), TECHQUEUE_NOW=MONDAY_9):
        for argv in (
            ["add", "Printer jammed @desk !high from:Alice #printer"],
            ["add", "VPN down !critical from:Bob"],
            ["note", "1", "Paper tray two", "--promise", "+1h"],
            ["remind", "2", "+30m", "call Bob"],
            ["start", "1"],
        ):
            assert invoke(argv).code == 0
        result = invoke(["export"])
    assert result.code == 0
    return result.out.encode("utf-8")


def imported(tmp_path: Path, content: bytes, *, used: bool) -> tuple[Result, bool]:
    """Import ``content`` into a fresh store (holding one item when ``used``, importing with
    ``--merge`` then); the result, and whether the store is exactly as it was."""
    source = tmp_path / "import.json"
    source.write_bytes(content)
    with fresh_store(tmp_path, "target") as db:
        if used:
            seed(db, 1)
        else:
            open_store(db).close()
        before = dump(db)
        result = invoke(["import", str(source), *(["--merge"] if used else [])])
        return result, dump(db) == before


@PROPERTY
@given(cut=st.floats(min_value=0.0, max_value=0.9999), used=st.booleans())
def test_a_truncated_import_is_refused_whole(
    tmp_path: Path, exported: bytes, cut: float, used: bool
) -> None:
    whole = exported.rstrip()  # cut before its closing brace, not in the newline after it
    content = whole[: int(len(whole) * cut)]
    result, unchanged = imported(tmp_path, content, used=used)
    short_failure(result)
    assert unchanged, "nothing of a truncated import is kept"


@PROPERTY
@given(noise=st.binary(min_size=1, max_size=64), where=st.floats(0, 1), used=st.booleans())
@example(noise=b"\xff\xfe", where=0.5, used=False)
@example(noise=b"\xc3", where=1.0, used=True)
def test_an_import_with_invalid_utf8_is_refused_whole(
    tmp_path: Path, exported: bytes, noise: bytes, where: float, used: bool
) -> None:
    at = int(len(exported) * where)
    content = exported[:at] + noise + exported[at:]
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        result, unchanged = imported(tmp_path, content, used=used)
        said = short_failure(result)
        assert "not UTF-8" in said
        assert unchanged
        return
    result, unchanged = imported(tmp_path, content, used=used)
    if result.code != 0:
        short_failure(result)
        assert unchanged


BAD_ROWS = {
    "a lone surrogate in a title": ("title", "\ud800 printer"),
    "a megabyte title": ("title", "x" * MEGABYTE),
    "a title of a number": ("title", 42),
    "a tag of a megabyte": ("tags", ["t" * MEGABYTE]),
    "an unknown severity": ("severity", "\x1b[31mred"),
    "an id past what a store holds": ("id", 2**70),
    "a time before the year 1 in UTC": ("received_at", "0001-01-01T00:00:00+14:00"),
    "a time past the year 9999 in UTC": ("created_at", "9999-12-31T23:59:00-14:00"),
    "a wait past what a store holds": ("waited_minutes", 2**70),
    "an endless wait": ("waited_minutes", float("inf")),
    "an appointment past what a store holds": ("appointment_minutes", 2**70),
}


@pytest.mark.parametrize("kind", list(BAD_ROWS))
def test_an_import_with_one_bad_row_is_refused_whole(
    tmp_path: Path, exported: bytes, kind: str
) -> None:
    field, value = BAD_ROWS[kind]
    data = json.loads(exported)
    data["item"][-1][field] = value
    result, unchanged = imported(tmp_path, json.dumps(data).encode(), used=False)
    short_failure(result)
    assert unchanged


# --- the installed command, in a process of its own ------------------------------------------


def test_a_huge_title_and_invalid_utf8_through_the_real_command(tmp_path: Path) -> None:
    env = {"TECHQUEUE_DB": str(tmp_path / "real.db"), "TECHQUEUE_NOW": MONDAY_9}
    ran = techqueue("add", "z" * 120_000, env=env)  # Linux caps one argument at 128 KiB
    assert ran.code == 2, ran
    assert len(ran.err.splitlines()) == 1
    assert "too long" in ran.err
    raw = subprocess.run(
        [sys.executable, "-m", "techqueue", "add", b"caf\xe9 \xff printer"],
        env={**os.environ, **env},
        capture_output=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert raw.returncode == 2, raw
    assert len(raw.stderr.splitlines()) == 1
    assert b"Traceback" not in raw.stderr
    source = tmp_path / "bad.json"
    source.write_bytes(b'{"format": "techqueue-export", "item": [{"title": "\xff"}]}')
    ran = techqueue("import", str(source), env=env)
    assert ran.code == 2, ran
    assert "not UTF-8" in ran.err
