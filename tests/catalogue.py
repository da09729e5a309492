"""A catalogue of zone shapes and probe points, plus builders for worlds, rules, incidents.

Everything is built directly from the model's dataclasses (no spec files), around
37.0E 36.0N. Distances: 0.0111 deg of longitude and 0.0090 deg of latitude are about 1 km
there. Each shape is 4-8 km across and sits in its own strip of longitude, so all of them
fit in one world without touching.

Each probe says what the geometry (as drawn, in lon/lat) makes of it:

- ``inside``: the whole location (point + precision radius) lies in the zone;
- ``edge``: an exact point on the zone's boundary, which counts as inside (edge policy);
- ``outside``: no part of the location lies in the zone;
- ``straddle``: an imprecise location whose disc crosses the zone's edge.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from shapely.geometry import LineString, MultiPolygon, Polygon, box
from shapely.geometry.base import BaseGeometry

from ceasewatch.agreement.loader import DEFAULT_COVERS
from ceasewatch.agreement.model import (
    Actor,
    Agreement,
    AttributionRule,
    Period,
    Place,
    Route,
    Rule,
    World,
    Zone,
    ZoneType,
)
from ceasewatch.agreement.references import expand_selectors
from ceasewatch.evaluate.engine import evaluate
from ceasewatch.evaluate.finding import Finding
from ceasewatch.incidents.model import (
    Incident,
    Location,
    LocationPrecision,
    Occurred,
    Perpetrator,
    Target,
)
from ceasewatch.incidents.vocab import AIR_METHODS

Kind = Literal["inside", "edge", "outside", "straddle"]

#: What each kind of probe should get from a rule that binds the perpetrator.
EXPECTED_VERDICT: dict[str, str] = {
    "inside": "violation",
    "edge": "violation",
    "outside": "not_applicable",
    "straddle": "undetermined",
}

TIMEZONE = "Asia/Damascus"
COUNTRY = "SY"
#: The rules' period: D = 12 Sep 2016 19:00 Damascus time (UTC+3 then), for a week.
START = dt.datetime(2016, 9, 12, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=3)))
END = START + dt.timedelta(days=7)
#: A day well inside the period, and the moment evaluations speak for.
DAY = dt.date(2016, 9, 15)
AS_OF = dt.datetime(2016, 10, 1, tzinfo=dt.UTC)

ACTORS: tuple[Actor, ...] = (
    Actor("gov", "Government forces", "state"),
    Actor("ally", "Allied air force", "state"),
    Actor("opp", "Armed opposition", "armed-group"),
    Actor("jihadi", "Designated group", "armed-group"),
    Actor("outsider", "A state not party to the agreement", "state"),
    Actor("civilians", "Civilians", "civilians"),
    Actor("aid", "Aid workers", "humanitarian"),
    Actor("pro-gov", "Government and ally", "bloc", members=("gov", "ally")),
)
PARTIES = ("gov", "opp")
DESIGNATED = ("jihadi",)


@dataclass(frozen=True)
class Probe:
    name: str
    lon: float
    lat: float
    kind: Kind
    precision: LocationPrecision = "exact"
    #: True for exact points on a straight edge between two vertices (not at a vertex).
    mid_edge: bool = False

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Shape:
    """A zone geometry with its probes, and a route through it with corridor probes."""

    name: str
    geometry: BaseGeometry
    probes: tuple[Probe, ...]
    route: BaseGeometry
    corridor_m: float = 1_000.0
    corridor_probes: tuple[Probe, ...] = field(default=())

    def __str__(self) -> str:
        return self.name

    def zone(self, type: ZoneType = "opposition") -> Zone:
        return Zone(f"{self.name}-zone", f"The {self.name} zone", type, self.geometry)

    def as_route(self) -> Route:
        return Route(f"{self.name}-road", f"Road through {self.name}", self.route, self.corridor_m)


def _p(
    name: str, lon: float, lat: float, kind: Kind, precision: LocationPrecision = "exact"
) -> Probe:
    return Probe(name, lon, lat, kind, precision)


def _mid(name: str, lon: float, lat: float) -> Probe:
    return Probe(name, lon, lat, "edge", "exact", mid_edge=True)


def _route_and_probes(geometry: BaseGeometry) -> tuple[LineString, tuple[Probe, ...]]:
    """A bent road across the shape at 36.0N, 1 km corridor (500 m each side)."""
    xmin, _, xmax, _ = geometry.bounds
    cx = round((xmin + xmax) / 2, 4)
    q = round((xmin + cx) / 2, 4)  # halfway along the first segment
    road = LineString([(xmin, 36.0), (cx, 36.0), (xmax, 36.01)])
    probes = (
        _p("on-route-vertex", cx, 36.0, "inside"),
        _p("on-route", q, 36.0, "inside"),
        _p("beside-route-250m", q, 36.00225, "inside"),
        _p("off-corridor-2km", q, 36.018, "outside"),
        _p("beyond-route-end-2km", xmax + 0.0222, 36.01, "outside"),
        _p("on-route-imprecise", q, 36.0, "straddle", "neighbourhood"),
        _p("beside-route-imprecise", q, 36.00225, "straddle", "neighbourhood"),
        _p("off-corridor-imprecise", q, 36.018, "outside", "neighbourhood"),
    )
    return road, probes


def _shape(name: str, geometry: BaseGeometry, probes: Iterable[Probe]) -> Shape:
    road, corridor = _route_and_probes(geometry)
    return Shape(name, geometry, tuple(probes), road, corridor_probes=corridor)


SQUARE = _shape(
    "square",
    box(36.96, 35.97, 37.04, 36.03),
    (
        _p("centre", 37.0, 36.0, "inside"),
        _p("centre-imprecise", 37.0, 36.0, "inside", "neighbourhood"),
        _p("vertex", 36.96, 35.97, "edge"),
        _mid("mid-south-edge", 37.0, 35.97),
        _mid("mid-north-edge", 37.0, 36.03),
        _mid("mid-west-edge", 36.96, 36.0),
        _p("outside-5km", 37.10, 36.0, "outside"),
        _p("outside-5km-imprecise", 37.10, 36.0, "outside", "neighbourhood"),
        _p("300m-inside-edge-imprecise", 37.0, 35.9727, "straddle", "neighbourhood"),
        _p("300m-outside-edge-imprecise", 37.0, 35.9673, "straddle", "neighbourhood"),
        _p("300m-outside-edge", 37.0, 35.9673, "outside"),
    ),
)

HOLED = _shape(
    "holed",
    Polygon(
        box(37.16, 35.97, 37.24, 36.03).exterior.coords,
        [box(37.18, 35.985, 37.22, 36.015).exterior.coords],
    ),
    (
        _p("in-ring", 37.17, 36.0, "inside"),
        _p("in-hole", 37.2, 36.0, "outside"),
        _p("in-hole-imprecise", 37.2, 36.0, "outside", "neighbourhood"),
        _p("hole-vertex", 37.18, 35.985, "edge"),
        _p("outer-vertex", 37.24, 36.03, "edge"),
        _mid("mid-south-edge", 37.2, 35.97),
        _mid("mid-hole-north-edge", 37.2, 36.015),
        _mid("mid-hole-west-edge", 37.18, 36.0),
        _p("in-hole-300m-from-its-edge-imprecise", 37.1833, 36.0, "straddle", "neighbourhood"),
        _p("outside-3km", 37.2, 36.06, "outside"),
    ),
)

TWO_PARTS = _shape(
    "two-parts",
    MultiPolygon([box(37.36, 35.97, 37.40, 36.03), box(37.44, 35.97, 37.48, 36.03)]),
    (
        _p("in-first-part", 37.38, 36.0, "inside"),
        _p("in-second-part", 37.46, 36.0, "inside"),
        _p("in-second-part-imprecise", 37.46, 36.0, "inside", "neighbourhood"),
        _p("between-parts", 37.42, 36.0, "outside"),
        _p("between-parts-imprecise", 37.42, 36.0, "outside", "neighbourhood"),
        _p("second-part-vertex", 37.44, 36.03, "edge"),
        _mid("mid-south-edge-of-second-part", 37.46, 35.97),
        _p("300m-from-second-part-imprecise", 37.4367, 36.0, "straddle", "neighbourhood"),
        _p("outside-3km", 37.46, 36.06, "outside"),
    ),
)

SLIVER = _shape(
    "sliver",
    box(37.56, 35.999, 37.64, 36.001),  # 7 km long, about 220 m wide
    (
        _p("on-centre-line", 37.60, 36.0, "inside"),
        _p("on-centre-line-imprecise", 37.60, 36.0, "straddle", "neighbourhood"),
        _p("vertex", 37.64, 36.001, "edge"),
        _mid("mid-south-edge", 37.60, 35.999),
        _p("220m-beside", 37.60, 36.003, "outside"),
        _p("220m-beside-imprecise", 37.60, 36.003, "straddle", "neighbourhood"),
        _p("outside-2km", 37.60, 36.02, "outside"),
        _p("outside-2km-imprecise", 37.60, 36.02, "outside", "neighbourhood"),
    ),
)

U_SHAPE = _shape(
    "u-shape",
    Polygon(
        [
            (37.76, 35.97),
            (37.84, 35.97),
            (37.84, 36.03),
            (37.82, 36.03),
            (37.82, 35.985),
            (37.78, 35.985),
            (37.78, 36.03),
            (37.76, 36.03),
        ]
    ),
    (
        _p("in-arm", 37.77, 36.0, "inside"),
        _p("in-base", 37.80, 35.975, "inside"),
        _p("in-notch", 37.80, 36.01, "outside"),
        _p("in-notch-imprecise", 37.80, 36.01, "outside", "neighbourhood"),
        _p("inner-corner-vertex", 37.78, 35.985, "edge"),
        _p("arm-tip-vertex", 37.82, 36.03, "edge"),
        _mid("mid-south-edge", 37.80, 35.97),
        _mid("mid-notch-bottom-edge", 37.80, 35.985),
        _mid("mid-arm-inner-edge", 37.78, 36.01),
        _p("in-notch-300m-from-arm-imprecise", 37.7833, 36.01, "straddle", "neighbourhood"),
        _p("outside-3km", 37.80, 36.06, "outside"),
    ),
)

SHAPES: tuple[Shape, ...] = (SQUARE, HOLED, TWO_PARTS, SLIVER, U_SHAPE)


# --- builders ---------------------------------------------------------------------------

_ids = itertools.count(1)


def make_world(
    zones: Sequence[Zone] = (),
    routes: Sequence[Route] = (),
    attribution: Sequence[AttributionRule] = (),
) -> World:
    return World(
        scenario_id="catalogue",
        timezone=TIMEZONE,
        country=COUNTRY,
        actors=ACTORS,
        designated=DESIGNATED,
        zones=tuple(zones),
        routes=tuple(routes),
        attribution=tuple(attribution),
    )


def make_agreement(world: World, rules: Sequence[Rule], **overrides: Any) -> Agreement:
    fields: dict[str, Any] = {
        "id": "catalogue-terms",
        "version": "1",
        "title": "Catalogue terms",
        "world": world,
        "parties": PARTIES,
        "rules": tuple(rules),
    }
    fields.update(overrides)
    return Agreement(**fields)


def rule(type: str, **overrides: Any) -> Rule:
    """A valid rule of ``type`` with the loader's defaults; ``where``, ``route`` etc. as
    overrides. ``covers`` may be given as selectors ("Battles > Armed clash")."""
    covers = overrides.pop("covers", DEFAULT_COVERS[type])
    fields: dict[str, Any] = {
        "id": type.split(".")[0].replace("_", "-"),
        "type": type,
        "provision": f"A {type} commitment.",
        "effective": Period(START, END),
        "binds": PARTIES,
        "covers": expand_selectors(covers) if not isinstance(covers, frozenset) else covers,
    }
    if type in ("hostilities.v1", "territory.v1"):
        fields["exempt_targets"] = DESIGNATED
        fields["protects"] = (*PARTIES, "civilians", "aid")
    if type == "no_fly.v1":
        fields["binds"] = ("gov",)
        fields["methods"] = AIR_METHODS
        fields["where"] = Place(zone_types=("opposition",))
    if type == "access.v1" and "route" not in overrides:
        raise ValueError("an access.v1 rule needs route=")
    fields.update(overrides)
    return Rule(**fields)


def zone_rule(type: str, shape: Shape, **overrides: Any) -> Rule:
    """A rule of ``type`` whose place is the shape's zone (its corridor for access.v1)."""
    if type == "access.v1":
        return rule(type, route=shape.as_route().id, **overrides)
    if type == "no_fly.v1":
        return rule(type, **overrides)  # zone_types=opposition: the shape's zone type
    return rule(type, where=Place(zones=(shape.zone().id,)), **overrides)


