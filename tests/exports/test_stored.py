"""The API's exports go through the CLI's writers: the same columns first (ACLED's 31 in
ACLED's order for CSV), the store's columns after them, and the public's copy redacted
in every format."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from ceasewatch import exports
from ceasewatch.exports import acled, parquet, stored
from ceasewatch.exports.table import Lookups
from ceasewatch.incidents import codec
from tests.exports.made import incident, needs

WITNESS = "Rami, a witness <script>x</script>"
LOOKUPS = Lookups(admin_names={"SY02": "Aleppo"})


def _rows() -> list[tuple[dict[str, Any], str, int, str | None]]:
    a = incident(
        id="t-1",
        sources=[{"document_id": "d-1", "publisher": "Monitor A", "attributed_to": WITNESS,
                  "quote": "I saw it", "published": "2016-09-20"}],
        occurred={"note": f"per {WITNESS}"},
        submitted_by="user:amal",
    )  # fmt: skip
    b = incident(id="t-2", status="proposed")
    return [
        (codec.to_json(a), "published", 3, "2026-01-01T10:00:00+00:00"),
        (codec.to_json(b), "proposed", 1, None),
    ]


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode())))


def test_the_api_csv_is_the_cli_csv_followed_by_the_store_columns() -> None:
    plain = [codec.ADAPTER.validate_python(r[0]) for r in _rows()]
    cli = _csv(b"".join(exports.chunks("incidents", "acled-csv", plain, LOOKUPS)))
    items = stored.held(_rows(), public=False)
    api = _csv(
        b"".join(exports.chunks("incidents", "acled-csv", items, LOOKUPS, store_columns=True))
    )
    n = len(acled.COLUMNS)
    assert cli[0] == list(acled.INCIDENTS.names) and len(cli[0]) == 31
    assert api[0] == cli[0] + [c.name for c in stored.STORE_COLUMNS]
    for a, c in zip(api[1:], cli[1:], strict=True):
        assert a[:n] == c  # every ACLED cell the same, from the same code
    assert [r[n:] for r in api[1:]] == [
        ["published", "3", "2026-01-01T10:00:00+00:00"],
        ["proposed", "1", ""],
    ]
    assert api[1][cli[0].index("admin1")] == "Aleppo"


@pytest.mark.parametrize("fmt", ["acled-csv", "ucdp-csv", "geojson", "json", "parquet"])
def test_the_publics_copy_withholds_who_the_sources_cite_in_every_format(fmt: str) -> None:
    if fmt == "parquet":
        needs("pyarrow")
    public = b"".join(
        exports.chunks("incidents", fmt, stored.held(_rows(), public=True), store_columns=True)
    )
    private = b"".join(
        exports.chunks("incidents", fmt, stored.held(_rows(), public=False), store_columns=True)
    )
    for secret in ("Rami, a witness", "I saw it", "user:amal"):
        assert secret.encode() not in public, (fmt, secret)
    if fmt in ("geojson", "json"):  # the formats that carry the whole record
        assert b"Rami, a witness" in private and stored.WITHHELD.encode() in public


def test_geojson_properties_carry_the_store_columns() -> None:
    items = stored.held(_rows(), public=False)
    doc = json.loads(b"".join(exports.chunks("incidents", "geojson", items, store_columns=True)))
    props = {f["id"]: f["properties"] for f in doc["features"]}
    assert (props["t-1"]["status"], props["t-1"]["version"]) == ("published", 3)
    assert props["t-2"]["updated_at"] is None and props["t-1"]["sources"][0]["publisher"]


def test_parquet_with_acled_columns_and_store_columns_reads_back() -> None:
    pq = needs("pyarrow.parquet")
    table = stored.with_store_columns(acled.INCIDENTS)
    data = b"".join(parquet.parquet_chunks(stored.held(_rows(), public=True), table, LOOKUPS))
    t = pq.read_table(io.BytesIO(data))
    assert t.column_names == list(table.names)
    assert t.column("version").to_pylist() == [3, 1]


def test_store_columns_are_for_incidents_only() -> None:
    with pytest.raises(ValueError, match="store columns are for incidents"):
        exports.chunks("findings", "acled-csv", [], store_columns=True)


HOSTILE = 'Town <script>alert(1)</script>, "quoted"\nsecond line <img src=x onerror=alert(2)>'


@pytest.mark.parametrize("fmt", ["acled-csv", "ucdp-csv", "geojson", "json", "parquet"])
def test_text_with_html_or_script_comes_back_as_the_same_text(fmt: str) -> None:
    """Exports are data, not pages: a place named with HTML, quotes, commas and a line
    break is written so that each format's reader returns exactly that text (CSV
    quoting, JSON escaping, Parquet strings) — never cut, never turned into markup."""
    rec = codec.to_json(incident(id="t-x", location={"name": HOSTILE}))
    data = b"".join(
        exports.chunks("incidents", fmt, stored.held([(rec, "published", 1, None)], public=False),
                       store_columns=True)
    )  # fmt: skip
    if fmt.endswith("csv"):
        rows = list(csv.DictReader(io.StringIO(data.decode())))
        column = "location" if fmt == "acled-csv" else "where_coordinates"
        assert len(rows) == 1 and HOSTILE in rows[0][column]
    elif fmt == "parquet":
        pq = needs("pyarrow.parquet")
        table = pq.read_table(io.BytesIO(data))
        assert table.column("place").to_pylist() == [HOSTILE]
    else:
        doc = json.loads(data)
        got = doc["features"][0]["properties"] if fmt == "geojson" else doc[0]
        assert got["location"]["name"] == HOSTILE
