from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from ceasewatch.agreement.sources import BUNDLED, load_path
from ceasewatch.agreement.spec import parse_duration
from ceasewatch.errors import UsageError
from tests.agreement import specs


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
    specs.edit(sep, "where: {zone_types: [opposition, marbled]}", "where: {zones: [aleppo-est]}")
    specs.edit(sep, "binds: [sy-gov]", "binds: [sy-govt]")
    specs.edit(
        sep,
        "start: 2016-09-12T19:00:00+03:00\n      duration: 48h",
        "start: 2016-09-12T19:00:00\n      duration: 48h",
    )
    feb = spec_dir / "feb-2016-terms.yaml"
    specs.edit(feb, "type: territory.v1", "type: territory.v2")
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

    problems = specs.problems(spec_dir)

    assert len(problems) == 5, "\n".join(problems)
    assert all(specs.LOCATED.match(p) for p in problems), problems
    text = "\n".join(problems)
    assert "unknown zone 'aleppo-est' — did you mean 'aleppo-east'?" in text
    assert "unknown actor 'sy-govt' — did you mean 'sy-gov'?" in text
    # the naive datetime, with the fix: the user's value and Damascus's offset that day
    assert "'2016-09-12T19:00:00' has no timezone — write '2016-09-12T19:00:00+03:00'" in text
    assert "'territory.v2' is not allowed — did you mean 'territory.v1'?" in text
    assert re.search(
        r"zones\.geojson:\d+: bowtie\.geometry: invalid polygon: Self-intersection near lon", text
    )


def test_lines_point_at_the_mistake(spec_dir: Path) -> None:
    sep = spec_dir / "sep-2016-arrangement.yaml"
    specs.edit(sep, "route: castello-road\n", "route: castelo-road\n")
    lines = sep.read_text(encoding="utf-8").splitlines()
    expected = next(n for n, line in enumerate(lines, 1) if "castelo-road" in line)
    [problem] = specs.problems(spec_dir)
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
    [problem] = specs.problems(spec_dir)
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
    problems = specs.problems(tmp_path)
    assert any(expected in p and re.match(r"scenario\.yaml:\d+:", p) for p in problems), problems


def test_missing_referenced_files_are_named(spec_dir: Path) -> None:
    (spec_dir / "routes.geojson").unlink()
    (spec_dir / "feb-2016-terms.yaml").unlink()
    problems = specs.problems(spec_dir)
    assert any("file 'routes.geojson' not found" in p for p in problems)
    assert any("file 'feb-2016-terms.yaml' not found" in p for p in problems)


def test_unknown_field_suggests_the_known_one(spec_dir: Path) -> None:
    specs.edit(
        spec_dir / "feb-2016-terms.yaml",
        "exempt_targets: [isis, nusra]\n  - id: territory",
        "exempt_target: [isis, nusra]\n  - id: territory",
    )
    [problem] = specs.problems(spec_dir)
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
    specs.edit(
        spec_dir / "scenario.yaml",
        "\n# Groups whose targeting",
        "\n" + extra + "\n# Groups whose targeting",
    )
    [problem] = specs.problems(spec_dir)
    assert "at most 63" in problem and problem.startswith("scenario.yaml:")


@pytest.mark.parametrize(
    ("layer", "hint"),
    [
        ("zones.geojson", "its scenario.yaml names this file as geography.zones"),
        ("stray.geojson", "the scenario.yaml that names this file under geography"),
    ],
)
def test_checking_a_geojson_layer_says_one_clear_thing(
    minimal_dir: Path, layer: str, hint: str
) -> None:
    path = minimal_dir / layer
    if not path.exists():
        path.write_text((minimal_dir / "zones.geojson").read_text(encoding="utf-8"))
    [problem] = specs.problems(path)
    assert problem.startswith(
        f"{layer}:1: (top): this is a GeoJSON layer (FeatureCollection), not a scenario — "
    )
    assert hint in problem


def test_checking_an_incident_file_says_what_it_is(minimal_dir: Path) -> None:
    [problem] = specs.problems(minimal_dir / "incidents.json")
    assert "this is a JSON list (an incident file?), not a scenario" in problem
    assert "evaluate --incidents" in problem


def test_checking_some_other_yaml_says_it_is_not_a_scenario(tmp_path: Path) -> None:
    other = tmp_path / "ci.yaml"
    other.write_text("on: push\njobs:\n  test: {runs-on: ubuntu-latest}\n", encoding="utf-8")
    [problem] = specs.problems(other)
    assert problem.startswith("ci.yaml:1: (top): this is not a ceasewatch scenario")


def test_a_geojson_layer_listed_as_an_agreement_is_one_problem(minimal_dir: Path) -> None:
    scenario = minimal_dir / "scenario.yaml"
    specs.edit(scenario, "  - truce.yaml\n", "  - truce.yaml\n  - zones.geojson\n")
    [problem] = specs.problems(minimal_dir)
    line = specs.line_of(scenario, "- zones.geojson")
    assert problem.startswith(
        f"scenario.yaml:{line}: agreements.1: 'zones.geojson' is listed as an agreement but is "
        "a GeoJSON layer (FeatureCollection) — list GeoJSON layers under geography"
    )


@pytest.mark.parametrize(
    ("written", "suggested"),
    [
        ("2024-05-01T06:00", "'2024-05-01T06:00' has no timezone — write '2024-05-01T06:00-01:00'"),
        (
            "2024-05-01 06:00:00",
            "'2024-05-01 06:00:00' has no timezone — write '2024-05-01 06:00:00-01:00'",
        ),
        (
            "2024-05-01",
            "'2024-05-01' has no time of day and no timezone — write '2024-05-01T00:00:00-01:00'",
        ),
    ],
)
def test_a_datetime_without_offset_is_echoed_with_the_scenarios_offset(
    minimal_dir: Path, written: str, suggested: str
) -> None:
    truce = minimal_dir / "truce.yaml"
    specs.edit(
        truce,
        "      start: 2024-05-01T06:00:00-01:00\n  - id: no-fly",
        f"      start: {written}\n  - id: no-fly",
    )
    [problem] = specs.problems(minimal_dir)
    assert (
        problem == f"truce.yaml:15: rules.0.effective.start: {suggested} (Atlantic/Cape_Verde time)"
    )


