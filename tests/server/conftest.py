"""An app over a store on each engine (tests/engines.py), users of every role, and a
small world to call it on."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from ceasewatch.server.app import create_app
from ceasewatch.server.settings import Settings
from ceasewatch.store import db, users
from tests.engines import fresh_pg, pg_url_or_skip

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
MINIMAL = ROOT / "docs/examples/minimal"
NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
#: A source's personal name that the public must never receive.
WITNESS = "Rami Haddad, a witness"


@pytest.fixture
def sqlite_store(tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    path = tmp_path / "store.db"
    shutil.copy(sqlite_template, path)
    engine = db.connect(f"sqlite:///{path}")
    yield engine
    engine.dispose()


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(seconds=1)
        return self.now


def make_client(engine: Engine, **settings: Any) -> TestClient:
    app = create_app(
        Settings(
            db_url=engine.url.render_as_string(hide_password=False), clock=Clock(), **settings
        ),
        engine=engine,
    )
    return TestClient(app)


def minimal_files() -> dict[str, str]:
    """The example scenario's files, with a small gazetteer of the valley (written for
    these tests) so that POST /reports can place what it reads."""
    files = {
        p.name: p.read_text(encoding="utf-8")
        for p in MINIMAL.iterdir()
        if p.suffix in (".yaml", ".geojson")
    }
    files["scenario.yaml"] = files["scenario.yaml"].replace(
        "  routes: routes.geojson", "  routes: routes.geojson\n  gazetteer: gazetteer.tsv", 1
    )
    assert "gazetteer: gazetteer.tsv" in files["scenario.yaml"]
    files["gazetteer.tsv"] = (HERE / "valley-gazetteer.tsv").read_text(encoding="utf-8")
    return files


def minimal_incidents() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = json.loads((MINIMAL / "incidents.json").read_text("utf-8"))
    return records


class World:
    """A seeded store: the example agreement, users of every role, and incidents —
    published ones, one proposed by each party's liaison, one with a named witness."""

    gov_secret = "gov-secret-claim"
    reb_secret = "reb-secret-claim"

    def __init__(self, engine: Engine, tokens: dict[str, str] | None = None) -> None:
        self.engine = engine
        self.client = make_client(engine)
        self.tokens: dict[str, str] = dict(tokens or {})
        if tokens is None:
            self.seed()

    def seed(self) -> None:
        engine = self.engine
        for name, role, party in (
            ("ada", "admin", None),
            ("mo", "monitor", None),
            ("ana", "analyst", None),
            ("lia", "liaison", "gov"),
            ("reb", "liaison", "rebels"),
        ):
            _, token = users.add(engine, name, role, party, actor="cli:test", now=NOW)
            self.tokens[name] = token
        self.tokens["liaison"] = self.tokens["lia"]
        for role, name in (("admin", "ada"), ("monitor", "mo"), ("analyst", "ana")):
            self.tokens[role] = self.tokens[name]
        r = self.call("monitor", "POST", "/api/v1/agreements", json={"files": minimal_files()})
        assert r.status_code == 201, r.text
        for rec in minimal_incidents():
            rec = dict(rec, status="published")
            if rec["id"] == "ex-air-town":
                rec["sources"] = [
                    {"document_id": "doc-1", "publisher": "Valley Post", "attributed_to": WITNESS}
                ]
            r = self.call("monitor", "POST", "/api/v1/incidents", json=rec)
            assert r.status_code == 201, r.text
        # each liaison proposes one incident of its own
        self.propose("lia", self.gov_secret)
        self.propose("reb", self.reb_secret)
        r = self.call(
            "monitor",
            "POST",
            "/api/v1/incidents",
            json=dict(minimal_incidents()[1], id="mon-proposed", status="proposed"),
        )
        assert r.status_code == 201, r.text

    def headers(self, who: str) -> dict[str, str]:
        if who == "public":
            return {}
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def call(self, who: str, method: str, url: str, **kw: Any) -> Any:
        return self.client.request(method, url, headers=self.headers(who), **kw)

    def propose(self, who: str, incident_id: str) -> str:
        rec = dict(minimal_incidents()[2], id=incident_id, status="published")
        r = self.call(who, "POST", "/api/v1/incidents", json=rec)
        assert r.status_code == 201, r.text
        assert r.json()["status"] == "proposed"  # a liaison cannot publish
        return incident_id


@pytest.fixture(scope="session")
def seeded_pg(worker_id: str) -> tuple[str, dict[str, str]]:
    """A seeded PostgreSQL database per worker, made once: tests get clones of it."""
    base = pg_url_or_skip()
    name = f"{make_url(base).database}_{worker_id}_seed"
    engine = db.open_store(fresh_pg(base, name))
    w = World(engine)
    engine.dispose()
    return name, w.tokens


@pytest.fixture(params=["sqlite", "postgresql"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    """The seeded world on each engine, a fresh copy for every test."""
    if request.param == "sqlite":
        yield request.getfixturevalue("sqlite_world")
        return
    template, tokens = request.getfixturevalue("seeded_pg")
    base = pg_url_or_skip()
    url = fresh_pg(base, f"{template[: -len('_seed')]}_t", template=template)
    engine = db.connect(url)
    yield World(engine, tokens)
    engine.dispose()


@pytest.fixture(scope="session")
def seeded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A seeded SQLite store, made once; tests get a copy."""
    path = tmp_path_factory.mktemp("seeded") / "store.db"
    engine = db.open_store(f"sqlite:///{path}")
    w = World(engine)
    engine.dispose()
    return path, w.tokens


@pytest.fixture
def sqlite_world(tmp_path: Path, seeded_sqlite: tuple[Path, dict[str, str]]) -> Iterator[World]:
    src, tokens = seeded_sqlite
    path = tmp_path / "store.db"
    with sqlite3.connect(src) as a, sqlite3.connect(path) as b:
        a.backup(b)
    engine = db.connect(f"sqlite:///{path}")
    yield World(engine, tokens)
    engine.dispose()
