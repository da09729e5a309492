"""A monitor's edits of an incident, kept apart from what the machine made of its reports.

A fused incident is rebuilt from its reports whenever fusion runs again over its dates
(a new report of the same event, a corrected one, a split). What a monitor changed by
hand — a field edited with a reason, the status a review set — must outlive that, so it
is kept as an **overlay**: for every top-level field of the record the monitor changed,
the value the monitor gave, who, when, why and the version the change made. Fusion
re-applies the overlay on top of every record it rebuilds (``apply_edits``).

The overlay is plain JSON (stored beside the record); everything here is pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident

#: field -> {"value", "actor", "at", "reason", "version"}: the overlay as stored.
Edits = dict[str, dict[str, Any]]


def changed_fields(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The top-level fields whose value differs, with the value ``after`` (None: removed).

    >>> changed_fields({"id": "a", "injured": None, "status": "proposed"},
    ...                {"id": "a", "injured": {"low": 4}, "status": "proposed"})
    {'injured': {'low': 4}}
    """
    keys = dict.fromkeys([*before, *after])
    return {k: after.get(k) for k in keys if before.get(k) != after.get(k)}


def add_edits(
    edits: Mapping[str, Mapping[str, Any]],
    changed: Mapping[str, Any],
    *,
    actor: str,
    at: str,
    reason: str,
    version: int,
) -> Edits:
    """``edits`` with every field of ``changed`` set by this change (the latest wins).

    >>> add_edits({}, {"status": "rejected"}, actor="api:mo", at="t", reason="r", version=2)
    {'status': {'value': 'rejected', 'actor': 'api:mo', 'at': 't', 'reason': 'r', 'version': 2}}
    """
    out: Edits = {k: dict(v) for k, v in edits.items()}
    for name, value in changed.items():
        if name == "id":
            continue
        out[name] = {"value": value, "actor": actor, "at": at, "reason": reason, "version": version}
    return out


def carry_edits(
    into: Mapping[str, Mapping[str, Any]], other: Mapping[str, Mapping[str, Any]]
) -> Edits:
    """``into``'s edits plus ``other``'s of fields ``into`` has no edit of (an incident
    merged into another: its edits go with its reports, the survivor's own stand).

    >>> carry_edits({"status": {"value": "published"}},
    ...             {"status": {"value": "rejected"}, "injured": {"value": 3}})
    {'status': {'value': 'published'}, 'injured': {'value': 3}}
    """
    out: Edits = {k: dict(v) for k, v in into.items()}
    for name, edit in other.items():
        out.setdefault(name, dict(edit))
    return out


@dataclass(frozen=True, slots=True)
class Applied:
    """A record with the overlay on top, and what became of each edit."""

    incident: Incident
    kept: tuple[str, ...]
    """Fields whose edited value stands (every edited field, unless ``dropped``)."""
    differs: tuple[str, ...]
    """Kept fields where the record fusion made says something else than the edit."""
    dropped: tuple[tuple[str, str], ...]
    """(field, why) of edits that no longer fit the record (e.g. a toll's best under the
    low figure the sources now give): left out of the record, still in the overlay."""


def apply_edits(incident: Incident, edits: Mapping[str, Mapping[str, Any]]) -> Applied:
    """``incident`` (as fusion made it) with the edited fields set as the monitor set them.

    Whole top-level fields are replaced, so each stays as the monitor left it. An edit
    that would make the record invalid together with the others is left out (``dropped``),
    in field order, the rest kept.

    >>> import datetime as dt
    >>> from ceasewatch.incidents.model import Location, Occurred
    >>> inc = Incident("a", "Battles", "Armed clash",
    ...     Occurred(dt.date(2016, 9, 19), dt.date(2016, 9, 19)), Location(36.1, 37.1, "town"))
    >>> out = apply_edits(inc, {"status": {"value": "rejected"}})
    >>> out.incident.status, out.kept, out.differs
    ('rejected', ('status',), ('status',))
    """
    if not edits:
        return Applied(incident, (), (), ())
    machine = codec.to_json(incident)
    names = [n for n in sorted(edits) if n != "id"]

    def build(fields: list[str]) -> dict[str, Any]:
        record = dict(machine)
        for name in fields:
            value = edits[name].get("value")
            if value is None:
                record.pop(name, None)
            else:
                record[name] = value
        return record

    try:
        out = codec.ADAPTER.validate_python(build(names))
        kept = names
        dropped: list[tuple[str, str]] = []
    except ValidationError:
        kept, dropped = [], []
        out = incident
        for name in names:
            try:
                out = codec.ADAPTER.validate_python(build([*kept, name]))
            except ValidationError as e:
                first = e.errors()[0]
                dropped.append((name, str(first.get("msg", "invalid"))))
            else:
                kept.append(name)
    differs = tuple(n for n in kept if machine.get(n) != edits[n].get("value"))
    return Applied(out, tuple(kept), differs, tuple(dropped))
