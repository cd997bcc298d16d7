"""Something has just landed while a job is in hand: the advice on switching, judged on the
estimates the queue ranks with (learned ones included), so ``add``'s line and the app's
banner always agree."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from techqueue.desk import Desk
from techqueue.records import ItemRecord

if TYPE_CHECKING:
    from techqueue.core.advice import Advice

__all__ = ["advice_on"]


def advice_on(
    desk: Desk, newcomer: ItemRecord, now: datetime, active: ItemRecord | None = None
) -> Advice | None:
    """Whether to pause the job in hand (``active``, or the store's active item when not
    given) for ``newcomer``; ``None`` when nothing else is in hand."""
    if active is None:
        active = desk.store.active()
    if active is None or active.id == newcomer.id:
        return None
    # Only now, with a job in hand, is there advice to give: a capture with nothing in hand
    # does not pay for loading it.
    from techqueue.core.advice import advise
    from techqueue.domain import OPEN_STATUSES
    from techqueue.views.ranking import spent_in_progress, with_learned_estimates

    active, newcomer = with_learned_estimates([active, newcomer], desk.history())
    spent = spent_in_progress(desk, now).get(active.id, 0.0)
    settings = desk.settings
    # The rest of the open work: in an overload the guard steps aside, and only the whole
    # queue says whether this is one.
    queue = [item for item in desk.store.items(OPEN_STATUSES) if item.id != newcomer.id]
    return advise(
        active,
        newcomer,
        now,
        settings.weights,
        spent_minutes=spent,
        hours=settings.hours,
        queue=queue,
    )
