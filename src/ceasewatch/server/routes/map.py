"""/map/incidents: every incident a map should draw, in one compact, columnar answer.

The map needs, per incident, only where it is, how precisely, its most serious verdict,
its review status and its day; the rest (sources, findings, reasons) is fetched for the
one incident a person opens. One array per column keeps 100,000 incidents to a few
megabytes and one request, where the paged search sends whole records. The same filters
as ``GET /incidents``, and the same role table: a row a caller may not see is never read.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from ceasewatch.incidents.vocab import LOCATION_PRECISIONS, STATUSES
from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import MapIncidentsOut
from ceasewatch.server.routes.common import API, Store
from ceasewatch.server.routes.incidents import SearchFilters
from ceasewatch.store import search

router = APIRouter(prefix=API, tags=["incidents"])


def columns(pts: list[search.Point], verdict_filter: str | None) -> dict[str, Any]:
    """The answer's body: code lists, then one array per column (codes index the lists;
    a verdict of null: no finding).

    >>> p = search.Point("a", 36.2, 37.1, "town", "published", "2016-09-19", 0)
    >>> body = columns([p], None)
    >>> body["verdict"], body["verdicts"][0], body["precisions"][body["precision"][0]]
    ([0], 'violation', 'town')
    """
    precisions = list(LOCATION_PRECISIONS)
    statuses = list(STATUSES)
    verdicts = list(search.VERDICT_ORDER)
    p_code = {v: n for n, v in enumerate(precisions)}
    s_code = {v: n for n, v in enumerate(statuses)}
    fixed = verdicts.index(verdict_filter) if verdict_filter else None
    return {
        "count": len(pts),
        "precisions": precisions,
        "statuses": statuses,
        "verdicts": verdicts,
        "id": [p.id for p in pts],
        "lat": [p.lat for p in pts],
        "lon": [p.lon for p in pts],
        "precision": [p_code.get(p.precision) for p in pts],
        "status": [s_code.get(p.status) for p in pts],
        "start": [p.start for p in pts],
        # searching by verdict colours each match by that verdict, as the search means it
        "verdict": [
            fixed
            if fixed is not None
            else (p.verdict if p.verdict is not None and p.verdict < len(verdicts) else None)
            for p in pts
        ],  # fmt: skip
    }


@router.get("/map/incidents", response_model=MapIncidentsOut)
async def map_incidents(caller: Authorized, engine: Store, where: SearchFilters) -> Response:
    """Every matching incident (no paging), newest first, as columns: `id`, `lat`, `lon`,
    `precision`, `status`, `start` (first day) and `verdict` (the most serious that holds,
    an override's where one stands, under `agreement` when given). Codes index the lists
    `precisions`, `statuses`, `verdicts`. Details come from `GET /incidents/{id}`."""

    def work() -> bytes:
        query = where.query(engine)
        with engine.connect() as conn:
            pts = list(search.points(conn, query, caller.scope))
        body = columns(pts, where.verdict)
        return json.dumps(body, separators=(",", ":")).encode()

    return Response(await run_in_threadpool(work), media_type="application/json")
