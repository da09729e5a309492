"""Grades in Airwars' scale, from who reported an event and whether they agree.

Rules, first that applies (each configurable in ``GradingRules``, docs/fusion.md#grading):

1. **discounted** — a report was itself graded discounted by its source (investigated and
   found not to have happened, or not as reported).
2. **confirmed** — the perpetrator claims it (attribution ``claimed``).
3. **contested** — the reports name different perpetrators, or one denies the perpetrator
   another names.
4. **confirmed** — at least ``confirmed_min_independent`` independent origins, of which
   ``confirmed_min_credible`` of a credible class.
5. **fair** — at least ``fair_min_independent`` independent origins, of which
   ``fair_min_credible`` credible.
6. **weak** — a single origin, or only partisan or unknown ones.

An *origin* is whoever first reported it: a source's ``attributed_to`` names (split on
``;``) when given, else its publisher, else its document. Two articles of one wire, or a
dataset row and a monitor's post that both cite the Syrian Observatory, are one origin.
With ``respect_upstream_grades`` a grade never falls below the best grade (confirmed /
fair / weak) a report came with: its source may know more than its record shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ceasewatch.fusion.actors import actor_key, bloc_of
from ceasewatch.fusion.pairs import alias_table
from ceasewatch.fusion.report import Report
from ceasewatch.fusion.settings import DEFAULT_SETTINGS, FusionSettings
from ceasewatch.incidents.model import Confidence, Source

_RANK: Final[dict[str, int]] = {"weak": 1, "fair": 2, "confirmed": 3}


def _norm(name: str) -> str:
    text = " ".join(name.lower().replace("’", "'").split())
    return text.removeprefix("the ")


def origins(source: Source) -> set[str]:
    """Who first reported what ``source`` says (normalised names)."""
    if source.attributed_to:
        parts = {_norm(p) for p in source.attributed_to.split(";") if p.strip()}
        if parts:
            return parts
    if source.publisher:
        return {_norm(source.publisher)}
    return {_norm(source.document_id)}


def _count_origins(units: list[tuple[frozenset[str], bool]]) -> tuple[int, int, set[str]]:
    """Independent origins: units sharing a name are one. Returns (origins, credible
    origins, every name)."""
    parent = list(range(len(units)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, (tokens, _) in enumerate(units):
        for t in tokens:
            if t in owner:
                parent[find(i)] = find(owner[t])
            else:
                owner[t] = i
    roots = {find(i) for i in range(len(units))}
    credible = {find(i) for i, (_, c) in enumerate(units) if c}
    return len(roots), len(credible), set(owner)


def _same_battle(members: Sequence[Report], aliases: dict[str, str]) -> bool:
    """In a battle "perpetrator" is a convention: two reports naming the two sides the
    other way round do not conflict. True when every named perpetrator is a side (either
    end) in every report of a battle that names both sides."""
    if not all(r.incident.event_type == "Battles" for r in members):
        return False
    sides = []
    for r in members:
        perp = actor_key(r.incident.perpetrator, aliases).id
        target = actor_key(r.incident.target, aliases).id
        sides.append({x for x in (perp, target) if x is not None})
    perps = {actor_key(r.incident.perpetrator, aliases).id for r in members} - {None}
    return all(p in s for p in perps for s in sides if len(s) == 2)


def grade(
    members: Sequence[Report], settings: FusionSettings = DEFAULT_SETTINGS
) -> tuple[Confidence, tuple[str, ...]]:
    """The grade of an incident reported by ``members``, with the reasons for it."""
    rules = settings.grading
    if not members:
        return "ungraded", ("no reports",)
    aliases = alias_table(settings.actor_aliases)

    units: list[tuple[frozenset[str], bool]] = []
    for r in members:
        is_credible = r.source_class in rules.credible_classes
        by_document: dict[str, set[str]] = {}
        for s in r.incident.sources:
            by_document.setdefault(s.document_id, set()).update(origins(s))
        if not by_document:
            by_document[r.incident.id] = {_norm(f"{r.dataset}:{r.incident.id}")}
        for tokens in by_document.values():
            if r.source_class == "dataset":  # a dataset row lists the reports it drew on
                units.extend((frozenset({t}), is_credible) for t in tokens)
            else:  # a document counts once, however many it quotes
                units.append((frozenset(tokens), is_credible))
    independent, n_credible, every = _count_origins(units)
    tally = (
        f"{independent} independent origin{'s' if independent != 1 else ''} "
        f"({', '.join(sorted(every))}), {n_credible} of a credible class"
    )

    upstream = [(r.incident.confidence, r.id) for r in members]
    if rules.discount_when_member_discounted:
        for conf, rid in upstream:
            if conf == "discounted":
                return "discounted", (f"discounted: {rid} was graded discounted by its source",)

    claims = [r for r in members if r.incident.perpetrator.attribution == "claimed"]
    if rules.confirmed_when_claimed and claims:
        who = actor_key(claims[0].incident.perpetrator, aliases).label()
        return "confirmed", (
            f"confirmed: the perpetrator ({who}) claims it, per {claims[0].id}; {tally}",
        )

    named: dict[str, str] = {}
    for r in members:
        key = actor_key(r.incident.perpetrator, aliases)
        if key.id is not None:
            named.setdefault(key.id, r.id)
    if len(named) > 1 and _same_battle(members, aliases):
        named = dict(sorted(named.items())[:1])
    if rules.contest_on_conflicting_perpetrators and len(named) > 1:
        blocs = {bloc_of(a, settings.blocs) for a in named}
        one_bloc = len(blocs) == 1 and None not in blocs
        if rules.contest_within_bloc or not one_bloc:
            listed = "; ".join(f"{a} by {rid}" for a, rid in sorted(named.items()))
            return "contested", (f"contested: the reports name different perpetrators ({listed})",)
    if rules.contest_on_denial:
        for r in members:
            denied = sorted(set(r.denies) & set(named))
            if denied:
                return "contested", (
                    f"contested: {r.id} denies that {', '.join(denied)} did it, "
                    f"which {named[denied[0]]} reports",
                )

    computed: Confidence = "weak"
    if (
        rules.confirmed_min_independent is not None
        and independent >= rules.confirmed_min_independent
        and n_credible >= rules.confirmed_min_credible
    ):
        computed = "confirmed"
    elif independent >= rules.fair_min_independent and n_credible >= rules.fair_min_credible:
        computed = "fair"
    reasons = [f"{computed}: {tally}"]
    if rules.respect_upstream_grades:
        best = max(
            ((conf, rid) for conf, rid in upstream if conf in _RANK),
            key=lambda x: _RANK[x[0]],
            default=None,
        )
        if best is not None and _RANK[best[0]] > _RANK[computed]:
            reasons.append(f"{best[0]}: kept the grade {best[1]} came with (its source's own)")
            computed = best[0]
    return computed, tuple(reasons)
