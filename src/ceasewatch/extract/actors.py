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
        elif len(word) >= 2 and word.isupper() and word.isalpha():
            parts.append(r"\.?".join(re.escape(ch) for ch in word) + r"\.?")
        else:
            parts.append(re.escape(word))
    pattern = "".join(parts)
    if pattern.endswith("s") and not alias.isupper():
        pattern += "?"
    return pattern


class ActorMatcher:
    """Finds a scenario's actors in text by alias (longest match first)."""

    def __init__(self, actors: Sequence[Actor]) -> None:
        self.actors = {a.id: a for a in actors}
        entries: list[tuple[str, str, bool]] = []  # (pattern, actor id, case-sensitive)
        modifiers: dict[str, str] = {}
        for a in actors:
            for alias in (a.name if len(a.name) < 40 else None, *a.aliases):
                if not alias:
                    continue
                sensitive = len(alias) <= 5 and alias.replace(".", "").isupper()
                entries.append((_alias_pattern(alias), a.id, sensitive))
                m = re.fullmatch(rf"(?P<mod>.+?)\s+(?:{_FORCE_RE})", alias, re.IGNORECASE)
                if m and a.kind not in ("civilians", "humanitarian"):
                    modifiers.setdefault(m.group("mod"), a.id)
        force = rf"(?:['’]s)?(?:\s+[\w-]+)?\s+(?:{_FORCE_RE})"
        for mod, actor in modifiers.items():
            entries.append((rf"{_alias_pattern(mod)}{force}", actor, False))
        # "Russian or regime warplanes", "Syrian and Russian jets": a bloc when both are members
        for bloc in (a for a in actors if a.kind == "bloc" and a.members):
            mods = [(m, actor) for m, actor in modifiers.items() if actor in bloc.members]
            for m1, a1 in mods:
                for m2, a2 in mods:
                    if a1 != a2:
                        entries.append(
                            (
                                rf"{_alias_pattern(m1)}\s+(?:or|and|and/or)\s+{_alias_pattern(m2)}{force}",
                                bloc.id,
                                False,
                            )
                        )
        entries.sort(key=lambda e: -len(e[0]))
        self._insensitive = re.compile(
            "|".join(f"(?P<i{i}>\\b{p}\\b)" for i, (p, _, s) in enumerate(entries) if not s)
            or r"(?!x)x",
            re.IGNORECASE,
        )
        self._sensitive = re.compile(
            "|".join(f"(?P<s{i}>\\b{p}(?![\\w-]))" for i, (p, _, s) in enumerate(entries) if s)
            or r"(?!x)x"
        )
        self._ids = [e[1] for e in entries]

    def find(self, text: str, offset: int = 0) -> list[ActorMention]:
        """Every actor mention, left to right, without overlaps (the longest wins)."""
        found: list[tuple[int, int, str]] = []
        for rx in (self._insensitive, self._sensitive):
            for m in rx.finditer(text):
                assert m.lastgroup is not None
                found.append((m.start(), m.end(), self._ids[int(m.lastgroup[1:])]))
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
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


_CLAIMED = re.compile(
    r"claim(?:ed|s|ing)?\s+(?:the\s+)?(?:responsibility|credit)|responsibility\s+was\s+claimed"
    r"|claimed\s+(?:the|this|that)\s+(?:attack|bombing|blast|strike|killing)",
    re.IGNORECASE,
)
_ALLEGED = re.compile(
    r"\b(?:accus(?:ed|es|ing|ation)|blam(?:ed|es|ing)|suspected|alleged(?:ly)?|purported(?:ly)?"
    r"|believed\s+to\s+(?:be|have)|deni(?:ed|es)|deny|denying|reject(?:ed|s)|presumably)\b",
    re.IGNORECASE,
)
_PASSIVE_BY = re.compile(r"\bby\s+(?:the\s+)?$", re.IGNORECASE)
#: Words allowed between an agent and its act: "Regime forces fired intense artillery".
_GAP_OK = re.compile(
    r"^(?:['’]s)?(?:\s+(?:have|has|had|reportedly|allegedly|also|again|on|in|heavily|"
    r"intensively|intense|heavy|continued|continue|to|carried|out|conducted|launched|fired|committed|"
    r"dropped|unleashed|used|with|a|an|the|new|series|of|round|wave|several|two|three|"
    r"dozens|more|than|\d+|[\w-]+ly))*\s*$",
    re.IGNORECASE,
)


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
    for a in actors:
        if a.kind in ("civilians", "humanitarian"):
            continue
        if a.end <= cue_start:  # before the act: "Russian jets bombed", "ISIS executed"
            gap = sentence[a.end - offset : cue_start - offset]
            if _GAP_OK.match(gap) and len(gap) < 60:
                agent = a
        elif a.start >= cue_end:  # after: "airstrikes by Russian warplanes"
            between = sentence[cue_end - offset : a.start - offset]
            if _PASSIVE_BY.search(between) and len(between) < 80:
                agent = agent or a
                break
        elif a.start < cue_end and a.end > cue_start:  # they overlap: "Russian jets pounded"
            agent = a
    lowered = sentence
    if agent is not None and _CLAIMED.search(lowered):
        return Perpetration(agent.text, agent.actor, "claimed", "the text says it claimed the act")
    if agent is None:
        for a in actors:  # "ISIS claimed responsibility for the attack"
            tail = sentence[a.end - offset :]
            if a.kind not in ("civilians", "humanitarian") and _CLAIMED.match(
                re.sub(r"^\s+(?:has\s+|have\s+|later\s+|quickly\s+)?", "", tail)
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
