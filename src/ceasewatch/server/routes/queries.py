"""Queries to a party: a monitor asks a liaison about an incident; the liaison answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, status

from ceasewatch.server import notify
from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import AnswerIn, QueryIn, QueryOut
from ceasewatch.server.routes.common import API, Now, Store
from ceasewatch.server.services import queries

router = APIRouter(prefix=API, tags=["queries"])


@router.post(
    "/incidents/{incident_id}/queries",
    status_code=status.HTTP_201_CREATED,
    response_model=QueryOut,
)
def ask(
    incident_id: str, body: QueryIn, caller: Authorized, engine: Store, now: Now
) -> dict[str, Any]:
    """Ask a party's liaison about an alleged violation; the liaison then sees the
    incident."""
    return queries.ask(engine, incident_id, body.party, body.question, caller, now)


@router.get("/queries", response_model=list[QueryOut])
def listing(
    caller: Authorized,
    engine: Store,
    incident_id: Annotated[str | None, Query(max_length=200)] = None,
) -> list[dict[str, Any]]:
    """All queries, or (a liaison) its party's."""
    return queries.queries(engine, caller, incident_id)


@router.post("/queries/{query_id}/answer", response_model=QueryOut)
def answer(
    query_id: int,
    body: AnswerIn,
    caller: Authorized,
    engine: Store,
    now: Now,
    request: Request,
    tasks: BackgroundTasks,
) -> dict[str, Any]:
    out = queries.answer(engine, query_id, body.answer, caller, now)
    notify.queue(request.app, tasks, "query.answered", out)
    return out
