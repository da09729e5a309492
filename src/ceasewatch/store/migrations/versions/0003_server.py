"""The server: users and tokens, the audit chain, evidence, overrides, queries, agreement
versions, notifications; search columns and a version on incidents; PostGIS on PostgreSQL.

Self-contained: it creates only its own tables and adds only its own columns, so it can be
chained after any revision that leaves the 0001 tables in place.

Revision ID: 0003_server
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_server"
down_revision = "0002"
branch_labels = None
depends_on = None

_TS = sa.String(40)


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(
            sa.Column("version", sa.Integer, nullable=False, server_default=sa.text("1"))
        )
        batch.add_column(sa.Column("perpetrator_actor", sa.String(80)))
        batch.add_column(sa.Column("target_actor", sa.String(80)))
        batch.add_column(sa.Column("confidence", sa.String(20)))
        batch.add_column(sa.Column("search_text", sa.Text))
        batch.add_column(sa.Column("owner_party", sa.String(80)))
        batch.add_column(sa.Column("created_by", sa.String(120)))
        batch.add_column(sa.Column("updated_at", _TS))
        batch.create_index("ix_incidents_status", ["status", "start_date"])
        batch.create_index("ix_incidents_perpetrator", ["perpetrator_actor"])
        batch.create_index("ix_incidents_owner", ["owner_party"])
    # rows written before this revision: fill the search columns from the record
    _backfill()
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        op.execute(
            "ALTER TABLE incidents ADD COLUMN geom geometry(Point, 4326) "
            "GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED"
        )
        op.execute("CREATE INDEX ix_incidents_geom ON incidents USING GIST (geom)")

    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("party", sa.String(80)),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("expires_at", _TS),
        sa.Column("revoked_at", _TS),
    )
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("entity_id", sa.String(200), nullable=False),
        sa.Column("before_json", sa.Text),
        sa.Column("after_json", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_entity", "audit_log", ["entity", "entity_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("incident_id", sa.String(200), nullable=False),
        sa.Column("filename", sa.Text, nullable=False),
        sa.Column("content_type", sa.String(120), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("data", sa.LargeBinary, nullable=False),
        sa.Column("uploaded_by", sa.String(120), nullable=False),
        sa.Column("uploaded_at", _TS, nullable=False),
    )
    op.create_index("ix_evidence_incident", "evidence", ["incident_id"])
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("finding_id", sa.String(40), nullable=False),
        sa.Column("incident_id", sa.String(200), nullable=False),
        sa.Column("agreement_id", sa.String(80), nullable=False),
        sa.Column("rule_id", sa.String(80), nullable=False),
        sa.Column("machine_verdict", sa.String(20), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("by_user", sa.String(120), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("incident_version", sa.Integer, nullable=False),
        sa.Column("rule_fingerprint", sa.String(64), nullable=False),
        sa.Column("lapsed_at", _TS),
        sa.Column("lapsed_why", sa.Text),
    )
    op.create_index("ix_overrides_incident", "overrides", ["incident_id"])
    op.create_table(
        "queries",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(200), nullable=False),
        sa.Column("party", sa.String(80), nullable=False),
        sa.Column("question", sa.Text, nullable=False),
        sa.Column("asked_by", sa.String(120), nullable=False),
        sa.Column("asked_at", _TS, nullable=False),
        sa.Column("answer", sa.Text),
        sa.Column("answered_by", sa.String(120)),
        sa.Column("answered_at", _TS),
    )
    op.create_index("ix_queries_incident", "queries", ["incident_id"])
    op.create_index("ix_queries_party", "queries", ["party"])
    op.create_table(
        "spec_versions",
        sa.Column("agreement_id", sa.String(80), primary_key=True),
        sa.Column("version", sa.String(40), primary_key=True),
        sa.Column("scenario_id", sa.String(80), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("files_json", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(120), nullable=False),
        sa.Column("uploaded_at", _TS, nullable=False),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload_json", sa.Text, nullable=False),
        sa.Column("delivered_at", _TS),
        sa.Column("error", sa.Text),
    )
    op.create_table(
        "watch_state",
        sa.Column("key", sa.String(200), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def _backfill() -> None:
    from ceasewatch.store.rows import search_columns

    bind = op.get_bind()
    incidents = sa.table(
        "incidents",
        sa.column("id"),
        sa.column("record_json"),
        sa.column("perpetrator_actor"),
        sa.column("target_actor"),
        sa.column("confidence"),
        sa.column("search_text"),
    )
    rows = bind.execute(sa.select(incidents.c.id, incidents.c.record_json)).all()
    for row in rows:
        bind.execute(
            incidents.update()
            .where(incidents.c.id == row.id)
            .values(**search_columns(row.record_json))
        )


def downgrade() -> None:
    for name in (
        "watch_state",
        "notifications",
        "spec_versions",
        "queries",
        "overrides",
        "evidence",
        "audit_log",
        "users",
    ):
        op.drop_table(name)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_incidents_geom")
        op.execute("ALTER TABLE incidents DROP COLUMN IF EXISTS geom")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_index("ix_incidents_owner")
        batch.drop_index("ix_incidents_perpetrator")
        batch.drop_index("ix_incidents_status")
        for col in (
            "updated_at",
            "created_by",
            "owner_party",
            "search_text",
            "confidence",
            "target_actor",
            "perpetrator_actor",
            "version",
        ):
            batch.drop_column(col)
