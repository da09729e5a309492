"""The evaluation engine: incidents × rules -> findings. Pure: no I/O, no clock.

Each rule is applied in the same four steps, vectorised over every incident it covers:

1. **time** — the incident's interval against the rule's effective period;
2. **place** — the incident's disc (point + precision) against the rule's scope;
3. **perpetrator** — as reported, else presumed by an attribution rule, against whom the
   rule binds;
4. **target** — designated groups are exempt; a target that is neither a party nor
   protected makes the rule not applicable; an unreported target is judged by the zone.

A step that rules the incident out makes the verdict ``not_applicable``; a sure exemption
makes it ``exempt``; any step that cannot tell makes it ``undetermined``; otherwise it is a
``violation``. Every step's outcome is kept as a code, and ``reasons.render`` turns the
codes of one finding into sentences when someone reads it.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from ceasewatch.agreement.model import Agreement, AttributionRule, Rule, World
from ceasewatch.evaluate.columns import (
    NO_ACTOR,
    SUB_INDEX,
    UNKNOWN_ACTOR,
    Columns,
    from_incidents,
    method_mask,
)
from ceasewatch.evaluate.finding import Finding
from ceasewatch.geo.relate import EDGE, IN, OUT, Floats, Frame, relate
from ceasewatch.incidents.model import Incident
from ceasewatch.incidents.vocab import SUB_EVENT_TYPES

# verdicts (index into VERDICTS)
VIOLATION: Final = 0
EXEMPT: Final = 1
NOT_APPLICABLE: Final = 2
UNDETERMINED: Final = 3
VERDICTS: Final = ("violation", "exempt", "not_applicable", "undetermined")

# step 1: time
T_WITHIN, T_BEFORE, T_AFTER, T_STRADDLE = 0, 1, 2, 3
# step 3: perpetrator
P_REPORTED, P_PRESUMED, P_UNKNOWN, P_UNMATCHED = 0, 1, 2, 3
B_BOUND, B_NOT_BOUND, B_PARTLY, B_NONE = 0, 1, 2, 3
# step 4: target
(
    G_NOT_CHECKED,
    G_PROTECTED,
    G_EXEMPT,
    G_OTHER,
    G_MIXED_TARGET,
    G_ZONE_EXEMPT,
    G_ZONE_MIXED,
    G_ZONE_PARTY,
    G_ZONE_NONE,
    G_UNMATCHED,
) = range(10)

PARTY_ZONE_TYPES: Final = ("opposition", "government")
AIR_STRIKE = SUB_INDEX[("Explosions/Remote violence", "Air/drone strike")]
ARMED_CLASH = SUB_INDEX[("Battles", "Armed clash")]

Mask = npt.NDArray[np.uint64]
I8 = npt.NDArray[np.int8]


class Geography:
    """A world's zones and route corridors in a metric frame, with cached relations."""

    def __init__(self, world: World, columns: Columns) -> None:
        self.world = world
        self.frame = Frame.around(
            [z.geometry for z in world.zones] + [r.geometry for r in world.routes],
            default=(
                float(np.mean(columns.lon)) if len(columns) else 0.0,
                float(np.mean(columns.lat)) if len(columns) else 0.0,
            ),
        )
        self.x, self.y = self.frame.project(columns.lon, columns.lat)
        self.lon, self.lat = columns.lon, columns.lat
        self.radius = columns.radius
        self._drawn = {z.id: z.geometry for z in world.zones}
        self._zones = {z.id: self.frame.project_geometry(z.geometry) for z in world.zones}
        self._cache: dict[object, I8] = {}

    def zone_ids(self, ids: Sequence[str] = (), types: Sequence[str] = ()) -> tuple[str, ...]:
        return tuple(sorted({*ids, *(z.id for z in self.world.zones if z.type in types)}))

    def zone_geometry(self, zone_id: str) -> BaseGeometry:
        """The zone's polygon in the metric frame."""
        return self._zones[zone_id]

    def area(self, zone_ids: Sequence[str]) -> BaseGeometry:
        return shapely.union_all([self._zones[z] for z in zone_ids])

    def corridor(self, route_id: str) -> BaseGeometry:
        route = self.world.route(route_id)
        return self.frame.project_geometry(route.geometry).buffer(route.corridor_m / 2)

    def drawn(self, zone_ids: Sequence[str]) -> tuple[BaseGeometry, Floats, Floats]:
        """The zones as drawn (lon/lat), with the incidents' lon/lat: for inside tests."""
        return shapely.union_all([self._drawn[z] for z in zone_ids]), self.lon, self.lat

    def in_zones(self, zone_ids: Sequence[str]) -> I8:
        if not zone_ids:
            return np.zeros(len(self.x), dtype=np.int8)
        key = ("zones", tuple(zone_ids))
        if key not in self._cache:
            self._cache[key] = relate(
                self.area(zone_ids), self.x, self.y, self.radius, drawn=self.drawn(zone_ids)
            )
        return self._cache[key]

    def in_corridor(self, route_id: str) -> I8:
        key = ("route", route_id)
        if key not in self._cache:
            self._cache[key] = relate(self.corridor(route_id), self.x, self.y, self.radius)
        return self._cache[key]


