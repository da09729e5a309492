from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import inspect

from ceasewatch import services
from ceasewatch.errors import NotFound, UsageError
from ceasewatch.store import db, repository, tables


@pytest.fixture
def engine(tmp_path: Path):
    e = db.open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield e
    e.dispose()


def test_migrations_create_exactly_the_declared_tables(engine) -> None:
    insp = inspect(engine)
    for name, table in tables.metadata.tables.items():
        assert {c["name"] for c in insp.get_columns(name)} == set(table.columns.keys()), name
        declared = {(i.name, tuple(c.name for c in i.columns)) for i in table.indexes}
        made = {(i["name"], tuple(i["column_names"])) for i in insp.get_indexes(name)}
        assert made == declared, name
        nullable = {c.name: c.nullable for c in table.columns if not c.primary_key}
        assert {
            c["name"]: c["nullable"] for c in insp.get_columns(name) if c["name"] in nullable
        } == nullable, name
        pk = insp.get_pk_constraint(name)["constrained_columns"]
        assert set(pk) == {c.name for c in table.primary_key.columns}, name
    assert set(db.tables(engine)) == set(tables.metadata.tables) | {"alembic_version"}


def test_alembic_sees_no_difference_between_migrations_and_tables(engine) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    def declared(name, type_, _parent) -> bool:  # type: ignore[no-untyped-def]
        # the R*Tree (migration 0005) is an index SQLite keeps as tables, not declared
        return not (type_ == "table" and name.startswith(db.RTREE))

    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": declared})
        diff = compare_metadata(context, tables.metadata)
    assert diff == []


def test_upgrade_is_idempotent(engine) -> None:
    db.upgrade(engine)
    db.upgrade(engine)
    assert repository.count(engine, "incidents") == 0


def test_sqlite_file_uses_wal(engine) -> None:
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_writing_the_same_incidents_twice_changes_nothing(engine, syria) -> None:
    incidents = services.bundled_incidents(syria)
    repository.save_incidents(engine, incidents)
    repository.save_incidents(engine, incidents)
    assert repository.count(engine, "incidents") == len(incidents)
    assert repository.load_incidents(engine) == sorted(incidents, key=lambda i: i.id)


def test_findings_round_trip_and_replace(engine, syria_outcome) -> None:
    repository.replace_findings(engine, syria_outcome.findings)
    repository.replace_findings(engine, syria_outcome.findings)
    assert repository.count(engine, "findings") == len(syria_outcome.findings)
    assert len({f.id for f in syria_outcome.findings}) == len(syria_outcome.findings)


def test_a_stored_scenario_loads_back_by_agreement_id(engine, syria) -> None:
    from ceasewatch.agreement.sources import resolve

    repository.save_scenario(engine, syria, dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    scenario = resolve("sep-2016-arrangement", lambda a: repository.agreement_files(engine, a))
    assert [a.id for a in scenario.agreements] == ["sep-2016-arrangement"]
    with pytest.raises(NotFound):
        repository.agreement_files(engine, "nope")


def test_a_bad_url_or_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a database URL"):
        db.connect("not a url")
    with pytest.raises(UsageError, match="does not exist"):
        db.connect(f"sqlite:///{tmp_path / 'missing' / 'x.db'}")


def test_searches_map_the_file_and_a_bulk_write_does_not(tmp_path: Path) -> None:
    """Reading connections map the SQLite file (fewer read calls per search); a bulk import
    turns it off on its own connection, so its memory stays flat as the store grows."""
    from ceasewatch.store import db as store_db
    from ceasewatch.store.imports import bulk_pragmas, unmapped

    engine = store_db.open_store(f"sqlite:///{tmp_path / 'cw.db'}")
    try:
        with engine.connect() as conn:
            mapped = conn.exec_driver_sql("PRAGMA mmap_size").scalar()
            assert 0 < mapped <= store_db.MMAP_BYTES  # SQLite caps it at its build's maximum
            bulk_pragmas(conn)
            assert conn.exec_driver_sql("PRAGMA mmap_size").scalar() == 0
        with engine.begin() as conn:  # the import's last transaction counts the store
            conn.exec_driver_sql("CREATE TABLE IF NOT EXISTS scratch (x)")
            unmapped(conn)  # inside a transaction too (bulk_pragmas' synchronous may not be)
            assert conn.exec_driver_sql("PRAGMA mmap_size").scalar() == 0
    finally:
        engine.dispose()
