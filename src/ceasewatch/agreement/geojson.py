"""Zones, routes and checkpoints from GeoJSON, with every problem located.

A feature's problems name its file, the line where its id is written (the line where the
feature starts when it has no id), its id and what to do. Coordinates are checked before
any geometry is built: a position outside -180..180 / -90..90, a ring that is not closed
or has too few positions is named with the position itself. Invalid polygons say where
they break (GEOS's own diagnosis, e.g. a self-intersection with its coordinates).

Every loader returns a ``Layer``: the usable features, and the ids of *all* features
(those with a problem too), so that a reference to a feature whose own fields are wrong
is not reported a second time as unknown.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import shapely
from pyproj import Geod
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from ceasewatch.agreement.model import CONTROL_TYPES, ZONE_TYPES, Checkpoint, Route, Zone
from ceasewatch.agreement.problems import Path, Problem, did_you_mean, first_defined

#: Control zones may share edges; an overlap smaller than this (in km²) is drawing noise.
OVERLAP_TOLERANCE_KM2 = 0.01

#: The ``type`` of a GeoJSON object (used to recognise a GeoJSON file given by mistake).
GEOJSON_TYPES = frozenset(
    {
        "FeatureCollection",
        "Feature",
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)

_GEOD = Geod(ellps="WGS84")

Report = Callable[[Problem], None]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Layer(Generic[T]):
    """What one GeoJSON file gave: usable features, and the ids of every feature in it.

    ``ids`` is None when the file could not be read as a FeatureCollection at all (then
    references into it are not checked: there is nothing to check them against).
    """

    items: list[T]
    ids: frozenset[str] | None


def area_km2(geom: BaseGeometry) -> float:
    """Geodesic area of a lon/lat geometry in km².

    >>> from shapely.geometry import box
    >>> round(area_km2(box(37.0, 36.0, 37.01, 36.01)), 1)  # ~0.9 km by ~1.1 km
    1.0
    """
    area, _ = _GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def _where(point: tuple[float, float] | None) -> str:
    return f" near lon {point[0]:.5f}, lat {point[1]:.5f}" if point else ""


# --- where each feature is written --------------------------------------------------

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[{}\[\]:,]')


def feature_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the members of the top-level ``features`` list, in order.

    >>> text = '{"type": "FeatureCollection",\\n "features": [\\n  {"id": "a"},\\n  {"id": "b"}]}'
    >>> [text[a:b] for a, b in feature_spans(text)]
    ['{"id": "a"}', '{"id": "b"}']
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, str | None]] = []
    key: str | None = None
    last_string: str | None = None
    start = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok[0] == '"':
            last_string = tok
            continue
        if tok == ":":
            key = json.loads(last_string) if last_string is not None else None
        elif tok in "{[":
            name = key if stack and stack[-1][0] == "{" else None
            if tok == "{" and len(stack) == 2 and stack[1] == ("[", "features"):
                start = m.start()
            stack.append((tok, name))
            key = None
        elif tok in "}]":
            if stack:
                stack.pop()
            if tok == "}" and len(stack) == 2 and stack[1] == ("[", "features"):
                spans.append((start, m.end()))
        else:  # ","
            key = None
        last_string = None
    return spans


class _Lines:
    """Offset -> 1-based line number."""

    def __init__(self, text: str) -> None:
        self.starts = [m.end() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) + 1


def _id_offset(text: str, span: tuple[int, int], fid: object) -> int:
    """Where the feature's id is written inside its span (else where the feature starts)."""
    start, end = span
    for written in {json.dumps(fid), json.dumps(fid, ensure_ascii=False)}:
        m = re.compile(r'"id"\s*:\s*' + re.escape(written)).search(text, start, end)
        if m is not None:
            return m.start()
    return start


# --- coordinates ----------------------------------------------------------------------

_RING_HINT = "a ring needs at least 4 positions, the last equal to the first"
_NESTING_HINT = (
    "check the brackets: a Polygon is a list of rings, a ring a list of positions, "
    "a position two numbers (a MultiPolygon adds one level)"
)


