"""How much of the real Syrian data the bundled gazetteer resolves (tools/measure_...)."""

from __future__ import annotations

import pytest

from ceasewatch.agreement.model import Scenario
from ceasewatch.places import for_scenario
from tests.conftest import shared_path
from tests.places._tools import load_tool

#: Floors a little under the figures measured when the gazetteer was built (docs/places.md).
FLOORS = {
    "fakes_location": 0.99,
    "fakes_text": 0.95,
    "fakes_crowd": 0.85,
    "ucdp_2016": 0.93,
    "sa_2016": 0.93,
}


@pytest.mark.slow
def test_the_gazetteer_resolves_the_real_place_names(syria: Scenario) -> None:
    shared = shared_path("data/fakes-syria-news").parents[1]
    figures = load_tool("measure_syria_gazetteer").measure(shared, for_scenario(syria))
    assert set(figures) == set(FLOORS)
    for name, (hits, total) in figures.items():
        assert total > 100, name
        assert hits / total >= FLOORS[name], f"{name}: {hits}/{total}"
