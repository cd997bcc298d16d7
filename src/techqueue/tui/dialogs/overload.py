"""The overload list: who the queue will get to after three times their target, the soonest
deadline first, with what to tell the highlighted one and the ways out, one key each — the
full-screen counterpart of ``overload``, ``defer --promise``, ``handoff`` and ``bump``. It
stays open while the technician goes down it; Escape closes it."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from techqueue.core.worktime import working_duration
from techqueue.tui.dialogs.base import Dialog
from techqueue.views.overload import OverloadLine, OverloadView
from techqueue.views.text import clean, when

__all__ = ["OverloadDialog"]

#: What the dialog decides: (verb, the line it is about).
Decision = tuple[str, OverloadLine]

_HELP = "z defer with a promise · h hand off · + raise · c copy what to tell them · Escape closes"
_NONE = "Nobody will wait past 3× their target at this pace."


class OverloadDialog(Dialog[None]):
    """Hands each decision on the highlighted line to ``decide`` (which carries it out and
    calls :meth:`show` with the notice as it is then); closes on Escape."""

    DEFAULT_CSS = """
    OverloadDialog > .dialog-box { max-height: 90%; padding: 0 1; border: thick $warning; }
    OverloadDialog OptionList { height: auto; max-height: 16; background: $panel; }
    OverloadDialog #overload-tell { margin-top: 1; }
    OverloadDialog #overload-help { color: $text-muted; }
    """

    BINDINGS = [
        Binding("escape", "cancel", "Close", id="overload.close"),
        Binding("z", "decide('defer')", "Defer + promise", id="overload.defer"),
        Binding("h", "decide('handoff')", "Hand off", id="overload.handoff"),
        Binding("plus", "decide('raise')", "Raise", id="overload.raise"),
        Binding("c", "decide('tell')", "Copy what to say", id="overload.tell"),
    ]

    def __init__(self, view: OverloadView, decide: Callable[[OverloadDialog, Decision], None]):
        super().__init__(self._title(view))
        self._view = view
        self._decide = decide

    @staticmethod
    def _title(view: OverloadView) -> str:
        return (view.headline or "Overload") + " (Escape closes)"

    def body(self) -> ComposeResult:
        lines = self._view.lines
        options = OptionList(*(self._option(line) for line in lines))
        options.display = bool(lines)
        yield options
        yield Static(id="overload-tell")
        yield Static(Text(_HELP if lines else _NONE), id="overload-help")

    def on_mount(self) -> None:
        self._say_tell()

    def show(self, view: OverloadView) -> None:
        """The notice as it is now; the highlight stays on its item while it is named, or
        goes to the one that took its place."""
        self._view = view
        options = self.query_one(OptionList)
        was = options.highlighted_option
        place = options.highlighted or 0
        options.clear_options()
        options.add_options([self._option(line) for line in view.lines])
        ids = [str(line.item.id) for line in view.lines]
        if was is not None and was.id in ids:
            place = ids.index(was.id)
        options.display = bool(view.lines)
        if view.lines:
            options.highlighted = min(place, len(view.lines) - 1)
            options.focus()
        self.query_one(".dialog-box").border_title = Text(self._title(view))
        self.query_one("#overload-help", Static).update(Text(_HELP if view.lines else _NONE))
        self._say_tell()

    def _option(self, line: OverloadLine) -> Option:
        item, now = line.item, self._view.now
        text = Text()
        text.append(f"#{item.id} ", style="bold")
        text.append(clean(item.title))
        if item.requester:
            text.append(f" — {clean(item.requester)}", style="dim")
        if line.already:
            text.append(f"  past its 3× deadline since {when(line.breach_at, now)}")
        elif line.will_breach:
            late = working_duration(line.late_minutes)
            text.append(f"  waits past {when(line.breach_at, now)} by {late}")
        else:
            text.append(f"  only just in time for {when(line.breach_at, now)}")
        text.append(f"; likely {when(line.expected_start, now)}", style="dim")
        return Option(text, id=str(item.id))

    def highlighted(self) -> OverloadLine | None:
        options = self.query(OptionList)
        if not options:
            return None
        chosen = options.first().highlighted_option
        if chosen is None:
            return None
        return next((line for line in self._view.lines if str(line.item.id) == chosen.id), None)

    @on(OptionList.OptionHighlighted)
    def _say_tell(self) -> None:
        line = self.highlighted()
        said = Text()
        if line is not None:
            said.append("Tell them: ", style="bold")
            said.append(line.tell)
        self.query_one("#overload-tell", Static).update(said)

    def action_decide(self, verb: str) -> None:
        line = self.highlighted()
        if line is not None:
            self._decide(self, (verb, line))
