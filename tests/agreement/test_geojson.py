"""Zones, routes and checkpoints: every problem names the feature, its line, and the fix."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ceasewatch.agreement.geojson import feature_spans, load_routes, load_zones
from ceasewatch.agreement.problems import Problem
from tests.agreement import specs

RING_HINT = "a ring needs at least 4 positions, the last equal to the first"


def _break_zone(folder: Path, fid: str, ring: list[Any]) -> Path:
    path = folder / "zones.geojson"
    data = specs.read_features(path)
    specs.feature(data, fid)["geometry"]["coordinates"] = [ring]
    specs.write_features(path, data)
    return path


def _id_line(path: Path, fid: str, occurrence: int = 1) -> int:
    return specs.line_of(path, f'"id": "{fid}"', occurrence)


def _start_line(path: Path, index: int) -> int:
    """Line of the ``{`` that opens feature ``index`` (as ``write_features`` lays it out)."""
    return specs.line_of(path, '"type": "Feature"', index + 1) - 1


@pytest.mark.parametrize(
    ("position", "words"),
    [
        ([-30.0, 95], "latitude 95 is outside -90..90 at position (lon -30.0, lat 95)"),
        ([-30.0, -90.5], "latitude -90.5 is outside -90..90 at position (lon -30.0, lat -90.5)"),
        ([200.0, 0.05], "longitude 200.0 is outside -180..180 at position (lon 200.0, lat 0.05)"),
    ],
)
def test_a_position_out_of_range_names_the_feature_its_line_and_the_position(
    minimal_dir: Path, position: list[float], words: str
) -> None:
    ring = [[-30.1, 0.0], [-30.0, 0.0], position, [-30.1, 0.05], [-30.1, 0.0]]
    path = _break_zone(minimal_dir, "north", ring)

    [problem] = specs.problems(minimal_dir)

    line = _id_line(path, "north")
    assert problem.startswith(f"zones.geojson:{line}: north.geometry.coordinates.0.2: {words}")
    assert "longitude, latitude" in problem


def test_every_bad_position_of_a_feature_is_counted_in_one_problem(minimal_dir: Path) -> None:
    ring = [[-30.1, 0.0], [-30.0, 91], [-30.0, 92], [-30.1, 93], [-30.1, 0.0]]
    _break_zone(minimal_dir, "north", ring)
    [problem] = specs.problems(minimal_dir)
    assert "coordinates.0.1: latitude 91" in problem and "(and 2 more position(s)" in problem


def test_an_unclosed_ring_is_refused_with_both_ends(minimal_dir: Path) -> None:
    ring = [[-30.1, -0.05], [-30.0, -0.05], [-30.0, 0.0], [-30.1, 0.0]]
    path = _break_zone(minimal_dir, "south", ring)

    [problem] = specs.problems(minimal_dir)

    assert problem == (
        f"zones.geojson:{_id_line(path, 'south')}: south.geometry.coordinates.0: ring 0 is not "
        "closed: it starts at (lon -30.1, lat -0.05) but ends at (lon -30.1, lat 0.0) — "
        "repeat the first position at the end of the ring"
    )


@pytest.mark.parametrize(
    "ring",
    [
        [[-30.1, 0.0], [-30.0, 0.0], [-30.1, 0.0]],  # three positions
        [[-30.1, 0.0], [-30.1, 0.0], [-30.0, 0.0], [-30.1, 0.0]],  # four, two corners
    ],
    ids=["three-positions", "two-distinct-corners"],
)
def test_a_ring_with_too_few_positions_gets_the_ring_hint(
    minimal_dir: Path, ring: list[list[float]]
) -> None:
    path = _break_zone(minimal_dir, "north", ring)

    [problem] = specs.problems(minimal_dir)

    assert problem.startswith(f"zones.geojson:{_id_line(path, 'north')}: north.geometry")
    assert RING_HINT in problem
    assert "cross itself" not in problem


def test_a_position_that_is_not_two_numbers_is_named(minimal_dir: Path) -> None:
    ring = [[-30.1, 0.0], [-30.0, 0.0], ["-30.0", "0.05"], [-30.1, 0.05], [-30.1, 0.0]]
    _break_zone(minimal_dir, "north", ring)
    [problem] = specs.problems(minimal_dir)
    assert (
        'north.geometry.coordinates.0.2: position ["-30.0", "0.05"] is not a longitude' in problem
    )


def _routes_and_checkpoints(folder: Path) -> tuple[Path, Path]:
    """A routes file and a checkpoints file, each with one feature of every kind of mistake."""
    line = {"type": "LineString", "coordinates": [[-30.09, 0.03], [-29.96, 0.03]]}
    point = {"type": "Point", "coordinates": [-30.05, 0.03]}
    routes = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "river-road", "corridor_m": 1000},
                "geometry": line,
            },
            {"type": "Feature", "properties": {"id": "wide", "corridor_m": -5}, "geometry": line},
            {"type": "Feature", "properties": {"id": "dot", "corridor_m": 10}, "geometry": point},
            {"type": "Feature", "properties": {"corridor_m": 10}, "geometry": line},
            {"type": "Feature", "id": 7, "properties": {"corridor_m": 10}, "geometry": line},
            {"type": "Feature", "properties": {"id": "wide", "corridor_m": 10}, "geometry": line},
            {
                "type": "Feature",
                "properties": {"id": "far", "corridor_m": 10},
                "geometry": {"type": "LineString", "coordinates": [[0, 0], [0, 100]]},
            },
        ],
    }
    checkpoints = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "cp-ok", "route": "river-road"},
                "geometry": point,
            },
            {
                "type": "Feature",
                "properties": {"id": "cp-route", "route": "river-rd"},
                "geometry": point,
            },
            {
                "type": "Feature",
                "properties": {"id": "cp-actor", "operated_by": ["gvo"]},
                "geometry": point,
            },
            {"type": "Feature", "properties": {"id": "cp-line"}, "geometry": line},
            {"type": "Feature", "properties": {"name": "no id"}, "geometry": point},
            {"type": "Feature", "properties": {"id": "cp-ok"}, "geometry": point},
        ],
    }
    specs.write_features(folder / "routes.geojson", routes)
    specs.write_features(folder / "checkpoints.geojson", checkpoints)
    specs.edit(
        folder / "scenario.yaml",
        "  routes: routes.geojson\n",
        "  routes: routes.geojson\n  checkpoints: checkpoints.geojson\n",
    )
    return folder / "routes.geojson", folder / "checkpoints.geojson"


def test_route_and_checkpoint_problems_give_the_line_of_their_feature(minimal_dir: Path) -> None:
    routes, checkpoints = _routes_and_checkpoints(minimal_dir)

    found = specs.problems(minimal_dir)

    assert all(specs.LOCATED.match(p) for p in found), "\n".join(found)
    number_id = specs.line_of(routes, '"id": 7')
    expected = {
        f"routes.geojson:{_id_line(routes, 'wide')}: wide.corridor_m: corridor_m must be",
        f"routes.geojson:{_id_line(routes, 'dot')}: dot.geometry.type: a route must be",
        # no id: the line where the feature starts
        f"routes.geojson:{_start_line(routes, 3)}: features.3: route has no id",
        f"routes.geojson:{number_id}: features.4.id: route id 7 is not text",
        f"routes.geojson:{_id_line(routes, 'wide', 2)}: wide: duplicate route id 'wide' "
        f"(first defined at routes.geojson:{_id_line(routes, 'wide')})",
        f"routes.geojson:{_id_line(routes, 'far')}: far.geometry.coordinates.1: latitude 100",
        f"checkpoints.geojson:{_id_line(checkpoints, 'cp-route')}: cp-route.route: unknown route "
        "'river-rd' — did you mean 'river-road'?",
        f"checkpoints.geojson:{_id_line(checkpoints, 'cp-actor')}: cp-actor.operated_by.0: "
        "unknown actor 'gvo' — did you mean 'gov'?",
        f"checkpoints.geojson:{_id_line(checkpoints, 'cp-line')}: cp-line.geometry.type: "
        "a checkpoint must be a Point, not LineString",
        f"checkpoints.geojson:{_start_line(checkpoints, 4)}: features.4: checkpoint has no id",
        f"checkpoints.geojson:{_id_line(checkpoints, 'cp-ok', 2)}: cp-ok: duplicate checkpoint id "
        f"'cp-ok' (first defined at checkpoints.geojson:{_id_line(checkpoints, 'cp-ok')})",
    }
    for start in expected:
        assert any(p.startswith(start) for p in found), f"{start}\nnot in\n" + "\n".join(found)
    assert len(found) == len(expected), "\n".join(found)


@pytest.mark.parametrize("layer", ["zones", "routes"])
def test_a_duplicate_id_points_at_the_second_feature_and_names_the_first(
    minimal_dir: Path, layer: str
) -> None:
    path = minimal_dir / f"{layer}.geojson"
    data = specs.read_features(path)
    first = data["features"][0]
    fid = first["properties"]["id"]
    copy = json.loads(json.dumps(first))
    copy["properties"]["name"] = "drawn twice"
    data["features"].append(copy)
    specs.write_features(path, data)

    [problem] = specs.problems(minimal_dir)

    what = layer.removesuffix("s")
    assert problem.startswith(
        f"{layer}.geojson:{_id_line(path, fid, 3)}: {fid}: duplicate {what} id {fid!r} "
        f"(first defined at {layer}.geojson:{_id_line(path, fid)})"
    )


def test_a_zone_with_a_bad_type_and_a_bad_ring_reports_both(minimal_dir: Path) -> None:
    path = _break_zone(minimal_dir, "east", [[-29.95, -0.05], [-29.9, -0.05], [-29.95, -0.05]])
    specs.edit(path, '"type": "designated-group"', '"type": "designated"')
    found = specs.problems(minimal_dir)
    assert len(found) == 2, found
    assert any("unknown zone type 'designated'" in p for p in found)
    assert any(RING_HINT in p for p in found)


def test_a_zone_without_a_type_is_told_to_add_one(minimal_dir: Path) -> None:
    specs.edit(minimal_dir / "zones.geojson", ', "type": "marbled"', "")
    [problem] = specs.problems(minimal_dir)
    assert 'hills.type: the zone has no type — add "type": one of opposition' in problem


def test_a_checkpoint_actor_given_as_text_is_one_problem(minimal_dir: Path) -> None:
    _routes_and_checkpoints(minimal_dir)
    path = minimal_dir / "checkpoints.geojson"
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "cp", "monitored_by": "aid"},
                "geometry": {"type": "Point", "coordinates": [-30.05, 0.03]},
            }
        ],
    }
    specs.write_features(path, data)
    found = [p for p in specs.problems(minimal_dir) if p.startswith("checkpoints")]
    assert found == [
        f"checkpoints.geojson:{_id_line(path, 'cp')}: cp.monitored_by: monitored_by must be a "
        'list of actor ids, not one text — write "monitored_by": ["aid"]'
    ]


def test_feature_spans_skip_brackets_inside_strings_and_nested_features_keys() -> None:
    text = (
        '{"type": "FeatureCollection", "meta": {"features": [{"id": "not-me"}]},\n'
        ' "features": [\n'
        '  {"id": "a", "properties": {"note": "a \\"quoted\\" } and ] inside"}},\n'
        '  {"id": "b", "properties": {"features": [{"id": "nested"}]}}\n'
        " ]}"
    )
    spans = feature_spans(text)
    assert [json.loads(text[a:b])["id"] for a, b in spans] == ["a", "b"]


def test_compact_geojson_gives_each_feature_its_own_line() -> None:
    square = [[[0, 0], [1, 0], [1, 1], [0, 1]]]  # unclosed
    features = [
        {
            "type": "Feature",
            "properties": {"id": f"z{i}", "type": "city"},
            "geometry": {"type": "Polygon", "coordinates": square},
        }
        for i in range(3)
    ]
    text = (
        '{"type": "FeatureCollection", "features": [\n'
        + ",\n".join(json.dumps(f, separators=(",", ":")) for f in features)
        + "\n]}"
    )
    found: list[Problem] = []
    layer = load_zones(text, "z.geojson", found.append)
    assert [(p.line, p.path[0]) for p in found] == [(2, "z0"), (3, "z1"), (4, "z2")]
    assert layer.items == [] and layer.ids == frozenset({"z0", "z1", "z2"})


def test_an_unreadable_file_defines_no_ids_and_says_where_the_json_breaks() -> None:
    found: list[Problem] = []
    layer = load_routes(
        '{"type": "FeatureCollection",\n "features": [,]}', "r.geojson", found.append
    )
    assert layer.ids is None
    [problem] = found
    assert re.match(r"r\.geojson:2: \(top\): not valid JSON", str(problem))


def test_coordinates_nested_one_level_too_deep_are_one_problem(minimal_dir: Path) -> None:
    square = [[-30.1, 0.0], [-30.0, 0.0], [-30.0, 0.05], [-30.1, 0.05], [-30.1, 0.0]]
    _break_zone(minimal_dir, "north", [square])  # a MultiPolygon's nesting in a Polygon
    [problem] = specs.problems(minimal_dir)
    assert (
        "north.geometry.coordinates.0: ring 0 is nested one level too deep — check the brackets"
        in problem
    )
