"""The dashboard's pages and data, over HTTP (no browser): what is served, to whom, with
which headers — and that no page carries data or refers to anything off the server."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from ceasewatch.agreement import sources
from ceasewatch.dashboard import plain, vendor
from ceasewatch.dashboard.router import PAGES, csp
from ceasewatch.dashboard.settings import DashboardSettings
from ceasewatch.incidents.vocab import PRECISION_RADIUS_M
from ceasewatch.server.app import create_app
from ceasewatch.server.settings import Settings
from ceasewatch.store import db, users

ROOT = Path(__file__).resolve().parents[2]
MINIMAL = ROOT / "docs/examples/minimal"
DASHBOARD = ROOT / "src/ceasewatch/dashboard"
NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
#: The one http(s) string our own files may hold: SVG's XML namespace (a name, not a load).
SVG_NS = "http://www.w3.org/2000/svg"


class World:
    def __init__(self, client: TestClient, monitor: str) -> None:
        self.client = client
        self.monitor = {"Authorization": f"Bearer {monitor}"}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = db.open_store(url)
    _, token = users.add(engine, "mona", "monitor", None, actor="cli:test", now=NOW)
    app = create_app(Settings(db_url=url, clock=lambda: NOW), engine=engine)
    with TestClient(app) as client:
        w = World(client, token)
        files = {
            p.name: p.read_text("utf-8")
            for p in MINIMAL.iterdir()
            if p.suffix in (".yaml", ".geojson")
        }
        r = client.post("/api/v1/agreements", json={"files": files}, headers=w.monitor)
        assert r.status_code == 201, r.text
        record: dict[str, Any] = json.loads((MINIMAL / "incidents.json").read_text("utf-8"))[0]
        record = dict(record, id="unpublished-secret-record", status="proposed")
        r = client.post("/api/v1/incidents", json=record, headers=w.monitor)
        assert r.status_code == 201, r.text
        yield w
    engine.dispose()


@pytest.mark.parametrize("path", [f"/dashboard{p}" for p in PAGES])
def test_every_page_is_html_with_a_strict_policy_and_no_data(world: World, path: str) -> None:
    for headers in ({}, world.monitor):
        r = world.client.get(path, headers=headers)
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/html")
        policy = r.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "unpublished-secret-record" not in r.text
        assert re.findall(r"https?://", r.text) == []


def test_the_root_leads_to_the_map(world: World) -> None:
    r = world.client.get("/", follow_redirects=False)
    assert r.status_code == 307
    assert r.headers["location"] == "/dashboard/"


def test_the_dashboard_is_not_part_of_the_api_document(world: World) -> None:
    paths = world.client.get("/openapi.json").json()["paths"]
    assert paths
    assert not [p for p in paths if not p.startswith("/api/v1/")]


def test_agreements_come_in_plain_language_with_their_layers(world: World) -> None:
    got = world.client.get("/dashboard/data/agreements.json").json()["agreements"]
    scenario = sources.load_path(MINIMAL)
    assert [a["id"] for a in got] == [a.id for a in scenario.agreements]
    for view, agreement in zip(got, scenario.agreements, strict=True):
        assert [r["plain"] for r in view["rules"]] == [
            plain.rule_text(r, agreement.world) for r in agreement.rules
        ]
        assert set(view["layers"]) == {"zones", "routes"}  # what its scenario.yaml names
        for name, url in view["layers"].items():
            r = world.client.get(url)
            assert r.status_code == 200
            assert r.headers["content-type"].startswith("application/geo+json")
            assert r.json() == json.loads((MINIMAL / f"{name}.geojson").read_text("utf-8"))


def test_an_agreement_with_no_zones_has_no_zone_layer_and_its_map_data_comes(
    world: World, tmp_path: Path
) -> None:
    from tests.reports.test_daily import no_zones_example

    folder = no_zones_example(tmp_path)
    files = {
        p.name: p.read_text("utf-8") for p in folder.iterdir() if p.suffix in (".yaml", ".geojson")
    }
    files["scenario.yaml"] = files["scenario.yaml"].replace("id: example-valley", "id: nozones")
    files["truce.yaml"] = files["truce.yaml"].replace("id: valley-truce", "id: nozones-truce")
    r = world.client.post("/api/v1/agreements", json={"files": files}, headers=world.monitor)
    assert r.status_code == 201, r.text
    aid = "nozones-truce"
    views = {
        a["id"]: a for a in world.client.get("/dashboard/data/agreements.json").json()["agreements"]
    }
    assert views[aid]["zones"] == [] and "zones" not in views[aid]["layers"]
    assert world.client.get(f"/dashboard/data/layers/{aid}/zones.geojson").status_code == 404
    body = world.client.get(
        "/api/v1/map/incidents", params={"agreement": aid}, headers=world.monitor
    ).json()
    assert body["count"] == len(body["id"]) > 0


def test_a_missing_layer_or_agreement_is_a_404_in_the_error_shape(world: World) -> None:
    agreement = world.client.get("/dashboard/data/agreements.json").json()["agreements"][0]
    for url in (
        f"/dashboard/data/layers/{agreement['id']}/admin1.geojson",  # the scenario has none
        "/dashboard/data/layers/no-such-agreement/zones.geojson",
    ):
        r = world.client.get(url)
        assert r.status_code == 404
        body = r.json()
        assert body["ok"] is False and body["status"] == 404 and body["error"]
    assert (
        world.client.get(f"/dashboard/data/layers/{agreement['id']}/x.geojson").status_code == 422
    )


def test_the_vocabularies_carry_the_precision_radii(world: World) -> None:
    got = world.client.get("/dashboard/data/vocab.json").json()
    for name, radius in PRECISION_RADIUS_M.items():
        assert got["precision_radius_m"][name] == (None if radius == float("inf") else radius)
    assert set(got["verdicts"]) == {"violation", "undetermined", "exempt", "not_applicable"}


def test_a_tile_url_is_off_by_default_and_allowed_by_the_policy_when_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert DashboardSettings.from_env({}).tile_url is None
    monkeypatch.setenv("CEASEWATCH_TILE_URL", "https://tiles.example.org/{z}/{x}/{y}.png")
    monkeypatch.setenv("CEASEWATCH_TILE_ATTRIBUTION", "<b>Tiles</b> by someone")
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = db.open_store(url)
    with TestClient(create_app(Settings(db_url=url), engine=engine)) as client:
        r = client.get("/dashboard/")
    engine.dispose()
    assert "img-src 'self' data: https://tiles.example.org" in r.headers["content-security-policy"]
    assert 'data-tiles="https://tiles.example.org/{z}/{x}/{y}.png"' in r.text
    assert "&lt;b&gt;Tiles&lt;/b&gt; by someone" in r.text  # escaped like everything else


@pytest.mark.parametrize(
    "bad", ["ftp://tiles.example/{z}/{x}/{y}.png", "https://tiles.example/{z}/{x}.png", "tiles"]
)
def test_a_bad_tile_url_is_refused_with_what_to_write(bad: str) -> None:
    with pytest.raises(ValueError, match=r"\{y\}|https?"):
        DashboardSettings(tile_url=bad)


def test_the_policy_names_no_other_origin_without_tiles() -> None:
    assert re.findall(r"https?:", csp(DashboardSettings())) == []


def test_pages_say_what_to_do_when_the_libraries_are_not_built(
    world: World, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert vendor.manifest(tmp_path) is None
    monkeypatch.setattr(vendor, "manifest", lambda root=vendor.VENDOR: None)
    r = world.client.get("/dashboard/")
    assert "make vendor" in r.text and 'role="alert"' in r.text


def test_our_own_files_refer_to_nothing_off_the_server() -> None:
    files = [
        *DASHBOARD.glob("templates/*"),
        *DASHBOARD.glob("static/js/*"),
        *DASHBOARD.glob("static/css/*"),
    ]
    assert len(files) > 5
    for f in files:
        text = f.read_text("utf-8")
        found = set(re.findall(r"https?://[^\s\"'`)]*", text)) - {SVG_NS}
        assert not found, f"{f.name} refers to {found}"
        assert "//cdn" not in text and "@import" not in text


def test_vendored_styles_load_nothing_from_elsewhere() -> None:
    if vendor.manifest() is None:
        pytest.skip("the vendored libraries are not built: run `make vendor`")
    for css in vendor.VENDOR.rglob("*.css"):
        text = css.read_text("utf-8")
        assert not re.findall(r"url\(\s*['\"]?(?:https?:)?//", text), css
        assert "@import" not in text
