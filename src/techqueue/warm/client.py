"""The warm helper, the side every ``techqueue`` process runs: hand a short command to a
process that has already imported the command modules (and, in team mode, psycopg), or run
it here.

A short command's own process spends most of its time starting: the interpreter, the standard
modules every command needs, the command modules (docs/performance.md, "The floor"); in team
mode importing psycopg alone costs a tenth of a second, more than the work ``add`` does on the
server. So a short command first tries the warm process's Unix socket: it sends its argv, its
environment, its working directory and its standard streams (``SCM_RIGHTS``), and the warm
process forks a child that becomes this command — the same streams, environment, directory
and argv, its own fresh connection to the store — and runs :func:`techqueue.cli.main.main` as
this process would; the child's exit status comes back, and Ctrl-C or a SIGTERM here is passed
on to it. When no warm process answers, the command runs here as it always did, and then
starts one, detached, for the next command (:mod:`techqueue.warm.server`); it leaves after ten
idle minutes.

This module is reached before anything else techqueue imports, so it imports almost nothing:
``os``, ``sys`` and ``marshal``; ``zlib``, ``_socket`` and ``_signal`` (not ``signal``, which
brings ``enum``) when a command may go to a warm process.

Off with ``TECHQUEUE_WARM=0``; off under ``CI`` unless ``TECHQUEUE_WARM=1``; off when a
library is preloaded into the command (``LD_PRELOAD``: a fake clock, a tracer), which a warm
process would not have; Linux only (the peer's uid is checked with ``SO_PEERCRED``).
"""

from __future__ import annotations

import marshal
import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from _socket import socket
    from collections.abc import Mapping
    from types import FrameType
    from typing import Any

__all__ = [
    "COMMANDS",
    "PROTOCOL",
    "SOLO",
    "directory",
    "key",
    "run",
    "socket_path",
    "standing",
    "store_key",
    "warm_store",
]

#: The commands a warm process may run: the short ones, never the full-screen app, never one
#: that may ask at a terminal. Every other command runs in its own process.
COMMANDS = frozenset(
    {"add", "next", "show", "done", "list", "eta", "promises", "overload", "start", "pause"}
    | {"drop", "reopen", "wait", "defer", "pin", "unpin", "bump", "note", "vip", "edit"}
    | {"assign", "unassign", "remind", "reminders", "snooze", "dismiss"}
)

#: The request's format; a warm process refuses a request of another.
PROTOCOL = "techqueue-warm 2"

#: The store part of a solo warm process's key: one warm process serves every SQLite store
#: (each command's child opens the store its own environment and ``--db`` name, as its own
#: process would); a team's is its server's URL.
SOLO = "sqlite"

#: What the warm process answers: it forked the command's child (its exit status follows), or
#: it refuses (another key or a malformed request: the command runs in its own process).
ACCEPTED, REFUSED = b"A", b"R"

#: The longest path a Unix socket may have (``sun_path``, less its terminating zero).
_LONGEST_SOCKET = 107

#: How long a command waits for the warm process to take it (it answers in milliseconds; one
#: that does not is stuck, and the command says so rather than risk running twice).
_ANSWER_SECONDS = 10.0


def run() -> int:
    """The console script: a short command through the warm process when one answers, else
    here (and then a warm process is started for the next one)."""
    try:
        return _run()
    except KeyboardInterrupt:
        return interrupted()


def interrupted() -> int:
    """Ctrl-C outside the command's own handling (``cli.main._guarded``): while the modules
    are imported, or as the store is closed or the output flushed, here or in the warm
    process's child. One line, as at any other moment; exit status 130."""
    said = "interrupted; nothing was half-written"
    main = sys.modules.get("techqueue.cli.main")
    if main is not None and hasattr(main, "interrupted_line"):
        said = main.interrupted_line()  # (the change may be saved by now)
    try:  # noqa: SIM105  (contextlib is not imported here: see the module's docstring)
        os.write(2, f"techqueue: {said}\n".encode())
    except OSError:
        pass
    return 130


