"""ACLED CSV export -> incident.v1.

Call ``map_row(row, ctx)`` with one CSV row as a ``dict`` of column -> text. Pure: no I/O.
Works on the 31-column exports (with ``data_id``, ``iso3``) and the current ones (with
``disorder_type``, ``civilian_targeting``, ``tags``); only the columns in ``REQUIRED``
must be there. ``notes`` (ACLED's prose) is never copied into the incident. Tables:
docs/import.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
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
from ceasewatch.ingest.common import finish, location, other_country, point
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.fields import count, date, text
from ceasewatch.ingest.result import Issue, Outcome, Rejected, Skipped

DATASET: Final = "acled"
PUBLISHER: Final = "ACLED"
SUBMITTER: Final = "acled"
DELIMITER: Final = ","

REQUIRED: Final = (
    "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1",
    "latitude", "longitude",
)  # fmt: skip

#: Every column of ACLED's exports, old (31 columns: ``data_id``, ``iso3``) and current
#: (``disorder_type``, ``civilian_targeting``, ``tags``): a header column outside this list
#: is named in a warning (a misspelt header would otherwise lose its values silently).
KNOWN: Final = (
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year",
    "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
    "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2", "interaction",
    "civilian_targeting", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
    "tags", "timestamp", "iso3",
)  # fmt: skip

_SD: Final = "Strategic developments"
_ER: Final = "Explosions/Remote violence"
_VAC: Final = "Violence against civilians"

#: (event_type, sub_event_type) -> (incident.v1 event type, sub-event type, methods).
#: Compared case-insensitively. Pairs not here: "Strategic developments"/"Other" + warning.
EVENT_TYPES: Final[dict[tuple[str, str], tuple[str, str, tuple[Method, ...]]]] = {
    ("Battles", "Armed clash"): ("Battles", "Armed clash", ()),
    ("Battles", "Government regains territory"): ("Battles", "Government regains territory", ()),
    ("Battles", "Non-state actor overtakes territory"): (
        "Battles", "Non-state actor overtakes territory", ()),
    (_ER, "Chemical weapon"): (_ER, "Chemical weapon", ("chemical",)),
    (_ER, "Air/drone strike"): (_ER, "Air/drone strike", ("airstrike",)),
    (_ER, "Suicide bomb"): (_ER, "Suicide bomb", ("suicide_bombing",)),
    (_ER, "Shelling/artillery/missile attack"): (
        _ER, "Shelling/artillery/missile attack", ("shelling",)),
    (_ER, "Remote explosive/landmine/IED"): (_ER, "Remote explosive/landmine/IED", ("ied",)),
    (_ER, "Grenade"): (_ER, "Grenade", ("grenade",)),
    (_VAC, "Sexual violence"): (_VAC, "Sexual violence", ()),
    (_VAC, "Attack"): (_VAC, "Attack", ()),
    (_VAC, "Abduction/forced disappearance"): (
        _VAC, "Abduction/forced disappearance", ("abduction",)),
    ("Riots", "Violent demonstration"): ("Riots", "Violent demonstration", ()),
    ("Riots", "Mob violence"): ("Riots", "Mob violence", ()),
    # force used on protesters is violence against civilians in incident.v1
    ("Protests", "Excessive force against protesters"): (_VAC, "Attack", ()),
    ("Protests", "Excessive force against protestors"): (_VAC, "Attack", ()),
    (_SD, "Disrupted weapons use"): (_SD, "Disrupted weapons use", ()),
    (_SD, "Looting/property destruction"): (_SD, "Looting/property destruction", ("looting",)),
    (_SD, "Non-violent transfer of territory"): (_SD, "Non-violent transfer of territory", ()),
    (_SD, "Other"): (_SD, "Other", ()),
    (_SD, "Agreement"): (_SD, "Other", ()),
    (_SD, "Arrests"): (_SD, "Other", ()),
    (_SD, "Change to group/activity"): (_SD, "Other", ()),
    (_SD, "Headquarters or base established"): (_SD, "Other", ()),
}  # fmt: skip
_TYPES: Final = {(a.casefold(), b.casefold()): v for (a, b), v in EVENT_TYPES.items()}

#: ACLED (event_type, sub_event_type) pairs outside incident.v1: skipped, counted.
SKIPPED: Final = frozenset(
    {("protests", "peaceful protest"), ("protests", "protest with intervention")}
)

#: geo_precision -> location precision.
GEO_PRECISION: Final[dict[str, LocationPrecision]] = {
    "1": "town",  # the named town (or a part of it)
    "2": "district",  # near a town, or a small area: the nearest town is given
    "3": "province",  # only a larger region: its centroid or capital is given
}

#: time_precision -> (date precision, days before, days after the given date); 3 = the
#: whole calendar month of the given date.
TIME_PRECISION: Final[dict[str, tuple[DatePrecision, int, int]]] = {
    "1": ("day", 0, 0),  # the actual day
    "2": ("week", 3, 3),  # a week or weekend: the middle day is given
    "3": ("month", 0, 0),  # only the month is known
}


def source_id(row: Mapping[str, str]) -> str | None:
    return text(row.get("event_id_cnty"))


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return first, nxt - dt.timedelta(days=1)


def map_row(row: Mapping[str, str], ctx: Context) -> Outcome:
    """One ACLED row -> an incident (status ``published`` unless ``ctx.status``)."""
    codes = (ctx.country.acled_iso,) if ctx.country else ()
    skip = other_country(row.get("country") or row.get("iso3"), ctx, *codes)
    if skip is not None:
        return skip
    issues: list[Issue] = []
    warnings: list[Issue] = []
    sid = source_id(row)
    if sid is None:
        issues.append(Issue("event_id_cnty", "ACLED event id is missing"))

    etype = (row.get("event_type") or "").strip()
    stype = (row.get("sub_event_type") or "").strip()
    key = (etype.casefold(), stype.casefold())
    if key in SKIPPED:
        return Skipped(f"ACLED {etype} / {stype} is outside incident.v1")
    mapped = _TYPES.get(key)
    if mapped is None:
        warnings.append(
            Issue(
                "event_type/sub_event_type",
                "not in ACLED's vocabulary as ceasewatch knows it: kept as "
                "Strategic developments / Other",
                f"{etype} / {stype}",
            )
        )
        mapped = (_SD, "Other", ())
    event, sub, methods = mapped

    day = date(row.get("event_date"), "event_date", issues)
    tp = (row.get("time_precision") or "").strip()
    timing: tuple[DatePrecision, int, int] = TIME_PRECISION.get(tp) or ("unknown", 0, 0)
    if tp not in TIME_PRECISION:
        warnings.append(Issue("time_precision", "unknown code (1-3 expected): kept as unknown", tp))

    gp = (row.get("geo_precision") or "").strip()
    precision = GEO_PRECISION.get(gp)
    if precision is None:
        warnings.append(
            Issue("geo_precision", "unknown code (1-3 expected): kept as country-level", gp)
        )
        precision = "country"
    at = point(row, "latitude", "longitude", ctx, issues)
    deaths = count(row.get("fatalities"), "fatalities", issues)
    stamp = count(row.get("timestamp"), "timestamp", issues)

    if issues or sid is None or day is None or at is None:
        return Rejected(tuple(issues))
    lat, lon = at
    day_precision, before, after = timing
    if tp == "3":
        start, end = _month(day)
    else:
        start, end = day - dt.timedelta(days=before), day + dt.timedelta(days=after)
    actor1, actor2 = text(row.get("actor1")), text(row.get("actor2"))
    published = dt.datetime.fromtimestamp(stamp, dt.UTC).date() if stamp else None

    def build() -> Incident:
        return Incident(
            id=f"{DATASET}:{sid}",
            event_type=event,  # type: ignore[arg-type]
            sub_event_type=sub,  # type: ignore[arg-type]
            occurred=Occurred(start=start, end=end, precision=day_precision),
            location=location(lat, lon, precision, text(row.get("location")), ctx),
            status=ctx.status or "published",
            submitted_by=SUBMITTER,
            method=methods,
            perpetrator=Perpetrator(actor1, ctx.actors.resolve(actor1), "reported"),
            target=Target(actor2, ctx.actors.resolve(actor2)) if actor2 else None,
            # ACLED codes the most conservative reported figure: "at least"
            fatalities=Toll(deaths, deaths, None) if deaths is not None else None,
            sources=(
                Source(
                    document_id=f"acled:{sid}",
                    publisher=PUBLISHER,
                    published=published,
                    attributed_to=text(row.get("source")),
                ),
            ),
        )

    return finish(build, issues, warnings)
