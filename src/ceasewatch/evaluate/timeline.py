"""Per incident and per day: what each agreement's findings add up to.

An incident that breaks several rules of one agreement is one violation of it, counted
once: under the parties its findings name. A violation whose parties are *presumed*
("one of sy-gov, ru") counts once under that group (``ru or sy-gov``), never once per
member. Days are local dates in the scenario's timezone.

Baseline: before an agreement enters into force nothing can violate it, so the timeline's
baseline days count the incidents that *would* have been violations had its rules been in
force (``verdict_any_time``); days after every rule ended (``ended``) are counted the same
way. That is the comparison "before vs during vs after".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import Counter
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasewatch.agreement.model import Agreement
from ceasewatch.evaluate import engine as e
from ceasewatch.evaluate.columns import EPOCH
from ceasewatch.geo.relate import IN

#: Order in which an agreement-level verdict is taken from its rules' verdicts.
_RANK = {e.VIOLATION: 3, e.UNDETERMINED: 2, e.EXEMPT: 1, e.NOT_APPLICABLE: 0}
_NONE = -1


@dataclass(frozen=True)
class Rollup:
    """Per incident, for one agreement: the verdict and the parties of the violation (for
    an undetermined incident, the parties it would be a violation by, when known)."""

    agreement: Agreement
    verdict: npt.NDArray[np.int8]  # -1 where no rule covers the incident
    verdict_any_time: npt.NDArray[np.int8]
    parties: npt.NDArray[np.uint64]
    presumed: npt.NDArray[np.bool_]


def rollup(ev: e.Evaluation, agreement: Agreement) -> Rollup:
    n = len(ev.columns)
    verdict = np.full(n, _NONE, dtype=np.int8)
    any_time = np.full(n, _NONE, dtype=np.int8)
    parties = np.zeros(n, dtype=np.uint64)
    presumed = np.zeros(n, dtype=bool)
    rank = np.array([_RANK[v] for v in range(4)] + [-1], dtype=np.int8)  # index -1 -> -1
    for r in ev.results:
        if r.agreement is not agreement:
            continue
        for target, source in ((verdict, r.verdict), (any_time, r.verdict_any_time)):
            better = rank[source] > rank[target[r.idx]]
            target[r.idx[better]] = source[better]
        # parties of the violation: the most specific (fewest members) violating finding
        viol = r.verdict_any_time == e.VIOLATION
        idx = r.idx[viol]
        cand = r.parties[viol]
        current = parties[idx]
        take = (current == 0) | (_popcount(cand) < _popcount(current))
        parties[idx[take]] = cand[take]
        presumed[idx[take]] = (r.perp[viol] == e.P_PRESUMED)[take]
    # an undetermined incident keeps the parties it would be a violation by (when known),
    # so counts "by these parties" can leave out what is surely someone else's
    for r in ev.results:
        if r.agreement is not agreement:
            continue
        und = r.verdict == e.UNDETERMINED
        idx = r.idx[und]
        cand = r.parties[und]
        take = (parties[idx] == 0) & (verdict[idx] == e.UNDETERMINED)
        parties[idx[take]] = cand[take]
        presumed[idx[take]] = (r.perp[und] == e.P_PRESUMED)[take]
    return Rollup(agreement, verdict, any_time, parties, presumed)


def _popcount(a: npt.NDArray[np.uint64]) -> npt.NDArray[np.int64]:
    return np.array([bin(int(x)).count("1") for x in a], dtype=np.int64)


def party_label(ev: e.Evaluation, mask: int, presumed: bool) -> str:
    """``sy-gov``; ``ru or sy-gov`` (presumed: one of); ``opposition & sy-gov`` (both)."""
    names = sorted(ev.actors.names(mask))
    if not names:
        return "unknown"
    return (" or " if presumed else " & ").join(names)


def zone_keys(ev: e.Evaluation) -> list[str]:
    """Where each incident is counted: its control zone, else its city zone, else its
    governorate (admin1 P-code), else ``unzoned``."""
    n = len(ev.columns)
    keys: list[str | None] = [None] * n
    control = [z for z in ev.world.zones if z.type != "city"]
    cities = [z for z in ev.world.zones if z.type == "city"]
    for group in (control, cities):
        for z in group:
            hit = np.flatnonzero(ev.geography.in_zones((z.id,)) == IN)
            for i in hit.tolist():
                if keys[i] is None:
                    keys[i] = z.id
    out = []
    for i, k in enumerate(keys):
        if k is None and ev.incidents is not None:
            k = ev.incidents[i].location.admin1_pcode
        out.append(k or "unzoned")
    return out


@dataclass(frozen=True)
class DayRow:
    date: dt.date
    agreement_id: str
    zone: str
    party: str
    period: str  # baseline | in_force | ended
    violations: int
    undetermined: int


def periods(agreement: Agreement) -> tuple[dt.date, dt.date | None]:
    """Local first day in force, and last day (None while any rule is open-ended)."""
    tz = zoneinfo.ZoneInfo(agreement.timezone)
    first = agreement.entry_into_force.astimezone(tz).date()
    ends = [r.effective.end for r in agreement.rules]
    if any(x is None for x in ends):
        return first, None
    last = max(x for x in ends if x is not None)
    return first, (last - dt.timedelta(seconds=1)).astimezone(tz).date()


def daily_timeline(ev: e.Evaluation) -> list[DayRow]:
    """Violations per day × zone × party, per agreement, with baseline vs in force."""
    keys = zone_keys(ev)
    rows: list[DayRow] = []
    for agreement in ev.agreements:
        roll = rollup(ev, agreement)
        first, last = periods(agreement)
        counts: Counter[tuple[dt.date, str, str, str, str]] = Counter()
        for i in np.flatnonzero(roll.verdict != _NONE).tolist():
            day = EPOCH + dt.timedelta(days=int(ev.columns.day[i]))
            period = "baseline" if day < first else ("ended" if last and day > last else "in_force")
            v = roll.verdict[i] if period == "in_force" else roll.verdict_any_time[i]
            if v == e.VIOLATION:
                label = party_label(ev, int(roll.parties[i]), bool(roll.presumed[i]))
                counts[(day, keys[i], label, period, "v")] += 1
            elif v == e.UNDETERMINED:
                counts[(day, keys[i], "undetermined", period, "u")] += 1
        merged: dict[tuple[dt.date, str, str, str], list[int]] = {}
        for (day, zone, party, period, kind), n in counts.items():
            slot = merged.setdefault((day, zone, party, period), [0, 0])
            slot[0 if kind == "v" else 1] += n
        for (day, zone, party, period), (v, u) in sorted(merged.items()):
            rows.append(DayRow(day, agreement.id, zone, party, period, v, u))
    return rows
