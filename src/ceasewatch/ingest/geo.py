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
    """P-codes of admin areas (level 1 and 2) by point-in-polygon, vectorized: each area
    is tested once per batch against the points inside its bounding box (a point on a
    shared border goes to the area with the lower P-code)."""

    def __init__(self, level1: str | None, level2: str | None) -> None:
        self.levels: list[tuple[list[str], list[shapely.Geometry], np.ndarray]] = []
        self.names: dict[str, str] = {}
        self.anchors: dict[str, tuple[float, float]] = {}
        bounds: list[float] = []
        for text in (level1, level2):
            units = _units(text) if text else []
            geoms = [g for _, _, g in units]
            for g in geoms:
                shapely.prepare(g)
            boxes = np.array([g.bounds for g in geoms], dtype=float).reshape(-1, 4)
            self.levels.append(([c for c, _, _ in units], geoms, boxes))
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
        if n == 0:
            return []
        y = np.asarray(lats, dtype=float)
        x = np.asarray(lons, dtype=float)
        found: list[np.ndarray] = []
        for level, (_codes, geoms, boxes) in enumerate(self.levels):
            allowed = ADMIN1_PRECISIONS if level == 0 else ADMIN2_PRECISIONS
            which = np.full(n, -1, dtype=np.int64)
            open_ = np.fromiter((p in allowed for p in precisions), dtype=bool, count=n)
            for k, geom in enumerate(geoms):
                x0, y0, x1, y1 = boxes[k]
                idx = np.nonzero(open_ & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))[0]
                if idx.size == 0:
                    continue
                hit = idx[shapely.intersects_xy(geom, x[idx], y[idx])]
                which[hit] = k
                open_[hit] = False
            found.append(which)
        out: list[tuple[str | None, str | None]] = []
        c1 = self.levels[0][0] if self.levels else []
        c2 = self.levels[1][0] if len(self.levels) > 1 else []
        w1 = found[0].tolist() if found else [-1] * n
        w2 = found[1].tolist() if len(found) > 1 else [-1] * n
        for a, b in zip(w1, w2, strict=True):
            out.append((c1[a] if a >= 0 else None, c2[b] if b >= 0 else None))
        return out


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
