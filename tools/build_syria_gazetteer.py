"""Build the gazetteer of the bundled ``syria-2016`` scenario (``gazetteer.tsv``).

Sources, all in ``../shared/data`` (see ``SOURCES.md`` in the scenario folder):

- OCHA COD-AB governorates and districts: English and Arabic names, P-codes, and the
  representative point of each outline;
- UCDP GED Syria: every place an event was coded at (``where_coordinates``, with
  ``where_prec`` 1 or 2), its coordinates and UCDP's feature type (village, town,
  suburb, airbase...), the number of events there; its spellings of governorate and
  district names become alternate names of the OCHA units;
- Syrian Archive: the place list (``syrian_places.csv``) and the city/neighbourhood
  columns of ``violations.csv`` with their coordinates;
- ``ALIASES`` and ``CITIES`` below: alternate spellings and transliterations written by
  the project, and which towns are cities (with the radius within which a point is one of
  their neighbourhoods).

Every place gets its governorate and district by point-in-polygon on the scenario's
bundled ``admin2.geojson`` (the same outlines ``Gazetteer.admin_of`` uses); a Syrian
Archive point whose governorate contradicts the source's own city column is dropped.
The same place from several sources (a shared name within a few kilometres) is merged:
all names kept, the best coordinates kept (UCDP exact > Syrian Archive place list >
UCDP near > Syrian Archive incident points).

    python tools/build_syria_gazetteer.py [--shared ../shared] [--out DIR] [--check]

The output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import statistics
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rapidfuzz import fuzz
from shapely.geometry import shape

from ceasewatch.places import tsv
from ceasewatch.places.admin import AdminIndex
from ceasewatch.places.gazetteer import haversine_km
from ceasewatch.places.model import KIND_PRECISION, Place
from ceasewatch.places.normalize import ARTICLES, key

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
DEFAULT_OUT = ROOT / "src" / "ceasewatch" / "agreement" / "scenarios" / "syria-2016"
OCHA = Path("data") / "syria-admin-boundaries-ocha"
UCDP = Path("data") / "ucdp-ged-syria" / "ged191_syria_20160101-20191130.csv"
SA = Path("data") / "syrian-archive-violations"
OUT_NAME = "gazetteer.tsv"
MAX_BYTES = 1_500_000
COUNTRY = "SY"

#: Cities: name as in the data -> (governorate P-code, radius in km within which a point
#: of the same district is one of its neighbourhoods). Governorate capitals and the other
#: large towns of 2016.
CITIES: dict[str, tuple[str, float]] = {
    "Aleppo": ("SY02", 8.0),
    "Damascus": ("SY01", 7.0),
    "Homs": ("SY04", 6.0),
    "Hamah": ("SY05", 5.0),
    "Latakia": ("SY06", 5.0),
    "Idlib": ("SY07", 3.0),
    "Al Hasakah": ("SY08", 4.0),
    "Deir ez Zor": ("SY09", 4.0),
    "Tartus": ("SY10", 3.5),
    "Ar Raqqah": ("SY11", 4.0),
    "Daraa": ("SY12", 3.0),
    "As Suwayda": ("SY13", 3.0),
    "Quneitra": ("SY14", 1.5),
    "Qamishli": ("SY08", 3.5),
    "Duma": ("SY03", 2.5),
    "Manbij": ("SY02", 3.0),
    "Al Bab": ("SY02", 2.5),
    "Tadmur": ("SY04", 2.0),
}

#: Alternate names written by the project. Key: a place selector — a P-code, ``SY`` for
#: the country, or ``city:NAME`` / ``town:NAME`` (a name as in the data, in the governorate
#: given after ``@``). Value: the names to add.
ALIASES: dict[str, tuple[str, ...]] = {
    "SY": ("Syria", "Syrian Arab Republic", "سوريا", "سورية", "الجمهورية العربية السورية"),
    "SY01": ("Damascus", "Damascus city", "Dimashq", "Damas"),
    "SY02": ("Aleppo", "Halab", "Haleb", "Aleppo province", "Aleppo governorate", "Halab governorate", "Aleppo countryside", "rural Aleppo"),
    "SY03": (
        "Rural Damascus", "Rif Dimashq", "Reef Dimashq", "Rif Damascus", "Reef Damascus",
        "Rif Dimashq governorate", "Damascus countryside", "Damascus Countryside",
        "countryside of Damascus", "Damascus suburbs", "rural Damascus", "Damascus Rural",
        "Rif-Dimashq", "Outer Damascus", "ريف دمشق",
    ),
    "SY04": ("Homs", "Hims", "Homs province", "Homs countryside", "rural Homs"),
    "SY05": ("Hama", "Hamah", "Hamat", "Hama province", "Hama countryside", "rural Hama", "حماه"),
    "SY06": ("Latakia", "Lattakia", "Lattaquia", "Al-Ladhiqiyah", "Ladhiqiyah", "Latakia province", "Latakia countryside", "rural Latakia", "Lattakia countryside"),
    "SY07": ("Idlib", "Idleb", "Edlib", "Idlib province", "Idlib countryside", "rural Idlib", "ادلب"),
    "SY08": ("Hasakah", "Al-Hasakah", "Hasakeh", "Al-Hasakeh", "Hassakeh", "Hassakah", "Hasaka", "Al-Hasaka", "Hasakah province", "Hasakah countryside"),
    "SY09": ("Deir ez-Zor", "Deir al-Zour", "Deir el-Zour", "Deir Ezzor", "Deir Ezzour", "Dayr az Zawr", "Deir al-Zor", "Deir Azzor", "Deirezzor", "Deir Zor", "Deir ez-Zor province", "Deir ez-Zor countryside", "rural Deir ez-Zor"),
    "SY10": ("Tartus", "Tartous", "Tartous province", "Tartus province", "Tortosa"),
    "SY11": ("Raqqa", "Al-Raqqah", "Ar-Raqqah", "Raqqah", "Rakka", "Al-Raqqa", "Arraqqa", "Raqqa province", "Raqqa countryside", "rural Raqqa"),
    "SY12": ("Daraa", "Deraa", "Dar'a", "Daraa province", "Deraa province", "Daraa countryside", "rural Daraa", "Horan", "Hauran", "Houran"),
    "SY13": ("Suwayda", "As-Suwayda", "Sweida", "Al-Suwayda", "Suweida", "Sweida province", "Suwayda province", "As-Sweida"),
    "SY14": ("Quneitra", "Al-Quneitra", "Kuneitra", "Qunaytirah", "Quneitra province"),
    "city:Aleppo": ("Aleppo", "Halab", "Haleb", "Aleppo city", "حلب"),
    "city:Damascus": ("Damascus", "Dimashq", "Damascus city", "دمشق"),
    "city:Homs": ("Homs", "Hims", "Homs city", "حمص"),
    "city:Hamah": ("Hama", "Hamah", "Hama city", "حماة", "حماه"),
    "city:Latakia": ("Latakia", "Lattakia", "Al-Ladhiqiyah", "Ladhiqiyah", "Latakia city", "اللاذقية"),
    "city:Idlib": ("Idlib", "Idleb", "Edlib", "Idlib city", "إدلب"),
    "city:Al Hasakah": ("Hasakah", "Al-Hasakah", "Hasakeh", "Al-Hasakeh", "Hassakeh", "Hasaka", "Hasakah city", "الحسكة"),
    "city:Deir ez Zor": ("Deir ez-Zor", "Deir al-Zour", "Deir el-Zour", "Deir Ezzor", "Deir Ezzour", "Dayr az Zawr", "Deir al-Zor", "Deirezzor", "Deir Zor", "Deir ez-Zor city", "دير الزور"),
    "city:Tartus": ("Tartus", "Tartous", "طرطوس"),
    "city:Ar Raqqah": ("Raqqa", "Al-Raqqah", "Ar-Raqqah", "Raqqah", "Rakka", "Arraqqa", "Raqqa city", "الرقة"),
    "city:Daraa": ("Daraa", "Deraa", "Dar'a", "Daraa city", "Daraa al-Balad", "درعا"),
    "city:As Suwayda": ("Suwayda", "Sweida", "As-Suwayda", "Suweida", "السويداء"),
    "city:Quneitra": ("Quneitra", "Kuneitra", "القنيطرة"),
    "city:Qamishli": ("Qamishli", "Qamishly", "Kamishli", "Al-Qamishli", "Qamishlo", "القامشلي"),
    "city:Duma": ("Douma", "Duma", "دوما"),
    "city:Manbij": ("Manbij", "Menbij", "Minbij", "منبج"),
    "city:Al Bab": ("Al-Bab", "al-Bab", "الباب"),
    "city:Tadmur": ("Palmyra", "Tadmur", "Tadmor", "تدمر"),
    "area:Eastern Ghouta": ("Eastern Ghouta", "East Ghouta", "Eastern Ghuta", "Ghouta", "al-Ghouta al-Sharqiya", "الغوطة الشرقية"),
    "area:Western Ghouta": ("Western Ghouta", "West Ghouta"),
    "neighbourhood:Sukkari@SY02": ("Sukkari", "al-Sukkari", "Sukkary", "Al-Sukkari", "Sukari", "السكري"),
    "neighbourhood:Alshaar@SY02": ("al-Shaar", "Shaar", "Al-Sha'ar", "الشعار"),
    "neighbourhood:Salaheen@SY02": ("Salihin", "al-Salihin", "Salheen", "Al-Saliheen"),
    "neighbourhood:Karam al-Qaterji@SY02": ("Karm al-Qaterji", "Karam Qatirji"),
    "neighbourhood:Masaken Hanano@SY02": ("Hanano", "Masakin Hanano", "Masaken Hananu"),
    "town:Urum al-Kubra@SY02": ("Urum al-Kubra", "Orem al-Kubra", "Orum al-Kubra", "Urem al-Kubra", "Urm al-Kubra", "Uram al-Kubra", "Orum al-Kubra"),
    "town:Khan Shaykhun@SY07": ("Khan Sheikhoun", "Khan Shaykhun", "Khan Shaikhoun", "Khan Sheikhun"),
    "town:Jisr ash-Shughur@SY07": ("Jisr al-Shughour", "Jisr al-Shughur", "Jisr ash-Shughur", "Jisr el-Shughour"),
    "town:Maarat al-Numaan@SY07": ("Maarat al-Numan", "Maaret al-Numan", "Ma'arrat al-Nu'man", "Maarrat an-Numan", "Maarat al-Noman"),
    "town:Azaz@SY02": ("Azaz", "A'zaz", "Aazaz", "Izaz"),
    "town:Jarabulus@SY02": ("Jarablus", "Jarabulus", "Jerablus"),
    "town:Ayn al Arab@SY02": ("Kobani", "Kobane", "Ayn al-Arab", "Ain al-Arab"),
    "town:Tallbisah@SY04": ("Talbiseh", "Talbisa", "Tal Bisa", "Talbiseh"),
    "town:Ar Rastan@SY04": ("Rastan", "al-Rastan", "Ar-Rastan"),
    "town:Madaya@SY03": ("Madaya", "Madaya town"),
    "town:Albu Kamal@SY09": ("Abu Kamal", "Al-Bukamal", "Bukamal", "Boukamal", "Abukamal", "Al-Boukamal"),
    "town:Ash Shaddadah@SY08": ("Shaddadi", "al-Shaddadi", "Shadadi", "al-Shadadi", "Shaddadeh"),
    "site:Al Rashidin 4 Sector@SY02": ("Rashidin", "al-Rashidin", "Rashideen", "al-Rashideen", "Rashdeen"),
    "neighbourhood:Al waer@SY04": ("al-Waer", "Waer", "Alwaer", "al-Wa'er", "Wair"),
    "town:Az Zabadani@SY03": ("Zabadani", "al-Zabadani", "Az-Zabadani"),
    "town:Darayya@SY03": ("Daraya", "Darayya", "Dariya"),
    "town:Moadamiyat al-Sham@SY03": ("Moadamiyeh", "Muadamiya", "Moadamiyat al-Sham", "Muadhamiyat al-Sham", "Mouadamiyeh"),
}  # fmt: skip

#: UCDP feature words at the end of a place name -> kind (the word is dropped from the name).
UCDP_KIND_WORDS: dict[str, str] = {
    "village": "village",
    "villae": "village",
    "villge": "village",
    "town": "town",
    "city": "city",
    "suburb": "town",
    "locality": "village",
    "subdistrict": "area",
    "sub-district": "area",
}
#: UCDP names of where_prec 5 that describe an area rather than name one.
DESCRIPTIVE = re.compile(
    r"^(?:(?:north|south|east|west)(?:ern|eastern|western)?\s.*(?:governorate|syria|countryside)"
    r"|road\b|.*\broad\b|.*\bbetween\b|.*\bborder\b|operation\b|is enclave|.*\bjunction\b"
    r"|.*\bcrossroad\b|.*\bhighway\b|.*\briver\b|.*\btriangle\b|water treatment|syria$)",
    re.I,
)
#: Syrian Archive city column -> the governorates its points may lie in.
SA_CITY_ADMIN1: dict[str, frozenset[str]] = {
    "ALEPPO": frozenset({"SY02"}),
    "IDLIB": frozenset({"SY07"}),
    "DAMASCUS": frozenset({"SY01", "SY03"}),
    "HOMS": frozenset({"SY04"}),
    "HAMA": frozenset({"SY05"}),
    "DARAA": frozenset({"SY12"}),
    "LATTAKIA": frozenset({"SY06"}),
    "DEIR EZZOR": frozenset({"SY09"}),
}
#: Syrian Archive "neighbourhoods" that are regions.
SA_AREAS = {key(n) for n in ("Qalamoun", "Eastern Ghouta", "Ghouta", "Western Ghouta")}
#: Coordinate quality by source, best first (lower is better).
QUALITY = {"ucdp-exact": 0, "sa-place": 1, "ucdp-near": 2, "sa-incident": 3, "ocha": 4}
#: Kinds that may merge with one another when they share a name nearby.
MERGE_KM = {"neighbourhood": 1.0, "area": 15.0}
DEFAULT_MERGE_KM = 3.0


@dataclass
class Draft:
    """A place being assembled from the sources."""

    name: str
    kind: str
    lat: float
    lon: float
    quality: int
    names: list[str] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)
    events: int = 0
    admin1: str | None = None
    admin2: str | None = None
    pcode: str | None = None
    parent: str | None = None
    precision: str | None = None

    def keys(self) -> set[tuple[str, ...]]:
        return {k for k in (key(n) for n in [self.name, *self.names]) if k}

    def add_names(self, names: Iterable[str]) -> None:
        for n in names:
            n = " ".join(n.split())
            if n and n != self.name and n not in self.names:
                self.names.append(n)


# ---- OCHA ---------------------------------------------------------------------------


def ocha_places(folder: Path) -> list[Draft]:
    out: list[Draft] = []
    adm0 = json.loads((folder / "syr_admbnda_adm0_uncs_unocha.json").read_text(encoding="utf-8"))
    geom = shape(adm0["features"][0]["geometry"])
    point = geom.representative_point()
    country = Draft("Syria", "country", point.y, point.x, QUALITY["ocha"], pcode="SY")
    country.sources.add("ocha")
    out.append(country)
    for level, kind in ((1, "governorate"), (2, "district")):
        data = json.loads(
            (folder / f"syr_admbnda_adm{level}_uncs_unocha.json").read_text(encoding="utf-8")
        )
        for f in sorted(data["features"], key=lambda f: f["properties"][f"ADM{level}_PCODE"]):
            props = f["properties"]
            geom = shape(f["geometry"])
            centroid = geom.centroid
            point = centroid if geom.contains(centroid) else geom.representative_point()
            d = Draft(props[f"ADM{level}_EN"], kind, point.y, point.x, QUALITY["ocha"])
            d.pcode = props[f"ADM{level}_PCODE"]
            d.admin1 = props["ADM1_PCODE"]
            d.admin2 = props["ADM2_PCODE"] if level == 2 else None
            d.add_names(
                props.get(k) or ""
                for k in (
                    f"ADM{level}_REF",
                    f"ADM{level}ALT1EN",
                    f"ADM{level}ALT2EN",
                    f"ADM{level}_AR",
                    f"ADM{level}ALT1AR",
                    f"ADM{level}ALT2AR",
                )
            )
            d.sources.add("ocha")
            out.append(d)
    return out


# ---- UCDP ---------------------------------------------------------------------------


#: Names of governorates and cities: a parenthesis holding one locates a place, it does
#: not name it (``Military Research Center (Aleppo)``).
LOCATOR_KEYS = {key(n) for n in (*CITIES, "Deir Ezzor", "Mayadin", "Al Mayadin", "Raqqa")}


def split_ucdp_name(raw: str) -> tuple[list[str], str | None]:
    """``"Tadmur/Palmyra town"`` -> (["Tadmur", "Palmyra"], "town"); kind None = a site or
    area named in full."""
    text = " ".join(raw.split())
    names: list[str] = []
    for inner in re.findall(r"\(([^)]*)\)", text):
        names.extend(n for n in inner.split("/") if key(n) not in LOCATOR_KEYS)
    text = re.sub(r"\([^)]*\)", " ", text)
    kind: str | None = None
    parts = []
    for part in text.split("/"):
        words = part.split()
        while words and words[-1].lower() in UCDP_KIND_WORDS:
            kind = kind or UCDP_KIND_WORDS[words[-1].lower()]
            words = words[:-1]
        if words:
            parts.append(" ".join(words))
    names = parts + [" ".join(n.split()) for n in names if n.strip()]
    return [n for n in names if n], kind


def site_kind(name: str, prec: str) -> str:
    low = name.lower()
    if prec == "5" or any(
        w in low
        for w in (
            "ghouta",
            "qalamoun",
            "plain",
            "desert",
            " area",
            "wadi ",
            "mountain range",
            "valley",
        )
    ):
        return "area"
    return "site"


def ucdp_places(path: Path) -> tuple[list[Draft], dict[tuple[str, str], Counter[tuple[str, str]]]]:
    """Places where UCDP coded events; and UCDP's governorate and district names
    (``adm_1``, ``adm_2``) with the coordinates of the events coded in them."""
    groups: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    admin_names: dict[tuple[str, str], Counter[tuple[str, str]]] = defaultdict(Counter)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            prec = row["where_prec"]
            raw = row["where_coordinates"].strip()
            point = (row["latitude"], row["longitude"])
            for level, column in (("1", "adm_1"), ("2", "adm_2")):
                if row[column].strip():
                    admin_names[(level, " ".join(row[column].split()))][point] += 1
            if prec not in ("1", "2", "5") or not raw:
                continue
            groups[(raw, *point)].append(row)
    out: list[Draft] = []
    for (raw, lat, lon), rows in sorted(groups.items()):
        precs = {r["where_prec"] for r in rows}
        if DESCRIPTIVE.search(raw) or re.search(r"governorates?$|\bdistrict$", raw, re.I):
            continue
        names, kind = split_ucdp_name(raw)
        if not names:
            continue
        if kind is None:
            kind = site_kind(raw, "5" if precs == {"5"} else "1")
            if kind == "area" and names[0].lower().endswith(" area"):
                names = [names[0][: -len(" area")], *names[1:]]
        quality = QUALITY["ucdp-exact"] if "1" in precs else QUALITY["ucdp-near"]
        d = Draft(names[0], kind, float(lat), float(lon), quality, events=len(rows))
        d.add_names(names[1:])
        d.sources.add("ucdp")
        out.append(d)
    return out, admin_names


# ---- Syrian Archive -------------------------------------------------------------------


def sa_clean(name: str) -> tuple[str, str | None]:
    name = " ".join(name.split())
    if name.lower().endswith(" nahiyah"):
        return name[: -len(" nahiyah")], "town"
    return name, None


def sa_places(folder: Path, admin: AdminIndex) -> tuple[list[Draft], int]:
    points: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    events: Counter[tuple[str, str]] = Counter()
    with (folder / "syrian_places.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            k = (row["City"].upper(), row["Neighborhood"])
            points[k].append((float(row["Latitude"]), float(row["Longitude"]), QUALITY["sa-place"]))
    with (folder / "violations.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            city, hood = row["City"], row["Neighborhood"]
            if city == "NA" or hood == "NA":
                continue
            k = (city.upper(), hood)
            events[k] += 1
            if row["Latitude"] != "NA" and row["Longitude"] != "NA":
                points[k].append(
                    (float(row["Latitude"]), float(row["Longitude"]), QUALITY["sa-incident"])
                )
    out: list[Draft] = []
    dropped = 0
    for (city, hood), pts in sorted(points.items()):
        allowed = SA_CITY_ADMIN1.get(city)
        good = [p for p in pts if allowed is None or admin.admin_of(p[0], p[1])[0] in allowed]
        dropped += len(pts) - len(good)
        if not good:
            continue
        best_quality = min(q for _, _, q in good)
        best = [(la, lo) for la, lo, q in good if q == best_quality]
        if best_quality == QUALITY["sa-incident"]:
            # the most frequent point, ties broken by the median
            counts = Counter(best)
            top = max(counts.values())
            modes = sorted(p for p, c in counts.items() if c == top)
            lat, lon = modes[len(modes) // 2]
        else:
            lat = statistics.median(la for la, _ in best)
            lon = statistics.median(lo for _, lo in best)
        name, kind = sa_clean(hood)
        if re.search(r"\b(road|highway|between)\b", name, re.I):
            continue
        if re.match(r"(jabal|jebel|sahl|wadi)\b", name, re.I) or key(name) in SA_AREAS:
            kind = "area"
        d = Draft(name, kind or "town", lat, lon, best_quality, events=events[(city, hood)])
        d.sources.add("syrian-archive")
        out.append(d)
    return out, dropped


# ---- assembly -------------------------------------------------------------------------


def slug(name: str) -> str:
    """``"Al-Sukkari"`` -> ``"sukkari"``: ASCII, lower case, articles dropped."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.findall(r"[a-z0-9]+", plain) if w not in ARTICLES]
    return "-".join(words)[:40].strip("-") or "place"


