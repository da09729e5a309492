"""Which governorate and district a point lies in: point-in-polygon on admin outlines.

Built from the admin-2 (district) layer of a scenario, whose features carry ``pcode`` and
``parent_pcode`` (the governorate), as ``tools/build_syria_2016_admin.py`` writes them; a
layer of governorates alone (``pcode`` only) works too and answers admin 1 only. A point
on the border of two districts gets the one with the smaller P-code (outlines *cover*
their border, and the order is fixed so the answer never depends on the file's order).
A point outside every outline but within ``snap_deg`` of one (a coastal town just off a
simplified coastline) gets the nearest; farther out the answer is ``(None, None)``.

>>> fc = {"type": "FeatureCollection", "features": [
...     {"type": "Feature", "properties": {"pcode": "SY0200", "parent_pcode": "SY02"},
...      "geometry": {"type": "Polygon", "coordinates": [[[37, 36], [37.5, 36], [37.5, 36.5], [37, 36.5], [37, 36]]]}}]}
>>> index = AdminIndex.from_geojson(fc)
>>> index.admin_of(36.2, 37.16), index.admin_of(36.2, 36.999), index.admin_of(30.0, 30.0)
(('SY02', 'SY0200'), ('SY02', 'SY0200'), (None, None))
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry


@dataclass(frozen=True)
class AdminIndex:
    """Admin outlines with their P-codes, indexed for point lookups."""

    pcodes: tuple[tuple[str | None, str | None], ...]
    geometries: tuple[BaseGeometry, ...]
    snap_deg: float = 0.02
    _tree: shapely.STRtree = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_tree", shapely.STRtree(list(self.geometries)))

    @classmethod
    def from_geojson(cls, data: str | Mapping[str, Any], *, snap_deg: float = 0.02) -> AdminIndex:
        """From a FeatureCollection (text or parsed) of districts or governorates."""
        doc = json.loads(data) if isinstance(data, str) else data
        rows: list[tuple[tuple[str | None, str | None], BaseGeometry]] = []
        for feature in doc.get("features", []):
            props = feature.get("properties") or {}
            pcode = props.get("pcode") or feature.get("id")
            parent = props.get("parent_pcode")
            if not isinstance(pcode, str) or feature.get("geometry") is None:
                continue
            codes = (parent, pcode) if isinstance(parent, str) else (pcode, None)
            rows.append((codes, shape(feature["geometry"])))
        rows.sort(key=lambda r: r[0][1] or r[0][0] or "")
        return cls(tuple(r[0] for r in rows), tuple(r[1] for r in rows), snap_deg)

    def admin_of(self, lat: float, lon: float) -> tuple[str | None, str | None]:
        """``(admin1_pcode, admin2_pcode)`` of the point, or ``(None, None)`` outside."""
        point = shapely.Point(lon, lat)
        hits = self._tree.query(point, predicate="covered_by")
        if len(hits):
            return self.pcodes[int(min(hits))]
        if self.snap_deg <= 0:
            return (None, None)
        near, dist = self._tree.query_nearest(
            point, max_distance=self.snap_deg, return_distance=True
        )
        if len(near) == 0:
            return (None, None)
        best = min(zip(dist.tolist(), near.tolist(), strict=True))
        return self.pcodes[int(best[1])]
