"""Build ``incidents.json`` of the bundled ``syria-2016`` scenario (incident.v1 records).

Reads ``../shared/data`` and ``../shared/seed`` and writes one JSON list, sorted by date
and id, one record per line. What goes in (see docs/data/syria-2016-incidents.md):

* every UCDP GED Syria event that starts in September 2016 — facts only: dates, place
  name and coordinates, sides, death counts; the event and sub-event type are derived
  from UCDP's type of violence and, through the keyword table below, from the source
  headlines, whose text is never written out;
* three incidents reported by the seed article (7 September 2016), located by character
  offsets into the article, without quoting it;
* two incidents from the public record (the Deir ez-Zor strike of 17 September and the
  aid convoy at Urum al-Kubra on 19 September), into which the matching UCDP rows are
  folded as sources.

Every record is validated against ``ceasewatch.incidents.model.Incident`` with pydantic;
the script fails if any record does not validate, if a seed passage cannot be found, or
if the output grows past the size limit.

    PYTHONPATH=src python tools/build_syria_2016_incidents.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from shapely.geometry import Point, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ceasewatch.incidents.model import Incident  # noqa: E402
from ceasewatch.ingest import keywords, ucdp  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
SCENARIO = ROOT / "src" / "ceasewatch" / "agreement" / "scenarios" / "syria-2016"
UCDP_CSV = Path("data") / "ucdp-ged-syria" / "ged191_syria_20160101-20191130.csv"
SEED_ID = "000_66cf9ca88cf9de5f"
SEED = Path("seed") / f"{SEED_ID}.txt"
MAX_BYTES = 600_000

FIRST_DAY, LAST_DAY = "2016-09-01", "2016-09-30"
UCDP_PUBLISHER = "UCDP GED Syria 19.1"
UCDP_SUBMITTER = "ucdp-ged-19.1"
BUNDLE = "ceasewatch-bundle"

# --------------------------------------------------------------------------------------
# Tables (data, not logic)
# --------------------------------------------------------------------------------------

#: UCDP actor name -> scenario actor id (None: known, deliberately left unresolved).
ACTOR_IDS: dict[str, str | None] = {
    "Government of Syria": "sy-gov",
    "NDF (Syria)": "sy-gov",
    "Syrian insurgents": "opposition",
    "Hawar Kilis Operations Room": "opposition",
    "Syrian National Coalition": "opposition",
    "Ahrar al-Sham": "opposition",
    "Jaysh al-Islam": "opposition",
    "Fatah Halab": "opposition",
    "Southern Front": "opposition",
    "Rahman Corps": "opposition",
    "Jaysh Asoud al-Sharqiya": "opposition",
    "Martyr Lieutenant Ahmed Abdou Brigades": "opposition",
    "Jaysh al-Asha’er": "opposition",
    "Jabhat Fateh al-Sham": "nusra",
    # an al-Qaeda-aligned splinter, neither a party to the cessation nor listed
    # separately by the Security Council in 2016: left unresolved
    "Liwa al-Aqsa": None,
    "IS": "isis",
    "SDF": "sdf",
    "Government of Turkey": "turkey",
    # UCDP codes the US-led coalition's strikes in Syria under the Iraq-IS conflict, with
    # the coalition as supporting party; every such row of September 2016 is a coalition
    # air strike by its sources, so the actor is the coalition, not Iraq's own forces
    "Government of Iraq": "us-coalition",
    "Government of Israel": "israel",
    "Civilians": "civilians",
}

#: UCDP type_of_violence -> (event type, sub-event type) before keyword refinement.
VIOLENCE_TYPES: dict[str, tuple[str, str]] = {
    "1": ("Battles", "Armed clash"),  # state-based
    "2": ("Battles", "Armed clash"),  # non-state
    "3": ("Violence against civilians", "Attack"),  # one-sided
}

# The keyword rules live in the package, where the UCDP importer uses them too.
EXPLOSIONS = keywords.EXPLOSIONS
HEADLINE_RULES = keywords.RULES
AIR_RULES = keywords.AIR_RULES
AIR_FORCES = keywords.AIR_FORCES
ONE_SIDED_RULES = keywords.ONE_SIDED_RULES
CLASH_WORDS = keywords.CLASH_WORDS

#: Generic words dropped from a UCDP place name before looking for it in a headline.
PLACE_NOISE = set(
    "town village city suburb district governorate area between with from near road".split()
)


#: UCDP date_prec -> incident.v1 date precision.
DATE_PRECISION = {"1": "day", "2": "week", "3": "week", "4": "month", "5": "year"}

#: UCDP where_prec -> incident.v1 location precision.
WHERE_PRECISION = {
    "1": "town",
    "2": "town",
    "3": "district",
    "4": "province",
    "5": "province",
    "6": "country",
    "7": "country",
}
#: where_prec 1 places whose name says they are part of a town.
NEIGHBOURHOOD_WORDS = r"neighbou?rhood|quarter|housing project|\bsector\b"
#: Admin P-codes are only meaningful for points at least this precise.
ADMIN1_PRECISIONS = {"exact", "neighbourhood", "town", "district", "province"}
ADMIN2_PRECISIONS = {"exact", "neighbourhood", "town", "district"}

CONFIDENCE = {"1": "fair", "2": "weak"}

#: UCDP rows that describe a public-record incident below: folded into it as a source.
FOLDED: dict[str, str] = {
    "301214": "public-2016-09-19-urum-al-kubra-convoy",
    "227936": "public-2016-09-17-deir-ez-zor-coalition-strike",
}

#: Seed passages, found by words that must all occur in one sentence (no text is copied).
SEED_PASSAGES: dict[str, tuple[str, ...]] = {
    "sukkari": ("al-Sukkari", "airstrikes", "Aleppo Media Center"),
    "chlorine-day-before": ("chlorine", "hospitalized"),
    "chlorine-wednesday": ("chlorine", "Wednesday"),
}

# Reference coordinates (lat, lon).
AL_SUKKARI = (36.1730625, 37.1406003)  # Syrian Archive places, CC BY-SA 4.0
ALEPPO_CENTRE = (36.201241, 37.161173)  # UCDP GED "Aleppo town"
JABAL_THARDA = (35.256571, 40.114747)  # UCDP GED "Jabal Thurdah"


# --------------------------------------------------------------------------------------
# Lookups
# --------------------------------------------------------------------------------------
class AdminIndex:
    """Point-in-polygon lookup of OCHA P-codes in the scenario's admin layers."""

    def __init__(self, scenario: Path) -> None:
        self.levels = []
        for level in (1, 2):
            data = json.loads((scenario / f"admin{level}.geojson").read_text(encoding="utf-8"))
            units = sorted(
                (f["properties"]["pcode"], shape(f["geometry"])) for f in data["features"]
            )
            self.levels.append(units)

    def lookup(self, lat: float, lon: float, precision: str) -> tuple[str | None, str | None]:
        point = Point(lon, lat)
        found = [next((p for p, g in units if g.covers(point)), None) for units in self.levels]
        admin1 = found[0] if precision in ADMIN1_PRECISIONS else None
        admin2 = found[1] if precision in ADMIN2_PRECISIONS else None
        return admin1, admin2


