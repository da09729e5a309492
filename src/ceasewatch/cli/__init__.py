"""The ``ceasewatch`` command. Each module registers its commands on the one Typer app."""

from __future__ import annotations

import sys

from rich.markup import escape

from ceasewatch.cli import access as access  # noqa: F401
from ceasewatch.cli import core as core  # noqa: F401  (registers commands)
from ceasewatch.cli import delineation as delineation  # noqa: F401
from ceasewatch.cli import extract as extract  # noqa: F401
from ceasewatch.cli import ingest as ingest  # noqa: F401
from ceasewatch.cli import report as report  # noqa: F401
from ceasewatch.cli import server as server  # noqa: F401
from ceasewatch.cli.base import app, err
from ceasewatch.errors import CeasewatchError

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # e.g. `| head`
        sys.stderr.close()
    except CeasewatchError as e:  # a command that let one through: still a clear error
        err.print(f"[bold red]error:[/] {escape(str(e))}", highlight=False, soft_wrap=True)
        sys.exit(1)