def merge(drafts: list[Draft]) -> list[Draft]:
    """Merge drafts that share a name key and lie close together (admin units never merge)."""
    points = [d for d in drafts if d.pcode is None]
    units = [d for d in drafts if d.pcode is not None]
    points.sort(key=lambda d: (d.quality, -d.events, d.name, d.lat, d.lon))
    kept: list[Draft] = []
    by_key: dict[tuple[str, ...], list[Draft]] = defaultdict(list)
    for d in points:
        target = None
        for k in sorted(d.keys()):
            for other in by_key.get(k, []):
                limit = max(
                    MERGE_KM.get(d.kind, DEFAULT_MERGE_KM),
                    MERGE_KM.get(other.kind, DEFAULT_MERGE_KM),
                )
                if "neighbourhood" in (d.kind, other.kind) and "area" not in (d.kind, other.kind):
                    limit = MERGE_KM["neighbourhood"] * 1.5
                if haversine_km(d.lat, d.lon, other.lat, other.lon) <= limit:
                    target = other
                    break
            if target is not None:
                break
        if target is None:
            kept.append(d)
            for k in d.keys():
                by_key[k].append(d)
            continue
        target.add_names([d.name, *d.names])
        target.sources |= d.sources
        target.events += d.events
        if "area" in (d.kind, target.kind):
            target.kind = "area"
        elif KIND_ORDER.index(d.kind) < KIND_ORDER.index(target.kind):
            target.kind = d.kind
        for k in d.keys():
            if target not in by_key[k]:
                by_key[k].append(target)
    return units + kept


