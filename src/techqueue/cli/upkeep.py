"""Keeping the data: ``backup``, ``restore`` and ``doctor``.

Each calls :mod:`techqueue.upkeep`, as the app does. ``restore`` and ``doctor`` never open the
store through the context: the store they are about may be one that cannot be opened, and
the health check changes nothing (it neither creates, nor migrates, nor backs up).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.options import JsonOpt
from techqueue.cli.output import bad, echo, print_json
from techqueue.cli.registry import command

if TYPE_CHECKING:
    from techqueue.core.settings import Settings


@command("backup", "techqueue backup   (or: techqueue backup /media/usb/)")
def backup_command(
    ctx: Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="Where to write (a file or a directory; default: today's backup beside "
            "the store).",
        ),
    ] = None,
) -> None:
    """A copy of the whole store now (team mode: a portable export).

    Without FILE it is today's backup in the backups directory beside the store, where one
    is also made each day by itself; the newest [data] backups (7) are kept. Put a backup
    back with techqueue restore FILE.
    """
    from techqueue.upkeep.backups import back_up

    if file is not None and (str(file) == "-" or not file.name):
        bad("backup: give a file or directory (techqueue export prints JSON to standard output)")
    written = back_up(ctx.store, ctx.now, file, keep=ctx.settings.backups_kept)
    echo(f"backed up to {written}")


@command("restore", "techqueue restore ~/.local/share/techqueue/backups/techqueue-2026-03-02.db")
def restore_command(
    ctx: Context,
    file: Annotated[
        Path, typer.Argument(metavar="FILE", help="A backup made by techqueue (backup, daily).")
    ],
) -> None:
    """Put a backup in place of the store, keeping the store as it was.

    The backup is checked first (a techqueue store, not from a newer techqueue, whole by
    SQLite's integrity check) and refused, untouched, when it is not; the store as it was is
    kept in the backups directory, so restoring that undoes the restore.
    """
    from techqueue.core.text import plural
    from techqueue.paths import store_target
    from techqueue.upkeep.restore import restore

    done = restore(store_target(ctx.db), file, ctx.now)
    said = f"restored {file}: {plural(done.items, 'item')}"
    if done.kept is not None:
        said += f"; the store as it was is kept as {done.kept}"
    echo(said)


@command("doctor", "techqueue doctor")
def doctor_command(ctx: Context, json: JsonOpt = False) -> int:
    """Check the store, backups, permissions, clock and config.

    One line each: ok, or FIX with what to do about it; the exit status is 1 when something
    needs doing. Nothing is changed, created or backed up.
    """
    from techqueue.core.health import line
    from techqueue.paths import store_target
    from techqueue.upkeep.doctor import doctor

    settings, config = _config()
    checks = doctor(store_target(ctx.db), ctx.now, settings, config)
    fine = all(check.fine for check in checks)
    if json:
        print_json(
            {
                "ok": fine,
                "checks": [
                    {"check": c.name, "ok": c.fine, "said": c.said, "fix": c.fix} for c in checks
                ],
            }
        )
    else:
        for check in checks:
            echo(line(check))
    return 0 if fine else 1


def _config() -> tuple[Settings, tuple[Path, bool, str | None]]:
    """The settings in effect and the config file's state, read without writing its cache."""
    from techqueue.config.loader import ConfigError, read_config
    from techqueue.config.model import validate
    from techqueue.core.settings import Settings
    from techqueue.paths import config_path

    path = config_path()
    try:
        content = read_config(path)
    except ConfigError as error:
        return Settings(), (path, True, str(error))
    if content is None:
        return Settings(), (path, False, None)
    try:
        return Settings.from_dict(validate(content, path), str(path)), (path, True, None)
    except ConfigError as error:
        return Settings(), (path, True, str(error))
