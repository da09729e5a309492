"""An agreement as data: frozen dataclasses the engine reads.

A *scenario* (``World`` + its agreements) is what a spec folder holds: one list of actors,
one geography (zones, routes, checkpoints), attribution rules, and one or more agreements
whose rules, phases and walk-away triggers refer to them by id. Files, YAML and line
numbers belong to ``agreement.loader``; nothing here does I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal, get_args

from shapely.geometry.base import BaseGeometry

from ceasewatch.access.windows import Corridor

ZoneType = Literal["opposition", "government", "marbled", "designated-group", "contested", "city"]
ZONE_TYPES: tuple[str, ...] = get_args(ZoneType)

#: Zone types that say who controls a place. A place has at most one: zones of these types
#: may not overlap one another. ``city`` is an overlay and may overlap anything.
CONTROL_TYPES: frozenset[str] = frozenset(ZONE_TYPES) - {"city"}

ActorKind = Literal["state", "armed-group", "coalition", "bloc", "civilians", "humanitarian"]


@dataclass(frozen=True, slots=True)
class Actor:
    """A party or other actor; a ``bloc`` stands for its ``members``."""

    id: str
    name: str
    kind: ActorKind
    aliases: tuple[str, ...] = ()
    members: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Zone:
    """A polygon area with a type from ``ZONE_TYPES``."""

    id: str
    name: str
    type: ZoneType
    geometry: BaseGeometry
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Route:
    """A road with a corridor: ``corridor_m`` is the corridor's whole width in metres."""

    id: str
    name: str
    geometry: BaseGeometry
    corridor_m: float
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Checkpoint:
    id: str
    name: str
    geometry: BaseGeometry
    route: str | None = None
    operated_by: tuple[str, ...] = ()
    monitored_by: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AttributionRule:
    """ "Over these zones, only these actors use these methods."

    Applied by the engine when an incident's perpetrator is not reported: the incident's
    whole location (given its precision) must lie in ``zones`` (anywhere in the scenario's
    country when empty), and one of its methods must be in ``methods``.
    """

    id: str
    description: str
    methods: frozenset[str]
    actors: tuple[str, ...]
    zones: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open interval ``[start, end)`` of aware datetimes; ``end`` None = open."""

    start: dt.datetime
    end: dt.datetime | None = None

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or (self.end is not None and self.end.tzinfo is None):
            raise ValueError("period bounds must be timezone-aware")
        if self.end is not None and self.end <= self.start:
            raise ValueError("period end must be after its start")


@dataclass(frozen=True, slots=True)
class Place:
    """Where a rule applies: a country (ISO2) and/or zones by id or by type.

    Empty ``zones`` and ``zone_types`` mean the whole country (or anywhere, when no
    country is given).
    """

    country: str | None = None
    zones: tuple[str, ...] = ()
    zone_types: tuple[str, ...] = ()

    @property
    def is_spatial(self) -> bool:
        return bool(self.zones or self.zone_types)


RuleType = Literal["hostilities.v1", "no_fly.v1", "access.v1", "territory.v1", "access.v2"]
RULE_TYPES: tuple[str, ...] = get_args(RuleType)


@dataclass(frozen=True, slots=True)
class Rule:
    """One commitment of an agreement.

    ``covers`` lists ``(event_type, sub_event_type)`` pairs the rule judges; an incident
    of any other kind gets no finding for this rule. ``binds`` are the actors the rule
    binds (for ``no_fly.v1``: whose aircraft). ``exempt_targets`` are actors (designated
    groups) whose targeting the rule exempts.
    """

    id: str
    type: RuleType
    provision: str
    effective: Period
    binds: tuple[str, ...]
    covers: frozenset[tuple[str, str]]
    where: Place = field(default_factory=Place)
    exempt_targets: tuple[str, ...] = ()
    #: hostilities.v1 / territory.v1: who may not be attacked (parties, civilians, aid).
    protects: tuple[str, ...] = ()
    #: When the target is not reported: zone types where the exemption is presumed to
    #: apply, and zone types where whether it applies cannot be told.
    designated_zone_types: tuple[str, ...] = ("designated-group",)
    mixed_zone_types: tuple[str, ...] = ("marbled", "contested")
    #: no_fly.v1: only incidents delivered by these methods.
    methods: frozenset[str] = frozenset()
    #: access.v1: the route whose corridor the rule keeps open (access.v2: optional; without
    #: one the rule judges convoys on every route, and no incidents).
    route: str | None = None
    source_line: int | None = None
    #: access.v2: how soon after clearance a convoy must be let through (None: no limit).
    release_within: dt.timedelta | None = None
    #: access.v2: the route's checkpoints must have a designated monitor.
    monitored_checkpoints: bool = False
    #: access.v2: zone type -> actors holding such zones, to name who is presumed
    #: responsible for a convoy stopped there when no one is reported.
    controlled_by: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class ViolationsAtMost:
    """Daily condition: at most ``max`` violations that day (optionally of some parties)."""

    max: int
    parties: tuple[str, ...] = ()
    kind: Literal["violations_at_most"] = "violations_at_most"


@dataclass(frozen=True, slots=True)
class RouteOpen:
    """Daily condition: no blocking incident in the route's corridor that day."""

    route: str
    kind: Literal["route_open"] = "route_open"


