"""The store's tables (SQLAlchemy Core). The schema itself is made by Alembic migrations
in ``store/migrations``; ``test_store`` checks the two agree."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

scenarios = Table(
    "scenarios",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("name", Text, nullable=False),
    Column("files_json", Text, nullable=False),  # {relative path: text} of the spec folder
    Column("stored_at", DateTime(timezone=True), nullable=False),
)

agreements = Table(
    "agreements",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("version", String(40), primary_key=True),
    Column("scenario_id", String(80), nullable=False),
    Column("file", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("sub_event_type", String(60), nullable=False),
    Column("start_date", String(10), nullable=False),
    Column("end_date", String(10), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("record_json", Text, nullable=False),
    # why the reports of a fused incident were merged (JSON list; null when not fused)
    Column("reasons_json", Text, nullable=True),
    Index("ix_incidents_start", "start_date"),
    Index("ix_incidents_lat_lon", "lat", "lon"),
)

findings = Table(
    "findings",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(200), nullable=False),
    Column("agreement_id", String(80), nullable=False),
    Column("agreement_version", String(40), nullable=False),
    Column("rule_id", String(80), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("as_of", DateTime(timezone=True), nullable=False),
    Column("record_json", Text, nullable=False),
    Index("ix_findings_incident", "incident_id"),
    Index("ix_findings_verdict", "agreement_id", "verdict"),
)

#: One row per import run of one file; a killed run is resumed from its checkpoint.
imports = Table(
    "imports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("format", String(20), nullable=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("options_json", Text, nullable=False),  # status, scenario: what decides the mapping
    Column("status", String(20), nullable=False),  # running | done
    Column("header_json", Text, nullable=True),  # the header of CSV files (raw rows lack it)
    # checkpoint: records and lines read, byte offset after them, rejects file size
    Column("records_done", Integer, nullable=False),
    Column("lines_done", Integer, nullable=False),
    Column("bytes_done", BigInteger, nullable=False),
    Column("rejects_path", Text, nullable=True),
    Column("rejects_bytes", BigInteger, nullable=False),
    Column("counts_json", Text, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Index("ix_imports_file", "sha256", "format"),
)

#: One row per source record (a report); the fused incident it belongs to is incident_id.
reports = Table(
    "reports",
    metadata,
    Column("id", String(200), primary_key=True),  # = the mapped incident's id
    Column("seq", BigInteger, nullable=False),  # import order: import id, row number
    Column("dataset", String(40), nullable=False),
    Column("source_id", String(200), nullable=False),
    Column("import_id", Integer, nullable=False),
    Column("row_number", Integer, nullable=False),
    Column("content_hash", String(32), nullable=False),
    Column("status", String(20), nullable=False),
    Column("event_type", String(60), nullable=False),
    Column("sub_event_type", String(60), nullable=False),
    Column("start_date", String(10), nullable=False),
    Column("end_date", String(10), nullable=False),
    Column("lat", Float, nullable=False),
    Column("lon", Float, nullable=False),
    Column("record_json", Text, nullable=False),  # the mapped incident.v1 record
    Column("raw", Text, nullable=False),  # the source record exactly as read (provenance)
    Column("incident_id", String(200), nullable=True),
    Index("ix_reports_start", "start_date"),
    Index("ix_reports_incident", "incident_id"),
    Index("ix_reports_seq", "seq"),
)

#: Report pairs that must not be fused (``ceasewatch incidents split``); a < b.
merge_constraints = Table(
    "merge_constraints",
    metadata,
    Column("a", String(200), primary_key=True),
    Column("b", String(200), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
