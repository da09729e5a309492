"""Event cues: the words that say something violent happened, typed in ACLED's sub-event
vocabulary with incident.v1's methods.

Each cue has a *rank*: how much it says about the kind of event. "chlorine" (5) says more
than "air strike" (4), which says more than "strike" (2), "attack" (1) or "killed" (0). A
sentence's event takes the type of its highest-ranked cue and the methods of all its cues.
Three kinds of cue are typed only once their sentence is known (``resolve_type``):

- ``bombing`` ("bombing", "bombed"): an air strike when aircraft or a state's forces are
  named, else a remote explosive;
- ``territory`` ("captured", "retook"): *Government regains territory* when a state
  takes it, else *Non-state actor overtakes territory*;
- ``violence`` ("attack", "killed", "massacre"): an *Armed clash* when the victims are
  fighters, else *Attack* on civilians.

>>> [(c.text, c.sub_event_type, c.methods) for c in find_cues("Barrel bombs and a chlorine attack hit Daraya.")]
[('Barrel bombs', 'Air/drone strike', ('barrel_bomb',)), ('chlorine attack', 'Chemical weapon', ('chemical',)), ('hit', 'violence', ())]
>>> best_cue(find_cues("A suicide car bomb exploded at a checkpoint.")).sub_event_type
'Suicide bomb'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ceasewatch.incidents.model import EVENT_TYPES

#: Provisional types, settled by ``resolve_type`` once the sentence is known.
PROVISIONAL: Final[frozenset[str]] = frozenset({"bombing", "territory", "violence"})

_AIRCRAFT = r"(?:war)?planes?|(?:fighter\s+)?jets?|aircraft|helicopters?|choppers?|bombers?|drones?|air\s+force"

#: (pattern, sub-event type or provisional kind, methods, rank)
CUES: Final[tuple[tuple[str, str, tuple[str, ...], int], ...]] = (
    # chemical weapons
    (r"chemical(?:\s+weapons?)?\s+(?:attacks?|strikes?|bombs?|shells?|rockets?|munitions|agents?|massacres?|assaults?|bombardments?|shelling)", "Chemical weapon", ("chemical",), 5),
    (r"(?:chlorine|sarin|mustard|toxic|poison(?:ous)?|nerve)\s+gas(?:es)?(?:\s+attacks?)?", "Chemical weapon", ("chemical",), 5),
    (r"chlorine(?:\s+(?:attacks?|bombs?|barrels?))?|sarin|nerve\s+agents?|gas\s+attacks?", "Chemical weapon", ("chemical",), 5),
    (r"gass(?:ed|ing)|(?:toxic|poisonous|deadly|noxious|chemical)\s+fumes|(?:attacks?|strikes?)\s+(?:with|using)\s+(?:chemical|toxic)\s+(?:weapons?|agents?|substances?|gas(?:es)?)", "Chemical weapon", ("chemical",), 5),
    # suicide and car bombs
    (r"suicide\s+(?:car|truck|vehicle|motorcycle)\s+bomb(?:ings?|ers?|s)?", "Suicide bomb", ("suicide_bombing", "car_bomb"), 5),
    (r"suicide\s+(?:bomb(?:ings?|ers?|s)?|attacks?|attackers?|blasts?|explosions?|vests?|belts?|operations?)", "Suicide bomb", ("suicide_bombing",), 5),
    (r"bl(?:ew|ow|ows|owing)\s+(?:him|her|them)sel(?:f|ves)\s+up", "Suicide bomb", ("suicide_bombing",), 5),
    (r"(?:car|truck|vehicle)\s+bomb(?:ings?|s)?|booby[- ]trapped\s+(?:car|vehicle|truck|motorcycle|motorbike)s?|vehicle[- ]borne|VBIEDs?|explosive-laden\s+(?:car|truck|vehicle)s?", "Remote explosive/landmine/IED", ("car_bomb",), 4),
    # air
    (r"barrel\s+bombs?|explosive\s+barrels?", "Air/drone strike", ("barrel_bomb",), 4),
    (r"air\s?-?\s?strikes?|air\s+raids?|air\s+attacks?|airstrikes?|aerial\s+(?:bombardments?|bombings?|attacks?|strikes?|raids?|bombs?)|drone\s+(?:strikes?|attacks?)|bombing\s+raids?|cluster\s+(?:bombs?|munitions)|vacuum\s+bombs?|bunker[- ]buster", "Air/drone strike", ("airstrike",), 4),
    (rf"(?:{_AIRCRAFT})(?:\s+[\w-]+){{0,3}}?\s+(?:bombed|struck|hit|pounded|targeted|attacked|raided|dropped|fired|launched|carried\s+out|shelled|strafed)", "Air/drone strike", ("airstrike",), 4),
    (r"(?:missile|rocket)\s+strikes?|(?:cruise|ballistic|guided|surface-to-surface|scud)\s+missiles?|tomahawks?", "Shelling/artillery/missile attack", ("missile",), 4),
    # ground fire
    (r"shell(?:ing|ed|s)?|artillery(?:\s+(?:fire|shells?|strikes?|attacks?))?|mortars?(?:\s+(?:shells?|rounds?|fire|bombs?|attacks?))?|rocket(?:s|\s+fire|\s+attacks?)?|grad|rocket-propelled|tank\s+fire|bombard(?:ed|ment|ments|ing)", "Shelling/artillery/missile attack", ("shelling",), 4),
    (r"missiles?", "Shelling/artillery/missile attack", ("missile",), 3),
    (r"(?:hand\s+)?grenades?", "Grenade", ("grenade",), 4),
    # explosives
    (r"IEDs?|improvised\s+explosive(?:\s+devices?)?|roadside\s+bombs?|land\s?mines?|explosive\s+devices?|sticky\s+bombs?|(?:bomb|explosive)\s+(?:blasts?|attacks?|explosions?)", "Remote explosive/landmine/IED", ("ied",), 4),
    (r"blasts?|explosions?|exploded|detonated|bomb\s+went\s+off", "Remote explosive/landmine/IED", ("ied",), 3),
    (r"bomb(?:ing|ings|ed|s)?", "bombing", (), 2),
    # fighting
    (r"clash(?:es|ed)?|firefights?|gun\s?fights?|gun\s?battles?|exchange\s+of\s+fire|fierce\s+(?:fighting|battles?)", "Armed clash", ("gunfire",), 3),
    # an ambush does not say with what (gunfire, a roadside bomb)
    (r"ambush(?:ed|es)?", "Armed clash", (), 3),
    (r"fighting|battles?\s+(?:for|over|with|between|in|against)|offensive|assault(?:ed|s)?\s+on|counter-?attacks?", "Armed clash", (), 2),
    # violence against people
    (r"sniper(?:s|\s+fire)?", "Attack", ("sniper",), 4),
    (r"shot\s+(?:dead|and\s+killed|to\s+death)|opened\s+fire|gunmen|gunfire|gunned\s+down|shootings?|machine-?gunned", "Attack", ("gunfire",), 3),
    (r"execut(?:ed|ion|ions|ing|es)|behead(?:ed|ing|ings|s)|summar(?:y|ily)\s+killed|crucified", "Attack", ("execution",), 4),
    (r"abduct(?:ed|ion|ions|ing|s)|kidnap(?:ped|ping|pings|s)?|taken\s+hostage|forcibly\s+disappeared|enforced\s+disappearances?", "Abduction/forced disappearance", ("abduction",), 4),
    (r"rap(?:ed|es|ing)|rape|sexual\s+(?:violence|assault|abuse|slavery)|sex\s+slaves?", "Sexual violence", (), 4),
    (r"massacres?|massacred|slaughter(?:ed)?", "violence", (), 2),
    # territory and weapons
    (r"(?:captured|seized|recaptured|retook|regained|overran|overrun|stormed|liberated)(?:\s+(?:full\s+|complete\s+)?control\s+(?:of|over))?|took\s+(?:full\s+|complete\s+)?control\s+(?:of|over)|(?:capture|recapture|fall)\s+of|fell\s+to", "territory", (), 3),
    (r"(?:defused|dismantled|seized|confiscated|discovered|found)\s+(?:[\w-]+\s+){0,3}?(?:explosives?|IEDs?|bombs?|mines|landmines|weapons|ammunition|arms|explosive\s+devices?)|intercepted\s+(?:[\w-]+\s+){0,2}?(?:drones?|missiles?|rockets?)", "Disrupted weapons use", (), 3),
    # generic
    (r"strikes?(?!\s+(?:a|an|the)\s+(?:deal|agreement|balance|chord|blow|compromise|bargain))|struck", "Air/drone strike", ("airstrike",), 2),
    (r"raids?|raided", "violence", (), 1),
    (r"attack(?:s|ed|ing)?|hit|targeted|targeting|pounded", "violence", (), 1),
    (r"killed|killing|kills|died|dead|death\s+toll|deaths", "violence", (), 0),
)  # fmt: skip

_SUB_TO_EVENT: Final[dict[str, str]] = {
    sub: event for event, subs in EVENT_TYPES.items() for sub in subs
}
_COMPILED = re.compile(
    "|".join(f"(?P<c{i}>\\b(?:{pattern})\\b)" for i, (pattern, *_rest) in enumerate(CUES)),
    re.IGNORECASE,
)
_CASE_SENSITIVE: Final[frozenset[str]] = frozenset({"IED", "IEDs", "VBIED", "VBIEDs", "Grad"})
#: How every cue's first word begins: the full patterns are tried only at such words, which
#: keeps the scan cheap (a word test, then one anchored match).
STEMS: Final[tuple[str, ...]] = (
    "chemical", "chlorine", "sarin", "mustard", "toxic", "poison", "nerve", "gas", "suicide",
    "deadly", "noxious",
    "blew", "blow", "car", "truck", "vehicle", "booby", "vbied", "explosive", "barrel", "air",
    "aerial", "drone", "bomb", "cluster", "vacuum", "bunker", "plane", "warplane", "fighter",
    "jet", "aircraft", "helicopter", "chopper", "missile", "rocket", "cruise", "ballistic",
    "guided", "surface", "scud", "tomahawk", "shell", "artillery", "mortar", "grad", "tank",
    "grenade", "hand", "ied", "improvised", "roadside", "land", "sticky", "blast", "explosion",
    "exploded", "detonated", "clash", "firefight", "gun", "exchange", "ambush", "fierce",
    "fighting", "battle", "offensive", "assault", "counter", "sniper", "shot", "opened",
    "shooting", "machine", "execut", "behead", "summar", "crucif", "abduct", "kidnap", "taken",
    "forcibl", "enforced", "rap", "sexual", "sex", "massacr", "slaughter", "captur", "seiz",
    "recaptur", "retook", "regain", "overr", "storm", "liberat", "took", "fall", "fell",
    "defus", "dismantl", "confiscat", "discover", "found", "intercept", "strik", "struck",
    "raid", "attack", "hit", "target", "pound", "kill", "died", "dead", "death",
)  # fmt: skip
_WORD = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True, slots=True)
class Cue:
    """An event word at ``text[start:end]`` of the document."""

    start: int
    end: int
    text: str
    sub_event_type: str
    methods: tuple[str, ...]
    rank: int

    @property
    def provisional(self) -> bool:
        return self.sub_event_type in PROVISIONAL


def find_cues(text: str, offset: int = 0) -> list[Cue]:
    """Every cue in ``text``, left to right, the longest at each place."""
    out: list[Cue] = []
    resume = 0
    for w in _WORD.finditer(text):
        if w.start() < resume or not w.group().lower().startswith(STEMS):
            continue
        if w.start() and text[w.start() - 1].isalnum():
            continue
        m = _COMPILED.match(text, w.start())
        if m is None:
            continue
        resume = m.end()
        assert m.lastgroup is not None
        i = int(m.lastgroup[1:])
        _pattern, sub, methods, rank = CUES[i]
        word = m.group()
        if (
            word.lower() in ("ied", "ieds", "vbied", "vbieds", "grad")
            and word not in _CASE_SENSITIVE
        ):
            continue
        out.append(Cue(offset + m.start(), offset + m.end(), word, sub, methods, rank))
    return out


def best_cue(cues: Sequence[Cue]) -> Cue:
    """The highest-ranked cue (the first of equals)."""
    return max(cues, key=lambda c: (c.rank, -c.start))


def event_type_of(sub_event_type: str) -> str:
    """ACLED event type of a sub-event type.

    >>> event_type_of("Air/drone strike"), event_type_of("Attack")
    ('Explosions/Remote violence', 'Violence against civilians')
    """
    return _SUB_TO_EVENT[sub_event_type]


_AIR_WORDS = re.compile(
    rf"\b(?:{_AIRCRAFT}|aerial|air\s+raids?|warplanes?|sorties)\b", re.IGNORECASE
)


def resolve_type(
    cue: Cue, sentence: str, *, state_actor: bool, combatant_victims: bool
) -> tuple[str, tuple[str, ...]]:
    """The sub-event type and methods of a provisional cue, given its sentence.

    >>> c = find_cues("Regime forces bombed the market.")[0]
    >>> resolve_type(c, "Regime forces bombed the market.", state_actor=True, combatant_victims=False)
    ('Air/drone strike', ('airstrike',))
    """
    sub = cue.sub_event_type
    if cue.text.lower().startswith("bombard") and _AIR_WORDS.search(sentence):
        return "Air/drone strike", ("airstrike",)
    if sub == "bombing":
        if state_actor or _AIR_WORDS.search(sentence):
            return "Air/drone strike", ("airstrike",)
        return "Remote explosive/landmine/IED", ("ied",)
    if sub == "territory":
        if state_actor:
            return "Government regains territory", ()
        return "Non-state actor overtakes territory", ()
    if sub == "violence":
        # "jets ... hit an outpost", "raids killed": a generic act by aircraft is an air strike
        if cue.rank >= 1 and _AIR_WORDS.search(sentence):
            return "Air/drone strike", ("airstrike",)
        return ("Armed clash", ()) if combatant_victims else ("Attack", ())
    return sub, cue.methods
