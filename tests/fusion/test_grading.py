"""Grades in Airwars' scale: each rule, and that the rules can be changed."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ceasewatch.fusion import FusionSettings, GradingRules, grade
from ceasewatch.fusion.report import Report
from ceasewatch.incidents.model import Source
from tests.fusion.factory import report

BLOCS = {"pro-government": frozenset({"sy-gov", "ru"})}


def with_sources(r: Report, *sources: Source) -> Report:
    return replace(r, incident=replace(r.incident, sources=sources))


def test_a_single_source_is_weak() -> None:
    conf, why = grade([report("a", publisher="Reuters")])
    assert conf == "weak"
    assert why == ("weak: 1 independent origin (reuters), 1 of a credible class",)


def test_two_independent_credible_sources_are_fair() -> None:
    conf, _ = grade([report("a", publisher="Reuters"), report("b", publisher="SOHR")])
    assert conf == "fair"


def test_two_articles_of_one_wire_are_one_source() -> None:
    a = report("a", publisher="Reuters", document="reuters:1")
    b = report("b", publisher="Reuters", document="reuters:2")
    conf, why = grade([a, b])
    assert conf == "weak"
    assert why[0].startswith("weak: 1 independent origin (reuters)")


def test_sources_citing_the_same_monitor_are_one_origin() -> None:
    a = report("a", publisher="ACLED", attributed_to="SOHR", source_class="dataset")
    b = report("b", publisher="UCDP GED", attributed_to="SOHR", source_class="dataset")
    assert grade([a, b])[0] == "weak"


def test_a_dataset_row_drawing_on_two_monitors_counts_both() -> None:
    row = report("u", publisher="UCDP GED", attributed_to="SOHR; Airwars", source_class="dataset")
    assert grade([row])[0] == "fair"


def test_one_article_quoting_two_people_is_one_source() -> None:
    r = with_sources(
        report("a", source_class="wire"),
        Source("cnn:1", publisher="CNN", attributed_to="an activist", start=0, end=10),
        Source("cnn:1", publisher="CNN", attributed_to="a minister", start=20, end=30),
    )
    assert grade([r])[0] == "weak"


def test_three_independent_sources_two_credible_confirm() -> None:
    rs = [report(x, publisher=x) for x in ("Reuters", "SOHR", "Airwars")]
    conf, why = grade(rs)
    assert conf == "confirmed"
    assert why[0].startswith("confirmed: 3 independent origins (airwars, reuters, sohr)")
    only_claims = FusionSettings(grading=GradingRules(confirmed_min_independent=None))
    assert grade(rs, only_claims)[0] == "fair"


def test_partisan_and_activist_sources_alone_are_weak() -> None:
    a = report("a", publisher="Ministry A", source_class="party_statement")
    b = report("b", publisher="Media Centre B", source_class="local_activist")
    assert grade([a, b])[0] == "weak"


def test_the_perpetrators_own_claim_confirms() -> None:
    claim = report(
        "a", perpetrator="us-coalition", attribution="claimed", source_class="party_statement"
    )
    conf, why = grade([claim])
    assert conf == "confirmed"
    assert "the perpetrator (us-coalition) claims it" in why[0]


def test_perpetrators_that_conflict_make_it_contested() -> None:
    a = report("a", perpetrator="sy-gov", publisher="SOHR")
    b = report("b", perpetrator="ru", publisher="Reuters")
    settings = FusionSettings(blocs=BLOCS)
    conf, why = grade([a, b], settings)
    assert conf == "contested"
    assert why == ("contested: the reports name different perpetrators (ru by b; sy-gov by a)",)
    lenient = FusionSettings(blocs=BLOCS, grading=GradingRules(contest_within_bloc=False))
    assert grade([a, b], lenient)[0] == "fair"


def test_sides_of_a_battle_named_the_other_way_round_do_not_conflict() -> None:
    clash = ("Battles", "Armed clash")
    a = report("a", event=clash, perpetrator="sy-gov", target="isis", publisher="SOHR")
    b = report("b", event=clash, perpetrator="isis", target="sy-gov", publisher="Reuters")
    assert grade([a, b])[0] == "fair"


def test_a_partys_denial_makes_it_contested() -> None:
    named = report("a", perpetrator="sy-gov", publisher="SOHR")
    denial = report(
        "b", perpetrator=None, publisher="SANA", source_class="party_statement", denies=("sy-gov",)
    )
    conf, why = grade([named, denial])
    assert conf == "contested"
    assert why == ("contested: b denies that sy-gov did it, which a reports",)
    no = FusionSettings(grading=GradingRules(contest_on_denial=False))
    assert grade([named, denial], no)[0] == "fair"  # two origins, one credible


def test_a_report_its_source_discounted_discounts_the_incident() -> None:
    conf, why = grade([report("a", confidence="discounted"), report("b", publisher="SOHR")])
    assert conf == "discounted"
    assert why == ("discounted: a was graded discounted by its source",)


def test_a_grade_never_falls_below_what_a_report_came_with() -> None:
    conf, why = grade([report("a", confidence="fair")])
    assert conf == "fair"
    assert why[-1] == "fair: kept the grade a came with (its source's own)"
    strict = FusionSettings(grading=GradingRules(respect_upstream_grades=False))
    assert grade([report("a", confidence="fair")], strict)[0] == "weak"


def test_no_reports_is_ungraded() -> None:
    assert grade([]) == ("ungraded", ("no reports",))


@pytest.mark.parametrize(
    "bad",
    [
        {"fair_min_independent": 0},
        {"confirmed_min_independent": 1, "fair_min_independent": 2},
    ],
)
def test_inconsistent_rules_are_refused(bad: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="grading"):
        GradingRules(**bad)  # type: ignore[arg-type]


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="threshold"):
        FusionSettings(threshold=1.5)
    with pytest.raises(ValueError, match="toll_policy"):
        FusionSettings(toll_policy="mean")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="source_class"):
        report("a", source_class="blog")