def _run() -> int:
    args = sys.argv[1:]
    store = warm_store(args, os.environ)
    status, start = (None, False) if store is None else _through_warm(store, args)
    if status is not None:
        return _ended(status)
    from techqueue.cli.main import finish, main

    status = main(args)
    if store is not None and start:
        _start(args)
    return finish(status)


def _ended(status: int) -> int:
    """The status of a command the warm process's child ran, which wrote all there was: this
    process ends at once, as a short command's own process does (``cli.main.finish``),
    without the interpreter's tear-down (a tenth of a command run this way); unless there is
    something to run at exit (an ``atexit`` function, another thread: then the ordinary
    exit, with the status returned)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            return status
    import atexit

    threading = sys.modules.get("threading")
    pending = getattr(atexit, "_ncallbacks", None)
    if pending is None or pending() or (threading is not None and threading.active_count() > 1):
        return status
    if 0 <= status <= 255:
        os._exit(status)
    return status


def enabled(env: Mapping[str, str]) -> bool:
    """Whether the warm helper may be used at all: not when ``TECHQUEUE_WARM=0``, not under
    ``CI`` (unless ``TECHQUEUE_WARM=1``), not with a library preloaded into the command
    (``LD_PRELOAD``, a fake clock's ``FAKETIME``: the warm process's child would run without
    it), and only where ``SO_PEERCRED`` exists (Linux)."""
    asked = env.get("TECHQUEUE_WARM", "").strip().lower()
    if asked in ("0", "false", "no", "off"):
        return False
    if env.get("LD_PRELOAD") or any(name.startswith("FAKETIME") for name in env):
        return False
    ci = env.get("CI", "").strip().lower() not in ("", "0", "false", "no")
    return sys.platform == "linux" and (asked in ("1", "true", "yes", "on") or not ci)


def warm_store(args: list[str], env: Mapping[str, str]) -> str | None:
    """The store part of the warm process's key (:func:`store_key`) when this command line
    may go to a warm process: the helper enabled and a short command (:data:`COMMANDS`);
    ``None`` otherwise."""
    if not enabled(env) or any(name.startswith("_TECHQUEUE") for name in env):
        return None  # shell completion is Typer's
    db, word = _global_options(args)
    if word not in COMMANDS or not _handed_over_whole(env):
        return None
    return store_key(db if db is not None else env.get("TECHQUEUE_DB", ""))


#: The signals a command passes on to the warm process's child while it runs.
_PASSED_ON = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGTSTP", "SIGCONT")


def _handed_over_whole(env: Mapping[str, str]) -> bool:
    """Whether this process can be handed to a warm process as it is; what a child could not
    take on runs here instead:
    - a standard stream closed (the socket would take its number and be handed over in its
      place);
    - a signal the command was told to ignore (``nohup``, ``cmd &`` in a script, ``trap ''``):
      passed on, it would stop the child that should have ignored it;
    - the interpreter's own options (``-W``, ``-X``, their variables), which a warm process
      started otherwise would not have (unbuffered output, ``-u``, is handed over);
    - an environment name a child cannot set (empty, or holding ``=``)."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            return False
    if TYPE_CHECKING:
        import signal as _signal
    else:
        import _signal

    for name in _PASSED_ON:
        number = getattr(_signal, name)
        if _signal.getsignal(number) == _signal.SIG_IGN:
            return False
    if sys.flags.dev_mode or sys.warnoptions or sys._xoptions:
        return False
    return all(name and "=" not in name for name in env)


def store_key(db: str) -> str:
    """A team store's ``postgresql://`` URL as it is; :data:`SOLO` for any other (a SQLite
    file, named or the default): a solo warm process never imports psycopg."""
    scheme, found, _ = db.partition("://")
    if found and scheme.lower().split("+")[0] in ("postgresql", "postgres"):
        return db
    return SOLO


