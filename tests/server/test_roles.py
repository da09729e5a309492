"""Every cell of the role table (server/roles.py), as a real HTTP call against a real
store: allowed cells answer 2xx, refused ones 401 (no token) or 403 — and a refused call
changes nothing and leaks nothing; scoped cells never carry what the scope hides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ceasewatch.server import roles
from ceasewatch.server.app import create_app
from ceasewatch.server.settings import Settings
from tests.server.conftest import WITNESS, World

P = "/api/v1"
WHO = {"admin": "ada", "monitor": "mo", "analyst": "ana", "liaison": "lia", "public": "public"}
#: Incidents only their own submitter's party (or monitors) may see.
UNPUBLISHED = ("reb-secret-claim", "mon-proposed")


def _finding_id(w: World) -> str:
    r = w.call("admin", "GET", f"{P}/findings", params={"incident_id": "ex-day-one"})
    return str(r.json()[0]["finding"]["id"])


def _evidence_id(w: World) -> str:
    r = w.call(
        "admin",
        "POST",
        f"{P}/incidents/{w.gov_secret}/evidence",
        files={"file": ("photo.png", b"\x89PNG fake", "image/png")},
    )
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


def _query_id(w: World) -> int:
    r = w.call(
        "monitor",
        "POST",
        f"{P}/incidents/ex-air-town/queries",
        json={"party": "gov", "question": "Were your aircraft over the town?"},
    )
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def _hills(east: float = 0.0) -> dict[str, Any]:
    """A delineation of the example's marbled hills (drawn a little further east)."""
    ring = [[-30.0, -0.05], [-29.95 + east, -0.05], [-29.95 + east, 0.05], [-30.0, 0.05]]
    return {
        "subject": "hills",
        "zone_type": "marbled",
        "features": {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"name": "hills"},
                    "geometry": {"type": "Polygon", "coordinates": [[*ring, ring[0]]]},
                }
            ],
        },
    }


def _delineation(w: World, twice: bool = False) -> int:
    """An admin's proposal (signed by no party yet); returns its version."""
    url = f"{P}/agreements/valley-truce/delineations"
    r = w.call("admin", "POST", url, json=_hills())
    assert r.status_code == 201, r.text
    if twice:
        r = w.call("admin", "POST", url, json=_hills(east=0.01))
        assert r.status_code == 201, r.text
    return int(r.json()["version"])


Call = Callable[[World], Callable[[str], Any]]

