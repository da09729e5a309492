"""access.v2 in the spec: corridors, rule fields, the gate condition, and the routes'
own checks (no self-crossing, no leaving the country) — each a located problem."""

from __future__ import annotations

import json

import pytest

from ceasewatch.agreement.model import AccessSustained
from ceasewatch.agreement.problems import SpecInvalid
from tests.access.conftest import files, load


def _problems(**changes: str) -> list[str]:
    with pytest.raises(SpecInvalid) as caught:
        load(**changes)
    return [str(p) for p in caught.value.problems]


def test_the_access_spec_loads(valley) -> None:
    [a] = valley.agreements
    rule = next(r for r in a.rules if r.id == "convoys")
    assert rule.type == "access.v2" and rule.release_within is not None
    assert rule.monitored_checkpoints and dict(rule.controlled_by)["government"] == ("gov",)
    [corridor] = a.corridors
    assert corridor.window is not None and corridor.window.timezone == "Atlantic/Cape_Verde"
    gate = a.phases[0].gate
    assert gate is not None and AccessSustained(("river-road",)) in gate.each_day


def test_a_corridor_window_without_a_timezone_is_a_located_problem() -> None:
    truce = files()["truce.yaml"].replace(" Atlantic/Cape_Verde\n", "\n")
    [p] = _problems(**{"truce.yaml": truce})
    assert p.startswith("truce.yaml:")
    assert "corridors.0.window" in p and "has no timezone" in p


def test_access_v2_fields_on_another_rule_type_are_refused() -> None:
    truce = files()["truce.yaml"].replace(
        "    binds: [gov-side]\n", "    binds: [gov-side]\n    release_within: 24h\n", 1
    )
    [p] = _problems(**{"truce.yaml": truce})
    assert "release_within" in p and "belongs to access.v2 rules" in p


def test_an_unknown_route_in_access_sustained_is_named() -> None:
    truce = files()["truce.yaml"].replace("routes: [river-road]", "routes: [river-raod]")
    [p] = _problems(**{"truce.yaml": truce})
    assert "unknown route 'river-raod'" in p and "did you mean 'river-road'" in p


def _routes(coords: list[list[float]]) -> str:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "id": "river-road",
                    "properties": {"id": "river-road", "name": "River road", "corridor_m": 1000},
                    "geometry": {"type": "LineString", "coordinates": coords},
                }
            ],
        },
        indent=1,
    )


def test_a_route_that_crosses_itself_is_refused_with_where() -> None:
    loop = [[-30.09, 0.03], [-29.96, 0.03], [-29.96, 0.04], [-30.0, 0.02]]
    [p] = _problems(**{"routes.geojson": _routes(loop)})
    assert p.startswith("routes.geojson:")
    assert "the route crosses itself near lon -29.98000, lat 0.03000" in p


COUNTRY = json.dumps(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"pcode": "XX01"},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [
                        [[-30.2, -0.2], [-29.8, -0.2], [-29.8, 0.2], [-30.2, 0.2], [-30.2, -0.2]]
                    ],
                },
            }
        ],
    }
)


def _with_country(**changes: str) -> dict[str, str]:
    held = files(**changes)
    held["scenario.yaml"] = held["scenario.yaml"].replace(
        "  routes: routes.geojson", "  routes: routes.geojson\n  admin1: admin1.geojson"
    )
    held["admin1.geojson"] = COUNTRY
    return held


def test_a_route_that_leaves_the_country_is_refused_and_one_inside_is_not() -> None:
    from ceasewatch.agreement.loader import load_scenario

    inside = _with_country()
    assert load_scenario(lambda rel: inside[rel]).world.routes[0].id == "river-road"
    out = _with_country(**{"routes.geojson": _routes([[-30.09, 0.03], [-29.5, 0.03]])})
    with pytest.raises(SpecInvalid) as caught:
        load_scenario(lambda rel: out[rel])
    [p] = [str(x) for x in caught.value.problems]
    assert p.startswith("routes.geojson:") and "the route leaves the country" in p
    assert "end the route at the border crossing" in p
