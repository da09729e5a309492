"""UCDP GED (CSV, one row per event) -> incident.v1.

Call ``map_row(row, ctx)`` with one CSV row as a ``dict`` of column -> text; it returns a
``Mapped`` incident, a ``Rejected`` record with its issues, or a ``Skipped`` one. Pure: no
I/O. The tables below are documented in docs/import.md.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Final

from ceasewatch.incidents.model import (
    DatePrecision,
    Incident,
    LocationPrecision,
    Method,
    Occurred,
    Perpetrator,
    Source,
    Target,
    Toll,
)
from ceasewatch.ingest import keywords
from ceasewatch.ingest.actors import UCDP_SYNONYMS
from ceasewatch.ingest.common import finish, location, other_country, point
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.fields import count, date, text, toll_range
from ceasewatch.ingest.result import Issue, Outcome, Rejected

DATASET: Final = "ucdp"
PUBLISHER: Final = "UCDP GED"
SUBMITTER: Final = "ucdp-ged"
DELIMITER: Final = ","

#: Columns without which a row cannot be read.
REQUIRED: Final = (
    "id", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude",
    "date_prec", "date_start", "date_end", "low", "best", "high",
)  # fmt: skip

#: Every column of UCDP GED's CSV (19.1, and the ``relid``/``code_status``/``gwnoa`` of
#: later versions): a header column outside this list is named in a warning.
KNOWN: Final = (
    "id", "relid", "year", "active_year", "code_status", "type_of_violence",
    "conflict_new_id", "conflict_dset_id", "conflict_name", "dyad_new_id", "dyad_dset_id",
    "dyad_name", "side_a_new_id", "side_a_dset_id", "side_a", "side_b_new_id",
    "side_b_dset_id", "gwnoa", "gwnob", "side_b", "number_of_sources", "source_article",
    "source_office", "source_date", "source_headline", "source_original", "where_prec",
    "where_coordinates", "where_description", "adm_1", "adm_2", "latitude", "longitude",
    "geom_wkt", "priogrid_gid", "country", "country_id", "region", "event_clarity",
    "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "low", "best", "high",
)  # fmt: skip

#: type_of_violence -> (event type, sub-event type) before keyword refinement.
VIOLENCE_TYPES: Final[dict[str, tuple[str, str]]] = {
    "1": ("Battles", "Armed clash"),  # state-based
    "2": ("Battles", "Armed clash"),  # non-state
    "3": ("Violence against civilians", "Attack"),  # one-sided
}

#: date_prec -> incident.v1 date precision (UCDP gives date_start/date_end itself).
DATE_PRECISION: Final[dict[str, DatePrecision]] = {
    "1": "day",  # exact day
    "2": "week",  # within 2-6 days
    "3": "week",  # within a week
    "4": "month",  # within a month
    "5": "year",  # within more than a month, less than a year
}

#: where_prec -> incident.v1 location precision (radius: incidents.vocab.PRECISION_RADIUS_M).
WHERE_PRECISION: Final[dict[str, LocationPrecision]] = {
    "1": "town",  # exact location (a town or village; "neighbourhood" by name, see below)
    "2": "district",  # within about 25 km of the point
    "3": "district",  # second-order admin area
    "4": "province",  # first-order admin area
    "5": "province",  # a linear feature or between places
    "6": "country",  # only the country
    "7": "country",  # international waters or airspace
}

#: where_prec 1 places whose name says they are part of a town.
NEIGHBOURHOOD_WORDS: Final = re.compile(r"neighbou?rhood|quarter|housing project|\bsector\b", re.I)

#: Generic words dropped from a place name before looking for it in a headline.
PLACE_NOISE: Final = frozenset(
    "town village city suburb district governorate area between with from near road".split()
)
_WORDS: Final = re.compile(r"[a-z]{4,}")


def source_id(row: Mapping[str, str]) -> str | None:
    """UCDP's event id ("301214"; "301214.0" as some exports write it)."""
    value = text(row.get("id"))
    if value is None:
        return None
    return value[:-2] if value.endswith(".0") else value


def published(value: str | None) -> dt.date | None:
    """The earliest of UCDP's ';'-separated source dates."""
    if not value:
        return None
    if ";" not in value:
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    days = []
    for part in value.split(";"):
        try:
            days.append(dt.date.fromisoformat(part.strip()))
        except ValueError:
            continue
    return min(days, default=None)


def offices(value: str | None) -> str | None:
    """UCDP source offices, de-duplicated in order: "SOHR;SOHR;Airwars" -> "SOHR; Airwars"."""
    if not value or ";" not in value:
        return (value or "").strip() or None
    names = list(dict.fromkeys(p.strip() for p in value.split(";") if p.strip()))
    return "; ".join(names) or None


