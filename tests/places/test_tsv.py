"""The gazetteer file format: round trip, and bad rows reported without losing good ones."""

from __future__ import annotations

import pytest

from ceasewatch.places import Gazetteer, GazetteerInvalid, Place, tsv

PLACES = [
    Place("SY02", "Aleppo", 36.2, 37.6, "province", "SY02", None, "SY", "governorate",
          ("Aleppo", "Halab", "حلب"), sources=("ocha",)),
    Place("SY0200-sukkari", "Sukkari", 36.17306, 37.1406, "neighbourhood", "SY02", "SY0200",
          "SY", "neighbourhood", ("Sukkari", "al-Sukkari"), parent="SY0200-aleppo", events=68,
          sources=("syrian-archive", "ucdp")),
]  # fmt: skip


def test_places_survive_a_round_trip() -> None:
    text = tsv.write(PLACES, "SY")
    loaded = tsv.read(text, "g.tsv")
    assert loaded.problems == ()
    assert loaded.country == "SY"
    assert list(loaded.places) == PLACES
    assert tsv.write(loaded.places, "SY") == text


def test_each_bad_row_is_named_and_the_good_rows_are_kept() -> None:
    good = tsv.write(PLACES, "SY").splitlines()
    bad_rows = [
        "x1\tNowhere\tvolcano\t\t35\t38\t\t\t\t\t\t",
        "x2\tFar\ttown\t\t135\t38\t\t\t\t\t\t",
        "x3\tShort\ttown",
        "SY02\tAgain\tgovernorate\t\t36\t37\t\t\t\t\t\t",
        "x4\tLoud\ttown\tstreet\t35\t38\t\t\t\t\t\t",
        "x5\tMany\ttown\t\t35\t38\t\t\t\tlots\t\t",
    ]
    text = "\n".join([*good[:3], *bad_rows, good[3]]) + "\n"
    loaded = tsv.read(text, "g.tsv")
    assert [p.id for p in loaded.places] == ["SY02", "SY0200-sukkari"]
    assert len(loaded.problems) == len(bad_rows)
    expected = ["g.tsv:4: kind", "g.tsv:5: lat", "g.tsv:6: 3 fields", "g.tsv:7: id",
                "g.tsv:8: precision", "g.tsv:9: events"]  # fmt: skip
    for problem, start in zip(loaded.problems, expected, strict=True):
        assert problem.startswith(start), problem
        assert " — " in problem or "out of range" in problem, problem


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not a gazetteer"),
        ("id\tname\n", "not a gazetteer"),
        ("# ceasewatch.gazetteer.v1 country=SY\nid\tname\tlat\n", "columns kind, lon are missing"),
    ],
)
def test_a_file_without_its_header_is_refused(text: str, message: str) -> None:
    with pytest.raises(GazetteerInvalid) as caught:
        Gazetteer.parse(text, "g.tsv")
    assert message in str(caught.value)


def test_a_field_holding_a_separator_cannot_be_written() -> None:
    bad = Place("x", "A|B", 35.0, 38.0, "town", None, None, "SY", "town")
    with pytest.raises(ValueError, match="may not hold"):
        tsv.write([bad], "SY")
