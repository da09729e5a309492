"""Importers: conflict-event datasets and monitors' reports -> incident.v1 reports.

Each source has a pure mapper (``acled``, ``ucdp``, ``gdelt``, ``syrian_archive``,
``records`` for incident.v1 and GeoJSON): one record in, a ``Mapped`` incident, a
``Rejected`` record with located reasons, or a ``Skipped`` one out. ``reader`` streams
files into records in constant memory; ``pipeline`` writes them to the store in batches,
one transaction each, and fuses the reports of one event into one incident.
docs/import.md documents every vocabulary mapping.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Literal

from ceasewatch.ingest import acled, gdelt, records, syrian_archive, ucdp, ucdp_batch
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.result import Outcome

Layout = Literal["csv", "records", "geojson"]


@dataclass(frozen=True)
class Format:
    """How one ``ceasewatch import FORMAT`` reads its files."""

    name: str
    layout: Layout
    map: Callable[[Any, Context], Outcome]
    description: str
    delimiter: str = ","
    required: tuple[str, ...] = ()
    #: Column names for files without a header line (GDELT).
    columns: tuple[str, ...] | None = None
    #: Every column the format knows: a header column outside it is named in a warning,
    #: with the nearest known name (None: any column is welcome).
    known: tuple[str, ...] | None = None
    #: A batch mapper for the format's CSV rows, made per file from (header, context,
    #: import id): the import's fast path (``ucdp_batch``); None: the mapper, row by row.
    batch: Callable[[Sequence[str], Context, int], Any] | None = None


FORMATS: Final[dict[str, Format]] = {
    f.name: f
    for f in (
        Format(
            "acled",
            "csv",
            acled.map_row,
            "ACLED CSV export (published)",
            required=acled.REQUIRED,
            known=acled.KNOWN,
        ),
        Format(
            "ucdp",
            "csv",
            ucdp.map_row,
            "UCDP GED CSV (published)",
            required=ucdp.REQUIRED,
            known=ucdp.KNOWN,
            batch=ucdp_batch.UcdpBatch,
        ),
        Format(
            "gdelt",
            "csv",
            gdelt.map_row,
            "GDELT 2.0 events export, tab-separated, no header (published)",
            delimiter="\t",
            required=gdelt.REQUIRED,
            columns=gdelt.COLUMNS,
        ),
        Format(
            "syrian-archive",
            "csv",
            syrian_archive.map_row,
            "Syrian Archive violations CSV (monitor reports: proposed)",
            required=syrian_archive.REQUIRED,
            known=syrian_archive.KNOWN,
        ),
        Format(
            "geojson",
            "geojson",
            records.map_feature,
            "GeoJSON FeatureCollection of Point features (incident.v1 properties)",
        ),
        Format(
            "incidents",
            "records",
            records.map_record,
            "incident.v1 JSON, JSONL or CSV",
        ),
    )
}


def map_one(fmt: str, record: Mapping[str, str], ctx: Context) -> Outcome:
    """Map one record of ``fmt`` (for tests and callers that hold rows already)."""
    return FORMATS[fmt].map(record, ctx)
