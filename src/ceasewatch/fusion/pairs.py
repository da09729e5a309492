"""The pair rules: may two reports be one event, how strongly, and why (docs/fusion.md).

Hard rules (any one fails: never joined directly): compatible event types, dates that
overlap given each report's date precision (plus ``max_date_slack_days``), points no
farther apart than the two precision radii together, perpetrators that do not conflict.
Supporting evidence (raises or lowers the score): methods, place names, tolls, a shared
source document. The score is the weighted mean of the features both reports speak to.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from ceasewatch.fusion.actors import ACTOR_SCORES, ActorKey, ActorMatch, actor_key, relate_actors
from ceasewatch.fusion.compat import CLOSE, event_affinity, method_affinity
from ceasewatch.fusion.names import known_alike, similarity
from ceasewatch.fusion.report import Report
from ceasewatch.fusion.settings import FusionSettings
from ceasewatch.geo.relate import EARTH_RADIUS_M
from ceasewatch.incidents.model import Incident, Source
from ceasewatch.incidents.vocab import AIR_METHODS, PRECISION_RADIUS_M

#: How much a location of each precision says about which event it is (the coarser
#: report of a pair decides).
LOCATION_SPECIFICITY: Final[dict[str, float]] = {
    "exact": 1.0,
    "neighbourhood": 1.0,
    "town": 1.0,
    "district": 0.7,
    "province": 0.45,
    "country": 0.25,
}

#: Weights of the features in the pair score.
WEIGHTS: Final[dict[str, float]] = {
    "event": 2.0,
    "date": 1.5,
    "place": 3.0,
    "actors": 1.0,
    "name": 1.5,
    "toll": 1.5,
    "method": 1.0,
    "target": 2.0,
    "document": 2.0,
}

#: Radius standing for "somewhere in the country": farther than any two points in Syria.
COUNTRY_RADIUS_M: Final = 1_500_000.0


def effective_days(start: dt.date, end: dt.date, precision: str) -> tuple[int, int]:
    """First and last day (ordinals) a report may mean, given its date precision: a
    month-dated report covers its whole month, a year-dated one its year, a week-dated
    single day the three days either side.

    >>> a, b = effective_days(dt.date(2016, 9, 19), dt.date(2016, 9, 19), "month")
    >>> dt.date.fromordinal(a), dt.date.fromordinal(b)
    (datetime.date(2016, 9, 1), datetime.date(2016, 9, 30))
    """
    first, last = start, end
    if precision in ("month", "unknown"):
        first = start.replace(day=1)
        last = end.replace(day=calendar.monthrange(end.year, end.month)[1])
    elif precision == "year":
        first, last = dt.date(start.year, 1, 1), dt.date(end.year, 12, 31)
    elif precision == "week" and (end - start).days < 6:
        first, last = start - dt.timedelta(days=3), end + dt.timedelta(days=3)
    return first.toordinal(), last.toordinal()


def radius_m(precision: str, settings: FusionSettings) -> float:
    """How far from its point a report's event may be, floored by ``min_radius_m``."""
    r = PRECISION_RADIUS_M[precision]
    return COUNTRY_RADIUS_M if math.isinf(r) else max(r, settings.min_radius_m)


@dataclass(frozen=True, slots=True)
class Prepared:
    """A report with what the pair rules read, computed once."""

    index: int
    id: str
    report: Report
    first: int
    last: int
    lat: float
    lon: float
    radius: float
    perp: ActorKey
    target: ActorKey
    deaths: int | None
    air: bool
    """Delivered from the air (an air method)."""
    documents: tuple[str, ...]
    """The documents it cites, each once, in order (a tuple: usually one, and small)."""
    claims: tuple[str, ...]
    """Each cited source as ``document_id`` plus its passage's offsets, if any."""


def prepare(
    index: int, report: Report, settings: FusionSettings, aliases: Mapping[str, str]
) -> Prepared:
    """``aliases`` as ``alias_table`` gives them."""
    inc = report.incident
    first, last = effective_days(inc.occurred.start, inc.occurred.end, inc.occurred.precision)
    deaths = None
    if inc.fatalities is not None:
        figures = [
            v
            for v in (inc.fatalities.best, inc.fatalities.low, inc.fatalities.high)
            if v is not None
        ]
        deaths = figures[0] if figures else None
    return Prepared(
        index=index,
        id=inc.id,
        report=report,
        first=first,
        last=last,
        lat=inc.location.lat,
        lon=inc.location.lon,
        radius=radius_m(inc.location.precision, settings),
        perp=actor_key(inc.perpetrator, aliases),
        target=actor_key(inc.target, aliases),
        deaths=deaths,
        air=bool(AIR_METHODS.intersection(inc.method)),
        documents=tuple(dict.fromkeys(s.document_id for s in inc.sources)),
        claims=tuple(dict.fromkeys(claim_key(s) for s in inc.sources)),
    )


