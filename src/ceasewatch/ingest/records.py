"""incident.v1 records (JSON, JSONL, CSV) and GeoJSON Point features -> incidents.

These sources already speak incident.v1, so mapping is validation (pydantic, through
``incidents.codec``) plus the checks every importer makes: the point lies in the
scenario's country, and ``--status`` applies. A record keeps its own status (default
``proposed``) unless ``ctx.status`` says otherwise.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any, Final

from pydantic import ValidationError

from ceasewatch.incidents import codec
from ceasewatch.ingest.common import content_id
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.geo import check_point
from ceasewatch.ingest.result import Issue, Mapped, Outcome, Rejected

INCIDENTS: Final = "incidents"
GEOJSON: Final = "geojson"

#: Flat GeoJSON properties: the incident.v1 CSV columns (docs/incidents.md), minus lat/lon.
FLAT_PROPERTIES: Final = tuple(c for c in codec.CSV_COLUMNS if c not in ("lat", "lon"))


def _issues(e: ValidationError) -> tuple[Issue, ...]:
    out = []
    for err in e.errors(include_url=False):
        loc = ".".join(str(x) for x in err["loc"]) or "(record)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "unexpected_keyword_argument":
            msg = "unknown field — see docs/incidents.md for incident.v1's fields"
        value = err.get("input")
        shown = (
            value if isinstance(value, str | int | float) and not isinstance(value, bool) else None
        )
        out.append(Issue(loc, msg, None if shown is None else str(shown)))
    return tuple(out)


def map_record(record: Any, ctx: Context) -> Outcome:
    """One incident.v1 record (a JSON object) -> the incident, checked."""
    if not isinstance(record, dict):
        return Rejected((Issue("(record)", "expected a JSON object (one incident.v1 record)"),))
    try:
        incident = codec.ADAPTER.validate_python(record)
    except ValidationError as e:
        return Rejected(_issues(e))
    loc = incident.location
    problem = check_point(loc.lat, loc.lon, ctx.box, ctx.country_name)
    if problem is not None:
        return Rejected((dataclasses.replace(problem, field="location.lat/lon"),))
    if ctx.status is not None and incident.status != ctx.status:
        incident = dataclasses.replace(incident, status=ctx.status)
    return Mapped(incident)


def map_csv_row(row: Mapping[str, str], ctx: Context) -> Outcome:
    """One row of the incident.v1 CSV form."""
    return map_record(codec.csv_row_to_record(dict(row)), ctx)


def map_feature(feature: Any, ctx: Context) -> Outcome:
    """One GeoJSON Feature with a Point geometry. Properties are an incident.v1 record
    (nested, as in JSON; ``location`` may omit lat/lon) or the flat subset named by
    ``FLAT_PROPERTIES``. The point comes from the geometry. Without an ``id`` property or
    feature id, the id is a hash of the feature."""
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return Rejected((Issue("type", "expected a GeoJSON Feature"),))
    geometry = feature.get("geometry") or {}
    if geometry.get("type") != "Point":
        return Rejected(
            (
                Issue(
                    "geometry.type",
                    "only Point features are incidents — give the event's point",
                    str(geometry.get("type")),
                ),
            )
        )
    coords = geometry.get("coordinates")
    if (
        not isinstance(coords, list)
        or len(coords) < 2
        or not all(isinstance(c, int | float) for c in coords[:2])
    ):
        return Rejected(
            (Issue("geometry.coordinates", "expected [longitude, latitude]", str(coords)),)
        )
    lon, lat = float(coords[0]), float(coords[1])
    props = dict(feature.get("properties") or {})
    fid = props.get("id") or feature.get("id")
    if fid is None:
        fid = content_id(GEOJSON, [json.dumps(feature, sort_keys=True, ensure_ascii=False)])
    if "occurred" in props or isinstance(props.get("location"), dict):
        record = dict(props)
        location = dict(record.get("location") or {})
        location["lat"], location["lon"] = lat, lon
        record["location"] = location
    else:
        flat = {k: "" if v is None else str(v) for k, v in props.items()}
        unknown = sorted(set(flat) - set(FLAT_PROPERTIES))
        if unknown:
            return Rejected(
                (
                    Issue(
                        "properties",
                        "unknown properties — use incident.v1 fields (nested) or the flat "
                        "columns listed in docs/import.md",
                        ", ".join(unknown),
                    ),
                )
            )
        record = codec.csv_row_to_record(flat)
        record["location"]["lat"], record["location"]["lon"] = lat, lon
    record["id"] = str(fid)
    return map_record(record, ctx)
