"""Build the simplified admin-1/admin-2 layers of the bundled ``syria-2016`` scenario.

Reads the OCHA COD-AB boundaries in ``../shared/data/syria-admin-boundaries-ocha`` and
writes ``admin1.geojson`` and ``admin2.geojson`` into the scenario folder.

The polygons of each level are simplified together as a coverage
(``shapely.coverage_simplify``): a border shared by two districts is simplified once,
so the output has neither gaps nor overlaps between neighbours and a point-in-polygon
lookup never finds two districts. Coordinates are then snapped to a 1e-5 degree grid
(about 1 m) and every geometry is checked to be valid and non-empty.

    python tools/build_syria_2016_admin.py [--shared ../shared] [--out DIR]

The output is deterministic: features are sorted by P-code.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_OUT = ROOT / "src" / "ceasewatch" / "agreement" / "scenarios" / "syria-2016"
BOUNDARIES = Path("data") / "syria-admin-boundaries-ocha"

#: Simplification tolerance in degrees (about 300 m at Syria's latitude).
TOLERANCE = 0.003
#: Coordinate grid in degrees: five decimals.
GRID = 1e-5
#: Size limit of each written file, in bytes.
MAX_BYTES = 400_000

LEVELS: dict[int, dict[str, str]] = {
    1: {"pcode": "ADM1_PCODE", "name": "ADM1_EN", "name_ar": "ADM1_AR"},
    2: {
        "pcode": "ADM2_PCODE",
        "name": "ADM2_EN",
        "name_ar": "ADM2_AR",
        "parent_pcode": "ADM1_PCODE",
    },
}


def _round_coords(obj: Any) -> Any:
    """Round every coordinate of a GeoJSON geometry mapping to five decimals."""
    if isinstance(obj, float):
        return round(obj, 5)
    if isinstance(obj, (list, tuple)):
        return [_round_coords(v) for v in obj]
    return obj


def build_level(source: Path, level: int) -> dict[str, Any]:
    """Return the simplified FeatureCollection of one admin level."""
    data = json.loads(source.read_text(encoding="utf-8"))
    fields = LEVELS[level]
    features = sorted(data["features"], key=lambda f: f["properties"][fields["pcode"]])
    geoms = [shape(f["geometry"]) for f in features]
    simplified = shapely.coverage_simplify(geoms, TOLERANCE)
    out = []
    for feature, original, geom in zip(features, geoms, simplified, strict=True):
        props = feature["properties"]
        pcode = props[fields["pcode"]]
        geom = shapely.set_precision(geom, GRID)
        geometry = mapping(geom)
        geometry = {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])}
        check = shape(geometry)
        if check.is_empty or not check.is_valid:
            raise SystemExit(f"{source.name}: {pcode}: simplified geometry is empty or invalid")
        shift = original.hausdorff_distance(check)
        if shift > 10 * TOLERANCE:
            raise SystemExit(f"{source.name}: {pcode}: simplification moved the outline {shift}°")
        out.append(
            {
                "type": "Feature",
                "id": pcode,
                "properties": {key: props[src] for key, src in fields.items()},
                "geometry": geometry,
            }
        )
    return {"type": "FeatureCollection", "features": out}


def check_coverage(collection: dict[str, Any], name: str) -> None:
    """Fail if two polygons of one level overlap (their interiors intersect)."""
    geoms = [shape(f["geometry"]) for f in collection["features"]]
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for i, j in zip(left.tolist(), right.tolist(), strict=True):
        if i < j and geoms[i].intersection(geoms[j]).area > 0:
            a = collection["features"][i]["id"]
            b = collection["features"][j]["id"]
            raise SystemExit(f"{name}: {a} and {b} overlap after simplification")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    folder = args.shared / BOUNDARIES
    if not folder.is_dir():
        print(f"error: {folder} not found — pass --shared PATH to the shared data", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    for level in LEVELS:
        source = folder / f"syr_admbnda_adm{level}_uncs_unocha.json"
        collection = build_level(source, level)
        name = f"admin{level}.geojson"
        check_coverage(collection, name)
        text = json.dumps(collection, ensure_ascii=False, separators=(",", ":")) + "\n"
        size = len(text.encode("utf-8"))
        if size > MAX_BYTES:
            print(f"error: {name} is {size} bytes (limit {MAX_BYTES})", file=sys.stderr)
            return 1
        (args.out / name).write_text(text, encoding="utf-8")
        print(f"{name}: {len(collection['features'])} features, {size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
