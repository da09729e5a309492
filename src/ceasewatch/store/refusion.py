"""Storing what fusion made of a window of reports, over incidents people have worked on.

Fusion rebuilds every incident of a window from its reports (store/imports.py gathers
the window; ``ingest.pipeline.refuse`` fuses it). Writing the clusters back keeps what a
monitor did to the stored incidents (docs/fusion.md, "Fusion and the monitors' edits"):

* **names** — a cluster keeps the id of an incident one of its reports was already in:
  one a monitor edited first, then the earliest; a cluster of new reports takes its first
  report's id. An incident whose reports joined another's is *retired*: its id resolves
  to the incident its own report is now in (``GET /incidents/{id}``, ``incidents show``),
  its evidence and queries move there, and an ``incident.merge`` audit entry says where
  it went;
* **edits** — the overlay of each incident (incidents/edits.py) is re-applied on top of
  the record fusion made; a retired incident's edits go with its reports to the survivor
  (the survivor's own edits of the same field stand);
* **versions** — a stored incident whose record changes gets the next version and an
  ``incident.fuse`` audit entry (who ran fusion, the fields before and after, why: the
  merge reasons and the edits kept); a version never goes back;
* **overrides** of a finding stand while fusion leaves the fields findings follow from
  (``evaluate.columns.JUDGED_FIELDS``) as they were; when it changes one, they lapse at
  once, with that reason, audited.

Portable SQL only (SQLAlchemy Core), inside the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from ceasewatch.evaluate.columns import JUDGED_FIELDS
from ceasewatch.incidents import codec
from ceasewatch.incidents.edits import Applied, Edits, apply_edits, carry_edits, changed_fields
from ceasewatch.incidents.model import Incident
from ceasewatch.store import audit
from ceasewatch.store import tables as t
from ceasewatch.store.imports import CHUNK, FusedCluster, StoredReport
from ceasewatch.store.rows import incident_columns

#: The columns of ``incidents`` fusion writes (besides id, version, updated_at).
_RECORD_COLUMNS = (
    "status",
    "event_type",
    "sub_event_type",
    "start_date",
    "end_date",
    "lat",
    "lon",
    "record_json",
    "reasons_json",
    "perpetrator_actor",
    "target_actor",
    "confidence",
    "search_text",
    "edits_json",
)


@dataclass(frozen=True, slots=True)
class _Stored:
    record_json: str
    reasons_json: str | None
    version: int
    edits_json: str | None

    @property
    def edits(self) -> Edits:
        return json.loads(self.edits_json) if self.edits_json else {}


@dataclass(frozen=True, slots=True)
class Changed:
    """A stored incident whose record fusion changed."""

    id: str
    version: int  # the new one
    before: dict[str, Any]  # the changed fields as they were
    after: dict[str, Any]  # ... and as they are
    joined: tuple[str, ...]  # reports new to it
    left: tuple[str, ...]  # reports that were in it and are not now
    reasons: tuple[str, ...]
    applied: Applied | None


@dataclass(frozen=True, slots=True)
class Retired:
    """A stored incident whose reports joined another's."""

    id: str
    into: str | None
    version: int
    record: dict[str, Any]
    edits_moved: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Written:
    inserted: int
    changed: tuple[Changed, ...]
    retired: tuple[Retired, ...]
    overrides_lapsed: int


