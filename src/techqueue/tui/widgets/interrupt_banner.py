"""The banner that asks "Pause X for Y?" when something lands while a job is in hand and the
advice says switch: ``i`` switches, Escape keeps on. It remembers what it offered, so it goes
once the question is moot (the job in hand changed, or the newcomer was dealt with)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from techqueue.views.text import clean

if TYPE_CHECKING:  # the advice's module (and the deadline guard's) loads when advice is given
    from techqueue.core.advice import Advice
    from techqueue.records import ItemRecord

__all__ = ["InterruptBanner"]


class InterruptBanner(Static):
    DEFAULT_CSS = """
    InterruptBanner {
        display: none;
        height: auto;
        padding: 0 1;
        background: $warning 30%;
        color: $text;
    }
    InterruptBanner.-shown { display: block; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        #: The item offered, and the job in hand it would pause (``None``: nothing offered).
        self.offered: int | None = None
        self.pausing: int | None = None

    def offer(self, advice: Advice, active: ItemRecord, newcomer: ItemRecord) -> None:
        """Ask "Pause ``active`` for ``newcomer``?", with the advice's reason."""
        self.offered, self.pausing = newcomer.id, active.id
        text = Text()
        text.append(
            f"Pause #{active.id} {clean(active.title)} for #{newcomer.id} {clean(newcomer.title)}?",
            style="bold",
        )
        text.append("  i switches, Esc keeps on — ")
        text.append(clean(advice.reason))
        self.update(text)
        self.add_class("-shown")

    def hide(self) -> None:
        self.offered = self.pausing = None
        self.remove_class("-shown")
