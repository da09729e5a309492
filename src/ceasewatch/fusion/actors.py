"""Who did it, as a comparable key: an actor id, else the alias table's id for the text,
else the text itself (normalised), else unknown.

Two reports' perpetrators are *the same*, *unknown* on one side, in *one bloc*, or in
*conflict*. Texts that resolve to no id are in different vocabularies more often than
they name different actors, so two unresolved, different texts count as unknown, not as
a conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from ceasewatch.incidents.model import Perpetrator, Target

ActorMatch = Literal["same", "reversed", "unknown", "bloc", "conflict"]

#: Score of each kind of actor agreement in a pair (``conflict`` blocks the pair).
ACTOR_SCORES: Final[dict[str, float]] = {
    "same": 1.0,
    "reversed": 1.0,
    "unknown": 0.6,
    "bloc": 0.5,
}


@dataclass(frozen=True, slots=True)
class ActorKey:
    """An actor as fusion compares it: ``id`` when resolved, else ``text`` (normalised)."""

    id: str | None
    text: str | None

    @property
    def known(self) -> bool:
        return self.id is not None or self.text is not None

    def label(self) -> str:
        return self.id or (f"'{self.text}'" if self.text else "unknown")


UNKNOWN: Final = ActorKey(None, None)


def actor_key(who: Perpetrator | Target | None, aliases: Mapping[str, str]) -> ActorKey:
    """The comparable key of a perpetrator or target."""
    if who is None:
        return UNKNOWN
    if who.actor:
        return ActorKey(who.actor, None)
    if who.text:
        text = " ".join(who.text.lower().split())
        resolved = aliases.get(text)
        return ActorKey(resolved, None) if resolved else ActorKey(None, text)
    return UNKNOWN


def bloc_of(actor: str, blocs: Mapping[str, frozenset[str]]) -> str | None:
    """The first bloc (by name) an actor belongs to, or None."""
    for name in sorted(blocs):
        if actor in blocs[name]:
            return name
    return None


def _relate(a: ActorKey, b: ActorKey, blocs: Mapping[str, frozenset[str]]) -> ActorMatch:
    if a.id and b.id:
        if a.id == b.id:
            return "same"
        if a.id in blocs or b.id in blocs:  # a bloc named as perpetrator covers its members
            bloc, member = (a.id, b.id) if a.id in blocs else (b.id, a.id)
            if member in blocs[bloc]:
                return "bloc"
        ba, bb = bloc_of(a.id, blocs), bloc_of(b.id, blocs)
        return "bloc" if ba is not None and ba == bb else "conflict"
    if a.text and b.text and a.text == b.text:
        return "same"
    return "unknown"


def relate_actors(
    perp_a: ActorKey,
    target_a: ActorKey,
    perp_b: ActorKey,
    target_b: ActorKey,
    blocs: Mapping[str, frozenset[str]],
    *,
    sides: bool,
) -> ActorMatch:
    """How two reports' perpetrators agree. With ``sides`` (battles, where which side is
    "actor 1" is a convention), perpetrator and target may be swapped."""
    direct = _relate(perp_a, perp_b, blocs)
    if direct in ("same", "bloc") or not sides:
        return direct
    cross = (_relate(perp_a, target_b, blocs), _relate(perp_b, target_a, blocs))
    if "same" in cross and "conflict" not in cross:
        return "reversed"
    return direct