def names(
    clusters: Sequence[FusedCluster],
    old_heads: set[str],
    edited: set[str],
    current: dict[str, str | None],
) -> tuple[list[str], dict[str, int]]:
    """The id each cluster is stored under, and the cluster each retired head's reports
    went to (the one holding its own report, else most of its reports).

    >>> from types import SimpleNamespace as C
    >>> clusters = [C(members=("a", "b", "c"), incident=C(id="a")), C(members=("d",), incident=C(id="d"))]
    >>> names(clusters, {"a", "c"}, {"c"}, {"a": "a", "b": "a", "c": "c", "d": None})
    (['c', 'd'], {'a': 0})
    """
    out: list[str] = []
    for c in clusters:
        heads = [m for m in c.members if m in old_heads]
        out.append(min(heads, key=lambda h: h not in edited) if heads else c.incident.id)
    where = {m: k for k, c in enumerate(clusters) for m in c.members}
    successor: dict[str, int] = {}
    for head in sorted(old_heads - set(out)):
        if head in where:
            successor[head] = where[head]
            continue
        counts = Counter(where[m] for m, inc in current.items() if inc == head and m in where)
        if counts:
            successor[head] = min(counts, key=lambda k: (-counts[k], k))
    return out, successor


def write_clusters(
    conn: Connection,
    reports: Sequence[StoredReport],
    clusters: Sequence[FusedCluster],
    *,
    now: dt.datetime,
    actor: str,
) -> Written:
    """Store ``clusters`` (fused from ``reports``, a whole window): each report's incident,
    the incidents' rows with their edits re-applied, versions, audit entries, overrides;
    incidents no longer heading a cluster are retired (see the module doc)."""
    old_heads = {s.incident_id for s in reports if s.incident_id is not None}
    current = {s.id: s.incident_id for s in reports}
    i = t.incidents.c
    stored: dict[str, _Stored] = {}
    wanted = sorted(old_heads | {c.incident.id for c in clusters})
    for k in range(0, len(wanted), CHUNK):
        for got in conn.execute(
            select(i.id, i.record_json, i.reasons_json, i.version, i.edits_json).where(
                i.id.in_(wanted[k : k + CHUNK])
            )
        ):
            stored[got.id] = _Stored(
                got.record_json, got.reasons_json, int(got.version), got.edits_json
            )
    edited = {h for h, s in stored.items() if s.edits_json}
    named, successor = names(clusters, old_heads, edited, current)

    # each report to its incident
    moves = [
        {"b_id": m, "b_incident": name}
        for c, name in zip(clusters, named, strict=True)
        for m in c.members
        if current.get(m) != name
    ]
    r = t.reports.c
    if moves:
        conn.execute(
            update(t.reports)
            .where(r.id == bindparam("b_id"))
            .values(incident_id=bindparam("b_incident")),
            moves,
        )

    # retired incidents: their edits go with their reports
    carried: dict[int, list[str]] = {}
    for head, k in successor.items():
        carried.setdefault(k, []).append(head)
    retired: list[Retired] = []
    for head in sorted(old_heads - set(named)):
        s = stored.get(head)
        if s is None:
            continue
        k_into = successor.get(head)
        into = named[k_into] if k_into is not None else None
        own = stored[into].edits if into in stored else {}
        moved = tuple(f for f in s.edits if f not in own)
        retired.append(Retired(head, into, s.version, json.loads(s.record_json), moved))
    gone = sorted(old_heads - set(named))
    for k in range(0, len(gone), CHUNK):
        conn.execute(delete(t.incidents).where(i.id.in_(gone[k : k + CHUNK])))

    earlier: dict[str, list[str]] = {}
    for report, was_in in current.items():
        if was_in is not None:
            earlier.setdefault(was_in, []).append(report)
    stamp = audit.now_text(now)
    new_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    light: list[dict[str, Any]] = []
    changed: list[Changed] = []
    for k, (c, name) in enumerate(zip(clusters, named, strict=True)):
        inc = c.incident if c.incident.id == name else replace(c.incident, id=name)
        s = stored.get(name)
        edits: Edits = s.edits if s is not None else {}
        for head in carried.get(k, ()):
            if head in stored:
                edits = carry_edits(edits, stored[head].edits)
        applied = apply_edits(inc, edits) if edits else None
        row = _incident_row(applied.incident if applied else inc, c)
        row["edits_json"] = json.dumps(edits, sort_keys=True, ensure_ascii=False) if edits else None
        if s is None:
            new_rows.append(row)
            continue
        if row["record_json"] != s.record_json:
            was = json.loads(s.record_json)
            diff = changed_fields(was, json.loads(row["record_json"]))
            if diff:
                version = s.version + 1
                updates.append({**row, "version": version, "updated_at": stamp})
                before = {f: was.get(f) for f in diff}
                joined = tuple(m for m in c.members if current.get(m) != name)
                left = tuple(sorted(set(earlier.get(name, ())) - set(c.members)))
                changed.append(
                    Changed(name, version, before, diff, joined, left, c.reasons, applied)
                )
                continue
        if (row["reasons_json"], row["edits_json"]) != (s.reasons_json, s.edits_json):
            light.append(row)
    if updates:
        _update_many(conn, (*_RECORD_COLUMNS, "version", "updated_at"), updates)
    if light:
        _update_many(conn, ("reasons_json", "edits_json"), light)
    if new_rows:
        conn.execute(t.incidents.insert(), new_rows)
    lapsed = _settle(conn, changed, retired, now, actor)
    return Written(len(new_rows), tuple(changed), tuple(retired), lapsed)


