"""What was learned from the technician's history, kept between commands.

Estimates are learned from the finished work (:mod:`techqueue.core.estimates`): for a queue
of 10,000 that is 3,000 questions asked of 500 jobs, a third of what ``next`` would take.
The answers depend on nothing but the jobs, so they are kept in the cache directory, with
the jobs they came from and the store's journal position: the next command takes them as
they are when nothing written since can have changed the history (the desk checks the
journal), and keeps every answer the changed jobs cannot touch when something did. A cache
that is missing, unreadable, of another version or of another store is learned again; it
only ever costs time.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

from techqueue import __version__
from techqueue.core.estimates import Answer, History, PastJob, Question
from techqueue.paths import cache_path, write_cache
from techqueue.store import Store

__all__ = ["Kept", "read", "write"]

_FORMAT = 2
#: More answers than this are not worth keeping: only what the last command asked is.
_MOST_ANSWERS = 50_000
#: Journal entries after which an unchanged history is written again with the new position,
#: so that the next command reads only the entries written since.
_REWRITE_AFTER = 32


class Kept:
    """A history read from the cache, as learned at journal entry ``journal_id`` (marked
    ``mark``: the position holds only if the store's journal still goes on from that very
    entry, :meth:`~techqueue.store.Store.journal_continues`)."""

    __slots__ = ("answers", "history", "journal_id", "mark")

    def __init__(self, history: History, journal_id: int, mark: str, answers: int) -> None:
        self.history = history
        self.journal_id = journal_id
        self.mark = mark
        #: How many answers it came with.
        self.answers = answers


def _path(store: Store) -> tuple[str, Any]:
    identity = store.identity
    name = f"history-{zlib.crc32(identity.encode('utf-8', 'surrogatepass')):08x}.json"
    return identity, cache_path(name)


def read(store: Store) -> Kept | None:
    """The history kept for ``store`` (``None``: none usable)."""
    identity, path = _path(store)
    try:
        data = json.loads(path.read_text(encoding="utf-8", errors="surrogateescape"))
        if data["format"] != _FORMAT or data["version"] != __version__ or data["store"] != identity:
            return None
        jobs = [
            PastJob(str(title), tuple(map(str, tags)), requester, float(minutes), item_id)
            for item_id, title, tags, requester, minutes in data["jobs"]
        ]
        answers: dict[Question, Answer] = {
            (str(title), tuple(map(str, tags)), requester): (
                None if minutes is None else (float(minutes), int(samples))
            )
            for title, tags, requester, minutes, samples in data["answers"]
        }
        journal_id, mark = int(data["journal_id"]), str(data["journal_mark"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    history = History(jobs)
    history.take_answers(answers, history.jobs)  # the same jobs: every answer holds
    return Kept(history, journal_id, mark, len(answers))


def write(store: Store, history: History, journal_id: int, kept: Kept | None) -> None:
    """Keep ``history``, learned at journal entry ``journal_id``, for the next command,
    unless the cache already holds it with nothing new (``kept``: what was read)."""
    answers = history.answers()
    if (
        kept is not None
        and kept.history is history
        and kept.answers == len(answers)
        and journal_id - kept.journal_id < _REWRITE_AFTER
    ):
        return
    if len(answers) > _MOST_ANSWERS:
        answers = history.answers(asked_only=True)
    identity, path = _path(store)
    record = {
        "format": _FORMAT,
        "version": __version__,
        "store": identity,
        "journal_id": journal_id,
        "journal_mark": store.journal_mark(journal_id),
        "jobs": [
            [job.item_id, job.title, job.tags, job.requester, job.minutes] for job in history.jobs
        ],
        "answers": [
            [title, tags, requester, *(answer if answer is not None else (None, None))]
            for (title, tags, requester), answer in answers.items()
        ],
    }
    write_cache(path, json.dumps(record, ensure_ascii=False, separators=(",", ":")))
