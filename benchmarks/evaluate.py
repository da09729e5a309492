"""Benchmark: the whole evaluation of N synthetic incidents against the bundled scenario.

What is measured
----------------
* **Engine** — ``evaluate_columns(scenario.agreements, columns, as_of=...)`` on the bundled
  ``syria-2016`` scenario: every rule of both agreements (attribution presumptions, time,
  place against zones and route corridors, perpetrator, target, verdicts), from incident
  columns already in memory to findings as arrays. Reasons are rendered lazily, only for
  the findings someone reads, so they are not part of the run. Reported: wall time (best
  of ``--repeat`` runs), incidents/s, number of findings and verdict counts.
* **Memory** — the process's resident set size (RSS) while the engine runs, sampled by a
  background thread every 10 ms with psutil and checked against the kernel's high-water
  mark (``getrusage().ru_maxrss``), which catches peaks between samples whenever the run
  sets a new process high. Reported: the absolute peak RSS and its increase over the RSS
  just before the run. Goal: absolute peak < 2 GB.
* **Peer** — ``geopandas.sjoin(points, zones, predicate="within", how="left")`` on the same
  points and the same zones, i.e. only the point-in-zone step of the work. Both
  GeoDataFrames are built before the clock starts (favourable to the peer). Reported: its
  time and ``peer_time / engine_time``; a ratio >= 1.0 means the whole evaluation is no
  slower than the peer's spatial join alone. Goal: ratio >= 1.0. With ``--repeat`` each
  peer run gets fresh frames, so sjoin rebuilds its spatial index as its first run did.

Building the synthetic incidents (directly as ``Columns``, with ``numpy.random.Generator``
seeded by ``--seed``) counts as loading and is not timed. The mix: 40% of the points fall
in the bounding box of the Aleppo zones and corridors (zones meeting ``aleppo-city`` plus
the routes, so many hit zones, edges and corridors), the rest anywhere in Syria's bounding
box; mostly exact, neighbourhood or town precision with a few district- and country-level
ones; dates 2016-08-15..2016-10-15 (local days), day precision or timed to the minute;
common violent sub-event types over-represented; air strikes frequent; some perpetrators
and targets unreported.

Usage: ``python benchmarks/evaluate.py [--n N] [--seed S] [--repeat R] [--smoke]``.
``--smoke`` runs 2,000 incidents once and checks no goal. The exit code is 0 either way;
a full run prints ``GOAL MET`` / ``GOAL NOT MET`` for each goal.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import shlex
import sys
import threading
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd
import psutil
import shapely

import ceasewatch
from ceasewatch.agreement.loader import load_scenario
from ceasewatch.agreement.model import Scenario, World
from ceasewatch.evaluate.columns import (
    BASIS_INDEX,
    EPOCH,
    METHOD_BIT,
    NO_ACTOR,
    SUB_INDEX,
    UNKNOWN_ACTOR,
    Columns,
    local_bounds,
)
from ceasewatch.evaluate.engine import Evaluation, evaluate_columns
from ceasewatch.incidents.vocab import ATTRIBUTIONS, PRECISION_RADIUS_M, SUB_EVENT_TYPES

T = TypeVar("T")

SCENARIO = "syria-2016"
DEFAULT_N = 1_000_000
SMOKE_N = 2_000
#: Syria's bounding box (lon_min, lat_min, lon_max, lat_max).
SYRIA_BBOX = (35.6, 32.3, 42.4, 37.3)
FIRST_DAY = dt.date(2016, 8, 15)
LAST_DAY = dt.date(2016, 10, 15)
AS_OF = dt.datetime(2016, 10, 16, tzinfo=dt.UTC)
SHARE_NEAR_ALEPPO = 0.4
#: Location precision -> probability (mostly exact, neighbourhood, town).
PRECISIONS = {"exact": 0.35, "neighbourhood": 0.30, "town": 0.25, "district": 0.07, "country": 0.03}
SHARE_TIMED = 0.3
SHARE_COUNTRY_OK = 0.98
#: Half of the incidents are of these common kinds; the other half is any sub-event type.
COMMON_SUBS = (
    ("Explosions/Remote violence", "Air/drone strike"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Battles", "Armed clash"),
)
P_AIRSTRIKE = 0.4
P_OTHER_METHOD = 0.08
P_NO_PERP, P_UNKNOWN_PERP = 0.30, 0.01
P_NO_TARGET, P_UNKNOWN_TARGET = 0.40, 0.01
GOAL_RATIO = 1.0
GOAL_PEAK_BYTES = 2 * 1024**3
SAMPLE_EVERY_S = 0.010
MB = 1024**2


def load_bundled_scenario() -> Scenario:
    root = Path(ceasewatch.__file__).parent / "agreement/scenarios" / SCENARIO
    return load_scenario(lambda rel: (root / rel).read_text(encoding="utf-8"))


def aleppo_bounds(world: World) -> tuple[float, float, float, float]:
    """Bounding box of the zones meeting ``aleppo-city`` and of every route corridor."""
    city = world.zone("aleppo-city").geometry
    geoms = [z.geometry for z in world.zones if z.geometry.intersects(city)]
    geoms += [r.geometry for r in world.routes]
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms)
    return float(xmin), float(ymin), float(xmax), float(ymax)


def synthetic_columns(world: World, n: int, seed: int) -> Columns:
    """N incidents as engine columns: the realistic mix described in the module docstring."""
    rng = np.random.default_rng(seed)

    # where
    near = rng.random(n) < SHARE_NEAR_ALEPPO
    aleppo = aleppo_bounds(world)
    lo = np.where(near[:, None], aleppo[:2], SYRIA_BBOX[:2])
    hi = np.where(near[:, None], aleppo[2:], SYRIA_BBOX[2:])
    xy = lo + (hi - lo) * rng.random((n, 2))
    lon, lat = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
    names = list(PRECISIONS)
    radii = np.array([PRECISION_RADIUS_M[p] for p in names])
    radius = radii[rng.choice(len(names), size=n, p=list(PRECISIONS.values()))]
    country_ok = rng.random(n) < SHARE_COUNTRY_OK

    # when: a local day, then either the whole day or one minute of it
    tz = zoneinfo.ZoneInfo(world.timezone)
    days = [FIRST_DAY + dt.timedelta(d) for d in range((LAST_DAY - FIRST_DAY).days + 1)]
    bounds = np.array([local_bounds(d, d, None, tz) for d in days], dtype=np.int64)
    k = rng.integers(0, len(days), size=n)
    day_start, day_end = bounds[k, 0], bounds[k, 1]
    timed = rng.random(n) < SHARE_TIMED
    minute = rng.integers(0, 24 * 60, size=n)
    t0 = np.where(timed, day_start + 60 * minute, day_start)
    t1 = np.where(timed, t0 + 60, day_end)
    day = ((FIRST_DAY - EPOCH).days + k).astype(np.int32)

    # what
    common = np.array([SUB_INDEX[pair] for pair in COMMON_SUBS], dtype=np.int16)
    sub = np.where(
        rng.random(n) < 0.5,
        common[rng.integers(0, len(common), size=n)],
        rng.integers(0, len(SUB_EVENT_TYPES), size=n),
    ).astype(np.int16)
    methods = np.zeros(n, dtype=np.int32)
    for name, bit in METHOD_BIT.items():
        p = P_AIRSTRIKE if name == "airstrike" else P_OTHER_METHOD
        methods[rng.random(n) < p] |= bit

    # who
    perp = actor_codes(rng, n, len(world.actors), P_NO_PERP, P_UNKNOWN_PERP)
    target = actor_codes(rng, n, len(world.actors), P_NO_TARGET, P_UNKNOWN_TARGET)
    known = [BASIS_INDEX[a] for a in ATTRIBUTIONS if a != "unknown"]
    basis = np.where(
        perp == NO_ACTOR,
        BASIS_INDEX["unknown"],
        np.array(known)[rng.integers(0, len(known), size=n)],
    ).astype(np.int8)
    return Columns(lon, lat, radius, country_ok, t0, t1, day, sub, methods, perp, basis, target)


def actor_codes(
    rng: np.random.Generator, n: int, n_actors: int, p_none: float, p_unknown: float
) -> npt.NDArray[np.int16]:
    codes = rng.integers(0, n_actors, size=n).astype(np.int16)
    u = rng.random(n)
    codes[u < p_none + p_unknown] = UNKNOWN_ACTOR
    codes[u < p_none] = NO_ACTOR
    return codes


class PeakRSS:
    """Peak RSS of this process while the block runs: 10 ms psutil samples + ru_maxrss."""

    def __init__(self) -> None:
        self._proc = psutil.Process()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self.before = 0
        self.peak = 0
        self.samples = 0

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            self.samples += 1
            self._stop.wait(SAMPLE_EVERY_S)

    def __enter__(self) -> PeakRSS:
        self.before = self._proc.memory_info().rss
        self.peak = self.before
        self._maxrss_before = max_rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)
        if max_rss() > self._maxrss_before:  # the run set the process's high-water mark
            self.peak = max(self.peak, max_rss())


def max_rss() -> int:
    """The process's peak RSS so far, in bytes (ru_maxrss is KiB on Linux, bytes on macOS)."""
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value if sys.platform == "darwin" else value * 1024


