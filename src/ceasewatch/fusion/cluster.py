"""Joining reports into clusters: strongest evidence first, never against a constraint.

Edges (pairs that passed the rules with a score at or above the threshold) are taken in
order of score, strongest first (ties by the reports' ids, so the input order never
matters). Once a cluster holds several reports, an edge to it stands for the mean score
over every pair between the two clusters (average linkage; a pair the rules block counts
0): it joins them only while that mean reaches the threshold, and waits its turn at the
mean. When another cluster fits one side as well (within ``ambiguity_margin``) and the
two cannot both join it (two rows of one dataset: which of two same-day clashes in one
town did the wire report?), neither is joined: an ambiguous match is left apart, and the
reasons say so. An edge joins its two clusters unless that would put together

* two reports the caller asked to keep apart (``keep_apart``), or
* two rows of one deduplicated dataset: reports of the same dataset count as one row only
  when they share an id or a cited source (same document and passage: a re-import);
  otherwise the dataset itself says they are two events (``merge_within_datasets`` lifts
  this per dataset). A record citing ``ucdp-ged:301214`` stands for that row of the
  dataset whose records all cite ``ucdp-ged:`` documents (``dataset_namespaces``).

So where several reports compete for one, the best-matched pair wins and the others stay
apart. A cluster may hold reports joined through a third (a chain); its reasons say so.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from ceasewatch.fusion.pairs import Evidence, Prepared


@dataclass(slots=True)
class _Group:
    members: list[int]
    ids: set[str]
    rows: dict[str, set[str]]  # dataset -> ids and source documents of its rows here
    edges: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # how members came together
    apart: list[tuple[float, str, str, str]] = field(default_factory=list)
    """Pairs not joined: (score, id, id, why), the strongest few (``KEEP_APART_NOTES``)."""
    apart_more: int = 0  # how many more were not joined


def _namespace(claim: str) -> str | None:
    return claim.split(":", 1)[0] if ":" in claim else None


def dataset_namespaces(reports: Sequence[Prepared]) -> dict[str, str]:
    """Document-id namespaces that belong to a dataset: the namespace every report of a
    dataset of class ``dataset`` uses for its sources (UCDP rows cite ``ucdp-ged:<id>``).
    Returns namespace -> dataset."""
    common: dict[str, set[str]] = {}
    for p in reports:
        spaces = {ns for c in p.claims if (ns := _namespace(c)) is not None}
        if p.report.source_class != "dataset":
            spaces = set()
        dataset = p.report.dataset
        common[dataset] = common[dataset] & spaces if dataset in common else spaces
    return {ns: dataset for dataset, spaces in common.items() for ns in spaces}


def row_keys(p: Prepared, namespaces: Mapping[str, str]) -> dict[str, set[str]]:
    """Which rows of which datasets a report stands for: its own (by id, and by each
    source it cites), plus a row of another dataset for each source it cites from that
    dataset's namespace (a record that folds in UCDP row 301214 stands for that row)."""
    own = {f"id:{p.id}", *p.claims}
    rows: dict[str, set[str]] = {p.report.dataset: own}
    for claim in p.claims:
        ns = _namespace(claim)
        dataset = namespaces.get(ns) if ns is not None else None
        if dataset is not None and dataset != p.report.dataset:
            rows.setdefault(dataset, set()).add(claim)
    return rows


#: How many pairs left apart a cluster's reasons name (the strongest first).
KEEP_APART_NOTES = 5


def _note_apart(g: _Group, item: tuple[float, str, str, str]) -> None:
    g.apart.append(item)
    if len(g.apart) > KEEP_APART_NOTES:
        g.apart.sort(key=lambda x: (-x[0], x[1], x[2]))
        g.apart.pop()
        g.apart_more += 1


def _apart_sentences(g: _Group) -> tuple[str, ...]:
    items = sorted(g.apart, key=lambda x: (-x[0], x[1], x[2]))
    out = [f"{a} not joined with {b} (score {score:.2f}): {why}" for score, a, b, why in items]
    if g.apart_more:
        out.append(f"... and {g.apart_more} more pairs not joined")
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Grouping:
    """Clusters as lists of report indexes, with the edges and notes that formed them and
    the pairs left apart."""

    members: tuple[tuple[int, ...], ...]
    edges: tuple[tuple[Evidence, ...], ...]
    notes: tuple[tuple[str, ...], ...]
    apart: tuple[tuple[str, ...], ...]
    """Sentences on the strongest pairs left apart, then how many more there were."""


