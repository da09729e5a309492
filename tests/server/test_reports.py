"""POST /reports: an article in, its incidents stored `proposed` in the review queue,
read with the stored agreement's actors and gazetteer (tests/server/valley-gazetteer.tsv).

The articles are written for these tests; no news text is copied."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from ceasewatch.server.services import reports
from ceasewatch.store import db, users
from tests.server.conftest import MINIMAL, NOW, World, make_client

P = "/api/v1"
#: Two events with their places, perpetrators and tolls; relative dates.
ARTICLE = (
    "Government jets bombed the North Bank on Monday, killing at least three civilians, "
    "a witness said.\n"
    "Rebels shelled the South Bank on Tuesday, the monitors reported."
)


def report(world: World, who: str, **body: Any) -> Any:
    return world.call(who, "POST", f"{P}/reports", json=body)


def test_an_article_comes_back_as_proposed_incidents_in_the_review_queue(world: World) -> None:
    r = report(world, "monitor", text=ARTICLE, published="2024-05-08", publisher="Valley Post")
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["count"] == 2 and out["skipped_reason"] is None
    assert out["scenario_id"] == "example-valley"
    by_type = {x["incident"]["sub_event_type"]: x for x in out["data"]}
    air = by_type["Air/drone strike"]["incident"]
    shell = by_type["Shelling/artillery/missile attack"]["incident"]
    assert air["occurred"]["start"] == "2024-05-06"  # "Monday" before the 8th
    assert air["location"]["name"].startswith("North Bank")
    assert air["perpetrator"]["actor"] == "gov" and air["fatalities"]["low"] == 3
    assert shell["perpetrator"]["actor"] == "rebels"
    assert shell["location"]["name"].startswith("South Bank")
    for x in out["data"]:
        assert x["status"] == "proposed" and x["incident"]["status"] == "proposed"
        assert x["incident"]["submitted_by"] == "user:mo"
        assert x["created_by"] == "user:mo" and x["owner_party"] is None
        src = x["incident"]["sources"][0]
        assert src["document_id"] == out["article_id"] and src["publisher"] == "Valley Post"
    new = {x["incident"]["id"] for x in out["data"]}
    queue = {
        x["incident"]["id"] for x in world.call("monitor", "GET", f"{P}/review").json()["data"]
    }
    assert new <= queue
    # stored: read back, findings computed, audited
    for iid in new:
        assert world.call("monitor", "GET", f"{P}/incidents/{iid}").status_code == 200
        history = world.call("monitor", "GET", f"{P}/incidents/{iid}/history").json()
        assert [e["action"] for e in history] == ["report.extract"]
        assert history[0]["actor"] == "user:mo"
    found = world.call("monitor", "GET", f"{P}/findings", params={"incident_id": air["id"]})
    assert found.json(), "the proposed incident's findings were not computed"
    assert world.call("admin", "GET", f"{P}/audit/verify").json()["ok"]
    # nothing of it reaches the public until a monitor publishes it
    for iid in new:
        assert world.call("public", "GET", f"{P}/incidents/{iid}").status_code == 404


def test_a_liaisons_report_belongs_to_its_party_and_is_seen_per_roles(
    sqlite_world: World,
) -> None:
    w = sqlite_world
    r = report(w, "lia", text=ARTICLE, published="2024-05-08")
    assert r.status_code == 201, r.text
    rows = r.json()["data"]
    assert rows and all(x["owner_party"] == "gov" for x in rows)
    assert all(x["incident"]["submitted_by"] == "user:lia" for x in rows)
    iid = rows[0]["incident"]["id"]
    assert w.call("lia", "GET", f"{P}/incidents/{iid}").status_code == 200
    assert w.call("monitor", "GET", f"{P}/incidents/{iid}").status_code == 200
    assert w.call("reb", "GET", f"{P}/incidents/{iid}").status_code == 404
    assert w.call("public", "GET", f"{P}/incidents/{iid}").status_code == 404
    # the other party's liaison sending the same article gets its own copies, never a 409
    # that would tell it the first party's submission exists
    r2 = report(w, "reb", text=ARTICLE, published="2024-05-08")
    assert r2.status_code == 201, r2.text
    assert {x["owner_party"] for x in r2.json()["data"]} == {"rebels"}
    assert r2.json()["article_id"] != r.json()["article_id"]
    # the same sender sending it again: 409 with the incident that exists
    again = report(w, "lia", text=ARTICLE, published="2024-05-08")
    assert again.status_code == 409 and again.json()["ok"] is False
    assert again.json()["current"]["id"] in {x["incident"]["id"] for x in rows}


def test_an_article_not_in_english_is_skipped_with_the_reason(sqlite_world: World) -> None:
    text = "Les rebelles ont bombardé la rive sud lundi, selon des témoins sur place."
    head = sqlite_world.call("admin", "GET", f"{P}/audit/head").json()["head"]
    r = report(sqlite_world, "monitor", text=text, published="2024-05-08")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["skipped_reason"] == "language: fr"
    assert out["data"] == [] and out["count"] == 0
    assert sqlite_world.call("admin", "GET", f"{P}/audit/head").json()["head"] == head


def test_an_empty_article_is_a_422_in_the_error_shape(sqlite_world: World) -> None:
    for text in ("", "   \n\t "):
        r = report(sqlite_world, "monitor", text=text)
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["ok"] is False and body["status"] == 422
        assert any("text" in e for e in body["errors"]), body


def test_events_without_a_date_come_back_unresolved_and_are_not_stored(
    sqlite_world: World,
) -> None:
    r = report(sqlite_world, "monitor", text="Rebels shelled the South Bank.")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["data"] == []
    [u] = out["unresolved"]
    assert "date" in u["reason"]
    assert u["draft"]["perpetrator"]["actor"] == "rebels"
    assert (
        sqlite_world.call("monitor", "GET", f"{P}/incidents/{u['draft']['id']}").status_code == 404
    )


def test_an_unknown_agreement_is_404(sqlite_world: World) -> None:
    r = report(sqlite_world, "monitor", text=ARTICLE, agreement="no-such-truce")
    assert r.status_code == 404 and r.json()["ok"] is False


def test_a_scenario_without_a_gazetteer_is_a_503_that_says_what_to_do(
    sqlite_store: Engine,
) -> None:
    _, token = users.add(sqlite_store, "mo", "monitor", None, actor="cli:test", now=NOW)
    client = make_client(sqlite_store)
    auth = {"Authorization": f"Bearer {token}"}
    files = {
        p.name: p.read_text(encoding="utf-8")
        for p in MINIMAL.iterdir()
        if p.suffix in (".yaml", ".geojson")
    }
    assert client.post(f"{P}/agreements", json={"files": files}, headers=auth).status_code == 201
    r = client.post(f"{P}/reports", json={"text": ARTICLE}, headers=auth)
    assert r.status_code == 503
    assert "gazetteer" in r.json()["error"] and "geography" in r.json()["error"]


def test_the_pipeline_is_built_once_per_scenario_and_not_at_app_start(
    sqlite_world: World,
) -> None:
    key, scenario = reports.report_scenario(sqlite_world.engine, None)
    report(sqlite_world, "monitor", text=ARTICLE, published="2024-05-08")
    first = reports.EXTRACTORS.get(key, scenario)
    report(sqlite_world, "monitor", text="Rebels shelled the South Bank on Sunday.")
    assert reports.EXTRACTORS.get(key, scenario) is first


def test_app_start_does_not_build_a_pipeline(tmp_path: Any) -> None:
    before = dict(reports.EXTRACTORS.items)
    engine = db.open_store(f"sqlite:///{tmp_path / 's.db'}")
    make_client(engine).get(f"{P}/health")
    assert reports.EXTRACTORS.items == before
    engine.dispose()
