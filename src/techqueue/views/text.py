"""Text for people: the cells and lines that show items, reminders and the queue.

User text is cleaned of control characters before it is shown (a stored title must not be able
to repaint the terminal) and reaches Rich only as ``Text``, never as markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from techqueue.core.business import without_cost
from techqueue.core.estimates import estimate_of
from techqueue.core.text import clean_text
from techqueue.core.timeparse import format_duration
from techqueue.core.worktime import working_duration
from techqueue.domain import CLOSED_STATUSES
from techqueue.records import ItemRecord, SpanRecord
from techqueue.scoring import Ranked, Weights, late_minutes

if TYPE_CHECKING:  # (a command that prints one line, as done does, needs neither)
    from techqueue.core.forecast import Forecast, Miss
    from techqueue.core.solutions import PastSolution
    from techqueue.records import ReminderRecord  # (made by records.others, when first used)
    from techqueue.views.item import ItemDetail

__all__ = [
    "QUEUE_HEADINGS",
    "age",
    "appointment_text",
    "bar",
    "clean",
    "estimate_cell",
    "eta_cell",
    "expectation_parts",
    "holder",
    "lateness_cell",
    "left_running_text",
    "past_solution_line",
    "promise_countdown",
    "queue_cells",
    "queue_lines",
    "reminder_line",
    "reminder_parts",
    "serve_facts",
    "show_lines",
    "span_text",
    "summary_line",
    "timer_stopped_lines",
    "waited_cell",
    "waiting_on_text",
    "waiting_on_who",
    "when",
    "will_miss_text",
]


def clean(text: str | None) -> str:
    """User text made safe to print: no control characters, whitespace collapsed."""
    return clean_text(text or "")


def age(moment: datetime, now: datetime) -> str:
    """How long ago, shortly: ``5 min``, ``2 h 10``, ``3 d``."""
    return format_duration(max((now - moment).total_seconds() / 60, 1 / 60))


def waited_cell(item: ItemRecord, placed: Ranked[ItemRecord] | None, now: datetime) -> str:
    """How long it has waited: in working time, on its own clock, as the ranking counts it
    (an item out of the queue: since it arrived)."""
    if placed is None:
        return age(item.received_at, now)
    return working_duration(max(placed.waited, 1 / 60))


def lateness_cell(
    item: ItemRecord, placed: Ranked[ItemRecord] | None, weights: Weights, forecast: Forecast
) -> str:
    """``late 40 min`` past its response target, ``will miss 14:00 by 25 min`` before a due
    time or a promise is missed, or both; ``""`` when neither."""
    said = []
    late = 0.0 if placed is None else late_minutes(item, placed.waited, weights)
    if late > 0:
        said.append(f"late {working_duration(late)}")
    miss = forecast.miss(item.id)
    if miss is not None:
        said.append(will_miss_text(miss, forecast.now))
    return ", ".join(said)


def will_miss_text(miss: Miss, now: datetime) -> str:
    """``will miss 14:00 by 25 min``; when the work comes another day, that day: ``will miss
    16:00 (likely Tue 09:10)``."""
    at = miss.at.astimezone(now.tzinfo)
    likely = at + timedelta(minutes=miss.by_minutes)
    if likely.date() != at.date():
        return f"will miss {when(miss.at, now)} (likely {likely:%a %H:%M})"
    return f"will miss {when(miss.at, now)} by {format_duration(miss.by_minutes)}"


def left_running_text(span: SpanRecord, title: str, cutoff: datetime, now: datetime) -> str:
    """A timer still running past the end of its working day, as the app asks about it:
    ``#4 Printer jammed: running since Mon 02 Mar 15:10, past the day's end at 17:00``."""
    return (
        f"#{span.item_id} {clean(title)}: running since {when(span.started_at, now)}, "
        f"past the day's end at {when(cutoff, now)}"
    )


def timer_stopped_lines(
    stopped: Sequence[SpanRecord], titles: Mapping[int, str], now: datetime
) -> list[str]:
    """What ``morning`` says of the timers it stopped at the end of the day they outran, and
    how to give the evening back if it was worked."""
    if not stopped:
        return []
    lines = ["Timers left running, stopped at the end of their working day:"]
    for span in stopped:
        assert span.ended_at is not None
        lines.append(
            f"  #{span.item_id} {clean(titles[span.item_id])}: "
            f"{when(span.started_at, now)}–{span.ended_at.astimezone(now.tzinfo):%H:%M} "
            f"(span {span.id})"
        )
    example = stopped[0].id
    lines.append(f"  Worked on later? Say until when: techqueue log {example} --end 19:30")
    return lines


