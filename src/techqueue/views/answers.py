"""Canned answers filled in for an item, as ``answers ID`` prints them and ``A`` in the app
copies them: the config's answer for the item's tag, its placeholders filled from the item and
the queue's forecast (``{eta}``: when the technician will likely get to it)."""

from __future__ import annotations

from datetime import datetime

from techqueue.core.answers import Answer, fill, pick
from techqueue.core.forecast import Forecast
from techqueue.core.settings import Settings
from techqueue.core.text import clean_text
from techqueue.desk import Desk
from techqueue.records import ItemRecord

__all__ = ["answer_for", "filled"]


def filled(
    item: ItemRecord, forecast: Forecast, settings: Settings, tag: str | None = None
) -> Answer | None:
    """The answer for ``item`` (the one for ``tag`` when given), filled in; ``None`` when the
    config has none that fits."""
    found = pick(item.tags, settings.answers, tag)
    if found is None:
        return None
    key, template = found
    eta = forecast.etas.get(item.id)
    text = fill(
        template,
        requester=clean_text(item.requester or "") or None,
        item_id=item.id,
        ref=clean_text(item.ref) if item.ref else None,
        title=clean_text(item.title),
        eta=eta.start if eta is not None else None,
        now=forecast.now,
    )
    return Answer(key, text)


def answer_for(desk: Desk, item_id: int, now: datetime, tag: str | None = None) -> Answer | None:
    """The answer for item ``item_id`` at ``now``, its ``{eta}`` read from the whole queue."""
    from techqueue.views.ranking import place

    placement = place(desk, desk.store.get(item_id), now)
    return filled(placement.item, placement.forecast, desk.settings, tag)
