"""The implementation cell: zone delineations (versioned map proposals) and their
signatures.

Self-contained: it creates only its own tables; it follows 0004 (the access tables).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_TS = sa.String(40)


def upgrade() -> None:
    op.create_table(
        "delineations",
        sa.Column("agreement_id", sa.String(80), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("subject", sa.String(80), nullable=False),
        sa.Column("zone_type", sa.String(40), nullable=False),
        sa.Column("replaces_json", sa.Text, nullable=False),
        sa.Column("answers", sa.Integer),
        sa.Column("party", sa.String(80)),
        sa.Column("proposed_by", sa.String(120), nullable=False),
        sa.Column("proposed_at", _TS, nullable=False),
        sa.Column("geojson", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_table(
        "delineation_signatures",
        sa.Column("agreement_id", sa.String(80), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("party", sa.String(80), primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("signed_by", sa.String(120), nullable=False),
        sa.Column("signed_at", _TS, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("delineation_signatures")
    op.drop_table("delineations")
