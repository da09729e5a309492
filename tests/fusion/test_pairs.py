"""The pair rules, one by one: what lets two reports be one event, and what never does."""

from __future__ import annotations

import pytest

from ceasewatch.fusion import FusionSettings
from ceasewatch.fusion.compat import event_affinity
from ceasewatch.fusion.pairs import Blocked, Evidence, evaluate_pair, prepare
from ceasewatch.fusion.report import Report
from ceasewatch.incidents.model import EVENT_TYPES
from tests.fusion.factory import report

SETTINGS = FusionSettings(
    blocs={"pro-government": frozenset({"sy-gov", "ru"})},
    air_forces=frozenset({"sy-gov", "ru", "us-coalition"}),
)


def pair(a: Report, b: Report, settings: FusionSettings = SETTINGS) -> Evidence | Blocked:
    return evaluate_pair(prepare(0, a, settings, {}), prepare(1, b, settings, {}), settings)


def evidence(a: Report, b: Report) -> Evidence:
    got = pair(a, b)
    assert isinstance(got, Evidence), got
    return got


def blocked(a: Report, b: Report) -> Blocked:
    got = pair(a, b)
    assert isinstance(got, Blocked), got
    return got


def test_the_same_report_twice_scores_full_marks() -> None:
    assert evidence(report("a"), report("b")).score == 1.0


def test_the_result_does_not_depend_on_the_order_of_the_two() -> None:
    a = report("a", deaths=5, name="Deir ez-Zor")
    b = report("b", deaths=7, name="Dayr az Zawr", at=(36.16, 36.95), day="2016-09-18")
    ab, ba = evidence(a, b), evidence(b, a)
    assert (ab.score, ab.sentence()) == (ba.score, ba.sentence())


def test_a_month_dated_report_overlaps_every_day_of_its_month() -> None:
    month = report("m", day="2016-09-01", date_precision="month")
    assert evidence(month, report("d", day="2016-09-30")).gap_days <= 0
    assert blocked(month, report("o", day="2016-10-02")).rule == "date"


def test_day_dated_reports_a_day_apart_are_within_the_slack_two_days_are_not() -> None:
    e = evidence(report("a", day="2016-09-18"), report("b", day="2016-09-19"))
    assert e.gap_days == 1 and "within the 1-day slack" in e.sentence()
    assert blocked(report("a", day="2016-09-17"), report("b", day="2016-09-19")).rule == "date"
    no_slack = FusionSettings(max_date_slack_days=0)
    assert isinstance(pair(report("a", day="2016-09-18"), report("b"), no_slack), Blocked)


@pytest.mark.parametrize(
    ("precision", "km", "apart"),
    [("town", 9.0, False), ("town", 11.0, True), ("district", 45.0, False), ("exact", 2.5, True)],
)
def test_points_may_be_as_far_apart_as_both_precision_radii_together(
    precision: str, km: float, apart: bool
) -> None:
    lat = 36.1481 + km / 111.195  # due north
    a = report("a", precision=precision)
    b = report("b", precision=precision, at=(lat, 36.94775))
    assert isinstance(pair(a, b), Blocked) is apart


def test_one_sided_violence_and_an_air_strike_may_be_one_event_a_riot_and_a_battle_never() -> None:
    vac = report("u", event=("Violence against civilians", "Attack"), method=())
    air = report("a", event=("Explosions/Remote violence", "Air/drone strike"))
    assert "(close)" in evidence(vac, air).sentence()
    riot = report("r", event=("Riots", "Mob violence"), method=(), perpetrator=None)
    clash = report("c", event=("Battles", "Armed clash"), method=(), perpetrator=None)
    assert blocked(riot, clash).rule == "event"


def test_the_event_table_is_symmetric_and_every_coding_matches_itself() -> None:
    codings = [(e, s) for e, subs in EVENT_TYPES.items() for s in subs]
    for a in codings:
        assert event_affinity(*a, *a) == 1.0
        for b in codings:
            assert event_affinity(*a, *b) == event_affinity(*b, *a)


