"""Choosing what to export from the store, streamed: filters pushed into SQL where the
tables have the column, the rest (a zone's shape) checked in Python row by row.

``incidents(engine, filters)`` and ``findings(engine, filters)`` are generators over one
open cursor (``yield_per``: a server-side cursor on PostgreSQL), so they hold a batch of
rows, never the result.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import shapely
from pydantic import TypeAdapter
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Engine, and_, exists, func, select, true
from sqlalchemy.sql.elements import ColumnElement

from ceasewatch.agreement.loader import load_scenario
from ceasewatch.agreement.model import Scenario
from ceasewatch.agreement.problems import did_you_mean
from ceasewatch.errors import NotFound, UsageError
from ceasewatch.evaluate.finding import Finding
from ceasewatch.exports.table import Judged, Lookups
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident
from ceasewatch.store import repository
from ceasewatch.store import tables as t

_FINDING: TypeAdapter[Finding] = TypeAdapter(Finding)
YIELD_PER = 1000

Box = tuple[float, float, float, float]


@dataclass(frozen=True)
class Filters:
    """What to keep (rejected incidents only when ``status`` asks for them). Dates select incidents whose ``occurred`` range meets
    ``[start, end]``; ``agreement`` and ``verdict`` keep incidents with at least one such
    stored finding (and findings of that agreement, with that verdict)."""

    agreement: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    status: str | None = None
    verdict: str | None = None
    event_type: str | None = None
    bbox: Box | None = None
    zone: BaseGeometry | None = None
    """The zone's shape (``zone_shape`` finds it by id); a point on its edge is inside."""


def parse_bbox(text: str) -> Box:
    """``W,S,E,N`` in degrees.

    >>> parse_bbox("36.9,36.0,37.4,36.4")
    (36.9, 36.0, 37.4, 36.4)
    """
    parts = text.split(",")
    try:
        w, s, e, n = (float(p) for p in parts)
    except ValueError:
        raise UsageError(
            f"--bbox {text!r}: give four numbers W,S,E,N in degrees, e.g. 36.9,36.0,37.4,36.4"
        ) from None
    if not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
        raise UsageError(
            f"--bbox {text!r}: needs west <= east (-180..180) and south <= north (-90..90), "
            "in the order W,S,E,N"
        )
    return w, s, e, n


def parse_date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"{option} {text!r}: write a date as YYYY-MM-DD") from None


# ---- scenarios kept in the store -------------------------------------------------------


def stored_scenarios(engine: Engine, agreement: str | None = None) -> list[Scenario]:
    """The scenarios in the store (each with all its agreements), or the one holding
    ``agreement`` (with just that agreement, its newest version)."""
    if agreement is not None:
        try:
            held, only = repository.agreement_files(engine, agreement)
        except NotFound:
            known = repository.stored_agreement_ids(engine)
            raise UsageError(
                f"--agreement {agreement!r} is not in the store — "
                + (did_you_mean(agreement, known) or "the store holds no agreement")
            ) from None
        return [load_scenario(lambda rel: held[rel], only=only)]
    with engine.connect() as conn:
        rows = conn.execute(select(t.scenarios.c.files_json).order_by(t.scenarios.c.id)).all()
    out = []
    for (files_json,) in rows:
        files: dict[str, str] = json.loads(files_json)
        out.append(load_scenario(lambda rel, f=files: f[rel]))  # type: ignore[misc]
    return out


def admin_names(scenario: Scenario, levels: tuple[int, ...] = (1, 2)) -> dict[str, str]:
    """Admin areas of a scenario's boundary files, P-code -> name (level 1 governorates,
    level 2 districts)."""
    files = dict(scenario.files)
    out: dict[str, str] = {}
    for level, rel in ((1, scenario.admin1_file), (2, scenario.admin2_file)):
        if level in levels and rel and rel in files:
            for feat in json.loads(files[rel]).get("features", []):
                props = feat.get("properties") or {}
                if props.get("pcode") and props.get("name"):
                    out.setdefault(props["pcode"], props["name"])
    return out


