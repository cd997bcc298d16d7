"""What ``list`` shows: the queue in rank order, or the items a technician is looking for —
by status, tag, requester, words and since when.

Which items a filter keeps is decided once, here (:meth:`Filters.matches`), for the ranked
queue and for finished items alike, so text and JSON cannot disagree; the store narrows the
finished items by status and time first (:meth:`~techqueue.store.Store.closed_since`), since
they pile up for ever.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from techqueue.desk import Desk
from techqueue.domain import CLOSED_STATUSES
from techqueue.records import ItemRecord
from techqueue.views.ranking import (
    QueueView,
    closed_today,
    read_queue,
    team_view,
    unranked,
    with_learned_estimates,
)

if TYPE_CHECKING:  # list --json need not load the text views
    from techqueue.views.text import Row

__all__ = ["STATUS_CHOICES", "Filters", "Listing", "read_listing", "since_moment"]

#: What ``list --status`` accepts: a status, ``deferred`` (out of the queue until a time),
#: or ``all``.
STATUS_CHOICES: tuple[str, ...] = ("open", "waiting", "deferred", "done", "dropped", "all")


def since_moment(item: ItemRecord) -> datetime:
    """The time ``--since`` is about: when a finished item was finished, when any other was
    received."""
    if item.status in CLOSED_STATUSES and item.done_at is not None:
        return item.done_at
    return item.received_at


@dataclass(frozen=True, slots=True)
class Filters:
    """What the technician is looking for; every part left empty keeps everything."""

    tags: tuple[str, ...] = ()
    """Tags the item must all carry (lower case, without ``#``)."""
    requester_ids: frozenset[int] | None = None
    """The requesters whose items are wanted (``None``: anyone's)."""
    search: str | None = None
    """Words found, in any case, in the title, the requester's name, a tag or the reference."""
    since: datetime | None = None
    """Received since then; for a finished item, finished since then."""
    assignee: str | None = None
    """Only the items this technician has (``--mine``, ``--by NAME``)."""
    unassigned: bool = False
    """Only the items nobody has (``--unassigned``)."""

    @property
    def empty(self) -> bool:
        return (
            not (self.tags or self.search)
            and self.requester_ids is None
            and not self.since
            and self.assignee is None
            and not self.unassigned
        )

    def matches(self, item: ItemRecord) -> bool:
        """Whether ``item`` is one the technician is looking for."""
        if self.unassigned and item.assignee is not None:
            return False
        if self.assignee is not None and item.assignee != self.assignee:
            return False
        if self.since is not None and since_moment(item) < self.since:
            return False
        if self.requester_ids is not None and item.requester_id not in self.requester_ids:
            return False
        if any(tag not in item.tags for tag in self.tags):
            return False
        if self.search:
            needle = self.search.casefold()
            places = (item.title, item.requester or "", item.ref or "", *item.tags)
            return any(needle in place.casefold() for place in places)
        return True


@dataclass(frozen=True)
class Listing:
    """The rows to show (each item with its place in the queue, ``None`` when it is not
    ranked), and the queue they were read with (its forecast gives the ETAs)."""

    rows: list[Row]
    queue: QueueView


def read_listing(
    desk: Desk,
    now: datetime,
    *,
    status: str | None = None,
    show_all: bool = False,
    filters: Filters = Filters(),
    explain: bool = False,
) -> Listing:
    """The items ``list`` shows at ``now``.

    With no ``status``: the open items in rank order (``show_all`` adds the waiting and
    deferred ones and those finished today). With a ``status`` (one of
    :data:`STATUS_CHOICES`): the items in it, ranked ones in rank order, then the deferred,
    then the finished in the order they were finished. ``filters`` keeps the items looked for.
    """
    if status is not None and status not in STATUS_CHOICES:
        raise ValueError(f"unknown status {status!r}")
    everyone = filters.assignee is not None and filters.assignee != desk.store.user
    queue = read_queue(desk, now, explain=explain, everyone=everyone)
    wanted = set(STATUS_CHOICES) if status == "all" else {status}
    rows: list[Row] = []
    if status is None:
        rows += [(e.item, e) for e in queue.ranked if show_all or e.item.status != "waiting"]
    else:
        if "open" in wanted:
            rows += [(e.item, e) for e in queue.ranked if e.item.status != "waiting"]
        if "waiting" in wanted:
            rows += [(e.item, e) for e in queue.ranked if e.item.status == "waiting"]
    if show_all or wanted & {"waiting", "deferred"}:
        items = team_view(desk, desk.store.items(), everyone=everyone)
        left_out = unranked(items, queue.ranked, now)
        left_out = [
            item
            for item in left_out
            if show_all
            or ("waiting" in wanted and item.status == "waiting")
            or ("deferred" in wanted and item.status != "waiting")
        ]
        rows += [(item, None) for item in with_learned_estimates(left_out, desk.history())]
    if show_all:
        rows += [(item, None) for item in closed_today(desk, now)]
    closed = [name for name in CLOSED_STATUSES if name in wanted]
    if closed:
        rows += [(item, None) for item in desk.store.closed_since(closed, filters.since)]
    if not filters.empty:
        rows = [row for row in rows if filters.matches(row[0])]
    return Listing(rows, queue)
