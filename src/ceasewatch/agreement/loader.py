"""Spec files -> a validated ``Scenario``, or ``SpecInvalid`` with every problem.

File access is passed in (``read(relative_path) -> text``), so the same code loads a
folder on disk, a bundled scenario and an agreement kept in the store.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import zoneinfo
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ceasewatch.access.windows import Corridor, parse_window
from ceasewatch.agreement import model as m
from ceasewatch.agreement import spec as s
from ceasewatch.agreement.geojson import (
    GEOJSON_TYPES,
    Layer,
    country_outline,
    load_checkpoints,
    load_routes,
    load_zones,
)
from ceasewatch.agreement.problems import (
    Path,
    Problem,
    SpecInvalid,
    did_you_mean,
    first_defined,
)
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
    "access.v2": ("Battles", "Explosions/Remote violence", "Violence against civilians", "Riots"),
    "territory.v1": (
        "Battles > Government regains territory",
        "Battles > Non-state actor overtakes territory",
        "Strategic developments > Non-violent transfer of territory",
    ),
}

_DATETIME_EXAMPLE = "2016-09-12T19:00:00+03:00"
_SPEC_ENTRY_HINT = (
    "check a scenario folder, its scenario.yaml or an agreement file beside it "
    "(`ceasewatch scenario export syria-2016 DIR` writes one to start from)"
)


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.files: dict[str, str] = {}

    def __call__(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def _read(
    read: Reader, rel: str, col: _Collector, origin: Problem, *, stored_may_lack: bool = False
) -> str | None:
    """``rel``'s text, or None with a problem; ``stored_may_lack``: a stored scenario
    without the file (``KeyError``, saved before such files were kept) is no problem."""
    try:
        text = read(rel)
    except KeyError:
        if not stored_may_lack:
            col(origin)
        return None
    except (FileNotFoundError, IsADirectoryError):
        col(origin)
        return None
    except UnicodeDecodeError as e:
        line = e.object[: e.start].count(b"\n") + 1
        col(
            Problem(
                rel, line, (), f"not UTF-8 text ({e.reason} at byte {e.start})", "save it as UTF-8"
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
    for path, line, first in doc.duplicates:
        col(
            Problem(
                file,
                line,
                path,
                f"key given twice (first at {file}:{first})",
                "remove one of them (YAML keeps the last)",
            )
        )
    if doc.data is None:
        col(
            Problem(
                file, 1, (), "the file is empty", "write the fields of the spec (see docs/spec.md)"
            )
        )
        return None
    if not isinstance(doc.data, dict):
        col(Problem(file, 1, (), "expected a mapping of fields at the top level", None))
        return None
    return doc


def _validate(
    kind: type[Doc],
    doc: Located,
    file: str,
    col: _Collector,
    tz: zoneinfo.ZoneInfo | None = None,
) -> Doc | None:
    try:
        return kind.model_validate(doc.data)
    except ValidationError as e:
        for err in e.errors(include_url=False):
            path: Path = tuple(err["loc"])
            cause = err.get("ctx", {}).get("error")
            if isinstance(cause, s.FieldProblem):
                path = (*path, cause.field)
            message, hint = _explain(err, kind, path, tz)
            col(Problem(file, doc.line(path), path, message, hint))
        return None


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _explain(
    err: Any, kind: type[BaseModel], path: Path, tz: zoneinfo.ZoneInfo | None
) -> tuple[str, str | None]:
    """A pydantic error -> (what is wrong, what to do), in the user's own terms."""
    kind_of, value = err["type"], err.get("input")
    message: str = err["msg"].removeprefix("Value error, ")
    hint: str | None = None
    if kind_of == "extra_forbidden":
        fields = _fields_at(kind, path[:-1])
        message = f"unknown field {path[-1]!r}"
        hint = did_you_mean(str(path[-1]), fields) if fields else None
    elif kind_of == "literal_error" and isinstance(value, str):
        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ",").split(",")]
        message = f"{value!r} is not allowed"
        hint = did_you_mean(value, [c for c in choices if c])
    elif kind_of == "missing":
        message, hint = "required field is missing", "add it"
    elif kind_of == "timezone_aware" and isinstance(value, str):
        message, hint = naive_datetime_hint(value, tz)
    elif kind_of in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        reason = _iso_reason(value, dt.datetime.fromisoformat)
        message = f"{_short(value)} is not a datetime" + (f" ({reason})" if reason else "")
        hint = f"write an ISO 8601 datetime with its UTC offset, e.g. {_DATETIME_EXAMPLE}"
    elif kind_of == "date_from_datetime_inexact" and isinstance(value, str):
        message = f"{value!r} has a time of day; this field is a date"
        hint = f"write the date only: {value[:10]!r}"
    elif kind_of in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        reason = _iso_reason(value, dt.date.fromisoformat)
        message = f"{_short(value)} is not a date" + (f" ({reason})" if reason else "")
        hint = "write e.g. 2016-09-09"
    elif kind_of == "string_pattern_mismatch" and isinstance(value, str):
        if err.get("ctx", {}).get("pattern") == s.SLUG_PATTERN:
            message = f"{value!r} is not a valid id"
            hint = (
                "use lower-case letters, digits, '.', '_' and '-', starting with a letter or digit"
            )
            better = re.sub(r"[^a-z0-9._-]+", "-", value.lower()).strip("-._")
            if better and better != value:
                hint += f", e.g. {better!r}"
        else:
            message = f"{value!r} is not a two-letter country code"
            hint = "write the ISO 3166-1 alpha-2 code in capital letters" + (
                f", e.g. {value.upper()!r}" if re.fullmatch(r"[A-Za-z]{2}", value) else ""
            )
    elif kind_of == "string_too_long":
        message = f"longer than {err.get('ctx', {}).get('max_length')} characters"
        hint = "shorten it"
    elif kind_of == "list_type":
        message = f"{_short(value)} is not a list"
        hint = "write a list: one '- item' per line, or the items in square brackets"
    elif kind_of == "too_short" and isinstance(value, list) and not value:
        message, hint = "the list is empty", "give at least one"
    elif kind_of in ("int_parsing", "int_type", "int_from_float"):
        message, hint = f"{_short(value)} is not a whole number", "write e.g. 7"
    elif kind_of in ("model_type", "model_attributes_type", "dict_type"):
        fields = _fields_at(kind, path)
        message = f"{_short(value)} is not a mapping of fields"
        hint = f"write its fields indented below it ({', '.join(fields)})" if fields else None
    elif kind_of in ("greater_than", "greater_than_equal"):
        bound = err.get("ctx", {}).get("gt", err.get("ctx", {}).get("ge"))
        word = "more than" if kind_of == "greater_than" else "at least"
        message, hint = f"{_short(value)} is too small", f"write a number {word} {bound}"
    elif kind_of == "string_type":
        message, hint = f"{_short(value)} is not text", "write it in quotes"
    if " — " in message and hint is None:
        message, hint = message.split(" — ", 1)
    return message, hint


