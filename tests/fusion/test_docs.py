"""docs/fusion.md stays true: every setting, grading rule and source class is in it."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from ceasewatch.fusion import SOURCE_CLASSES, FusionSettings, GradingRules
from ceasewatch.fusion.settings import TOLL_POLICIES

DOC = (Path(__file__).resolve().parents[2] / "docs" / "fusion.md").read_text(encoding="utf-8")
NAMES = [f.name for cls in (FusionSettings, GradingRules) for f in dataclasses.fields(cls)]


@pytest.mark.parametrize("name", NAMES + list(SOURCE_CLASSES) + list(TOLL_POLICIES))
def test_every_setting_and_class_is_documented(name: str) -> None:
    assert f"`{name}`" in DOC, f"docs/fusion.md does not mention `{name}`"


def test_the_documented_defaults_are_the_defaults() -> None:
    s = FusionSettings()
    for name in ("threshold", "ambiguity_margin", "max_date_slack_days", "min_radius_m"):
        assert f"| `{name}` | {getattr(s, name):g} |" in DOC, name