def test_perpetrators_agree_are_unknown_share_a_bloc_or_conflict() -> None:
    assert evidence(report("a"), report("b")).actors == "same"
    assert evidence(report("a"), report("b", perpetrator=None)).actors == "unknown"
    assert evidence(report("a"), report("b", perpetrator="ru")).actors == "bloc"
    assert blocked(report("a"), report("b", perpetrator="isis", method=())).rule == "actors"


def test_unresolved_names_in_two_vocabularies_are_not_a_conflict() -> None:
    a = report("a", perpetrator=None, perpetrator_text="Syrian Arab Army")
    b = report("b", perpetrator=None, perpetrator_text="Military Forces of Syria (2000-)")
    assert evidence(a, b).actors == "unknown"


def test_in_a_battle_the_sides_may_be_named_the_other_way_round() -> None:
    clash = ("Battles", "Armed clash")
    a = report("a", event=clash, method=(), perpetrator="sy-gov", target="isis")
    b = report("b", event=clash, method=(), perpetrator="isis", target="sy-gov")
    assert evidence(a, b).actors == "reversed"
    strike = report("s", perpetrator="isis", target="sy-gov", method=())
    plain = report("p", perpetrator="sy-gov", target="isis", method=())
    assert blocked(strike, plain).rule == "actors"  # not a battle: who struck matters


def test_an_air_strike_is_never_one_event_with_a_report_naming_a_side_without_aircraft() -> None:
    air = report("a", perpetrator=None)
    shelling = report(
        "b",
        perpetrator="opposition",
        event=("Explosions/Remote violence", "Shelling/artillery/missile attack"),
        method=("shelling",),
    )
    assert "has no aircraft" in blocked(air, shelling).why
    assert isinstance(pair(air, shelling, FusionSettings()), Evidence)  # rule off by default


def test_one_document_telling_of_two_passages_tells_of_two_events() -> None:
    from dataclasses import replace

    from ceasewatch.incidents.model import Source

    def cited(rid: str, start: int) -> Report:
        r = report(rid)
        src = Source(document_id="cnn:1", publisher="CNN", start=start, end=start + 50)
        return replace(r, incident=replace(r.incident, sources=(src,)))

    assert blocked(cited("a", 0), cited("b", 100)).rule == "document"
    assert evidence(cited("a", 0), cited("b", 0)).shared == ("cnn:1",)


def test_alternate_spellings_of_a_place_count_as_the_same_name() -> None:
    a = report("a", name="Deir ez-Zor")
    assert evidence(a, report("b", name="Dayr az Zawr")).name == 1.0
    assert evidence(a, report("c", name="Deir al-Zour")).name == 1.0
    assert evidence(a, report("d", name="Aleppo")).name < 0.5


def test_far_apart_tolls_lower_the_score_close_ones_do_not() -> None:
    base = report("a", deaths=21)
    close = evidence(base, report("b", deaths=20)).score
    far = evidence(base, report("c", deaths=2)).score
    assert close > far
    assert "far apart" in evidence(base, report("c", deaths=2)).sentence()


def test_coarse_reports_count_for_less_than_precise_ones() -> None:
    town = evidence(report("a"), report("b")).score
    province = evidence(report("a", precision="province"), report("b", precision="province"))
    assert province.score < town


def test_two_names_a_gazetteer_gives_one_place_are_alike_whatever_the_spelling() -> None:
    from dataclasses import replace

    from ceasewatch.fusion.names import place_index

    a = report("a", name="Halab Governorate")
    b = report("b", name="Aleppo")
    plain = evidence(a, b)
    assert plain.name is not None and plain.name < 0.5  # no spelling rule bridges them
    places = place_index([("SY02", ["Aleppo", "Halab", "Aleppo governorate"])])
    known = pair(a, b, replace(SETTINGS, place_names=places))
    assert isinstance(known, Evidence) and known.name == 1.0 and known.score > plain.score
    other = pair(a, report("c", name="Homs"), replace(SETTINGS, place_names=places))
    assert isinstance(other, Evidence) and other.name is not None and other.name < 0.5
