"""The daily situation report: what one local day added, in a monitoring mission's form.

``build(outcomes, day)`` turns evaluations as of the end of ``day`` into the report's
figures (pure: no store, no clock); ``render_html`` writes them as one self-contained
HTML page (inline CSS and SVG, nothing fetched); ``reports.pdf`` prints that page.

Counting follows the timeline (``evaluate.timeline``): an incident counts on its local
start day, once per agreement, under its zone (control zone, else city zone, else
governorate) and its parties. A day before entry into force (or after the rules ended)
counts what *would* have been violations; the tables grey such days out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ceasewatch import __version__
from ceasewatch.access.judge import Status
from ceasewatch.agreement.model import AccessSustained, Agreement, RouteClosedDays, RouteOpen
from ceasewatch.evaluate.finding import Finding
from ceasewatch.evaluate.gates import Daily, PhaseStatus, TriggerStatus, plural
from ceasewatch.evaluate.timeline import periods
from ceasewatch.incidents.model import Incident, Toll
from ceasewatch.reports.html import _ENV, _ORDER, _map
from ceasewatch.reports.svg import VERDICT_COLOURS, bar_chart, sparkline
from ceasewatch.services import Outcome

WEEK = 7
CHART_DAYS = 28
NO_AUDIT = "audit chain: not recorded in this store"
EMPTY_AUDIT = "audit chain: empty (no change has been recorded in this store yet)"


@dataclass(frozen=True)
class TrendRow:
    """One row of a fixed table: a zone or a party, and its counts over the week."""

    key: str
    label: str
    days: tuple[int, ...]
    """Counts on each day of the week, oldest first: the report's day is the last."""

    @property
    def today(self) -> int:
        return self.days[-1]

    @property
    def yesterday(self) -> int:
        return self.days[-2]

    @property
    def change(self) -> int:
        return self.today - self.yesterday

    @property
    def total(self) -> int:
        return sum(self.days)


@dataclass(frozen=True)
class RouteRow:
    route_id: str
    name: str
    days: tuple[str, ...]
    """open | closed | unknown on each day of the week."""
    why: tuple[str, ...] = ()
    """Why the route has its status on the report's day."""


@dataclass(frozen=True)
class AgreementDay:
    agreement: Agreement
    state: str
    """In force, not yet in force or ended on the day, in words."""
    in_force: tuple[bool, ...]
    """Per day of the week: whether the agreement was in force."""
    total: TrendRow
    previous_week: int
    """Violations in the seven days before the week shown."""
    undetermined_today: int
    by_zone: tuple[TrendRow, ...]
    by_party: tuple[TrendRow, ...]
    chart_svg: str
    phases: tuple[PhaseStatus, ...]
    triggers: tuple[TriggerStatus, ...]
    routes: tuple[RouteRow, ...]
    stored: str
    """Whether the store's findings agree with this evaluation, in words."""
    checkpoints: tuple[Status, ...] = ()
    """The checkpoints of the agreement's access routes on the report's day."""
    convoys: tuple[str, ...] = ()
    """Convoys that broke sustained access on the report's day, with the evidence."""
    convoy_findings: tuple[Finding, ...] = ()
    """Findings of convoys stopped on the report's day (access.v2)."""


@dataclass(frozen=True)
class IncidentDay:
    incident: Incident
    worst: tuple[tuple[str, str], ...]
    """(agreement id, its most serious verdict) for each agreement with a rule covering it."""
    findings: tuple[Finding, ...]
    """Findings other than not applicable, by agreement and rule."""
    not_applicable: int


@dataclass(frozen=True)
class ScenarioDay:
    outcome: Outcome
    agreements: tuple[AgreementDay, ...]
    incidents: tuple[IncidentDay, ...]
    killed: int
    injured: int
    map_svg: str
    not_drawn: tuple[Incident, ...]
    """Incidents of the day located only to the country: listed, not drawn."""


@dataclass(frozen=True)
class DailyReport:
    day: dt.date
    week: tuple[dt.date, ...]
    scenarios: tuple[ScenarioDay, ...]
    audit_head: str | None
    """``SEQ:HASH`` of the store's audit chain when the report was made (what
    ``ceasewatch audit head`` prints); ``""`` for an empty log; None for a store without one."""
    version: str = __version__

    @property
    def audit_line(self) -> str:
        """The footer's line: a reader checks the chain later with
        ``ceasewatch audit verify --head SEQ:HASH``.

        >>> DailyReport(dt.date(2016, 9, 19), (), (), "3:ab").audit_line
        'audit chain head: 3:ab'
        """
        if self.audit_head is None:
            return NO_AUDIT
        return f"audit chain head: {self.audit_head}" if self.audit_head else EMPTY_AUDIT