@dataclass(frozen=True)
class Actors:
    """Actor ids as bits; a bloc's bit set is its members'."""

    ids: tuple[str, ...]
    masks: Mask  # per actor index: the bits it stands for

    @classmethod
    def of(cls, world: World) -> Actors:
        if len(world.actors) > 63:
            raise ValueError("the engine handles at most 63 actors per scenario")
        ids = tuple(a.id for a in world.actors)
        bit = {a: np.uint64(1) << np.uint64(i) for i, a in enumerate(ids)}
        masks = np.array(
            [
                np.bitwise_or.reduce([bit[m] for m in world.expand([a])], initial=np.uint64(0))
                for a in ids
            ],
            dtype=np.uint64,
        )
        return cls(ids, masks)

    def mask(self, actor_ids: Sequence[str]) -> np.uint64:
        out = np.uint64(0)
        for a in actor_ids:
            out |= self.masks[self.ids.index(a)]
        return out

    def of_codes(self, codes: npt.NDArray[np.int16]) -> Mask:
        out = np.zeros(len(codes), dtype=np.uint64)
        known = codes >= 0
        out[known] = self.masks[codes[known]]
        return out

    def names(self, mask: int | np.uint64) -> tuple[str, ...]:
        m = int(mask)
        return tuple(a for i, a in enumerate(self.ids) if m >> i & 1)


@dataclass(frozen=True)
class RuleResult:
    """Step codes and verdicts of one rule, for the incidents it covers (``idx``)."""

    agreement: Agreement
    rule: Rule
    idx: npt.NDArray[np.int64]
    time: I8
    place: I8
    perp: I8
    bound: I8
    target: I8
    parties: Mask
    attribution: npt.NDArray[np.int16]
    clash: npt.NDArray[np.bool_]
    verdict: I8
    #: The verdict had the rule been in force whenever the incident happened: what the
    #: timeline's baseline (before entry into force) counts.
    verdict_any_time: I8
    #: Per incident: the index into ``Evaluation.disputes`` of the disputed delineation
    #: that made the verdict undetermined, or -1 (``ceasewatch.delineation.apply``).
    disputed: npt.NDArray[np.int16] | None = None
    #: Per incident: the verdict under the delineation the active one replaced.
    previous: I8 | None = None


@dataclass(frozen=True)
class Evaluation:
    """All findings of one run, as arrays; ``findings()`` renders them on demand."""

    world: World
    agreements: tuple[Agreement, ...]
    columns: Columns
    as_of: dt.datetime
    considered: npt.NDArray[np.bool_]
    results: tuple[RuleResult, ...]
    actors: Actors
    geography: Geography
    incidents: Sequence[Incident] | None = None
    problems: tuple[str, ...] = field(default=())
    #: The agreed zone delineation(s) the zones came from (finding.v1 ``map_version``).
    map_version: str | None = None
    #: Sentences naming the disputed delineations (``RuleResult.disputed`` indexes them).
    disputes: tuple[str, ...] = ()
    #: "delineation v2 replaced v1": said by findings whose verdict that change changed.
    map_change: str | None = None

    def __len__(self) -> int:
        return sum(len(r.idx) for r in self.results)

    def counts(self) -> dict[str, int]:
        total = np.zeros(4, dtype=np.int64)
        for r in self.results:
            total += np.bincount(r.verdict, minlength=4)
        return {v: int(n) for v, n in zip(VERDICTS, total, strict=True)}

    def findings(self) -> Iterator[Finding]:
        from ceasewatch.evaluate.reasons import render_all

        if self.incidents is None:
            raise ValueError("findings need the incident records; pass incidents to evaluate()")
        yield from render_all(self)


