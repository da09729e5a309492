"""Benchmark: the API under load — bbox + date-range searches and single-incident reads.

What is measured
----------------
N synthetic published incidents are loaded into a fresh store (SQLite file; PostgreSQL +
PostGIS as well when ``--pg URL`` or ``$CEASEWATCH_TEST_PG`` names a server: the
benchmark makes its own database ``<that URL's database>_bench`` beside it). Two
measures, the same for every server:

1. **Service time**, in process and unloaded: ``--serial`` searches and as many single
   reads, one at a time, through the server's ASGI app — wall time and this process's
   CPU time per request (the CPU time is the figure least moved by other work on the
   machine; PostgreSQL's own processes are not in it).
2. **Rate held**: the server runs as ``ceasewatch serve`` in its own process (one uvicorn
   worker), pinned to one core; a load generator runs in a second process pinned to the
   other (``os.sched_setaffinity``). The generator is open-loop: at a fixed rate R it
   sends one request every 1/R s whether or not earlier ones have come back, half of them
   searches (``GET /api/v1/incidents?bbox=…&start=…&end=…``, a random 0.3° box and 30-day
   window, first 100 newest) and half single reads (``GET /api/v1/incidents/{id}`` of a
   random id), all as the public (published only). Each latency is measured from the
   moment the request was due, so queueing counts. Rates step up (10, 20, 30, 40, 60, 80,
   100, 120, 160, 200, 240, 320, 400 req/s) for ``--seconds`` each (longer where that
   makes fewer than 300 requests), every step run ``--repeats`` times with fresh
   requests; a rate is *held* when every run of it has p99 < 100 ms and under 1 %
   failed; the first rate not held ends a server's climb. All servers run at once and
   climb together — at each rate, the first run of every server, then the second — so
   other work on the machine falls on all of them alike. Reported: the highest rate held,
   per server.

**Peer** — datasette (when installed: ``pip install datasette``) serving the same SQLite
file, answering the same two questions with the equivalent SQL through its JSON API
(``/store.json?sql=…&_shape=array``, same filters, order and limit, same indexes). It does
less than ceasewatch (no role scope, no redaction, no incident.v1 records: raw rows), so a
ceasewatch rate ≥ datasette's is the goal, on each engine.

Usage: ``python benchmarks/api.py [--n N] [--seconds S] [--repeats R] [--serial K]
[--pg URL] [--keep DIR] [--smoke]``. ``--keep DIR`` keeps the SQLite store in DIR (and
the PostgreSQL database) and uses them again when they already hold N incidents (no
reload). ``--smoke`` loads 2,000 incidents, measures service time over 20 requests and
one low rate for one second on SQLite only (no peer) and checks no goal. Loading (not
timed as serving) is reported in incidents/s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.util
import json
import multiprocessing as mp
import os
import platform
import random
import shlex
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVENTS = [
    ("Explosions/Remote violence", "Air/drone strike", ["airstrike"]),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", ["shelling"]),
    ("Battles", "Armed clash", ["gunfire"]),
    ("Violence against civilians", "Attack", []),
]
LON, LAT = (35.7, 42.4), (32.3, 37.3)
DAY0 = dt.date(2016, 1, 1)


def records(n: int, seed: int) -> Any:
    rng = random.Random(seed)
    for i in range(n):
        et, st, method = EVENTS[i % len(EVENTS)]
        day = (DAY0 + dt.timedelta(days=rng.randrange(366))).isoformat()
        yield {
            "id": f"bench-{i:07d}",
            "event_type": et,
            "sub_event_type": st,
            "occurred": {"start": day, "end": day, "time": None, "precision": "day", "note": None},
            "location": {
                "lat": round(rng.uniform(*LAT), 5),
                "lon": round(rng.uniform(*LON), 5),
                "precision": "town",
                "name": f"place {i % 5000}",
                "admin1_pcode": None,
                "admin2_pcode": None,
                "country": "SY",
            },
            "status": "published",
            "submitted_by": "bench",
            "method": method,
            "perpetrator": {"text": None, "actor": None, "attribution": "unknown"},
            "target": None,
            "fatalities": {"low": i % 7, "best": i % 7, "high": None},
            "civilian_fatalities": None,
            "injured": None,
            "sources": [],
            "confidence": "fair",
        }


def load(url: str, n: int, seed: int) -> float:
    """Fill a migrated store with n incidents; seconds taken."""
    from ceasewatch.incidents import codec
    from ceasewatch.store import db
    from ceasewatch.store import tables as t
    from ceasewatch.store.rows import search_columns

    engine = db.open_store(url)
    started = time.perf_counter()
    batch: list[dict[str, Any]] = []
    first = True
    with engine.begin() as conn:
        for rec in records(n, seed):
            if first:  # the synthetic form is valid incident.v1
                codec.ADAPTER.validate_python(rec)
                first = False
            occ, loc = rec["occurred"], rec["location"]
            batch.append(
                {
                    "id": rec["id"],
                    "status": "published",
                    "event_type": rec["event_type"],
                    "sub_event_type": rec["sub_event_type"],
                    "start_date": occ["start"],
                    "end_date": occ["end"],
                    "lat": loc["lat"],
                    "lon": loc["lon"],
                    "record_json": json.dumps(rec),
                    "version": 1,
                    "updated_at": "2026-01-01T00:00:00.000000+00:00",
                    **search_columns(rec),
                }
            )
            if len(batch) == 20_000:
                conn.execute(t.incidents.insert(), batch)
                batch = []
        if batch:
            conn.execute(t.incidents.insert(), batch)
    if engine.dialect.name == "postgresql":
        # what autovacuum would do soon after a bulk load (visibility map, statistics):
        # done now, so it does not run in the middle of a measured step
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE) incidents")
    else:
        with engine.begin() as conn:  # planner statistics
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return time.perf_counter() - started


def prewarm(url: str) -> float:
    """Read the whole store once so every server starts from the same warm cache (the
    operating system's page cache: the machine holds the store in memory, as a server
    would after its first minutes). Same for ceasewatch and the peer; seconds taken."""
    started = time.perf_counter()
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        for file in (path, path.with_name(path.name + "-wal")):
            if file.exists():
                with file.open("rb") as f:
                    while f.read(1 << 24):
                        pass
    else:
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.connect() as conn:  # a sequential pass over the table and its indexes
            conn.exec_driver_sql("SELECT sum(length(record_json)) FROM incidents").scalar()
            conn.exec_driver_sql(
                "SELECT count(*) FROM (SELECT id FROM incidents ORDER BY start_date DESC) x"
            ).scalar()
        engine.dispose()
    return time.perf_counter() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_up(url: str, timeout: float = 60) -> None:
    import httpx

    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"server did not come up at {url}")


def pin(core: int) -> None:
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > core:
        os.sched_setaffinity(0, {core})


def start_ceasewatch(db_url: str, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-c", "from ceasewatch.cli import main; main()"]
    cmd += ["serve", "--db", db_url, "--port", str(port)]
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=lambda: pin(0)
    )


def start_datasette(path: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [
        sys.executable, "-m", "datasette", "serve", str(path), "--port", str(port),
        "--setting", "sql_time_limit_ms", "10000", "--setting", "num_sql_threads", "3",
        "--immutable", str(path),
    ]  # fmt: skip
    return subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=lambda: pin(0)
    )


SEARCH_SQL = (
    "select id, record_json from incidents where status = 'published' "
    "and lat between :minlat and :maxlat and lon between :minlon and :maxlon "
    "and end_date >= :start and start_date <= :end order by start_date desc, id limit 100"
)
READ_SQL = "select id, record_json from incidents where id = :id and status = 'published'"


def request_for(kind: str, rng: random.Random, n: int, base: str, peer: bool) -> str:
    if kind == "read":
        iid = f"bench-{rng.randrange(n):07d}"
        if peer:
            return f"{base}/store.json?sql={READ_SQL}&id={iid}&_shape=array"
        return f"{base}/api/v1/incidents/{iid}"
    lon = rng.uniform(LON[0], LON[1] - 0.3)
    lat = rng.uniform(LAT[0], LAT[1] - 0.3)
    start = DAY0 + dt.timedelta(days=rng.randrange(330))
    end = start + dt.timedelta(days=30)
    if peer:
        return (
            f"{base}/store.json?sql={SEARCH_SQL}&minlat={lat}&maxlat={lat + 0.3}&minlon={lon}"
            f"&maxlon={lon + 0.3}&start={start}&end={end}&_shape=array"
        )
    return (
        f"{base}/api/v1/incidents?bbox={lon},{lat},{lon + 0.3},{lat + 0.3}"
        f"&start={start}&end={end}&limit=100"
    )


async def _run_rate(
    base: str, rate: float, seconds: float, n: int, peer: bool, seed: int
) -> dict[str, float]:
    import httpx

    rng = random.Random(seed)
    total = max(1, int(rate * seconds))
    latencies: list[float] = []
    failures = 0
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(limits=limits, timeout=10) as client:
        t0 = time.perf_counter() + 0.05

        async def one(i: int, url: str) -> None:
            nonlocal failures
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                r = await client.get(url)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - due)
            if not ok:
                failures += 1

        urls = [
            request_for("read" if i % 2 else "search", rng, n, base, peer) for i in range(total)
        ]
        await asyncio.gather(*(one(i, u) for i, u in enumerate(urls)))
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    return {
        "rate": rate,
        "p99_ms": p99 * 1000,
        "p50_ms": latencies[len(latencies) // 2] * 1000,
        "fail": failures / total,
    }


def _generator(
    conn: Any, base: str, rate: float, seconds: float, n: int, peer: bool, seed: int
) -> None:
    pin(1)
    conn.send(asyncio.run(_run_rate(base, rate, seconds, n, peer, seed)))
    conn.close()


def step(base: str, rate: float, seconds: float, n: int, peer: bool, seed: int) -> dict[str, float]:
    """One fixed rate, from a separate process pinned to one core."""
    ctx = mp.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_generator, args=(child, base, rate, seconds, n, peer, seed))
    proc.start()
    result: dict[str, float] = parent.recv()
    proc.join()
    return result


def held(r: dict[str, float]) -> bool:
    return r["p99_ms"] < 100 and r["fail"] < 0.01


RATES = [10.0, 20, 30, 40, 60, 80, 100, 120, 160, 200, 240, 320, 400]
MIN_REQUESTS = 300


@dataclass
class Climber:
    """A server on its way up the rates."""

    label: str
    base: str
    peer: bool
    best: float = 0.0
    done: bool = False


def climb(
    servers: list[Climber],
    rates: list[float],
    seconds: float,
    repeats: int,
    n: int,
    min_requests: int = 300,
) -> None:
    """Step every server up through ``rates`` together — at each rate, run k of every
    server still climbing, then run k + 1 — so other work on the machine falls on all of
    them alike. A rate is held when each of its ``repeats`` runs holds; the first rate not
    held ends a server's climb."""
    # warm up (first-request costs, the page cache over a fresh store), the same for
    # every server: a few seconds at the first rate, not measured
    for server in servers:
        step(server.base, rates[0], min(seconds, 5.0), n, server.peer, 99)
    for i, rate in enumerate(rates):
        active = [s for s in servers if not s.done]
        if not active:
            return
        runs: dict[str, list[dict[str, float]]] = {s.label: [] for s in active}
        # at least min_requests per run, so a p99 is never one or two slow requests
        length = max(seconds, min_requests / rate)
        for k in range(repeats):
            turn = active[k % len(active) :] + active[: k % len(active)]  # vary who goes first
            for server in turn:
                if runs[server.label] and not held(runs[server.label][-1]):
                    continue
                runs[server.label].append(
                    step(server.base, rate, length, n, server.peer, 100 * i + k)
                )
        for server in active:
            mine = runs[server.label]
            ok = len(mine) == repeats and all(held(r) for r in mine)
            p99s = " / ".join(f"{r['p99_ms']:.0f}" for r in mine)
            print(
                f"  {server.label:<20} {rate:>5.0f} req/s: p50 {mine[-1]['p50_ms']:6.1f} ms, "
                f"p99 {p99s} ms, failed {max(r['fail'] for r in mine):.1%}  "
                f"{'held' if ok else 'NOT held'}",
                flush=True,
            )
            if ok:
                server.best = rate
            else:
                server.done = True


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


