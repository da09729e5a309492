from __future__ import annotations

import copy
from typing import Any

import pytest
from shapely.geometry import box

from ceasewatch.agreement.geojson import area_km2 as geodesic_km2
from ceasewatch.delineation import shapes
from ceasewatch.errors import Invalid
from tests.delineation.fixtures import drawn, syria_outline


def _fc(*rings: list[list[float]], kind: str = "Polygon") -> dict[str, Any]:
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": f"area {i}"},
                "geometry": {"type": kind, "coordinates": [ring]},
            }
            for i, ring in enumerate(rings)
        ],
    }


SQUARE = [[37.0, 36.0], [37.05, 36.0], [37.05, 36.05], [37.0, 36.05], [37.0, 36.0]]
BOWTIE = [[37.0, 36.0], [37.05, 36.05], [37.05, 36.0], [37.0, 36.05], [37.0, 36.0]]


def _problems(fc: Any, **kw: Any) -> list[str]:
    with pytest.raises(Invalid) as e:
        shapes.read(fc, **kw)
    assert "nothing was stored" in str(e.value) or e.value.errors
    return e.value.errors


def test_a_self_intersecting_polygon_is_named_by_its_feature_index() -> None:
    problems = _problems(_fc(SQUARE, [[x + 0.1, y] for x, y in BOWTIE]))
    assert len(problems) == 1
    assert problems[0].startswith('features[1] ("area 1"): invalid polygon: Self-intersection')
    assert "Fix Geometries" in problems[0]


def test_overlapping_polygons_name_both_features_and_the_overlap() -> None:
    moved = [[x + 0.02, y] for x, y in SQUARE]
    problems = _problems(_fc(SQUARE, moved))
    assert len(problems) == 1
    assert problems[0].startswith('features[1] ("area 1"): overlaps features[0] ("area 0") by')
    assert "share an edge" in problems[0]


def test_polygons_sharing_an_edge_are_fine() -> None:
    beside = [[x + 0.05, y] for x, y in SQUARE]
    assert len(shapes.read(_fc(SQUARE, beside))) == 2


def test_a_polygon_outside_the_country_is_refused() -> None:
    cyprus = [[x - 3.8, y - 1.0] for x, y in SQUARE]  # at sea, west of Syria
    problems = _problems(_fc(SQUARE, cyprus), country=syria_outline(), country_name="SY")
    assert len(problems) == 1
    assert problems[0].startswith('features[1] ("area 1"):') and "outside SY" in problems[0]


def test_a_point_or_an_empty_collection_is_refused() -> None:
    point = {"type": "Point", "coordinates": [37.0, 36.0]}
    fc = {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": point}]}
    assert "draw each area as a Polygon" in _problems(fc)[0]
    with pytest.raises(Invalid, match="no polygons"):
        shapes.read({"type": "FeatureCollection", "features": []})
    with pytest.raises(Invalid, match="FeatureCollection"):
        shapes.read({"type": "Feature"})


def test_every_problem_comes_back_at_once() -> None:
    fc = _fc(SQUARE, [[x + 0.02, y] for x, y in SQUARE], [[x + 0.3, y] for x, y in BOWTIE])
    problems = _problems(fc)
    assert {p.split(":")[0] for p in problems} == {
        'features[2] ("area 2")',
        'features[1] ("area 1")',
    }


@pytest.mark.parametrize("size", [0.01, 0.2, 1.0])
def test_equal_area_km2_agrees_with_the_geodesic_area(size: float) -> None:
    g = box(37.0, 36.0, 37.0 + size, 36.0 + size)
    assert shapes.area_km2(g) == pytest.approx(geodesic_km2(g), rel=2e-3)


def test_the_disputed_area_is_what_one_proposal_has_and_the_other_not() -> None:
    us = shapes.union(shapes.read(drawn("us"), country=syria_outline()))
    ru = shapes.union(shapes.read(drawn("ru"), country=syria_outline()))
    area = shapes.area_km2(shapes.disputed(us, ru))
    only_us = shapes.area_km2(us.difference(ru))
    only_ru = shapes.area_km2(ru.difference(us))
    assert area == pytest.approx(only_us + only_ru, rel=1e-6)
    assert area > 10  # the 1070 project / al-Hamdaniyah edge at least
    assert shapes.area_km2(shapes.disputed(us, copy.deepcopy(us))) == 0
