"""An agreement in plain language, for the dashboard's agreement page and the map's
filters: who each rule binds, what it forbids, where and when; what each phase waits for;
what makes a party walk away. Pure: it reads the loaded agreement, nothing else.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from ceasewatch.agreement.model import (
    AccessSustained,
    Agreement,
    DailyCondition,
    Phase,
    Place,
    RouteClosedDays,
    RouteOpen,
    Rule,
    Trigger,
    ViolationDays,
    ViolationsAtMost,
    World,
)
from ceasewatch.evaluate.gates import plural

_VERBS = {
    "hostilities.v1": "may not attack",
    "territory.v1": "may not take ground from",
    "no_fly.v1": "may not fly combat missions",
    "access.v1": "may not block",
    "access.v2": "may not block",
}


def listing(items: list[str] | tuple[str, ...], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> listing(["Russia"]), listing(["Russia", "Syria", "Turkey"], "or")
    ('Russia', 'Russia, Syria or Turkey')
    >>> listing([])
    ''
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


def moment(t: dt.datetime, tz: str) -> str:
    """A moment in the agreement's local time.

    >>> moment(dt.datetime(2016, 9, 12, 16, 0, tzinfo=dt.UTC), "Asia/Damascus")
    '12 Sep 2016 19:00'
    """
    local = t.astimezone(zoneinfo.ZoneInfo(tz))
    return f"{local.day} {local:%b %Y %H:%M}"


def _name(world: World, actor_id: str) -> str:
    try:
        return world.actor(actor_id).name
    except KeyError:
        return actor_id


def _names(world: World, ids: tuple[str, ...] | list[str]) -> list[str]:
    return [_name(world, a) for a in ids]


def _zone_name(world: World, zone_id: str) -> str:
    try:
        return world.zone(zone_id).name
    except KeyError:
        return zone_id


def _route_name(world: World, route_id: str) -> str:
    try:
        return world.route(route_id).name
    except KeyError:
        return route_id


def where_text(world: World, place: Place) -> str:
    """Where a rule applies, as a phrase."""
    parts: list[str] = []
    if place.zones:
        parts.append("in " + listing([_zone_name(world, z) for z in place.zones], "or"))
    if place.zone_types:
        parts.append("in any " + listing(list(place.zone_types), "or") + " zone")
    if parts:
        return " or ".join(parts)
    if place.country:
        return f"anywhere in {place.country}"
    return "anywhere"


def when_text(rule: Rule, tz: str) -> str:
    start = moment(rule.effective.start, tz)
    if rule.effective.end is None:
        return f"from {start} ({tz} time), with no end date"
    return f"from {start} until {moment(rule.effective.end, tz)} ({tz} time)"


def rule_text(rule: Rule, world: World) -> str:
    """One sentence a mediator can read aloud: who may not do what, where, when."""
    who = listing(_names(world, rule.binds)) or "No party"
    tz = world.timezone
    if rule.type == "no_fly.v1":
        how = listing(sorted(rule.methods), "or")
        what = f"{who} may not fly combat missions ({how})" if how else f"{who} may not fly"
        text = f"{what} {where_text(world, rule.where)}"
    elif rule.type == "access.v1":
        route = _route_name(world, rule.route) if rule.route else "the agreed route"
        text = f"{who} may not block {route} or fight within its corridor"
    elif rule.type == "access.v2":
        if rule.route:
            text = (
                f"{who} may not block {_route_name(world, rule.route)}, fight within its "
                "corridor, or stop its convoys"
            )
        else:
            text = f"{who} may not stop or attack humanitarian convoys"
        if rule.release_within is not None:
            hours = int(rule.release_within.total_seconds() // 3600)
            text += f"; a cleared convoy must be let through within {hours} hours"
        if rule.monitored_checkpoints:
            text += "; its checkpoints must be monitored"
    else:
        kinds = sorted({event for event, _ in rule.covers})
        verb = _VERBS.get(rule.type, "may not act against")
        others = [a for a in rule.protects if a not in rule.binds]
        if rule.binds and len(rule.binds) > 1 and set(rule.binds) <= set(rule.protects):
            protected = listing(["one another", *_names(world, others)], "or")
        else:
            protected = listing(_names(world, rule.protects), "or") or "anyone"
        text = f"{who} {verb} {protected} ({listing(kinds, 'or')}) {where_text(world, rule.where)}"
    text += f", {when_text(rule, tz)}."
    if rule.exempt_targets:
        text += (
            " Operations against "
            + listing(_names(world, rule.exempt_targets), "or")
            + " are exempt."
        )
    return text


def condition_text(world: World, c: DailyCondition) -> str:
    if isinstance(c, ViolationsAtMost):
        who = f" by {listing(_names(world, c.parties), 'or')}" if c.parties else ""
        return f"at most {plural(c.max, 'violation')}{who} that day"
    if isinstance(c, AccessSustained):
        routes = listing([_route_name(world, r) for r in c.routes])
        return (
            f"sustained access: {routes} open during {'its' if len(c.routes) == 1 else 'their'} "
            "window, checkpoints monitored, and no convoy stopped or kept waiting past its "
            "agreed time that day"
        )
    assert isinstance(c, RouteOpen)
    return f"{_route_name(world, c.route)} open all day"


def phase_text(phase: Phase, world: World) -> str:
    """When a phase starts, how long it runs, and what its gate waits for."""
    tz = world.timezone
    if phase.start is not None:
        text = f"Starts {moment(phase.start, tz)} ({tz} time)"
    elif phase.after:
        text = f"Starts when the gate of phase '{phase.after}' is met"
    else:
        text = "No start given"
    if phase.duration is not None:
        hours = int(phase.duration.total_seconds() // 3600)
        text += f" and runs {plural(hours, 'hour')}"
    text += "."
    if phase.gate is not None:
        each = listing([condition_text(world, c) for c in phase.gate.each_day])
        text += (
            f" Its gate is met after {plural(phase.gate.consecutive_days, 'consecutive day')}"
            f" with {each}."
        )
        if phase.gate.deadline is not None:
            text += f" Deadline: {moment(phase.gate.deadline, tz)}."
    return text


def trigger_text(trigger: Trigger, world: World) -> str:
    """What, within how many days, makes a party walk away."""
    parts: list[str] = []
    for c in trigger.conditions:
        if isinstance(c, ViolationDays):
            who = f" by {listing(_names(world, c.parties), 'or')}" if c.parties else ""
            per = "" if c.min_per_day == 1 else f" (at least {c.min_per_day} a day)"
            parts.append(f"violations{who} on {plural(c.min_days, 'day')}{per}")
        else:
            assert isinstance(c, RouteClosedDays)
            parts.append(f"{_route_name(world, c.route)} closed on {plural(c.min_days, 'day')}")
    text = f"Fires when, within {plural(trigger.window_days, 'day')}, there are " + listing(parts)
    text += "."
    if trigger.consequence:
        text += f" Then: {trigger.consequence}"
    return text


def agreement_view(agreement: Agreement, scenario_id: str) -> dict[str, Any]:
    """What the dashboard shows of one agreement (JSON-able; the browser escapes it)."""
    world = agreement.world
    tz = world.timezone
    return {
        "id": agreement.id,
        "version": agreement.version,
        "title": agreement.title,
        "summary": agreement.summary,
        "scenario_id": scenario_id,
        "timezone": tz,
        "signed": agreement.signed.isoformat() if agreement.signed else None,
        "entry_into_force": agreement.entry_into_force.isoformat(),
        "entry_into_force_text": f"{moment(agreement.entry_into_force, tz)} ({tz} time)",
        "parties": [{"id": p, "name": _name(world, p)} for p in agreement.parties],
        "rules": [
            {
                "id": r.id,
                "type": r.type,
                "provision": r.provision,
                "plain": rule_text(r, world),
                "start": r.effective.start.isoformat(),
                "end": r.effective.end.isoformat() if r.effective.end else None,
            }
            for r in agreement.rules
        ],
        "phases": [
            {
                "id": p.id,
                "name": p.name,
                "description": p.description,
                "plain": phase_text(p, world),
            }
            for p in agreement.phases
        ],
        "triggers": [
            {"id": t.id, "description": t.description, "plain": trigger_text(t, world)}
            for t in agreement.triggers
        ],
        "actors": [{"id": a.id, "name": a.name, "kind": a.kind} for a in world.actors],
        "zones": [{"id": z.id, "name": z.name, "type": z.type} for z in world.zones],
        "routes": [{"id": r.id, "name": r.name} for r in world.routes],
    }
