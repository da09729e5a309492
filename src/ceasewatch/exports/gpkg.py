"""GeoPackage (OGC 12-128r18, version 1.3) written with the standard library's sqlite3.

One feature table of points in WGS84 (EPSG:4326), with the columns of a ``Table``; QGIS,
GDAL/OGR (and so geopandas/pyogrio) open it as a layer. What the standard requires and
this writes:

- ``PRAGMA application_id`` = 0x47504B47 ("GPKG") and ``user_version`` = 10300;
- ``gpkg_spatial_ref_sys`` with the three required systems (-1, 0 and 4326);
- ``gpkg_contents`` (the layer, its bounds, last change) and ``gpkg_geometry_columns``;
- geometries as GeoPackageBinary: the ``GP`` header (version 0, little-endian, no
  envelope, srs 4326) followed by a WKB Point.

No spatial index (the R-tree extension needs triggers with functions SQLite lacks);
GIS programs build one when asked. Rows go in with ``executemany``, a committed batch at
a time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3
import struct
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ceasewatch.exports.table import NO_LOOKUPS, ColumnKind, Lookups, Table, incident_of

APPLICATION_ID = 0x47504B47
USER_VERSION = 10300
BATCH = 5000

_SQL_TYPE: dict[ColumnKind, str] = {
    "text": "TEXT",
    "int": "INTEGER",
    "float": "DOUBLE",
    "date": "DATE",
    "datetime": "DATETIME",
}

WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,'
    'AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,'
    'AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],'
    'AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]'
)

_SCHEMA = """
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
"""


def point_blob(lon: float, lat: float, srs_id: int = 4326) -> bytes:
    """A GeoPackageBinary point: header (magic, version 0, flags: little-endian, no
    envelope), srs id, then WKB.

    >>> point_blob(37.14, 36.17).hex()[:16]
    '47500001e6100000'
    """
    return b"GP" + bytes((0, 0b0000_0001)) + struct.pack("<i", srs_id) + wkb_point(lon, lat)


def wkb_point(lon: float, lat: float) -> bytes:
    return struct.pack("<BIdd", 1, 1, lon, lat)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_value(v: Any) -> Any:
    """Dates as YYYY-MM-DD; datetimes in UTC as YYYY-MM-DDTHH:MM:SS.SSSZ (the standard's
    DATETIME form)."""
    if isinstance(v, dt.datetime):
        return _utc(v)
    return v.isoformat() if isinstance(v, dt.date) else v


def _utc(v: dt.datetime) -> str:
    return v.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def write_path(
    items: Iterable[Any],
    table: Table[Any],
    path: Path,
    lookups: Lookups = NO_LOOKUPS,
    now: dt.datetime | None = None,
    batch: int = BATCH,
) -> int:
    """Write a new GeoPackage at ``path`` (replaced if there); the number of features."""
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    try:
        con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        con.execute(f"PRAGMA user_version = {USER_VERSION}")
        con.executescript(_SCHEMA)
        con.executemany(
            "INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian"),
                ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic"),
                ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT, "longitude/latitude WGS84"),
            ],
        )
        name = table.name
        cols = ", ".join(f"{_quote(c.name)} {_SQL_TYPE[c.kind]}" for c in table.columns)
        con.execute(
            f"CREATE TABLE {_quote(name)} (fid INTEGER PRIMARY KEY AUTOINCREMENT, "
            f"geom POINT, {cols})"
        )
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) "
            "VALUES (?, 'features', ?, ?, 4326)",
            (name, name, f"ceasewatch {name}"),
        )
        con.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", (name,)
        )
        con.commit()
        insert = (
            f"INSERT INTO {_quote(name)} (geom, {', '.join(_quote(c) for c in table.names)}) "
            f"VALUES (?{', ?' * len(table.columns)})"
        )
        bounds = [float("inf"), float("inf"), float("-inf"), float("-inf")]
        count = 0

        def rows(chunk: Iterable[Any]) -> Iterator[tuple[Any, ...]]:
            nonlocal count
            for item in chunk:
                loc = incident_of(item).location
                bounds[0], bounds[1] = min(bounds[0], loc.lon), min(bounds[1], loc.lat)
                bounds[2], bounds[3] = max(bounds[2], loc.lon), max(bounds[3], loc.lat)
                count += 1
                values = table.row(item, lookups)
                yield (point_blob(loc.lon, loc.lat), *(_sql_value(v) for v in values))

        it = iter(items)
        while chunk := list(itertools.islice(it, batch)):
            con.executemany(insert, rows(chunk))
            con.commit()  # a batch at a time: the journal stays small
        con.execute(
            "UPDATE gpkg_contents SET last_change = ?, min_x = ?, min_y = ?, max_x = ?, "
            "max_y = ? WHERE table_name = ?",
            (
                _utc(now or dt.datetime.now(dt.UTC)),
                *(b if count else None for b in bounds),
                name,
            ),
        )
        con.commit()
    finally:
        con.close()
    return count


def gpkg_chunks(
    items: Iterable[Any],
    table: Table[Any],
    lookups: Lookups = NO_LOOKUPS,
    now: dt.datetime | None = None,
    chunk_size: int = 1 << 20,
) -> Iterator[bytes]:
    """The GeoPackage as bytes: built in a temporary file, then read out in chunks."""
    with tempfile.TemporaryDirectory(prefix="ceasewatch-gpkg-") as tmp:
        path = Path(tmp) / f"{table.name}.gpkg"
        write_path(items, table, path, lookups, now)
        with path.open("rb") as fh:
            while data := fh.read(chunk_size):
                yield data
