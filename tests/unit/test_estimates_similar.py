"""History's similarity search, counted through its indexes (docs/performance.md), finds
exactly what comparing the item with every job, set by set, finds."""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from techqueue.core import estimates
from techqueue.core.estimates import History, PastJob, title_words

WORDS = ("printer", "printers", "vpn", "laptop", "mail", "the", "x", "wifi", "screen", "down")


@dataclass(frozen=True)
class Asked:
    title: str
    tags: tuple[str, ...]
    requester: str | None
    severity: str = "normal"
    estimate_minutes: float | None = None


def _reference(history: History, item: Asked) -> list[int]:
    """The search as first written: every job sharing a tag or a word, compared by sets."""
    tags = frozenset(item.tags)
    words = title_words(item.title)
    requester = (item.requester or "").casefold()
    found = []
    for index, job in enumerate(history.jobs):
        theirs = title_words(job.title)
        if not (tags.intersection(job.tags) or words & theirs):
            continue
        points = estimates._TAG_POINTS if tags.intersection(job.tags) else 0.0
        if words and theirs:
            points += estimates._TITLE_POINTS * len(words & theirs) / len(words | theirs)
        if requester and job.requester and job.requester.casefold() == requester:
            points += estimates._REQUESTER_POINTS
        if points >= estimates.SIMILAR_ENOUGH:
            found.append(index)
    return found


titles = st.lists(st.sampled_from(WORDS), max_size=5).map(" ".join)
tag_lists = st.lists(st.sampled_from(("printer", "net", "mail")), max_size=2).map(tuple)
people = st.sampled_from((None, "", "Ann", "ANN", "Bob"))
jobs = st.builds(PastJob, titles, tag_lists, people, st.sampled_from((0.0, 5.0, 30.0)), st.none())


@settings(max_examples=300, deadline=None)
@given(st.lists(jobs, max_size=30), st.builds(Asked, titles, tag_lists, people))
def test_the_indexed_search_finds_what_comparing_every_job_finds(
    past: list[PastJob], item: Asked
) -> None:
    history = History(past)
    assert history._similar(item) == _reference(history, item)
