"""Server commands: serve, users, audit, db backup. Commands that change the store act as a
named local user (``$CEASEWATCH_USER``, else the login name) and are audited like API
calls."""

from __future__ import annotations

import datetime as dt
import gc
import getpass
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ceasewatch.cli.base import DbOption, app, db_app, err, fail, out
from ceasewatch.errors import CeasewatchError

users_app = typer.Typer(help="Users of the server and their API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")


def local_user() -> str:
    """The audit log's name for whoever runs the command: ``cli:NAME``."""
    name = os.environ.get("CEASEWATCH_USER")
    if not name:
        try:
            name = getpass.getuser()
        except (KeyError, OSError):
            name = "unknown"
    return f"cli:{name}"


def _store(db: str | None, *, create: bool = True):  # type: ignore[no-untyped-def]
    from ceasewatch.store import db as store_db

    url = store_db.resolve_url(db, os.environ)
    if not create and not store_db.exists(url):
        fail(f"no store at {url} — give --db URL (or set CEASEWATCH_DB)")
    try:
        return store_db.open_store(url)
    except CeasewatchError as e:
        fail(str(e))


@app.command()
def serve(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook",
            help="URL to POST to when a trigger fires, a gate passes or fails, or a query is "
            "answered. Default: $CEASEWATCH_WEBHOOK.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Run the API server (OpenAPI document at /openapi.json, routes under /api/v1)."""
    import uvicorn

    from ceasewatch.server.app import create_app
    from ceasewatch.server.settings import Settings
    from ceasewatch.store import db as store_db

    url = store_db.resolve_url(db, os.environ)
    engine = _store(db)
    settings = Settings(db_url=url, webhook_url=webhook or os.environ.get("CEASEWATCH_WEBHOOK"))
    err.print(f"ceasewatch API on http://{host}:{port}/api/v1 — store {url}")
    api = create_app(settings, engine=engine)
    freeze_heap()
    uvicorn.run(api, host=host, port=port, log_level="info")


def freeze_heap() -> None:
    """Leave what start-up built out of garbage collection, just before serving.

    Python's full collection walks every object alive: after start-up that is the
    libraries' and the app's ~150,000 objects, which never become garbage. Frozen, they
    are left out of it — one pause of 200+ ms every ~1,000 requests gone from the latency
    tail (docs/api.md, Performance)."""
    gc.collect()
    gc.freeze()


@users_app.command("add")
def users_add(
    name: Annotated[str, typer.Argument(help="User name (letters, digits, . _ @ -).")],
    role: Annotated[
        str, typer.Option("--role", help="admin, monitor, analyst or liaison.", show_default=False)
    ],
    party: Annotated[
        str | None,
        typer.Option("--party", help="A liaison's party (actor id).", show_default=False),
    ] = None,
    days: Annotated[int, typer.Option("--days", help="Days until the token expires.")] = 365,
    db: DbOption = None,
) -> None:
    """Add a user and print their API token — once: only its hash is stored."""
    from ceasewatch.store import users

    engine = _store(db)
    try:
        user, token = users.add(
            engine,
            name,
            role,
            party,
            actor=local_user(),
            now=dt.datetime.now(dt.UTC),
            days=days,
        )
    except CeasewatchError as e:
        fail(str(e))
    finally:
        engine.dispose()
    err.print(
        f"added {user.name} ({user.role}{', party ' + user.party if user.party else ''}), "
        f"token expires {user.expires_at}. The token (shown once — send it as "
        "'Authorization: Bearer TOKEN'):",
        highlight=False,
        markup=False,
    )
    print(token)


@users_app.command("list")
def users_list(db: DbOption = None) -> None:
    """List users (never their tokens)."""
    from ceasewatch.store import users

    engine = _store(db, create=False)
    table = Table("name", "role", "party", "created", "expires", "revoked")
    for u in users.listing(engine):
        table.add_row(
            u["name"],
            u["role"],
            u["party"] or "",
            u["created_at"] or "",
            u["expires_at"] or "",
            u["revoked_at"] or "",
        )
    engine.dispose()
    out.print(table)


@users_app.command("revoke")
def users_revoke(
    name: Annotated[str, typer.Argument(help="User name.")], db: DbOption = None
) -> None:
    """Revoke a user's token (the user stays in the audit log)."""
    from ceasewatch.store import users

    engine = _store(db, create=False)
    try:
        users.revoke(engine, name, actor=local_user(), now=dt.datetime.now(dt.UTC))
    except CeasewatchError as e:
        fail(str(e))
    finally:
        engine.dispose()
    out.print(f"revoked {name}")


@audit_app.command("head")
def audit_head(db: DbOption = None) -> None:
    """Print the chain head (SEQ:HASH). Keep copies elsewhere: `verify --head` compares."""
    from ceasewatch.store import audit

    engine = _store(db, create=False)
    head = audit.head(engine)
    engine.dispose()
    print(head or "empty")


@audit_app.command("verify")
def audit_verify(
    head: Annotated[
        str | None,
        typer.Option(
            "--head", help="A head printed earlier (SEQ:HASH): detects a rewritten chain."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Recompute the chain; name the first entry altered, removed or inserted (exit 1)."""
    from ceasewatch.store import audit

    engine = _store(db, create=False)
    try:
        verdict = audit.verify(engine, head)
    except CeasewatchError as e:
        fail(str(e))
    finally:
        engine.dispose()
    if not verdict.ok:
        fail(f"audit chain broken: {verdict.problem}")
    out.print(f"[green]ok[/] {verdict.entries} entries, head {verdict.head or 'empty'}")


@db_app.command("backup")
def db_backup(
    file: Annotated[Path, typer.Argument(help="Where to write the copy.")],
    db: DbOption = None,
) -> None:
    """Copy the store consistently, even while the server runs (SQLite: the online
    backup API; PostgreSQL: pg_dump, custom format)."""
    from ceasewatch.store import backup
    from ceasewatch.store import db as store_db

    url = store_db.resolve_url(db, os.environ)
    if not store_db.exists(url):
        fail(f"no store at {url} — give --db URL (or set CEASEWATCH_DB)")
    try:
        written = backup.backup(url, file)
    except CeasewatchError as e:
        fail(str(e))
    out.print(f"backed up {url} to {written}")
