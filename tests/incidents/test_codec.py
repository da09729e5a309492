from __future__ import annotations

import json

import pytest

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
    assert any(p.startswith("in.jsonl:2: location.lat: 200 is outside -90..90") for p in problems)
    assert any(p.startswith("in.jsonl:3: (line): not valid JSON") for p in problems)
    assert any(
        p.startswith("in.jsonl:4: occurred.end: 2016-09-14 is before start") for p in problems
    )
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


# ---- where a problem is reported --------------------------------------------------------


def line_of(text: str, needle: str, nth: int = 0) -> int:
    """1-based line of the ``nth`` occurrence of ``needle`` in ``text``."""
    at = -1
    for _ in range(nth + 1):
        at = text.index(needle, at + 1)
    return text.count("\n", 0, at) + 1


LAT_200 = '"lat": 200'


def bad_lat(id: str) -> dict[str, object]:
    return {**RECORD, "id": id, "location": {**RECORD["location"], "lat": 200}}


def test_a_wrapped_list_reports_each_record_on_its_own_line_and_counts_them() -> None:
    text = json.dumps({"incidents": [RECORD, bad_lat("b1"), bad_lat("b2")]}, indent=1)
    loaded = codec.read_text(text, "w.json")
    assert [i.id for i in loaded.incidents] == ["r1"]
    lat_lines = [line_of(text, LAT_200, n) for n in (0, 1)]
    assert [str(p).split(" — ")[0] for p in loaded.problems] == [
        f"w.json:{line}: location.lat: 200 is outside -90..90" for line in lat_lines
    ]
    assert loaded.skipped == 2
    # `ceasewatch evaluate` counts problems by (file, line): one line per record here
    assert len({(p.file, p.line) for p in loaded.problems}) == 2


def test_records_sharing_a_line_are_counted_one_by_one() -> None:
    compact = json.dumps({"incidents": [bad_lat("b1"), RECORD, bad_lat("b2")]})
    loaded = codec.read_text(compact, "w.json")
    assert {p.line for p in loaded.problems} == {1}
    assert loaded.skipped == 2
    extract_line = json.dumps({"id": "article-1", "incidents": [bad_lat("b1"), bad_lat("b2")]})
    assert codec.read_text(extract_line + "\n" + extract_line, "out.jsonl").skipped == 4


def test_problems_of_one_record_on_several_lines_count_as_one_skipped_record() -> None:
    two_bad = {**bad_lat("b1"), "occurred": {"start": "2016-09-05", "end": "2016-09-01"}}
    text = json.dumps([two_bad, RECORD], indent=1)
    loaded = codec.read_text(text, "x.json")
    assert len({p.line for p in loaded.problems}) == 2
    assert loaded.skipped == 1


def test_non_objects_in_a_list_are_reported_on_their_line_without_shifting_the_others() -> None:
    elements = [RECORD, 5, "an incident", ["a", "list"], bad_lat("b1")]
    text = "[\n" + ",\n".join(json.dumps(e) for e in elements) + "\n]\n"
    loaded = codec.read_text(text, "x.json")
    shown = [str(p).split(" — ")[0] for p in loaded.problems]
    assert shown == [
        "x.json:3: (record): expected an incident object, got a number",
        "x.json:4: (record): expected an incident object, got a string",
        "x.json:5: (record): expected an incident object, got a list",
        "x.json:6: location.lat: 200 is outside -90..90",
    ]
    assert loaded.skipped == 4 and [i.id for i in loaded.incidents] == ["r1"]


def test_a_single_object_reports_the_line_of_the_offending_field() -> None:
    record = {
        **RECORD,
        "method": ["shelling", "shellling"],
        "occurred": {"start": "2016-09-05", "end": "2016-09-01"},
        "location": {"lat": 36.2, "lon": 37.1, "country": "SY"},
        "perpetrator": {"text": "regime forces", "atribution": "reported"},
    }
    text = json.dumps(record, indent=2)
    problems = {p.field: p for p in codec.read_text(text, "one.json").problems}
    assert problems["method.1"].line == line_of(text, '"shellling"')
    assert problems["occurred.end"].line == line_of(text, '"end"')
    # a missing field has no line of its own: the line of the object that lacks it
    assert problems["location.precision"].line == line_of(text, '"location"')
    assert problems["perpetrator.atribution"].line == line_of(text, '"atribution"')
    assert str(problems["perpetrator.atribution"]).endswith("did you mean 'attribution'?")
    assert len(problems) == 4


