"""``list --json`` writes its ~30,000 times from the numbers (``views.json._ItemWriter``):
each must be what :func:`techqueue.views.json.iso` writes, in any local zone (summer time, an
offset of seconds, one far from UTC), for any time (a zone of its own, a fold, none)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from techqueue.core.forecast import Etas, Forecast
from techqueue.scoring import Weights
from techqueue.views import json as views_json

#: Local zones to write in: UTC, summer time both ways, +05:45, an offset of seconds (Monrovia,
#: -0:44:30 until 1972), and a POSIX zone far from UTC.
LOCAL_ZONES = (
    "UTC",
    "Europe/London",
    "America/New_York",
    "Asia/Kathmandu",
    "Africa/Monrovia",
    "XST+3:30",
)


def writer(zone: Any) -> Any:
    return views_json._ItemWriter(
        Weights(), Forecast(datetime(2026, 3, 2, tzinfo=UTC), Etas({}, zone))
    )


#: Seconds since the epoch: 1970 to past the year 2106, where the numbers give way.
timestamps = st.one_of(
    st.floats(-86_400, 2**32 + 86_400, allow_nan=False),
    st.integers(0, 2**32).map(float),
    st.integers(0, 2**32).map(lambda second: second - 5e-7),
    st.integers(0, 2**32).map(lambda second: second + 0.9999995),
)
zones = st.sampled_from(
    [
        UTC,
        timezone(timedelta(hours=5, minutes=30)),
        timezone(timedelta(hours=-8, seconds=-17)),
        ZoneInfo("Europe/London"),
        ZoneInfo("America/New_York"),
        None,
    ]
)


def moments_of(timestamp: float, zone: Any, fold: int) -> datetime:
    return datetime.fromtimestamp(max(timestamp, 0.0), zone).replace(fold=fold)


@given(st.lists(st.tuples(timestamps, zones, st.integers(0, 1)), max_size=30), zones)
@example([(1_772_442_000.0, UTC, 0), (1_772_442_000.0, UTC, 0)], UTC)
@example([(1_793_512_800.0, ZoneInfo("Europe/London"), 1)], ZoneInfo("Europe/London"))
def written_as_iso_writes(moments: list[tuple[float, Any, int]], eta_zone: Any) -> None:
    write = writer(eta_zone)
    for timestamp, zone, fold in moments:
        moment = moments_of(timestamp, zone, fold)
        assert write.iso(moment) == views_json.iso(moment)
        assert write.iso_timestamp(timestamp) == views_json.iso(
            datetime.fromtimestamp(timestamp, eta_zone)
        )


@pytest.mark.parametrize("name", LOCAL_ZONES)
def test_times_written_from_the_numbers_are_what_iso_writes(
    name: str, in_zone: Callable[[str], AbstractContextManager[None]]
) -> None:
    with in_zone(name):
        written_as_iso_writes()