def group(
    reports: Sequence[Prepared],
    edges: Sequence[Evidence],
    *,
    keep_apart: Collection[frozenset[str]],
    merge_within: Collection[str],
    score: Callable[[int, int], float],
    threshold: float,
    margin: float,
) -> Grouping:
    """Cluster ``reports`` along ``edges`` (pairs at or above ``threshold``): average
    linkage, strongest first; ``score(i, j)`` scores any other pair of report indexes
    (0 for a pair the rules block)."""
    parent = list(range(len(reports)))
    namespaces = dataset_namespaces(reports)
    by_index = {p.index: p for p in reports}

    class _Groups(dict[int, _Group]):
        """Clusters by root index, made when first asked for: a report no edge touches
        never needs one."""

        def __missing__(self, i: int) -> _Group:
            p = by_index[i]
            g = self[i] = _Group([i], {p.id}, row_keys(p, namespaces))
            return g

    groups = _Groups()
    apart: dict[str, set[str]] = {}
    for pair in keep_apart:
        ids = sorted(pair)
        for x in ids:
            apart.setdefault(x, set()).update(y for y in ids if y != x)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def conflict(ga: _Group, gb: _Group) -> str | None:
        for x in ga.ids:
            hit = apart.get(x, set()) & gb.ids
            if hit and x not in gb.ids:
                return f"kept apart as asked: {x} and {min(hit)}"
        for dataset, rows in ga.rows.items():
            other = gb.rows.get(dataset)
            if other is not None and dataset not in merge_within and not rows & other:
                return f"two different rows of dataset {dataset!r} are two events"
        return None

    def join(ra: int, rb: int, evidence: Evidence | None) -> None:
        ga, gb = groups[ra], groups[rb]
        if len(ga.members) < len(gb.members):
            ra, rb, ga, gb = rb, ra, gb, ga
        parent[rb] = ra
        ga.members.extend(gb.members)
        ga.ids |= gb.ids
        for dataset, rows in gb.rows.items():
            ga.rows.setdefault(dataset, set()).update(rows)
        ga.edges.extend(gb.edges)
        ga.notes.extend(gb.notes)
        ga.apart_more += gb.apart_more
        for item in gb.apart:
            _note_apart(ga, item)
        if evidence is not None:
            ga.edges.append(evidence)
        del groups[rb]

    # the same record given twice is one report, whatever else is asked
    first_of: dict[str, int] = {}
    for p in sorted(reports, key=lambda p: p.index):
        if p.id in first_of:
            ra, rb = find(first_of[p.id]), find(p.index)
            if ra != rb:
                join(ra, rb, None)
                groups[find(ra)].notes.append(f"{p.id} was given more than once: one report")
        else:
            first_of[p.id] = p.index

    cache: dict[tuple[int, int], float] = {}
    for e in edges:
        cache[(min(e.a.index, e.b.index), max(e.a.index, e.b.index))] = e.score

    def linkage(ga: _Group, gb: _Group) -> float:
        total = 0.0
        for x in ga.members:
            for y in gb.members:
                key = (x, y) if x < y else (y, x)
                if key not in cache:
                    cache[key] = score(x, y)
                total += cache[key]
        return total / (len(ga.members) * len(gb.members))

    neighbours: dict[int, list[int]] = {}
    for e in edges:
        neighbours.setdefault(e.a.index, []).append(e.b.index)
        neighbours.setdefault(e.b.index, []).append(e.a.index)

    def rival(side: _Group, other: _Group, mean: float) -> tuple[_Group, float] | None:
        """Another cluster ``side`` could join instead of ``other`` (not both: they hold
        different rows of one dataset) about as well, within ``margin``."""
        ra, rb = find(side.members[0]), find(other.members[0])
        seen = {ra, rb}
        for x in side.members:
            for j in neighbours.get(x, ()):
                rc = find(j)
                if rc in seen:
                    continue
                seen.add(rc)
                gc = groups[rc]
                if conflict(gc, other) is None or conflict(side, gc) is not None:
                    continue
                alt = linkage(side, gc)
                if alt >= mean - margin:
                    return gc, alt
        return None

    heap = [(-e.score, e.a.id, e.b.id, e.a.index, e.b.index, k) for k, e in enumerate(edges)]
    heapq.heapify(heap)
    while heap:
        neg, ida, idb, i, j, k = heapq.heappop(heap)
        ra, rb = find(i), find(j)
        if ra == rb:
            continue
        ga, gb = groups[ra], groups[rb]
        mean = linkage(ga, gb) if len(ga.members) * len(gb.members) > 1 else -neg
        if mean < -neg - 1e-9:  # the clusters grew since: this edge now stands for less
            if mean >= threshold:
                heapq.heappush(heap, (-mean, ida, idb, i, j, k))
            continue
        e = edges[k]
        why = conflict(ga, gb)
        if why is not None:
            for g in (ga, gb):
                _note_apart(g, (e.score, e.a.id, e.b.id, why))
            continue
        if margin > 0:
            found = rival(ga, gb, mean) or rival(gb, ga, mean)
            if found is not None:
                gc, alt = found
                why = (
                    f"ambiguous, {', '.join(sorted(gc.ids))} fits as well ({alt:.2f}) "
                    "and both cannot be"
                )
                for g in (ga, gb):
                    _note_apart(g, (mean, e.a.id, e.b.id, why))
                continue
        if len(ga.members) * len(gb.members) > 1:
            inside = ", ".join(sorted(ga.ids)) + " with " + ", ".join(sorted(gb.ids))
            ga.notes.append(f"joined {inside}: mean score {mean:.2f} over every pair between them")
        join(ra, rb, e)

    # clusters in the order of their first member; a report no edge touched is alone
    made = {min(g.members): g for g in groups.values()}
    alone = [p.index for p in reports if p.index not in groups and find(p.index) == p.index]
    firsts = sorted([*made, *alone])
    empty: tuple[str, ...] = ()
    return Grouping(
        members=tuple(tuple(sorted(made[i].members)) if i in made else (i,) for i in firsts),
        edges=tuple(tuple(made[i].edges) if i in made else () for i in firsts),
        notes=tuple(tuple(made[i].notes) if i in made else empty for i in firsts),
        apart=tuple(_apart_sentences(made[i]) if i in made else empty for i in firsts),
    )
