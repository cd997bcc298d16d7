"""Hooks: the technician's own scripts, run after an action is saved, so that a new item, a
finished one or a promise can be posted to a chat or a ticket system.

Taskwarrior's convention: an executable file named ``on-add``, ``on-done`` or ``on-promise``
(or ``on-add.chat``, ``on-add.2-ticket`` …: each runs, in name order) in the ``hooks``
directory beside the config file, reads the item's JSON (the same as ``show --json``) on
stdin. The action is committed before any hook runs, so a hook that fails, hangs (it is
stopped after :data:`~techqueue.desk.Hooks.timeout` seconds) or cannot run is reported in one
line and never loses or undoes it; its output is not shown (a command's ``--json`` stays
clean). No hooks directory costs one failed directory listing: no process, no JSON.

The actions call :func:`fire` once their transaction is committed, so the command line and
the app run the same hooks for the same actions; the app runs them off its threads.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from techqueue.desk import Desk, Hooks

__all__ = ["EVENTS", "fire", "hook_scripts", "run_hook"]

#: The moments a hook can be run at, each a script name ``on-EVENT``.
EVENTS = ("add", "done", "promise")


def hook_scripts(directory: Path, event: str) -> list[Path]:
    """The executable scripts for ``event`` in ``directory``, in name order: ``on-EVENT`` and
    ``on-EVENT.*`` (editor backups ending in ``~`` and hidden files left out)."""
    name = f"on-{event}"
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return []
    found = []
    for entry in entries:
        if not (entry.name == name or entry.name.startswith(name + ".")):
            continue
        if entry.name.endswith("~"):
            continue
        try:
            if entry.is_file() and os.access(entry.path, os.X_OK):
                found.append(Path(entry.path))
        except OSError:
            continue
    return sorted(found)


def run_hook(script: Path, payload: bytes, timeout: float, event: str) -> str | None:
    """Run one hook with ``payload`` on stdin; ``None`` when it succeeded, else one line
    saying what went wrong (the last line it wrote on stderr, when it wrote one)."""
    import subprocess

    try:
        ran = subprocess.run(
            [str(script)],
            input=payload,
            capture_output=True,
            timeout=timeout,
            cwd=script.parent,
            env={**os.environ, "TECHQUEUE_HOOK": f"on-{event}"},
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"hook {script.name} was stopped after {timeout:g} s (the action was saved)"
    except OSError as error:
        return f"hook {script.name} could not run: {error.strerror} (the action was saved)"
    if ran.returncode == 0:
        return None
    said = ran.stderr.decode("utf-8", "replace").strip().splitlines()
    why = f": {said[-1][:200]}" if said else ""
    return f"hook {script.name} failed (exit {ran.returncode}){why} (the action was saved)"


def fire(desk: Desk, event: str, item_ids: Iterable[int], now: datetime) -> None:
    """Run the technician's ``on-EVENT`` hooks for each of ``item_ids``, after the action
    that changed them was committed. Never raises: what goes wrong is reported."""
    hooks = desk.hooks
    if hooks is None:
        return
    scripts = hook_scripts(hooks.directory, event)
    if not scripts:
        return
    try:
        payloads = [_payload(desk, item_id, now) for item_id in item_ids]
    except Exception as error:  # the action is saved: a hook never undoes it
        hooks.report(f"hooks on-{event} not run: the item could not be read: {error}")
        return
    if hooks.background:
        threading.Thread(
            target=_run_all, args=(hooks, scripts, payloads, event), daemon=True
        ).start()
    else:
        _run_all(hooks, scripts, payloads, event)


def _payload(desk: Desk, item_id: int, now: datetime) -> bytes:
    """The item as ``show --json`` prints it."""
    import json

    from techqueue.views.item import item_detail
    from techqueue.views.json import detail_json

    detail = item_detail(desk, item_id, now)
    data = detail_json(detail, desk.settings.weights, now)
    return json.dumps(data, ensure_ascii=False).encode("utf-8") + b"\n"


def _run_all(hooks: Hooks, scripts: list[Path], payloads: list[bytes], event: str) -> None:
    for payload in payloads:
        for script in scripts:
            problem = run_hook(script, payload, hooks.timeout, event)
            if problem is not None:
                hooks.report(problem)
