"""GDELT 2.0 events export (tab-separated, 61 columns, no header) -> incident.v1.

Only violent events are kept: CAMEO root codes 18 (assault), 19 (fight) and 20
(unconventional mass violence) and their sub-codes; everything else is skipped, as are
events whose action lies in another country. Call ``map_row(row, ctx)`` with the row as a
``dict`` keyed by ``COLUMNS``. Tables: docs/import.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from urllib.parse import urlsplit

from ceasewatch.incidents.model import (
    Incident,
    LocationPrecision,
    Method,
    Occurred,
    Perpetrator,
    Source,
    Target,
)
from ceasewatch.ingest.actors import normalize
from ceasewatch.ingest.common import finish, location, point
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.fields import date, text
from ceasewatch.ingest.result import Issue, Outcome, Rejected, Skipped

DATASET: Final = "gdelt"
SUBMITTER: Final = "gdelt-2.0"
DELIMITER: Final = "\t"

#: The 61 columns of a GDELT 2.0 events export, in order (GDELT Event Codebook V2.0).
COLUMNS: Final = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate",
    "Actor1Code", "Actor1Name", "Actor1CountryCode", "Actor1KnownGroupCode",
    "Actor1EthnicCode", "Actor1Religion1Code", "Actor1Religion2Code",
    "Actor1Type1Code", "Actor1Type2Code", "Actor1Type3Code",
    "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2KnownGroupCode",
    "Actor2EthnicCode", "Actor2Religion1Code", "Actor2Religion2Code",
    "Actor2Type1Code", "Actor2Type2Code", "Actor2Type3Code",
    "IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass",
    "GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone",
    "Actor1Geo_Type", "Actor1Geo_FullName", "Actor1Geo_CountryCode", "Actor1Geo_ADM1Code",
    "Actor1Geo_ADM2Code", "Actor1Geo_Lat", "Actor1Geo_Long", "Actor1Geo_FeatureID",
    "Actor2Geo_Type", "Actor2Geo_FullName", "Actor2Geo_CountryCode", "Actor2Geo_ADM1Code",
    "Actor2Geo_ADM2Code", "Actor2Geo_Lat", "Actor2Geo_Long", "Actor2Geo_FeatureID",
    "ActionGeo_Type", "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_ADM1Code",
    "ActionGeo_ADM2Code", "ActionGeo_Lat", "ActionGeo_Long", "ActionGeo_FeatureID",
    "DATEADDED", "SOURCEURL",
)  # fmt: skip
REQUIRED: Final = COLUMNS

VIOLENT_ROOTS: Final = frozenset({"18", "19", "20"})

_SD: Final = "Strategic developments"
_ER: Final = "Explosions/Remote violence"
_VAC: Final = "Violence against civilians"

#: CAMEO code -> (event type, sub-event type, methods). A code not listed falls back to
#: its 3-digit base code, then to its root code, with a warning.
CAMEO: Final[dict[str, tuple[str, str, tuple[Method, ...]]]] = {
    "18": (_VAC, "Attack", ()),  # assault
    "180": (_VAC, "Attack", ()),  # unconventional violence, not specified
    "181": (_VAC, "Abduction/forced disappearance", ("abduction",)),  # abduct, hijack, hostage
    "182": (_VAC, "Attack", ()),  # physically assault
    "1821": (_VAC, "Sexual violence", ()),
    "1822": (_VAC, "Attack", ()),  # torture
    "1823": (_VAC, "Attack", ()),  # kill by physical assault
    "183": (_ER, "Remote explosive/landmine/IED", ("ied",)),  # non-military bombing
    "1831": (_ER, "Suicide bomb", ("suicide_bombing",)),
    "1832": (_ER, "Remote explosive/landmine/IED", ("car_bomb",)),  # vehicular bombing
    "1833": (_ER, "Remote explosive/landmine/IED", ("ied",)),  # roadside bombing
    "1834": (_ER, "Remote explosive/landmine/IED", ("ied",)),  # location bombing
    "184": (_VAC, "Attack", ()),  # use as human shield
    "185": (_VAC, "Attack", ()),  # attempt to assassinate
    "186": (_VAC, "Attack", ()),  # assassinate
    "19": ("Battles", "Armed clash", ()),  # fight
    "190": ("Battles", "Armed clash", ()),  # conventional military force, not specified
    "191": (_SD, "Other", ("siege",)),  # impose blockade, restrict movement
    "192": ("Battles", "Armed clash", ()),  # occupy territory (who gained is not said)
    "193": ("Battles", "Armed clash", ("gunfire",)),  # small arms and light weapons
    "194": (_ER, "Shelling/artillery/missile attack", ("shelling",)),  # artillery and tanks
    "195": (_ER, "Air/drone strike", ("airstrike",)),  # aerial weapons
    "1951": (_ER, "Air/drone strike", ("airstrike",)),  # precision-guided
    "1952": (_ER, "Air/drone strike", ("airstrike",)),  # remotely piloted
    "196": ("Battles", "Armed clash", ()),  # violate ceasefire
    "20": (_VAC, "Attack", ()),  # unconventional mass violence
    "200": (_VAC, "Attack", ()),
    "201": (_SD, "Other", ()),  # mass expulsion
    "202": (_VAC, "Attack", ()),  # mass killings
    "203": (_VAC, "Attack", ()),  # ethnic cleansing
    "204": (_ER, "Chemical weapon", ("chemical",)),  # weapons of mass destruction
    "2041": (_ER, "Chemical weapon", ("chemical",)),  # chemical, biological, radiological
    "2042": (_SD, "Other", ("other",)),  # detonate nuclear weapons
}  # fmt: skip

#: ActionGeo_Type -> location precision.
GEO_TYPE: Final[dict[str, LocationPrecision]] = {
    "1": "country",
    "2": "province",  # US state
    "3": "town",  # US city
    "4": "town",  # world city or landmark
    "5": "province",  # world state (ADM1)
}

#: Actor code country (first three letters) -> a name scenarios alias, for state actors
#: (actor type GOV, MIL, COP, SPY or none given after the country).
STATE_ACTORS: Final[dict[str, str]] = {
    "SYR": "Government of Syria",
    "RUS": "Russia",
    "TUR": "Turkey",
    "ISR": "Israel",
    "IRQ": "Iraq",
    "USA": "US-led coalition",
}
STATE_TYPES: Final = frozenset({"GOV", "MIL", "COP", "SPY"})
#: Actor types that stand for armed opposition (rebels, insurgents, opposition).
REBEL_TYPES: Final = frozenset({"REB", "INS", "OPP"})


def source_id(row: Mapping[str, str]) -> str | None:
    return text(row.get("GLOBALEVENTID"))


def actor_name(row: Mapping[str, str], n: int) -> str | None:
    """A name for actor ``n`` (1 or 2) that scenarios alias, from GDELT's actor codes; the
    reported name (Actor1Name) when the codes say nothing more."""
    code = (row.get(f"Actor{n}Code") or "").strip().upper()
    country = (row.get(f"Actor{n}CountryCode") or "").strip().upper() or code[:3]
    types = {(row.get(f"Actor{n}Type{k}Code") or "").strip().upper() for k in (1, 2, 3)}
    if types & REBEL_TYPES:
        return "rebels"
    if country in STATE_ACTORS and (types & STATE_TYPES or code == country):
        return STATE_ACTORS[country]
    return text(row.get(f"Actor{n}Name"))


def _event(code: str) -> tuple[tuple[str, str, tuple[Method, ...]], bool]:
    for key in (code, code[:3], code[:2]):
        if key in CAMEO:
            return CAMEO[key], key == code
    return CAMEO[code[:2]], False


def map_row(row: Mapping[str, str], ctx: Context) -> Outcome:
    """One GDELT event -> an incident (status ``published`` unless ``ctx.status``)."""
    root = (row.get("EventRootCode") or "").strip()
    code = (row.get("EventCode") or "").strip()
    if root not in VIOLENT_ROOTS:
        return Skipped("not a violent CAMEO event (root codes 18-20 only)")
    where = (row.get("ActionGeo_CountryCode") or "").strip()
    if ctx.country is not None and where != ctx.country.fips:
        return Skipped(f"action in another country ({where})" if where else "no action location")
    issues: list[Issue] = []
    warnings: list[Issue] = []
    sid = source_id(row)
    if sid is None:
        issues.append(Issue("GLOBALEVENTID", "GDELT event id is missing"))
    if not code.startswith(root):
        warnings.append(
            Issue("EventCode", f"does not belong to root code {root}: classified by the root", code)
        )
        code = root
    (event, sub, methods), exact = _event(code)
    if not exact:
        warnings.append(
            Issue(
                "EventCode", "CAMEO code not in ceasewatch's table: classified by its parent", code
            )
        )
    day = date(row.get("SQLDATE"), "SQLDATE", issues)
    geo_type = (row.get("ActionGeo_Type") or "").strip()
    precision = GEO_TYPE.get(geo_type)
    if precision is None:
        warnings.append(
            Issue("ActionGeo_Type", "unknown code (1-5 expected): kept as country-level", geo_type)
        )
        precision = "country"
    at = point(row, "ActionGeo_Lat", "ActionGeo_Long", ctx, issues)
    added = text(row.get("DATEADDED"))
    published = date(added[:8], "DATEADDED", issues) if added else None
    if issues or sid is None or day is None or at is None:
        return Rejected(tuple(issues))
    lat, lon = at
    url = text(row.get("SOURCEURL"))
    host = urlsplit(url).hostname if url and "://" in url else None
    a1, a2 = actor_name(row, 1), actor_name(row, 2)
    a1_text, a2_text = text(row.get("Actor1Name")), text(row.get("Actor2Name"))
    resolved2 = ctx.actors.resolve(a2) if a2 else None

    def build() -> Incident:
        return Incident(
            id=f"{DATASET}:{sid}",
            event_type=event,  # type: ignore[arg-type]
            sub_event_type=sub,  # type: ignore[arg-type]
            occurred=Occurred(start=day, end=day, precision="day"),
            location=location(lat, lon, precision, text(row.get("ActionGeo_FullName")), ctx),
            status=ctx.status or "published",
            submitted_by=SUBMITTER,
            method=methods,
            perpetrator=Perpetrator(
                a1_text or a1, ctx.actors.resolve(a1) if a1 else None, "reported"
            ),
            target=Target(a2_text or a2, resolved2) if (a2_text or a2) else None,
            sources=(
                Source(
                    document_id=url or f"gdelt:{sid}",
                    publisher=host.removeprefix("www.") if host else None,
                    url=url,
                    published=published,
                    attributed_to=None,
                ),
            ),
        )

    return finish(build, issues, warnings)


def is_violent(code: str) -> bool:
    """True for CAMEO codes under roots 18-20.

    >>> is_violent("1951"), is_violent("190"), is_violent("043")
    (True, True, False)
    """
    return code[:2] in VIOLENT_ROOTS


__all__ = ["COLUMNS", "map_row", "normalize"]
