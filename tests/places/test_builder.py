"""tools/build_syria_gazetteer.py on the real data: deterministic, and what it bundles."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, shared_path
from tests.places._tools import load_tool

BUNDLED = REPO / "src/ceasewatch/agreement/scenarios/syria-2016/gazetteer.tsv"


@pytest.mark.slow
def test_the_builder_is_deterministic_and_the_bundled_file_is_current(tmp_path: Path) -> None:
    shared = shared_path("data/ucdp-ged-syria").parents[1]
    builder = load_tool("build_syria_gazetteer")
    first, second = tmp_path / "a", tmp_path / "b"
    assert builder.main(["--shared", str(shared), "--out", str(first)]) == 0
    assert builder.main(["--shared", str(shared), "--out", str(second)]) == 0
    built = (first / "gazetteer.tsv").read_bytes()
    assert built == (second / "gazetteer.tsv").read_bytes()
    assert built == BUNDLED.read_bytes(), (
        "the bundled gazetteer is stale: run python tools/build_syria_gazetteer.py"
    )
