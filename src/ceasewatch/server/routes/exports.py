"""/exports: incidents as CSV (ACLED's columns), GeoJSON or Parquet, streamed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine

from ceasewatch.incidents.model import Confidence, EventType, Status
from ceasewatch.server import exports as x
from ceasewatch.server.auth import Authorized
from ceasewatch.server.routes.common import API, Store, bbox
from ceasewatch.server.services import redaction
from ceasewatch.store import search

router = APIRouter(prefix=API, tags=["exports"])

_MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "parquet": "application/vnd.apache.parquet",
}
_WRITERS = {"csv": x.csv_chunks, "geojson": x.geojson_chunks, "parquet": x.parquet_chunks}


@router.get(
    "/exports/incidents.{fmt}",
    response_class=StreamingResponse,
    responses={200: {"content": {m.split(";")[0]: {} for m in _MEDIA.values()}}},
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
    """Every matching incident the caller may see (the public's with names withheld)."""
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
    public = caller.access == "published"

    def rows(e: Engine) -> Iterator[tuple[search.Row, dict[str, Any]]]:
        with e.connect() as conn:
            for r in search.stream(conn, query, caller.scope, page=False):
                yield r, redaction.redact(r.record) if public else r.record

    body = _WRITERS[fmt](rows(engine))
    return StreamingResponse(
        body,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="incidents.{fmt}"'},
    )