def _global_options(args: list[str]) -> tuple[str | None, str | None]:
    """(the ``--db`` value, the command's name): read as ``cli/main.py``'s ``_split`` reads
    them (a test holds the two to the same lines)."""
    db: str | None = None
    index = 0
    while index < len(args):
        arg = args[index]
        name, equals, value = arg.partition("=")
        if arg in ("--db", "--as") and index + 1 < len(args):
            if arg == "--db":
                db = args[index + 1]
            index += 2
        elif name in ("--db", "--as") and equals:
            if name == "--db":
                db = value
            index += 1
        else:
            return db, arg
    return db, None


def key(url: str, env: Mapping[str, str]) -> str:
    """What a warm process must share with a command to run it: the interpreter, the
    installed code (every file of the package, its size and time; the site-packages
    directories' times, which change when anything is installed), the store's URL, and the
    environment the interpreter and the loader read once at start (``PYTHON*``, the locale,
    ``LD_*``), and the process's standing (:func:`_standing`). A warm process whose key no
    longer matches never serves; it exits."""
    package = os.path.dirname(os.path.abspath(sys.modules["techqueue"].__file__ or ""))
    parts = [PROTOCOL, os.path.realpath(sys.executable), sys.prefix, sys.version, package, url]
    parts += sorted(
        f"{name}={value}"
        for name, value in env.items()
        if name.startswith(("PYTHON", "LC_", "LD_")) or name == "LANG"
    )
    for entry in sys.path:
        if entry.endswith("-packages"):
            try:
                parts.append(f"{entry} {os.stat(entry).st_mtime_ns}")
            except OSError:
                continue
    _code(package, "", parts)
    _standing(parts)
    return "\n".join(parts)


#: The lines of ``/proc/self/status`` a forked child takes from the warm process rather than
#: from the command: its privileges and groups.
_STATUS = (b"Uid:", b"Gid:", b"Groups:", b"Cap", b"NoNewPrivs:", b"Seccomp")
#: The namespaces a process lives in (``/proc/self/ns``).
_NAMESPACES = ("mnt", "user", "pid", "net", "ipc", "uts", "cgroup", "time")


def _standing(parts: list[str]) -> None:
    """This process's standing (:func:`standing`), in the key."""
    parts.append(standing("self"))


def standing(process: str) -> str:
    """What a forked child takes from the warm process that the command may not share, of
    ``process`` (``self``, or a pid): its privileges (ids, groups, capabilities,
    no-new-privileges, seccomp), its security label (AppArmor, SELinux), resource limits,
    namespaces, root directory and priority. A command in a sandbox, a container or under
    ``ulimit`` has another key, so another warm process (one started in the same standing)
    or none; and the warm process reads its caller's standing itself (``SO_PEERCRED``'s
    pid) before it takes a command, so a key that says otherwise gets nothing."""
    parts = []
    for name in ("status", "limits", "attr/current"):
        try:
            with open(f"/proc/{process}/{name}", "rb") as file:
                found = file.read()
        except OSError:
            found = b"?"
        if name == "status":
            found = b"".join(line for line in found.splitlines(True) if line.startswith(_STATUS))
        parts.append(f"{name} {found.decode('ascii', 'replace')}")
    for space in _NAMESPACES:
        try:
            parts.append(os.readlink(f"/proc/{process}/ns/{space}"))
        except OSError:
            parts.append(f"{space}:?")
    try:
        root = os.stat(f"/proc/{process}/root")
        priority = os.getpriority(os.PRIO_PROCESS, 0 if process == "self" else int(process))
        parts.append(f"/ {root.st_dev} {root.st_ino} nice {priority}")
    except (OSError, ValueError):
        parts.append("/ ?")
    return "\n".join(parts)


