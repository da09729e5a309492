"""Delineations in the store: reading an agreement's ledger, and evaluating under it.

The writes (propose, sign) live in ``delineation.service``, in one audited transaction
with the re-evaluation they cause.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from shapely.geometry import shape
from sqlalchemy import Connection, func, select

from ceasewatch.agreement.model import Agreement
from ceasewatch.delineation import apply
from ceasewatch.delineation.model import Ledger, Proposal, Signature
from ceasewatch.delineation.shapes import Shape
from ceasewatch.evaluate.engine import Evaluation
from ceasewatch.incidents.model import Incident
from ceasewatch.store import tables as t


def _shapes(text: str) -> tuple[Shape, ...]:
    fc = json.loads(text)
    return tuple(
        Shape(str(f["properties"].get("name") or ""), shape(f["geometry"])) for f in fc["features"]
    )


def ledger(conn: Connection, agreement: Agreement) -> Ledger:
    """Every proposal and signature stored for the agreement."""
    d, sg = t.delineations, t.delineation_signatures
    proposals = tuple(
        Proposal(
            version=r.version,
            subject=r.subject,
            zone_type=r.zone_type,
            replaces=tuple(json.loads(r.replaces_json)),
            shapes=_shapes(r.geojson),
            party=r.party,
            proposed_by=r.proposed_by,
            proposed_at=r.proposed_at,
            seq=r.seq,
            answers=r.answers,
            note=r.note,
        )
        for r in conn.execute(
            select(d).where(d.c.agreement_id == agreement.id).order_by(d.c.version)
        )
    )
    signatures = tuple(
        Signature(r.version, r.party, r.signed_by, r.signed_at, r.seq)
        for r in conn.execute(
            select(sg).where(sg.c.agreement_id == agreement.id).order_by(sg.c.seq)
        )
    )
    return Ledger(agreement.id, agreement.approvers, proposals, signatures)


def next_seq(conn: Connection, agreement_id: str) -> int:
    """The next event number of an agreement's delineation ledger."""
    d, sg = t.delineations, t.delineation_signatures
    a = conn.execute(select(func.max(d.c.seq)).where(d.c.agreement_id == agreement_id))
    b = conn.execute(select(func.max(sg.c.seq)).where(sg.c.agreement_id == agreement_id))
    return max(a.scalar() or 0, b.scalar() or 0) + 1


def evaluate(
    conn: Connection, agreement: Agreement, incidents: Sequence[Incident], as_of: dt.datetime
) -> Evaluation:
    """The agreement's evaluation under its stored delineations."""
    return apply.evaluate(agreement, incidents, as_of=as_of, ledger=ledger(conn, agreement))
