"""Benchmark: exporting N synthetic incidents from an SQLite store, in every format.

What is measured
----------------
* **Throughput** — ``exports.chunks(...)`` fed by ``exports.select.incidents(engine, ...)``
  (the store read through one cursor, records validated into incident.v1) and drained
  into a file, for each format: acled-csv, ucdp-csv, geojson, json, gpkg, parquet.
  Reported: wall time and incidents/s.
* **Memory** — each export runs in a fresh child process, which reports its peak
  resident set size (``getrusage().ru_maxrss``) after the export and its RSS just before
  it. Reported: the increase of the peak over that starting RSS. Goal ("constant
  memory"): the increase for N incidents is less than twice the increase for N/10
  (a writer that held the whole export would grow ten-fold).
* **Peer** — what an analyst would otherwise write: load every incident, flatten into a
  pandas DataFrame and call ``DataFrame.to_parquet`` / ``GeoDataFrame.to_file(GPKG)``
  (geopandas). Same child-process measurement. Reported: time and memory increase.

The store is built before anything is timed: N copies of the bundled al-Sukkari incident
with distinct ids, dates spread over September 2016 and points jittered around Aleppo
(``numpy.random.Generator`` seeded by ``--seed``), written with
``repository.save_incidents``.

Usage: ``python benchmarks/exports.py [--n N] [--seed S] [--smoke]``. ``--smoke`` runs
2,000 incidents (and 200 for the memory comparison) and checks no goal. The exit code is
0 either way; a full run prints ``GOAL MET`` / ``GOAL NOT MET``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

DEFAULT_N = 100_000
SMOKE_N = 2_000
FORMATS = ("acled-csv", "ucdp-csv", "geojson", "json", "gpkg", "parquet")
PEERS = ("pandas-parquet", "geopandas-gpkg")


def build_store(path: Path, n: int, seed: int) -> str:
    from ceasewatch.agreement.sources import load_bundled
    from ceasewatch.incidents import codec
    from ceasewatch.services import bundled_incidents
    from ceasewatch.store import db, repository

    base = codec.to_json(bundled_incidents(load_bundled("syria-2016"))[0])
    rng = np.random.default_rng(seed)
    url = f"sqlite:///{path}"
    engine = db.open_store(url)
    start = dt.date(2016, 9, 1)
    batch = []
    for k in range(n):
        rec = json.loads(json.dumps(base))
        day = (start + dt.timedelta(days=int(rng.integers(0, 30)))).isoformat()
        rec["id"] = f"bench-{k:07d}"
        rec["occurred"] = {**rec["occurred"], "start": day, "end": day}
        rec["location"] = {
            **rec["location"],
            "lat": 36.2 + float(rng.normal(0, 0.2)),
            "lon": 37.15 + float(rng.normal(0, 0.2)),
        }
        batch.append(codec.ADAPTER.validate_python(rec))
        if len(batch) == 10_000:
            repository.save_incidents(engine, batch)
            batch = []
    repository.save_incidents(engine, batch)
    engine.dispose()
    return url


def one(url: str, fmt: str, out: Path) -> None:
    """Run one export in this (child) process; print seconds, rows and memory as JSON."""
    import psutil

    from ceasewatch import exports
    from ceasewatch.exports import select, writers
    from ceasewatch.store import db

    engine = db.open_store(url)
    before = psutil.Process().memory_info().rss
    t0 = time.perf_counter()
    items = select.incidents(engine, select.Filters())
    if fmt == "pandas-parquet":
        n = _peer_parquet(items, out)
    elif fmt == "geopandas-gpkg":
        n = _peer_gpkg(items, out)
    else:
        counted = [0]

        def counting():  # type: ignore[no-untyped-def]
            for i in items:
                counted[0] += 1
                yield i

        with out.open("wb") as fh:
            writers.write(exports.chunks("incidents", fmt, counting()), fh)
        n = counted[0]
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": seconds, "n": n, "grow": max(peak - before, 0)}))


def _frame(items):  # type: ignore[no-untyped-def]
    import pandas as pd

    from ceasewatch.exports import flat

    rows = [flat.incident_values(i, flat.Lookups()) for i in items]
    return pd.DataFrame(rows, columns=list(flat.INCIDENTS.names))


def _peer_parquet(items, out: Path) -> int:  # type: ignore[no-untyped-def]
    df = _frame(items)
    df.to_parquet(out)
    return len(df)


def _peer_gpkg(items, out: Path) -> int:  # type: ignore[no-untyped-def]
    import geopandas as gpd

    df = _frame(items)
    for col in ("start", "end"):
        df[col] = df[col].astype(str)
    gdf = gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326"
    )
    gdf.to_file(out, driver="GPKG", layer="incidents")
    return len(gdf)


def child(url: str, fmt: str, folder: Path) -> dict[str, float]:
    out = folder / f"out-{fmt}"
    done = subprocess.run(
        [sys.executable, __file__, "--one", fmt, "--url", url, "--out", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{fmt} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["bytes"] = out.stat().st_size
    return result


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--n", type=int, default=DEFAULT_N, help="number of incidents")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--smoke", action="store_true", help="a small run; no goal checked")
    p.add_argument("--one", help=argparse.SUPPRESS)
    p.add_argument("--url", help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.one:
        one(args.url, args.one, Path(args.out))
        return
    n = SMOKE_N if args.smoke else args.n
    small = max(n // 10, 1)
    print(f"python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print("reproduce: python benchmarks/exports.py " + shlex.join(argv or sys.argv[1:]))
    with tempfile.TemporaryDirectory(prefix="ceasewatch-bench-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        big_url = build_store(folder / "big.db", n, args.seed)
        print(f"store built: {n:,} incidents ({time.perf_counter() - t0:.1f} s, not timed)")
        if args.smoke:  # in this process, formats only: a few seconds
            print(f"\n{'format':<16}{'incidents/s':>14}{'seconds':>10}")
            for fmt in FORMATS:
                t1 = time.perf_counter()
                one_in_process(big_url, fmt, folder / f"out-{fmt}", n)
                seconds = time.perf_counter() - t1
                print(f"{fmt:<16}{n / seconds:>14,.0f}{seconds:>10.2f}")
            print("\nsmoke run: throughput in incidents/s; no memory comparison, no goal")
            return
        small_url = build_store(folder / "small.db", small, args.seed)
        print(f"\n{'format':<16}{'incidents/s':>14}{'seconds':>10}{'MB out':>9}"
              f"{'RSS +MB (N)':>13}{'RSS +MB (N/10)':>16}")  # fmt: skip
        met = True
        for fmt in FORMATS + PEERS:
            big = child(big_url, fmt, folder)
            low = child(small_url, fmt, folder)
            assert big["n"] == n and low["n"] == small
            grow, grow_small = big["grow"] / 2**20, low["grow"] / 2**20
            constant = grow < 2 * max(grow_small, 1.0)
            if fmt in FORMATS:
                met &= constant
            print(
                f"{fmt:<16}{n / big['seconds']:>14,.0f}{big['seconds']:>10.2f}"
                f"{big['bytes'] / 2**20:>9.1f}{grow:>13.1f}{grow_small:>16.1f}"
                + ("" if fmt in FORMATS else "   (peer: holds everything)")
            )
        print(f"\nN = {n:,}; throughput in incidents/s; memory: peak RSS growth during the export")
        print(
            "GOAL MET" if met else "GOAL NOT MET",
            "— constant memory: every format's growth for N < 2 × its growth for N/10",
        )


def one_in_process(url: str, fmt: str, out: Path, n: int) -> None:
    from ceasewatch import exports
    from ceasewatch.exports import select, writers
    from ceasewatch.store import db

    engine = db.open_store(url)
    with out.open("wb") as fh:
        writers.write(
            exports.chunks("incidents", fmt, select.incidents(engine, select.Filters())), fh
        )
    engine.dispose()


if __name__ == "__main__":
    main()
