"""How re-fused clusters are named (store/refusion.py): every cluster gets an id of its
own reports, a stored incident's id is kept wherever one of its reports went (an edited
one's first), and every retired id has a cluster to resolve to."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ceasewatch.store.imports import FusedCluster
from ceasewatch.store.refusion import names


class _Inc:
    def __init__(self, id: str) -> None:
        self.id = id


def _cluster(members: list[str]) -> FusedCluster:
    return FusedCluster(_Inc(members[0]), tuple(members), ())  # type: ignore[arg-type]


@st.composite
def windows(draw: st.DrawFn) -> tuple[list[list[str]], dict[str, str | None], set[str]]:
    """Reports r0..rn in old incidents (each named by one of its reports; a report may be
    pending: in none), partitioned anew into clusters; some old incidents edited."""
    n = draw(st.integers(1, 12))
    reports = [f"r{k}" for k in range(n)]

    def partition() -> list[list[str]]:
        labels = draw(st.lists(st.integers(0, n - 1), min_size=n, max_size=n))
        groups: dict[int, list[str]] = {}
        for r, label in zip(reports, labels, strict=True):
            groups.setdefault(label, []).append(r)
        return list(groups.values())

    current: dict[str, str | None] = {}
    for group in partition():
        head = draw(st.sampled_from(group))
        for r in group:
            current[r] = None if r != head and draw(st.integers(0, 5)) == 0 else head
    heads = {h for h in current.values() if h is not None}
    edited = {h for h in heads if draw(st.booleans())}
    return partition(), current, edited


@given(windows())
def test_names_are_members_unique_and_keep_stored_ids(
    window: tuple[list[list[str]], dict[str, str | None], set[str]],
) -> None:
    groups, current, edited = window
    clusters = [_cluster(g) for g in groups]
    old_heads = {h for h in current.values() if h is not None}
    named, successor = names(clusters, old_heads, edited, current)
    assert len(set(named)) == len(named)
    for c, name in zip(clusters, named, strict=True):
        assert name in c.members
        heads = [m for m in c.members if m in old_heads]
        if heads:
            assert name in heads, "a stored incident's id is kept"
            if any(h in edited for h in heads):
                assert name in edited, "an edited incident's id first"
    retired = old_heads - set(named)
    assert set(successor) == {h for h in retired if any(v == h for v in current.values())}
    for head, k in successor.items():
        if any(head in c.members for c in clusters):
            assert head in clusters[k].members, "a retired id resolves through its report"
