"""Candidate pairs without comparing every report with every other (docs/fusion.md#scale).

Each report is put in a bucket for every (day, grid cell) its date range (plus the slack)
and its precision disc touch. Two reports whose dates are within the slack and whose discs
overlap share at least one bucket (the first day both cover, a cell holding a point of
both discs), so no pair the rules could accept is missed. A pair is produced once: on the
first day its two ranges share.

Reports dated more loosely than ``MAX_BUCKET_DAYS`` or placed only at country level would
fill too many buckets; they are paired by day and perpetrator instead (when it is known),
and with each other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Final

from ceasewatch.fusion.pairs import COUNTRY_RADIUS_M, Prepared

#: Grid cell side, degrees (about 28 km north-south).
CELL_DEG: Final = 0.25
#: Reports spanning more days than this are paired by perpetrator, not by place.
MAX_BUCKET_DAYS: Final = 62
_M_PER_DEG: Final = 111_195.0


def _cells(p: Prepared) -> list[tuple[int, int]]:
    dlat = p.radius / _M_PER_DEG
    dlon = p.radius / (_M_PER_DEG * max(0.01, math.cos(math.radians(p.lat))))
    la0, la1 = math.floor((p.lat - dlat) / CELL_DEG), math.floor((p.lat + dlat) / CELL_DEG)
    lo0, lo1 = math.floor((p.lon - dlon) / CELL_DEG), math.floor((p.lon + dlon) / CELL_DEG)
    return [(i, j) for i in range(la0, la1 + 1) for j in range(lo0, lo1 + 1)]


def _coarse(p: Prepared) -> bool:
    return p.radius >= COUNTRY_RADIUS_M or p.last - p.first + 1 > MAX_BUCKET_DAYS


def candidate_pairs(reports: Sequence[Prepared], slack: int) -> Iterator[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, that may pass the pair rules; each pair once."""
    fine = [p for p in reports if not _coarse(p)]
    coarse = [p for p in reports if _coarse(p)]
    # day -> cell -> reports; a report's days run from its first to last day plus the slack
    by_day: dict[int, dict[tuple[int, int], list[Prepared]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for p in fine:
        cells = _cells(p)
        for day in range(p.first, p.last + slack + 1):
            cellmap = by_day[day]
            for cell in cells:
                cellmap[cell].append(p)
    for day in sorted(by_day):
        seen: set[tuple[int, int]] = set()
        for bucket in by_day[day].values():
            n = len(bucket)
            for x in range(n):
                p = bucket[x]
                for y in range(x + 1, n):
                    q = bucket[y]
                    # the pair's first shared day (ranges stretched by the slack)
                    if max(p.first, q.first) != day:
                        continue
                    key = (p.index, q.index) if p.index < q.index else (q.index, p.index)
                    if key not in seen:
                        seen.add(key)
                        yield key
    if coarse:
        yield from _coarse_pairs(fine, coarse, slack)


def _actor(p: Prepared) -> str:
    return p.perp.id or p.perp.text or ""


def _coarse_pairs(
    fine: Sequence[Prepared], coarse: Sequence[Prepared], slack: int
) -> Iterator[tuple[int, int]]:
    """Loosely placed or dated reports meet others of the same perpetrator and days, and
    every other loose report of their days."""
    by_actor_day: dict[tuple[str, int], list[Prepared]] = defaultdict(list)
    long: dict[str, list[Prepared]] = defaultdict(list)  # dated over more than MAX_BUCKET_DAYS
    for p in (*fine, *coarse):
        if not p.perp.known:
            continue
        if p.last - p.first + 1 <= MAX_BUCKET_DAYS:
            for day in range(p.first, p.last + 1):
                by_actor_day[(_actor(p), day)].append(p)
        else:
            long[_actor(p)].append(p)
    loose_by_day: dict[int, list[Prepared]] = defaultdict(list)
    loose_long: list[Prepared] = []
    for c in coarse:
        if c.last - c.first + 1 <= MAX_BUCKET_DAYS:
            for day in range(c.first, c.last + 1):
                loose_by_day[day].append(c)
        else:
            loose_long.append(c)
    for c in coarse:
        seen: set[int] = set()
        candidates: list[Prepared] = []
        if c.perp.known:
            for day in range(c.first - slack, c.last + slack + 1):
                candidates.extend(by_actor_day.get((_actor(c), day), ()))
            candidates.extend(long.get(_actor(c), ()))
        for day in range(c.first - slack, c.last + slack + 1):
            candidates.extend(loose_by_day.get(day, ()))
        candidates.extend(loose_long)
        for p in candidates:
            if p.index == c.index or p.index in seen:
                continue
            if max(c.first, p.first) - min(c.last, p.last) > slack:
                continue
            if _coarse(p) and p.index < c.index:
                continue  # a pair of loose reports is produced from its later member only
            seen.add(p.index)
            yield (min(c.index, p.index), max(c.index, p.index))
