"""Step codes -> sentences a mediator can read aloud, one finding at a time."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator

from ceasewatch.agreement.model import Agreement, Rule
from ceasewatch.evaluate import engine as e
from ceasewatch.evaluate.finding import Basis, Finding, FindingConfidence, PartyRef, finding_id
from ceasewatch.geo.relate import EDGE, IN, OUT
from ceasewatch.incidents.model import Incident

_CONFIDENCE: dict[str, FindingConfidence] = {
    "confirmed": "high",
    "fair": "medium",
    "ungraded": "medium",
    "weak": "low",
    "contested": "low",
    "discounted": "low",
}
_LOWER: dict[FindingConfidence, FindingConfidence] = {
    "high": "medium",
    "medium": "low",
    "low": "low",
}


def day_text(d: dt.date) -> str:
    """A date as a monitoring report writes it.

    >>> day_text(dt.date(2016, 9, 7))
    '7 Sep 2016'
    """
    return f"{d.day} {d:%b %Y}"


def when_text(inc: Incident) -> str:
    o = inc.occurred
    if o.start == o.end:
        text = day_text(o.start)
        return f"{text} at {o.time:%H:%M}" if o.time else text
    return f"between {day_text(o.start)} and {day_text(o.end)}"


def moment_text(t: dt.datetime, tz: str) -> str:
    local = t.astimezone(zoneinfo.ZoneInfo(tz))
    return f"{day_text(local.date())} {local:%H:%M} ({tz} time)"


def _list(items: tuple[str, ...] | list[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _one_of(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else "one of " + ", ".join(items)


def _zones_at(ev: e.Evaluation, i: int, candidates: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(zones the incident lies in, zones its location straddles) among ``candidates``."""
    g = ev.geography
    inside, edge = [], []
    for zid in candidates:
        rel = g.in_zones((zid,))[i]
        zone = ev.world.zone(zid)
        label = f"{zone.id} ({zone.type})"
        if rel == IN:
            inside.append(label)
        elif rel == EDGE:
            edge.append(label)
    return inside, edge


def _place_name(inc: Incident) -> str:
    return inc.location.name or f"{inc.location.lat:.4f}, {inc.location.lon:.4f}"


def _precision(inc: Incident) -> str:
    radius = {"neighbourhood": "±1 km", "town": "±5 km", "district": "±25 km", "province": "±75 km"}
    p = inc.location.precision
    return f"{p} precision, {radius[p]}" if p in radius else f"{p} precision"


def _time(rule: Rule, code: int, inc: Incident, tz: str) -> str:
    start = moment_text(rule.effective.start, tz)
    end = moment_text(rule.effective.end, tz) if rule.effective.end else None
    if code == e.T_BEFORE:
        return f"It happened before the rule came into force on {start}."
    if code == e.T_AFTER:
        return f"It happened after the rule ceased to apply on {end}."
    if code == e.T_STRADDLE:
        edge = (
            start
            if inc.occurred.start
            <= rule.effective.start.astimezone(zoneinfo.ZoneInfo(tz)).date()
            <= inc.occurred.end
            else end
        )
        return (
            f"It is dated {when_text(inc)} without a time precise enough to tell whether it fell "
            f"before or after {edge}, when the rule's period began or ended."
        )
    tail = f" until {end}" if end else ""
    return f"The rule is in force from {start}{tail}."


def _place(ev: e.Evaluation, r: e.RuleResult, k: int, i: int, inc: Incident) -> str:
    rule = r.rule
    code = int(r.place[k])
    name = _place_name(inc)
    if rule.type in ("access.v1", "access.v2") and rule.route is not None:
        route = ev.world.route(rule.route)
        if code == IN:
            return f"{name} lies within the {route.corridor_m:.0f} m corridor of route {route.id}."
        if code == EDGE:
            return (
                f"{name} ({_precision(inc)}) may or may not lie within the corridor of route "
                f"{route.id}: the location is not precise enough."
            )
        return f"{name} lies outside the corridor of route {route.id}."
    if not rule.where.is_spatial:
        if code == OUT:
            return f"{name} is outside {rule.where.country}, where the rule applies."
        scope = f"anywhere in {rule.where.country}" if rule.where.country else "anywhere"
        control = tuple(z.id for z in ev.world.zones if z.type != "city")
        inside, edge = _zones_at(ev, i, control)
        lies = ""
        if inside:
            lies = f"{name} lies in zone {_list(inside)}; "
        elif edge:
            lies = f"{name} ({_precision(inc)}) lies on or near the edge of {_list(edge)}; "
        return f"{lies}the rule applies {scope}." if lies else f"The rule applies {scope}."
    ids = ev.geography.zone_ids(rule.where.zones, rule.where.zone_types)
    wanted = _list(list(rule.where.zones) + [f"{t} zones" for t in rule.where.zone_types])
    inside, edge = _zones_at(ev, i, ids)
    if code == IN:
        return (
            f"{name} lies in zone {_list(inside or ['(adjoining zones)'])}, where the rule applies."
        )
    if code == EDGE:
        near = f" (near {_list(edge)})" if edge else ""
        return (
            f"{name} ({_precision(inc)}) straddles the edge of the area the rule covers "
            f"({wanted}){near}, so whether it lies inside cannot be told."
        )
    return f"{name} lies outside the area the rule covers ({wanted})."