def _iso_reason(value: Any, parse: Callable[[str], Any]) -> str | None:
    """Why Python's ISO parser refuses ``value`` ("hour must be in 0..23"), when it says.

    >>> _iso_reason("2016-09-12T25:00", dt.datetime.fromisoformat)
    'hour must be in 0..23'
    """
    if not isinstance(value, str):
        return None
    try:
        parse(value)
    except ValueError as e:
        reason = str(e)
        return None if reason.startswith("Invalid isoformat") else reason
    return None


def naive_datetime_hint(value: str, tz: zoneinfo.ZoneInfo | None) -> tuple[str, str]:
    """What is wrong with a datetime that has no UTC offset, and the value to write.

    The suggestion is the user's own text with the offset the scenario's timezone had at
    that moment (when the timezone is known).

    >>> naive_datetime_hint("2016-09-12T19:00", zoneinfo.ZoneInfo("Asia/Damascus"))
    ("'2016-09-12T19:00' has no timezone", "write '2016-09-12T19:00+03:00' (Asia/Damascus time)")
    >>> naive_datetime_hint("2016-02-27", zoneinfo.ZoneInfo("Asia/Damascus"))[1]
    "write '2016-02-27T00:00:00+02:00' (Asia/Damascus time)"
    """
    text = value.strip()
    try:
        naive = dt.datetime.fromisoformat(text)
    except ValueError:
        naive = None
    has_time = naive is not None and re.search(r"\d[T t]\d", text) is not None
    written = text if has_time else f"{text}T00:00:00"
    what = "has no timezone" if has_time else "has no time of day and no timezone"
    if naive is None or tz is None:
        return (
            f"{value!r} {what}",
            f"add the UTC offset of the place, e.g. {written + '+00:00'!r} if it is UTC",
        )
    offset = tz.utcoffset(naive.replace(tzinfo=None)) or dt.timedelta(0)
    return f"{value!r} {what}", f"write {written + _offset_text(offset)!r} ({tz.key} time)"


