from __future__ import annotations

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


def test_incident_schema_refuses_impossible_values() -> None:
    v = jsonschema.Draft202012Validator(schemas.load("incident.v1"))
    base = {
        "id": "x",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "occurred": {"start": "2016-09-01", "end": "2016-09-01"},
        "location": {"lat": 36.0, "lon": 37.0, "precision": "town"},
    }
    assert v.is_valid(base)
    assert not v.is_valid({**base, "location": {"lat": 200, "lon": 37.0, "precision": "town"}})
    assert not v.is_valid({**base, "confidence": "sure"})
    assert not v.is_valid({**base, "unknown_field": 1})
