"""The writers: they stream (consume their input lazily, a batch at a time) and what they
write is read back by the tools analysts use (csv, json, geopandas/pyogrio, pandas)."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ceasewatch import exports
from ceasewatch.exports import gpkg, parquet, writers
from ceasewatch.exports.table import Lookups
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident
from tests.exports.made import NOW, incident, needs


def many(n: int, pulled: list[int]) -> Iterator[Incident]:
    """n incidents, counting in ``pulled[0]`` how many were taken so far."""
    base = incident()
    for k in range(n):
        pulled[0] += 1
        yield codec.ADAPTER.validate_python({**codec.to_json(base), "id": f"t-{k:06d}"})


@pytest.mark.parametrize("fmt", ["acled-csv", "ucdp-csv", "geojson", "json"])
def test_text_writers_yield_before_the_input_is_exhausted(fmt: str) -> None:
    pulled = [0]
    n = 5 * writers.BATCH
    chunks = exports.chunks("incidents", fmt, many(n, pulled))
    first = next(chunks)
    assert first  # bytes came out ...
    assert pulled[0] <= writers.BATCH + 1  # ... after one batch, not the whole input
    rest = b"".join(chunks)
    assert pulled[0] == n and first + rest


def test_parquet_writes_a_row_group_at_a_time(tmp_path: Path) -> None:
    pq = needs("pyarrow.parquet")
    pulled = [0]
    group = 300
    chunks = parquet.parquet_chunks(  # Arrow batches of 70 rows, row groups of 300
        many(4 * group + 7, pulled), exports.table("incidents", "parquet"), group=group, batch=70
    )
    first = next(chunks)
    assert first.startswith(b"PAR1") and pulled[0] <= group + 1
    path = tmp_path / "x.parquet"
    path.write_bytes(first + b"".join(chunks))
    f = pq.ParquetFile(path)
    assert f.num_row_groups == 5 and f.metadata.num_rows == 4 * group + 7


def test_gpkg_inserts_a_batch_at_a_time(tmp_path: Path) -> None:
    pulled = [0]
    seen: list[int] = []

    def watched() -> Iterator[Incident]:
        for k, i in enumerate(many(3 * 50, pulled)):
            if k % 50 == 0 and k:
                with sqlite3.connect(
                    tmp_path / "x.gpkg"
                ) as con:  # rows are in before the rest is read
                    seen.append(con.execute("SELECT count(*) FROM incidents").fetchone()[0])
            yield i

    n = gpkg.write_path(
        watched(), exports.table("incidents", "gpkg"), tmp_path / "x.gpkg", batch=50
    )
    assert n == 150 and seen == [50, 100]


def test_json_export_reads_back_as_the_same_incidents(demo_store: tuple) -> None:
    _, outcome = demo_store
    data = b"".join(exports.chunks("incidents", "json", outcome.incidents))
    loaded = codec.read_text(data.decode(), "export.json")
    assert not loaded.problems and loaded.incidents == outcome.incidents


def test_findings_json_is_a_finding_v1_list(demo_store: tuple) -> None:
    jsonschema = needs("jsonschema")
    from ceasewatch.schemas import load

    _, outcome = demo_store
    by_id = {i.id: i for i in outcome.incidents}
    pairs = [(f, by_id[f.incident_id]) for f in outcome.findings[:50]]
    doc = json.loads(b"".join(exports.chunks("findings", "json", pairs)))
    schema = load("finding.v1")
    for record in doc:
        jsonschema.validate(record, schema)
    assert [r["id"] for r in doc] == [f.id for f, _ in pairs]


def test_empty_exports_are_still_valid_documents() -> None:
    assert json.loads(b"".join(exports.chunks("incidents", "json", []))) == []
    fc = json.loads(b"".join(exports.chunks("incidents", "geojson", [])))
    assert fc == {"type": "FeatureCollection", "features": []}
    text = b"".join(exports.chunks("incidents", "acled-csv", [])).decode()
    assert text.strip().split(",")[0] == "data_id"


def test_geojson_is_rfc_7946(demo_store: tuple) -> None:
    _, outcome = demo_store
    fc = json.loads(b"".join(exports.chunks("incidents", "geojson", outcome.incidents)))
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    assert len(fc["features"]) == len(outcome.incidents)
    for feat, i in zip(fc["features"], outcome.incidents, strict=True):
        assert feat["type"] == "Feature" and feat["id"] == i.id
        assert feat["geometry"] == {
            "type": "Point",
            "coordinates": [i.location.lon, i.location.lat],
        }
        assert codec.ADAPTER.validate_python(feat["properties"]) == i  # an incident.v1 record


def test_geojson_findings_carry_the_finding_and_its_incident(demo_store: tuple) -> None:
    _, outcome = demo_store
    by_id = {i.id: i for i in outcome.incidents}
    f = next(f for f in outcome.findings if f.verdict == "violation")
    (feat,) = json.loads(
        b"".join(exports.chunks("findings", "geojson", [(f, by_id[f.incident_id])]))
    )["features"]
    i = by_id[f.incident_id]
    assert feat["id"] == f.id and feat["geometry"]["coordinates"] == [
        i.location.lon,
        i.location.lat,
    ]
    props = feat["properties"]
    assert props["reasons"] == list(f.reasons) and props["incident_id"] == i.id
    assert props["incident_start"] == i.occurred.start.isoformat()


def test_csv_quotes_what_needs_quoting() -> None:
    tricky = 'Bab al-Hadid, "old city"\nnorth'
    i = incident(location={"name": tricky})
    text = b"".join(exports.chunks("incidents", "acled-csv", [i])).decode()
    (row,) = list(csv.DictReader(io.StringIO(text)))
    assert row["location"] == tricky


def test_acled_csv_reads_in_pandas_with_numbers_as_numbers(demo_store: tuple) -> None:
    pd = needs("pandas")
    _, outcome = demo_store
    data = b"".join(exports.chunks("incidents", "acled-csv", outcome.incidents))
    df = pd.read_csv(io.BytesIO(data))
    assert len(df) == len(outcome.incidents)
    assert str(df["fatalities"].dtype) == "int64" and str(df["latitude"].dtype) == "float64"
    assert sorted(df["event_id_cnty"]) == sorted(i.id for i in outcome.incidents)


def test_gpkg_opens_with_the_right_crs_and_rows(demo_store: tuple, tmp_path: Path) -> None:
    gpd = needs("geopandas")
    pd = needs("pandas")
    pyogrio = needs("pyogrio")
    _, outcome = demo_store
    path = tmp_path / "incidents.gpkg"
    lookups = Lookups(admin_names={"SY02": "Aleppo"})
    n = gpkg.write_path(outcome.incidents, exports.table("incidents", "gpkg"), path, lookups, NOW)
    assert n == len(outcome.incidents)
    with sqlite3.connect(path) as con:
        assert con.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert con.execute("PRAGMA user_version").fetchone()[0] == 10300
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    info = pyogrio.read_info(path)
    assert info["crs"] == "EPSG:4326" and info["geometry_type"] == "Point" and info["features"] == n
    df = gpd.read_file(path)
    assert df.crs.to_epsg() == 4326 and len(df) == n
    by_id = {i.id: i for i in outcome.incidents}
    for _, r in df.iterrows():
        i = by_id[r["id"]]
        assert (r.geometry.x, r.geometry.y) == (i.location.lon, i.location.lat)
        if i.location.admin1_pcode == "SY02":
            assert r["admin1"] == "Aleppo"
        else:
            assert pd.isna(r["admin1"])
    xmin, ymin, xmax, ymax = df.total_bounds
    assert (xmin, ymin) == (
        min(i.location.lon for i in outcome.incidents),
        min(i.location.lat for i in outcome.incidents),
    )


def test_gpkg_of_findings_opens_as_a_layer(demo_store: tuple, tmp_path: Path) -> None:
    gpd = needs("geopandas")
    _, outcome = demo_store
    by_id = {i.id: i for i in outcome.incidents}
    pairs = [(f, by_id[f.incident_id]) for f in outcome.findings if f.verdict == "violation"]
    path = tmp_path / "findings.gpkg"
    data = b"".join(exports.chunks("findings", "gpkg", pairs, now=NOW))
    path.write_bytes(data)
    df = gpd.read_file(path, layer="findings")
    assert len(df) == len(pairs) and set(df["verdict"]) == {"violation"}
    assert list(df["finding_id"]) == [f.id for f, _ in pairs]


def test_parquet_reads_back_in_pandas(demo_store: tuple, tmp_path: Path) -> None:
    pd = needs("pandas")
    needs("pyarrow")
    _, outcome = demo_store
    path = tmp_path / "incidents.parquet"
    path.write_bytes(b"".join(exports.chunks("incidents", "parquet", outcome.incidents)))
    df = pd.read_parquet(path)
    assert list(df.columns) == list(exports.table("incidents", "parquet").names)
    assert list(df["id"]) == [i.id for i in outcome.incidents]
    assert list(df["start"]) == [i.occurred.start for i in outcome.incidents]
    assert df["fatalities_best"].isna().sum() == sum(
        1 for i in outcome.incidents if i.fatalities is None or i.fatalities.best is None
    )


def test_parquet_of_nothing_is_an_empty_table(tmp_path: Path) -> None:
    pd = needs("pandas")
    needs("pyarrow")
    path = tmp_path / "empty.parquet"
    path.write_bytes(b"".join(exports.chunks("findings", "parquet", [])))
    df = pd.read_parquet(path)
    assert len(df) == 0 and list(df.columns) == list(exports.table("findings", "parquet").names)
