"""The pure mappers: one source record in, an incident / a rejection / a skip out."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasewatch.incidents import codec
from ceasewatch.ingest import acled, gdelt, records, syrian_archive, ucdp
from ceasewatch.ingest.result import Mapped, Rejected, Skipped
from tests.ingest.rows import acled_row, archive_row, gdelt_row, ucdp_row


def mapped(outcome: object) -> Mapped:
    assert isinstance(outcome, Mapped), outcome
    return outcome


def rejected_fields(outcome: object) -> set[str]:
    assert isinstance(outcome, Rejected), outcome
    return {i.field for i in outcome.issues}


# ---------------------------------------------------------------------------- UCDP
def test_ucdp_convoy_row_becomes_a_published_air_strike_by_the_government(ctx) -> None:
    inc = mapped(ucdp.map_row(ucdp_row(), ctx)).incident
    assert inc.id == "ucdp:301214"
    assert (inc.event_type, inc.sub_event_type) == (
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert inc.method == ("airstrike",)
    assert inc.status == "published"
    assert inc.perpetrator.actor == "sy-gov" and inc.perpetrator.attribution == "reported"
    assert inc.target is not None and inc.target.actor == "civilians"
    assert inc.fatalities is not None and inc.fatalities.best == 21
    assert inc.occurred.start == inc.occurred.end == dt.date(2016, 9, 19)
    assert inc.location.precision == "town" and inc.location.country == "SY"
    src = inc.sources[0]
    assert src.document_id == "ucdp-ged:301214"
    assert src.published == dt.date(2016, 9, 20) and src.attributed_to == "SOHR; Airwars"
    assert src.quote is None  # headlines are searched, never copied


@pytest.mark.parametrize(
    ("where_prec", "precision"),
    [("1", "town"), ("2", "district"), ("3", "district"), ("4", "province"), ("6", "country")],
)
def test_ucdp_where_prec_sets_location_precision(ctx, where_prec, precision) -> None:
    inc = mapped(ucdp.map_row(ucdp_row(where_prec=where_prec), ctx)).incident
    assert inc.location.precision == precision


def test_ucdp_neighbourhood_names_refine_exact_places(ctx) -> None:
    row = ucdp_row(where_coordinates="Sukkari neighbourhood")
    assert mapped(ucdp.map_row(row, ctx)).incident.location.precision == "neighbourhood"


@pytest.mark.parametrize(
    ("date_prec", "precision"), [("1", "day"), ("2", "week"), ("4", "month"), ("5", "year")]
)
def test_ucdp_date_prec_sets_date_precision(ctx, date_prec, precision) -> None:
    row = ucdp_row(date_prec=date_prec, date_end="2016-09-25")
    inc = mapped(ucdp.map_row(row, ctx)).incident
    assert inc.occurred.precision == precision
    assert inc.occurred.end == dt.date(2016, 9, 25)


def test_ucdp_unknown_codes_are_kept_with_warnings(ctx) -> None:
    got = mapped(ucdp.map_row(ucdp_row(type_of_violence="9", where_prec="8"), ctx))
    assert (got.incident.event_type, got.incident.sub_event_type) == (
        "Strategic developments",
        "Other",
    )
    assert got.incident.location.precision == "country"
    assert {w.field for w in got.warnings} == {"type_of_violence", "where_prec"}


def test_ucdp_inverted_toll_is_widened_with_a_warning(ctx) -> None:
    got = mapped(ucdp.map_row(ucdp_row(low="5", best="3", high="2"), ctx))
    assert got.incident.fatalities is not None
    assert (got.incident.fatalities.low, got.incident.fatalities.high) == (3, 3)
    assert len(got.warnings) == 2


def test_ucdp_mixed_coalitions_resolve_to_no_actor(ctx) -> None:
    row = ucdp_row(side_a="Ahrar al-Sham, HTS, Southern Front", type_of_violence="1")
    inc = mapped(ucdp.map_row(row, ctx)).incident
    assert inc.perpetrator.text == "Ahrar al-Sham, HTS, Southern Front"
    assert inc.perpetrator.actor is None
    agreeing = ucdp_row(side_a="Ahrar al-Sham, Fatah Halab", type_of_violence="1")
    assert mapped(ucdp.map_row(agreeing, ctx)).incident.perpetrator.actor == "opposition"


def test_ucdp_every_bad_field_is_named_at_once(ctx) -> None:
    row = ucdp_row(date_start="2016-13-40", latitude="north", best="-3")
    assert rejected_fields(ucdp.map_row(row, ctx)) == {"date_start", "latitude", "best"}


def test_ucdp_other_countries_are_skipped(ctx) -> None:
    assert isinstance(ucdp.map_row(ucdp_row(country="Iraq"), ctx), Skipped)


# ---------------------------------------------------------------------------- ACLED
def test_acled_row_maps_vocabulary_actor_and_conservative_toll(ctx) -> None:
    inc = mapped(acled.map_row(acled_row(), ctx)).incident
    assert inc.id == "acled:SYR90001"
    assert inc.method == ("shelling",)
    assert inc.perpetrator.actor == "sy-gov"
    assert inc.target is not None and inc.target.actor == "civilians"
    assert inc.fatalities is not None
    assert (inc.fatalities.low, inc.fatalities.best, inc.fatalities.high) == (2, 2, None)
    assert inc.occurred.start == dt.date(2020, 5, 3)
    assert inc.sources[0].published == dt.date(2020, 5, 12)
    assert "placeholder" not in repr(inc)  # notes never copied


@pytest.mark.parametrize(
    ("tp", "start", "end", "precision"),
    [
        ("1", "2020-05-13", "2020-05-13", "day"),
        ("2", "2020-05-10", "2020-05-16", "week"),
        ("3", "2020-05-01", "2020-05-31", "month"),
    ],
)
def test_acled_time_precision_gives_the_date_range(ctx, tp, start, end, precision) -> None:
    inc = mapped(acled.map_row(acled_row(event_date="13-May-20", time_precision=tp), ctx)).incident
    assert inc.occurred.start.isoformat() == start and inc.occurred.end.isoformat() == end
    assert inc.occurred.precision == precision


@pytest.mark.parametrize(("gp", "precision"), [("1", "town"), ("2", "district"), ("3", "province")])
def test_acled_geo_precision(ctx, gp, precision) -> None:
    inc = mapped(acled.map_row(acled_row(geo_precision=gp), ctx)).incident
    assert inc.location.precision == precision


@pytest.mark.parametrize(
    ("actor", "actor_id"),
    [
        ("Military Forces of Syria (2000-) Air Force Intelligence Directorate", "sy-gov"),
        ("QSD: Syrian Democratic Forces", "sdf"),
        ("Islamic State (Syria)", "isis"),
        ("AAS: Ahrar al Sham", "opposition"),
        ("Global Coalition Against Daesh", "us-coalition"),
        ("Unidentified Armed Group (Syria)", None),
    ],
)
def test_acled_actor_names_resolve_through_scenario_aliases(ctx, actor, actor_id) -> None:
    inc = mapped(acled.map_row(acled_row(actor1=actor), ctx)).incident
    assert inc.perpetrator.actor == actor_id
    assert inc.perpetrator.text == actor


def test_acled_peaceful_protests_are_skipped_and_force_on_protesters_kept(ctx) -> None:
    peaceful = acled_row(event_type="Protests", sub_event_type="Peaceful protest")
    assert isinstance(acled.map_row(peaceful, ctx), Skipped)
    force = acled_row(event_type="Protests", sub_event_type="Excessive force against protesters")
    inc = mapped(acled.map_row(force, ctx)).incident
    assert (inc.event_type, inc.sub_event_type) == ("Violence against civilians", "Attack")


def test_acled_unknown_vocabulary_is_kept_as_other_with_a_warning(ctx) -> None:
    got = mapped(acled.map_row(acled_row(event_type="Skirmish", sub_event_type="Raid"), ctx))
    assert (got.incident.event_type, got.incident.sub_event_type) == (
        "Strategic developments",
        "Other",
    )
    assert [w.value for w in got.warnings] == ["Skirmish / Raid"]


@pytest.mark.parametrize("bad", ["2020-02-30", "yesterday", "32-May-20", ""])
def test_acled_bad_dates_are_rejected(ctx, bad) -> None:
    assert rejected_fields(acled.map_row(acled_row(event_date=bad), ctx)) == {"event_date"}


def test_points_outside_the_country_or_swapped_are_rejected_not_fixed(ctx) -> None:
    # Deir ez-Zor (35.33 N, 40.14 E) with the columns swapped
    swapped = acled.map_row(acled_row(latitude="40.14", longitude="35.33"), ctx)
    assert isinstance(swapped, Rejected)
    assert "swapped" in swapped.issues[0].message
    paris = acled.map_row(acled_row(latitude="48.85", longitude="2.35"), ctx)
    assert isinstance(paris, Rejected)
    assert "outside Syria" in paris.issues[0].message


# ---------------------------------------------------------------------------- GDELT
def test_gdelt_aerial_weapons_event_maps_to_an_air_strike(ctx) -> None:
    inc = mapped(gdelt.map_row(gdelt_row(), ctx)).incident
    assert inc.id == "gdelt:585000001"
    assert (inc.event_type, inc.sub_event_type, inc.method) == (
        "Explosions/Remote violence",
        "Air/drone strike",
        ("airstrike",),
    )
    assert inc.perpetrator.actor == "sy-gov" and inc.perpetrator.text == "SYRIA"
    assert inc.location.precision == "town"
    assert inc.sources[0].url == "https://www.example.org/news/aleppo-strike"
    assert inc.sources[0].publisher == "example.org"
    assert inc.sources[0].published == dt.date(2016, 9, 20)


@pytest.mark.parametrize(
    ("code", "sub"),
    [
        ("1831", "Suicide bomb"),
        ("181", "Abduction/forced disappearance"),
        ("194", "Shelling/artillery/missile attack"),
        ("2041", "Chemical weapon"),
        ("193", "Armed clash"),
    ],
)
def test_gdelt_cameo_codes(ctx, code, sub) -> None:
    row = gdelt_row(EventCode=code, EventBaseCode=code[:3], EventRootCode=code[:2])
    assert mapped(gdelt.map_row(row, ctx)).incident.sub_event_type == sub


def test_gdelt_unknown_sub_code_falls_back_to_its_parent_with_a_warning(ctx) -> None:
    got = mapped(gdelt.map_row(gdelt_row(EventCode="1959"), ctx))
    assert got.incident.sub_event_type == "Air/drone strike"
    assert got.warnings and got.warnings[0].field == "EventCode"


def test_gdelt_non_violent_and_foreign_events_are_skipped(ctx) -> None:
    talks = gdelt_row(EventCode="043", EventBaseCode="043", EventRootCode="04")
    assert isinstance(gdelt.map_row(talks, ctx), Skipped)
    assert isinstance(gdelt.map_row(gdelt_row(ActionGeo_CountryCode="IZ"), ctx), Skipped)


def test_gdelt_rebels_by_actor_type(ctx) -> None:
    row = gdelt_row(Actor1Code="SYRREB", Actor1Name="SYRIA", Actor1Type1Code="REB")
    assert mapped(gdelt.map_row(row, ctx)).incident.perpetrator.actor == "opposition"


# ---------------------------------------------------------------------------- Syrian Archive
def test_archive_reports_are_proposed_unless_the_context_says_otherwise(ctx) -> None:
    inc = mapped(syrian_archive.map_row(archive_row(), ctx)).incident
    assert inc.id == "syrian-archive:AL_test1"
    assert inc.status == "proposed"
    assert inc.sub_event_type == "Air/drone strike"  # keyword in the description
    assert inc.location.precision == "neighbourhood"
    assert "market" not in repr(inc)  # the description is never copied
    published = syrian_archive.map_row(archive_row(), ctx.with_status("published"))
    assert mapped(published).incident.status == "published"


def test_archive_russian_attacks_are_alleged_against_civilians(ctx) -> None:
    row = archive_row(Violation_Type="Alleged civilian casualties from Russian attacks")
    inc = mapped(syrian_archive.map_row(row, ctx)).incident
    assert inc.perpetrator.actor == "ru" and inc.perpetrator.attribution == "alleged"
    assert inc.target is not None and inc.target.actor == "civilians"


def test_archive_without_coordinates_is_placed_by_neighbourhood_then_city(ctx) -> None:
    by_place = archive_row(Latitude="NA", Longitude="NA", City="HAMA", Neighborhood="KafrZita")
    inc = mapped(syrian_archive.map_row(by_place, ctx)).incident
    assert inc.location.precision == "town"
    assert inc.location.lat == pytest.approx(35.374, abs=0.01)
    by_city = archive_row(Latitude="NA", Longitude="NA", City="IDLIB", Neighborhood="Nowhere")
    assert mapped(syrian_archive.map_row(by_city, ctx)).incident.location.precision == "province"
    nowhere = archive_row(Latitude="NA", Longitude="NA", City="NA", Neighborhood="NA")
    assert rejected_fields(syrian_archive.map_row(nowhere, ctx)) == {"Latitude/Longitude"}


def test_archive_weapons(ctx) -> None:
    chem = mapped(syrian_archive.map_row(archive_row(Weapons_Used="Chlorine Gas"), ctx))
    assert chem.incident.method == ("chemical",)
    odd = mapped(
        syrian_archive.map_row(archive_row(Weapons_Used="Slingshot", Description="x"), ctx)
    )
    assert odd.incident.method == ("other",)
    assert odd.warnings[0].field == "Weapons_Used"


# ---------------------------------------------------------------------------- incident.v1
def test_incident_records_validate_and_keep_their_status(ctx, syria) -> None:
    from ceasewatch import services

    one = services.bundled_incidents(syria)[0]
    got = mapped(records.map_record(codec.to_json(one), ctx)).incident
    assert got == one
    forced = records.map_record(codec.to_json(one), ctx.with_status("rejected"))
    assert mapped(forced).incident.status == "rejected"
    assert rejected_fields(records.map_record({"id": "x"}, ctx)) >= {"event_type", "occurred"}


def test_geojson_features_nested_and_flat(ctx) -> None:
    flat = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [37.14, 36.17]},
        "properties": {
            "id": "f-1",
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Air/drone strike",
            "start": "2016-09-07",
            "location_precision": "neighbourhood",
            "method": "airstrike",
        },
    }
    inc = mapped(records.map_feature(flat, ctx)).incident
    assert (inc.id, inc.location.lat, inc.location.lon) == ("f-1", 36.17, 37.14)
    assert inc.method == ("airstrike",)
    polygon = dict(flat, geometry={"type": "Polygon", "coordinates": []})
    assert rejected_fields(records.map_feature(polygon, ctx)) == {"geometry.type"}
    unknown = dict(flat, properties={**flat["properties"], "colour": "red"})
    assert rejected_fields(records.map_feature(unknown, ctx)) == {"properties"}