def best_of(repeat: int, prepare: Callable[[], Callable[[], T]]) -> tuple[float, T]:
    """Best wall time of ``repeat`` runs; ``prepare()`` (untimed) gives each run's thunk."""
    best = float("inf")
    result: T | None = None
    for _ in range(repeat):
        result = None  # drop the previous result before running again
        run = prepare()
        start = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - start)
    assert result is not None
    return best, result


@dataclass(frozen=True)
class EngineRun:
    seconds: float
    findings: int
    counts: dict[str, int]
    peak: int
    peak_increase: int


def run_engine(scenario: Scenario, columns: Columns, repeat: int) -> EngineRun:
    def run() -> Evaluation:
        return evaluate_columns(scenario.agreements, columns, as_of=AS_OF)

    with PeakRSS() as memory:
        seconds, evaluation = best_of(repeat, lambda: run)
    return EngineRun(
        seconds,
        len(evaluation),
        evaluation.counts(),
        memory.peak,
        memory.peak - memory.before,
    )


def run_peer(world: World, columns: Columns, repeat: int) -> tuple[float, int]:
    """geopandas.sjoin, point-in-zone only, on GeoDataFrames built untimed.

    Each run gets freshly built frames: sjoin caches the spatial index it builds on a
    frame, and reusing it would time less work than the first run (and than the engine,
    which redoes everything each run).
    """
    import geopandas

    def prepare() -> Callable[[], pd.DataFrame]:
        points = geopandas.GeoDataFrame(
            geometry=geopandas.points_from_xy(columns.lon, columns.lat), crs=4326
        )
        zones = geopandas.GeoDataFrame(
            {"zone": [z.id for z in world.zones], "type": [z.type for z in world.zones]},
            geometry=[z.geometry for z in world.zones],
            crs=4326,
        )
        return lambda: geopandas.sjoin(points, zones, predicate="within", how="left")

    seconds, joined = best_of(repeat, prepare)
    return seconds, len(joined)