def _offset_text(offset: dt.timedelta) -> str:
    """``+03:00``; ``-01:00``; ``+05:30``."""
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    seconds = abs(seconds)
    return f"{sign}{seconds // 3600:02d}:{seconds % 3600 // 60:02d}"


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


def _json_kind(text: str) -> str | None:
    """The GeoJSON ``type`` (``"FeatureCollection"``), or ``"JSON list"``, when ``text`` is
    such JSON; else None."""
    if text.lstrip()[:1] not in ("{", "["):
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, list):
        return "JSON list"
    if isinstance(data, dict) and data.get("type") in GEOJSON_TYPES:
        return str(data["type"])
    return None


def _geojson_entry(read: Reader, entry: str, kind: str) -> Problem:
    """The one problem to report when ``check`` is pointed at a GeoJSON layer."""
    hint = "check the scenario folder, or the scenario.yaml that names this file under geography"
    if entry != SCENARIO_FILE:
        try:
            beside = load(read(SCENARIO_FILE)).data
        except (OSError, KeyError, ValueError, UnicodeDecodeError):
            beside = None
        geo = beside.get("geography") if isinstance(beside, dict) else None
        keys = [k for k, v in geo.items() if v == entry] if isinstance(geo, dict) else []
        if keys:
            hint = (
                f"check the scenario folder (or its {SCENARIO_FILE}) instead: its "
                f"{SCENARIO_FILE} names this file as geography.{keys[0]}"
            )
    return Problem(entry, 1, (), f"this is a GeoJSON layer ({kind}), not a scenario", hint)


def _not_a_spec(read: Reader, entry: str, text: str) -> Problem | None:
    """A file given as the scenario that is plainly something else: one clear problem."""
    kind = _json_kind(text)
    if kind is not None and kind != "JSON list":
        return _geojson_entry(read, entry, kind)
    if kind == "JSON list":
        return Problem(
            entry,
            1,
            (),
            "this is a JSON list (an incident file?), not a scenario",
            _SPEC_ENTRY_HINT + "; incidents are read by `ceasewatch evaluate --incidents`",
        )
    return None


