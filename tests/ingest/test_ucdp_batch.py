"""The UCDP fast path (``CsvReader.batches`` + ``ucdp_batch.UcdpBatch``) stores exactly
what the reference path (``CsvReader.__iter__`` + ``ucdp.map_row`` + the pipeline's
pydantic serializer) stores: the same report rows — ids, content hashes, incident.v1 JSON
byte for byte — the same rejects and warnings with their row numbers, the same counts, the
same batches and checkpoints."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasewatch.ingest import FORMATS, ucdp
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.pipeline import _Batch, _batches, _Mapping, _prepare
from ceasewatch.ingest.reader import CsvReader
from ceasewatch.ingest.ucdp_batch import UcdpBatch
from tests.conftest import shared_path
from tests.ingest.rows import UCDP_COLUMNS, to_csv, ucdp_row

UCDP = "data/ucdp-ged-syria/ged191_syria_20160101-20191130.csv"


def _reader(path: Path) -> CsvReader:
    spec = FORMATS["ucdp"]
    return CsvReader(path, required=spec.required, known=spec.known)


def fast_batches(path: Path, ctx: Context, size: int, keep: bool = False) -> Iterator[_Batch]:
    reader = _reader(path)
    try:
        how = _Mapping("ucdp", ctx, 7, ucdp.map_row, UcdpBatch(reader.header, ctx, 7))
        for part, after in reader.batches(size):
            yield _prepare(how, part, keep, after)
    finally:
        reader.close()


def reference_batches(path: Path, ctx: Context, size: int, keep: bool = False) -> Iterator[_Batch]:
    reader = _reader(path)
    try:
        how = _Mapping("ucdp", ctx, 7, ucdp.map_row)
        for part in _batches(reader, size):
            yield _prepare(how, part, keep)
    finally:
        reader.close()


def assert_same_json(fast: str, reference: str, where: str) -> None:
    """Field by field first (a readable failure), then byte for byte."""
    a, b = json.loads(fast), json.loads(reference)

    def walk(x: Any, y: Any, path: str) -> None:
        if isinstance(y, dict):
            assert isinstance(x, dict) and list(x) == list(y), f"{where} {path}: {x!r} != {y!r}"
            for k in y:
                walk(x[k], y[k], f"{path}.{k}")
        elif isinstance(y, list):
            assert isinstance(x, list) and len(x) == len(y), f"{where} {path}: {x!r} != {y!r}"
            for k, (xi, yi) in enumerate(zip(x, y, strict=True)):
                walk(xi, yi, f"{path}[{k}]")
        else:
            assert type(x) is type(y) and x == y, f"{where} {path}: {x!r} != {y!r}"

    walk(a, b, "record")
    assert fast == reference, where


def assert_same_import(path: Path, ctx: Context, size: int, keep: bool = False) -> list[_Batch]:
    """``keep``: the batches' incidents too (what fusion is given when it runs as the
    records come in)."""
    fast = list(fast_batches(path, ctx, size, keep))
    reference = list(reference_batches(path, ctx, size, keep))
    assert len(fast) == len(reference)
    for f, r in zip(fast, reference, strict=True):
        assert f.numbers == r.numbers
        assert f.after == r.after  # the same checkpoints
        assert [row.id for row in f.rows] == [row.id for row in r.rows]
        for fr, rr in zip(f.rows, r.rows, strict=True):
            assert_same_json(fr.record_json, rr.record_json, f"{rr.id} (record {rr.row_number})")
            for name in rr._fields:
                assert getattr(fr, name) == getattr(rr, name), f"{rr.id}: {name}"
        assert f.problems == r.problems  # rejects and warnings, with row and line
        assert (f.rejected, f.warnings, f.unchanged, f.skip_reasons) == (
            r.rejected,
            r.warnings,
            r.unchanged,
            r.skip_reasons,
        )
        assert f.lines == r.lines
        assert f.incidents == r.incidents
    return fast


@pytest.mark.slow
def test_the_fast_path_stores_the_real_ucdp_file_exactly_as_the_reference(ctx) -> None:
    path = shared_path(UCDP)
    batches = assert_same_import(path, ctx, 1000, keep=True)
    assert all(b.incidents for b in batches)
    stored = sum(len(b.rows) for b in batches)
    assert stored > 16_000  # the file holds 16,566 events, some over several lines


def test_the_fast_path_takes_nearly_every_real_row(ctx) -> None:
    """The rows it leaves to the reference are the ones with something to say."""
    path = shared_path(UCDP)
    reader = _reader(path)
    try:
        fast = UcdpBatch(reader.header, ctx, 1)
        left = taken = 0
        for part, _ in reader.batches(5_000):
            rows = [r[2] for r in part if type(r) is tuple]
            got = fast.map(rows)
            taken += sum(p is not None for p in got)
            left += sum(p is None for p in got) + len(part) - len(rows)
    finally:
        reader.close()
    assert taken > 16_000
    assert left < 200  # the 101 rows whose toll range is widened, with a warning


def _odd_rows() -> list[dict[str, str]]:
    """Every kind of row the fast path must leave to the reference, and a few it takes."""
    return [
        ucdp_row(id="1"),
        ucdp_row(id="2.0"),  # "2"
        ucdp_row(id=" 3 ", side_a=" Government of Syria ", side_b=""),
        ucdp_row(id="", low="1"),  # no id: rejected
        ucdp_row(id="NA"),
        ucdp_row(id="4", type_of_violence="9"),  # kept as Other, with a warning
        ucdp_row(id="5", where_prec="8"),
        ucdp_row(id="6", date_prec="0"),
        ucdp_row(id="7", latitude="40.1", longitude="35.3"),  # swapped: rejected
        ucdp_row(id="8", latitude="nan"),
        ucdp_row(id="9", latitude="", longitude="NA"),
        ucdp_row(id="10", date_start="2016-09-20", date_end="2016-09-19"),  # end before start
        ucdp_row(id="11", date_end=""),
        ucdp_row(id="12", date_end="NA"),
        ucdp_row(id="13", date_start="19-Sep-16", date_end="20160920"),
        ucdp_row(id="14", date_start="2016-02-30"),
        ucdp_row(id="15", low="5", best="3", high="2"),  # widened, with warnings
        ucdp_row(id="16", low="", best="", high=""),
        ucdp_row(id="17", low="2.0", best="3", high="4"),
        ucdp_row(id="18", best="-1"),
        ucdp_row(id="19", deaths_civilians="0"),
        ucdp_row(id="20", deaths_civilians="NA"),
        ucdp_row(id="21", deaths_civilians="2.5"),
        ucdp_row(id="22", country="Iraq"),  # skipped
        ucdp_row(id="23", country=" syria "),
        ucdp_row(id="24", where_coordinates="Al-Sukkari neighbourhood", where_prec="1"),
        ucdp_row(id="25", source_headline='Shelling; "clashes"\non two lines', source_date=""),
        ucdp_row(id="26", source_office="SOHR;SOHR; Airwars", source_date="x;2016-09-21"),
        ucdp_row(id="27", side_a="Government of Iraq", source_headline="Air strikes hit a town"),
        ucdp_row(id="28", side_a="IS", source_headline="Air strikes hit a town"),
        ucdp_row(id="29", where_coordinates="Ḥalab “old city” \\ town", side_b="Ahrar al-Sham"),
        ucdp_row(id="30", latitude="36.2000000000000001", longitude="37.1"),
        ucdp_row(id="1", best="22", high="22"),  # a duplicate id with other values
        ucdp_row(id="1"),  # the same again: unchanged
        ucdp_row(id="31", source_headline="Clashes\rand car bombs"),
    ]


def test_odd_rows_map_exactly_as_the_reference_does(ctx, tmp_path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(to_csv(UCDP_COLUMNS, _odd_rows()), encoding="utf-8")
    for size in (1, 3, 5, 100):
        batches = assert_same_import(path, ctx, size, keep=size == 3)
    assert sum(b.rejected for b in batches) >= 8
    assert sum(b.warnings for b in batches) >= 4


def test_a_file_without_the_optional_columns_maps_as_the_reference(ctx, tmp_path) -> None:
    columns = [c for c in UCDP_COLUMNS if c not in ucdp_batch_optional()]
    rows = [{c: r[c] for c in columns} for r in _odd_rows()]
    path = tmp_path / "narrow.csv"
    path.write_text(to_csv(columns, rows), encoding="utf-8")
    assert_same_import(path, ctx, 4)


def ucdp_batch_optional() -> tuple[str, ...]:
    from ceasewatch.ingest.ucdp_batch import _OPTIONAL

    return _OPTIONAL


def test_odd_bytes_and_lines_are_read_as_the_reference_reads_them(ctx, tmp_path) -> None:
    """CRLF lines, a blank line, a Latin-1 line, a broken quote, a short row and a
    truncated last line, in batches that start and end anywhere."""
    good = to_csv(UCDP_COLUMNS, [ucdp_row(id=str(k)) for k in range(1, 9)]).split("\n")
    header, lines = good[0], [x for x in good[1:] if x]
    body = [
        lines[0] + "\r",
        "",
        lines[1].replace("Urum al Kubra town", "Urum \xe9 town"),
        lines[2],
        lines[3].replace("SOHR;Airwars", 'SOHR"x'),
        ",".join(lines[4].split(",")[:10]),
        lines[5],
        lines[6],
    ]
    data = (header + "\n" + "\n".join(body[:2]) + "\n").encode("utf-8")
    data += (body[2] + "\n").encode("latin-1")
    data += ("\n".join(body[3:]) + "\n" + lines[7][:50]).encode("utf-8")
    path = tmp_path / "odd-bytes.csv"
    path.write_bytes(data)
    for size in (1, 2, 3, 4, 7, 50):
        assert_same_import(path, ctx, size)


_cells = st.one_of(
    st.sampled_from(["", "NA", " ", "0", "1", "3", "7", "2.0", "-1", "x", "1e3", "nan"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.lists(
        st.dictionaries(
            st.sampled_from(
                [
                    "id", "type_of_violence", "side_a", "side_b", "where_prec",
                    "where_coordinates", "latitude", "longitude", "date_prec", "date_start",
                    "date_end", "low", "best", "high", "deaths_civilians", "country",
                    "source_headline", "source_date", "source_office",
                ]
            ),
            _cells,
            max_size=3,
        ),
        min_size=1,
        max_size=6,
    )
)  # fmt: skip
def test_any_row_maps_exactly_as_the_reference_does(ctx, tmp_path_factory, changes) -> None:
    rows = [
        ucdp_row(id=str(k), **c) if "id" not in c else ucdp_row(**c) for k, c in enumerate(changes)
    ]
    path = tmp_path_factory.mktemp("any") / "rows.csv"
    path.write_text(to_csv(UCDP_COLUMNS, rows), encoding="utf-8")
    assert_same_import(path, ctx, 2)
