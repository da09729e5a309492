"""SQLite: an R*Tree over the incidents' points for bounding-box and zone searches, kept
in sync by triggers (PostgreSQL has PostGIS and its GiST index since 0003).

The R*Tree is keyed by the incident row's ``rowid``; its boxes are 32-bit floats rounded
outward, so it finds a superset and the search checks ``lat``/``lon`` exactly on the rows
it finds (store/search.py).

Revision ID: 0007_sqlite_rtree
Revises: 0006_search_backfill
"""

from __future__ import annotations

from alembic import op

revision = "0007_sqlite_rtree"
down_revision = "0006_search_backfill"
branch_labels = None
depends_on = None

STATEMENTS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS incidents_rtree "
    "USING rtree(id, min_lon, max_lon, min_lat, max_lat)",
    "INSERT INTO incidents_rtree (id, min_lon, max_lon, min_lat, max_lat) "
    "SELECT rowid, lon, lon, lat, lat FROM incidents",
    "CREATE TRIGGER IF NOT EXISTS incidents_rtree_insert AFTER INSERT ON incidents BEGIN "
    "INSERT INTO incidents_rtree (id, min_lon, max_lon, min_lat, max_lat) "
    "VALUES (new.rowid, new.lon, new.lon, new.lat, new.lat); END",
    "CREATE TRIGGER IF NOT EXISTS incidents_rtree_delete AFTER DELETE ON incidents BEGIN "
    "DELETE FROM incidents_rtree WHERE id = old.rowid; END",
    "CREATE TRIGGER IF NOT EXISTS incidents_rtree_update AFTER UPDATE OF lat, lon ON incidents "
    "BEGIN UPDATE incidents_rtree SET min_lon = new.lon, max_lon = new.lon, "
    "min_lat = new.lat, max_lat = new.lat WHERE id = new.rowid; END",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in STATEMENTS:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("incidents_rtree_insert", "incidents_rtree_delete", "incidents_rtree_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS incidents_rtree")
