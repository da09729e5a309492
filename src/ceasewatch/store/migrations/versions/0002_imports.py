"""Imports, reports (one per source record) and merge constraints; merge reasons on
fused incidents.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incidents", sa.Column("reasons_json", sa.Text, nullable=True))
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("path", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("options_json", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("header_json", sa.Text, nullable=True),
        sa.Column("records_done", sa.Integer, nullable=False),
        sa.Column("lines_done", sa.Integer, nullable=False),
        sa.Column("bytes_done", sa.BigInteger, nullable=False),
        sa.Column("rejects_path", sa.Text, nullable=True),
        sa.Column("rejects_bytes", sa.BigInteger, nullable=False),
        sa.Column("counts_json", sa.Text, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_imports_file", "imports", ["sha256", "format"])
    op.create_table(
        "reports",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("seq", sa.BigInteger, nullable=False),
        sa.Column("dataset", sa.String(40), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("import_id", sa.Integer, nullable=False),
        sa.Column("row_number", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("sub_event_type", sa.String(60), nullable=False),
        sa.Column("start_date", sa.String(10), nullable=False),
        sa.Column("end_date", sa.String(10), nullable=False),
        sa.Column("lat", sa.Float, nullable=False),
        sa.Column("lon", sa.Float, nullable=False),
        sa.Column("record_json", sa.Text, nullable=False),
        sa.Column("raw", sa.Text, nullable=False),
        sa.Column("incident_id", sa.String(200), nullable=True),
    )
    op.create_index("ix_reports_start", "reports", ["start_date"])
    op.create_index("ix_reports_incident", "reports", ["incident_id"])
    op.create_index("ix_reports_seq", "reports", ["seq"])
    op.create_table(
        "merge_constraints",
        sa.Column("a", sa.String(200), primary_key=True),
        sa.Column("b", sa.String(200), primary_key=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("merge_constraints")
    op.drop_table("reports")
    op.drop_table("imports")
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("reasons_json")