def classify(
    row: Mapping[str, str], perpetrator: str | None
) -> tuple[str, str, tuple[Method, ...], str]:
    """(event type, sub-event type, methods, rule) from UCDP's type of violence and the
    keywords of its source headlines (searched, never copied). A row often carries several
    headlines (';'-joined) covering more than its own event: the ones naming the event's
    place are used when there are any."""
    return classify_fields(
        (row.get("type_of_violence") or "").strip(),
        row.get("source_headline") or "",
        row.get("where_coordinates") or "",
        perpetrator,
    )


@lru_cache(maxsize=4096)
def _place_words(where: str) -> tuple[str, ...]:
    """The words of a place name that pick its headlines (cached: place names repeat).

    >>> _place_words("Aleppo city, Aleppo governorate")
    ('aleppo', 'aleppo')
    """
    return tuple(w for w in _WORDS.findall(where.lower()) if w not in PLACE_NOISE)


def classify_fields(
    violence: str, headline: str, where: str, perpetrator: str | None
) -> tuple[str, str, tuple[Method, ...], str]:
    """``classify`` on the fields it reads: the type of violence (a key of
    ``VIOLENCE_TYPES``), the headlines and the place name (raw cells), the perpetrator's id."""
    event, sub = VIOLENCE_TYPES[violence]
    text = headline
    if ";" in text:
        headlines = [h for h in text.split(";") if h.strip()]
        place = _place_words(where)
        about_place = [h for h in headlines if any(w in h.lower() for w in place)]
        text = " ".join(about_place or headlines)
    if not text.strip():
        return event, sub, (), "default"
    return keywords.classify(
        text,
        event,
        sub,
        battle=violence in ("1", "2"),
        one_sided=violence == "3",
        air_capable=perpetrator in keywords.AIR_FORCES,
    )


def map_row(row: Mapping[str, str], ctx: Context) -> Outcome:
    """One UCDP GED row -> an incident (status ``published`` unless ``ctx.status``)."""
    skip = other_country(row.get("country"), ctx)
    if skip is not None:
        return skip
    issues: list[Issue] = []
    warnings: list[Issue] = []
    sid = source_id(row)
    if sid is None:
        issues.append(Issue("id", "UCDP event id is missing"))

    violence = (row.get("type_of_violence") or "").strip()
    where_prec = (row.get("where_prec") or "").strip()
    date_prec = (row.get("date_prec") or "").strip()
    perpetrator_text = text(row.get("side_a"))
    perpetrator = ctx.actors.resolve(perpetrator_text, UCDP_SYNONYMS)
    if violence in VIOLENCE_TYPES:
        event, sub, methods, _rule = classify(row, perpetrator)
    else:
        warnings.append(
            Issue("type_of_violence", "unknown code (1-3 expected): kept as Other", violence)
        )
        event, sub, methods = "Strategic developments", "Other", ()

    precision = WHERE_PRECISION.get(where_prec)
    if precision is None:
        warnings.append(
            Issue("where_prec", "unknown code (1-7 expected): kept as country-level", where_prec)
        )
        precision = "country"
    name = text(row.get("where_coordinates"))
    if where_prec == "1" and name and NEIGHBOURHOOD_WORDS.search(name):
        precision = "neighbourhood"
    at = point(row, "latitude", "longitude", ctx, issues)

    start = date(row.get("date_start"), "date_start", issues)
    end = date(row.get("date_end"), "date_end", issues) if text(row.get("date_end")) else start
    day_precision = DATE_PRECISION.get(date_prec)
    if day_precision is None:
        warnings.append(
            Issue("date_prec", "unknown code (1-5 expected): kept as unknown", date_prec)
        )
        day_precision = "unknown"

    low = count(row.get("low"), "low", issues)
    best = count(row.get("best"), "best", issues)
    high = count(row.get("high"), "high", issues)
    fatalities = toll_range(low, best, high, "low/best/high", warnings)
    civilians = count(row.get("deaths_civilians"), "deaths_civilians", issues)
    target_text = text(row.get("side_b"))

    if issues or sid is None or at is None or start is None or end is None:
        return Rejected(tuple(issues))
    lat, lon = at

    def build() -> Incident:
        return Incident(
            id=f"{DATASET}:{sid}",
            event_type=event,  # type: ignore[arg-type]
            sub_event_type=sub,  # type: ignore[arg-type]
            occurred=Occurred(start=start, end=end, precision=day_precision),
            location=location(lat, lon, precision, name, ctx),
            status=ctx.status or "published",
            submitted_by=SUBMITTER,
            method=methods,
            perpetrator=Perpetrator(perpetrator_text, perpetrator, "reported"),
            target=Target(target_text, ctx.actors.resolve(target_text, UCDP_SYNONYMS))
            if target_text
            else None,
            fatalities=fatalities,
            civilian_fatalities=Toll(civilians, civilians, civilians) if civilians else None,
            sources=(
                Source(
                    document_id=f"ucdp-ged:{sid}",
                    publisher=PUBLISHER,
                    published=published(row.get("source_date")),
                    attributed_to=offices(row.get("source_office")),
                ),
            ),
        )

    return finish(build, issues, warnings)