def actor_id(name: str, unmapped: Counter[str]) -> str | None:
    """Map a UCDP side to an actor id; a coalition maps only if all its members agree."""
    if not name:
        return None
    if name in ACTOR_IDS:
        return ACTOR_IDS[name]
    members = [m.strip() for m in name.split(",")]
    if len(members) > 1 and all(m in ACTOR_IDS for m in members):
        ids = {ACTOR_IDS[m] for m in members}
        return ids.pop() if len(ids) == 1 else None  # e.g. with Jabhat Fateh al-Sham: None
    unmapped[name] += 1
    return None


def classify(row: dict[str, str], side_a: str | None) -> tuple[str, str, list[str], str]:
    """(event type, sub-event type, methods, rule) from UCDP type and headline keywords.

    A UCDP row often carries several headlines (joined with ';') that cover more than its
    own event: the ones naming the event's place are used when there are any.
    """
    event, sub = VIOLENCE_TYPES[row["type_of_violence"]]
    headlines = [h for h in row["source_headline"].split(";") if h.strip()]
    words = re.findall(r"[a-z]{4,}", row["where_coordinates"].lower())
    place = [w for w in words if w not in PLACE_NOISE]
    about_place = [h for h in headlines if any(w in h.lower() for w in place)]
    text = " ".join(about_place or headlines)
    if row["type_of_violence"] in ("1", "2") and re.search(rf"\b(?:{CLASH_WORDS})\b", text, re.I):
        return event, sub, [], "clash"
    for rule, pattern, new_event, new_sub, methods in HEADLINE_RULES:
        if rule in AIR_RULES and side_a not in AIR_FORCES:
            continue
        if rule in ONE_SIDED_RULES and row["type_of_violence"] != "3":
            continue
        if re.search(rf"\b(?:{pattern})\b", text, re.I):
            return new_event or event, new_sub or sub, list(methods), rule
    return event, sub, [], "default"


