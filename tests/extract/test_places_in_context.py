"""Where an event happened when the text is loose about it: sentences of our own."""

from __future__ import annotations

import datetime as dt

from ceasewatch.extract.article import Article, Outcome
from ceasewatch.extract.run import Extractor

MONDAY = dt.date(2016, 9, 5)


def _run(extractor: Extractor, text: str, title: str | None = None) -> Outcome:
    return extractor.extract(Article("t", text, title=title, published=MONDAY))


def test_a_province_named_right_after_a_place_says_where_it_is(extractor: Extractor) -> None:
    # the gazetteer's only "Shara" is in Idlib; the text puts al-Shaara in Deir Ezzor
    (inc,) = _run(
        extractor,
        "Air strikes on al-Shaara, a town in Deir Ezzor province, killed 17 people on Monday.",
    ).incidents
    assert inc.location.admin1_pcode == "SY09"


def test_an_event_placed_only_in_the_country_takes_the_articles_place(
    extractor: Extractor,
) -> None:
    text = (
        "Jets pounded Saraqib in Idlib province on Monday, residents said. "
        "A suspected chemical attack in Syria killed 20 people on Monday, medics said."
    )
    incidents = _run(extractor, text).incidents
    assert incidents and all(i.location.admin1_pcode == "SY07" for i in incidents)


def test_a_capital_that_speaks_is_its_government_not_a_place(extractor: Extractor) -> None:
    text = (
        "A chemical attack killed 80 people in Khan Sheikhoun on Monday. "
        "Damascus denied it carried out the attack."
    )
    incidents = _run(extractor, text).incidents
    assert [i.location.admin1_pcode for i in incidents] == ["SY07"]


def test_hama_is_the_city_even_beside_places_near_damascus(extractor: Extractor) -> None:
    text = (
        "Shelling hit Harasta and Douma in Damascus Countryside on Monday. "
        "In Hama, air strikes killed 14 people on Monday."
    )
    hama = [i for i in _run(extractor, text).incidents if i.fatalities is not None]
    assert [i.location.admin1_pcode for i in hama] == ["SY05"]


def test_topic_tags_between_standfirst_and_body_are_not_read(extractor: Extractor) -> None:
    lead = "A Russian air strike killed 38 civilians in Deir ez-Zor on Monday."
    text = f"{lead} Tags Syria Turkey SDF US coalition {lead[:-1]}, a monitor said."
    (inc,) = _run(extractor, text).incidents
    assert inc.perpetrator.actor == "ru" and inc.location.admin1_pcode == "SY09"


def test_the_headline_figure_goes_to_its_event_when_the_body_gives_none(
    extractor: Extractor,
) -> None:
    (inc,) = _run(
        extractor,
        "An air strike hit a clinic near Aleppo on Monday, rescuers said.",
        title="Four medics killed in strike on clinic near Aleppo",
    ).incidents
    assert inc.fatalities is not None and inc.fatalities.best == 4
    assert inc.civilian_fatalities is not None and inc.civilian_fatalities.best == 4


