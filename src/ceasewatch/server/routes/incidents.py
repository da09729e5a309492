"""/incidents: submit, read, search, edit with a reason, review (publish/reject)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Body, Depends, Query, Request, status
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from ceasewatch import jsonbytes
from ceasewatch.errors import Invalid, NotFound
from ceasewatch.evaluate.finding import Verdict
from ceasewatch.incidents.model import Confidence, EventType, Status
from ceasewatch.server import notify
from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import AuditEntryOut, IncidentOut, IncidentsOut, PatchIn, ReviewIn
from ceasewatch.server.routes.common import API, Now, Store, bbox
from ceasewatch.server.services import incidents, redaction, stored_agreements
from ceasewatch.store import db, search

router = APIRouter(prefix=API, tags=["incidents"])

_INCIDENT_BODY = Body(
    description="An incident.v1 record (docs/incidents.md). `id` may be left out: the "
    "server then makes one from the content. A liaison's incident is stored `proposed`.",
    examples=[
        {
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Air/drone strike",
            "occurred": {"start": "2016-09-19", "end": "2016-09-19"},
            "location": {"lat": 36.2, "lon": 37.1, "precision": "town", "name": "Aleppo"},
        }
    ],
)


@router.post("/incidents", status_code=status.HTTP_201_CREATED, response_model=IncidentOut)
def create_incident(
    caller: Authorized,
    engine: Store,
    now: Now,
    record: Annotated[dict[str, Any], _INCIDENT_BODY],
    request: Request,
    tasks: BackgroundTasks,
) -> dict[str, Any]:
    """Submit one incident.v1; it comes back with its `id` and `version`."""
    rows = incidents.create_incidents(engine, [record], caller, now)
    notify.queue_watch(request.app, tasks)
    return redaction.shown(rows[0], caller)


@dataclass(frozen=True)
class Filters:
    """The search parameters of ``GET /incidents`` (and of the map's compact view)."""

    bbox: str | None
    zone: str | None
    agreement: str | None
    start: dt.date | None
    end: dt.date | None
    event_type: str | None
    actor: str | None
    verdict: str | None
    confidence: str | None
    status: str | None
    q: str | None

    def query(self, engine: Any, limit: int = 100, offset: int = 0) -> search.Query:
        """The store's query; a zone id becomes its polygon (400 for an unknown one)."""
        return search.Query(
            bbox=bbox(self.bbox),
            zone=_zone(engine, self.zone, self.agreement) if self.zone else None,
            start=self.start,
            end=self.end,
            event_type=self.event_type,
            actor=self.actor,
            verdict=self.verdict,
            agreement=self.agreement,
            confidence=self.confidence,
            status=self.status,
            text=self.q,
            limit=limit,
            offset=offset,
        )


async def filters(
    bbox_: Annotated[
        str | None,
        Query(alias="bbox", description="min_lon,min_lat,max_lon,max_lat", max_length=200),
    ] = None,
    zone: Annotated[
        str | None, Query(description="A zone id of a stored agreement", max_length=80)
    ] = None,
    agreement: Annotated[
        str | None,
        Query(description="Agreement whose zones and findings `zone`/`verdict` use", max_length=80),
    ] = None,
    start: Annotated[dt.date | None, Query(description="Incidents ending on or after")] = None,
    end: Annotated[dt.date | None, Query(description="Incidents starting on or before")] = None,
    event_type: EventType | None = None,
    actor: Annotated[
        str | None, Query(description="Perpetrator or target actor id", max_length=80)
    ] = None,
    verdict: Annotated[
        Verdict | None, Query(description="Verdict that holds (an override where it stands)")
    ] = None,
    confidence: Confidence | None = None,
    status_: Annotated[Status | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(description="Free text", max_length=200)] = None,
) -> Filters:
    return Filters(
        bbox_, zone, agreement, start, end, event_type, actor, verdict, confidence, status_, q
    )


SearchFilters = Annotated[Filters, Depends(filters)]


@router.get("/incidents", response_model=IncidentsOut)
async def search_incidents(
    caller: Authorized,
    engine: Store,
    where: SearchFilters,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Any:
    """Search by place (bbox, zone), dates, event type, actor, verdict, confidence,
    status and free text; newest first."""

    def work() -> bytes:
        query = where.query(engine, limit, offset)
        with db.reading(engine) as conn:
            rows = list(search.stream(conn, query, caller.scope))
        return jsonbytes.dumps(
            {
                "data": [redaction.shown(r, caller) for r in rows],
                "count": len(rows),
                "next_offset": offset + limit if len(rows) == limit else None,
            }
        )

    # one thread hop for the store's work and the answer's bytes; stored records are
    # valid incident.v1 already, so they are sent as they are (the public's redacted),
    # not validated again: IncidentsOut documents the answer (tests/server/test_openapi.py)
    return Response(await run_in_threadpool(work), media_type="application/json")


def _zone(engine: Any, zone_id: str, agreement: str | None) -> Any:
    from ceasewatch.agreement.problems import did_you_mean

    with engine.connect() as conn:
        stored = stored_agreements.current_agreements(conn)
    if agreement:
        stored = [x for x in stored if x.agreement_id == agreement]
        if not stored:
            raise NotFound(f"no stored agreement {agreement!r}")
    known: set[str] = set()
    for x in stored:
        world = stored_agreements.scenario_of(x).world
        for z in world.zones:
            if z.id == zone_id:
                return z.geometry
            known.add(z.id)
    raise Invalid(
        f"no zone {zone_id!r} in the stored agreements", [f"zone: {did_you_mean(zone_id, known)}"]
    )


@router.get("/incidents/{incident_id}", response_model=IncidentOut)
async def get_incident(incident_id: str, caller: Authorized, engine: Store) -> Any:
    """One incident. An id fusion retired (its reports joined another incident's) answers
    the incident it went to: `incident.id` says which (docs/fusion.md)."""

    def work() -> bytes:
        row = incidents.get_incident(engine, incident_id, caller)
        return jsonbytes.dumps(redaction.shown(row, caller))

    return Response(await run_in_threadpool(work), media_type="application/json")


@router.patch("/incidents/{incident_id}", response_model=IncidentOut)
def edit_incident(
    incident_id: str,
    body: PatchIn,
    caller: Authorized,
    engine: Store,
    now: Now,
    request: Request,
    tasks: BackgroundTasks,
) -> dict[str, Any]:
    """Change fields (a JSON merge patch of the record), with a reason. Send the `version`
    you read: if someone changed the incident since, the answer is 409 with the current
    version. Findings are recomputed; overrides of its findings lapse."""
    row = incidents.change_incident(
        engine,
        incident_id,
        caller,
        now,
        reason=body.reason,
        version=body.version,
        patch=body.changes,
    )
    notify.queue_watch(request.app, tasks)
    return redaction.shown(row, caller)


@router.get("/incidents/{incident_id}/history", response_model=list[AuditEntryOut])
def incident_history(incident_id: str, caller: Authorized, engine: Store) -> list[dict[str, Any]]:
    """Every audited change of the incident, newest first."""
    del caller
    return incidents.history(engine, incident_id)


@router.get("/review", response_model=IncidentsOut, tags=["review"])
def review_queue(
    caller: Authorized,
    engine: Store,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> dict[str, Any]:
    """Proposed incidents waiting for a monitor."""
    query = search.Query(status="proposed", limit=limit, offset=offset)
    with engine.connect() as conn:
        rows = list(search.stream(conn, query, caller.scope))
    return {
        "data": [redaction.shown(r, caller) for r in rows],
        "count": len(rows),
        "next_offset": offset + limit if len(rows) == limit else None,
    }


def _review(status: str) -> Any:
    """The review route that sets ``status`` (with the reviewer's reason and version)."""

    def review(
        incident_id: str,
        body: ReviewIn,
        caller: Authorized,
        engine: Store,
        now: Now,
        request: Request,
        tasks: BackgroundTasks,
    ) -> dict[str, Any]:
        row = incidents.change_incident(
            engine,
            incident_id,
            caller,
            now,
            reason=body.reason,
            version=body.version,
            status=status,
        )
        notify.queue_watch(request.app, tasks)
        return redaction.shown(row, caller)

    return review


publish = router.post(
    "/incidents/{incident_id}/publish",
    response_model=IncidentOut,
    tags=["review"],
    name="publish",
)(_review("published"))
reject = router.post(
    "/incidents/{incident_id}/reject",
    response_model=IncidentOut,
    tags=["review"],
    name="reject",
    description="A rejected incident is no evidence: its findings are removed.",
)(_review("rejected"))