def when(moment: datetime, now: datetime) -> str:
    """A time as a technician reads it: ``14:20`` today, ``Tue 03 Mar 09:00`` otherwise."""
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


Row = tuple[ItemRecord, Ranked[ItemRecord] | None]


def appointment_text(item: ItemRecord, now: datetime) -> str:
    """``appointment 14:00–14:30`` (the day too when it is not today's); "" without one."""
    at = item.appointment_at
    if at is None:
        return ""
    from techqueue.core.appointments import slot_minutes

    end = (at + timedelta(minutes=slot_minutes(item))).astimezone(now.tzinfo)
    return f"appointment {when(at, now)}–{end:%H:%M}"


def waiting_on_who(item: ItemRecord) -> str:
    """``waiting on vendor Acme`` (``waiting on Sam`` for a plain name); "" when not."""
    if item.waiting_on is None:
        return ""
    kind = "" if item.waiting_kind in (None, "person") else f"{item.waiting_kind} "
    return f"waiting on {kind}{clean(item.waiting_on)}"


def waiting_on_text(item: ItemRecord, now: datetime) -> str:
    """``waiting on vendor Acme since 09:10, chase Tue 03 Mar 10:00``; "" when not."""
    if item.waiting_on is None:
        return ""
    text = waiting_on_who(item)
    if item.waiting_since is not None:
        text += f" since {when(item.waiting_since, now)}"
    if item.chase_at is not None:
        text += f", chase {when(item.chase_at, now)}"
    return text


def past_solution_line(past: PastSolution, now: datetime) -> str:
    """``Last time: reset the print spooler, 10 min (#7 Printer jams, Mon 02 Mar 10:00)``."""
    closed = f", {when(past.done_at, now)}" if past.done_at is not None else ""
    return f"Last time: {clean(past.describe())} (#{past.item_id} {clean(past.title)}{closed})"


def serve_facts(item: ItemRecord, now: datetime) -> list[str]:
    """The booked slot, whom it waits on and how it was solved, as facts of the item."""
    facts = [appointment_text(item, now), waiting_on_text(item, now)]
    if item.solution:
        facts.append(f"solved: {clean(item.solution)}")
    return [fact for fact in facts if fact]


def bar(value: float, maximum: float, width: int = 20) -> str:
    """A text bar for plain output (Markdown): ``█████░░░``, full at ``maximum``."""
    if maximum <= 0 or width <= 0:
        return "░" * max(width, 0)
    filled = round(width * min(max(value / maximum, 0.0), 1.0))
    if value > 0 and filled == 0:
        filled = 1
    return "█" * filled + "░" * (width - filled)


def estimate_cell(item: ItemRecord, weights: Weights) -> str:
    """The estimate, marked by its source: ``5 min`` typed in, ``~30 min`` learned from
    similar work, ``20 min?`` the severity's default (a guess). Plain ASCII marks: a symbol
    such as ``≈`` is two columns wide in some terminals and would break the alignment."""
    estimate = estimate_of(item, weights)
    shown = format_duration(estimate.minutes)
    if estimate.source == "history":
        return "~" + shown
    return shown if estimate.source == "given" else shown + "?"


def promise_countdown(item: ItemRecord, forecast: Forecast) -> tuple[str, float] | None:
    """(state, minutes) when the item's promise is the thing to watch — broken or at risk,
    or ok and not yet begun — the minutes left until it falls due (or since, when broken);
    ``None`` when its ETA says more."""
    due = item.promise_due_at
    if due is None:
        return None
    state = forecast.state_of(item)
    left = (due - forecast.now).total_seconds() / 60
    if state in ("at_risk", "broken") or (state == "ok" and left > 0 and item.started_at is None):
        return state, abs(left)
    return None


