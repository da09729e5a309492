"""Our ACLED and UCDP exports read back through our own importers (branch ``ingest``):
what the columns can carry comes back, and a second round trip changes nothing."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from ceasewatch import exports
from ceasewatch.agreement.model import Scenario
from ceasewatch.exports import select
from ceasewatch.incidents.model import Incident

acled_in = pytest.importorskip("ceasewatch.ingest.acled", reason="needs the ACLED importer")
ucdp_in = pytest.importorskip("ceasewatch.ingest.ucdp", reason="needs the UCDP importer")
context = pytest.importorskip("ceasewatch.ingest.context")
result = pytest.importorskip("ceasewatch.ingest.result")

TOWN = {"exact": "town", "neighbourhood": "town", "town": "town", "district": "district",
        "province": "province", "country": "province"}  # fmt: skip


def through(fmt: str, mapper: Any, incidents: list[Incident], scenario: Scenario) -> list[Incident]:
    """Export as ``fmt``, read the CSV back and map every row with the importer."""
    data = b"".join(exports.chunks("incidents", fmt, incidents, select.lookups([scenario])))
    ctx = context.Context.from_scenario(scenario)
    out = []
    for row in csv.DictReader(io.StringIO(data.decode())):
        mapped = mapper(row, ctx)
        assert isinstance(mapped, result.Mapped), (row, mapped)
        out.append(mapped.incident)
    return out


@pytest.fixture(scope="module")
def bundled(syria: Scenario) -> list[Incident]:
    from ceasewatch.services import bundled_incidents

    return list(bundled_incidents(syria))


def test_acled_round_trip(bundled: list[Incident], syria: Scenario) -> None:
    back = through("acled-csv", acled_in.map_row, bundled, syria)
    assert len(back) == len(bundled)
    for before, after in zip(bundled, back, strict=True):
        assert after.id == f"acled:{before.id}"
        assert (after.event_type, after.sub_event_type) == (
            before.event_type,
            before.sub_event_type,
        )
        assert (after.location.lat, after.location.lon) == (
            before.location.lat,
            before.location.lon,
        )
        assert after.location.precision == TOWN[before.location.precision]
        assert after.location.name == before.location.name
        assert (
            after.occurred.start
            <= before.occurred.start
            <= before.occurred.end
            <= after.occurred.end
        )
        assert after.perpetrator.text == before.perpetrator.text
        best = before.fatalities.best if before.fatalities and before.fatalities.best is not None else (
            before.fatalities.low if before.fatalities else None)  # fmt: skip
        assert after.fatalities is not None and after.fatalities.best == (best or 0)
    again = through("acled-csv", acled_in.map_row, back, syria)
    assert again == back  # a fixed point after one pass


def test_ucdp_round_trip(bundled: list[Incident], syria: Scenario) -> None:
    back = through("ucdp-csv", ucdp_in.map_row, bundled, syria)
    assert len(back) == len(bundled)
    for before, after in zip(bundled, back, strict=True):
        assert after.id == f"ucdp:{before.id}"
        assert (after.occurred.start, after.occurred.end) == (
            before.occurred.start,
            before.occurred.end,
        )
        assert (after.location.lat, after.location.lon) == (
            before.location.lat,
            before.location.lon,
        )
        assert after.perpetrator.text == before.perpetrator.text
        if before.fatalities is not None:
            assert after.fatalities is not None
            assert (after.fatalities.low, after.fatalities.high) == (
                before.fatalities.low,
                before.fatalities.high,
            )
    again = through("ucdp-csv", ucdp_in.map_row, back, syria)
    assert again == back
