"""Event type and method from keywords in a record's short texts (UCDP source headlines,
a monitor's one-line description). The text is only searched, never copied: the incident
gets a vocabulary value, and the rule that fired is recorded in docs/import.md's tables.

The rules are the ones the bundled ``syria-2016`` incidents were built with
(``tools/build_syria_2016_incidents.py`` reads them from here).
"""

from __future__ import annotations

import re
from typing import Final

import ahocorasick_rs

from ceasewatch.incidents.model import Method

EXPLOSIONS: Final = "Explosions/Remote violence"

#: Keyword rules, first match wins:
#: (rule, regex, event type or None to keep, sub-event type or None to keep, methods).
RULES: Final[list[tuple[str, str, str | None, str | None, tuple[Method, ...]]]] = [
    ("chemical", r"chlorine|chemical|toxic gas|poison\w* gas", EXPLOSIONS, "Chemical weapon",
     ("chemical",)),
    ("suicide", r"suicide", EXPLOSIONS, "Suicide bomb", ("suicide_bombing",)),
    ("car bomb", r"car[- ]bomb\w*|booby[- ]trapped (?:vehicle|car|truck)|vbied", EXPLOSIONS,
     "Remote explosive/landmine/IED", ("car_bomb",)),
    ("barrel bomb", r"barrel", EXPLOSIONS, "Air/drone strike", ("barrel_bomb",)),
    ("air strike", r"air[- ]?strikes?|air[- ]?raids?|warplanes?|war planes?|jets?|"
     r"helicopters?|aerial|aircraft|air force", EXPLOSIONS, "Air/drone strike", ("airstrike",)),
    ("missile", r"missiles?|rockets?", EXPLOSIONS, "Shelling/artillery/missile attack",
     ("missile",)),
    ("shelling", r"shell(?:s|ing|ed)?|mortars?|artillery|bombardment|cannons?", EXPLOSIONS,
     "Shelling/artillery/missile attack", ("shelling",)),
    ("ied", r"ieds?|improvised explosive|explosive devices?|roadside bombs?", EXPLOSIONS,
     "Remote explosive/landmine/IED", ("ied",)),
    ("explosion", r"explosions?|explodes?|exploded|detonat\w*|land ?mines?|mines?|"
     r"booby[- ]trap\w*", EXPLOSIONS, "Remote explosive/landmine/IED", ()),
    ("sniper", r"snipers?|sniping", None, None, ("sniper",)),
    ("execution", r"execut\w*", "Violence against civilians", "Attack", ("execution",)),
]  # fmt: skip

#: Rules that describe an attack from the air apply only when the perpetrator has an air
#: force (a headline about air strikes elsewhere must not turn a ground fight into one).
AIR_RULES: Final = frozenset({"barrel bomb", "air strike"})
AIR_FORCES: Final = frozenset({"sy-gov", "ru", "us-coalition", "turkey", "israel", "iraq"})
#: Rules for one-sided violence only: in a battle, an execution is usually another event.
ONE_SIDED_RULES: Final = frozenset({"execution"})

#: Words that say there was fighting: a battle whose text has any of them stays a battle.
CLASH_WORDS: Final = (
    r"clash\w*|battles?|fighting|fights?|fought|advanc\w*|offensive|storm\w*|control\w*|"
    r"regain\w*|captur\w*|seiz\w*|ambush\w*|exchange of fire|engagements?"
)

#: Literal pieces one of which a rule's pattern needs (lower case): a text holding none of
#: them cannot match, so the regex is not run (the pattern alone decides a match).
HINTS: Final[dict[str, tuple[str, ...]]] = {
    "chemical": ("chlorine", "chemical", "toxic", "poison"),
    "suicide": ("suicide",),
    "car bomb": ("car", "booby", "vbied"),
    "barrel bomb": ("barrel",),
    "air strike": ("air", "plane", "jet", "helicopter", "aerial", "aircraft"),
    "missile": ("missile", "rocket"),
    "shelling": ("shell", "mortar", "artillery", "bombardment", "cannon"),
    "ied": ("ied", "improvised", "explosive", "roadside"),
    "explosion": ("explo", "detonat", "mine", "booby"),
    "sniper": ("snip",),
    "execution": ("execut",),
}
#: Literal pieces that every match of a rule's pattern begins with (lower case; each
#: alternative of the pattern starts with one of them: tests/ingest/test_keywords.py
#: checks it). On a lowered text the pattern is tried only where one of them stands.
STARTS: Final[dict[str, tuple[str, ...]]] = {
    **{rule: HINTS[rule] for rule in HINTS},
    "air strike": ("air", "warplane", "war plane", "jet", "helicopter", "aerial", "aircraft"),
    "explosion": ("explo", "detonat", "land", "mine", "booby"),
}
_COMPILED: Final = [
    (
        rule,
        1 << k,
        re.compile(rf"\b(?:{pattern})\b", re.I),
        re.compile(rf"\b(?:{pattern})\b"),
        event,
        sub,
        methods,
        rule in AIR_RULES,
        rule in ONE_SIDED_RULES,
    )
    for k, (rule, pattern, event, sub, methods) in enumerate(RULES)
]
_CLASH: Final = re.compile(rf"\b(?:{CLASH_WORDS})\b", re.I)
_CLASH_LOWER: Final = re.compile(rf"\b(?:{CLASH_WORDS})\b")
_CLASH_HINTS: Final = (
    "clash", "battle", "fight", "fought", "advanc", "offensive", "storm", "control", "regain",
    "captur", "seiz", "ambush", "exchange of fire", "engagement",
)  # fmt: skip
# the patterns are lower case (no \W, \B, \S or \D), so that ``_plain`` holds
assert all(p == p.lower() for _, p, *_ in RULES) and CLASH_WORDS == CLASH_WORDS.lower()

