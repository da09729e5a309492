"""Measure how much of the real Syrian data the bundled gazetteer resolves.

    python tools/measure_syria_gazetteer.py [--shared ../shared]

Figures (each the share of items, with the count):

- ``fakes_location``: FA-KES articles whose human-coded ``location`` (a governorate name)
  resolves to that governorate ("damascus" there covers Rural Damascus too);
- ``fakes_crowd``: the crowd workers' free-text locations of the FA-KES articles that
  resolve to one place (many are lists of places or not places at all);
- ``fakes_text``: FA-KES articles in whose text ``find_in_text`` finds a place of the
  coded governorate (a ceiling for a governorate read from places named in the text);
- ``ucdp_2016``: UCDP GED events of 2016 located at a place (``where_prec`` 1 or 2) whose
  ``where_coordinates`` name resolves, alone, to a place within 5 km of the event;
- ``sa_2016``: Syrian Archive incidents of 2016 with a neighbourhood whose name, with
  the incident's city as context, resolves to a place of the governorate its coordinates
  lie in (incidents with coordinates only).

UCDP and the Syrian Archive are sources of the gazetteer, so their figures check the
name handling (splitting, folding, ranking), not coverage of unseen text; the FA-KES
figures are on articles the gazetteer was not built from.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path

from ceasewatch.agreement.sources import load_bundled
from ceasewatch.places import Gazetteer, for_scenario
from ceasewatch.places.gazetteer import haversine_km

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
FAKES = Path("data") / "fakes-syria-news"
UCDP = Path("data") / "ucdp-ged-syria" / "ged191_syria_20160101-20191130.csv"
SA = Path("data") / "syrian-archive-violations" / "violations.csv"

#: FA-KES ``location`` values -> the governorates they stand for.
FAKES_GOVERNORATES: dict[str, frozenset[str]] = {
    "aleppo": frozenset({"SY02"}),
    "damascus": frozenset({"SY01", "SY03"}),
    "idlib": frozenset({"SY07"}),
    "deir ezzor": frozenset({"SY09"}),
    "raqqa": frozenset({"SY11"}),
    "homs": frozenset({"SY04"}),
    "hasakeh": frozenset({"SY08"}),
    "hama": frozenset({"SY05"}),
    "daraa": frozenset({"SY12"}),
    "lattakia": frozenset({"SY06"}),
    "quneitra": frozenset({"SY14"}),
    "latakia": frozenset({"SY06"}),
    "suwayda": frozenset({"SY13"}),
    "tartus": frozenset({"SY10"}),
}


def fakes_rows(shared: Path) -> list[dict[str, str]]:
    raw = (shared / FAKES / "fakes-dev.csv").read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("cp1252", errors="replace"))))


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)


def measure(shared: Path, g: Gazetteer) -> dict[str, tuple[int, int]]:
    """Figure name -> (hits, total)."""
    out: dict[str, tuple[int, int]] = {}
    rows = fakes_rows(shared)
    labelled = [r for r in rows if r["location"].strip().lower() in FAKES_GOVERNORATES]
    hits = sum(
        g.resolve([r["location"]]).admin1_pcode in FAKES_GOVERNORATES[r["location"].strip().lower()]
        for r in labelled
    )
    out["fakes_location"] = (hits, len(labelled))
    text_hits = 0
    for r in labelled:
        wanted = FAKES_GOVERNORATES[r["location"].strip().lower()]
        found = {
            p.admin1_pcode
            for m in g.find_in_text(r["article_title"] + "\n" + r["article_content"])
            for p in m.places
        }
        text_hits += bool(found & wanted)
    out["fakes_text"] = (text_hits, len(labelled))
    crowd = [
        r["Location"].strip()
        for r in _csv(shared / FAKES / "crowd-annotations-dev.csv")
        if r["Location"].strip()
    ]
    out["fakes_crowd"] = (sum(g.resolve([c]).ok for c in crowd), len(crowd))
    near = total = 0
    for r in _csv(shared / UCDP):
        if r["year"] != "2016" or r["where_prec"] not in ("1", "2"):
            continue
        total += 1
        found = g.resolve([r["where_coordinates"]]).place
        lat, lon = float(r["latitude"]), float(r["longitude"])
        near += found is not None and haversine_km(found.lat, found.lon, lat, lon) <= 5.0
    out["ucdp_2016"] = (near, total)
    same = total = 0
    for r in _csv(shared / SA):
        if not r["Recording_Date"].startswith("2016") or "NA" in (
            r["Neighborhood"],
            r["Latitude"],
            r["City"],
        ):
            continue
        admin1, _ = g.admin_of(float(r["Latitude"]), float(r["Longitude"]))
        if admin1 is None:
            continue
        total += 1
        resolution = g.resolve([r["Neighborhood"], r["City"].title()])
        same += resolution.admin1_pcode == admin1
    out["sa_2016"] = (same, total)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    args = parser.parse_args(argv)
    if not (args.shared / FAKES).is_dir():
        print(f"error: {args.shared / FAKES} not found — pass --shared PATH", file=sys.stderr)
        return 2
    g = for_scenario(load_bundled("syria-2016"))
    for name, (hits, total) in measure(args.shared, g).items():
        print(f"{name:16} {hits / total:6.3f}  ({hits}/{total})")
    print(f"# python tools/{Path(__file__).name} --shared {args.shared}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
