"""Phase gates and walk-away triggers, with the days and figures behind each answer.

A day is judged against a gate's daily conditions as ``ok``, ``broken`` or ``uncertain``
(undetermined findings or a route whose status cannot be told could go either way). A gate
is *met* on the first day that closes a run of ``consecutive_days`` ok days; *undetermined*
if such a run exists only when uncertain days are counted as ok; *not_met* once its window
has closed (deadline, or every rule of the agreement ended) without a run; else *pending*.

A route is *closed* on a day when an incident its access rule treats as blocking falls in
its corridor that day, *unknown* when one might (imprecise location), else *open*.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt

from ceasewatch.access.judge import AccessBook
from ceasewatch.access.model import AccessRecords
from ceasewatch.agreement.loader import DEFAULT_COVERS
from ceasewatch.agreement.model import (
    AccessSustained,
    Agreement,
    Gate,
    Phase,
    RouteClosedDays,
    RouteOpen,
    Trigger,
    ViolationDays,
    ViolationsAtMost,
)
from ceasewatch.agreement.references import expand_selectors
from ceasewatch.evaluate import engine as e
from ceasewatch.evaluate.columns import EPOCH, SUB_INDEX
from ceasewatch.evaluate.finding import Basis, Finding, PartyRef
from ceasewatch.evaluate.timeline import Rollup, periods, rollup
from ceasewatch.geo.relate import EDGE, IN, OUT
from ceasewatch.incidents.vocab import SUB_EVENT_TYPES

RouteStatus = Literal["open", "closed", "unknown"]
DayStatus = Literal["ok", "broken", "uncertain"]


@dataclass(frozen=True)
class DayRecord:
    date: dt.date
    violations: int
    undetermined: int
    routes: dict[str, RouteStatus]
    status: DayStatus
    why: tuple[str, ...]


@dataclass(frozen=True)
class GateStatus:
    status: Literal["met", "not_met", "undetermined", "pending"]
    met_on: dt.date | None
    summary: str
    days: tuple[DayRecord, ...]

    @property
    def broken_days(self) -> tuple[DayRecord, ...]:
        return tuple(d for d in self.days if d.status == "broken")


@dataclass(frozen=True)
class PhaseStatus:
    agreement_id: str
    phase_id: str
    name: str
    status: Literal["not_started", "active", "ended", "locked"]
    since: dt.datetime | None
    until: dt.datetime | None
    summary: str
    gate: GateStatus | None = None


@dataclass(frozen=True)
class TriggerStatus:
    agreement_id: str
    trigger_id: str
    description: str
    fired: bool
    on: dt.date | None
    summary: str
    evidence: tuple[str, ...] = field(default=())


def _day(i: int) -> dt.date:
    return EPOCH + dt.timedelta(days=i)


class Daily:
    """Per-day figures of one agreement: violations (by party), undetermined, routes."""

    def __init__(
        self, ev: e.Evaluation, agreement: Agreement, access: AccessRecords | None = None
    ) -> None:
        self.ev = ev
        self.agreement = agreement
        self.access = AccessBook(
            agreement,
            access or AccessRecords(),
            hostile=self.route_incidents,
            incident_parties=lambda incident_id: incident_parties(ev, incident_id),
        )
        self.roll: Rollup = rollup(ev, agreement)
        self.tz = zoneinfo.ZoneInfo(agreement.timezone)
        self.as_of_day = (ev.as_of - dt.timedelta(seconds=1)).astimezone(self.tz).date()
        self._counts: dict[tuple[int, dt.date, tuple[str, ...]], int] = {}
        self._masks: dict[tuple[str, ...], np.uint64] = {}
        self._routes: dict[tuple[str, dt.date], RouteStatus] = {}

    def violations(self, day: dt.date, parties: tuple[str, ...] = ()) -> int:
        return self._count(e.VIOLATION, day, parties)

    def undetermined(self, day: dt.date, parties: tuple[str, ...] = ()) -> int:
        """Undetermined findings that day; with ``parties``, only those that may be theirs
        (no party known, or one of the possible parties is listed)."""
        return self._count(e.UNDETERMINED, day, parties)

    def _count(self, verdict: int, day: dt.date, parties: tuple[str, ...]) -> int:
        # gates and triggers ask about the same days again and again (each trigger window
        # overlaps the next): count each (verdict, day, parties) once
        key = (verdict, day, parties)
        if key not in self._counts:
            mask = self._mask(day) & (self.roll.verdict == verdict)
            if parties:
                allowed = self._allowed(parties)
                if verdict == e.VIOLATION:  # every party of the violation is listed
                    mask &= (self.roll.parties & ~allowed) == 0
                else:  # no party known, or one of the possible parties is listed
                    mask &= (self.roll.parties == 0) | ((self.roll.parties & allowed) != 0)
            self._counts[key] = int(mask.sum())
        return self._counts[key]

    def _allowed(self, parties: tuple[str, ...]) -> np.uint64:
        if parties not in self._masks:
            self._masks[parties] = self.ev.actors.mask(list(self.agreement.world.expand(parties)))
        return self._masks[parties]

    def _mask(self, day: dt.date) -> npt.NDArray[np.bool_]:
        today: npt.NDArray[np.bool_] = self.ev.columns.day == (day - EPOCH).days
        return self.ev.considered & today

    def route(self, route_id: str, day: dt.date) -> RouteStatus:
        """Closed when a blocking incident surely fell in the corridor while the route's
        access rule was in force; unknown when one may have (place or time uncertain)."""
        todays = self._mask(day)
        results = [
            r
            for r in self.ev.results
            if r.agreement is self.agreement
            and r.rule.type in ("access.v1", "access.v2")
            and r.rule.route == route_id
        ]
        if not results:  # no access rule: any blocking incident in the corridor counts
            covers = self._blocking(route_id)
            rel = self.ev.geography.in_corridor(route_id)
            hit = todays & covers[self.ev.columns.sub]
            if (hit & (rel == IN)).any():
                return "closed"
            return "unknown" if (hit & (rel == EDGE)).any() else "open"
        status: RouteStatus = "open"
        for r in results:
            on_day = todays[r.idx]
            in_time = r.time == e.T_WITHIN
            maybe_time = in_time | (r.time == e.T_STRADDLE)
            if (on_day & in_time & (r.place == IN)).any():
                return "closed"
            if (on_day & maybe_time & (r.place != OUT)).any():
                status = "unknown"
        return status

    def route_state(self, route_id: str, day: dt.date) -> RouteStatus:
        """The route's status as gates and triggers read it: closed by a blocking access
        constraint (the access records) or by hostile incidents, else as the incidents
        say (``AccessBook.route``)."""
        key = (route_id, day)
        if key not in self._routes:
            self._routes[key] = self.access.route(route_id, day).state
        return self._routes[key]

    def latest_record_day(self) -> dt.date | None:
        """The last local day anything recorded can change a day's figures: the latest
        considered incident's, or a blocking constraint's last (the as-of day for one
        still in force); None when there is nothing."""
        days = self.ev.columns.day[self.ev.considered]
        latest = [EPOCH + dt.timedelta(days=int(days.max()))] if days.size else []
        for c in self.access.records.constraints:
            if c.blocking:
                end = c.end.astimezone(self.tz).date() if c.end is not None else self.as_of_day
                latest.append(min(end, self.as_of_day))
        return max(latest, default=None)

    def route_incidents(self, route_id: str, day: dt.date) -> tuple[RouteStatus, tuple[str, ...]]:
        """The route's status by incidents alone, with the ids of the incidents behind it."""
        status = self.route(route_id, day)
        if status == "open" or self.ev.incidents is None:
            return status, ()
        rel = self.ev.geography.in_corridor(route_id)
        hit = self._mask(day) & self._blocking(route_id)[self.ev.columns.sub]
        wanted = IN if status == "closed" else EDGE
        ids = tuple(self.ev.incidents[int(i)].id for i in np.flatnonzero(hit & (rel == wanted)))
        return status, ids

    def _blocking(self, route_id: str) -> npt.NDArray[np.bool_]:
        covers = np.zeros(len(SUB_EVENT_TYPES), dtype=bool)
        rules = [
            r
            for r in self.agreement.rules
            if r.type in ("access.v1", "access.v2") and r.route == route_id
        ]
        pairs = (
            set().union(*(r.covers for r in rules))
            if rules
            else expand_selectors(DEFAULT_COVERS["access.v1"])
        )
        for pair in pairs:
            covers[SUB_INDEX[pair]] = True
        return covers


