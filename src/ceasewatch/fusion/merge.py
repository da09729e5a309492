"""One incident from the reports of one event: every source kept, every claim side by side.

* ``sources``: the union, in input order, each passage of each document once.
* tolls: ``low`` the least figure any report gives, ``high`` the greatest (open-ended if
  any report is open-ended), ``best`` by the toll policy (``conservative``: the lowest
  best estimate).
* ``occurred``: the days every report allows (the intersection, precision of the finest
  report); when they do not all overlap, the whole span with a note.
* ``location``: the most precisely placed report's (the first of equals).
* ``perpetrator``: the one the reports agree on, else the most specific attribution
  (claimed > reported > alleged > unknown, then a resolved actor), with the disagreement
  recorded; a perpetrator others contradict is at most ``alleged``.
* event type: the most specific coding (a named means of attack over a generic clash or
  attack), then the most common; ``method``: the union.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from ceasewatch.fusion.actors import ActorKey, bloc_of
from ceasewatch.fusion.pairs import Prepared, claim_key
from ceasewatch.fusion.settings import FusionSettings
from ceasewatch.incidents.model import Incident, Occurred, Perpetrator, Source, Toll
from ceasewatch.incidents.vocab import LOCATION_PRECISIONS

_DATE_ORDER: Final = ("day", "week", "month", "year", "unknown")
_ATTRIBUTION_RANK: Final = {"claimed": 3, "reported": 2, "alleged": 1, "unknown": 0}
_STATUS_RANK: Final = {"published": 2, "proposed": 1, "rejected": 0}
#: Generic codings, which a more specific one replaces.
GENERIC_SUB_EVENTS: Final = frozenset({"Armed clash", "Attack", "Other"})


def merge_tolls(tolls: Sequence[Toll | None], policy: str) -> Toll | None:
    """The range across reports' tolls.

    >>> merge_tolls([Toll(7, 7, None), Toll(5, 6, 9)], "conservative")
    Toll(low=5, best=6, high=None)
    >>> merge_tolls([Toll(21, 21, 21), Toll(18, 20, 25)], "highest")
    Toll(low=18, best=21, high=25)
    """
    given = [t for t in tolls if t is not None and (t.low, t.best, t.high) != (None, None, None)]
    if not given:
        return None
    figures = [v for t in given for v in (t.low, t.best, t.high) if v is not None]
    open_ended = any(t.high is None for t in given)
    bests = [t.best for t in given if t.best is not None]
    best: int | None
    if not bests:
        best = None
    elif policy == "conservative":
        best = min(bests)
    elif policy == "highest":
        best = max(bests)
    elif policy == "median":
        best = int(statistics.median_low(bests))
    else:  # first
        best = bests[0]
    return Toll(low=min(figures), best=best, high=None if open_ended else max(figures))


def merge_occurred(members: Sequence[Prepared], notes: list[str]) -> Occurred:
    first = max(p.first for p in members)
    last = min(p.last for p in members)
    occs = [p.report.incident.occurred for p in members]
    finest = min(occs, key=lambda o: _DATE_ORDER.index(o.precision)).precision
    own_notes = [o.note for o in occs if o.note]
    if first <= last:
        start, end = dt.date.fromordinal(first), dt.date.fromordinal(last)
        times = {o.time for o in occs if o.time is not None and o.start == o.end == start}
        time = times.pop() if len(times) == 1 and start == end else None
        if len(times) > 1:
            notes.append("the reports give different times of day; none is kept")
        note = own_notes[0] if len(own_notes) == 1 else None
        return Occurred(start=start, end=end, time=time, precision=finest, note=note)
    start = min(o.start for o in occs)
    end = max(o.end for o in occs)
    days = sorted(
        {f"{o.start.isoformat()}" if o.start == o.end else f"{o.start}–{o.end}" for o in occs}
    )
    note = f"the reports give {', '.join(days)}; the range covers them all"
    notes.append(f"dates do not all overlap: {note}")
    return Occurred(start=start, end=end, time=None, precision=finest, note=note)


def merge_perpetrator(
    members: Sequence[Prepared], settings: FusionSettings, notes: list[str]
) -> Perpetrator:
    named = [p for p in members if p.perp.known]
    if not named:
        return members[0].report.incident.perpetrator
    chosen = max(
        named,
        key=lambda p: (
            _ATTRIBUTION_RANK[p.report.incident.perpetrator.attribution],
            p.perp.id is not None,
            -p.index,
        ),
    )
    keys: dict[str, ActorKey] = {}
    for p in named:
        keys.setdefault(p.perp.id or f"'{p.perp.text}'", p.perp)
    ids = sorted({k.id for k in keys.values() if k.id is not None})
    perp = chosen.report.incident.perpetrator
    if len(ids) > 1:
        blocs = {bloc_of(i, settings.blocs) for i in ids}
        within = " (one bloc)" if len(blocs) == 1 and None not in blocs else ""
        notes.append(
            f"the reports name different perpetrators: {', '.join(ids)}{within}; "
            f"kept {chosen.id}'s ({perp.attribution})"
        )
        if perp.attribution in ("claimed", "reported"):
            perp = replace(perp, attribution="alleged")
    return perp


def merge_incident(
    members: Sequence[Prepared], settings: FusionSettings, notes: list[str]
) -> Incident:
    """The fused incident of ``members`` (in input order; the first gives the id)."""
    incs = [p.report.incident for p in members]
    first = incs[0]
    if len(incs) == 1:
        return first
    sources: list[Source] = []
    seen: set[str] = set()
    for inc in incs:
        for s in inc.sources:
            key = claim_key(s)  # one passage of one document is one source, however copied
            if key not in seen:
                seen.add(key)
                sources.append(s)
    location = min(incs, key=lambda i: LOCATION_PRECISIONS.index(i.location.precision)).location
    if location.name is None:
        named = [i.location.name for i in incs if i.location.name]
        location = replace(location, name=named[0] if named else None)
    typed = min(
        incs,
        key=lambda i: (
            i.sub_event_type in GENERIC_SUB_EVENTS,
            -sum(1 for j in incs if j.sub_event_type == i.sub_event_type),
        ),
    )
    methods: list[str] = []
    for inc in incs:
        methods.extend(m for m in inc.method if m not in methods)
    target = next((i.target for i in incs if i.target is not None and i.target.actor), None)
    target = target or next((i.target for i in incs if i.target is not None), None)
    status = max((i.status for i in incs), key=lambda s: _STATUS_RANK[s])
    return replace(
        first,
        event_type=typed.event_type,
        sub_event_type=typed.sub_event_type,
        occurred=merge_occurred(members, notes),
        location=location,
        status=status,
        method=tuple(methods),  # type: ignore[arg-type]
        perpetrator=merge_perpetrator(members, settings, notes),
        target=target,
        fatalities=merge_tolls([i.fatalities for i in incs], settings.toll_policy),
        civilian_fatalities=merge_tolls(
            [i.civilian_fatalities for i in incs], settings.toll_policy
        ),
        injured=merge_tolls([i.injured for i in incs], settings.toll_policy),
        sources=tuple(sources),
    )
