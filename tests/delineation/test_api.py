"""Two-party approval over HTTP, on the syria-2016 spec: who may sign, what is stale,
what the store and the audit chain keep, and the verdict that changes with the map."""

from __future__ import annotations

from typing import Any

import pytest

from tests.delineation.fixtures import REPLACES, SUBJECT, drawn
from tests.server.conftest import World

A = "sep-2016-arrangement"
URL = f"/api/v1/agreements/{A}/delineations"


def _propose(w: World, who: str, name: str, **extra: Any) -> Any:
    body = {
        "subject": SUBJECT,
        "zone_type": "marbled",
        "replaces": REPLACES,
        "features": drawn(name),
    }
    return w.call(who, "POST", URL, json=body | extra)


def _no_fly(w: World) -> dict[str, Any]:
    r = w.call(
        "mo",
        "GET",
        "/api/v1/findings",
        params={"incident_id": "test-1070-strike", "agreement_id": A},
    )
    found: dict[str, Any] = next(
        x["finding"] for x in r.json() if x["finding"]["rule_id"] == "no-fly"
    )
    return found


def _head(w: World) -> str:
    return str(w.call("ada", "GET", "/api/v1/audit/head").json()["head"])


def _dispute(w: World) -> None:
    r = _propose(w, "usl", "us")
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "proposed" and r.json()["signed"] == ["us-coalition"]
    r = _propose(w, "rul", "ru", answers=1)
    assert r.status_code == 201, r.text


def test_a_proposal_cannot_activate_itself(syria: World) -> None:
    r = _propose(syria, "usl", "us")
    assert r.json()["status"] == "proposed" and r.json()["missing"] == ["ru"]
    r = syria.call("usl", "POST", f"{URL}/1/approve")
    assert r.status_code == 409 and r.json()["ok"] is False
    assert "signed v1 already" in r.json()["error"]
    assert syria.call("mo", "GET", URL).json()["map_version"] is None


@pytest.mark.parametrize("who", ["ada", "mo", "ana", "public"])
def test_approval_by_a_role_other_than_liaison_is_refused(syria: World, who: str) -> None:
    _propose(syria, "usl", "us")
    head = _head(syria)
    r = syria.call(who, "POST", f"{URL}/1/approve")
    assert r.status_code == (401 if who == "public" else 403)
    assert r.json()["ok"] is False and r.json()["status"] == r.status_code
    assert _head(syria) == head


def test_approval_by_a_party_that_is_not_an_approver_is_forbidden(syria: World) -> None:
    _propose(syria, "usl", "us")
    head = _head(syria)
    r = syria.call("opl", "POST", f"{URL}/1/approve")
    assert r.status_code == 403
    assert "not a designated approver" in r.json()["error"]
    assert _head(syria) == head
    assert _propose(syria, "opl", "ru").status_code == 403


def test_approval_of_a_stale_version_is_a_conflict(syria: World) -> None:
    _dispute(syria)
    head = _head(syria)
    r = syria.call("rul", "POST", f"{URL}/1/approve")
    assert r.status_code == 409
    body = r.json()
    assert "v1 is stale: v2 is the latest proposal" in body["error"]
    assert body["current"]["status"] == "stale"
    assert _head(syria) == head


def test_the_dispute_is_measured_and_a_strike_inside_is_undetermined(syria: World) -> None:
    assert _no_fly(syria)["verdict"] == "violation"  # the spec's own marbled zone
    _dispute(syria)
    listing = syria.call("ana", "GET", URL).json()
    (subject,) = listing["subjects"]
    assert subject["disputed"]["versions"] == [1, 2]
    d = syria.call("ana", "GET", f"{URL}/2/diff").json()
    assert d["against"] == 1  # the version it answers
    assert d["disputed_km2"] == pytest.approx(subject["disputed"]["area_km2"], rel=1e-3)
    assert d["disputed_km2"] == pytest.approx(d["only_in_v1_km2"] + d["only_in_v2_km2"], rel=1e-3)
    drawn_km2 = {
        f["properties"]["only_in"]: f["properties"]["km2"] for f in d["geojson"]["features"]
    }
    assert drawn_km2["v1"] == d["only_in_v1_km2"] > 0  # the US map's marbled area is larger
    f = _no_fly(syria)
    assert f["verdict"] == "undetermined" and f["map_version"] is None
    assert "disputed delineation" in f["reasons"][-1]


@pytest.fixture(params=["sqlite", "postgresql"])
def either(request: pytest.FixtureRequest) -> World:
    w: World = request.getfixturevalue("syria" if request.param == "sqlite" else "syria_pg")
    return w