def _code(root: str, relative: str, parts: list[str]) -> None:
    """Each file under ``root/relative``: its path, size and modification time."""
    try:
        entries = sorted(os.scandir(os.path.join(root, relative)), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        name = os.path.join(relative, entry.name)
        if entry.is_dir(follow_symlinks=False):
            if entry.name != "__pycache__":
                _code(root, name, parts)
            continue
        try:
            found = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        parts.append(f"{name} {found.st_size} {found.st_mtime_ns}")


def directory(env: Mapping[str, str], *, create: bool = False) -> str | None:
    """The owner-only directory of the warm processes' sockets: ``techqueue/warm`` in
    ``$XDG_RUNTIME_DIR`` (when it is a directory of ours, 0700, as platformdirs' runtime
    directory requires), else in the cache directory. ``None`` when it is missing (and not
    ``create``) or is not ours alone."""
    runtime = env.get("XDG_RUNTIME_DIR", "")
    base = runtime if runtime and _private(runtime) else ""
    if not base:
        cache = env.get("XDG_CACHE_HOME", "")
        base = cache if os.path.isabs(cache) else os.path.join(os.path.expanduser("~"), ".cache")
    found = os.path.join(base, "techqueue", "warm")
    if create:
        for made in (os.path.dirname(found), found):
            try:
                os.mkdir(made, 0o700)
            except FileExistsError:
                pass
            except OSError:
                return None
    return found if _private(found) else None


def _private(path: str) -> bool:
    """Whether ``path`` is a directory (not a link to one) of this user's, no one else's."""
    try:
        found = os.lstat(path)
    except OSError:
        return False
    return (
        found.st_mode & 0o170000 == 0o040000
        and found.st_uid == os.getuid()
        and found.st_mode & 0o077 == 0
    )


def socket_path(folder: str, key_text: str) -> str:
    """The socket of the warm process of ``key_text``: named by a digest of the key (the
    whole key is compared when a command arrives)."""
    import zlib

    data = key_text.encode("utf-8", "surrogateescape")
    return os.path.join(folder, f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}.sock")


def _through_warm(url: str, args: list[str]) -> tuple[int | None, bool]:
    """The command's exit status when the warm process ran it, ``None`` when none did (then
    it runs here, nothing having been done); and whether a warm process should be started
    (none is listening)."""
    folder = directory(os.environ)
    if folder is None:
        return None, True
    key_text = key(url, os.environ)
    path = socket_path(folder, key_text)
    if len(os.fsencode(path)) > _LONGEST_SOCKET:
        return None, False
    import _socket

    connection = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        try:
            connection.connect(path)
        except OSError:
            return None, True
        if not _ours(connection):
            return None, False  # not our warm process: nothing of ours is sent to it
        return _ask(connection, key_text, args), False
    finally:
        connection.close()


def _ours(connection: socket) -> bool:
    """Whether the process listening is this user's (``SO_PEERCRED``): the directory was
    checked before, but whoever can rename in a directory above it could have put another
    in its place since."""
    import _socket

    try:
        found = connection.getsockopt(_socket.SOL_SOCKET, _socket.SO_PEERCRED, 12)
    except OSError:
        return False
    return int.from_bytes(found[4:8], sys.byteorder) == os.getuid()


def _ask(connection: socket, key_text: str, args: list[str]) -> int | None:
    """Send the command, pass signals on while it runs, and return its exit status (``None``
    when the warm process did not take it)."""
    if TYPE_CHECKING:
        import signal
    else:
        import _signal as signal  # (``signal`` itself brings ``enum``: ~5 ms of a command)

    try:
        _send(connection, key_text, args)
    except OSError:
        return None

    woken = [False]

    def forward(number: int, frame: FrameType | None) -> None:
        try:  # noqa: SIM105  (contextlib is not imported here, for speed)
            connection.send(bytes((number,)))
        except OSError:
            pass
        if number == signal.SIGCONT:
            woken[0] = True
        elif number == signal.SIGTSTP:  # Ctrl-Z: the child is stopped, then this process
            woken[0] = False
            signal.signal(signal.SIGTSTP, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTSTP)  # (until fg or bg: a SIGCONT passed on too)
            signal.signal(signal.SIGTSTP, forward)
            if not woken[0]:
                # Not stopped after all: no job control (a process group no terminal stops,
                # as under setsid), where the system drops the stop; nor is the child.
                forward(signal.SIGCONT, None)

    before: dict[int, Any] = {}
    for name in _PASSED_ON:
        passed = getattr(signal, name)
        before[passed] = signal.signal(passed, forward)
    try:
        connection.settimeout(_ANSWER_SECONDS)
        try:
            answer = _read(connection, 1)
        except TimeoutError:
            answer = b"?"
        except OSError:
            return None  # gone before it began: nothing ran
        if answer == b"?":
            sys.stderr.write(
                "techqueue: the warm helper does not answer (TECHQUEUE_WARM=0 runs "
                "commands without it)\n"
            )
            return 1
        if answer != ACCEPTED:
            return None  # refused, or gone before it began: nothing ran
        connection.settimeout(None)
        try:
            status = _read(connection, 4)
        except OSError:
            status = b""
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)
    if len(status) < 4:
        sys.stderr.write(
            "techqueue: the warm helper stopped while running the command: it may or "
            "may not have finished (see techqueue show or list)\n"
        )
        return 1
    code = int.from_bytes(status, "big", signed=True)
    if code < 0:  # the child was killed by a signal: so is this process, as it would have been
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
        return 128 - code
    return code


