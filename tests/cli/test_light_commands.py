"""The short commands a technician runs dozens of times an hour load no heavy library: no Typer
(its Click fork and coercion cost ~50 ms), no pydantic, no SQLModel or SQLAlchemy, no Rich, no
Textual (docs/performance.md). Each runs in a fresh interpreter, since this process has long
since imported everything."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import RunSubprocess
from .support import MONDAY_9

pytestmark = pytest.mark.slow

HEAVY = ("typer", "pydantic", "sqlmodel", "sqlalchemy", "rich", "textual")
#: What a capture or a ``done`` need not load: the ranking (the settings hold its weights, in
#: ``core.weights``), the queue's forecast (its dataclasses alone cost ~4 ms to make at
#: import), the expectations' and canned answers' arithmetic (the settings hold their
#: defaults).
NOT_FOR_CHANGES = (
    "techqueue.scoring",
    "techqueue.core.forecast",
    "techqueue.core.expectations",
    "techqueue.core.answers",
)
#: What no short command loads (docs/performance.md, 13.): platformdirs with the ``tempfile``,
#: ``shutil``, ``random`` and compression modules it imports (the directories are worked out
#: in ``paths.py`` on Linux).
NOT_FOR_SHORT = ("platformdirs", "tempfile", "shutil", "random", "bz2", "lzma")
#: What no short command without ``--json`` loads when it has no notes, reminders or requesters
#: to show: those records' classes (``techqueue.records`` makes them when first asked for; the
#: JSON views name them at import).
NOT_FOR_PLAIN = ("techqueue.records.others",)

_RUN_AND_SAY_WHAT_WAS_LOADED = """
import json, sys
from techqueue.cli.main import main
code = main(sys.argv[1:])
heavy = {heavy!r}
print(json.dumps({{"code": code,
    "loaded": sorted({{name.partition(".")[0] for name in sys.modules}} & set(heavy)),
    "modules": sorted(sys.modules)}}))
"""


def _run(run_subprocess: RunSubprocess, *argv: str, now: str = MONDAY_9) -> dict[str, Any]:
    done = run_subprocess(*argv, now=now, probe=_RUN_AND_SAY_WHAT_WAS_LOADED.format(heavy=HEAVY))
    assert done.code == 0, done.err
    probe: dict[str, Any] = json.loads(done.out.strip().splitlines()[-1])
    assert probe["code"] == 0, done.err
    return probe


def _loaded(run_subprocess: RunSubprocess, *argv: str) -> list[str]:
    loaded: list[str] = _run(run_subprocess, *argv)["loaded"]
    return loaded


_SHORT_LINES = (
    ("add", "Printer jammed @desk !high ~5m #printer"),
    ("add", "Mail down for everyone !critical", "--json"),
    ("next",),
    ("next", "--json"),
    ("show", "1"),
    ("show", "1", "--json"),
    ("list",),
    ("list", "--json"),
    ("done", "2"),
)


def test_the_short_commands_load_nothing_heavy(run_subprocess: RunSubprocess) -> None:
    for argv in _SHORT_LINES:
        assert _loaded(run_subprocess, *argv) == [], argv


def test_the_short_commands_load_no_module_they_do_not_use(run_subprocess: RunSubprocess) -> None:
    for argv in _SHORT_LINES:
        modules = set(_run(run_subprocess, *argv)["modules"])
        assert not set(NOT_FOR_SHORT) & modules, argv
        if "--json" not in argv:
            assert not set(NOT_FOR_PLAIN) & modules, argv


def test_learning_an_estimate_does_not_load_statistics(run_subprocess: RunSubprocess) -> None:
    """The learned median is worked out without ``statistics`` (which loads ``decimal`` and
    ``fractions``)."""
    _run(run_subprocess, "add", "Printer jammed #printer")
    _run(run_subprocess, "start", "1", now=MONDAY_9.replace("T09:", "T08:"))
    _run(run_subprocess, "done", "1")
    _run(run_subprocess, "add", "Printer jammed again #printer")
    probe = _run(run_subprocess, "next", "--json")
    assert "techqueue.core.estimates" in probe["modules"]
    assert "statistics" not in probe["modules"]


def test_the_probe_sees_typer_when_the_line_needs_it(run_subprocess: RunSubprocess) -> None:
    """The check itself works: ``--help`` is Typer's, and loads it."""
    assert "typer" in _loaded(run_subprocess, "add", "--help")


def test_a_capture_does_not_load_the_forecast(run_subprocess: RunSubprocess) -> None:
    for argv in (("add", "Printer jammed"), ("done", "1")):
        modules = _run(run_subprocess, *argv)["modules"]
        assert not set(NOT_FOR_CHANGES) & set(modules), argv
