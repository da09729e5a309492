"""What the API and the CLI do with delineations, as functions over a store.

Every write runs in one audited transaction (``store.audit.changes``): the proposal or
signature, its audit entry, and the re-evaluation of the agreement's findings. When a
signature makes a version active, the findings whose verdict changed are listed (and the
activation is an audit entry of its own). A refused request writes nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from typing import Any

import yaml
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, Engine, select

from ceasewatch.agreement.model import Agreement, World
from ceasewatch.delineation import apply, shapes
from ceasewatch.delineation.model import Ledger, Proposal
from ceasewatch.delineation.store import ledger, next_seq
from ceasewatch.errors import Forbidden, Invalid, NotFound
from ceasewatch.server.services.callers import Caller
from ceasewatch.server.services.changes import run_change
from ceasewatch.server.services.recompute import evaluate_stored
from ceasewatch.server.services.stored_agreements import Stored, agreement_of, current_agreements
from ceasewatch.store import audit
from ceasewatch.store import tables as t

_SUBJECT = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
ENTITY = "delineation"


def _stored(conn: Connection, agreement_id: str) -> Stored:
    stored = next((x for x in current_agreements(conn) if x.agreement_id == agreement_id), None)
    if stored is None:
        raise NotFound(f"no stored agreement {agreement_id!r}")
    return stored


def _country(stored: Stored) -> BaseGeometry | None:
    """The country's outline: the union of the scenario's governorates (admin1), if any."""
    try:
        doc = yaml.safe_load(stored.files.get("scenario.yaml", "")) or {}
        rel = (doc.get("geography") or {}).get("admin1")
        if not rel or rel not in stored.files:
            return None
        fc = json.loads(stored.files[rel])
        import shapely

        return shapely.union_all([shape(f["geometry"]) for f in fc["features"]]).buffer(0)
    except (yaml.YAMLError, ValueError, KeyError, TypeError, AttributeError):
        return None


def entity_id(agreement_id: str, version: int) -> str:
    return f"{agreement_id}:v{version}"


def _summary(lg: Ledger, p: Proposal) -> dict[str, Any]:
    return {
        "version": p.version,
        "label": p.label,
        "subject": p.subject,
        "zone_type": p.zone_type,
        "replaces": list(p.replaces),
        "answers": p.answers,
        "party": p.party,
        "proposed_by": p.proposed_by,
        "proposed_at": p.proposed_at,
        "note": p.note,
        "status": lg.status(p.version),
        "signed": list(lg.signed(p.version)),
        "missing": [a for a in lg.approvers if a not in lg.signed(p.version)],
        "area_km2": round(shapes.area_km2(p.geometry), 3),
        "polygons": len(p.shapes),
    }


def _subjects(lg: Ledger) -> list[dict[str, Any]]:
    out = []
    for sub in lg.state():
        out.append(
            {
                "subject": sub.subject,
                "zone_type": sub.zone_type,
                "replaces": list(sub.replaces),
                "active": sub.active.version if sub.active else None,
                "latest": sub.latest.version,
                "disputed": None
                if sub.dispute is None
                else {
                    "versions": list(sub.dispute.versions),
                    "parties": list(sub.dispute.parties),
                    "area_km2": round(sub.dispute.km2, 3),
                },
            }
        )
    return out


def _verdicts(conn: Connection, agreement_id: str) -> dict[tuple[str, str], str]:
    f = t.findings
    return {
        (r.incident_id, r.rule_id): r.verdict
        for r in conn.execute(
            select(f.c.incident_id, f.c.rule_id, f.c.verdict).where(
                f.c.agreement_id == agreement_id
            )
        )
    }


def _changes(
    before: dict[tuple[str, str], str], after: dict[tuple[str, str], str]
) -> list[dict[str, str]]:
    return [
        {"incident_id": i, "rule_id": r, "before": before.get((i, r), "-"), "after": v}
        for (i, r), v in sorted(after.items())
        if before.get((i, r)) != v
    ]


def _reevaluate(
    conn: Connection, agreement_id: str, caller: Caller, now: dt.datetime
) -> list[dict[str, str]]:
    before = _verdicts(conn, agreement_id)
    evaluate_stored(conn, agreement_id, caller, now)
    return _changes(before, _verdicts(conn, agreement_id))


def _check_zones(ag: Agreement, world: World, zone_type: str, replaces: list[str]) -> None:
    problems = []
    for z in replaces:
        try:
            zone = world.zone(z)
        except KeyError:
            problems.append(f"replaces: no zone {z!r} in scenario {world.scenario_id}")
            continue
        if zone.type != zone_type:
            problems.append(f"replaces: zone {z!r} is {zone.type}, not {zone_type}")
    named = apply.referenced_zones(ag)
    targets = replaces or [z.id for z in world.zones if z.type == zone_type]
    for z in targets:
        if z in named:
            problems.append(
                f"replaces: zone {z!r} is named by a rule or attribution rule of {ag.id}; "
                "a delineation may only stand in for zones used by their type"
            )
    if problems:
        raise Invalid("the delineation cannot replace these zones; nothing was stored", problems)


def _sign(
    conn: Connection,
    agreement_id: str,
    version: int,
    party: str,
    seq: int,
    actor: str,
    now: dt.datetime,
) -> None:
    conn.execute(
        t.delineation_signatures.insert().values(
            agreement_id=agreement_id,
            version=version,
            party=party,
            seq=seq,
            signed_by=actor,
            signed_at=audit.now_text(now),
        )
    )


def propose(
    engine: Engine,
    agreement_id: str,
    *,
    subject: str,
    zone_type: str,
    features: Any,
    caller: Caller,
    now: dt.datetime,
    replaces: list[str] | None = None,
    answers: int | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Store a new version; a liaison's proposal counts as its party's signature."""
    from ceasewatch.agreement.model import ZONE_TYPES

    replaces = list(replaces or [])
    if not _SUBJECT.match(subject):
        raise Invalid(
            "subject: use a short id", [f"subject: {subject!r} — lower-case letters, digits, -._"]
        )
    if zone_type not in ZONE_TYPES or zone_type == "city":
        raise Invalid(
            f"zone_type {zone_type!r} cannot be delineated",
            [f"zone_type: one of {', '.join(z for z in ZONE_TYPES if z != 'city')}"],
        )
    party = caller.party if caller.role == "liaison" else None
    if caller.role == "liaison" and not party:
        raise Forbidden("a liaison without a party cannot propose")
    with engine.connect() as conn:
        stored = _stored(conn, agreement_id)
    ag = agreement_of(stored)
    if party is not None and party not in ag.approvers:
        raise Forbidden(
            f"party {party!r} is not a designated approver of {agreement_id!r} "
            f"({', '.join(ag.approvers)}): only they propose delineations"
        )
    _check_zones(ag, ag.world, zone_type, replaces)
    country = _country(stored)
    read = shapes.read(features, country=country, country_name=ag.world.country or "the country")
    fc = shapes.to_geojson(read)
    text = audit.canonical(fc)
    assert text is not None
    sha = hashlib.sha256(text.encode()).hexdigest()

    def change(conn: Connection) -> dict[str, Any]:
        lg = ledger(conn, ag)
        lg.check_proposal(subject, zone_type, replaces, answers)
        version = max((p.version for p in lg.proposals), default=0) + 1
        seq = next_seq(conn, agreement_id)
        stamp = audit.now_text(now)
        conn.execute(
            t.delineations.insert().values(
                agreement_id=agreement_id,
                version=version,
                seq=seq,
                subject=subject,
                zone_type=zone_type,
                replaces_json=json.dumps(replaces),
                answers=answers,
                party=party,
                proposed_by=caller.actor,
                proposed_at=stamp,
                geojson=text,
                sha256=sha,
                note=note,
            )
        )
        if party is not None:
            _sign(conn, agreement_id, version, party, seq, caller.actor, now)
        lg = ledger(conn, ag)
        p = lg.proposal(version)
        out = _summary(lg, p)
        audit.record(
            conn,
            at=now,
            actor=caller.actor,
            action="delineation.propose",
            entity=ENTITY,
            entity_id=entity_id(agreement_id, version),
            after={
                k: out[k]
                for k in (
                    "subject",
                    "zone_type",
                    "replaces",
                    "answers",
                    "party",
                    "signed",
                    "area_km2",
                    "polygons",
                )
            }
            | {"sha256": sha},
            reason=note or None,
        )
        out["changes"] = _reevaluate(conn, agreement_id, caller, now)
        out["subjects"] = _subjects(lg)
        return out

    result: dict[str, Any] = run_change(engine, change)
    return result


