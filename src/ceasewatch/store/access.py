"""Convoys, their updates and access constraints in the store; every write audited.

Each write is one transaction with its audit entry (``audit.changes``): an update that
is refused (out of order, unknown convoy, bad reference) writes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select

from ceasewatch.access import model as am
from ceasewatch.access import records as ar
from ceasewatch.agreement.model import World
from ceasewatch.errors import Conflict, Invalid, NotFound
from ceasewatch.store import audit
from ceasewatch.store import tables as t


def _utc(moment: dt.datetime) -> str:
    return audit.now_text(moment)


def _invalid(e: ar.AccessInvalid | am.ConvoyError) -> Invalid:
    problems = e.problems if isinstance(e, ar.AccessInvalid) else [str(e)]
    return Invalid(problems[0] if len(problems) == 1 else "the record does not validate", problems)


def _convoy_rows(
    c: am.Convoy, tz: str, actor: str, now: dt.datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    stamp = _utc(now)
    row = {
        "id": c.id,
        "agency": c.agency,
        "route": c.route,
        "status": c.status,
        "updates": len(c.events),
        "record_json": json.dumps(ar.convoy_doc(c, tz, with_events=False), sort_keys=True),
        "created_by": actor,
        "created_at": stamp,
        "updated_at": stamp,
    }
    updates = [_update_row(c.id, n, e, tz, actor, now) for n, e in enumerate(c.events)]
    return row, updates


def _update_row(
    convoy_id: str, seq: int, e: am.ConvoyEvent, tz: str, actor: str, now: dt.datetime
) -> dict[str, Any]:
    return {
        "convoy_id": convoy_id,
        "seq": seq,
        "status": e.status,
        "at": _utc(e.at),
        "record_json": json.dumps(ar.update_doc(e, tz), sort_keys=True),
        "recorded_by": actor,
        "recorded_at": _utc(now),
    }


def _load(conn: Connection, convoy_id: str, world: World) -> am.Convoy | None:
    row = conn.execute(select(t.convoys).where(t.convoys.c.id == convoy_id)).first()
    if row is None:
        return None
    ups = conn.execute(
        select(t.convoy_updates.c.record_json)
        .where(t.convoy_updates.c.convoy_id == convoy_id)
        .order_by(t.convoy_updates.c.seq)
    ).all()
    doc = json.loads(row.record_json)
    doc["events"] = [json.loads(u.record_json) for u in ups]
    return ar.convoy(ar.ConvoyIn.model_validate(doc), world, f"convoy {convoy_id}")


def add_convoy(
    engine: Engine, record: ar.ConvoyIn, world: World, actor: str, now: dt.datetime
) -> am.Convoy:
    """Record a new convoy with its first update(s)."""
    try:
        convoy = ar.convoy(record, world, f"convoy {record.id}")
    except ar.AccessInvalid as e:
        raise _invalid(e) from None
    with audit.changes(engine) as conn:
        if conn.execute(select(t.convoys.c.id).where(t.convoys.c.id == record.id)).first():
            raise Conflict(
                f"convoy {record.id!r} exists already — record a status change with "
                f"`access convoy update {record.id}`",
                {"id": record.id},
            )
        row, updates = _convoy_rows(convoy, world.timezone, actor, now)
        conn.execute(t.convoys.insert().values(**row))
        conn.execute(t.convoy_updates.insert(), updates)
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="convoy.add",
            entity="convoy",
            entity_id=convoy.id,
            after=ar.convoy_doc(convoy, world.timezone),
        )
    return convoy


def update_convoy(
    engine: Engine,
    convoy_id: str,
    update: ar.UpdateIn,
    world: World,
    actor: str,
    now: dt.datetime,
) -> am.Convoy:
    """Append one status change; refused (nothing written) for an unknown convoy or an
    update dated before the last one."""
    try:
        event = ar.event(update, world, f"update of convoy {convoy_id}")
    except ar.AccessInvalid as e:
        raise _invalid(e) from None
    with audit.changes(engine) as conn:
        convoy = _load(conn, convoy_id, world)
        if convoy is None:
            raise NotFound(
                f"no convoy {convoy_id!r} — record it first with `access convoy add` "
                "(`access convoy list` shows the known ones)"
            )
        try:
            after = convoy.updated(event)
        except am.ConvoyError as e:
            raise Conflict(str(e), {"id": convoy_id, "status": convoy.status}) from None
        conn.execute(
            t.convoy_updates.insert().values(
                **_update_row(convoy_id, len(convoy.events), event, world.timezone, actor, now)
            )
        )
        conn.execute(
            t.convoys.update()
            .where(t.convoys.c.id == convoy_id)
            .values(status=after.status, updates=len(after.events), updated_at=_utc(now))
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="convoy.update",
            entity="convoy",
            entity_id=convoy_id,
            before={"status": convoy.status},
            after=ar.update_doc(event, world.timezone),
        )
    return after


def add_constraint(
    engine: Engine, record: ar.ConstraintIn, world: World, actor: str, now: dt.datetime
) -> am.Constraint:
    try:
        k = ar.constraint(record, world, f"constraint {record.id}")
    except ar.AccessInvalid as e:
        raise _invalid(e) from None
    with audit.changes(engine) as conn:
        if conn.execute(
            select(t.access_constraints.c.id).where(t.access_constraints.c.id == k.id)
        ).first():
            raise Conflict(f"constraint {k.id!r} exists already — give the new one its own id")
        conn.execute(t.access_constraints.insert().values(**_constraint_row(k, actor, now)))
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="constraint.add",
            entity="access_constraint",
            entity_id=k.id,
            after=ar.constraint_doc(k),
        )
    return k


def _constraint_row(k: am.Constraint, actor: str, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": k.id,
        "category": k.category,
        "start_at": _utc(k.start),
        "end_at": _utc(k.end) if k.end else None,
        "record_json": json.dumps(ar.constraint_doc(k), sort_keys=True),
        "recorded_by": actor,
        "recorded_at": _utc(now),
    }


def convoys(engine: Engine, world: World) -> list[am.Convoy]:
    with engine.connect() as conn:
        ids = [r.id for r in conn.execute(select(t.convoys.c.id).order_by(t.convoys.c.id))]
        out = [_load(conn, i, world) for i in ids]
    return [c for c in out if c is not None]


def constraints(engine: Engine, world: World) -> list[am.Constraint]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.access_constraints.c.id, t.access_constraints.c.record_json).order_by(
                t.access_constraints.c.start_at, t.access_constraints.c.id
            )
        ).all()
    return [
        ar.constraint(ar.ConstraintIn.model_validate(json.loads(r.record_json)), world, r.id)
        for r in rows
    ]


def load_records(engine: Engine, world: World) -> am.AccessRecords:
    return am.AccessRecords(tuple(convoys(engine, world)), tuple(constraints(engine, world)))


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(t.convoys)).scalar_one())


def save_records(
    engine: Engine,
    records: am.AccessRecords,
    now: dt.datetime,
    tz: str = "UTC",
    actor: str = "ceasewatch-bundle",
) -> None:
    """Replace every convoy and constraint with ``records`` (the demo's bundled set)."""
    with engine.begin() as conn:
        for table in (t.convoy_updates, t.convoys, t.access_constraints):
            conn.execute(delete(table))
        for c in records.convoys:
            row, updates = _convoy_rows(c, tz, actor, now)
            conn.execute(t.convoys.insert().values(**row))
            conn.execute(t.convoy_updates.insert(), updates)
        for k in records.constraints:
            conn.execute(t.access_constraints.insert().values(**_constraint_row(k, actor, now)))
