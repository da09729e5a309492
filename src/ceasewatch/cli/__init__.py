"""The ``ceasewatch`` command. Each module registers its commands on the one Typer app."""

from __future__ import annotations

import sys

from ceasewatch.cli import access as access  # noqa: F401
from ceasewatch.cli import core as core  # noqa: F401  (registers commands)
from ceasewatch.cli import delineation as delineation  # noqa: F401
from ceasewatch.cli import extract as extract  # noqa: F401
from ceasewatch.cli import ingest as ingest  # noqa: F401
from ceasewatch.cli import report as report  # noqa: F401
from ceasewatch.cli import server as server  # noqa: F401
from ceasewatch.cli.base import app

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    except BrokenPipeError:  # e.g. `| head`
        sys.stderr.close()
