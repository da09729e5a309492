"""An incident as a caller may see it: the public's copy withholds the people sources cite."""

from __future__ import annotations

from typing import Any

from ceasewatch.server.services.callers import Caller
from ceasewatch.store import search

WITHHELD = "[withheld]"


def redact(record: dict[str, Any]) -> dict[str, Any]:
    """The public's copy: who the sources cite (activists, witnesses), quotes, notes and
    the submitting user are withheld; publishers and dates stay.

    >>> r = redact({"sources": [{"document_id": "d", "attributed_to": "Ahmad, a witness",
    ...     "quote": "I saw", "publisher": "CNN"}], "submitted_by": "alice",
    ...     "occurred": {"note": "per Ahmad"}})
    >>> r["sources"][0]["attributed_to"], r["sources"][0]["quote"], r["submitted_by"]
    ('[withheld]', None, None)
    """
    out = dict(record)  # copy what changes; the rest is shared with the stored record
    out["sources"] = [
        dict(s, attributed_to=WITHHELD if s.get("attributed_to") else None, quote=None)
        for s in record.get("sources") or ()
    ]
    out["submitted_by"] = None
    if isinstance(record.get("occurred"), dict):
        out["occurred"] = dict(record["occurred"], note=None)
    return out


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
