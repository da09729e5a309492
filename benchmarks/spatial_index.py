"""Benchmark: SQLite's bounding-box search with the R*Tree (migration 0005) against the
``(lat, lon)`` B-tree index it replaced, on one store, in one run.

What is measured
----------------
N synthetic incidents (benchmarks/api.py's, spread over Syria) are loaded into a fresh
SQLite store through the migrations, so the R*Tree is kept by its triggers as the rows go
in. Then the search GET /api/v1/incidents sends for a random 0.3° box and 30-day window
(first 100, newest first) runs Q times in each of two forms, interleaved over three
rounds so that other work on the machine falls on both alike: through the R*Tree (what
``store/search.py`` sends), and as a range scan of the ``(lat, lon)`` index (what it sent
before). Reported: milliseconds per search for each, and their ratio; and rows/s inserting
into the incidents table with and without the R*Tree's trigger (the price of keeping it).

Usage: ``python benchmarks/spatial_index.py [--n N] [--queries Q] [--smoke]``; ``--smoke``
is 2,000 incidents and 20 queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shlex
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import api  # noqa: E402  (benchmarks/api.py: the same synthetic incidents)

SELECT = (
    "SELECT id, status, version, owner_party, created_by, updated_at, lat, lon, record_json "
    "FROM incidents WHERE status = 'published' AND {place} AND end_date || '' >= ? "
    "AND start_date || '' <= ? ORDER BY start_date DESC, id LIMIT 100"
)
FORMS = {
    "R*Tree": (
        "incidents.rowid IN (SELECT id FROM incidents_rtree WHERE max_lon >= ? AND "
        "min_lon <= ? AND max_lat >= ? AND min_lat <= ?) AND lat + 0 BETWEEN ? AND ? AND "
        "lon + 0 BETWEEN ? AND ?",
        lambda b: (b[0], b[2], b[1], b[3], b[1], b[3], b[0], b[2]),
    ),
    "(lat, lon) index": (
        "lat BETWEEN ? AND ? AND lon BETWEEN ? AND ?",
        lambda b: (b[1], b[3], b[0], b[2]),
    ),
}


def searches(q: int, seed: int) -> list[tuple[float, float, float, float, str, str]]:
    rng = random.Random(seed)
    out = []
    for _ in range(q):
        lon = rng.uniform(api.LON[0], api.LON[1] - 0.3)
        lat = rng.uniform(api.LAT[0], api.LAT[1] - 0.3)
        start = api.DAY0 + dt.timedelta(days=rng.randrange(330))
        end = start + dt.timedelta(days=30)
        out.append((lon, lat, lon + 0.3, lat + 0.3, start.isoformat(), end.isoformat()))
    return out


def time_searches(
    path: Path, queries: list[tuple[float, float, float, float, str, str]]
) -> dict[str, float]:
    conn = sqlite3.connect(path)
    spent = dict.fromkeys(FORMS, 0.0)
    found: dict[str, int] = dict.fromkeys(FORMS, 0)
    for _ in range(3):
        for name, (place, args) in FORMS.items():
            sql = SELECT.format(place=place)
            t0 = time.perf_counter()
            for b in queries:
                found[name] += len(conn.execute(sql, (*args(b), b[4], b[5])).fetchall())
            spent[name] += time.perf_counter() - t0
    conn.close()
    if len(set(found.values())) != 1:
        raise SystemExit(f"the two forms found different rows: {found}")
    return {name: 1000 * s / (3 * len(queries)) for name, s in spent.items()}


def _migration_0005():  # type: ignore[no-untyped-def]
    import importlib.util

    from ceasewatch.store import db

    path = db.MIGRATIONS / "versions" / "0007_sqlite_rtree.py"
    spec = importlib.util.spec_from_file_location("migration_0005", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def insert_rate(n: int, with_rtree: bool) -> float:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE incidents (id TEXT PRIMARY KEY, lat REAL, lon REAL, body TEXT)")
    conn.execute("CREATE INDEX ix_incidents_lat_lon ON incidents (lat, lon)")
    if with_rtree:  # the R*Tree and its insert trigger, as migration 0005 makes them
        statements = _migration_0005().STATEMENTS
        conn.execute(statements[0])
        conn.execute(statements[2])
    rng = random.Random(1)
    rows = [(f"i{k}", rng.uniform(*api.LAT), rng.uniform(*api.LON), "x" * 400) for k in range(n)]
    t0 = time.perf_counter()
    conn.executemany("INSERT INTO incidents VALUES (?, ?, ?, ?)", rows)
    conn.commit()
    return n / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=200_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    if args.smoke:
        args.n, args.queries = 2000, 20
    print("$ " + shlex.join([Path(sys.executable).name, *sys.argv]))
    print(
        f"python {platform.python_version()}, sqlite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} cores, {args.n:,} incidents, load average "
        f"{os.getloadavg()[0]:.1f} (other work on the machine skews the figures)"
    )
    path = Path(tempfile.mkdtemp(prefix="cw-spatial-")) / "store.db"
    took = api.load(f"sqlite:///{path}", args.n, 7)
    print(f"load: {args.n:,} incidents in {took:.1f} s ({args.n / took:,.0f} incidents/s)")
    ms = time_searches(path, searches(args.queries, 5))
    for name, value in ms.items():
        print(f"  bbox + 30-day search, {name:<17} {value:7.2f} ms")
    print(f"  the R*Tree takes {ms['R*Tree'] / ms['(lat, lon) index']:.2f}× the index scan's time")
    plain, kept = insert_rate(min(args.n, 100_000), False), insert_rate(min(args.n, 100_000), True)
    print(f"  inserts: {plain:,.0f} rows/s without the R*Tree, {kept:,.0f} rows/s with it")


if __name__ == "__main__":
    main()
