"""Incidents out, streamed: CSV with ACLED's columns, GeoJSON, Parquet.

Each writer takes an iterator of stored rows and yields bytes as it goes, so an export of
a million incidents never holds them all (Parquet: one row group at a time).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Iterator
from typing import Any

from ceasewatch.exports.parquet import ByteSink
from ceasewatch.store.search import Row

#: ACLED's export columns, in ACLED's order; ceasewatch's own columns follow them.
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip
EXTRA_COLUMNS: tuple[str, ...] = (
    "end_date", "status", "confidence", "perpetrator_actor", "attribution", "target_actor",
    "fatalities_low", "fatalities_high", "injured_best", "version",
)  # fmt: skip
COLUMNS = ACLED_COLUMNS + EXTRA_COLUMNS

_TIME = {"day": 1, "week": 2}
_GEO = {"exact": 1, "neighbourhood": 1, "town": 1, "district": 2}
_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Riots": "Demonstrations",
    "Strategic developments": "Strategic developments",
}


def _best(toll: dict[str, Any] | None) -> int | None:
    if not toll:
        return None
    for k in ("best", "low"):
        if toll.get(k) is not None:
            return int(toll[k])
    return None


def _epoch(stamp: str | None) -> int | None:
    return int(dt.datetime.fromisoformat(stamp).timestamp()) if stamp else None


def flat(row: Row, record: dict[str, Any]) -> dict[str, Any]:
    """One incident as ACLED's columns plus ours.

    >>> from ceasewatch.store.search import Row
    >>> rec = {"id": "a", "event_type": "Battles", "sub_event_type": "Armed clash",
    ...   "occurred": {"start": "2016-09-19", "end": "2016-09-19", "precision": "day"},
    ...   "location": {"lat": 36.2, "lon": 37.1, "precision": "town", "name": "Aleppo"},
    ...   "fatalities": {"low": 7, "best": None, "high": None}, "sources": []}
    >>> f = flat(Row("a", "published", 1, None, None, None, rec), rec)
    >>> f["event_date"], f["year"], f["geo_precision"], f["fatalities"], f["disorder_type"]
    ('2016-09-19', 2016, 1, 7, 'Political violence')
    """
    occ = record.get("occurred") or {}
    loc = record.get("location") or {}
    perp = record.get("perpetrator") or {}
    target = record.get("target") or {}
    start = occ.get("start") or ""
    sources = record.get("sources") or []
    return {
        "event_id_cnty": record.get("id"),
        "event_date": start,
        "year": int(start[:4]) if start[:4].isdigit() else None,
        "time_precision": _TIME.get(occ.get("precision") or "day", 3),
        "disorder_type": _DISORDER.get(record.get("event_type") or "", ""),
        "event_type": record.get("event_type"),
        "sub_event_type": record.get("sub_event_type"),
        "actor1": perp.get("text") or perp.get("actor") or "",
        "assoc_actor_1": "",
        "inter1": "",
        "actor2": target.get("text") or target.get("actor") or "",
        "assoc_actor_2": "",
        "inter2": "",
        "interaction": "",
        "civilian_targeting": "Civilian targeting" if target.get("actor") == "civilians" else "",
        "iso": "",
        "region": "",
        "country": loc.get("country") or "",
        "admin1": loc.get("admin1_pcode") or "",
        "admin2": loc.get("admin2_pcode") or "",
        "admin3": "",
        "location": loc.get("name") or "",
        "latitude": loc.get("lat"),
        "longitude": loc.get("lon"),
        "geo_precision": _GEO.get(loc.get("precision") or "", 3),
        "source": "; ".join(dict.fromkeys(s["publisher"] for s in sources if s.get("publisher"))),
        "source_scale": "",
        "notes": occ.get("note") or "",
        "fatalities": _best(record.get("fatalities")) or 0,
        "tags": "",
        "timestamp": _epoch(row.updated_at),
        "end_date": occ.get("end"),
        "status": row.status,
        "confidence": record.get("confidence"),
        "perpetrator_actor": perp.get("actor"),
        "attribution": perp.get("attribution"),
        "target_actor": target.get("actor"),
        "fatalities_low": (record.get("fatalities") or {}).get("low"),
        "fatalities_high": (record.get("fatalities") or {}).get("high"),
        "injured_best": _best(record.get("injured")),
        "version": row.version,
    }


def csv_chunks(rows: Iterable[tuple[Row, dict[str, Any]]], batch: int = 1000) -> Iterator[bytes]:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=COLUMNS, lineterminator="\n")
    w.writeheader()
    n = 0
    for row, record in rows:
        w.writerow(flat(row, record))
        n += 1
        if n % batch == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def geojson_chunks(rows: Iterable[tuple[Row, dict[str, Any]]], batch: int = 500) -> Iterator[bytes]:
    yield b'{"type":"FeatureCollection","features":['
    parts: list[str] = []
    first = True
    for row, record in rows:
        loc = record.get("location") or {}
        feature = {
            "type": "Feature",
            "id": row.id,
            "geometry": {"type": "Point", "coordinates": [loc.get("lon"), loc.get("lat")]},
            "properties": {**record, "version": row.version},
        }
        parts.append(("" if first else ",") + json.dumps(feature, ensure_ascii=False))
        first = False
        if len(parts) >= batch:
            yield "".join(parts).encode()
            parts = []
    parts.append("]}\n")
    yield "".join(parts).encode()


def parquet_chunks(
    rows: Iterable[tuple[Row, dict[str, Any]]], group: int = 50_000
) -> Iterator[bytes]:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    text = pa.string()
    types = dict.fromkeys(COLUMNS, text) | {
        "year": pa.int32(),
        "time_precision": pa.int8(),
        "geo_precision": pa.int8(),
        "latitude": pa.float64(),
        "longitude": pa.float64(),
        "fatalities": pa.int64(),
        "timestamp": pa.int64(),
        "fatalities_low": pa.int64(),
        "fatalities_high": pa.int64(),
        "injured_best": pa.int64(),
        "version": pa.int64(),
    }
    schema = pa.schema([(c, types[c]) for c in COLUMNS] + [("record_json", text)])
    sink = ByteSink()
    writer = pq.ParquetWriter(sink, schema, compression="zstd")
    cols: dict[str, list[Any]] = {c: [] for c in schema.names}

    def flush() -> None:
        writer.write_table(pa.table(cols, schema=schema))
        for v in cols.values():
            v.clear()

    for row, record in rows:
        f = flat(row, record)
        for c in COLUMNS:
            v = f[c]
            cols[c].append(v if types[c] != text or v is None else str(v))
        cols["record_json"].append(json.dumps(record, ensure_ascii=False))
        if len(cols["record_json"]) >= group:
            flush()
            yield sink.take()
    flush()  # the last (or only, possibly empty) row group
    writer.close()
    yield sink.take()