def claim_key(source: Source) -> str:
    """A cited source as text: ``doc`` or ``doc@start-end``."""
    if source.start is None and source.end is None:
        return source.document_id
    return f"{source.document_id}@{source.start}-{source.end}"


def _passages(p: Prepared, document: str) -> set[tuple[int | None, int | None]] | None:
    spans = {(s.start, s.end) for s in p.report.incident.sources if s.document_id == document}
    return None if any(a is None for a, _ in spans) else spans


_M_PER_DEG: Final = 2 * math.pi * EARTH_RADIUS_M / 360


def near(a: Prepared, b: Prepared, allowed: float) -> bool:
    """A quick test that may say yes too often but never says no wrongly: the north-south
    distance alone, then a flat-earth distance with 10% to spare."""
    dy = abs(a.lat - b.lat) * _M_PER_DEG
    if dy > allowed:
        return False
    dx = abs(a.lon - b.lon) * _M_PER_DEG * math.cos(math.radians((a.lat + b.lat) / 2))
    return dx * dx + dy * dy <= (allowed * 1.1) ** 2


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on the mean Earth sphere (haversine), metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(slots=True)
class Evidence:
    """Why two reports may be one event: the score and the facts behind it."""

    a: Prepared
    b: Prepared
    score: float
    gap_days: int
    distance_m: float
    event: float
    actors: ActorMatch
    target: float | None
    name: float | None
    toll: float | None
    method: float | None
    shared: tuple[str, ...]

    def sentence(self) -> str:
        return describe(self)


@dataclass(slots=True)
class Blocked:
    """Why two reports can never be joined directly."""

    rule: str
    why: str


def _date_score(a: Prepared, b: Prepared, gap: int, slack: int) -> float:
    widest = max(a.last - a.first, b.last - b.first) + 1
    spec = 1.0 if widest <= 1 else 0.75 if widest <= 7 else 0.55 if widest <= 31 else 0.4
    return spec if gap <= 0 else spec * 0.6 if gap <= slack else 0.0


def toll_score(x: int, y: int) -> float:
    """How well two death tolls agree, allowing the usual spread between sources (one or
    two at small counts, a quarter at large ones).

    >>> [round(toll_score(*p), 2) for p in ((21, 20), (5, 7), (1, 3), (3, 29), (1, 82))]
    [0.98, 0.65, 0.43, 0.09, 0.07]
    """
    diff, tolerance = abs(x - y), 1.0 + 0.25 * max(x, y)
    return 1.0 / (1.0 + (diff / tolerance) ** 2)


def evaluate_pair(
    a: Prepared, b: Prepared, settings: FusionSettings, *, within_cluster: bool = False
) -> Evidence | Blocked:
    """Apply the pair rules to two reports (in either order: the result is symmetric).

    ``within_cluster`` scores two reports already linked through others: their dates may
    then be up to twice the slack apart (each a day off the event, in opposite
    directions), the date counting nothing towards the score."""
    if b.id < a.id:
        a, b = b, a
    ia, ib = a.report.incident, b.report.incident
    gap = max(a.first, b.first) - min(a.last, b.last)
    slack = settings.max_date_slack_days
    if gap > slack and not (within_cluster and gap <= 2 * slack):
        return Blocked("date", f"dates {gap} days apart")
    event = event_affinity(ia.event_type, ia.sub_event_type, ib.event_type, ib.sub_event_type)
    if event is None:
        return Blocked("event", f"{_etype(ia)} and {_etype(ib)} are not the same kind of event")
    allowed = a.radius + b.radius
    if not near(a, b, allowed):
        return Blocked("place", f"more than {allowed / 1000:.0f} km apart")
    d = distance_m(a.lat, a.lon, b.lat, b.lon)
    if d > allowed:
        return Blocked("place", f"{d / 1000:.1f} km apart, beyond {allowed / 1000:.0f} km")
    shared = tuple(sorted(d for d in a.documents if d in b.documents))
    for document in shared:
        pa, pb = _passages(a, document), _passages(b, document)
        if pa and pb and not pa & pb:
            return Blocked(
                "document", f"{document} reports them in different passages, as two events"
            )
    if settings.air_forces:
        for x, y in ((a, b), (b, a)):
            if x.air and y.perp.id is not None:
                if y.perp.id not in settings.air_forces and y.perp.id not in settings.blocs:
                    return Blocked(
                        "actors", f"{x.id} is an air strike and {y.perp.id} has no aircraft"
                    )
    sides = "Battles" in (ia.event_type, ib.event_type)
    actors = relate_actors(a.perp, a.target, b.perp, b.target, settings.blocs, sides=sides)
    if actors == "conflict":
        return Blocked("actors", f"perpetrators {a.perp.label()} and {b.perp.label()} conflict")

    w = WEIGHTS
    spec = min(
        LOCATION_SPECIFICITY[ia.location.precision], LOCATION_SPECIFICITY[ib.location.precision]
    )
    total = (
        w["event"] * event
        + w["date"] * _date_score(a, b, gap, slack)
        + w["place"] * spec * (1.0 - 0.5 * d / allowed)
        + w["actors"] * ACTOR_SCORES[actors]
    )
    weight = w["event"] + w["date"] + w["place"] + w["actors"]
    name = None
    if ia.location.name and ib.location.name:
        name = similarity(ia.location.name, ib.location.name)
        if name < 1.0 and known_alike(ia.location.name, ib.location.name, settings.place_names):
            name = 1.0
        total += w["name"] * name
        weight += w["name"]
    toll = None
    if a.deaths is not None and b.deaths is not None:
        toll = toll_score(a.deaths, b.deaths)
        total += w["toll"] * toll
        weight += w["toll"]
    target = None
    if actors == "reversed":
        target = 1.0
    elif a.target.id and b.target.id:
        target = 1.0 if a.target.id == b.target.id else 0.3
    elif a.target.text and b.target.text and a.target.text == b.target.text:
        target = 1.0
    if target is not None:
        total += w["target"] * target
        weight += w["target"]
    method = method_affinity(ia.method, ib.method) if ia.method and ib.method else None
    if method is not None:
        total += w["method"] * method
        weight += w["method"]
    if shared:
        total += w["document"]
        weight += w["document"]
    return Evidence(
        a, b, round(total / weight, 4), gap, d, event, actors, target, name, toll, method, shared
    )


