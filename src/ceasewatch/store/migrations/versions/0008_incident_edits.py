"""Monitors' edits of an incident kept apart from the fused record (``edits_json``): the
fields a monitor changed by hand or by review, re-applied whenever fusion rebuilds the
incident from its reports (docs/fusion.md, "Fusion and the monitors' edits").

Incidents edited before this revision have no overlay: their next re-fusion keeps only
what the reports say (as before); every edit from now on is kept.

Revision ID: 0008_incident_edits
Revises: 0007_sqlite_rtree
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_incident_edits"
down_revision = "0007_sqlite_rtree"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("incidents", sa.Column("edits_json", sa.Text, nullable=True))


def downgrade() -> None:
    op.drop_column("incidents", "edits_json")
