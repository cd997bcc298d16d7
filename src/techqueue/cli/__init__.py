"""The command line: DESIGN.md's stable contract, built with Typer.

``main`` and ``run`` (the console script) are in :mod:`techqueue.cli.main`; each group of
commands has a module of its own, and :mod:`techqueue.cli.registry` imports only the one the
command being run needs.
"""

from techqueue.cli.main import main, run

__all__ = ["main", "run"]