KIND_ORDER = ["city", "town", "neighbourhood", "village", "area", "site"]


def assign_admin(drafts: list[Draft], admin: AdminIndex) -> list[Draft]:
    out = []
    for d in drafts:
        if d.pcode is None:
            d.admin1, d.admin2 = admin.admin_of(d.lat, d.lon)
            if d.admin1 is None:
                continue  # outside Syria
        out.append(d)
    return out


def mark_cities(drafts: list[Draft]) -> dict[str, Draft]:
    cities: dict[str, Draft] = {}
    for name, (admin1, _) in CITIES.items():
        k = key(name)
        found = [
            d
            for d in drafts
            if d.pcode is None and d.admin1 == admin1 and k in d.keys() and d.kind in KIND_ORDER[:4]
        ]
        if not found:
            raise SystemExit(f"city {name!r} ({admin1}) is not in the data")
        best = min(found, key=lambda d: (d.quality, -d.events, d.name))
        best.kind = "city"
        cities[name] = best
    return cities


def mark_neighbourhoods(drafts: list[Draft], cities: dict[str, Draft]) -> None:
    for d in drafts:
        if d.pcode is not None or d.kind in ("city", "area"):
            continue
        for name, city in cities.items():
            radius = CITIES[name][1]
            if d.admin2 == city.admin2 and haversine_km(d.lat, d.lon, city.lat, city.lon) <= radius:
                if d.kind != "site":
                    d.kind = "neighbourhood"
                d.parent = name
                break


