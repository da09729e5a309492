"""docs/exports.md describes every column each format writes, in the order written."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasewatch.exports import acled, flat, ucdp
from ceasewatch.exports.table import Column

DOC = Path(__file__).parents[2] / "docs/exports.md"


def markdown(columns: tuple[Column, ...]) -> str:
    """The table of columns as docs/exports.md shows it."""
    lines = ["| # | column | type | value |", "|---|---|---|---|"]
    for k, c in enumerate(columns, 1):
        doc = c.doc.replace("|", "\\|")  # a bar would end the table cell
        lines.append(f"| {k} | `{c.name}` | {c.kind} | {doc} |")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "columns",
    [acled.COLUMNS, ucdp.COLUMNS, flat.INCIDENT_COLUMNS, flat.FINDING_COLUMNS],
    ids=["acled", "ucdp", "incidents", "findings"],
)
def test_every_column_is_documented_in_order(columns: tuple[Column, ...]) -> None:
    assert markdown(columns) in DOC.read_text(encoding="utf-8"), (
        "docs/exports.md is stale: paste tests.exports.test_docs.markdown(...) for this table"
    )
