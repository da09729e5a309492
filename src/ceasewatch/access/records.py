"""The edge of the access package: convoy, update and constraint records as pydantic
models (the access file ``ceasewatch.access.v1``, the CLI and the API all read these),
checked against a scenario's routes, checkpoints and actors.

A time is an ISO datetime with its UTC offset, or a bare date (``2016-09-19``) when only
the day is known: then it means that whole local day (``precision: day``).
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from ceasewatch.access import model as am
from ceasewatch.agreement.model import World

SLUG = r"^[a-z0-9][a-z0-9._-]*$"
Id = Annotated[str, Field(pattern=SLUG, min_length=1, max_length=80)]


def _when(value: Any) -> Any:
    """A string as a date (``2016-09-19``) or a datetime (with its offset)."""
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text)
            return dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a date (2016-09-19) or a datetime with offset "
                "(2016-09-19T19:30:00+03:00)"
            ) from None
    return value


#: An ISO datetime with its offset, or a date when only the day is known.
When = Annotated[dt.datetime | dt.date, BeforeValidator(_when)]


class AccessInvalid(ValueError):
    """Records that cannot be taken: every problem, each naming where and what to do."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttributionIn(_In):
    actor: str
    basis: Literal["reported", "claimed", "alleged"] = "reported"


class UpdateIn(_In):
    """One status change of a convoy."""

    status: am.ConvoyStatus
    at: When = Field(description="ISO datetime with offset, or a date when only the day is known")
    evidence: str = Field(min_length=1, description="What says so: a source, a report id")
    checkpoint: str | None = None
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    incident: str | None = Field(default=None, description="incident.v1 id of the same event")
    attributed_to: list[AttributionIn] = []
    note: str | None = None


class ConvoyIn(_In):
    id: Id
    agency: str = Field(min_length=1)
    origin: str = Field(min_length=1)
    destination: str = Field(min_length=1)
    route: str | None = None
    cargo: str = Field(min_length=1)
    trucks: int | None = Field(default=None, ge=1)
    note: str | None = None
    events: list[UpdateIn] = Field(min_length=1)


class ConstraintIn(_In):
    id: Id
    category: am.ConstraintCategory
    description: str = Field(min_length=1)
    start: When
    end: When | None = None
    evidence: str = Field(min_length=1)
    blocking: bool = True
    routes: list[str] = []
    checkpoints: list[str] = []
    lon: float | None = Field(default=None, ge=-180, le=180)
    lat: float | None = Field(default=None, ge=-90, le=90)
    attributed_to: list[AttributionIn] = []


class AccessFileIn(_In):
    spec: Literal["ceasewatch.access.v1"]
    convoys: list[ConvoyIn] = []
    constraints: list[ConstraintIn] = []


def moment(value: dt.datetime | dt.date, tz: str, where: str) -> tuple[dt.datetime, am.Precision]:
    """An aware datetime (precision minute), or a date as its local midnight (day).

    >>> moment(dt.date(2016, 9, 19), "Asia/Damascus", "at")
    (datetime.datetime(2016, 9, 19, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='Asia/Damascus')), 'day')
    """
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise AccessInvalid(
                [
                    f"{where}: {value.isoformat()} has no UTC offset — write e.g. "
                    f"{value.isoformat()}+03:00, or just the date"
                ]
            )
        return value, "minute"
    return dt.datetime.combine(value, dt.time(0), tzinfo=zoneinfo.ZoneInfo(tz)), "day"


def _check_refs(
    world: World, where: str, route: str | None, checkpoints: list[str], actors: list[str]
) -> list[str]:
    problems = []
    routes = {r.id for r in world.routes}
    if route is not None and route not in routes:
        problems.append(
            f"{where}: unknown route {route!r} — one of {', '.join(sorted(routes)) or '(none)'}"
        )
    cps = {c.id for c in world.checkpoints}
    for cp in checkpoints:
        if cp not in cps:
            problems.append(
                f"{where}: unknown checkpoint {cp!r} — one of {', '.join(sorted(cps)) or '(none)'}"
            )
    known = {a.id for a in world.actors}
    for a in actors:
        if a not in known:
            problems.append(f"{where}: unknown actor {a!r} — use an actor id of the scenario")
    return problems


def event(u: UpdateIn, world: World, where: str) -> am.ConvoyEvent:
    problems = _check_refs(
        world,
        where,
        None,
        [u.checkpoint] if u.checkpoint else [],
        [a.actor for a in u.attributed_to],
    )
    if (u.lon is None) != (u.lat is None):
        problems.append(f"{where}: give both lon and lat, or neither")
    if problems:
        raise AccessInvalid(problems)
    at, precision = moment(u.at, world.timezone, f"{where}.at")
    return am.ConvoyEvent(
        status=u.status,
        at=at,
        precision=precision,
        evidence=u.evidence,
        checkpoint=u.checkpoint,
        lon=u.lon,
        lat=u.lat,
        incident=u.incident,
        attributed_to=tuple(am.Attribution(a.actor, a.basis) for a in u.attributed_to),
        note=u.note,
    )