def apply_aliases(drafts: list[Draft], cities: dict[str, Draft]) -> None:
    by_pcode = {d.pcode: d for d in drafts if d.pcode is not None}
    for selector, names in ALIASES.items():
        if selector in by_pcode:
            by_pcode[selector].add_names(names)
            continue
        kind, _, rest = selector.partition(":")
        name, _, admin1 = rest.partition("@")
        if kind == "city":
            cities[name].add_names(names)
            continue
        k = key(name)
        found = [
            d
            for d in drafts
            if d.pcode is None and k in d.keys() and (not admin1 or d.admin1 == admin1)
        ]
        if not found:
            raise SystemExit(f"alias target {selector!r} is not in the data")
        best = min(found, key=lambda d: (d.quality, -d.events, d.name))
        best.add_names(names)


def admin_alt_names(
    drafts: list[Draft],
    ucdp_admin: dict[tuple[str, str], Counter[tuple[str, str]]],
    admin: AdminIndex,
) -> None:
    """UCDP's spellings of governorate and district names, onto the OCHA unit where most
    of the events coded with that name lie."""
    by_pcode = {d.pcode: d for d in drafts if d.pcode is not None}
    for (level, raw), points in sorted(ucdp_admin.items()):
        votes: Counter[str] = Counter()
        for (lat, lon), n in points.items():
            a1, a2 = admin.admin_of(float(lat), float(lon))
            code = a2 if level == "2" else a1
            if code is not None:
                votes[code] += n
        if not votes:
            continue
        (code, top), *_ = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
        if top < 0.6 * sum(votes.values()):
            continue  # UCDP's unit and OCHA's differ too much to call it the same
        name = re.sub(r"\s+(district|Governorate)$", "", raw).strip()
        alts = [name]
        for prefix in ("Mintaqat ", "Markaz "):
            if name.startswith(prefix):
                alts.append(name[len(prefix) :])
        unit = by_pcode[code]
        ours = [" ".join(key(n)) for n in [unit.name, *unit.names]]
        if any(fuzz.ratio(" ".join(key(alts[-1])), o) >= 75 for o in ours):
            unit.add_names(alts)


