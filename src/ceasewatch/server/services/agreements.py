"""Uploading agreements (validated as by ``ceasewatch check``, versions kept), listing and
evaluating them."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select

from ceasewatch.agreement.loader import load_scenario
from ceasewatch.agreement.problems import SpecInvalid
from ceasewatch.errors import Conflict, Invalid, NotFound
from ceasewatch.server.services.callers import Caller
from ceasewatch.server.services.changes import run_change
from ceasewatch.server.services.recompute import evaluate_stored
from ceasewatch.server.services.stored_agreements import (
    Stored,
    agreement_fingerprint,
    agreement_of,
    current_agreements,
    files_sha,
    rule_fingerprint,
)
from ceasewatch.store import audit, repository
from ceasewatch.store import tables as t


def upload_agreements(
    engine: Engine, files: dict[str, str], caller: Caller, now: dt.datetime
) -> list[dict[str, Any]]:
    """Store a spec (a scenario's files): validated as by ``ceasewatch check``; each
    agreement's version is kept; a version once stored never changes (409)."""
    if "scenario.yaml" not in files:
        raise Invalid(
            "the upload has no scenario.yaml",
            ["files: give scenario.yaml and every file it names, keyed by relative path"],
        )
    try:
        scenario = load_scenario(lambda rel: files[rel])
    except SpecInvalid as e:
        raise Invalid(
            f"the spec has {len(e.problems)} problem(s)", [str(p) for p in e.problems]
        ) from None
    sha = files_sha(files)
    stamp = audit.now_text(now)

    def change(conn: Connection) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        changed: list[str] = []
        for ag in scenario.agreements:
            old = conn.execute(
                select(
                    t.spec_versions.c.sha256,
                    t.spec_versions.c.files_json,
                    t.spec_versions.c.file,
                    t.spec_versions.c.scenario_id,
                ).where(
                    t.spec_versions.c.agreement_id == ag.id,
                    t.spec_versions.c.version == ag.version,
                )
            ).first()
            state = "stored"
            if old is not None:
                before = agreement_of(
                    Stored(
                        ag.id,
                        ag.version,
                        old.scenario_id,
                        old.file,
                        json.loads(old.files_json),
                        old.sha256,
                    )
                )
                if agreement_fingerprint(before) != agreement_fingerprint(ag):
                    raise Conflict(
                        f"agreement {ag.id!r} version {ag.version!r} is stored with other "
                        "content — raise `version:` in the agreement file to store a "
                        "new version",
                        {"agreement_id": ag.id, "version": ag.version},
                    )
                state = "unchanged"
            else:
                conn.execute(
                    t.spec_versions.insert().values(
                        agreement_id=ag.id,
                        version=ag.version,
                        scenario_id=scenario.id,
                        file=ag.source_file or "",
                        files_json=json.dumps(files, ensure_ascii=False),
                        sha256=sha,
                        uploaded_by=caller.actor,
                        uploaded_at=stamp,
                    )
                )
                repository.put_agreement(conn, ag, scenario.id, now)
                audit.record(
                    conn,
                    at=now,
                    actor=caller.actor,
                    action="agreement.upload",
                    entity="agreement",
                    entity_id=ag.id,
                    after={"version": ag.version, "files_sha256": sha},
                )
                changed.append(ag.id)
            result.append({"id": ag.id, "version": ag.version, "title": ag.title, "state": state})
        conn.execute(delete(t.scenarios).where(t.scenarios.c.id == scenario.id))
        conn.execute(
            t.scenarios.insert().values(
                id=scenario.id,
                name=scenario.name,
                files_json=json.dumps(files, ensure_ascii=False),
                stored_at=now,
            )
        )
        for agreement_id in changed:
            evaluate_stored(conn, agreement_id, caller, now)
        return result

    out: list[dict[str, Any]] = run_change(engine, change)
    return out


def agreement_detail(engine: Engine, agreement_id: str) -> dict[str, Any]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.agreements)
            .where(t.agreements.c.id == agreement_id)
            .order_by(t.agreements.c.stored_at.desc())
        ).all()
        if not rows:
            raise NotFound(f"no stored agreement {agreement_id!r}")
        current = next(s for s in current_agreements(conn) if s.agreement_id == agreement_id)
    ag = agreement_of(current)
    return {
        "id": ag.id,
        "version": ag.version,
        "title": ag.title,
        "scenario_id": current.scenario_id,
        "parties": list(ag.parties),
        "summary": ag.summary,
        "rules": [
            {
                "id": r.id,
                "type": r.type,
                "provision": r.provision,
                "fingerprint": rule_fingerprint(r),
            }
            for r in ag.rules
        ],
        "versions": [{"version": r.version, "stored_at": r.stored_at.isoformat()} for r in rows],
    }


def agreements_list(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        stored = current_agreements(conn)
        rows = conn.execute(select(t.agreements.c.id, func.count()).group_by(t.agreements.c.id))
        versions = {r[0]: int(r[1]) for r in rows}
    return [
        {
            "id": s.agreement_id,
            "version": s.version,
            "scenario_id": s.scenario_id,
            "versions": versions.get(s.agreement_id, 1),
        }
        for s in stored
    ]


def evaluate_agreement(
    engine: Engine, agreement_id: str, caller: Caller, now: dt.datetime
) -> dict[str, Any]:
    out: dict[str, Any] = run_change(
        engine, lambda conn: evaluate_stored(conn, agreement_id, caller, now)
    )
    return out