def approve(
    engine: Engine,
    agreement_id: str,
    version: int,
    *,
    caller: Caller,
    now: dt.datetime,
) -> dict[str, Any]:
    """Sign a version for the caller's party; when the last approver signs it becomes
    active, the findings are re-evaluated and the verdicts that changed are listed."""
    with engine.connect() as conn:
        stored = _stored(conn, agreement_id)
    ag = agreement_of(stored)

    def change(conn: Connection) -> dict[str, Any]:
        lg = ledger(conn, ag)
        p = lg.check_signer(version, caller.role, caller.party)
        assert caller.party is not None
        was = lg.active(p.subject)
        seq = next_seq(conn, agreement_id)
        _sign(conn, agreement_id, version, caller.party, seq, caller.actor, now)
        lg = ledger(conn, ag)
        status = lg.status(version)
        audit.record(
            conn,
            at=now,
            actor=caller.actor,
            action="delineation.sign",
            entity=ENTITY,
            entity_id=entity_id(agreement_id, version),
            before={"signed": [x for x in lg.signed(version) if x != caller.party]},
            after={"party": caller.party, "signed": list(lg.signed(version)), "status": status},
        )
        changes: list[dict[str, str]] = []
        if status == "active":
            changes = _reevaluate(conn, agreement_id, caller, now)
            audit.record(
                conn,
                at=now,
                actor=caller.actor,
                action="delineation.activate",
                entity=ENTITY,
                entity_id=entity_id(agreement_id, version),
                before={"active": was.label if was else None},
                after={
                    "active": p.label,
                    "subject": p.subject,
                    "map_version": lg.map_version(),
                    "signed": list(lg.signed(version)),
                    "verdicts_changed": len(changes),
                },
            )
        out = _summary(lg, p)
        out["changes"] = changes
        out["subjects"] = _subjects(lg)
        return out

    result: dict[str, Any] = run_change(engine, change)
    return result