def eta_cell(item: ItemRecord, forecast: Forecast) -> str:
    """When the technician will likely get to it; with a promise still to keep, its
    countdown and state instead (``promise 25 min``, ``AT RISK 25 min``, ``BROKEN 5 min``)."""
    countdown = promise_countdown(item, forecast)
    if countdown is not None:
        state, minutes = countdown
        label = {"ok": "promise", "at_risk": "AT RISK", "broken": "BROKEN"}[state]
        return f"{label} {format_duration(minutes)}"
    eta = forecast.etas.get(item.id)
    if eta is None:
        return ""
    return "now" if eta.start <= forecast.now else when(eta.start, forecast.now)


def span_text(start: datetime, end: datetime, now: datetime) -> str:
    """A stretch of time as people read one: ``14:20–14:50`` today, ``Tue 09:00–09:30``
    another day, ``Mon 16:40 – Tue 09:20`` across a night; a stretch within one minute is
    that minute, ``11:20`` (never ``11:20–11:20``)."""
    start, end = start.astimezone(now.tzinfo), end.astimezone(now.tzinfo)
    if start.strftime("%Y%m%d%H%M") == end.strftime("%Y%m%d%H%M"):
        return _day_and_time(start, now)
    if start.date() != end.date():
        return f"{_day_and_time(start, now)} – {_day_and_time(end, now)}"
    if start.date() == now.date():
        return f"{start:%H:%M}–{end:%H:%M}"
    return f"{_day_and_time(start, now)}–{end:%H:%M}"


def _day_and_time(moment: datetime, now: datetime) -> str:
    days = (moment.date() - now.date()).days
    if days == 0:
        return f"{moment:%H:%M}"
    if 0 < days < 7:
        return f"{moment:%a %H:%M}"
    return f"{moment:%a %d %b %H:%M}"


def expectation_parts(item: ItemRecord, forecast: Forecast, weights: Weights) -> list[str]:
    """The estimate with its source, when the work will likely be done, and what it will
    miss: ``["estimate ~30 min, from 6 similar", "likely 14:20–14:50", "will miss 14:00 by
    50 min (promise)"]``."""
    now = forecast.now
    parts = [f"estimate {estimate_of(item, weights).describe()}"]
    eta = forecast.etas.get(item.id)
    if eta is not None:
        parts.append(f"likely {span_text(eta.start, eta.finish, now)}")
    elif item.status == "waiting":
        parts.append("waiting on the customer" if item.waiting_on is None else waiting_on_who(item))
    miss = forecast.miss(item.id)
    if miss is not None:
        parts.append(
            f"{will_miss_text(miss, now)} ({'due time' if miss.what == 'due' else 'promise'})"
        )
    return parts


#: The queue's columns as a listing shows them (heading, flush right): the table's headings
#: and the header row of the tab-separated lines alike, one word each for ``cut`` and ``awk``.
QUEUE_HEADINGS: tuple[tuple[str, bool], ...] = (
    ("#", True),
    ("id", True),
    ("vip", False),
    ("severity", False),
    ("channel", False),
    ("title", False),
    ("requester", False),
    ("age", True),
    ("estimate", True),
    ("status", False),
    ("eta", False),
    ("late", False),
)


def queue_cells(
    item: ItemRecord,
    placed: Ranked[ItemRecord] | None,
    now: datetime,
    weights: Weights,
    forecast: Forecast,
) -> list[str]:
    if placed is not None:
        item = placed.item
    status = item.status
    if item.appointment_at is not None and item.status not in CLOSED_STATUSES:
        status = f"{status}, {appointment_text(item, now)}"
    elif item.deferred_until is not None and item.deferred_until > now:
        status = f"{status}, deferred to {when(item.deferred_until, now)}"
    if item.assignee is not None:
        status = f"{status}, {holder(item)}"
    return [
        str(placed.rank) if placed else "-",
        str(item.id),
        "VIP" if item.vip else "",
        item.severity,
        item.channel,
        clean(item.title),
        clean(item.requester),
        waited_cell(item, placed, now),
        estimate_cell(item, weights),
        status,
        eta_cell(item, forecast),
        lateness_cell(item, placed, weights, forecast),
    ]