def _update_many(conn: Connection, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    """UPDATE incidents SET ``columns`` by id, one statement for all ``rows`` (plain
    tuples straight to the driver on SQLite: the hot path of a bulk import)."""
    if conn.dialect.paramstyle == "qmark":
        sets = ", ".join(f"{c} = ?" for c in columns)
        conn.exec_driver_sql(
            f"UPDATE incidents SET {sets} WHERE id = ?",
            [tuple(row[c] for c in (*columns, "id")) for row in rows],
        )
        return
    i = t.incidents.c
    conn.execute(
        update(t.incidents)
        .where(i.id == bindparam("b_id"))
        .values({c: bindparam(f"b_{c}") for c in columns}),
        [{"b_id": row["id"], **{f"b_{c}": row[c] for c in columns}} for row in rows],
    )


def merged_into(conn: Connection, incident_id: str) -> str | None:
    """The incident a retired id now resolves to: the one its own report is in (a fused
    incident's id is always one of its reports' ids), or None."""
    r = t.reports.c
    into = conn.execute(select(r.incident_id).where(r.id == incident_id)).scalar()
    return into if into is not None and into != incident_id else None


def _incident_row(inc: Incident, c: FusedCluster) -> dict[str, Any]:
    reasons = (
        json.dumps(list(c.reasons), ensure_ascii=False) if len(c.members) > 1 or c.reasons else None
    )
    columns = incident_columns(inc, codec.ADAPTER.dump_json(inc).decode("utf-8"))
    return columns | {"reasons_json": reasons}


#: Link sentences an ``incident.fuse`` entry quotes at most (the rest are in the
#: incident's reasons: ``incidents show``).
MAX_SENTENCES = 4


def _fuse_reason(ch: Changed) -> str:
    """Why fusion changed the incident, briefly: which reports joined or left it and the
    sentences that say why, then what became of the monitors' edits."""
    parts: list[str] = []
    if ch.joined:
        parts.append(f"{', '.join(ch.joined)} joined it")
    if ch.left:
        parts.append(f"{', '.join(ch.left)} left it")
    about = ch.joined + ch.left
    said = [s for s in ch.reasons if any(x in s for x in about)] if about else []
    if not about:
        parts.append("its reports were fused again")
        said = list(ch.reasons)
    parts.extend(said[:MAX_SENTENCES])
    if len(said) > MAX_SENTENCES:
        parts.append(f"{len(said) - MAX_SENTENCES} more reasons in the incident's reasons")
    a = ch.applied
    if a is not None and a.kept:
        kept = ", ".join(a.kept)
        differs = f" (the reports now say otherwise on {', '.join(a.differs)})" if a.differs else ""
        parts.append(f"the monitors' edits of {kept} kept{differs}")
    if a is not None and a.dropped:
        parts.extend(
            f"the edit of {f} no longer fits and is left out: {why}" for f, why in a.dropped
        )
    return "; ".join(parts)


def _brief(fields: dict[str, Any]) -> dict[str, Any]:
    """Changed fields as an audit entry keeps them: sources by document id (every
    report's full record stays in the store)."""
    out = dict(fields)
    if isinstance(out.get("sources"), list):
        out["sources"] = [
            s.get("document_id") if isinstance(s, dict) else s for s in out["sources"]
        ]
    return out


def _settle(
    conn: Connection,
    changed: Sequence[Changed],
    retired: Sequence[Retired],
    now: dt.datetime,
    actor: str,
) -> int:
    """The audit entries of fusion's changes, and the overrides they lapse or keep."""
    entries: list[dict[str, Any]] = [
        {
            "at": now,
            "actor": actor,
            "action": "incident.fuse",
            "entity": "incident",
            "entity_id": ch.id,
            "before": {"version": ch.version - 1, "fields": _brief(ch.before)},
            "after": {"version": ch.version, "fields": _brief(ch.after)},
            "reason": _fuse_reason(ch),
        }
        for ch in changed
    ]
    for rt in retired:
        why = f"fusion joined its reports with those of {rt.into}, which keeps its id"
        if rt.edits_moved:
            why += f"; its edits of {', '.join(rt.edits_moved)} go with them"
        after: dict[str, Any] = {"merged_into": rt.into}
        if rt.into is not None:  # what people attached to it follows its reports
            for table, key in ((t.evidence, "evidence_moved"), (t.queries, "queries_moved")):
                moved = conn.execute(
                    table.update().where(table.c.incident_id == rt.id).values(incident_id=rt.into)
                ).rowcount
                if moved:
                    after[key] = moved
        entries.append(
            {
                "at": now,
                "actor": actor,
                "action": "incident.merge",
                "entity": "incident",
                "entity_id": rt.id,
                "before": {"version": rt.version, "record": rt.record},
                "after": after,
                "reason": why,
            }
        )
    lapsed = 0
    if changed or retired:
        by_id = {ch.id: ch for ch in changed}
        into = {rt.id: rt.into for rt in retired}
        o = t.overrides
        ids = sorted([*by_id, *into])
        stamp = audit.now_text(now)
        follow: list[dict[str, Any]] = []
        for k in range(0, len(ids), CHUNK):
            for ov in conn.execute(
                select(o.c.id, o.c.incident_id, o.c.finding_id, o.c.verdict, o.c.incident_version)
                .where(o.c.incident_id.in_(ids[k : k + CHUNK]), o.c.lapsed_at.is_(None))
                .order_by(o.c.id)
            ):
                ch = by_id.get(ov.incident_id)
                if ch is None:
                    why = f"fusion merged the incident into {into[ov.incident_id]}"
                else:
                    judged = sorted(JUDGED_FIELDS.intersection(ch.after))
                    if not judged:
                        if ov.incident_version == ch.version - 1:
                            follow.append({"b_id": ov.id, "b_version": ch.version})
                        continue
                    why = (
                        f"fusion changed the incident's {', '.join(judged)} "
                        f"(version {ch.version - 1} -> {ch.version})"
                    )
                conn.execute(
                    o.update().where(o.c.id == ov.id).values(lapsed_at=stamp, lapsed_why=why)
                )
                entries.append(
                    {
                        "at": now,
                        "actor": actor,
                        "action": "override.lapse",
                        "entity": "finding",
                        "entity_id": ov.finding_id,
                        "before": {"verdict": ov.verdict, "lapsed_at": None},
                        "after": {"verdict": ov.verdict, "lapsed_at": stamp},
                        "reason": why,
                    }
                )
                lapsed += 1
        if follow:
            conn.execute(
                o.update()
                .where(o.c.id == bindparam("b_id"))
                .values(incident_version=bindparam("b_version")),
                follow,
            )
    audit.record_many(conn, entries)
    return lapsed
