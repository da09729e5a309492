"""Which event types, methods and actors may describe one event (docs/fusion.md#pair-rules).

Feeds code the same event in different words: UCDP's one-sided violence by air is ACLED's
air strike; a state-based UCDP event is a clash or a bombardment. ``event_affinity`` says
how close two (event type, sub-event type) pairs are: 1.0 the same, ``CLOSE`` words for the
same kind of event, ``RELATED`` plausibly the same, ``None`` never (a riot is not a battle).

>>> event_affinity("Violence against civilians", "Attack", "Explosions/Remote violence", "Air/drone strike")
0.8
>>> event_affinity("Riots", "Mob violence", "Battles", "Armed clash") is None
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Final

SAME: Final = 1.0
CLOSE: Final = 0.8
RELATED: Final = 0.6

_REMOTE: Final = "Explosions/Remote violence"
_BATTLES: Final = "Battles"
_VAC: Final = "Violence against civilians"
_RIOTS: Final = "Riots"
_SD: Final = "Strategic developments"

#: Sub-event types of remote violence that sources mix up, in two families.
_STANDOFF: Final = frozenset(
    {"Air/drone strike", "Shelling/artillery/missile attack", "Chemical weapon"}
)
_PLANTED: Final = frozenset({"Suicide bomb", "Remote explosive/landmine/IED", "Grenade"})
_TERRITORY: Final = frozenset(
    {"Government regains territory", "Non-state actor overtakes territory"}
)

#: Across event types: ((event, sub or "*"), (event, sub or "*")) -> affinity. Symmetric.
CROSS_TYPES: Final[dict[tuple[tuple[str, str], tuple[str, str]], float]] = {
    # one-sided violence by remote means: UCDP type 3 vs ACLED's remote violence
    ((_VAC, "Attack"), (_REMOTE, "*")): CLOSE,
    # UCDP state-based and non-state violence cover fighting and bombardment alike
    ((_BATTLES, "*"), (_REMOTE, "*")): RELATED,
    ((_VAC, "Attack"), (_BATTLES, "*")): RELATED,
    ((_VAC, "Attack"), (_RIOTS, "Mob violence")): RELATED,
    ((_VAC, "Attack"), (_SD, "Looting/property destruction")): RELATED,
    ((_BATTLES, "Government regains territory"), (_SD, "Non-violent transfer of territory")): CLOSE,
    (
        (_BATTLES, "Non-state actor overtakes territory"),
        (_SD, "Non-violent transfer of territory"),
    ): CLOSE,
    ((_REMOTE, "*"), (_SD, "Disrupted weapons use")): RELATED,
}


def _within(event: str, a: str, b: str) -> float:
    if event == _REMOTE:
        same_family = (a in _STANDOFF and b in _STANDOFF) or (a in _PLANTED and b in _PLANTED)
        return CLOSE if same_family else RELATED
    if event == _BATTLES:
        return CLOSE
    if event == _RIOTS:
        return CLOSE
    return RELATED  # violence against civilians, strategic developments


@lru_cache(maxsize=4096)
def event_affinity(event_a: str, sub_a: str, event_b: str, sub_b: str) -> float | None:
    """How likely two codings describe one event: 1.0, ``CLOSE``, ``RELATED`` or None."""
    if event_a == event_b:
        return SAME if sub_a == sub_b else _within(event_a, sub_a, sub_b)
    for (x, y), value in CROSS_TYPES.items():
        for (ea, sa), (eb, sb) in (
            ((event_a, sub_a), (event_b, sub_b)),
            ((event_b, sub_b), (event_a, sub_a)),
        ):
            if ea == x[0] and eb == y[0] and x[1] in ("*", sa) and y[1] in ("*", sb):
                return value
    return None


#: Method families: methods in one family are easily confused by sources.
METHOD_FAMILIES: Final[dict[str, str]] = {
    "airstrike": "air",
    "barrel_bomb": "air",
    "shelling": "indirect",
    "missile": "indirect",
    "chemical": "chemical",
    "suicide_bombing": "explosive",
    "car_bomb": "explosive",
    "ied": "explosive",
    "grenade": "explosive",
    "gunfire": "small_arms",
    "sniper": "small_arms",
    "execution": "small_arms",
    "abduction": "abduction",
    "siege": "siege",
    "looting": "looting",
    "other": "other",
}

#: Families that go together: bombs from the air and from guns are confused, and chemicals
#: come by either.
_NEAR_FAMILIES: Final = frozenset(
    {
        frozenset({"air", "indirect"}),
        frozenset({"chemical", "air"}),
        frozenset({"chemical", "indirect"}),
    }
)


@lru_cache(maxsize=4096)
def method_affinity(a: tuple[str, ...], b: tuple[str, ...]) -> float | None:
    """1.0 when the methods overlap, 0.8 for one family or near families, 0.4 when they
    differ, None when either side gives none (or only ``other``): no evidence either way.

    >>> method_affinity(("airstrike",), ("barrel_bomb",)), method_affinity(("ied",), ("airstrike",))
    (0.8, 0.4)
    """
    sa = {m for m in a if m != "other"}
    sb = {m for m in b if m != "other"}
    if not sa or not sb:
        return None
    if sa & sb:
        return 1.0
    fa = {METHOD_FAMILIES.get(m, "other") for m in sa}
    fb = {METHOD_FAMILIES.get(m, "other") for m in sb}
    if fa & fb or any(frozenset({x, y}) in _NEAR_FAMILIES for x in fa for y in fb):
        return 0.8
    return 0.4
