"""access.v2 judgements: route and checkpoint status per day, convoys that broke
sustained access, and findings for stopped (blocked or attacked) convoys.

Pure: the incidents' part (is a hostile incident in a corridor that day?) and the
parties of linked incidents are passed in by the caller (``evaluate.gates`` builds them
from the engine's results), so nothing here reads files, the clock or the store.

A route is **closed** on a day when a blocking constraint or a hostile incident falls in
its corridor during that day's window; **unknown** when an incident may have (imprecise
place or time); else **open**. A checkpoint is closed when a blocking constraint names it
or its route is closed; unknown when its route's access.v2 rule requires monitored
checkpoints and it has no designated monitor, or its route's status is unknown.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from shapely.geometry import Point

from ceasewatch.access.model import (
    CATEGORY_NAMES,
    EN_ROUTE,
    STOPPED,
    AccessRecords,
    Constraint,
    Convoy,
    ConvoyEvent,
)
from ceasewatch.access.windows import Window
from ceasewatch.agreement.model import Agreement, Checkpoint, Rule
from ceasewatch.evaluate.finding import Basis, Finding, PartyRef, Verdict, finding_id
from ceasewatch.geo.relate import Frame

State = Literal["open", "closed", "unknown"]
#: (state, incident ids) of the hostile incidents in a route's corridor on a local day.
Hostile = Callable[[str, dt.date], tuple[State, tuple[str, ...]]]


def _no_incidents(route_id: str, day: dt.date) -> tuple[State, tuple[str, ...]]:
    return "open", ()


@dataclass(frozen=True)
class Status:
    """One route or checkpoint on one day, with why."""

    kind: Literal["route", "checkpoint"]
    id: str
    name: str
    day: dt.date
    state: State
    why: tuple[str, ...]
    brief: str = ""
    """The why in a few words (for gate summaries)."""


def day_text(d: dt.date) -> str:
    return f"{d.day} {d:%b %Y}"


def moment(t: dt.datetime, tz: zoneinfo.ZoneInfo, precision: str = "minute") -> str:
    local = t.astimezone(tz)
    if precision == "day":
        return day_text(local.date())
    return f"{day_text(local.date())} {local:%H:%M}"


def access_rules(agreement: Agreement) -> tuple[Rule, ...]:
    return tuple(r for r in agreement.rules if r.type == "access.v2")


class AccessBook:
    """One agreement's access picture: ask it about any route, checkpoint or day."""

    def __init__(
        self,
        agreement: Agreement,
        records: AccessRecords,
        *,
        hostile: Hostile = _no_incidents,
        incident_parties: Callable[[str], tuple[PartyRef, ...]] | None = None,
    ) -> None:
        self.agreement = agreement
        self.world = agreement.world
        self.records = records
        self.hostile = hostile
        self.incident_parties = incident_parties or (lambda incident_id: ())
        self.tz = zoneinfo.ZoneInfo(agreement.timezone)
        self.frame = Frame.around([r.geometry for r in self.world.routes], default=(0.0, 0.0))
        self._corridors = {
            r.id: self.frame.project_geometry(r.geometry).buffer(r.corridor_m / 2)
            for r in self.world.routes
        }

    # ---- windows ---------------------------------------------------------------------

    def window(self, route_id: str) -> Window | None:
        for c in self.agreement.corridors:
            if c.route == route_id and c.window is not None:
                return c.window
        return None

    def open_hours(self, route_id: str, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        w = self.window(route_id)
        if w is not None:
            return w.on(day)
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=self.tz)

    # ---- routes and checkpoints ------------------------------------------------------

    def _touches(self, c: Constraint, route_id: str) -> bool:
        if route_id in c.routes:
            return True
        if c.lon is None or c.lat is None:
            return False
        x, y = self.frame.project([c.lon], [c.lat])
        return bool(self._corridors[route_id].covers(Point(float(x[0]), float(y[0]))))

    def _constraint_text(self, c: Constraint) -> str:
        until = f" until {moment(c.end, self.tz)}" if c.end else ""
        who = (
            " (attributed to " + ", ".join(f"{a.actor}, {a.basis}" for a in c.attributed_to) + ")"
            if c.attributed_to
            else ""
        )
        return (
            f"constraint {c.id} ({CATEGORY_NAMES[c.category]}) from "
            f"{moment(c.start, self.tz)}{until}: {c.description}{who} [evidence: {c.evidence}]"
        )

    def route(self, route_id: str, day: dt.date) -> Status:
        route = self.world.route(route_id)
        start, end = self.open_hours(route_id, day)
        w = self.window(route_id)
        during = f"during its window ({w.text})" if w else "that day"
        blocking = [
            c
            for c in self.records.constraints
            if c.blocking and c.overlaps(start, end) and self._touches(c, route_id)
        ]
        state, ids = self.hostile(route_id, day)
        why: list[str] = [self._constraint_text(c) for c in blocking]
        if state == "closed":
            why.append(f"hostile incident in the corridor {during}: {', '.join(ids)}")
        brief = "; ".join(
            [f"constraint {c.id} ({CATEGORY_NAMES[c.category]})" for c in blocking]
            + ([f"hostile incidents {', '.join(ids)}"] if state == "closed" else [])
        )
        if blocking or state == "closed":
            return Status("route", route_id, route.name, day, "closed", tuple(why), brief)
        if state == "unknown":
            return Status(
                "route",
                route_id,
                route.name,
                day,
                "unknown",
                (f"incidents that may lie in the corridor {during}: {', '.join(ids)}",),
                f"incidents that may lie in the corridor: {', '.join(ids)}",
            )
        return Status(
            "route",
            route_id,
            route.name,
            day,
            "open",
            (f"no blocking constraint or hostile incident in the corridor {during}",),
        )

    def _requires_monitor(self, cp: Checkpoint) -> bool:
        return any(
            r.monitored_checkpoints and (r.route is None or r.route == cp.route)
            for r in access_rules(self.agreement)
        )

    def checkpoint(self, cp: Checkpoint, day: dt.date) -> Status:
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        end = start + dt.timedelta(days=1)
        if cp.route is not None:
            start, end = self.open_hours(cp.route, day)
        named = [
            c
            for c in self.records.constraints
            if c.blocking and cp.id in c.checkpoints and c.overlaps(start, end)
        ]
        brief = "; ".join(f"constraint {c.id} ({CATEGORY_NAMES[c.category]})" for c in named)
        route = self.route(cp.route, day) if cp.route is not None else None
        if named or (route is not None and route.state == "closed"):
            why = [self._constraint_text(c) for c in named]
            if route is not None and route.state == "closed":
                why.append(f"its route {cp.route} is closed")
            return Status(
                "checkpoint", cp.id, cp.name, day, "closed", tuple(why), brief or "route closed"
            )
        if not cp.monitored_by and self._requires_monitor(cp):
            return Status(
                "checkpoint",
                cp.id,
                cp.name,
                day,
                "unknown",
                ("no monitor designated: the access rule requires monitored checkpoints",),
                "no monitor designated",
            )
        if route is not None and route.state == "unknown":
            return Status(
                "checkpoint",
                cp.id,
                cp.name,
                day,
                "unknown",
                (f"its route {cp.route} has an unknown status", *route.why),
                "route status unknown",
            )
        monitors = f"monitored by {', '.join(cp.monitored_by)}" if cp.monitored_by else "no monitor"
        return Status("checkpoint", cp.id, cp.name, day, "open", (f"not closed; {monitors}",))

    def statuses(self, day: dt.date) -> list[Status]:
        """Every route and checkpoint of the scenario on ``day``."""
        out = [self.route(r.id, day) for r in self.world.routes]
        out += [self.checkpoint(cp, day) for cp in self.world.checkpoints]
        return out

    # ---- convoys ---------------------------------------------------------------------

    def rules_for(self, convoy: Convoy) -> tuple[Rule, ...]:
        return tuple(
            r for r in access_rules(self.agreement) if r.route is None or r.route == convoy.route
        )

    def _day_bounds(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        start = dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)
        return start, start + dt.timedelta(days=1)

    def convoy_breaks(self, day: dt.date, *, evidence: bool = True) -> tuple[str, ...]:
        """Why access was not sustained on ``day`` because of convoys: stopped that day
        (or still blocked), or kept waiting past the rule's ``release_within``."""
        start, end = self._day_bounds(day)
        out: list[str] = []
        for convoy in self.records.convoys:
            rules = [r for r in self.rules_for(convoy) if _in_force(r, start, end)]
            if not rules:
                continue
            label = _label(convoy) if evidence else convoy.id
            for ev in convoy.events:
                if ev.status in STOPPED and start <= ev.at < end:
                    said = f" [evidence: {ev.evidence}]" if evidence else ""
                    linked = f" (incident {ev.incident})" if ev.incident and not evidence else ""
                    out.append(f"convoy {label} {ev.status}{self._where(ev)}{linked}{said}")
            before = convoy.status_at(start - dt.timedelta(microseconds=1))
            if before is not None and before.status == "blocked":
                if not any(start <= e.at < end for e in convoy.events):
                    out.append(
                        f"convoy {label} blocked since {moment(before.at, self.tz, before.precision)}"
                    )
            limits = [r.release_within for r in rules if r.release_within is not None]
            now = convoy.status_at(end - dt.timedelta(microseconds=1))
            if not limits or now is None or now.status not in EN_ROUTE:
                continue
            limit = min(limits)
            cleared = [e for e in convoy.events if e.status == "cleared" and e.at < end]
            waits = [e for e in convoy.events if e.status == "waiting" and e.at < end]
            ref = cleared[-1] if cleared else (waits[0] if waits else None)
            if ref is not None and end - ref.at > limit:
                since = moment(ref.at, self.tz, ref.precision)
                hours = int(limit.total_seconds() // 3600)
                what = "cleared" if cleared else "waiting, not cleared,"
                out.append(
                    f"convoy {label} {what} since {since} and still "
                    f"{now.status.replace('_', ' ')}: not let through within {hours}h"
                )
        return tuple(out)

    def _where(self, ev: ConvoyEvent) -> str:
        if ev.checkpoint:
            return f" at checkpoint {ev.checkpoint}"
        if ev.lon is not None and ev.lat is not None:
            return f" at lon {ev.lon:.4f}, lat {ev.lat:.4f}"
        return ""

    def sustained(
        self, routes: tuple[str, ...], day: dt.date
    ) -> tuple[list[str], list[str], dict[str, State]]:
        """(broken, uncertain, route states) of the access_sustained condition on ``day``."""
        broken: list[str] = []
        uncertain: list[str] = []
        states: dict[str, State] = {}
        for route_id in routes:
            st = self.route(route_id, day)
            states[route_id] = st.state
            if st.state == "closed":
                broken.append(f"{route_id} closed ({st.brief})")
            elif st.state == "unknown":
                uncertain.append(f"{route_id} status unknown ({st.brief})")
            for cp in self.world.checkpoints:
                if cp.route != route_id or st.state == "closed":
                    continue
                cs = self.checkpoint(cp, day)
                if cs.state == "closed":
                    broken.append(f"checkpoint {cp.id} closed ({cs.brief})")
                elif cs.state == "unknown" and st.state == "open":
                    uncertain.append(f"checkpoint {cp.id} status unknown ({cs.brief})")
        broken.extend(self.convoy_breaks(day, evidence=False))
        return broken, uncertain, states

    # ---- findings --------------------------------------------------------------------

    def findings(self, as_of: dt.datetime) -> list[Finding]:
        """One finding per stopped convoy event × access.v2 rule governing its convoy."""
        out: list[Finding] = []
        for convoy in self.records.convoys:
            for n, ev in enumerate(convoy.events):
                if ev.status not in STOPPED or ev.at >= as_of:
                    continue
                for rule in self.rules_for(convoy):
                    out.append(self._finding(convoy, n, ev, rule, as_of))
        return out

    def _parties(self, convoy: Convoy, ev: ConvoyEvent) -> tuple[tuple[PartyRef, ...], str]:
        """Who is named responsible, and the sentence that says on what grounds."""
        if ev.attributed_to:
            refs = tuple(PartyRef(a.actor, a.basis) for a in ev.attributed_to)
            return refs, "Reports name " + _names(refs) + "."
        linked = self.incident_parties(ev.incident) if ev.incident is not None else ()
        if linked:
            refs = linked
            return refs, f"The incident record {ev.incident} names {_names(refs)}."
        if ev.checkpoint is not None:
            cps = [c for c in self.world.checkpoints if c.id == ev.checkpoint]
            if cps and cps[0].operated_by:
                refs = tuple(PartyRef(a, "presumed") for a in cps[0].operated_by)
                return refs, (
                    f"No one is reported responsible; checkpoint {ev.checkpoint} is operated by "
                    f"{', '.join(cps[0].operated_by)}, presumed responsible."
                )
        lon, lat = ev.lon, ev.lat
        if (lon is None or lat is None) and ev.checkpoint is not None:
            cps = [c for c in self.world.checkpoints if c.id == ev.checkpoint]
            if cps:
                p = cps[0].geometry.representative_point()
                lon, lat = p.x, p.y
        if lon is not None and lat is not None:
            held = dict(r for rule in self.rules_for(convoy) for r in rule.controlled_by)
            point = Point(lon, lat)
            for zone in self.world.zones:
                if zone.type in held and zone.geometry.covers(point):
                    refs = tuple(PartyRef(a, "presumed") for a in held[zone.type])
                    return refs, (
                        f"No one is reported responsible; the place lies in zone {zone.id} "
                        f"({zone.type}), held by {', '.join(held[zone.type])}: presumed responsible."
                    )
        return (), (
            "No one is reported responsible, no checkpoint operator is known, and the place "
            "lies in no zone whose controller the rule names."
        )

    def _finding(
        self, convoy: Convoy, n: int, ev: ConvoyEvent, rule: Rule, as_of: dt.datetime
    ) -> Finding:
        a = self.agreement
        reasons = [
            f"Convoy {_label(convoy)} from {convoy.origin} to {convoy.destination}"
            + (f" on route {convoy.route}" if convoy.route else "")
            + f" was {ev.status} on {moment(ev.at, self.tz, ev.precision)}{self._where(ev)} "
            f"[evidence: {ev.evidence}]."
        ]
        start, end = rule.effective.start, rule.effective.end
        if ev.end <= start or (end is not None and ev.at >= end):
            time = "outside"
            reasons.append(f"The rule was not in force then (from {moment(start, self.tz)}).")
        elif ev.at < start or (end is not None and ev.end > end):
            time = "straddle"
            reasons.append(
                f"It is dated {moment(ev.at, self.tz, ev.precision)} without a time precise "
                "enough to tell whether it fell within the rule's period."
            )
        else:
            time = "within"
            tail = f" until {moment(end, self.tz)}" if end else ""
            reasons.append(f"The rule is in force from {moment(start, self.tz)}{tail}.")
        parties, said = self._parties(convoy, ev)
        reasons.append(said)
        bound = self.world.expand(rule.binds)
        who = self.world.expand([p.actor for p in parties]) if parties else frozenset()
        rule_name = f"rule {rule.id!r} of {a.id}"
        verdict: Verdict
        if time == "outside":
            verdict = "not_applicable"
            reasons.append(
                f"Verdict: {rule_name} does not apply — it falls outside the rule's period."
            )
        elif parties and not (who & bound):
            verdict = "not_applicable"
            reasons.append(
                f"Verdict: {rule_name} does not apply — it does not bind {_names(parties)}."
            )
        elif time == "straddle" or not parties or not who <= bound:
            verdict = "undetermined"
            why = []
            if time == "straddle":
                why.append("the date may fall outside the rule's period")
            if not parties:
                why.append("who stopped the convoy is not known")
            elif not who <= bound:
                why.append("the parties named include actors the rule does not bind")
            reasons.append(f"Verdict: undetermined under {rule_name} — {'; '.join(why)}.")
        else:
            verdict = "violation"
            joiner = " or " if any(p.basis == "presumed" for p in parties) else " and "
            reasons.append(
                f"Verdict: violation of {rule_name} by {joiner.join(p.actor for p in parties)}."
            )
        incident_id = ev.incident or f"convoy:{convoy.id}:{n}"
        weak = any(p.basis in ("presumed", "alleged") for p in parties)
        return Finding(
            id=finding_id(incident_id, a.id, a.version, rule.id, None),
            incident_id=incident_id,
            agreement_id=a.id,
            agreement_version=a.version,
            rule_id=rule.id,
            map_version=None,
            as_of=as_of,
            verdict=verdict,
            reasons=tuple(reasons),
            parties=parties,
            confidence="low" if weak or not parties else "medium",
        )


def _in_force(rule: Rule, start: dt.datetime, end: dt.datetime) -> bool:
    e = rule.effective
    return e.start < end and (e.end is None or e.end > start)


def _label(convoy: Convoy) -> str:
    trucks = f", {convoy.trucks} trucks" if convoy.trucks else ""
    return f"{convoy.id} ({convoy.agency}{trucks})"


def _names(refs: tuple[PartyRef, ...]) -> str:
    basis: dict[Basis, str] = {
        "reported": "reported",
        "claimed": "claimed",
        "alleged": "alleged",
        "presumed": "presumed",
    }
    return ", ".join(f"{p.actor} ({basis[p.basis]})" for p in refs)
