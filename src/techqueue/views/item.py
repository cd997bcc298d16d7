"""One item in detail, as ``show`` prints it and the app's detail pane draws it: why it ranks
where it does, its notes and reminders, the time worked on it, and what to tell the customer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from techqueue.core.estimates import estimate_of
from techqueue.core.expectations import tell
from techqueue.core.forecast import Forecast, flag_risk, schedule
from techqueue.core.settings import Settings
from techqueue.core.solutions import PastSolution, past_solutions
from techqueue.core.text import clean_text
from techqueue.desk import Desk
from techqueue.domain import CLOSED_STATUSES
from techqueue.records import ItemRecord
from techqueue.scoring import Ranked, rank, say_guard
from techqueue.views.ranking import place, time_spent, with_costs, with_learned_estimates

if TYPE_CHECKING:  # (made by records.others, when first used: most items have neither)
    from techqueue.records import NoteRecord, ReminderRecord

__all__ = ["ItemDetail", "item_detail", "past_solutions_of", "tell_them"]


def tell_them(item: ItemRecord, forecast: Forecast, settings: Settings) -> str | None:
    """The sentence to say to the item's requester; ``None`` once the item is done or
    dropped, when there is nothing left to promise. A deferred item is taken up again when
    its deferral ends, within working hours."""
    if item.status in CLOSED_STATUSES:
        return None
    estimate = estimate_of(item, settings.weights)
    eta = forecast.etas.get(item.id)
    back = item.deferred_until
    if eta is None and back is not None and back > forecast.now:
        eta = schedule([(item.id, estimate.minutes, "open")], back, settings.hours)[item.id]
    return tell(
        requester=clean_text(item.requester or "") or None,
        title=clean_text(item.title),
        estimate=estimate,
        eta=eta,
        now=forecast.now,
        template=settings.expectations.tell_template,
        state=_tell_state(item),
    )


def _tell_state(item: ItemRecord) -> str:
    if item.status == "active":
        return "in_hand"
    if item.status == "waiting":
        return "waiting"
    if item.appointment_at is not None:
        return "booked"
    if item.status == "paused" and item.started_at is not None:
        return "started"
    return "queued"


@dataclass(frozen=True)
class ItemDetail:
    """An item with its learned estimate in effect, where it ranks and why (``entry`` is
    ``None`` when it is not ranked: deferred or finished), its notes and reminders, the
    minutes worked on it, what to tell the customer, and the forecast it was read with."""

    item: ItemRecord
    entry: Ranked[ItemRecord] | None
    notes: list[NoteRecord]
    reminders: list[ReminderRecord]
    spent: float
    tell: str | None
    forecast: Forecast
    #: How similar items were solved before (for an unfinished item), the most alike first.
    past: list[PastSolution] = field(default_factory=list)

    @property
    def score(self) -> float | None:
        return None if self.entry is None else self.entry.score

    @property
    def rank(self) -> int | None:
        return None if self.entry is None else self.entry.rank


def item_detail(
    desk: Desk,
    item_id: int,
    now: datetime,
    *,
    forecast: Forecast | None = None,
    ranks: dict[int, int] | None = None,
) -> ItemDetail:
    """Item ``item_id`` in detail at ``now``.

    Without ``forecast`` the whole queue is ranked to place the item (``show``). The app,
    which keeps the queue it last ranked, passes that forecast and the ranks it shows
    (``ranks``: item id to rank), and only this item is ranked again to explain it."""
    store = desk.store
    item = store.get(item_id)
    notes = store.notes(item_id)
    reminders = store.reminders_for(item_id)
    spent = time_spent(desk, [item], now).get(item_id, 0.0)
    if forecast is None:
        placement = place(desk, item, now)
        item, entry, forecast = placement.item, placement.entry, placement.forecast
    else:
        settings = desk.settings
        item = with_costs(with_learned_estimates([item], desk.history()), settings.weights)[0]
        explained = rank([item], now, settings.weights, hours=settings.hours)
        entry = explained[0] if explained else None
        if entry is not None:
            if ranks is not None and item_id in ranks:
                entry.rank = ranks[item_id]
            placed = next((e for e in forecast.ranked if e.id == item_id), None)
            if placed is not None:  # the deadline guard placed it: say why, as show does
                say_guard(entry, now, settings.weights, placed)
            flag_risk(entry, forecast)
    return ItemDetail(
        item=item,
        entry=entry,
        notes=notes,
        reminders=reminders,
        spent=spent,
        tell=tell_them(item, forecast, desk.settings),
        forecast=forecast,
        past=[] if item.status in CLOSED_STATUSES else past_solutions_of(desk, item, now),
    )


def past_solutions_of(desk: Desk, item: ItemRecord, now: datetime) -> list[PastSolution]:
    """How items like ``item`` were solved before, with the time each took."""
    from techqueue.core.people import organisation

    store = desk.store
    solved = store.solved()
    if not solved:
        return []
    organisations = {}
    for person in store.requesters():
        found = organisation(person.email)
        if found is not None:
            organisations[person.id] = found
    minutes = time_spent(desk, solved, now)
    return past_solutions(item, solved, minutes, organisations)