def _send(connection: socket, key_text: str, args: list[str]) -> None:
    """The request: its length, then (marshal) the protocol, the key, argv, the environment,
    the umask and the standard streams' encodings and buffering; with it, the standard streams
    and the working directory, as descriptors."""
    import _socket

    streams = [
        (stream.encoding, stream.errors, not hasattr(stream.buffer, "raw"))
        if stream is not None
        else ("utf-8", "strict", False)
        for stream in (sys.stdin, sys.stdout, sys.stderr)
    ]  # (no raw stream under the buffer: ``-u`` or ``PYTHONUNBUFFERED``)
    umask = os.umask(0o077)
    os.umask(umask)
    argv = [sys.argv[0], *args]
    request = marshal.dumps((PROTOCOL, key_text, argv, dict(os.environ), umask, streams))
    data = len(request).to_bytes(4, "big") + request
    here = os.open(".", os.O_PATH | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        descriptors = b"".join(fd.to_bytes(4, sys.byteorder) for fd in (0, 1, 2, here))
        sent = connection.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, descriptors)])
        connection.sendall(data[sent:])
    finally:
        os.close(here)


def _read(connection: socket, size: int) -> bytes:
    """``size`` bytes, or fewer when the other end closed first."""
    data = b""
    while len(data) < size:
        more = connection.recv(size - len(data))
        if not more:
            break
        data += more
    return data


def _start(args: list[str]) -> None:
    """Start the warm process of this key for the next command, detached (a session of its
    own, its streams on ``/dev/null``), unless it is already there; never fails the command."""
    folder = directory(os.environ, create=True)
    if folder is None:
        return
    package_parent = os.path.dirname(
        os.path.dirname(os.path.abspath(sys.modules["techqueue"].__file__ or ""))
    )
    db, _ = _global_options(args)
    env = dict(os.environ)
    if db is not None:
        env["TECHQUEUE_WARM_DB"] = db  # by the environment: a URL may hold a password
    # It first waits (up to 5 s) for this command to end, before importing anything: the
    # command's own last moments are not slowed by its imports on a machine of few cores.
    code = (
        "import os, sys, time\n"
        "parent, end = os.getppid(), time.monotonic() + 5\n"
        "while os.getppid() == parent != 1 and time.monotonic() < end:\n"
        "    time.sleep(0.005)\n"
        f"sys.path[:0] = [{package_parent!r}]\n"
        "from techqueue.warm.server import main\n"
        "sys.exit(main())\n"
    )
    null = os.devnull
    try:  # noqa: SIM105  (contextlib is not imported here, for speed)
        os.posix_spawn(
            sys.executable,
            [sys.executable, "-P", "-c", code],
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, null, os.O_RDONLY, 0),
                (os.POSIX_SPAWN_OPEN, 1, null, os.O_WRONLY, 0),
                (os.POSIX_SPAWN_OPEN, 2, null, os.O_WRONLY, 0),
            ],
            setsid=True,
        )
    except OSError:
        pass
