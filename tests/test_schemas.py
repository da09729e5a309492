from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from ceasewatch import schemas

DOCS = Path(__file__).parents[1] / "docs" / "schemas"


def test_shipped_schemas_match_the_code() -> None:
    for name, schema in schemas.generate().items():
        assert schemas.load(name) == schema, f"{name} is stale: run python -m ceasewatch.schemas"
        assert (DOCS / f"{name}.json").read_text(encoding="utf-8") == schemas.text(schema)


def test_schemas_are_valid_json_schema() -> None:
    for name in ("incident.v1", "finding.v1"):
        jsonschema.Draft202012Validator.check_schema(schemas.load(name))


BASE: dict[str, object] = {
    "id": "x",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "occurred": {"start": "2016-09-01", "end": "2016-09-01"},
    "location": {"lat": 36.0, "lon": 37.0, "precision": "town"},
}


def at(time: object) -> dict[str, object]:
    """BASE with ``occurred.time``."""
    return {**BASE, "occurred": {"start": "2016-09-01", "end": "2016-09-01", "time": time}}


def test_incident_schema_refuses_impossible_values() -> None:
    v = jsonschema.Draft202012Validator(schemas.load("incident.v1"))
    assert v.is_valid(BASE)
    assert not v.is_valid({**BASE, "location": {"lat": 200, "lon": 37.0, "precision": "town"}})
    assert not v.is_valid({**BASE, "confidence": "sure"})
    assert not v.is_valid({**BASE, "unknown_field": 1})


def test_incident_schema_says_local_time_is_hh_mm_with_optional_seconds() -> None:
    v = jsonschema.Draft202012Validator(
        schemas.load("incident.v1"), format_checker=jsonschema.FormatChecker()
    )
    assert '"format": "time"' not in schemas.text(schemas.load("incident.v1"))
    for good in ("00:00", "14:30", "23:59:59", None):
        assert v.is_valid(at(good)), good
    for bad in ("24:00", "14:30+02:00", "14:30:00Z", "14:30:00.5", "2:30", "14:60", 52200):
        assert not v.is_valid(at(bad)), bad


def test_an_incident_with_a_time_round_trips_through_json_within_the_schema() -> None:
    from ceasewatch.incidents import codec

    v = jsonschema.Draft202012Validator(schemas.load("incident.v1"))
    assert v.is_valid(at("06:15"))
    [inc] = codec.read_text(json.dumps([at("06:15")]), "x.json").incidents
    again = json.loads(codec.dumps([inc]))
    assert again[0]["occurred"]["time"] == "06:15:00"
    assert v.is_valid(again[0])
    assert codec.read_text(json.dumps(again), "y.json").incidents == (inc,)
