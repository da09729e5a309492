"""What every command module shares: the Typer app, consoles, the ``--db`` option and the
error exit. Command modules register on ``app``; ``ceasewatch.cli`` imports them all."""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

app = typer.Typer(
    help="Monitor and verify ceasefire agreements: agreements as data, incidents as evidence, "
    "verdicts explained.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
scenario_app = typer.Typer(
    help="Bundled scenarios: list them, export one to start from.", no_args_is_help=True
)
db_app = typer.Typer(
    help="The store: SQLite by default, PostgreSQL for teams.", no_args_is_help=True
)
app.add_typer(scenario_app, name="scenario")
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help=(
            "Store URL, or an SQLite file path. "
            "Default: $CEASEWATCH_DB, else sqlite:///ceasewatch.db"
        ),
        show_default=False,
    ),
]


class Format(StrEnum):
    table = "table"
    json = "json"


def called_as() -> str:
    """How this command was called (``.venv/bin/ceasewatch`` after ``make demo``)."""
    called = Path(sys.argv[0])
    if called.name != "ceasewatch":
        return "ceasewatch"
    try:
        return str(called.resolve().relative_to(Path.cwd()))
    except ValueError:
        return "ceasewatch" if called.parent == Path() else str(called)


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(1)


def stored_lookup(db_url: str) -> Callable[[str], tuple[dict[str, str], str]]:
    """Find a stored agreement's files; never creates a store that is not there yet."""

    def lookup(agreement_id: str) -> tuple[dict[str, str], str]:
        from ceasewatch.errors import NotFound
        from ceasewatch.store import db, repository

        if not db.exists(db_url):
            raise NotFound(f"no store at {db_url}")
        engine = db.open_store(db_url)
        try:
            return repository.agreement_files(engine, agreement_id)
        finally:
            engine.dispose()

    return lookup
