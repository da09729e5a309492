"""Migrations 0003_server and 0006_search_backfill on both engines: their tables, PostGIS on PostgreSQL, the
search columns filled for incidents stored before them, and a consistent backup of each."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, inspect, select, text
from typer.testing import CliRunner

from ceasewatch import services
from ceasewatch.cli import app
from ceasewatch.store import db, search
from ceasewatch.store import tables as t


def _cfg(connection) -> Config:  # type: ignore[no-untyped-def]
    cfg = Config()
    cfg.set_main_option("script_location", str(db.MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def test_the_declared_tables_exist_on_each_engine(store: Engine) -> None:
    insp = inspect(store)
    for name, table in t.metadata.tables.items():
        columns = {c["name"] for c in insp.get_columns(name)}
        extra = {"geom"} if (name == "incidents" and store.dialect.name == "postgresql") else set()
        assert columns == set(table.columns.keys()) | extra, name


def test_postgis_backs_the_spatial_search_on_postgresql(store: Engine) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("PostGIS is PostgreSQL's")
    with store.connect() as conn:
        kind = conn.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_incidents_geom_dates'")
        ).scalar_one()
        assert "gist (geom, end_date, start_date)" in kind.lower(), kind
        query = search.Query(
            bbox=(37.0, 36.1, 37.3, 36.3), start=dt.date(2016, 9, 1), end=dt.date(2016, 9, 30)
        )
        stmt = select(t.incidents.c.id).where(*search.conditions(query, search.ALL, "postgresql"))
        sql = str(stmt.compile(dialect=store.dialect, compile_kwargs={"literal_binds": True}))
        conn.exec_driver_sql("SET enable_seqscan = off")  # a tiny table: ask for an index
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN " + sql))
    # the box and both dates are index conditions of the one GiST index
    assert "ix_incidents_geom_dates" in plan, plan
    cond = next(line for line in plan.splitlines() if "Index Cond" in line)
    assert "&&" in cond and "end_date" in cond and "start_date" in cond, plan


def test_incidents_stored_before_0003_get_their_search_columns(tmp_path: Path, syria) -> None:  # type: ignore[no-untyped-def]
    engine = db.connect(f"sqlite:///{tmp_path / 'old.db'}")
    with engine.begin() as conn:
        command.upgrade(_cfg(conn), "0001")
    incidents = services.bundled_incidents(syria)[:20]
    from ceasewatch.incidents import codec

    with engine.begin() as conn:
        for i in incidents:
            conn.execute(
                text(
                    "INSERT INTO incidents (id, status, event_type, sub_event_type, start_date, "
                    "end_date, lat, lon, record_json) VALUES (:id, :s, :e, :se, :sd, :ed, :lat, "
                    ":lon, :rec)"
                ),
                {
                    "id": i.id,
                    "s": i.status,
                    "e": i.event_type,
                    "se": i.sub_event_type,
                    "sd": i.occurred.start.isoformat(),
                    "ed": i.occurred.end.isoformat(),
                    "lat": i.location.lat,
                    "lon": i.location.lon,
                    "rec": json.dumps(codec.to_json(i)),
                },
            )
    db.upgrade(engine)
    with engine.connect() as conn:
        rows = conn.execute(
            select(t.incidents.c.id, t.incidents.c.version, t.incidents.c.search_text)
        ).all()
        assert all(r.version == 1 and r.search_text for r in rows)
        named = next(i for i in incidents if i.location.name)
        found = list(
            search.stream(conn, search.Query(text=named.location.name), search.ALL)  # type: ignore[arg-type]
        )
    assert named.id in {r.id for r in found}
    with engine.begin() as conn:  # and back down
        command.downgrade(_cfg(conn), "0001")
    assert "audit_log" not in db.tables(engine)
    engine.dispose()


def test_incidents_imported_without_search_columns_get_them_at_0006(
    store: Engine,
    syria,  # type: ignore[no-untyped-def]
) -> None:
    """Importers before 0006 left the search columns empty: the migration fills them."""
    from ceasewatch.store.rows import incident_row

    incidents = services.bundled_incidents(syria)[:30]
    with store.begin() as conn:
        command.downgrade(_cfg(conn), "0003_server")
        for i in incidents:  # as the old importers wrote them
            row = incident_row(i)
            for column in ("perpetrator_actor", "target_actor", "confidence", "search_text"):
                row[column] = None
            conn.execute(t.incidents.insert().values(**row))
    db.upgrade(store)
    with store.connect() as conn:
        got = {r.id: r for r in conn.execute(select(t.incidents))}
    for i in incidents:
        want = incident_row(i)
        for column in ("perpetrator_actor", "target_actor", "confidence", "search_text"):
            assert got[i.id]._mapping[column] == want[column], (i.id, column)


def test_db_backup_of_postgresql_uses_pg_dump(store: Engine, tmp_path: Path) -> None:
    if store.dialect.name != "postgresql":
        pytest.skip("the SQLite backup is tested in tests/server/test_cli_server.py")
    url = store.url.render_as_string(hide_password=False)
    result = CliRunner().invoke(app, ["db", "backup", str(tmp_path / "copy.dump"), "--db", url])
    if "needs pg_dump" in result.output:
        pytest.skip("pg_dump is not installed here")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "copy.dump").read_bytes()[:5] == b"PGDMP"
