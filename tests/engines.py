"""The store on both engines, for store and server tests.

SQLite always; PostgreSQL + PostGIS when ``CEASEWATCH_TEST_PG`` names a database where
``CREATE EXTENSION postgis`` is allowed (skipped with the reason when unset, failed when
CI=true). Each xdist worker gets its own PostgreSQL database, made beside that one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from ceasewatch.store import db
from ceasewatch.store import tables as t

PG_ENV = "CEASEWATCH_TEST_PG"


def pg_url_or_skip() -> str:
    url = os.environ.get(PG_ENV)
    if not url:
        reason = f"{PG_ENV} is unset: the PostgreSQL + PostGIS suite needs a server"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: make test must start one and set it)")
        pytest.skip(reason)
    return url


def fresh_pg(base_url: str, name: str, template: str | None = None) -> str:
    """(Re)create database ``name`` beside the one ``base_url`` names; its URL."""
    url = make_url(base_url)
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        like = f' TEMPLATE "{template}"' if template else ""
        conn.execute(text(f'CREATE DATABASE "{name}"{like}'))
    admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _worker_pg(base_url: str, worker: str) -> str:
    return fresh_pg(base_url, f"{make_url(base_url).database}_{worker}")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "store.db"
    engine = db.open_store(f"sqlite:///{path}")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def pg_engine(worker_id: str) -> Iterator[Engine]:
    url = _worker_pg(pg_url_or_skip(), worker_id)
    engine = db.open_store(url)
    yield engine
    engine.dispose()


def _clean_pg(engine: Engine) -> None:
    names = ", ".join(reversed([tab.name for tab in t.metadata.sorted_tables]))
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path
) -> Iterator[Engine]:
    """An empty, migrated store on each engine."""
    if request.param == "sqlite":
        path = tmp_path / "store.db"
        shutil.copy(sqlite_template, path)
        engine = db.connect(f"sqlite:///{path}")
        yield engine
        engine.dispose()
    else:
        engine = request.getfixturevalue("pg_engine")
        _clean_pg(engine)
        yield engine
