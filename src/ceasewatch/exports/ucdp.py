"""incident.v1 -> UCDP GED's CSV columns, in GED's order (the 41 columns of GED 19.1, as
in ../shared/data/ucdp-ged-syria). Pure.

UCDP's own codes (conflict, dyad and side ids) are left blank; headlines and article
references (prose) are never written. Deaths are only what the incident holds: an unknown
toll is blank, not 0. Every column is described in docs/exports.md.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Final

from ceasewatch.exports.countries import country
from ceasewatch.exports.table import (
    Column,
    Lookups,
    Value,
    best,
    dataset_tables,
    joined,
)
from ceasewatch.incidents.model import Incident, LocationPrecision

ID_PREFIX: Final = "ucdp:"
SOURCE_PREFIX: Final = "ucdp-ged:"

#: location precision -> where_prec (1 exact place, 2 within ~25 km, 4 first-order admin
#: area, 6 only the country).
WHERE_PRECISION: Final[dict[LocationPrecision, int]] = {
    "exact": 1,
    "neighbourhood": 1,
    "town": 1,
    "district": 2,
    "province": 4,
    "country": 6,
}

#: incident confidence -> event_clarity (1 high, 2 low); ungraded/discounted: blank.
CLARITY: Final[dict[str, int]] = {"confirmed": 1, "fair": 1, "weak": 2, "contested": 2}

_C = Column
COLUMNS: Final[tuple[Column, ...]] = (
    _C("id", "text", "the incident id; an id imported from UCDP (`ucdp:214797`) loses its prefix"),
    _C("year", "int", "year of `date_start`"),
    _C("active_year", "int", "blank: UCDP's conflict-year coding"),
    _C("type_of_violence", "int", "3 one-sided (violence against civilians, or a target that is a civilians actor); 2 non-state (both sides known non-state actors); else 1 state-based"),
    _C("conflict_new_id", "int", "blank: UCDP's ids are not held"),
    _C("conflict_name", "text", "blank"),
    _C("dyad_new_id", "int", "blank"),
    _C("dyad_name", "text", "`side_a - side_b` when both are known"),
    _C("side_a_new_id", "int", "blank"),
    _C("side_a", "text", "`perpetrator.text`, else the actor's name"),
    _C("side_b_new_id", "int", "blank"),
    _C("gwnob", "int", "blank"),
    _C("side_b", "text", "`target.text`, else the target actor's name"),
    _C("number_of_sources", "int", "how many source reports the incident has"),
    _C("source_article", "text", "blank: article references are prose, not written"),
    _C("source_office", "text", "who reported it, `;`-joined: each source's publisher; for a source imported from UCDP, the office UCDP cites (`attributed_to`)"),
    _C("source_date", "text", "the sources' publication dates, `;`-joined"),
    _C("source_headline", "text", "blank: headlines are prose, not written"),
    _C("source_original", "text", "blank"),
    _C("where_prec", "int", "1 exact/neighbourhood/town, 2 district, 4 province, 6 country"),
    _C("where_coordinates", "text", "`location.name`"),
    _C("adm_1", "text", "governorate name from the scenario's boundaries"),
    _C("adm_2", "text", "district name"),
    _C("latitude", "float", "WGS84 degrees"),
    _C("longitude", "float", "WGS84 degrees"),
    _C("geom_wkt", "text", "`POINT (longitude latitude)`"),
    _C("priogrid_gid", "int", "PRIO-GRID cell (0.5°) of the point"),
    _C("country", "text", "the country's name (or the code as held)"),
    _C("country_id", "int", "Gleditsch & Ward number of the country"),
    _C("region", "text", "the country's region"),
    _C("event_clarity", "int", "1 for confidence confirmed/fair, 2 weak/contested, else blank"),
    _C("date_prec", "int", "1 one day; 2 a range of 2–6 days; 3 a week; 4 up to a month; 5 longer"),
    _C("date_start", "date", "`occurred.start`"),
    _C("date_end", "date", "`occurred.end`"),
    _C("deaths_a", "int", "blank: deaths are not split by side"),
    _C("deaths_b", "int", "blank"),
    _C("deaths_civilians", "int", "`civilian_fatalities.best` (else `low`), blank when unknown"),
    _C("deaths_unknown", "int", "blank"),
    _C("low", "int", "`fatalities.low`, blank when unknown"),
    _C("best", "int", "`fatalities.best` (else `low`), blank when unknown"),
    _C("high", "int", "`fatalities.high`, blank when unknown or open-ended"),
)  # fmt: skip


def event_id(incident_id: str) -> str:
    """UCDP's ``id`` for one of our ids.

    >>> event_id("ucdp:214797"), event_id("a1")
    ('214797', 'a1')
    """
    return incident_id.removeprefix(ID_PREFIX)


def priogrid(lat: float, lon: float) -> int:
    """The PRIO-GRID cell id of a point (half-degree cells, numbered from the south-west).

    >>> priogrid(34.802462, 36.707602)
    179714
    """
    row = min(int(math.floor((lat + 90) / 0.5)), 359)
    col = min(int(math.floor((lon + 180) / 0.5)), 719)
    return row * 720 + col + 1


def date_prec(start: dt.date, end: dt.date, precision: str) -> int:
    """UCDP's date precision code from a date range.

    >>> date_prec(dt.date(2016, 9, 19), dt.date(2016, 9, 19), "day")
    1
    >>> date_prec(dt.date(2016, 9, 1), dt.date(2016, 9, 30), "month")
    4
    """
    days = (end - start).days + 1
    if days == 1:
        return {"week": 3, "month": 4, "year": 5, "unknown": 5}.get(precision, 1)
    if days <= 6:
        return 2
    if days <= 7:
        return 3
    return 4 if days <= 31 else 5


def violence_type(i: Incident, lookups: Lookups) -> int:
    target = i.target.actor if i.target else None
    if (
        i.event_type == "Violence against civilians"
        or lookups.actor_kinds.get(target or "") == "civilians"
    ):
        return 3
    kinds = [lookups.actor_kinds.get(a or "") for a in (i.perpetrator.actor, target)]
    if all(k and k not in ("state", "coalition") for k in kinds):
        return 2
    return 1


def row(i: Incident, lookups: Lookups) -> tuple[Value, ...]:
    loc, o = i.location, i.occurred
    c = country(loc.country)
    side_a = lookups.actor(i.perpetrator.text, i.perpetrator.actor)
    side_b = lookups.actor(i.target.text, i.target.actor) if i.target else None
    offices = joined(
        (
            (s.attributed_to if s.document_id.startswith(SOURCE_PREFIX) else s.publisher)
            for s in i.sources
        ),
        ";",
    )
    dates = joined((s.published.isoformat() for s in i.sources if s.published), ";")
    toll = i.fatalities
    return (
        event_id(i.id),
        o.start.year,
        None,
        violence_type(i, lookups),
        None,
        None,
        None,
        f"{side_a} - {side_b}" if side_a and side_b else None,
        None,
        side_a,
        None,
        None,
        side_b,
        len(i.sources),
        None,
        offices,
        dates,
        None,
        None,
        WHERE_PRECISION[loc.precision],
        loc.name,
        lookups.admin(loc.admin1_pcode),
        lookups.admin(loc.admin2_pcode),
        loc.lat,
        loc.lon,
        f"POINT ({loc.lon!r} {loc.lat!r})",
        priogrid(loc.lat, loc.lon),
        c.name if c else loc.country,
        c.gw_code if c else None,
        c.region if c else None,
        CLARITY.get(i.confidence),
        date_prec(o.start, o.end, o.precision),
        o.start,
        o.end,
        None,
        None,
        best(i.civilian_fatalities),
        None,
        toll.low if toll else None,
        best(toll),
        toll.high if toll else None,
    )


INCIDENTS, FINDINGS = dataset_tables(COLUMNS, row)
