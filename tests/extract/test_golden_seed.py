"""The worked example: the seed report gives exactly its two incidents (issue 3's acceptance).

The article is read from ../shared at run time; nothing of its text is kept here.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ceasewatch.extract.article import Article, Outcome
from ceasewatch.extract.run import Extractor
from ceasewatch.incidents.model import Incident
from tests.conftest import shared_path

SEED = "seed/000_66cf9ca88cf9de5f.txt"


def _seed(published: dt.date | None) -> Article:
    text = shared_path(SEED).read_text(encoding="utf-8")
    return Article("000_66cf9ca88cf9de5f", text, published=published, source="CNN")


@pytest.fixture(scope="module")
def seed(extractor: Extractor) -> Outcome:
    return extractor.extract(_seed(dt.date(2016, 9, 7)))


def _by_type(outcome: Outcome) -> dict[str, Incident]:
    return {i.sub_event_type: i for i in outcome.incidents}


def test_the_seed_gives_exactly_the_airstrikes_and_the_chlorine_attack(seed: Outcome) -> None:
    assert sorted(i.sub_event_type for i in seed.incidents) == [
        "Air/drone strike",
        "Chemical weapon",
    ]
    assert all(i.status == "proposed" for i in seed.incidents)


def test_the_airstrikes_are_on_al_sukkari_on_wednesday_with_their_tolls(seed: Outcome) -> None:
    strike = _by_type(seed)["Air/drone strike"]
    assert strike.location.admin1_pcode == "SY02"
    assert strike.location.precision == "neighbourhood"
    assert "Sukkari" in (strike.location.name or "")
    assert (strike.occurred.start, strike.occurred.end) == (
        dt.date(2016, 9, 7),
        dt.date(2016, 9, 7),
    )
    assert strike.fatalities is not None and strike.fatalities.low == 7
    # "more than 40": the figure given, open above, coded 40 (docs/extract.md, tolls)
    assert strike.injured is not None and (strike.injured.low, strike.injured.high) == (40, None)
    assert strike.method == ("airstrike",)


def test_the_airstrikes_name_no_perpetrator_and_cite_the_activist(seed: Outcome) -> None:
    strike = _by_type(seed)["Air/drone strike"]
    assert (strike.perpetrator.actor, strike.perpetrator.attribution) == (None, "unknown")
    cited = [s.attributed_to for s in strike.sources]
    assert "an activist from the Aleppo Media Center" in cited
    text = _seed(None).text
    first = strike.sources[0]
    assert first.start is not None and first.end is not None
    assert "al-Sukkari" in text[first.start : first.end]


def test_the_chlorine_attack_starts_the_day_before_and_notes_the_conflicting_mention(
    seed: Outcome,
) -> None:
    gas = _by_type(seed)["Chemical weapon"]
    assert gas.occurred.start == dt.date(2016, 9, 6)
    assert gas.occurred.end == dt.date(2016, 9, 7)
    assert gas.occurred.note is not None and "2016-09-07" in gas.occurred.note
    assert gas.location.admin1_pcode == "SY02"
    assert gas.perpetrator.attribution == "alleged"
    assert gas.injured is not None and gas.injured.low == 12  # "dozens": ACLED's 12
    assert gas.method == ("chemical",)


def test_plans_conditionals_and_intentions_do_not_become_incidents(seed: Outcome) -> None:
    reasons = " ".join(seed.dropped)
    assert "halt" in reasons  # "Russia would agree to halt its attacks ..."
    assert "generic" in reasons  # "Russia has mostly focused on bombing groups ..."
    assert len(seed.incidents) == 2


def test_without_a_publication_date_relative_dates_stay_unresolved(extractor: Extractor) -> None:
    outcome = extractor.extract(_seed(None))
    assert outcome.incidents == ()
    assert len(outcome.unresolved) == 2
    for u in outcome.unresolved:
        assert "publication date" in u.reason and "Wednesday" in u.reason
        assert u.draft["occurred"]["start"] is None
    line = outcome.to_json()
    assert line["incidents"] == [] and len(line["unresolved"]) == 2
