"""Check the geography of the bundled ``syria-2016`` scenario; exit 1 on any problem.

What is checked, all at once (every problem is printed, not only the first):

* ``zones.geojson``: feature ``id`` equal to ``properties.id`` and unique; properties exactly
  ``id, name, type, note, sources``; a known ``type``; a valid, non-empty Polygon or
  MultiPolygon inside Syria.
* The overlap rule: zones of the non-city types must not share interior (touching is
  fine); ``city`` zones may overlap anything.
* The Deir ez-Zor hole is filled exactly by the government enclave.
* Point memberships: reference places (with the source of each coordinate) fall in the
  expected zone and in no other non-city zone; some places must be in no zone at all.
* ``routes.geojson`` and ``checkpoints.geojson``: properties, geometry types, known actor
  ids, each checkpoint within its route's corridor.
* ``admin1.geojson`` / ``admin2.geojson``: properties, validity, size, parent P-codes and
  no overlap between units of one level.

    python tools/check_syria_2016_geography.py [--scenario DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

import shapely
from pyproj import Transformer
from shapely.geometry import Point, Polygon, shape

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "src" / "ceasewatch" / "agreement" / "scenarios" / "syria-2016"

ZONE_TYPES = {"opposition", "government", "marbled", "designated-group", "contested", "city"}
ZONE_PROPERTIES = {"id", "name", "type", "note", "sources"}
ROUTE_PROPERTIES = {"id", "name", "corridor_m", "note", "sources"}
CHECKPOINT_PROPERTIES = {"id", "name", "route", "operated_by", "monitored_by", "note"}
ACTORS = {"sy-gov", "ru", "opposition", "isis", "nusra", "us-coalition", "sdf", "turkey"}
ACTORS |= {"civilians", "un", "iraq", "israel"}
REQUIRED_ZONES = {
    "aleppo-city",
    "aleppo-east",
    "aleppo-west",
    "aleppo-southwest-marbled",
    "aleppo-west-countryside",
    "idlib-marbled",
    "deir-ez-zor-isis",
    "deir-ez-zor-enclave",
    "raqqa-isis",
}
REQUIRED_ROUTES = {"castello-road", "ramouseh-road"}
MAX_ADMIN_BYTES = 400_000
#: How far (degrees) a zone may stray outside the country outline (simplification slack).
BORDER_SLACK_DEG = 0.03

SA = "Syrian Archive places"
UCDP = "UCDP GED 19.1"
BRIEF = "project brief"
EST = "project estimate"

#: (place, lat, lon, source of the coordinate, expected non-city zone or None for "none").
MEMBERSHIP: list[tuple[str, float, float, str, str | None]] = [
    # eastern Aleppo (opposition)
    ("al-Sukkari", 36.1730625, 37.1406003, SA, "aleppo-east"),
    ("al-Ansari", 36.1867244, 37.1352403, SA, "aleppo-east"),
    ("Bustan al-Qasr", 36.193482, 37.1392603, SA, "aleppo-east"),
    ("al-Shaar", 36.2028527, 37.1780256, SA, "aleppo-east"),
    ("al-Sakhour", 36.218944, 37.1888225, SA, "aleppo-east"),
    ("al-Fardos", 36.1809208, 37.1513191, SA, "aleppo-east"),
    ("Salah al-Din (east part)", 36.1909448, 37.1235377, SA, "aleppo-east"),
    ("Bab al-Nayrab", 36.1771814, 37.1714127, SA, "aleppo-east"),
    ("Sheikh Saeed", 36.1647521, 37.1475595, SA, "aleppo-east"),
    # the Syrian Archive point for Marjeh geocodes the old city; this is the quarter itself
    ("al-Marja", 36.1830, 37.1830, EST, "aleppo-east"),
    ("Bab al-Hadid", 36.2034464, 37.1672537, SA, "aleppo-east"),
    ("Jazmati", 36.198383, 37.2035507, SA, "aleppo-east"),
    ("Bustan al-Basha", 36.2284107, 37.170743, SA, "aleppo-east"),
    # Sheikh Maqsoud (YPG)
    ("Sheikh Maqsoud", 36.2365, 37.1500, BRIEF, "sheikh-maqsoud"),
    ("Sheikh Maqsoud (SA)", 36.2364998, 37.1499794, SA, "sheikh-maqsoud"),
    # western Aleppo (government)
    ("New Aleppo", 36.1995699, 37.0963683, SA, "aleppo-west"),
    ("Saif al-Dawla", 36.209732, 37.1261206, SA, "aleppo-west"),
    ("Aleppo citadel", 36.1993994, 37.1629614, SA + " (row 'Castillo')", "aleppo-west"),
    ("Ashrafieh", 36.2300461, 37.1472558, SA, "aleppo-west"),
    ("al-Mallah farms", 36.273055, 37.130555, UCDP, "aleppo-west"),
    ("Hamdaniyeh", 36.1800, 37.1100, EST, "aleppo-west"),
    # south-western front (marbled)
    ("1070 apartments project", 36.1783886, 37.076304, SA, "aleppo-southwest-marbled"),
    ("Khan Touman", 36.1175, 37.050833, SA, "aleppo-southwest-marbled"),
    ("Khan Tuman town", 36.11696, 37.05103, UCDP, "aleppo-southwest-marbled"),
    ("Ramouseh military complex", 36.16, 37.1175, UCDP, "aleppo-southwest-marbled"),
    ("al-Ais", 35.996011, 37.0024533, SA, "aleppo-southwest-marbled"),
    ("al-Hader", 35.98687, 37.061451, SA, "aleppo-southwest-marbled"),
    ("Al Hadir town", 35.99024, 37.05086, UCDP, "aleppo-southwest-marbled"),
    ("Zitan", 36.064657, 37.0078232, SA, "aleppo-southwest-marbled"),
    ("Huwayr al-Eis", 35.918333, 36.979722, UCDP, "aleppo-southwest-marbled"),
    # western Aleppo countryside (marbled)
    ("Urum al-Kubra", 36.1481, 36.94775, UCDP, "aleppo-west-countryside"),
    ("al-Atarib", 36.1328189, 36.8304102, SA, "aleppo-west-countryside"),
    ("Al Atarib town", 36.13895, 36.82499, UCDP, "aleppo-west-countryside"),
    ("Kafr Naha", 36.168273, 36.984502, UCDP, "aleppo-west-countryside"),
    ("Khan al-Asal", 36.1692, 37.0374, BRIEF, "aleppo-west-countryside"),
    ("Khan al Asal town", 36.17135, 37.03907, UCDP, "aleppo-west-countryside"),
    ("Kafr Dael", 36.2172243, 37.021246, SA, "aleppo-west-countryside"),
    ("Kafr Hamra", 36.2564064, 37.0883232, SA, "aleppo-west-countryside"),
    ("Kafr Hamrah village", 36.2526, 37.0791, UCDP, "aleppo-west-countryside"),
    ("Hreitan", 36.287, 37.0833, UCDP, "aleppo-west-countryside"),
    ("Anadan", 36.29353, 37.04466, UCDP, "aleppo-west-countryside"),
    ("Maarat al-Atarib", 36.157222, 36.819167, UCDP, "aleppo-west-countryside"),
    ("Kafr Karmin", 36.1575838, 36.7873365, SA, "aleppo-west-countryside"),
    # Idlib (marbled)
    ("Idlib", 35.93062, 36.63393, UCDP, "idlib-marbled"),
    ("Binnish", 35.956659, 36.714159, UCDP, "idlib-marbled"),
    ("Maarrat Misrin", 36.012601, 36.671451, UCDP, "idlib-marbled"),
    ("Sarmin", 35.90403, 36.72501, UCDP, "idlib-marbled"),
    ("Sarmada", 36.185527, 36.722308, UCDP, "idlib-marbled"),
    ("Jisr al-Shughur", 35.81426, 36.32062, UCDP, "idlib-marbled"),
    ("Khan Shaykhun", 35.44208, 36.65095, UCDP, "idlib-marbled"),
    ("Taftanaz", 35.9960232, 36.7846436, SA, "idlib-marbled"),
    # Deir ez-Zor
    ("Deir ez-Zor airport", 35.285, 40.176, BRIEF, "deir-ez-zor-enclave"),
    ("Deir ez Zor airport", 35.283094, 40.170863, UCDP, "deir-ez-zor-enclave"),
    ("Jabal Tharda", 35.256571, 40.114747, UCDP, "deir-ez-zor-enclave"),
    ("Panorama base", 35.312793, 40.094524, UCDP, "deir-ez-zor-enclave"),
    ("Deir ez Zor town", 35.335876, 40.140844, UCDP, "deir-ez-zor-enclave"),
    ("al-Mayadin", 35.02089, 40.453455, UCDP, "deir-ez-zor-isis"),
    ("Albu Kamal", 34.45, 40.918611, UCDP, "deir-ez-zor-isis"),
    ("Tabni", 35.612783, 39.8158, UCDP, "deir-ez-zor-isis"),
    # Raqqa
    ("Raqqa", 35.952829, 39.007879, UCDP, "raqqa-isis"),
    ("Tabqa", 35.8367, 38.5481, UCDP, "raqqa-isis"),
    ("Tabqa airbase", 35.754722, 38.566667, UCDP, "raqqa-isis"),
    # in no zone
    ("al-Fu'ah (hole in Idlib)", 35.982916, 36.70221, UCDP, None),
    ("Nubl", 36.375556, 36.994167, UCDP, None),
    ("Zahraa", 36.358583, 37.010667, UCDP, None),
    ("Aleppo International Airport", 36.180556, 37.224167, UCDP, None),
    ("Ain Issa (SDF)", 36.385687, 38.858694, UCDP, None),
]

#: (place, lat, lon, inside aleppo-city?)
CITY: list[tuple[str, float, float, bool]] = [
    ("al-Sukkari", 36.1730625, 37.1406003, True),
    ("Sheikh Maqsoud", 36.2365, 37.1500, True),
    ("New Aleppo", 36.1995699, 37.0963683, True),
    ("1070 apartments project", 36.1783886, 37.076304, True),
    ("Aleppo citadel", 36.1993994, 37.1629614, True),
    ("Ramouseh military complex", 36.16, 37.1175, True),
    ("Khan al-Asal", 36.1692, 37.0374, False),
    ("Urum al-Kubra", 36.1481, 36.94775, False),
    ("Kafr Hamra", 36.2564064, 37.0883232, False),
]


class Report:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.problems.append(f"[{where}] {message}")


def load(path: Path, report: Report) -> list[dict[str, Any]]:
    if not path.is_file():
        report.fail(path.name, "file not found")
        return []
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") != "FeatureCollection":
        report.fail(path.name, "not a FeatureCollection")
        return []
    features: list[dict[str, Any]] = data["features"]
    return features


def check_properties(
    name: str, features: list[dict[str, Any]], keys: set[str], report: Report
) -> None:
    seen: set[str] = set()
    for i, f in enumerate(features):
        props = f.get("properties") or {}
        fid = f.get("id")
        where = f"{name} -> {i} ({fid})"
        if set(props) != keys:
            report.fail(where, f"properties {sorted(props)} differ from {sorted(keys)}")
        if fid is None or fid != props.get("id"):
            report.fail(where, "feature id missing or different from properties.id")
        if fid in seen:
            report.fail(where, "duplicate id")
        seen.add(str(fid))


def check_zones(scenario: Path, syria: Any, report: Report) -> dict[str, Any]:
    features = load(scenario / "zones.geojson", report)
    check_properties("zones.geojson", features, ZONE_PROPERTIES, report)
    zones: dict[str, Any] = {}
    types: dict[str, str] = {}
    for f in features:
        zid, props = f["id"], f["properties"]
        where = f"zones.geojson -> {zid}"
        if props.get("type") not in ZONE_TYPES:
            report.fail(where, f"unknown type {props.get('type')!r}")
        if not props.get("note") or not props.get("sources"):
            report.fail(where, "empty note or sources")
        if f["geometry"]["type"] not in ("Polygon", "MultiPolygon"):
            report.fail(where, f"geometry is {f['geometry']['type']}")
            continue
        geom = shape(f["geometry"])
        if geom.is_empty or not geom.is_valid:
            report.fail(where, f"invalid or empty: {shapely.is_valid_reason(geom)}")
            continue
        # simplified outlines may cut across bends of the national border by a little
        if not syria.buffer(BORDER_SLACK_DEG).contains(geom):
            report.fail(where, f"extends more than {BORDER_SLACK_DEG} degrees outside Syria")
        zones[zid], types[zid] = geom, props["type"]
    missing = REQUIRED_ZONES - set(zones)
    if missing:
        report.fail("zones.geojson", f"missing zones {sorted(missing)}")

    exclusive = sorted(z for z in zones if types[z] != "city")
    pairs = touching = 0
    for a, b in itertools.combinations(exclusive, 2):
        pairs += 1
        relation = shapely.relate(zones[a], zones[b])
        if relation[0] != "F":
            area = zones[a].intersection(zones[b]).area
            report.fail("overlap", f"{a} and {b} share interior (area {area:.3g} sq deg)")
        elif zones[a].touches(zones[b]):
            touching += 1
    print(f"zones: {len(zones)} ({', '.join(f'{z}:{types[z]}' for z in sorted(zones))})")
    print(f"overlap rule: {pairs} pairs of non-city zones checked, {touching} share a border")

    if {"deir-ez-zor-isis", "deir-ez-zor-enclave"} <= set(zones):
        isis, enclave = zones["deir-ez-zor-isis"], zones["deir-ez-zor-enclave"]
        holes = [Polygon(h) for h in getattr(isis, "interiors", [])]
        if len(holes) != 1 or not holes[0].equals(enclave):
            report.fail("deir-ez-zor", "the enclave does not exactly fill the ISIS zone's hole")
        else:
            print("deir-ez-zor: the enclave fills the hole of the ISIS zone exactly")
    return zones


def check_memberships(zones: dict[str, Any], types: dict[str, str], report: Report) -> None:
    exclusive = {z: g for z, g in zones.items() if types.get(z) != "city"}
    ok = 0
    for place, lat, lon, source, expected in MEMBERSHIP:
        p = Point(lon, lat)
        found = sorted(z for z, g in exclusive.items() if g.covers(p))
        want = [expected] if expected else []
        if found != want:
            report.fail("membership", f"{place} ({lat}, {lon}; {source}) in {found}, want {want}")
        else:
            ok += 1
    print(f"memberships: {ok}/{len(MEMBERSHIP)} reference places in the expected zone")
    city = zones.get("aleppo-city")
    if city is None:
        return
    ok = 0
    for place, lat, lon, inside in CITY:
        if city.covers(Point(lon, lat)) != inside:
            report.fail("aleppo-city", f"{place}: inside={not inside}, want {inside}")
        else:
            ok += 1
    print(f"aleppo-city: {ok}/{len(CITY)} reference places on the expected side")


def check_routes(scenario: Path, report: Report) -> None:
    routes = load(scenario / "routes.geojson", report)
    check_properties("routes.geojson", routes, ROUTE_PROPERTIES, report)
    to_utm = Transformer.from_crs("EPSG:4326", "EPSG:32637", always_xy=True)
    lines: dict[str, tuple[Any, float]] = {}
    for f in routes:
        where = f"routes.geojson -> {f['id']}"
        if f["geometry"]["type"] != "LineString":
            report.fail(where, f"geometry is {f['geometry']['type']}")
            continue
        line = shape(f["geometry"])
        corridor = f["properties"].get("corridor_m")
        if not line.is_valid or line.length == 0:
            report.fail(where, "invalid or zero-length line")
        if not isinstance(corridor, (int, float)) or corridor <= 0:
            report.fail(where, f"corridor_m {corridor!r} is not a positive number")
            continue
        projected = shapely.transform(line, lambda xy: _project(to_utm, xy))
        lines[f["id"]] = (projected, float(corridor))
        print(f"route {f['id']}: {projected.length / 1000:.1f} km, corridor {corridor} m")
    missing = REQUIRED_ROUTES - set(lines)
    if missing:
        report.fail("routes.geojson", f"missing routes {sorted(missing)}")

    checkpoints = load(scenario / "checkpoints.geojson", report)
    check_properties("checkpoints.geojson", checkpoints, CHECKPOINT_PROPERTIES, report)
    for f in checkpoints:
        props, where = f["properties"], f"checkpoints.geojson -> {f['id']}"
        if f["geometry"]["type"] != "Point":
            report.fail(where, f"geometry is {f['geometry']['type']}")
            continue
        for key in ("operated_by", "monitored_by"):
            unknown = set(props.get(key) or []) - ACTORS
            if not props.get(key) or unknown:
                report.fail(where, f"{key} empty or has unknown actors {sorted(unknown)}")
        route = lines.get(props.get("route"))
        if route is None:
            report.fail(where, f"unknown route {props.get('route')!r}")
            continue
        point = shapely.transform(shape(f["geometry"]), lambda xy: _project(to_utm, xy))
        if route[0].distance(point) > route[1] / 2:
            report.fail(where, "outside its route's corridor")
    print(f"checkpoints: {len(checkpoints)}")


def _project(transformer: Transformer, xy: Any) -> Any:
    import numpy as np

    x, y = transformer.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([x, y])


def check_admin(scenario: Path, report: Report) -> Any:
    pcodes1: set[str] = set()
    syria = None
    for level, keys in ((1, {"pcode", "name", "name_ar"}), (2, {"pcode", "name", "name_ar"})):
        if level == 2:
            keys = keys | {"parent_pcode"}
        path = scenario / f"admin{level}.geojson"
        if path.is_file() and path.stat().st_size > MAX_ADMIN_BYTES:
            report.fail(path.name, f"{path.stat().st_size} bytes, limit {MAX_ADMIN_BYTES}")
        features = load(path, report)
        geoms = []
        for f in features:
            props = f.get("properties") or {}
            where = f"{path.name} -> {props.get('pcode')}"
            if set(props) != keys:
                report.fail(where, f"properties {sorted(props)} differ from {sorted(keys)}")
            geom = shape(f["geometry"])
            if geom.is_empty or not geom.is_valid:
                report.fail(where, "invalid or empty geometry")
            geoms.append(geom)
            if level == 1:
                pcodes1.add(props.get("pcode", ""))
            elif props.get("parent_pcode") not in pcodes1:
                report.fail(where, f"unknown parent_pcode {props.get('parent_pcode')!r}")
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="intersects")
        for i, j in zip(left.tolist(), right.tolist(), strict=True):
            if i < j and shapely.relate(geoms[i], geoms[j])[0] != "F":
                report.fail(path.name, f"units {i} and {j} overlap")
        if level == 1 and geoms:
            syria = shapely.union_all(geoms)
        print(f"{path.name}: {len(features)} units")
    return syria


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    args = parser.parse_args(argv)
    report = Report()
    syria = check_admin(args.scenario, report)
    if syria is None:
        report.fail("admin1.geojson", "no country outline: cannot check zones")
    else:
        zones = check_zones(args.scenario, syria, report)
        features = load(args.scenario / "zones.geojson", Report())
        types = {f["id"]: f["properties"].get("type", "") for f in features}
        check_memberships(zones, types, report)
    check_routes(args.scenario, report)
    if report.problems:
        print(f"\n{len(report.problems)} problem(s):", file=sys.stderr)
        for problem in report.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print("\nall checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
