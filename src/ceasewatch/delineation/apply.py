"""Agreed delineations in the world, and disputed ones in the verdicts. Pure.

- ``world_with``: each subject's active version replaces the spec zones it names (all
  zones of its type when it names none), one zone per polygon, id ``SUBJECT-vN-K``;
- ``evaluate``: the engine over that world; then, for rules that depend on the
  delineated zone type, an incident whose location touches a disputed area becomes
  ``undetermined`` ("disputed delineation") — unless the rule does not apply to it for a
  reason the map cannot change (its time, who did it, its target, its country);
- when a version was agreed, the incidents are judged under the ledger as it stood just
  before, and a finding whose verdict changed says so ("delineation v2 replaced v1").

A rule depends on a zone type when its area is given by that type (``where:
zone_types``), or — for ``hostilities.v1``/``territory.v1`` with no target reported —
when the exemption is judged by zones of that type (designated, mixed or party zones).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import numpy as np

from ceasewatch.agreement.model import Agreement, Rule, World, Zone
from ceasewatch.delineation.model import Ledger, Subject
from ceasewatch.evaluate import engine as e
from ceasewatch.geo.relate import OUT, relate
from ceasewatch.incidents.model import Incident

_ZONE_TARGETS = (e.G_ZONE_EXEMPT, e.G_ZONE_MIXED, e.G_ZONE_PARTY, e.G_ZONE_NONE)


def replaced_zones(world: World, subject: Subject) -> tuple[str, ...]:
    """The spec zones a subject's versions stand in for."""
    if subject.replaces:
        return subject.replaces
    return tuple(z.id for z in world.zones if z.type == subject.zone_type)


def world_with(world: World, subjects: Sequence[Subject]) -> World:
    """The world with each active version in place of the zones it replaces."""
    drop: set[str] = set()
    added: list[Zone] = []
    for s in subjects:
        if s.active is None:
            continue
        drop |= set(replaced_zones(world, s))
        for k, shape in enumerate(s.active.shapes, start=1):
            added.append(
                Zone(
                    id=f"{s.subject}-{s.active.label}-{k}",
                    name=f"{shape.name} ({s.subject} {s.active.label})",
                    type=s.zone_type,  # type: ignore[arg-type]
                    geometry=shape.geometry,
                    note=f"agreed delineation {s.subject} {s.active.label}",
                )
            )
    if not added:
        return world
    zones = tuple(z for z in world.zones if z.id not in drop) + tuple(added)
    return dataclasses.replace(world, zones=zones)


def referenced_zones(agreement: Agreement) -> frozenset[str]:
    """Zone ids the agreement names directly (a delineation may not replace them)."""
    ids = {z for r in agreement.rules for z in r.where.zones}
    ids |= {z for a in agreement.attribution_rules for z in a.zones}
    return frozenset(ids)


def _depends(rule: Rule, zone_type: str) -> tuple[bool, bool]:
    """(the rule's area, its zone-judged exemption) depend on zones of ``zone_type``."""
    place = rule.type != "access.v1" and zone_type in rule.where.zone_types
    target = rule.type in ("hostilities.v1", "territory.v1") and zone_type in (
        *rule.designated_zone_types,
        *rule.mixed_zone_types,
        *e.PARTY_ZONE_TYPES,
    )
    return place, target


def _mark_disputes(ev: e.Evaluation, subjects: Sequence[Subject]) -> e.Evaluation:
    disputes = [s.dispute for s in subjects if s.dispute is not None]
    if not disputes:
        return ev
    geo = ev.geography
    touches = [
        relate(geo.frame.project_geometry(d.area), geo.x, geo.y, geo.radius) != OUT
        for d in disputes
    ]
    results = []
    for r in ev.results:
        rule = r.rule
        marked = np.full(len(r.idx), -1, dtype=np.int16)
        blocked = (
            (r.bound == e.B_NOT_BOUND)
            | (r.target == e.G_OTHER)
            | (~ev.columns.country_ok[r.idx] if rule.where.country is not None else False)
        )
        in_time = ~np.isin(r.time, (e.T_BEFORE, e.T_AFTER))
        for n, d in enumerate(disputes):
            place, target = _depends(rule, d.zone_type)
            if not (place or target):
                continue
            hit = touches[n][r.idx] & ~blocked & (marked < 0)
            if not place:
                hit &= np.isin(r.target, _ZONE_TARGETS)
            marked[hit] = n
        if (marked < 0).all():
            results.append(r)
            continue
        hit_any = marked >= 0
        verdict = r.verdict.copy()
        verdict[hit_any & in_time] = e.UNDETERMINED
        any_time = r.verdict_any_time.copy()
        any_time[hit_any] = e.UNDETERMINED
        marked[~in_time] = -1
        results.append(
            dataclasses.replace(r, verdict=verdict, verdict_any_time=any_time, disputed=marked)
        )
    return dataclasses.replace(
        ev, results=tuple(results), disputes=tuple(d.sentence() for d in disputes)
    )


def _under(
    agreement: Agreement, ledger: Ledger, incidents: Sequence[Incident], as_of: dt.datetime
) -> e.Evaluation:
    subjects = ledger.state()
    ag = dataclasses.replace(agreement, world=world_with(agreement.world, subjects))
    ev = e.evaluate([ag], incidents, as_of=as_of)
    ev = dataclasses.replace(ev, map_version=ledger.map_version())
    return _mark_disputes(ev, subjects)


def change_text(before: Ledger, after: Ledger) -> str:
    """What the latest agreement changed, as findings say it.

    >>> from ceasewatch.delineation.model import Ledger
    >>> change_text(Ledger("a", ("x", "y")), Ledger("a", ("x", "y")))
    'delineation unchanged'
    """
    parts = []
    olds = {s.subject: s for s in before.state()}
    for s in after.state():
        old = olds.get(s.subject)
        was = old.active if old else None
        if s.active is None or (was is not None and was.version == s.active.version):
            continue
        if was is not None:
            parts.append(f"delineation {s.active.label} replaced {was.label} ({s.subject})")
        elif old is not None and old.dispute is not None:
            versions = " and ".join(f"v{v}" for v in old.dispute.versions)
            parts.append(
                f"delineation {s.active.label} was agreed, ending the dispute between "
                f"{versions} ({s.subject})"
            )
        else:
            parts.append(
                f"delineation {s.active.label} replaced the spec's {s.zone_type} zones "
                f"({s.subject})"
            )
    return "; ".join(parts) or "delineation unchanged"


def evaluate(
    agreement: Agreement,
    incidents: Sequence[Incident],
    *,
    as_of: dt.datetime,
    ledger: Ledger | None = None,
) -> e.Evaluation:
    """The engine's evaluation of one agreement under its delineations (see module doc)."""
    if ledger is None or not ledger.proposals:
        return e.evaluate([agreement], incidents, as_of=as_of)
    ev = _under(agreement, ledger, incidents, as_of)
    last = ledger.last_activation()
    if last is None:
        return ev
    before = ledger.before(last)
    prev = _under(agreement, before, incidents, as_of)
    results = []
    for r, p in zip(ev.results, prev.results, strict=True):
        assert r.rule.id == p.rule.id and np.array_equal(r.idx, p.idx)
        results.append(dataclasses.replace(r, previous=p.verdict))
    return dataclasses.replace(ev, results=tuple(results), map_change=change_text(before, ledger))
