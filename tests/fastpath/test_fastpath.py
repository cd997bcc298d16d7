"""The fast command-line path must read every line exactly as Typer would, or step aside."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from techqueue import cli
from techqueue.cli import fastpath, registry
from techqueue.cli.context import Context

NOW = "2026-03-02T09:00:00+00:00"


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _both(
    argv: list[str],
    tmp: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    seed: Path,
) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    results = []
    for label, fast in (("fast", True), ("typer", False)):
        db = tmp / f"{label}.db"
        shutil.copyfile(seed, db)
        monkeypatch.setenv("TECHQUEUE_DB", str(db))
        with monkeypatch.context() as patch:
            if not fast:
                patch.setattr(fastpath, "parse_fast", lambda function, args: None)
            results.append(_run(argv, capsys))
    return results[0], results[1]


@pytest.fixture
def seeded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.setenv("TECHQUEUE_NOW", NOW)
    seed = tmp_path / "seed.db"
    monkeypatch.setenv("TECHQUEUE_DB", str(seed))
    for line in (
        "Printer jammed @desk !high ~5m from:Alice",
        "CEO laptop *vip ~15m",
        "Backup check !low",
    ):
        assert cli.main(["add", line]) == 0
    assert cli.main(["start", "2"]) == 0
    capsys.readouterr()
    for suffix in ("-wal", "-shm"):
        Path(f"{seed}{suffix}").unlink(missing_ok=True)
    return seed


LINES = [
    ["add", "New thing", "--severity", "high", "--estimate", "5m", "--tag", "a", "--tag", "b"],
    ["add", "x", "--impact", "0"],
    ["add", "x", "--impact=3", "--json"],
    ["add", "--vip", "Call", "back", "--from", "Dana"],
    ["list", "--json"],
    ["list", "--all"],
    ["list", "--status", "all", "--tag", "printer", "--json"],
    ["list", "--search", "PRINTER", "--from", "alice"],
    ["list", "--status", "bogus"],
    ["reopen", "1"],
    ["done", "3", "--spent", "5m"],
    ["log", "1", "--spent", "5m", "--at", "8:00"],
    ["log", "2"],
    ["next", "--json"],
    ["next"],
    ["show", "1", "--json"],
    ["show", "0"],
    ["show", "x"],
    ["pause", "2"],
    ["pause", "1"],
    ["done", "3"],
    ["done", "1", "3"],
    ["done", "1", "3", "--json"],
    ["done", "1", "9"],
    ["pause", "2", "1"],
    ["drop", "3", "1", "--reason", "dup"],
    ["drop", "1", "--reason", "dup"],
    ["defer", "1", "tomorrow", "9:00"],
    ["bump", "1", "2"],
    ["edit", "1", "--no-vip", "--severity", "low"],
    ["note", "1", "told", "her", "--promise", "14:00"],
    ["remind", "-", "+30m", "coffee"],
    ["remind", "--due"],
    ["reminders", "--json"],
    ["undo"],
    ["--db"],
    ["add"],
    ["add", "x", "--bogus"],
    ["list", "--json", "extra"],
    # Found by a hostile review: digits of other scripts (Python's int() reads them, Typer's
    # validation does not) and a required option left out.
    ["show", "\u0662"],
    ["add", "--impact", "\uff15", "hello"],
    ["add", "--impact", "\U0001d7d3", "hello"],
    ["handoff", "1"],
    ["handoff", "1", "--json"],
    ["merge", "1", "9223372036854775808"],
]


@pytest.mark.parametrize("argv", LINES, ids=[" ".join(line) for line in LINES])
def test_fast_path_agrees_with_typer(
    argv: list[str],
    tmp_path: Path,
    seeded: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast, typer_result = _both(argv, tmp_path, capsys, monkeypatch, seeded)
    assert fast == typer_result


WORDS = st.sampled_from(
    [
        "add",
        "list",
        "next",
        "show",
        "start",
        "done",
        "bump",
        "--json",
        "--all",
        "--estimate",
        "--impact",
        "--severity",
        "--tag",
        "--from",
        "--vip",
        "1",
        "2",
        "-1",
        "0",
        "5m",
        "high",
        "x",
        "--",
        "-",
        "--help",
        "!!",
        "~5m",
        "--due",
        "14:00",
        "--impact=2",
        "--json=1",
    ]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(argv=st.lists(WORDS, min_size=1, max_size=6))
def test_fast_path_agrees_with_typer_on_any_line(
    argv: list[str],
    tmp_path: Path,
    seeded: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    if "--help" in argv:
        return  # help text is Typer's alone; the fast path always steps aside for it
    fast, typer_result = _both(argv, tmp_path, capsys, monkeypatch, seeded)
    assert fast[0] == typer_result[0], (argv, fast, typer_result)
    assert fast[1] == typer_result[1]


def test_steps_aside_for_what_it_does_not_know() -> None:
    add = registry.load("add").bound(Context())
    assert fastpath.parse_fast(add, ["x", "--help"]) is None
    assert fastpath.parse_fast(add, ["x", "--", "-y"]) is None
    assert fastpath.parse_fast(add, ["x", "--nope"]) is None
    assert fastpath.parse_fast(add, ["x", "--impact", "0"]) is None
    assert fastpath.parse_fast(add, ["x", "--impact"]) is None
    assert fastpath.parse_fast(add, []) is None
    assert fastpath.parse_fast(add, ["x", "--vip=yes"]) is None
    assert fastpath.parse_fast(add, ["x", "--impact", "\u0663"]) is None
    handoff = registry.load("handoff").bound(Context())
    assert fastpath.parse_fast(handoff, ["1"]) is None
    assert fastpath.parse_fast(handoff, ["1", "--to", "Sam"]) == {"item_id": 1, "to": "Sam"}


def test_reads_a_plain_line() -> None:
    add = registry.load("add").bound(Context())
    assert fastpath.parse_fast(
        add, ["Printer", "--tag", "a", "--tag=b", "--impact", "3", "--vip"]
    ) == {
        "text": ["Printer"],
        "tag": ["a", "b"],
        "impact": 3,
        "vip": True,
    }
    edit = registry.load("edit").bound(Context())
    assert fastpath.parse_fast(edit, ["4", "--no-vip"]) == {"item_id": 4, "vip": False}


def test_short_commands_import_no_pydantic(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = os.environ | {"TECHQUEUE_DB": str(tmp_path / "s.db"), "TECHQUEUE_NOW": NOW}
    code = (
        "import sys; from techqueue.cli import main; "
        "lines = (['add', 'x @desk ~5m'], ['next'], ['list', '--json'], ['start', '1']); "
        "[main(line) for line in lines]; "
        "heavy = {'pydantic', 'sqlmodel', 'sqlalchemy', 'textual'} & set(sys.modules); "
        "print(sorted(heavy)); sys.exit(1 if heavy else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_app_line_skips_typer(tmp_path: Path) -> None:
    """``techqueue`` and ``techqueue --db PATH`` open the app without assembling Typer's app
    (pydantic comes with it): without a terminal they print the hint, as Typer's path does."""
    import subprocess
    import sys

    env = os.environ | {"TECHQUEUE_DB": str(tmp_path / "s.db"), "TECHQUEUE_NOW": NOW}
    code = (
        "import sys; from techqueue.cli import main; "
        f"codes = [main([]), main(['--db', {str(tmp_path / 'o.db')!r}])]; "
        "heavy = {'pydantic'} & set(sys.modules); "
        "print(codes, sorted(heavy)); sys.exit(1 if heavy or any(codes) else 0)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("the full-screen app needs a terminal") == 2, result.stdout


def test_ctrl_c_is_said_alike_on_both_paths(
    tmp_path: Path,
    seeded: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Typer turns Ctrl-C into status 130 without a word; the fast path says it."""
    from techqueue import actions

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(actions, "add", interrupted, raising=False)
    fast, typer_result = _both(["add", "Printer"], tmp_path, capsys, monkeypatch, seeded)
    assert fast == typer_result == (130, "", "techqueue: interrupted; nothing was half-written\n")
