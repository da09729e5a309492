"""Looking at a fused incident and undoing a merge.

``show`` gives an incident with every report behind it, field by field, and why they were
merged; ``split`` keeps the reports of an incident apart from now on (recorded
constraints every later fusion respects) and re-fuses them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from ceasewatch.errors import NotFound, UsageError
from ceasewatch.fusion import FusionSettings
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident, Toll
from ceasewatch.ingest.pipeline import refuse
from ceasewatch.store import audit
from ceasewatch.store import imports as store
from ceasewatch.store import tables as t


@dataclass(frozen=True)
class Member:
    id: str
    dataset: str
    import_id: int
    row_number: int
    incident: Incident


@dataclass(frozen=True)
class View:
    incident: Incident
    members: tuple[Member, ...]
    reasons: tuple[str, ...]

    def table(self) -> list[tuple[str, list[str]]]:
        """(field, [fused value, then each member's]) for the fields a reader compares."""
        columns = [self.incident, *(m.incident for m in self.members)]
        return [(name, [get(i) for i in columns]) for name, get in FIELDS]


def _toll(t: Toll | None) -> str:
    if t is None:
        return "—"
    lo = "?" if t.low is None else str(t.low)
    hi = "?" if t.high is None else str(t.high)
    best = "?" if t.best is None else str(t.best)
    return best if lo == best == hi else f"{best} ({lo}–{hi})"


def _dates(i: Incident) -> str:
    o = i.occurred
    span = o.start.isoformat() if o.start == o.end else f"{o.start}..{o.end}"
    return f"{span} ({o.precision})"


def _actor(text: str | None, actor: str | None) -> str:
    if text is None and actor is None:
        return "—"
    return f"{text or '?'} [{actor or 'unresolved'}]"


FIELDS: list[tuple[str, Any]] = [
    ("event type", lambda i: f"{i.event_type} / {i.sub_event_type}"),
    ("method", lambda i: ", ".join(i.method) or "—"),
    ("date", _dates),
    ("place", lambda i: i.location.name or "—"),
    ("point", lambda i: f"{i.location.lat:.4f}, {i.location.lon:.4f} ({i.location.precision})"),
    ("admin", lambda i: f"{i.location.admin1_pcode or '—'} / {i.location.admin2_pcode or '—'}"),
    (
        "perpetrator",
        lambda i: (
            _actor(i.perpetrator.text, i.perpetrator.actor) + f" ({i.perpetrator.attribution})"
        ),
    ),
    ("target", lambda i: _actor(i.target.text, i.target.actor) if i.target else "—"),
    ("killed", lambda i: _toll(i.fatalities)),
    ("civilians killed", lambda i: _toll(i.civilian_fatalities)),
    ("injured", lambda i: _toll(i.injured)),
    ("status", lambda i: i.status),
    ("confidence", lambda i: i.confidence),
    (
        "sources",
        lambda i: (
            "; ".join(
                " ".join(
                    x
                    for x in (s.publisher, f"({s.attributed_to})" if s.attributed_to else None)
                    if x
                )
                or s.document_id
                for s in i.sources
            )
            or "—"
        ),
    ),
]


def show(engine: Engine, incident_id: str) -> View:
    """The incident ``incident_id`` with its reports (in import order) and merge reasons.
    ``incident_id`` may also be the id of one of its reports."""
    i, r = t.incidents.c, t.reports.c
    with engine.connect() as conn:
        row = conn.execute(select(i.record_json, i.reasons_json).where(i.id == incident_id)).first()
        if row is None:
            head = conn.execute(select(r.incident_id).where(r.id == incident_id)).scalar()
            if head is not None:
                return show(engine, head)
            raise NotFound(f"no incident or report {incident_id!r} in the store")
        members = [
            Member(
                m.id,
                m.dataset,
                m.import_id,
                m.row_number,
                codec.ADAPTER.validate_json(m.record_json),
            )
            for m in conn.execute(
                select(r.id, r.dataset, r.import_id, r.row_number, r.record_json)
                .where(r.incident_id == incident_id)
                .order_by(r.seq)
            )
        ]
    incident = codec.ADAPTER.validate_json(row.record_json)
    reasons = tuple(json.loads(row.reasons_json)) if row.reasons_json else ()
    return View(incident, tuple(members), reasons)


def split(
    engine: Engine,
    incident_id: str,
    settings: FusionSettings,
    now: dt.datetime,
    *,
    reports: tuple[str, ...] = (),
    actor: str = "cli:unknown",
) -> tuple[list[str], int]:
    """Keep the reports of ``incident_id`` apart — all of them, or only ``reports`` from
    the rest — and re-fuse, audited as ``actor``. Returns the incidents they are in
    afterwards and how many keep-apart pairs were new."""
    view = show(engine, incident_id)
    ids = [m.id for m in view.members]
    if len(ids) < 2:
        raise UsageError(f"incident {view.incident.id!r} has a single report: nothing to split")
    unknown = [x for x in reports if x not in ids]
    if unknown:
        raise UsageError(
            f"{', '.join(unknown)} not among the reports of {view.incident.id!r} ({', '.join(ids)})"
        )
    if reports:
        rest = [x for x in ids if x not in reports]
        pairs = [(a, b) for a in reports for b in rest]
        pairs += list(itertools.combinations(reports, 2))
    else:
        pairs = list(itertools.combinations(ids, 2))
    spans = [
        (m.incident.occurred.start.isoformat(), m.incident.occurred.end.isoformat())
        for m in view.members
    ]
    with engine.begin() as conn:
        audit.serialise(conn)
        added = store.add_keep_apart(conn, pairs, now)
        refuse(conn, spans, settings, now=now, actor=actor)
        r = t.reports.c
        after = sorted(
            {
                x
                for (x,) in conn.execute(select(r.incident_id).where(r.id.in_(ids)))
                if x is not None
            }
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="incidents.split",
            entity="incident",
            entity_id=view.incident.id,
            before={"reports": ids},
            after={"incidents": after, "kept_apart": list(reports) or ids, "new_pairs": added},
        )
    return after, added
