"""The self-contained HTML report of an evaluation (``report.html``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import jinja2
import shapely

from ceasewatch import __version__
from ceasewatch.evaluate.timeline import periods
from ceasewatch.incidents.model import Incident
from ceasewatch.incidents.vocab import PRECISION_RADIUS_M
from ceasewatch.reports.svg import VERDICT_COLOURS, bar_chart, map_svg

if TYPE_CHECKING:
    from ceasewatch.services import Outcome

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("ceasewatch.reports", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_ORDER = {"violation": 0, "undetermined": 1, "exempt": 2, "not_applicable": 3}


def _worst(outcome: Outcome) -> dict[str, str]:
    worst: dict[str, str] = {}
    for f in outcome.findings:
        if f.incident_id not in worst or _ORDER[f.verdict] < _ORDER[worst[f.incident_id]]:
            worst[f.incident_id] = f.verdict
    return worst


def _charts(outcome: Outcome) -> list[dict[str, Any]]:
    charts: list[dict[str, Any]] = []
    days = sorted({i.occurred.start for i in outcome.incidents})
    if not days:
        return charts
    span = [days[0] + dt.timedelta(days=k) for k in range((days[-1] - days[0]).days + 1)]
    for a in outcome.scenario.agreements:
        first, last = periods(a)
        per_day: Counter[dt.date] = Counter()
        for r in outcome.timeline:
            if r.agreement_id == a.id:
                per_day[r.date] += r.violations
        markers = [(first, "in force")]
        if last is not None and last + dt.timedelta(days=1) in span:
            markers.append((last + dt.timedelta(days=1), "ended"))
        charts.append(
            {
                "agreement": a,
                "svg": bar_chart(
                    span,
                    [per_day[d] for d in span],
                    [d < first or (last is not None and d > last) for d in span],
                    markers,
                ),
            }
        )
    return charts


def _map(
    outcome: Outcome,
    shown: Sequence[Incident] | None = None,
    sizes: Sequence[float] | None = None,
    rings: bool = False,
) -> str:
    """The scenario's map with ``shown`` incidents (default: all), framed on the zones and
    every incident so that maps of different days share one frame."""
    world = outcome.scenario.world
    files = dict(outcome.scenario.files)
    admin = files.get(outcome.scenario.admin1_file) if outcome.scenario.admin1_file else None
    worst = _worst(outcome)
    drawn = outcome.incidents if shown is None else shown
    pts = [
        (
            i.location.lon,
            i.location.lat,
            worst.get(i.id, "not_applicable"),
            f"{i.occurred.start} {i.sub_event_type} — {i.location.name or ''}: {worst.get(i.id, 'no finding')}",
        )
        for i in drawn
    ]
    geoms = [z.geometry for z in world.zones] + [
        shapely.points(i.location.lon, i.location.lat) for i in outcome.incidents
    ]
    xmin, ymin, xmax, ymax = shapely.total_bounds(geoms) if geoms else (35.6, 32.3, 42.4, 37.3)
    pad = 0.2
    return map_svg(
        (xmin - pad, ymin - pad, xmax + pad, ymax + pad),
        admin,
        [(z.id, z.type, z.geometry) for z in world.zones],
        [(r.id, r.geometry) for r in world.routes],
        pts,
        sizes=sizes,
        rings_m=[PRECISION_RADIUS_M[i.location.precision] for i in drawn] if rings else None,
    )


def render_report(outcome: Outcome) -> str:
    from ceasewatch.services import deaths, most_serious, violations_by

    counts = Counter(f.verdict for f in outcome.findings)
    by_id = {i.id: i for i in outcome.incidents}
    violations = [f for f in outcome.findings if f.verdict == "violation"]
    violations.sort(
        key=lambda f: (by_id[f.incident_id].occurred.start, f.incident_id, f.agreement_id)
    )
    template = _ENV.get_template("report.html.j2")
    return template.render(
        o=outcome,
        version=__version__,
        counts=counts,
        colours=VERDICT_COLOURS,
        by_party_zone=violations_by(outcome),
        serious=most_serious(outcome),
        deaths=deaths,
        violations=violations,
        incidents=by_id,
        charts=_charts(outcome),
        map_svg=_map(outcome),
    )