#: One request per route of the table, built so that an allowed caller succeeds:
#: ``CALLS[route](world)`` prepares what the request needs, then returns the sender.
CALLS: dict[str, Call] = {
    f"GET {P}/health": lambda w: lambda who: w.call(who, "GET", f"{P}/health"),
    f"GET {P}/me": lambda w: lambda who: w.call(who, "GET", f"{P}/me"),
    f"GET {P}/incidents": lambda w: lambda who: w.call(who, "GET", f"{P}/incidents?limit=1000"),
    f"GET {P}/map/incidents": lambda w: lambda who: w.call(who, "GET", f"{P}/map/incidents"),
    f"POST {P}/incidents": lambda w: (
        lambda who: w.call(
            who,
            "POST",
            f"{P}/incidents",
            json={
                "event_type": "Battles",
                "sub_event_type": "Armed clash",
                "occurred": {"start": "2024-05-06", "end": "2024-05-06"},
                "location": {"lat": 0.02, "lon": -30.04, "precision": "town"},
            },
        )
    ),
    f"GET {P}/incidents/{{incident_id}}": lambda w: (
        lambda who: w.call(who, "GET", f"{P}/incidents/ex-day-one")
    ),
    f"PATCH {P}/incidents/{{incident_id}}": lambda w: (
        lambda who: w.call(
            who,
            "PATCH",
            f"{P}/incidents/ex-day-one",
            json={"reason": "second source", "version": 1, "changes": {"confidence": "confirmed"}},
        )
    ),
    f"GET {P}/incidents/{{incident_id}}/history": lambda w: (
        lambda who: w.call(who, "GET", f"{P}/incidents/ex-day-one/history")
    ),
    f"POST {P}/incidents/{{incident_id}}/publish": lambda w: (
        lambda who: w.call(
            who, "POST", f"{P}/incidents/mon-proposed/publish", json={"reason": "two sources agree"}
        )
    ),
    f"POST {P}/incidents/{{incident_id}}/reject": lambda w: (
        lambda who: w.call(
            who, "POST", f"{P}/incidents/mon-proposed/reject", json={"reason": "a duplicate"}
        )
    ),
    f"GET {P}/review": lambda w: lambda who: w.call(who, "GET", f"{P}/review"),
    f"POST {P}/incidents/{{incident_id}}/evidence": lambda w: (
        lambda who: w.call(
            who,
            "POST",
            f"{P}/incidents/{w.gov_secret}/evidence",
            files={"file": ("note.txt", b"a monitor's note", "text/plain")},
        )
    ),
    f"GET {P}/incidents/{{incident_id}}/evidence": lambda w: (
        _evidence_id(w),
        lambda who: w.call(who, "GET", f"{P}/incidents/{w.gov_secret}/evidence"),
    )[1],
    f"GET {P}/evidence/{{evidence_id}}": lambda w: (
        lambda eid: lambda who: w.call(who, "GET", f"{P}/evidence/{eid}")
    )(_evidence_id(w)),
    f"GET {P}/findings": lambda w: lambda who: w.call(who, "GET", f"{P}/findings?limit=1000"),
    f"POST {P}/findings/{{finding_id}}/override": lambda w: (
        lambda fid: (
            lambda who: w.call(
                who,
                "POST",
                f"{P}/findings/{fid}/override",
                json={"verdict": "undetermined", "reason": "the sources contradict each other"},
            )
        )
    )(_finding_id(w)),
    f"POST {P}/incidents/{{incident_id}}/queries": lambda w: (
        lambda who: w.call(
            who,
            "POST",
            f"{P}/incidents/ex-air-town/queries",
            json={"party": "gov", "question": "Whose aircraft?"},
        )
    ),
    f"GET {P}/queries": lambda w: lambda who: w.call(who, "GET", f"{P}/queries"),
    f"POST {P}/queries/{{query_id}}/answer": lambda w: (
        lambda qid: (
            lambda who: w.call(
                who, "POST", f"{P}/queries/{qid}/answer", json={"answer": "None of ours flew."}
            )
        )
    )(_query_id(w)),
    f"GET {P}/agreements": lambda w: lambda who: w.call(who, "GET", f"{P}/agreements"),
    f"POST {P}/agreements": lambda w: (
        lambda who: w.call(who, "POST", f"{P}/agreements", json={"files": _files()})
    ),
    f"GET {P}/agreements/{{agreement_id}}": lambda w: (
        lambda who: w.call(who, "GET", f"{P}/agreements/valley-truce")
    ),
    f"POST {P}/agreements/{{agreement_id}}/evaluate": lambda w: (
        lambda who: w.call(who, "POST", f"{P}/agreements/valley-truce/evaluate")
    ),
    f"GET {P}/agreements/{{agreement_id}}/delineations": lambda w: (
        _delineation(w),
        lambda who: w.call(who, "GET", f"{P}/agreements/valley-truce/delineations"),
    )[1],
    f"POST {P}/agreements/{{agreement_id}}/delineations": lambda w: (
        lambda who: w.call(who, "POST", f"{P}/agreements/valley-truce/delineations", json=_hills())
    ),
    f"GET {P}/agreements/{{agreement_id}}/delineations/{{version}}": lambda w: (
        lambda v: lambda who: w.call(who, "GET", f"{P}/agreements/valley-truce/delineations/{v}")
    )(_delineation(w)),
    f"GET {P}/agreements/{{agreement_id}}/delineations/{{version}}/diff": lambda w: (
        lambda v: (
            lambda who: w.call(
                who, "GET", f"{P}/agreements/valley-truce/delineations/{v}/diff?against=1"
            )
        )
    )(_delineation(w, twice=True)),
    f"POST {P}/agreements/{{agreement_id}}/delineations/{{version}}/approve": lambda w: (
        lambda v: (
            lambda who: w.call(who, "POST", f"{P}/agreements/valley-truce/delineations/{v}/approve")
        )
    )(_delineation(w)),
    f"GET {P}/timeline": lambda w: lambda who: w.call(who, "GET", f"{P}/timeline"),
    f"GET {P}/phases": lambda w: lambda who: w.call(who, "GET", f"{P}/phases"),
    f"GET {P}/triggers": lambda w: lambda who: w.call(who, "GET", f"{P}/triggers"),
    f"POST {P}/reports": lambda w: (
        lambda who: w.call(
            who,
            "POST",
            f"{P}/reports",
            json={"text": "Rebels shelled the South Bank on Monday.", "published": "2024-05-08"},
        )
    ),
    f"GET {P}/exports/incidents.{{fmt}}": lambda w: (
        lambda who: w.call(who, "GET", f"{P}/exports/incidents.geojson")
    ),
    f"GET {P}/audit/head": lambda w: lambda who: w.call(who, "GET", f"{P}/audit/head"),
    f"GET {P}/audit": lambda w: lambda who: w.call(who, "GET", f"{P}/audit"),
    f"GET {P}/audit/verify": lambda w: lambda who: w.call(who, "GET", f"{P}/audit/verify"),
    f"GET {P}/users": lambda w: lambda who: w.call(who, "GET", f"{P}/users"),
    f"GET {P}/access/convoys": lambda w: lambda who: w.call(who, "GET", f"{P}/access/convoys"),
    f"POST {P}/access/convoys": lambda w: (
        lambda who: w.call(who, "POST", f"{P}/access/convoys", json=_convoy("c-new"))
    ),
    f"POST {P}/access/convoys/{{convoy_id}}/updates": lambda w: (
        _recorded_convoy(w, "c-upd"),
        lambda who: w.call(
            who,
            "POST",
            f"{P}/access/convoys/c-upd/updates",
            json={"status": "waiting", "at": "2024-05-03T09:00:00-01:00", "evidence": "radio"},
        ),
    )[1],
    f"GET {P}/access/constraints": lambda w: (
        lambda who: w.call(who, "GET", f"{P}/access/constraints")
    ),
    f"POST {P}/access/constraints": lambda w: (
        lambda who: w.call(
            who,
            "POST",
            f"{P}/access/constraints",
            json={
                "id": "k-new",
                "category": "movement_restrictions",
                "description": "road barrier",
                "start": "2024-05-03",
                "routes": ["river-road"],
                "evidence": "liaison report",
            },
        )
    ),
    f"GET {P}/access/status": lambda w: (
        lambda who: w.call(who, "GET", f"{P}/access/status?date=2024-05-03")
    ),
    f"GET {P}/access/routes.geojson": lambda w: (
        lambda who: w.call(who, "GET", f"{P}/access/routes.geojson?date=2024-05-03")
    ),
}