def toll_text(toll: Toll | None) -> str:
    """A toll as a reader says it.

    >>> toll_text(Toll(7, 7, None)), toll_text(Toll(3, 4, 6)), toll_text(None)
    ('at least 7', '4 (3–6)', 'not reported')
    """
    if toll is None or (toll.low is None and toll.best is None and toll.high is None):
        return "not reported"
    best = toll.best if toll.best is not None else toll.low
    if toll.high is None:
        return f"at least {best}" if best == toll.low else f"{best} (at least {toll.low})"
    if toll.low == toll.high:
        return str(toll.high)
    return f"{best} ({toll.low}–{toll.high})"


def signed(n: int) -> str:
    """A change with its sign (a true minus).

    >>> signed(3), signed(-2), signed(0)
    ('+3', '−2', '0')
    """
    return f"+{n}" if n > 0 else (f"−{-n}" if n < 0 else "0")


def _best(t: Toll | None) -> int:
    if t is None:
        return 0
    return t.best if t.best is not None else (t.low or 0)


def _routes_of(a: Agreement) -> list[str]:
    ids = [r.route for r in a.rules if r.type in ("access.v1", "access.v2") and r.route]
    for p in a.phases:
        if p.gate:
            ids += [c.route for c in p.gate.each_day if isinstance(c, RouteOpen)]
            for c in p.gate.each_day:
                if isinstance(c, AccessSustained):
                    ids += list(c.routes)
    for t in a.triggers:
        ids += [c.route for c in t.conditions if isinstance(c, RouteClosedDays)]
    return list(dict.fromkeys(ids))


def _state(a: Agreement, day: dt.date) -> str:
    first, last = periods(a)
    if day < first:
        return f"not yet in force: enters into force on {first:%d %B %Y}"
    if last is not None and day > last:
        return f"ended: its rules ran until {last:%d %B %Y}"
    return f"in force since {first:%d %B %Y} (day {(day - first).days + 1})"


def _compare(stored: Sequence[tuple[str, str]] | None, evaluated: Sequence[Finding]) -> str:
    """A sentence on the store's findings: none, matching this evaluation, or stale."""
    if not stored:
        return (
            "The store holds no findings for this agreement: the verdicts below come from "
            "evaluating the stored incidents as of the end of the day."
        )
    mine = {f.id: f.verdict for f in evaluated}
    held = dict(stored)
    differ = sum(1 for fid, v in mine.items() if held.get(fid) != v)
    if differ == 0:
        return (
            f"The store's findings agree with this evaluation ({plural(len(mine), 'finding')} "
            "for the incidents up to this day)."
        )
    return (
        f"The store's findings are stale: {plural(differ, 'finding')} of {len(mine)} differ "
        "from an evaluation as of the end of this day (new or changed incidents, or another "
        "agreement version). The report shows this evaluation."
    )


