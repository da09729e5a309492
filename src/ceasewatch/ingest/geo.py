"""Where imported records lie: the country's bounding box (coordinates outside it, or
with latitude and longitude swapped, are rejected — never silently fixed) and OCHA P-codes
by point-in-polygon on the scenario's admin1/admin2 layers, many points at a time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import shapely
from shapely.geometry import shape

from ceasewatch.ingest.result import Issue

#: Admin P-codes are only meaningful for points at least this precise (as in the
#: bundled scenario's incidents).
ADMIN1_PRECISIONS: Final = frozenset({"exact", "neighbourhood", "town", "district", "province"})
ADMIN2_PRECISIONS: Final = frozenset({"exact", "neighbourhood", "town", "district"})

#: How far outside the admin layer's outline a point may lie and still count as inside the
#: bounding box (degrees): border towns are often given a little outside simplified lines.
MARGIN_DEG: Final = 0.1


@dataclass(frozen=True, slots=True)
class Box:
    """A latitude/longitude bounding box (degrees)."""

    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east

    def __str__(self) -> str:
        return f"lat {self.south:.2f}..{self.north:.2f}, lon {self.west:.2f}..{self.east:.2f}"


def check_point(lat: float, lon: float, box: Box | None, country: str) -> Issue | None:
    """None when the point may be right; else why not. Swapped coordinates are named as
    such and rejected like any other bad point: a wrong place would give wrong verdicts.

    >>> syria = Box(32.3, 35.6, 37.4, 42.4)
    >>> check_point(36.2, 37.16, syria, "Syria") is None
    True
    >>> check_point(40.1, 35.3, syria, "Syria").message
    'latitude and longitude look swapped (40.1, 35.3 lies outside Syria; 35.3, 40.1 inside) — swap the columns in the source'
    """
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return Issue(
            "latitude/longitude", f"({lat}, {lon}) is not a point on Earth", f"{lat}, {lon}"
        )
    if box is None or box.contains(lat, lon):
        return None
    if box.contains(lon, lat):
        return Issue(
            "latitude/longitude",
            f"latitude and longitude look swapped ({lat}, {lon} lies outside {country}; "
            f"{lon}, {lat} inside) — swap the columns in the source",
            f"{lat}, {lon}",
        )
    return Issue(
        "latitude/longitude",
        f"outside {country}'s bounding box ({box}) — check the coordinates",
        f"{lat}, {lon}",
    )


class AdminIndex:
    """P-codes of admin areas (level 1 and 2) by point-in-polygon, vectorized."""

    def __init__(self, level1: str | None, level2: str | None) -> None:
        self.levels: list[tuple[list[str], shapely.STRtree | None]] = []
        self.names: dict[str, str] = {}
        self.anchors: dict[str, tuple[float, float]] = {}
        bounds: list[float] = []
        for text in (level1, level2):
            units = _units(text) if text else []
            codes = [c for c, _, _ in units]
            geoms = [g for _, _, g in units]
            self.levels.append((codes, shapely.STRtree(geoms) if geoms else None))
            for code, name, geom in units:
                self.names.setdefault(name, code)
                p = geom.representative_point()
                self.anchors[code] = (p.y, p.x)
            if geoms and not bounds:
                bounds = list(shapely.total_bounds(geoms))
        self.box = (
            Box(
                bounds[1] - MARGIN_DEG,
                bounds[0] - MARGIN_DEG,
                bounds[3] + MARGIN_DEG,
                bounds[2] + MARGIN_DEG,
            )
            if bounds
            else None
        )

    def lookup(
        self, lats: Sequence[float], lons: Sequence[float], precisions: Sequence[str]
    ) -> list[tuple[str | None, str | None]]:
        """(admin1, admin2) P-codes of each point; None where the point lies in no area or
        its precision is too coarse for that level (a district needs a town-level point).
        """
        n = len(lats)
        out: list[list[str | None]] = [[None, None] for _ in range(n)]
        if n == 0:
            return []
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        for level, (codes, tree) in enumerate(self.levels):
            if tree is None:
                continue
            allowed = ADMIN1_PRECISIONS if level == 0 else ADMIN2_PRECISIONS
            hits = tree.query(points, predicate="intersects")
            # lowest area index wins where a point lies on a shared border (codes are sorted)
            for i, j in sorted(zip(hits[0].tolist(), hits[1].tolist(), strict=True)):
                if out[i][level] is None and precisions[i] in allowed:
                    out[i][level] = codes[j]
        return [(a, b) for a, b in out]


def _units(text: str) -> list[tuple[str, str, shapely.Geometry]]:
    data = json.loads(text)
    units = []
    for f in data.get("features", []):
        props = f.get("properties") or {}
        code = props.get("pcode") or f.get("id")
        if not code or not f.get("geometry"):
            continue
        units.append((str(code), str(props.get("name") or code), shape(f["geometry"])))
    return sorted(units, key=lambda u: u[0])