def lookups(scenarios: Sequence[Scenario]) -> Lookups:
    """Admin area names by P-code and actor names and kinds by id, from the scenarios."""
    admin: dict[str, str] = {}
    names: dict[str, str] = {}
    kinds: dict[str, str] = {}
    for s in scenarios:
        admin = admin_names(s) | admin
        for a in s.world.actors:
            names.setdefault(a.id, a.name)
            kinds.setdefault(a.id, a.kind)
    return Lookups(admin, names, kinds)


def zone_shape(scenarios: Sequence[Scenario], zone_id: str) -> BaseGeometry:
    zones = {z.id: z.geometry for s in scenarios for z in s.world.zones}
    if zone_id not in zones:
        hint = did_you_mean(zone_id, sorted(zones)) or "the store holds no zones"
        raise UsageError(f"--zone {zone_id!r} is not a zone of the stored scenarios — {hint}")
    return zones[zone_id]


# ---- incidents and findings, streamed ---------------------------------------------------


def _incident_where(f: Filters) -> list[ColumnElement[bool]]:
    i = t.incidents.c
    where: list[ColumnElement[bool]] = []
    # a rejected report is no evidence: left out unless asked for by status
    where.append(i.status == f.status if f.status else i.status != "rejected")
    if f.event_type:
        where.append(i.event_type == f.event_type)
    if f.start:
        where.append(i.end_date >= f.start.isoformat())
    if f.end:
        where.append(i.start_date <= f.end.isoformat())
    boxes = [b for b in (f.bbox, f.zone.bounds if f.zone is not None else None) if b]
    for w, s, e, n in boxes:
        where += [i.lon >= w, i.lon <= e, i.lat >= s, i.lat <= n]
    return where


def _finding_where(f: Filters) -> list[ColumnElement[bool]]:
    c = t.findings.c
    where: list[ColumnElement[bool]] = []
    if f.agreement:
        where.append(c.agreement_id == f.agreement)
    if f.verdict:
        where.append(c.verdict == f.verdict)
    return where


def _in_zone(f: Filters) -> shapely.Geometry | None:
    if f.zone is None:
        return None
    shapely.prepare(f.zone)
    return f.zone


def incidents(engine: Engine, f: Filters) -> Iterator[Incident]:
    """Matching incidents, by id."""
    where = _incident_where(f)
    fw = _finding_where(f)
    if fw:
        where.append(exists().where(t.findings.c.incident_id == t.incidents.c.id, *fw))
    q = select(t.incidents.c.record_json).where(and_(true(), *where)).order_by(t.incidents.c.id)
    zone = _in_zone(f)
    with engine.connect() as conn:
        for (record,) in conn.execution_options(yield_per=YIELD_PER).execute(q):
            incident = codec.ADAPTER.validate_json(record)
            if zone is None or zone.covers(
                shapely.points(incident.location.lon, incident.location.lat)
            ):
                yield incident


def findings(engine: Engine, f: Filters) -> Iterator[Judged]:
    """Matching findings with their incidents, by incident, agreement and rule."""
    q = (
        select(t.findings.c.record_json, t.incidents.c.record_json)
        .join(t.incidents, t.incidents.c.id == t.findings.c.incident_id)
        .where(and_(true(), *_incident_where(f), *_finding_where(f)))
        .order_by(t.findings.c.incident_id, t.findings.c.agreement_id, t.findings.c.rule_id)
    )
    zone = _in_zone(f)
    with engine.connect() as conn:
        for frec, irec in conn.execution_options(yield_per=YIELD_PER).execute(q):
            incident = codec.ADAPTER.validate_json(irec)
            if zone is None or zone.covers(
                shapely.points(incident.location.lon, incident.location.lat)
            ):
                yield _FINDING.validate_json(frec), incident


def date_range(engine: Engine) -> tuple[dt.date, dt.date] | None:
    """The first start and last end date of the stored incidents (None when none)."""
    with engine.connect() as conn:
        lo, hi = conn.execute(
            select(func.min(t.incidents.c.start_date), func.max(t.incidents.c.end_date))
        ).one()
    if lo is None:
        return None
    return dt.date.fromisoformat(lo), dt.date.fromisoformat(hi)


def count_findings(engine: Engine, agreement: str | None = None) -> int:
    q = select(func.count()).select_from(t.findings)
    if agreement:
        q = q.where(t.findings.c.agreement_id == agreement)
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())