def evaluate(
    agreements: Sequence[Agreement],
    incidents: Sequence[Incident],
    *,
    as_of: dt.datetime,
) -> Evaluation:
    """Judge every incident against every rule of ``agreements`` as of ``as_of``.

    Incidents that started at or after ``as_of`` are not considered. All agreements must
    share one scenario (world).
    """
    world = _one_world(agreements)
    return evaluate_columns(
        agreements, from_incidents(incidents, world), as_of=as_of, incidents=incidents
    )


def _one_world(agreements: Sequence[Agreement]) -> World:
    if not agreements:
        raise ValueError("no agreement to evaluate")
    worlds = {a.world.scenario_id for a in agreements}
    if len(worlds) != 1:
        raise ValueError(f"agreements come from different scenarios: {sorted(worlds)}")
    return agreements[0].world


def evaluate_columns(
    agreements: Sequence[Agreement],
    columns: Columns,
    *,
    as_of: dt.datetime,
    incidents: Sequence[Incident] | None = None,
) -> Evaluation:
    if as_of.tzinfo is None:
        raise ValueError("as_of must be timezone-aware")
    world = _one_world(agreements)
    actors = Actors.of(world)
    geo = Geography(world, columns)
    considered = columns.t0 < int(as_of.timestamp())
    perp_mask = actors.of_codes(columns.perp)
    target_mask = actors.of_codes(columns.target)
    results = []
    for agreement in agreements:
        presumed, attribution = _presume(agreement.attribution_rules, columns, geo, actors, world)
        gathered: dict[bytes, _Gathered] = {}
        for rule in agreement.rules:
            covered = _coverage(rule, columns, considered)
            key = np.packbits(covered).tobytes()
            if key not in gathered:
                gathered[key] = _Gathered.of(
                    covered, columns, perp_mask, target_mask, presumed, attribution
                )
            results.append(_apply(agreement, rule, gathered[key], geo, actors))
    return Evaluation(
        world, tuple(agreements), columns, as_of, considered, tuple(results), actors, geo, incidents
    )


def _presume(
    rules: Sequence[AttributionRule], c: Columns, geo: Geography, actors: Actors, world: World
) -> tuple[Mask, npt.NDArray[np.int16]]:
    """For incidents with no reported perpetrator: the first attribution rule that covers
    the whole location and one of the methods gives the presumed actors."""
    presumed = np.zeros(len(c), dtype=np.uint64)
    which = np.full(len(c), -1, dtype=np.int16)
    open_ = c.perp == NO_ACTOR
    for k, rule in enumerate(rules):
        applies = open_ & (which < 0) & ((c.methods & method_mask(rule.methods)) != 0)
        if rule.zones:
            applies &= geo.in_zones(rule.zones) == IN
        else:
            applies &= c.country_ok
        presumed[applies] = actors.mask(rule.actors)
        which[applies] = k
    return presumed, which


