"""Errors never vanish: a worker that fails is shown to the technician and written to the log.

Every store read and write of the app runs in a worker thread, and a worker that raises would
otherwise end silently (they run with ``exit_on_error=False``, so that one failure does not
close the app). :class:`ReportsWorkerErrors` gives a screen, a dialog or the app the one
handler of ``Worker.StateChanged`` that turns a failure into an error notification and a log
line with its traceback.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from textual.app import App
from textual.worker import Worker, WorkerState

from techqueue.core.text import clean_text
from techqueue.paths import log_path

__all__ = ["ReportsWorkerErrors", "log", "report_failure"]

_LOGGER = "techqueue"


def log() -> logging.Logger:
    """The app's log, written to the platform's log directory (made owner-only on first use);
    nothing is written to the terminal, where the screen is."""
    logger = logging.getLogger(_LOGGER)
    logger.propagate = False
    path = log_path()
    if _where(logger) == path:
        return logger
    for old in list(logger.handlers):  # the log moved (another home: only tests do that)
        logger.removeHandler(old)
        old.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_APPEND | os.O_WRONLY, 0o600))
        handler: logging.Handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()  # no log beats a crash while reporting one
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    return logger


def _where(logger: logging.Logger) -> Path | None:
    for handler in logger.handlers:
        if isinstance(handler, logging.FileHandler):
            return Path(handler.baseFilename)
    return None


def report_failure(app: App[object], worker: Worker[object]) -> None:
    """Tell the technician that ``worker`` failed, in one line, and log its traceback."""
    error = worker.error
    logger = log()
    logger.error("%s failed", worker.name or worker.group, exc_info=error)
    app.log.error(f"worker {worker.name!r} ({worker.group}) failed: {error!r}")
    what = clean_text(f"{type(error).__name__}: {error}") if error else "unknown error"
    where = _where(logger)
    said = f"Something went wrong and was not done: {what}."
    if where is not None:
        said += f" Details in {where}"
    app.notify(said, title="Error", severity="error", timeout=15, markup=False)


class ReportsWorkerErrors:
    """Mixed into a screen, dialog or app that runs workers: their failures are reported."""

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            app = event.worker.node.app
            report_failure(app, event.worker)