#: Incident fields that make an incident of the kind each rule type judges.
KINDS: dict[str, dict[str, Any]] = {
    "hostilities.v1": {},
    "no_fly.v1": {},
    "access.v1": {},
    "territory.v1": {
        "event_type": "Battles",
        "sub_event_type": "Government regains territory",
        "method": (),
        "target": Target("opposition fighters", "opp"),
    },
}


def incident(
    lon: float, lat: float, precision: LocationPrecision = "exact", **overrides: Any
) -> Incident:
    """An air strike by ``gov`` on civilians at (lon, lat) on ``DAY``; any field overridable
    (``occurred`` may be a date, ``perpetrator``/``target`` an actor id or None)."""
    occurred = overrides.pop("occurred", DAY)
    if isinstance(occurred, dt.date):
        occurred = Occurred(occurred, occurred)
    perpetrator = overrides.pop("perpetrator", "gov")
    if perpetrator is None or isinstance(perpetrator, str):
        perpetrator = Perpetrator(
            text=perpetrator,
            actor=perpetrator,
            attribution="reported" if perpetrator else "unknown",
        )
    target = overrides.pop("target", "civilians")
    if isinstance(target, str):
        target = Target(target, target)
    fields: dict[str, Any] = {
        "id": f"inc-{next(_ids)}",
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "occurred": occurred,
        "location": Location(lat=lat, lon=lon, precision=precision, country=COUNTRY),
        "method": ("airstrike",),
        "perpetrator": perpetrator,
        "target": target,
    }
    fields.update(overrides)
    return Incident(**fields)


def at(probe: Probe, **overrides: Any) -> Incident:
    return incident(probe.lon, probe.lat, probe.precision, **overrides)


def judge(
    agreements: Agreement | Sequence[Agreement], incidents: Sequence[Incident]
) -> dict[tuple[str, str], Finding]:
    """Findings by (incident id, rule id)."""
    if isinstance(agreements, Agreement):
        agreements = [agreements]
    ev = evaluate(agreements, incidents, as_of=AS_OF)
    out: dict[tuple[str, str], Finding] = {}
    for f in ev.findings():
        key = (f.incident_id, f.rule_id)
        assert key not in out, f"two findings for {key}"
        out[key] = f
    return out


def only_finding(agreement: Agreement, inc: Incident) -> Finding:
    """The single finding of a one-rule agreement for one incident."""
    found = judge(agreement, [inc])
    assert len(found) == 1, f"expected one finding, got {sorted(found)}"
    return next(iter(found.values()))