def test_the_suggested_offset_follows_daylight_saving(spec_dir: Path) -> None:
    # Damascus was UTC+2 on 27 February 2016 and UTC+3 on 12 September 2016
    specs.edit(spec_dir / "feb-2016-terms.yaml", "2016-02-27T00:00:00+02:00", "2016-02-27T00:00:00")
    specs.edit(
        spec_dir / "sep-2016-arrangement.yaml", "2016-09-12T19:00:00+03:00", "2016-09-12T19:00"
    )
    found = specs.problems(spec_dir)
    assert any("write '2016-02-27T00:00:00+02:00' (Asia/Damascus time)" in p for p in found), found
    assert any("write '2016-09-12T19:00+03:00' (Asia/Damascus time)" in p for p in found), found


def test_a_number_is_not_taken_for_a_datetime(minimal_dir: Path) -> None:
    specs.edit(
        minimal_dir / "truce.yaml",
        "start: 2024-05-01T06:00:00-01:00\n    duration: PT72H",
        "start: 2024\n    duration: PT72H",
    )
    [problem] = specs.problems(minimal_dir)
    assert "phases.0.start: 2024 is a number, not a datetime — write e.g." in problem


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "timezone: Atlantic/Cape_Verde",
            "timezone: Atlantic/Cape_Verde\ncountry: cv",
            "country: 'cv' is not a two-letter country code — write the ISO 3166-1 alpha-2 code in capital letters, e.g. 'CV'",
        ),
        (
            "  - id: extremists",
            "  - id: Extreme Group",
            "'Extreme Group' is not a valid id — use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, e.g. 'extreme-group'",
        ),
        (
            "designated: [extremists]",
            "designated: extremists",
            "designated: 'extremists' is not a list — write a list",
        ),
    ],
)
def test_field_mistakes_get_a_hint_that_fits_them(
    minimal_dir: Path, old: str, new: str, expected: str
) -> None:
    specs.edit(minimal_dir / "scenario.yaml", old, new)
    found = specs.problems(minimal_dir)
    assert any(expected in p for p in found), found


def test_a_misspelt_timezone_suggests_the_nearest(minimal_dir: Path) -> None:
    specs.edit(
        minimal_dir / "scenario.yaml",
        "timezone: Atlantic/Cape_Verde",
        "timezone: Atlantic/Cape_Verd",
    )
    [problem] = specs.problems(minimal_dir)
    assert problem.endswith(
        "unknown timezone 'Atlantic/Cape_Verd' — did you mean 'Atlantic/Cape_Verde'?"
    )


def test_an_empty_agreement_file_says_it_is_empty(minimal_dir: Path) -> None:
    (minimal_dir / "truce.yaml").write_text("# nothing yet\n", encoding="utf-8")
    [problem] = specs.problems(minimal_dir)
    assert problem.startswith("truce.yaml:1: (top): the file is empty")


def test_a_key_given_twice_names_the_first(minimal_dir: Path) -> None:
    specs.edit(
        minimal_dir / "truce.yaml",
        "    route: river-road\n",
        "    route: river-road\n    route: river-road\n",
    )
    [problem] = specs.problems(minimal_dir)
    assert problem.startswith(
        "truce.yaml:31: rules.2.route: key given twice (first at truce.yaml:30)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "      end: 2024-05-31T06:00:00-01:00",
            "      end: 2024-04-30T06:00:00-01:00",
            "truce.yaml:29: rules.2.effective.end: end must be after start",
        ),
        (
            "    duration: PT72H\n",
            "    duration: PT72H\n    after: talks\n",
            "truce.yaml:44: phases.0.after: a phase needs exactly one of start",
        ),
        (
            "      end: 2024-05-31T06:00:00-01:00",
            "      end: 2024-05-31T25:00:00-01:00",
            "truce.yaml:29: rules.2.effective.end: '2024-05-31T25:00:00-01:00' is not a datetime "
            "(hour must be in 0..23)",
        ),
    ],
    ids=["end-before-start", "start-and-after", "hour-25"],
)
def test_a_check_across_fields_points_at_the_field_to_change(
    minimal_dir: Path, old: str, new: str, expected: str
) -> None:
    specs.edit(minimal_dir / "truce.yaml", old, new)
    [problem] = specs.problems(minimal_dir)
    assert problem.startswith(expected), problem


def test_a_file_that_is_not_utf8_names_the_line(minimal_dir: Path) -> None:
    truce = minimal_dir / "truce.yaml"
    truce.write_bytes(
        truce.read_bytes().replace(b"Example valley truce", b"Example vall\xe9e truce")
    )
    [problem] = specs.problems(minimal_dir)
    assert problem.startswith("truce.yaml:5: (top): not UTF-8 text")


def test_a_scenario_stored_before_access_files_were_kept_still_loads() -> None:
    from ceasewatch.agreement.loader import load_scenario

    bundled = load_path(BUNDLED / "syria-2016")
    files = dict(bundled.files)
    assert bundled.access_file in files  # kept with the scenario now
    del files[bundled.access_file]
    older = load_scenario(lambda rel: files[rel])
    assert older.access_file == bundled.access_file
    assert [a.id for a in older.agreements] == [a.id for a in bundled.agreements]
