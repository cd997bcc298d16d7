"""The one place that reads the clock: ``TECHQUEUE_NOW`` when set, else the real time.

Everything else takes ``now`` as an argument, so tests, demos and replays fix the time by
setting one variable. ``now`` carries the technician's time zone with its rules (summer time
included), not just today's offset from UTC: working hours, typed times and forecasts on the
far side of a change of the clocks are laid on that day's offset.
"""

from __future__ import annotations

import os
from datetime import datetime, tzinfo

__all__ = ["ClockError", "local_zone", "now"]

#: Where a Linux system keeps its zone: a link into the tz database, or the zone's name.
_LOCALTIME, _TIMEZONE = "/etc/localtime", "/etc/timezone"


class ClockError(ValueError):
    """``TECHQUEUE_NOW`` is set but is not an ISO 8601 time."""


def now() -> datetime:
    """The current time, aware, in the local zone (or as ``TECHQUEUE_NOW`` says: a time
    without a zone is local time; one with a zone names the moment, read in local time)."""
    zone = local_zone()
    fixed = os.environ.get("TECHQUEUE_NOW")
    if not fixed:
        return datetime.now(zone) if zone is not None else datetime.now().astimezone()
    try:
        moment = datetime.fromisoformat(fixed.strip())
    except ValueError:
        raise ClockError(
            f"TECHQUEUE_NOW={fixed!r} is not an ISO 8601 time like 2026-03-02T09:00"
        ) from None
    from techqueue.domain import EARLIEST_YEAR, LATEST_YEAR

    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise ClockError(
            f"TECHQUEUE_NOW={fixed!r} must fall in the years {EARLIEST_YEAR} to {LATEST_YEAR}"
        )
    if zone is None:  # (read in the local time the system gives that moment)
        return moment.astimezone()
    if moment.tzinfo is None:
        return moment.replace(tzinfo=zone)
    return moment.astimezone(zone)


def local_zone() -> tzinfo | None:
    """The local time zone as the tz database has it (``TZ``, else the system's), or
    ``None`` when it cannot be named (a POSIX rule in ``TZ``, no tz database): then times
    carry the offset the system gives each moment, as they did before.

    A zone is taken only if it says what the system says of this moment, so that the
    times this process lays out agree with those it reads back in local time."""
    name = os.environ.get("TZ")
    # (an empty TZ is UTC, as POSIX has it)
    name = _system_zone_name() if name is None else name.removeprefix(":") or "UTC"
    if not name or name.startswith("/"):
        return None
    try:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(name)
    except (KeyError, ValueError, OSError):  # (ZoneInfoNotFoundError is a KeyError)
        return None
    moment = datetime.now(zone)
    return zone if moment.utcoffset() == moment.astimezone().utcoffset() else None


def _system_zone_name() -> str | None:
    """The system zone's name: where ``/etc/localtime`` links into the tz database, else
    ``/etc/timezone`` (Debian's)."""
    try:
        target = os.readlink(_LOCALTIME)
    except OSError:
        target = ""
    _, found, name = target.partition("zoneinfo/")
    if found and name:
        return name
    try:
        with open(_TIMEZONE, encoding="utf-8") as file:
            return file.read().strip() or None
    except (OSError, UnicodeDecodeError):
        return None
