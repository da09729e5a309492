"""Who did it: the scenario's actors found in a sentence by their aliases, and how the text
attributes the act to them.

The aliases come from the scenario (``actors: [{id, aliases}]``). Two things widen them
without naming any actor here:

- spelling: ``US`` also matches ``U.S.``, a final ``s`` is optional (``Russian jet``);
- *modifier + force*: an alias made of a modifier and a word for armed forces (``Syrian
  warplanes``, ``regime forces``, ``Turkish army``) lends its modifier to every such word:
  ``Syrian helicopters``, ``regime artillery``, ``Turkish tanks`` name the same actor.

Short all-capital aliases (``IS``, ``SAA``, ``YPG``) match only in capitals.

Attribution (incident.v1 ``perpetrator.attribution``):

- ``claimed`` — the actor claimed it ("ISIS claimed responsibility");
- ``alleged`` — it is an accusation or disputed ("accused", "blamed", "suspected",
  "alleged", or the actor denied it), or the event itself is only suspected;
- ``reported`` — the text (or a source it cites) says who did it;
- ``unknown`` — no one is named.

>>> from ceasewatch.agreement.model import Actor
>>> m = ActorMatcher([Actor("sy-gov", "Syria", "state", ("Syrian warplanes", "regime")),
...                   Actor("isis", "IS", "armed-group", ("ISIS", "IS"))])
>>> [(a.text, a.actor) for a in m.find("Syrian helicopters and IS fighters; the regime's jets; is it?")]
[('Syrian helicopters', 'sy-gov'), ('IS', 'isis'), ('regime', 'sy-gov')]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ceasewatch.agreement.model import Actor
from ceasewatch.incidents.model import Attribution

#: Words for armed forces that a modifier can attach to ("Syrian" + "jets").
FORCE_WORDS: Final[tuple[str, ...]] = (
    "forces", "force", "troops", "army", "military", "warplanes", "warplane", "jets", "jet",
    "aircraft", "planes", "plane", "helicopters", "helicopter", "gunships", "artillery",
    "tanks", "militia", "militias", "air force", "navy", "strikes", "strike", "airstrikes",
    "airstrike", "bombers", "drones", "drone", "shelling", "snipers", "units", "soldiers",
    "army units", "air strikes", "air strike", "aviation", "raids", "raid", "air raids",
    "air raid", "bombing", "bombings", "bombardment", "barrel bombs", "fire", "rockets",
    "missiles", "attacks", "attack", "offensive", "assault", "fighters",
)  # fmt: skip
_FORCE_RE = "|".join(w.replace(" ", r"\s+") for w in sorted(FORCE_WORDS, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class ActorMention:
    start: int
    end: int
    text: str
    actor: str
    kind: str


def _alias_pattern(alias: str) -> str:
    parts = []
    for word in re.split(r"(\s+|-)", alias.strip()):
        if not word:
            continue
        if word.isspace():
            parts.append(r"\s+")
        elif word == "-":
            parts.append(r"[-\s]?")
        elif 2 <= len(word) <= 3 and word.isalpha() or (word.isupper() and word.isalpha()):
            parts.append(r"\.?".join(re.escape(ch) for ch in word) + r"\.?")
        else:
            parts.append(re.escape(word))
    pattern = "".join(parts)
    if pattern.endswith("s") and not alias.isupper():
        pattern += "?"
    return pattern


def _first_word(alias: str) -> str:
    return re.split(r"[\s-]+", alias.strip())[0].replace(".", "").lower()


class ActorMatcher:
    """Finds a scenario's actors in text by alias (longest match first).

    All patterns are tried only where a word starts that can begin one of them, so the
    scan costs a word test per word and a few anchored matches.
    """

    def __init__(self, actors: Sequence[Actor]) -> None:
        self.actors = {a.id: a for a in actors}
        aliases: dict[str, str] = {}  # key -> actor
        sensitive: dict[str, str] = {}
        modifiers: dict[str, str] = {}
        for a in actors:
            for alias in (a.name if len(a.name) < 40 else None, *a.aliases):
                if not alias:
                    continue
                if len(alias) <= 5 and alias.replace(".", "").isupper():
                    sensitive.setdefault(alias, a.id)
                else:
                    aliases.setdefault(_key(alias), a.id)
                m = re.fullmatch(rf"(?P<mod>.+?)\s+(?:{_FORCE_RE})", alias, re.IGNORECASE)
                if m and a.kind not in ("civilians", "humanitarian"):
                    modifiers.setdefault(_key(m.group("mod")), a.id)
        self._aliases = aliases
        self._modifiers = modifiers
        self._blocs = {
            frozenset(b.members): b.id for b in actors if b.kind == "bloc" and len(b.members) == 2
        }

        def alternation(keys: Sequence[str]) -> str:
            return "|".join(_alias_pattern(k) for k in sorted(keys, key=len, reverse=True))

        mods = alternation(list(modifiers))
        # members of a bloc by a plain alias too ("either Russia or Syrian")
        for b in actors:
            if b.kind == "bloc":
                for a in actors:
                    if a.id in b.members:
                        for alias in a.aliases:
                            if " " not in alias and len(alias) > 3:
                                modifiers.setdefault(_key(alias), a.id)
        members = alternation(list(modifiers))
        # "Assad's air force", "Assads air force" (apostrophes stripped)
        force = rf"(?:['’]?s)?(?:\s+[\w-]+)?\s+(?:{_FORCE_RE})"
        self._patterns: list[re.Pattern[str]] = [
            re.compile(
                rf"(?P<m1>{mods})(?:\s+[\w-]+)?\s+(?:or|and|and/or)\s+(?P<m2>{mods}){force}\b",
                re.IGNORECASE,
            ),
            re.compile(
                rf"(?:{_FORCE_RE})\s+(?:(?:belonging\s+to|of)\s+)?(?:either\s+)?(?:the\s+)?"
                rf"(?P<m1>{members})(?:\s+(?:government|regime|army|military|forces))?\s+or\s+"
                rf"(?:those\s+of\s+)?(?:the\s+)?(?:(?:its|their|government|regime)\s+)?(?:ally\s+)?"
                rf"(?P<m2>{members})\b",
                re.IGNORECASE,
            ),
            re.compile(rf"(?P<m1>{mods}){force}\b", re.IGNORECASE),
            re.compile(rf"(?P<alias>{alternation(list(aliases))})\b", re.IGNORECASE),
        ]
        self._sensitive = (
            re.compile(
                "(?P<alias>"
                + "|".join(_alias_pattern(k) for k in sorted(sensitive, key=len, reverse=True))
                + r")(?![\w-])"
            )
            if sensitive
            else None
        )
        self._sensitive_ids = {k.replace(".", ""): v for k, v in sensitive.items()}
        # "the army", "the government": the scenario's own state (the state actor that
        # is called "government forces"), never a foreign one ("the Iraqi army" names Iraq)
        home = next(
            (
                a.id
                for a in actors
                if a.kind == "state" and any(x.lower() == "government forces" for x in a.aliases)
            ),
            None,
        )
        self._home = home
        if home is not None:
            self._patterns.append(
                re.compile(r"(?P<home>the\s+(?:army|government|military))\b(?!\s+of\b)", re.I)
            )
        self._firsts = frozenset(
            {_first_word(k) for k in (*aliases, *modifiers)}
            | ({"the"} if home is not None else set())
            | {_first_word(k) + "s" for k in aliases}
            | {_first_word(k) for k in sensitive}
            | {_first_word(w) for w in FORCE_WORDS}
        )

    def _actor_of(self, m: re.Match[str]) -> str | None:
        groups = m.groupdict()
        if groups.get("home") is not None:
            return self._home
        if groups.get("alias") is not None:
            k = _key(groups["alias"])
            return (
                self._aliases.get(k)
                or self._aliases.get(k.rstrip("s"))
                or self._aliases.get(k + "s")
            )
        a1 = self._modifiers.get(_key(groups["m1"]))
        if groups.get("m2") is not None:
            a2 = self._modifiers.get(_key(groups["m2"]))
            if a1 and a2 and a1 != a2:
                return self._blocs.get(frozenset((a1, a2)), a1)
        return a1

    def find(self, text: str, offset: int = 0) -> list[ActorMention]:
        """Every actor mention, left to right, without overlaps (the longest wins)."""
        found: list[tuple[int, int, str]] = []
        for w in _WORDS.finditer(text):
            word = w.group()
            if word.replace(".", "").lower() not in self._firsts:
                continue
            if w.start() and (text[w.start() - 1].isalnum()):
                continue
            best: tuple[int, str] | None = None
            for rx in self._patterns:
                m = rx.match(text, w.start())
                if m is not None:
                    actor = self._actor_of(m)
                    if actor is not None and (best is None or m.end() > best[0]):
                        best = (m.end(), actor)
            if self._sensitive is not None:
                m = self._sensitive.match(text, w.start())
                if m is not None:
                    actor = self._sensitive_ids.get(m.group().replace(".", ""))
                    if actor is not None and (best is None or m.end() > best[0]):
                        best = (m.end(), actor)
            if (
                best is not None
                and not _COMPOUND.match(text, best[0])
                and not _SPEAKER.match(text, best[0])
                and not _BORDER.search(text, max(0, w.start() - 40), w.start())
            ):
                found.append((w.start(), best[0], best[1]))
        out: list[ActorMention] = []
        last_end = -1
        for start, end, actor in found:
            if start < last_end:
                continue
            out.append(
                ActorMention(
                    offset + start, offset + end, text[start:end], actor, self.actors[actor].kind
                )
            )
            last_end = end
        return out


_WORDS = re.compile(r"[\w.]+")
#: "rebel-held", "regime-controlled": a place's description, not the actor acting.
_COMPOUND = re.compile(
    r"-(?:held|controlled|run|besieged|allied|affiliated|linked|backed|loyal|dominated|occupied)\b",
    re.IGNORECASE,
)


#: "near the border with Turkey", "the Atmeh border crossing with Turkey": a country as a
#: place, not an actor.
_BORDER = re.compile(
    r"\bborders?\s+(?:crossings?\s+|areas?\s+|regions?\s+)?(?:with|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)


#: "opposition activists said", "regime media": a side's voice, not the side acting.
_SPEAKER = re.compile(
    r"\s+(?:activists?|sources?|media|officials?|spokes(?:man|woman|person)|news|television|TV"
    r"|radio|outlets?|statement|politicians?|negotiators?|delegations?|figures?|websites?)\b",
    re.IGNORECASE,
)


def _key(text: str) -> str:
    """An alias as compared: lower case, no dots, single spaces ("U.S.-led" = "us-led")."""
    return re.sub(r"\s+", " ", text.replace(".", "").replace("’", "'")).strip().lower()


_CLAIMED = re.compile(
    r"claim(?:ed|s|ing)?\s+(?:the\s+)?(?:responsibility|credit)|responsibility\s+was\s+claimed|claimed\s+by\b"
    r"|claimed\s+(?:the|this|that)\s+(?:attack|bombing|blast|strike|killing)",
    re.IGNORECASE,
)
#: Between a claimant and its claim: "The Daesh group has claimed", "IS (ISIS) later claimed".
_CLAIM_LEAD = re.compile(
    r"^(?:\s+\([\w-]+\))?(?:\s+(?:militant\s+|jihadist\s+|terror\s+)?(?:group|organi[sz]ation))?"
    r"(?:\s+(?:has|have|later|quickly|then))*\s*",
    re.IGNORECASE,
)
#: "IS said in a statement that one of its fighters ...", "Daesh said it carried out the
#: attack": the group claims the act as its own.
_OWN_MAN = re.compile(
    r"(?:\s+\([\w-]+\))?(?:\s+(?:militant\s+|jihadist\s+|terror\s+)?(?:group|organi[sz]ation))?"
    r"\s+(?:said|says|announced)\s+(?:in\s+a\s+statement\s+)?(?:that\s+)?(?:(?:one|two|three|some)\s+of\s+)?"
    r"(?:its|their)\s+(?:fighters?|members?|militants?|suicide\s+bombers?|men)\b"
    r"|\s+(?:said|says|announced)\s+(?:that\s+)?it\s+(?:had\s+)?(?:carried\s+out|was\s+behind|conducted)\b",
    re.IGNORECASE,
)
_ALLEGED = re.compile(
    r"\b(?:accus(?:ed|es|ing|ation)|blam(?:ed|es|ing)|suspected|alleged(?:ly)?|purported(?:ly)?"
    r"|believed\s+to\s+(?:be|have)|deni(?:ed|es)|deny|denying|reject(?:ed|s)|presumably)\b",
    re.IGNORECASE,
)
_PASSIVE_BY = re.compile(
    r"\b(?:by|(?:dropped|fired|launched)\s+from|blamed\s+on)\s+(?:the\s+)?(?:either\s+)?$",
    re.IGNORECASE,
)
#: "a town held by Daesh", "areas controlled by the regime": who holds a place, not who
#: acted there.
_HELD_BY = re.compile(
    r"\b(?:held|controlled|run|besieged|encircled|surrounded|occupied|dominated|seized|captured"
    r"|taken|overrun|administered|governed)\s+by\s+(?:the\s+)?(?:either\s+)?$",
    re.IGNORECASE,
)
#: An actor inside a phrase that begins with a preposition ("shelling of rebel bastion",
#: "strikes on opposition areas") is not the subject of the verb that follows.
_IN_PHRASE = re.compile(
    r"\b(?:of|on|in|at|against|near|from|for|into|toward|towards|targeting|among|to)\s+"
    r"(?:an?\s+|the\s+|several\s+|two\s+|three\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
#: A word that says people died, not how: its subject is the agent only if not inside a
#: phrase ("the wedding of a member of the SDF killing 22").
_KILLING_WORD = re.compile(r"(?:kill|killing|killed|kills|leaving|left)\b", re.IGNORECASE)
#: Words allowed between an agent and its act: "Regime forces fired intense artillery".
_GAP_OK = re.compile(
    r"^(?:['’]s)?(?:\s+(?:have|has|had|reportedly|allegedly|also|again|on|in|heavily|"
    r"intensively|intense|heavy|continued|continue|to|carried|out|conducted|launched|fired|committed|"
    r"group|groups|militants|jihadists|fighters|forces|troops|members|extremists|terrorists|militia|"
    r"militiamen|\([A-Z]{2,5}\)|barrage|barrages|hail|volley|salvo|salvos|shower|unleashed|staged|mounted|"
    r"dropped|unleashed|used|with|a|an|the|new|series|of|round|wave|several|two|three|"
    r"dozens|four|five|six|seven|eight|nine|ten|multiple|numerous|more|than|renew|renewed|renewing|their|its|stepped|up|intensified|began|resumed|"
    r"\d+|[\w-]+ly))*\s*$",
    re.IGNORECASE,
)


#: An active verb of killing with its victims' figure after it ("kills 16 terrorists").
_ACTIVE_KILL = re.compile(
    r"(?:kills|killed|kill|eliminates|eliminated|eliminate)\s+(?:at\s+least\s+|over\s+|more\s+than\s+"
    r"|some\s+|about\s+|nearly\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|dozens|scores|tens|hundreds)\b",
    re.IGNORECASE,
)
#: What precedes an actor named as the target ("on rebels", "at an opposition checkpoint").
_TARGET = re.compile(
    r"(?<!blamed )(?<!blames )(?<!blame )\b(?:on|at|against|targeting|targeted|targets)\s+"
    r"(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
#: What follows an actor that names a place ("the last rebel stronghold", "opposition
#: areas", "regime positions"): the place, or the target, not the side acting.
_PLACE_NOUN = re.compile(
    r"\s+(?:strongholds?|bastions?|enclaves?|territory|territories|areas?|districts?"
    r"|neighbou?rhoods?|positions?|pockets?|held|controlled)\b",
    re.IGNORECASE,
)
_FIGHT = re.compile(r"(?:clash|fight|battl|confrontation|firefight)", re.IGNORECASE)
_ACCUSED_OF = re.compile(r"\b(?:accus(?:ed|es|ing)|blam(?:ed|es|ing)|held)\s+(?:the\s+)?$", re.I)
_BEHIND = re.compile(r"^(?:['’]?s)?\s+(?:was|were|is|are)\s+(?:\w+\s+)?behind\b", re.I)


@dataclass(frozen=True, slots=True)
class Perpetration:
    text: str | None
    actor: str | None
    attribution: Attribution
    why: str


def perpetrator(
    sentence: str,
    cue_start: int,
    cue_end: int,
    actors: Sequence[ActorMention],
    *,
    offset: int = 0,
    event_alleged: bool = False,
) -> Perpetration:
    """Who the sentence says did the act at ``cue_start:cue_end`` (document offsets;
    ``offset`` is where ``sentence`` starts), and how it says so."""
    agent: ActorMention | None = None
    actors = [  # "a car bomb at an opposition checkpoint", "an attack on rebels": targets
        a
        for a in actors
        if not _TARGET.search(sentence, max(0, a.start - offset - 30), a.start - offset)
        and not _PLACE_NOUN.match(sentence, a.end - offset)
    ]
    for a in actors:
        if a.kind in ("civilians", "humanitarian"):
            continue
        if a.end <= cue_start:  # before the act: "Russian jets bombed", "ISIS executed"
            gap = sentence[a.end - offset : cue_start - offset]
            if (
                _GAP_OK.match(gap)
                and len(gap) < 60
                and not (  # "the wedding of a member of the SDF, killing 22"
                    _KILLING_WORD.match(sentence, cue_start - offset)
                    and _IN_PHRASE.search(sentence, max(0, a.start - offset - 30), a.start - offset)
                )
            ):
                agent = a
        elif a.start >= cue_end:  # after: "airstrikes by Russian warplanes"
            between = sentence[cue_end - offset : a.start - offset]
            if _PASSIVE_BY.search(between) and len(between) < 80 and not _HELD_BY.search(between):
                agent = agent or a
                break
            if (  # "50 militants killed in clashes with the Syrian army"
                agent is None
                and _FIGHT.match(sentence, cue_start - offset)
                and re.fullmatch(r"\s+with\s+(?:the\s+)?", between)
            ):
                agent = a
                break
        elif a.start < cue_end and a.end > cue_start:  # they overlap: "Russian jets pounded"
            agent = a
    if agent is None and _ACTIVE_KILL.match(sentence, cue_start - offset):
        # "Syrian Army Advances in Latakia, Kills 16 Terrorists": the subject that kills
        for a in actors:
            if a.kind in ("civilians", "humanitarian") or a.end > cue_start:
                continue
            gap = sentence[a.end - offset : cue_start - offset]
            before = sentence[max(0, a.start - offset - 30) : a.start - offset]
            if (
                len(gap) < 60
                and not re.search(
                    r"[.;:]|\b(?:by|with|and|after|as|when|in\s+\w+\s+by)\b", gap, re.I
                )
                and not _IN_PHRASE.search(before)
            ):
                agent = a
    if agent is None:
        for a in actors:  # "accused government forces of gassing", "the regime was behind"
            if a.kind in ("civilians", "humanitarian") or a.end > cue_start:
                continue
            before = sentence[max(0, a.start - offset - 30) : a.start - offset]
            after = sentence[a.end - offset : a.end - offset + 30]
            if (
                _ACCUSED_OF.search(before)
                and re.match(r"(?:\s+(?:group|militants|forces))?\s+(?:of|for)\b", after)
            ) or _BEHIND.match(after):
                return Perpetration(a.text, a.actor, "alleged", "the text accuses it of the act")
    lowered = sentence
    if agent is not None and _CLAIMED.search(lowered):
        return Perpetration(agent.text, agent.actor, "claimed", "the text says it claimed the act")
    if agent is None:
        for a in actors:  # "ISIS claimed responsibility for the attack"
            tail = sentence[a.end - offset :]
            if a.kind not in ("civilians", "humanitarian") and (
                _CLAIMED.match(_CLAIM_LEAD.sub("", tail)) or _OWN_MAN.match(tail)
            ):
                return Perpetration(a.text, a.actor, "claimed", "the text says it claimed the act")
    if agent is None:
        if event_alleged or _ALLEGED.search(sentence):
            return Perpetration(None, None, "alleged" if event_alleged else "unknown",
                                "no perpetrator named; the event itself is only alleged"
                                if event_alleged else "no perpetrator named")  # fmt: skip
        return Perpetration(None, None, "unknown", "no perpetrator named")
    if event_alleged or _ALLEGED.search(sentence):
        return Perpetration(agent.text, agent.actor, "alleged", "the text accuses or disputes")
    return Perpetration(agent.text, agent.actor, "reported", "the text names who did it")
