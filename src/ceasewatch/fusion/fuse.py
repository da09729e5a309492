"""``fuse``: reports in, one cluster per real event out (pure: no I/O, no clock)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import replace

from ceasewatch.fusion.blocking import candidate_pairs
from ceasewatch.fusion.cluster import group
from ceasewatch.fusion.grading import grade
from ceasewatch.fusion.merge import merge_incident
from ceasewatch.fusion.pairs import Evidence, alias_table, evaluate_pair, prepare
from ceasewatch.fusion.report import Cluster, Report
from ceasewatch.fusion.settings import DEFAULT_SETTINGS, FusionSettings


def fuse(
    reports: Sequence[Report],
    *,
    keep_apart: Collection[frozenset[str]] = (),
    settings: FusionSettings = DEFAULT_SETTINGS,
) -> list[Cluster]:
    """Fold the reports of one real event into one incident, for every event.

    Clusters come in the order of their first member; a cluster's incident has the id of
    its first member (input order), every member's sources, tolls as ranges, and the
    grade of ``grade``; ``reasons`` say why each member was joined (one sentence per
    link), what was kept apart and why, what the sources disagree on, and the grade.
    A single report is its own cluster, its incident unchanged but for an ungraded
    confidence, which is graded.
    """
    aliases = alias_table(settings.actor_aliases)
    prepared = [prepare(i, r, settings, aliases) for i, r in enumerate(reports)]
    edges: list[Evidence] = []
    within = settings.merge_within_datasets
    for i, j in candidate_pairs(prepared, settings.max_date_slack_days, within):
        a, b = prepared[i], prepared[j]
        if a.report.dataset == b.report.dataset and a.report.dataset not in within:
            if a.id != b.id and not set(a.claims).intersection(b.claims):
                continue  # two rows of one dataset: never one event, no need to score
        result = evaluate_pair(a, b, settings)
        if isinstance(result, Evidence) and result.score >= settings.threshold:
            edges.append(result)

    def score(i: int, j: int) -> float:
        result = evaluate_pair(prepared[i], prepared[j], settings, within_cluster=True)
        return result.score if isinstance(result, Evidence) else 0.0

    grouping = group(
        prepared,
        edges,
        keep_apart=keep_apart,
        merge_within=settings.merge_within_datasets,
        score=score,
        threshold=settings.threshold,
        margin=settings.ambiguity_margin,
    )
    clusters: list[Cluster] = []
    for members, links, joined, apart in zip(
        grouping.members, grouping.edges, grouping.notes, grouping.apart, strict=True
    ):
        parts = [prepared[i] for i in members]
        notes: list[str] = []
        incident = merge_incident(parts, settings, notes)
        reasons = [e.sentence() for e in sorted(links, key=lambda e: (-e.score, e.a.id, e.b.id))]
        reasons.extend(joined)
        reasons.extend(notes)
        reasons.extend(apart)
        if len(parts) > 1 or incident.confidence == "ungraded":
            confidence, why = grade([p.report for p in parts], settings)
            incident = replace(incident, confidence=confidence)
            reasons.extend(why)
        ids: list[str] = []
        for p in parts:
            if p.id not in ids:
                ids.append(p.id)
        clusters.append(Cluster(incident=incident, members=tuple(ids), reasons=tuple(reasons)))
    return clusters
