"""Reading and writing scenarios, incidents and findings. Idempotent: ids are stable, so
writing the same thing twice changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from pydantic import TypeAdapter
from sqlalchemy import Connection, Engine, delete, select

from ceasewatch.agreement.model import Agreement, Scenario
from ceasewatch.errors import NotFound
from ceasewatch.evaluate.finding import Finding
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident
from ceasewatch.store import tables as t
from ceasewatch.store.rows import incident_row

_FINDING: TypeAdapter[Finding] = TypeAdapter(Finding)


def save_scenario(engine: Engine, scenario: Scenario, now: dt.datetime) -> None:
    files = json.dumps(dict(scenario.files), ensure_ascii=False)
    with engine.begin() as conn:
        conn.execute(delete(t.scenarios).where(t.scenarios.c.id == scenario.id))
        conn.execute(
            t.scenarios.insert().values(
                id=scenario.id, name=scenario.name, files_json=files, stored_at=now
            )
        )
        for a in scenario.agreements:
            put_agreement(conn, a, scenario.id, now)


def put_agreement(conn: Connection, a: Agreement, scenario_id: str, now: dt.datetime) -> None:
    """Store (or replace) one agreement version's row."""
    conn.execute(
        delete(t.agreements).where(t.agreements.c.id == a.id, t.agreements.c.version == a.version)
    )
    conn.execute(
        t.agreements.insert().values(
            id=a.id,
            version=a.version,
            scenario_id=scenario_id,
            file=a.source_file or "",
            title=a.title,
            stored_at=now,
        )
    )


def agreement_files(engine: Engine, agreement_id: str) -> tuple[dict[str, str], str]:
    """The stored spec files of the scenario holding ``agreement_id`` (newest version),
    and that agreement's file name."""
    with engine.connect() as conn:
        row = conn.execute(
            select(t.agreements.c.scenario_id, t.agreements.c.file)
            .where(t.agreements.c.id == agreement_id)
            .order_by(t.agreements.c.stored_at.desc())
        ).first()
        if row is None:
            raise NotFound(f"no stored agreement {agreement_id!r}")
        files = conn.execute(
            select(t.scenarios.c.files_json).where(t.scenarios.c.id == row.scenario_id)
        ).scalar_one()
    return json.loads(files), row.file


def stored_agreement_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted({r[0] for r in conn.execute(select(t.agreements.c.id))})


def save_incidents(engine: Engine, incidents: Iterable[Incident]) -> int:
    rows = [incident_row(i) for i in incidents]
    with engine.begin() as conn:
        ids = [r["id"] for r in rows]
        for chunk in range(0, len(ids), 500):
            conn.execute(delete(t.incidents).where(t.incidents.c.id.in_(ids[chunk : chunk + 500])))
        if rows:
            conn.execute(t.incidents.insert(), rows)
    return len(rows)


def load_incidents(engine: Engine) -> list[Incident]:
    with engine.connect() as conn:
        records = [
            json.loads(r[0])
            for r in conn.execute(select(t.incidents.c.record_json).order_by(t.incidents.c.id))
        ]
    return [codec.ADAPTER.validate_python(r) for r in records]


def replace_findings(engine: Engine, findings: Sequence[Finding]) -> int:
    """Store the findings of a run, replacing earlier ones of the same agreements."""
    agreements = {(f.agreement_id, f.agreement_version) for f in findings}
    with engine.begin() as conn:
        for aid, version in agreements:
            conn.execute(
                delete(t.findings).where(
                    t.findings.c.agreement_id == aid, t.findings.c.agreement_version == version
                )
            )
        if findings:
            conn.execute(
                t.findings.insert(),
                [
                    {
                        "id": f.id,
                        "incident_id": f.incident_id,
                        "agreement_id": f.agreement_id,
                        "agreement_version": f.agreement_version,
                        "rule_id": f.rule_id,
                        "verdict": f.verdict,
                        "as_of": f.as_of,
                        "record_json": json.dumps(
                            _FINDING.dump_python(f, mode="json"), ensure_ascii=False
                        ),
                    }
                    for f in findings
                ],
            )
    return len(findings)


def count(engine: Engine, table: str) -> int:
    from sqlalchemy import func

    tab = t.metadata.tables[table]
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(tab)).scalar_one())
