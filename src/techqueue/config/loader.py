"""The effective settings, loaded without pydantic.

The config file is validated by the pydantic model in :mod:`techqueue.config.model`, but
importing pydantic costs more than a whole ``techqueue add`` may take. So the validated result
is cached (keyed by the file's exact bytes) and a short command rebuilds the plain
:class:`~techqueue.core.settings.Settings` from the cache; only a new or changed file pays for
validation. With no config file nothing is read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from techqueue import __version__
from techqueue.core.settings import Settings
from techqueue.paths import cache_path, config_path, write_cache

__all__ = ["ConfigError", "load", "read_config"]

_CACHE_FORMAT = 2


class ConfigError(Exception):
    """The config file cannot be used; the message is one line naming the key and the problem."""


def load(path: Path | None = None) -> Settings:
    """The effective settings: defaults, overridden by the config file when there is one.

    Raises :class:`ConfigError` (one line naming the key and the problem) for
    a file that cannot be read or does not validate.
    """
    path = path or config_path()
    content = read_config(path)
    if content is None:
        return Settings()
    # Keyed by the file's very text (a hash would cost importing OpenSSL's, ~2 ms of `add`).
    text = content.decode("utf-8", "surrogateescape")
    cached = _read_cache(text)
    if cached is not None:
        try:
            return Settings.from_dict(cached, source=str(path))
        except (KeyError, TypeError, ValueError):
            pass  # a cache from another version of techqueue: validate afresh
    from techqueue.config.model import validate

    data = validate(content, path)
    _write_cache(text, data)
    return Settings.from_dict(data, source=str(path))


def read_config(path: Path) -> bytes | None:
    """The config file's bytes; ``None`` when there is none (every setting its default).

    Raises :class:`ConfigError` for one that cannot be read, and for a link to a file that is
    gone (dotfiles moved from under it): the technician's settings, not silently none."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        if path.is_symlink():
            raise ConfigError(
                f"{path}: the config file is a link to {os.readlink(path)}, which does not exist"
            ) from None
        return None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file: {error.strerror}") from None


def _read_cache(text: str) -> dict[str, Any] | None:
    try:
        cached = json.loads(cache_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if (
        isinstance(cached, dict)
        and cached.get("format") == _CACHE_FORMAT
        and cached.get("version") == __version__
        and cached.get("config") == text
        and isinstance(cached.get("settings"), dict)
    ):
        settings: dict[str, Any] = cached["settings"]
        return settings
    return None


def _write_cache(text: str, data: dict[str, Any]) -> None:
    """Owner-only, like every file techqueue writes: the settings say how one works."""
    record = {"format": _CACHE_FORMAT, "version": __version__, "config": text, "settings": data}
    write_cache(cache_path(), json.dumps(record))
