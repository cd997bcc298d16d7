"""The end of the day: what was done and where the time went, then a one-key decision on
every item still open. Each decision is the same store action the command line makes (carry
over, defer, bump, drop), one transaction, undoable; closing with ``f`` carries over whatever
was skipped or left undecided, and says so, so nothing is left behind silently."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.bar import Bar
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from techqueue import actions
from techqueue.core.review import Review, Share
from techqueue.core.timeparse import format_duration
from techqueue.desk import Desk
from techqueue.tui.dialogs import KeysScreen, binding_rows, mark_typed_beneath
from techqueue.tui.dialogs.asks import ask_drop, ask_note, ask_promise, ask_when
from techqueue.tui.errors import ReportsWorkerErrors
from techqueue.tui.runner import RunsActions
from techqueue.tui.session import Session
from techqueue.tui.widgets import KeysFooter
from techqueue.views.review import appointment_rows, out_rows
from techqueue.views.text import clean

__all__ = ["ReviewScreen", "review_renderable"]

#: The bars' titles, by what the time is shared by.
_TITLES = {"tag": "Time by tag", "channel": "by channel", "requester": "by requester"}


def _bars(shares: list[Share], title: str) -> Table | None:
    if not shares:
        return None
    top = shares[0].minutes
    table = Table(title=title, title_justify="left", box=None, show_header=False, padding=(0, 1))
    table.add_column(no_wrap=True, overflow="ellipsis", min_width=8, max_width=12)
    table.add_column(width=16)
    table.add_column(justify="right", no_wrap=True, min_width=7)
    for share in shares[:6]:
        table.add_row(
            Text(clean(share.name)),
            Bar(size=top, begin=0, end=share.minutes, width=16, color="cyan"),
            Text(format_duration(share.minutes)),
        )
    return table


def review_renderable(review: Review, side_by_side: bool = True) -> RenderableType:
    """The day as Rich renderables: counts, the done list, bars, promises. User text goes in
    as ``Text``, so a title like ``[b]`` is shown as typed."""
    worked = format_duration(review.worked_minutes) if review.worked_minutes else "no time"
    promises = review.promises
    head = Text()
    head.append(f"Interruptions: {review.received} received, {review.finished} finished")
    if review.dropped:
        head.append(f", {review.dropped} dropped")
    head.append(f" · worked {worked}")
    head.append(f" · promises kept {len(promises.kept)}, ")
    head.append(f"broken {len(promises.broken)}", style="bold red" if promises.broken else "")
    parts: list[RenderableType] = [head]
    if review.done:
        done = Table(title="Done", title_justify="left", box=None, show_header=False)
        done.add_column(no_wrap=True, overflow="ellipsis", ratio=1)
        done.add_column(justify="right", no_wrap=True)
        for item in review.done:
            verb = "dropped" if item.status == "dropped" else "done"
            spent = format_duration(item.spent_minutes) if item.spent_minutes else "–"
            done.add_row(Text(f"#{item.id} {clean(item.title)}"), Text(f"{verb} {spent}"))
        parts.append(done)
    bars = [table for by, shares in review.shares if (table := _bars(shares, _TITLES[by]))]
    if bars and side_by_side:
        grid = Table.grid(padding=(0, 2))
        for _ in bars:
            grid.add_column()
        grid.add_row(*bars)
        parts.append(grid)
    else:
        parts += bars
    if review.escalate:
        worth = Text("Worth escalating", style="bold")
        worth.append(" (long open, closable in ≤ 15 min: e goes to one, + raises it)", style="dim")
        for entry in review.escalate:
            worth.append(f"\n  ⇡ #{entry.id} {clean(entry.title)}", style="bold yellow")
            worth.append(f" — {clean('; '.join(entry.reasons))}")
        parts.append(worth)
    if promises.broken:
        broken = Text("Broken promises: ", style="bold red")
        broken.append(
            "; ".join(f"#{p.item_id} {clean(p.title)}" for p in promises.broken), style=""
        )
        parts.append(broken)
    for label, rows in (
        ("Appointments: ", appointment_rows(review)),
        ("Out with someone else: ", out_rows(review)),
    ):
        if rows:
            line = Text(label, style="bold")
            line.append("; ".join(rows))  # cleaned by the rows: text, never markup
            parts.append(line)
    return Group(*parts)


class ReviewScreen(ReportsWorkerErrors, RunsActions):
    """The review of one day (or week), with the carry-over decisions."""

    BINDINGS = [
        Binding("c", "carry", "Carry over", id="review.carry", tooltip="Carry over to tomorrow"),
        Binding(
            "o",
            "carry_promise",
            "+promise",
            id="review.promise",
            tooltip="Carry over with a new promise to the customer",
        ),
        Binding(
            "n", "carry_note", "+note", show=False, id="review.note", tooltip="Carry with a note"
        ),
        Binding("z", "defer", "Defer", id="review.defer", tooltip="Defer to a day"),
        Binding("plus", "bump(1)", "Up", show=False, id="review.up", tooltip="Re-rank: up"),
        Binding(
            "e",
            "next_escalation",
            "Escalate?",
            show=False,
            id="review.escalate",
            tooltip="To the next item worth escalating (+ raises it)",
        ),
        Binding("minus", "bump(-1)", "Down", show=False, id="review.down", tooltip="Re-rank: down"),
        Binding("x", "drop", "Drop", id="review.drop", tooltip="Drop with a reason"),
        Binding(
            "space",
            "skip",
            "Skip",
            show=False,
            id="review.skip",
            tooltip="Decide later (carried over)",
        ),
        Binding(
            "A",
            "carry_all",
            "All",
            show=False,
            id="review.all",
            tooltip="Carry over every undecided item",
        ),
        Binding(
            "f",
            "finish",
            "Finish",
            id="review.finish",
            tooltip="Finish the day: the rest is carried over as skipped",
        ),
        Binding("escape", "close", "Close", id="review.close", tooltip="Close, decide later"),
        Binding("question_mark", "keys", "Keys", id="review.keys", tooltip="Every key"),
    ]

    def __init__(
        self, session: Session, start: datetime, end: datetime, *, standalone: bool = False
    ) -> None:
        super().__init__()
        self.session = session
        self.start = start
        self.end = end
        self.standalone = standalone
        self.review: Review | None = None
        self.decided: dict[int, str] = {}
        self.skipped: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Static(Text(self._title()), id="review-title")
        with VerticalScroll(id="review-summary"):
            yield Static(Text("Reading the day…"), id="review-body")
        yield Static(Text("Still open"), id="review-open-title")
        yield OptionList(id="review-open")
        yield KeysFooter()

    def _title(self) -> str:
        days = (self.end - self.start).days
        start = self.start.strftime("%a %d %b %Y")
        if days <= 1:
            return f"Review of {start}"
        return f"Review of the week {start} – {self.end.strftime('%a %d %b')}"

    def on_key(self, event: events.Key) -> None:
        mark_typed_beneath(event)  # a dialog opened meanwhile takes it (see mark_typed_beneath)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.reload()

    @work(thread=True, exclusive=True, group="review-load", exit_on_error=False)
    def reload(self) -> None:
        review = self.session.review(self.start, self.end)
        self.app.call_from_thread(self._show, review)

    def _show(self, review: Review) -> None:
        self.review = review
        wide = self.size.width >= 120
        self.query_one("#review-body", Static).update(review_renderable(review, wide))
        options = self.query_one(OptionList)
        highlighted = options.highlighted
        options.clear_options()
        undecided = 0
        worth = {entry.id for entry in review.escalate}
        for entry in review.open:
            line = Text(f"{entry.rank:>3}. #{entry.id} {clean(entry.title)}")
            if entry.id in worth:
                line.append("  ⇡ worth escalating", style="bold yellow")
            decision = self.decided.get(entry.id)
            if decision is None and entry.id in self.skipped:
                decision = "skipped"
            if decision is None and not entry.undecided:
                decision = "carried over earlier today"
            if decision is None:
                undecided += 1
            else:
                line.append(
                    f"  → {decision}", style="bold green" if decision != "skipped" else "yellow"
                )
            options.add_option(Option(line, id=str(entry.id)))
        if not review.open:
            options.add_option(Option(Text("Nothing left open: a clean finish."), disabled=True))
        else:
            options.highlighted = min(highlighted or 0, len(review.open) - 1)
        self.query_one("#review-open-title", Static).update(
            Text(
                f"Still open: {len(review.open)}, {undecided} undecided "
                "(+/- re-rank, n carries with a note, ? every key)"
            )
        )

    # --- decisions -----------------------------------------------------------------------

    def _selected(self) -> int | None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return None
        option = options.get_option_at_index(options.highlighted)
        return int(option.id) if option.id else None

    def _next(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.highlighted < options.option_count - 1:
            options.highlighted += 1

    def _decide(
        self, item_ids: list[int], label: str, action: Callable[[Desk, datetime], object]
    ) -> None:
        """One action for the decision, then the day re-read."""

        def reread(_: object, ticket: int) -> Review:
            return self.session.review(self.start, self.end)

        def show(_: object, review: Review | None) -> None:
            for item_id in item_ids:
                self.decided[item_id] = label
                self.skipped.discard(item_id)
            if review is not None:
                self._show(review)
            self._next()

        self.act(action, follow=reread, show=show)

    def _with_item(self, run: Callable[[int], object]) -> None:
        item_id = self._selected()
        if item_id is None:
            self.say("Nothing open to decide.")
            return
        run(item_id)

    def action_carry(self) -> None:
        self._with_item(
            lambda i: self._decide(
                [i], "carried over", lambda desk, now: actions.carry_over(desk, [i], now)
            )
        )

    def action_carry_promise(self) -> None:
        def ask(item_id: int) -> None:
            def carry(when: datetime, said: str) -> None:
                self._decide(
                    [item_id],
                    f"carried over, promised {when:%a %H:%M}",
                    lambda desk, now: actions.carry_over(
                        desk, [item_id], now, promise_due_at=when, promise_text=said
                    ),
                )

            fields = (
                ("By when?", "tomorrow 10:00", "tomorrow 10:00"),
                ("What to tell the customer", "First thing tomorrow morning", ""),
            )
            ask_promise(self, f"Carry over #{item_id} with a promise", carry, fields=fields)

        self._with_item(ask)

    def action_carry_note(self) -> None:
        def ask(item_id: int) -> None:
            def carry(text: str) -> None:
                self._decide(
                    [item_id],
                    "carried over, noted",
                    lambda desk, now: actions.carry_over(desk, [item_id], now, note=text),
                )

            title = f"Carry over #{item_id} with a note"
            ask_note(self, title, carry, placeholder="Waiting for the part to arrive")

        self._with_item(ask)

    def action_defer(self) -> None:
        def ask(item_id: int) -> None:
            def defer(when: datetime) -> None:
                self._decide(
                    [item_id],
                    f"deferred to {when:%a %d %b %H:%M}",
                    lambda desk, now: actions.defer(desk, item_id, when, now),
                )

            ask_when(
                self,
                f"Defer #{item_id}",
                defer,
                label="To when? tomorrow, mon, 2026-03-09, fri 14:00",
                placeholder="tomorrow",
                initial="tomorrow",
            )

        self._with_item(ask)

    def action_bump(self, steps: int) -> None:
        self._with_item(
            lambda i: self._decide(
                [i],
                "moved up" if steps > 0 else "moved down",
                lambda desk, now: actions.bump(desk, i, steps, now),
            )
        )

    def action_next_escalation(self) -> None:
        """Highlight the next item the sweep proposes (after the highlighted one, round)."""
        review = self.review
        if review is None or not review.escalate:
            self.say("Nothing worth escalating: no long-open item closable in 15 min.")
            return
        worth = {entry.id for entry in review.escalate}
        options = self.query_one(OptionList)
        count = len(review.open)
        here = options.highlighted if options.highlighted is not None else -1
        for step in range(1, count + 1):
            index = (here + step) % count
            if review.open[index].id in worth:
                options.highlighted = index
                return

    def action_drop(self) -> None:
        def ask(item_id: int) -> None:
            def drop(reason: str | None) -> None:
                self._decide(
                    [item_id],
                    f"dropped: {reason}" if reason else "dropped",
                    lambda desk, now: actions.drop(desk, item_id, now, reason),
                )

            ask_drop(self, f"#{item_id}", drop)

        self._with_item(ask)

    def action_skip(self) -> None:
        item_id = self._selected()
        if item_id is not None and item_id not in self.decided:
            self.skipped.add(item_id)
            if self.review is not None:
                self._show(self.review)
            self._next()

    def _undecided(self) -> list[int]:
        if self.review is None:
            return []
        return [
            entry.id
            for entry in self.review.open
            if entry.undecided and entry.id not in self.decided
        ]

    def action_carry_all(self) -> None:
        ids = [i for i in self._undecided() if i not in self.skipped]
        if not ids:
            self.say("Nothing undecided left (skipped items are carried over by f).")
            return
        self._decide(ids, "carried over", lambda desk, now: actions.carry_over(desk, ids, now))

    def action_finish(self) -> None:
        ids = self._undecided()
        if not ids:
            self.say("Every item is decided: the day is closed.")
            self._leave()
            return
        names = ", ".join(f"#{item_id}" for item_id in ids)
        # the same rule as ``carry --rest``, less what was decided here in another way
        start, end = self.session.today()
        exclude = list(self.decided)

        def done(_: object, __: None) -> None:
            self.say(f"Not decided, carried over as skipped: {names}")
            self._leave()

        self.act(
            lambda desk, now: actions.carry_rest(desk, start, end, now=now, exclude=exclude),
            show=done,
        )

    def action_keys(self) -> None:
        keys = binding_rows(self.app, self.BINDINGS)
        self.app.push_screen(KeysScreen([*keys, ("↑ ↓", "Move between open items")]))

    def action_close(self) -> None:
        self._leave()

    def _leave(self) -> None:
        if self.standalone:
            # The app's quit, which first waits for the decisions already asked for.
            self.app.call_next(self.app.action_quit)
        else:
            self.dismiss(None)