def incident_parties(ev: e.Evaluation, incident_id: str) -> tuple[PartyRef, ...]:
    """The parties the findings of one incident name (first rule that names any): for
    convoy findings that link an incident. Empty when none does."""
    if ev.incidents is None:
        return ()
    where = [i for i, inc in enumerate(ev.incidents) if inc.id == incident_id]
    if not where:
        return ()
    inc = ev.incidents[where[0]]
    for r in ev.results:
        for k in np.flatnonzero(r.idx == where[0]):
            if not int(r.parties[k]):
                continue
            names = ev.actors.names(r.parties[k])
            if int(r.perp[k]) == e.P_PRESUMED:
                return tuple(PartyRef(n, "presumed") for n in names)
            a = inc.perpetrator.attribution
            basis: Basis = a if a in ("claimed", "alleged") else "reported"
            return tuple(PartyRef(n, basis) for n in names)
    return ()


def access_findings(ev: e.Evaluation, access: AccessRecords) -> list[Finding]:
    """Findings of stopped convoys under every agreement's access.v2 rules."""
    out: list[Finding] = []
    for agreement in ev.agreements:
        book = AccessBook(agreement, access, incident_parties=lambda i: incident_parties(ev, i))
        out += book.findings(ev.as_of)
    return out


def plural(n: int, word: str) -> str:
    """A count with its noun, singular when it is one.

    >>> plural(1, "violation"), plural(3, "day")
    ('1 violation', '3 days')
    """
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _judge_day(daily: Daily, day: dt.date, gate: Gate) -> DayRecord:
    v, u = daily.violations(day), daily.undetermined(day)
    routes: dict[str, RouteStatus] = {}
    broken: list[str] = []
    uncertain: list[str] = []
    for cond in gate.each_day:
        if isinstance(cond, ViolationsAtMost):
            n = daily.violations(day, cond.parties)
            un = daily.undetermined(day, cond.parties)
            who = f" by {', '.join(cond.parties)}" if cond.parties else ""
            if n > cond.max:
                broken.append(f"{plural(n, 'violation')}{who} (at most {cond.max})")
            elif n + un > cond.max:
                uncertain.append(
                    f"{plural(n, 'violation')}{who} and {un} undetermined (at most {cond.max})"
                )
        elif isinstance(cond, RouteOpen):
            route = daily.route_state(cond.route, day)
            routes[cond.route] = route
            if route == "closed":
                broken.append(f"{cond.route} closed")
            elif route == "unknown":
                uncertain.append(f"{cond.route} status unknown")
        elif isinstance(cond, AccessSustained):
            not_kept, unsure, states = daily.access.sustained(cond.routes, day)
            broken += [f"access not sustained: {x}" for x in not_kept]
            uncertain += [f"access uncertain: {x}" for x in unsure]
            for r, st in states.items():
                routes.setdefault(r, st)
    status: DayStatus = "broken" if broken else ("uncertain" if uncertain else "ok")
    return DayRecord(day, v, u, routes, status, tuple(broken or uncertain))


