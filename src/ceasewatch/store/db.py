"""Where the store is, opening it, and keeping its schema current (Alembic).

The address, for every command that uses one: ``--db URL``, else the ``CEASEWATCH_DB``
environment variable, else ``sqlite:///ceasewatch.db`` in the current folder. A plain
file path (no ``://``) names an SQLite file: ``--db monitors.db`` is
``sqlite:///monitors.db``.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from ceasewatch.errors import UsageError

DEFAULT_URL = "sqlite:///ceasewatch.db"
ENV_VAR = "CEASEWATCH_DB"
MIGRATIONS = Path(__file__).parent / "migrations"
#: how much of an SQLite store is read through memory mapping (SQLite caps it at its
#: compile-time maximum, 2 GiB by default)
MMAP_BYTES = 1 << 31


def resolve_url(option: str | None, environ: Mapping[str, str]) -> str:
    """The store's URL: the option, else the environment variable, else the default.

    >>> resolve_url(None, {})
    'sqlite:///ceasewatch.db'
    >>> resolve_url(None, {"CEASEWATCH_DB": "sqlite:///x.db"})
    'sqlite:///x.db'
    >>> resolve_url("sqlite:///y.db", {"CEASEWATCH_DB": "sqlite:///x.db"})
    'sqlite:///y.db'

    A plain path is an SQLite file, as in sqlite3 and datasette:

    >>> resolve_url("stores/monitors.db", {})
    'sqlite:///stores/monitors.db'
    >>> resolve_url("/srv/cw.db", {})
    'sqlite:////srv/cw.db'
    """
    return as_url(option or environ.get(ENV_VAR) or DEFAULT_URL)


def as_url(value: str) -> str:
    """``value`` as a database URL: a URL as it is, a file path as an SQLite URL.

    >>> as_url("postgresql+psycopg://u@h/db")
    'postgresql+psycopg://u@h/db'
    >>> as_url("x.db")
    'sqlite:///x.db'
    """
    return value if "://" in value or value.startswith("sqlite:") else f"sqlite:///{value}"


def exists(url: str) -> bool:
    """Whether a store is already there: an SQLite file that exists, or any server URL.

    >>> exists("sqlite:////no/such/folder/x.db")
    False
    >>> exists("postgresql+psycopg://u@h/db")
    True
    """
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    if parsed.get_backend_name() != "sqlite":
        return True
    database = parsed.database
    return bool(database) and database != ":memory:" and Path(database or "").is_file()


def connect(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL and foreign keys on."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise UsageError(
            f"{url!r} is not a database URL — write e.g. sqlite:///ceasewatch.db or "
            "postgresql+psycopg://user@host/db"
        ) from None
    # PostgreSQL: keep up to 10 connections open between requests (SQLAlchemy keeps 5 and
    # closes the rest after each use; a new one costs ~20-40 ms — the server process
    # forks and loads PostGIS — just when requests are piling up)
    pool = (
        {"pool_size": 10, "max_overflow": 30} if parsed.get_backend_name() == "postgresql" else {}
    )
    try:
        engine = create_engine(parsed, **pool)
    except NoSuchModuleError:
        raise UsageError(
            f"{url!r}: unknown database kind {parsed.drivername!r} — ceasewatch stores in "
            "sqlite:///FILE.db (the default) or postgresql+psycopg://user@host/db"
        ) from None
    except ImportError as e:
        raise UsageError(
            f"{url!r} needs the Python driver {e.name or parsed.drivername!r}, which is not "
            "installed — for PostgreSQL run: pip install 'psycopg[binary]' and write the URL "
            "as postgresql+psycopg://user@host/db"
        ) from None
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            folder = Path(database).parent
            if not folder.exists():
                raise UsageError(
                    f"folder {folder} for the SQLite file does not exist — create it first"
                )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_connection.cursor()
            if database and database != ":memory:":
                cur.execute("PRAGMA journal_mode=WAL")
                # read the file through memory mapping, not a read() call per page: a
                # search at 1,000,000 incidents touches hundreds of pages, and the calls
                # were most of its time (docs/api.md, Performance)
                cur.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

    elif parsed.get_backend_name() == "postgresql":

        @event.listens_for(engine, "connect")
        def _cursor_plans(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            # searches stream through a server-side cursor, which PostgreSQL plans for the
            # first 10 % of rows by default: for a bounding box in an empty desert that
            # plan walks the date index over the whole table (seconds) instead of the
            # spatial index (milliseconds). Plan cursors for all their rows, as queries.
            cur = dbapi_connection.cursor()
            cur.execute("SET cursor_tuple_fraction = 1.0")
            cur.close()
            dbapi_connection.commit()

    return engine


def reading(engine: Engine) -> Connection:
    """A connection for reads of one statement each (a search, a single read): on
    PostgreSQL without a transaction around them, so no ``BEGIN`` and ``ROLLBACK`` round
    trips (a statement sees one snapshot either way); SQLite's driver opens none for a
    read anyway."""
    conn = engine.connect()
    if engine.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
    return conn


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


def open_store(url: str) -> Engine:
    """Connect and bring the schema up to date; unreachable servers give a clear error."""
    engine = connect(url)
    try:
        upgrade(engine)
    except OperationalError as e:
        engine.dispose()
        raise UsageError(
            f"cannot open the store at {url}: {e.orig} — check the URL, that the server "
            "runs and that you may write there"
        ) from None
    return engine


#: SQLite's R*Tree of incident points (migration 0005) and its shadow tables.
RTREE = "incidents_rtree"


def tables(engine: Engine) -> list[str]:
    """The store's tables (the R*Tree's own ``incidents_rtree*`` left out: an index)."""
    return sorted(n for n in inspect(engine).get_table_names() if not n.startswith(RTREE))
