"""Searching stored incidents: one interface, two engines.

Filters combine with AND. Places: a bounding box, or a zone's polygon. On PostgreSQL both
use the PostGIS ``geom`` column and its GiST index over ``(geom, end_date, start_date)``
(``&&``, ``ST_Intersects``; migration 0009), so a date range is checked in the index too;
on SQLite the box and the days are looked up in the ``incidents_rtree`` R*Tree
(migrations 0007, 0009; its 32-bit boxes are rounded outward, so ``lat``/``lon`` and the
dates are then checked exactly on the rows it finds), and a zone is its bounding box
there, then the exact polygon test in shapely, row by row. A zone matches an incident whose
recorded point lies in it or on its edge (precision discs are the evaluation's business).

Who sees what (``Scope``) is a filter like the others, so a row a caller may not see is
never read into the response.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import shapely
from geoalchemy2 import Geometry
from geoalchemy2 import functions as gf
from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    column,
    exists,
    false,
    literal,
    literal_column,
    not_,
    or_,
    select,
    table,
    true,
    type_coerce,
)

from ceasewatch.store import tables as t

inc = t.incidents


@dataclass(frozen=True)
class Scope:
    """What a caller may see: everything, published incidents only, or (a liaison)
    published ones plus its party's own submissions and those it is asked about."""

    kind: str  # "all" | "published" | "party"
    party: str | None = None

    def where(self) -> ColumnElement[bool]:
        if self.kind == "all":
            return true()
        published = inc.c.status == "published"
        if self.kind == "published" or not self.party:
            return published
        asked = select(t.queries.c.incident_id).where(t.queries.c.party == self.party)
        return or_(published, inc.c.owner_party == self.party, inc.c.id.in_(asked))


ALL = Scope("all")
PUBLISHED = Scope("published")


@dataclass(frozen=True)
class Query:
    bbox: tuple[float, float, float, float] | None = None
    """min lon, min lat, max lon, max lat."""
    zone: BaseGeometry | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    event_type: str | None = None
    actor: str | None = None
    """Perpetrator or target actor id."""
    verdict: str | None = None
    agreement: str | None = None
    """Limits ``verdict`` to one agreement's findings."""
    confidence: str | None = None
    status: str | None = None
    text: str | None = None
    limit: int = 100
    offset: int = 0


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _verdict(verdict: str, agreement: str | None) -> ColumnElement[bool]:
    """The incident has a finding whose verdict — overridden where an override stands —
    is ``verdict``."""
    f, o = t.findings, t.overrides
    standing = and_(o.c.finding_id == f.c.id, o.c.lapsed_at.is_(None))
    cond = and_(
        f.c.incident_id == inc.c.id,
        or_(
            and_(f.c.verdict == verdict, not_(exists().where(standing))),
            exists().where(standing, o.c.verdict == verdict),
        ),
    )
    if agreement:
        cond = and_(cond, f.c.agreement_id == agreement)
    return exists().where(cond)


def conditions(q: Query, scope: Scope, dialect: str) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = [scope.where()]
    postgis = dialect == "postgresql"
    geom = type_coerce(column("geom"), Geometry("POINT", srid=4326))
    box = q.bbox
    if q.zone is not None:
        if q.zone.is_empty:
            return [false()]
        if postgis:
            conds.append(gf.ST_Intersects(geom, gf.ST_GeomFromText(q.zone.wkt, 4326)))
        else:
            zb = q.zone.bounds
            box = zb if box is None else _intersect(box, zb)
            if box is None:
                return [false()]
    if box is not None:
        minlon, minlat, maxlon, maxlat = box
        if postgis:
            conds.append(geom.op("&&")(gf.ST_MakeEnvelope(minlon, minlat, maxlon, maxlat, 4326)))
        else:
            conds += _rtree_box(minlon, minlat, maxlon, maxlat, q.start, q.end)
    # With a place to search, the spatial index leads and holds the dates as well (PostGIS:
    # the GiST index over geom and dates; SQLite: the R*Tree's days, then the dates exactly
    # on the rows it finds — ``|| ''`` keeps SQLite's planner off the date index).
    spatial = (box is not None or q.zone is not None) and not postgis
    start_col = inc.c.start_date.concat("") if spatial else inc.c.start_date
    end_col = inc.c.end_date.concat("") if spatial else inc.c.end_date
    if q.start is not None:
        conds.append(end_col >= q.start.isoformat())
    if q.end is not None:
        conds.append(start_col <= q.end.isoformat())
    if q.event_type:
        conds.append(inc.c.event_type == q.event_type)
    if q.actor:
        conds.append(or_(inc.c.perpetrator_actor == q.actor, inc.c.target_actor == q.actor))
    if q.confidence:
        conds.append(inc.c.confidence == q.confidence)
    if q.status:
        conds.append(inc.c.status == q.status)
    if q.text:
        conds.append(inc.c.search_text.like(literal(_like(q.text)), escape="\\"))
    if q.verdict:
        conds.append(_verdict(q.verdict, q.agreement))
    return conds


