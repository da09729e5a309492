"""The streaming readers: the same records however the bytes are chunked, and the same
records after resuming at any checkpoint as from the start."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasewatch.ingest.reader import CsvReader, JsonDocumentReader, Position

texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
records = st.lists(
    st.dictionaries(st.sampled_from(["id", "a", "b", "c"]), texts | st.integers(), max_size=4),
    max_size=8,
)
SLOW = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SLOW
@given(
    items=records,
    chunk=st.integers(1, 64),
    wrapped=st.booleans(),
    indent=st.sampled_from([None, 1]),
)
def test_json_documents_are_cut_into_the_same_records_at_any_chunk_size(
    tmp_path_factory, items, chunk, wrapped, indent
) -> None:
    path = tmp_path_factory.mktemp("json") / "doc.json"
    doc = {"note": '[{"}]', "incidents": items, "after": [{"x": 1}]} if wrapped else items
    path.write_text(json.dumps(doc, indent=indent, ensure_ascii=False), encoding="utf-8")
    reader = JsonDocumentReader(path, keys=("incidents",), chunk=chunk)
    try:
        got = [r.value for r in reader]
    finally:
        reader.close()
    assert got == items


@SLOW
@given(
    cells=st.lists(st.lists(texts, min_size=3, max_size=3), min_size=1, max_size=12),
    cut=st.integers(0, 12),
)
def test_a_csv_read_resumed_at_any_record_gives_the_rest(tmp_path_factory, cells, cut) -> None:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["x", "y", "z"])
    w.writerows(cells)
    path: Path = tmp_path_factory.mktemp("csv") / "f.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    whole = CsvReader(path)
    try:
        every = list(whole)
    finally:
        whole.close()
    cut = min(cut, len(every))
    start = every[cut - 1].after if cut else Position()
    rest = CsvReader(path, start=start)
    try:
        resumed = list(rest)
    finally:
        rest.close()
    assert [(r.number, r.line, r.value, r.raw) for r in resumed] == [
        (r.number, r.line, r.value, r.raw) for r in every[cut:]
    ]
