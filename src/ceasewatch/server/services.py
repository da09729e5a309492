"""What the API does, as functions over a store: the routes only translate.

Every change runs in ``audit.changes`` with its audit entry, and recomputes the findings
it affects in the same transaction: an incident's findings when it changes, an
agreement's findings when a version is uploaded. Overrides stand until the incident or
the rule they were made against changes; then they lapse, with the reason, in the audit
log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Connection, Engine, delete, func, select

from ceasewatch import services as core_services
from ceasewatch.agreement.loader import load_scenario
from ceasewatch.agreement.model import Agreement, Rule, Scenario
from ceasewatch.agreement.problems import SpecInvalid
from ceasewatch.errors import Conflict, Forbidden, Invalid, NotFound, Unavailable, UsageError
from ceasewatch.evaluate.engine import evaluate
from ceasewatch.evaluate.finding import Finding
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident
from ceasewatch.incidents.problems import explain, field_name
from ceasewatch.store import audit, repository, search
from ceasewatch.store import tables as t
from ceasewatch.store.rows import incident_row
from ceasewatch.store.search import Scope

FINDING: TypeAdapter[Finding] = TypeAdapter(Finding)
MONITORS = ("admin", "monitor")


@dataclass(frozen=True)
class Caller:
    """Who acts, and what the route's cell of the role table gives them."""

    name: str
    role: str
    party: str | None = None
    access: str = "all"

    @property
    def actor(self) -> str:
        """How the audit log names them: ``user:NAME``, ``cli:NAME`` or ``public``."""
        return self.name

    @property
    def scope(self) -> Scope:
        if self.access == "party":
            return Scope("party", self.party)
        if self.access == "published":
            return search.PUBLISHED
        return search.ALL


def cli_caller(name: str) -> Caller:
    return Caller(f"cli:{name}", "admin")


# ---- redaction ---------------------------------------------------------------------

WITHHELD = "[withheld]"


def redact(record: dict[str, Any]) -> dict[str, Any]:
    """The public's copy: who the sources cite (activists, witnesses), quotes, notes and
    the submitting user are withheld; publishers and dates stay.

    >>> r = redact({"sources": [{"document_id": "d", "attributed_to": "Ahmad, a witness",
    ...     "quote": "I saw", "publisher": "CNN"}], "submitted_by": "alice",
    ...     "occurred": {"note": "per Ahmad"}})
    >>> r["sources"][0]["attributed_to"], r["sources"][0]["quote"], r["submitted_by"]
    ('[withheld]', None, None)
    """
    out = dict(record)  # copy what changes; the rest is shared with the stored record
    out["sources"] = [
        dict(s, attributed_to=WITHHELD if s.get("attributed_to") else None, quote=None)
        for s in record.get("sources") or ()
    ]
    out["submitted_by"] = None
    if isinstance(record.get("occurred"), dict):
        out["occurred"] = dict(record["occurred"], note=None)
    return out


def shown(row: search.Row, caller: Caller) -> dict[str, Any]:
    """An incident as the caller may see it (record + metadata)."""
    public = caller.access == "published"
    return {
        "incident": redact(row.record) if public else row.record,
        "version": row.version,
        "status": row.status,
        "owner_party": row.owner_party,
        "created_by": None if public else row.created_by,
        "updated_at": row.updated_at,
    }


# ---- validating incidents ----------------------------------------------------------


def content_id(record: dict[str, Any]) -> str:
    """A content hash for a record submitted without an id.

    >>> content_id({"event_type": "Battles"})
    'inc-f186d44afb5a16b7'
    """
    body = {k: v for k, v in record.items() if k != "id"}
    digest = hashlib.sha256(audit.canonical(body).encode()).hexdigest()  # type: ignore[union-attr]
    return "inc-" + digest[:16]