def _convoy(convoy_id: str) -> dict[str, Any]:
    return {
        "id": convoy_id,
        "agency": "WFP",
        "origin": "south bank",
        "destination": "north town",
        "route": "river-road",
        "cargo": "flour",
        "events": [{"status": "planned", "at": "2024-05-02", "evidence": "plan of the week"}],
    }


def _recorded_convoy(w: World, convoy_id: str) -> None:
    r = w.call("monitor", "POST", f"{P}/access/convoys", json=_convoy(convoy_id))
    assert r.status_code == 201, r.text


def _files() -> dict[str, str]:
    from tests.server.conftest import minimal_files

    return minimal_files()


def test_every_route_of_the_app_is_in_the_table_and_has_a_call(tmp_path) -> None:
    app = create_app(Settings(db_url=f"sqlite:///{tmp_path / 'x.db'}"))
    paths = app.openapi()["paths"]
    served = {f"{m.upper()} {path}" for path, ops in paths.items() for m in ops}
    assert served == set(roles.ROUTES)
    assert set(CALLS) == set(roles.ROUTES)
    app.state.engine.dispose()


CELLS = [(route, role) for route in roles.ROUTES for role in roles.ROLE_NAMES]


@pytest.mark.parametrize(("route", "role"), CELLS, ids=[f"{r} × {x}" for r, x in CELLS])
def test_role_table_cell(sqlite_world: World, route: str, role: str) -> None:
    w = sqlite_world
    cell = roles.ROUTES[route][role]
    send = CALLS[route](w)
    head = w.call("admin", "GET", f"{P}/audit/head").json()["head"]
    r = send(WHO[role])
    body = r.content.decode("utf-8", "replace")
    if cell == "no":
        assert r.status_code == (401 if role == "public" else 403), body
        assert r.json()["ok"] is False
        # refused: nothing changed, nothing leaked
        assert w.call("admin", "GET", f"{P}/audit/head").json()["head"] == head
        for secret in (*UNPUBLISHED, w.gov_secret, WITNESS):
            assert secret not in body
        return
    assert 200 <= r.status_code < 300, body
    if cell == "published":
        for secret in (*UNPUBLISHED, w.gov_secret, WITNESS):
            assert secret not in body, f"{secret!r} reached the public"
    if cell == "party":  # the gov liaison: never the rebels' or monitors' unpublished ones
        for secret in UNPUBLISHED:
            assert secret not in body, f"{secret!r} reached the gov liaison"


def test_the_published_view_hides_the_witness_but_monitors_see_it(sqlite_world: World) -> None:
    w = sqlite_world
    pub = w.call("public", "GET", f"{P}/incidents/ex-air-town").json()
    assert pub["incident"]["sources"][0]["attributed_to"] == "[withheld]"
    mon = w.call("monitor", "GET", f"{P}/incidents/ex-air-town").json()
    assert mon["incident"]["sources"][0]["attributed_to"] == WITNESS


def test_a_liaison_sees_its_own_proposal_and_one_it_is_asked_about(sqlite_world: World) -> None:
    w = sqlite_world
    assert w.call("lia", "GET", f"{P}/incidents/{w.gov_secret}").status_code == 200
    assert w.call("lia", "GET", f"{P}/incidents/{w.reb_secret}").status_code == 404
    assert w.call("reb", "GET", f"{P}/incidents/{w.gov_secret}").status_code == 404
    assert w.call("lia", "GET", f"{P}/incidents/mon-proposed").status_code == 404
    r = w.call(
        "monitor",
        "POST",
        f"{P}/incidents/mon-proposed/queries",
        json={"party": "gov", "question": "Was this your unit?"},
    )
    assert r.status_code == 201
    assert w.call("lia", "GET", f"{P}/incidents/mon-proposed").status_code == 200
    assert w.call("reb", "GET", f"{P}/incidents/mon-proposed").status_code == 404
    # and a liaison cannot answer another party's query
    qid = r.json()["id"]
    r = w.call("reb", "POST", f"{P}/queries/{qid}/answer", json={"answer": "not us"})
    assert r.status_code == 404


def test_roles_doc_is_generated_from_the_table() -> None:
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs/roles.md").read_text(encoding="utf-8")
    assert roles.markdown() in doc, "docs/roles.md is stale: regenerate its table"