def published(value: str) -> str | None:
    """The earliest of UCDP's ';'-separated source dates, if it is a 2016 date."""
    first = ucdp.published(value)
    return first.isoformat() if first is not None and first.year == 2016 else None


def toll(low: str, best: str, high: str) -> dict[str, int]:
    """A UCDP low/best/high triple; where UCDP has low > best or high < best (about 100
    rows of the whole file, one in September 2016), the range is widened to hold best."""
    lo, mid, hi = int(low), int(best), int(high)
    return {"low": min(lo, mid), "best": mid, "high": max(hi, mid)}


def ucdp_source(row: dict[str, str]) -> dict[str, Any]:
    return {
        "document_id": f"ucdp-ged:{row['id']}",
        "publisher": UCDP_PUBLISHER,
        "url": None,
        "published": published(row["source_date"]),
        "attributed_to": ucdp.offices(row["source_office"]),
        "start": None,
        "end": None,
        "quote": None,
    }


# --------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------
def ucdp_record(
    row: dict[str, str], admin: AdminIndex, unmapped: Counter[str], rules: Counter[str]
) -> dict[str, Any]:
    perpetrator = actor_id(row["side_a"], unmapped)
    event, sub, methods, rule = classify(row, perpetrator)
    rules[rule] += 1
    precision = WHERE_PRECISION[row["where_prec"]]
    name = row["where_coordinates"] or None
    if row["where_prec"] == "1" and name and re.search(NEIGHBOURHOOD_WORDS, name, re.I):
        precision = "neighbourhood"
    lat, lon = float(row["latitude"]), float(row["longitude"])
    admin1, admin2 = admin.lookup(lat, lon, precision)
    civilians = int(row["deaths_civilians"] or 0)
    if not int(row["low"]) <= int(row["best"]) <= int(row["high"]):
        rules["(fatality range widened)"] += 1
    return {
        "id": f"ucdp-ged-{row['id']}",
        "event_type": event,
        "sub_event_type": sub,
        "occurred": {
            "start": row["date_start"],
            "end": row["date_end"],
            "time": None,
            "precision": DATE_PRECISION[row["date_prec"]],
            "note": None,
        },
        "location": {
            "lat": lat,
            "lon": lon,
            "precision": precision,
            "name": name,
            "admin1_pcode": admin1,
            "admin2_pcode": admin2,
            "country": "SY",
        },
        "status": "published",
        "submitted_by": UCDP_SUBMITTER,
        "method": methods,
        "perpetrator": {
            "text": row["side_a"] or None,
            "actor": perpetrator,
            "attribution": "reported",
        },
        "target": {"text": row["side_b"] or None, "actor": actor_id(row["side_b"], unmapped)},
        "fatalities": toll(row["low"], row["best"], row["high"]),
        "civilian_fatalities": toll(*[str(civilians)] * 3) if civilians > 0 else None,
        "injured": None,
        "sources": [ucdp_source(row)],
        "confidence": CONFIDENCE[row["event_clarity"]],
    }


