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
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    text,
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
    # server (migration 0003): concurrency version, search columns, who submitted it
    Column("version", Integer, nullable=False, server_default=text("1")),
    Column("perpetrator_actor", String(80)),
    Column("target_actor", String(80)),
    Column("confidence", String(20)),
    Column("search_text", Text),
    Column("owner_party", String(80)),
    Column("created_by", String(120)),
    Column("updated_at", String(40)),
    # migration 0008: a monitor's edits, re-applied over every re-fused record
    # (incidents/edits.py: field -> value, who, when, why, version; null: none)
    Column("edits_json", Text, nullable=True),
    Index("ix_incidents_start", "start_date"),
    Index("ix_incidents_lat_lon", "lat", "lon"),
    Index("ix_incidents_status", "status", "start_date"),
    Index("ix_incidents_perpetrator", "perpetrator_actor"),
    Index("ix_incidents_owner", "owner_party"),
)
# On PostgreSQL, migration 0003 also adds ``geom``: a PostGIS point generated from
# lon/lat with a GiST index (``store.search`` uses it); it is not declared here because
# SQLite has no geometry type.

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

# ---- the server (migration 0003): users, audit log, evidence, review, queries ----------
# Timestamps of these tables are ISO 8601 text in UTC: the same bytes on both engines, so
# the audit chain hashes exactly what is stored.

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("party", String(80)),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40)),
    Column("revoked_at", String(40)),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at", String(40), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("action", String(60), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", String(200), nullable=False),
    Column("before_json", Text),
    Column("after_json", Text),
    Column("reason", Text),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
    Index("ix_audit_entity", "entity", "entity_id"),
)

evidence = Table(
    "evidence",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("incident_id", String(200), nullable=False),
    Column("filename", Text, nullable=False),
    Column("content_type", String(120), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("data", LargeBinary, nullable=False),
    Column("uploaded_by", String(120), nullable=False),
    Column("uploaded_at", String(40), nullable=False),
    Index("ix_evidence_incident", "incident_id"),
)

overrides = Table(
    "overrides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("finding_id", String(40), nullable=False),
    Column("incident_id", String(200), nullable=False),
    Column("agreement_id", String(80), nullable=False),
    Column("rule_id", String(80), nullable=False),
    Column("machine_verdict", String(20), nullable=False),
    Column("verdict", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("by_user", String(120), nullable=False),
    Column("at", String(40), nullable=False),
    Column("incident_version", Integer, nullable=False),
    Column("rule_fingerprint", String(64), nullable=False),
    Column("lapsed_at", String(40)),
    Column("lapsed_why", Text),
    Index("ix_overrides_incident", "incident_id"),
)

queries = Table(
    "queries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("incident_id", String(200), nullable=False),
    Column("party", String(80), nullable=False),
    Column("question", Text, nullable=False),
    Column("asked_by", String(120), nullable=False),
    Column("asked_at", String(40), nullable=False),
    Column("answer", Text),
    Column("answered_by", String(120)),
    Column("answered_at", String(40)),
    Index("ix_queries_incident", "incident_id"),
    Index("ix_queries_party", "party"),
)

spec_versions = Table(
    "spec_versions",
    metadata,
    Column("agreement_id", String(80), primary_key=True),
    Column("version", String(40), primary_key=True),
    Column("scenario_id", String(80), nullable=False),
    Column("file", Text, nullable=False),
    Column("files_json", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_by", String(120), nullable=False),
    Column("uploaded_at", String(40), nullable=False),
)

notifications = Table(
    "notifications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("payload_json", Text, nullable=False),
    Column("delivered_at", String(40)),
    Column("error", Text),
)

watch_state = Table(
    "watch_state",
    metadata,
    Column("key", String(200), primary_key=True),
    Column("value", Text, nullable=False),
)

# ---- the implementation cell (migration 0005): zone delineations -----------------------
# ``seq`` orders proposals and signatures of one agreement in a single sequence (what
# stood before an activation); versions are numbered per agreement.

delineations = Table(
    "delineations",
    metadata,
    Column("agreement_id", String(80), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("seq", Integer, nullable=False),
    Column("subject", String(80), nullable=False),
    Column("zone_type", String(40), nullable=False),
    Column("replaces_json", Text, nullable=False),
    Column("answers", Integer),
    Column("party", String(80)),
    Column("proposed_by", String(120), nullable=False),
    Column("proposed_at", String(40), nullable=False),
    Column("geojson", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("note", Text, nullable=False),
)

delineation_signatures = Table(
    "delineation_signatures",
    metadata,
    Column("agreement_id", String(80), primary_key=True),
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("party", String(80), primary_key=True),
    Column("seq", Integer, nullable=False),
    Column("signed_by", String(120), nullable=False),
    Column("signed_at", String(40), nullable=False),
)

# ---- access (migration 0004): convoys, their status history, access constraints ------

convoys = Table(
    "convoys",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("agency", Text, nullable=False),
    Column("route", String(80)),
    Column("status", String(20), nullable=False),  # the latest update's
    Column("updates", Integer, nullable=False),  # how many updates (the next seq)
    Column("record_json", Text, nullable=False),  # the convoy's fields, without updates
    Column("created_by", String(120), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("updated_at", String(40), nullable=False),
)

convoy_updates = Table(
    "convoy_updates",
    metadata,
    Column("convoy_id", String(80), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("status", String(20), nullable=False),
    Column("at", String(40), nullable=False),  # UTC ISO 8601 of the update's moment
    Column("record_json", Text, nullable=False),  # the update as given (time, evidence, …)
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Index("ix_convoy_updates_at", "at"),
)

access_constraints = Table(
    "access_constraints",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("category", String(40), nullable=False),
    Column("start_at", String(40), nullable=False),
    Column("end_at", String(40)),
    Column("record_json", Text, nullable=False),
    Column("recorded_by", String(120), nullable=False),
    Column("recorded_at", String(40), nullable=False),
    Index("ix_access_constraints_start", "start_at"),
)