def queue_lines(
    rows: Iterable[Row], now: datetime, weights: Weights, forecast: Forecast
) -> list[str]:
    """Tab-separated lines for a pipe, under a header row naming the columns (``#``, ``id``,
    ``vip``, ``severity``, ``channel``, ``title``, ``requester``, ``age``, ``estimate``,
    ``status``, ``eta``: the ETA or the promise's countdown, ``late``: past its target or
    what it will miss), so ``cut`` and ``awk`` users
    know which is which."""
    header = "\t".join(heading for heading, _ in QUEUE_HEADINGS)
    return [header] + [
        "\t".join(queue_cells(item, placed, now, weights, forecast)) for item, placed in rows
    ]


def summary_line(item: ItemRecord, now: datetime, weights: Weights) -> str:
    """``#12 Printer jammed — Alice B · high · desk · ~5 min · 20 min ago``."""
    parts = [
        clean(item.requester) or "no requester",
        ("VIP " if item.vip else "") + item.severity,
        item.channel,
        estimate_cell(item, weights),
        f"{age(item.received_at, now)} ago",
    ]
    if item.status != "open":
        parts.append(item.status)
    if item.assignee is not None:
        parts.append(holder(item))
    return f"#{item.id} {clean(item.title)} — " + " · ".join(parts)


def holder(item: ItemRecord) -> str:
    """``with Dana``: who has the item (a team's, or one assigned), for a line of text."""
    return f"with {clean(item.assignee)}"


def reminder_parts(reminder: ReminderRecord, now: datetime) -> tuple[bool, str, str, str]:
    """(due now, when, what, ``  (#12 Printer jammed)`` or ""): a reminder as it is listed."""
    about = f"  (#{reminder.item_id} {clean(reminder.item_title)})" if reminder.item_id else ""
    return reminder.due_at <= now, when(reminder.due_at, now), clean(reminder.text), about


def reminder_line(reminder: ReminderRecord, now: datetime) -> str:
    """``3  due 16:00  call Alice back  (#12 Printer jammed)``."""
    due, at, said, about = reminder_parts(reminder, now)
    return f"{reminder.id}\t{'DUE' if due else 'at'} {at}\t{said}{about}"


def show_lines(detail: ItemDetail, now: datetime, weights: Weights) -> list[str]:
    """Everything about one item, the score's parts as sentences."""
    item, placed, forecast, spent = detail.item, detail.entry, detail.forecast, detail.spent
    lines = [summary_line(item, now, weights)]
    facts = [f"received {when(item.received_at, now)}"]
    if item.due_at:
        facts.append(f"due {when(item.due_at, now)}")
    if item.promise_due_at:
        state = forecast.state_of(item).replace("_", " ")
        facts.append(f"promised for {when(item.promise_due_at, now)} ({state})")
    tags = without_cost(item.tags)
    if tags:
        facts.append(" ".join(f"#{clean(tag)}" for tag in tags))
    if item.cost in ("high", "low"):
        facts.append(f"business impact {item.cost}")
    if item.ref:
        facts.append(f"ref {clean(item.ref)}")
    if spent:
        facts.append(f"worked {format_duration(spent)}")
    if item.deferred_until and item.deferred_until > now:
        facts.append(f"deferred until {when(item.deferred_until, now)}")
    if item.drop_reason:
        facts.append(f"dropped: {clean(item.drop_reason)}")
    facts += serve_facts(item, now)
    lines.append("  " + " · ".join(facts))
    lines.append("  " + " · ".join(expectation_parts(item, forecast, weights)))
    if placed is None:
        lines.append(
            "  Not in the queue right now"
            + (f" ({item.status})." if item.status in CLOSED_STATUSES else " (deferred).")
        )
    else:
        lines.append(f"  Ranks {placed.rank} with {placed.score:.1f} points, because:")
        for reason in placed.reasons:
            lines.append(f"    {reason.points:+8.1f}  {clean(reason.detail)}")
    for past in detail.past:
        lines.append(f"  {past_solution_line(past, now)}")
    if detail.notes:
        lines.append("  Notes:")
        for note in detail.notes:
            kind = "" if note.kind == "plain" else f"[{note.kind}] "
            due = f" (due {when(note.due_at, now)})" if note.due_at else ""
            lines.append(f"    {when(note.created_at, now)}  {kind}{clean(note.text)}{due}")
    if detail.reminders:
        lines.append("  Reminders:")
        for reminder in detail.reminders:
            state = "dismissed" if reminder.dismissed_at else when(reminder.due_at, now)
            lines.append(f"    {reminder.id}  {state}  {clean(reminder.text)}")
    return lines