@dataclass(frozen=True)
class _Gathered:
    """The columns of the incidents one rule covers, gathered once and shared by every
    rule of the agreement that covers the same incidents."""

    idx: npt.NDArray[np.int64]
    t0: npt.NDArray[np.int64]
    t1: npt.NDArray[np.int64]
    perp: I8
    parties: Mask  # reported perpetrator, else presumed
    attribution: npt.NDArray[np.int16]
    target: Mask
    target_codes: npt.NDArray[np.int16]
    clash_type: npt.NDArray[np.bool_]
    country_ok: npt.NDArray[np.bool_]
    _memo: dict[object, I8] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: object, compute: Callable[[], I8]) -> I8:
        """A step's codes, computed once for all rules that share what it depends on."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @classmethod
    def of(
        cls,
        covered: npt.NDArray[np.bool_],
        c: Columns,
        perp_mask: Mask,
        target_mask: Mask,
        presumed: Mask,
        attribution: npt.NDArray[np.int16],
    ) -> _Gathered:
        idx = np.flatnonzero(covered)
        codes = c.perp[idx]
        attr = attribution[idx]
        pm = perp_mask[idx]
        perp = np.full(len(idx), P_REPORTED, dtype=np.int8)
        none = codes == NO_ACTOR
        pre = none & (attr >= 0)
        pm[pre] = presumed[idx[pre]]
        perp[pre] = P_PRESUMED
        perp[none & ~pre] = P_UNKNOWN
        perp[codes == UNKNOWN_ACTOR] = P_UNMATCHED
        return cls(
            idx=idx,
            t0=c.t0[idx],
            t1=c.t1[idx],
            perp=perp,
            parties=pm,
            attribution=attr,
            target=target_mask[idx],
            target_codes=c.target[idx],
            clash_type=c.sub[idx] == ARMED_CLASH,
            country_ok=c.country_ok[idx],
        )


def _coverage(rule: Rule, c: Columns, considered: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    covers = np.zeros(len(SUB_EVENT_TYPES), dtype=bool)
    for pair in rule.covers:
        covers[SUB_INDEX[pair]] = True
    covered: npt.NDArray[np.bool_] = considered & covers[c.sub]
    if rule.type == "no_fly.v1":
        covered &= (c.sub == AIR_STRIKE) | ((c.methods & method_mask(rule.methods)) != 0)
    return covered


def _apply(
    agreement: Agreement, rule: Rule, g: _Gathered, geo: Geography, actors: Actors
) -> RuleResult:
    idx = g.idx
    # 1. time
    end = rule.effective.end
    time = g.memo(
        ("time", rule.effective.start, end),
        lambda: _time_step(g, rule.effective.start.timestamp(), end.timestamp() if end else None),
    )

    # 2. place
    if rule.type in ("access.v1", "access.v2") and rule.route is not None:
        place = geo.in_corridor(rule.route)[idx]
    elif rule.where.is_spatial:
        place = geo.in_zones(geo.zone_ids(rule.where.zones, rule.where.zone_types))[idx]
    else:
        place = np.full(len(idx), IN, dtype=np.int8)
    if rule.where.country is not None:
        place[~g.country_ok] = OUT

    # 3. perpetrator (reported, else presumed: see _Gathered) against whom the rule binds
    binds = actors.mask(rule.binds)
    bound = g.memo(("bound", int(binds)), lambda: _bound_step(g.parties, binds))

    # 4. target
    pm = g.parties
    clash = np.zeros(len(idx), dtype=bool)
    exempt = actors.mask(rule.exempt_targets)
    if rule.type in ("hostilities.v1", "territory.v1"):
        protects = actors.mask(rule.protects)
        key = (
            "target",
            int(protects),
            int(exempt),
            rule.designated_zone_types,
            rule.mixed_zone_types,
        )
        target = g.memo(key, lambda: _target_step(g, geo, rule, protects, exempt))
        # an armed clash between two bound parties: both are named, neither singled out
        tm = g.target
        clash = (
            g.clash_type
            & (target == G_PROTECTED)
            & (bound == B_BOUND)
            & ((tm & ~binds) == 0)
            & (tm != 0)
        )
        if clash.any():
            pm = pm.copy()
            pm[clash] |= tm[clash]
    else:
        target = np.full(len(idx), G_NOT_CHECKED, dtype=np.int8)
        if len(rule.exempt_targets):
            target[(g.target != 0) & ((g.target & ~exempt) == 0)] = G_EXEMPT

    code = ((time.astype(np.int16) * 3 + place) * 4 + g.perp) * 4 + bound
    code = code * _TARGET_CODES + target
    return RuleResult(
        agreement=agreement,
        rule=rule,
        idx=idx,
        time=time,
        place=place,
        perp=g.perp,
        bound=bound,
        target=target,
        parties=pm,
        attribution=g.attribution,
        clash=clash,
        verdict=_VERDICT[code],
        verdict_any_time=_VERDICT_ANY_TIME[code],
    )


def _time_step(g: _Gathered, start: float, end: float | None) -> I8:
    """Step 1: the incident's interval against the rule's period."""
    time = np.full(len(g.idx), T_WITHIN, dtype=np.int8)
    time[g.t0 < start] = T_STRADDLE
    time[g.t1 <= start] = T_BEFORE
    if end is not None:
        time[(g.t1 > end) & (time == T_WITHIN)] = T_STRADDLE
        time[g.t0 >= end] = T_AFTER
    return time


def _bound_step(pm: Mask, binds: np.uint64) -> I8:
    """Step 3: are the (reported or presumed) perpetrators bound by the rule?"""
    bound = np.full(len(pm), B_NONE, dtype=np.int8)
    has = pm != 0
    outside = (pm & ~binds) != 0
    inside = (pm & binds) != 0
    bound[has & ~outside] = B_BOUND
    bound[has & ~inside] = B_NOT_BOUND
    bound[has & outside & inside] = B_PARTLY
    return bound


def _target_step(
    g: _Gathered, geo: Geography, rule: Rule, protects: np.uint64, exempt: np.uint64
) -> I8:
    """Step 4: exempt, protected, other, or (target unknown) judged by the zone."""
    tm, tcodes, idx = g.target, g.target_codes, g.idx
    target = np.full(len(idx), G_NOT_CHECKED, dtype=np.int8)
    known = tm != 0
    target[known] = G_OTHER
    target[known & ((tm & ~protects) == 0)] = G_PROTECTED
    target[known & ((tm & exempt) != 0)] = G_MIXED_TARGET
    target[known & ((tm & ~exempt) == 0)] = G_EXEMPT
    target[tcodes == UNKNOWN_ACTOR] = G_UNMATCHED
    unknown = tcodes == NO_ACTOR
    if unknown.any():
        d = geo.in_zones(geo.zone_ids(types=rule.designated_zone_types))[idx]
        m = geo.in_zones(geo.zone_ids(types=rule.mixed_zone_types))[idx]
        p = geo.in_zones(geo.zone_ids(types=PARTY_ZONE_TYPES))[idx]
        zone = np.full(len(idx), G_ZONE_NONE, dtype=np.int8)
        zone[p == IN] = G_ZONE_PARTY
        zone[(m != OUT) | (d == EDGE)] = G_ZONE_MIXED
        zone[d == IN] = G_ZONE_EXEMPT
        target[unknown] = zone[unknown]
    return target


_TARGET_CODES = 10


def _verdict_of(
    time: int, place: int, perp: int, bound: int, target: int, *, any_time: bool
) -> int:
    """One combination of step codes -> its verdict: not applicable beats exempt beats
    undetermined beats violation."""
    na = place == OUT or bound == B_NOT_BOUND or target == G_OTHER
    und = (
        place == EDGE
        or perp in (P_UNKNOWN, P_UNMATCHED)
        or bound == B_PARTLY
        or target in (G_MIXED_TARGET, G_ZONE_MIXED, G_ZONE_NONE, G_UNMATCHED)
    )
    if not any_time:
        na = na or time in (T_BEFORE, T_AFTER)
        und = und or time == T_STRADDLE
    if na:
        return NOT_APPLICABLE
    if target in (G_EXEMPT, G_ZONE_EXEMPT):
        return EXEMPT
    return UNDETERMINED if und else VIOLATION


def _verdict_table(*, any_time: bool) -> I8:
    """Every combination of step codes, indexed as ``_apply`` builds ``code``."""
    table = np.zeros(4 * 3 * 4 * 4 * _TARGET_CODES, dtype=np.int8)
    for t, p, pe, b, g in itertools.product(
        range(4), range(3), range(4), range(4), range(_TARGET_CODES)
    ):
        code = (((t * 3 + p) * 4 + pe) * 4 + b) * _TARGET_CODES + g
        table[code] = _verdict_of(t, p, pe, b, g, any_time=any_time)
    return table


_VERDICT = _verdict_table(any_time=False)
_VERDICT_ANY_TIME = _verdict_table(any_time=True)