def _perp(ev: e.Evaluation, r: e.RuleResult, k: int, inc: Incident, agreement: Agreement) -> str:
    code = int(r.perp[k])
    rule = r.rule
    binds = _list(rule.binds)
    names = ev.actors.names(r.parties[k])
    if r.clash[k]:
        names = ev.actors.names(ev.actors.of_codes(ev.columns.perp[[r.idx[k]]])[0])
    if code == e.P_UNMATCHED:
        return (
            f"The perpetrator is given as actor {inc.perpetrator.actor!r}, which is not an actor of "
            f"scenario {ev.world.scenario_id}."
        )
    if code == e.P_UNKNOWN:
        reported = f" (reported only as {inc.perpetrator.text!r})" if inc.perpetrator.text else ""
        methods = _list(list(inc.method)) or inc.sub_event_type.lower()
        return (
            f"No perpetrator is reported{reported}, and no attribution rule covers {methods} "
            f"at this place."
        )
    if code == e.P_PRESUMED:
        rule_a = agreement.attribution_rules[int(r.attribution[k])]
        lead = (
            f"No perpetrator is reported; presumed {_one_of(names)} by attribution rule "
            f"{rule_a.id!r} ({rule_a.description.rstrip('.')})."
        )
    else:
        how = (
            inc.perpetrator.attribution if inc.perpetrator.attribution != "unknown" else "reported"
        )
        text = f" ({inc.perpetrator.text})" if inc.perpetrator.text else ""
        lead = f"Perpetrator {how}: {_list(names)}{text}."
    bound = int(r.bound[k])
    if bound == e.B_NOT_BOUND:
        return f"{lead} The rule binds {binds}, not {_list(names)}."
    if bound == e.B_PARTLY:
        return (
            f"{lead} The rule binds only {binds}, so whether a bound party did it cannot be told."
        )
    if rule.type == "no_fly.v1":
        return f"{lead} The rule binds the aircraft of {binds}."
    return lead


def _target(ev: e.Evaluation, r: e.RuleResult, k: int, i: int, inc: Incident) -> str | None:
    code = int(r.target[k])
    rule = r.rule
    t = inc.target
    label = (t.text or t.actor) if t else None
    exempt = _list(rule.exempt_targets) or "none"
    if code == e.G_NOT_CHECKED:
        return None
    if code == e.G_EXEMPT:
        return f"An operation against {label} ({t.actor if t else ''}), a designated group: exempt."
    if code == e.G_OTHER:
        return (
            f"The target, {label}, is neither a party nor protected by this rule "
            f"({_list(rule.protects)})."
        )
    if code == e.G_MIXED_TARGET:
        return f"The target, {label}, includes both exempt groups ({exempt}) and protected parties."
    if code == e.G_UNMATCHED:
        return f"The target is given as actor {t.actor if t else None!r}, unknown to the scenario."
    if code == e.G_PROTECTED:
        if r.clash[k]:
            return (
                f"An armed clash with {label}, also bound by the rule; who opened fire is not "
                f"reported, so both sides are named."
            )
        return f"Not an operation against an exempt group ({exempt}): the target was {label}."
    zone_types = rule.designated_zone_types + rule.mixed_zone_types + e.PARTY_ZONE_TYPES
    inside, edge = _zones_at(ev, i, ev.geography.zone_ids(types=zone_types))
    where = _list(inside) if inside else (_list(edge) if edge else "no delineated zone")
    if code == e.G_ZONE_EXEMPT:
        return (
            f"The target is not reported; the location lies in {where}, held by a designated "
            f"group, so the operation is presumed to be against it: exempt."
        )
    if code == e.G_ZONE_MIXED:
        return (
            f"The target is not reported and the location lies in or near {where}, where "
            f"designated groups ({exempt}) are present: whether the exemption applies cannot "
            f"be told."
        )
    if code == e.G_ZONE_PARTY:
        return (
            f"The target is not reported; the location lies in {where}, an area held by a "
            f"party, not by an exempt group ({exempt})."
        )
    return (
        f"The target is not reported and the location lies in {where}, so whether the "
        f"operation targeted a designated group ({exempt}) cannot be told."
    )


def _what(inc: Incident) -> str:
    how = f" ({_list(list(inc.method))})" if inc.method else ""
    when = when_text(inc)
    when = when if when.startswith("between") else f"on {when}"
    return f"{inc.sub_event_type}{how} {when} at {_place_name(inc)} ({_precision(inc)})."


