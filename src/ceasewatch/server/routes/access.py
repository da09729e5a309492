"""/access: convoys and their updates, access constraints, route and checkpoint status,
and the route-status layer of the dashboard map. Monitors record; liaisons report (their
updates and constraints are audited in their name); the public sees status computed
from published incidents only."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from shapely.geometry import mapping
from sqlalchemy import Engine

from ceasewatch.access import records as ar
from ceasewatch.access.judge import AccessBook
from ceasewatch.agreement.model import AccessSustained, Agreement, World
from ceasewatch.errors import NotFound, UsageError
from ceasewatch.evaluate.gates import Daily
from ceasewatch.reports.run import end_of
from ceasewatch.server.auth import Authorized
from ceasewatch.server.routes.common import API, Now, Store
from ceasewatch.server.services.analysis import outcomes
from ceasewatch.server.services.stored_agreements import current_agreements, scenario_of
from ceasewatch.store import access as store

router = APIRouter(prefix=API, tags=["access"])

AgreementQ = Annotated[str | None, Query(description="One agreement id", max_length=80)]
DateQ = Annotated[dt.date, Query(description="The local day (YYYY-MM-DD)")]


def _world(engine: Engine, agreement: str | None) -> World:
    with engine.connect() as conn:
        stored = current_agreements(conn)
    if agreement is not None:
        stored = [x for x in stored if x.agreement_id == agreement]
        if not stored:
            raise NotFound(f"no stored agreement {agreement!r}")
    if not stored:
        raise UsageError("no agreement stored yet — upload one (POST /api/v1/agreements)")
    return scenario_of(stored[0]).world


def _convoy_out(c: Any, tz: str) -> dict[str, Any]:
    doc = ar.convoy_doc(c, tz)
    doc["status"] = c.status
    return doc


@router.get("/access/convoys")
def convoys(caller: Authorized, engine: Store, agreement: AgreementQ = None) -> dict[str, Any]:
    """Every convoy with its status history."""
    world = _world(engine, agreement)
    data = [_convoy_out(c, world.timezone) for c in store.convoys(engine, world)]
    return {"data": data, "count": len(data)}


@router.post("/access/convoys", status_code=status.HTTP_201_CREATED)
def add_convoy(
    body: ar.ConvoyIn, caller: Authorized, engine: Store, now: Now, agreement: AgreementQ = None
) -> dict[str, Any]:
    """Record a convoy with its first status (monitors). 409 when the id is taken."""
    world = _world(engine, agreement)
    return _convoy_out(store.add_convoy(engine, body, world, caller.actor, now), world.timezone)


@router.post("/access/convoys/{convoy_id}/updates", status_code=status.HTTP_201_CREATED)
def update_convoy(
    convoy_id: str,
    body: ar.UpdateIn,
    caller: Authorized,
    engine: Store,
    now: Now,
    agreement: AgreementQ = None,
) -> dict[str, Any]:
    """A status change, with its evidence. 404 for an unknown convoy; 409 for an update
    dated before the last one (nothing is written)."""
    world = _world(engine, agreement)
    after = store.update_convoy(engine, convoy_id, body, world, caller.actor, now)
    return _convoy_out(after, world.timezone)


@router.get("/access/constraints")
def constraints(caller: Authorized, engine: Store, agreement: AgreementQ = None) -> dict[str, Any]:
    """Access constraints (ACAPS categories)."""
    world = _world(engine, agreement)
    data = [ar.constraint_doc(k) for k in store.constraints(engine, world)]
    return {"data": data, "count": len(data)}


@router.post("/access/constraints", status_code=status.HTTP_201_CREATED)
def add_constraint(
    body: ar.ConstraintIn, caller: Authorized, engine: Store, now: Now, agreement: AgreementQ = None
) -> dict[str, Any]:
    """Record an access constraint (monitors; liaisons report them)."""
    world = _world(engine, agreement)
    return ar.constraint_doc(store.add_constraint(engine, body, world, caller.actor, now))


def _books(engine: Engine, caller: Any, agreement: str | None, day: dt.date) -> list[AccessBook]:
    world = _world(engine, agreement)
    records = store.load_records(engine, world)
    try:
        outs = outcomes(engine, caller, agreement, end_of(day, world.timezone))
    except UsageError:
        outs = []
    if outs:
        return [Daily(o.evaluation, a, records).access for o in outs for a in o.scenario.agreements]
    with engine.connect() as conn:
        stored = current_agreements(conn)
    return [
        AccessBook(a, records)
        for x in stored
        if agreement in (None, x.agreement_id)
        for a in scenario_of(x).agreements
    ]


@router.get("/access/status")
def access_status(
    caller: Authorized, engine: Store, date: DateQ, agreement: AgreementQ = None
) -> dict[str, Any]:
    """Each route and checkpoint open, closed or unknown on the day, with why, and the
    convoys that broke sustained access that day."""
    out = []
    for book in _books(engine, caller, agreement, date):
        out.append(
            {
                "agreement_id": book.agreement.id,
                "statuses": [
                    {
                        "kind": x.kind,
                        "id": x.id,
                        "name": x.name,
                        "status": x.state,
                        "why": list(x.why),
                    }
                    for x in book.statuses(date)
                ],
                "convoys": list(book.convoy_breaks(date)),
            }
        )
    return {"date": date.isoformat(), "agreements": out}


def _names_route(a: Agreement, route_id: str) -> bool:
    if any(r.route == route_id for r in a.rules):
        return True
    return any(
        isinstance(c, AccessSustained) and route_id in c.routes
        for p in a.phases
        if p.gate
        for c in p.gate.each_day
    )


@router.get("/access/routes.geojson")
def routes_geojson(
    caller: Authorized, engine: Store, date: DateQ, agreement: AgreementQ = None
) -> dict[str, Any]:
    """The routes as GeoJSON lines with their status on the day (the dashboard's layer):
    each judged under the agreement that names it in an access rule or gate (else the
    first agreement)."""
    books = _books(engine, caller, agreement, date)
    features = []
    if books:
        for route in books[0].world.routes:
            book = next((b for b in books if _names_route(b.agreement, route.id)), books[0])
            st = book.route(route.id, date)
            features.append(
                {
                    "type": "Feature",
                    "id": route.id,
                    "geometry": mapping(route.geometry),
                    "properties": {
                        "id": route.id,
                        "name": route.name,
                        "corridor_m": route.corridor_m,
                        "status": st.state,
                        "why": list(st.why),
                        "agreement_id": book.agreement.id,
                        "date": date.isoformat(),
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}
