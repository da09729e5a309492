from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from ceasewatch.agreement.problems import SpecInvalid
from ceasewatch.agreement.sources import BUNDLED, load_path
from ceasewatch.agreement.spec import parse_duration
from ceasewatch.errors import UsageError

LOCATED = re.compile(r"^[\w.-]+\.(yaml|geojson):\d+: \S+: .+")


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(BUNDLED / "syria-2016", target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path) -> list[str]:
    with pytest.raises(SpecInvalid) as caught:
        load_path(folder)
    return [str(p) for p in caught.value.problems]


def test_bundled_scenario_loads_with_both_agreements(syria) -> None:
    assert [a.id for a in syria.agreements] == ["coh-2016-02", "sep-2016-arrangement"]
    assert {z.type for z in syria.world.zones} >= {"opposition", "government", "marbled", "city"}
    feb = syria.agreements[0]
    assert feb.entry_into_force == dt.datetime(2016, 2, 26, 22, 0, tzinfo=dt.UTC)
    sep = syria.agreements[1]
    aleppo = next(r for r in sep.rules if r.id == "aleppo-48h")
    assert aleppo.effective.end - aleppo.effective.start == dt.timedelta(hours=48)


def test_five_different_mistakes_are_all_reported_with_file_and_line(spec_dir: Path) -> None:
    sep = spec_dir / "sep-2016-arrangement.yaml"
    _edit(sep, "where: {zone_types: [opposition, marbled]}", "where: {zones: [aleppo-est]}")
    _edit(sep, "binds: [sy-gov]", "binds: [sy-govt]")
    _edit(
        sep,
        "start: 2016-09-12T19:00:00+03:00\n      duration: 48h",
        "start: 2016-09-12T19:00:00\n      duration: 48h",
    )
    feb = spec_dir / "feb-2016-terms.yaml"
    _edit(feb, "type: territory.v1", "type: territory.v2")
    zones = json.loads((spec_dir / "zones.geojson").read_text(encoding="utf-8"))
    bowtie = [[[37.0, 36.0], [37.1, 36.1], [37.1, 36.0], [37.0, 36.1], [37.0, 36.0]]]
    zones["features"].append(
        {
            "type": "Feature",
            "id": "bowtie",
            "properties": {"id": "bowtie", "type": "contested"},
            "geometry": {"type": "Polygon", "coordinates": bowtie},
        }
    )
    (spec_dir / "zones.geojson").write_text(json.dumps(zones, indent=1), encoding="utf-8")

    problems = _problems(spec_dir)

    assert len(problems) == 5, "\n".join(problems)
    assert all(LOCATED.match(p) for p in problems), problems
    text = "\n".join(problems)
    assert "unknown zone 'aleppo-est' — did you mean 'aleppo-east'?" in text
    assert "unknown actor 'sy-govt' — did you mean 'sy-gov'?" in text
    assert "timezone" in text and "+02:00" in text  # the naive datetime, with the fix
    assert "'territory.v2' is not allowed — did you mean 'territory.v1'?" in text
    assert re.search(
        r"zones\.geojson:\d+: bowtie\.geometry: invalid polygon: Self-intersection near lon", text
    )


def test_lines_point_at_the_mistake(spec_dir: Path) -> None:
    sep = spec_dir / "sep-2016-arrangement.yaml"
    _edit(sep, "route: castello-road\n", "route: castelo-road\n")
    lines = sep.read_text(encoding="utf-8").splitlines()
    expected = next(n for n, line in enumerate(lines, 1) if "castelo-road" in line)
    [problem] = _problems(spec_dir)
    assert problem.startswith(f"sep-2016-arrangement.yaml:{expected}: rules.")
    assert "did you mean 'castello-road'?" in problem


def test_overlapping_control_zones_are_refused_with_the_area(spec_dir: Path) -> None:
    zones = json.loads((spec_dir / "zones.geojson").read_text(encoding="utf-8"))
    east = next(f for f in zones["features"] if f["properties"]["id"] == "aleppo-east")
    copy = json.loads(json.dumps(east))
    copy["id"] = copy["properties"]["id"] = "east-as-government"
    copy["properties"]["type"] = "government"
    zones["features"].append(copy)
    (spec_dir / "zones.geojson").write_text(json.dumps(zones, indent=1), encoding="utf-8")
    [problem] = _problems(spec_dir)
    assert "overlaps zone 'aleppo-east' (opposition)" in problem and "km²" in problem


def test_a_city_zone_may_overlap_control_zones(syria) -> None:
    city = syria.world.zone("aleppo-city").geometry
    east = syria.world.zone("aleppo-east").geometry
    assert city.intersection(east).area > 0  # and the bundled spec still loads


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("spec: ceasewatch.scenario.v1\nid: [unclosed\n", "YAML syntax error"),
        ("spec: ceasewatch.scenario.v1\nid: x\nid: y\n", "key given twice"),
        ("- just\n- a list\n", "expected a mapping"),
    ],
)
def test_malformed_yaml_is_reported_with_its_line(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "scenario.yaml").write_text(text, encoding="utf-8")
    problems = _problems(tmp_path)
    assert any(expected in p and re.match(r"scenario\.yaml:\d+:", p) for p in problems), problems


def test_missing_referenced_files_are_named(spec_dir: Path) -> None:
    (spec_dir / "routes.geojson").unlink()
    (spec_dir / "feb-2016-terms.yaml").unlink()
    problems = _problems(spec_dir)
    assert any("file 'routes.geojson' not found" in p for p in problems)
    assert any("file 'feb-2016-terms.yaml' not found" in p for p in problems)


def test_unknown_field_suggests_the_known_one(spec_dir: Path) -> None:
    _edit(
        spec_dir / "feb-2016-terms.yaml",
        "exempt_targets: [isis, nusra]\n  - id: territory",
        "exempt_target: [isis, nusra]\n  - id: territory",
    )
    [problem] = _problems(spec_dir)
    assert "unknown field 'exempt_target' — did you mean 'exempt_targets'?" in problem


def test_an_agreement_file_needs_its_scenario_beside_it(tmp_path: Path) -> None:
    lone = tmp_path / "lone.yaml"
    lone.write_text((BUNDLED / "syria-2016" / "feb-2016-terms.yaml").read_text(encoding="utf-8"))
    with pytest.raises(UsageError, match="scenario.yaml"):
        load_path(lone)


def test_an_agreement_file_loads_through_its_scenario(spec_dir: Path) -> None:
    scenario = load_path(spec_dir / "feb-2016-terms.yaml")
    assert [a.id for a in scenario.agreements] == ["coh-2016-02"]


@pytest.mark.parametrize("text", ["", "48", "h", "-3h", "0h", "soon"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="duration"):
        parse_duration(text)


def test_too_many_actors_is_a_spec_problem(spec_dir: Path) -> None:
    extra = "".join(
        f"  - {{id: extra-{n}, name: Extra {n}, kind: armed-group}}\n" for n in range(60)
    )
    _edit(
        spec_dir / "scenario.yaml",
        "\n# Groups whose targeting",
        "\n" + extra + "\n# Groups whose targeting",
    )
    [problem] = _problems(spec_dir)
    assert "at most 63" in problem and problem.startswith("scenario.yaml:")