def _agreement_day(
    o: Outcome,
    a: Agreement,
    day: dt.date,
    week: Sequence[dt.date],
    zones: Sequence[tuple[str, str]],
    actor_names: Mapping[str, str],
    stored: Sequence[tuple[str, str]] | None,
) -> AgreementDay:
    rows = [r for r in o.timeline if r.agreement_id == a.id]
    by_zone: dict[str, Counter[dt.date]] = defaultdict(Counter)
    by_party: dict[str, Counter[dt.date]] = defaultdict(Counter)
    per_day: Counter[dt.date] = Counter()
    und: Counter[dt.date] = Counter()
    for r in rows:
        if r.violations:
            by_zone[r.zone][r.date] += r.violations
            by_party[r.party][r.date] += r.violations
            per_day[r.date] += r.violations
        und[r.date] += r.undetermined

    def trend(key: str, label: str, counts: Counter[dt.date]) -> TrendRow:
        return TrendRow(key, label, tuple(counts[d] for d in week))

    zone_rows = [trend(k, label, by_zone[k]) for k, label in zones]
    listed = {k for k, _ in zones}
    extra = sorted(k for k in by_zone if k not in listed and any(by_zone[k][d] for d in week))
    zone_rows += [trend(k, k, by_zone[k]) for k in extra]
    party_keys = list(a.parties) + sorted(
        k for k in by_party if k not in a.parties and any(by_party[k][d] for d in week)
    )
    party_rows = [trend(k, actor_names.get(k, k), by_party[k]) for k in party_keys]
    first, last = periods(a)
    in_force = tuple(first <= d and (last is None or d <= last) for d in week)
    before = [week[0] - dt.timedelta(days=k) for k in range(1, WEEK + 1)]

    span_start = max(day - dt.timedelta(days=CHART_DAYS - 1), min(per_day, default=day))
    span = [span_start + dt.timedelta(days=k) for k in range((day - span_start).days + 1)]
    markers = [(first, "in force")]
    if last is not None:
        markers.append((last + dt.timedelta(days=1), "ended"))
    phases = tuple(p for p in o.phases if p.agreement_id == a.id)
    triggers = tuple(t for t in o.triggers if t.agreement_id == a.id)
    markers += [(p.gate.met_on, "gate met") for p in phases if p.gate and p.gate.met_on]
    markers += [(t.on, "trigger fired") for t in triggers if t.on]
    chart = bar_chart(
        span,
        [per_day[d] for d in span],
        [d < first or (last is not None and d > last) for d in span],
        markers,
    )
    daily = Daily(o.evaluation, a, o.access)
    book = daily.access
    names = {r.id: r.name for r in o.scenario.world.routes}
    route_ids = _routes_of(a)
    routes = tuple(
        RouteRow(
            rid,
            names.get(rid, rid),
            tuple(book.route(rid, d).state for d in week),
            book.route(rid, day).why,
        )
        for rid in route_ids
    )
    checkpoints = tuple(
        book.checkpoint(cp, day) for cp in o.scenario.world.checkpoints if cp.route in route_ids
    )
    findings = [f for f in o.findings if f.agreement_id == a.id]
    stopped_today = {
        ev.incident or f"convoy:{c.id}:{n}": c.route
        for c in o.access.convoys
        for n, ev in enumerate(c.events)
        if ev.status in ("blocked", "attacked") and ev.at.astimezone(book.tz).date() == day
    }
    judging = {
        r.id: r.route for r in a.rules if r.type == "access.v2"
    }  # a route-less access.v2 rule judges every convoy
    convoy_findings = tuple(
        f
        for f in findings
        if f.incident_id in stopped_today
        and f.rule_id in judging
        and judging[f.rule_id] in (None, stopped_today[f.incident_id])
    )
    return AgreementDay(
        agreement=a,
        state=_state(a, day),
        in_force=in_force,
        total=trend("all", "all zones", per_day),
        previous_week=sum(per_day[d] for d in before),
        undetermined_today=und[day],
        by_zone=tuple(zone_rows),
        by_party=tuple(party_rows),
        chart_svg=_inline(chart),
        phases=phases,
        triggers=triggers,
        routes=routes,
        stored=_compare(stored, findings),
        checkpoints=checkpoints,
        convoys=book.convoy_breaks(day) if o.access.convoys else (),
        convoy_findings=convoy_findings,
    )


def _inline(svg: str) -> str:
    """SVG inside HTML needs no namespace: the page then names no URL at all."""
    return svg.replace(' xmlns="http://www.w3.org/2000/svg"', "")