def _short_json(value: Any) -> str:
    text = json.dumps(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _num(v: Any) -> str:
    return repr(v) if isinstance(v, float) else str(v)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


class _Coordinates:
    """Checks the raw ``coordinates`` of one geometry; collects (path, message, hint)."""

    def __init__(self) -> None:
        self.problems: list[tuple[Path, str, str]] = []
        self.out_of_range: list[tuple[Path, str, str]] = []

    def position(self, pos: Any, path: Path) -> bool:
        if not (isinstance(pos, list) and 2 <= len(pos) <= 3 and all(_is_number(v) for v in pos)):
            self.problems.append(
                (
                    path,
                    f"position {_short_json(pos)} is not a longitude and a latitude",
                    "write each position as two numbers, longitude first",
                )
            )
            return False
        lon, lat = pos[0], pos[1]
        shown = f"(lon {_num(lon)}, lat {_num(lat)})"
        if not (math.isfinite(lon) and math.isfinite(lat)):
            self.out_of_range.append(
                (path, f"position {shown} is not a finite number", "give real coordinates")
            )
            return False
        if not -90 <= lat <= 90:
            self.out_of_range.append(
                (
                    path,
                    f"latitude {_num(lat)} is outside -90..90 at position {shown}",
                    "positions are longitude, latitude in degrees (WGS84): fix the value, "
                    "or swap the two if they are reversed",
                )
            )
            return False
        if not -180 <= lon <= 180:
            self.out_of_range.append(
                (
                    path,
                    f"longitude {_num(lon)} is outside -180..180 at position {shown}",
                    "positions are longitude, latitude in degrees (WGS84); "
                    "projected coordinates (metres) are not accepted",
                )
            )
            return False
        return True

    def positions(self, value: Any, path: Path, what: str) -> list[Any] | None:
        if not isinstance(value, list):
            self.problems.append(
                (path, f"{what} is not a list of positions", "write a list of positions")
            )
            return None
        if value and all(isinstance(v, list) and v and isinstance(v[0], list) for v in value):
            self.problems.append((path, f"{what} is nested one level too deep", _NESTING_HINT))
            return None
        if value and all(_is_number(v) for v in value):
            self.problems.append(
                (path, f"{what} is a single position, not a list of positions", _NESTING_HINT)
            )
            return None
        ok = [self.position(p, (*path, i)) for i, p in enumerate(value)]
        return value if all(ok) else None

    def line(self, value: Any, path: Path) -> None:
        points = self.positions(value, path, "the line")
        if points is not None and len(points) < 2:
            self.problems.append(
                (path, f"a line with {len(points)} position(s)", "a line needs at least 2")
            )

    def polygon(self, value: Any, path: Path) -> None:
        if not isinstance(value, list) or not value:
            self.problems.append(
                (path, "a polygon needs a list of rings", "give at least the outer ring")
            )
            return
        for r, ring in enumerate(value):
            rp = (*path, r)
            points = self.positions(ring, rp, f"ring {r}")
            if points is None:
                continue
            if len(points) < 4:
                self.problems.append(
                    (rp, f"ring {r} has only {len(points)} position(s)", _RING_HINT)
                )
            elif points[0] != points[-1]:
                first, last = points[0], points[-1]
                self.problems.append(
                    (
                        rp,
                        f"ring {r} is not closed: it starts at (lon {_num(first[0])}, "
                        f"lat {_num(first[1])}) but ends at (lon {_num(last[0])}, "
                        f"lat {_num(last[1])})",
                        "repeat the first position at the end of the ring",
                    )
                )

    def many(self, value: Any, path: Path, one: Callable[[Any, Path], None], what: str) -> None:
        if not isinstance(value, list) or not value:
            self.problems.append((path, f"expected a list of {what}", f"give at least one {what}"))
            return
        for i, part in enumerate(value):
            one(part, (*path, i))

    def check(self, geometry: dict[str, Any], path: Path) -> list[tuple[Path, str, str]]:
        kind = geometry.get("type")
        coords = geometry.get("coordinates")
        p = (*path, "coordinates")
        if kind == "Point":
            self.position(coords, p)
        elif kind == "LineString":
            self.line(coords, p)
        elif kind == "MultiLineString":
            self.many(coords, p, self.line, "lines")
        elif kind == "Polygon":
            self.polygon(coords, p)
        elif kind == "MultiPolygon":
            self.many(coords, p, self.polygon, "polygons")
        found = list(self.problems)
        if self.out_of_range:
            path0, message, hint = self.out_of_range[0]
            more = len(self.out_of_range) - 1
            if more:
                message += f" (and {more} more position(s) out of range)"
            found.insert(0, (path0, message, hint))
        return found


# --- features -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Feature:
    id: str
    properties: dict[str, Any]
    geometry: BaseGeometry | None
    line: int | None


class _File:
    """One GeoJSON file being read: reports problems with the feature's line."""

    def __init__(self, text: str, file: str, report: Report) -> None:
        self.text, self.file, self.report = text, file, report
        self.ids: set[str] = set()
        self.line_of: dict[str, int | None] = {}
        self.readable = False

    def problem(self, line: int | None, path: Path, message: str, hint: str | None) -> None:
        self.report(Problem(self.file, line, path, message, hint))

    def features(self, what: str, allowed: tuple[str, ...]) -> Iterator[_Feature]:
        """Every feature with an id and readable, allowed geometry (None when absent)."""
        try:
            doc = json.loads(self.text)
        except json.JSONDecodeError as e:
            self.problem(e.lineno, (), f"not valid JSON: {e.msg}", "fix the JSON syntax there")
            return
        if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
            found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
            self.problem(
                1,
                (),
                f"not a GeoJSON FeatureCollection (type is {found!r})",
                f'write {{"type": "FeatureCollection", "features": ...}} with one Feature per {what}',
            )
            return
        features = doc.get("features")
        if not isinstance(features, list):
            self.problem(1, ("features",), "features is not a list", "list the features")
            return
        self.readable = True
        spans = feature_spans(self.text)
        if len(spans) != len(features):  # cannot happen for valid JSON; never guess lines
            spans = []
        lines = _Lines(self.text)
        for i, feature in enumerate(features):
            start_line = lines(spans[i][0]) if spans else None
            if not isinstance(feature, dict):
                self.problem(start_line, (f"features.{i}",), "a feature must be an object", None)
                continue
            props = feature.get("properties")
            if props is None:
                props = {}
            if not isinstance(props, dict):
                self.problem(
                    start_line,
                    (f"features.{i}", "properties"),
                    "properties must be an object",
                    'write "properties": {"id": ..., ...}',
                )
                continue
            fid = props.get("id", feature.get("id"))
            if fid is None or fid == "":
                self.problem(
                    start_line,
                    (f"features.{i}",),
                    f"{what} has no id",
                    'add "id": "..." to properties',
                )
                continue
            line = lines(_id_offset(self.text, spans[i], fid)) if spans else None
            if not isinstance(fid, str):
                self.problem(
                    line,
                    (f"features.{i}", "id"),
                    f"{what} id {json.dumps(fid)} is not text",
                    f'write it in quotes: "id": "{fid}"',
                )
                continue
            if fid in self.line_of:
                first = first_defined(self.file, self.line_of[fid])
                self.problem(
                    line,
                    (fid,),
                    f"duplicate {what} id {fid!r} ({first})",
                    "ids must be unique within a file: rename or remove one",
                )
                continue
            self.line_of[fid] = line
            self.ids.add(fid)
            geom = self._geometry(feature.get("geometry"), fid, line, what, allowed)
            yield _Feature(fid, props, geom, line)

    def _geometry(
        self, raw: Any, fid: str, line: int | None, what: str, allowed: tuple[str, ...]
    ) -> BaseGeometry | None:
        """The feature's geometry; None when absent, empty, or wrong (then reported)."""
        path: Path = (fid, "geometry")
        kinds = " or ".join(allowed)
        if raw is None:
            self.problem(line, path, f"the {what} has no geometry", f"draw it as a {kinds}")
            return None
        if not isinstance(raw, dict) or raw.get("type") not in GEOJSON_TYPES:
            found = raw.get("type") if isinstance(raw, dict) else raw
            self.problem(
                line, path, f"not a GeoJSON geometry (type {found!r})", f"draw it as a {kinds}"
            )
            return None
        if raw["type"] not in allowed:
            self.problem(
                line,
                (*path, "type"),
                f"a {what} must be a {kinds}, not {raw['type']}",
                None,
            )
            return None
        found = _Coordinates().check(raw, path)
        for sub, message, hint in found:
            self.problem(line, sub, message, hint)
        if found:
            return None
        try:
            geom = shape(raw)
        except (KeyError, TypeError, ValueError, shapely.errors.GEOSException) as e:
            self.problem(line, path, f"unreadable geometry: {e}", f"draw it as a {kinds}")
            return None
        if geom.is_empty:
            self.problem(line, path, "empty geometry", f"draw the {what}, or remove the feature")
            return None
        return geom


def _validity_problem(geom: BaseGeometry) -> tuple[str, str]:
    """GEOS's diagnosis of an invalid polygon, with where it breaks and what to do."""
    reason = explain_validity(geom)
    m = re.search(r"\[([-\d.eE]+)\s+([-\d.eE]+)\]", reason)
    point = (float(m.group(1)), float(m.group(2))) if m else None
    text = re.sub(r"\[.*\]", "", reason).strip()
    lowered = text.lower()
    if "too few points" in lowered:
        hint = _RING_HINT + ", with at least 3 different corners"
    elif "self-intersection" in lowered:
        hint = "redraw the ring so it does not cross itself (QGIS: Fix Geometries)"
    elif "hole lies outside" in lowered:
        hint = "a hole (inner ring) must lie inside the outer ring"
    elif "nested" in lowered:
        hint = "the polygons of a MultiPolygon may not lie inside one another"
    elif "disconnected" in lowered:
        hint = "a hole may not cut the polygon in two: split it into a MultiPolygon"
    else:
        hint = "redraw the polygon (QGIS: Fix Geometries)"
    return f"invalid polygon: {text}{_where(point)}", hint


def load_zones(text: str, file: str, report: Report) -> Layer[Zone]:
    f = _File(text, file, report)
    zones: list[Zone] = []
    for feat in f.features("zone", ("Polygon", "MultiPolygon")):
        ztype: Any = feat.properties.get("type")
        ok = feat.geometry is not None
        if ztype is None:
            f.problem(
                feat.line,
                (feat.id, "type"),
                "the zone has no type",
                f'add "type": one of {", ".join(ZONE_TYPES)}',
            )
            ok = False
        elif ztype not in ZONE_TYPES:
            f.problem(
                feat.line,
                (feat.id, "type"),
                f"unknown zone type {ztype!r}",
                did_you_mean(str(ztype), ZONE_TYPES),
            )
            ok = False
        if feat.geometry is not None and not feat.geometry.is_valid:
            message, hint = _validity_problem(feat.geometry)
            f.problem(feat.line, (feat.id, "geometry"), message, hint)
            ok = False
        if ok and feat.geometry is not None:
            zones.append(
                Zone(
                    id=feat.id,
                    name=str(feat.properties.get("name") or feat.id),
                    type=ztype,
                    geometry=feat.geometry,
                    note=feat.properties.get("note"),
                )
            )
    _check_overlaps(zones, f)
    return Layer(zones, frozenset(f.ids) if f.readable else None)


def _check_overlaps(zones: list[Zone], f: _File) -> None:
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
        f.problem(
            f.line_of.get(b.id),
            (b.id,),
            f"zone {b.id!r} ({b.type}) overlaps zone {a.id!r} ({a.type}) by {km2:.2f} km²"
            f"{_where((c.x, c.y))}",
            "a place has one control type: make the polygons share an edge instead "
            "(only a 'city' zone may overlap others)",
        )


#: How far (in degrees, about 1 km) a route may stray past the simplified country outline.
COUNTRY_TOLERANCE_DEG = 0.01


def country_outline(text: str) -> BaseGeometry | None:
    """The union of the polygons of an admin-1 GeoJSON; None when it cannot be read."""
    try:
        doc = json.loads(text)
        geoms = [shape(f["geometry"]) for f in doc["features"] if f.get("geometry")]
    except (ValueError, KeyError, TypeError, AttributeError, shapely.errors.GEOSException):
        return None
    polys = [g for g in geoms if g.geom_type in ("Polygon", "MultiPolygon") and g.is_valid]
    return shapely.union_all(polys) if polys else None


def crossing(line: BaseGeometry) -> tuple[float, float] | None:
    """Where a route crosses itself (None when it does not).

    >>> from shapely.geometry import LineString
    >>> crossing(LineString([(0, 0), (2, 2), (2, 0), (0, 2)]))
    (1.0, 1.0)
    >>> crossing(LineString([(0, 0), (1, 1), (2, 0)])) is None
    True
    """
    if line.is_simple:
        return None
    parts = list(getattr(line, "geoms", [line]))
    segments: list[tuple[tuple[float, ...], tuple[float, ...]]] = []
    for part in parts:
        xy = list(part.coords)
        segments.extend((a, b) for a, b in zip(xy, xy[1:], strict=False))
    lines = [shapely.LineString(seg) for seg in segments]
    for i, a in enumerate(lines):
        for j in range(i + 1, len(lines)):
            touch = a.intersection(lines[j])
            if touch.is_empty:
                continue
            shared = segments[i][1] == segments[j][0] or segments[j][1] == segments[i][0]
            if shared and touch.geom_type == "Point":
                continue  # consecutive segments meet at their shared vertex
            p = touch.representative_point()
            return (round(p.x, 6), round(p.y, 6))
    p = line.representative_point()  # a ring that returns to its start
    return (round(p.x, 6), round(p.y, 6))


def load_routes(
    text: str, file: str, report: Report, *, country: BaseGeometry | None = None
) -> Layer[Route]:
    """Routes with their corridor width. A route that crosses itself, or (given the
    ``country`` outline) leaves the country by more than about 1 km, is refused."""
    f = _File(text, file, report)
    routes: list[Route] = []
    for feat in f.features("route", ("LineString", "MultiLineString")):
        width: Any = feat.properties.get("corridor_m")
        ok = feat.geometry is not None
        if feat.geometry is not None:
            cross = crossing(feat.geometry)
            if cross is not None:
                f.problem(
                    feat.line,
                    (feat.id, "geometry"),
                    f"the route crosses itself{_where(cross)}",
                    "draw the road once, in travel order; split a loop into two routes",
                )
                ok = False
            elif country is not None:
                outside = feat.geometry.difference(country.buffer(COUNTRY_TOLERANCE_DEG))
                if not outside.is_empty:
                    p = outside.representative_point()
                    f.problem(
                        feat.line,
                        (feat.id, "geometry"),
                        "the route leaves the country (by the admin1 outline)"
                        + _where((round(p.x, 6), round(p.y, 6))),
                        "end the route at the border crossing; record the stretch abroad "
                        "as the convoy's origin",
                    )
                    ok = False
        if width is None:
            f.problem(
                feat.line,
                (feat.id, "corridor_m"),
                "the route has no corridor_m",
                'add "corridor_m": the corridor\'s whole width in metres, e.g. 1000',
            )
            ok = False
        elif not _is_number(width) or not math.isfinite(width) or width <= 0:
            f.problem(
                feat.line,
                (feat.id, "corridor_m"),
                f"corridor_m must be a positive number of metres, not {json.dumps(width)}",
                "give the corridor's whole width, e.g. 1000",
            )
            ok = False
        if ok and feat.geometry is not None:
            routes.append(
                Route(
                    feat.id,
                    str(feat.properties.get("name") or feat.id),
                    feat.geometry,
                    float(width),
                    feat.properties.get("note"),
                )
            )
    return Layer(routes, frozenset(f.ids) if f.readable else None)


def load_checkpoints(
    text: str,
    file: str,
    report: Report,
    *,
    routes: frozenset[str] | None,
    actors: frozenset[str] | None,
) -> Layer[Checkpoint]:
    """Checkpoints, their references checked against the known route and actor ids.

    ``None`` for ``routes`` or ``actors`` means they could not be read: not checked.
    """
    f = _File(text, file, report)
    out: list[Checkpoint] = []
    for feat in f.features("checkpoint", ("Point",)):
        ok = feat.geometry is not None
        route = feat.properties.get("route")
        if route is not None and not isinstance(route, str):
            f.problem(
                feat.line,
                (feat.id, "route"),
                f"route must be a route id (text), not {json.dumps(route)}",
                None,
            )
            ok = False
        elif route is not None and routes is not None and route not in routes:
            f.problem(
                feat.line,
                (feat.id, "route"),
                f"unknown route {route!r}",
                did_you_mean(route, routes) or "the scenario defines no routes",
            )
            ok = False
        ids: dict[str, tuple[str, ...]] = {}
        for key in ("operated_by", "monitored_by"):
            value = feat.properties.get(key)
            if value is None:
                value = []
            if isinstance(value, str):
                f.problem(
                    feat.line,
                    (feat.id, key),
                    f"{key} must be a list of actor ids, not one text",
                    f'write "{key}": {json.dumps([value])}',
                )
                ok = False
                continue
            if not isinstance(value, list) or not all(isinstance(a, str) for a in value):
                f.problem(
                    feat.line,
                    (feat.id, key),
                    f"{key} must be a list of actor ids, not {json.dumps(value)}",
                    None,
                )
                ok = False
                continue
            for j, actor in enumerate(value):
                if actors is not None and actor not in actors:
                    f.problem(
                        feat.line,
                        (feat.id, key, j),
                        f"unknown actor {actor!r}",
                        did_you_mean(actor, actors),
                    )
                    ok = False
            ids[key] = tuple(value)
        if ok and feat.geometry is not None:
            out.append(
                Checkpoint(
                    id=feat.id,
                    name=str(feat.properties.get("name") or feat.id),
                    geometry=feat.geometry,
                    route=route,
                    operated_by=ids["operated_by"],
                    monitored_by=ids["monitored_by"],
                    note=feat.properties.get("note"),
                )
            )
    return Layer(out, frozenset(f.ids) if f.readable else None)
