"""``ceasewatch access status`` (and its API twin) as functions: the stored scenario,
incidents and access records, judged as of the end of a local day.

Route status needs the incidents' evaluation (a hostile incident in a corridor closes
it), so the stored incidents are evaluated as ``report daily`` does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from ceasewatch import services
from ceasewatch.access.judge import AccessBook, Status
from ceasewatch.agreement.model import Scenario, World
from ceasewatch.errors import UsageError
from ceasewatch.evaluate.finding import Finding
from ceasewatch.evaluate.gates import Daily
from ceasewatch.exports import select as sel
from ceasewatch.reports.run import end_of
from ceasewatch.store import access as access_store


@dataclass(frozen=True)
class AgreementAccess:
    agreement_id: str
    statuses: tuple[Status, ...]
    convoys: tuple[str, ...]
    """Convoys that broke sustained access that day, with the evidence."""
    findings: tuple[Finding, ...]
    """Findings of convoys stopped up to that day (access.v2 rules)."""


@dataclass(frozen=True)
class AccessStatus:
    day: dt.date
    scenario_id: str
    agreements: tuple[AgreementAccess, ...]


def one_scenario(engine: Engine, agreement: str | None = None) -> Scenario:
    """The one scenario in the store (or the one holding ``agreement``)."""
    scenarios = sel.stored_scenarios(engine, agreement)
    if not scenarios:
        raise UsageError("the store holds no agreement — store one first (e.g. `ceasewatch demo`)")
    if len(scenarios) > 1:
        raise UsageError(
            "the store holds several scenarios ("
            + ", ".join(s.id for s in scenarios)
            + ") — name an agreement with --agreement"
        )
    return scenarios[0]


def world_of(engine: Engine, agreement: str | None = None) -> World:
    """The world of the one scenario in the store (or of ``agreement``'s)."""
    return one_scenario(engine, agreement).world


def status(engine: Engine, day: dt.date, agreement: str | None = None) -> AccessStatus:
    """Each route and checkpoint open, closed or unknown on ``day``, with why."""
    scenario = one_scenario(engine, agreement)
    records = access_store.load_records(engine, scenario.world)
    incidents = list(sel.incidents(engine, sel.Filters(end=day)))
    as_of = end_of(day, scenario.world.timezone)
    out = []
    if incidents:
        outcome = services.run(scenario, incidents, as_of, access=records)
        findings = outcome.findings
        books = [Daily(outcome.evaluation, a, records).access for a in scenario.agreements]
    else:  # no incidents yet: constraints and convoys alone
        books = [AccessBook(a, records) for a in scenario.agreements]
        findings = tuple(f for b in books for f in b.findings(as_of))
    for book in books:
        a = book.agreement
        rules = {r.id for r in a.rules if r.type == "access.v2"}
        convoy_ids = {
            ev.incident or f"convoy:{c.id}:{n}"
            for c in records.convoys
            for n, ev in enumerate(c.events)
            if ev.status in ("blocked", "attacked")
        }
        out.append(
            AgreementAccess(
                a.id,
                tuple(book.statuses(day)),
                book.convoy_breaks(day),
                tuple(
                    f
                    for f in findings
                    if f.agreement_id == a.id and f.rule_id in rules and f.incident_id in convoy_ids
                ),
            )
        )
    return AccessStatus(day, scenario.id, tuple(out))
