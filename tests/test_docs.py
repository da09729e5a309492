"""Docs that cannot drift: the CLI reference, the rule types, the README's commands."""

from __future__ import annotations

from pathlib import Path

from ceasewatch.agreement.model import RULE_TYPES, ZONE_TYPES
from ceasewatch.agreement.sources import load_path
from ceasewatch.clidoc import render

ROOT = Path(__file__).parents[1]


def test_cli_reference_is_current() -> None:
    assert (ROOT / "docs/cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run python -m ceasewatch.clidoc > docs/cli.md"
    )


def test_every_rule_type_and_zone_type_is_documented() -> None:
    spec = (ROOT / "docs/spec.md").read_text(encoding="utf-8")
    for name in RULE_TYPES:
        assert f"`{name}`" in spec, name
    for name in ZONE_TYPES:
        assert f"`{name}`" in spec, name


def test_the_documented_example_is_a_valid_spec() -> None:
    scenario = load_path(ROOT / "docs/examples/minimal")
    assert scenario.agreements


def test_readme_gives_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "benchmarks/evaluate.py" in readme
    assert (ROOT / ".ci/run").read_text(encoding="utf-8").strip().endswith("exec make test")


def test_the_readme_shows_the_map_the_incident_panel_and_the_report() -> None:
    """`make screenshots` writes them (tools/screenshots.py); the README shows each, and
    each is small enough to keep in the repository."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("dashboard-map.png", "dashboard-incident.png", "report-daily.png"):
        assert f"](docs/img/{name})" in text, name
        png = ROOT / "docs" / "img" / name
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        assert png.stat().st_size < 300_000, f"{name}: keep screenshots small"
    shots = (ROOT / "tools" / "screenshots.py").read_text(encoding="utf-8")
    assert "pdftoppm" in shots and "report-daily.png" in shots
