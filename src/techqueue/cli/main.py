"""The entry point: read the command line, run one command, and turn every expected failure
into one line on stderr and the contract's exit status.

Start-up time matters (``add`` and ``next`` run dozens of times a day), so a well-formed line
is read by the fast path without assembling Typer's app, only the module of the command being
run is imported, and the full-screen app opens without Typer at all.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

from techqueue import __version__
from techqueue.cli.context import Context
from techqueue.cli.output import PROG, Failure, echo, fail, output_lost
from techqueue.cli.registry import MODULES, load, load_all

if TYPE_CHECKING:
    import typer
    from typer._click.exceptions import BadParameter

__all__ = ["VERSION_LINE", "finish", "main", "run"]

#: The commands that run in a moment and make no cyclic garbage to speak of: the cyclic
#: collector is off while they run (imports, restores and backups keep it).
_SHORT = frozenset(
    {"add", "next", "show", "done", "list", "eta", "promises", "overload", "start", "pause"}
    | {"drop", "reopen", "wait", "defer", "pin", "unpin", "bump", "note", "vip", "edit"}
)

#: Whether the last :func:`main` ran one of :data:`_SHORT` (what :func:`finish` may end at once).
_short_ran = False

#: The command line's context of the last :func:`main` (what :func:`interrupted_line` asks).
_last_context: Context | None = None

#: The exit status of a command interrupted by Ctrl-C (128 + SIGINT, as a shell has it).
_INTERRUPTED = 130

#: What ``techqueue --version`` prints.
VERSION_LINE = f"{PROG} {__version__}"


def _build(context: Context, name: str | None) -> typer.Typer:
    """Typer's app with the command ``name`` (every command when ``None``)."""
    # Typer is imported here, not at the top: a line the fast path reads never needs it (it
    # costs ~50 ms). The callback's annotations below are read from this module's globals.
    global typer
    import typer

    from techqueue.cli.help import PlainGroup

    app = typer.Typer(
        name=PROG,
        cls=PlainGroup,
        add_completion=True,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
        help="What to do next when everything arrives at once. Run without a command for the "
        "full-screen app.",
    )

    @app.callback(invoke_without_command=True)
    def main_options(
        ctx: typer.Context,
        db: Annotated[
            str | None,
            typer.Option("--db", metavar="PATH", help="The store: a file path or a database URL."),
        ] = None,
        user: Annotated[
            str | None,
            typer.Option(
                "--as",
                metavar="NAME",
                help="Who you are in a team (default: $TECHQUEUE_USER or your login name).",
            ),
        ] = None,
        version: Annotated[
            bool,
            typer.Option(
                "--version",
                is_eager=True,
                callback=_print_version,
                help="Print techqueue's version and exit.",
            ),
        ] = False,
    ) -> None:
        if db is not None:
            context.db = db
        if user is not None:
            context.user = user
        if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
            _open_app(context)

    for command in load_all() if name is None else [load(name)]:
        command.register(app, context)
    return app


def _print_version(asked: bool) -> None:
    """``--version`` on Typer's path (the fast path answers it before building the app)."""
    if asked:
        from typer import Exit

        echo(VERSION_LINE)
        raise Exit()


