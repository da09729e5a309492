"""ACLED and UCDP columns: the datasets' own names and order, and our fields mapped back."""

from __future__ import annotations

import csv
import datetime as dt

import pytest

from ceasewatch.exports import acled, flat, ucdp
from ceasewatch.exports.table import Lookups
from tests.conftest import shared_path
from tests.exports.made import incident

LOOKUPS = Lookups(
    admin_names={"SY02": "Aleppo", "SY0200": "Jebel Saman"},
    actor_names={"sy-gov": "Government of Syria", "civilians": "Civilians"},
    actor_kinds={"sy-gov": "state", "civilians": "civilians", "opposition": "armed-group",
                 "isis": "armed-group"},
)  # fmt: skip


def _header(path: str) -> list[str]:
    with shared_path(path).open(encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def test_acled_columns_are_those_of_an_acled_export_in_order() -> None:
    assert list(acled.INCIDENTS.names) == _header(
        "data/acled-format-syria-2020/acled_syria_2020-04-27_2020-05-09.csv"
    )


def test_ucdp_columns_are_those_of_ged_in_order() -> None:
    assert list(ucdp.INCIDENTS.names) == _header(
        "data/ucdp-ged-syria/ged191_syria_20160101-20191130.csv"
    )


@pytest.mark.parametrize("table", [acled.INCIDENTS, ucdp.INCIDENTS, flat.INCIDENTS])
def test_every_row_has_one_value_per_column(table: object) -> None:
    for i in (incident(), incident(target={"text": None, "actor": "civilians"}, sources=[])):
        assert len(table.row(i, LOOKUPS)) == len(table.columns)  # type: ignore[attr-defined]


def _acled(i: object) -> dict[str, object]:
    return dict(zip(acled.INCIDENTS.names, acled.row(i, LOOKUPS), strict=True))  # type: ignore[arg-type]


def _ucdp(i: object) -> dict[str, object]:
    return dict(zip(ucdp.INCIDENTS.names, ucdp.row(i, LOOKUPS), strict=True))  # type: ignore[arg-type]


def test_acled_ids_lose_our_prefix_and_keep_their_number() -> None:
    row = _acled(incident(id="acled:SYR78126"))
    assert row["event_id_cnty"] == "SYR78126" and row["event_id_no_cnty"] == 78126
    row = _acled(incident(id="seed-x"))
    assert row["event_id_cnty"] == "seed-x" and row["event_id_no_cnty"] is None


@pytest.mark.parametrize(
    ("precision", "code"),
    [
        ("exact", 1),
        ("neighbourhood", 1),
        ("town", 1),
        ("district", 2),
        ("province", 3),
        ("country", 3),
    ],
)
def test_acled_geo_precision(precision: str, code: int) -> None:
    assert _acled(incident(location={"precision": precision}))["geo_precision"] == code


def test_acled_dates_a_range_by_its_middle_day_with_time_precision() -> None:
    week = _acled(
        incident(occurred={"start": "2016-09-16", "end": "2016-09-22", "precision": "week"})
    )
    assert (week["event_date"], week["time_precision"]) == (dt.date(2016, 9, 19), 2)
    month = _acled(
        incident(occurred={"start": "2016-09-01", "end": "2016-09-30", "precision": "month"})
    )
    assert month["time_precision"] == 3 and month["year"] == 2016
    day = _acled(incident())
    assert (day["event_date"], day["time_precision"]) == (dt.date(2016, 9, 19), 1)


def test_acled_fields_from_the_incident() -> None:
    i = incident(perpetrator={"text": "Russian warplanes", "actor": "ru", "attribution": "reported"},
                 target={"text": None, "actor": "civilians"})  # fmt: skip
    row = _acled(i)
    assert row["actor1"] == "Russian warplanes"
    assert row["actor2"] == "Civilians"  # the actor's name when no text is held
    assert row["fatalities"] == 4 and row["source"] == "Monitor A"
    assert (row["country"], row["iso"], row["iso3"], row["admin1"]) == (
        "Syria",
        760,
        "SYR",
        "Aleppo",
    )
    assert row["latitude"] == i.location.lat and row["longitude"] == i.location.lon
    published = dt.datetime.fromtimestamp(row["timestamp"], dt.UTC).date()  # type: ignore[arg-type]
    assert published == i.sources[0].published


def test_acled_writes_no_prose_it_does_not_hold() -> None:
    secret = "A passage of an article that must never leave the store"
    i = incident(sources=[{"document_id": "d", "publisher": "P", "quote": secret,
                           "attributed_to": "a witness"}])  # fmt: skip
    for row in (_acled(i), _ucdp(i)):
        assert not any(secret in str(v) for v in row.values())
    assert _acled(i)["notes"] == f"ceasewatch {i.id}"


def test_unknown_perpetrator_is_blank_not_invented() -> None:
    row = _acled(incident())
    assert row["actor1"] is None and _ucdp(incident())["side_a"] is None


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"event_type": "Violence against civilians", "sub_event_type": "Attack"}, 3),
        ({"target": {"actor": "civilians"}}, 3),
        ({"perpetrator": {"actor": "opposition"}, "target": {"actor": "isis"}}, 2),
        ({"perpetrator": {"actor": "sy-gov"}, "target": {"actor": "opposition"}}, 1),
        ({}, 1),
    ],
)
def test_ucdp_type_of_violence(fields: dict[str, object], code: int) -> None:
    assert _ucdp(incident(**fields))["type_of_violence"] == code


def test_ucdp_tolls_are_blank_when_unknown_not_zero() -> None:
    row = _ucdp(incident(fatalities=None))
    assert (row["low"], row["best"], row["high"]) == (None, None, None)
    row = _ucdp(incident(fatalities={"low": 7, "best": 7, "high": None}))
    assert (row["low"], row["best"], row["high"]) == (7, 7, None)


def test_ucdp_place_and_sources() -> None:
    i = incident(id="ucdp:214797", sources=[
        {"document_id": "ucdp-ged:214797", "publisher": "UCDP GED", "attributed_to": "SOHR",
         "published": "2016-09-20"},
        {"document_id": "x", "publisher": "Monitor A", "published": "2016-09-21"}])  # fmt: skip
    row = _ucdp(i)
    assert row["id"] == "214797" and row["number_of_sources"] == 2
    assert row["source_office"] == "SOHR;Monitor A"
    assert row["source_date"] == "2016-09-20;2016-09-21"
    assert row["geom_wkt"] == f"POINT ({i.location.lon} {i.location.lat})"
    assert row["where_prec"] == 1 and row["adm_1"] == "Aleppo" and row["country_id"] == 652


def test_finding_tables_append_the_finding_to_the_dataset_columns(demo_store: tuple) -> None:
    _, outcome = demo_store
    by_id = {i.id: i for i in outcome.incidents}
    f = next(f for f in outcome.findings if f.verdict == "violation")
    for module in (acled, ucdp):
        row = dict(
            zip(
                module.FINDINGS.names,
                module.FINDINGS.row((f, by_id[f.incident_id]), LOOKUPS),
                strict=True,
            )
        )
        assert row["finding_id"] == f.id and row["verdict"] == "violation"
        assert row["reasons"] == " | ".join(f.reasons)