def test_a_record_level_problem_is_reported_where_the_record_starts() -> None:
    records = [RECORD, {**RECORD, "id": "r2", "event_type": "Battles"}]
    text = json.dumps(records, indent=1)
    [problem] = codec.read_text(text, "x.json").problems
    assert (problem.line, problem.field) == (line_of(text, '"sub_event_type"', 1), "sub_event_type")
    assert problem.message.startswith("'Shelling/artillery/missile attack' is not a kind of")


def test_a_repeated_id_is_reported_at_the_repeat() -> None:
    text = json.dumps([RECORD, {**RECORD, "id": "r2"}, RECORD], indent=1)
    [problem] = codec.read_text(text, "x.json").problems
    assert problem.line == line_of(text, '"id"', 2)
    first = line_of(text, '"id"')
    assert problem.message == f"duplicate id 'r1' (first on line {first})"


# ---- what a problem says ----------------------------------------------------------------


def with_location(**fields: object) -> dict[str, object]:
    return {**RECORD, "location": {**RECORD["location"], **fields}}


SENTENCES = [
    (with_location(lat="abc"), "location.lat: 'abc' is not a number"),
    (with_location(lat="36,2"), "location.lat: '36,2' is not a number — use a decimal point: 36.2"),
    (with_location(lat=200), "location.lat: 200 is outside -90..90"),
    (with_location(lon=-181.5), "location.lon: -181.5 is outside -180..180"),
    (with_location(precision="twon"), "location.precision: 'twon' is not allowed — did you mean"),
    (with_location(country="S"), "location.country: 'S' is too short"),
    (
        {**RECORD, "occurred": {"start": "2016-09-05", "end": "2016-09-01"}},
        "occurred.end: 2016-09-01 is before start 2016-09-05 — swap them",
    ),
    (
        {**RECORD, "occurred": {"start": "2016-13-01", "end": "2016-09-01"}},
        "occurred.start: '2016-13-01' is not a date",
    ),
    (
        {**RECORD, "occurred": {"start": "2016-09-01", "end": "2016-09-01", "time": "25:00"}},
        "occurred.time: '25:00' is not a time of day",
    ),
    (
        {**RECORD, "occurred": {"start": "2016-09-01", "end": "2016-09-02", "time": "10:00"}},
        "occurred.time: a time of day needs a single day",
    ),
    ({**RECORD, "fatalities": {"low": -1}}, "fatalities.low: -1 is below 0 — a count is 0 or more"),
    ({**RECORD, "fatalities": {"low": 2.5}}, "fatalities.low: 2.5 is not a whole number"),
    ({**RECORD, "fatalities": {"low": 5, "best": 3}}, "fatalities: low <= best <= high"),
    ({**RECORD, "method": "shelling"}, "method: expected a list, got a string"),
    ({**RECORD, "method": ["shellng"]}, "method.0: 'shellng' is not allowed — did you mean"),
    ({**RECORD, "id": 7}, "id: expected text, got a number"),
    ({**RECORD, "id": ""}, "id: is empty"),
    ({**RECORD, "location": [36.2, 37.1]}, "location: expected an object, got a list"),
    ({**RECORD, "confidance": "fair"}, "confidance: unknown field — did you mean 'confidence'?"),
    (
        {**RECORD, "sources": [{"document_id": "d", "start": 9, "end": 2}]},
        "sources.0.end: source end offset 2 is before start 9",
    ),
]


@pytest.mark.parametrize(("record", "said"), SENTENCES)
def test_problems_are_short_sentences_not_pydantic_text(record: object, said: str) -> None:
    [problem] = codec.read_text(json.dumps([record]), "x.json").problems
    text = str(problem)
    assert said in text
    for pydantic_words in ("Input should", "type=", "input_value", "Value error", "[record]"):
        assert pydantic_words not in text


