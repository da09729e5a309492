"""The server's settings: built by the caller (``ceasewatch serve`` or a test), never at
import time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    db_url: str
    """Store URL (sqlite:///FILE.db or postgresql+psycopg://user@host/db)."""
    max_body_bytes: int = Field(default=1_048_576, ge=1024)
    """Largest JSON body accepted; larger ones get 413."""
    max_evidence_bytes: int = Field(default=20 * 1_048_576, ge=1024)
    """Largest evidence upload accepted; larger ones get 413."""
    webhook_url: str | None = None
    """Called (POST, JSON) when a trigger fires, a gate passes or fails, a query is answered."""
    clock: Callable[[], dt.datetime] = utc_now
    """Where "now" comes from (tests pass a fixed clock)."""