def validate_incident(record: Any) -> Incident:
    if not isinstance(record, dict):
        raise Invalid("an incident is a JSON object (incident.v1)", ["(body): not an object"])
    try:
        return codec.ADAPTER.validate_python(record)
    except ValidationError as e:
        problems = [
            f"{field_name(i.path)}: {i.message}" + (f" — {i.hint}" if i.hint else "")
            for i in explain(e, Incident)
        ]
        raise Invalid("the incident does not validate as incident.v1", problems) from None


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch.

    >>> merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"b": None, "d": 3}})
    {'a': {'c': 2, 'd': 3}}
    """
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out


# ---- agreements ---------------------------------------------------------------------


@dataclass(frozen=True)
class Stored:
    agreement_id: str
    version: str
    scenario_id: str
    file: str
    files: dict[str, str]
    sha256: str


def _files_sha(files: dict[str, str]) -> str:
    return hashlib.sha256(audit.canonical(files).encode()).hexdigest()  # type: ignore[union-attr]


def current_agreements(conn: Connection) -> list[Stored]:
    """The newest stored version of each agreement, with the spec files it came from."""
    a = t.agreements
    rows = conn.execute(select(a).order_by(a.c.id, a.c.stored_at.desc(), a.c.version)).all()
    out: list[Stored] = []
    seen: set[str] = set()
    scenario_files: dict[str, str] = {}
    for r in rows:
        if r.id in seen:
            continue
        seen.add(r.id)
        sv = conn.execute(
            select(t.spec_versions.c.files_json, t.spec_versions.c.sha256).where(
                t.spec_versions.c.agreement_id == r.id, t.spec_versions.c.version == r.version
            )
        ).first()
        if sv is not None:
            files = json.loads(sv.files_json)
            sha = sv.sha256
        else:
            if r.scenario_id not in scenario_files:
                scenario_files[r.scenario_id] = conn.execute(
                    select(t.scenarios.c.files_json).where(t.scenarios.c.id == r.scenario_id)
                ).scalar_one()
            files = json.loads(scenario_files[r.scenario_id])
            sha = _files_sha(files)
        out.append(Stored(r.id, r.version, r.scenario_id, r.file, files, sha))
    return out


_CACHE: dict[tuple[str, str, str], Scenario] = {}
_CACHE_LOCK = threading.Lock()


def scenario_of(stored: Stored) -> Scenario:
    """The stored agreement loaded (cached by content: versions never change)."""
    key = (stored.agreement_id, stored.version, stored.sha256)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    files = stored.files
    scenario = load_scenario(lambda rel: files[rel], only=stored.file)
    with _CACHE_LOCK:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = scenario
    return scenario


def agreement_of(stored: Stored) -> Agreement:
    return scenario_of(stored).agreements[0]


_NOT_TERMS = frozenset({"source_line", "source_file"})


def _canon(value: Any) -> Any:
    """A JSON-able form of a spec object, for hashing (file positions left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canon(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _NOT_TERMS
        }
    if hasattr(value, "wkb_hex"):  # a shapely geometry
        return value.wkb_hex
    if isinstance(value, frozenset | set):
        return sorted((_canon(v) for v in value), key=repr)
    if isinstance(value, tuple | list):
        return [_canon(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def rule_fingerprint(rule: Rule) -> str:
    """A hash of a rule's terms (not its line in the file): an override made against the
    rule stands while this stays the same."""
    return hashlib.sha256(json.dumps(_canon(rule), sort_keys=True).encode()).hexdigest()


def agreement_fingerprint(agreement: Agreement) -> str:
    """A hash of everything an agreement says, its scenario's geography included."""
    return hashlib.sha256(json.dumps(_canon(agreement), sort_keys=True).encode()).hexdigest()


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
    sha = _files_sha(files)
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
            _evaluate_agreement(conn, agreement_id, caller, now)
        return result

    out: list[dict[str, Any]] = _run_change(engine, change)
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
    out: dict[str, Any] = _run_change(
        engine, lambda conn: _evaluate_agreement(conn, agreement_id, caller, now)
    )
    return out


def _load(conn: Connection, ids: Sequence[str] | None) -> list[tuple[Incident, int]]:
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


def _evaluate_agreement(
    conn: Connection, agreement_id: str, caller: Caller, now: dt.datetime
) -> dict[str, Any]:
    stored = next((s for s in current_agreements(conn) if s.agreement_id == agreement_id), None)
    if stored is None:
        raise NotFound(f"no stored agreement {agreement_id!r}")
    ag = agreement_of(stored)
    loaded = _load(conn, None)
    findings = list(evaluate([ag], [i for i, _ in loaded], as_of=now).findings()) if loaded else []
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
    loaded = _load(conn, incident_ids)
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
        found = list(evaluate([ag], [i for i, _ in loaded], as_of=now).findings()) if loaded else []
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


# ---- incidents ----------------------------------------------------------------------


def _run_change(engine: Engine, change: Callable[[Connection], Any]) -> Any:
    for attempt in audit.retrying():
        try:
            with audit.changes(engine) as conn:
                return change(conn)
        except Exception as e:
            if audit.is_race(e) and attempt < 4:
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover


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

    rows: list[search.Row] = _run_change(engine, change)
    return rows


def get_incident(engine: Engine, incident_id: str, caller: Caller) -> search.Row:
    with engine.connect() as conn:
        row = search.get(conn, incident_id, caller.scope)
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
        new = incident_row(inc) | {"version": row.version + 1, "updated_at": audit.now_text(now)}
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

    row: search.Row = _run_change(engine, change)
    return row


def history(engine: Engine, incident_id: str) -> list[dict[str, Any]]:
    get_incident(engine, incident_id, Caller("-", "admin"))
    return [dataclasses.asdict(e) for e in audit.entries(engine, "incident", incident_id)]


# ---- findings and overrides ---------------------------------------------------------


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

    _run_change(engine, change)
    return findings(engine, Caller("-", "admin"), finding_id=finding_id)[0]


# ---- queries to a party -------------------------------------------------------------


def _query_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.id,
        "incident_id": r.incident_id,
        "party": r.party,
        "question": r.question,
        "asked_by": r.asked_by,
        "asked_at": r.asked_at,
        "answer": r.answer,
        "answered_by": r.answered_by,
        "answered_at": r.answered_at,
    }


def known_parties(conn: Connection) -> set[str]:
    out: set[str] = set()
    for s in current_agreements(conn):
        out |= set(agreement_of(s).parties)
        out |= {a.id for a in scenario_of(s).world.actors}
    return out


def ask(
    engine: Engine, incident_id: str, party: str, question: str, caller: Caller, now: dt.datetime
) -> dict[str, Any]:
    if not question.strip():
        raise Invalid("the question is empty", ["question: write the question"])

    def change(conn: Connection) -> dict[str, Any]:
        if search.get(conn, incident_id, search.ALL) is None:
            raise NotFound(f"no incident {incident_id!r}")
        parties = known_parties(conn)
        if parties and party not in parties:
            from ceasewatch.agreement.problems import did_you_mean

            raise Invalid(
                f"{party!r} is not an actor of any stored agreement",
                [f"party: {did_you_mean(party, parties)}"],
            )
        key = conn.execute(
            t.queries.insert().values(
                incident_id=incident_id,
                party=party,
                question=question,
                asked_by=caller.actor,
                asked_at=audit.now_text(now),
            )
        ).inserted_primary_key
        assert key is not None
        qid = key[0]
        audit.record(
            conn,
            at=now,
            actor=caller.actor,
            action="query.ask",
            entity="query",
            entity_id=str(qid),
            after={"incident_id": incident_id, "party": party, "question": question},
        )
        r = conn.execute(select(t.queries).where(t.queries.c.id == qid)).one()
        return _query_out(r)

    out: dict[str, Any] = _run_change(engine, change)
    return out


def queries(engine: Engine, caller: Caller, incident_id: str | None = None) -> list[dict[str, Any]]:
    q = select(t.queries).order_by(t.queries.c.id)
    if caller.access == "party":
        q = q.where(t.queries.c.party == caller.party)
    if incident_id:
        q = q.where(t.queries.c.incident_id == incident_id)
    with engine.connect() as conn:
        return [_query_out(r) for r in conn.execute(q)]


def answer(
    engine: Engine, query_id: int, text_: str, caller: Caller, now: dt.datetime
) -> dict[str, Any]:
    if not text_.strip():
        raise Invalid("the answer is empty", ["answer: write the answer"])

    def change(conn: Connection) -> dict[str, Any]:
        r = conn.execute(select(t.queries).where(t.queries.c.id == query_id)).first()
        if r is None or (caller.access == "party" and r.party != caller.party):
            raise NotFound(f"no query {query_id} to your party")
        if r.answer is not None:
            raise Conflict(f"query {query_id} is answered already", _query_out(r))
        stamp = audit.now_text(now)
        conn.execute(
            t.queries.update()
            .where(t.queries.c.id == query_id)
            .values(answer=text_, answered_by=caller.actor, answered_at=stamp)
        )
        audit.record(
            conn,
            at=now,
            actor=caller.actor,
            action="query.answer",
            entity="query",
            entity_id=str(query_id),
            before={"answer": None},
            after={"answer": text_},
        )
        return _query_out(conn.execute(select(t.queries).where(t.queries.c.id == query_id)).one())

    out: dict[str, Any] = _run_change(engine, change)
    return out


# ---- evidence -----------------------------------------------------------------------

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
        return _evidence_meta(conn, eid)

    out: dict[str, Any] = _run_change(engine, change)
    return out


def _evidence_meta(conn: Connection, eid: str) -> dict[str, Any]:
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
        return [_evidence_meta(conn, i) for i in ids]


def evidence_data(engine: Engine, evidence_id: str, caller: Caller) -> tuple[dict[str, Any], bytes]:
    with engine.connect() as conn:
        r = conn.execute(select(t.evidence).where(t.evidence.c.id == evidence_id)).first()
        if r is None or search.get(conn, r.incident_id, caller.scope) is None:
            raise NotFound(f"no evidence {evidence_id!r}")
        return _evidence_meta(conn, evidence_id), bytes(r.data)


# ---- reports (articles) -------------------------------------------------------------

#: The scenario extraction uses when no agreement is stored (as ``ceasewatch extract``).
DEFAULT_SCENARIO = "syria-2016"


@dataclass(frozen=True)
class Report:
    """What POST /reports did with one article."""

    article_id: str
    scenario_id: str
    rows: list[search.Row]
    skipped_reason: str | None = None
    unresolved: tuple[dict[str, Any], ...] = ()
    errors: tuple[str, ...] = ()


class _Extractors:
    """One extraction pipeline per scenario, built on first use and kept for the life of
    the process (spaCy and the gazetteer load once, never at app start). A pipeline is
    used by one thread at a time: spaCy does not promise more."""

    def __init__(self, size: int = 4) -> None:
        self.size = size
        self.items: dict[tuple[str, ...], tuple[Any, threading.Lock]] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[str, ...], scenario: Scenario) -> tuple[Any, threading.Lock]:
        with self.lock:  # held while building: a second first request waits, never builds
            hit = self.items.get(key)
            if hit is None:
                try:
                    from ceasewatch.extract.run import Extractor

                    built = Extractor(scenario)
                except (ImportError, OSError) as e:
                    raise Unavailable(
                        f"the extractor cannot load its language model ({e}) — install the "
                        "pinned model (see DEVELOPERS.md)"
                    ) from None
                if len(self.items) >= self.size:
                    self.items.pop(next(iter(self.items)))
                hit = self.items[key] = (built, threading.Lock())
            return hit


EXTRACTORS = _Extractors()


def report_scenario(engine: Engine, agreement_id: str | None) -> tuple[tuple[str, ...], Scenario]:
    """The scenario whose actors and gazetteer read an article: the named stored
    agreement's; else the one scenario stored; else, with none stored, the bundled
    syria-2016 (as ``ceasewatch extract``)."""
    with engine.connect() as conn:
        stored = current_agreements(conn)
    if agreement_id is not None:
        chosen = next((s for s in stored if s.agreement_id == agreement_id), None)
        if chosen is None:
            raise NotFound(f"no stored agreement {agreement_id!r}")
    elif not stored:
        from ceasewatch.agreement.sources import load_bundled

        return ("bundled", DEFAULT_SCENARIO), load_bundled(DEFAULT_SCENARIO)
    else:
        scenarios = {s.scenario_id: s for s in stored}
        if len(scenarios) > 1:
            ids = ", ".join(sorted(s.agreement_id for s in stored))
            raise Invalid(
                "the store holds agreements of several scenarios: say which one reads this article",
                [f"agreement: give one of {ids}"],
            )
        chosen = next(iter(scenarios.values()))
    scenario = scenario_of(chosen)
    if scenario.gazetteer_file is None:
        raise Unavailable(
            f"extraction needs a gazetteer, and scenario {scenario.id!r} names none — a "
            "monitor uploads the agreement again with `gazetteer: FILE` under `geography:` "
            "in scenario.yaml (docs/places.md)"
        )
    return ("stored", chosen.scenario_id, chosen.sha256), scenario


def article_id(text: str, caller: Caller) -> str:
    """The article's id: a hash of who sent it and its text, so the same caller sending
    it again gets 409 for the same incidents, and two parties' copies never collide.

    >>> article_id("Shelling on Monday.", Caller("user:amal", "monitor"))
    'rep-fb9b61f04d42cd8c'
    """
    return "rep-" + hashlib.sha256(f"{caller.actor}\n{text}".encode()).hexdigest()[:16]


def extract_article(
    engine: Engine, article: dict[str, Any], caller: Caller
) -> tuple[str, str, Any]:
    """Run extraction on one article (CPU work: call it from a worker thread)."""
    from ceasewatch.extract.article import Article

    text: str = article["text"]
    if not text.strip():
        raise Invalid("the article has no text", ["text: give the article's text"])
    key, scenario = report_scenario(engine, article.get("agreement"))
    extractor, lock = EXTRACTORS.get(key, scenario)
    published = article.get("published")
    aid = article_id(text, caller)
    item = Article(
        aid,
        text,
        title=article.get("title"),
        published=dt.date.fromisoformat(published) if published else None,
        source=article.get("publisher"),
        url=article.get("url"),
        origin="POST /reports",
    )
    with lock:
        outcome = extractor.extract(item)
    return aid, scenario.id, outcome


def submit_report(
    engine: Engine, article: dict[str, Any], caller: Caller, now: dt.datetime
) -> Report:
    """Extract an article's incidents and store them ``proposed`` (the review queue),
    submitted by the caller (a liaison's belong to its party)."""
    aid, scenario_id, outcome = extract_article(engine, article, caller)
    if outcome.skipped_reason is not None and outcome.skipped_reason.startswith("empty"):
        raise Invalid("the article has no text", [f"text: {outcome.skipped_reason}"])
    if outcome.failed and outcome.errors:
        raise Invalid("the article could not be read for incidents", list(outcome.errors))
    proposed = []
    for incident in outcome.incidents:
        record = codec.to_json(incident)
        record["status"] = "proposed"
        record["submitted_by"] = caller.actor
        proposed.append(record)
    rows = create_incidents(engine, proposed, caller, now, action="report.extract")
    unresolved = tuple({"reason": u.reason, "draft": u.draft} for u in outcome.unresolved)
    return Report(aid, scenario_id, rows, outcome.skipped_reason, unresolved, outcome.errors)


# ---- timeline, phases, triggers -----------------------------------------------------


def outcomes(
    engine: Engine, caller: Caller, agreement_id: str | None, as_of: dt.datetime | None
) -> list[core_services.Outcome]:
    """Evaluate the visible incidents under each current agreement (or one)."""
    with engine.connect() as conn:
        stored = current_agreements(conn)
        if agreement_id is not None:
            stored = [s for s in stored if s.agreement_id == agreement_id]
            if not stored:
                raise NotFound(f"no stored agreement {agreement_id!r}")
        visible = select(t.incidents.c.record_json).where(
            caller.scope.where(), t.incidents.c.status != "rejected"
        )
        with conn.execute(visible, execution_options={"yield_per": 5000}) as rows:
            incidents = [codec.ADAPTER.validate_json(r.record_json) for r in rows]
    out = []
    for s in stored:
        scenario = scenario_of(s)
        when = as_of
        if when is None and not incidents:
            raise UsageError("no incidents stored yet — give as_of")
        out.append(core_services.run(scenario, incidents, when))
    return out
