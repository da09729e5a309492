"""How much of the real Syrian data the bundled gazetteer resolves (tools/measure_...)."""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

import pytest

from ceasewatch.agreement.model import Scenario
from ceasewatch.places import for_scenario
from tests.conftest import REPO, shared_path


def _tool() -> ModuleType:
    path = REPO / "tools" / "measure_syria_gazetteer.py"
    spec = importlib.util.spec_from_file_location("measure_syria_gazetteer", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


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
    figures = _tool().measure(shared, for_scenario(syria))
    assert set(figures) == set(FLOORS)
    for name, (hits, total) in figures.items():
        assert total > 100, name
        assert hits / total >= FLOORS[name], f"{name}: {hits}/{total}"