_NA_WHY = {
    "time": "it falls outside the rule's period",
    "place": "it lies outside the rule's area",
    "bound": "the rule does not bind who did it",
    "target": "the rule does not protect the target",
}
_UNDETERMINED_WHY = {
    "time": "the date may fall outside the rule's period",
    "place": "the location may lie outside the rule's area",
    "perp": "who did it is not known",
    "bound": "the presumed perpetrators include actors the rule does not bind",
    "target": "whether the target was an exempt group cannot be told",
}


def _conclusion(r: e.RuleResult, k: int, verdict: str, names: tuple[str, ...]) -> str:
    """The verdict in one sentence, with the step(s) that decided it."""
    t, p, pe, b, g = (int(a[k]) for a in (r.time, r.place, r.perp, r.bound, r.target))
    rule = f"rule {r.rule.id!r} of {r.agreement.id}"
    if verdict == "violation":
        joiner = " or " if pe == e.P_PRESUMED else " and "
        return f"Verdict: violation of {rule} by {joiner.join(names)}."
    if verdict == "exempt":
        return f"Verdict: exempt under {rule} (an operation against a designated group)."
    if verdict == "not_applicable":
        causes = {
            "time": t in (e.T_BEFORE, e.T_AFTER),
            "place": p == OUT,
            "bound": b == e.B_NOT_BOUND,
            "target": g == e.G_OTHER,
        }
        why = "; ".join(_NA_WHY[c] for c, hit in causes.items() if hit)
        return f"Verdict: {rule} does not apply — {why}."
    causes = {
        "time": t == e.T_STRADDLE,
        "place": p == EDGE,
        "perp": pe in (e.P_UNKNOWN, e.P_UNMATCHED),
        "bound": b == e.B_PARTLY,
        "target": g in (e.G_MIXED_TARGET, e.G_ZONE_MIXED, e.G_ZONE_NONE, e.G_UNMATCHED),
    }
    why = "; ".join(_UNDETERMINED_WHY[c] for c, hit in causes.items() if hit)
    return f"Verdict: undetermined under {rule} — {why}."


def render(ev: e.Evaluation, r: e.RuleResult, k: int) -> Finding:
    assert ev.incidents is not None
    i = int(r.idx[k])
    inc = ev.incidents[i]
    tz = ev.world.timezone
    reasons = [
        _what(inc),
        _time(r.rule, int(r.time[k]), inc, tz),
        _place(ev, r, k, i, inc),
        _perp(ev, r, k, inc, r.agreement),
    ]
    target = _target(ev, r, k, i, inc)
    if target:
        reasons.append(target)
    verdict = e.VERDICTS[int(r.verdict[k])]
    names = ev.actors.names(r.parties[k])
    dispute = int(r.disputed[k]) if r.disputed is not None else -1
    if dispute >= 0:
        reasons.append(ev.disputes[dispute])
        reasons.append(
            f"Verdict: undetermined under rule {r.rule.id!r} of {r.agreement.id} — disputed "
            "delineation: whether the rule applies here depends on which map is agreed."
        )
    else:
        reasons.append(_conclusion(r, k, verdict, names))
    if r.previous is not None and r.previous[k] != r.verdict[k]:
        old = e.VERDICTS[int(r.previous[k])].replace("_", " ")
        reasons.append(f"Verdict changed: {ev.map_change}; before, it was {old}.")
    if int(r.perp[k]) == e.P_PRESUMED:
        bases: dict[str, Basis] = dict.fromkeys(names, "presumed")
    else:
        attribution = inc.perpetrator.attribution
        basis: Basis = attribution if attribution in ("claimed", "alleged") else "reported"
        bases = dict.fromkeys(names, basis)
        if r.clash[k]:
            perp_names = ev.actors.names(ev.actors.of_codes(ev.columns.perp[[i]])[0])
            bases = {n: (basis if n in perp_names else "reported") for n in names}
    confidence = _CONFIDENCE[inc.confidence]
    if any(b in ("presumed", "alleged") for b in bases.values()):
        confidence = _LOWER[confidence]
    return Finding(
        id=finding_id(inc.id, r.agreement.id, r.agreement.version, r.rule.id, ev.map_version),
        incident_id=inc.id,
        agreement_id=r.agreement.id,
        agreement_version=r.agreement.version,
        rule_id=r.rule.id,
        map_version=ev.map_version,
        as_of=ev.as_of,
        verdict=verdict,  # type: ignore[arg-type]
        reasons=tuple(reasons),
        parties=tuple(PartyRef(a, b) for a, b in bases.items()),
        confidence=confidence,
    )


def render_all(ev: e.Evaluation) -> Iterator[Finding]:
    for r in ev.results:
        for k in range(len(r.idx)):
            yield render(ev, r, k)
