"""Checking an incident.v1 record from the API, ids made from content, and merge patches."""

from __future__ import annotations

import hashlib
from typing import Any

from pydantic import ValidationError

from ceasewatch.errors import Invalid
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident
from ceasewatch.incidents.problems import explain, field_name
from ceasewatch.store import audit


def content_id(record: dict[str, Any]) -> str:
    """A content hash for a record submitted without an id.

    >>> content_id({"event_type": "Battles"})
    'inc-f186d44afb5a16b7'
    """
    body = {k: v for k, v in record.items() if k != "id"}
    digest = hashlib.sha256(audit.canonical(body).encode()).hexdigest()  # type: ignore[union-attr]
    return "inc-" + digest[:16]


def validate_incident(record: Any) -> Incident:
    if not isinstance(record, dict):
        raise Invalid("an incident is a JSON object (incident.v1)", ["(body): not an object"])
    try:
        return codec.ADAPTER.validate_python(record)
    except ValidationError as e:
        problems = [
            f"{field_name(i.path)}: {i.message}" + (f" — {i.hint}" if i.hint else "")
            for i in explain(e, Incident)
        ]
        raise Invalid("the incident does not validate as incident.v1", problems) from None


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON merge patch.

    >>> merge_patch({"a": {"b": 1, "c": 2}}, {"a": {"b": None, "d": 3}})
    {'a': {'c': 2, 'd': 3}}
    """
    if not isinstance(patch, dict):
        return patch
    out = dict(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch(out.get(k), v)
    return out
