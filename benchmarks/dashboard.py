"""Does the dashboard's map stay responsive with 100,000 incidents?

A SQLite store with N synthetic published incidents over Syria (the same generator as
benchmarks/api.py) and the bundled scenario's layers; ``ceasewatch serve`` on a free
port; the map opened in headless Chromium as the public. It reports the time until every
incident is fetched and drawn (the map usable), the bytes the map's data took, the time
until the timeline has come too (the server evaluates the agreement over every incident
for it), then, measured in the browser once all is loaded, each zoom and pan step's time
from the call to the next painted frame after the map settled (clusters recomputed), and
the longest main-thread task seen meanwhile.

    python benchmarks/dashboard.py [--n 100000] [--smoke]

Needs Debian's chromium (tools/ci/chromium.sh) and ``make vendor``. No timing is
asserted anywhere; the figures are for people.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.dashboard import site as site_mod  # noqa: E402
from tests.dashboard.cdp import Browser, find_chromium  # noqa: E402

from ceasewatch.dashboard import vendor  # noqa: E402

MAP_READY = (
    "document.body.dataset.ready === '1' && window.ceasewatch && window.ceasewatch.loads > 0"
)
TIMELINE_READY = MAP_READY + " && document.body.dataset.timeline === '1'"
#: bytes of the map's incident data the page received (compact view, else paged records)
MAP_BYTES = """
performance.getEntriesByType("resource")
  .filter((e) => e.name.includes("/api/v1/map/incidents") || e.name.includes("/api/v1/incidents?"))
  .reduce((n, e) => n + (e.encodedBodySize || 0), 0)
"""

#: zoom/pan steps: (lat, lon, zoom); Aleppo, Idlib, Damascus, then out again
STEPS = [
    (36.2, 37.15, 9),
    (36.2, 37.15, 11),
    (36.2, 37.15, 13),
    (36.25, 37.3, 13),
    (35.9, 36.6, 11),
    (33.5, 36.3, 10),
    (35.0, 38.5, 7),
    (35.0, 38.5, 6),
]

MEASURE = """
(async () => {
  const s = window.ceasewatch;
  const longest = { ms: 0 };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longest.ms = Math.max(longest.ms, e.duration);
  });
  try { obs.observe({ type: "longtask", buffered: false }); } catch (e) {}
  const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const out = [];
  for (const [lat, lon, z] of STEPS) {
    const t0 = performance.now();
    const settled = new Promise((r) => s.map.once("moveend", r));
    s.map.setView([lat, lon], z, { animate: false });
    await settled;
    await frame();
    out.push(performance.now() - t0);
  }
  await frame();
  obs.disconnect();
  const visible = document.querySelectorAll(".marker-cluster").length +
    s.cluster.getLayers().filter((m) => s.map.hasLayer(m)).length;
  return { steps: out, longest: longest.ms, visible };
})()
"""


def _api_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_api", ROOT / "benchmarks" / "api.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def build(root: Path, n: int) -> tuple[str, float]:
    from ceasewatch.agreement import sources
    from ceasewatch.store import db, repository

    url = f"sqlite:///{root / 'bench.db'}"
    engine = db.open_store(url)
    repository.save_scenario(engine, sources.load_bundled("syria-2016"), site_mod.NOW)
    engine.dispose()
    seconds = _api_module().load(url, n, seed=6)
    return url, seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="incidents in the store")
    parser.add_argument("--smoke", action="store_true", help="a small, quick run (2,000)")
    args = parser.parse_args()
    n = 2_000 if args.smoke else args.n
    exe = find_chromium()
    message = ""
    if exe is None:
        message = "chromium is not installed (sh tools/ci/chromium.sh): nothing measured"
    elif vendor.manifest() is None:
        # without Leaflet the page never becomes ready: say so instead of waiting
        message = (
            "the dashboard's JavaScript libraries are not built (make vendor): nothing measured"
        )
    if message:
        if os.environ.get("CI") == "true":
            print(message, file=sys.stderr)
            return 1
        print(f"skipped: {message}; 0 incidents/s")
        return 0
    assert exe is not None
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        url, fill = build(root, n)
        site = site_mod.start(url, root, {})
        try:
            with Browser(exe, width=1280, height=800) as b:
                started = time.perf_counter()
                b.call("Page.navigate", {"url": f"{site.base}/dashboard/"})
                b.wait_for(MAP_READY, timeout=1800)
                loaded = time.perf_counter() - started
                shown = b.eval("window.ceasewatch.items.length")
                drawn = b.eval("window.ceasewatch.drawn")
                sent = b.eval(MAP_BYTES)
                b.wait_for(TIMELINE_READY, timeout=1800)
                timeline = time.perf_counter() - started
                result = b.eval(MEASURE.replace("STEPS", str([list(s) for s in STEPS])))
        finally:
            site.stop()
    steps = result["steps"]
    print(f"dashboard map, {n:,} incidents in the store ({fill:.1f} s to fill), headless Chromium:")
    print(
        f"  load: {shown:,} incidents fetched from the API and {drawn:,} drawn in "
        f"{loaded:.1f} s = {shown / loaded:,.0f} incidents/s ({sent / 1e6:.1f} MB of incident "
        f"data); the timeline too after {timeline:.1f} s"
    )
    print(
        f"  interaction ({len(steps)} zoom/pan steps, call to painted frame): median "
        f"{statistics.median(steps):.0f} ms, worst {max(steps):.0f} ms; longest main-thread "
        f"task {result['longest']:.0f} ms; {result['visible']} clusters/markers in view at the end"
    )
    print(
        "  steps (lat, lon, zoom: ms): "
        + ", ".join(f"{z}: {ms:.0f}" for (_, _, z), ms in zip(STEPS, steps, strict=True))
    )
    print(f"  reproduce: python benchmarks/dashboard.py --n {n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