def gate_status(daily: Daily, gate: Gate, start: dt.datetime) -> GateStatus:
    first = start.astimezone(daily.tz).date()
    _, last_rule_day = periods(daily.agreement)
    closes = last_rule_day
    if gate.deadline is not None:
        d = gate.deadline.astimezone(daily.tz).date()
        closes = d if closes is None else min(closes, d)
    last = daily.as_of_day if closes is None else min(daily.as_of_day, closes)
    days: list[DayRecord] = []
    run = maybe = 0
    met_on = maybe_on = None
    day = first
    while day <= last:
        rec = _judge_day(daily, day, gate)
        days.append(rec)
        run = run + 1 if rec.status == "ok" else 0
        maybe = maybe + 1 if rec.status != "broken" else 0
        if run >= gate.consecutive_days and met_on is None:
            met_on = day
            break
        if maybe >= gate.consecutive_days and maybe_on is None:
            maybe_on = day
        day += dt.timedelta(days=1)
    n = gate.consecutive_days
    if met_on is not None:
        return GateStatus(
            "met",
            met_on,
            f"met on {met_on:%d %b %Y}: {plural(n, 'consecutive qualifying day')}",
            tuple(days),
        )
    broken = [d for d in days if d.status == "broken"]
    listing = "; ".join(f"{d.date:%d %b}: {', '.join(d.why)}" for d in broken) or "none"
    if maybe_on is not None:
        return GateStatus(
            "undetermined",
            None,
            f"would be met on {maybe_on:%d %b %Y} if the uncertain days qualify; broken days: {listing}",
            tuple(days),
        )
    if closes is not None and daily.as_of_day >= closes:
        return GateStatus(
            "not_met",
            None,
            f"not met: no {n} consecutive qualifying days between {first:%d %b} and {closes:%d %b %Y}; "
            f"days that broke it: {listing}",
            tuple(days),
        )
    return GateStatus(
        "pending",
        None,
        f"not met yet ({plural(run, 'qualifying day')} in a row); broken days: {listing}",
        tuple(days),
    )


