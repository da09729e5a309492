"""Joining reports into clusters: strongest evidence first, never against a constraint.

Edges (pairs that passed the rules with a score at or above the threshold) are taken in
order of score, strongest first (ties by the reports' ids, so the input order never
matters). An edge joins its two clusters unless that would put together

* two reports the caller asked to keep apart (``keep_apart``), or
* two rows of one deduplicated dataset: reports of the same dataset count as one row only
  when they share an id or a cited source (same document and passage: a re-import);
  otherwise the dataset itself says they are two events (``merge_within_datasets`` lifts
  this per dataset). A record citing ``ucdp-ged:301214`` stands for that row of
  ``ucdp-ged`` too, when ``ucdp-ged`` is one of the input's datasets.

So where several reports compete for one, the best-matched pair wins and the others stay
apart. A cluster may hold reports joined through a third (a chain); its reasons say so.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from ceasewatch.fusion.pairs import Evidence, Prepared


@dataclass(slots=True)
class _Group:
    members: list[int]
    ids: set[str]
    rows: dict[str, set[str]]  # dataset -> ids and source documents of its rows here
    edges: list[Evidence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def row_keys(p: Prepared, datasets: Collection[str]) -> dict[str, set[str]]:
    """Which rows of which datasets a report stands for: its own (by id, and by each
    source it cites), plus any cited source whose document id is ``<dataset>:<row>`` for a
    dataset among the input's (a record that folds in a UCDP row stands for that row)."""
    own = {f"id:{p.id}", *p.claims}
    rows: dict[str, set[str]] = {p.report.dataset: own}
    for claim in p.claims:
        namespace = claim.split(":", 1)[0]
        if namespace != p.report.dataset and namespace in datasets:
            rows.setdefault(namespace, set()).add(claim)
    return rows


@dataclass(frozen=True, slots=True)
class Grouping:
    """Clusters as lists of report indexes, with the edges and notes that formed them."""

    members: tuple[tuple[int, ...], ...]
    edges: tuple[tuple[Evidence, ...], ...]
    notes: tuple[tuple[str, ...], ...]


def group(
    reports: Sequence[Prepared],
    edges: Sequence[Evidence],
    *,
    keep_apart: Collection[frozenset[str]],
    merge_within: Collection[str],
) -> Grouping:
    parent = list(range(len(reports)))
    datasets = {p.report.dataset for p in reports}
    groups: dict[int, _Group] = {
        p.index: _Group([p.index], {p.id}, row_keys(p, datasets)) for p in reports
    }
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

    for e in sorted(edges, key=lambda e: (-e.score, e.a.id, e.b.id, e.a.index, e.b.index)):
        ra, rb = find(e.a.index), find(e.b.index)
        if ra == rb:
            continue
        why = conflict(groups[ra], groups[rb])
        if why is not None:
            note = f"{e.a.id} not joined with {e.b.id} (score {e.score:.2f}): {why}"
            groups[ra].notes.append(note)
            groups[rb].notes.append(note)
            continue
        join(ra, rb, e)

    ordered = sorted(groups.values(), key=lambda g: min(g.members))
    return Grouping(
        members=tuple(tuple(sorted(g.members)) for g in ordered),
        edges=tuple(tuple(g.edges) for g in ordered),
        notes=tuple(tuple(g.notes) for g in ordered),
    )
