"""Import throughput: N UCDP GED rows into a fresh SQLite store, ceasewatch vs pandas.

    python benchmarks/import_throughput.py [--rows 1000000] [--smoke] [--keep DIR]

Makes a UCDP-format CSV of N rows — the real UCDP GED Syria rows of ../shared resampled
in date order (as UCDP exports are), each with a new id, its point moved up to ~1 km and
its toll varied; synthetic rows when ../shared is absent — then, each in its own
subprocess, times on the same file:

* ``ceasewatch import ucdp FILE --no-fuse`` into a fresh SQLite file: streaming read,
  mapping every row to incident.v1, P-codes, per-row provenance, batched transactions
  with checkpoints — as by default (on two or more CPUs with no mapping workers: this
  process reads and maps, a writer process makes the JSON and writes), again with
  ``--no-writer-process`` (one process does it all), and with the other choice of
  mapping workers (one where the default is none, else none). Fusion runs after, as
  ``ceasewatch incidents fuse``: timed separately on a prefix of the file, since its cost
  follows event density, not file size;
* the peer: ``pandas.read_csv(FILE)`` + ``DataFrame.to_sql`` on a ``sqlite3`` connection
  (pandas' fast path), and on a SQLAlchemy engine;

and prints rows/s, the ratio and each run's peak memory (psutil, sampled: the process's
resident set plus the pages only its child processes hold) and CPU time
(user + system, its worker processes included: on a loaded machine the fairer
comparison). ``run(n, smoke)`` returns the figures for ``benchmarks/fusion.py``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_UCDP = (
    ROOT.parent / "shared" / "data" / "ucdp-ged-syria" / "ged191_syria_20160101-20191130.csv"
)
FUSION_PREFIX = 20_000

COLUMNS = (
    "id,year,active_year,type_of_violence,conflict_new_id,conflict_name,dyad_new_id,dyad_name,"
    "side_a_new_id,side_a,side_b_new_id,gwnob,side_b,number_of_sources,source_article,"
    "source_office,source_date,source_headline,source_original,where_prec,where_coordinates,"
    "adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,"
    "event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,"
    "deaths_unknown,low,best,high"
).split(",")


def _synthetic_pool() -> list[dict[str, str]]:
    sides = ["Government of Syria", "IS", "Syrian insurgents", "SDF"]
    pool = []
    for k in range(400):
        row = dict.fromkeys(COLUMNS, "")
        row.update(
            id=str(k), type_of_violence=str(1 + k % 3), side_a=sides[k % 4],
            side_b="Civilians" if k % 3 == 2 else "Syrian insurgents",
            source_office="SOHR", source_date="2016-01-01",
            source_headline="Shelling reported" if k % 2 else "Clashes reported",
            where_prec=str(1 + k % 4), where_coordinates=f"Place {k} town",
            latitude=f"{33.0 + (k * 37 % 400) / 100:.4f}",
            longitude=f"{36.2 + (k * 53 % 500) / 100:.4f}", country="Syria",
            event_clarity="1", date_prec="1", deaths_civilians="0",
            low=str(k % 5), best=str(k % 5), high=str(k % 5 + 1),
        )  # fmt: skip
        pool.append(row)
    return pool


def make_file(path: Path, n: int, seed: int = 7) -> str:
    """Write ``n`` UCDP-format rows to ``path``; returns where the rows came from."""
    if SHARED_UCDP.exists():
        with SHARED_UCDP.open(encoding="utf-8", newline="") as fh:
            pool = list(csv.DictReader(fh))
        origin = f"resampled from {SHARED_UCDP.name}"
    else:
        pool = _synthetic_pool()
        origin = "synthetic (../shared is absent)"
    rng = random.Random(seed)
    first, last = dt.date(2016, 1, 1), dt.date(2019, 11, 30)
    span = (last - first).days + 1
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for k in range(n):
            src = rng.choice(pool)
            row = dict(src)
            day = first + dt.timedelta(days=k * span // n)
            try:
                length = (
                    dt.date.fromisoformat(src["date_end"])
                    - dt.date.fromisoformat(src["date_start"])
                ).days
            except ValueError:
                length = 0
            best = int(src["best"] or 0) + rng.randint(0, 2)
            row.update(
                id=str(1_000_000 + k),
                year=str(day.year),
                date_start=day.isoformat(),
                date_end=(day + dt.timedelta(days=length)).isoformat(),
                latitude=f"{float(src['latitude']) + rng.uniform(-0.01, 0.01):.6f}",
                longitude=f"{float(src['longitude']) + rng.uniform(-0.01, 0.01):.6f}",
                low=str(best),
                best=str(best),
                high=str(best + rng.randint(0, 3)),
            )
            w.writerow(row)
    return origin


def _measure(argv: list[str], env: dict[str, str]) -> tuple[float, float, str, float]:
    """Wall seconds, peak memory (MB; sampled with psutil: its RSS and its children's
    unique pages),
    output and CPU seconds (user + system, with the processes it waited for) of a
    subprocess."""
    import resource

    import psutil

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    ps = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        # the process's resident set, and the pages only its children (a writer process,
        # mapping workers: forked, sharing the rest) hold
        try:
            rss = ps.memory_info().rss
            for child in ps.children(recursive=True):
                try:
                    rss += child.memory_full_info().uss
                except psutil.Error:
                    pass
            peak = max(peak, rss)
        except psutil.Error:
            break
        time.sleep(0.02)
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:3])} failed:\n{err}")
    return seconds, peak / 1e6, out, cpu


CEASEWATCH = textwrap.dedent(
    """
    import sys
    from ceasewatch.cli import main
    sys.argv = ["ceasewatch", *sys.argv[1:]]
    main()
    """
)

PANDAS = textwrap.dedent(
    """
    import sys, sqlite3
    import pandas as pd
    path, db, how = sys.argv[1:4]
    df = pd.read_csv(path)
    if how == "sqlite3":
        con = sqlite3.connect(db)
        df.to_sql("ged", con, index=False)
        con.close()
    else:
        from sqlalchemy import create_engine
        engine = create_engine(f"sqlite:///{db}")
        df.to_sql("ged", engine, index=False)
        engine.dispose()
    """
)


def run(n: int, smoke: bool = False, keep: Path | None = None) -> dict[str, Any]:
    """Time both importers on ``n`` rows; the figures as a dict (see the module doc)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    with tempfile.TemporaryDirectory(dir=keep) as tmp:
        folder = Path(tmp)
        data = folder / "ged.csv"
        origin = make_file(data, n)
        size_mb = data.stat().st_size / 1e6
        db = folder / "ceasewatch.db"
        secs, peak, _, cpu = _measure(
            [sys.executable, "-c", CEASEWATCH, "import", "ucdp", str(data), "--db",
             f"sqlite:///{db}", "--no-fuse", "--rejects", str(folder / "rejects.csv")],
            env,
        )  # fmt: skip
        ours = {"seconds": secs, "rows_per_s": n / secs, "peak_mb": peak, "cpu_s": cpu}
        # the same import with the other choice of worker processes, for comparison:
        # one mapping worker when the default is none (two CPUs or fewer), else none
        other = 1 if _default_workers() == 0 else 0
        db0 = folder / "ceasewatch-0.db"
        secs0, peak0, _, cpu0 = _measure(
            [sys.executable, "-c", CEASEWATCH, "import", "ucdp", str(data), "--db",
             f"sqlite:///{db0}", "--no-fuse", "--workers", str(other),
             "--rejects", str(folder / "rejects0.csv")],
            env,
        )  # fmt: skip
        db0.unlink()
        one = {
            "seconds": secs0,
            "rows_per_s": n / secs0,
            "peak_mb": peak0,
            "cpu_s": cpu0,
            "workers": other,
        }
        # in one process, no writer process (not on a smoke run, which only checks that
        # the benchmark runs)
        behind = None
        if not smoke:
            db1 = folder / "ceasewatch-1.db"
            secs1, peak1, _, cpu1 = _measure(
                [sys.executable, "-c", CEASEWATCH, "import", "ucdp", str(data), "--db",
                 f"sqlite:///{db1}", "--no-fuse", "--no-writer-process",
                 "--rejects", str(folder / "rejects1.csv")],
                env,
            )  # fmt: skip
            db1.unlink()
            behind = {
                "seconds": secs1,
                "rows_per_s": n / secs1,
                "peak_mb": peak1,
                "cpu_s": cpu1,
            }
        peers = {}
        for how in ("sqlite3",) if smoke else ("sqlite3", "sqlalchemy"):
            peer_db = folder / f"pandas-{how}.db"
            psecs, ppeak, _, pcpu = _measure(
                [sys.executable, "-c", PANDAS, str(data), str(peer_db), how], env
            )
            peers[how] = {
                "seconds": psecs,
                "rows_per_s": n / psecs,
                "peak_mb": ppeak,
                "cpu_s": pcpu,
            }
        # fusion, as `ceasewatch incidents fuse` after an import --no-fuse: of the whole
        # store on a small run, of a prefix of the file otherwise
        prefix_n = min(n, FUSION_PREFIX)
        fdb = f"sqlite:///{db}"
        if prefix_n < n:
            prefix = folder / "prefix.csv"
            with data.open(encoding="utf-8") as src, prefix.open("w", encoding="utf-8") as dst:
                for k, line in enumerate(src):
                    if k > prefix_n:
                        break
                    dst.write(line)
            fdb = f"sqlite:///{folder / 'fusion.db'}"
            _measure(
                [sys.executable, "-c", CEASEWATCH, "import", "ucdp", str(prefix), "--db", fdb,
                 "--no-fuse", "--rejects", str(folder / "rejects2.csv")],
                env,
            )  # fmt: skip
        fsecs, fpeak, _, _ = _measure(
            [sys.executable, "-c", CEASEWATCH, "incidents", "fuse", "--db", fdb], env
        )
    best_peer = max(peers.values(), key=lambda p: p["rows_per_s"])
    return {
        "rows": n,
        "file_mb": size_mb,
        "origin": origin,
        "ceasewatch": ours,
        "ceasewatch_other_workers": one,
        "ceasewatch_one_process": behind,
        "workers": _default_workers(),
        "pandas": peers,
        "ratio": ours["rows_per_s"] / best_peer["rows_per_s"],
        "ratio_one_process": behind["rows_per_s"] / best_peer["rows_per_s"]
        if behind is not None
        else None,
        # CPU seconds of the peer's fast path over ours: > 1 when ours needs less CPU
        "cpu_ratio": peers["sqlite3"]["cpu_s"] / ours["cpu_s"],
        "ratio_sqlalchemy": ours["rows_per_s"] / peers["sqlalchemy"]["rows_per_s"]
        if "sqlalchemy" in peers
        else None,
        "fusion": {
            "rows": prefix_n,
            "seconds": fsecs,
            "rows_per_s": prefix_n / fsecs,
            "peak_mb": fpeak,
        },
    }