def finish(drafts: list[Draft], cities: dict[str, Draft]) -> list[Place]:
    city_ids: dict[str, str] = {}
    ids: set[str] = set()
    ordered = sorted(
        drafts, key=lambda d: (d.pcode or "~", d.admin2 or "", slug(d.name), d.lat, d.lon)
    )

    def new_id(d: Draft) -> str:
        if d.pcode is not None:
            return d.pcode
        base = f"{d.admin2 or d.admin1}-{slug(d.name)}"
        candidate, n = base, 2
        while candidate in ids:
            candidate, n = f"{base}-{n}", n + 1
        return candidate

    assigned: dict[int, str] = {}
    for d in ordered:
        pid = new_id(d)
        ids.add(pid)
        assigned[id(d)] = pid
    for name, city in cities.items():
        city_ids[name] = assigned[id(city)]
    out = []
    for d in ordered:
        names = [d.name, *d.names]
        out.append(
            Place(
                id=assigned[id(d)],
                name=d.name,
                lat=round(d.lat, 5),
                lon=round(d.lon, 5),
                precision=KIND_PRECISION[d.kind],  # type: ignore[arg-type]
                admin1_pcode=d.admin1,
                admin2_pcode=d.admin2,
                country=COUNTRY,
                kind=d.kind,  # type: ignore[arg-type]
                names=tuple(names),
                parent=city_ids.get(d.parent) if d.parent else None,
                events=d.events,
                sources=tuple(sorted(d.sources)),
            )
        )
    return out