def test_agreement_changes_the_verdict_and_says_so_and_is_audited(either: World) -> None:
    syria = either
    _dispute(syria)
    r = syria.call("usl", "POST", f"{URL}/2/approve")
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["status"] == "active" and out["signed"] == ["ru", "us-coalition"]
    strike = [c for c in out["changes"] if c["incident_id"] == "test-1070-strike"]
    assert {
        "incident_id": "test-1070-strike",
        "rule_id": "no-fly",
        "before": "undetermined",
        "after": "not_applicable",
    } in strike
    f = _no_fly(syria)
    assert f["map_version"] == f"{SUBJECT}:v2"
    assert f["reasons"][-1].startswith("Verdict changed: delineation v2 was agreed")
    # then the compromise replaces v2: the strike is a violation again, and says why
    r = _propose(syria, "usl", "compromise", answers=2)
    assert r.status_code == 201
    r = syria.call("rul", "POST", f"{URL}/3/approve")
    assert r.json()["status"] == "active"
    assert {
        "incident_id": "test-1070-strike",
        "rule_id": "no-fly",
        "before": "not_applicable",
        "after": "violation",
    } in r.json()["changes"]
    f = _no_fly(syria)
    assert f["verdict"] == "violation" and f["map_version"] == f"{SUBJECT}:v3"
    assert "Verdict changed: delineation v3 replaced v2" in f["reasons"][-1]
    # the whole history stays listable, and every step is in the verified audit chain
    versions = syria.call("mo", "GET", URL).json()["versions"]
    assert [(v["label"], v["status"]) for v in versions] == [
        ("v1", "stale"),
        ("v2", "superseded"),
        ("v3", "active"),
    ]
    history = syria.call("mo", "GET", f"{URL}/2").json()["history"]
    assert [h["action"] for h in history] == [
        "delineation.propose",
        "delineation.sign",
        "delineation.activate",
    ]
    assert history[-1]["after"]["active"] == "v2"
    audit = syria.call("ada", "GET", "/api/v1/audit").json()
    entries = audit if isinstance(audit, list) else audit.get("entries", audit)
    actions = [e["action"] for e in entries if e["entity"] == "delineation"]
    assert actions.count("delineation.activate") == 2
    assert syria.call("ada", "GET", "/api/v1/audit/verify").json()["ok"] is True
    r = syria.call("rul", "POST", f"{URL}/2/approve")
    assert r.status_code == 409 and "superseded by v3" in r.json()["error"]


BOWTIE = [[37.0, 36.0], [37.05, 36.05], [37.05, 36.0], [37.0, 36.05], [37.0, 36.0]]
SQUARE = [[37.0, 36.0], [37.05, 36.0], [37.05, 36.05], [37.0, 36.05], [37.0, 36.0]]


def _fc(*rings: list[list[float]]) -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": f"p{i}"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
            for i, ring in enumerate(rings)
        ],
    }


@pytest.mark.parametrize(
    ("features", "expected"),
    [
        (_fc(SQUARE, BOWTIE), 'features[1] ("p1"): invalid polygon: Self-intersection'),
        (
            _fc(SQUARE, [[x + 0.01, y] for x, y in SQUARE]),
            'features[1] ("p1"): overlaps features[0]',
        ),
        (_fc(SQUARE, [[x - 3.8, y - 1.0] for x, y in SQUARE]), 'features[1] ("p1"): '),
    ],
    ids=["self-intersecting", "overlapping", "outside-the-country"],
)
def test_bad_polygons_are_refused_with_the_feature_index_and_nothing_is_written(
    syria: World, features: dict[str, Any], expected: str
) -> None:
    head = _head(syria)
    body = {"subject": SUBJECT, "zone_type": "marbled", "replaces": REPLACES, "features": features}
    r = syria.call("usl", "POST", URL, json=body)
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0].startswith(expected)
    assert "nothing was stored" in r.json()["error"]
    assert _head(syria) == head
    assert syria.call("mo", "GET", URL).json()["versions"] == []


def test_a_zone_a_rule_names_by_id_cannot_be_replaced(syria: World) -> None:
    body = {"subject": "city", "zone_type": "city", "features": drawn("us")}
    assert syria.call("usl", "POST", URL, json=body).status_code == 422
    body = {
        "subject": "x",
        "zone_type": "marbled",
        "replaces": ["aleppo-east"],
        "features": drawn("us"),
    }
    r = syria.call("usl", "POST", URL, json=body)
    assert r.status_code == 422 and "aleppo-east' is opposition" in r.json()["errors"][0]


def _strike_day_zones(w: World) -> set[str]:
    r = w.call("mo", "GET", "/api/v1/timeline", params={"agreement": A})
    assert r.status_code == 200, r.text
    return {row["zone"] for row in r.json()["rows"] if row["date"] == "2016-09-14"}


def test_the_timeline_uses_the_agreed_delineation_too(syria: World) -> None:
    assert _strike_day_zones(syria) == {"aleppo-southwest-marbled"}  # the spec's zone
    r = _propose(syria, "usl", "compromise")
    assert syria.call("rul", "POST", f"{URL}/{r.json()['version']}/approve").status_code == 200
    assert _strike_day_zones(syria) == {f"{SUBJECT}-v1-2"}  # the agreed map's 1070 project
