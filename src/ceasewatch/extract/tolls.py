"""Casualty figures in a sentence: who was killed or injured, how many, split into
civilians and combatants.

A *claim* is one figure tied to a killing or injuring word: "killed at least seven
people", "13 civilians and 7 fighters were killed", "the death toll rose to 20",
"wounding more than 40". Figures follow ``numbers`` (ACLED's conservative coding).

Who counts as a civilian: victims named as civilians, people, residents, children, women,
workers, patients and the like are civilians; fighters, soldiers, rebels, militants,
members of a group and the like are combatants; a bare figure ("killed 16", "the death
toll rose to 20") counts as people, hence civilians. "Including five soldiers" inside a
figure of people moves those five to the combatants. Monitors such as the Syrian
Observatory name fighters as such, so "people" are counted as civilians — the convention
human coders of the FA-KES set follow too.

>>> s = "A strike killed at least seven people and injured more than 40 in the town."
>>> t = sentence_tolls(s)
>>> t.killed.as_tuple(), t.civilians.as_tuple(), t.injured.as_tuple()
((7, 7, None), (7, 7, None), (40, 40, None))
>>> t = sentence_tolls("13 civilians and seven fighters were killed, including four children.")
>>> t.killed.as_tuple(), t.civilians.as_tuple(), t.combatants.as_tuple()
((20, 20, 20), (13, 13, 13), (7, 7, 7))
>>> sentence_tolls("The clan has ruled for more than 40 years.").empty
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final, Literal

from ceasewatch.extract.numbers import COUNT, NUMBER, VAGUE_RE, Count, parse_count

Category = Literal["civilian", "combatant", "people"]
Kind = Literal["killed", "injured"]

CIVILIAN_WORDS: Final[tuple[str, ...]] = (
    "civilians", "civilian", "people", "persons", "person", "baby", "teenager", "girl", "boy", "medic", "nurse", "doctor", "teacher", "volunteer", "journalist", "residents", "resident",
    "inhabitants", "villagers", "children", "child", "kids", "boys", "girls", "babies",
    "infants", "women", "woman", "men", "man", "family members", "members of (?:a|one|the same) family",
    "relatives", "workers", "worker", "students", "pupils", "schoolchildren", "patients",
    "doctors", "nurses", "medics", "paramedics", "rescuers", "rescue workers", "volunteers",
    "journalists", "worshippers", "passengers", "shoppers", "displaced", "refugees",
    "farmers", "teachers", "elderly", "victims", "citizens", "locals", "pilgrims",
    "staff", "employees", "others", "individuals", "syrians", "teenagers", "detainees",
    "prisoners", "mourners", "guests", "truck drivers", "drivers",
)  # fmt: skip
COMBATANT_WORDS: Final[tuple[str, ...]] = (
    "fighters", "fighter", "rebels", "rebel", "militants", "militant", "soldiers", "soldier",
    "troops", "servicemen", "serviceman", "jihadists", "jihadist", "terrorists", "terrorist",
    "insurgents", "insurgent", "gunmen", "gunman", "combatants", "combatant", "officers",
    "officer", "policemen", "policeman", "police officers", "police", "guards", "guard",
    "militiamen", "militia members", "loyalists", "personnel", "commanders", "commander",
    "attackers", "attacker", "assailants", "bombers", "mercenaries", "recruits", "conscripts",
    "members", "member", "extremists", "pilots", "pilot", "snipers", "security forces",
    "army officers", "regime forces", "government forces", "pro-government forces",
    "crew members", "crew", "forces", "elements", "operatives",
)  # fmt: skip

_ALT = "|".join(
    w.replace(" ", r"\s+")
    for w in sorted((*CIVILIAN_WORDS, *COMBATANT_WORDS), key=len, reverse=True)
)
_CIVILIAN_SET = frozenset(CIVILIAN_WORDS)
_COMBATANT_SET = frozenset(COMBATANT_WORDS)
#: Up to three words between the figure and the victims ("Syrian army", "pro-regime").
#: Not prepositions or verbs: "kill 22 in rebel-held Idlib" names no rebels.
_NOT_MOD = (
    r"(?:in|at|on|near|across|after|during|when|as|while|by|from|to|into|inside|and|or|were|the|number|toll"
    r"|was|are|is|killed|dead|died|injured|wounded|hurt)"
)
_MODS = rf"(?:(?!(?:{NUMBER}|{VAGUE_RE}|(?-i:{_NOT_MOD}))\b)[a-z][\w'’.-]*\s+){{0,3}}?"
#: A figure and, optionally, who: "at least seven people", "13 Syrian rebels", "40".
#: One person named in the singular: "a woman", "a child", "a civilian".
_SINGULAR = (
    r"(?:woman|child|girl|boy|man|civilian|person|baby|infant|teenager|soldier|fighter|rebel"
    r"|militant|policeman|officer|journalist|doctor|medic|nurse|worker|volunteer|teacher"
    r"|commander|leader|member|official|activist|resident|student|driver|farmer|photographer"
    r"|cameraman|reporter|imam|priest|judge|mayor|general|colonel|pilot|guard|jihadist)"
)
#: "a woman", "a Syrian army soldier", "a notorious terrorist commander": one person.
_ONE = rf"(?-i:[Aa]n?|[Tt]he)(?=\s+(?:[\w-]+\s+){{0,2}}{_SINGULAR}\b)"
GROUP: Final[re.Pattern[str]] = re.compile(
    rf"\b(?P<count>{COUNT}|{_ONE})(?:\s+(?:of\s+(?:the\s+)?)?(?P<mods>{_MODS})(?:\([^()]{{1,40}}\)\s+)?(?P<victim>(?:{_ALT})(?:\s+(?:{_ALT}))?)(?![\w-]))?",
    re.IGNORECASE,
)
_BE = r"(?:\s+(?:were|was|have\s+been|has\s+been|had\s+been|are|is|got|reportedly|also|later|been|all|both|subsequently|allegedly|being|in\s+total(?:\s+had)?|in\s+all))*"
#: "were rounded up and executed": an act before the killing, joined by "and"
_BEFORE_KILLING = (
    r"(?:\s+(?:rounded\s+up|captured|abducted|kidnapped|detained|arrested|tortured|lined\s+up"
    r"|taken\s+captive|taken\s+prisoner)\s+and)?"
)
_KILLED_AFTER = r"(?:killed|dead|died|slain|perished|martyred|massacred|executed|murdered|beheaded|shot\s+dead|lost\s+their\s+lives|lost\s+his\s+life|lost\s+her\s+life|bodies|deaths|fatalities|martyrs)"
_INJURED_AFTER = r"(?:injured|wounded|hurt|hospitali[sz]ed|maimed|injuries|treated\s+for)"
#: "some of them children", "mostly women and children" between a figure and its verb
_ASIDE = r"(?:\s+(?:some|most|many|all|mostly|among\s+them|including|two|three)(?:\s+of\s+(?:them|whom))?(?:\s+[\w-]+){0,3}?)?"
_AFTER = re.compile(
    rf"{_ASIDE}{_BE}{_BEFORE_KILLING}\s+(?:(?P<killed>{_KILLED_AFTER})|(?P<injured>{_INJURED_AFTER})"
    rf"|(?P<among>among\s+(?:the\s+)?(?:dead|killed|victims|fatalities|those\s+killed|casualties)))\b",
    re.IGNORECASE,
)
#: "Ten children were among at least 48 people killed": the first figure is part of the next
#: "19 killed and injured", "several killed, injured": one figure for both is casualties.
_AND_INJURED = re.compile(r"\s*(?:,|and|or|&|/)?\s*(?:injured|wounded|hurt)\b", re.IGNORECASE)
_AMONG = re.compile(r"\s+(?:were|was|are|is)\s+among\s+(?:the\s+)?$", re.IGNORECASE)
_KILLED_BEFORE = (
    r"(?:killed|killing|kills|kill|executed|executing|executes|execute|massacred|murdered|slaughtered"
    r"|beheaded|beheading|beheads|behead|shot\s+dead|gunned\s+down|the\s+killing\s+of"
    r"|eliminated|eliminating|eliminates|eliminate"  # state media's word for killing fighters
    r"|claimed\s+the\s+lives\s+of|claiming\s+the\s+lives\s+of|claims\s+the\s+lives\s+of"
    r"|took\s+the\s+lives\s+of|taking\s+the\s+lives\s+of|the\s+deaths\s+of|the\s+death\s+of"
    r"|death\s+toll(?:\s+[\w'’-]+){0,14}?\s+(?:rose|risen|rises|climbed|reached|jumped|increased|stood|stands|hit|is|was|at|of|to)(?:\s+to|\s+at)?"
    r"|toll\s+(?:rose|climbed|reached|jumped|increased)\s+to|killed\s+a\s+total\s+of"
    r"|number\s+of\s+(?:[\w-]+\s+){0,2}?(?:killed|dead|deaths|victims|fatalities)(?:\s+[\w'’-]+){0,12}?"
    r"\s+(?:rose|risen|rises|climbed|reached|increased|jumped|stood|stands)(?:\s+to|\s+at))"
)
_INJURED_BEFORE = (
    r"(?:injured|injuring|injures|wounded|wounding|wounds|hospitali[sz]ing|hurting"
    r"|the\s+(?:injury|injuring|wounding)\s+of"
    r"|(?:number|toll)\s+of\s+(?:the\s+)?(?:injured|wounded|injuries)(?:\s+(?:rose|reached|stood))?\s+(?:at|to))"
)
_BEFORE = re.compile(
    rf"(?:(?P<killed>{_KILLED_BEFORE})|(?P<injured>{_INJURED_BEFORE}))\s+(?:a\s+total\s+of\s+)?$",
    re.IGNORECASE,
)
_BEFORE_INJURED = re.compile(rf"(?P<injured>{_INJURED_BEFORE})\s+(?:a\s+total\s+of\s+)?$", re.I)


def _before(head: str) -> Kind | None:
    """The verb of killing or injuring right before a figure; the nearer one when both
    reach it ("the death toll at six and the number of injured at 28": 28 injured)."""
    m = _BEFORE.search(head)
    if m is None:
        return None
    if m.group("killed") and _BEFORE_INJURED.search(head, m.start() + 1):
        return "injured"
    return "killed" if m.group("killed") else "injured"


#: "left ten dead", "leaving 12 people wounded"
_LEFT = re.compile(r"(?:left|leaving|leaves)\s+$", re.IGNORECASE)
_LEFT_AFTER = re.compile(r"\s+(?:(?P<killed>dead)|(?P<injured>wounded|injured))\b", re.IGNORECASE)
_SUBSET = re.compile(
    r"(?:including|among\s+them|among\s+whom|of\s+whom|among\s+the\s+(?:dead|victims|killed)(?:\s+were|\s+are)?"
    r"|among\s+those\s+killed(?:\s+were)?|most\s+of\s+them|mostly)\s+$",
    re.IGNORECASE,
)
_OF_THEM = re.compile(r"\s+of\s+(?:them|whom)\b", re.IGNORECASE)
_CHAIN = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|as\s+well\s+as\s+|plus\s+)$", re.IGNORECASE)
#: Words after a figure that show it counts something else than people.
_NOT_PEOPLE = re.compile(
    r"\s+(?:years?|months?|weeks?|days?|hours?|minutes?|km|kilometers?|kilometres?|miles?|"
    r"meters?|metres?|percent|per\s+cent|%|times|buildings?|houses?|homes?|vehicles?|tanks?|"
    r"rockets?|missiles?|shells?|bombs?|raids?|strikes?|airstrikes?|air\s+strikes?|sorties|"
    r"villages?|towns?|sites?|targets?|positions?|dollars?|tons?|tonnes?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure of killed or injured, where it stands in the sentence."""

    kind: Kind
    category: Category
    count: Count
    start: int
    end: int
    subset: bool = False
    #: Figures joined by "and" share a chain and add up; separate figures do not.
    chain: int = 0
    #: The word that names the victims, as written ("civilians", "children"), if any.
    victim: str | None = None


