"""Incidents: create (a liaison's proposed and owned by its party), read, edit and review
(with a reason and the version read: 409 when it moved on), and their history."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, select

from ceasewatch.errors import Conflict, Invalid, NotFound
from ceasewatch.incidents.edits import add_edits, changed_fields
from ceasewatch.incidents.model import Incident
from ceasewatch.server.services.callers import MONITORS, Caller
from ceasewatch.server.services.changes import run_change
from ceasewatch.server.services.recompute import refresh_findings
from ceasewatch.server.services.validation import content_id, merge_patch, validate_incident
from ceasewatch.store import audit, db, refusion, search
from ceasewatch.store import tables as t
from ceasewatch.store.rows import incident_row


def create_incidents(
    engine: Engine,
    records: Sequence[dict[str, Any]],
    caller: Caller,
    now: dt.datetime,
    *,
    action: str = "incident.create",
) -> list[search.Row]:
    """Store new incidents. A liaison's are ``proposed`` and belong to its party."""
    prepared: list[Incident] = []
    for record in records:
        if not isinstance(record, dict):
            raise Invalid("an incident is a JSON object (incident.v1)", ["(body): not an object"])
        record = dict(record)
        record.setdefault("id", None)
        if not record["id"]:
            record["id"] = content_id(record)
        if caller.role not in MONITORS:  # a liaison proposes, in its own name
            record["status"] = "proposed"
            record["submitted_by"] = caller.actor
        else:  # a monitor may enter another's report (an importer, a named source)
            record["submitted_by"] = record.get("submitted_by") or caller.actor
        prepared.append(validate_incident(record))
    party = caller.party if caller.access == "party" else None
    stamp = audit.now_text(now)

    def change(conn: Connection) -> list[search.Row]:
        ids = [i.id for i in prepared]
        taken = conn.execute(select(t.incidents.c.id).where(t.incidents.c.id.in_(ids))).first()
        if taken is not None:
            raise Conflict(
                f"an incident with id {taken.id!r} exists already — PATCH it, or omit the id "
                "to have one made from the content",
                {"id": taken.id},
            )
        for inc in prepared:
            row = incident_row(inc) | {
                "version": 1,
                "owner_party": party,
                "created_by": caller.actor,
                "updated_at": stamp,
            }
            conn.execute(t.incidents.insert().values(**row))
            audit.record(
                conn,
                at=now,
                actor=caller.actor,
                action=action,
                entity="incident",
                entity_id=inc.id,
                after={"record": json.loads(row["record_json"]), "version": 1, "party": party},
            )
        refresh_findings(conn, ids, caller, now)
        return [r for i in ids if (r := search.get(conn, i, search.ALL)) is not None]

    rows: list[search.Row] = run_change(engine, change)
    return rows


def get_incident(engine: Engine, incident_id: str, caller: Caller) -> search.Row:
    """The incident, or — for an id fusion retired (its reports joined another incident's)
    — the incident it was merged into."""
    with db.reading(engine) as conn:
        row = search.get(conn, incident_id, caller.scope)
        if row is None and (into := refusion.merged_into(conn, incident_id)) is not None:
            row = search.get(conn, into, caller.scope)
    if row is None:
        raise NotFound(f"no incident {incident_id!r}")
    return row


def change_incident(
    engine: Engine,
    incident_id: str,
    caller: Caller,
    now: dt.datetime,
    *,
    reason: str,
    version: int | None,
    patch: dict[str, Any] | None = None,
    status: str | None = None,
) -> search.Row:
    """Edit (a merge patch of the record) or review (a new status), with a reason.
    ``version`` is the one the caller read: if it moved on, 409 with the current one."""
    if not reason.strip():
        raise Invalid("a reason is required", ["reason: say why, in a sentence"])
    action = "incident.edit" if status is None else f"incident.{status}"

    def change(conn: Connection) -> search.Row:
        row = search.get(conn, incident_id, search.ALL)
        if row is None:
            into = refusion.merged_into(conn, incident_id)
            if into is not None:
                raise NotFound(
                    f"incident {incident_id!r} was merged into {into!r} by fusion — "
                    f"read {into!r} and change that"
                )
            raise NotFound(f"no incident {incident_id!r}")
        current = {"id": row.id, "version": row.version, "status": row.status}
        if version is not None and version != row.version:
            raise Conflict(
                f"incident {incident_id!r} is at version {row.version}, not {version} — "
                "someone changed it since you read it: read it again",
                current,
            )
        record = dict(row.record)
        if patch is not None:
            if "id" in patch and patch["id"] != incident_id:
                raise Invalid("the id cannot change", ["id: leave it out of the patch"])
            if "status" in patch and patch["status"] != row.status:
                raise Invalid(
                    "status changes go through review",
                    ["status: use POST .../publish or .../reject"],
                )
            record = merge_patch(record, patch)
        if status is not None:
            if status == "published" and row.status == "published":
                raise Conflict(f"incident {incident_id!r} is published already", current)
            if status == "rejected" and row.status == "rejected":
                raise Conflict(f"incident {incident_id!r} is rejected already", current)
            record["status"] = status
        inc = validate_incident(record)
        stamp = audit.now_text(now)
        new = incident_row(inc) | {"version": row.version + 1, "updated_at": stamp}
        # what the monitor changed is kept as an overlay that fusion re-applies
        # (incidents/edits.py, store/refusion.py)
        was = conn.execute(
            select(t.incidents.c.edits_json).where(t.incidents.c.id == incident_id)
        ).scalar()
        edits = add_edits(
            json.loads(was) if was else {},
            changed_fields(row.record, json.loads(new["record_json"])),
            actor=caller.actor,
            at=stamp,
            reason=reason,
            version=row.version + 1,
        )
        new["edits_json"] = json.dumps(edits, sort_keys=True, ensure_ascii=False) if edits else None
        done = conn.execute(
            t.incidents.update()
            .where(t.incidents.c.id == incident_id, t.incidents.c.version == row.version)
            .values(**new)
        )
        if done.rowcount != 1:  # pragma: no cover - guarded by the writers' lock
            raise Conflict(f"incident {incident_id!r} changed meanwhile — read it again", current)
        audit.record(
            conn,
            at=now,
            actor=caller.actor,
            action=action,
            entity="incident",
            entity_id=incident_id,
            before={"record": row.record, "version": row.version},
            after={"record": json.loads(new["record_json"]), "version": row.version + 1},
            reason=reason,
        )
        changed = refresh_findings(conn, [incident_id], caller, now)
        if changed:
            audit.record(
                conn,
                at=now,
                actor=caller.actor,
                action="findings.refresh",
                entity="incident",
                entity_id=incident_id,
                after=changed,
                reason="the incident changed",
            )
        out = search.get(conn, incident_id, search.ALL)
        assert out is not None
        return out

    row: search.Row = run_change(engine, change)
    return row


def history(engine: Engine, incident_id: str) -> list[dict[str, Any]]:
    get_incident(engine, incident_id, Caller("-", "admin"))
    return [dataclasses.asdict(e) for e in audit.entries(engine, "incident", incident_id)]