def phase_statuses(ev: e.Evaluation, access: AccessRecords | None = None) -> list[PhaseStatus]:
    out: list[PhaseStatus] = []
    for agreement in ev.agreements:
        daily = Daily(ev, agreement, access)
        by_id: dict[str, PhaseStatus] = {}
        for phase in _ordered(agreement.phases):
            status = _phase(daily, phase, by_id)
            by_id[phase.id] = status
            out.append(status)
    return out


def _ordered(phases: tuple[Phase, ...]) -> list[Phase]:
    done: list[Phase] = []
    pending = list(phases)
    while pending:
        for p in list(pending):
            if p.after is None or p.after in {d.id for d in done}:
                done.append(p)
                pending.remove(p)
        if len(pending) and all(p.after not in {d.id for d in done} for p in pending):
            done.extend(pending)  # a loop, refused by the loader; keep going safely
            break
    return done


def _phase(daily: Daily, phase: Phase, before: dict[str, PhaseStatus]) -> PhaseStatus:
    ev, a = daily.ev, daily.agreement
    start = phase.start
    if phase.after is not None:
        prev = before.get(phase.after)
        gate = prev.gate if prev else None
        if gate is None or gate.met_on is None:
            why = gate.summary if gate else f"phase {phase.after} has no gate"
            return PhaseStatus(
                a.id,
                phase.id,
                phase.name,
                "locked",
                None,
                None,
                f"locked: waits for the gate of {phase.after} ({why})",
            )
        start = dt.datetime.combine(gate.met_on + dt.timedelta(days=1), dt.time(0), tzinfo=daily.tz)
    assert start is not None
    until = start + phase.duration if phase.duration else None
    ends = [r.effective.end for r in a.rules]
    if all(x is not None for x in ends):  # nothing is in force after the last rule ends
        last = max(x for x in ends if x is not None)
        until = last if until is None else min(until, last)
    gate_st = gate_status(daily, phase.gate, start) if phase.gate else None
    if ev.as_of <= start:
        state: Literal["not_started", "active", "ended", "locked"] = "not_started"
        summary = f"starts {start.astimezone(daily.tz):%d %b %Y %H:%M}"
    elif until is not None and ev.as_of >= until:
        state, summary = "ended", f"ran until {until.astimezone(daily.tz):%d %b %Y %H:%M}"
    else:
        state, summary = "active", f"active since {start.astimezone(daily.tz):%d %b %Y %H:%M}"
    if gate_st is not None:
        said = gate_st.summary.startswith(("met", "not met"))  # the summary names it
        summary += (
            f"; gate {gate_st.summary}" if said else f"; gate {gate_st.status}: {gate_st.summary}"
        )
    return PhaseStatus(a.id, phase.id, phase.name, state, start, until, summary, gate_st)


