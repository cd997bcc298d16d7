"""A progress bar for imports and exports that take a while: Rich's, on stderr, shown only in
a terminal and only once the work has taken more than a second (a short import stays one
quiet line), and never when stderr is piped or captured."""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

__all__ = ["Progress"]


class Progress:
    """Counts work done out of ``total``; draws a bar after ``delay`` seconds in a terminal."""

    def __init__(self, what: str, total: int, *, delay: float = 1.0) -> None:
        self.what = what
        self.total = total
        self.done = 0
        self._delay = delay
        self._terminal = sys.stderr.isatty()
        self._started = time.monotonic()
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, count: int = 1) -> None:
        """``count`` more done."""
        self.done += count
        if self._bar is None:
            if not self._terminal or time.monotonic() - self._started < self._delay:
                return
            self._show()
        assert self._bar is not None
        assert self._task is not None
        self._bar.update(self._task, completed=self.done)

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._task = self._bar.add_task(self.what, total=self.total or None)
        self._bar.start()