def _default_workers() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from ceasewatch.ingest.pipeline import default_workers

    return default_workers()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--smoke", action="store_true", help="a small run (1,000 rows)")
    parser.add_argument("--keep", type=Path, help="make the temporary files under DIR")
    args = parser.parse_args()
    n = 1_000 if args.smoke else args.rows
    r = run(n, args.smoke, args.keep)
    c, p, c0 = r["ceasewatch"], r["pandas"], r["ceasewatch_other_workers"]
    c1 = r["ceasewatch_one_process"]
    print(f"UCDP-format rows: {n:,} ({r['file_mb']:.0f} MB, {r['origin']}); {os.cpu_count()} CPUs")

    def line(label: str, f: dict[str, Any]) -> None:
        print(
            f"{label:<46}: {f['rows_per_s']:>10,.0f} rows/s  ({f['seconds']:.1f} s, "
            f"CPU {f['cpu_s']:.1f} s, peak {f['peak_mb']:.0f} MB)"
        )

    line(f"ceasewatch import --no-fuse ({r['workers']} mapping workers)", c)
    if c1 is not None:
        line("ceasewatch import --no-fuse --no-writer-process", c1)
    line(f"ceasewatch import --no-fuse --workers {c0['workers']}", c0)
    for how, f in p.items():
        line(f"pandas read_csv+to_sql ({how})", f)
    print(f"ratio ceasewatch / fastest pandas: {r['ratio']:.2f}")
    if r["ratio_one_process"] is not None:
        print(
            f"ratio ceasewatch --no-writer-process / fastest pandas: {r['ratio_one_process']:.2f}"
        )
    print(f"CPU time, pandas (sqlite3) / ceasewatch: {r['cpu_ratio']:.2f}")
    if r["ratio_sqlalchemy"] is not None:
        print(f"ratio ceasewatch / pandas on a SQLAlchemy engine: {r['ratio_sqlalchemy']:.2f}")
    f = r["fusion"]
    print(
        f"ceasewatch incidents fuse ({f['rows']:,} reports): {f['rows_per_s']:,.0f} rows/s "
        f"({f['seconds']:.1f} s, peak {f['peak_mb']:.0f} MB)"
    )
    print(f"reproduce: python benchmarks/import_throughput.py --rows {n}")


if __name__ == "__main__":
    main()
