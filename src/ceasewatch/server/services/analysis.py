"""Timeline, phases and triggers: the visible incidents evaluated under each agreement."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select

from ceasewatch import services as core_services
from ceasewatch.access.model import AccessRecords
from ceasewatch.delineation.store import ledger as delineation_ledger
from ceasewatch.errors import NotFound, UsageError
from ceasewatch.incidents import codec
from ceasewatch.server.services.callers import Caller
from ceasewatch.server.services.stored_agreements import (
    agreement_of,
    current_agreements,
    scenario_of,
)
from ceasewatch.store import access as access_store
from ceasewatch.store import tables as t


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
        ledgers = {s.agreement_id: delineation_ledger(conn, agreement_of(s)) for s in stored}
    if stored and as_of is None and not incidents:
        raise UsageError("no incidents stored yet — give as_of")
    out = []
    access: dict[str, AccessRecords] = {}  # agreements of one scenario share its records
    for s in stored:
        scenario = scenario_of(s)
        when = as_of
        if scenario.id not in access:
            access[scenario.id] = access_store.load_records(engine, scenario.world)
        out.append(
            core_services.run(
                scenario,
                incidents,
                when,
                ledger=ledgers[s.agreement_id],
                access=access[scenario.id],
            )
        )
    return out
