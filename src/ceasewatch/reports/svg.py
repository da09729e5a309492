"""Small inline SVG charts and maps for self-contained reports (no JavaScript, no CDN)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Sequence
from html import escape

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

#: The dashboard's palette (dashboard.css): each keeps WCAG AA contrast (4.5:1) as text on
#: white, as the report prints verdicts in their colour.
VERDICT_COLOURS = {
    "violation": "#c53030",
    "undetermined": "#975a16",
    "exempt": "#2b6cb0",
    "not_applicable": "#4a5568",
}
ZONE_COLOURS = {
    "opposition": "#27ae60",
    "government": "#c0392b",
    "marbled": "#8e44ad",
    "designated-group": "#2c3e50",
    "contested": "#f1c40f",
    "city": "none",
}


def bar_chart(
    days: Sequence[dt.date],
    values: Sequence[int],
    baseline: Sequence[bool],
    markers: Sequence[tuple[dt.date, str]],
    width: int = 720,
    height: int = 180,
) -> str:
    """Violations per day: baseline days pale, in-force days solid, markers as lines."""
    if not days:
        return "<p>No days to chart.</p>"
    left, bottom, top = 30, 28, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    vmax = max(max(values, default=0), 1)
    bw = plot_w / len(days)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="violations per day" class="chart">'
    ]
    for k in range(0, vmax + 1, max(1, math.ceil(vmax / 4))):
        y = top + plot_h - plot_h * k / vmax
        parts.append(
            f'<line x1="{left}" x2="{width - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#eee"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{k}</text>'
        )
    for i, (d, v, base) in enumerate(zip(days, values, baseline, strict=True)):
        h = plot_h * v / vmax
        x = left + i * bw
        colour = "#e8b4ae" if base else "#c0392b"
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{max(bw - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="{colour}"><title>{d.isoformat()}: {v}</title></rect>'
        )
        if d.day % 5 == 1 or len(days) <= 12:
            parts.append(
                f'<text x="{x + bw / 2:.1f}" y="{height - 12}" font-size="10" '
                f'text-anchor="middle">{d.day} {d:%b}</text>'
            )
    for d, label in markers:
        if d in days:
            x = left + days.index(d) * bw
            parts.append(
                f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + plot_h}" stroke="#2c3e50" '
                f'stroke-dasharray="4 3"/><text x="{x + 3:.1f}" y="{top + 10}" font-size="10">'
                f"{escape(label)}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)


class _Proj:
    def __init__(self, bounds: tuple[float, float, float, float], width: int) -> None:
        xmin, ymin, xmax, ymax = bounds
        self.k = math.cos(math.radians((ymin + ymax) / 2))
        self.xmin, self.ymax = xmin, ymax
        self.scale = width / max((xmax - xmin) * self.k, 1e-9)
        self.height = int((ymax - ymin) * self.scale) + 1

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.xmin) * self.k * self.scale, (self.ymax - lat) * self.scale

    def path(self, geom: BaseGeometry) -> str:
        polys = getattr(geom, "geoms", [geom])
        out = []
        for poly in polys:
            rings = [poly.exterior, *poly.interiors] if hasattr(poly, "exterior") else [poly]
            for ring in rings:
                pts = [self.xy(x, y) for x, y in ring.coords]
                out.append(
                    "M"
                    + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts)
                    + ("Z" if hasattr(poly, "exterior") else "")
                )
        return "".join(out)


def map_svg(
    bounds: tuple[float, float, float, float],
    admin_geojson: str | None,
    zones: Sequence[tuple[str, str, BaseGeometry]],
    routes: Sequence[tuple[str, BaseGeometry]],
    points: Sequence[tuple[float, float, str, str]],
    width: int = 720,
    sizes: Sequence[float] | None = None,
    rings_m: Sequence[float] | None = None,
) -> str:
    """A static map: admin outlines, zones by type, routes, incidents by verdict.

    ``sizes`` gives each point's radius in pixels (default 3); ``rings_m`` draws a pale
    circle of that many metres around a point (how precisely it is placed; 0 or an
    infinite radius draws none).
    """
    p = _Proj(bounds, width)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {p.height}" class="map" role="img" '
        f'aria-label="map of incidents">'
    ]
    parts.append(f'<rect width="{width}" height="{p.height}" fill="#f7f7f2"/>')
    if admin_geojson:
        for f in json.loads(admin_geojson).get("features", []):
            parts.append(
                f'<path d="{p.path(shape(f["geometry"]))}" fill="none" stroke="#bbb" stroke-width="0.7"/>'
            )
    for zid, ztype, geom in zones:
        colour = ZONE_COLOURS.get(ztype, "#999")
        fill = f'fill="{colour}" fill-opacity="0.18"' if colour != "none" else 'fill="none"'
        parts.append(
            f'<path d="{p.path(geom)}" {fill} stroke="{colour if colour != "none" else "#555"}" '
            f'stroke-width="0.8" fill-rule="evenodd"><title>{escape(zid)} ({ztype})</title></path>'
        )
    for rid, geom in routes:
        parts.append(
            f'<path d="{p.path(geom)}" fill="none" stroke="#d35400" stroke-width="2">'
            f"<title>{escape(rid)}</title></path>"
        )
    for k, (lon, lat, verdict, label) in enumerate(points):
        x, y = p.xy(lon, lat)
        if 0 <= x <= width and 0 <= y <= p.height:
            ring = rings_m[k] if rings_m is not None else 0.0
            if 0 < ring < math.inf:
                parts.append(
                    f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{ring / 111_320 * p.scale:.1f}" '
                    f'fill="{VERDICT_COLOURS[verdict]}" fill-opacity="0.12" '
                    f'stroke="{VERDICT_COLOURS[verdict]}" stroke-width="0.5"/>'
                )
            r = sizes[k] if sizes is not None else 3
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:g}" fill="{VERDICT_COLOURS[verdict]}" '
                f'fill-opacity="0.8"><title>{escape(label)}</title></circle>'
            )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(
    values: Sequence[int], muted: Sequence[bool], width: int = 70, height: int = 18
) -> str:
    """A row's days as tiny bars (muted: a day the agreement was not in force)."""
    if not values:
        return ""
    vmax = max(max(values), 1)
    bw = width / len(values)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="spark" '
        f'role="img" aria-label="{" ".join(str(v) for v in values)}">'
        f'<line x1="0" x2="{width}" y1="{height - 0.5}" y2="{height - 0.5}" stroke="#ccc"/>'
    ]
    for i, (v, m) in enumerate(zip(values, muted, strict=True)):
        h = (height - 2) * v / vmax
        parts.append(
            f'<rect x="{i * bw + 1:.1f}" y="{height - 1 - h:.1f}" width="{max(bw - 2, 1):.1f}" '
            f'height="{h:.1f}" fill="{"#e8b4ae" if m else "#c0392b"}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)