def find_sentence(text: str, words: tuple[str, ...], name: str) -> tuple[int, int]:
    """Character offsets [start, end) of the one sentence of ``text`` holding all words."""
    hits = []
    for paragraph in re.finditer(r"[^\n]+", text):
        start = paragraph.start()
        for sentence in re.finditer(r".+?(?:[.!?]+(?=\s|$)|$)", paragraph.group()):
            body = sentence.group()
            if body.strip() and all(w in body for w in words):
                lead = len(body) - len(body.lstrip())
                hits.append((start + sentence.start() + lead, start + sentence.end()))
    if len(hits) != 1:
        raise SystemExit(f"seed passage {name!r}: {len(hits)} sentences hold {words}, want 1")
    return hits[0]


def seed_records(seed_text: str, admin: AdminIndex) -> list[dict[str, Any]]:
    spans = {k: find_sentence(seed_text, w, k) for k, w in SEED_PASSAGES.items()}

    def seed_source(passage: str, attributed_to: str | None) -> dict[str, Any]:
        start, end = spans[passage]
        return {
            "document_id": f"seed:{SEED_ID}",
            "publisher": "CNN",
            "url": None,
            "published": "2016-09-07",
            "attributed_to": attributed_to,
            "start": start,
            "end": end,
            "quote": None,
        }

    sukkari_admin = admin.lookup(*AL_SUKKARI, "neighbourhood")
    aleppo_admin = admin.lookup(*ALEPPO_CENTRE, "town")
    return [
        {
            "id": "seed-2016-09-07-al-sukkari",
            "event_type": EXPLOSIONS,
            "sub_event_type": "Air/drone strike",
            "occurred": {
                "start": "2016-09-07",
                "end": "2016-09-07",
                "time": None,
                "precision": "day",
                "note": None,
            },  # fmt: skip
            "location": {
                "lat": AL_SUKKARI[0],
                "lon": AL_SUKKARI[1],
                "precision": "neighbourhood",
                "name": "al-Sukkari, Aleppo",
                "admin1_pcode": sukkari_admin[0],
                "admin2_pcode": sukkari_admin[1],
                "country": "SY",
            },
            "status": "published",
            "submitted_by": BUNDLE,
            "method": ["airstrike"],
            "perpetrator": {"text": None, "actor": None, "attribution": "unknown"},
            "target": {"text": "residents of al-Sukkari", "actor": "civilians"},
            "fatalities": {"low": 7, "best": 7, "high": None},
            "civilian_fatalities": None,
            "injured": {"low": 41, "best": 41, "high": None},
            "sources": [seed_source("sukkari", "an activist from the Aleppo Media Center")],
            "confidence": "fair",
        },
        {
            "id": "seed-2016-09-06-aleppo-chlorine",
            "event_type": EXPLOSIONS,
            "sub_event_type": "Chemical weapon",
            "occurred": {
                "start": "2016-09-06",
                "end": "2016-09-07",
                "time": None,
                "precision": "day",
                "note": "One event, two mentions in the same report: one places it the day "
                "before the Wednesday (7 September) strikes, the other on Wednesday itself; "
                "the range covers both days.",
            },
            "location": {
                "lat": ALEPPO_CENTRE[0],
                "lon": ALEPPO_CENTRE[1],
                "precision": "town",
                "name": "Aleppo",
                "admin1_pcode": aleppo_admin[0],
                "admin2_pcode": aleppo_admin[1],
                "country": "SY",
            },
            "status": "published",
            "submitted_by": BUNDLE,
            "method": ["chemical"],
            "perpetrator": {"text": None, "actor": None, "attribution": "unknown"},
            "target": {"text": "residents", "actor": "civilians"},
            "fatalities": None,
            "civilian_fatalities": None,
            "injured": {"low": 24, "best": None, "high": None},
            "sources": [
                seed_source("chlorine-day-before", None),
                seed_source("chlorine-wednesday", "US Defense Secretary Ash Carter"),
            ],
            "confidence": "weak",
        },
    ]


