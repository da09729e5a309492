"""The writers: items in, bytes out, a batch at a time.

Every writer takes an iterable of items and yields ``bytes`` chunks as it goes, holding
at most one batch of rows (or one Parquet row group) in memory, so an export of millions
of incidents runs in constant memory whatever its size. ``write`` drains the chunks into
a binary file object.

Text formats (CSV, GeoJSON, JSON) are UTF-8. GeoPackage is an SQLite file, so it is built
in a temporary file and then streamed out (or written in place by ``gpkg.write_path``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from pydantic import TypeAdapter

from ceasewatch.evaluate.finding import Finding
from ceasewatch.exports.table import NO_LOOKUPS, Lookups, Table, Value, incident_of
from ceasewatch.incidents import codec

BATCH = 1000
"""Rows per chunk of text output."""

_FINDING: TypeAdapter[Finding] = TypeAdapter(Finding)


def cell(value: Value) -> str:
    """A value as a CSV cell: blank for None, ISO dates, floats as held.

    >>> cell(None), cell(36.1730625), cell(dt.date(2016, 9, 7)), cell(0)
    ('', '36.1730625', '2016-09-07', '0')
    """
    if value is None:
        return ""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def csv_chunks(
    items: Iterable[Any], table: Table[Any], lookups: Lookups = NO_LOOKUPS, batch: int = BATCH
) -> Iterator[bytes]:
    """A header row, then one row per item (RFC 4180 quoting, ``\\n`` line ends)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.names)
    n = 0
    for item in items:
        w.writerow([cell(v) for v in table.row(item, lookups)])
        n += 1
        if n % batch == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def _listed(
    items: Iterable[Any], head: str, tail: str, one: Callable[[Any], Any], batch: int
) -> Iterator[bytes]:
    parts = [head]
    first = True
    n = 0
    for item in items:
        parts.append(("\n" if first else ",\n") + json.dumps(one(item), ensure_ascii=False))
        first = False
        n += 1
        if n % batch == 0:
            yield "".join(parts).encode()
            parts = []
    parts.append(("\n" if not first else "") + tail)
    yield "".join(parts).encode()


def finding_json(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = _FINDING.dump_python(f, mode="json")
    return out


def json_chunks(items: Iterable[Any], batch: int = BATCH) -> Iterator[bytes]:
    """A JSON list of incident.v1 (for incidents) or finding.v1 records (for findings)."""

    def one(item: Any) -> dict[str, Any]:
        return (
            finding_json(item[0]) if isinstance(item, tuple) else codec.to_json(incident_of(item))
        )

    return _listed(items, "[", "]\n", one, batch)


def feature(item: Any, table: Table[Any], lookups: Lookups) -> dict[str, Any]:
    """One GeoJSON Feature: a Point at the incident, with the incident.v1 record as its
    properties (an incident; a stored one adds its store columns), or the finding.v1
    record and the incident columns of the findings table (a finding)."""
    from ceasewatch.exports.stored import STORE_COLUMNS, Held

    incident = incident_of(item)
    if isinstance(item, tuple):
        values = table.row(item, lookups)
        props = {n: _plain(v) for n, v in zip(table.names, values, strict=True)}
        props |= finding_json(item[0])
        fid = item[0].id
    else:
        props = codec.to_json(incident)
        if isinstance(item, Held):
            store = {c.name for c in STORE_COLUMNS}
            row = zip(table.names, table.row(item, lookups), strict=True)
            props |= {name: _plain(v) for name, v in row if name in store}
        fid = incident.id
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {
            "type": "Point",
            "coordinates": [incident.location.lon, incident.location.lat],
        },
        "properties": props,
    }


def _plain(value: Value) -> str | int | float | None:
    return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value


def geojson_chunks(
    items: Iterable[Any], table: Table[Any], lookups: Lookups = NO_LOOKUPS, batch: int = BATCH
) -> Iterator[bytes]:
    """An RFC 7946 FeatureCollection (WGS84 longitude, latitude; no ``crs`` member)."""
    return _listed(
        items,
        '{"type": "FeatureCollection", "features": [',
        "]}\n",
        lambda item: feature(item, table, lookups),
        batch,
    )


def write(chunks: Iterable[bytes], out: IO[bytes]) -> int:
    """Drain ``chunks`` into ``out``; the number of bytes written."""
    n = 0
    for chunk in chunks:
        out.write(chunk)
        n += len(chunk)
    return n
