"""Zones, routes and checkpoints from GeoJSON, with every problem located.

A feature's problems name its file, the line where its id is written, its id and what
to do. Invalid polygons say where they break (GEOS's own diagnosis, e.g. a
self-intersection with its coordinates).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from ceasewatch.agreement.model import CONTROL_TYPES, ZONE_TYPES, Checkpoint, Route, Zone
from ceasewatch.agreement.problems import Problem, did_you_mean

#: Control zones may share edges; an overlap smaller than this (in km²) is drawing noise.
OVERLAP_TOLERANCE_KM2 = 0.01

_GEOD = Geod(ellps="WGS84")

Report = Callable[[Problem], None]


def area_km2(geom: BaseGeometry) -> float:
    """Geodesic area of a lon/lat geometry in km².

    >>> from shapely.geometry import box
    >>> round(area_km2(box(37.0, 36.0, 37.01, 36.01)), 1)  # ~0.9 km by ~1.1 km
    1.0
    """
    area, _ = _GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def _line_of(text: str, feature_id: str, fallback: int | None) -> int | None:
    m = re.search(r'"id"\s*:\s*"' + re.escape(feature_id) + '"', text)
    if m is None:
        return fallback
    return text.count("\n", 0, m.start()) + 1


def _where(point: tuple[float, float] | None) -> str:
    return f" near lon {point[0]:.5f}, lat {point[1]:.5f}" if point else ""


def _validity(geom: BaseGeometry) -> tuple[str, tuple[float, float] | None]:
    reason = explain_validity(geom)
    m = re.search(r"\[([-\d.eE]+)\s+([-\d.eE]+)\]", reason)
    point = (float(m.group(1)), float(m.group(2))) if m else None
    return re.sub(r"\[.*\]", "", reason).strip(), point


def _features(
    text: str, file: str, ref_line: int | None, report: Report
) -> Iterator[tuple[str, dict[str, Any], BaseGeometry | None, int | None, str]]:
    """Yield (id, properties, geometry or None, line, label) for each usable feature."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        report(Problem(file, e.lineno, (), f"not valid JSON: {e.msg}", "fix the JSON syntax"))
        return
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        report(Problem(file, 1, (), "not a GeoJSON FeatureCollection", None))
        return
    seen: set[str] = set()
    for i, feature in enumerate(doc.get("features") or []):
        props = feature.get("properties") or {}
        fid = props.get("id", feature.get("id"))
        label = f"features.{i}"
        if not isinstance(fid, str) or not fid:
            report(Problem(file, None, (label,), "feature has no id", 'add "id": "..."'))
            continue
        line = _line_of(text, fid, ref_line)
        label = f"{fid}"
        if fid in seen:
            report(Problem(file, line, (label,), f"duplicate id {fid!r}", "ids must be unique"))
            continue
        seen.add(fid)
        try:
            geom = shape(feature["geometry"]) if feature.get("geometry") else None
        except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as e:
            report(Problem(file, line, (label, "geometry"), f"unreadable geometry: {e}", None))
            continue
        yield fid, props, geom, line, label


def load_zones(text: str, file: str, ref_line: int | None, report: Report) -> list[Zone]:
    zones: list[Zone] = []
    for fid, props, geom, line, label in _features(text, file, ref_line, report):
        ztype = props.get("type")
        if ztype not in ZONE_TYPES:
            report(
                Problem(
                    file,
                    line,
                    (label, "type"),
                    f"unknown zone type {ztype!r}",
                    did_you_mean(str(ztype), ZONE_TYPES),
                )
            )
            continue
        if geom is None or geom.is_empty:
            report(
                Problem(
                    file,
                    line,
                    (label, "geometry"),
                    "empty geometry",
                    "draw the zone's polygon, or remove the feature",
                )
            )
            continue
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            report(
                Problem(
                    file,
                    line,
                    (label, "geometry"),
                    f"a zone must be a Polygon or MultiPolygon, not {geom.geom_type}",
                    None,
                )
            )
            continue
        if not geom.is_valid:
            reason, point = _validity(geom)
            report(
                Problem(
                    file,
                    line,
                    (label, "geometry"),
                    f"invalid polygon: {reason}{_where(point)}",
                    "redraw the ring so it does not cross itself (QGIS: Fix Geometries)",
                )
            )
            continue
        zones.append(
            Zone(
                id=fid,
                name=str(props.get("name") or fid),
                type=ztype,
                geometry=geom,
                note=props.get("note"),
            )
        )
    _check_overlaps(zones, text, file, ref_line, report)
    return zones


def _check_overlaps(
    zones: list[Zone], text: str, file: str, ref_line: int | None, report: Report
) -> None:
    control = [z for z in zones if z.type in CONTROL_TYPES]
    if len(control) < 2:
        return
    tree = shapely.STRtree([z.geometry for z in control])
    left, right = tree.query([z.geometry for z in control], predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i >= j:
            continue
        a, b = control[i], control[j]
        overlap = a.geometry.intersection(b.geometry)
        km2 = area_km2(overlap) if not overlap.is_empty else 0.0
        if km2 <= OVERLAP_TOLERANCE_KM2:
            continue
        c = overlap.representative_point()
        report(
            Problem(
                file,
                _line_of(text, b.id, ref_line),
                (b.id,),
                f"zone {b.id!r} ({b.type}) overlaps zone {a.id!r} ({a.type}) by {km2:.2f} km²"
                f"{_where((c.x, c.y))}",
                "a place has one control type: make the polygons share an edge instead "
                "(only a 'city' zone may overlap others)",
            )
        )


def load_routes(text: str, file: str, ref_line: int | None, report: Report) -> list[Route]:
    routes: list[Route] = []
    for fid, props, geom, line, label in _features(text, file, ref_line, report):
        if (
            geom is None
            or geom.is_empty
            or geom.geom_type
            not in (
                "LineString",
                "MultiLineString",
            )
        ):
            kind = "empty" if geom is None or geom.is_empty else geom.geom_type
            report(
                Problem(
                    file,
                    line,
                    (label, "geometry"),
                    f"a route must be a LineString, not {kind}",
                    None,
                )
            )
            continue
        width = props.get("corridor_m")
        if not isinstance(width, int | float) or isinstance(width, bool) or width <= 0:
            report(
                Problem(
                    file,
                    line,
                    (label, "corridor_m"),
                    f"corridor_m must be a positive number of metres, not {width!r}",
                    "give the corridor's whole width, e.g. 1000",
                )
            )
            continue
        routes.append(
            Route(fid, str(props.get("name") or fid), geom, float(width), props.get("note"))
        )
    return routes


def load_checkpoints(
    text: str, file: str, ref_line: int | None, report: Report
) -> list[tuple[Checkpoint, int | None]]:
    out: list[tuple[Checkpoint, int | None]] = []
    for fid, props, geom, line, label in _features(text, file, ref_line, report):
        if geom is None or geom.geom_type != "Point":
            report(Problem(file, line, (label, "geometry"), "a checkpoint must be a Point", None))
            continue
        cp = Checkpoint(
            id=fid,
            name=str(props.get("name") or fid),
            geometry=geom,
            route=props.get("route"),
            operated_by=tuple(props.get("operated_by") or ()),
            monitored_by=tuple(props.get("monitored_by") or ()),
            note=props.get("note"),
        )
        out.append((cp, line))
    return out
