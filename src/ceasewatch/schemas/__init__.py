"""The JSON Schemas every capability uses: incident.v1 and finding.v1.

They are generated from the frozen dataclasses (``incidents.model.Incident``,
``evaluate.finding.Finding``) and shipped as files here and in docs/schemas/;
``tests/test_schemas.py`` fails when the shipped files fall behind the code.
Regenerate with ``python -m ceasewatch.schemas``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from ceasewatch.evaluate.finding import Finding
from ceasewatch.incidents.model import Incident

HERE = Path(__file__).parent
BASE = "https://ceasewatch.invalid/schemas/"


def generate() -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, kind in (("incident.v1", Incident), ("finding.v1", Finding)):
        schema = TypeAdapter(kind).json_schema(mode="serialization")
        out[name] = {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"{BASE}{name}.json",
            **schema,
        }
    return out


def text(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def load(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
    return result


def write(folders: list[Path]) -> None:
    for name, schema in generate().items():
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{name}.json").write_text(text(schema), encoding="utf-8")
