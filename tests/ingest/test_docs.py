"""docs/import.md documents every mapping table, row by row, as the code has it."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasewatch.ingest import acled, actors, gdelt, keywords, pipeline, syrian_archive, ucdp

DOC = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
ROWS = [line for line in DOC.splitlines() if line.startswith("| ")]


def row(key: str) -> str:
    """The first table row whose first cell is ``key`` (or starts with "key (")."""
    for line in ROWS:
        first = line.split("|")[1].strip()
        if first == key or first.startswith(f"{key} ("):
            return line
    raise AssertionError(f"docs/import.md has no table row for {key!r}")


def test_acled_event_types() -> None:
    for (event, sub), (new_event, new_sub, methods) in acled.EVENT_TYPES.items():
        if sub.endswith("protestors"):
            assert "(or protestors)" in DOC
            continue
        line = row(f"{event} / {sub}")
        assert f"{new_event} / {new_sub}" in line
        assert all(m in line for m in methods)
    for event, sub in acled.SKIPPED:
        assert "skipped" in row(f"{event.title()} / {sub.capitalize()}")


@pytest.mark.parametrize(
    "table",
    [acled.GEO_PRECISION, ucdp.WHERE_PRECISION, ucdp.DATE_PRECISION, gdelt.GEO_TYPE],
    ids=["acled geo_precision", "ucdp where_prec", "ucdp date_prec", "gdelt ActionGeo_Type"],
)
def test_precision_codes(table) -> None:
    for code, precision in table.items():
        lines = [line for line in ROWS if line.split("|")[1].strip().startswith(f"{code} (")]
        assert any(precision in line.split("|")[2] for line in lines), (code, precision)


def test_acled_time_precision_and_ucdp_violence_types() -> None:
    for code, (precision, _, _) in acled.TIME_PRECISION.items():
        assert any(
            line.split("|")[1].strip().startswith(f"{code} (") and precision in line
            for line in ROWS
        )
    for code, (event, sub) in ucdp.VIOLENCE_TYPES.items():
        assert any(
            line.split("|")[1].strip().startswith(f"{code} (") and f"{event} / {sub}" in line
            for line in ROWS
        )


def test_gdelt_cameo_codes() -> None:
    for code, (event, sub, methods) in gdelt.CAMEO.items():
        line = row(code)
        assert f"{event} / {sub}" in line and all(m in line for m in methods), code
    assert len(gdelt.COLUMNS) == 61


def test_syrian_archive_tables() -> None:
    for weapon, mapped in syrian_archive.WEAPONS.items():
        line = row(weapon)
        if mapped is not None:
            assert f"{mapped[0]} / {mapped[1]}" in line and all(m in line for m in mapped[2])
    for violation in syrian_archive.ALLEGED:
        row(violation)


def test_keyword_rules_synonyms_and_source_classes() -> None:
    for rule, _, event, sub, methods in keywords.RULES:
        line = row(rule)
        assert all(m in line for m in methods)
        assert (event or "(kept)") in line and (sub or "(kept)") in line
    for name, alias in actors.SYNONYMS.items():
        assert alias in row(name)
    for dataset, cls in pipeline.SOURCE_CLASSES.items():
        assert cls in DOC and dataset.split("-")[0] in DOC.lower()
