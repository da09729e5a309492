"""The file formats of a spec folder, as pydantic models (the edge).

``ceasewatch.scenario.v1`` (scenario.yaml): actors, designated groups, geography files,
attribution rules, and the list of agreement files. ``ceasewatch.agreement.v1``: one
agreement's parties, rules, phases and walk-away triggers. Field-level checks live here;
checks that follow references between documents live in ``agreement.validate``.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    field_validator,
    model_validator,
)

from ceasewatch.agreement.model import RuleType, ZoneType
from ceasewatch.incidents.model import Method

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=1, max_length=80)]

_DURATION = re.compile(r"^\s*(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?\s*$", re.I)
_ISO_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?)?$", re.I)


def parse_duration(value: object) -> dt.timedelta:
    """``48h``, ``7d``, ``1d 12h``, ``90m`` or ISO 8601 ``PT48H`` -> timedelta.

    >>> parse_duration("48h"), parse_duration("PT1H30M"), parse_duration("7d")
    (datetime.timedelta(days=2), datetime.timedelta(seconds=5400), datetime.timedelta(days=7))
    """
    if isinstance(value, dt.timedelta):
        return value
    text = str(value).strip()
    m = _DURATION.match(text) or _ISO_DURATION.match(text)
    if not text or m is None or not any(m.groups()):
        raise ValueError(f"{text!r} is not a duration — write e.g. 48h, 7d, 1d 12h or PT48H")
    days, hours, minutes = (int(g) if g else 0 for g in m.groups())
    delta = dt.timedelta(days=days, hours=hours, minutes=minutes)
    if delta <= dt.timedelta(0):
        raise ValueError("a duration must be longer than zero")
    return delta


Duration = Annotated[dt.timedelta, BeforeValidator(parse_duration)]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ActorDoc(_Doc):
    id: Slug
    name: str
    kind: Literal["state", "armed-group", "coalition", "bloc", "civilians", "humanitarian"]
    aliases: list[str] = []
    members: list[Slug] = []
    note: str | None = None

    @model_validator(mode="after")
    def _bloc_has_members(self) -> ActorDoc:
        if self.kind == "bloc" and not self.members:
            raise ValueError("a bloc needs members: list the actor ids it stands for")
        if self.kind != "bloc" and self.members:
            raise ValueError("only an actor of kind 'bloc' has members")
        return self


class GeographyDoc(_Doc):
    zones: str | None = None
    routes: str | None = None
    checkpoints: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    gazetteer: str | None = None


class AttributionDoc(_Doc):
    id: Slug
    description: str
    methods: list[Method] = Field(min_length=1)
    actors: list[Slug] = Field(min_length=1)
    zones: list[Slug] = []


class ScenarioDoc(_Doc):
    spec: Literal["ceasewatch.scenario.v1"]
    id: Slug
    name: str
    description: str = ""
    timezone: str
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    actors: list[ActorDoc] = Field(min_length=1)
    designated: list[Slug] = []
    geography: GeographyDoc = GeographyDoc()
    attribution: list[AttributionDoc] = []
    agreements: list[str] = Field(min_length=1)
    incidents: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown timezone {value!r} — use an IANA name such as Asia/Damascus"
            ) from None
        return value


class EffectiveDoc(_Doc):
    """When a rule is in force: ``start`` plus either ``end`` or ``duration`` (or open)."""

    start: AwareDatetime
    end: AwareDatetime | None = None
    duration: Duration | None = None

    @model_validator(mode="after")
    def _one_end(self) -> EffectiveDoc:
        if self.end is not None and self.duration is not None:
            raise ValueError("give either end or duration, not both")
        if self.end is not None and self.end <= self.start:
            raise ValueError("end must be after start")
        return self

    @property
    def until(self) -> dt.datetime | None:
        if self.duration is not None:
            return self.start + self.duration
        return self.end


class PlaceDoc(_Doc):
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    zones: list[Slug] = []
    zone_types: list[ZoneType] = []


class RuleDoc(_Doc):
    id: Slug
    type: RuleType
    provision: str = Field(min_length=1)
    effective: EffectiveDoc
    binds: list[Slug] | None = None
    covers: list[str] | None = None
    where: PlaceDoc = PlaceDoc()
    exempt_targets: list[Slug] | None = None
    protects: list[Slug] | None = None
    designated_zone_types: list[ZoneType] | None = None
    mixed_zone_types: list[ZoneType] | None = None
    methods: list[Method] | None = None
    route: Slug | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _type_needs(self) -> RuleDoc:
        if self.type == "access.v1" and self.route is None:
            raise ValueError("an access.v1 rule needs `route:` (the id of a route)")
        if self.type != "access.v1" and self.route is not None:
            raise ValueError(f"`route:` belongs to access.v1 rules, not {self.type}")
        if self.type == "no_fly.v1" and not (self.where.zones or self.where.zone_types):
            raise ValueError(
                "a no_fly.v1 rule needs `where: {zone_types: [...]}` or `where: {zones: [...]}`"
            )
        return self


class ViolationsAtMostDoc(_Doc):
    max: int = Field(ge=0)
    parties: list[Slug] = []


class RouteOpenDoc(_Doc):
    route: Slug


class DailyConditionDoc(_Doc):
    violations_at_most: ViolationsAtMostDoc | None = None
    route_open: RouteOpenDoc | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> DailyConditionDoc:
        if (self.violations_at_most is None) == (self.route_open is None):
            raise ValueError("write exactly one of violations_at_most or route_open")
        return self


class GateDoc(_Doc):
    consecutive_days: PositiveInt
    each_day: list[DailyConditionDoc] = Field(min_length=1)
    deadline: AwareDatetime | None = None


class PhaseDoc(_Doc):
    id: Slug
    name: str
    description: str = ""
    start: AwareDatetime | None = None
    after: Slug | None = None
    duration: Duration | None = None
    gate: GateDoc | None = None

    @model_validator(mode="after")
    def _one_start(self) -> PhaseDoc:
        if (self.start is None) == (self.after is None):
            raise ValueError("a phase needs exactly one of start (a datetime) or after (a phase)")
        return self


class ViolationDaysDoc(_Doc):
    min_days: PositiveInt
    min_per_day: PositiveInt = 1
    parties: list[Slug] = []


class RouteClosedDaysDoc(_Doc):
    route: Slug
    min_days: PositiveInt


class WindowConditionDoc(_Doc):
    violation_days: ViolationDaysDoc | None = None
    route_closed_days: RouteClosedDaysDoc | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> WindowConditionDoc:
        if (self.violation_days is None) == (self.route_closed_days is None):
            raise ValueError("write exactly one of violation_days or route_closed_days")
        return self


class TriggerDoc(_Doc):
    id: Slug
    description: str
    window_days: PositiveInt
    conditions: list[WindowConditionDoc] = Field(min_length=1)
    consequence: str = ""


def _version_text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) else value


class AgreementDoc(_Doc):
    spec: Literal["ceasewatch.agreement.v1"]
    id: Slug
    version: Annotated[str, BeforeValidator(_version_text)]
    title: str
    signed: dt.date | None = None
    pax_id: int | None = None
    summary: str = ""
    parties: list[Slug] = Field(min_length=1)
    rules: list[RuleDoc] = Field(min_length=1)
    phases: list[PhaseDoc] = []
    triggers: list[TriggerDoc] = []
    attribution: list[AttributionDoc] = []
