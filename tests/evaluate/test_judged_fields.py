"""``JUDGED_FIELDS`` names every field a finding follows from: changing any other field of
every bundled incident changes no finding (overrides rely on it: store/refusion.py)."""

from __future__ import annotations

import dataclasses

from ceasewatch import services
from ceasewatch.agreement.model import Scenario
from ceasewatch.evaluate.columns import JUDGED_FIELDS
from ceasewatch.incidents.model import Incident, Source, Toll


def _findings(syria: Scenario, incidents: tuple[Incident, ...]) -> list[str]:
    outcome = services.run(syria, incidents, None, access=services.scenario_access(syria))
    return sorted(services.findings_json(outcome.findings).splitlines())


def test_fields_outside_the_judged_ones_change_no_finding(syria: Scenario) -> None:
    incidents = services.bundled_incidents(syria)
    other = {f.name for f in dataclasses.fields(Incident)} - JUDGED_FIELDS - {"id"}
    assert other == {
        "submitted_by",
        "fatalities",
        "civilian_fatalities",
        "injured",
        "sources",
    }, "a new field of incident.v1: is it judged? add it to JUDGED_FIELDS if so"
    changed = tuple(
        dataclasses.replace(
            i,
            submitted_by="someone else",
            fatalities=Toll(99, 99, 120),
            civilian_fatalities=Toll(1, 1, 1),
            injured=None,
            sources=(Source("another-document", publisher="Another"),),
        )
        for i in incidents
    )
    assert _findings(syria, changed) == _findings(syria, incidents)


def test_a_judged_field_does_change_findings(syria: Scenario) -> None:
    incidents = services.bundled_incidents(syria)
    moved = tuple(
        dataclasses.replace(i, perpetrator=dataclasses.replace(i.perpetrator, actor=None))
        for i in incidents
    )
    assert _findings(syria, moved) != _findings(syria, incidents)
