"""Properties of the engine and of the incident.v1 / finding.v1 formats (hypothesis)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from pydantic import TypeAdapter, ValidationError

from ceasewatch import schemas
from ceasewatch.agreement.model import AttributionRule, Place
from ceasewatch.evaluate.engine import VERDICTS, evaluate
from ceasewatch.evaluate.finding import Finding
from ceasewatch.incidents.codec import ADAPTER, to_json
from ceasewatch.incidents.model import (
    EVENT_TYPES,
    Incident,
    Location,
    Occurred,
    Perpetrator,
    Source,
    Target,
    Toll,
)
from ceasewatch.incidents.vocab import (
    ATTRIBUTIONS,
    CONFIDENCES,
    DATE_PRECISIONS,
    LOCATION_PRECISIONS,
    METHODS,
    STATUSES,
)
from tests.catalogue import (
    ACTORS,
    AS_OF,
    SHAPES,
    SQUARE,
    START,
    U_SHAPE,
    incident,
    make_agreement,
    make_world,
    rule,
)

SETTINGS = settings(max_examples=50, deadline=None)
FINDING = TypeAdapter(Finding)
INCIDENT_SCHEMA = Draft202012Validator(schemas.load("incident.v1"))
FINDING_SCHEMA = Draft202012Validator(schemas.load("finding.v1"))

# --- a world with every catalogue shape and route, and rules of every type ----------------

WORLD = make_world(
    [s.zone() for s in SHAPES],
    [s.as_route() for s in SHAPES],
    attribution=[
        AttributionRule(
            "air-over-square",
            "Only the government and its ally fly over the square",
            frozenset({"airstrike", "barrel_bomb"}),
            ("gov", "ally"),
            (SQUARE.zone().id,),
        )
    ],
)
AGREEMENT = make_agreement(
    WORLD,
    [
        rule("hostilities.v1", id="nationwide", where=Place(country="SY")),
        rule(
            "hostilities.v1", id="square-and-hole", where=Place(zones=("square-zone", "holed-zone"))
        ),
        rule("no_fly.v1", id="no-fly"),
        rule("territory.v1", id="u-territory", where=Place(zones=(U_SHAPE.zone().id,))),
        rule("access.v1", id="sliver-road", route="sliver-road"),
        rule("access.v1", id="square-road", route="square-road", exempt_targets=("jihadi",)),
    ],
)
#: Every zone and corridor of WORLD lies in this box (lon, lat); "far" is well away from it.
REGION = (36.9, 35.9, 37.9, 36.1)

KINDS = [
    ("Explosions/Remote violence", "Air/drone strike", ("airstrike",)),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", ("shelling",)),
    ("Explosions/Remote violence", "Air/drone strike", ("barrel_bomb",)),
    ("Battles", "Armed clash", ("gunfire",)),
    ("Battles", "Government regains territory", ()),
    ("Violence against civilians", "Attack", ("execution",)),
]
ACTOR_IDS = [a.id for a in ACTORS]
#: The rules end 19 Sep 19:00; a day past that exercises the end of the period.
END_DAY = START.date() + dt.timedelta(days=8)
OTHER_ACTORS = [*ACTOR_IDS, "not-an-actor"]

probe_points = st.sampled_from(
    [(p.lon, p.lat) for s in SHAPES for p in (*s.probes, *s.corridor_probes)]
)
region_points = st.tuples(st.floats(REGION[0], REGION[2]), st.floats(REGION[1], REGION[3]))


#: occurred.time is local wall-clock time to the second (HH:MM[:SS], no offset).
local_times = st.times().map(lambda t: t.replace(microsecond=0))


@st.composite
def base_incident(draw: st.DrawFn, n: int) -> Incident:
    lon, lat = draw(st.one_of(probe_points, region_points))
    event, sub, method = draw(st.sampled_from(KINDS))
    day = draw(st.dates(START.date() - dt.timedelta(days=1), END_DAY))
    time = draw(st.none() | local_times)
    return incident(
        lon,
        lat,
        draw(st.sampled_from(["exact", "exact", "neighbourhood", "town", "district"])),
        id=f"base-{n}",
        event_type=event,
        sub_event_type=sub,
        method=method,
        occurred=Occurred(day, day, time),
        perpetrator=draw(st.sampled_from(["gov", "gov", "opp", None, None] + OTHER_ACTORS)),
        target=draw(st.sampled_from(["civilians", "civilians", "opp", None] + OTHER_ACTORS)),
    )


@st.composite
def base_incidents(draw: st.DrawFn) -> list[Incident]:
    n = draw(st.integers(1, 12))
    return [draw(base_incident(i)) for i in range(n)]


far_points = st.tuples(st.floats(-180, 180), st.floats(-89, 89)).filter(
    lambda p: (
        not (REGION[0] - 1 <= p[0] <= REGION[2] + 1 and REGION[1] - 1 <= p[1] <= REGION[3] + 1)
    )
)


def _by_incident(incidents: list[Incident]) -> dict[tuple[str, str], Finding]:
    ev = evaluate([AGREEMENT], incidents, as_of=AS_OF)
    return {(f.incident_id, f.rule_id): f for f in ev.findings()}


@SETTINGS
@given(
    base=base_incidents(),
    far=far_points,
    kind=st.sampled_from(KINDS),
    perpetrator=st.sampled_from([*ACTOR_IDS, None]),
    position=st.integers(0, 12),
)
def test_incident_outside_every_zone_never_changes_another_incidents_verdict(
    base: list[Incident], far: tuple[float, float], kind, perpetrator, position: int
) -> None:
    event, sub, method = kind
    extra = incident(
        far[0],
        far[1],
        "exact",
        id="far-away",
        event_type=event,
        sub_event_type=sub,
        method=method,
        perpetrator=perpetrator,
    )
    # the far incident lies outside every zone and corridor
    alone = _by_incident([extra])
    for (_, rule_id), f in alone.items():
        if rule_id != "nationwide":
            assert f.verdict == "not_applicable", (rule_id, f.reasons)
    without = _by_incident(base)
    with_extra = _by_incident([*base[:position], extra, *base[position:]])
    assert {k: f for k, f in with_extra.items() if k[0] != "far-away"} == without
    assert {f.verdict for f in without.values()} <= set(VERDICTS)


# --- incident.v1 round trips --------------------------------------------------------------

texts = st.none() | st.text(max_size=20)
counts = st.integers(0, 10_000)


@st.composite
def tolls(draw: st.DrawFn) -> Toll:
    low, best, high = sorted(draw(st.lists(counts, min_size=3, max_size=3)))
    keep = draw(st.tuples(st.booleans(), st.booleans(), st.booleans()))
    low, best, high = (v if k else None for v, k in zip((low, best, high), keep, strict=True))
    return Toll(low, best, high)


@st.composite
def occurrences(draw: st.DrawFn) -> Occurred:
    start = draw(st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1)))
    end = start + dt.timedelta(days=draw(st.integers(0, 400)))
    time = draw(st.none() | local_times) if start == end else None
    return Occurred(start, end, time, draw(st.sampled_from(DATE_PRECISIONS)), draw(texts))


@st.composite
def sources(draw: st.DrawFn) -> Source:
    start = draw(st.none() | counts)
    end = None if start is None else draw(st.none() | st.integers(start, start + 5_000))
    return Source(
        document_id=draw(st.text(min_size=1, max_size=20)),
        publisher=draw(texts),
        url=draw(st.none() | st.just("https://example.org/report")),
        published=draw(st.none() | st.dates()),
        attributed_to=draw(texts),
        start=start,
        end=end,
        quote=draw(texts),
    )


@st.composite
def incidents(draw: st.DrawFn) -> Incident:
    event = draw(st.sampled_from(sorted(EVENT_TYPES)))
    return Incident(
        id=draw(st.text(min_size=1, max_size=30)),
        event_type=event,
        sub_event_type=draw(st.sampled_from(EVENT_TYPES[event])),
        occurred=draw(occurrences()),
        location=Location(
            lat=draw(st.floats(-90, 90)),
            lon=draw(st.floats(-180, 180)),
            precision=draw(st.sampled_from(LOCATION_PRECISIONS)),
            name=draw(texts),
            admin1_pcode=draw(st.none() | st.just("SY02")),
            admin2_pcode=draw(st.none() | st.just("SY0200")),
            country=draw(st.none() | st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=2, max_size=2)),
        ),
        status=draw(st.sampled_from(STATUSES)),
        submitted_by=draw(texts),
        method=tuple(draw(st.lists(st.sampled_from(METHODS), max_size=3))),
        perpetrator=Perpetrator(
            draw(texts),
            draw(st.none() | st.sampled_from(ACTOR_IDS)),
            draw(st.sampled_from(ATTRIBUTIONS)),
        ),
        target=draw(st.none() | st.builds(Target, texts, st.none() | st.sampled_from(ACTOR_IDS))),
        fatalities=draw(st.none() | tolls()),
        civilian_fatalities=draw(st.none() | tolls()),
        injured=draw(st.none() | tolls()),
        sources=tuple(draw(st.lists(sources(), max_size=3))),
        confidence=draw(st.sampled_from(CONFIDENCES)),
    )


def _schema_errors(validator: Draft202012Validator, doc: Any) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


@SETTINGS
@given(incidents())
def test_incident_json_round_trip_validates_against_the_shipped_schema(inc: Incident) -> None:
    doc = to_json(inc)
    doc = json.loads(json.dumps(doc))  # really JSON: no dates or tuples left
    assert _schema_errors(INCIDENT_SCHEMA, doc) == []
    assert ADAPTER.validate_python(doc) == inc
    assert ADAPTER.validate_json(json.dumps(doc)) == inc


@st.composite
def judged_incidents(draw: st.DrawFn) -> list[Incident]:
    """Incidents in the catalogue world, with every field generated (but in scope)."""
    out = []
    for i in range(draw(st.integers(1, 5))):
        inc = draw(incidents())
        event, sub, method = draw(st.sampled_from(KINDS))  # kinds the nationwide rule covers
        lon, lat = draw(st.one_of(probe_points, region_points))
        day = draw(st.dates(START.date() - dt.timedelta(days=2), END_DAY))
        out.append(
            Incident(
                **{
                    **{f: getattr(inc, f) for f in Incident.__dataclass_fields__},
                    "id": f"judged-{i}",
                    "event_type": event,
                    "sub_event_type": sub,
                    "method": method + inc.method,
                    "occurred": Occurred(day, day, inc.occurred.time),
                    "location": Location(lat, lon, inc.location.precision, country="SY"),
                }
            )
        )
    return out


@SETTINGS
@given(judged_incidents())
def test_finding_json_round_trip_validates_against_the_shipped_schema(
    incs: list[Incident],
) -> None:
    findings = list(evaluate([AGREEMENT], incs, as_of=AS_OF).findings())
    assert len(findings) >= len(incs), "the nationwide rule covers every incident"
    for f in findings:
        doc = json.loads(json.dumps(FINDING.dump_python(f, mode="json")))
        assert _schema_errors(FINDING_SCHEMA, doc) == []
        assert FINDING.validate_python(doc) == f
        assert f.verdict in VERDICTS
        assert f.reasons and f.reasons[-1].startswith("Verdict: ")


# --- validation rejects impossible values ---------------------------------------------------

VALID: dict[str, Any] = {
    "id": "x",
    "event_type": "Battles",
    "sub_event_type": "Armed clash",
    "occurred": {"start": "2016-09-01", "end": "2016-09-01"},
    "location": {"lat": 36.0, "lon": 37.0, "precision": "town"},
}


def test_the_valid_base_record_is_accepted() -> None:
    assert ADAPTER.validate_python(VALID).id == "x"


def _locs(e: ValidationError) -> set[tuple[str | int, ...]]:
    return {tuple(err["loc"]) for err in e.errors()}


@SETTINGS
@given(
    st.floats(min_value=90, exclude_min=True)
    | st.floats(max_value=-90, exclude_max=True)
    | st.just(float("nan"))
)
def test_latitude_outside_minus_90_to_90_is_rejected(lat: float) -> None:
    record = {**VALID, "location": {**VALID["location"], "lat": lat}}
    with pytest.raises(ValidationError) as caught:
        ADAPTER.validate_python(record)
    assert _locs(caught.value) == {("location", "lat")}


@SETTINGS
@given(st.dates(dt.date(1900, 1, 2)), st.integers(1, 3_000))
def test_end_before_start_is_rejected(start: dt.date, days_before: int) -> None:
    end = start - dt.timedelta(days=days_before)
    record = {**VALID, "occurred": {"start": start.isoformat(), "end": end.isoformat()}}
    with pytest.raises(ValidationError) as caught:
        ADAPTER.validate_python(record)
    assert _locs(caught.value) == {("occurred",)}
    assert "is before start" in str(caught.value)


@SETTINGS
@given(
    best=counts,
    excess=st.integers(1, 1_000),
    field=st.sampled_from(["fatalities", "civilian_fatalities", "injured"]),
    high=st.booleans(),
)
def test_toll_low_above_best_is_rejected(best: int, excess: int, field: str, high: bool) -> None:
    toll = {"low": best + excess, "best": best, "high": best + 2 * excess if high else None}
    with pytest.raises(ValidationError) as caught:
        ADAPTER.validate_python({**VALID, field: toll})
    assert _locs(caught.value) == {(field,)}
    assert "low <= best <= high does not hold" in str(caught.value)
