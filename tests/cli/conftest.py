"""Fixtures of the command-line tests.

Every test here gets its own store, config file and platform directories under ``tmp_path``
(set here too, so these tests are safe without the top-level conftest) and runs with the
current directory in ``tmp_path`` (``export FILE`` writes nothing elsewhere).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from techqueue.cli import main

from .support import Cli, Result, SetNow

RunSubprocess = Callable[..., Result]

_XDG = ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")


@dataclass(frozen=True)
class Home:
    """Where this test's files are."""

    root: Path
    db: Path
    config: Path


@pytest.fixture(autouse=True)
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Home:
    """Point the store, the config file and the platform directories into ``tmp_path``."""
    home = Home(root=tmp_path, db=tmp_path / "techqueue.db", config=tmp_path / "config.toml")
    monkeypatch.setenv("TECHQUEUE_DB", str(home.db))
    monkeypatch.setenv("TECHQUEUE_CONFIG", str(home.config))
    for name in _XDG:
        directory = tmp_path / name.lower()
        directory.mkdir(exist_ok=True)
        monkeypatch.setenv(name, str(directory))
    for name in list(os.environ):
        if name.startswith("_TECHQUEUE"):  # shell completion
            monkeypatch.delenv(name)
    monkeypatch.delenv("TECHQUEUE_NOW", raising=False)
    monkeypatch.delenv("TECHQUEUE_DEBUG", raising=False)
    monkeypatch.chdir(tmp_path)
    return home


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Run ``techqueue.cli.main(argv)`` in this process: ``cli("add", "x")`` → Result.

    The result is a named tuple ``(code, out, err)``; ``stdin=`` gives the command its input.
    """

    def run(*argv: str, stdin: str = "") -> Result:
        capsys.readouterr()
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(argv))
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return run


@pytest.fixture
def set_now(monkeypatch: pytest.MonkeyPatch) -> SetNow:
    """Fix techqueue's clock: ``set_now("2026-03-02T09:05")`` (local time without a zone)."""

    def fix(moment: str) -> None:
        monkeypatch.setenv("TECHQUEUE_NOW", moment)

    return fix


@pytest.fixture
def console_script() -> Path:
    """The installed ``techqueue`` console script (next to this Python, or on PATH)."""
    beside = Path(sys.executable).parent / "techqueue"
    if beside.exists():
        return beside
    found = shutil.which("techqueue")
    if found is None:
        pytest.skip("the techqueue console script is not installed")
    return Path(found)


@pytest.fixture
def run_subprocess(cli_home: Home) -> RunSubprocess:
    """Run techqueue in a new process, with no terminal: ``run_subprocess("list", "--json")``.

    ``now=`` sets TECHQUEUE_NOW (``None``: unset), ``script=`` runs that executable and
    ``probe=`` that Python code (``python -c PROBE ARGS``) instead of ``python -m techqueue``;
    the store and config are this test's, stdin is /dev/null.
    """

    def run(
        *args: str,
        now: str | None = None,
        script: Path | None = None,
        probe: str | None = None,
        timeout: float = 60,
    ) -> Result:
        env = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("TECHQUEUE_", "_TECHQUEUE"))
        }
        env["TECHQUEUE_DB"] = str(cli_home.db)
        env["TECHQUEUE_CONFIG"] = str(cli_home.config)
        for name in _XDG:
            env[name] = str(cli_home.root / name.lower())
        if now is not None:
            env["TECHQUEUE_NOW"] = now
        command = (
            [str(script)]
            if script is not None
            else [sys.executable, "-c", probe]
            if probe is not None
            else [sys.executable, "-m", "techqueue"]
        )
        completed = subprocess.run(
            [*command, *args],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=cli_home.root,
            timeout=timeout,
            check=False,
        )
        return Result(completed.returncode, completed.stdout, completed.stderr)

    return run