#: Characters other than ASCII that have no case (dashes, quotes, bullets): see ``_plain``.
_CASED: Final = re.compile(r"[^\x00-\x7f\u2010-\u2027]")


def _plain(text: str) -> bool:
    """True when ``text`` holds only ASCII and characters without case: lowering it then
    changes ASCII letters alone, one for one, so a lower-case pattern matches its lowered
    form exactly where the pattern with ``re.I`` matches ``text`` (and ``re.I``, several
    times slower, is only needed for other texts).

    >>> _plain("Clashes in Ma’arrat al-Nu’man"), _plain("Clashes in Ḥalab")
    (True, False)
    """
    return text.isascii() or _CASED.search(text) is None


#: Bit of the clash words in a mask (rule k of ``RULES`` has bit ``1 << k``).
_CLASH_BIT: Final = 1 << len(RULES)


def _automaton() -> tuple[ahocorasick_rs.AhoCorasick, list[int], list[int]]:
    """One Aho-Corasick automaton for every hint and start (the rules' and the clash
    words'), with each piece's masks: the rules that list it as a hint, and those that
    list it as a start. One pass over a lowered text finds every occurrence of every
    piece, overlapping ones included (what ``piece in lower`` for each would find, with
    where)."""
    hints: dict[str, int] = {}
    starts: dict[str, int] = {}
    for k, (rule, *_) in enumerate(RULES):
        for piece in HINTS[rule]:
            hints[piece] = hints.get(piece, 0) | 1 << k
        for piece in STARTS[rule]:
            starts[piece] = starts.get(piece, 0) | 1 << k
    for piece in _CLASH_HINTS:
        hints[piece] = hints.get(piece, 0) | _CLASH_BIT
        starts[piece] = starts.get(piece, 0) | _CLASH_BIT
    pieces = sorted(hints.keys() | starts.keys())
    automaton = ahocorasick_rs.AhoCorasick(pieces, matchkind=ahocorasick_rs.MatchKind.Standard)
    return automaton, [hints.get(p, 0) for p in pieces], [starts.get(p, 0) for p in pieces]


_AUTOMATON, _HINT_MASKS, _START_MASKS = _automaton()
_FIND: Final = _AUTOMATON.find_matches_as_indexes


def classify(
    text: str,
    event: str,
    sub: str,
    *,
    battle: bool,
    one_sided: bool,
    air_capable: bool,
) -> tuple[str, str, tuple[Method, ...], str]:
    """(event type, sub-event type, methods, rule) for a record whose default type is
    (event, sub). ``battle``: a fight between armed sides (keeps its type if the text says
    there was fighting); ``one_sided``: violence against civilians; ``air_capable``: the
    perpetrator has an air force.

    >>> classify("Warplanes strike the town", "Battles", "Armed clash",
    ...          battle=True, one_sided=False, air_capable=True)
    ('Explosions/Remote violence', 'Air/drone strike', ('airstrike',), 'air strike')
    >>> classify("Clashes and air strikes", "Battles", "Armed clash",
    ...          battle=True, one_sided=False, air_capable=True)[3]
    'clash'
    """
    # every hint and start found in one pass (``_AUTOMATON``), where the plain rules test
    # each hint alone (~35 substring tests) and search each pattern over the whole text:
    # this runs for every record of a UCDP or monitor file. A rule none of whose hints
    # stands cannot match; on a lowered text, a pattern is tried only where one of its
    # starts stands (every match begins at one). The answers are the plain rules'.
    lower = text.lower()
    found = _FIND(lower, overlapping=True)
    if not found:
        return event, sub, (), "default"
    hint_masks = _HINT_MASKS
    mask = 0
    for piece, _, _ in found:
        mask |= hint_masks[piece]
    plain = _plain(text)
    starts = _START_MASKS
    if battle and mask & _CLASH_BIT:
        if plain:
            match = _CLASH_LOWER.match
            fighting = any(
                starts[piece] & _CLASH_BIT and match(lower, at) for piece, at, _ in found
            )
        else:
            fighting = _CLASH.search(text) is not None
        if fighting:
            return event, sub, (), "clash"
    for (
        rule,
        bit,
        pattern,
        lower_pattern,
        new_event,
        new_sub,
        methods,
        air,
        only_one_sided,
    ) in _COMPILED:
        if not mask & bit:
            continue
        if air and not air_capable:
            continue
        if only_one_sided and not one_sided:
            continue
        if plain:
            match = lower_pattern.match
            if any(starts[piece] & bit and match(lower, at) for piece, at, _ in found):
                return new_event or event, new_sub or sub, methods, rule
        elif pattern.search(text):
            return new_event or event, new_sub or sub, methods, rule
    return event, sub, (), "default"
