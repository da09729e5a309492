"""Verdicts expected from the geometry, over a catalogue of zone shapes and probe points.

Each zone rule type (hostilities.v1 and territory.v1 over ``where.zones``, no_fly.v1 over
``where.zone_types``) and access.v1's route corridor is run against every probe of every
shape in ``tests.catalogue``; the incident is otherwise one the rule binds and covers, so
only the place step decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import shapely
from shapely.geometry import Point, box

from ceasewatch.agreement.model import AttributionRule, Place, Zone
from ceasewatch.incidents.model import Occurred, Perpetrator, Target
from tests.catalogue import (
    EXPECTED_VERDICT,
    KINDS,
    SHAPES,
    SQUARE,
    START,
    Probe,
    Shape,
    at,
    incident,
    make_agreement,
    make_world,
    only_finding,
    rule,
    zone_rule,
)

ZONE_RULE_TYPES = ("hostilities.v1", "no_fly.v1", "territory.v1")
KM_LON, KM_LAT = 1 / 90.06, 1 / 110.95  # degrees per km at 36N
RADIUS_KM = {"exact": 0.0, "neighbourhood": 1.0}


def _zone_cases(*kinds: str) -> Iterator[object]:
    for shape in SHAPES:
        for probe in shape.probes:
            if probe.kind not in kinds:
                continue
            for rule_type in ZONE_RULE_TYPES:
                yield pytest.param(shape, probe, rule_type, id=f"{shape}-{probe}-{rule_type}")


def _corridor_cases(*kinds: str) -> Iterator[object]:
    for shape in SHAPES:
        for probe in shape.corridor_probes:
            if probe.kind in kinds:
                yield pytest.param(shape, probe, id=f"{shape}-{probe}")


def _judge(shape: Shape, probe: Probe, rule_type: str):
    world = make_world([shape.zone()], [shape.as_route()])
    agreement = make_agreement(world, [zone_rule(rule_type, shape)])
    return only_finding(agreement, at(probe, **KINDS[rule_type]))


def _text(finding) -> str:
    return " ".join(finding.reasons)


# --- the catalogue itself -----------------------------------------------------------------


def _km(geom):
    """Lon/lat -> km on a plane tangent at 37E 36N (good to a few metres at this scale)."""
    return shapely.transform(geom, lambda c: (c - [37.0, 36.0]) / [KM_LON, KM_LAT])


@pytest.mark.parametrize(
    ("shape", "probe", "area"),
    [
        pytest.param(s, p, area, id=f"{s}-{area}-{p}")
        for s in SHAPES
        for area, probes in (("zone", s.probes), ("corridor", s.corridor_probes))
        for p in probes
    ],
)
def test_catalogue_probes_are_where_they_claim_to_be(shape: Shape, probe: Probe, area: str) -> None:
    """Checks the catalogue against the lon/lat geometry, independently of the engine."""
    if area == "zone":
        geom = _km(shape.geometry)
    else:
        geom = _km(shape.route).buffer(shape.corridor_m / 2000)
    point = Point(probe.lon, probe.lat)
    if probe.kind == "edge":
        assert shape.geometry.boundary.covers(point)  # exactly on the drawn edge
        return
    where = _km(point)
    radius = RADIUS_KM[probe.precision]
    to_edge = geom.boundary.distance(where)
    covered = geom.covers(where)
    if probe.kind == "straddle":
        assert to_edge < radius - 0.05
    else:
        assert covered == (probe.kind == "inside")
        assert to_edge > radius + 0.05, "keep a clear margin from the edge"


# --- zones ------------------------------------------------------------------------------


@pytest.mark.parametrize(("shape", "probe", "rule_type"), list(_zone_cases("inside")))
def test_location_wholly_inside_zone_is_a_violation(
    shape: Shape, probe: Probe, rule_type: str
) -> None:
    f = _judge(shape, probe, rule_type)
    assert f.verdict == "violation"
    assert f"lies in zone {shape.zone().id} (opposition)" in _text(f)
    assert [(p.actor, p.basis) for p in f.parties] == [("gov", "reported")]


@pytest.mark.parametrize(("shape", "probe", "rule_type"), list(_zone_cases("edge")))
def test_point_on_zone_edge_counts_as_inside(shape: Shape, probe: Probe, rule_type: str) -> None:
    f = _judge(shape, probe, rule_type)
    assert f.verdict == EXPECTED_VERDICT["edge"] == "violation"
    assert f"lies in zone {shape.zone().id} (opposition)" in _text(f)


@pytest.mark.parametrize(("shape", "probe", "rule_type"), list(_zone_cases("outside")))
def test_location_outside_zone_in_its_hole_or_notch_or_between_its_parts_is_not_applicable(
    shape: Shape, probe: Probe, rule_type: str
) -> None:
    f = _judge(shape, probe, rule_type)
    assert f.verdict == "not_applicable"
    text = _text(f)
    assert "lies outside the area the rule covers" in text
    assert "it lies outside the rule's area" in f.reasons[-1]


@pytest.mark.parametrize(("shape", "probe", "rule_type"), list(_zone_cases("straddle")))
def test_imprecise_location_straddling_zone_edge_is_undetermined(
    shape: Shape, probe: Probe, rule_type: str
) -> None:
    f = _judge(shape, probe, rule_type)
    assert f.verdict == "undetermined"
    assert "neighbourhood precision, ±1 km" in _text(f)
    assert "straddles the edge of the area the rule covers" in _text(f)
    assert f"(near {shape.zone().id} (opposition))" in _text(f)
    assert f.reasons[-1].endswith("the location may lie outside the rule's area.")


@pytest.mark.parametrize("rule_type", ZONE_RULE_TYPES)
def test_same_point_is_undetermined_when_imprecise_but_decided_when_exact(rule_type: str) -> None:
    """300 m outside the square's edge: exact -> outside; ±1 km -> could be either side."""
    [imprecise] = [p for p in SQUARE.probes if p.name == "300m-outside-edge-imprecise"]
    [exact] = [p for p in SQUARE.probes if p.name == "300m-outside-edge"]
    assert (imprecise.lon, imprecise.lat) == (exact.lon, exact.lat)
    assert _judge(SQUARE, exact, rule_type).verdict == "not_applicable"
    assert _judge(SQUARE, imprecise, rule_type).verdict == "undetermined"


