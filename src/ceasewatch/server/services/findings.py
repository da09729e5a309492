"""Findings with their overrides: the machine's verdict, the override standing beside it,
and every override made."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Engine, select

from ceasewatch.errors import Conflict, Invalid, NotFound
from ceasewatch.server.services.callers import Caller
from ceasewatch.server.services.changes import run_change
from ceasewatch.server.services.stored_agreements import (
    agreement_of,
    current_agreements,
    rule_fingerprint,
)
from ceasewatch.store import audit
from ceasewatch.store import tables as t


def _override_out(r: Any, public: bool) -> dict[str, Any]:
    return {
        "id": r.id,
        "verdict": r.verdict,
        "machine_verdict": r.machine_verdict,
        "reason": r.reason,
        "by": None if public else r.by_user,
        "at": r.at,
        "standing": r.lapsed_at is None,
        "lapsed_at": r.lapsed_at,
        "lapsed_why": r.lapsed_why,
    }


def findings(
    engine: Engine,
    caller: Caller,
    *,
    incident_id: str | None = None,
    agreement_id: str | None = None,
    verdict: str | None = None,
    finding_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    f, o, inc = t.findings, t.overrides, t.incidents
    q = (
        select(f.c.id, f.c.record_json, f.c.verdict)
        .join(inc, inc.c.id == f.c.incident_id)
        .where(caller.scope.where())
        .order_by(f.c.incident_id, f.c.agreement_id, f.c.rule_id)
        .limit(limit)
        .offset(offset)
    )
    if incident_id:
        q = q.where(f.c.incident_id == incident_id)
    if finding_id:
        q = q.where(f.c.id == finding_id)
    if agreement_id:
        q = q.where(f.c.agreement_id == agreement_id)
    if verdict:
        q = q.where(f.c.verdict == verdict)
    public = caller.access == "published"
    with engine.connect() as conn:
        rows = conn.execute(q).all()
        ids = [r.id for r in rows]
        ovs: dict[str, list[Any]] = {}
        for i in range(0, len(ids), 500):
            for ov in conn.execute(
                select(o).where(o.c.finding_id.in_(ids[i : i + 500])).order_by(o.c.id)
            ):
                ovs.setdefault(ov.finding_id, []).append(ov)
    out = []
    for r in rows:
        history_ = [_override_out(ov, public) for ov in ovs.get(r.id, [])]
        standing = next((h for h in reversed(history_) if h["standing"]), None)
        out.append(
            {
                "finding": json.loads(r.record_json),
                "machine_verdict": r.verdict,
                "override": standing,
                "verdict": standing["verdict"] if standing else r.verdict,
                "overrides": history_,
            }
        )
    return out


def override(
    engine: Engine,
    finding_id: str,
    verdict: str,
    reason: str,
    caller: Caller,
    now: dt.datetime,
) -> dict[str, Any]:
    if not reason.strip():
        raise Invalid("a reason is required", ["reason: say why the machine is wrong"])

    def change(conn: Connection) -> dict[str, Any]:
        fr = conn.execute(select(t.findings).where(t.findings.c.id == finding_id)).first()
        if fr is None:
            raise NotFound(f"no finding {finding_id!r}")
        stored = next(
            (s for s in current_agreements(conn) if s.agreement_id == fr.agreement_id), None
        )
        rules = agreement_of(stored).rules if stored else ()
        rule = next((r for r in rules if r.id == fr.rule_id), None)
        if rule is None:  # pragma: no cover - findings follow the current agreements
            raise Conflict(f"the rule of finding {finding_id!r} is no longer current")
        inc_version = conn.execute(
            select(t.incidents.c.version).where(t.incidents.c.id == fr.incident_id)
        ).scalar_one()
        stamp = audit.now_text(now)
        o = t.overrides
        previous = conn.execute(
            select(o).where(o.c.finding_id == finding_id, o.c.lapsed_at.is_(None))
        ).first()
        if previous is not None:
            conn.execute(
                o.update()
                .where(o.c.id == previous.id)
                .values(lapsed_at=stamp, lapsed_why="replaced by a newer override")
            )
        conn.execute(
            o.insert().values(
                finding_id=finding_id,
                incident_id=fr.incident_id,
                agreement_id=fr.agreement_id,
                rule_id=fr.rule_id,
                machine_verdict=fr.verdict,
                verdict=verdict,
                reason=reason,
                by_user=caller.actor,
                at=stamp,
                incident_version=int(inc_version),
                rule_fingerprint=rule_fingerprint(rule),
            )
        )
        audit.record(
            conn,
            at=now,
            actor=caller.actor,
            action="finding.override",
            entity="finding",
            entity_id=finding_id,
            before={"verdict": previous.verdict if previous else fr.verdict},
            after={"verdict": verdict, "machine_verdict": fr.verdict},
            reason=reason,
        )
        return {"finding_id": finding_id}

    run_change(engine, change)
    return findings(engine, Caller("-", "admin"), finding_id=finding_id)[0]
