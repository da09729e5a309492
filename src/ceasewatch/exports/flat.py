"""ceasewatch's own flat columns: incident.v1 and finding.v1 as one row each, for
GeoPackage and Parquet (tables without nesting). Lists are joined with ``; ``."""

from __future__ import annotations

from ceasewatch.exports.table import (
    Column,
    Judged,
    Lookups,
    Table,
    Value,
    finding_columns,
    finding_values,
    joined,
)
from ceasewatch.incidents.model import Incident, Toll

_TOLL = "low, best and high figures of the toll (blank: not known)"


def _toll(name: str, what: str) -> tuple[Column, ...]:
    return tuple(
        Column(f"{name}_{k}", "int", f"{what}: {k} figure") for k in ("low", "best", "high")
    )


INCIDENT_COLUMNS: tuple[Column, ...] = (
    Column("id", "text", "incident.v1 `id`"),
    Column("status", "text", "`proposed`, `published` or `rejected`"),
    Column("event_type", "text", "ACLED event type"),
    Column("sub_event_type", "text", "ACLED sub-event type"),
    Column("start", "date", "first local day it may have happened on"),
    Column("end", "date", "last local day"),
    Column("time", "text", "local time of day `HH:MM[:SS]`, when known"),
    Column("date_precision", "text", "`day`, `week`, `month`, `year`, `unknown`"),
    Column("latitude", "float", "WGS84 degrees"),
    Column("longitude", "float", "WGS84 degrees"),
    Column("location_precision", "text", "`exact` … `country`"),
    Column("place", "text", "place name as reported or geocoded"),
    Column("admin1_pcode", "text", "OCHA P-code of the governorate"),
    Column("admin1", "text", "its name (from the scenario's boundaries, when stored)"),
    Column("admin2_pcode", "text", "OCHA P-code of the district"),
    Column("admin2", "text", "its name"),
    Column("country", "text", "ISO 3166-1 alpha-2"),
    Column("method", "text", "methods joined by `; `"),
    Column("perpetrator", "text", "the perpetrator as reported"),
    Column("perpetrator_actor", "text", "the scenario actor it resolves to"),
    Column("attribution", "text", "`claimed`, `reported`, `alleged`, `unknown`"),
    Column("target", "text", "the target as reported"),
    Column("target_actor", "text", "the scenario actor it resolves to"),
    *_toll("fatalities", "deaths"),
    *_toll("civilian_fatalities", "civilian deaths"),
    *_toll("injured", "injured"),
    Column("sources", "int", "how many source reports"),
    Column("publishers", "text", "the sources' publishers joined by `; `"),
    Column("source_ids", "text", "the sources' document ids joined by `; `"),
    Column("confidence", "text", "the incident's grade"),
    Column("submitted_by", "text", "user, importer or extractor that submitted it"),
)


def _figures(t: Toll | None) -> tuple[Value, Value, Value]:
    return (None, None, None) if t is None else (t.low, t.best, t.high)


def incident_values(i: Incident, lookups: Lookups) -> tuple[Value, ...]:
    loc, perp, o = i.location, i.perpetrator, i.occurred
    return (
        i.id,
        i.status,
        i.event_type,
        i.sub_event_type,
        o.start,
        o.end,
        o.time.isoformat() if o.time else None,
        o.precision,
        loc.lat,
        loc.lon,
        loc.precision,
        loc.name,
        loc.admin1_pcode,
        lookups.admin(loc.admin1_pcode),
        loc.admin2_pcode,
        lookups.admin(loc.admin2_pcode),
        loc.country,
        joined(i.method),
        perp.text,
        perp.actor,
        perp.attribution,
        i.target.text if i.target else None,
        i.target.actor if i.target else None,
        *_figures(i.fatalities),
        *_figures(i.civilian_fatalities),
        *_figures(i.injured),
        len(i.sources),
        joined(s.publisher for s in i.sources),
        joined(s.document_id for s in i.sources),
        i.confidence,
        i.submitted_by,
    )


INCIDENTS: Table[Incident] = Table("incidents", INCIDENT_COLUMNS, incident_values)

#: incident column -> its name among a finding's columns
_FROM_INCIDENT = {
    "id": "incident_id",
    "status": "incident_status",
    "event_type": "event_type",
    "sub_event_type": "sub_event_type",
    "start": "incident_start",
    "end": "incident_end",
    "latitude": "latitude",
    "longitude": "longitude",
    "location_precision": "location_precision",
    "place": "place",
    "admin1_pcode": "admin1_pcode",
    "fatalities_best": "fatalities_best",
}
_PICK = [i for i, c in enumerate(INCIDENT_COLUMNS) if c.name in _FROM_INCIDENT]

FINDING_COLUMNS: tuple[Column, ...] = finding_columns() + tuple(
    Column(_FROM_INCIDENT[c.name], c.kind, f"the incident's {c.name}: {c.doc}")
    for c in (INCIDENT_COLUMNS[i] for i in _PICK)
)


def finding_row(item: Judged, lookups: Lookups) -> tuple[Value, ...]:
    finding, incident = item
    values = incident_values(incident, lookups)
    return finding_values(finding) + tuple(values[i] for i in _PICK)


FINDINGS: Table[Judged] = Table("findings", FINDING_COLUMNS, finding_row)
