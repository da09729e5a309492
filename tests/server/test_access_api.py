"""/access over HTTP: monitors record convoys, liaisons report updates and constraints,
refused writes (out of order, unknown convoy, no offset) change nothing, and the status
and the map layer say which routes are open, closed or unknown, with why."""

from __future__ import annotations

from typing import Any

from tests.server.conftest import World

P = "/api/v1"


def _convoy(convoy_id: str = "c1") -> dict[str, Any]:
    return {
        "id": convoy_id,
        "agency": "WFP",
        "origin": "south bank",
        "destination": "north town",
        "route": "river-road",
        "cargo": "flour",
        "events": [{"status": "cleared", "at": "2024-05-02T09:00:00-01:00", "evidence": "letter"}],
    }


def _head(w: World) -> Any:
    return w.call("admin", "GET", f"{P}/audit/head").json()["head"]


def test_monitors_record_and_liaisons_report_each_audited(sqlite_world: World) -> None:
    w = sqlite_world
    assert w.call("lia", "POST", f"{P}/access/convoys", json=_convoy()).status_code == 403
    r = w.call("monitor", "POST", f"{P}/access/convoys", json=_convoy())
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "cleared"
    r = w.call(
        "lia",
        "POST",
        f"{P}/access/convoys/c1/updates",
        json={"status": "at_checkpoint", "at": "2024-05-02T11:00:00-01:00", "evidence": "radio"},
    )
    assert r.status_code == 201, r.text
    assert [e["status"] for e in r.json()["events"]] == ["cleared", "at_checkpoint"]
    audit = w.call("admin", "GET", f"{P}/audit").json()
    rows = audit["data"] if isinstance(audit, dict) else audit
    mine = [(e["action"], e["actor"]) for e in rows if e["entity"] == "convoy"]
    assert ("convoy.add", "user:mo") in mine and ("convoy.update", "user:lia") in mine


def test_refused_updates_change_nothing(sqlite_world: World) -> None:
    w = sqlite_world
    assert w.call("monitor", "POST", f"{P}/access/convoys", json=_convoy()).status_code == 201
    head = _head(w)
    early = {"status": "waiting", "at": "2024-05-02T08:00:00-01:00", "evidence": "radio"}
    r = w.call("monitor", "POST", f"{P}/access/convoys/c1/updates", json=early)
    assert r.status_code == 409 and "before the last one" in r.json()["error"]
    r = w.call("monitor", "POST", f"{P}/access/convoys/ghost/updates", json=early)
    assert r.status_code == 404 and "no convoy 'ghost'" in r.json()["error"]
    naive = dict(early, at="2024-05-03T08:00:00")
    r = w.call("monitor", "POST", f"{P}/access/convoys/c1/updates", json=naive)
    assert r.status_code == 422 and "UTC offset" in r.text
    assert w.call("monitor", "POST", f"{P}/access/convoys", json=_convoy()).status_code == 409
    assert _head(w) == head
    [c] = w.call("monitor", "GET", f"{P}/access/convoys").json()["data"]
    assert len(c["events"]) == 1


def test_status_and_map_layer_follow_a_reported_constraint(sqlite_world: World) -> None:
    w = sqlite_world
    day = "2024-05-03"
    before = w.call("public", "GET", f"{P}/access/routes.geojson?date={day}").json()
    [road] = before["features"]
    assert road["properties"]["status"] in ("open", "unknown")
    k = {
        "id": "barrier",
        "category": "movement_restrictions",
        "description": "a barrier across the road",
        "start": day,
        "end": day,
        "routes": ["river-road"],
        "evidence": "liaison report",
    }
    assert w.call("lia", "POST", f"{P}/access/constraints", json=k).status_code == 201
    after = w.call("public", "GET", f"{P}/access/routes.geojson?date={day}").json()
    [road] = after["features"]
    assert road["properties"]["status"] == "closed"
    assert any("barrier" in why for why in road["properties"]["why"])
    status = w.call("analyst", "GET", f"{P}/access/status?date={day}").json()
    [a] = status["agreements"]
    [route] = [s for s in a["statuses"] if s["id"] == "river-road"]
    assert route["status"] == "closed"
    nextday = w.call("analyst", "GET", f"{P}/access/status?date=2024-05-04").json()
    [route] = [s for s in nextday["agreements"][0]["statuses"] if s["id"] == "river-road"]
    assert route["status"] != "closed" or not any("barrier" in x for x in route["why"])


def test_an_upload_with_a_crossing_route_or_a_window_without_timezone_stores_nothing(
    sqlite_world: World,
) -> None:
    from tests.access.conftest import files

    w = sqlite_world
    held = files()
    held["truce.yaml"] = held["truce.yaml"].replace("version: 1", "version: 2")
    crossing = dict(held)
    crossing["routes.geojson"] = held["routes.geojson"].replace(
        "[[-30.09, 0.03], [-29.96, 0.03]]",
        "[[-30.09, 0.03], [-29.96, 0.03], [-29.96, 0.04], [-30.0, 0.02]]",
    )
    no_tz = dict(held)
    no_tz["truce.yaml"] = held["truce.yaml"].replace(" Atlantic/Cape_Verde\n", "\n")
    head = _head(w)
    before = w.call("admin", "GET", f"{P}/agreements/valley-truce").json()
    for bad, wanted in ((crossing, "crosses itself"), (no_tz, "has no timezone")):
        r = w.call("monitor", "POST", f"{P}/agreements", json={"files": bad})
        assert r.status_code == 422 and wanted in r.text, r.text
    assert _head(w) == head
    assert w.call("admin", "GET", f"{P}/agreements/valley-truce").json() == before
