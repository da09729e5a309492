"""Choosing from the store: every filter keeps exactly what the same test in Python keeps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import shapely

from ceasewatch import services
from ceasewatch.agreement.model import Scenario
from ceasewatch.errors import UsageError
from ceasewatch.exports import select
from ceasewatch.incidents.model import Incident
from ceasewatch.store import db, repository
from tests.exports.made import NOW, incident


@pytest.fixture(scope="module")
def store(
    syria: Scenario, tmp_path_factory: pytest.TempPathFactory
) -> tuple[object, list[Incident]]:
    """The bundled incidents plus a proposed and a rejected one, with their findings."""
    made = [
        incident(id="t-proposed", status="proposed"),
        incident(id="t-rejected", status="rejected"),
    ]
    incidents = [*services.bundled_incidents(syria), *made]
    engine = db.open_store(f"sqlite:///{tmp_path_factory.mktemp('store') / 'x.db'}")
    repository.save_scenario(engine, syria, NOW)
    repository.save_incidents(engine, incidents)
    repository.replace_findings(engine, services.run(syria, incidents, None).findings)
    return engine, incidents


def ids(items: object) -> list[str]:
    return [i.id for i in items]  # type: ignore[attr-defined]


def test_rejected_incidents_stay_out_unless_asked_for(store: tuple) -> None:
    engine, incidents = store
    assert ids(select.incidents(engine, select.Filters())) == sorted(
        i.id for i in incidents if i.status != "rejected"
    )
    assert ids(select.incidents(engine, select.Filters(status="rejected"))) == ["t-rejected"]
    assert ids(select.incidents(engine, select.Filters(status="proposed"))) == sorted(
        i.id for i in incidents if i.status == "proposed"
    )


def test_dates_keep_incidents_whose_range_meets_the_window(store: tuple) -> None:
    engine, incidents = store
    lo, hi = dt.date(2016, 9, 12), dt.date(2016, 9, 19)
    got = ids(select.incidents(engine, select.Filters(start=lo, end=hi)))
    want = sorted(
        i.id for i in incidents
        if i.status != "rejected" and i.occurred.end >= lo and i.occurred.start <= hi
    )  # fmt: skip
    assert got == want and 0 < len(got) < len(incidents)


def test_event_type_and_bbox(store: tuple) -> None:
    engine, incidents = store
    box = (36.9, 36.0, 37.4, 36.4)
    got = ids(select.incidents(engine, select.Filters(event_type="Battles", bbox=box)))
    want = sorted(
        i.id for i in incidents
        if i.status != "rejected" and i.event_type == "Battles"
        and box[0] <= i.location.lon <= box[2] and box[1] <= i.location.lat <= box[3]
    )  # fmt: skip
    assert got == want and got


def test_zone_keeps_points_the_zone_covers(store: tuple, syria: Scenario) -> None:
    engine, incidents = store
    zone = select.zone_shape([syria], "aleppo-city")
    got = ids(select.incidents(engine, select.Filters(zone=zone)))
    want = sorted(
        i.id for i in incidents
        if i.status != "rejected" and zone.covers(shapely.Point(i.location.lon, i.location.lat))
    )  # fmt: skip
    assert got == want and got


def test_agreement_and_verdict_select_findings_and_their_incidents(store: tuple) -> None:
    engine, incidents = store
    f = select.Filters(agreement="sep-2016-arrangement", verdict="violation")
    findings = list(select.findings(engine, f))
    assert findings and all(
        x.agreement_id == "sep-2016-arrangement" and x.verdict == "violation" for x, _ in findings
    )
    assert all(x.incident_id == i.id for x, i in findings)
    assert ids(select.incidents(engine, f)) == sorted({x.incident_id for x, _ in findings})


def test_findings_follow_the_incident_filters(store: tuple) -> None:
    engine, _ = store
    day = dt.date(2016, 9, 19)
    pairs = list(select.findings(engine, select.Filters(start=day, end=day)))
    assert pairs and all(i.occurred.start <= day <= i.occurred.end for _, i in pairs)
    assert all(i.status != "rejected" for _, i in pairs)


def test_generators_read_lazily_from_one_cursor(store: tuple) -> None:
    engine, incidents = store
    it = select.incidents(engine, select.Filters())
    first = next(it)
    assert first.id == min(i.id for i in incidents)
    it.close()  # closing early releases the connection


@pytest.mark.parametrize(
    ("text", "needle"),
    [("1,2,3", "four numbers"), ("37,36,36,37", "west <= east"), ("a,b,c,d", "four numbers")],
)
def test_bad_bbox_says_what_to_write(text: str, needle: str) -> None:
    with pytest.raises(UsageError, match=needle):
        select.parse_bbox(text)


def test_unknown_zone_and_agreement_suggest_the_closest(store: tuple, syria: Scenario) -> None:
    engine, _ = store
    with pytest.raises(UsageError, match="did you mean 'aleppo-east'"):
        select.zone_shape([syria], "aleppo-est")
    with pytest.raises(UsageError, match="did you mean 'coh-2016-02'"):
        select.stored_scenarios(engine, "coh-2016-2")


def test_lookups_name_governorates_and_actors(syria: Scenario) -> None:
    lk = select.lookups([syria])
    assert lk.admin("SY02") == "Aleppo" and lk.admin("SY0200") == "Jebel Saman"
    assert lk.actor_kinds["sy-gov"] == "state"


def test_date_range_of_an_empty_store(tmp_path: Path) -> None:
    engine = db.open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    assert select.date_range(engine) is None
    engine.dispose()
