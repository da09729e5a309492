"""GET /map/incidents: the map's compact view holds the same incidents as the search,
each coloured by its most serious verdict, and never more than the caller may see."""

from __future__ import annotations

from typing import Any

from ceasewatch.store import search
from tests.server.conftest import World

P = "/api/v1"
RANK = {v: n for n, v in enumerate(search.VERDICT_ORDER)}


def _searched(w: World, who: str, **params: str) -> list[dict[str, Any]]:
    r = w.call(who, "GET", f"{P}/incidents", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    return list(r.json()["data"])


def _compact(w: World, who: str, **params: str) -> dict[str, Any]:
    r = w.call(who, "GET", f"{P}/map/incidents", params=params)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    n = body["count"]
    for col in ("id", "lat", "lon", "precision", "status", "start", "verdict"):
        assert len(body[col]) == n, col
    return body


def _worst_by_search(w: World, who: str) -> dict[str, str]:
    worst: dict[str, str] = {}
    for v in search.VERDICT_ORDER:
        for row in _searched(w, who, verdict=v):
            i = row["incident"]["id"]
            if i not in worst or RANK[v] < RANK[worst[i]]:
                worst[i] = v
    return worst


def test_the_compact_view_matches_the_search_column_by_column(world: World) -> None:
    for who in ("monitor", "public", "lia"):
        rows = _searched(world, who)
        body = _compact(world, who)
        assert body["id"] == [r["incident"]["id"] for r in rows]  # same rows, same order
        for k, r in enumerate(rows):
            loc = r["incident"]["location"]
            assert (body["lat"][k], body["lon"][k]) == (loc["lat"], loc["lon"])
            assert body["precisions"][body["precision"][k]] == loc["precision"]
            assert body["statuses"][body["status"][k]] == r["status"]
            assert body["start"][k] == r["incident"]["occurred"]["start"]
        worst = _worst_by_search(world, who)
        shown = {
            i: (body["verdicts"][v] if v is not None else None)
            for i, v in zip(body["id"], body["verdict"], strict=True)
        }
        assert shown == {i: worst.get(i) for i in body["id"]}
        assert any(v is not None for v in shown.values())


def test_a_standing_override_recolours_the_incident(sqlite_world: World) -> None:
    w = sqlite_world
    body = _compact(w, "monitor")
    k = next(k for k, v in enumerate(body["verdict"]) if v == RANK["violation"])
    iid = body["id"][k]
    findings = w.call("monitor", "GET", f"{P}/findings", params={"incident_id": iid}).json()
    for f in findings:
        if f["verdict"] == "violation":
            r = w.call(
                "monitor",
                "POST",
                f"{P}/findings/{f['finding']['id']}/override",
                json={"verdict": "exempt", "reason": "an operation against a listed group"},
            )
            assert r.status_code in (200, 201), r.text
    after = _compact(w, "monitor")
    assert after["verdict"][after["id"].index(iid)] != RANK["violation"]


def test_filters_apply_and_a_verdict_filter_colours_by_that_verdict(world: World) -> None:
    for params in ({"status": "proposed"}, {"verdict": "undetermined"}, {"q": "town"}):
        rows = _searched(world, "monitor", **params)
        body = _compact(world, "monitor", **params)
        assert body["id"] == [r["incident"]["id"] for r in rows], params
    body = _compact(world, "monitor", verdict="undetermined")
    assert body["count"] and set(body["verdict"]) == {RANK["undetermined"]}


def test_no_caller_receives_what_it_may_not_see(sqlite_world: World) -> None:
    w = sqlite_world
    public = w.call("public", "GET", f"{P}/map/incidents").text
    for secret in (w.gov_secret, w.reb_secret, "mon-proposed"):
        assert secret not in public
    gov = _compact(w, "lia")["id"]
    assert w.gov_secret in gov and w.reb_secret not in gov and "mon-proposed" not in gov
    monitor = _compact(w, "monitor")["id"]
    assert {w.gov_secret, w.reb_secret, "mon-proposed"} <= set(monitor)