def public_records(folded: dict[str, dict[str, str]], admin: AdminIndex) -> list[dict[str, Any]]:
    convoy = folded["301214"]
    convoy_at = (float(convoy["latitude"]), float(convoy["longitude"]))
    convoy_admin = admin.lookup(*convoy_at, "town")
    tharda_admin = admin.lookup(*JABAL_THARDA, "town")
    return [
        {
            "id": "public-2016-09-19-urum-al-kubra-convoy",
            "event_type": EXPLOSIONS,
            "sub_event_type": "Air/drone strike",
            "occurred": {
                "start": "2016-09-19",
                "end": "2016-09-19",
                "time": None,
                "precision": "day",
                "note": "Evening of 19 September; the time of the first strike was reported "
                "variously, so none is given.",
            },
            "location": {
                "lat": convoy_at[0],
                "lon": convoy_at[1],
                "precision": "town",
                "name": "Urum al-Kubra",
                "admin1_pcode": convoy_admin[0],
                "admin2_pcode": convoy_admin[1],
                "country": "SY",
            },
            "status": "published",
            "submitted_by": BUNDLE,
            "method": ["airstrike"],
            "perpetrator": {
                "text": "Syrian government forces (alleged; Syria and Russia denied)",
                "actor": "sy-gov",
                "attribution": "alleged",
            },
            "target": {"text": "UN/Syrian Arab Red Crescent aid convoy", "actor": "un"},
            "fatalities": toll(convoy["low"], convoy["best"], convoy["high"]),
            "civilian_fatalities": toll(*[convoy["deaths_civilians"]] * 3),
            "injured": None,
            "sources": [
                ucdp_source(convoy),
                {
                    "document_id": "public:un-coi-syria-2017-03",
                    "publisher": "UN Independent International Commission of Inquiry on Syria",
                    "url": None,
                    "published": "2017-03-01",
                    "attributed_to": None,
                    "start": None,
                    "end": None,
                    "quote": None,
                },
            ],
            "confidence": "fair",
        },
        {
            "id": "public-2016-09-17-deir-ez-zor-coalition-strike",
            "event_type": EXPLOSIONS,
            "sub_event_type": "Air/drone strike",
            "occurred": {
                "start": "2016-09-17",
                "end": "2016-09-17",
                "time": None,
                "precision": "day",
                "note": None,
            },  # fmt: skip
            "location": {
                "lat": JABAL_THARDA[0],
                "lon": JABAL_THARDA[1],
                "precision": "town",
                "name": "Jabal Tharda, Deir ez-Zor",
                "admin1_pcode": tharda_admin[0],
                "admin2_pcode": tharda_admin[1],
                "country": "SY",
            },
            "status": "published",
            "submitted_by": BUNDLE,
            "method": ["airstrike"],
            "perpetrator": {
                "text": "US-led coalition aircraft",
                "actor": "us-coalition",
                "attribution": "claimed",
            },
            "target": {"text": "Syrian army positions", "actor": "sy-gov"},
            "fatalities": {"low": 62, "best": 62, "high": 90},
            "civilian_fatalities": None,
            "injured": {"low": 100, "best": 100, "high": None},
            "sources": [
                _public_source("public:us-centcom-2016-09-17", "US Central Command"),
                _public_source(
                    "public:russia-mod-2016-09-17", "Ministry of Defence of the Russian Federation"
                ),
                ucdp_source(folded["227936"]),
            ],
            "confidence": "confirmed",
        },
    ]


