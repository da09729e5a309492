"""Hand-made incidents that exercise every column, and optional dependencies."""

from __future__ import annotations

import datetime as dt
import importlib
import os
from typing import Any

import pytest

from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def needs(module: str) -> Any:
    """Import an optional dependency; skip without it, but fail under CI, where the
    project's pins install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{module} is not installed (CI=true: the project pins it)")
        pytest.skip(f"{module} is not installed")


def incident(**fields: Any) -> Incident:
    """A hand-made incident; fields override a plain published air strike in Aleppo."""
    record: dict[str, Any] = {
        "id": "t-1",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "occurred": {"start": "2016-09-19", "end": "2016-09-19"},
        "location": {
            "lat": 36.2021,
            "lon": 37.1343,
            "precision": "town",
            "name": "Aleppo",
            "admin1_pcode": "SY02",
            "country": "SY",
        },
        "status": "published",
        "method": ["airstrike"],
        "fatalities": {"low": 3, "best": 4, "high": 6},
        "sources": [{"document_id": "doc-1", "publisher": "Monitor A", "published": "2016-09-20"}],
        "confidence": "fair",
    }
    for key, value in fields.items():
        if isinstance(value, dict) and isinstance(record.get(key), dict):
            record[key] = {**record[key], **value}
        else:
            record[key] = value
    return codec.ADAPTER.validate_python(record)