def convoy(c: ConvoyIn, world: World, where: str) -> am.Convoy:
    problems = _check_refs(world, where, c.route, [], [])
    events: list[am.ConvoyEvent] = []
    for i, u in enumerate(c.events):
        try:
            events.append(event(u, world, f"{where}.events[{i}]"))
        except AccessInvalid as e:
            problems.extend(e.problems)
    if problems:
        raise AccessInvalid(problems)
    try:
        return am.Convoy(
            id=c.id,
            agency=c.agency,
            origin=c.origin,
            destination=c.destination,
            route=c.route,
            cargo=c.cargo,
            events=tuple(events),
            trucks=c.trucks,
            note=c.note,
        )
    except am.ConvoyError as e:
        raise AccessInvalid([f"{where}: {e}"]) from None


def constraint(c: ConstraintIn, world: World, where: str) -> am.Constraint:
    problems = _check_refs(world, where, None, c.checkpoints, [a.actor for a in c.attributed_to])
    for r in c.routes:
        problems += _check_refs(world, f"{where}.routes", r, [], [])
    if (c.lon is None) != (c.lat is None):
        problems.append(f"{where}: give both lon and lat, or neither")
    if problems:
        raise AccessInvalid(problems)
    start, _ = moment(c.start, world.timezone, f"{where}.start")
    end = None
    if c.end is not None:
        end, precision = moment(c.end, world.timezone, f"{where}.end")
        if precision == "day":  # a date as end: through the end of that day
            end += dt.timedelta(days=1)
    try:
        return am.Constraint(
            id=c.id,
            category=c.category,
            description=c.description,
            start=start,
            end=end,
            evidence=c.evidence,
            blocking=c.blocking,
            routes=tuple(c.routes),
            checkpoints=tuple(c.checkpoints),
            lon=c.lon,
            lat=c.lat,
            attributed_to=tuple(am.Attribution(a.actor, a.basis) for a in c.attributed_to),
        )
    except ValueError as e:
        raise AccessInvalid([f"{where}: {e}"]) from None


def validation_problems(e: ValidationError, where: str) -> list[str]:
    out = []
    for err in e.errors():
        path = ".".join(str(p) for p in err["loc"])
        out.append(f"{where}{'.' + path if path else ''}: {err['msg']}")
    return out


def read_file(text: str, file: str, world: World) -> am.AccessRecords:
    """An access file (JSON, ``spec: ceasewatch.access.v1``) -> records; every problem at
    once (``AccessInvalid``), nothing taken when any record is wrong."""
    try:
        raw: Any = json.loads(text)
    except json.JSONDecodeError as e:
        raise AccessInvalid([f"{file}:{e.lineno}: not valid JSON: {e.msg}"]) from None
    try:
        doc = AccessFileIn.model_validate(raw)
    except ValidationError as e:
        raise AccessInvalid(validation_problems(e, file)) from None
    problems: list[str] = []
    convoys, constraints = [], []
    for i, c in enumerate(doc.convoys):
        try:
            convoys.append(convoy(c, world, f"{file}: convoys[{i}] ({c.id})"))
        except AccessInvalid as e:
            problems += e.problems
    for i, k in enumerate(doc.constraints):
        try:
            constraints.append(constraint(k, world, f"{file}: constraints[{i}] ({k.id})"))
        except AccessInvalid as e:
            problems += e.problems
    ids = [c.id for c in doc.convoys]
    problems += [
        f"{file}: convoy id {x!r} is used twice"
        for x in sorted({x for x in ids if ids.count(x) > 1})
    ]
    if problems:
        raise AccessInvalid(problems)
    return am.AccessRecords(tuple(convoys), tuple(constraints))


# ---- records back to their edge form (for the store and for listing) --------------------


def _when_text(t: dt.datetime, precision: str, tz: str) -> str:
    if precision == "day":
        return t.astimezone(zoneinfo.ZoneInfo(tz)).date().isoformat()
    return t.isoformat()


def update_doc(ev: am.ConvoyEvent, tz: str) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "status": ev.status,
        "at": _when_text(ev.at, ev.precision, tz),
        "evidence": ev.evidence,
        "checkpoint": ev.checkpoint,
        "lon": ev.lon,
        "lat": ev.lat,
        "incident": ev.incident,
        "attributed_to": [{"actor": a.actor, "basis": a.basis} for a in ev.attributed_to],
        "note": ev.note,
    }
    return {k: v for k, v in doc.items() if v not in (None, [])}


def convoy_doc(c: am.Convoy, tz: str, *, with_events: bool = True) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": c.id,
        "agency": c.agency,
        "origin": c.origin,
        "destination": c.destination,
        "route": c.route,
        "cargo": c.cargo,
        "trucks": c.trucks,
        "note": c.note,
    }
    doc = {k: v for k, v in doc.items() if v is not None}
    if with_events:
        doc["events"] = [update_doc(e, tz) for e in c.events]
    return doc


def constraint_doc(k: am.Constraint) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": k.id,
        "category": k.category,
        "description": k.description,
        "start": k.start.isoformat(),
        "end": k.end.isoformat() if k.end else None,
        "evidence": k.evidence,
        "blocking": k.blocking,
        "routes": list(k.routes),
        "checkpoints": list(k.checkpoints),
        "lon": k.lon,
        "lat": k.lat,
        "attributed_to": [{"actor": a.actor, "basis": a.basis} for a in k.attributed_to],
    }
    return {k2: v for k2, v in doc.items() if v not in (None, [])}