def _ledger_of(engine: Engine, agreement_id: str) -> Ledger:
    with engine.connect() as conn:
        stored = _stored(conn, agreement_id)
        return ledger(conn, agreement_of(stored))


def listing(engine: Engine, agreement_id: str) -> dict[str, Any]:
    """Every version (the whole history) and how each subject stands."""
    lg = _ledger_of(engine, agreement_id)
    return {
        "agreement_id": agreement_id,
        "approvers": list(lg.approvers),
        "map_version": lg.map_version(),
        "subjects": _subjects(lg),
        "versions": [_summary(lg, p) for p in lg.proposals],
        "layer": _layer(lg),
    }


def detail(engine: Engine, agreement_id: str, version: int) -> dict[str, Any]:
    """One version: its polygons, signatures and audit entries."""
    lg = _ledger_of(engine, agreement_id)
    p = lg.proposal(version)
    out = _summary(lg, p)
    out["signatures"] = [dataclasses.asdict(x) for x in lg.signatures if x.version == version]
    out["geojson"] = shapes.to_geojson(p.shapes, version=p.version, subject=p.subject)
    out["history"] = [
        dataclasses.asdict(e)
        for e in reversed(audit.entries(engine, ENTITY, entity_id(agreement_id, version)))
    ]
    return out


def diff(
    engine: Engine, agreement_id: str, version: int, against: int | None = None
) -> dict[str, Any]:
    """Where two versions differ (default: the version it answers, else the active one,
    else the previous version of its subject), in km² and as GeoJSON."""
    lg = _ledger_of(engine, agreement_id)
    p = lg.proposal(version)
    if against is None:
        active = lg.active(p.subject)
        earlier = [q for q in lg.of_subject(p.subject) if q.version < version]
        if p.answers is not None:
            against = p.answers
        elif active is not None and active.version != version:
            against = active.version
        elif earlier:
            against = earlier[-1].version
        else:
            raise Invalid(
                f"v{version} is the first version of {p.subject!r}: nothing to compare it with",
                ["against: give another version of the same subject"],
            )
    q = lg.proposal(against)
    if q.subject != p.subject:
        raise Invalid(
            f"v{against} is of {q.subject!r}, v{version} of {p.subject!r}",
            ["against: compare two versions of the same subject"],
        )
    area = shapes.disputed(p.geometry, q.geometry)
    only_p = p.geometry.difference(q.geometry)
    only_q = q.geometry.difference(p.geometry)
    return {
        "agreement_id": agreement_id,
        "subject": p.subject,
        "version": version,
        "against": against,
        "disputed_km2": round(shapes.area_km2(area), 3),
        f"only_in_v{version}_km2": round(shapes.area_km2(only_p), 3),
        f"only_in_v{against}_km2": round(shapes.area_km2(only_q), 3),
        "geojson": {
            "type": "FeatureCollection",
            "features": [
                f
                for geom, only in ((only_p, version), (only_q, against))
                for f in shapes.geometry_geojson(
                    geom, only_in=f"v{only}", km2=round(shapes.area_km2(geom), 3)
                )["features"]
            ],
        },
    }


def _layer(lg: Ledger) -> dict[str, Any]:
    """The map layer: active versions (``kind: agreed``) and disputed areas
    (``kind: disputed``) of every subject."""
    features: list[dict[str, Any]] = []
    for sub in lg.state():
        if sub.active is not None:
            for f in shapes.to_geojson(
                sub.active.shapes,
                kind="agreed",
                subject=sub.subject,
                zone_type=sub.zone_type,
                version=sub.active.label,
            )["features"]:
                features.append(f)
        if sub.dispute is not None:
            features += shapes.geometry_geojson(
                sub.dispute.area,
                kind="disputed",
                subject=sub.subject,
                zone_type=sub.zone_type,
                versions=[f"v{v}" for v in sub.dispute.versions],
                km2=round(sub.dispute.km2, 3),
            )["features"]
    return {"type": "FeatureCollection", "features": features}
