"""The worked example's store (built by ``services.demo``), shared by export and report
tests."""

from __future__ import annotations

import pytest

from ceasewatch import services
from tests.exports.made import NOW


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, services.Outcome]:
    """The worked example's store (URL) and its evaluation."""
    outcome, url, _ = services.demo(tmp_path_factory.mktemp("demo"), NOW)
    return url, outcome