_RTREE = table(
    "incidents_rtree", column("id"), column("min_lon"), column("max_lon"), column("min_lat"),
    column("max_lat"), column("min_t"), column("max_t"),
)  # fmt: skip


def rtree_time(day: dt.date) -> float:
    """A day on the R*Tree's time axis: days since 1970-01-01 over 100 (migration 0009
    says why), computed as the migration's triggers compute it.

    >>> rtree_time(dt.date(1970, 1, 1)), rtree_time(dt.date(2016, 9, 19))
    (0.0, 170.63)
    """
    return (day - _EPOCH).days / 100.0


_EPOCH = dt.date(1970, 1, 1)


def _rtree_box(
    minlon: float,
    minlat: float,
    maxlon: float,
    maxlat: float,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> list[ColumnElement[bool]]:
    """The rows whose point (and days, with a date range) the R*Tree puts in the box, then
    the exact test (``+ 0`` keeps the planner on the R*Tree rather than the ``(lat, lon)``
    index; the dates are checked by the caller)."""
    r = _RTREE.c
    inside = select(r.id).where(
        r.max_lon >= minlon, r.min_lon <= maxlon, r.max_lat >= minlat, r.min_lat <= maxlat
    )
    if start is not None:
        inside = inside.where(r.max_t >= rtree_time(start))
    if end is not None:
        inside = inside.where(r.min_t <= rtree_time(end))
    return [
        literal_column("incidents.rowid").in_(inside),
        (inc.c.lat + 0).between(minlat, maxlat),
        (inc.c.lon + 0).between(minlon, maxlon),
    ]


def _intersect(
    a: tuple[float, float, float, float], b: tuple[float, float, float, float]
) -> tuple[float, float, float, float] | None:
    """The overlap of two boxes, or None.

    >>> _intersect((0, 0, 2, 2), (1, 1, 3, 3))
    (1, 1, 2, 2)
    >>> _intersect((0, 0, 1, 1), (2, 2, 3, 3)) is None
    True
    """
    out = (max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3]))
    return out if out[0] <= out[2] and out[1] <= out[3] else None


COLUMNS = (
    inc.c.id,
    inc.c.status,
    inc.c.version,
    inc.c.owner_party,
    inc.c.created_by,
    inc.c.updated_at,
    inc.c.lat,
    inc.c.lon,
    inc.c.record_json,
)


@dataclass(frozen=True)
class Row:
    id: str
    status: str
    version: int
    owner_party: str | None
    created_by: str | None
    updated_at: str | None
    record: dict[str, Any]


def _row(r: Any) -> Row:
    return Row(
        r.id,
        r.status,
        int(r.version),
        r.owner_party,
        r.created_by,
        r.updated_at,
        json.loads(r.record_json),
    )