def trigger_statuses(ev: e.Evaluation, access: AccessRecords | None = None) -> list[TriggerStatus]:
    """Each walk-away trigger of each agreement; ``access``: the convoys and constraints
    whose blocking constraints close routes (``route_closed_days``)."""
    out: list[TriggerStatus] = []
    for agreement in ev.agreements:
        daily = Daily(ev, agreement, access)
        for trig in agreement.triggers:
            out.append(_trigger(daily, trig))
    return out


def _trigger(daily: Daily, trig: Trigger) -> TriggerStatus:
    a = daily.agreement
    first, last_rule_day = periods(a)
    last = daily.as_of_day if last_rule_day is None else min(daily.as_of_day, last_rule_day)
    # windows that end more than window_days after the last incident or blocking
    # constraint hold nothing new: judge up to there only (an as-of years ahead must not
    # mean years of daily windows)
    latest = daily.latest_record_day()
    scan_to = min(last, first if latest is None else latest + dt.timedelta(days=trig.window_days))
    days = []
    d = first
    while d <= scan_to:
        days.append(d)
        d += dt.timedelta(days=1)
    # the evidence shown is that of the window that came closest (most conditions held,
    # then most that could hold), the latest such window on ties
    best: tuple[int, int, dt.date | None, list[str]] = (-1, -1, None, [])
    could_on: dt.date | None = None
    for k, day in enumerate(days):
        window = days[max(0, k - trig.window_days + 1) : k + 1]
        held, could, evidence = 0, 0, []
        for cond in trig.conditions:
            if isinstance(cond, ViolationDays):
                counts = {w: daily.violations(w, cond.parties) for w in window}
                hits = [w for w, c in counts.items() if c >= cond.min_per_day]
                ok = len(hits) >= cond.min_days
                maybe_days = [
                    w
                    for w, c in counts.items()
                    if c + daily.undetermined(w, cond.parties) >= cond.min_per_day
                ]
                maybe = len(maybe_days) >= cond.min_days
                who = f" by {', '.join(cond.parties)}" if cond.parties else ""
                evidence.append(
                    f"violations{who} on {len(hits)} of {plural(len(window), 'day')} "
                    f"(needs {cond.min_days}): {', '.join(f'{h:%d %b}' for h in hits) or 'none'}"
                )
            elif isinstance(cond, RouteClosedDays):
                states = {w: daily.route_state(cond.route, w) for w in window}
                hits = [w for w, st in states.items() if st == "closed"]
                unknown = [w for w, st in states.items() if st == "unknown"]
                ok = len(hits) >= cond.min_days
                maybe = len(hits) + len(unknown) >= cond.min_days
                evidence.append(
                    f"{cond.route} closed on {plural(len(hits), 'day')} (needs {cond.min_days}): "
                    f"{', '.join(f'{h:%d %b}' for h in hits) or 'none'}"
                    + (f"; status unknown on {plural(len(unknown), 'day')}" if unknown else "")
                )
            else:  # pragma: no cover - the loader admits no other kind
                ok = maybe = False
            held += ok
            could += maybe
        if held == len(trig.conditions):
            return TriggerStatus(
                a.id,
                trig.id,
                trig.description,
                True,
                day,
                f"fired on {day:%d %b %Y}",
                tuple(evidence),
            )
        if could == len(trig.conditions) and could_on is None:
            could_on = day
        if (held, could) >= best[:2]:
            best = (held, could, day, evidence)
    summary = f"not fired as of {last:%d %b %Y}"
    if could_on is not None:
        summary += (
            f"; undetermined: it would have fired on {could_on:%d %b %Y} if the uncertain "
            "days (undetermined findings, unknown route status) went against the parties"
        )
    closest = best[2]
    shown = tuple(best[3])
    if closest is not None:
        shown = (f"closest window: the {trig.window_days} days to {closest:%d %b %Y}", *shown)
    return TriggerStatus(a.id, trig.id, trig.description, False, None, summary, shown)
