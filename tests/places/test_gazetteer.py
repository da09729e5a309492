"""The gazetteer's answers on a small hand-made country: lookup order, text scan with
offsets, and the choice among places that share a name."""

from __future__ import annotations

import pytest

from ceasewatch.places import Gazetteer, Place


def _p(pid: str, name: str, kind: str, lat: float, lon: float, a1: str | None, a2: str | None,
       *names: str, parent: str | None = None, events: int = 0) -> Place:  # fmt: skip
    precision = {
        "governorate": "province",
        "district": "district",
        "neighbourhood": "neighbourhood",
    }
    return Place(pid, name, lat, lon, precision.get(kind, "town"), a1, a2, "SY", kind,  # type: ignore[arg-type]
                 (name, *names), parent=parent, events=events)  # fmt: skip


PLACES = [
    _p("SY02", "Aleppo", "governorate", 36.2, 37.6, "SY02", None, "Halab", "Aleppo province"),
    _p("SY05", "Hama", "governorate", 35.2, 37.0, "SY05", None),
    _p("SY0501", "Hama", "district", 35.1, 36.9, "SY05", "SY0501"),
    _p("SY04", "Homs", "governorate", 34.5, 38.4, "SY04", None),
    _p("SY0204", "A'zaz", "district", 36.5, 37.2, "SY02", "SY0204", "Azaz"),
    _p("c-aleppo", "Aleppo", "city", 36.2012, 37.1612, "SY02", "SY0200", "Halab", events=800),
    _p("c-hama", "Hama", "city", 35.13, 36.75, "SY05", "SY0501", events=14),
    _p("t-azaz", "Azaz", "town", 36.586, 37.046, "SY02", "SY0204", events=30),
    _p(
        "n-sukkari",
        "Sukkari",
        "neighbourhood",
        36.173,
        37.1406,
        "SY02",
        "SY0200",
        "al-Sukkari",
        parent="c-aleppo",
        events=68,
    ),  # fmt: skip
    _p("v-sukkari", "Sukkari", "village", 34.9, 38.1, "SY04", "SY0405", events=1),
    _p("v-hamra-hama", "Hamra", "village", 35.31, 37.08, "SY05", "SY0501", events=2),
    _p("v-hamra-homs", "Hamra", "village", 35.46, 36.37, "SY04", "SY0404", events=1),
    _p("v-suran-hama", "Suran", "town", 35.29, 36.74, "SY05", "SY0501", events=9),
    _p("v-suran-aleppo", "Suran", "town", 36.45, 37.29, "SY02", "SY0204", events=7),
    _p("t-bab", "Al Bab", "town", 36.37, 37.52, "SY02", "SY0202", "al-Bab", events=100),
    _p("s-tall", "At Tall", "town", 33.61, 36.31, "SY03", "SY0304"),
    _p("t-tall-rifaat", "Tall Rifaat", "town", 36.47, 37.1, "SY02", "SY0204", "Tal Rifaat"),
    _p("v-assad", "Al Assad", "town", 33.5, 36.4, "SY03", "SY0302"),
    _p("a-ghouta", "Eastern Ghouta", "area", 33.5, 36.44, "SY03", "SY0301", "Ghouta"),
]


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return Gazetteer(PLACES)


def test_lookup_orders_a_city_before_its_governorate(g: Gazetteer) -> None:
    assert [p.id for p in g.lookup("Aleppo")] == ["c-aleppo", "SY02"]
    assert [p.id for p in g.lookup("HALAB")] == ["c-aleppo", "SY02"]


def test_lookup_puts_the_seat_town_before_the_district_named_after_it(g: Gazetteer) -> None:
    assert [p.id for p in g.lookup("Azaz")] == ["t-azaz", "SY0204"]


def test_a_kind_word_narrows_the_lookup(g: Gazetteer) -> None:
    assert [p.id for p in g.lookup("Aleppo city")] == ["c-aleppo"]
    assert [p.id for p in g.lookup("Hama province")] == ["SY05"]
    assert [p.id for p in g.lookup("eastern Aleppo")] == ["c-aleppo", "SY02"]
    assert g.lookup("Atlantis") == ()


def test_find_in_text_gives_offsets_that_cut_the_name_out(g: Gazetteer) -> None:
    text = (
        "Jets struck al-Sukkari in Aleppo; Tal Rifaat and al-Bab were shelled, Hama province too."
    )
    mentions = g.find_in_text(text)
    assert [m.text for m in mentions] == [
        "al-Sukkari", "Aleppo", "Tal Rifaat", "al-Bab", "Hama province",
    ]  # fmt: skip
    for m in mentions:
        assert text[m.start : m.end] == m.text
    assert mentions[0].places[0].id == "n-sukkari"
    assert [p.id for p in mentions[-1].places] == ["SY05"]


@pytest.mark.parametrize(
    "text",
    [
        "A tall man stood at the Bab.",  # lower-case words, generic word alone
        "Tall buildings fell.",  # a generic word alone, capitalised
        "President Bashar al-Assad spoke.",  # never scanned alone
        "the aleppo media",  # lower case is not a name
    ],
)
def test_words_that_are_not_place_names_are_not_found(g: Gazetteer, text: str) -> None:
    assert [m.text for m in g.find_in_text(text)] == []


def test_names_do_not_run_across_punctuation_or_lines(g: Gazetteer) -> None:
    assert [m.text for m in g.find_in_text("Tall. Rifaat")] == []
    assert [m.text for m in g.find_in_text("Eastern\nGhouta")] == ["Ghouta"]
    assert [m.text for m in g.find_in_text("Eastern Ghouta")] == ["Eastern Ghouta"]


