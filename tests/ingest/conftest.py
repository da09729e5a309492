from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ceasewatch.ingest.context import Context, default_context
from ceasewatch.store import db


@pytest.fixture
def engine(tmp_path: Path):
    e = db.open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield e
    e.dispose()


@pytest.fixture(scope="session")
def ctx() -> Context:
    return default_context()


def fixed_now() -> dt.datetime:
    return dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
