"""Golden tests on FA-KES articles chosen for difficulty: several events or places in one
article, fights, claims, denials, blocs, conventions on figures.

The articles are read from ../shared at run time (facts such as places and counts are
asserted here; no article text is kept in the repository). FA-KES: Salem et al., ICWSM 2019.
"""

from __future__ import annotations

import pytest

from ceasewatch.extract import measure
from ceasewatch.extract.article import Outcome
from ceasewatch.extract.run import Extractor
from ceasewatch.incidents.model import Incident
from tests.conftest import shared_path

CHOSEN = (
    "1914947535", "1914947536", "1914947538", "1918398778", "1923848154", "1924058056",
    "1926478911", "1926479006", "1923848197", "1919191753", "1923102943", "1915433693",
)  # fmt: skip


@pytest.fixture(scope="module")
def fakes(extractor: Extractor) -> dict[str, Outcome]:
    rows = measure.read_fakes(shared_path("data/fakes-syria-news/fakes-dev.csv"))
    chosen = [r.article for r in rows if r.article.id in CHOSEN]
    assert len(chosen) == len(CHOSEN)
    return {o.id: o for o in extractor.extract_many(chosen)}


def _one(outcome: Outcome, sub_event_type: str, admin1: str) -> Incident:
    found = [
        i
        for i in outcome.incidents
        if i.sub_event_type == sub_event_type and i.location.admin1_pcode == admin1
    ]
    assert len(found) == 1, [(i.sub_event_type, i.location.name) for i in outcome.incidents]
    return found[0]


def _best(toll: object) -> int | None:
    return getattr(toll, "best", None)


def test_rebels_killed_in_clashes_are_laid_to_the_regime(fakes: dict[str, Outcome]) -> None:
    clash = _one(fakes["1914947535"], "Armed clash", "SY02")
    assert _best(clash.fatalities) == 29 and clash.civilian_fatalities is None
    assert (clash.perpetrator.actor, clash.perpetrator.attribution) == ("sy-gov", "reported")


def test_an_unclaimed_suicide_bombing_names_no_one(fakes: dict[str, Outcome]) -> None:
    bomb = _one(fakes["1914947536"], "Suicide bomb", "SY08")
    assert _best(bomb.civilian_fatalities) == 16
    assert (bomb.perpetrator.actor, bomb.perpetrator.attribution) == (None, "unknown")


def test_an_article_with_several_events_in_several_governorates(fakes: dict[str, Outcome]) -> None:
    outcome = fakes["1914947538"]
    bomb = _one(outcome, "Suicide bomb", "SY06")  # the hospital in Qardaha
    assert _best(bomb.fatalities) == 4
    assert len({i.location.admin1_pcode for i in outcome.incidents}) >= 3


def test_executions_by_regime_forces(fakes: dict[str, Outcome]) -> None:
    (attack,) = [i for i in fakes["1918398778"].incidents if "execution" in i.method]
    assert attack.location.admin1_pcode == "SY02"
    assert attack.perpetrator.actor == "sy-gov"
    assert _best(attack.civilian_fatalities) == 48


def test_either_russian_or_regime_warplanes_is_the_bloc(fakes: dict[str, Outcome]) -> None:
    strikes = [i for i in fakes["1923848154"].incidents if i.location.admin1_pcode == "SY07"]
    assert strikes and strikes[0].perpetrator.actor == "pro-government"
    assert _best(strikes[0].civilian_fatalities) == 10


def test_a_claimed_bombing_beside_a_separate_coalition_strike(fakes: dict[str, Outcome]) -> None:
    outcome = fakes["1924058056"]
    blast = _one(outcome, "Remote explosive/landmine/IED", "SY08")  # Qamishli
    assert (blast.perpetrator.actor, blast.perpetrator.attribution) == ("isis", "claimed")
    assert _best(blast.fatalities) == 44
    manbij = [i for i in outcome.incidents if i.location.name == "Manbij"]
    assert manbij and _best(manbij[0].fatalities) == 56


def test_more_than_ten_is_coded_ten(fakes: dict[str, Outcome]) -> None:
    strike = _one(fakes["1926478911"], "Air/drone strike", "SY11")
    assert strike.perpetrator.actor == "us-coalition"
    assert _best(strike.civilian_fatalities) == 10  # "more than ten": the figure given


def test_a_denial_is_not_an_incident_and_makes_the_attack_alleged(
    fakes: dict[str, Outcome],
) -> None:
    outcome = fakes["1926479006"]
    (gas,) = outcome.incidents
    assert (gas.sub_event_type, gas.location.admin1_pcode) == ("Chemical weapon", "SY07")
    assert gas.perpetrator.attribution == "alleged"
    assert _best(gas.fatalities) == 86
    assert any("denial" in d for d in outcome.dropped)


def test_strikes_in_three_governorates_stay_three_incidents(fakes: dict[str, Outcome]) -> None:
    outcome = fakes["1923848197"]
    assert _best(_one(outcome, "Air/drone strike", "SY12").civilian_fatalities) == 15  # Jassem
    assert _best(_one(outcome, "Air/drone strike", "SY03").fatalities) == 6  # Douma
    assert _best(_one(outcome, "Air/drone strike", "SY07").fatalities) == 11


def test_a_suspected_chlorine_attack_is_alleged(fakes: dict[str, Outcome]) -> None:
    gas = _one(fakes["1919191753"], "Chemical weapon", "SY02")
    assert gas.perpetrator.attribution == "alleged"
    assert _best(gas.fatalities) == 4


def test_the_aid_convoy_strike_at_urum_al_kubra(fakes: dict[str, Outcome]) -> None:
    strike = _one(fakes["1923102943"], "Air/drone strike", "SY02")
    assert strike.location.name == "Urum al Kubra"
    assert strike.perpetrator.actor == "ru"
    assert strike.fatalities is not None and (strike.fatalities.low or 0) >= 15


def test_an_israeli_strike_on_pro_regime_fighters(fakes: dict[str, Outcome]) -> None:
    strike = _one(fakes["1915433693"], "Air/drone strike", "SY14")
    assert strike.perpetrator.actor == "israel"
    assert _best(strike.fatalities) == 5