# ---- CSV --------------------------------------------------------------------------------

GOOD_ROW = dict.fromkeys(codec.CSV_COLUMNS, "") | {
    "id": "c1",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "start": "2016-09-14",
    "lat": "36.2",
    "lon": "37.1",
    "location_precision": "town",
}


def csv_text(rows: list[dict[str, str]], newline: str = "\n") -> str:
    lines = [",".join(codec.CSV_COLUMNS)] + [
        ",".join(r[c] for c in codec.CSV_COLUMNS) for r in rows
    ]
    return newline.join(lines) + newline


def test_csv_columns_keep_their_order() -> None:
    assert codec.CSV_COLUMNS[:6] == (
        "id",
        "status",
        "submitted_by",
        "event_type",
        "sub_event_type",
        "method",
    )
    assert codec.CSV_COLUMNS[-1] == "confidence" and len(codec.CSV_COLUMNS) == 38


def test_an_empty_required_csv_cell_is_a_missing_field_named_by_its_column() -> None:
    rows = [GOOD_ROW | {"id": ""}, GOOD_ROW | {"id": "c2", "lat": " "}, GOOD_ROW | {"id": "c3"}]
    loaded = codec.read_text(csv_text(rows), "f.csv")
    assert [str(p) for p in loaded.problems] == [
        "f.csv:2: id: required field is missing — fix or remove this record",
        "f.csv:3: lat: required field is missing — fix or remove this record",
    ]
    assert [i.id for i in loaded.incidents] == ["c3"]


def test_a_bad_csv_cell_is_named_by_its_column() -> None:
    rows = [
        GOOD_ROW | {"lat": "abc", "fatalities_low": "seven"},
        GOOD_ROW | {"id": "c2", "start": "", "end": ""},
        GOOD_ROW | {"id": "c3", "start": "2016-09-15", "end": "2016-09-14", "method": "air"},
    ]
    shown = [str(p).split(" — ")[0] for p in codec.read_text(csv_text(rows), "f.csv").problems]
    assert shown == [
        "f.csv:2: lat: 'abc' is not a number",
        "f.csv:2: fatalities_low: 'seven' is not a whole number",
        "f.csv:3: start: required field is missing",  # and not `end` too: empty end = start
        "f.csv:4: end: 2016-09-14 is before start 2016-09-15",
        "f.csv:4: method: 'air' is not allowed",
    ]


def test_csv_source_columns_without_a_document_id_are_reported_not_dropped() -> None:
    rows = [GOOD_ROW | {"source_publisher": "SANA"}]
    [problem] = codec.read_text(csv_text(rows), "f.csv").problems
    assert (problem.field, problem.message) == ("source_document_id", "required field is missing")


def test_a_csv_row_is_reported_on_the_line_it_starts_even_with_multiline_cells() -> None:
    rows = [
        GOOD_ROW | {"location_name": '"al-Sukkari\nAleppo"'},
        GOOD_ROW | {"id": "c2", "lat": "200", "date_note": '"6 or 7\nSeptember"'},
    ]
    text = csv_text(rows, "\r\n")
    loaded = codec.read_text(text, "f.csv")
    assert loaded.incidents[0].location.name == "al-Sukkari\nAleppo"
    [problem] = loaded.problems
    assert problem.line == 4 == line_of(text, "c2,")


def test_csv_blank_lines_count_and_old_mac_line_ends_are_read() -> None:
    text = csv_text([GOOD_ROW, GOOD_ROW | {"id": "c2", "lat": "x"}])
    lines = text.split("\n")
    with_blank = "\n".join([*lines[:2], "", *lines[2:]])
    assert codec.read_text(with_blank, "f.csv").problems[0].line == 4
    mac = codec.read_text(text.replace("\n", "\r"), "f.csv")
    assert [i.id for i in mac.incidents] == ["c1"] and mac.problems[0].line == 3


def test_a_csv_row_with_more_cells_than_the_header_is_reported() -> None:
    text = csv_text([GOOD_ROW | {"location_name": "Aleppo, Syria"}, GOOD_ROW | {"id": "c2"}])
    loaded = codec.read_text(text, "f.csv")
    [problem] = loaded.problems
    assert (problem.line, problem.field) == (2, "(row)")
    assert "double quotes" in str(problem) and [i.id for i in loaded.incidents] == ["c2"]


