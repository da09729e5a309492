"""Screenshots for docs/dashboard.md, docs/reports.md and the README: the map, the
incident panel (al-Sukkari), the agreement page and the review queue, taken in headless
Chromium against ``ceasewatch serve`` over the demo's store; and the first page of the
daily report of 19 September 2016 as a PDF, rendered to PNG with pdftoppm.

    python tools/screenshots.py [--out docs/img]

Needs Debian's chromium (tools/ci/chromium.sh), poppler-utils (pdftoppm), WeasyPrint and
the vendored libraries (make vendor); makes the PNGs smaller with pngquant when it is
installed.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.dashboard import site as site_mod  # noqa: E402
from tests.dashboard.cdp import Browser, find_chromium  # noqa: E402

READY = "document.body.dataset.ready === '1'"
MAP_READY = READY + " && window.ceasewatch && window.ceasewatch.loads > 0"
TIMELINE_READY = MAP_READY + " && document.body.dataset.timeline === '1'"
REPORT_DAY = "2016-09-19"


def report_page(out: Path, tmp: Path) -> Path:
    """The daily report of the worked example (``ceasewatch demo``'s store) as the PDF a
    mission would send, its first page as a PNG."""
    import datetime as dt

    from ceasewatch import services
    from ceasewatch.reports import run
    from ceasewatch.store import db

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm is not installed: apt-get install poppler-utils")
    _, db_url, _ = services.demo(tmp / "demo", site_mod.NOW)
    engine = db.open_store(db_url)
    try:
        report = run.build_daily(engine, dt.date.fromisoformat(REPORT_DAY))
    finally:
        engine.dispose()
    pdf = run.write(report, tmp / "daily.pdf")
    target = out / "report-daily.png"
    subprocess.run(
        [pdftoppm, "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
         str(target.with_suffix(""))],
        check=True,
    )  # fmt: skip
    return target


PANEL_READY = MAP_READY + " && document.getElementById('panel').dataset.ready === '1'"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    args = parser.parse_args()
    exe = find_chromium()
    if exe is None:
        print("chromium is not installed: sh tools/ci/chromium.sh", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        site = site_mod.make_site(Path(tmp) / "site")
        try:
            with Browser(exe, width=args.width, height=args.height) as b:
                shots = []

                def token(who: str | None) -> None:
                    b.goto(f"{site.base}/dashboard/signin", ready=READY)
                    if who:
                        b.eval(f"sessionStorage.setItem('ceasewatch.token', {site.tokens[who]!r})")
                    else:
                        b.eval("sessionStorage.removeItem('ceasewatch.token')")

                token(None)
                b.goto(f"{site.base}/dashboard/", ready=TIMELINE_READY)
                shots.append(b.screenshot(args.out / "dashboard-map.png"))
                token("ana")
                b.goto(f"{site.base}/dashboard/?incident={site_mod.SUKKARI}", ready=PANEL_READY)
                b.eval(
                    "(() => { const s = window.ceasewatch;"
                    " const m = s.cluster.getLayers().find(l => l.options.incidentId === "
                    f"{site_mod.SUKKARI!r}); s.map.setView(m.getLatLng(), 12, {{animate: false}});"
                    " })()"
                )
                b.pump(1.0)
                shots.append(b.screenshot(args.out / "dashboard-incident.png"))
                b.goto(f"{site.base}/dashboard/agreement", ready=READY)
                shots.append(b.screenshot(args.out / "dashboard-agreement.png"))
                token("mona")
                b.goto(f"{site.base}/dashboard/review", ready=READY)
                b.pump(0.5)
                shots.append(b.screenshot(args.out / "dashboard-review.png"))
        finally:
            site.stop()
        shots.append(report_page(args.out, Path(tmp)))
    squeeze = shutil.which("pngquant")  # optional (Debian package pngquant): smaller files
    for p in shots:
        if squeeze:
            subprocess.run(
                [
                    squeeze,
                    "--force",
                    "--skip-if-larger",
                    "--ext",
                    ".png",
                    "--quality",
                    "65-90",
                    str(p),
                ],
                check=False,
            )
        print(f"{p} ({p.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
