"""The scenario key naming the gazetteer: a missing file is reported like any other."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasewatch.agreement.problems import SpecInvalid
from ceasewatch.agreement.sources import BUNDLED, load_path
from ceasewatch.cli import app
from ceasewatch.errors import UsageError
from ceasewatch.places import for_scenario


@pytest.fixture
def spec_dir(tmp_path: Path) -> Path:
    target = tmp_path / "spec"
    shutil.copytree(BUNDLED / "syria-2016", target)
    return target


def test_a_missing_gazetteer_file_is_a_spec_problem(spec_dir: Path) -> None:
    (spec_dir / "gazetteer.tsv").unlink()
    with pytest.raises(SpecInvalid) as caught:
        load_path(spec_dir)
    (problem,) = [str(p) for p in caught.value.problems]
    assert problem.startswith("scenario.yaml:")
    assert "geography.gazetteer" in problem or "gazetteer" in problem
    assert "file 'gazetteer.tsv' not found" in problem


def test_check_reports_the_missing_gazetteer(spec_dir: Path) -> None:
    (spec_dir / "gazetteer.tsv").unlink()
    result = CliRunner().invoke(app, ["check", str(spec_dir)])
    assert result.exit_code == 1
    assert "file 'gazetteer.tsv' not found" in result.output


def test_a_scenario_without_a_gazetteer_says_how_to_add_one(spec_dir: Path) -> None:
    yaml = spec_dir / "scenario.yaml"
    text = yaml.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("gazetteer:")]
    yaml.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scenario = load_path(spec_dir)
    assert scenario.gazetteer_file is None
    with pytest.raises(UsageError, match="gazetteer: FILE"):
        for_scenario(scenario)
