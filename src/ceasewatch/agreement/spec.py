"""The file formats of a spec folder, as pydantic models (the edge).

``ceasewatch.scenario.v1`` (scenario.yaml): actors, designated groups, geography files,
attribution rules, and the list of agreement files. ``ceasewatch.agreement.v1``: one
agreement's parties, rules, phases and walk-away triggers. Field-level checks live here;
checks that follow references between documents live in ``agreement.validate``.
"""

from __future__ import annotations

import datetime as dt
import difflib
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

from ceasewatch.access.windows import WindowError, parse_window
from ceasewatch.agreement.model import RuleType, ZoneType
from ceasewatch.incidents.model import Method

SLUG_PATTERN = r"^[a-z0-9][a-z0-9._-]*$"

#: The id an entry defines (checked against the id pattern).
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, min_length=1, max_length=80)]
#: An id used to refer to an entry defined elsewhere. Only its existence is checked (in
#: ``references``): a badly formed id is reported once, where it is defined.
Ref = Annotated[str, Field(min_length=1)]

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


class FieldProblem(ValueError):
    """A check across fields that belongs to one of them: reported at ``field``'s line.

    >>> str(FieldProblem("end", "end must be after start")), FieldProblem("end", "x").field
    ('end must be after start', 'end')
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _no_number(kind: str, example: str) -> BeforeValidator:
    """Refuse a bare number where a date or datetime belongs (pydantic would read it as a
    Unix timestamp: ``start: 2016`` would mean 33 minutes past midnight, 1 January 1970)."""

    def check(value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError(f"{value!r} is a number, not a {kind} — write e.g. {example}")
        return value

    return BeforeValidator(check)


When = Annotated[AwareDatetime, _no_number("datetime", "2016-09-12T19:00:00+03:00")]
Day = Annotated[dt.date, _no_number("date", "2016-09-09")]


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ActorDoc(_Doc):
    id: Slug
    name: str
    kind: Literal["state", "armed-group", "coalition", "bloc", "civilians", "humanitarian"]
    aliases: list[str] = []
    members: list[Ref] = []
    note: str | None = None

    @model_validator(mode="after")
    def _bloc_has_members(self) -> ActorDoc:
        if self.kind == "bloc" and not self.members:
            raise ValueError("a bloc needs members: list the actor ids it stands for")
        if self.kind != "bloc" and self.members:
            raise FieldProblem("members", "only an actor of kind 'bloc' has members")
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
    actors: list[Ref] = Field(min_length=1)
    zones: list[Ref] = []


class ScenarioDoc(_Doc):
    spec: Literal["ceasewatch.scenario.v1"]
    id: Slug
    name: str
    description: str = ""
    timezone: str
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    actors: list[ActorDoc] = Field(min_length=1)
    designated: list[Ref] = []
    geography: GeographyDoc = GeographyDoc()
    attribution: list[AttributionDoc] = []
    agreements: list[str] = Field(min_length=1)
    incidents: str | None = None
    access: str | None = None

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            close = difflib.get_close_matches(value, zoneinfo.available_timezones(), n=1)
            hint = (
                f"did you mean {close[0]!r}?" if close else "use an IANA name such as Asia/Damascus"
            )
            raise ValueError(f"unknown timezone {value!r} — {hint}") from None
        return value


class EffectiveDoc(_Doc):
    """When a rule is in force: ``start`` plus either ``end`` or ``duration`` (or open)."""

    start: When
    end: When | None = None
    duration: Duration | None = None

    @model_validator(mode="after")
    def _one_end(self) -> EffectiveDoc:
        if self.end is not None and self.duration is not None:
            raise FieldProblem("duration", "give either end or duration, not both")
        if self.end is not None and self.end <= self.start:
            raise FieldProblem("end", "end must be after start")
        return self

    @property
    def until(self) -> dt.datetime | None:
        if self.duration is not None:
            return self.start + self.duration
        return self.end


class PlaceDoc(_Doc):
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    zones: list[Ref] = []
    zone_types: list[ZoneType] = []


class RuleDoc(_Doc):
    id: Slug
    type: RuleType
    provision: str = Field(min_length=1)
    effective: EffectiveDoc
    binds: list[Ref] | None = None
    covers: list[str] | None = None
    where: PlaceDoc = PlaceDoc()
    exempt_targets: list[Ref] | None = None
    protects: list[Ref] | None = None
    designated_zone_types: list[ZoneType] | None = None
    mixed_zone_types: list[ZoneType] | None = None
    methods: list[Method] | None = None
    route: Ref | None = None
    note: str | None = None
    release_within: Duration | None = None
    monitored_checkpoints: bool | None = None
    controlled_by: dict[ZoneType, list[Ref]] | None = None

    @model_validator(mode="after")
    def _type_needs(self) -> RuleDoc:
        if self.type == "access.v1" and self.route is None:
            raise ValueError("an access.v1 rule needs `route:` (the id of a route)")
        if self.type not in ("access.v1", "access.v2") and self.route is not None:
            raise FieldProblem("route", f"`route:` belongs to access rules, not {self.type}")
        if self.type != "access.v2":
            for key in ("release_within", "monitored_checkpoints", "controlled_by"):
                if getattr(self, key) is not None:
                    raise FieldProblem(key, f"`{key}:` belongs to access.v2 rules, not {self.type}")
        if self.type == "no_fly.v1" and not (self.where.zones or self.where.zone_types):
            raise ValueError(
                "a no_fly.v1 rule needs `where: {zone_types: [...]}` or `where: {zones: [...]}`"
            )
        return self


class ViolationsAtMostDoc(_Doc):
    max: int = Field(ge=0)
    parties: list[Ref] = []


class RouteOpenDoc(_Doc):
    route: Ref


class AccessSustainedDoc(_Doc):
    routes: list[Ref] = Field(min_length=1)


class DailyConditionDoc(_Doc):
    violations_at_most: ViolationsAtMostDoc | None = None
    route_open: RouteOpenDoc | None = None
    access_sustained: AccessSustainedDoc | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> DailyConditionDoc:
        given = (self.violations_at_most, self.route_open, self.access_sustained)
        if sum(x is not None for x in given) != 1:
            raise ValueError(
                "write exactly one of violations_at_most, route_open or access_sustained"
            )
        return self


class GateDoc(_Doc):
    consecutive_days: PositiveInt
    each_day: list[DailyConditionDoc] = Field(min_length=1)
    deadline: When | None = None


class PhaseDoc(_Doc):
    id: Slug
    name: str
    description: str = ""
    start: When | None = None
    after: Ref | None = None
    duration: Duration | None = None
    gate: GateDoc | None = None

    @model_validator(mode="after")
    def _one_start(self) -> PhaseDoc:
        if self.start is not None and self.after is not None:
            raise FieldProblem(
                "after", "a phase needs exactly one of start (a datetime) or after (a phase)"
            )
        if self.start is None and self.after is None:
            raise ValueError("a phase needs exactly one of start (a datetime) or after (a phase)")
        return self


class ViolationDaysDoc(_Doc):
    min_days: PositiveInt
    min_per_day: PositiveInt = 1
    parties: list[Ref] = []


class RouteClosedDaysDoc(_Doc):
    route: Ref
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


class CorridorDoc(_Doc):
    """An agreed passage along a route, open during ``window`` (always, when absent)."""

    id: Slug
    route: Ref
    window: str | None = None
    note: str | None = None

    @field_validator("window")
    @classmethod
    def _readable_window(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                parse_window(value)
            except WindowError as e:
                raise ValueError(str(e)) from None
        return value


def _version_text(value: Any) -> Any:
    return str(value) if isinstance(value, int | float) else value


class AgreementDoc(_Doc):
    spec: Literal["ceasewatch.agreement.v1"]
    id: Slug
    version: Annotated[str, BeforeValidator(_version_text)]
    title: str
    signed: Day | None = None
    pax_id: int | None = None
    summary: str = ""
    parties: list[Ref] = Field(min_length=1)
    rules: list[RuleDoc] = Field(min_length=1)
    phases: list[PhaseDoc] = []
    triggers: list[TriggerDoc] = []
    attribution: list[AttributionDoc] = []
    #: Who must sign a zone delineation before it replaces the spec's zones: one liaison of
    #: each party listed (default: the agreement's parties). See docs/delineation.md.
    delineation_approvers: list[Ref] = []
    corridors: list[CorridorDoc] = []
