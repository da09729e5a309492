"""Build the zones, routes and checkpoints of the bundled ``syria-2016`` scenario.

The geography is drawn by the ceasewatch project from public descriptions of the front
lines in September 2016. It is coarse: a few hundred metres inside Aleppo city, several
kilometres in the countryside. Each zone says so in its ``note``.

How the drawing is kept consistent: every vertex is named once in ``POINTS`` and the
borders between zones are *chains* of named vertices that both neighbours use, one of
them in reverse. Two zones that meet therefore share identical vertices and never
overlap. Where a zone follows a governorate border (Idlib, Deir ez-Zor, Raqqa) its
outline is the OCHA boundary from ``admin1.geojson`` simplified further as a coverage,
so neighbouring outlines still share their vertices.

    python tools/build_syria_2016_admin.py   # first: writes admin1.geojson
    python tools/build_syria_2016_zones.py   # writes zones, routes, checkpoints

Check the result with ``tools/check_syria_2016_geography.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "src" / "ceasewatch" / "agreement" / "scenarios" / "syria-2016"

Coord = tuple[float, float]

#: Tolerance (degrees) of the extra coverage simplification of governorate outlines.
OUTLINE_TOLERANCE = 0.02

DRAWN = "ceasewatch project drawing from public descriptions of the September 2016 front lines"
OCHA = "OCHA COD-AB Syria administrative boundaries (governorate outline, simplified)"
PLACES = "Syrian Archive places, CC BY-SA 4.0 (reference points)"
UCDP = "UCDP GED Syria 19.1 (reference points)"

# --------------------------------------------------------------------------------------
# Named vertices, (lon, lat). Reference points used to place them are noted beside them.
# --------------------------------------------------------------------------------------
POINTS: dict[str, Coord] = {
    # eastern Aleppo pocket (opposition), clockwise from its north-west corner
    "E1": (37.1640, 36.2440),  # north-east corner of Sheikh Maqsoud, by the Jandoul roundabout
    "E2": (37.1750, 36.2520),  # Owayja
    "E3": (37.1950, 36.2500),  # Jabal Badro, north
    "E4": (37.2050, 36.2380),  # Ard al-Hamra
    "E5": (37.2060, 36.2200),  # Masakin Hanano, east
    "E6": (37.2150, 36.2050),  # Tariq al-Bab
    "E7": (37.2160, 36.1900),  # Karm al-Tarrab / Karm al-Qaterji
    "E8": (37.2000, 36.1780),  # Sheikh Lutfi
    "E9": (37.1850, 36.1680),  # al-Marja, south
    "E10": (37.1650, 36.1580),  # Sheikh Saeed, east
    "E11": (37.1480, 36.1560),  # Sheikh Saeed, south
    "E12": (37.1350, 36.1640),  # Ramouseh front
    "E13": (37.1300, 36.1750),  # al-Sukkari, west
    "E14": (37.1215, 36.1860),  # Salah al-Din, south-west
    "E15": (37.1210, 36.1930),  # Salah al-Din, north-west
    "E16": (37.1330, 36.1950),  # Saif al-Dawla / Bustan al-Qasr
    "E17": (37.1370, 36.1990),  # Bustan al-Qasr crossing
    "E18": (37.1480, 36.1985),  # Kallaseh, north
    "E19": (37.1510, 36.2020),  # Bab Antakya
    "E20": (37.1580, 36.2015),  # old city, north edge of the souqs
    "E21": (37.1600, 36.2000),  # west of the citadel
    "E22": (37.1605, 36.1975),  # south-west of the citadel
    "E23": (37.1655, 36.1970),  # south-east of the citadel
    "E24": (37.1665, 36.2005),  # north-east of the citadel
    "E25": (37.1650, 36.2050),  # Bab al-Hadid, west
    "E26": (37.1640, 36.2120),  # Sheikh Khodr / Suleimaniyeh front
    "E27": (37.1700, 36.2200),  # Bustan al-Basha, south
    "E28": (37.1680, 36.2300),  # Bustan al-Basha / Hellok, west
    # Sheikh Maqsoud (YPG)
    "S1": (37.1650, 36.2320),  # south-east corner
    "S6": (37.1500, 36.2310),  # south, above Ashrafieh
    "S5": (37.1370, 36.2340),  # west
    "S4": (37.1380, 36.2430),  # north-west
    "S3": (37.1500, 36.2480),  # north
    # government-held west: north edge (Castello road, Mallah farms) and west edge
    "G8": (37.1580, 36.2560),  # north of Sheikh Maqsoud, on the Castello road
    "G7": (37.1450, 36.2720),  # Mallah farms, east
    "G6": (37.1250, 36.2780),  # Mallah farms, west
    "G5": (37.1050, 36.2600),  # Castello area / Layramoun, north-west
    "G4": (37.0950, 36.2500),  # south of Kafr Hamra
    "G3": (37.0750, 36.2350),  # Zahraa association, north-west
    "G2": (37.0650, 36.2200),  # Zahraa association, west
    "G1": (37.0650, 36.2000),  # Minyan, west
    "W0": (37.0720, 36.1870),  # Dahiyat al-Assad, south-west: meeting point of three zones
    # government-held west: south edge, against the south-western front
    "M6": (37.0820, 36.1800),  # north of the 1070 apartments project
    "M5": (37.0900, 36.1720),  # Hamdaniyeh 3000 project, south
    "M4": (37.1050, 36.1680),  # Hamdaniyeh, south
    "M3": (37.1220, 36.1660),  # north of the Ramouseh military academies
    "M2": (37.1260, 36.1560),  # east of the Ramouseh military academies
    "M1": (37.1200, 36.1420),  # south of the academies
    "GS2": (37.1650, 36.1420),  # south of Sheikh Saeed
    "GS1": (37.2050, 36.1650),  # south of Sheikh Lutfi
    # line between the western countryside and the south-western front
    "X1": (37.0550, 36.1600),  # Rashidin, west
    "X2": (37.0300, 36.1350),  # between Khan al-Asal and Khan Touman
    "X3": (36.9800, 36.1000),  # west of Khan Touman
    # south-western front, southern and eastern edge
    "Sa": (36.9900, 35.9000),  # south of al-Ais
    "Sb": (37.0750, 35.9650),  # south of al-Hader
    "Sc": (37.0850, 36.0600),  # east of the Khan Touman dam
    "Sd": (37.1000, 36.1200),  # east of Khan Touman
    # western countryside, north edge
    "N1": (36.9000, 36.3000),  # Daret Azza, north-east
    "N2": (37.0000, 36.3150),  # south of Nubl and Zahraa
    "N3": (37.0600, 36.3100),  # north of Anadan
    "N4": (37.1000, 36.2900),  # east of Hreitan
}

#: Where the hand-drawn zones meet the Aleppo–Idlib governorate border (nearest outline
#: vertex to these points is used).
JUNCTIONS: dict[str, Coord] = {
    "JN": (36.8227, 36.2820),  # west of Daret Azza
    "JS1": (36.8794, 36.0440),  # south-west of Atarib
    "JS2": (36.9355, 35.9158),  # west of al-Ais
}

#: The government-held enclave in Deir ez-Zor city (a hole in the ISIS zone).
DEIR_EZ_ZOR_ENCLAVE: list[Coord] = [
    (40.0400, 35.3150),  # Brigade 137, west
    (40.0850, 35.3320),  # south of al-Baghiliyeh
    (40.1150, 35.3450),  # al-Joura, north
    (40.1400, 35.3420),  # city centre
    (40.1600, 35.3300),  # al-Harabesh, north
    (40.1950, 35.3050),  # east of al-Harabesh
    (40.2050, 35.2800),  # airport, east
    (40.1900, 35.2620),  # airport, south
    (40.1500, 35.2520),  # Jabal Tharda, south-east
    (40.1150, 35.2400),  # Jabal Tharda, south
    (40.0900, 35.2520),  # Jabal Tharda, west
    (40.0700, 35.2800),  # Panorama, south-west
    (40.0500, 35.3000),
]

#: Al-Fu'ah and Kefraya, government-held towns besieged inside Idlib (a hole).
FUAH_KEFRAYA: list[Coord] = [
    (36.6680, 35.9780),
    (36.6900, 35.9700),
    (36.7120, 35.9750),
    (36.7120, 35.9920),
    (36.6950, 36.0020),
    (36.6720, 35.9980),
]

#: Built-up Aleppo (the ``city`` zone; it may overlap the others).
ALEPPO_CITY: list[Coord] = [
    (37.0700, 36.1700),
    (37.0680, 36.2000),
    (37.0800, 36.2300),
    (37.1000, 36.2500),
    (37.1250, 36.2620),
    (37.1550, 36.2640),
    (37.1800, 36.2600),
    (37.2050, 36.2480),
    (37.2200, 36.2250),
    (37.2250, 36.1950),
    (37.2150, 36.1700),
    (37.1900, 36.1520),
    (37.1600, 36.1430),
    (37.1300, 36.1450),
    (37.1000, 36.1550),
]

# --------------------------------------------------------------------------------------
# Routes and checkpoints
# --------------------------------------------------------------------------------------
ROUTES: list[dict[str, Any]] = [
    {
        "id": "castello-road",
        "name": "Castello road",
        "corridor_m": 1000,
        "note": (
            "Coarse line (a few hundred metres): from the Jandoul roundabout at the edge of "
            "eastern Aleppo, north of Sheikh Maqsoud, past the Castello area and the Mallah "
            "farms to Kafr Hamra, then towards Hreitan and Anadan. The 9 September 2016 "
            "arrangement set pull-back distances for both sides that were not published "
            "precisely; the 1,000 m corridor (500 m each side) is the project's assumption."
        ),
        "sources": [DRAWN, PLACES, UCDP],
        "line": [
            (37.1650, 36.2440),  # Jandoul roundabout, eastern Aleppo end
            (37.1580, 36.2520),
            (37.1450, 36.2560),
            (37.1250, 36.2600),  # Castello area
            (37.1050, 36.2620),
            (37.0900, 36.2640),  # Kafr Hamra (Syrian Archive: 36.2564 N, 37.0883 E)
            (37.0830, 36.2800),  # Hreitan (UCDP: 36.287 N, 37.0833 E)
            (37.0600, 36.2900),
            (37.0450, 36.2930),  # Anadan (UCDP: 36.2935 N, 37.0447 E)
        ],
    },
    {
        "id": "ramouseh-road",
        "name": "Ramouseh road",
        "corridor_m": 1000,
        "note": (
            "Coarse line: the southern access into eastern Aleppo, from the Ramouseh front "
            "west past the Ramouseh military academies and the 1070 apartments project, then "
            "south-west to Khan Touman. Its width is the project's assumption: no pull-back "
            "distance for this road was published."
        ),
        "sources": [DRAWN, PLACES, UCDP],
        "line": [
            (37.1420, 36.1620),  # Ramouseh / Sheikh Saeed edge of eastern Aleppo
            (37.1300, 36.1600),
            (37.1175, 36.1600),  # Ramouseh military complex (UCDP)
            (37.1000, 36.1640),
            (37.0860, 36.1720),
            (37.0763, 36.1784),  # 1070 apartments project (Syrian Archive)
            (37.0650, 36.1550),
            (37.0580, 36.1350),
            (37.0510, 36.1170),  # Khan Touman (UCDP)
        ],
    },
    {
        "id": "bab-al-hawa-road",
        "name": "Bab al-Hawa to the Castello road",
        "corridor_m": 1000,
        "note": (
            "Coarse line: from the Bab al-Hawa border crossing (opposite Cilvegözü in Turkey) "
            "south to Sarmada, east past Darat Izzah to Anadan, where it meets the western end "
            "of the Castello road. The way UN convoys from Turkey were to take into eastern "
            "Aleppo under the 9 September 2016 arrangement; the exact roads are the project's "
            "reading. The corridor width is the project's assumption."
        ),
        "sources": [
            "ceasewatch project drawing",
            "UCDP GED Syria 19.1 and OCHA place coordinates (reference points, see gazetteer.tsv)",
        ],
        "line": [
            (36.7070, 36.2254),  # Bab al-Hawa (gazetteer: 36.22544 N, 36.70699 E)
            (36.7223, 36.1855),  # Sarmada
            (36.8522, 36.2825),  # Darat Izzah
            (36.9600, 36.2900),
            (37.0450, 36.2930),  # Anadan: the Castello road's western end
        ],
    },
    {
        "id": "aleppo-urum-al-kubra-road",
        "name": "Western Aleppo to Urum al-Kubra",
        "corridor_m": 1000,
        "note": (
            "Coarse line: from government-held western Aleppo past Khan al-Asal to Urum "
            "al-Kubra, the way of the UN/SARC convoy of 19 September 2016. The exact roads are "
            "the project's reading. The corridor width is the project's assumption."
        ),
        "sources": [
            "ceasewatch project drawing",
            "UCDP GED Syria 19.1 and OCHA place coordinates (reference points, see gazetteer.tsv)",
        ],
        "line": [
            (37.1050, 36.1950),  # western Aleppo
            (37.0391, 36.1714),  # Khan al-Asal
            (36.9478, 36.1481),  # Urum al-Kubra
        ],
    },
]

CHECKPOINT_NOTE = (
    " The arrangement provided for checkpoints on the Castello road monitored by the UN; "
    "their exact sites and operators were not published, so this point is schematic."
)

CHECKPOINTS: list[dict[str, Any]] = [
    {
        "id": "castello-east-checkpoint",
        "name": "Castello road checkpoint, eastern Aleppo end",
        "route": "castello-road",
        "operated_by": ["opposition"],
        "monitored_by": ["un"],
        "note": "Placed at the Jandoul end, where the road enters eastern Aleppo."
        + CHECKPOINT_NOTE,
        "at": (37.1650, 36.2440),
    },
    {
        "id": "castello-central-checkpoint",
        "name": "Castello road checkpoint, Castello area",
        "route": "castello-road",
        "operated_by": ["sy-gov"],
        "monitored_by": ["un"],
        "note": "Placed in the government-held stretch by the Castello area." + CHECKPOINT_NOTE,
        "at": (37.1250, 36.2600),
    },
    {
        "id": "castello-west-checkpoint",
        "name": "Castello road checkpoint, Kafr Hamra",
        "route": "castello-road",
        "operated_by": ["opposition"],
        "monitored_by": ["un"],
        "note": "Placed at Kafr Hamra, on the opposition-held western approach." + CHECKPOINT_NOTE,
        "at": (37.0900, 36.2640),
    },
    {
        "id": "bab-al-hawa-crossing",
        "name": "Bab al-Hawa border crossing (Syrian side; Cilvegözü in Turkey)",
        "route": "bab-al-hawa-road",
        "operated_by": ["opposition"],
        "monitored_by": [],
        "note": (
            "The crossing's Syrian side was held by armed opposition groups in 2016. "
            "No monitoring of it was agreed."
        ),
        "at": (36.7070, 36.2254),
    },
]


# --------------------------------------------------------------------------------------
# Construction
# --------------------------------------------------------------------------------------
def pts(*names: str) -> list[Coord]:
    """The coordinates of named vertices, in order."""
    return [POINTS[n] for n in names]


def rev(chain: Sequence[Coord]) -> list[Coord]:
    return list(reversed(chain))


def ring(*chains: Iterable[Coord]) -> list[Coord]:
    """Join chains end to start into one ring (a repeated join vertex is dropped)."""
    out: list[Coord] = []
    for chain in chains:
        for c in chain:
            if not out or out[-1] != c:
                out.append(c)
    if out[0] == out[-1]:
        out.pop()
    return out


def outline_path(outline: Sequence[Coord], start: Coord, end: Coord) -> list[Coord]:
    """The shorter way along a closed outline from vertex ``start`` to vertex ``end``."""
    closed = list(outline[:-1]) if outline[0] == outline[-1] else list(outline)
    i, j = closed.index(start), closed.index(end)
    n = len(closed)
    forward = [closed[(i + k) % n] for k in range((j - i) % n + 1)]
    backward = [closed[(i - k) % n] for k in range((i - j) % n + 1)]
    return forward if len(forward) <= len(backward) else backward


def nearest_vertex(outline: Sequence[Coord], target: Coord, name: str) -> Coord:
    best = min(outline, key=lambda c: (c[0] - target[0]) ** 2 + (c[1] - target[1]) ** 2)
    if abs(best[0] - target[0]) > 0.01 or abs(best[1] - target[1]) > 0.01:
        raise SystemExit(f"junction {name}: no outline vertex near {target} (nearest {best})")
    return best


def governorate_outlines(admin1: Path) -> dict[str, Polygon]:
    """Governorate polygons, simplified further as a coverage (shared borders kept)."""
    data = json.loads(admin1.read_text(encoding="utf-8"))
    pcodes = [f["id"] for f in data["features"]]
    geoms = [shape(f["geometry"]) for f in data["features"]]
    simplified = shapely.coverage_simplify(geoms, OUTLINE_TOLERANCE)
    return dict(zip(pcodes, simplified, strict=True))


def _coords(ring_: Any) -> list[Coord]:
    return [(round(x, 5), round(y, 5)) for x, y in ring_.coords]


def build_zones(admin1: Path) -> list[dict[str, Any]]:
    gov = governorate_outlines(admin1)
    idlib = gov["SY07"]
    if not isinstance(idlib, Polygon):
        raise SystemExit("Idlib outline is not a single polygon")
    idlib_ring = _coords(idlib.exterior)
    jn, js1, js2 = (nearest_vertex(idlib_ring, JUNCTIONS[k], k) for k in ("JN", "JS1", "JS2"))
    border_west_countryside = outline_path(idlib_ring, js1, jn)  # south to north
    border_southwest = outline_path(idlib_ring, js2, js1)  # south to north

    # shared borders, each drawn once
    pocket_east = pts("E8", "E7", "E6", "E5", "E4", "E3", "E2", "E1")
    pocket_sm = pts("E1", "S1")
    pocket_gov = pts(*"S1 E28 E27 E26 E25 E24 E23 E22 E21 E20 E19 E18 E17 E16 E15".split(),
                     *"E14 E13 E12 E11 E10 E9 E8".split())  # fmt: skip
    sm_gov = pts("S1", "S6", "S5", "S4", "S3", "E1")
    gov_north = pts("E1", "G8", "G7", "G6", "G5")
    gov_countryside = pts("G5", "G4", "G3", "G2", "G1", "W0")
    gov_southwest = pts("W0", "M6", "M5", "M4", "M3", "M2", "M1")
    gov_south = pts("M1", "GS2", "GS1", "E8")
    countryside_southwest = [*pts("W0", "X1", "X2", "X3"), js1]
    countryside_north = [jn, *pts("N1", "N2", "N3", "N4", "G5")]
    southwest_south = [js2, *pts("Sa", "Sb", "Sc", "Sd", "M1")]

    rings: dict[str, tuple[list[Coord], list[list[Coord]]]] = {
        "aleppo-east": (ring(pocket_east, pocket_sm, pocket_gov), []),
        "sheikh-maqsoud": (ring(sm_gov, pocket_sm), []),
        "aleppo-west": (
            ring(gov_north, gov_countryside, gov_southwest, gov_south, rev(pocket_gov), sm_gov),
            [],
        ),
        "aleppo-southwest-marbled": (
            ring(gov_southwest, rev(southwest_south), border_southwest, rev(countryside_southwest)),
            [],
        ),
        "aleppo-west-countryside": (
            ring(
                gov_countryside, countryside_southwest, border_west_countryside, countryside_north
            ),
            [],
        ),
        "idlib-marbled": (idlib_ring, [FUAH_KEFRAYA]),
        "aleppo-city": (ALEPPO_CITY, []),
    }
    deir = gov["SY09"]
    if not isinstance(deir, Polygon):
        raise SystemExit("Deir ez-Zor outline is not a single polygon")
    rings["deir-ez-zor-isis"] = (_coords(deir.exterior), [DEIR_EZ_ZOR_ENCLAVE])
    rings["deir-ez-zor-enclave"] = (DEIR_EZ_ZOR_ENCLAVE, [])
    # cut Raqqa at the latitude of its northernmost border vertex with Deir ez-Zor, so the
    # cut adds no vertex to the border the two ISIS zones share
    shared = shapely.get_coordinates(gov["SY11"].boundary.intersection(deir.boundary))
    north = float(shared[:, 1].max())
    raqqa = gov["SY11"].intersection(box(-180, -90, 180, north))
    if not isinstance(raqqa, Polygon):
        raise SystemExit(f"Raqqa zone is a {raqqa.geom_type}, expected one polygon")
    rings["raqqa-isis"] = (_coords(raqqa.exterior), [])

    features = []
    for meta in ZONES:
        exterior, holes = rings[meta["id"]]
        polygon = orient(Polygon(exterior, holes), sign=1.0)  # RFC 7946: exterior CCW
        if not polygon.is_valid or polygon.is_empty:
            raise SystemExit(f"zone {meta['id']}: {shapely.is_valid_reason(polygon)}")
        features.append(_feature(meta, polygon))
    return features


def _feature(meta: dict[str, Any], geom: Polygon | MultiPolygon) -> dict[str, Any]:
    geometry = mapping(geom)
    return {
        "type": "Feature",
        "id": meta["id"],
        "properties": {k: meta[k] for k in ("id", "name", "type", "note", "sources")},
        "geometry": {"type": geometry["type"], "coordinates": _json_coords(geometry)},
    }


def _json_coords(geometry: Any) -> Any:
    def conv(obj: Any) -> Any:
        if isinstance(obj, (list, tuple)) and obj and isinstance(obj[0], float):
            return [round(v, 5) for v in obj]
        return [conv(v) for v in obj]

    return conv(geometry["coordinates"])


COARSE_CITY = (
    " Coarse: front lines inside the city are placed to within a few hundred metres, from "
    "public maps and reporting of September 2016; they moved during the month."
)
COARSE_RURAL = (
    " Coarse: the outline is accurate to a few kilometres and simplifies a front that "
    "moved during 2016."
)

ZONES: list[dict[str, Any]] = [
    {
        "id": "aleppo-city",
        "name": "Aleppo city",
        "type": "city",
        "note": "The built-up area of Aleppo, from New Aleppo and the 1070 apartments project "
        "in the west to the edge of the airport in the east; it overlaps the front-line zones "
        "of the city by design. Outline accurate to about 1 km.",
        "sources": [DRAWN],
    },
    {
        "id": "aleppo-east",
        "name": "Eastern Aleppo (opposition-held, besieged)",
        "type": "opposition",
        "note": "The eastern neighbourhoods held by the armed opposition and besieged from "
        "early September 2016 (after the Ramouseh breach was closed): among them al-Sukkari, "
        "al-Ansari, Bustan al-Qasr, the eastern part of Salah al-Din, al-Fardos, Sheikh Saeed, "
        "Bab al-Nayrab, al-Marja, al-Shaar, al-Sakhour, Masakin Hanano and most of the old "
        "city. The citadel, held by the government, is left out through a narrow salient; "
        "Sheikh Maqsoud is a separate zone. The government-held ground east of the pocket "
        "(airport, Sheikh Najjar) is not drawn." + COARSE_CITY,
        "sources": [DRAWN, PLACES],
    },
    {
        "id": "aleppo-west",
        "name": "Western Aleppo (government-held)",
        "type": "government",
        "note": "Government-held Aleppo west of the eastern pocket: New Aleppo, Hamdaniyeh, "
        "Saif al-Dawla, Jamiliyeh, Aziziyeh, Suleimaniyeh, the citadel, Ashrafieh and "
        "Ramouseh, plus the Castello road area, Bani Zaid, Layramoun and the Mallah farms taken "
        "in July 2016." + COARSE_CITY,
        "sources": [DRAWN, PLACES],
    },
    {
        "id": "sheikh-maqsoud",
        "name": "Sheikh Maqsoud (YPG-held)",
        "type": "contested",
        "note": "Kurdish-majority district held by the YPG, between the government-held west "
        "and the opposition-held east. Typed 'contested' because neither the February terms "
        "nor the September arrangement placed it with either side, and it was fired on from "
        "both directions during 2016." + COARSE_CITY,
        "sources": [DRAWN, PLACES],
    },
    {
        "id": "aleppo-southwest-marbled",
        "name": "South-western Aleppo front (marbled)",
        "type": "marbled",
        "note": "The front south-west of the city where opposition factions and Jabhat Fateh "
        "al-Sham fought side by side: the Ramouseh military academies, the 1070 apartments "
        "project, Khan Touman, al-Ais, al-Hader and Zitan. The academies changed hands in "
        "August and early September 2016 and some villages in the band (e.g. al-Hader) were "
        "held by pro-government forces: the zone marks the front as a whole, not who held "
        "each village." + COARSE_RURAL,
        "sources": [DRAWN, PLACES, UCDP],
    },
    {
        "id": "aleppo-west-countryside",
        "name": "Western Aleppo countryside (marbled)",
        "type": "marbled",
        "note": "Countryside west of the city held by opposition factions together with "
        "Jabhat Fateh al-Sham: Urum al-Kubra, al-Atarib, Kafr Naha, Khan al-Asal, Kafr Dael, "
        "Kafr Hamra, Hreitan and Anadan; its western edge is the Idlib governorate border "
        "(OCHA). Nubl and Zahraa to the north are outside it." + COARSE_RURAL,
        "sources": [DRAWN, OCHA, PLACES, UCDP],
    },
    {
        "id": "idlib-marbled",
        "name": "Idlib province (Jaish al-Fatah, marbled)",
        "type": "marbled",
        "note": "Idlib governorate, held by the Jaish al-Fatah coalition since 2015, in which "
        "opposition factions and Jabhat Fateh al-Sham were intermingled. The outline is the "
        "OCHA governorate boundary, simplified; the besieged government-held towns of al-Fu'ah "
        "and Kefraya are a hole (not a zone)." + COARSE_RURAL,
        "sources": [DRAWN, OCHA, UCDP],
    },
    {
        "id": "deir-ez-zor-isis",
        "name": "Deir ez-Zor (ISIS-held)",
        "type": "designated-group",
        "note": "Deir ez-Zor governorate, held by ISIS except for the besieged government "
        "enclave in and south of the city, which is a hole filled exactly by the zone "
        "deir-ez-zor-enclave. Outline: the OCHA governorate boundary, simplified." + COARSE_RURAL,
        "sources": [DRAWN, OCHA],
    },
    {
        "id": "deir-ez-zor-enclave",
        "name": "Deir ez-Zor government enclave",
        "type": "government",
        "note": "The government-held, ISIS-besieged part of Deir ez-Zor in September 2016: "
        "the western and central quarters (al-Joura, al-Qusour, al-Harabesh), Brigade 137, "
        "the Panorama base, the Jabal Tharda hills and the military airport. Accurate to "
        "about 1-2 km.",
        "sources": [DRAWN, UCDP],
    },
    {
        "id": "raqqa-isis",
        "name": "Raqqa (ISIS-held)",
        "type": "designated-group",
        "note": "Raqqa governorate south of about 36.34 N, held by ISIS, including Raqqa city and "
        "Tabqa; the SDF held the north (Tal Abyad, Ain Issa). Outline: the OCHA governorate "
        "boundary, simplified, cut by a straight line in the north." + COARSE_RURAL,
        "sources": [DRAWN, OCHA],
    },
]


def build_routes() -> list[dict[str, Any]]:
    out = []
    for r in ROUTES:
        out.append(
            {
                "type": "Feature",
                "id": r["id"],
                "properties": {k: r[k] for k in ("id", "name", "corridor_m", "note", "sources")},
                "geometry": {"type": "LineString", "coordinates": [list(c) for c in r["line"]]},
            }
        )
    return out


def build_checkpoints() -> list[dict[str, Any]]:
    lines = {r["id"]: shapely.LineString(r["line"]) for r in ROUTES}
    out = []
    for c in CHECKPOINTS:
        if lines[c["route"]].distance(shapely.Point(c["at"])) > 1e-9:
            raise SystemExit(f"checkpoint {c['id']} is not on route {c['route']}")
        out.append(
            {
                "type": "Feature",
                "id": c["id"],
                "properties": {
                    k: c[k] for k in ("id", "name", "route", "operated_by", "monitored_by", "note")
                },
                "geometry": {"type": "Point", "coordinates": list(c["at"])},
            }
        )
    return out


def write(path: Path, features: list[dict[str, Any]]) -> None:
    collection = {"type": "FeatureCollection", "features": features}
    text = json.dumps(collection, ensure_ascii=False, indent=1) + "\n"
    path.write_text(text, encoding="utf-8")
    print(f"{path.name}: {len(features)} features, {len(text.encode('utf-8'))} bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    args = parser.parse_args(argv)
    admin1 = args.scenario / "admin1.geojson"
    if not admin1.is_file():
        print(f"error: {admin1} not found — run tools/build_syria_2016_admin.py first",
              file=sys.stderr)  # fmt: skip
        return 2
    write(args.scenario / "zones.geojson", build_zones(admin1))
    write(args.scenario / "routes.geojson", build_routes())
    write(args.scenario / "checkpoints.geojson", build_checkpoints())
    return 0


if __name__ == "__main__":
    sys.exit(main())
