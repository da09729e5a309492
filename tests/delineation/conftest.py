"""A store with the syria-2016 spec, a liaison of each side, and one strike in the
disputed area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from ceasewatch.store import db, users
from tests.delineation.fixtures import STRIKE, syria_files
from tests.engines import fresh_pg, pg_url_or_skip
from tests.server.conftest import NOW, World

#: name -> (role, party)
PEOPLE = {
    "ada": ("admin", None),
    "mo": ("monitor", None),
    "ana": ("analyst", None),
    "usl": ("liaison", "us-coalition"),
    "rul": ("liaison", "ru"),
    "opl": ("liaison", "opposition"),
}


def _seed(engine: Engine) -> dict[str, str]:
    tokens = {}
    for name, (role, party) in PEOPLE.items():
        _, tokens[name] = users.add(engine, name, role, party, actor="cli:test", now=NOW)
    w = World(engine, tokens)
    r = w.call("mo", "POST", "/api/v1/agreements", json={"files": syria_files()})
    assert r.status_code == 201, r.text
    r = w.call("mo", "POST", "/api/v1/incidents", json=STRIKE)
    assert r.status_code == 201, r.text
    return tokens


@pytest.fixture(scope="session")
def syria_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    path = tmp_path_factory.mktemp("syria") / "store.db"
    engine = db.open_store(f"sqlite:///{path}")
    tokens = _seed(engine)
    engine.dispose()
    return path, tokens


@pytest.fixture
def syria_pg(worker_id: str) -> Iterator[World]:
    """The same store on PostgreSQL (skips without CEASEWATCH_TEST_PG)."""
    base = pg_url_or_skip()
    engine = db.open_store(fresh_pg(base, f"{make_url(base).database}_{worker_id}_delin"))
    tokens = _seed(engine)
    yield World(engine, tokens)
    engine.dispose()


@pytest.fixture
def syria(tmp_path: Path, syria_template: tuple[Path, dict[str, str]]) -> Iterator[World]:
    import sqlite3

    src, tokens = syria_template
    path = tmp_path / "store.db"
    with sqlite3.connect(src) as a, sqlite3.connect(path) as b:
        a.backup(b)
    engine = db.connect(f"sqlite:///{path}")
    yield World(engine, tokens)
    engine.dispose()
