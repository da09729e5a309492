"""fuse: which reports become one incident, and what the incident keeps."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ceasewatch.fusion import FusionSettings, Report, fuse
from ceasewatch.incidents.model import Occurred, Source, Toll
from tests.fusion.factory import report


def members(clusters: list) -> set[tuple[str, ...]]:  # type: ignore[type-arg]
    return {c.members for c in clusters}


def test_a_single_report_is_its_own_cluster_and_is_graded() -> None:
    [cluster] = fuse([report("a")])
    assert cluster.members == ("a",)
    assert cluster.incident.id == "a"
    assert cluster.incident.confidence == "weak"
    assert cluster.reasons[-1].startswith("weak: 1 independent origin")


def test_a_single_report_keeps_the_grade_it_came_with() -> None:
    [cluster] = fuse([report("a", confidence="fair")])
    assert cluster.incident.confidence == "fair"
    assert cluster.reasons == ()


def test_two_feeds_reporting_one_strike_become_one_incident_with_both_sources() -> None:
    a = report("ucdp:1", dataset="ucdp", deaths=21)
    b = report("acled:9", dataset="acled", at=(36.150, 36.950), deaths=(18, 20, 25))
    [cluster] = fuse([a, b])
    assert cluster.members == ("ucdp:1", "acled:9")
    assert cluster.incident.id == "ucdp:1"  # the first member in input order
    assert [s.document_id for s in cluster.incident.sources] == ["ucdp:ucdp:1", "acled:acled:9"]
    assert cluster.incident.fatalities == Toll(low=18, best=20, high=25)  # conservative best
    assert cluster.reasons[0].startswith("acled:9 and ucdp:1: same day 2016-09-19, 0.3 km apart")
    assert "both by sy-gov" in cluster.reasons[0]


@pytest.mark.parametrize(
    ("policy", "best"), [("conservative", 20), ("highest", 21), ("median", 20), ("first", 21)]
)
def test_the_toll_policy_picks_the_best_figure(policy: str, best: int) -> None:
    a = report("a", dataset="x", deaths=21)
    b = report("b", dataset="y", deaths=(18, 20, 25))
    [cluster] = fuse([a, b], settings=FusionSettings(toll_policy=policy))  # type: ignore[arg-type]
    assert cluster.incident.fatalities == Toll(low=18, best=best, high=25)


def test_an_open_ended_toll_keeps_the_range_open() -> None:
    a = report("a", dataset="x", deaths=(7, 7, None))
    b = report("b", dataset="y", deaths=(5, 6, 9))
    [cluster] = fuse([a, b])
    assert cluster.incident.fatalities == Toll(low=5, best=6, high=None)


def test_two_rows_of_one_dataset_stay_two_events() -> None:
    a = report("ucdp:1", dataset="ucdp")
    b = report("ucdp:2", dataset="ucdp")
    assert members(fuse([a, b])) == {("ucdp:1",), ("ucdp:2",)}


def test_a_report_fitting_two_rows_of_one_dataset_joins_one_and_the_reason_says_so() -> None:
    a = report("ucdp:1", dataset="ucdp", deaths=21)
    b = report("ucdp:2", dataset="ucdp", deaths=12)
    wire = report("wire:1", dataset="wire", deaths=20)
    clusters = fuse([a, b, wire])
    assert members(clusters) == {("ucdp:1", "wire:1"), ("ucdp:2",)}
    assert any(
        "ucdp:2 not joined with wire:1" in r and "two different rows of dataset 'ucdp'" in r
        for r in clusters[0].reasons
    )


def test_a_dataset_may_be_allowed_to_repeat_itself() -> None:
    a = report("gdelt:1", dataset="gdelt")
    b = report("gdelt:2", dataset="gdelt")
    settings = FusionSettings(merge_within_datasets=frozenset({"gdelt"}))
    assert members(fuse([a, b], settings=settings)) == {("gdelt:1", "gdelt:2")}


def test_one_row_imported_twice_under_two_ids_is_one_event() -> None:
    a = report("ucdp-ged-7", dataset="ucdp", document="ucdp-ged:7")
    b = report("ucdp:7", dataset="ucdp", document="ucdp-ged:7")
    [cluster] = fuse([a, b])
    assert cluster.members == ("ucdp-ged-7", "ucdp:7")
    assert [s.document_id for s in cluster.incident.sources] == ["ucdp-ged:7"]


def test_a_record_that_folds_in_a_dataset_row_stands_for_that_row() -> None:
    folded = report("manual:convoy", dataset="manual", document="ucdp-ged:301214")
    same_row = report(
        "ucdp:301214", dataset="ucdp", source_class="dataset", document="ucdp-ged:301214"
    )
    other_row = report(
        "ucdp:309244",
        dataset="ucdp",
        source_class="dataset",
        document="ucdp-ged:309244",
        at=(36.2, 36.97),
    )
    clusters = fuse([folded, other_row, same_row])
    assert members(clusters) == {("manual:convoy", "ucdp:301214"), ("ucdp:309244",)}
    alone = fuse([folded, other_row])  # the row it folds in is absent: still not this row
    assert members(alone) == {("manual:convoy",), ("ucdp:309244",)}


def test_the_same_record_given_twice_is_one_member() -> None:
    a = report("a")
    [cluster] = fuse([a, a])
    assert cluster.members == ("a",)
    assert cluster.incident.sources == a.incident.sources
    assert "a was given more than once: one report" in cluster.reasons


def test_keep_apart_is_honoured() -> None:
    a, b = report("a", dataset="x"), report("b", dataset="y")
    clusters = fuse([a, b], keep_apart=[frozenset({"a", "b"})])
    assert members(clusters) == {("a",), ("b",)}
    assert any("kept apart as asked: a and b" in r for r in clusters[0].reasons)


def test_a_report_that_fits_two_rows_equally_is_left_apart() -> None:
    u1 = report("ucdp:1", dataset="ucdp", deaths=3)
    u2 = report("ucdp:2", dataset="ucdp", deaths=3)
    wire = report("wire:1", dataset="wire", deaths=3)
    clusters = fuse([u1, u2, wire])
    assert members(clusters) == {("ucdp:1",), ("ucdp:2",), ("wire:1",)}
    [w] = [c for c in clusters if c.members == ("wire:1",)]
    assert any("ambiguous" in r for r in w.reasons)
    # a telling toll settles it
    settled = fuse(
        [u1, replace(u2, incident=replace(u2.incident, fatalities=Toll(30, 30, 30))), wire]
    )
    assert ("ucdp:1", "wire:1") in members(settled)


def test_dates_that_do_not_all_overlap_give_the_whole_span_with_a_note() -> None:
    a = report("a", dataset="x", day="2016-09-18")
    b = report("b", dataset="y", day="2016-09-19")
    [cluster] = fuse([a, b])
    occ = cluster.incident.occurred
    assert (occ.start.isoformat(), occ.end.isoformat()) == ("2016-09-18", "2016-09-19")
    assert occ.note == "the reports give 2016-09-18, 2016-09-19; the range covers them all"


def test_overlapping_dates_give_their_intersection_at_the_finest_precision() -> None:
    week = report("w", dataset="x", day="2016-09-16", end="2016-09-22", date_precision="week")
    day = report("d", dataset="y", day="2016-09-19")
    [cluster] = fuse([week, day])
    assert cluster.incident.occurred == Occurred(
        start=day.incident.occurred.start, end=day.incident.occurred.end, precision="day"
    )


def test_the_location_is_the_most_precise_reports() -> None:
    district = report("a", dataset="x", precision="district", at=(36.2, 36.9), name="Atarib")
    town = report("b", dataset="y", precision="town")
    [cluster] = fuse([district, town])
    assert cluster.incident.location == town.incident.location
    assert cluster.incident.id == "a"


def test_perpetrators_in_one_bloc_merge_with_the_conflict_noted_and_attribution_alleged() -> None:
    settings = FusionSettings(blocs={"pro-government": frozenset({"sy-gov", "ru"})})
    a = report("a", dataset="x", perpetrator="ru")
    b = report("b", dataset="y", perpetrator="sy-gov", attribution="claimed")
    [cluster] = fuse([a, b], settings=settings)
    perp = cluster.incident.perpetrator
    assert (perp.actor, perp.attribution) == ("sy-gov", "alleged")
    assert any("different perpetrators: ru, sy-gov (one bloc)" in r for r in cluster.reasons)


def test_the_agreed_or_most_specific_perpetrator_is_kept() -> None:
    unknown = report("a", dataset="x", perpetrator=None)
    named = report("b", dataset="y", perpetrator="sy-gov")
    [cluster] = fuse([unknown, named])
    assert cluster.incident.perpetrator == named.incident.perpetrator


def test_the_more_specific_event_coding_and_every_method_are_kept() -> None:
    attack = report("u", dataset="x", event=("Violence against civilians", "Attack"), method=())
    strike = report("a", dataset="y", method=("airstrike", "barrel_bomb"))
    [cluster] = fuse([attack, strike])
    inc = cluster.incident
    assert (inc.event_type, inc.sub_event_type) == (
        "Explosions/Remote violence",
        "Air/drone strike",
    )
    assert inc.method == ("airstrike", "barrel_bomb")


def test_a_passage_copied_by_two_records_is_one_source() -> None:
    src = Source(document_id="cnn:1", publisher="CNN", start=10, end=90)
    a = report("a", dataset="x")
    b = report("b", dataset="y")
    a = Report(replace(a.incident, sources=(src,)), "x", "wire")
    b = Report(replace(b.incident, sources=(replace(src, attributed_to="SOHR"),)), "y", "wire")
    [cluster] = fuse([a, b])
    assert cluster.incident.sources == (src,)


def test_a_chain_says_how_each_member_was_linked() -> None:
    # three feeds, each a little off: every member is named in a joining sentence
    a = report("a", dataset="x", at=(36.1481, 36.94775))
    b = report("b", dataset="y", at=(36.1781, 36.94775))
    c = report("c", dataset="z", at=(36.2081, 36.94775))
    [cluster] = fuse([a, b, c])
    text = " ".join(cluster.reasons)
    assert all(f"{m} and " in text or f" and {m}:" in text for m in "abc")
