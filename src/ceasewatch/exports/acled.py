"""incident.v1 -> ACLED's CSV columns, in ACLED's order (the 31 columns of an ACLED
export, as in ../shared/data/acled-format-syria-2020). Pure.

What ACLED codes and ceasewatch does not hold (its own row and actor codes, interaction
codes, source scale) is left blank, never invented; ``notes`` carries only facts held in
the incident (its id, the date range, its own date note), never a source's prose. Every
column is described in docs/exports.md.
"""

from __future__ import annotations

import datetime as dt
import re
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

#: Our id prefix for incidents imported from ACLED (the importer writes ``acled:SYR78126``).
ID_PREFIX: Final = "acled:"

#: location precision -> geo_precision (1 the place itself, 2 near it or a small area,
#: 3 a larger region's centroid).
GEO_PRECISION: Final[dict[LocationPrecision, int]] = {
    "exact": 1,
    "neighbourhood": 1,
    "town": 1,
    "district": 2,
    "province": 3,
    "country": 3,
}

_C = Column
COLUMNS: Final[tuple[Column, ...]] = (
    _C("data_id", "int", "blank: ACLED's internal row number"),
    _C("iso", "int", "ISO 3166-1 numeric code of `location.country` (blank for countries ceasewatch has no table for)"),
    _C("event_id_cnty", "text", "the incident id; an id imported from ACLED (`acled:SYR78126`) loses its prefix"),
    _C("event_id_no_cnty", "int", "the number in an ACLED id (`78126`), else blank"),
    _C("event_date", "date", "YYYY-MM-DD: `occurred.start`, or the middle day of a range"),
    _C("year", "int", "year of `event_date`"),
    _C("time_precision", "int", "1 a single day; 2 a range of up to 7 days (or precision `week`); 3 longer"),
    _C("event_type", "text", "incident.v1 `event_type` (ACLED's vocabulary)"),
    _C("sub_event_type", "text", "incident.v1 `sub_event_type`"),
    _C("actor1", "text", "`perpetrator.text`, else the actor's name, else blank (ACLED's 'Unidentified …' is not invented)"),
    _C("assoc_actor_1", "text", "blank"),
    _C("inter1", "int", "blank: ACLED's actor type codes are not held"),
    _C("actor2", "text", "`target.text`, else the target actor's name, else blank"),
    _C("assoc_actor_2", "text", "blank"),
    _C("inter2", "int", "blank"),
    _C("interaction", "int", "blank"),
    _C("region", "text", "the country's region (Middle East, Europe) for known countries"),
    _C("country", "text", "the country's name (or the code as held)"),
    _C("admin1", "text", "governorate name from the scenario's boundaries (`admin1_pcode`)"),
    _C("admin2", "text", "district name (`admin2_pcode`)"),
    _C("admin3", "text", "blank"),
    _C("location", "text", "`location.name`"),
    _C("latitude", "float", "WGS84 degrees, as held"),
    _C("longitude", "float", "WGS84 degrees, as held"),
    _C("geo_precision", "int", "1 exact/neighbourhood/town, 2 district, 3 province/country"),
    _C("source", "text", "who reported it, joined by `; `: each source's publisher; for a source imported from ACLED, the source ACLED cites (`attributed_to`)"),
    _C("source_scale", "text", "blank"),
    _C("notes", "text", "facts held in the incident: `ceasewatch <id>`, the date range, `occurred.note` — never a source's prose"),
    _C("fatalities", "int", "`fatalities.best`, else `low`, else 0 (as ACLED writes no known deaths)"),
    _C("timestamp", "int", "Unix time of the latest source publication date (00:00 UTC), else blank"),
    _C("iso3", "text", "ISO 3166-1 alpha-3 code"),
)  # fmt: skip

_ACLED_ID = re.compile(r"^[A-Z]{3}(\d+)$")


def event_id(incident_id: str) -> str:
    """ACLED's ``event_id_cnty`` for one of our ids.

    >>> event_id("acled:SYR78126"), event_id("seed-2016-09-07-al-sukkari")
    ('SYR78126', 'seed-2016-09-07-al-sukkari')
    """
    return incident_id.removeprefix(ID_PREFIX)


def timing(start: dt.date, end: dt.date, precision: str) -> tuple[dt.date, int]:
    """(event_date, time_precision): the middle day of a range, and how wide it is.

    >>> timing(dt.date(2016, 9, 16), dt.date(2016, 9, 22), "week")
    (datetime.date(2016, 9, 19), 2)
    >>> timing(dt.date(2016, 9, 1), dt.date(2016, 9, 30), "month")[1]
    3
    """
    span = (end - start).days
    middle = start + dt.timedelta(days=span // 2)
    if span == 0 and precision == "day":
        return start, 1
    if span <= 6 and precision in ("day", "week"):
        return middle, 2
    return middle, 3


def _epoch(day: dt.date | None) -> int | None:
    if day is None:
        return None
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC).timestamp())


def _notes(i: Incident) -> str:
    parts = [f"ceasewatch {i.id}"]
    o = i.occurred
    if o.end != o.start:
        parts.append(f"between {o.start.isoformat()} and {o.end.isoformat()}")
    if o.note:
        parts.append(o.note)
    return "; ".join(parts)


def row(i: Incident, lookups: Lookups) -> tuple[Value, ...]:
    loc, o = i.location, i.occurred
    c = country(loc.country)
    eid = event_id(i.id)
    number = _ACLED_ID.match(eid)
    day, tp = timing(o.start, o.end, o.precision)
    published = max((s.published for s in i.sources if s.published), default=None)
    return (
        None,
        c.iso_numeric if c else None,
        eid,
        int(number[1]) if number else None,
        day,
        day.year,
        tp,
        i.event_type,
        i.sub_event_type,
        lookups.actor(i.perpetrator.text, i.perpetrator.actor),
        None,
        None,
        lookups.actor(i.target.text, i.target.actor) if i.target else None,
        None,
        None,
        None,
        c.region if c else None,
        c.name if c else loc.country,
        lookups.admin(loc.admin1_pcode),
        lookups.admin(loc.admin2_pcode),
        None,
        loc.name,
        loc.lat,
        loc.lon,
        GEO_PRECISION[loc.precision],
        joined(
            (s.attributed_to if s.document_id.startswith(ID_PREFIX) else s.publisher)
            for s in i.sources
        ),
        None,
        _notes(i),
        best(i.fatalities) or 0,
        _epoch(published),
        c.iso3 if c else None,
    )


INCIDENTS, FINDINGS = dataset_tables(COLUMNS, row)
