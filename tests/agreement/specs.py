"""Helpers for tests that break a copy of a spec folder and read what ``check`` says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from ceasewatch.agreement.problems import SpecInvalid
from ceasewatch.agreement.sources import load_path

#: ``file:line: field.path: what`` (the line is required).
LOCATED = re.compile(r"^[\w.-]+\.(yaml|geojson|json):\d+: \S+: .+")


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in a file; fail when the fixture text is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {path.name}: {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(path: Path) -> list[str]:
    """Every problem ``check`` reports for ``path`` (which must be invalid)."""
    with pytest.raises(SpecInvalid) as caught:
        load_path(path)
    return [str(p) for p in caught.value.problems]


def read_features(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def write_features(path: Path, data: dict[str, Any]) -> None:
    """Write a FeatureCollection pretty-printed, one line per key, as editors do."""
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")


def feature(data: dict[str, Any], fid: str) -> dict[str, Any]:
    found: dict[str, Any] = next(f for f in data["features"] if f["properties"].get("id") == fid)
    return found


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``needle``."""
    hits = [
        n
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if needle in line
    ]
    assert len(hits) >= occurrence, f"{needle!r} found {len(hits)} time(s) in {path.name}"
    return hits[occurrence - 1]