def _timezone(raw: dict[str, Any]) -> zoneinfo.ZoneInfo | None:
    name = raw.get("timezone")
    if not isinstance(name, str):
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def load_scenario(
    read: Reader, entry: str = SCENARIO_FILE, *, only: str | None = None
) -> m.Scenario:
    """Load and validate a scenario; ``only`` keeps just one agreement file of it."""
    col = _Collector()
    text = _read(read, entry, col, Problem(entry, None, (), "file not found", "check the path"))
    if text is not None:
        wrong = _not_a_spec(read, entry, text)
        if wrong is not None:
            raise SpecInvalid([wrong])
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
    if "spec" not in doc.data and not set(doc.data) & set(s.ScenarioDoc.model_fields):
        col(
            Problem(
                entry,
                1,
                (),
                "this is not a ceasewatch scenario (none of the fields of scenario.yaml)",
                _SPEC_ENTRY_HINT,
            )
        )
        raise SpecInvalid(col.problems)
    scen = _validate(s.ScenarioDoc, doc, entry, col)
    raw = doc.data
    tz = _timezone(raw)
    geo_raw = raw.get("geography", {})
    geo: dict[str, Any] = geo_raw if isinstance(geo_raw, dict) else {}
    # with a misspelt or unreadable geography, an unnamed layer may just be misnamed:
    # then references into it are not checked (the geography problem says what to fix)
    geo_sure = isinstance(geo_raw, dict) and set(geo) <= set(s.GeographyDoc.model_fields)

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

    actors = raw.get("actors")
    actor_ids = (
        frozenset(a["id"] for a in actors if isinstance(a, dict) and isinstance(a.get("id"), str))
        if isinstance(actors, list)
        else None
    )
    outlines = {key: geofile(key) for key in ("admin1", "admin2", "gazetteer")}
    admin1 = outlines["admin1"]
    country = country_outline(admin1[1]) if admin1 is not None else None
    layers: dict[str, Layer[Any]] = {}
    for key in ("zones", "routes", "checkpoints"):
        got = geofile(key)
        if got is None:
            # not named: nothing is defined; named but unreadable: do not check references
            named = geo.get(key) is not None
            layers[key] = Layer([], frozenset() if geo_sure and not named else None)
            continue
        rel, gtext = got
        if key == "zones":
            layers[key] = load_zones(gtext, rel, col)
        elif key == "routes":
            layers[key] = load_routes(gtext, rel, col, country=country)
        else:
            layers[key] = load_checkpoints(
                gtext, rel, col, routes=layers["routes"].ids, actors=actor_ids
            )

    known = Known(actors=actor_ids, zones=layers["zones"].ids, routes=layers["routes"].ids)
    check_scenario(doc, entry, known, col)

    agreement_docs: list[tuple[str, s.AgreementDoc | None]] = []
    agreement_ids: dict[str, tuple[str, int | None]] = {}
    names = raw.get("agreements") if isinstance(raw.get("agreements"), list) else []
    read_already: set[str] = set()
    for i, rel in enumerate(names):
        if not isinstance(rel, str) or (only is not None and rel != only) or rel in read_already:
            continue
        read_already.add(rel)
        listed = doc.line(("agreements", i))
        origin = Problem(
            entry,
            listed,
            ("agreements", i),
            f"file {rel!r} not found",
            "check the name, relative to scenario.yaml",
        )
        atext = _read(read, rel, col, origin)
        if atext is None:
            continue
        kind = _json_kind(atext)
        if kind is not None:
            col(
                Problem(
                    entry,
                    listed,
                    ("agreements", i),
                    f"{rel!r} is listed as an agreement but is "
                    + ("a JSON list" if kind == "JSON list" else f"a GeoJSON layer ({kind})"),
                    "list only agreement files (spec: ceasewatch.agreement.v1) here"
                    if kind == "JSON list"
                    else "list GeoJSON layers under geography; agreements are YAML files",
                )
            )
            continue
        adoc = _yaml(atext, rel, col)
        if adoc is None:
            continue
        if adoc.data.get("spec") == "ceasewatch.scenario.v1":
            col(
                Problem(
                    entry,
                    listed,
                    ("agreements", i),
                    f"{rel!r} is listed as an agreement but is a scenario",
                    "list only agreement files (spec: ceasewatch.agreement.v1) here",
                )
            )
            continue
        ident = adoc.data.get("id")
        if isinstance(ident, str):
            if ident in agreement_ids:
                first_file, first_line = agreement_ids[ident]
                col(
                    Problem(
                        rel,
                        adoc.line(("id",)),
                        ("id",),
                        f"duplicate agreement id {ident!r} "
                        f"({first_defined(first_file, first_line)})",
                        "each agreement of a scenario needs its own id: rename one",
                    )
                )
            else:
                agreement_ids[ident] = (rel, adoc.line(("id",)))
        check_agreement(adoc, rel, known, col)
        parsed = _validate(s.AgreementDoc, adoc, rel, col, tz)
        agreement_docs.append((rel, parsed))
        if parsed is not None:
            _check_semantics(parsed, adoc, rel, col)

    if col.problems or scen is None:
        raise SpecInvalid(col.problems)
    world = _world(scen, layers["zones"].items, layers["routes"].items, layers["checkpoints"].items)
    if scen.access is not None:
        _check_access(
            read,
            scen.access,
            world,
            Problem(
                entry,
                doc.line(("access",)),
                ("access",),
                f"file {scen.access!r} not found",
                "check the name, relative to scenario.yaml, or remove `access:`",
            ),
            col,
        )
        if col.problems:
            raise SpecInvalid(col.problems)
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
        gazetteer_file=scen.geography.gazetteer,
        access_file=scen.access,
    )


