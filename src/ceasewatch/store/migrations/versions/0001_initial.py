"""Scenarios, agreements, incidents and findings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("files_json", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "agreements",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("version", sa.String(40), primary_key=True),
        sa.Column("scenario_id", sa.String(80), nullable=False),
        sa.Column("file", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("sub_event_type", sa.String(60), nullable=False),
        sa.Column("start_date", sa.String(10), nullable=False),
        sa.Column("end_date", sa.String(10), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("record_json", sa.Text, nullable=False),
    )
    op.create_index("ix_incidents_start", "incidents", ["start_date"])
    op.create_index("ix_incidents_lat_lon", "incidents", ["lat", "lon"])
    op.create_table(
        "findings",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("incident_id", sa.String(200), nullable=False),
        sa.Column("agreement_id", sa.String(80), nullable=False),
        sa.Column("agreement_version", sa.String(40), nullable=False),
        sa.Column("rule_id", sa.String(80), nullable=False),
        sa.Column("verdict", sa.String(20), nullable=False),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("record_json", sa.Text, nullable=False),
    )
    op.create_index("ix_findings_incident", "findings", ["incident_id"])
    op.create_index("ix_findings_verdict", "findings", ["agreement_id", "verdict"])


def downgrade() -> None:
    op.drop_table("findings")
    op.drop_table("incidents")
    op.drop_table("agreements")
    op.drop_table("scenarios")
