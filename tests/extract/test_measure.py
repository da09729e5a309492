"""How ``measure extract`` codes an article's main event (FA-KES labels)."""

from __future__ import annotations

import datetime as dt

from ceasewatch.agreement.model import Scenario
from ceasewatch.extract import measure
from ceasewatch.extract.article import Article
from ceasewatch.extract.run import Extractor

MONDAY = dt.date(2016, 9, 5)
FILLER = "Diplomats met in Geneva to discuss the truce and aid deliveries to the city. " * 8


def test_the_main_incident_is_the_leads_not_a_larger_one_recalled_later(
    extractor: Extractor,
) -> None:
    text = (
        "A car bomb killed six people in Azaz on Monday, a monitor said. "
        + FILLER
        + "On Sunday, air strikes killed 40 people in Aleppo, medics said."
    )
    outcome = extractor.extract(Article("t", text, published=MONDAY))
    assert len(outcome.incidents) == 2
    main = measure.main_incident(outcome.incidents)
    assert main is not None and main.fatalities is not None and main.fatalities.best == 6
    coded = measure.coded(outcome)
    assert (coded.cause, coded.total, coded.governorate) == ("explosion", 6, "aleppo")
    # the literal rule, printed beside: the highest toll anywhere in the article
    literal = measure.coded(outcome, lead_only=False)
    assert (literal.cause, literal.total) == ("shelling", 40)


def test_when_the_lead_gives_no_figure_the_highest_toll_anywhere_is_the_main_incident(
    extractor: Extractor,
) -> None:
    lead = "Air strikes hit Azaz on Monday, a monitor said. "
    later = "On Monday, a car bomb killed 12 people in Aleppo, medics said."
    outcome = extractor.extract(Article("t", lead + FILLER + later, published=MONDAY))
    tolls = [i.fatalities.best if i.fatalities else None for i in outcome.incidents]
    assert tolls == [None, 12]
    main = measure.main_incident(outcome.incidents)
    assert main is outcome.incidents[1]


def test_within_the_lead_the_highest_toll_wins(extractor: Extractor) -> None:
    text = (
        "Shelling killed two people in Homs on Monday. "
        "Air strikes killed 30 people in Douma on Monday, activists said."
    )
    outcome = extractor.extract(Article("t", text, published=MONDAY))
    assert measure.coded(outcome).total == 30


def test_a_clash_told_by_its_dead_alone_has_no_known_cause(extractor: Extractor) -> None:
    told = extractor.extract(
        Article("t", "The army killed 62 rebels near Adra on Monday.", published=MONDAY)
    )
    fought = extractor.extract(
        Article("u", "Clashes near Adra killed 62 rebels on Monday.", published=MONDAY)
    )
    assert [i.sub_event_type for i in (*told.incidents, *fought.incidents)] == [
        "Armed clash",
        "Armed clash",
    ]
    assert measure.coded(told).cause == "unknown"
    assert measure.coded(fought).cause == "shooting"


def test_an_ambush_does_not_say_what_killed(extractor: Extractor) -> None:
    outcome = extractor.extract(
        Article("t", "Troops killed 30 rebels in an ambush near Adra on Monday.", published=MONDAY)
    )
    assert [i.sub_event_type for i in outcome.incidents] == ["Armed clash"]
    assert measure.coded(outcome).cause == "unknown"


def test_a_barrel_bomb_with_no_named_agent_is_presumed_by_the_scenarios_rule(
    extractor: Extractor, syria: Scenario
) -> None:
    article = Article(
        "b", "Barrel bombs killed five civilians in Daraya on Sunday.",
        published=dt.date(2016, 9, 5),
    )  # fmt: skip
    outcome = extractor.extract(article)
    (inc,) = outcome.incidents
    assert inc.perpetrator.actor is None  # the text names no one; the incident says so
    assert measure.coded(outcome, convention=False).actor == "unknown"
    assert measure.coded(outcome, syria.world.attribution).actor == measure.ACTORS["sy-gov"]


def test_among_equal_tolls_the_one_whose_agent_is_named_is_the_main_incident(
    extractor: Extractor,
) -> None:
    text = (
        "Shelling killed nine people in Homs on Sunday. "
        "Russian warplanes killed nine people in Douma on Monday, activists said."
    )
    outcome = extractor.extract(Article("t", text, published=MONDAY))
    assert len(outcome.incidents) == 2
    main = measure.main_incident(outcome.incidents)
    assert main is not None and main.perpetrator.actor == "ru"


