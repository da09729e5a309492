"""The bundled Syria gazetteer: loads without ../shared, knows the common spellings."""

from __future__ import annotations

import pytest

from ceasewatch.agreement.model import Scenario
from ceasewatch.places import Gazetteer, for_scenario


@pytest.fixture(scope="module")
def gazetteer(syria: Scenario) -> Gazetteer:
    return for_scenario(syria)


def test_the_bundled_file_loads_without_problems(syria: Scenario, gazetteer: Gazetteer) -> None:
    assert syria.gazetteer_file == "gazetteer.tsv"
    assert gazetteer.problems == ()
    assert len(gazetteer) > 1000
    assert for_scenario(syria) is gazetteer  # built once per process


SPELLINGS = {
    "SY02": ["Aleppo", "Halab", "حلب"],
    "SY09": ["Deir ez-Zor", "Deir al-Zour", "Deir Ezzor", "Dayr az Zawr", "Deir el-Zour"],
    "SY07": ["Idlib", "Idleb", "إدلب"],
    "SY11": ["Raqqa", "Al-Raqqah", "Rakka", "Ar-Raqqa"],
    "SY04": ["Homs", "Hims"],
    "SY05": ["Hama", "Hamah"],
    "SY12": ["Daraa", "Deraa", "Dar'a"],
    "SY06": ["Latakia", "Lattakia", "Al-Ladhiqiyah"],
    "SY08": ["Hasakah", "Hasakeh", "Al-Hasakah"],
    "SY14": ["Quneitra"],
    "SY10": ["Tartus", "Tartous"],
    "SY03": [
        "Rural Damascus",
        "Damascus countryside",
        "Rif Dimashq",
        "Eastern Ghouta",
        "Douma",
        "Duma",
    ],
    "SY01": ["Damascus"],
}


@pytest.mark.parametrize(
    ("pcode", "name"), [(p, n) for p, names in SPELLINGS.items() for n in names]
)
def test_alternate_spellings_resolve_to_their_governorate(
    gazetteer: Gazetteer, pcode: str, name: str
) -> None:
    found = gazetteer.lookup(name)
    assert found, name
    resolution = gazetteer.resolve([name])
    assert resolution.status == "resolved", resolution.reason
    assert resolution.admin1_pcode == pcode


def test_damascus_and_rural_damascus_are_different_governorates(gazetteer: Gazetteer) -> None:
    damascus = gazetteer.resolve(["Damascus"]).place
    rural = gazetteer.resolve(["Rural Damascus"]).place
    assert damascus is not None and rural is not None
    assert (damascus.admin1_pcode, damascus.kind) == ("SY01", "city")
    assert (rural.admin1_pcode, rural.kind) == ("SY03", "governorate")


@pytest.mark.parametrize("spelling", ["al-Sukkari", "Sukkari", "Sukkary", "al Sukkari"])
def test_al_sukkari_is_an_aleppo_neighbourhood(gazetteer: Gazetteer, spelling: str) -> None:
    r = gazetteer.resolve([spelling, "Aleppo"])
    assert r.place is not None, r.reason
    assert (r.place.admin1_pcode, r.place.precision) == ("SY02", "neighbourhood")
    parent = gazetteer.get(r.place.parent or "")
    assert parent is not None and parent.name == "Aleppo" and parent.kind == "city"


def test_admin_of_uses_the_bundled_districts(gazetteer: Gazetteer) -> None:
    sukkari = gazetteer.lookup("al-Sukkari")[0]
    assert gazetteer.admin_of(sukkari.lat, sukkari.lon) == ("SY02", "SY0200")
    assert gazetteer.admin_of(0.0, 0.0) == (None, None)


def test_a_real_village_name_in_two_governorates(gazetteer: Gazetteer) -> None:
    alone = gazetteer.resolve(["Suran"])
    assert alone.status == "ambiguous" and alone.place is None
    assert {p.admin1_pcode for p in alone.candidates} >= {"SY02", "SY05"}
    assert "no co-mentioned place" in alone.reason
    assert gazetteer.resolve(["Suran", "Hama"]).admin1_pcode == "SY05"
    assert gazetteer.resolve(["Suran", "Aleppo"]).admin1_pcode == "SY02"


def test_the_seed_report_places_are_found_in_order(gazetteer: Gazetteer) -> None:
    # written for this test, in the manner of a news report
    text = (
        "Activists said airstrikes hit the al-Sukkari neighborhood of Aleppo on Wednesday, "
        "while convoys waited on the Castello road north of the city."
    )
    mentions = gazetteer.find_in_text(text)
    assert [m.text for m in mentions][:2] == ["al-Sukkari", "Aleppo"]
    r = gazetteer.resolve(mentions)
    assert r.place is not None and (r.admin1_pcode, r.precision) == ("SY02", "neighbourhood")


@pytest.mark.parametrize(
    ("text", "written", "admin1"),
    [
        ("Rebels shelled the town of Jisr al-Shaghour on Monday.", "Jisr al-Shaghour", "SY07"),
        ("Jets struck Maaret Masrin at dawn.", "Maaret Masrin", "SY07"),
        ("Shells fell on the al-Hamadaniyeh neighbourhood.", "al-Hamadaniyeh", None),
    ],
)
def test_spellings_that_differ_in_their_vowels_are_found_by_their_consonants(
    gazetteer: Gazetteer, text: str, written: str, admin1: str | None
) -> None:
    assert not any(m.text == written for m in gazetteer.find_in_text(text))
    (m,) = gazetteer.find_variants(text, [(m.start, m.end) for m in gazetteer.find_in_text(text)])
    assert m.text == written and text[m.start : m.end] == written
    assert admin1 is None or m.places[0].admin1_pcode == admin1


@pytest.mark.parametrize(
    "text",
    [
        "The monitor said Bashar al-Assad spoke.",  # a person, not Bashur
        "Gunmen opened fire.",  # an English word, not Ghanaman
        "Mr Harbnafsah said.",  # one word with nothing saying it is a place
    ],
)
def test_words_that_only_share_consonants_with_a_place_are_not_found(
    gazetteer: Gazetteer, text: str
) -> None:
    assert gazetteer.find_variants(text) == []
