"""The API end to end, on SQLite and on PostgreSQL + PostGIS: submit, search, edit,
review, override, query, agreements, evidence, exports — each over a real store."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import pytest
import shapely
from shapely.geometry import shape

from ceasewatch.exports import acled
from ceasewatch.exports.stored import STORE_COLUMNS
from tests.server.conftest import MINIMAL, WITNESS, World, minimal_files, minimal_incidents

P = "/api/v1"


def ids(response: Any) -> set[str]:
    assert response.status_code == 200, response.text
    return {d["incident"]["id"] for d in response.json()["data"]}


def published() -> list[dict[str, Any]]:
    return minimal_incidents()


# ---- submit and read -----------------------------------------------------------------


def test_an_incident_without_id_comes_back_with_one_and_reads_back(world: World) -> None:
    rec = {
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "occurred": {"start": "2024-05-06", "end": "2024-05-06"},
        "location": {"lat": 0.02, "lon": -30.04, "precision": "town"},
    }
    r = world.call("monitor", "POST", f"{P}/incidents", json=rec)
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["incident"]["id"].startswith("inc-") and out["version"] == 1
    assert out["incident"]["submitted_by"] == "user:mo"
    again = world.call("monitor", "GET", f"{P}/incidents/{out['incident']['id']}")
    assert again.json() == out
    dup = world.call("monitor", "POST", f"{P}/incidents", json=rec)
    assert dup.status_code == 409 and dup.json()["ok"] is False


def test_a_bad_incident_gets_every_problem_by_field(world: World) -> None:
    rec = {
        "event_type": "Battles",
        "sub_event_type": "Air/drone strike",
        "occurred": {"start": "2024-05-06", "end": "2024-05-01"},
        "location": {"lat": 95, "lon": -30.04, "precision": "village"},
    }
    r = world.call("monitor", "POST", f"{P}/incidents", json=rec)
    assert r.status_code == 422
    body = r.json()
    assert set(body) >= {"ok", "error", "errors", "status"} and body["status"] == 422
    joined = " ".join(body["errors"])
    assert "occurred" in joined and "location.lat" in joined and "location.precision" in joined


# ---- search --------------------------------------------------------------------------


def test_search_by_bbox_matches_a_python_filter(world: World) -> None:
    box = (-30.06, -0.04, -30.0, 0.035)
    want = {
        r["id"]
        for r in published()
        if box[0] <= r["location"]["lon"] <= box[2] and box[1] <= r["location"]["lat"] <= box[3]
    }
    got = ids(
        world.call("public", "GET", f"{P}/incidents", params={"bbox": ",".join(map(str, box))})
    )
    assert got == want and want


@pytest.mark.parametrize("zone", ["north", "south", "hills", "east", "town"])
def test_search_by_zone_matches_shapely(world: World, zone: str) -> None:
    fc = json.loads((MINIMAL / "zones.geojson").read_text(encoding="utf-8"))
    poly = next(shape(f["geometry"]) for f in fc["features"] if f["id"] == zone)
    want = {
        r["id"]
        for r in published()
        if shapely.covers(poly, shapely.Point(r["location"]["lon"], r["location"]["lat"]))
    }
    got = ids(world.call("public", "GET", f"{P}/incidents", params={"zone": zone}))
    assert got == want


def test_an_unknown_zone_is_a_422_with_a_hint(world: World) -> None:
    r = world.call("public", "GET", f"{P}/incidents", params={"zone": "nort"})
    assert r.status_code == 422 and "north" in " ".join(r.json()["errors"])


@pytest.mark.parametrize(
    ("params", "keep"),
    [
        (
            {"start": "2024-05-03", "end": "2024-05-04"},
            lambda r: "2024-05-03" <= r["occurred"]["start"] <= "2024-05-04",
        ),
        ({"event_type": "Battles"}, lambda r: r["event_type"] == "Battles"),
        (
            {"actor": "gov"},
            lambda r: (
                "gov"
                in ((r.get("perpetrator") or {}).get("actor"), (r.get("target") or {}).get("actor"))
            ),
        ),
        ({"confidence": "weak"}, lambda r: r["confidence"] == "weak"),
        ({"q": "SOUTH BANK"}, lambda r: "south bank" in r["location"]["name"].lower()),
        ({"q": "100%_"}, lambda r: False),
    ],
    ids=["dates", "event_type", "actor", "confidence", "text", "like-wildcards-are-data"],
)
def test_search_filters_match_a_python_filter(
    world: World, params: dict[str, str], keep: Any
) -> None:
    want = {r["id"] for r in published() if keep(r)}
    assert ids(world.call("public", "GET", f"{P}/incidents", params=params)) == want


def test_search_by_verdict_follows_findings_and_overrides(world: World) -> None:
    findings = world.call("admin", "GET", f"{P}/findings?limit=1000").json()
    violating = {f["finding"]["incident_id"] for f in findings if f["verdict"] == "violation"}
    assert violating
    got = ids(world.call("analyst", "GET", f"{P}/incidents", params={"verdict": "violation"}))
    assert got == violating
    # override every violation finding of one incident: it leaves the violation results
    target = sorted(violating)[0]
    for f in findings:
        if f["finding"]["incident_id"] == target and f["verdict"] == "violation":
            r = world.call(
                "monitor",
                "POST",
                f"{P}/findings/{f['finding']['id']}/override",
                json={"verdict": "undetermined", "reason": "the footage is from another day"},
            )
            assert r.status_code == 200, r.text
    got = ids(world.call("analyst", "GET", f"{P}/incidents", params={"verdict": "violation"}))
    assert got == violating - {target}
    assert target in ids(
        world.call("analyst", "GET", f"{P}/incidents", params={"verdict": "undetermined"})
    )


def test_status_filter_and_paging(world: World) -> None:
    proposed = ids(world.call("monitor", "GET", f"{P}/incidents", params={"status": "proposed"}))
    assert proposed == {"gov-secret-claim", "reb-secret-claim", "mon-proposed"}
    pages: list[str] = []
    offset: int | None = 0
    while offset is not None:
        r = world.call("monitor", "GET", f"{P}/incidents", params={"limit": 3, "offset": offset})
        pages += [d["incident"]["id"] for d in r.json()["data"]]
        offset = r.json()["next_offset"]
    assert len(pages) == len(set(pages)) == len(published()) + 3


# ---- edit, review, concurrency -------------------------------------------------------


def test_edit_needs_a_reason_and_the_current_version(world: World) -> None:
    url = f"{P}/incidents/ex-day-one"
    r = world.call("monitor", "PATCH", url, json={"reason": "", "version": 1, "changes": {}})
    assert r.status_code == 422
    r = world.call(
        "monitor",
        "PATCH",
        url,
        json={"reason": "a second source", "version": 1, "changes": {"confidence": "confirmed"}},
    )
    assert r.status_code == 200 and r.json()["version"] == 2
    assert r.json()["incident"]["confidence"] == "confirmed"
    # a concurrent editor who read version 1 gets 409 with the current version
    stale = world.call(
        "admin",
        "PATCH",
        url,
        json={"reason": "typo", "version": 1, "changes": {"confidence": "weak"}},
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    hist = world.call("analyst", "GET", f"{url}/history").json()
    assert hist[0]["action"] == "incident.edit" and hist[0]["reason"] == "a second source"
    assert hist[0]["before"]["record"]["confidence"] == "fair"
    assert hist[0]["after"]["record"]["confidence"] == "confirmed"


def test_edit_refuses_id_and_status_changes_and_unknown_ids(world: World) -> None:
    url = f"{P}/incidents/ex-day-one"
    r = world.call(
        "monitor",
        "PATCH",
        url,
        json={"reason": "x", "version": 1, "changes": {"status": "rejected"}},
    )
    assert r.status_code == 422 and "review" in r.json()["error"]
    r = world.call(
        "monitor", "PATCH", url, json={"reason": "x", "version": 1, "changes": {"id": "other"}}
    )
    assert r.status_code == 422
    r = world.call(
        "monitor", "PATCH", f"{P}/incidents/nope", json={"reason": "x", "version": 1, "changes": {}}
    )
    assert r.status_code == 404 and r.json()["status"] == 404


def test_review_publishes_and_rejects_with_reasons(world: World) -> None:
    queue = ids(world.call("monitor", "GET", f"{P}/review"))
    assert queue == {"gov-secret-claim", "reb-secret-claim", "mon-proposed"}
    r = world.call(
        "monitor",
        "POST",
        f"{P}/incidents/gov-secret-claim/publish",
        json={"reason": "confirmed by a monitor patrol"},
    )
    assert r.status_code == 200 and r.json()["status"] == "published"
    assert "gov-secret-claim" in ids(world.call("public", "GET", f"{P}/incidents"))
    again = world.call(
        "monitor", "POST", f"{P}/incidents/gov-secret-claim/publish", json={"reason": "again"}
    )
    assert again.status_code == 409
    r = world.call(
        "monitor",
        "POST",
        f"{P}/incidents/reb-secret-claim/reject",
        json={"reason": "a duplicate of ex-air-town"},
    )
    assert r.status_code == 200 and r.json()["status"] == "rejected"
    left = world.call(
        "admin", "GET", f"{P}/findings", params={"incident_id": "reb-secret-claim"}
    ).json()
    assert left == []  # a rejected report is no evidence
    assert ids(world.call("monitor", "GET", f"{P}/review")) == {"mon-proposed"}
    entries = world.call(
        "admin", "GET", f"{P}/audit", params={"entity_id": "reb-secret-claim"}
    ).json()
    rejected = next(e for e in entries if e["action"] == "incident.rejected")
    assert rejected["actor"] == "user:mo" and rejected["reason"] == "a duplicate of ex-air-town"


# ---- overrides -----------------------------------------------------------------------


def _a_violation(world: World) -> dict[str, Any]:
    fs = world.call(
        "admin", "GET", f"{P}/findings", params={"incident_id": "ex-clash-south"}
    ).json()
    return next(f for f in fs if f["machine_verdict"] == "violation")


def test_an_override_shows_beside_the_machine_verdict_and_lapses_when_the_incident_changes(
    world: World,
) -> None:
    f = _a_violation(world)
    fid = f["finding"]["id"]
    r = world.call(
        "monitor",
        "POST",
        f"{P}/findings/{fid}/override",
        json={"verdict": "exempt", "reason": "the target was the designated group"},
    )
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["machine_verdict"], out["verdict"]) == ("violation", "exempt")
    assert out["override"]["reason"] == "the target was the designated group"
    # the public sees the override but not who made it
    pub = world.call(
        "public", "GET", f"{P}/findings", params={"incident_id": "ex-clash-south"}
    ).json()
    shown = next(x for x in pub if x["finding"]["id"] == fid)
    assert shown["verdict"] == "exempt" and shown["override"]["by"] is None
    # re-evaluating the same agreement keeps it standing
    assert world.call("monitor", "POST", f"{P}/agreements/valley-truce/evaluate").status_code == 200
    kept = next(
        x
        for x in world.call(
            "admin", "GET", f"{P}/findings", params={"incident_id": "ex-clash-south"}
        ).json()
        if x["finding"]["id"] == fid
    )
    assert kept["verdict"] == "exempt"
    # a change of the incident lapses it, with the reason
    r = world.call(
        "monitor",
        "PATCH",
        f"{P}/incidents/ex-clash-south",
        json={
            "reason": "casualty figure",
            "version": 1,
            "changes": {"fatalities": {"low": 2, "best": 2}},
        },
    )
    assert r.status_code == 200
    after = next(
        x
        for x in world.call(
            "admin", "GET", f"{P}/findings", params={"incident_id": "ex-clash-south"}
        ).json()
        if x["finding"]["id"] == fid
    )
    assert after["override"] is None and after["verdict"] == "violation"
    assert "incident changed" in after["overrides"][0]["lapsed_why"]


def _bumped(files: dict[str, str], *, change_rule: bool) -> dict[str, str]:
    files = dict(files)
    text = files["truce.yaml"].replace("version: 1", "version: 2")
    if change_rule:
        text = text.replace(
            "provision: The parties cease attacks on each other, on civilians and on aid.",
            "provision: The parties cease all attacks.",
        )
    files["truce.yaml"] = text
    return files


@pytest.mark.parametrize("change_rule", [False, True], ids=["same-rule", "changed-rule"])
def test_an_override_stands_until_its_rule_changes(world: World, change_rule: bool) -> None:
    f = _a_violation(world)
    world.call(
        "monitor",
        "POST",
        f"{P}/findings/{f['finding']['id']}/override",
        json={"verdict": "exempt", "reason": "designated group"},
    )
    r = world.call(
        "monitor",
        "POST",
        f"{P}/agreements",
        json={"files": _bumped(minimal_files(), change_rule=change_rule)},
    )
    assert r.status_code == 201 and r.json()[0]["state"] == "stored"
    fs = world.call(
        "admin", "GET", f"{P}/findings", params={"incident_id": "ex-clash-south"}
    ).json()
    now = next(x for x in fs if x["finding"]["rule_id"] == f["finding"]["rule_id"])
    assert now["finding"]["agreement_version"] == "2"
    if change_rule:
        assert now["verdict"] == "violation" and now["override"] is None
    else:
        assert now["verdict"] == "exempt" and now["override"]["standing"]
    detail = world.call("public", "GET", f"{P}/agreements/valley-truce").json()
    assert [v["version"] for v in detail["versions"]] == ["2", "1"]


# ---- agreements ----------------------------------------------------------------------


def test_a_bad_spec_gets_every_located_problem(world: World) -> None:
    files = minimal_files()
    files["truce.yaml"] = files["truce.yaml"].replace(
        "where: {zones: [north, south]}", "where: {zones: [nort, south]}"
    )
    r = world.call("monitor", "POST", f"{P}/agreements", json={"files": files})
    assert r.status_code == 422
    assert any("truce.yaml:" in e and "nort" in e and "north" in e for e in r.json()["errors"])
    r = world.call("monitor", "POST", f"{P}/agreements", json={"files": {"truce.yaml": "x"}})
    assert r.status_code == 422 and "scenario.yaml" in r.json()["error"]


def test_a_stored_version_never_changes(world: World) -> None:
    files = minimal_files()
    files["truce.yaml"] = files["truce.yaml"].replace(
        "provision: No party takes ground from another.", "provision: Nobody moves."
    )
    r = world.call("monitor", "POST", f"{P}/agreements", json={"files": files})
    assert r.status_code == 409 and "version" in r.json()["error"]


# ---- queries -------------------------------------------------------------------------


def test_a_query_and_its_answer_are_kept_with_the_incident(world: World) -> None:
    r = world.call(
        "monitor",
        "POST",
        f"{P}/incidents/ex-air-town/queries",
        json={"party": "gov", "question": "Were your jets over the town on 2 May?"},
    )
    assert r.status_code == 201
    qid = r.json()["id"]
    mine = world.call("lia", "GET", f"{P}/queries").json()
    assert [q["id"] for q in mine] == [qid]
    assert world.call("reb", "GET", f"{P}/queries").json() == []
    r = world.call(
        "lia", "POST", f"{P}/queries/{qid}/answer", json={"answer": "No sorties that day."}
    )
    assert r.status_code == 200 and r.json()["answered_by"] == "user:lia"
    again = world.call(
        "lia", "POST", f"{P}/queries/{qid}/answer", json={"answer": "Changed my mind."}
    )
    assert again.status_code == 409
    kept = world.call(
        "analyst", "GET", f"{P}/queries", params={"incident_id": "ex-air-town"}
    ).json()
    assert (
        kept[0]["question"].startswith("Were your jets")
        and kept[0]["answer"] == "No sorties that day."
    )
    bad = world.call(
        "monitor",
        "POST",
        f"{P}/incidents/ex-air-town/queries",
        json={"party": "govt", "question": "?"},
    )
    assert bad.status_code == 422 and "gov" in " ".join(bad.json()["errors"])


# ---- evidence ------------------------------------------------------------------------


def test_evidence_is_stored_with_its_sha256_and_downloads_as_an_attachment(world: World) -> None:
    data = b"<html><script>alert(1)</script></html>"
    r = world.call(
        "monitor",
        "POST",
        f"{P}/incidents/ex-air-town/evidence",
        files={"file": ("x.html", data, "text/html")},
    )
    assert r.status_code == 201
    meta = r.json()
    assert meta["sha256"] == hashlib.sha256(data).hexdigest() and meta["size"] == len(data)
    got = world.call("analyst", "GET", f"{P}/evidence/{meta['id']}")
    assert got.content == data
    assert got.headers["content-type"] == "application/octet-stream"  # never rendered as HTML
    assert got.headers["content-disposition"].startswith("attachment")
    assert got.headers["x-evidence-sha256"] == meta["sha256"]
    same = world.call(
        "monitor",
        "POST",
        f"{P}/incidents/ex-air-town/evidence",
        files={"file": ("y.html", data, "text/html")},
    )
    assert same.json()["id"] == meta["id"]
    listed = world.call("monitor", "GET", f"{P}/incidents/ex-air-town/evidence").json()
    assert [e["id"] for e in listed] == [meta["id"]]
    # a liaison attaches only to its own party's submissions
    r = world.call(
        "lia",
        "POST",
        f"{P}/incidents/ex-air-town/evidence",
        files={"file": ("a.txt", b"a", "text/plain")},
    )
    assert r.status_code == 403


# ---- exports -------------------------------------------------------------------------


def test_csv_export_has_acled_columns_first_and_every_visible_incident(world: World) -> None:
    r = world.call("public", "GET", f"{P}/exports/incidents.csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    header = r.text.splitlines()[0].split(",")
    # ACLED's 31 columns in ACLED's order (the CLI's acled-csv), then the store's own
    assert tuple(header) == acled.INCIDENTS.names + tuple(c.name for c in STORE_COLUMNS)
    assert {row["event_id_cnty"] for row in rows} == {x["id"] for x in published()}
    town = next(row for row in rows if row["event_id_cnty"] == "ex-air-town")
    assert town["event_date"] == "2024-05-02" and town["fatalities"] == "3"
    assert (town["status"], town["version"]) == ("published", "1")
    assert town["location"] and town["latitude"] == "0.01"


def test_geojson_and_parquet_exports_read_back(world: World) -> None:
    import pyarrow.parquet as pq

    gj = world.call(
        "monitor", "GET", f"{P}/exports/incidents.geojson", params={"status": "published"}
    ).json()
    assert gj["type"] == "FeatureCollection"
    assert {f["id"] for f in gj["features"]} == {x["id"] for x in published()}
    f = next(f for f in gj["features"] if f["id"] == "ex-air-town")
    assert f["geometry"]["coordinates"] == [-30.03, 0.01]
    r = world.call("public", "GET", f"{P}/exports/incidents.parquet")
    table = pq.read_table(io.BytesIO(r.content))
    assert sorted(table.column("event_id_cnty").to_pylist()) == sorted(x["id"] for x in published())
    assert table.column_names[: len(acled.COLUMNS)] == list(acled.INCIDENTS.names)
    assert set(table.column("status").to_pylist()) == {"published"}
    assert f["properties"]["status"] == "published" and f["properties"]["version"] == 1
    assert WITNESS not in r.content.decode("latin-1")  # withheld from the public


# ---- errors, injection ------------------------------------------------------------


INJECTIONS = [
    "'; DROP TABLE incidents; --",
    '" OR 1=1 --',
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "Robert'); DELETE FROM audit_log;--",
    "%_\\",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_strings_are_stored_and_returned_as_data(world: World, text: str) -> None:
    rec = dict(minimal_incidents()[0], id=f"inj-{hashlib.sha256(text.encode()).hexdigest()[:8]}")
    rec["location"] = dict(rec["location"], name=text)
    rec["perpetrator"] = dict(rec["perpetrator"], text=text)
    rec["occurred"] = dict(rec["occurred"], note=text)
    rec["sources"] = [
        {"document_id": text, "publisher": text, "attributed_to": text, "quote": text}
    ]
    r = world.call("monitor", "POST", f"{P}/incidents", json=rec)
    assert r.status_code == 201, r.text
    back = world.call("monitor", "GET", f"{P}/incidents/{rec['id']}").json()["incident"]
    assert back["location"]["name"] == text and back["sources"][0]["quote"] == text
    found = ids(world.call("monitor", "GET", f"{P}/incidents", params={"q": text}))
    assert rec["id"] in found
    r = world.call(
        "monitor",
        "POST",
        f"{P}/incidents/{rec['id']}/queries",
        json={"party": "gov", "question": text},
    )
    assert r.status_code == 201 and r.json()["question"] == text
    assert world.call("admin", "GET", f"{P}/audit/verify").json()["ok"]


def test_a_liaison_submits_in_its_own_name_and_for_its_own_party(world: World) -> None:
    rec = dict(minimal_incidents()[3], id="lia-own", status="published", submitted_by="user:mo")
    r = world.call("lia", "POST", f"{P}/incidents", json=rec)
    assert r.status_code == 201
    out = r.json()
    assert out["status"] == "proposed" and out["owner_party"] == "gov"
    assert out["incident"]["submitted_by"] == "user:lia"
