"""SQLite's R*Tree (migration 0005) answers bounding-box searches and stays in step with
the incidents table through inserts, moves, deletes and VACUUM."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from sqlalchemy import Engine, delete, select, update

from ceasewatch import services
from ceasewatch.incidents.model import Incident
from ceasewatch.store import db, repository, search
from ceasewatch.store import tables as t


def _engine(tmp_path: Path) -> Engine:
    return db.open_store(f"sqlite:///{tmp_path / 'store.db'}")


def _found(engine: Engine, box: tuple[float, float, float, float]) -> set[str]:
    with engine.connect() as conn:
        rows = search.stream(conn, search.Query(bbox=box, limit=10_000), search.ALL)
        return {r.id for r in rows}


def _inside(incidents: list[Incident], box: tuple[float, float, float, float]) -> set[str]:
    minlon, minlat, maxlon, maxlat = box
    return {
        i.id
        for i in incidents
        if minlon <= i.location.lon <= maxlon and minlat <= i.location.lat <= maxlat
    }


BOXES = [
    (37.0, 36.1, 37.3, 36.3),  # Aleppo
    (35.0, 32.0, 42.5, 37.5),  # all of Syria
    (37.14060, 36.17306, 37.14060, 36.17306),  # one point, edges included
    (0.0, 0.0, 1.0, 1.0),  # nowhere
]


def test_bbox_search_uses_the_rtree_and_matches_a_python_filter(tmp_path: Path, syria) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path)
    incidents = services.bundled_incidents(syria)
    repository.save_incidents(engine, incidents)
    for box in BOXES:
        assert _found(engine, box) == _inside(incidents, box), box
    with engine.connect() as conn:
        stmt = select(t.incidents.c.id).where(*search.conditions(
            search.Query(bbox=BOXES[0]), search.ALL, "sqlite"
        ))  # fmt: skip
        sql = str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(r) for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "incidents_rtree" in plan, plan
    engine.dispose()


def test_the_rtree_follows_moves_deletes_and_vacuum(tmp_path: Path, syria) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path)
    incidents = services.bundled_incidents(syria)
    repository.save_incidents(engine, incidents)
    moved, gone = incidents[0], incidents[1]
    far = (10.0, 10.0, 10.2, 10.2)
    with engine.begin() as conn:
        conn.execute(
            update(t.incidents).where(t.incidents.c.id == moved.id).values(lat=10.1, lon=10.1)
        )
        conn.execute(delete(t.incidents).where(t.incidents.c.id == gone.id))
    relocated = dataclasses.replace(moved.location, lat=10.1, lon=10.1)
    now = [dataclasses.replace(moved, location=relocated), *incidents[2:]]
    assert _found(engine, far) == {moved.id}
    for box in BOXES:
        assert _found(engine, box) == _inside(now, box), box
    with engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")
        n_tree = conn.exec_driver_sql("SELECT count(*) FROM incidents_rtree").scalar()
    assert n_tree == len(now)
    for box in [*BOXES, far]:
        assert _found(engine, box) == _inside(now, box), box
    engine.dispose()


def _found_between(engine: Engine, box: tuple[float, float, float, float], start, end) -> set[str]:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        query = search.Query(bbox=box, start=start, end=end, limit=10_000)
        return {r.id for r in search.stream(conn, query, search.ALL)}


def _inside_between(incidents: list[Incident], box, start, end) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        i.id
        for i in incidents
        if i.id in _inside([i], box) and i.occurred.end >= start and i.occurred.start <= end
    }


def test_the_rtree_holds_the_days_and_follows_date_changes(tmp_path: Path, syria) -> None:  # type: ignore[no-untyped-def]
    engine = _engine(tmp_path)
    incidents = services.bundled_incidents(syria)
    repository.save_incidents(engine, incidents)
    days = sorted({i.occurred.start for i in incidents})
    windows = [(days[0], days[0]), (days[len(days) // 2], days[-1]), (days[-1], days[-1])]
    windows.append((days[0] - dt.timedelta(days=400), days[0] - dt.timedelta(days=1)))
    for box in BOXES:
        for start, end in windows:
            assert _found_between(engine, box, start, end) == _inside_between(
                incidents, box, start, end
            ), (box, start, end)
    # the query asks the R*Tree for the days, not only the box
    with engine.connect() as conn:
        query = search.Query(bbox=BOXES[1], start=days[0], end=days[0])
        stmt = select(t.incidents.c.id).where(*search.conditions(query, search.ALL, "sqlite"))
        sql = str(stmt.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
    assert "max_t >= " in sql and "min_t <= " in sql, sql
    # an incident moved in time moves in the R*Tree
    moved = incidents[0]
    later = days[-1] + dt.timedelta(days=100)
    with engine.begin() as conn:
        conn.execute(
            update(t.incidents)
            .where(t.incidents.c.id == moved.id)
            .values(start_date=later.isoformat(), end_date=later.isoformat())
        )
    assert _found_between(engine, BOXES[1], later, later) == {moved.id}
    assert moved.id not in _found_between(
        engine, BOXES[1], moved.occurred.start, moved.occurred.end
    )
    engine.dispose()
