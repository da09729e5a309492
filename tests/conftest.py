"""Shared fixtures: the bundled scenario, its evaluation, and the ../shared data sets."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ceasewatch import services
from ceasewatch.agreement.model import Scenario
from ceasewatch.agreement.sources import load_bundled

#: The store on both engines (``store``, ``sqlite_template``, ``pg_engine``).
pytest_plugins = ["tests.engines"]

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def syria() -> Scenario:
    return load_bundled("syria-2016")


@pytest.fixture(scope="session")
def syria_outcome(syria: Scenario) -> services.Outcome:
    return services.run(
        syria, services.bundled_incidents(syria), None, access=services.scenario_access(syria)
    )


def shared_path(relative: str) -> Path:
    """A file of ../shared; skip when it is absent, but fail under CI, where it must be."""
    path = SHARED / relative
    if not path.exists():
        reason = f"{path} is absent: golden tests on real data need ../shared beside the repo"
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " (CI=true: it must be there)")
        pytest.skip(reason)
    return path
