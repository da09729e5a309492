"""Exports of incidents as a store holds them: the record and its review metadata.

The API's ``/exports`` and the CLI write through the same tables and writers; the API
adds two options here:

- **store columns** after a format's own columns — review ``status``, the incident's
  ``version`` and the time of its last change — so a CSV stays ACLED's 31 columns in
  ACLED's order, followed by ours (a reader that knows ACLED reads the first 31);
- **redaction** for the public: who the sources cite, quotes, notes and the submitting
  user withheld (``redact``), applied to the record before it becomes a row, so no
  format can carry what the public may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ceasewatch.exports.table import Column, Lookups, Table, Value
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident

WITHHELD = "[withheld]"


def redact(record: dict[str, Any]) -> dict[str, Any]:
    """The public's copy of an incident.v1 record: who the sources cite (activists,
    witnesses), quotes, notes and the submitting user are withheld; publishers and dates
    stay.

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


@dataclass(frozen=True, slots=True)
class Held:
    """An incident with what the store keeps beside it."""

    incident: Incident
    status: str
    version: int
    updated_at: str | None


STORE_COLUMNS: tuple[Column, ...] = (
    Column("status", "text", "review status in the store: `proposed`, `published`, `rejected`"),
    Column("version", "int", "the incident's version in the store (1, then +1 per change)"),
    Column("updated_at", "datetime", "when the store last changed it (UTC)"),
)


def _when(stamp: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(stamp) if stamp else None


def with_store_columns(table: Table[Incident]) -> Table[Held]:
    """A format's incident table, its columns unchanged and in order, then those of
    STORE_COLUMNS it does not have already (ceasewatch's flat table has ``status``).

    >>> from ceasewatch.exports import acled, flat
    >>> t = with_store_columns(acled.INCIDENTS)
    >>> t.names[: len(acled.COLUMNS)] == acled.INCIDENTS.names, t.names[-3:]
    (True, ('status', 'version', 'updated_at'))
    >>> with_store_columns(flat.INCIDENTS).names.count("status")
    1
    """
    have = set(table.names)
    extra = tuple(c for c in STORE_COLUMNS if c.name not in have)

    def values(item: Held) -> dict[str, Value]:
        return {
            "status": item.status,
            "version": item.version,
            "updated_at": _when(item.updated_at),
        }

    def row(item: Held, lookups: Lookups) -> tuple[Value, ...]:
        more = values(item)
        return table.row(item.incident, lookups) + tuple(more[c.name] for c in extra)

    return Table(table.name, table.columns + extra, row)


def held(
    rows: Iterable[tuple[dict[str, Any], str, int, str | None]], *, public: bool
) -> Iterator[Held]:
    """Stored rows — (incident.v1 record, status, version, updated_at) — as items for the
    writers, redacted first when ``public``."""
    for record, status, version, updated_at in rows:
        shown = redact(record) if public else record
        yield Held(codec.ADAPTER.validate_python(shown), status, version, updated_at)