def _open_app(context: Context) -> None:
    """The full-screen app, when there is a terminal to draw it on."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        echo(
            "techqueue: the full-screen app needs a terminal. From scripts: techqueue add "
            "'TEXT', techqueue next, techqueue list --json (see techqueue --help)."
        )
        return
    try:
        lines = os.get_terminal_size().lines
    except OSError:
        lines = 60
    # The queue's first rows (as many as the terminal has lines: the table is shorter), for
    # the interface's first frame to show: read by a child on the other core while this
    # process imports the interface, or here before it is set up.
    from techqueue.cli.clock import now
    from techqueue.tui.read_beside import start

    beside = start(context.db, context.user, lines, now, context.settings)
    try:
        # Textual and the app are tens of thousands of objects that live as long as the
        # process: the cyclic collector need not walk them while they are made (~18 ms of
        # the first frame), nor on every collection of the day afterwards (frozen).
        gc.disable()
        try:
            from techqueue.app import TechQueueApp
        finally:
            gc.freeze()
            gc.enable()

        context.now  # noqa: B018  (a bad TECHQUEUE_NOW is reported before the screen opens)
        app = TechQueueApp(context.store, context.settings, now)
        taken = None if beside is None else beside.take()
    finally:
        if beside is not None:
            beside.abandon()
    if taken is None:
        app.session.read_ahead(lines)
    else:
        app.session.took_ahead(*taken)
    try:
        app.run()
    finally:
        app.session.close()  # waits for a worker still reading, then closes


def _split(
    args: list[str],
) -> tuple[str | None, str | None, str | None, list[str] | None]:
    """(the --db value, the --as value, the first word after the global options, the words
    after it); the words after are ``None`` when the line holds nothing but global options."""
    found: dict[str, str | None] = {"--db": None, "--as": None}
    index = 0
    while index < len(args):
        arg = args[index]
        name = arg.partition("=")[0]
        if arg in found and index + 1 < len(args):
            found[arg], index = args[index + 1], index + 2
        elif name in found and "=" in arg:
            found[name], index = arg.partition("=")[2], index + 1
        else:
            return found["--db"], found["--as"], arg, args[index + 1 :]
    return found["--db"], found["--as"], None, None


def main(argv: list[str] | None = None) -> int:
    """Run techqueue with ``argv`` (default: the process's); return the exit status."""
    global _short_ran
    _short_ran = False
    if sys.stdout is None:  # started with its output closed (``>&-``): nothing to say it on
        return fail("the standard output is closed; nothing was done", 1)
    args = list(sys.argv[1:] if argv is None else argv)
    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return fail(f"{arg.encode('utf-8', 'replace').decode()!r} is not valid UTF-8 text", 2)
    global _last_context
    context = _last_context = Context()
    completing = any(key.startswith("_TECHQUEUE") for key in os.environ)
    db, user, word, rest = _split(args)
    if db is not None and (not db.strip() or db.startswith("-")):
        # Empty, it was read as the directory "."; "--db --help list" made a store file
        # called "--help". (A file whose name starts with a dash: ./-name.)
        return fail(f"--db: give the store's file path or a database URL, not {db!r}", 2)
    if word == "--version" and not completing:
        # Answered before anything is built: Typer's app alone costs a third of a second.
        echo(VERSION_LINE)
        return 0
    name = word if word in MODULES else None
    if rest is None and not completing:
        # Nothing but --db: the full-screen app, opened without assembling the Typer app,
        # which costs a third of a second (pydantic included) before the first frame.
        context.db, context.user = db, user
        return _guarded(context, lambda: _open_app(context))
    if name is not None and rest is not None and not completing:
        from techqueue.cli import fastpath

        function = load(name).bound(context)
        fast = fastpath.parse_fast(function, rest)
        if fast is not None:
            context.db, context.user = db, user
            if name in _SHORT:
                # A short command reads and ranks the whole queue once and exits: the
                # hundreds of thousands of objects it makes all live until then, and the
                # cyclic collector would walk them again and again (a fifth of ``next``).
                gc.disable()
                _short_ran = True
            return _guarded(context, lambda: function(**fast))
    from typer.main import get_command

    click_command = get_command(_build(context, None if completing else name))

    def typer_parses() -> Any:
        status = click_command.main(args=args, prog_name=PROG, standalone_mode=False)
        if status == _INTERRUPTED:
            # Typer turns Ctrl-C into this status without a word (typer/core.py); said here
            # as on the fast path. No command returns it of its own.
            raise KeyboardInterrupt
        return status

    return _guarded(context, typer_parses)


def _guarded(context: Context, call: Callable[[], Any]) -> int:
    """Run a command; turn every expected failure into one line on stderr and a status."""
    from techqueue.config.loader import ConfigError
    from techqueue.errors import StoreError, StoreUnusable

    try:
        result = call()
    except Failure as error:
        return fail(str(error), error.code)
    except StoreError as error:
        return fail(str(error), error.exit_code)
    except (StoreUnusable, ConfigError) as error:
        return fail(str(error), 1)
    except KeyboardInterrupt:
        return fail(interrupted_line(), _INTERRUPTED)
    except BrokenPipeError:
        sys.stderr.close()
        return 1
    except Exception as error:
        # Click's refusals exist only when Typer parsed the line: not imported for them
        # otherwise (the fast path never loads Typer).
        if "typer" in sys.modules:
            from typer._click.exceptions import BadParameter, ClickException
            from typer.exceptions import Abort

            if isinstance(error, BadParameter):
                return fail(_bad_parameter(error), error.exit_code)
            if isinstance(error, ClickException):
                return fail(error.format_message(), error.exit_code)
            if isinstance(error, Abort):
                return fail("aborted", 1)
        if os.environ.get("TECHQUEUE_DEBUG"):
            raise
        return fail(f"unexpected error: {type(error).__name__}: {error}", 1)
    finally:
        context.close()
    return result if isinstance(result, int) else 0


def _bad_parameter(error: BadParameter) -> str:
    """A value Typer refused, said plainly (``ID must be a whole number, not 'abc'``): Typer
    passes on its validation library's wording ("Input should be greater than or equal to
    1"), which is for programmers."""
    from techqueue.core.text import plain_problem

    errors = getattr(error.__cause__, "errors", None)
    found = errors() if callable(errors) else None
    if not found:
        return str(error.format_message())
    first = found[0]
    param = error.param
    if param is None:
        name = "a value"
    elif param.param_type_name == "option" and param.opts:
        name = param.opts[0]
    else:
        name = param.metavar or (param.name or "a value").upper()
    shown = str(first.get("input", ""))
    given = f", not {shown[:40]!r}" if shown else ""
    return f"{name} {plain_problem(first['type'], first.get('ctx'))}{given}"


def interrupted_line() -> str:
    """What Ctrl-C is said as: whether the command's change is already in the store (so that
    nobody does it again: the store has it, whole) or not."""
    context = _last_context
    if context is not None and context.saved_actions():
        return "interrupted after the change was saved (techqueue undo takes it back)"
    return "interrupted; nothing was half-written"


def finish(status: int) -> int:
    """End the process of a short command now, its output flushed, skipping the interpreter's
    teardown; return the status for the ordinary exit when that is not safe, or when the
    output could not be written (:func:`_flushed`: 1).

    Tearing the interpreter down (every module and object freed one by one) costs a short
    command 6–9 ms, a tenth of ``add``, and does nothing a finished command needs: by the
    time :func:`main` returns, its transaction is committed, the store closed and the kept
    caches written (``Context.close``). So after one of :data:`_SHORT`, with nothing left
    to run at exit (no ``atexit`` function, no other thread) and standard output and error
    flushed, the process ends with ``os._exit`` — the shortcut Instagram's servers take for
    the same reason. Anything else (another command, a flush that fails, a status that is
    not a byte) exits the ordinary way.
    """
    if not _flushed(said_already=status != 0):
        return 1
    if not _short_ran or not 0 <= status <= 255:
        return status
    import atexit

    threading = sys.modules.get("threading")
    pending = getattr(atexit, "_ncallbacks", None)
    if pending is None or pending() or (threading is not None and threading.active_count() > 1):
        return status
    os._exit(status)


def _flushed(*, said_already: bool) -> bool:
    """Write out what is left of the output; whether it all went.

    When it cannot go, the standard output is pointed at ``/dev/null`` (the interpreter's
    own flush at exit would fail again: Python's "Exception ignored" and status 120), and
    that is said in one line: unless the reader simply stopped reading (a closed pipe, as
    after ``| head -1``: quiet, as Typer's path is), or the command already said what went
    wrong (``said_already``)."""
    if sys.stdout is None:
        return True
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as error:
        with contextlib.suppress(OSError, ValueError):
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, sys.stdout.fileno())
            os.close(nowhere)
        closed_pipe = isinstance(error, BrokenPipeError)
        if isinstance(error, OSError) and not closed_pipe and not said_already:
            with contextlib.suppress(OSError, ValueError):
                fail(output_lost(error), 1)
        return False
    finally:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            sys.stderr.flush()
    return True


def run() -> int:
    """The console script."""
    return finish(main())