@pytest.mark.parametrize("metres_inside", [55, 100])
def test_point_just_inside_a_long_south_edge_is_inside(metres_inside: int) -> None:
    """A 1 x 1 degree zone: its south edge bows 115 m below the projected bounding box,
    so the bounding-box prefilter must also look at the drawn bounds."""
    big = Zone("big", "A big zone", "opposition", box(36.5, 35.5, 37.5, 36.5))
    agreement = make_agreement(
        make_world([big]), [rule("hostilities.v1", where=Place(zones=("big",)))]
    )
    lat = 35.5 + metres_inside / 1000 * KM_LAT
    assert big.geometry.covers(Point(37.0, lat))
    assert only_finding(agreement, incident(37.0, lat)).verdict == "violation"


# --- route corridors (access.v1) ----------------------------------------------------------


@pytest.mark.parametrize(("shape", "probe"), list(_corridor_cases("inside")))
def test_location_within_route_corridor_is_a_violation(shape: Shape, probe: Probe) -> None:
    f = _judge(shape, probe, "access.v1")
    assert f.verdict == "violation"
    assert f"within the 1000 m corridor of route {shape.as_route().id}" in _text(f)


@pytest.mark.parametrize(("shape", "probe"), list(_corridor_cases("outside")))
def test_location_off_route_corridor_is_not_applicable(shape: Shape, probe: Probe) -> None:
    f = _judge(shape, probe, "access.v1")
    assert f.verdict == "not_applicable"
    assert f"lies outside the corridor of route {shape.as_route().id}" in _text(f)


