"""Access: convoys, their status updates, and access constraints (ACAPS categories).

Self-contained: it creates only its own tables.

Revision ID: 0004
Revises: 0003_server
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003_server"
branch_labels = None
depends_on = None

_TS = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "convoys",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("agency", sa.Text, nullable=False),
        sa.Column("route", sa.String(80)),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("updates", sa.Integer, nullable=False),
        sa.Column("record_json", sa.Text, nullable=False),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_table(
        "convoy_updates",
        sa.Column("convoy_id", sa.String(80), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("record_json", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
    )
    op.create_index("ix_convoy_updates_at", "convoy_updates", ["at"])
    op.create_table(
        "access_constraints",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("category", sa.String(40), nullable=False),
        sa.Column("start_at", _TS, nullable=False),
        sa.Column("end_at", _TS),
        sa.Column("record_json", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(120), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
    )
    op.create_index("ix_access_constraints_start", "access_constraints", ["start_at"])


def downgrade() -> None:
    op.drop_index("ix_access_constraints_start", "access_constraints")
    op.drop_table("access_constraints")
    op.drop_index("ix_convoy_updates_at", "convoy_updates")
    op.drop_table("convoy_updates")
    op.drop_table("convoys")