def command(args: argparse.Namespace) -> str:
    argv = [sys.executable, sys.argv[0]]
    if args.smoke:
        argv += ["--smoke", "--seed", str(args.seed)]
    else:
        argv += ["--n", str(args.n), "--seed", str(args.seed), "--repeat", str(args.repeat)]
    env = os.environ.get("PYTHONPATH")
    return (f"PYTHONPATH={shlex.quote(env)} " if env else "") + shlex.join(argv)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--n", type=int, default=DEFAULT_N, help="number of incidents")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the incidents")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; best is kept")
    parser.add_argument(
        "--smoke", action="store_true", help=f"{SMOKE_N:,} incidents, one run, no goal checks"
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.n, args.repeat = SMOKE_N, 1
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be at least 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    import geopandas

    print(
        f"ceasewatch benchmark: {args.n:,} synthetic incidents x scenario {SCENARIO}"
        f"{' (smoke run)' if args.smoke else ''}"
    )
    print(
        f"  python {platform.python_version()}, numpy {np.__version__}, shapely "
        f"{shapely.__version__} (GEOS {shapely.geos_version_string}), geopandas "
        f"{geopandas.__version__}, {os.cpu_count()} CPUs, {platform.machine()}"
    )

    scenario = load_bundled_scenario()
    world = scenario.world
    start = time.perf_counter()
    columns = synthetic_columns(world, args.n, args.seed)
    n_rules = sum(len(a.rules) for a in scenario.agreements)
    print(
        f"  loading (untimed): {time.perf_counter() - start:.2f} s to build the columns; "
        f"{len(scenario.agreements)} agreements, {n_rules} rules, {len(world.zones)} zones, "
        f"{len(world.routes)} routes"
    )

    engine = run_engine(scenario, columns, args.repeat)
    best = f"best of {args.repeat}" if args.repeat > 1 else "1 run"
    print(f"\nengine  evaluate_columns, all rules ({best})")
    print(f"  wall time        {engine.seconds:.3f} s")
    print(f"  throughput       {args.n / engine.seconds:,.0f} incidents/s")
    print(f"  findings         {engine.findings:,}")
    print("  verdicts         " + ", ".join(f"{k} {v:,}" for k, v in engine.counts.items()))
    before = engine.peak - engine.peak_increase
    print(
        f"  peak RSS         {engine.peak / MB:,.0f} MB (+{engine.peak_increase / MB:,.0f} MB "
        f"over the {before / MB:,.0f} MB before the run)"
    )

    peer_seconds, peer_rows = run_peer(world, columns, args.repeat)
    ratio = peer_seconds / engine.seconds
    print(f'\npeer    geopandas.sjoin(points, zones, predicate="within", how="left") ({best})')
    print(f"  wall time        {peer_seconds:.3f} s ({peer_rows:,} rows; point-in-zone only)")
    print(f"  throughput       {args.n / peer_seconds:,.0f} incidents/s")
    print(
        f"\nratio   peer time / engine time = {ratio:.2f}  "
        "(>= 1.0: the whole evaluation is no slower than the peer's spatial join alone)"
    )
    print(f"process peak RSS over the whole run: {max_rss() / MB:,.0f} MB")

    if not args.smoke:
        met = ratio >= GOAL_RATIO
        print(
            f"\n{'GOAL MET' if met else 'GOAL NOT MET'}: ratio {ratio:.2f} "
            f"{'>=' if met else '<'} {GOAL_RATIO}"
        )
        met = engine.peak < GOAL_PEAK_BYTES
        print(
            f"{'GOAL MET' if met else 'GOAL NOT MET'}: engine peak RSS {engine.peak / MB:,.0f} MB "
            f"{'<' if met else '>='} {GOAL_PEAK_BYTES / MB:,.0f} MB"
        )
    print(f"\nreproduce: {command(args)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
