from __future__ import annotations

import json

from ceasewatch.incidents import codec

RECORD = {
    "id": "r1",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Shelling/artillery/missile attack",
    "method": ["shelling"],
    "occurred": {"start": "2016-09-14", "end": "2016-09-14"},
    "location": {"lat": 36.2, "lon": 37.1, "precision": "town", "country": "SY"},
    "perpetrator": {"text": "regime forces", "actor": "sy-gov", "attribution": "reported"},
    "fatalities": {"low": 2, "best": 3, "high": 5},
}


def test_json_list_round_trips() -> None:
    loaded = codec.read_text(json.dumps([RECORD, {**RECORD, "id": "r2"}]), "x.json")
    assert [i.id for i in loaded.incidents] == ["r1", "r2"] and not loaded.problems
    again = codec.read_text(codec.dumps(loaded.incidents), "y.json")
    assert again.incidents == loaded.incidents


def test_extract_output_lines_are_read_as_their_incidents() -> None:
    lines = [
        {"id": "article-1", "incidents": [RECORD, {**RECORD, "id": "r2"}]},
        {"id": "article-2", "incidents": [], "skipped_reason": "not English"},
        {**RECORD, "id": "r3"},
    ]
    loaded = codec.read_text("\n".join(json.dumps(x) for x in lines) + "\n", "out.jsonl")
    assert [i.id for i in loaded.incidents] == ["r1", "r2", "r3"]


def test_bad_records_are_named_by_line_and_field_and_the_rest_load() -> None:
    bad_lat = {**RECORD, "id": "b1", "location": {**RECORD["location"], "lat": 200}}
    backwards = {**RECORD, "id": "b2", "occurred": {"start": "2016-09-15", "end": "2016-09-14"}}
    missing = {k: v for k, v in RECORD.items() if k != "event_type"} | {"id": "b3"}
    text = "\n".join(
        json.dumps(x) for x in [RECORD, bad_lat, "not json", backwards, missing, RECORD]
    )
    text = text.replace('"not json"', "{not json")
    loaded = codec.read_text(text, "in.jsonl")
    assert [i.id for i in loaded.incidents] == ["r1"]
    problems = [str(p) for p in loaded.problems]
    assert any(p.startswith("in.jsonl:2: location.lat:") for p in problems)
    assert any(p.startswith("in.jsonl:3: (line): not valid JSON") for p in problems)
    assert any(p.startswith("in.jsonl:4: occurred:") and "before start" in p for p in problems)
    assert any(p.startswith("in.jsonl:5: event_type: required field is missing") for p in problems)
    assert any(p.startswith("in.jsonl:6: id: duplicate id 'r1'") for p in problems)


def test_csv_rows_map_to_incidents() -> None:
    header = ",".join(codec.CSV_COLUMNS)
    values = dict.fromkeys(codec.CSV_COLUMNS, "")
    values |= {
        "id": "c1",
        "event_type": "Battles",
        "sub_event_type": "Armed clash",
        "method": "gunfire;sniper",
        "start": "2016-09-14",
        "lat": "36.2",
        "lon": "37.1",
        "location_precision": "town",
        "perpetrator_actor": "opposition",
        "attribution": "claimed",
        "target_actor": "sy-gov",
        "fatalities_low": "3",
        "source_document_id": "doc-1",
        "source_published": "2016-09-15",
    }
    row = ",".join(values[c] for c in codec.CSV_COLUMNS)
    loaded = codec.read_text(f"{header}\n{row}\n", "f.csv")
    assert not loaded.problems
    [inc] = loaded.incidents
    assert inc.method == ("gunfire", "sniper")
    assert inc.occurred.end == inc.occurred.start
    assert inc.fatalities is not None and inc.fatalities.low == 3 and inc.fatalities.best is None
    assert inc.sources[0].document_id == "doc-1"
    assert inc.perpetrator.attribution == "claimed"


def test_a_single_object_and_a_wrapped_list_are_accepted() -> None:
    assert len(codec.read_text(json.dumps(RECORD), "one.json").incidents) == 1
    assert len(codec.read_text(json.dumps({"incidents": [RECORD]}), "w.json").incidents) == 1
