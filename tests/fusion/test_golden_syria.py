"""Golden: the real UCDP GED events of 12-19 September 2016 (../shared) fused with the
bundled syria-2016 incidents, which carry UCDP's September 2016 events as records of
their own plus hand-written public-record incidents that fold in UCDP rows."""

from __future__ import annotations

import csv
from functools import cache

import pytest

from ceasewatch import services
from ceasewatch.agreement.sources import load_bundled
from ceasewatch.fusion import Cluster, FusionSettings, Report, fuse
from ceasewatch.incidents.model import Incident
from ceasewatch.ingest import ucdp
from ceasewatch.ingest.context import default_context
from ceasewatch.ingest.keywords import AIR_FORCES
from ceasewatch.ingest.result import Mapped
from tests.conftest import shared_path

CONVOY = "public-2016-09-19-urum-al-kubra-convoy"
DEIR_EZ_ZOR = "public-2016-09-17-deir-ez-zor-coalition-strike"


@cache
def settings() -> FusionSettings:
    world = load_bundled("syria-2016").world
    blocs = {a.id: frozenset(a.members) for a in world.actors if a.kind == "bloc"}
    return FusionSettings(blocs=blocs, air_forces=AIR_FORCES)


def bundled() -> list[Report]:
    """The bundled records: UCDP's rows are rows of the UCDP dataset (they cite
    ``ucdp-ged:<id>`` as the importer's records do); the rest were written by hand."""
    out = []
    for inc in services.bundled_incidents(load_bundled("syria-2016")):
        if inc.id.startswith("ucdp-ged-"):
            out.append(Report(inc, "ucdp", "dataset"))
        else:
            out.append(Report(inc, "ceasewatch-bundle", "monitor"))
    return out


@cache
def real_week() -> tuple[Incident, ...]:
    path = shared_path("data/ucdp-ged-syria/ged191_syria_20160101-20191130.csv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if "2016-09-12" <= r["date_start"] <= "2016-09-19"]
    ctx = default_context()
    mapped = [ucdp.map_row(r, ctx) for r in rows]
    assert all(isinstance(m, Mapped) for m in mapped)
    return tuple(m.incident for m in mapped if isinstance(m, Mapped))


@pytest.fixture(scope="module")
def clusters() -> list[Cluster]:
    reports = bundled() + [Report(i, "ucdp", "dataset") for i in real_week()]
    return fuse(reports, settings=settings())


def cluster_of(clusters: list[Cluster], member: str) -> Cluster:
    [found] = [c for c in clusters if member in c.members]
    return found


def test_the_real_week_is_the_109_events_ucdp_codes(clusters: list[Cluster]) -> None:
    assert len(real_week()) == 109


def test_the_urum_al_kubra_convoy_becomes_one_incident_with_both_sources(
    clusters: list[Cluster],
) -> None:
    convoy = cluster_of(clusters, CONVOY)
    assert convoy.members == (CONVOY, "ucdp:301214")
    assert convoy.incident.id == CONVOY
    docs = [s.document_id for s in convoy.incident.sources]
    assert docs == ["ucdp-ged:301214", "public:un-coi-syria-2017-03"]
    assert convoy.incident.fatalities is not None and convoy.incident.fatalities.best == 21
    assert convoy.reasons[0].startswith(
        f"{CONVOY} and ucdp:301214: same day 2016-09-19, 0.0 km apart"
    )
    assert convoy.incident.confidence == "fair"


def test_the_deir_ez_zor_strike_takes_in_the_row_it_folds_in(clusters: list[Cluster]) -> None:
    strike = cluster_of(clusters, DEIR_EZ_ZOR)
    assert strike.members == (DEIR_EZ_ZOR, "ucdp:227936")
    assert strike.incident.perpetrator.actor == "us-coalition"
    assert strike.incident.confidence == "confirmed"  # CENTCOM acknowledged it


def test_each_real_row_joins_its_bundled_twin_and_no_incident_holds_two_rows(
    clusters: list[Cluster],
) -> None:
    bundled_ids = {r.id for r in bundled()}
    for inc in real_week():
        row = inc.id.removeprefix("ucdp:")
        c = cluster_of(clusters, inc.id)
        twin = f"ucdp-ged-{row}"
        if twin in bundled_ids:
            assert set(c.members) == {twin, inc.id}, c.reasons
    for c in clusters:
        rows = {s.document_id for s in c.incident.sources if s.document_id.startswith("ucdp-ged:")}
        assert len(rows) <= 1, c.members


def test_nothing_is_counted_twice(clusters: list[Cluster]) -> None:
    # every event of the bundle once; the real week adds no event the bundle lacks
    assert len(clusters) == len(fuse(bundled(), settings=settings()))


def test_fusing_the_bundled_file_with_itself_duplicates_nothing() -> None:
    once = fuse(bundled(), settings=settings())
    twice = fuse(bundled() + bundled(), settings=settings())
    assert [c.members for c in twice] == [c.members for c in once]


def test_the_seed_chlorine_attack_is_found_in_ucdp(clusters: list[Cluster]) -> None:
    chlorine = cluster_of(clusters, "seed-2016-09-06-aleppo-chlorine")
    assert chlorine.members == ("seed-2016-09-06-aleppo-chlorine", "ucdp-ged-301230")
    al_sukkari = cluster_of(clusters, "seed-2016-09-07-al-sukkari")
    assert al_sukkari.members == ("seed-2016-09-07-al-sukkari",)  # one article, two events
