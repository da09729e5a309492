"""An incident as a caller may see it: the public's copy withholds the people sources cite."""

from __future__ import annotations

from typing import Any

from ceasewatch.exports.stored import WITHHELD as WITHHELD  # one policy for the API and its exports
from ceasewatch.exports.stored import redact as redact
from ceasewatch.server.services.callers import Caller
from ceasewatch.store import search


def shown(row: search.Row, caller: Caller) -> dict[str, Any]:
    """An incident as the caller may see it (record + metadata)."""
    public = caller.access == "published"
    return {
        "incident": redact(row.record) if public else row.record,
        "version": row.version,
        "status": row.status,
        "owner_party": row.owner_party,
        "created_by": None if public else row.created_by,
        "updated_at": row.updated_at,
    }