def test_find_in_text_reads_arabic_script() -> None:
    g = Gazetteer([_p("c", "Aleppo", "city", 36.2, 37.16, "SY02", "SY0200", "حلب")])
    text = "قصف على حَلَب اليوم"
    (m,) = g.find_in_text(text)
    assert m.text == "حَلَب" and text[m.start : m.end] == m.text


def test_a_neighbourhood_name_is_resolved_by_its_co_mentioned_city(g: Gazetteer) -> None:
    r = g.resolve(["al-Sukkari", "Aleppo"])
    assert r.status == "resolved" and r.place is not None
    assert (r.place.id, r.precision, r.admin1_pcode) == ("n-sukkari", "neighbourhood", "SY02")
    assert "'Aleppo'" in r.reason


def test_a_village_in_two_governorates_is_resolved_by_the_co_mentioned_one(g: Gazetteer) -> None:
    assert g.resolve(["Suran", "Hama province"]).place.id == "v-suran-hama"  # type: ignore[union-attr]
    assert g.resolve(["Suran", "Aleppo"]).place.id == "v-suran-aleppo"  # type: ignore[union-attr]
    assert g.resolve(["Suran", "Azaz"]).place.id == "v-suran-aleppo"  # type: ignore[union-attr]


def test_without_context_such_a_village_is_ambiguous_and_says_why(g: Gazetteer) -> None:
    r = g.resolve(["Suran"])
    assert r.status == "ambiguous" and r.place is None
    assert len(r.candidates) == 2
    assert (r.admin1_pcode, r.precision) == (None, "country")
    assert "in different governorates" in r.reason and "Suran" in r.reason


def test_an_unknown_name_is_unresolved_with_a_reason(g: Gazetteer) -> None:
    r = g.resolve(["Atlantis", "Aleppo"])
    assert (r.status, r.place, r.candidates) == ("unresolved", None, ())
    assert "Atlantis" in r.reason


def test_a_city_is_meant_over_a_village_and_a_unit_of_the_same_name(g: Gazetteer) -> None:
    r = g.resolve(["Hama"])
    assert r.place is not None and r.place.id == "c-hama"
    assert "city" in r.reason


def test_resolve_all_resolves_each_mention_with_the_others(g: Gazetteer) -> None:
    first, second = g.resolve_all(["Sukkari", "Aleppo"])
    assert first.place is not None and first.place.id == "n-sukkari"
    assert second.place is not None and second.place.id == "c-aleppo"


def test_resolve_takes_mentions_found_in_the_text(g: Gazetteer) -> None:
    mentions = g.find_in_text("Shelling on Suran, in Hama province")
    r = g.resolve(mentions)
    assert r.place is not None and r.place.id == "v-suran-hama"


def test_admin_of_without_outlines_is_unknown(g: Gazetteer) -> None:
    assert g.admin_of(36.2, 37.16) == (None, None)


def _hamas() -> Gazetteer:
    return Gazetteer(
        [
            Place("SY05", "Hama", 35.1, 36.7, "province", "SY05", None, "SY", "governorate"),
            Place("c", "Hama", 35.13, 36.75, "town", "SY05", "SY0501", "SY", "city"),
            Place("l", "Al Lataminah", 35.32, 36.62, "town", "SY05", "SY0505", "SY", "town"),
            Place("v", "Al Hamah", 33.56, 36.23, "town", "SY03", "SY0301", "SY", "town",
                  ("Al Hamah", "Hama")),
            Place("SY03", "Rural Damascus", 33.5, 36.5, "province", "SY03", None, "SY",
                  "governorate", ("Rural Damascus", "Damascus Countryside")),
            Place("d", "Damascus", 33.51, 36.29, "town", "SY01", "SY0100", "SY", "city"),
            Place("h", "Harfa", 33.3, 35.9, "town", "SY03", "SY0302", "SY", "town"),
            Place("r", "Harasta", 33.56, 36.36, "town", "SY03", "SY0301", "SY", "town"),
            Place("q", "Qudsaya", 33.55, 36.24, "town", "SY03", "SY0301", "SY", "town"),
        ]
    )  # fmt: skip


def _hama_in(g: Gazetteer, text: str) -> str | None:
    found = g.find_in_text(text)
    hama = next(m for m in found if m.text == "Hama")
    place = g.resolve([hama, *(m for m in found if m is not hama)]).place
    return place.id if place is not None else None


def test_a_seat_outweighs_places_in_the_governorate_of_a_village_of_its_name() -> None:
    g = _hamas()
    # places around Damascus, none near the village of al-Hamah: the city of Hama
    assert _hama_in(g, "Harfa, Harasta in Damascus Countryside and Damascus. In Hama.") == "c"
    # a town right beside the village: the village
    assert _hama_in(g, "Qudsaya and Damascus. In Hama.") == "v"


def test_a_governorate_named_by_kind_word_vouches_for_its_seat() -> None:
    g = _hamas()
    near_village = "Damascus and Qudsaya. In Hama, at al-Lataminah"
    assert _hama_in(g, near_village + ".") == "v"
    assert _hama_in(g, near_village + " in the north of Hama province.") == "c"


def test_an_article_fused_to_a_later_word_of_a_name_is_split_off() -> None:
    g = Gazetteer(
        [
            _p("t", "Tall al-Waradat", "town", 35.1, 36.6, "SY05", None),
            _p("v", "Alsaqiyah", "village", 35.2, 36.7, "SY05", None),
        ]
    )
    text = "Shells fell on Tall Alwaradat and Alsaqiyah."
    found = [(m.text, m.places[0].id) for m in g.find_in_text(text)]
    assert found == [("Tall Alwaradat", "t"), ("Alsaqiyah", "v")]
    assert [p.id for p in g.lookup("Tall Alwaradat")] == ["t"]
    # a later word that merely begins with "al" is left as written
    assert g.find_in_text("Tall Alwarad") == []
