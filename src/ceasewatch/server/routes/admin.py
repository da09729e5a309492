"""Health, who am I, the audit log, users."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import text

from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import (
    AuditEntryOut,
    AuditHeadOut,
    AuditVerifyOut,
    HealthOut,
    MeOut,
    UserOut,
)
from ceasewatch.server.routes.common import API, Store
from ceasewatch.store import audit, users

router = APIRouter(prefix=API, tags=["admin"])


@router.get("/health", response_model=HealthOut)
def health(caller: Authorized, engine: Store) -> dict[str, Any]:
    """200 when the store answers; 503 (in the error shape) when it does not."""
    del caller
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"ok": True, "store": engine.dialect.name}


@router.get("/me", response_model=MeOut)
def me(caller: Authorized) -> dict[str, Any]:
    return {"name": caller.name.removeprefix("user:"), "role": caller.role, "party": caller.party}


@router.get("/audit/head", response_model=AuditHeadOut, tags=["audit"])
def audit_head(caller: Authorized, engine: Store) -> dict[str, Any]:
    """`SEQ:HASH` of the newest entry: keep a copy elsewhere to detect a rewritten chain."""
    del caller
    return {"head": audit.head(engine)}


@router.get("/audit", response_model=list[AuditEntryOut], tags=["audit"])
def audit_entries(
    caller: Authorized,
    engine: Store,
    entity: Annotated[str | None, Query(max_length=40)] = None,
    entity_id: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[dict[str, Any]]:
    """Newest first."""
    del caller
    return [dataclasses.asdict(e) for e in audit.entries(engine, entity, entity_id, limit)]


@router.get("/audit/verify", response_model=AuditVerifyOut, tags=["audit"])
def audit_verify(
    caller: Authorized,
    engine: Store,
    head: Annotated[str | None, Query(description="A pinned SEQ:HASH", max_length=200)] = None,
) -> dict[str, Any]:
    del caller
    return dataclasses.asdict(audit.verify(engine, head))


@router.get("/users", response_model=list[UserOut])
def user_list(caller: Authorized, engine: Store) -> list[dict[str, Any]]:
    del caller
    return users.listing(engine)
