"""One audited change: a transaction with its audit entries, run again when a writer in
another process appended first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine

from ceasewatch.store import audit


def run_change(engine: Engine, change: Callable[[Connection], Any]) -> Any:
    for attempt in audit.retrying():
        try:
            with audit.changes(engine) as conn:
                return change(conn)
        except Exception as e:
            if audit.is_race(e) and attempt < 4:
                continue
            raise
    raise AssertionError("unreachable")  # pragma: no cover
