"""Where techqueue keeps its files: the store, the config file, the config cache and the log.

The environment variables of DESIGN.md's contract come first (``TECHQUEUE_DB``,
``TECHQUEUE_CONFIG``); otherwise the platform's own directories, from platformdirs. Nothing
else in techqueue works a path out, and nothing here creates a directory: whoever writes
a file makes its directory, owner-only, when it first writes.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import sys
from pathlib import Path

__all__ = [
    "cache_path",
    "config_path",
    "default_store_path",
    "hooks_dir",
    "log_path",
    "store_target",
    "write_cache",
    "write_whole",
]

_APP = "techqueue"


def default_store_path() -> Path:
    """``techqueue.db`` in the platform's user-data directory."""
    return _user_path("XDG_DATA_HOME", "~/.local/share") / "techqueue.db"


def store_target(explicit: str | os.PathLike[str] | None = None) -> str:
    """The store to open: ``explicit`` (``--db``), else ``$TECHQUEUE_DB``, else the default
    path; a file path or a database URL, as text."""
    if explicit is not None:
        return os.fspath(explicit)
    return os.environ.get("TECHQUEUE_DB") or str(default_store_path())


def config_path() -> Path:
    """Where the config file is: ``TECHQUEUE_CONFIG``, or the platform's config directory."""
    explicit = os.environ.get("TECHQUEUE_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    return _user_path("XDG_CONFIG_HOME", "~/.config") / "config.toml"


def hooks_dir() -> Path:
    """Where the technician's hook scripts are: ``hooks/`` beside the config file, as an
    absolute path (a script is run from its own directory, where a relative one is wrong)."""
    return config_path().parent.absolute() / "hooks"


def cache_path(name: str = "config-cache.json") -> Path:
    """Where a cache is kept (by default the validated config): the platform's cache
    directory. A cache only saves time: losing it loses nothing."""
    return _user_path("XDG_CACHE_HOME", "~/.cache") / name


def _user_path(variable: str, default: str) -> Path:
    """techqueue's directory of the platform's kind named by the XDG ``variable`` (whose
    ``default`` is under the home directory), as platformdirs gives it.

    On Linux, with the variable an absolute path or ``$HOME`` an absolute one, the answer is
    platformdirs' own (``$XDG_CACHE_HOME/techqueue``, else ``~/.cache/techqueue``), worked out
    here: importing platformdirs (it imports ``tempfile``, ``shutil``, ``random`` and three
    compression modules) was ~4 ms of every command, each of which asks for the config cache.
    Anywhere else (macOS, Windows, Android, no usable home), platformdirs decides.
    ``tests/unit/test_paths.py`` holds the two to the same answers."""
    if sys.platform == "linux" and not _android():
        base = os.environ.get(variable, "")
        if posixpath.isabs(base):
            return Path(os.path.join(base, _APP))
        home = os.environ.get("HOME")
        if home is not None and posixpath.isabs(home):
            return Path(os.path.join(os.path.expanduser(default), _APP))
    import platformdirs

    found: Path = getattr(platformdirs, _PLATFORMDIRS[variable])(_APP)
    return found


#: The platformdirs function for each XDG variable.
_PLATFORMDIRS = {
    "XDG_DATA_HOME": "user_data_path",
    "XDG_CONFIG_HOME": "user_config_path",
    "XDG_CACHE_HOME": "user_cache_path",
}


def _android() -> bool:
    """Whether platformdirs might take this for Android (it then answers otherwise)."""
    return hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ


def write_cache(path: Path, text: str | bytes) -> None:
    """Best effort, owner-only (the directory too), whole or not at all: a cache that cannot
    be written only costs the next command some time, and one half-written is never read.
    Not synced: a cache lost to a power cut is only made again. Nothing is left behind when
    it cannot be written (a full disk; Ctrl-C, which still stops the command)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # (a store's path, or a title, may hold bytes that are not UTF-8: kept as they are)
        data = text.encode("utf-8", "surrogateescape") if isinstance(text, str) else text
        _replace(path, data, synced=False)
    except OSError:
        return


def log_path() -> Path:
    """Where the full-screen app writes what went wrong: the platform's log directory."""
    from platformdirs import user_log_path

    return user_log_path(_APP) / "techqueue.log"


def write_whole(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all, owner-only: a temporary file beside it,
    synced, then moved into place, so a full disk, Ctrl-C or a crash leaves the old file or the
    whole new one, never half of it (exports hold people's names). Raises ``OSError``."""
    _replace(path, data, synced=True)


def _replace(path: Path, data: bytes, *, synced: bool) -> None:
    """``path`` replaced by ``data`` through a temporary file beside it (owner-only), which
    goes whatever stops the write; ``synced``: on the disk before it is moved into place."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.unlink(missing_ok=True)  # one a killed process of the same number left
        descriptor = os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            if synced:
                handle.flush()
                os.fsync(handle.fileno())
        temporary.replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise
