"""Spec files -> a validated ``Scenario``, or ``SpecInvalid`` with every problem.

File access is passed in (``read(relative_path) -> text``), so the same code loads a
folder on disk, a bundled scenario and an agreement kept in the store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ceasewatch.agreement import model as m
from ceasewatch.agreement import spec as s
from ceasewatch.agreement.geojson import load_checkpoints, load_routes, load_zones
from ceasewatch.agreement.problems import Path, Problem, SpecInvalid, did_you_mean
from ceasewatch.agreement.references import (
    Known,
    check_agreement,
    check_scenario,
    expand_selectors,
)
from ceasewatch.agreement.yamlpos import Located, YamlSyntaxError, load
from ceasewatch.incidents.vocab import AIR_METHODS

Reader = Callable[[str], str]
Doc = TypeVar("Doc", bound=BaseModel)

SCENARIO_FILE = "scenario.yaml"

#: Event types each rule type judges when its spec gives no ``covers``.
DEFAULT_COVERS: dict[str, tuple[str, ...]] = {
    "hostilities.v1": ("Battles", "Explosions/Remote violence", "Violence against civilians"),
    "no_fly.v1": ("Explosions/Remote violence", "Violence against civilians"),
    "access.v1": ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"),
    "territory.v1": (
        "Battles > Government regains territory",
        "Battles > Non-state actor overtakes territory",
        "Strategic developments > Non-violent transfer of territory",
    ),
}

_HINTS = {
    "timezone_aware": "write the UTC offset, e.g. 2016-02-27T00:00:00+02:00",
    "missing": "add it",
    "string_pattern_mismatch": "use lower-case letters, digits and '-' (e.g. aleppo-east)",
    "datetime_from_date_parsing": "write an ISO datetime with offset, e.g. 2016-09-12T19:00:00+03:00",
    "datetime_parsing": "write an ISO datetime with offset, e.g. 2016-09-12T19:00:00+03:00",
}


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.files: dict[str, str] = {}

    def __call__(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def _read(read: Reader, rel: str, col: _Collector, origin: Problem) -> str | None:
    try:
        text = read(rel)
    except (FileNotFoundError, IsADirectoryError, KeyError):
        col(origin)
        return None
    except UnicodeDecodeError as e:
        col(
            Problem(
                rel, None, (), f"not UTF-8 text ({e.reason} at byte {e.start})", "save it as UTF-8"
            )
        )
        return None
    col.files[rel] = text
    return text


def _yaml(text: str, file: str, col: _Collector) -> Located | None:
    try:
        doc = load(text)
    except YamlSyntaxError as e:
        col(
            Problem(
                file, e.line, (), f"YAML syntax error: {e}", "fix the indentation or quoting there"
            )
        )
        return None
    for path, line in doc.duplicates:
        col(
            Problem(file, line, path, "key given twice", "remove one of them (YAML keeps the last)")
        )
    if not isinstance(doc.data, dict):
        col(Problem(file, 1, (), "expected a mapping of fields at the top level", None))
        return None
    return doc


def _validate(kind: type[Doc], doc: Located, file: str, col: _Collector) -> Doc | None:
    try:
        return kind.model_validate(doc.data)
    except ValidationError as e:
        for err in e.errors(include_url=False):
            path: Path = tuple(err["loc"])
            message = err["msg"].removeprefix("Value error, ")
            hint = _HINTS.get(err["type"])
            if err["type"] == "extra_forbidden":
                fields = _fields_at(kind, path[:-1])
                message = f"unknown field {path[-1]!r}"
                hint = did_you_mean(str(path[-1]), fields) if fields else None
            elif err["type"] == "literal_error" and isinstance(err.get("input"), str):
                expected = err.get("ctx", {}).get("expected", "")
                choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",")]
                message = f"{err['input']!r} is not allowed"
                hint = did_you_mean(err["input"], [c for c in choices if c])
            elif err["type"] == "missing":
                message = "required field is missing"
            if " — " in message and hint is None:
                message, hint = message.split(" — ", 1)
            col(Problem(file, doc.line(path), path, message, hint))
        return None


def _fields_at(kind: type[BaseModel], path: Path) -> list[str]:
    """Field names of the model found at ``path`` inside ``kind`` (best effort)."""
    current: Any = kind
    for step in path:
        if isinstance(step, int):
            continue
        info = current.model_fields.get(step) if hasattr(current, "model_fields") else None
        if info is None:
            return []
        current = _model_of(info.annotation)
        if current is None:
            return []
    return list(current.model_fields) if hasattr(current, "model_fields") else []


def _model_of(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def load_scenario(
    read: Reader, entry: str = SCENARIO_FILE, *, only: str | None = None
) -> m.Scenario:
    """Load and validate a scenario; ``only`` keeps just one agreement file of it."""
    col = _Collector()
    text = _read(read, entry, col, Problem(entry, None, (), "file not found", "check the path"))
    doc = _yaml(text, entry, col) if text is not None else None
    if doc is None:
        raise SpecInvalid(col.problems)
    if doc.data.get("spec") == "ceasewatch.agreement.v1":
        col(
            Problem(
                entry,
                doc.line(("spec",)),
                ("spec",),
                "this is an agreement; load it through its scenario",
                f"put a {SCENARIO_FILE} (actors, zones) beside it",
            )
        )
        raise SpecInvalid(col.problems)
    scen = _validate(s.ScenarioDoc, doc, entry, col)
    raw = doc.data
    geo = raw.get("geography") if isinstance(raw.get("geography"), dict) else {}

    def geofile(key: str) -> tuple[str, str] | None:
        rel = geo.get(key)
        if not isinstance(rel, str):
            return None
        origin = Problem(
            entry,
            doc.line(("geography", key)),
            ("geography", key),
            f"file {rel!r} not found",
            "check the name, relative to scenario.yaml",
        )
        text = _read(read, rel, col, origin)
        return (rel, text) if text is not None else None

    zones: list[m.Zone] | None = []
    routes: list[m.Route] | None = []
    checkpoints: list[tuple[m.Checkpoint, int | None]] = []
    for key in ("zones", "routes", "checkpoints"):
        got = geofile(key)
        line = doc.line(("geography", key))
        if got is None:
            if geo.get(key) is not None:
                if key == "zones":
                    zones = None
                elif key == "routes":
                    routes = None
            continue
        rel, gtext = got
        before = len(col.problems)
        if key == "zones":
            zones = load_zones(gtext, rel, line, col)
            if len(col.problems) > before and not zones:
                zones = None
        elif key == "routes":
            routes = load_routes(gtext, rel, line, col)
        else:
            checkpoints = load_checkpoints(gtext, rel, line, col)
    for key in ("admin1", "admin2"):
        geofile(key)

    actors = raw.get("actors")
    known = Known(
        actors={a["id"] for a in actors if isinstance(a, dict) and isinstance(a.get("id"), str)}
        if isinstance(actors, list)
        else set(),
        zones={z.id for z in zones} if zones is not None else None,
        routes={r.id for r in routes} if routes is not None else None,
    )
    check_scenario(doc, entry, known, col)
    for cp, cline in checkpoints:
        if known.routes is not None and cp.route is not None and cp.route not in known.routes:
            col(
                Problem(
                    geo.get("checkpoints", "?"),
                    cline,
                    (cp.id, "route"),
                    f"unknown route {cp.route!r}",
                    did_you_mean(cp.route, known.routes),
                )
            )
        for key, ids in (("operated_by", cp.operated_by), ("monitored_by", cp.monitored_by)):
            for a in ids:
                if a not in known.actors:
                    col(
                        Problem(
                            geo.get("checkpoints", "?"),
                            cline,
                            (cp.id, key),
                            f"unknown actor {a!r}",
                            did_you_mean(a, known.actors),
                        )
                    )

    agreement_docs: list[tuple[str, s.AgreementDoc | None]] = []
    names = raw.get("agreements") if isinstance(raw.get("agreements"), list) else []
    for i, rel in enumerate(names):
        if not isinstance(rel, str) or (only is not None and rel != only):
            continue
        origin = Problem(
            entry,
            doc.line(("agreements", i)),
            ("agreements", i),
            f"file {rel!r} not found",
            "check the name, relative to scenario.yaml",
        )
        atext = _read(read, rel, col, origin)
        adoc = _yaml(atext, rel, col) if atext is not None else None
        if adoc is None:
            continue
        if adoc.data.get("spec") == "ceasewatch.scenario.v1":
            col(Problem(rel, 1, ("spec",), "listed as an agreement but is a scenario", None))
            continue
        check_agreement(adoc, rel, known, col)
        parsed = _validate(s.AgreementDoc, adoc, rel, col)
        agreement_docs.append((rel, parsed))
        if parsed is not None:
            _check_semantics(parsed, adoc, rel, col)
    agreement_ids = [a.id for _, a in agreement_docs if a is not None]
    for dup in {i for i in agreement_ids if agreement_ids.count(i) > 1}:
        col(
            Problem(
                entry,
                doc.line(("agreements",)),
                ("agreements",),
                f"two agreements have id {dup!r}",
                None,
            )
        )

    if col.problems or scen is None or zones is None or routes is None:
        raise SpecInvalid(col.problems)
    world = _world(scen, zones, routes, [cp for cp, _ in checkpoints])
    agreements = tuple(_agreement(a, world, rel) for rel, a in agreement_docs if a is not None)
    return m.Scenario(
        id=scen.id,
        name=scen.name,
        description=scen.description,
        world=world,
        agreements=agreements,
        files=tuple(sorted(col.files.items())),
        incidents_file=scen.incidents,
        admin1_file=scen.geography.admin1,
        admin2_file=scen.geography.admin2,
    )


def _check_semantics(a: s.AgreementDoc, doc: Located, file: str, col: _Collector) -> None:
    rule_start = min(r.effective.start for r in a.rules)
    for i, phase in enumerate(a.phases):
        if phase.gate is not None and phase.gate.deadline is not None and phase.start is not None:
            if phase.gate.deadline <= phase.start:
                col(
                    Problem(
                        file,
                        doc.line(("phases", i, "gate", "deadline")),
                        ("phases", i, "gate", "deadline"),
                        "the gate's deadline is before the phase starts",
                        None,
                    )
                )
        if phase.start is not None and phase.start < rule_start - dt.timedelta(days=366):
            col(
                Problem(
                    file,
                    doc.line(("phases", i, "start")),
                    ("phases", i, "start"),
                    "phase starts more than a year before any rule is in force",
                    "check the year",
                )
            )
    order = {p.id: p for p in a.phases}
    for p in a.phases:
        seen = {p.id}
        cur = p
        while cur.after is not None and cur.after in order:
            if cur.after in seen:
                i = a.phases.index(p)
                col(
                    Problem(
                        file,
                        doc.line(("phases", i, "after")),
                        ("phases", i, "after"),
                        "phases start after each other in a loop",
                        "one phase needs a start date",
                    )
                )
                break
            seen.add(cur.after)
            cur = order[cur.after]


def _world(
    scen: s.ScenarioDoc, zones: list[m.Zone], routes: list[m.Route], checkpoints: list[m.Checkpoint]
) -> m.World:
    return m.World(
        scenario_id=scen.id,
        timezone=scen.timezone,
        country=scen.country,
        actors=tuple(
            m.Actor(a.id, a.name, a.kind, tuple(a.aliases), tuple(a.members)) for a in scen.actors
        ),
        designated=tuple(scen.designated),
        zones=tuple(zones),
        routes=tuple(routes),
        checkpoints=tuple(checkpoints),
        attribution=tuple(_attribution_rule(r) for r in scen.attribution),
    )


def _attribution_rule(r: s.AttributionDoc) -> m.AttributionRule:
    return m.AttributionRule(
        r.id, r.description, frozenset(r.methods), tuple(r.actors), tuple(r.zones)
    )


def _agreement(a: s.AgreementDoc, world: m.World, file: str) -> m.Agreement:
    parties = tuple(a.parties)
    protected_kinds = {"civilians", "humanitarian"}
    default_protects = parties + tuple(x.id for x in world.actors if x.kind in protected_kinds)
    rules = []
    for r in a.rules:
        designated_default = (
            world.designated if r.type in ("hostilities.v1", "territory.v1") else ()
        )
        rules.append(
            m.Rule(
                id=r.id,
                type=r.type,
                provision=" ".join(r.provision.split()),
                effective=m.Period(r.effective.start, r.effective.until),
                binds=tuple(r.binds) if r.binds is not None else parties,
                covers=expand_selectors(
                    r.covers if r.covers is not None else DEFAULT_COVERS[r.type]
                ),
                where=m.Place(
                    country=r.where.country,
                    zones=tuple(r.where.zones),
                    zone_types=tuple(r.where.zone_types),
                ),
                exempt_targets=tuple(r.exempt_targets)
                if r.exempt_targets is not None
                else designated_default,
                protects=tuple(r.protects) if r.protects is not None else default_protects,
                designated_zone_types=tuple(r.designated_zone_types)
                if r.designated_zone_types is not None
                else ("designated-group",),
                mixed_zone_types=tuple(r.mixed_zone_types)
                if r.mixed_zone_types is not None
                else ("marbled", "contested"),
                methods=frozenset(r.methods)
                if r.methods is not None
                else (AIR_METHODS if r.type == "no_fly.v1" else frozenset()),
                route=r.route,
            )
        )
    phases = tuple(
        m.Phase(
            id=p.id,
            name=p.name,
            description=" ".join(p.description.split()),
            start=p.start,
            after=p.after,
            duration=p.duration,
            gate=m.Gate(
                consecutive_days=p.gate.consecutive_days,
                each_day=tuple(_daily(c) for c in p.gate.each_day),
                deadline=p.gate.deadline,
            )
            if p.gate is not None
            else None,
        )
        for p in a.phases
    )
    triggers = tuple(
        m.Trigger(
            id=t.id,
            description=" ".join(t.description.split()),
            window_days=t.window_days,
            conditions=tuple(_window(c) for c in t.conditions),
            consequence=t.consequence,
        )
        for t in a.triggers
    )
    return m.Agreement(
        id=a.id,
        version=a.version,
        title=a.title,
        world=world,
        parties=parties,
        rules=tuple(rules),
        phases=phases,
        triggers=triggers,
        attribution=tuple(_attribution_rule(r) for r in a.attribution),
        signed=a.signed,
        summary=" ".join(a.summary.split()),
        source_file=file,
    )


def _daily(c: s.DailyConditionDoc) -> m.DailyCondition:
    if c.violations_at_most is not None:
        return m.ViolationsAtMost(c.violations_at_most.max, tuple(c.violations_at_most.parties))
    assert c.route_open is not None
    return m.RouteOpen(c.route_open.route)


def _window(c: s.WindowConditionDoc) -> m.WindowCondition:
    if c.violation_days is not None:
        v = c.violation_days
        return m.ViolationDays(v.min_days, v.min_per_day, tuple(v.parties))
    assert c.route_closed_days is not None
    return m.RouteClosedDays(c.route_closed_days.route, c.route_closed_days.min_days)
