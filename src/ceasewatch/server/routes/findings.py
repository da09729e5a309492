"""/findings: the machine's verdicts, overrides beside them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ceasewatch.evaluate.finding import Verdict
from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import FindingOut, OverrideIn
from ceasewatch.server.routes.common import API, Now, Store
from ceasewatch.server.services import findings as findings_service

router = APIRouter(prefix=API, tags=["findings"])


@router.get("/findings", response_model=list[FindingOut])
def findings(
    caller: Authorized,
    engine: Store,
    incident_id: Annotated[str | None, Query(max_length=200)] = None,
    agreement: Annotated[str | None, Query(max_length=80)] = None,
    verdict: Annotated[Verdict | None, Query(description="The machine's verdict")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> list[dict[str, Any]]:
    return findings_service.findings(
        engine,
        caller,
        incident_id=incident_id,
        agreement_id=agreement,
        verdict=verdict,
        limit=limit,
        offset=offset,
    )


@router.post("/findings/{finding_id}/override", response_model=FindingOut)
def override(
    finding_id: str, body: OverrideIn, caller: Authorized, engine: Store, now: Now
) -> dict[str, Any]:
    """A monitor's verdict, with a reason. It is shown beside the machine's and stands
    until the incident or the rule changes."""
    return findings_service.override(engine, finding_id, body.verdict, body.reason, caller, now)