def _etype(inc: Incident) -> str:
    return f"{inc.event_type} / {inc.sub_event_type}"


def _day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def _span(p: Prepared) -> str:
    occ = p.report.incident.occurred
    if p.first == p.last:
        return _day(p.first)
    text = f"{_day(p.first)}–{_day(p.last)}"
    return text if occ.precision == "day" else f"{text} ({occ.precision} precision)"


def describe(e: Evidence) -> str:
    """The evidence as one sentence a reader can check."""
    a, b = e.a, e.b
    ia, ib = a.report.incident, b.report.incident
    parts: list[str] = []
    if a.first == a.last == b.first == b.last:
        parts.append(f"same day {_day(a.first)}")
    elif e.gap_days > 0:
        parts.append(
            f"{e.gap_days} day{'s' if e.gap_days > 1 else ''} apart ({_span(a)} and {_span(b)}), "
            f"within the {e.gap_days}-day slack"
        )
    else:
        parts.append(f"overlapping dates {_span(a)} and {_span(b)}")
    pa, pb = ia.location.precision, ib.location.precision
    within = pa if pa == pb else f"{pa} and {pb}"
    parts.append(f"{e.distance_m / 1000:.1f} km apart within {within} precision")
    if (ia.event_type, ia.sub_event_type) == (ib.event_type, ib.sub_event_type):
        parts.append(f"both {_etype(ia)}")
    else:
        kind = "close" if e.event >= CLOSE else "related"
        parts.append(f"{_etype(ia)} and {_etype(ib)} ({kind})")
    if e.actors == "same":
        parts.append(f"both by {a.perp.label()}")
    elif e.actors == "reversed":
        parts.append(
            f"sides {a.perp.label()}/{a.target.label()} and {b.perp.label()}/{b.target.label()} "
            "(the same sides, named the other way round)"
        )
    elif e.actors == "bloc":
        parts.append(f"perpetrator {a.perp.label()} vs {b.perp.label()} (one bloc)")
    else:
        parts.append(f"perpetrator {a.perp.label()} vs {b.perp.label()} (compatible)")
    if e.target is not None and e.actors != "reversed":
        same = "the same target" if e.target == 1.0 else "different targets"
        parts.append(f"{same} ({a.target.label()} and {b.target.label()})")
    if e.name is not None:
        alike = "alike" if e.name >= 0.8 else "unlike" if e.name < 0.5 else "partly alike"
        parts.append(
            f"place names '{ia.location.name}' and '{ib.location.name}' {alike} ({e.name:.2f})"
        )
    if e.toll is not None:
        near = "close" if e.toll >= 0.5 else "far apart"
        parts.append(f"deaths {a.deaths} and {b.deaths} {near}")
    if e.shared:
        parts.append("both cite " + ", ".join(e.shared))
    return f"{a.id} and {b.id}: " + ", ".join(parts) + f" (score {e.score:.2f})"


def alias_table(aliases: Mapping[str, str]) -> dict[str, str]:
    """Aliases keyed as ``actor_key`` looks them up (lower case, single spaces). The last
    table is kept: fusion and grading ask for the same settings' table once per cluster."""
    last = _LAST_ALIASES
    if last and last[0] is aliases and last[2] == len(aliases):
        return last[1]  # type: ignore[no-any-return]
    table = {" ".join(k.lower().split()): v for k, v in aliases.items()}
    _LAST_ALIASES[:] = [aliases, table, len(aliases)]
    return table


_LAST_ALIASES: list[Any] = []
