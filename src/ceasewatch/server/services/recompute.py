"""Findings recomputed when an incident or an agreement changes, in the same transaction;
overrides settled (kept, followed to a new version, or lapsed with the reason)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Connection, delete, select

from ceasewatch.agreement.model import Agreement
from ceasewatch.delineation.store import evaluate as delineated
from ceasewatch.errors import NotFound
from ceasewatch.evaluate.finding import Finding
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident
from ceasewatch.server.services.callers import Caller
from ceasewatch.server.services.stored_agreements import (
    agreement_of,
    current_agreements,
    rule_fingerprint,
)
from ceasewatch.store import audit
from ceasewatch.store import tables as t

FINDING: TypeAdapter[Finding] = TypeAdapter(Finding)


def load_evidence(conn: Connection, ids: Sequence[str] | None) -> list[tuple[Incident, int]]:
    """Stored incidents (all, or these ids) that count as evidence, with their version."""
    q = select(t.incidents.c.record_json, t.incidents.c.version).where(
        t.incidents.c.status != "rejected"
    )
    out: list[tuple[Incident, int]] = []
    if ids is None:
        with conn.execute(q, execution_options={"yield_per": 5000}) as rows:
            return [(codec.ADAPTER.validate_json(r.record_json), int(r.version)) for r in rows]
    for i in range(0, len(ids), 500):
        rows = conn.execute(q.where(t.incidents.c.id.in_(ids[i : i + 500])))
        out += [(codec.ADAPTER.validate_json(r.record_json), int(r.version)) for r in rows]
    return out


def evaluate_stored(
    conn: Connection, agreement_id: str, caller: Caller, now: dt.datetime
) -> dict[str, Any]:
    stored = next((s for s in current_agreements(conn) if s.agreement_id == agreement_id), None)
    if stored is None:
        raise NotFound(f"no stored agreement {agreement_id!r}")
    ag = agreement_of(stored)
    loaded = load_evidence(conn, None)
    incidents = [i for i, _ in loaded]
    findings = list(delineated(conn, ag, incidents, now).findings()) if loaded else []
    conn.execute(delete(t.findings).where(t.findings.c.agreement_id == agreement_id))
    _insert_findings(conn, findings)
    versions = {i.id: v for i, v in loaded}
    lapsed = _settle_overrides(conn, ag, None, versions, findings, caller, now)
    counts = Counter(f.verdict for f in findings)
    audit.record(
        conn,
        at=now,
        actor=caller.actor,
        action="findings.evaluate",
        entity="agreement",
        entity_id=agreement_id,
        after={"version": ag.version, "counts": dict(sorted(counts.items()))},
    )
    return {
        "agreement_id": agreement_id,
        "version": ag.version,
        "as_of": now.isoformat(),
        "findings": len(findings),
        "counts": dict(counts),
        "overrides_lapsed": lapsed,
    }


def _insert_findings(conn: Connection, findings: Sequence[Finding]) -> None:
    rows = [
        {
            "id": f.id,
            "incident_id": f.incident_id,
            "agreement_id": f.agreement_id,
            "agreement_version": f.agreement_version,
            "rule_id": f.rule_id,
            "verdict": f.verdict,
            "as_of": f.as_of,
            "record_json": FINDING.dump_json(f).decode(),
        }
        for f in findings
    ]
    for i in range(0, len(rows), 1000):
        conn.execute(t.findings.insert(), rows[i : i + 1000])


def refresh_findings(
    conn: Connection, incident_ids: Sequence[str], caller: Caller, now: dt.datetime
) -> dict[str, str]:
    """Recompute these incidents' findings under every current agreement; returns the
    verdicts that changed (finding id -> "old -> new")."""
    loaded = load_evidence(conn, incident_ids)
    versions = {i.id: v for i, v in loaded}
    before = {
        r.id: r.verdict
        for r in conn.execute(
            select(t.findings.c.id, t.findings.c.verdict).where(
                t.findings.c.incident_id.in_(incident_ids)
            )
        )
    }
    conn.execute(delete(t.findings).where(t.findings.c.incident_id.in_(incident_ids)))
    after: dict[str, str] = {}
    for stored in current_agreements(conn):
        ag = agreement_of(stored)
        incidents = [i for i, _ in loaded]
        found = list(delineated(conn, ag, incidents, now).findings()) if loaded else []
        _insert_findings(conn, found)
        after.update({f.id: f.verdict for f in found})
        _settle_overrides(conn, ag, incident_ids, versions, found, caller, now)
    return {
        k: f"{before.get(k, '-')} -> {after.get(k, '-')}"
        for k in sorted(set(before) | set(after))
        if before.get(k) != after.get(k)
    }


def _settle_overrides(
    conn: Connection,
    ag: Agreement,
    incident_ids: Sequence[str] | None,
    versions: dict[str, int],
    findings: Sequence[Finding],
    caller: Caller,
    now: dt.datetime,
) -> int:
    """Lapse overrides whose incident or rule changed; follow a finding to a new
    agreement version when its rule's terms are the same."""
    o = t.overrides
    q = select(o).where(o.c.agreement_id == ag.id, o.c.lapsed_at.is_(None))
    if incident_ids is not None:
        q = q.where(o.c.incident_id.in_(incident_ids))
    prints = {r.id: rule_fingerprint(r) for r in ag.rules}
    by_key = {(f.incident_id, f.rule_id): f for f in findings}
    lapsed = 0
    for ov in conn.execute(q).all():
        why = None
        current = versions.get(ov.incident_id)
        if current is None:
            why = "the incident was rejected or removed"
        elif current != ov.incident_version:
            why = f"the incident changed (version {ov.incident_version} -> {current})"
        elif prints.get(ov.rule_id) != ov.rule_fingerprint:
            why = f"the rule {ov.rule_id!r} changed (agreement {ag.id} version {ag.version})"
        elif (ov.incident_id, ov.rule_id) not in by_key:
            why = "the rule no longer covers the incident"
        if why is None:
            f = by_key[(ov.incident_id, ov.rule_id)]
            if f.id != ov.finding_id:
                conn.execute(o.update().where(o.c.id == ov.id).values(finding_id=f.id))
            continue
        stamp = audit.now_text(now)
        conn.execute(o.update().where(o.c.id == ov.id).values(lapsed_at=stamp, lapsed_why=why))
        audit.record(
            conn,
            at=now,
            actor=caller.actor,
            action="override.lapse",
            entity="finding",
            entity_id=ov.finding_id,
            before={"verdict": ov.verdict, "lapsed_at": None},
            after={"verdict": ov.verdict, "lapsed_at": stamp},
            reason=why,
        )
        lapsed += 1
    return lapsed