def _scenario_day(
    o: Outcome,
    day: dt.date,
    week: Sequence[dt.date],
    stored: Mapping[str, Sequence[tuple[str, str]]],
    admin_names: Mapping[str, str],
) -> ScenarioDay:
    world = o.scenario.world
    zones = [(z.id, z.name) for z in world.zones if z.type != "city"]
    zones += [(z.id, z.name) for z in world.zones if z.type == "city"]
    zones += sorted(admin_names.items(), key=lambda kv: kv[0]) + [
        ("unzoned", "no zone or governorate")
    ]
    actor_names = {x.id: x.name for x in world.actors}
    agreements = tuple(
        _agreement_day(o, a, day, week, zones, actor_names, stored.get(a.id))
        for a in o.scenario.agreements
    )
    by_incident: dict[str, list[Finding]] = defaultdict(list)
    todays = sorted(
        (i for i in o.incidents if i.occurred.start == day),
        key=lambda i: (i.occurred.time is None, i.occurred.time or dt.time(0), i.id),
    )
    ids = {i.id for i in todays}
    for f in o.findings:
        if f.incident_id in ids:
            by_incident[f.incident_id].append(f)
    incidents = []
    for i in todays:
        fs = sorted(by_incident[i.id], key=lambda f: (f.agreement_id, _ORDER[f.verdict], f.rule_id))
        worst: dict[str, str] = {}
        for f in fs:
            if f.agreement_id not in worst or _ORDER[f.verdict] < _ORDER[worst[f.agreement_id]]:
                worst[f.agreement_id] = f.verdict
        shown = tuple(f for f in fs if f.verdict != "not_applicable")
        incidents.append(IncidentDay(i, tuple(worst.items()), shown, len(fs) - len(shown)))
    window = [i for i in o.incidents if week[0] <= i.occurred.start <= day]
    drawn = [i for i in window if i.location.precision != "country"]
    return ScenarioDay(
        outcome=o,
        agreements=agreements,
        incidents=tuple(incidents),
        killed=sum(_best(i.fatalities) for i in todays),
        injured=sum(_best(i.injured) for i in todays),
        map_svg=_inline(
            _map(
                o,
                drawn,
                sizes=[5.0 if i.occurred.start == day else 2.5 for i in drawn],
                rings=True,
            )
        ),
        not_drawn=tuple(i for i in todays if i.location.precision == "country"),
    )


def build(
    outcomes: Sequence[Outcome],
    day: dt.date,
    stored: Mapping[str, Sequence[tuple[str, str]]] | None = None,
    admin_names: Mapping[str, Mapping[str, str]] | None = None,
    audit_head: str | None = None,
) -> DailyReport:
    """The report of ``day`` from evaluations as of its end (one per scenario).

    ``stored`` gives the store's findings per agreement as (finding id, verdict), to say
    whether they are current; ``admin_names`` the governorates (P-code -> name) per
    scenario id, which become fixed rows of the zone table.
    """
    week = tuple(day - dt.timedelta(days=k) for k in range(WEEK - 1, -1, -1))
    return DailyReport(
        day=day,
        week=week,
        scenarios=tuple(
            _scenario_day(o, day, week, stored or {}, (admin_names or {}).get(o.scenario.id, {}))
            for o in outcomes
        ),
        audit_head=audit_head,
    )


def summary(s: ScenarioDay, day: dt.date) -> list[str]:
    """The opening paragraph, as sentences built from the figures."""
    n = len(s.incidents)
    out = [
        f"On {day:%A %d %B %Y} ceasewatch recorded {plural(n, 'incident')}"
        + (
            f", in which {plural(s.killed, 'person')} {'was' if s.killed == 1 else 'were'} "
            "reported killed"
            if s.killed
            else ""
        )
        + (f" and {s.injured} injured" if s.injured else "")
        + " (best estimates)."
        if n
        else f"On {day:%A %d %B %Y} ceasewatch recorded no incidents."
    ]
    for a in s.agreements:
        t = a.total
        if not a.in_force[-1]:
            out.append(f"{a.agreement.title} was {a.state.split(':')[0]} on this day.")
            continue
        change = (
            "as many as the day before"
            if t.change == 0
            else f"{abs(t.change)} {'more' if t.change > 0 else 'fewer'} than the day before"
        )
        out.append(
            f"Under {a.agreement.title}, {plural(t.today, 'incident')} "
            f"{'was a violation' if t.today == 1 else 'were violations'} ({change}); "
            f"{t.total} in the past seven days against {a.previous_week} in the seven before"
            + (
                f"; {a.undetermined_today} more could not be determined."
                if a.undetermined_today
                else "."
            )
        )
        fired = [tr for tr in a.triggers if tr.fired]
        if fired:
            out.append(
                "Walk-away trigger "
                + "; ".join(f"“{tr.description}” {tr.summary}" for tr in fired)
                + "."
            )
    return out


def render_html(report: DailyReport) -> str:
    template = _ENV.get_template("daily.html.j2")
    return template.render(
        r=report,
        chart_days=CHART_DAYS,
        colours=VERDICT_COLOURS,
        signed=signed,
        toll_text=toll_text,
        summary=summary,
        sparkline=lambda row, a: _inline(sparkline(row.days, [not x for x in a.in_force])),
    )
