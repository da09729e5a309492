"""Queries to a party: a monitor asks a party's liaison about an incident; the liaison answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, select

from ceasewatch.errors import Conflict, Invalid, NotFound
from ceasewatch.server.services.callers import Caller
from ceasewatch.server.services.changes import run_change
from ceasewatch.server.services.stored_agreements import (
    agreement_of,
    current_agreements,
    scenario_of,
)
from ceasewatch.store import audit, search
from ceasewatch.store import tables as t


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

    out: dict[str, Any] = run_change(engine, change)
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

    out: dict[str, Any] = run_change(engine, change)
    return out