def _public_source(document_id: str, publisher: str) -> dict[str, Any]:
    return {
        "document_id": document_id,
        "publisher": publisher,
        "url": None,
        "published": "2016-09-17",
        "attributed_to": None,
        "start": None,
        "end": None,
        "quote": None,
    }


# --------------------------------------------------------------------------------------
def build(shared: Path, scenario: Path) -> list[dict[str, Any]]:
    admin = AdminIndex(scenario)
    unmapped: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    records: list[dict[str, Any]] = []
    folded: dict[str, dict[str, str]] = {}
    with (shared / UCDP_CSV).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if not FIRST_DAY <= row["date_start"] <= LAST_DAY:
                continue
            if row["id"] in FOLDED:
                folded[row["id"]] = row
                continue
            records.append(ucdp_record(row, admin, unmapped, rules))
    missing = set(FOLDED) - set(folded)
    if missing:
        raise SystemExit(f"UCDP rows to fold not found: {sorted(missing)}")
    seed_text = (shared / SEED).read_text(encoding="utf-8")
    records += seed_records(seed_text, admin)
    records += public_records(folded, admin)
    print(f"UCDP rows by keyword rule: {dict(sorted(rules.items()))}")
    if unmapped:
        print(f"UCDP sides without an actor id: {dict(unmapped)}")
    return records


def validate(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Validate every record as incident.v1 and return its canonical JSON form."""
    adapter = TypeAdapter(Incident)
    out, errors = [], []
    for record in records:
        try:
            incident = adapter.validate_python(record)
        except ValidationError as e:
            errors.append(f"{record.get('id')}: {e}")
            continue
        out.append(adapter.dump_python(incident, mode="json"))
    if errors:
        raise SystemExit("invalid incident.v1 records:\n" + "\n".join(errors))
    ids = Counter(r["id"] for r in out)
    duplicates = [i for i, n in ids.items() if n > 1]
    if duplicates:
        raise SystemExit(f"duplicate incident ids: {duplicates}")
    return sorted(out, key=lambda r: (r["occurred"]["start"], r["id"]))


def summarise(records: list[dict[str, Any]]) -> None:
    print(f"records: {len(records)}")
    print("by event type:")
    for (event, sub), n in sorted(
        Counter((r["event_type"], r["sub_event_type"]) for r in records).items()
    ):
        print(f"  {n:4d}  {event} / {sub}")
    print("by perpetrator actor:")
    for actor, n in sorted(Counter(str(r["perpetrator"]["actor"]) for r in records).items()):
        print(f"  {n:4d}  {actor}")
    window = [r for r in records if "2016-09-12" <= r["occurred"]["start"] <= "2016-09-19"]
    best = sum((r["fatalities"] or {}).get("best") or 0 for r in window)
    print(f"12-19 Sep 2016: {len(window)} records, best-estimate deaths {best}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--scenario", type=Path, default=SCENARIO)
    args = parser.parse_args(argv)
    for needed in (args.shared / UCDP_CSV, args.shared / SEED, args.scenario / "admin1.geojson"):
        if not needed.is_file():
            print(f"error: {needed} not found", file=sys.stderr)
            return 2
    records = validate(build(args.shared, args.scenario))
    lines = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in records]
    text = "[\n" + ",\n".join(lines) + "\n]\n"
    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        print(f"error: incidents.json would be {size} bytes (limit {MAX_BYTES})", file=sys.stderr)
        return 1
    (args.scenario / "incidents.json").write_text(text, encoding="utf-8")
    print(f"incidents.json: {size} bytes")
    summarise(records)
    return 0


if __name__ == "__main__":
    sys.exit(main())
