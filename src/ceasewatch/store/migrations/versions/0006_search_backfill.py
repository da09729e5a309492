"""Fill the search columns of incidents written by importers before they filled them
(``search_text`` NULL): GET /incidents finds them by actor, confidence and free text.

Revision ID: 0006_search_backfill
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_search_backfill"
down_revision = "0005"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
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
    after = ""
    while True:  # in batches by id: memory stays flat however many rows there are
        rows = bind.execute(
            sa.select(incidents.c.id, incidents.c.record_json)
            .where(incidents.c.search_text.is_(None), incidents.c.id > after)
            .order_by(incidents.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            break
        bind.execute(
            incidents.update()
            .where(incidents.c.id == sa.bindparam("b_id"))
            .values(
                perpetrator_actor=sa.bindparam("b_perpetrator_actor"),
                target_actor=sa.bindparam("b_target_actor"),
                confidence=sa.bindparam("b_confidence"),
                search_text=sa.bindparam("b_search_text"),
            ),
            [
                {"b_id": r.id, **{f"b_{k}": v for k, v in search_columns(r.record_json).items()}}
                for r in rows
            ],
        )
        after = rows[-1].id


def downgrade() -> None:
    """Nothing to undo: the columns stay filled."""
