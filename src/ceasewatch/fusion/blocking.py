"""Candidate pairs without comparing every report with every other (docs/fusion.md#scale).

Reports are swept in date order over a grid: each report is filed under every grid cell
its precision disc touches, and stays there until its last day plus the slack has
passed. On its first day it meets the reports filed under its cells. Two reports whose
dates are within the slack and whose discs overlap share a cell (one holding a point of
both discs) and are both filed on the later one's first day, so no pair the rules could
accept is missed, and each pair is produced once. Memory follows the reports active at
once, not the whole input.

Reports dated more loosely than ``MAX_BUCKET_DAYS`` or placed only at country level would
fill too many buckets; they are paired by day and perpetrator instead (when it is known),
and with each other.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
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


def candidate_pairs(
    reports: Sequence[Prepared], slack: int, within: Collection[str] | None = None
) -> Iterator[tuple[int, int]]:
    """Index pairs ``(i, j)``, ``i < j``, that may pass the pair rules; each pair once.

    With ``within`` (the datasets whose rows may be one event: ``merge_within_datasets``),
    two reports of any other dataset meet only when they share an id or a cited source
    (a re-import): its rows are distinct events, so they are never compared place by
    place. A dense dataset (hundreds of rows a day in one city) then costs nothing."""
    separate: Callable[[str], bool] = (
        (lambda _: False) if within is None else (lambda d: d not in within)
    )
    fine = sorted((p for p in reports if not _coarse(p)), key=lambda p: (p.first, p.index))
    coarse = [p for p in reports if _coarse(p)]
    # A sweep over days: ``active`` holds, per grid cell and dataset, the reports whose
    # days (plus the slack) reach the current day. Each report, on its first day, meets
    # the active reports of its cells: every pair is met once, when its later-starting
    # member comes. Reports of a dataset kept ``separate`` skip their own dataset's.
    active: dict[tuple[int, int], dict[str, list[Prepared]]] = defaultdict(dict)
    for p in fine:
        day = p.first
        met: set[int] = set()
        lat, lon, radius = p.lat, p.lon, p.radius
        shrink = math.cos(math.radians(lat)) * _M_PER_DEG
        own = p.report.dataset
        skip_own = separate(own)
        for cell in _cells(p):
            by_dataset = active[cell]
            for dataset, bucket in by_dataset.items():
                if skip_own and dataset == own:  # not met: drop the past when it shows
                    if bucket[0].last + slack < day:
                        bucket[:] = [q for q in bucket if q.last + slack >= day]
                    continue
                if bucket[0].last + slack < day or len(bucket) > 256:  # drop the past
                    bucket[:] = [q for q in bucket if q.last + slack >= day]
                for q in bucket:
                    if q.index in met or q.last + slack < day:
                        continue
                    met.add(q.index)
                    # a flat-earth distance with room to spare: pairs surely too far apart go
                    allowed = (radius + q.radius) * 1.1
                    dy = (q.lat - lat) * _M_PER_DEG
                    dx = (q.lon - lon) * shrink
                    if dx * dx + dy * dy > allowed * allowed * 1.1:
                        continue
                    yield (q.index, p.index) if q.index < p.index else (p.index, q.index)
            by_dataset.setdefault(own, []).append(p)
            for dataset in [d for d, b in by_dataset.items() if not b]:
                del by_dataset[dataset]
    if coarse:
        yield from _coarse_pairs(fine, coarse, slack, separate)
    if within is not None:
        yield from _shared_pairs(reports, separate)


def _shared_pairs(
    reports: Sequence[Prepared], separate: Callable[[str], bool]
) -> Iterator[tuple[int, int]]:
    """Reports of one ``separate`` dataset that share an id or a cited source."""
    by_key: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in reports:
        dataset = p.report.dataset
        if separate(dataset):
            for key in {f"id:{p.id}", *p.claims}:
                by_key[(dataset, key)].append(p.index)
    seen: set[tuple[int, int]] = set()
    for indexes in by_key.values():
        for x, i in enumerate(indexes):
            for j in indexes[x + 1 :]:
                pair = (i, j) if i < j else (j, i)
                if pair not in seen:
                    seen.add(pair)
                    yield pair


def _actor(p: Prepared) -> str:
    return p.perp.id or p.perp.text or ""


def _others(c: Prepared, datasets: Collection[str], separate: Callable[[str], bool]) -> list[str]:
    """The datasets whose reports ``c`` may meet."""
    own = c.report.dataset
    return [d for d in datasets if d != own] if separate(own) else list(datasets)


def _blocks(first: int, last: int) -> range:
    """The 31-day blocks a day range touches (for indexing long ranges)."""
    return range(first // 31, last // 31 + 1)


def _coarse_pairs(
    fine: Sequence[Prepared],
    coarse: Sequence[Prepared],
    slack: int,
    separate: Callable[[str], bool],
) -> Iterator[tuple[int, int]]:
    """Loosely placed or dated reports meet the reports of the same perpetrator and days,
    and every other loose report of their days (never their own ``separate`` dataset's:
    those meet by what they share)."""
    wanted: set[tuple[str, int]] = set()  # (perpetrator, day) some loose report asks for
    for c in coarse:
        if c.perp.known and c.last - c.first + 1 <= MAX_BUCKET_DAYS:
            wanted.update((_actor(c), d) for d in range(c.first - slack, c.last + slack + 1))
    Key = tuple[str, int, str]  # perpetrator, day or block, dataset
    by_actor_day: dict[Key, list[Prepared]] = defaultdict(list)
    long_by_block: dict[Key, list[Prepared]] = defaultdict(list)
    datasets = sorted({p.report.dataset for p in (*fine, *coarse)})
    for p in (*fine, *coarse):
        if not p.perp.known:
            continue
        ds = p.report.dataset
        if p.last - p.first + 1 <= MAX_BUCKET_DAYS:
            for day in range(p.first, p.last + 1):
                if (_actor(p), day) in wanted:
                    by_actor_day[(_actor(p), day, ds)].append(p)
        else:
            for block in _blocks(p.first, p.last):
                long_by_block[(_actor(p), block, ds)].append(p)
    fine_by_block: dict[Key, list[Prepared]] = defaultdict(list)
    if any(c.last - c.first + 1 > MAX_BUCKET_DAYS for c in coarse):
        for p in fine:
            if p.perp.known:
                fine_by_block[(_actor(p), p.first // 31, p.report.dataset)].append(p)
    loose_by_day: dict[tuple[int, str], list[Prepared]] = defaultdict(list)
    loose_long: dict[tuple[int, str], list[Prepared]] = defaultdict(list)
    for c in coarse:
        ds = c.report.dataset
        if c.last - c.first + 1 <= MAX_BUCKET_DAYS:
            for day in range(c.first, c.last + 1):
                loose_by_day[(day, ds)].append(c)
        else:
            for block in _blocks(c.first, c.last):
                loose_long[(block, ds)].append(c)
    for c in coarse:
        seen: set[int] = set()
        candidates: list[Prepared] = []
        short = c.last - c.first + 1 <= MAX_BUCKET_DAYS
        blocks = _blocks(c.first - slack, c.last + slack)
        days = range(c.first - slack, c.last + slack + 1)
        actor = _actor(c)
        for ds in _others(c, datasets, separate):
            if c.perp.known:
                if short:
                    for day in days:
                        candidates.extend(by_actor_day.get((actor, day, ds), ()))
                else:  # a long report meets every report of its perpetrator in its span
                    for block in blocks:
                        candidates.extend(fine_by_block.get((actor, block, ds), ()))
                for block in blocks:
                    candidates.extend(long_by_block.get((actor, block, ds), ()))
            for day in days:
                candidates.extend(loose_by_day.get((day, ds), ()))
            for block in blocks:
                candidates.extend(loose_long.get((block, ds), ()))
        for p in candidates:
            if p.index == c.index or p.index in seen:
                continue
            if max(c.first, p.first) - min(c.last, p.last) > slack:
                continue
            if _coarse(p) and p.index < c.index:
                continue  # a pair of loose reports is produced from its later member only
            seen.add(p.index)
            yield (min(c.index, p.index), max(c.index, p.index))
