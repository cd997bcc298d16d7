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
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from techqueue.core.text import clean_text
from techqueue.desk import Desk, Hooks

if TYPE_CHECKING:
    import subprocess

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
    saying what went wrong (the last line it wrote on stderr, when it wrote one).

    Its output goes nowhere and its errors to a temporary file, not a pipe, and it runs in a
    session of its own: a hook that leaves something running in the background cannot hold
    techqueue up, and one that outruns ``timeout`` is stopped with everything it started."""
    import subprocess
    import tempfile

    with tempfile.TemporaryFile() as errors:
        try:
            process = subprocess.Popen(
                [str(script)],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                cwd=script.parent,
                env={**os.environ, "TECHQUEUE_HOOK": f"on-{event}"},
                start_new_session=True,
            )
        except OSError as error:
            return f"hook {script.name} could not run: {error.strerror} (the action was saved)"
        try:
            process.communicate(payload, timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop(process)
            return f"hook {script.name} was stopped after {timeout:g} s (the action was saved)"
        if process.returncode == 0:
            return None
        errors.seek(0, os.SEEK_END)
        errors.seek(max(errors.tell() - 4096, 0))
        said = errors.read().decode("utf-8", "replace").strip().splitlines()
    why = f": {clean_text(said[-1])[:200]}" if said else ""
    return f"hook {script.name} failed (exit {process.returncode}){why} (the action was saved)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a hook and whatever it started (its session's process group)."""
    import signal

    try:
        os.killpg(process.pid, signal.SIGKILL)
    except OSError:
        process.kill()
    process.wait()


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
        import threading  # only for the app, which runs hooks off its thread

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