def build(shared: Path, admin2_geojson: Path) -> tuple[list[Place], dict[str, int]]:
    admin = AdminIndex.from_geojson(admin2_geojson.read_text(encoding="utf-8"))
    ocha = ocha_places(shared / OCHA)
    ucdp, ucdp_admin = ucdp_places(shared / UCDP)
    sa, dropped = sa_places(shared / SA, admin)
    drafts = assign_admin(ocha + ucdp + sa, admin)
    outside = len(ocha) + len(ucdp) + len(sa) - len(drafts)
    drafts = merge(drafts)
    cities = mark_cities(drafts)
    mark_neighbourhoods(drafts, cities)
    apply_aliases(drafts, cities)
    admin_alt_names(drafts, ucdp_admin, admin)
    places = finish(drafts, cities)
    stats = {
        "ocha": len(ocha),
        "ucdp": len(ucdp),
        "syrian-archive": len(sa),
        "sa_points_dropped": dropped,
        "outside": outside,
        "places": len(places),
    }
    return places, stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check", action="store_true", help="fail if the written file would change"
    )
    args = parser.parse_args(argv)
    if not (args.shared / OCHA).is_dir():
        print(f"error: {args.shared / OCHA} not found — pass --shared PATH", file=sys.stderr)
        return 2
    places, stats = build(args.shared, DEFAULT_OUT / "admin2.geojson")
    text = tsv.write(places, COUNTRY)
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        print(f"error: {OUT_NAME} is {size} bytes (limit {MAX_BYTES})", file=sys.stderr)
        return 1
    target = args.out / OUT_NAME
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current != text:
            print(f"error: {target} is stale — rerun {Path(__file__).name}", file=sys.stderr)
            return 1
    else:
        args.out.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    kinds = Counter(p.kind for p in places)
    print(
        f"{OUT_NAME}: {len(places)} places, {size} bytes; "
        + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
    )
    print("inputs: " + ", ".join(f"{k} {v}" for k, v in stats.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