def test_a_main_event_that_does_not_say_what_killed_takes_the_cause_told_beside_it(
    extractor: Extractor,
) -> None:
    text = (
        "The army killed 62 rebels near Adra on Monday, a monitor said. "
        "Government artillery shelled the outskirts of Adra on Saturday, wounding five people."
    )
    outcome = extractor.extract(Article("t", text, published=MONDAY))
    main = measure.main_incident(outcome.incidents)
    assert main is not None and measure.cause_of(main) == "unknown"
    assert measure.coded(outcome).cause == "shelling"
    # elsewhere in the country is not beside it
    far = text.replace("outskirts of Adra", "outskirts of Deir ez-Zor")
    outcome = extractor.extract(Article("u", far, published=MONDAY))
    assert measure.coded(outcome).cause == "unknown"


def test_an_unnamed_air_strike_is_scored_as_the_coders_read_it_and_stays_unnamed(
    extractor: Extractor, syria: Scenario
) -> None:
    alone = extractor.extract(
        Article("t", "Air strikes killed nine people in Saraqib on Monday.", published=MONDAY)
    )
    strike = alone.incidents[0]
    assert (strike.perpetrator.actor, strike.perpetrator.attribution) == (None, "unknown")
    assert (
        measure.coded(alone, syria.world.attribution, convention=True).actor
        == (measure.ACTORS["sy-gov"])
    )
    assert measure.coded(alone, syria.world.attribution).actor == "unknown"  # the mapping
    # the article names another air power for a strike: the unnamed one stays unknown
    beside = extractor.extract(
        Article(
            "u",
            "Air strikes killed nine people in Saraqib on Monday. "
            + FILLER
            + "US-led coalition air strikes killed four fighters in Raqqa on Monday.",
            published=MONDAY,
        )
    )
    assert measure.coded(beside, syria.world.attribution, convention=True).actor == "unknown"


def test_an_event_the_lead_recalls_as_what_came_before_is_not_the_main_one(
    extractor: Extractor,
) -> None:
    text = (
        "Rebel rockets killed three people in Homs on Monday, just a day after air strikes "
        "killed 20 people in Idlib, a monitor said."
    )
    outcome = extractor.extract(Article("t", text, published=MONDAY))
    places = {i.location.admin1_pcode: i for i in outcome.incidents}
    assert set(places) == {"SY04", "SY07"}
    assert outcome.recalled == (places["SY07"].id,)
    coded = measure.coded(outcome)
    assert (coded.governorate, coded.total) == ("homs", 3)
    # the literal rule still takes the highest toll anywhere
    assert measure.coded(outcome, lead_only=False).total == 20


def test_measure_extract_finds_a_held_out_file_and_skips_a_bad_row(tmp_path) -> None:
    import csv
    import re

    from typer.testing import CliRunner

    from ceasewatch.cli import app

    columns = ["unit_id", "article_title", "article_content", "source", "date", "location"]
    columns += ["actor", "cause_of_death", "nb_children", "nb_civilians", "nb_noncivilians"]
    columns += ["nb_women", "label"]
    good = "Government airstrikes killed five civilians in the town of Saraqeb in Idlib on Monday."
    rows = [
        ["11", "Strikes", good, "x", "9/5/16", "idlib", "syrian government or russian troops"]
        + ["shelling", "0", "5", "0", "0", "1"],
        ["12", "Strikes", good, "x", "9/5/16", "idlib", "unknown"]
        + ["shelling", "0", "five", "0", "0", "1"],
    ]
    with (tmp_path / "fakes-blind.csv").open("w", encoding="latin-1", newline="") as fh:
        csv.writer(fh).writerows([columns, *rows])
    done = CliRunner().invoke(app, ["measure", "extract", "--fakes", str(tmp_path)])
    assert done.exit_code == 0, done.output
    assert "fakes-blind.csv:3: nb_civilians: 'five' is not a count" in done.output
    assert "fakes-blind.csv (1 ok, 0 skipped, 0 failed)" in done.output, done.output
    assert re.search(r"governorate\s+1\.00", done.output), done.output
