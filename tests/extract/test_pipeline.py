"""The pipeline on small sentences of our own: what becomes an incident and what does not."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasewatch.extract.article import Article, Outcome
from ceasewatch.extract.pipeline import COMPONENTS
from ceasewatch.extract.run import Extractor

MONDAY = dt.date(2016, 9, 5)


def _run(extractor: Extractor, text: str, published: dt.date | None = MONDAY) -> Outcome:
    return extractor.extract(Article("t", text, published=published, source="test"))


def test_components_declare_what_they_assign(extractor: Extractor) -> None:
    assert tuple(extractor.nlp.pipe_names) == COMPONENTS
    meta = {name: extractor.nlp.get_pipe_meta(name) for name in COMPONENTS}
    assert "doc._.outcome" in meta["ceasewatch_incidents"].assigns
    assert "doc._.cues" in meta["ceasewatch_modality"].requires


def test_a_reported_strike_with_place_date_toll_and_source(extractor: Extractor) -> None:
    text = (
        "Russian warplanes struck a market in Douma on Sunday, killing at least 12 civilians "
        "and wounding dozens, the Syrian Observatory for Human Rights said."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Air/drone strike"
    assert inc.location.admin1_pcode == "SY03"
    assert inc.occurred.start == dt.date(2016, 9, 4)
    assert (inc.perpetrator.actor, inc.perpetrator.attribution) == ("ru", "reported")
    assert inc.civilian_fatalities is not None and inc.civilian_fatalities.low == 12
    assert inc.injured is not None and inc.injured.low == 12
    assert inc.sources[0].attributed_to == "the Syrian Observatory for Human Rights"
    assert (inc.sources[0].start, inc.sources[0].end) == (0, len(text))


@pytest.mark.parametrize(
    "text",
    [
        "Russia would agree to halt its air strikes on Idlib next week.",
        "If the truce fails, the army will shell Daraa on Friday.",
        "The government denied that its jets bombed the hospital in Idlib on Monday.",
        "The opposition demanded an end to the shelling of Homs.",
        "Russia has mostly focused on bombing groups opposing the government.",
        "Congress debated the plan for military strikes on Raqqa on Monday.",
    ],
    ids=["plan", "conditional", "denial", "demand", "generic", "plan-noun"],
)
def test_plans_conditionals_denials_demands_and_generic_statements_are_not_incidents(
    extractor: Extractor, text: str
) -> None:
    outcome = _run(extractor, text)
    assert outcome.incidents == (), outcome.incidents
    assert outcome.dropped


def test_a_claimed_suicide_bombing(extractor: Extractor) -> None:
    text = "A suicide car bomb killed eight people in Qamishli on Saturday. ISIS claimed responsibility for the bombing."
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Suicide bomb"
    assert set(inc.method) >= {"suicide_bombing", "car_bomb"}
    assert (inc.perpetrator.actor, inc.perpetrator.attribution) == ("isis", "claimed")


def test_dead_fighters_are_laid_to_the_other_side(extractor: Extractor) -> None:
    text = "At least 29 rebels were killed in clashes with regime troops near Aleppo on Saturday."
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Armed clash"
    assert inc.perpetrator.actor == "sy-gov"
    assert inc.fatalities is not None and inc.fatalities.best == 29
    assert inc.civilian_fatalities is None


def test_two_mentions_of_one_event_merge_and_the_update_wins(extractor: Extractor) -> None:
    text = (
        "A car bomb exploded in Azaz on Sunday, killing 10 people. "
        "The death toll from the blast later rose to 14, medics said."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.fatalities is not None and (inc.fatalities.low, inc.fatalities.best) == (10, 14)
    assert len(inc.sources) == 2


def test_events_in_two_towns_stay_apart(extractor: Extractor) -> None:
    text = (
        "Government helicopters dropped barrel bombs on Daraya on Monday, killing four. "
        "In Idlib, an air strike killed seven people on Sunday."
    )
    incidents = _run(extractor, text).incidents
    assert sorted(i.location.admin1_pcode or "" for i in incidents) == ["SY03", "SY07"]


def test_a_war_toll_is_not_an_event(extractor: Extractor) -> None:
    text = "The conflict has killed more than 300,000 people since it began in 2011."
    assert _run(extractor, text).incidents == ()


def test_a_campaigns_toll_over_a_few_days_stays_a_years_does_not(extractor: Extractor) -> None:
    days = "Air strikes on Saraqib killed 30 civilians over the past few days, medics said."
    (inc,) = _run(extractor, days).incidents
    assert inc.fatalities is not None and inc.fatalities.best == 30
    year = "Air strikes on Saraqib killed 900 civilians over the past year, medics said."
    assert all(i.fatalities is None for i in _run(extractor, year).incidents)


def test_whether_one_or_another_carried_it_out_asks_who_not_whether(
    extractor: Extractor,
) -> None:
    text = (
        "Air strikes killed 23 civilians in Saraqib on Monday. The monitor said it did not "
        "know whether Syrian or Russian warplanes carried out the strikes."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.perpetrator.actor == "pro-government"


def test_the_group_a_victim_belonged_to_is_not_the_agent(extractor: Extractor) -> None:
    text = (
        "A suicide bomber blew himself up in Tall Tamr on Monday during the wedding of a "
        "member of the Syrian Democratic Forces killing at least 22 civilians."
    )
    (inc,) = _run(extractor, text).incidents
    assert (inc.perpetrator.actor, inc.fatalities and inc.fatalities.best) == (None, 22)


def test_who_some_of_the_dead_were_told_in_a_later_sentence(extractor: Extractor) -> None:
    text = (
        "At least 20 people were killed in a car bomb blast at a checkpoint in Azaz on "
        "Monday, local sources said. The monitor said at least 14 of the dead were rebels."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.fatalities is not None and inc.fatalities.best == 20
    assert inc.civilian_fatalities is not None and inc.civilian_fatalities.best == 6


def test_non_english_is_skipped_with_its_language(extractor: Extractor) -> None:
    outcome = _run(extractor, "قُتل عشرة أشخاص في غارات جوية على مدينة دوما يوم الاثنين بحسب ناشطين")
    assert outcome.skipped_reason == "language: ar"
    assert outcome.status == "skipped"


def test_empty_text_is_skipped(extractor: Extractor) -> None:
    assert _run(extractor, "   ").skipped_reason == "empty: no text"


def test_trailing_boilerplate_is_not_read(extractor: Extractor) -> None:
    text = (
        "Jets struck Saraqib on Monday, killing three people, residents said.\n\n"
        "Car bomb kills 40 in Azaz\nMore headlines from the region\n\nLeave a Reply\n"
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.location.name is not None and "Saraqib" in inc.location.name


def test_related_headlines_inside_a_flattened_line_are_not_read(extractor: Extractor) -> None:
    text = (
        "Jets struck Saraqib on Monday, killing three people, residents said. Rescue "
        "workers searched the rubble of two homes for survivors through the night. "
        "41 Related Car Bomb Kills 40 in Azaz Shelling Hits Homs Market Tags Syria Idlib"
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.location.name is not None and "Saraqib" in inc.location.name
    assert inc.fatalities is not None and inc.fatalities.best == 3


def test_extract_many_keeps_order_and_isolates_each_article(extractor: Extractor) -> None:
    articles = [
        Article("a", "Shelling killed five people in Homs on Monday.", published=MONDAY),
        Article("b", ""),
        Article("c", "Jets bombed Saraqib on Sunday, killing two.", published=MONDAY),
    ]
    outcomes = list(extractor.extract_many(articles, batch_size=2))
    assert [o.id for o in outcomes] == ["a", "b", "c"]
    assert [o.status for o in outcomes] == ["ok", "skipped", "ok"]
    assert len(outcomes[0].incidents) == len(outcomes[2].incidents) == 1


def test_an_event_told_again_by_a_definite_reference_shares_its_agent(
    extractor: Extractor,
) -> None:
    text = (
        "An air strike killed nine civilians in Saraqib on Sunday, a monitor said. "
        "The monitor said the strike on the town was believed to have been carried out by "
        "Russian planes."
    )
    incs = _run(extractor, text).incidents
    main = max(incs, key=lambda i: i.fatalities.best if i.fatalities else -1)
    assert main.fatalities is not None and main.fatalities.best == 9
    assert (main.perpetrator.actor, main.perpetrator.attribution) == ("ru", "alleged")


def test_asking_who_did_it_is_not_a_conditional(extractor: Extractor) -> None:
    text = (
        "Air raids killed six people in Maarat al-Numan on Sunday. It was unclear whether "
        "the raids were carried out by Syrian government or Russian warplanes."
    )
    incs = _run(extractor, text).incidents
    assert [i.perpetrator.actor for i in incs] == ["pro-government"]


def test_a_strike_that_carries_a_chemical_load_is_a_chemical_attack(extractor: Extractor) -> None:
    text = "Shelling that included chemical weapons killed eleven people in Saraqib on Sunday."
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Chemical weapon"
    assert "chemical" in inc.method and "shelling" in inc.method


def test_a_count_since_a_weekday_is_a_period_toll(extractor: Extractor) -> None:
    text = (
        "Barrel bombs killed 11 civilians in al-Bab on Thursday. "
        "Since Saturday at least 68 civilians have been killed in aerial attacks on the town."
    )
    incs = _run(extractor, text).incidents
    tolls = [i.fatalities.best for i in incs if i.fatalities]
    assert tolls == [11]  # the 68 is a count for the week, not for one event


_DOUMA = "Government shelling killed nine people in Douma on Sunday."


@pytest.mark.parametrize(
    ("text", "published", "tolls"),
    [
        # since an offensive began; "have died ... since"
        (
            f"{_DOUMA} At least 90 people have been killed by air strikes since the army and "
            "its allied militias began an offensive on the town ten days ago.",
            MONDAY,
            [9],
        ),
        (
            f"{_DOUMA} In all, 75 people have died in the shelling of the district since the "
            "start of May.",
            MONDAY,
            [9],
        ),
        # what the fighting on a front has left
        (
            f"{_DOUMA} The fighting on the Harasta front has left at least 37 dead on the "
            "government side, the monitor said.",
            MONDAY,
            [9],
        ),
        # hundreds killed over days
        (
            f"{_DOUMA} Hundreds of civilians have been killed over the past few days in the "
            "bombardment of eastern Ghouta, the group said.",
            MONDAY,
            [9],
        ),
        # a count in the perfect after a sentence that tells what has gone on since a day
        (
            f"{_DOUMA} Government air strikes on Idlib have intensified since rebels launched "
            "a campaign on August 1. The strikes have killed 122 civilians, the monitor said.",
            MONDAY,
            [9],
        ),
        # a month next to the event word dates it before a later weekday: background
        (
            "Air strikes killed nine people in Saraqib on Sunday. Suspected government "
            "strikes killed at least 37 civilians in Maaret al-Numan in April amid faltering "
            "talks Meanwhile hundreds of people fled the town of Manbij on Sunday.",
            dt.date(2016, 6, 22),
            [9],
        ),
    ],
)
def test_running_counts_and_recalled_months_are_not_todays_tolls(
    extractor: Extractor, text: str, published: dt.date, tolls: list[int]
) -> None:
    incs = _run(extractor, text, published=published).incidents
    assert [i.fatalities.best for i in incs if i.fatalities] == tolls


@pytest.mark.parametrize(
    ("text", "best"),
    [
        # a vague lead toll yields to the figure given later
        (
            "Dozens of people were killed in air strikes on Douma on Sunday, a monitor said. "
            "The air strikes on Douma killed 29 people, including eight children.",
            29,
        ),
        # a toll "in total" told later is the event's
        (
            "Air strikes killed 22 children at a school in Saraqib on Wednesday. The monitor "
            "said 35 people in total had died in the strikes on Saraqib.",
            35,
        ),
        # an update below the lead toll does not replace it
        (
            "Rebel shells killed 30 civilians in Aleppo on Saturday, state media said. "
            "The death toll from the shells on the Midan district rose to 3, a source said.",
            30,
        ),
    ],
)
def test_which_figure_an_event_keeps(extractor: Extractor, text: str, best: int) -> None:
    incs = _run(extractor, text).incidents
    assert max(i.fatalities.best or 0 for i in incs if i.fatalities) == best


def test_a_claim_told_in_a_sentence_of_its_own_claims_the_act_before(
    extractor: Extractor,
) -> None:
    text = (
        "A car bomb killed 20 people near a shrine in Sayyida Zaynab on Saturday. "
        "The group Daesh claimed responsibility via its news agency."
    )
    (inc,) = _run(extractor, text).incidents
    assert (inc.perpetrator.actor, inc.perpetrator.attribution) == ("isis", "claimed")


def test_a_dateline_after_the_given_publication_date_dates_relative_days(
    extractor: Extractor,
) -> None:
    text = (
        "30 October 2016 Aleppo residents count the cost. Rebels shelled the Hamadaniyeh "
        "district of Aleppo on Sunday, killing three people."
    )
    incs = _run(extractor, text, published=dt.date(2016, 10, 5)).incidents
    assert [i.occurred.start for i in incs] == [dt.date(2016, 10, 30)]


def test_a_side_that_names_a_place_is_not_the_agent(extractor: Extractor) -> None:
    text = (
        "A push by regime forces to take the last rebel stronghold near Douma "
        "killed at least 23 people on Sunday."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.perpetrator.actor != "opposition"


def test_an_event_a_plan_responds_to_still_happened(extractor: Extractor) -> None:
    text = (
        "The president sought approval for strikes in response to a chemical attack "
        "that killed 30 people in Douma on Saturday."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Chemical weapon"
    assert inc.location.admin1_pcode == "SY03"


def test_a_place_described_by_a_past_attack_does_not_type_the_event(extractor: Extractor) -> None:
    text = (
        "Air strikes killed seven civilians on Saturday around Saraqib, the site of a "
        "suspected chemical attack in the spring."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Air/drone strike"
    assert "chemical" not in inc.method


def test_a_chemical_massacre_is_a_chemical_attack(extractor: Extractor) -> None:
    text = "Officials said the government was behind a chemical massacre near Douma on Monday."
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Chemical weapon"


def test_an_event_word_modifying_a_town_does_not_type_the_event(extractor: Extractor) -> None:
    text = "One woman was killed in an air raid on Saturday on the gas attack town of Saraqib."
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Air/drone strike"


def test_gassing_is_a_chemical_attack(extractor: Extractor) -> None:
    text = "Rockets that released deadly fumes killed 40 people in Zamalka on Wednesday."
    (inc,) = _run(extractor, text).incidents
    assert inc.sub_event_type == "Chemical weapon"


def test_a_round_up_of_several_governorates_is_placed_where_its_dead_fell(
    extractor: Extractor,
) -> None:
    text = (
        "Four people were killed and 12 injured in rocket attacks on Homs, Hama and Aleppo "
        "on Monday. In Homs, rockets fired by militants injured seven people. In Aleppo, a "
        "rocket killed four people in the al-Sukkari neighbourhood. In Hama, a mortar shell "
        "injured five people."
    )
    first, *_ = _run(extractor, text).incidents
    assert first.sources[0].start == 0 and first.fatalities is not None
    assert (first.fatalities.best, first.location.admin1_pcode) == (4, "SY02")


def test_a_list_whose_first_place_had_dead_keeps_it(extractor: Extractor) -> None:
    text = (
        "Five people were killed in rocket attacks on Homs and Aleppo on Monday. In Homs, "
        "rockets killed one person. In Aleppo, a rocket killed four people in al-Sukkari."
    )
    first, *_ = _run(extractor, text).incidents
    assert first.location.admin1_pcode == "SY04"


def test_an_article_speaks_from_its_dateline_when_it_was_published_later(
    extractor: Extractor,
) -> None:
    text = "Tue Jul 26 2016 Militants executed 30 soldiers near Raqqa, a monitor said."
    (inc,) = _run(extractor, text, published=dt.date(2017, 3, 1)).incidents
    assert inc.occurred.start == dt.date(2016, 7, 26)
    assert inc.location.admin1_pcode == "SY11"
    # an event the article itself dates long before its dateline is still background
    older = (
        "Tue Jul 26 2016 A monitor gave the news. On 3 March 2015, militants executed 30 "
        "soldiers near Raqqa."
    )
    assert _run(extractor, older, published=dt.date(2017, 3, 1)).incidents == ()


def test_related_headlines_flattened_into_the_last_line_are_not_read(
    extractor: Extractor,
) -> None:
    text = (
        "A car bomb killed nine people in Azaz on Monday, a monitor said. Rescuers searched "
        "the rubble through the night, and the hospital appealed for blood donors. "
        "Source AFP Related News Coalition air strikes kill 84 civilians near Raqqa "
        "Tags Syria Raqqa"
    )
    incidents = _run(extractor, text).incidents
    assert [(i.location.admin1_pcode, i.fatalities.best if i.fatalities else None)
            for i in incidents] == [("SY02", 9)]  # fmt: skip
