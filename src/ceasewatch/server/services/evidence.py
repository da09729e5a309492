"""Evidence: files attached to an incident, stored with their SHA-256."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from sqlalchemy import Connection, Engine, select

from ceasewatch.errors import Forbidden, NotFound
from ceasewatch.server.services.callers import Caller
from ceasewatch.server.services.changes import run_change
from ceasewatch.server.services.incidents import get_incident
from ceasewatch.store import audit, search
from ceasewatch.store import tables as t

SAFE_TYPES = frozenset({"image/png", "image/jpeg", "application/pdf", "text/plain"})


def attach(
    engine: Engine,
    incident_id: str,
    filename: str,
    content_type: str,
    data: bytes,
    caller: Caller,
    now: dt.datetime,
) -> dict[str, Any]:
    digest = hashlib.sha256(data).hexdigest()
    eid = "ev-" + hashlib.sha256(f"{incident_id}|{digest}".encode()).hexdigest()[:16]

    def change(conn: Connection) -> dict[str, Any]:
        row = search.get(conn, incident_id, caller.scope)
        if row is None:
            raise NotFound(f"no incident {incident_id!r}")
        if caller.access == "party" and row.owner_party != caller.party:
            raise Forbidden("a liaison attaches evidence to its own party's submissions only")
        old = conn.execute(select(t.evidence.c.id).where(t.evidence.c.id == eid)).first()
        if old is None:
            conn.execute(
                t.evidence.insert().values(
                    id=eid,
                    incident_id=incident_id,
                    filename=filename[:300],
                    content_type=content_type[:120],
                    size=len(data),
                    sha256=digest,
                    data=data,
                    uploaded_by=caller.actor,
                    uploaded_at=audit.now_text(now),
                )
            )
            audit.record(
                conn,
                at=now,
                actor=caller.actor,
                action="evidence.attach",
                entity="incident",
                entity_id=incident_id,
                after={"evidence_id": eid, "filename": filename, "sha256": digest},
            )
        return evidence_meta(conn, eid)

    out: dict[str, Any] = run_change(engine, change)
    return out


def evidence_meta(conn: Connection, eid: str) -> dict[str, Any]:
    e = t.evidence
    r = conn.execute(
        select(
            e.c.id,
            e.c.incident_id,
            e.c.filename,
            e.c.content_type,
            e.c.size,
            e.c.sha256,
            e.c.uploaded_by,
            e.c.uploaded_at,
        ).where(e.c.id == eid)
    ).one()
    return dict(r._mapping)


def evidence_list(engine: Engine, incident_id: str, caller: Caller) -> list[dict[str, Any]]:
    get_incident(engine, incident_id, caller)
    with engine.connect() as conn:
        ids = conn.execute(
            select(t.evidence.c.id)
            .where(t.evidence.c.incident_id == incident_id)
            .order_by(t.evidence.c.uploaded_at)
        ).scalars()
        return [evidence_meta(conn, i) for i in ids]


def evidence_data(engine: Engine, evidence_id: str, caller: Caller) -> tuple[dict[str, Any], bytes]:
    with engine.connect() as conn:
        r = conn.execute(select(t.evidence).where(t.evidence.c.id == evidence_id)).first()
        if r is None or search.get(conn, r.incident_id, caller.scope) is None:
            raise NotFound(f"no evidence {evidence_id!r}")
        return evidence_meta(conn, evidence_id), bytes(r.data)