def _check_access(read: Reader, rel: str, world: m.World, origin: Problem, col: _Collector) -> None:
    """The scenario's access file (convoys, constraints) checked against its world; a
    store saved before access files were kept with the scenario has none to check."""
    from ceasewatch.access.records import AccessInvalid, read_file

    text = _read(read, rel, col, origin, stored_may_lack=True)
    if text is None:
        return
    try:
        read_file(text, rel, world)
    except AccessInvalid as e:
        for problem in e.problems:
            col(access_problem(rel, problem))


def access_problem(file: str, text: str) -> Problem:
    """An access-file problem (``"access.json: convoys[0] (c1).at: what — hint"``) as a
    spec ``Problem``, so ``ceasewatch check`` prints it like every other.

    >>> str(access_problem("access.json", "access.json: convoys[0] (c1).at: naive time"))
    'access.json: convoys[0] (c1).at: naive time'
    >>> access_problem("access.json", "access.json:3: not valid JSON: x").line
    3
    >>> str(access_problem("access.json", "access.json.convoys.0.id: Field required"))
    'access.json: convoys.0.id: Field required'
    """
    line: int | None = None
    rest = text.removeprefix(f"{file}:").removeprefix(f"{file}.")
    head, sep, tail = rest.partition(": ")
    if sep and head.isdigit():
        line, rest = int(head), tail
    else:
        rest = rest.lstrip()
    where, sep, message = rest.partition(": ")
    if not sep or " " in where.split(" (")[0]:
        return Problem(file, line, (), rest)
    return Problem(file, line, (where,), message)


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
                release_within=r.release_within,
                monitored_checkpoints=bool(r.monitored_checkpoints),
                controlled_by=tuple(
                    (zone_type, tuple(actors))
                    for zone_type, actors in sorted((r.controlled_by or {}).items())
                ),
            )
        )
        if r.type == "access.v2" and r.route is None:  # judges convoys only, no incidents
            rules[-1] = dataclasses.replace(rules[-1], covers=frozenset())
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
        delineation_approvers=tuple(a.delineation_approvers),
        corridors=tuple(
            Corridor(c.id, c.route, parse_window(c.window) if c.window else None, c.note)
            for c in a.corridors
        ),
    )


def _daily(c: s.DailyConditionDoc) -> m.DailyCondition:
    if c.violations_at_most is not None:
        return m.ViolationsAtMost(c.violations_at_most.max, tuple(c.violations_at_most.parties))
    if c.access_sustained is not None:
        return m.AccessSustained(tuple(c.access_sustained.routes))
    assert c.route_open is not None
    return m.RouteOpen(c.route_open.route)


def _window(c: s.WindowConditionDoc) -> m.WindowCondition:
    if c.violation_days is not None:
        v = c.violation_days
        return m.ViolationDays(v.min_days, v.min_per_day, tuple(v.parties))
    assert c.route_closed_days is not None
    return m.RouteClosedDays(c.route_closed_days.route, c.route_closed_days.min_days)
