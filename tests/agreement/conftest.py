"""Fresh copies of the bundled scenario and of the minimal example, to break in tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ceasewatch.agreement.sources import BUNDLED

MINIMAL = Path(__file__).resolve().parents[2] / "docs" / "examples" / "minimal"


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    """A copy of the bundled syria-2016 scenario."""
    target = tmp_path / "spec"
    shutil.copytree(BUNDLED / "syria-2016", target)
    return target


@pytest.fixture
def minimal_dir(tmp_path: Path) -> Path:
    """A copy of docs/examples/minimal (small: every test can afford to break it)."""
    target = tmp_path / "minimal"
    shutil.copytree(MINIMAL, target)
    return target
