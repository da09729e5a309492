"""/exports: incidents as CSV (ACLED's columns), GeoJSON or Parquet, streamed.

The writers are ``ceasewatch.exports``'s, the same as ``ceasewatch export``: the API adds
the store's columns (status, version, last change) after each format's own and redacts
the public's records before they become rows (``ceasewatch.exports.stored``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine

from ceasewatch import exports
from ceasewatch.exports import parquet, stored
from ceasewatch.exports import select as sel
from ceasewatch.incidents.model import Confidence, EventType, Status
from ceasewatch.server.auth import Authorized
from ceasewatch.server.routes.common import API, Store, bbox
from ceasewatch.store import search

router = APIRouter(prefix=API, tags=["exports"])

#: the API's names -> ceasewatch.exports formats
FORMATS = {"csv": "acled-csv", "geojson": "geojson", "parquet": "parquet"}


@router.get(
    "/exports/incidents.{fmt}",
    response_class=StreamingResponse,
    responses={
        200: {"content": {exports.MEDIA_TYPES[f].split(";")[0]: {} for f in FORMATS.values()}}
    },
)
def export_incidents(
    fmt: Literal["csv", "geojson", "parquet"],
    caller: Authorized,
    engine: Store,
    bbox_: Annotated[
        str | None,
        Query(alias="bbox", description="min_lon,min_lat,max_lon,max_lat", max_length=200),
    ] = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    event_type: EventType | None = None,
    actor: Annotated[str | None, Query(max_length=80)] = None,
    confidence: Confidence | None = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> StreamingResponse:
    """Every matching incident the caller may see (the public's with names withheld).
    CSV: ACLED's 31 columns in ACLED's order, then `status`, `version`, `updated_at`;
    Parquet: the same columns, typed; GeoJSON: incident.v1 records as properties, with
    the same three."""
    query = search.Query(
        bbox=bbox(bbox_),
        start=start,
        end=end,
        event_type=event_type,
        actor=actor,
        confidence=confidence,
        status=status_,
        text=q,
    )
    lookups = sel.lookups(sel.stored_scenarios(engine, None))

    def rows(e: Engine) -> Iterator[tuple[dict[str, Any], str, int, str | None]]:
        with e.connect() as conn:
            for r in search.stream(conn, query, caller.scope, page=False):
                yield r.record, r.status, r.version, r.updated_at

    items = stored.held(rows(engine), public=caller.access == "published")
    name = FORMATS[fmt]
    if fmt == "parquet":  # the CSV's columns, typed (as the API has always sent them)
        table = stored.with_store_columns(exports.table("incidents", "acled-csv"))
        body = parquet.parquet_chunks(items, table, lookups)
    else:
        body = exports.chunks("incidents", name, items, lookups, store_columns=True)
    return StreamingResponse(
        body,
        media_type=exports.MEDIA_TYPES[name],
        headers={"Content-Disposition": f'attachment; filename="incidents.{fmt}"'},
    )