@pytest.mark.parametrize(("shape", "probe"), list(_corridor_cases("straddle")))
def test_imprecise_location_straddling_route_corridor_is_undetermined(
    shape: Shape, probe: Probe
) -> None:
    f = _judge(shape, probe, "access.v1")
    assert f.verdict == "undetermined"
    assert f"may or may not lie within the corridor of route {shape.as_route().id}" in _text(f)
    assert f.reasons[-1].endswith("the location may lie outside the rule's area.")


# --- a scope with no zone in it -------------------------------------------------------------


def _inside_probes() -> Iterator[object]:
    for shape in SHAPES:
        for probe in shape.probes:
            if probe.kind == "inside":
                yield pytest.param(shape, probe, id=f"{shape}-{probe}")


@pytest.mark.parametrize(("shape", "probe"), list(_inside_probes()))
@pytest.mark.parametrize("rule_type", ["hostilities.v1", "no_fly.v1"])
def test_zone_type_scope_matching_no_zone_covers_nothing(
    shape: Shape, probe: Probe, rule_type: str
) -> None:
    world = make_world([shape.zone("opposition")])
    scoped = make_agreement(world, [rule(rule_type, where=Place(zone_types=("marbled",)))])
    f = only_finding(scoped, at(probe))
    assert f.verdict == "not_applicable"
    assert "lies outside the area the rule covers (marbled zones)" in _text(f)
    # control: the same incident under a scope that does match the zone
    matching = make_agreement(world, [rule(rule_type, where=Place(zone_types=("opposition",)))])
    assert only_finding(matching, at(probe)).verdict == "violation"


@pytest.mark.parametrize("probe", [pytest.param(p, id=p.name) for s in SHAPES for p in s.probes])
def test_zone_type_scope_in_a_world_without_zones_covers_nothing(probe: Probe) -> None:
    agreement = make_agreement(make_world([]), [rule("no_fly.v1")])
    assert only_finding(agreement, at(probe)).verdict == "not_applicable"


# --- the other steps, at a place the rule covers ---------------------------------------------

AIR = AttributionRule(
    "air-over-square",
    "Only the government and its ally fly over the square",
    frozenset({"airstrike", "barrel_bomb"}),
    ("gov", "ally"),
    (SQUARE.zone().id,),
)


def _probe(shape: Shape, name: str) -> Probe:
    [probe] = [p for p in shape.probes if p.name == name]
    return probe


def _square_agreement(attribution=(), **overrides):
    world = make_world([SQUARE.zone()], attribution=attribution)
    return make_agreement(world, [zone_rule("hostilities.v1", SQUARE, **overrides)])


def test_unreported_perpetrator_is_presumed_by_attribution_rule_over_the_zone() -> None:
    agreement = _square_agreement([AIR], binds=("gov", "opp", "ally"))
    f = only_finding(agreement, at(_probe(SQUARE, "centre"), perpetrator=None))
    assert f.verdict == "violation"
    assert {(p.actor, p.basis) for p in f.parties} == {("gov", "presumed"), ("ally", "presumed")}
    assert "presumed one of gov, ally by attribution rule 'air-over-square'" in _text(f)
    assert (
        f.reasons[-1]
        == "Verdict: violation of rule 'hostilities' of catalogue-terms by gov or ally."
    )
    assert f.confidence == "low"  # ungraded (medium), one step lower for presumed parties


def test_presumption_needs_the_whole_location_inside_the_attribution_zone() -> None:
    agreement = _square_agreement([AIR], binds=("gov", "opp", "ally"))
    straddling = _probe(SQUARE, "300m-inside-edge-imprecise")
    f = only_finding(agreement, at(straddling, perpetrator=None))
    assert f.verdict == "undetermined"
    assert f.parties == ()
    assert "who did it is not known" in f.reasons[-1]


