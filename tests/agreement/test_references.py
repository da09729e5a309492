"""References between documents: one mistake is one problem, reported where it is made."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.agreement import specs


def _route_corridor(folder: Path) -> None:
    specs.edit(folder / "routes.geojson", '"corridor_m": 1000', '"corridor_m": -5')


def _route_geometry(folder: Path) -> None:
    specs.edit(folder / "routes.geojson", '"type": "LineString"', '"type": "Point"')


def _zone_type(folder: Path) -> None:
    specs.edit(folder / "zones.geojson", '"type": "city"', '"type": "citty"')


def _zone_ring(folder: Path) -> None:  # the town's ring left open
    specs.edit(
        folder / "zones.geojson", ", [-30.06, 0.02], [-30.06, -0.02]]]", ", [-30.06, 0.02]]]"
    )


@pytest.mark.parametrize(
    ("breaking", "where"),
    [
        (_route_corridor, "river-road.corridor_m"),
        (_route_geometry, "river-road.geometry.type"),
        (_zone_type, "town.type"),
        (_zone_ring, "town.geometry.coordinates.0"),
    ],
    ids=["route-corridor", "route-geometry", "zone-type", "zone-ring"],
)
def test_a_feature_with_a_bad_field_is_still_defined_for_references(
    minimal_dir: Path, breaking: Callable[[Path], None], where: str
) -> None:
    # river-road is named by a rule, a gate and a trigger; town by an attribution rule
    breaking(minimal_dir)
    [problem] = specs.problems(minimal_dir)
    assert f": {where}: " in problem
    assert not re.search(r"unknown (zone|route) '", problem)


def test_a_badly_formed_actor_id_is_reported_once_where_it_is_defined(minimal_dir: Path) -> None:
    specs.edit(minimal_dir / "scenario.yaml", "  - id: rebels", "  - id: Rebels")
    specs.edit(
        minimal_dir / "truce.yaml", "parties: [gov, ally, rebels]", "parties: [gov, ally, Rebels]"
    )
    [problem] = specs.problems(minimal_dir)
    assert problem.startswith("scenario.yaml:21: actors.3.id: 'Rebels' is not a valid id")
    assert "e.g. 'rebels'" in problem


def test_actors_that_cannot_be_read_do_not_make_every_reference_unknown(minimal_dir: Path) -> None:
    specs.edit(minimal_dir / "scenario.yaml", "actors:\n", "actors: gov\nold_actors:\n")
    found = specs.problems(minimal_dir)
    assert not any("unknown actor" in p for p in found), found
    assert any(p.startswith("scenario.yaml:9: actors: 'gov' is not a list") for p in found), found


def test_an_unreadable_routes_file_does_not_make_its_routes_unknown(minimal_dir: Path) -> None:
    (minimal_dir / "routes.geojson").write_text("{not json", encoding="utf-8")
    [problem] = specs.problems(minimal_dir)
    assert problem.startswith("routes.geojson:1: (top): not valid JSON")


def test_a_route_named_when_no_routes_file_is_given_says_where_to_add_it(minimal_dir: Path) -> None:
    specs.edit(minimal_dir / "scenario.yaml", "  routes: routes.geojson\n", "")
    found = specs.problems(minimal_dir)
    assert len(found) == 3  # the rule, the gate and the trigger name the route
    assert all(
        "unknown route 'river-road' — the scenario defines no routes: name a routes file under "
        "geography in scenario.yaml" in p
        for p in found
    ), found


# a second entry with the id of the first, inserted before `anchor` in `file`
DUPLICATES = [
    (
        "scenario.yaml",
        "  - id: civilians\n",
        "  - id: ally\n    name: Again\n    kind: state\n",
        "actor",
        "actors.5.id",
        "  - id: ally",
    ),
    (
        "scenario.yaml",
        "\nagreements:",
        "  - id: valley-airspace\n    description: Again.\n    methods: [airstrike]\n    actors: [gov]\n",
        "attribution rule",
        "attribution.1.id",
        "  - id: valley-airspace",
    ),
    (
        "truce.yaml",
        "\nphases:",
        "  - id: ceasefire\n    type: hostilities.v1\n    provision: Again.\n"
        "    effective: {start: 2024-05-01T06:00:00-01:00}\n",
        "rule",
        "rules.4.id",
        "  - id: ceasefire",
    ),
    (
        "truce.yaml",
        "\ntriggers:",
        "  - id: talks\n    name: Again\n    after: truce\n",
        "phase",
        "phases.2.id",
        "  - id: talks",
    ),
    (
        "truce.yaml",
        "    consequence:",
        "    consequence: Again.\n  - id: collapse\n    description: Again.\n    window_days: 2\n"
        "    conditions:\n      - violation_days: {min_days: 1}\n",
        "trigger",
        "triggers.1.id",
        "  - id: collapse",
    ),
]


@pytest.mark.parametrize(
    ("file", "anchor", "insert", "what", "path", "needle"),
    DUPLICATES,
    ids=[d[3] for d in DUPLICATES],
)
def test_a_duplicate_id_points_at_the_second_entry_and_names_the_first(
    minimal_dir: Path, file: str, anchor: str, insert: str, what: str, path: str, needle: str
) -> None:
    target = minimal_dir / file
    specs.edit(target, anchor, insert + anchor)
    first, second = specs.line_of(target, needle, 1), specs.line_of(target, needle, 2)
    ident = needle.split(": ")[1]

    [problem] = specs.problems(minimal_dir)

    assert problem.startswith(
        f"{file}:{second}: {path}: duplicate {what} id {ident!r} (first defined at {file}:{first})"
    ), problem


def test_two_agreements_with_one_id_point_at_the_second_file(minimal_dir: Path) -> None:
    second = minimal_dir / "truce-copy.yaml"
    second.write_text((minimal_dir / "truce.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    specs.edit(
        minimal_dir / "scenario.yaml", "  - truce.yaml\n", "  - truce.yaml\n  - truce-copy.yaml\n"
    )
    line = specs.line_of(second, "id: valley-truce")

    [problem] = specs.problems(minimal_dir)

    assert problem.startswith(
        f"truce-copy.yaml:{line}: id: duplicate agreement id 'valley-truce' "
        f"(first defined at truce.yaml:{line})"
    )


def test_an_agreement_file_listed_twice_is_one_problem_at_the_second_listing(
    minimal_dir: Path,
) -> None:
    scenario = minimal_dir / "scenario.yaml"
    specs.edit(scenario, "  - truce.yaml\n", "  - truce.yaml\n  - truce.yaml\n")
    [problem] = specs.problems(minimal_dir)
    first, second = (
        specs.line_of(scenario, "- truce.yaml"),
        specs.line_of(scenario, "- truce.yaml", 2),
    )
    assert re.match(
        rf"scenario\.yaml:{second}: agreements\.1: agreement file 'truce\.yaml' listed twice "
        rf"\(first defined at scenario\.yaml:{first}\)",
        problem,
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "  zones: zones.geojson",
            "  zone: zones.geojson",
            "scenario.yaml:38: geography.zone: unknown field 'zone' — did you mean 'zones'?",
        ),
        (
            "geography:\n  zones: zones.geojson\n  routes: routes.geojson\n",
            "geography: zones.geojson\n",
            "scenario.yaml:37: geography: 'zones.geojson' is not a mapping of fields",
        ),
    ],
    ids=["misspelt-key", "not-a-mapping"],
)
def test_a_broken_geography_is_one_problem_not_every_zone_unknown(
    minimal_dir: Path, old: str, new: str, expected: str
) -> None:
    specs.edit(minimal_dir / "scenario.yaml", old, new)
    [problem] = specs.problems(minimal_dir)
    assert problem.startswith(expected)


def test_a_misspelt_attribution_method_is_reported_once(minimal_dir: Path) -> None:
    specs.edit(
        minimal_dir / "scenario.yaml",
        "methods: [airstrike, barrel_bomb]",
        "methods: [airstrikes, barrel_bomb]",
    )
    [problem] = specs.problems(minimal_dir)
    assert problem.endswith(
        "attribution.0.methods.0: 'airstrikes' is not allowed — did you mean 'airstrike'?"
    )
