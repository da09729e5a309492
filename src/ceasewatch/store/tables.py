"""The store's tables (SQLAlchemy Core). The schema itself is made by Alembic migrations
in ``store/migrations``; ``test_store`` checks the two agree."""

from __future__ import annotations

from sqlalchemy import Column, DateTime, Float, Index, MetaData, String, Table, Text

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