def test_presumption_needs_one_of_the_attribution_rules_methods() -> None:
    agreement = _square_agreement([AIR], binds=("gov", "opp", "ally"))
    shelling = {
        "sub_event_type": "Shelling/artillery/missile attack",
        "method": ("shelling",),
        "perpetrator": None,
    }
    f = only_finding(agreement, at(_probe(SQUARE, "centre"), **shelling))
    assert f.verdict == "undetermined"
    assert f.parties == ()


def test_presumed_perpetrators_only_partly_bound_is_undetermined() -> None:
    agreement = _square_agreement([AIR], binds=("gov", "opp"))
    f = only_finding(agreement, at(_probe(SQUARE, "centre"), perpetrator=None))
    assert f.verdict == "undetermined"
    assert "presumed perpetrators include actors the rule does not bind" in f.reasons[-1]


@pytest.mark.parametrize(
    ("time", "verdict"),
    [
        pytest.param(None, "undetermined", id="day-precision"),
        pytest.param(dt.time(18, 59), "not_applicable", id="minute-before"),
        pytest.param(dt.time(19, 0), "violation", id="at-entry-into-force"),
        pytest.param(dt.time(20, 0), "violation", id="hour-after"),
    ],
)
def test_date_straddling_entry_into_force_is_undetermined(
    time: dt.time | None, verdict: str
) -> None:
    assert START.hour == 19
    day = START.date()
    f = only_finding(
        _square_agreement(), at(_probe(SQUARE, "centre"), occurred=Occurred(day, day, time))
    )
    assert f.verdict == verdict
    if verdict == "undetermined":
        assert "before or after 12 Sep 2016 19:00 (Asia/Damascus time)" in _text(f)
        assert "the date may fall outside the rule's period" in f.reasons[-1]


@pytest.mark.parametrize("rule_type", ["hostilities.v1", "no_fly.v1", "territory.v1"])
@pytest.mark.parametrize("perpetrator", ["outsider", "civilians"])
def test_perpetrator_not_bound_is_not_applicable(rule_type: str, perpetrator: str) -> None:
    agreement = make_agreement(make_world([SQUARE.zone()]), [zone_rule(rule_type, SQUARE)])
    inc = at(_probe(SQUARE, "centre"), **{**KINDS[rule_type], "perpetrator": perpetrator})
    f = only_finding(agreement, inc)
    assert f.verdict == "not_applicable"
    assert f"not {perpetrator}." in _text(f)
    assert "the rule does not bind who did it" in f.reasons[-1]


def test_no_fly_rule_does_not_bind_the_opposition() -> None:
    agreement = make_agreement(make_world([SQUARE.zone()]), [zone_rule("no_fly.v1", SQUARE)])
    inc = at(_probe(SQUARE, "centre"), perpetrator="opp")
    assert only_finding(agreement, inc).verdict == "not_applicable"


@pytest.mark.parametrize("rule_type", ["hostilities.v1", "territory.v1"])
def test_targeting_a_designated_group_is_exempt(rule_type: str) -> None:
    agreement = make_agreement(make_world([SQUARE.zone()]), [zone_rule(rule_type, SQUARE)])
    inc = at(_probe(SQUARE, "centre"), **{**KINDS[rule_type], "target": Target("ISIS", "jihadi")})
    f = only_finding(agreement, inc)
    assert f.verdict == "exempt"
    assert "a designated group: exempt" in _text(f)


def test_claimed_perpetrator_is_named_with_basis_claimed() -> None:
    agreement = _square_agreement()
    claimed = at(
        _probe(SQUARE, "centre"),
        perpetrator=Perpetrator("government forces", "gov", "claimed"),
    )
    f = only_finding(agreement, claimed)
    assert f.verdict == "violation"
    assert [(p.actor, p.basis) for p in f.parties] == [("gov", "claimed")]
