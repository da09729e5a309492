"""Checks that follow references: ids of actors, zones, routes, phases; event types.

They run on the raw parsed YAML (not the validated models) so that a field-level mistake
in one rule does not hide a bad reference in the same rule: one run reports all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ceasewatch.agreement.problems import Path, Problem, did_you_mean, first_defined
from ceasewatch.agreement.yamlpos import Located
from ceasewatch.incidents.vocab import EVENT_TYPES

Report = Callable[[Problem], None]
SEPARATOR = " > "
#: The engine keeps actor sets as 64-bit masks.
MAX_ACTORS = 63


def parse_selector(text: str) -> tuple[str, str | None]:
    """``"Battles"`` or ``"Explosions/Remote violence > Air/drone strike"``.

    >>> parse_selector("Explosions/Remote violence > Air/drone strike")
    ('Explosions/Remote violence', 'Air/drone strike')
    """
    event, _, sub = (part.strip() for part in text.partition(SEPARATOR.strip()))
    return event, (sub or None)


def expand_selectors(selectors: Iterable[str]) -> frozenset[tuple[str, str]]:
    """Selectors -> the set of (event_type, sub_event_type) pairs they name."""
    out: set[tuple[str, str]] = set()
    for text in selectors:
        event, sub = parse_selector(text)
        if sub is None:
            out.update((event, s) for s in EVENT_TYPES[event])
        else:
            out.add((event, sub))
    return frozenset(out)


@dataclass
class Known:
    """Ids a document may refer to; None = could not be loaded, so do not check.

    An id counts as known when it is defined at all, even by an entry with problems of its
    own (those are reported where they are): a reference to it is not a second problem.
    """

    actors: frozenset[str] | None
    zones: frozenset[str] | None
    routes: frozenset[str] | None


#: What to do when a reference names an id and none of that kind is defined.
_NONE_DEFINED = {
    "actor": "the scenario defines no actors: list them under actors in scenario.yaml",
    "zone": "the scenario defines no zones: name a zones file under geography in scenario.yaml",
    "route": "the scenario defines no routes: name a routes file under geography in scenario.yaml",
    "phase": "this agreement defines no phases",
}


@dataclass
class Checker:
    file: str
    doc: Located
    report: Report

    def problem(self, path: Path, message: str, hint: str | None = None) -> None:
        self.report(Problem(self.file, self.doc.line(path), path, message, hint))

    def ids(self, value: Any, path: Path, known: frozenset[str] | None, what: str) -> None:
        if not isinstance(value, list):
            return
        for i, item in enumerate(value):
            self.one_id(item, (*path, i), known, what)

    def one_id(self, value: Any, path: Path, known: frozenset[str] | None, what: str) -> None:
        if known is not None and isinstance(value, str) and value not in known:
            hint = did_you_mean(value, known) or _NONE_DEFINED.get(what)
            self.problem(path, f"unknown {what} {value!r}", hint)

    def unique(self, items: Any, path: Path, what: str) -> frozenset[str]:
        """The ids of a list of entries; a repeated id is reported where it is repeated."""
        first: dict[str, int | None] = {}
        if not isinstance(items, list):
            return frozenset()
        for i, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in first:
                self.problem(
                    (*path, i, "id"),
                    f"duplicate {what} id {ident!r} ({first_defined(self.file, first[ident])})",
                    "ids must be unique: rename or remove one",
                )
                continue
            first[ident] = self.doc.line((*path, i, "id"))
        return frozenset(first)

    def selectors(self, value: Any, path: Path) -> None:
        if not isinstance(value, list):
            return
        for i, text in enumerate(value):
            if not isinstance(text, str):
                continue
            event, sub = parse_selector(text)
            if event not in EVENT_TYPES:
                self.problem(
                    (*path, i), f"unknown event type {event!r}", did_you_mean(event, EVENT_TYPES)
                )
            elif sub is not None and sub not in EVENT_TYPES[event]:
                self.problem(
                    (*path, i),
                    f"{sub!r} is not a sub-event type of {event!r}",
                    did_you_mean(sub, EVENT_TYPES[event]),
                )


def _dicts(value: Any) -> list[tuple[int, dict[str, Any]]]:
    return (
        [(i, v) for i, v in enumerate(value) if isinstance(v, dict)]
        if isinstance(value, list)
        else []
    )


def check_scenario(doc: Located, file: str, known: Known, report: Report) -> None:
    raw = doc.data if isinstance(doc.data, dict) else {}
    c = Checker(file, doc, report)
    c.unique(raw.get("actors"), ("actors",), "actor")
    if isinstance(raw.get("actors"), list) and len(raw["actors"]) > MAX_ACTORS:
        c.problem(
            ("actors",),
            f"{len(raw['actors'])} actors; a scenario may have at most {MAX_ACTORS}",
            "merge minor actors into blocs or 'other' actors",
        )
    for i, actor in _dicts(raw.get("actors")):
        c.ids(actor.get("members"), ("actors", i, "members"), known.actors, "actor")
    c.ids(raw.get("designated"), ("designated",), known.actors, "actor")
    _attribution(c, raw.get("attribution"), ("attribution",), known)
    agreements = raw.get("agreements")
    if isinstance(agreements, list):
        seen: dict[str, int | None] = {}
        for i, name in enumerate(agreements):
            if not isinstance(name, str):
                continue
            if name in seen:
                c.problem(
                    ("agreements", i),
                    f"agreement file {name!r} listed twice ({first_defined(file, seen[name])})",
                    "remove this line",
                )
                continue
            seen[name] = doc.line(("agreements", i))


def _attribution(c: Checker, value: Any, path: Path, known: Known) -> None:
    c.unique(value, path, "attribution rule")
    for i, rule in _dicts(value):
        c.ids(rule.get("actors"), (*path, i, "actors"), known.actors, "actor")
        c.ids(rule.get("zones"), (*path, i, "zones"), known.zones, "zone")
        # methods are checked by the model (AttributionDoc), with the same hint


def check_agreement(doc: Located, file: str, known: Known, report: Report) -> None:
    raw = doc.data if isinstance(doc.data, dict) else {}
    c = Checker(file, doc, report)
    c.ids(raw.get("parties"), ("parties",), known.actors, "actor")
    c.ids(raw.get("delineation_approvers"), ("delineation_approvers",), known.actors, "actor")
    c.unique(raw.get("rules"), ("rules",), "rule")
    for i, rule in _dicts(raw.get("rules")):
        p: Path = ("rules", i)
        for key in ("binds", "exempt_targets", "protects"):
            c.ids(rule.get(key), (*p, key), known.actors, "actor")
        c.selectors(rule.get("covers"), (*p, "covers"))
        where = rule.get("where")
        if isinstance(where, dict):
            c.ids(where.get("zones"), (*p, "where", "zones"), known.zones, "zone")
        c.one_id(rule.get("route"), (*p, "route"), known.routes, "route")
        held = rule.get("controlled_by")
        if isinstance(held, dict):
            for zone_type, actors in held.items():
                c.ids(actors, (*p, "controlled_by", zone_type), known.actors, "actor")
    c.unique(raw.get("corridors"), ("corridors",), "corridor")
    for i, corridor in _dicts(raw.get("corridors")):
        c.one_id(corridor.get("route"), ("corridors", i, "route"), known.routes, "route")
    phase_ids = c.unique(raw.get("phases"), ("phases",), "phase")
    for i, phase in _dicts(raw.get("phases")):
        c.one_id(phase.get("after"), ("phases", i, "after"), phase_ids, "phase")
        if phase.get("after") == phase.get("id") and phase.get("after") is not None:
            c.problem(("phases", i, "after"), "a phase cannot start after itself")
        gate = phase.get("gate")
        if isinstance(gate, dict):
            for j, cond in _dicts(gate.get("each_day")):
                cp: Path = ("phases", i, "gate", "each_day", j)
                _condition_refs(c, cond, cp, known)
    c.unique(raw.get("triggers"), ("triggers",), "trigger")
    for i, trig in _dicts(raw.get("triggers")):
        for j, cond in _dicts(trig.get("conditions")):
            _condition_refs(c, cond, ("triggers", i, "conditions", j), known)
    _attribution(c, raw.get("attribution"), ("attribution",), known)


def _condition_refs(c: Checker, cond: dict[str, Any], path: Path, known: Known) -> None:
    for kind, body in cond.items():
        if not isinstance(body, dict):
            continue
        c.one_id(body.get("route"), (*path, kind, "route"), known.routes, "route")
        c.ids(body.get("routes"), (*path, kind, "routes"), known.routes, "route")
        c.ids(body.get("parties"), (*path, kind, "parties"), known.actors, "actor")
