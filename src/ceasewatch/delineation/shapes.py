"""A proposal's polygons: read and checked, their areas, and where two proposals differ.

Areas are computed in a Lambert azimuthal equal-area projection centred on the geometry
(pyproj), so a disputed area in km² is an area, not an artefact of lon/lat degrees.
Nothing here does I/O: a proposal arrives as a parsed GeoJSON object.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from pyproj import Transformer
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from ceasewatch.agreement.geojson import OVERLAP_TOLERANCE_KM2, _validity_problem
from ceasewatch.errors import Invalid

#: A polygon may stray this far (km²) over the country's outline: outlines are simplified.
OUTSIDE_TOLERANCE_KM2 = 0.05


@dataclass(frozen=True, slots=True)
class Shape:
    """One polygon (or multipolygon) of a proposal, with the name its proposer gave it."""

    name: str
    geometry: BaseGeometry


@functools.lru_cache(maxsize=256)
def _equal_area(lon0: float, lat0: float) -> Transformer:
    proj = f"+proj=laea +lat_0={lat0} +lon_0={lon0} +datum=WGS84 +units=m"
    return Transformer.from_crs("EPSG:4326", proj, always_xy=True)


def area_km2(geom: BaseGeometry) -> float:
    """Area of a lon/lat geometry in km², in an equal-area projection centred on it.

    >>> from shapely.geometry import box
    >>> round(area_km2(box(37.0, 36.0, 37.01, 36.01)), 2)  # ~0.90 km by ~1.11 km
    1.0
    >>> area_km2(shapely.Polygon())
    0.0
    """
    if geom.is_empty:
        return 0.0
    c = geom.centroid
    forward = _equal_area(round(c.x, 2), round(c.y, 2))

    def project(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = forward.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return float(shapely.transform(geom, project).area) / 1e6


def union(shapes: Sequence[Shape]) -> BaseGeometry:
    """The area a set of shapes covers."""
    if not shapes:
        return shapely.Polygon()
    return shapely.union_all([s.geometry for s in shapes])


def disputed(a: BaseGeometry, b: BaseGeometry) -> BaseGeometry:
    """Where two proposals differ: inside one and not the other (symmetric difference).

    >>> from shapely.geometry import box
    >>> disputed(box(0, 0, 2, 1), box(1, 0, 3, 1)).area
    2.0
    """
    return shapely.make_valid(a.symmetric_difference(b))


def _where(geom: BaseGeometry) -> str:
    p = geom.representative_point()
    return f" near lon {p.x:.5f}, lat {p.y:.5f}"


def read(
    collection: Any, *, country: BaseGeometry | None = None, country_name: str = "the country"
) -> tuple[Shape, ...]:
    """A GeoJSON FeatureCollection of polygons -> its shapes, or ``Invalid`` listing every
    problem by feature index: not a polygon, an invalid (e.g. self-intersecting) ring,
    polygons that overlap one another, or a polygon outside ``country``.

    >>> fc = {"type": "FeatureCollection", "features": [{"type": "Feature",
    ...     "properties": {"name": "a"}, "geometry": {"type": "Polygon",
    ...     "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}}]}
    >>> try:
    ...     read(fc)
    ... except Invalid as e:
    ...     print(e.errors[0].split(" — ")[0])
    features[0] ("a"): invalid polygon: Self-intersection near lon 0.50000, lat 0.50000
    """
    problems: list[str] = []
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise Invalid(
            "a delineation is a GeoJSON FeatureCollection of polygons",
            ['(body): give {"type": "FeatureCollection", "features": [...]}'],
        )
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise Invalid(
            "the delineation has no polygons",
            ["features: draw at least one Polygon or MultiPolygon feature"],
        )
    shapes: list[tuple[int, Shape]] = []
    for i, feat in enumerate(features):
        props = feat.get("properties") if isinstance(feat, dict) else None
        name = str((props or {}).get("name") or f"polygon {i + 1}")
        at = f"features[{i}] ({name!r})".replace("'", '"')
        raw = feat.get("geometry") if isinstance(feat, dict) else None
        kind = raw.get("type") if isinstance(raw, dict) else None
        if kind not in ("Polygon", "MultiPolygon"):
            problems.append(
                f"{at}: a {kind or 'missing'} geometry — draw each area as a Polygon or "
                "MultiPolygon"
            )
            continue
        try:
            geom = shape(raw)
        except (KeyError, TypeError, ValueError, IndexError, shapely.errors.GEOSException) as e:
            problems.append(f"{at}: unreadable coordinates ({e}) — write [[lon, lat], ...] rings")
            continue
        if geom.is_empty:
            problems.append(f"{at}: empty polygon — draw the area or remove the feature")
            continue
        if not geom.is_valid:
            message, hint = _validity_problem(geom)
            problems.append(f"{at}: {message} — {hint}")
            continue
        minx, miny, maxx, maxy = geom.bounds
        if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
            problems.append(f"{at}: coordinates out of range — write [lon, lat], in degrees")
            continue
        if country is not None:
            outside = geom.difference(country)
            km2 = area_km2(outside)
            if km2 > OUTSIDE_TOLERANCE_KM2:
                problems.append(
                    f"{at}: {km2:.2f} km² lies outside {country_name}{_where(outside)} — "
                    "clip the polygon to the country (are longitude and latitude swapped?)"
                )
                continue
        shapes.append((i, Shape(name, geom)))
    geoms = [s.geometry for _, s in shapes]
    if len(geoms) > 1:
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        for a, b in zip(left.tolist(), right.tolist(), strict=True):
            if a >= b:
                continue
            overlap = geoms[a].intersection(geoms[b])
            km2 = area_km2(overlap)
            if km2 > OVERLAP_TOLERANCE_KM2:
                (ia, sa), (ib, sb) = shapes[a], shapes[b]
                problems.append(
                    f'features[{ib}] ("{sb.name}"): overlaps features[{ia}] ("{sa.name}") by '
                    f"{km2:.2f} km²{_where(overlap)} — make them share an edge, or merge them "
                    "into one feature"
                )
    if problems:
        raise Invalid(
            f"the delineation has {len(problems)} problem(s); nothing was stored", problems
        )
    return tuple(s for _, s in shapes)


def to_geojson(shapes: Sequence[Shape], **properties: Any) -> dict[str, Any]:
    """Shapes back to a FeatureCollection (what is stored and served)."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": s.name, **properties},
                "geometry": mapping(s.geometry),
            }
            for s in shapes
        ],
    }


def geometry_geojson(geom: BaseGeometry, **properties: Any) -> dict[str, Any]:
    """One geometry as a FeatureCollection with one feature (none when empty)."""
    features = (
        []
        if geom.is_empty
        else [{"type": "Feature", "properties": properties, "geometry": mapping(geom)}]
    )
    return {"type": "FeatureCollection", "features": features}
