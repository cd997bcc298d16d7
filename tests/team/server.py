"""A throw-away PostgreSQL cluster for the team tests and the team benchmark.

``initdb`` on a temporary directory, ``pg_ctl`` on a free local port with its socket in that
directory; as root (CI), the cluster runs as user ``nobody`` through ``setpriv``, since
PostgreSQL refuses to run as root. :func:`why_not` says why no server can be started (the
tests skip with that reason); :meth:`Cluster.stop` stops it and deletes everything.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import quote

__all__ = ["Cluster", "find_bin", "why_not"]

NOBODY = "nobody"
TIMEOUT = 60


def find_bin() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``: on PATH, or Debian's
    ``/usr/lib/postgresql/*/bin`` (the newest)."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: (
            int(Path(path).parent.parent.name) if Path(path).parent.parent.name.isdigit() else 0
        ),
    )
    return Path(candidates[-1]).parent if candidates else None


def _as_user() -> list[str]:
    if os.geteuid() != 0:
        return []
    import pwd

    user = pwd.getpwnam(NOBODY)
    return ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--clear-groups", "--"]


def why_not() -> str | None:
    """Why no cluster can be started here; ``None`` when one can."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -e '.[dev]' brings it)"
    if find_bin() is None:
        return "PostgreSQL's server (initdb, pg_ctl) is not installed"
    if os.geteuid() == 0 and shutil.which("setpriv") is None:
        return "running as root without setpriv to run PostgreSQL as another user"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Cluster:
    """One running PostgreSQL server, its superuser ``postgres`` trusted on 127.0.0.1."""

    def __init__(self) -> None:
        bin_dir = find_bin()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL's server is not installed")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="techqueue-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "server.log"
        self.port = _free_port()
        self.data.mkdir()
        self.socket_dir.mkdir()
        self.log.touch()
        if os.geteuid() == 0:
            import pwd

            user = pwd.getpwnam(NOBODY)
            for path in (self.root, self.data, self.socket_dir, self.log):
                os.chown(path, user.pw_uid, user.pw_gid)
        try:
            self._initdb()
            self.start()
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)  # nothing left behind
            raise

    def _initdb(self) -> None:
        self._run(
            self.bin / "initdb",
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8",
            "--locale=C",
        )

    def _run(self, *args: object) -> None:
        result = subprocess.run(
            [*_as_user(), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            cwd=self.root,
        )
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(
                f"{Path(str(args[0])).name} failed: {result.stderr.strip()[-800:]} {log}"
            )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options, "-w", "start"
        )

    def stop(self, *, mode: str = "fast") -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def restart(self) -> None:
        """Stop the server (cutting every connection) and start it again: what a reboot of
        the database machine does to a command in flight. A fast stop, not an immediate one:
        this cluster runs without synchronous commits, so a crash could lose committed work
        that a real server would keep."""
        self.stop(mode="fast")
        self.start()

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str = "postgres", schema: str | None = None) -> str:
        """A URL of a database of this cluster; with ``schema``, every table is in it."""
        base = f"postgresql://postgres@127.0.0.1:{self.port}/{database}"
        if schema is None:
            return base
        return f"{base}?options={quote(f'-csearch_path={schema}')}"

    def new_schema(self) -> str:
        """A new, empty schema's URL: a store of its own, made in a millisecond."""
        import psycopg

        name = f"s_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f"CREATE SCHEMA {name}")
        return self.url(schema=name)

    def new_database(self) -> str:
        """A new, empty database's URL."""
        import psycopg

        name = f"d_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def destroy(self) -> None:
        """Stop the server and delete its files."""
        try:
            self.stop(mode="immediate")
        except (RuntimeError, subprocess.TimeoutExpired):
            pass
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def wait_ready(url: str, seconds: float = 30.0) -> None:
    """Wait until the server at ``url`` answers."""
    import psycopg

    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


class Unavailable(Exception):
    """No PostgreSQL server can be started here; the message says why."""


_shared: Cluster | None = None
_failure: str | None = None


def shared() -> Cluster:
    """The test session's one cluster, started on first use (:func:`stop_shared` ends it);
    :class:`Unavailable` with the reason when none can be started."""
    global _shared, _failure
    if _shared is not None:
        return _shared
    if _failure is None:
        _failure = why_not()
    if _failure is None:
        try:
            _shared = Cluster()
        except (RuntimeError, OSError, subprocess.TimeoutExpired) as error:
            _failure = f"no PostgreSQL server could be started: {str(error)[:300]}"
        else:
            return _shared
    raise Unavailable(_failure)


def stop_shared() -> None:
    """Stop the session's cluster, if one was started, and delete its files."""
    global _shared
    if _shared is not None:
        _shared.destroy()
        _shared = None