@dataclass(frozen=True, slots=True)
class Tolls:
    """What a sentence says about casualties (``None``: it gives no figure)."""

    killed: Count | None = None
    civilians: Count | None = None
    combatants: Count | None = None
    injured: Count | None = None
    claims: tuple[Claim, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.claims


def _category(victim: str | None) -> Category:
    if victim is None:
        return "people"
    v = re.sub(r"\s+", " ", victim.lower())
    if v not in _CIVILIAN_SET and v not in _COMBATANT_SET and " " in v:
        v = v.rsplit(" ", 1)[1]  # "rebel fighters": the last word says who
    if v in ("people", "persons", "person", "others", "individuals", "victims"):
        return "people"
    if v in _CIVILIAN_SET or v.startswith("members of"):
        return "civilian"
    return "combatant"


def _add(a: Count | None, b: Count | None) -> Count | None:
    if a is None:
        return b
    if b is None:
        return a

    def plus(x: int | None, y: int | None) -> int | None:
        return None if x is None or y is None else x + y

    return Count(
        plus(a.low, b.low), plus(a.best, b.best), plus(a.high, b.high), f"{a.text}+{b.text}"
    )


def _minus(a: Count | None, b: Count) -> Count | None:
    if a is None:
        return None

    def sub(x: int | None, y: int | None) -> int | None:
        return None if x is None or y is None else max(0, x - y)

    return Count(sub(a.low, b.best), sub(a.best, b.best), sub(a.high, b.best), f"{a.text}-{b.text}")


_YEAR_CONTEXT = re.compile(
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?$|"
    r"\b(?:in|since|of|during|until|by)\s+$|\d{1,2}\s+$|\d[-/.]$",
    re.IGNORECASE,
)


def _is_year(sentence: str, g: re.Match[str]) -> bool:
    """A four-digit 19xx/20xx figure after a month, a day or "in"/"since" is a year."""
    count = g.group("count").strip()
    if not re.fullmatch(r"(?:19|20)\d\d", count):
        return False
    return bool(_YEAR_CONTEXT.search(sentence[max(0, g.start() - 20) : g.start()])) or (
        g.group("victim") is None
    )


def _count(text: str) -> Count | None:
    """``parse_count``, and "a"/"an"/"the" before one person named in the singular is one
    ("killing the imam")."""
    if text.lower() in ("a", "an", "the"):
        return Count(1, 1, 1, text)
    return parse_count(text)


def find_claims(sentence: str) -> list[Claim]:
    """Every killed/injured figure in one sentence, left to right."""
    groups = [
        g
        for g in GROUP.finditer(sentence)
        if _count(g.group("count")) is not None and not _is_year(sentence, g)
    ]
    claims: list[Claim] = []
    part_of: list[re.Match[str]] = []
    i = 0
    while i < len(groups):
        # a chain: "13 civilians and seven fighters" shares the predicate after it
        chain = [groups[i]]
        while (
            i + 1 < len(groups)
            and (
                _CHAIN.match(sentence[chain[-1].end() : groups[i + 1].start()])
                or (  # a headline's list: "40 Civilians 25 YPG Fighters Killed"
                    chain[-1].group("victim") is not None
                    and groups[i + 1].group("victim") is not None
                    and sentence[chain[-1].end() : groups[i + 1].start()].isspace()
                    and " of " not in groups[i + 1].group(0)
                    and _category(chain[-1].group("victim"))
                    != _category(groups[i + 1].group("victim"))
                )
            )
        ):
            i += 1
            chain.append(groups[i])
        i += 1
        kind: Kind | None = None
        among = False
        after = _AFTER.match(sentence, chain[-1].end())
        if after and not _NOT_PEOPLE.match(sentence, chain[-1].end()):
            if after.group("killed") and _AND_INJURED.match(sentence, after.end()):
                continue  # "19 killed and injured": casualties, not deaths
            kind = "injured" if after.group("injured") else "killed"
            among = bool(after.group("among"))
        elif i < len(groups) and _AMONG.match(sentence[chain[-1].end() : groups[i].start()]):
            part_of.extend(chain)
            continue
        head = sentence[max(0, chain[0].start() - 120) : chain[0].start()]
        if kind is None:
            kind = _before(head)
        if kind is None and _LEFT.search(head):
            left = _LEFT_AFTER.match(sentence, chain[-1].end())
            if left:
                kind = "killed" if left.group("killed") else "injured"
        subset = (
            among or bool(_SUBSET.search(head)) or bool(_OF_THEM.match(sentence, chain[-1].end()))
        )
        if kind is None and subset and claims:
            kind = claims[-1].kind
        if kind is None:
            continue
        also = (
            claims
            and claims[-1].kind == kind
            and bool(_ALSO.match(sentence, chain[-1].end()) or _FURTHER.search(head))
        )
        chain_id = claims[-1].chain if (subset or also) and claims else i
        for g in part_of:
            count = _count(g.group("count"))
            assert count is not None
            claims.append(
                Claim(kind, _category(g.group("victim")), count, g.start(), g.end(), True, i)
            )
        part_of.clear()
        ranks = bool(_IN_RANKS.match(sentence, chain[-1].end()))
        for g in chain:
            if g.group("victim") is None and _NOT_PEOPLE.match(sentence, g.end()):
                continue
            count = _count(g.group("count"))
            assert count is not None
            category = "combatant" if ranks else _category(g.group("victim"))
            claims.append(
                Claim(
                    kind, category, count, g.start(), g.end(), subset, chain_id,
                    g.group("victim"),
                )
            )  # fmt: skip
    claims.extend(_of_the_dead(sentence, claims))
    claims.sort(key=lambda c: c.start)
    return _shared_victims(sentence, claims)


#: "15 dead among the ranks of Jaish al-Islam": fighters, whoever the figure names.
_IN_RANKS = re.compile(
    r"\s+(?:dead|killed|fatalities)\s+(?:were\s+)?(?:among|in|from)\s+(?:the\s+|its\s+|their\s+)?ranks\b",
    re.IGNORECASE,
)


#: A figure told as more dead beside one told before it in the sentence ("killed three
#: medics, while six children were also killed", "... and another five died"): they add up.
_ALSO = re.compile(r"(?:\s+(?:were|was|have\s+been|has\s+been|had\s+been))?\s+also\b", re.I)
_FURTHER = re.compile(r"\b(?:another|a\s+further)\s+$", re.IGNORECASE)


#: "at least 14 of the dead were rebels": who some of an event's dead were.
_OF_THE_DEAD = re.compile(
    rf"\b(?P<count>{COUNT})\s+of\s+(?:the|those)\s+(?:dead|killed|victims|fatalities)\s+"
    rf"(?:were|are|was)\s+(?:all\s+)?(?P<mods>{_MODS})(?P<victim>{_ALT})\b",
    re.IGNORECASE,
)


def _of_the_dead(sentence: str, claims: Sequence[Claim]) -> list[Claim]:
    out = []
    for m in _OF_THE_DEAD.finditer(sentence):
        count = parse_count(m.group("count"))
        if count is None or any(c.start <= m.start() < c.end for c in claims):
            continue
        out.append(
            Claim("killed", _category(m.group("victim")), count, m.start(), m.end(), True, -1)
        )
    return out


#: "killed 28 and wounded 30 Daesh militants": the victims named last are both figures'.
_AND_VERB = re.compile(
    r"^\s*(?:,\s*)?and\s+(?:killed|wounded|injured|killing|wounding|injuring)\s+$", re.I
)


def _shared_victims(sentence: str, claims: list[Claim]) -> list[Claim]:
    out = list(claims)
    for k in range(len(out) - 2, -1, -1):
        a, b = out[k], out[k + 1]
        if (
            a.category == "people"
            and b.category != "people"
            and a.kind != b.kind
            and _AND_VERB.match(sentence[a.end : b.start])
            and parse_count(sentence[a.start : a.end]) is not None  # a bare figure
        ):
            out[k] = Claim(a.kind, b.category, a.count, a.start, a.end, a.subset, a.chain)
    return out


def _larger(a: Count | None, b: Count | None) -> Count | None:
    if a is None:
        return b
    if b is None:
        return a
    return b if (b.best or b.low or 0) > (a.best or a.low or 0) else a


def combine(claims: list[Claim]) -> Tolls:
    """Claims of one sentence -> its killed (civilians + combatants) and injured figures.

    Figures joined in one phrase add up ("13 civilians and 7 fighters"); separate figures
    for the same people are the same count told twice (a headline and its lead), so the
    larger one stands.
    """
    told = [c for c in claims if c.chain == -1]  # "14 of the dead were rebels"
    if told and len(told) < len(claims):
        rest = combine([c for c in claims if c.chain != -1])
        n = max(c.count.best or 0 for c in told)
        if (
            rest.killed is not None
            and rest.civilians is not None
            and rest.killed.best is not None
            and rest.civilians.best == rest.killed.best
            and 0 < n < rest.killed.best
            and all(c.category == "combatant" for c in told)
        ):
            fighters = Count(n, n, n, "+".join(c.count.text for c in told))
            return replace(
                rest,
                civilians=_minus(rest.civilians, fighters),
                combatants=_add(rest.combatants, fighters),
                claims=tuple(claims),
            )
        return replace(rest, claims=tuple(claims))
    chains: dict[int, list[Claim]] = {}
    for c in claims:
        chains.setdefault(c.chain, []).append(c)
    if len(chains) <= 1:
        return _combine_chain(claims)
    civilians = combatants = injured = killed = None
    for part in (_combine_chain(cs) for cs in chains.values()):
        civilians = _larger(civilians, part.civilians)
        combatants = _larger(combatants, part.combatants)
        injured = _larger(injured, part.injured)
        killed = _larger(killed, part.killed)
    # a part may count more dead than its named civilians and fighters ("20 people
    # including 13 civilians")
    killed = _larger(_add(civilians, combatants), killed)
    return Tolls(killed, civilians, combatants, injured, tuple(claims))


def _combine_chain(claims: list[Claim]) -> Tolls:
    civilians: Count | None = None
    combatants: Count | None = None
    people: Count | None = None
    injured: Count | None = None
    last_main: Claim | None = None
    killed_main = any(c.kind == "killed" and not c.subset for c in claims)
    #: "20 people including 13 civilians": the civilians among people, named as such
    named_civilians: Count | None = None
    for c in claims:
        if c.subset and c.kind == "killed" and not killed_main:
            c = Claim(c.kind, c.category, c.count, c.start, c.end, False)
        if c.kind == "injured":
            if not c.subset:
                injured = _add(injured, c.count)
            continue
        if c.subset:
            # "20 people including five soldiers": move the soldiers to the combatants
            if (
                last_main is not None
                and last_main.category == "people"
                and c.category == "combatant"
            ):
                people = _minus(people, c.count)
                combatants = _add(combatants, c.count)
            elif (
                last_main is not None
                and last_main.category == "people"
                and c.kind == "killed"
                and (c.victim or "").lower().startswith("civilian")
            ):
                named_civilians = _add(named_civilians, c.count)
            continue
        last_main = c
        if c.category == "civilian":
            civilians = _add(civilians, c.count)
        elif c.category == "combatant":
            combatants = _add(combatants, c.count)
        else:
            people = _add(people, c.count)
    if (
        named_civilians is not None
        and civilians is None
        and people is not None
        and (named_civilians.best or 0) < (people.best or 0)
    ):
        # the others are not said to be civilians: the civilians are those named so
        return Tolls(_add(people, combatants), named_civilians, combatants, injured, tuple(claims))
    civilians = _add(civilians, people)
    killed = _add(civilians, combatants)
    return Tolls(killed, civilians, combatants, injured, tuple(claims))


def sentence_tolls(sentence: str) -> Tolls:
    """``combine(find_claims(sentence))``."""
    return combine(find_claims(sentence))
