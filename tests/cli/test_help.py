"""Help as a person reads it: plain metavars, whole summaries, an example each; ``--version``."""

from __future__ import annotations

import importlib

import pytest

import techqueue

from .support import COMMANDS, Cli, ok

#: The metavars a command's help may show (DESIGN.md's words for what is typed).
METAVARS = frozenset(
    {
        "ID",
        "RID",
        "WHO",
        "WHEN",
        "DURATION",
        "TEXT",
        "N",
        "NAME",
        "TAG",
        "REF",
        "FILE",
        "DATE",
        "LEVEL",
        "CHANNEL",
        "PATH",
        "STATUS",
        "FIELD=HEADING",
        "PERSON",
        "SPELLING",
    }
)


def _section(text: str, heading: str) -> list[str]:
    """The entries of a help section: each line that starts one (indented two spaces)."""
    lines = text.splitlines()
    if f"{heading}:" not in lines:
        return []
    start = lines.index(f"{heading}:") + 1
    entries = []
    for line in lines[start:]:
        if not line.strip():
            break
        if line.startswith("  ") and not line.startswith("   "):
            entries.append(line.strip())
    return entries


def _shown_metavars(help_text: str) -> list[str]:
    """Every metavar shown: the names of arguments, the values after options, the usage's."""
    shown = [entry.split()[0] for entry in _section(help_text, "Arguments")]
    for entry in _section(help_text, "Options"):
        for option in entry.split("  ")[0].split(" / "):
            words = option.split()
            if len(words) == 2 and words[0].startswith("--"):
                shown.append(words[1])
    usage = help_text.splitlines()[0].split("[OPTIONS]", 1)[1]
    shown += usage.split()
    return [name.removesuffix("...").strip("[]") for name in shown]


@pytest.mark.parametrize("command", [*COMMANDS, None])
def test_help_shows_plain_metavars(cli: Cli, command: str | None) -> None:
    result = ok(cli(command, "--help") if command else cli("--help"))
    assert "<" not in result.out, result.out
    assert "<=x" not in result.out, result.out
    assert "x<=" not in result.out, result.out
    assert "{" not in result.out.splitlines()[0], result.out
    for metavar in _shown_metavars(result.out):
        if metavar in ("OPTIONS", "COMMAND", "ARGS"):
            continue
        assert metavar in METAVARS, (command, metavar, result.out)


def test_item_commands_show_id_and_options_their_words(cli: Cli) -> None:
    shown = ok(cli("add", "--help")).out
    for option in (
        "--from NAME",
        "--severity LEVEL",
        "--channel CHANNEL",
        "--estimate DURATION",
        "--impact N",
        "--due WHEN",
        "--received WHEN",
        "--tag TAG",
        "--ref REF",
    ):
        assert option in shown
    assert "Usage: techqueue add [OPTIONS] TEXT..." in shown
    assert "Usage: techqueue show [OPTIONS] ID" in ok(cli("show", "--help")).out
    assert "--date DATE" in ok(cli("review", "--help")).out
    assert "Usage: techqueue export [OPTIONS] [FILE]" in ok(cli("export", "--help")).out
    assert "--db PATH" in ok(cli("--help")).out


def test_the_command_list_shows_each_summary_whole(cli: Cli) -> None:
    from techqueue.cli.registry import load

    shown = ok(cli("--help")).out
    listing = " ".join(shown[shown.index("Commands:") :].split())
    assert "..." not in listing
    for name in COMMANDS:
        doc = load(name).function.__doc__ or ""
        first = " ".join(doc.strip().split("\n\n")[0].split())
        assert f"{name} {first}" in listing, name
        assert len(first) <= 72, (name, first)  # short: one line of the listing


def test_version_prints_the_version_and_exits_0(cli: Cli) -> None:
    result = ok(cli("--version"))
    assert result.out == f"techqueue {techqueue.__version__}\n"
    assert result.err == ""
    assert ok(cli("--db", "other.db", "--version")).out == result.out
    assert "--version" in ok(cli("--help")).out


def test_version_does_not_build_the_typer_app(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("--version built Typer's app")

    # techqueue.cli's ``main`` is the function: the module is reached by its full name
    monkeypatch.setattr(importlib.import_module("techqueue.cli.main"), "_build", refuse)
    assert ok(cli("--version")).out == f"techqueue {techqueue.__version__}\n"