async def _serial(app: Any, n: int, peer: bool, k: int, seed: int) -> dict[str, list[float]]:
    import httpx

    rng = random.Random(seed)
    out: dict[str, list[float]] = {}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        for kind in ("search", "read"):
            urls = [request_for(kind, rng, n, "", peer) for _ in range(k + 10)]
            for url in urls[:10]:  # first-request costs
                await client.get(url)
            wall, cpu = [], []
            for url in urls[10:]:
                w0, c0 = time.perf_counter(), time.process_time()
                r = await client.get(url)
                cpu.append((time.process_time() - c0) * 1000)
                wall.append((time.perf_counter() - w0) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"{url}: {r.status_code} {r.text[:300]}")
            out[f"{kind} wall"], out[f"{kind} cpu"] = wall, cpu
    return out


def service_times(
    url: str, sqlite_path: Path | None, n: int, k: int, label: str
) -> dict[str, list[float]]:
    """One request at a time through the server's ASGI app (ceasewatch over ``url``, or
    datasette over ``sqlite_path``), in this process."""
    if sqlite_path is None:
        from ceasewatch.server.app import create_app
        from ceasewatch.server.settings import Settings
        from ceasewatch.store import db

        engine = db.open_store(url)
        app: Any = create_app(Settings(db_url=url), engine=engine)
        times = asyncio.run(_serial(app, n, False, k, 5))
        engine.dispose()
    else:
        from datasette.app import Datasette

        ds = Datasette(
            immutables=[str(sqlite_path)],
            settings={"sql_time_limit_ms": 10000, "num_sql_threads": 3},
        )

        async def run() -> dict[str, list[float]]:
            await ds.invoke_startup()
            return await _serial(ds.app(), n, True, k, 5)

        times = asyncio.run(run())
    print(
        f"  {label:<20} service time, one request at a time ({k} each), in process:",
        flush=True,
    )
    for kind in ("search", "read"):
        wall, cpu = times[f"{kind} wall"], times[f"{kind} cpu"]
        print(
            f"  {'':<20}   {kind:<6} wall p50 {_pct(wall, 0.5):6.1f}  p90 {_pct(wall, 0.9):6.1f}"
            f"  p99 {_pct(wall, 0.99):6.1f} ms;  CPU p50 {_pct(cpu, 0.5):6.1f}"
            f"  p90 {_pct(cpu, 0.9):6.1f} ms",
            flush=True,
        )
    return times


