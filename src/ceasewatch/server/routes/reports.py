"""/reports: an article in, its incidents back as `proposed` (ceasewatch.extract)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import ReportIn, ReportOut
from ceasewatch.server.routes.common import API, Now, Store
from ceasewatch.server.services import redaction, reports

router = APIRouter(prefix=API, tags=["reports"])


@router.post(
    "/reports",
    status_code=status.HTTP_201_CREATED,
    response_model=ReportOut,
    responses={200: {"model": ReportOut, "description": "Read, and no incident stored"}},
)
def submit(
    body: ReportIn, caller: Authorized, engine: Store, now: Now, response: Response
) -> dict[str, Any]:
    """Extract incidents from an article's text; they are stored `proposed` and wait in
    the review queue (201). An article not in English, or with no incident in it, is
    answered 200 with `skipped_reason` or an empty `data`; events whose date cannot be
    resolved come back under `unresolved`, not stored.

    A plain (not async) route: FastAPI runs it in its worker threads, so extraction's CPU
    work never blocks the event loop. The pipeline is loaded on the first report."""
    report = reports.submit_report(engine, body.model_dump(mode="json"), caller, now)
    if not report.rows:
        response.status_code = status.HTTP_200_OK
    return {
        "data": [redaction.shown(r, caller) for r in report.rows],
        "count": len(report.rows),
        "article_id": report.article_id,
        "scenario_id": report.scenario_id,
        "skipped_reason": report.skipped_reason,
        "unresolved": list(report.unresolved),
        "errors": list(report.errors),
    }