def test_every_place_of_a_list_evacuees_came_from_is_away(extractor: Extractor) -> None:
    text = (
        "A car bomb killed 40 evacuees from the northern towns of Foua and Kafraya at a "
        "transit point in Rashidin, west of Aleppo, on Saturday."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.location.admin1_pcode == "SY02"


def test_a_sentence_naming_only_where_people_came_from_takes_the_place_before(
    extractor: Extractor,
) -> None:
    text = (
        "Rebels fired rockets at western Aleppo on Friday, a monitor said. "
        "Fighters from the provinces of Hama and Idlib attacked on Friday, killing 21 civilians."
    )
    incidents = _run(extractor, text).incidents
    assert incidents and all(i.location.admin1_pcode == "SY02" for i in incidents)
    assert any(i.fatalities and i.fatalities.best == 21 for i in incidents)


def test_a_place_the_text_locates_near_a_town_of_another_governorate_is_misread(
    extractor: Extractor,
) -> None:
    # the gazetteer's only Shaar is a neighbourhood of Aleppo
    text = "Militants stormed the Shaar gas field east of Homs on Monday, killing 30 guards."
    (inc,) = _run(extractor, text).incidents
    assert inc.location.admin1_pcode == "SY04"


def test_the_town_a_text_says_a_place_is_near_picks_among_places_of_that_name(
    extractor: Extractor,
) -> None:
    # Idlib's Madayah would win by the other places named; "near Damascus" says otherwise
    text = (
        "Rebels shelled Foua and Kafraya in Idlib province on Monday. "
        "Snipers killed two people in Madaya, a town near Damascus, on Monday."
    )
    incidents = _run(extractor, text).incidents
    madaya = [i for i in incidents if i.location.name.startswith("Madaya")]
    assert madaya and madaya[0].location.admin1_pcode == "SY03"


def test_a_list_of_places_located_in_a_city_is_read_in_that_city(extractor: Extractor) -> None:
    # the gazetteer's only Hamdaniyah are villages of Idlib and Hasakeh (named in the
    # article); the text puts al-Hamadaniye, with another neighbourhood, in Aleppo city
    text = (
        "Shells killed four people in al-Hamadaniye and Salah-Eddin neighborhoods in Aleppo "
        "city on Monday. A bomb went off in Qamishli in Hasaka province on Monday."
    )
    first, *_ = _run(extractor, text).incidents
    assert first.fatalities is not None and first.fatalities.best == 4
    assert first.location.admin1_pcode == "SY02"


def test_hama_beside_hama_province_is_the_city_there(extractor: Extractor) -> None:
    # places around Damascus point to the village of al-Hamah near it; the text's own
    # "Hama province" says which Hama it means
    text = (
        "Air strikes hit Harfa in Damascus Countryside and the south of Damascus on Monday. "
        "In Hama, soldiers clashed with rebels near Kafr Nabudah in the northern countryside "
        "of Hama province on Monday, killing 20 fighters."
    )
    clash = [i for i in _run(extractor, text).incidents if i.fatalities is not None]
    assert [i.location.admin1_pcode for i in clash] == ["SY05"]


def test_a_capital_named_as_a_government_is_not_a_place(extractor: Extractor) -> None:
    # the attack's own sentence names no place; the capitals after it are governments
    text = (
        "A suspected chemical attack on a rebel-held town killed 60 people on Monday, "
        "medics said. Moscow defended its Damascus ally, and the Damascus regime denied "
        "any role. Talks between Moscow and Damascus went on. Rebels vowed revenge for "
        "Monday's air strike on the town of Khan Sheikhoun in Idlib province."
    )
    incidents = _run(extractor, text).incidents
    assert incidents and {i.location.admin1_pcode for i in incidents} == {"SY07"}


def test_a_place_east_of_the_central_city_of_a_town_is_near_that_town(
    extractor: Extractor,
) -> None:
    # the gazetteer's only Shaar is a neighbourhood of Aleppo: misread beside Homs
    text = (
        "Militants seized the Shaar oilfield east of the central city of Homs on Monday, "
        "killing 90 guards, a monitor said."
    )
    incidents = _run(extractor, text).incidents
    assert [i.location.admin1_pcode for i in incidents] == ["SY04"]


def test_the_headline_figure_is_not_given_to_a_photo_captions_scene(
    extractor: Extractor,
) -> None:
    text = (
        "In this photo taken on Sunday, rescuers help a woman after warplanes attacked a "
        "street in Aleppo (AP photo) Air strikes on a market in Idlib hit shoppers on "
        "Monday, a monitor said."
    )
    incidents = _run(extractor, text, title="Air strikes on market kill 21").incidents
    counted = [i for i in incidents if i.fatalities is not None]
    assert [(i.location.admin1_pcode, i.fatalities.best) for i in counted] == [("SY07", 21)]


def test_the_dead_counted_fell_where_the_figure_says(extractor: Extractor) -> None:
    text = (
        "Army jets destroyed depots in Latakia countryside, hit vehicles in Aleppo "
        "countryside and killed more than 50 fighters in Daraa countryside on Monday, "
        "a military source said."
    )
    counted = [i for i in _run(extractor, text).incidents if i.fatalities is not None]
    assert [(i.location.admin1_pcode, i.fatalities.best) for i in counted] == [("SY12", 50)]


def test_where_others_push_towards_is_not_where_it_happened(extractor: Extractor) -> None:
    text = (
        "A car bomb killed 43 evacuees on Saturday as allied fighters pushed towards the "
        "jihadist group's Raqqa stronghold. The blast hit buses at a transit point in "
        "Rashidin, west of Aleppo, a monitor said."
    )
    counted = [i for i in _run(extractor, text).incidents if i.fatalities is not None]
    assert [i.location.admin1_pcode for i in counted] == ["SY02"]


def test_where_the_attackers_were_positioned_is_not_where_their_fire_fell(
    extractor: Extractor,
) -> None:
    text = (
        "Terrorist groups positioned in al-Sukkari neighbourhood fired rocket shells on "
        "Idlib, killing two people on Monday, a source said."
    )
    (inc,) = _run(extractor, text).incidents
    assert inc.location.admin1_pcode == "SY07"


def test_a_neighbourhood_the_gazetteer_knows_only_elsewhere_is_the_citys(
    extractor: Extractor,
) -> None:
    # the gazetteer's only Hamdaniyah are villages of Idlib and Hasakeh
    text = (
        "Life in the western neighbourhoods of Aleppo city was tense on Monday, a police "
        "source said. Two people were killed when a shell fell on al-Hamadaniyeh "
        "neighborhood on Monday. Traffic on the road near al-Foua in Idlib countryside was light."
    )
    incidents = _run(extractor, text).incidents
    counted = [i for i in incidents if i.fatalities is not None]
    assert [i.location.admin1_pcode for i in counted] == ["SY02"]


def test_an_event_at_a_misread_neighbourhood_is_placed_by_its_context(
    extractor: Extractor,
) -> None:
    # the gazetteer's only Zahraa is a town of Aleppo; the text is about Homs city
    text = (
        "Life in Homs city was tense on Monday, residents said. Explosions struck the "
        "pro-government neighbourhood of al-Zahraa, a monitor said."
    )
    incidents = _run(extractor, text).incidents
    assert [i.location.admin1_pcode for i in incidents] == ["SY04"]
