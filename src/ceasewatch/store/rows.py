"""An incident as a row of the ``incidents`` table: the record plus the columns searches
use (dates, place, perpetrator, target, confidence, free text).

Every writer builds its rows here, so a search finds an incident whoever stored it.
"""

from __future__ import annotations

import json
from typing import Any

from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident


def _texts(record: dict[str, Any]) -> list[str]:
    loc = record.get("location") or {}
    perp = record.get("perpetrator") or {}
    target = record.get("target") or {}
    out = [
        record.get("id"),
        record.get("event_type"),
        record.get("sub_event_type"),
        loc.get("name"),
        perp.get("text"),
        perp.get("actor"),
        target.get("text"),
        target.get("actor"),
        (record.get("occurred") or {}).get("note"),
    ]
    for s in record.get("sources") or ():
        out += [s.get("publisher"), s.get("quote")]
    return [x for x in out if isinstance(x, str) and x]


def _incident_texts(i: Incident) -> list[str]:
    """``_texts`` of the record, read from the dataclass (no JSON round trip)."""
    out = [
        i.id,
        i.event_type,
        i.sub_event_type,
        i.location.name,
        i.perpetrator.text,
        i.perpetrator.actor,
        i.target.text if i.target else None,
        i.target.actor if i.target else None,
        i.occurred.note,
    ]
    for s in i.sources:
        out += [s.publisher, s.quote]
    return [x for x in out if x]


def _search_text(texts: list[str]) -> str:
    # the id first, then the place and people's words: lower case for LIKE searches
    return "\n".join(dict.fromkeys(t.lower() for t in texts))


def search_columns(record_json: str | dict[str, Any]) -> dict[str, Any]:
    """The derived columns of one stored record.

    >>> cols = search_columns({"id": "a", "perpetrator": {"actor": "ru", "text": "Russian jets"},
    ...     "confidence": "fair", "location": {"name": "Aleppo"}})
    >>> cols["perpetrator_actor"], cols["confidence"], cols["search_text"]
    ('ru', 'fair', 'a\\naleppo\\nrussian jets\\nru')
    """
    record = json.loads(record_json) if isinstance(record_json, str) else record_json
    perp = record.get("perpetrator") or {}
    target = record.get("target") or {}
    return {
        "perpetrator_actor": perp.get("actor"),
        "target_actor": target.get("actor"),
        "confidence": record.get("confidence"),
        "search_text": _search_text(_texts(record)),
    }


def search_fields(incident: Incident) -> dict[str, Any]:
    """``search_columns`` of an incident, straight from the dataclass: what bulk writers
    (the importers) use."""
    return {
        "perpetrator_actor": incident.perpetrator.actor,
        "target_actor": incident.target.actor if incident.target else None,
        "confidence": incident.confidence,
        "search_text": _search_text(_incident_texts(incident)),
    }


def incident_row(incident: Incident) -> dict[str, Any]:
    """All columns of ``incidents`` that follow from the record itself."""
    return incident_columns(incident, json.dumps(codec.to_json(incident), ensure_ascii=False))


def incident_columns(incident: Incident, record_json: str) -> dict[str, Any]:
    """The columns of ``incidents`` that follow from the record, with its JSON as the
    writer made it (fusion stores pydantic's compact form, other writers ``json.dumps``)."""
    return {
        "id": incident.id,
        "status": incident.status,
        "event_type": incident.event_type,
        "sub_event_type": incident.sub_event_type,
        "start_date": incident.occurred.start.isoformat(),
        "end_date": incident.occurred.end.isoformat(),
        "lat": incident.location.lat,
        "lon": incident.location.lon,
        "record_json": record_json,
        # the columns GET /incidents searches on (store/search.py), as every writer fills them
        **search_fields(incident),
    }
