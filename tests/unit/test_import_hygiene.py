"""The pure core stays light: importing it pulls in no UI, database, CLI or validation library.

Each check runs in a fresh interpreter, because this test process has long since imported
whatever other tests needed. The core's modules are found by walking the package, so a module
added to it is checked without anyone remembering to list it.
"""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import techqueue.core

#: The pure modules: the core package, the ranking (public API at the top level) and the
#: vocabulary and records they read.
PURE_MODULES = (
    *sorted(
        f"techqueue.core.{module.name}" for module in pkgutil.iter_modules(techqueue.core.__path__)
    ),
    "techqueue.scoring",
    "techqueue.domain",
    "techqueue.records",
)
#: What the core must never load: the UI, the database drivers and ORM, the CLI framework,
#: the validation library, and Rich.
HEAVY = ("textual", "sqlite3", "_sqlite3", "sqlalchemy", "sqlmodel", "typer", "pydantic", "rich")

_PROBE = """
import importlib, json, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
heavy = {heavy!r}
print(json.dumps(sorted(
    name for name in sys.modules if name.partition(".")[0] in heavy
)))
"""


def imported_heavy_modules(*modules: str, extra: str = "") -> list[str]:
    """The heavy modules that importing ``modules`` (then running ``extra``) brought in."""
    code = _PROBE.format(heavy=HEAVY)
    if extra:
        code = code.replace("heavy = ", f"{extra}\nheavy = ", 1)
    done = subprocess.run(
        [sys.executable, "-c", code, *modules],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    found: list[str] = json.loads(done.stdout)
    return found


def test_the_core_is_found() -> None:
    assert {"techqueue.core.quickadd", "techqueue.core.forecast"} <= set(PURE_MODULES)


@pytest.mark.slow
@pytest.mark.parametrize("module", PURE_MODULES)
def test_a_pure_module_imports_nothing_heavy(module: str) -> None:
    assert imported_heavy_modules(module) == []


@pytest.mark.slow
def test_the_pure_core_together_imports_nothing_heavy() -> None:
    assert imported_heavy_modules(*PURE_MODULES) == []


@pytest.mark.slow
def test_default_settings_and_a_ranking_import_nothing_heavy() -> None:
    """What ``techqueue next`` pays for with no config file: settings, parse and rank."""
    extra = (
        "from datetime import datetime, timezone\n"
        "from techqueue.config.loader import load\n"
        "from techqueue.core.quickadd import parse\n"
        "from techqueue.scoring import rank\n"
        "now = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)\n"
        "settings = load()\n"
        "assert settings.source == 'defaults', settings.source\n"
        "parse('Printer jammed @desk !high ~5m due:eod', now, settings)\n"
        "rank([], now, settings.weights)"
    )
    assert imported_heavy_modules(extra=extra) == []


@pytest.mark.slow
def test_the_probe_sees_a_heavy_import() -> None:
    """The check itself works: modules that do import pydantic and sqlite3 are caught."""
    assert "pydantic" in imported_heavy_modules("techqueue.config.model")
    assert "sqlite3" in imported_heavy_modules("techqueue.store")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("module", "left_out"),
    [
        # every command loads the settings
        ("techqueue.config.loader", {"statistics", "techqueue.core.estimates"}),
        # `remind --due` at every shell prompt reads through the follow-ups and the queue
        ("techqueue.views.followups", {"statistics", "techqueue.core.advice"}),
        ("techqueue.views.ranking", {"statistics", "techqueue.core.advice"}),
    ],
)
def test_only_the_commands_that_learn_or_advise_pay_for_it(module: str, left_out: set[str]) -> None:
    """``statistics`` brings ``random``, ``fractions`` and ``decimal``: only learning an
    estimate needs it, and only ``add``, ``next`` and the app ask for advice."""
    code = f"import sys, {module}; print(sorted(set({sorted(left_out)!r}) & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_every_action_the_package_names_is_there() -> None:
    from techqueue import actions

    for name in actions.__all__:
        assert callable(getattr(actions, name)), name
    with pytest.raises(AttributeError):
        actions.no_such_action  # noqa: B018


@pytest.mark.slow
def test_a_command_loads_only_the_actions_it_runs() -> None:
    code = (
        "import sys; from techqueue import actions; actions.start; "
        "print(sorted(m for m in sys.modules if m.startswith('techqueue.actions.')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    # The hooks run after every action (a small module: no subprocess until a hook exists).
    assert done.stdout.strip() == "['techqueue.actions.hooks', 'techqueue.actions.items']"


@pytest.mark.slow
def test_a_short_command_does_not_load_the_mail_parser() -> None:
    """``email.utils`` brings ``socket`` (15 ms): only the ``Name <address>`` form and the
    mail import need it, not every ``add`` or ``start``."""
    code = (
        "import sys, techqueue.actions.items, techqueue.cli.intake, techqueue.cli.tidy; "
        "print(sorted(m for m in ('email.utils', 'socket', 'mailbox', 'icalendar') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


@pytest.mark.slow
def test_a_solo_command_does_not_load_the_team_driver(tmp_path: Path) -> None:
    """psycopg costs a command about 0.1 s: only a ``postgresql://`` store pays for it, and the
    team's listener only the app on one."""
    code = (
        "import sys; from techqueue.store import open_store; "
        f"s = open_store({str(tmp_path / 'solo.db')!r}); s.items(); s.close(); "
        "import techqueue.cli.main, techqueue.tui.session; "
        "print(sorted(m for m in ('psycopg', 'techqueue.db.listen', 'techqueue.db.postgres') "
        "if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


#: What the app's first frame needs none of (docs/performance.md, 13.): the dialogs (and the
#: questions that open them), the quick-add parser, the item view with its past solutions,
#: the interruption advice, the overload and recurring views. Each loads when first used.
NOT_BEFORE_THE_FIRST_FRAME = (
    "techqueue.tui.dialogs.confirm",
    "techqueue.tui.dialogs.prompt",
    "techqueue.core.quickadd",
    "techqueue.views.item",
    "techqueue.core.solutions",
    "techqueue.core.advice",
    "techqueue.views.overload",
    "techqueue.views.recurring",
)


@pytest.mark.slow
def test_the_app_imports_only_what_its_first_frame_needs() -> None:
    code = (
        "import sys; from techqueue.app import TechQueueApp; "
        f"print(sorted(set({NOT_BEFORE_THE_FIRST_FRAME!r}) & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
