"""Estimates from the technician's own history: "this happened before and it took 30 minutes".

An item without an estimate of its own gets the median time actually worked on similar finished
items — same tag, similar title words, same requester — with the number of them it came from,
so the technician can judge it ("~30 min, from 6 similar"). With nothing similar on record the
per-severity default from the config applies. Pure: the store hands over the finished work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from techqueue.core.timeparse import format_duration
from techqueue.patterns import Pattern
from techqueue.scoring import Weights

__all__ = [
    "Answer",
    "Estimable",
    "Estimate",
    "History",
    "PastJob",
    "Question",
    "estimate_of",
    "title_words",
]

#: Words that say nothing about the kind of job.
_STOPWORDS_TEXT = (
    "a an and are as at be but by can cannot could does doesn't don't for from has have her "
    "him his how i i'm in into is isn't it it's its me my needs new no not now of on or our "
    "out please she so some than that the their them then there they this to too up us was "
    "we what when where which who will with won't would you your again help issue problem "
    "still just get got"
)
_STOPWORDS = frozenset(_STOPWORDS_TEXT.split())
#: A word: letters or digits in any script, with inner apostrophes, dots, dashes or pluses.
_WORD_RE = Pattern(r"[^\W_][\w'+.-]*")

#: How similar a finished job must be to count: a shared tag alone is enough, as is half the
#: title's words; the same requester adds to a partial title match but is not enough alone.
SIMILAR_ENOUGH = 1.0
_TAG_POINTS = 1.0
_TITLE_POINTS = 2.0
_REQUESTER_POINTS = 0.5


def title_words(title: str) -> frozenset[str]:
    """The words of a title that say what the job is: lower case, no stopwords, no 1-letter
    words, a trailing plural ``s`` dropped so "printers" meets "printer"."""
    words = set()
    for found in _WORD_RE.findall(title.lower()):
        word = found.replace("_", "").strip("'.-+")
        if word.endswith("'s"):
            word = word[:-2]  # "printer's" meets "printer"
        if len(word) < 2 or word in _STOPWORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


class Estimable(Protocol):
    """What an estimate needs to know about an item (the store's records fit)."""

    @property
    def title(self) -> str: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def requester(self) -> str | None: ...
    @property
    def severity(self) -> str: ...
    @property
    def estimate_minutes(self) -> float | None: ...


@dataclass(frozen=True, slots=True)
class PastJob:
    """A finished item and the minutes actually worked on it."""

    title: str
    tags: tuple[str, ...]
    requester: str | None
    minutes: float
    #: The finished item's id, when the job comes from the store.
    item_id: int | None = None


@dataclass(frozen=True, slots=True)
class Estimate:
    """An estimate and where it came from: ``given`` (typed in), ``history`` (the median of
    ``samples`` similar finished jobs) or ``default`` (the config's figure for the severity)."""

    minutes: float
    source: str
    samples: int = 0

    @property
    def basis(self) -> str:
        """Where the figure comes from, for a person: "from 6 similar", "your estimate"."""
        if self.source == "history":
            return f"from {self.samples} similar"
        if self.source == "given":
            return "your estimate"
        return "default for its severity"

    def describe(self) -> str:
        """For a person: "~30 min, from 6 similar", "5 min, your estimate"."""
        mark = "" if self.source == "given" else "~"
        return f"{mark}{format_duration(self.minutes)}, {self.basis}"


class Learned(Protocol):
    """An item as the queue ranks it: its estimate may have been learned from history."""

    @property
    def severity(self) -> str: ...
    @property
    def estimate_minutes(self) -> float | None: ...
    @property
    def estimate_source(self) -> str | None: ...
    @property
    def estimate_samples(self) -> int: ...


def estimate_of(item: Learned, weights: Weights) -> Estimate:
    """The estimate in effect with where it comes from."""
    if item.estimate_source == "history" and item.estimate_minutes is not None:
        return Estimate(item.estimate_minutes, "history", item.estimate_samples)
    if item.estimate_minutes is not None:
        return Estimate(item.estimate_minutes, "given")
    return Estimate(weights.default_estimate_minutes[item.severity], "default")


#: What an estimate is asked about: an item's title, tags and requester.
Question = tuple[str, tuple[str, ...], str | None]
#: What history answers: (median minutes, how many similar jobs), or ``None``: nothing similar.
Answer = tuple[float, int] | None


class History:
    """The finished jobs, indexed by tag, title word and requester so that estimating a queue
    of thousands compares each item only with the jobs that share something with it."""

    def __init__(self, jobs: Iterable[PastJob]) -> None:
        self.jobs: list[PastJob] = [job for job in jobs if job.minutes > 0]
        self._words = [title_words(job.title) for job in self.jobs]
        self._by_tag: dict[str, list[int]] = {}
        self._by_word: dict[str, list[int]] = {}
        self._by_requester: dict[str, list[int]] = {}
        #: Each job's requester, case-folded ("" for none).
        self._requesters = [(job.requester or "").casefold() for job in self.jobs]
        for index, job in enumerate(self.jobs):
            for tag in set(job.tags):
                self._by_tag.setdefault(tag, []).append(index)
            for word in self._words[index]:
                self._by_word.setdefault(word, []).append(index)
            if job.requester:
                self._by_requester.setdefault(job.requester.casefold(), []).append(index)
        self._cache: dict[tuple[frozenset[str], frozenset[str], str], tuple[float, int] | None] = {}
        self._by_text: dict[Question, Answer] = {}
        #: The questions asked of this history (not only answered by an earlier one).
        self._asked: set[Question] = set()
        #: The ids of the finished items learned from: a change to one of them changes this.
        self.item_ids = frozenset(job.item_id for job in self.jobs if job.item_id is not None)

    def __len__(self) -> int:
        return len(self.jobs)

    def similar(self, item: Estimable) -> list[PastJob]:
        """The finished jobs similar enough to ``item`` to learn its duration from."""
        return [self.jobs[index] for index in self._similar(item)]

    def _similar(self, item: Estimable, words: frozenset[str] | None = None) -> list[int]:
        # Counted through the indexes rather than by comparing sets job by job: a queue of
        # thousands asks this for every item without an estimate, and a common word makes
        # every job a candidate. The points are the same sums of the same terms.
        tags = frozenset(item.tags)
        if words is None:
            words = title_words(item.title)
        requester = (item.requester or "").casefold()
        tagged: set[int] = set()
        for tag in tags:
            tagged.update(self._by_tag.get(tag, ()))
        shared: dict[int, int] = dict.fromkeys(tagged, 0)
        for word in words:
            for index in self._by_word.get(word, ()):
                shared[index] = shared.get(index, 0) + 1
        found = []
        all_words, requesters, count = self._words, self._requesters, len(words)
        for index in sorted(shared):
            points = _TAG_POINTS if index in tagged else 0.0
            theirs = len(all_words[index])
            if count and theirs:
                common = shared[index]
                points += _TITLE_POINTS * common / (count + theirs - common)
            if requester and requesters[index] == requester:
                points += _REQUESTER_POINTS
            if points >= SIMILAR_ENOUGH:
                found.append(index)
        return found

    def learned(self, item: Estimable) -> tuple[float, int] | None:
        """(median minutes, how many jobs) from similar finished work, or ``None``."""
        if not self.jobs:
            return None
        # The same text asks the same question: an app re-ranking after each key asks it
        # for every item again, and the words need not be found again for it.
        text = (item.title, item.tags, item.requester)
        self._asked.add(text)
        if text in self._by_text:
            return self._by_text[text]
        words = title_words(item.title)
        key = (frozenset(item.tags), words, (item.requester or "").casefold())
        if key not in self._cache:
            found = self._similar(item, words)
            self._cache[key] = (
                (_rounded(_median([self.jobs[i].minutes for i in found])), len(found))
                if found
                else None
            )
        found_before = self._by_text[text] = self._cache[key]
        return found_before

    def answers(self, *, asked_only: bool = False) -> dict[Question, Answer]:
        """What this history has answered, by question (with ``asked_only``, only what was
        asked of it, not what it took from an earlier history): kept, a later history of
        other jobs can take the answers those jobs do not change (:meth:`take_answers`)."""
        if asked_only:
            return {text: self._by_text[text] for text in self._asked if text in self._by_text}
        return dict(self._by_text)

    def take_answers(self, answers: Mapping[Question, Answer], jobs: Iterable[PastJob]) -> int:
        """Take the ``answers`` a history of ``jobs`` gave that this one would give too; how
        many it took. An answer comes only from the jobs sharing a tag or a title word with
        the question, so a question that shares none with any job in one history and not the
        other has the same answer in both: learning it again would find the same median of
        the same jobs. (A question that shares nothing with any job is answered "nothing
        similar" by both.)"""
        if not self.jobs:
            return 0
        # Counted, not compared as sets: the same job twice counts twice in a median.
        old = Counter(job for job in jobs if job.minutes > 0)  # only those learned from
        new = Counter(self.jobs)
        changed = (old - new) + (new - old)
        tags: set[str] = set()
        words: set[str] = set()
        for job in changed:
            tags.update(job.tags)
            words.update(title_words(job.title))
        taken = 0
        by_text = self._by_text
        for text, answer in answers.items():
            if text in by_text:
                continue
            if (tags and not tags.isdisjoint(text[1])) or (
                words and not words.isdisjoint(title_words(text[0]))
            ):
                continue
            by_text[text] = answer
            taken += 1
        return taken


def _rounded(minutes: float) -> float:
    """A learned figure rounded the way a person would say it: to the half minute under 10
    minutes, to the minute under an hour, to five minutes above."""
    if minutes < 10:
        return max(round(minutes * 2) / 2, 0.5)
    if minutes < 60:
        return float(round(minutes))
    return float(round(minutes / 5) * 5)


def _median(values: list[float]) -> float:
    """``statistics.median`` of ``values`` (not empty), the same arithmetic: the middle value,
    or the mean of the two middle ones. ``statistics`` imports ``decimal`` and ``fractions``
    (~2 ms of a command that learns estimates; docs/performance.md, 13.)."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2
