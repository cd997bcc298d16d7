"""Times said as ranges people read: the ETA ``likely 14:20–14:50``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from techqueue.views.text import span_text

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
MINUTE = timedelta(minutes=1)


@pytest.mark.parametrize(
    ("start", "end", "said"),
    [
        (NOW + 80 * MINUTE, NOW + 110 * MINUTE, "10:20–10:50"),
        (NOW + 20 * MINUTE, NOW + 20 * MINUTE + timedelta(seconds=30), "09:20"),
        (NOW + 20 * MINUTE, NOW + 20 * MINUTE, "09:20"),
        (NOW + timedelta(days=1), NOW + timedelta(days=1, minutes=30), "Tue 09:00–09:30"),
        (
            NOW + timedelta(hours=7, minutes=40),
            NOW + timedelta(days=1, minutes=20),
            "16:40 – Tue 09:20",
        ),
        (NOW + timedelta(days=9), NOW + timedelta(days=9, minutes=5), "Wed 11 Mar 09:00–09:05"),
    ],
)
def test_a_stretch_of_time_reads_as_people_say_it(
    start: datetime, end: datetime, said: str
) -> None:
    assert span_text(start, end, NOW) == said