def stored_count(url: str) -> int:
    """Incidents already in the store at ``url`` (0 when there is none)."""
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return 0
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM incidents").scalar() or 0)
    except SQLAlchemyError:
        return 0
    finally:
        engine.dispose()


def pg_store(base_url: str, keep: bool) -> str:
    """``<database>_bench`` beside the database of ``base_url``: made afresh, or (with
    ``keep``) kept when it exists."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = make_url(base_url)
    name = f"{base.database or 'ceasewatch'}_bench"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        there = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not (keep and there.first()):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--serial", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--pg", default=os.environ.get("CEASEWATCH_TEST_PG"))
    ap.add_argument("--keep", type=Path, default=None)
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args()
    rates = RATES
    if args.smoke:
        args.n, args.seconds, args.repeats, args.serial, args.pg = 2000, 1.0, 1, 20, None
        args.keep = None
        rates = [20.0]
    print("$ " + shlex.join([Path(sys.executable).name, *sys.argv]))
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores, {args.n:,} incidents, "
        f"load average {os.getloadavg()[0]:.1f} (other work on the machine skews the figures)"
    )
    folder = args.keep or Path(tempfile.mkdtemp(prefix="cw-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sqlite_path = folder / "store.db"
    stores: list[tuple[str, str]] = [("sqlite", f"sqlite:///{sqlite_path}")]
    if args.pg:
        stores.append(("postgresql", pg_store(args.pg, args.keep is not None)))
    for label, url in stores:
        if args.keep and stored_count(url) == args.n:
            from ceasewatch.store import db

            db.open_store(url).dispose()  # the newest schema
            print(f"load {label}: {args.n:,} incidents kept from an earlier run", flush=True)
        else:
            if url.startswith("sqlite:///"):
                for f in folder.glob("store.db*"):
                    f.unlink()
            took = load(url, args.n, args.seed)
            print(
                f"load {label}: {args.n:,} incidents in {took:.1f} s "
                f"({args.n / took:,.0f} incidents/s)",
                flush=True,
            )
        print(f"  page cache warmed in {prewarm(url):.1f} s", flush=True)
        service_times(url, None, args.n, args.serial, f"ceasewatch/{label}")
    peer_installed = importlib.util.find_spec("datasette") is not None
    if args.smoke or not peer_installed:
        print(
            "peer: datasette "
            + ("skipped in --smoke" if args.smoke else "is not installed — no peer figure")
        )
    else:
        service_times("", sqlite_path, args.n, args.serial, "datasette")
    # every server up at once (each pinned to the first core; one is loaded at a time)
    processes: list[subprocess.Popen[bytes]] = []
    servers: list[Climber] = []
    try:
        for label, url in stores:
            port = free_port()
            processes.append(start_ceasewatch(url, port))
            wait_up(f"http://127.0.0.1:{port}/api/v1/health")
            servers.append(Climber(f"ceasewatch/{label}", f"http://127.0.0.1:{port}", False))
        if not args.smoke and peer_installed:
            port = free_port()
            processes.append(start_datasette(sqlite_path, port))
            wait_up(f"http://127.0.0.1:{port}/store.json?sql=select+1")
            servers.append(Climber("datasette", f"http://127.0.0.1:{port}", True))
        for _, url in stores:
            prewarm(url)
        climb(servers, rates, args.seconds, args.repeats, args.n, 0 if args.smoke else MIN_REQUESTS)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
    results = {
        ("datasette (peer)" if s.peer else s.label.replace("/", " on ")): s.best for s in servers
    }
    print(f"\nload average at the end: {os.getloadavg()[0]:.1f}")
    print(
        f"highest rate held with p99 < 100 ms in each of {args.repeats} run(s) of "
        f"{args.seconds:g} s (searches and reads, half each):"
    )
    for name, best in results.items():
        print(f"  {name:<24} {best:>7.0f} req/s")
    if not args.smoke and "datasette (peer)" in results:
        peer_rate = results["datasette (peer)"]
        for name, ours in results.items():
            if name.startswith("ceasewatch"):
                met = 0 < ours and peer_rate <= ours
                print(
                    f"GOAL {'MET' if met else 'NOT MET'}: {name} {ours:.0f} "
                    f"vs datasette {peer_rate:.0f} req/s"
                )


if __name__ == "__main__":
    main()
