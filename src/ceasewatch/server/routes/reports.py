"""/reports: an article in, its incidents back as `proposed` (needs ceasewatch.extract)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from ceasewatch.server import services as s
from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import IncidentsOut, ReportIn
from ceasewatch.server.routes.common import API, Now, Store

router = APIRouter(prefix=API, tags=["reports"])


@router.post("/reports", status_code=status.HTTP_201_CREATED, response_model=IncidentsOut)
def submit(body: ReportIn, caller: Authorized, engine: Store, now: Now) -> dict[str, Any]:
    """Extract incidents from an article's text; they wait in the review queue. 503 when
    this build has no extractor."""
    rows = s.submit_report(engine, body.model_dump(mode="json"), caller, now)
    return {"data": [s.shown(r, caller) for r in rows], "count": len(rows), "next_offset": None}
