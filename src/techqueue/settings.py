"""The effective settings as the rest of techqueue uses them, loaded without pydantic.

The config file is validated by the pydantic model in :mod:`techqueue.config`, but importing
pydantic costs more than a whole ``techqueue add`` may take. So the validated result is cached
(keyed by the file's exact bytes) and a short command rebuilds these plain dataclasses from the
cache; only a new or changed file pays for validation. With no config file nothing is read.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any

from techqueue import __version__
from techqueue.expectations import Expectations
from techqueue.scoring import PerSeverity, Weights
from techqueue.timeparse import WEEKDAYS, WorkingHours

__all__ = ["ConfigError", "Settings", "cache_path", "config_path", "load"]

_CACHE_FORMAT = 1


class ConfigError(Exception):
    """The config file cannot be used; the message is one line naming the key and the problem."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a command needs to know about the technician's preferences."""

    weights: Weights = field(default_factory=Weights)
    hours: WorkingHours = field(default_factory=WorkingHours)
    expectations: Expectations = field(default_factory=Expectations)
    keymap: Mapping[str, str] = field(default_factory=dict)
    source: str = "defaults"
    day_boundary: time = time(0, 0)
    """When one day ends and the next begins, for the review and the morning summary."""
    morning_summary: bool = True
    """Whether the app opens a new day with the morning summary."""

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "defaults") -> Settings:
        """Build settings from the config file's shape, every value already validated."""
        scoring = dict(data["scoring"])
        severity = scoring.pop("severity")
        quick_win = scoring.pop("quick_win")
        horizon = scoring.pop("deadline_horizon")
        switch_cost = scoring.pop("switch_cost")
        hours = data["hours"]
        weights = Weights(
            severity_value=PerSeverity(**severity),
            response_target_minutes=PerSeverity(**data["targets"]),
            default_estimate_minutes=PerSeverity(**data["estimates"]),
            quick_win_minutes=quick_win,
            deadline_horizon_minutes=horizon,
            switch_cost_minutes=switch_cost,
            **scoring,
        )
        return cls(
            weights=weights,
            hours=WorkingHours(
                start=time.fromisoformat(hours["start"]),
                end=time.fromisoformat(hours["end"]),
                days=frozenset(WEEKDAYS.index(day) for day in hours["days"]),
            ),
            expectations=Expectations(
                contact_target_minutes=PerSeverity(**data["expectations"]["contact"]),
                tell_template=data["expectations"]["tell"],
            ),
            keymap=dict(data.get("keys", {})),
            source=source,
            day_boundary=time.fromisoformat(data["day"]["boundary"]),
            morning_summary=bool(data["day"]["morning_summary"]),
        )


def config_path() -> Path:
    """Where the config file is: ``TECHQUEUE_CONFIG``, or the platform's config directory."""
    explicit = os.environ.get("TECHQUEUE_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_path

    return user_config_path("techqueue") / "config.toml"


def cache_path() -> Path:
    """Where the validated config is cached: the platform's cache directory."""
    from platformdirs import user_cache_path

    return user_cache_path("techqueue") / "config-cache.json"


def load(path: Path | None = None) -> Settings:
    """The effective settings: defaults, overridden by the config file when there is one.

    Raises :class:`techqueue.config.ConfigError` (one line naming the key and the problem) for
    a file that cannot be read or does not validate.
    """
    path = path or config_path()
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file: {error.strerror}") from None
    digest = hashlib.sha256(content).hexdigest()
    cached = _read_cache(digest)
    if cached is not None:
        try:
            return Settings.from_dict(cached, source=str(path))
        except (KeyError, TypeError, ValueError):
            pass  # a cache from another version of techqueue: validate afresh
    from techqueue.config import validate

    data = validate(content, path)
    _write_cache(digest, data)
    return Settings.from_dict(data, source=str(path))


def _read_cache(digest: str) -> dict[str, Any] | None:
    try:
        cached = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        isinstance(cached, dict)
        and cached.get("format") == _CACHE_FORMAT
        and cached.get("version") == __version__
        and cached.get("sha256") == digest
        and isinstance(cached.get("settings"), dict)
    ):
        settings: dict[str, Any] = cached["settings"]
        return settings
    return None


def _write_cache(digest: str, data: dict[str, Any]) -> None:
    """Best effort: a cache that cannot be written only costs the next command some time."""
    target = cache_path()
    record = {"format": _CACHE_FORMAT, "version": __version__, "sha256": digest, "settings": data}
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(record), encoding="utf-8")
        temporary.replace(target)
    except OSError:
        return
