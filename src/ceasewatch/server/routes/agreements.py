"""/agreements: upload a spec (validated as by `ceasewatch check`), versions, evaluate."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request, status

from ceasewatch.server import notify
from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import (
    AgreementOut,
    AgreementSummary,
    EvaluationOut,
    SpecIn,
    StoredAgreementOut,
)
from ceasewatch.server.routes.common import API, Now, Store
from ceasewatch.server.services import agreements

router = APIRouter(prefix=API, tags=["agreements"])


@router.get("/agreements", response_model=list[AgreementSummary])
def listing(caller: Authorized, engine: Store) -> list[dict[str, Any]]:
    del caller
    return agreements.agreements_list(engine)


@router.post(
    "/agreements", status_code=status.HTTP_201_CREATED, response_model=list[StoredAgreementOut]
)
def upload(
    body: SpecIn,
    caller: Authorized,
    engine: Store,
    now: Now,
    request: Request,
    tasks: BackgroundTasks,
) -> list[dict[str, Any]]:
    """Store a scenario's files. Every problem comes back at once (422), as
    `file:line: field: what — hint`. A version once stored never changes: upload a
    changed agreement with a new `version:` (else 409). Findings are recomputed."""
    out = agreements.upload_agreements(engine, body.files, caller, now)
    notify.queue_watch(request.app, tasks)
    return out


@router.get("/agreements/{agreement_id}", response_model=AgreementOut)
def detail(agreement_id: str, caller: Authorized, engine: Store) -> dict[str, Any]:
    del caller
    return agreements.agreement_detail(engine, agreement_id)


@router.post("/agreements/{agreement_id}/evaluate", response_model=EvaluationOut)
def evaluate(
    agreement_id: str,
    caller: Authorized,
    engine: Store,
    now: Now,
    request: Request,
    tasks: BackgroundTasks,
) -> dict[str, Any]:
    """Recompute every finding of the agreement's current version."""
    out = agreements.evaluate_agreement(engine, agreement_id, caller, now)
    notify.queue_watch(request.app, tasks)
    return out
