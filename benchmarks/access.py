"""Benchmark: the cost of access.v2 on the phase gates and the access status.

What is measured
----------------
* **Gates** — ``phase_statuses(ev)`` on the bundled ``syria-2016`` evaluation, without
  access records and with N synthetic convoys (3 to 5 updates each, 12-19 Sep 2016, on
  the scenario's routes) and N/10 constraints. Reported: both wall times (best of
  ``--repeat``) and their ratio: what the access records add to the gate work.
* **Status** — ``AccessBook.statuses`` plus ``convoy_breaks`` for each of the 8 days of
  the September window, and the convoy findings, with the same records. Reported:
  convoys/s (convoy-days judged per second).

The bundled incidents are evaluated once before the clock starts (that is the engine's
benchmark, ``benchmarks/evaluate.py``). Records are built with ``random.Random(--seed)``.

Usage: ``python benchmarks/access.py [--n N] [--seed S] [--repeat R] [--smoke]``.
``--smoke`` runs 200 convoys once. No goal is checked; the exit code is 0.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shlex
import sys
import time
import zoneinfo

from ceasewatch import services
from ceasewatch.access.judge import AccessBook
from ceasewatch.access.model import AccessRecords, Constraint, Convoy, ConvoyEvent
from ceasewatch.agreement.sources import load_bundled
from ceasewatch.evaluate.engine import evaluate
from ceasewatch.evaluate.gates import Daily, phase_statuses

TZ = zoneinfo.ZoneInfo("Asia/Damascus")
DAYS = [dt.date(2016, 9, 12) + dt.timedelta(days=k) for k in range(8)]
FLOW = ["planned", "cleared", "waiting", "at_checkpoint"]
ENDS = ["delivered", "blocked", "attacked", "waiting"]


def records(n: int, seed: int, routes: list[str], checkpoints: list[str]) -> AccessRecords:
    rng = random.Random(seed)
    convoys = []
    for i in range(n):
        t = dt.datetime(2016, 9, 12, 8, tzinfo=TZ) + dt.timedelta(hours=rng.randrange(0, 150))
        events = []
        for status in FLOW[: rng.randrange(2, 4)] + [rng.choice(ENDS)]:
            t += dt.timedelta(hours=rng.randrange(1, 30))
            cp = rng.choice(checkpoints) if status in ("at_checkpoint", "blocked") else None
            events.append(ConvoyEvent(status, t, f"report {i}", checkpoint=cp))  # type: ignore[arg-type]
        convoys.append(
            Convoy(f"c{i}", "WFP", "A", "B", rng.choice(routes), "flour", tuple(events), 10)
        )
    constraints = []
    for i in range(max(1, n // 10)):
        start = dt.datetime(2016, 9, 12, tzinfo=TZ) + dt.timedelta(hours=rng.randrange(0, 180))
        constraints.append(
            Constraint(
                f"k{i}",
                "movement_restrictions",
                "barrier",
                start,
                "report",
                end=start + dt.timedelta(hours=rng.randrange(2, 48)),
                routes=(rng.choice(routes),),
            )
        )
    return AccessRecords(tuple(convoys), tuple(constraints))


def best(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - t0)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=5000, help="synthetic convoys")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--smoke", action="store_true", help="200 convoys, once")
    args = p.parse_args(argv)
    if args.smoke:
        args.n, args.repeat = 200, 1
    scenario = load_bundled("syria-2016")
    incidents = services.bundled_incidents(scenario)
    ev = evaluate(scenario.agreements, incidents, as_of=dt.datetime(2016, 10, 3, tzinfo=TZ))
    world = scenario.world
    recs = records(
        args.n, args.seed, [r.id for r in world.routes], [c.id for c in world.checkpoints]
    )
    bare = best(args.repeat, lambda: phase_statuses(ev))
    with_access = best(args.repeat, lambda: phase_statuses(ev, recs))
    sep = next(a for a in scenario.agreements if a.id == "sep-2016-arrangement")

    def status() -> None:
        book: AccessBook = Daily(ev, sep, recs).access
        for day in DAYS:
            book.statuses(day)
            book.convoy_breaks(day)
        book.findings(ev.as_of)

    took = best(args.repeat, status)
    print(f"python {shlex.join([sys.argv[0], *(argv or sys.argv[1:])])}")
    print(f"convoys: {args.n}, constraints: {len(recs.constraints)}, days: {len(DAYS)}")
    print(
        f"gates without access records: {bare:.3f} s; with: {with_access:.3f} s "
        f"(ratio {with_access / bare:.1f})"
    )
    print(
        f"access status: {took:.3f} s, {args.n * len(DAYS) / took:,.0f} convoy-days/s "
        f"({args.n / took:,.0f} convoys/s)"
    )
    print(
        f"incidents/s (gates with access, {len(incidents)} incidents): "
        f"{len(incidents) / with_access:,.0f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
