"""One extraction pipeline for the whole session (the model loads once)."""

from __future__ import annotations

import pytest

from ceasewatch.agreement.model import Scenario
from ceasewatch.extract.run import Extractor


@pytest.fixture(scope="session")
def extractor(syria: Scenario) -> Extractor:
    return Extractor(syria)
