"""The store as a whole, and the settings: ``export``, ``import``, ``undo`` and ``config``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

from techqueue.cli import params as typer
from techqueue.cli.context import Context
from techqueue.cli.output import Failure, bad, echo
from techqueue.cli.registry import command


@command("export", "techqueue export backup.json")
def export_command(
    ctx: Context,
    file: Annotated[
        Path | None, typer.Argument(metavar="FILE", help="Where to write (default: stdout).")
    ] = None,
) -> None:
    """Everything in the store as JSON (a backup, another machine)."""
    from techqueue.cli.files import is_stdout, write_file
    from techqueue.transfer import export_text

    to_stdout = is_stdout(file, "export")
    data = export_text(ctx.store, ctx.now)
    if to_stdout or file is None:
        echo(data)
        return
    write_file(file, (data + "\n").encode("utf-8"), "export")
    echo(f"exported to {file}")


@command("import", "techqueue import backup.json   (into a used store: --merge)")
def import_command(
    ctx: Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="An export file (- for stdin).")],
    merge: Annotated[
        bool, typer.Option("--merge", help="Add to a non-empty store, with new ids.")
    ] = False,
) -> None:
    """Load an export, all or nothing."""
    from techqueue import actions

    try:
        text = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        bad(f"import: {file} is not UTF-8 text (byte {error.start:,}); nothing was imported")
    except OSError as error:
        raise Failure(f"import: cannot read {file}: {error.strerror or error}") from None
    try:
        data = json.loads(text)
    except ValueError as error:
        bad(f"import: {file} is not JSON: {error}")
    except RecursionError:  # (100,000 "[" in a row: no export of ours nests past a few)
        bad(f"import: {file} is not an export: it nests too deep; nothing was imported")
    counts = actions.import_export(ctx.desk, data, ctx.now, merge=merge)
    from techqueue.core.text import plural

    said = [plural(count, _ROWS.get(table, table)) for table, count in counts.items()]
    echo("imported " + ", ".join(said))


#: What a row of each table is called, in the import's summary.
_ROWS = {"work_span": "work span", "recurrence": "recurring rule"}


@command("undo", "techqueue undo")
def undo_command(ctx: Context) -> None:
    """Revert the last action of any kind (repeat to go further back)."""
    from techqueue import actions

    echo(f"undid: {actions.undo(ctx.desk, ctx.now)}")


@command("config", "techqueue config")
def config_command(ctx: Context) -> None:
    """The effective settings and where each comes from."""
    from techqueue.config.model import describe
    from techqueue.paths import config_path

    ctx.now  # noqa: B018  (a bad TECHQUEUE_NOW is reported here too)
    for line in describe(
        config_path(), ctx.db or os.environ.get("TECHQUEUE_DB"), os.environ.get("TECHQUEUE_NOW")
    ):
        echo(line)