def stream(conn: Connection, q: Query, scope: Scope, *, page: bool = True) -> Iterator[Row]:
    """Matching incidents, newest first, read in batches (never all at once)."""
    dialect = conn.dialect.name
    conds = conditions(q, scope, dialect)
    stmt = select(*COLUMNS).where(*conds).order_by(inc.c.start_date.desc(), inc.c.id)
    exact_zone = q.zone is not None and dialect != "postgresql"
    if page and not exact_zone:
        stmt = stmt.limit(q.limit).offset(q.offset)
    prepared = None
    if exact_zone and q.zone is not None:
        prepared = q.zone
        shapely.prepare(prepared)
    skipped = taken = 0
    # a page (at most 1,000 rows) is read in one go; a cursor that streams is for reading
    # on without a limit (exports) or past the rows a zone's polygon rejects
    streamed = {} if page and not exact_zone else {"yield_per": 1000}
    with conn.execute(stmt, execution_options=streamed) as result:
        for r in result:
            if prepared is not None:
                if not shapely.covers(prepared, shapely.Point(r.lon, r.lat)):
                    continue
                if page:
                    if skipped < q.offset:
                        skipped += 1
                        continue
                    if taken >= q.limit:
                        break
                    taken += 1
            yield _row(r)


def get(conn: Connection, incident_id: str, scope: Scope) -> Row | None:
    r = conn.execute(select(*COLUMNS).where(inc.c.id == incident_id, scope.where())).first()
    return _row(r) if r else None


# ---- the map's compact view --------------------------------------------------------

#: Most serious first: the colour an incident takes on the map.
VERDICT_ORDER = ("violation", "undetermined", "exempt", "not_applicable")


def _worst_verdict(agreement: str | None) -> Any:
    """A correlated subquery: the rank (index in VERDICT_ORDER) of the most serious verdict
    that holds for the incident — an override's where one stands — or NULL without one."""
    from sqlalchemy import case, func

    f, o = t.findings, t.overrides
    standing = (
        select(o.c.verdict)
        .where(o.c.finding_id == f.c.id, o.c.lapsed_at.is_(None))
        .order_by(o.c.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    holds = func.coalesce(standing, f.c.verdict)
    rank = case({v: n for n, v in enumerate(VERDICT_ORDER)}, value=holds, else_=len(VERDICT_ORDER))
    q = select(func.min(rank)).where(f.c.incident_id == inc.c.id)
    if agreement:
        q = q.where(f.c.agreement_id == agreement)
    return q.scalar_subquery()


def _precision(dialect: str) -> Any:
    """The location precision from the stored record (no column of its own)."""
    from sqlalchemy import JSON, cast, func

    if dialect == "postgresql":
        return cast(inc.c.record_json, JSON)["location"]["precision"].as_string()
    return func.json_extract(inc.c.record_json, "$.location.precision")


@dataclass(frozen=True)
class Point:
    """One incident as the map draws it; everything else is fetched on click."""

    id: str
    lat: float
    lon: float
    precision: str
    status: str
    start: str
    verdict: int | None
    """Index in VERDICT_ORDER of the most serious verdict, None without a finding."""


def points(conn: Connection, q: Query, scope: Scope) -> Iterator[Point]:
    """Every match of ``q`` the scope allows (no paging), newest first, with its most
    serious verdict — computed in the store, so a map needs one request, not one per
    verdict. ``q.verdict`` keeps its meaning ("has a finding with this verdict")."""
    dialect = conn.dialect.name
    conds = conditions(q, scope, dialect)
    stmt = (
        select(
            inc.c.id,
            inc.c.lat,
            inc.c.lon,
            _precision(dialect).label("precision"),
            inc.c.status,
            inc.c.start_date,
            _worst_verdict(q.agreement).label("worst"),
        )
        .where(*conds)
        .order_by(inc.c.start_date.desc(), inc.c.id)
    )
    prepared = q.zone if q.zone is not None and dialect != "postgresql" else None
    if prepared is not None:
        shapely.prepare(prepared)
    with conn.execute(stmt, execution_options={"yield_per": 5000}) as result:
        for r in result:
            if prepared is not None and not shapely.covers(prepared, shapely.Point(r.lon, r.lat)):
                continue
            yield Point(r.id, r.lat, r.lon, r.precision, r.status, r.start_date, r.worst)