@dataclass(frozen=True, slots=True)
class AccessSustained:
    """Daily condition (access.v2): the routes open, their checkpoints monitored, and no
    convoy stopped or kept waiting past its agreed time that day."""

    routes: tuple[str, ...]
    kind: Literal["access_sustained"] = "access_sustained"


DailyCondition = ViolationsAtMost | RouteOpen | AccessSustained


@dataclass(frozen=True, slots=True)
class Gate:
    """Met on the first day that ends ``consecutive_days`` days meeting every condition."""

    consecutive_days: int
    each_day: tuple[DailyCondition, ...]
    deadline: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class Phase:
    """A stage of the agreement. It starts at ``start`` or when ``after`` phase's gate is
    met; its own ``gate`` (if any) is what unlocks the phases that come after it."""

    id: str
    name: str
    description: str
    start: dt.datetime | None = None
    after: str | None = None
    duration: dt.timedelta | None = None
    gate: Gate | None = None


@dataclass(frozen=True, slots=True)
class ViolationDays:
    """Window condition: at least ``min_days`` days with ``min_per_day`` violations."""

    min_days: int
    min_per_day: int = 1
    parties: tuple[str, ...] = ()
    kind: Literal["violation_days"] = "violation_days"


@dataclass(frozen=True, slots=True)
class RouteClosedDays:
    """Window condition: the route closed on at least ``min_days`` days."""

    route: str
    min_days: int
    kind: Literal["route_closed_days"] = "route_closed_days"


WindowCondition = ViolationDays | RouteClosedDays


@dataclass(frozen=True, slots=True)
class Trigger:
    """A walk-away condition: fires on the first day whose trailing ``window_days``
    meet every condition."""

    id: str
    description: str
    window_days: int
    conditions: tuple[WindowCondition, ...]
    consequence: str = ""


@dataclass(frozen=True, slots=True)
class World:
    """What agreements of one scenario share: actors, geography, attribution rules."""

    scenario_id: str
    timezone: str
    country: str | None
    actors: tuple[Actor, ...]
    designated: tuple[str, ...] = ()
    zones: tuple[Zone, ...] = ()
    routes: tuple[Route, ...] = ()
    checkpoints: tuple[Checkpoint, ...] = ()
    attribution: tuple[AttributionRule, ...] = ()

    def actor(self, actor_id: str) -> Actor:
        for a in self.actors:
            if a.id == actor_id:
                return a
        raise KeyError(actor_id)

    def zone(self, zone_id: str) -> Zone:
        for z in self.zones:
            if z.id == zone_id:
                return z
        raise KeyError(zone_id)

    def route(self, route_id: str) -> Route:
        for r in self.routes:
            if r.id == route_id:
                return r
        raise KeyError(route_id)

    def expand(self, actor_ids: tuple[str, ...] | list[str]) -> frozenset[str]:
        """Actor ids with blocs replaced by their members (recursively)."""
        out: set[str] = set()
        todo = list(actor_ids)
        while todo:
            a = self.actor(todo.pop())
            if a.kind == "bloc":
                todo.extend(m for m in a.members if m not in out)
            else:
                out.add(a.id)
        return frozenset(out)


@dataclass(frozen=True, slots=True)
class Agreement:
    id: str
    version: str
    title: str
    world: World
    parties: tuple[str, ...]
    rules: tuple[Rule, ...]
    phases: tuple[Phase, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    attribution: tuple[AttributionRule, ...] = ()
    signed: dt.date | None = None
    summary: str = ""
    source_file: str | None = None
    corridors: tuple[Corridor, ...] = ()
    #: Parties whose liaisons must each sign a zone delineation (empty: ``parties``).
    delineation_approvers: tuple[str, ...] = ()

    @property
    def approvers(self) -> tuple[str, ...]:
        """The parties that sign zone delineations (see ``ceasewatch.delineation``)."""
        return self.delineation_approvers or self.parties

    @property
    def timezone(self) -> str:
        return self.world.timezone

    @property
    def entry_into_force(self) -> dt.datetime:
        return min(r.effective.start for r in self.rules)

    @property
    def attribution_rules(self) -> tuple[AttributionRule, ...]:
        return self.world.attribution + self.attribution


@dataclass(frozen=True, slots=True)
class Scenario:
    """A spec folder, loaded: its world, its agreements, and the files it came from."""

    id: str
    name: str
    world: World
    agreements: tuple[Agreement, ...]
    description: str = ""
    #: Relative path -> text of every file the spec is made of (for storing, exporting).
    files: tuple[tuple[str, str], ...] = ()
    #: Relative path of the bundled incident file, if the scenario ships one.
    incidents_file: str | None = None
    #: Relative path of the governorate outlines drawn under maps, if any.
    admin1_file: str | None = None
    #: Relative paths of the district outlines and of the gazetteer (``places``), if any.
    admin2_file: str | None = None
    gazetteer_file: str | None = None
    #: Relative path of the bundled access records (convoys, constraints), if any.
    access_file: str | None = None