def test_a_quote_left_open_is_reported_not_read_as_one_long_cell() -> None:
    rows = [GOOD_ROW, GOOD_ROW | {"id": "c2", "location_name": '"Aleppo'}, GOOD_ROW | {"id": "c3"}]
    loaded = codec.read_text(csv_text(rows), "f.csv")
    [problem] = loaded.problems
    assert (problem.line, problem.field) == (3, "(row)")
    assert problem.message == "a quoted cell runs from line 3 to line 4"  # the end of the file
    assert [i.id for i in loaded.incidents] == ["c1"]


# ---- bytes and lines --------------------------------------------------------------------


@pytest.mark.parametrize("name", ["x.json", "x.jsonl", "x.csv"])
def test_a_byte_order_mark_is_ignored(name: str) -> None:
    if name.endswith(".csv"):
        text = csv_text([GOOD_ROW])
    elif name.endswith(".jsonl"):
        text = json.dumps(RECORD) + "\n"
    else:
        text = json.dumps([RECORD])
    loaded = codec.read_text("\ufeff" + text, name)
    assert len(loaded.incidents) == 1 and not loaded.problems


def test_crlf_json_reports_the_same_lines_as_lf() -> None:
    text = json.dumps([RECORD, bad_lat("b1")], indent=1)
    lf = codec.read_text(text, "x.json").problems
    crlf = codec.read_text(text.replace("\n", "\r\n"), "x.json").problems
    assert [p.line for p in crlf] == [p.line for p in lf] == [line_of(text, LAT_200)]


def test_jsonl_lines_split_only_at_newlines_and_blank_lines_count() -> None:
    note = {**RECORD, "id": "r2", "occurred": {**RECORD["occurred"], "note": "6\u2028or 7\x0c\x85"}}
    lines = [
        json.dumps(RECORD),
        "",
        json.dumps(note, ensure_ascii=False),
        "  ",
        json.dumps(bad_lat("b1")),
    ]
    loaded = codec.read_text("\r\n".join(lines) + "\r\n", "x.jsonl")
    assert [i.id for i in loaded.incidents] == ["r1", "r2"]
    assert [p.line for p in loaded.problems] == [5]


def test_a_broken_pretty_printed_object_is_one_problem_not_one_per_line() -> None:
    text = json.dumps(RECORD, indent=2).replace('"r1",', '"r1"', 1)
    [problem] = codec.read_text(text, "one.json").problems
    assert problem.field == "(file)" and problem.line == line_of(text, '"r1"') + 1


def test_an_empty_file_says_so() -> None:
    [problem] = codec.read_text(" \n", "x.json").problems
    assert problem.message == "the file is empty"


def test_a_json_scalar_file_says_what_it_got() -> None:
    [problem] = codec.read_text("42", "x.json").problems
    assert problem.message == "expected a list of incident.v1 records, got a number"


# ---- occurred.time ----------------------------------------------------------------------


def test_a_local_time_is_read_as_a_time_and_written_as_hh_mm_ss() -> None:
    occurred = {"start": "2016-09-14", "end": "2016-09-14", "time": "14:30"}
    [inc] = codec.read_text(json.dumps([{**RECORD, "occurred": occurred}]), "x.json").incidents
    assert inc.occurred.time is not None and inc.occurred.time.isoformat() == "14:30:00"
    assert codec.to_json(inc)["occurred"]["time"] == "14:30:00"


@pytest.mark.parametrize("time", ["14:30+02:00", "14:30:00Z", "14:30:00.5", 52200])
def test_a_time_with_an_offset_or_a_fraction_is_refused(time: object) -> None:
    occurred = {"start": "2016-09-14", "end": "2016-09-14", "time": time}
    [problem] = codec.read_text(json.dumps([{**RECORD, "occurred": occurred}]), "x.json").problems
    assert problem.field == "occurred.time"
    assert "not a local wall-clock time" in problem.message and "HH:MM" in str(problem)
