"""Exports in the formats analysts already use: ACLED- and UCDP-style CSV, GeoJSON,
GeoPackage, Parquet and incident.v1/finding.v1 JSON.

``chunks(kind, fmt, items)`` is the one entry point: an iterable of incidents (kind
``incidents``) or of ``(finding, incident)`` pairs (kind ``findings``) in, ``bytes``
chunks out, in constant memory (see ``writers``). The CLI (``ceasewatch export``) and the
API's ``/exports`` both call it. Columns and mappings: docs/exports.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from typing import Any, Final, Literal

from ceasewatch.exports import acled, flat, ucdp
from ceasewatch.exports.table import NO_LOOKUPS, Lookups, Table

Kind = Literal["incidents", "findings"]
KINDS: Final = ("incidents", "findings")
FORMATS: Final = ("acled-csv", "ucdp-csv", "geojson", "gpkg", "parquet", "json")

EXTENSIONS: Final = {
    "acled-csv": "csv",
    "ucdp-csv": "csv",
    "geojson": "geojson",
    "gpkg": "gpkg",
    "parquet": "parquet",
    "json": "json",
}
MEDIA_TYPES: Final = {
    "acled-csv": "text/csv; charset=utf-8",
    "ucdp-csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
}


def table(kind: Kind, fmt: str) -> Table[Any]:
    """The columns a format writes for a kind (ceasewatch's flat columns for GeoJSON,
    GeoPackage and Parquet)."""
    module = {"acled-csv": acled, "ucdp-csv": ucdp}.get(fmt, flat)
    return module.INCIDENTS if kind == "incidents" else module.FINDINGS  # type: ignore[no-any-return]


def chunks(
    kind: Kind,
    fmt: str,
    items: Iterable[Any],
    lookups: Lookups = NO_LOOKUPS,
    now: dt.datetime | None = None,
    *,
    store_columns: bool = False,
) -> Iterator[bytes]:
    """The export's bytes, a batch at a time. ``now`` stamps a GeoPackage's last change.

    With ``store_columns`` (incidents only) the items are ``stored.Held`` and each row
    adds, after the format's own columns, the store's status, version and last change
    (the API's exports; redaction is applied when the items are made, ``stored.held``)."""
    from ceasewatch.exports import gpkg, parquet, stored, writers

    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    t = table(kind, fmt)
    if store_columns:
        if kind != "incidents":
            raise ValueError("store columns are for incidents")
        t = stored.with_store_columns(t)
    if fmt in ("acled-csv", "ucdp-csv"):
        return writers.csv_chunks(items, t, lookups)
    if fmt == "geojson":
        return writers.geojson_chunks(items, t, lookups)
    if fmt == "json":
        return writers.json_chunks(items)
    if fmt == "gpkg":
        return gpkg.gpkg_chunks(items, t, lookups, now)
    if fmt == "parquet":
        return parquet.parquet_chunks(items, t, lookups)
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
