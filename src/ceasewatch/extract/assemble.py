"""From what each sentence says to incidents: mentions, context, merging.

A *mention* is one event as one stretch of a sentence tells it: its best cue, the places,
dates, figures, actors and source in that stretch, and whether it is reported as fact.
A sentence is split in two at "a day after"-like phrases, so that "The strikes come a day
after dozens were hospitalised in a chlorine attack" gives two mentions, the second dated
from the first.

Mentions that lack a place or a date take them from the mention before (a neighbourhood
widens to its town: "in the area"), else from the article's lead. A mention becomes an
incident only if it is *anchored* — it gives a figure, a date or a place finer than the
country; "Russia has mostly focused on bombing groups opposing Assad" gives none and is a
generic statement.

Mentions of one event are merged: the same kind of event (or a generic word such as
"killed" or "the strikes"), at compatible places (one contains the other) and dates no
more than a day apart. When merged mentions give different days, the range covers them
all and ``occurred.note`` says which mention gave which day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Final

from ceasewatch.extract.actors import ActorMention, Perpetration, perpetrator
from ceasewatch.extract.article import Article, Unresolved
from ceasewatch.extract.cues import Cue, best_cue, event_type_of, resolve_type
from ceasewatch.extract.dates import DateMention, Relative
from ceasewatch.extract.locate import Located, choose, compatible, contains
from ceasewatch.extract.numbers import VAGUE_RE, Count
from ceasewatch.extract.tolls import Tolls, sentence_tolls
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import (
    DatePrecision,
    Incident,
    Location,
    Occurred,
    Perpetrator,
    Source,
    Toll,
)

SUBMITTED_BY: Final[str] = "ceasewatch-extract"
#: Events the article dates this many days or more before its publication are background
#: (recalled, not reported): left out, since contemporary reports are the better source.
BACKGROUND_DAYS: Final[int] = 45
#: A figure this large given with no more than "fighting" or "killed" is a count over a
#: period or a region (a war's toll), not one event's.
AGGREGATE: Final[int] = 200
#: How many sentences back a mention may take its place from the mention before.
INHERIT_WINDOW: Final[int] = 4
_ALLEGED_EVENT = re.compile(
    r"\b(?:alleged|suspected|purported|apparent|possible|presumed|reported)\s+(?:[\w-]+\s+){0,2}$",
    re.IGNORECASE,
)
_STATE_KINDS: Final[frozenset[str]] = frozenset({"state", "coalition", "bloc"})
#: A toll for a whole war, not for an event: "the conflict has killed more than 300,000".
WAR_TOLL: Final[re.Pattern[str]] = re.compile(
    r"\b(?:war|conflict|uprising|revolt|revolution|crisis|insurgency)\b[^.]{0,80}?\b(?:killed|killing|kills|claimed|left|dead|deaths|lives)\b"
    r"|\btoll\s+(?:from|of|in)\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(?:war|conflict|uprising|crisis|fighting)\b"
    r"|\b(?:deadliest|bloodiest)\s+(?:month|week|year)\b"
    r"|\bsince\s+(?:the\s+)?(?:[\w-]+\s+){0,8}?(?:began|started|erupted|launched|was\s+launched|broke\s+out|intensified|escalated|entered|declared|resolution)\b"
    r"|\b(?:across|throughout)\s+(?:the\s+(?:country|war-torn\s+country)|syria)\b"
    r"|\b(?:over|in|during|throughout|within)\s+the\s+(?:past|last|previous)\s+(?:year|month|few\s+(?:weeks|months)|\d+\s+(?:weeks|months|years)|(?:two|three|four|five|six|ten)\s+(?:weeks|months|years)|(?:[89]|\d\d+)\s+days|ten\s+days)\b"
    r"|\btoll\s+includes\b"
    r"|\bsince\s+(?:last\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|week|weekend)\b"
    r"|\bso\s+far\s+this\s+year\b|\bsince\s+the\s+(?:start|beginning)\s+of\s+the\s+year\b|\bhas\s+documented\b"
    r"|\b(?:have|has)\s+(?:been\s+)?(?:killed|died)\b[^.]{0,100}?\bsince\b"
    r"|\b(?:fighting|battles?|clashes)\b[^.]{0,40}?\b(?:has|have)\s+(?:left|killed|claimed)\b"
    r"|\b(?:hundreds|thousands)\s+of\s+(?:[\w-]+\s+){0,2}?(?:have|has)\s+been\s+killed\b"
    r"[^.]{0,60}?\b(?:over|during|throughout|in\s+recent|in\s+the\s+(?:past|last))\b"
    r"|\b(?:killed|dead|deaths|died|lives)\b[^.]{0,80}?\bsince\s+(?:it\s+(?:began|started|erupted)|the\s+(?:start|beginning|outbreak)|(?:march\s+)?2011)",
    re.IGNORECASE,
)
#: A sentence that tells what has gone on since a day ("strikes have intensified since
#: opposition fighters launched a campaign on July 31").
_GONE_ON = re.compile(
    r"\b(?:have|has)\s+(?:been\s+)?(?:\w+\s+)?(?:intensified|escalated|increased|continued|"
    r"raged|persisted|gone\s+on)\b[^.]*?\bsince\b",
    re.IGNORECASE,
)
#: A count in the perfect of the acts just named ("The strikes have killed 122 civilians").
_RUNNING = re.compile(
    r"^\W*(?:the|these|such)\s+(?:[\w-]+\s+){0,2}?(?:have|has)\s+(?:killed|left|claimed)\b",
    re.IGNORECASE,
)
#: What is done often or was done before is not one event: "IS has targeted the province
#: in the past".
HABITUAL: Final[re.Pattern[str]] = re.compile(
    r"\b(?:in\s+the\s+past|previously|often|repeatedly|frequently|regularly|routinely|used\s+to"
    r"|on\s+(?:multiple|several|many)\s+occasions|several\s+times|many\s+times)\b",
    re.IGNORECASE,
)
#: Words for an explosion that do not say what exploded: they refer back to a bombing.
_EXPLOSIVE_FAMILY: Final[frozenset[str]] = frozenset(
    {"Suicide bomb", "Remote explosive/landmine/IED", "Grenade"}
)
#: Acts that can carry a chemical load, and the words that say they did.
_CARRIERS: Final[frozenset[str]] = frozenset(
    {"Air/drone strike", "Shelling/artillery/missile attack", "Attack"}
)
_CHEMICAL_LOAD = re.compile(
    r"\b(?:releas\w*|includ\w*|with|filled\s+with|loaded\s+with|carrying|containing|using|used)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:chemical\s+(?:weapons?|arms|agents?|substances?)|toxic\s+(?:gas|gases|"
    r"substances?|chemicals?)|chlorine|sarin|poison(?:ous)?\s+gas|nerve\s+agents?)\b",
    re.IGNORECASE,
)
_UPDATE = re.compile(
    r"\b(?:toll|number\s+of\s+(?:dead|deaths|victims|those\s+killed))\b[^.]{0,80}?\b(?:rose|risen|rises|climbed|increased|jumped|reached|now\s+stands|has\s+reached)\b|\bnew\s+toll\b"
    r"|\b(?:killed|died|dead)\s+in\s+total\b|\bin\s+total\s+(?:had\s+|have\s+)?(?:died|been\s+killed)\b",
    re.IGNORECASE,
)
#: An event word that describes a place by its past ("Khan Sheikhun, the site of a chemical
#: attack in April", "an airbase used as a launchpad for a chemical attack", "the chemical
#: attack town") does not type the sentence's own event.
_DESCRIBES_PLACE = re.compile(
    r"\b(?:site|scene)\s+of\s+(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,4}$"
    r"|\blaunch\s*pad\s+for\s+(?:an?\s+|the\s+)?(?:[\w'’-]+\s+){0,4}$",
    re.IGNORECASE,
)
#: An event word as a place's modifier: "raid on Syria chemical attack town".
_PLACE_AFTER = re.compile(r"\s+(?:town|city|village|site)\b", re.IGNORECASE)
_BARE_EXPLOSION = re.compile(r"^(?:blasts?|explosions?|exploded|detonated)$", re.IGNORECASE)
_DATE_RANK: Final[dict[str, int]] = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


@dataclass(frozen=True, slots=True)
class SentenceFacts:
    """What the pipeline found in one sentence (offsets are the document's)."""

    start: int
    end: int
    text: str
    index: int
    cues: tuple[Cue, ...] = ()
    #: cue start -> (modality, why)
    modality: dict[int, tuple[str, str]] = field(default_factory=dict)
    places: tuple[Located, ...] = ()
    dates: tuple[DateMention, ...] = ()
    relatives: tuple[Relative, ...] = ()
    actors: tuple[ActorMention, ...] = ()
    cited: str | None = None


@dataclass(slots=True)
class Mention:
    sentence: SentenceFacts
    start: int
    end: int
    cue: Cue
    sub_event_type: str
    methods: tuple[str, ...]
    tolls: Tolls
    perp: Perpetration
    alleged: bool
    place: Located | None
    place_explicit: bool
    date: DateMention | None
    date_explicit: bool
    relative: Relative | None
    anchored: bool
    #: The figures are an update ("the death toll rose to 20").
    update: bool = False
    #: Told only as what came before the sentence's own event ("X, just a day after Y").
    recalled: bool = False
    #: The governorates of a list of places the mention names ("in Damascus, its
    #: countryside, Aleppo and Homs"), when they are more than one (else empty).
    listed: frozenset[str] = frozenset()

    @property
    def generic(self) -> bool:
        return self.cue.rank <= 2 and self.cue.provisional or self.cue.rank <= 1

    @property
    def bare_explosion(self) -> bool:
        return bool(_BARE_EXPLOSION.match(self.cue.text))

    @property
    def start_date(self) -> dt.date | None:
        return self.date.start if self.date is not None else None


def _segments(s: SentenceFacts) -> list[tuple[int, int, Relative | None]]:
    """The sentence cut at a "a day after" phrase that has event words on both sides (or
    opens the sentence)."""
    for rel in s.relatives:
        before = [c for c in s.cues if c.end <= rel.begin]
        after = [c for c in s.cues if c.start >= rel.finish]
        if after and before:
            return [(s.start, rel.begin, None), (rel.begin, s.end, rel)]
        if after and not before:
            return [(s.start, s.end, rel)]
    return [(s.start, s.end, None)]


def _vague(c: Count) -> bool:
    """A figure told only by a vague plural ("dozens", "hundreds of civilians")."""
    return all(
        re.search(VAGUE_RE + r"$", part.strip(), re.IGNORECASE) for part in c.text.split("+")
    )


def _merge_count(counts: Sequence[tuple[Count | None, bool]]) -> Toll | None:
    """The figures the mentions of one event give, in text order, as one toll.

    ``best`` is the figure the article leads with — a later figure replaces it only when it
    is an update ("the death toll rose to 20"), or when the lead gives only a vague plural
    ("dozens were killed") and a later mention the figure it stands for ("29 people"); ``low`` is the smallest figure any mention
    supports and ``high`` the largest any gives (null when one is open-ended), as
    incident.v1 defines them.
    """
    known = [(c, update) for c, update in counts if c is not None]
    if not known:
        return None

    def figure(c: Count) -> int | None:
        return c.best if c.best is not None else c.low

    first = next((c for c, _ in known if figure(c) is not None), None)
    floor = (figure(first) or 0) if first is not None else 0
    # a toll rises: an "update" below the figure the article leads with counts another
    # event's dead, merged here ("40 killed in attacks on the city ... the death toll from
    # the shells on one district rose to 3")
    updates = [
        c for c, update in known if update and figure(c) is not None and (figure(c) or 0) >= floor
    ]
    lead = updates[-1] if updates else first
    if not updates and lead is not None and _vague(lead):
        # "dozens were killed ... air strikes killed 29 people": the figure, once given
        lead = next(
            (c for c, _ in known if not _vague(c) and (figure(c) or 0) >= (figure(lead) or 0)),
            lead,
        )
    best = figure(lead) if lead is not None else None
    lows = [c.low for c, _ in known if c.low is not None]
    low = min(lows) if lows else None
    high = (
        max(c.high for c, _ in known if c.high is not None)
        if all(c.high is not None for c, _ in known)
        else None
    )
    if best is not None and low is not None and low > best:
        low = best
    if high is not None and best is not None and high < best:
        high = None
    return Toll(low, best, high)


def _shift(d: DateMention, days: int, rel: Relative) -> DateMention:
    assert d.start is not None and d.end is not None
    delta = dt.timedelta(days=days)
    if rel.vague:  # "days after": two to seven days away, direction known
        far = dt.timedelta(days=7 if days > 0 else -7)
        lo, hi = sorted((d.start + delta, d.end + far))
        return DateMention(rel.begin, rel.finish, f"{rel.text} [{d.text}]", lo, hi, "week", True)
    return DateMention(
        rel.begin, rel.finish, f"{rel.text} [{d.text}]",
        d.start + delta, d.end + delta,
        d.precision, True,
    )  # fmt: skip


def other_side(
    perp: Perpetration, actors: Sequence[ActorMention], tolls: Tolls, seg_start: int, cue: Cue
) -> Perpetration:
    """In a fight, the side that lost the dead named is not who killed them: "29 rebels
    were killed in clashes with regime troops" is reported against the regime."""
    victims = {  # an armed side's dead: civilians killed are no side of a fight
        a.actor
        for a in actors
        for c in tolls.claims
        if c.kind == "killed"
        and a.kind not in ("civilians", "humanitarian")
        and a.start < seg_start + c.end
        and seg_start + c.start < a.end
    }
    if not victims or (perp.actor is not None and perp.actor not in victims):
        return perp
    others = [
        a for a in actors if a.kind not in ("civilians", "humanitarian") and a.actor not in victims
    ]
    if not others:
        return Perpetration(None, None, "unknown", "only the victims' side is named")
    a = min(others, key=lambda a: abs(a.start - cue.start))
    return Perpetration(a.text, a.actor, "reported", "the other side of the fight its dead lost")


def fighters_in_clash(tolls: Tolls, sub_event_type: str) -> Tolls:
    """The dead of a clash between armed sides whom the text does not name as civilians
    ("40 dead in clashes", "the fighting left 70 killed") are fighters."""
    if sub_event_type != "Armed clash" or tolls.killed is None:
        return tolls
    killed = [c for c in tolls.claims if c.kind == "killed"]
    if any(c.category == "civilian" for c in killed):
        return tolls
    return replace(tolls, civilians=None, combatants=tolls.killed)


def _date_of(dates: Sequence[DateMention], at: int) -> DateMention | None:
    """The date of the event word at ``at``: the most precise one the sentence gives,
    nearest among equals — unless a coarser date nearer the event word does not hold it
    ("strikes killed 37 in Maaret al-Numan in April ... on Sunday hundreds fled": April)."""
    if not dates:
        return None
    finest = min(dates, key=lambda d: (_DATE_RANK[d.precision], abs(d.begin - at)))
    nearest = min(dates, key=lambda d: abs(d.begin - at))
    if (
        nearest is not finest
        and abs(nearest.begin - at) < abs(finest.begin - at)
        and nearest.start is not None
        and nearest.end is not None
        and finest.start is not None
        and not (nearest.start <= finest.start <= nearest.end)
    ):
        return nearest
    return finest


def _describes_place(s: SentenceFacts, c: Cue) -> bool:
    head = s.text[max(0, c.start - s.start - 60) : c.start - s.start]
    return bool(_DESCRIBES_PLACE.search(head) or _PLACE_AFTER.match(s.text, c.end - s.start))


def mentions_of(sentences: Sequence[SentenceFacts], dropped: list[str]) -> list[Mention]:
    """One mention per event-bearing stretch of each sentence, reported as fact."""
    out: list[Mention] = []
    prev: SentenceFacts | None = None
    for s in sentences:
        # "Strikes have intensified since July 31. The strikes have killed 122": the
        # count the next sentence gives in the perfect is the period's
        after_period = (
            prev is not None and prev.index == s.index - 1 and bool(_GONE_ON.search(prev.text))
        )
        prev = s
        for seg_start, seg_end, rel in _segments(s):
            cues = [c for c in s.cues if seg_start <= c.start < seg_end]
            own = [c for c in cues if not _describes_place(s, c)]
            cues = own or cues
            if not cues:
                continue
            best = best_cue(cues)
            status, why = s.modality.get(best.start, ("factual", ""))
            if status != "factual":
                dropped.append(f"{best.text!r} at {best.start}: {status} — {why}")
                continue
            seg_text = s.text[seg_start - s.start : seg_end - s.start]
            tolls = sentence_tolls(seg_text)
            killed = tolls.killed.best or tolls.killed.low or 0 if tolls.killed else 0
            if (
                WAR_TOLL.search(seg_text)
                or (after_period and _RUNNING.search(seg_text))
                or (best.rank <= 2 and killed >= AGGREGATE)
                or (best.rank < 5 and killed >= 5 * AGGREGATE)
            ):
                # a toll for the war or a period, not for this event
                if best.rank <= 2:
                    dropped.append(
                        f"{best.text!r} at {best.start}: generic — a toll for a war or period"
                    )
                    continue
                tolls = Tolls()
            places = [p for p in s.places if seg_start <= p.start < seg_end]
            dates = [d for d in s.dates if seg_start <= d.begin < seg_end]
            actors = [a for a in s.actors if seg_start <= a.start < seg_end]
            head = s.text[max(0, best.start - s.start - 40) : best.start - s.start]
            alleged = bool(_ALLEGED_EVENT.search(head))
            perp = perpetrator(
                s.text, best.start, best.end, actors, offset=s.start, event_alleged=alleged
            )
            for other in cues if perp.actor is None else ():
                # the agent named at another word for the event: "Syria air strikes kill
                # 32 ... Syrian government air strikes on towns killed at least 32 people"
                if other is not best:
                    found = perpetrator(
                        s.text, other.start, other.end, actors, offset=s.start,
                        event_alleged=alleged,
                    )  # fmt: skip
                    if found.actor is not None:
                        perp = found
                        break
            perp = other_side(perp, actors, tolls, seg_start, best)
            state = perp.actor is not None and any(
                a.actor == perp.actor and a.kind in _STATE_KINDS for a in actors
            )
            combatants = tolls.combatants is not None and tolls.civilians is None
            sub, methods = resolve_type(
                best, s.text, state_actor=state, combatant_victims=combatants
            )
            for c in cues:
                if c.rank >= 3 and not c.provisional:
                    methods = tuple(dict.fromkeys((*methods, *c.methods)))
            if sub in _CARRIERS and _CHEMICAL_LOAD.search(seg_text):
                # "warplanes releasing toxic gas", "a bombardment that included chemical
                # weapons": the load names the weapon
                sub, methods = "Chemical weapon", ("chemical", *methods)
            tolls = fighters_in_clash(tolls, sub)
            place = choose(places, best.start)
            where = place_of_toll(seg_text, seg_start, tolls, places)
            if (
                where is not None
                and place is not None
                and place.start < where.start
                and where.admin1_pcode != place.admin1_pcode
            ):
                # "killing 17 terrorists in Lattakia ... and more than 50 in Daraa": the
                # dead counted fell where the text says they did; a place named before
                # the figure is another clause's (one named after it may refine it: "in
                # the Damascus suburb of Jaramana")
                place = where
            date = _date_of(dates, best.start)
            anchored = (
                not tolls.empty
                or date is not None
                or (place is not None and place.precision != "country")
                # a place the sentence names but the gazetteer misreads: it happened
                # somewhere in particular (the context says where)
                or any(p.misread and not p.away for p in places)
            )
            if best.rank <= 2 and HABITUAL.search(seg_text):
                dropped.append(f"{best.text!r} at {best.start}: generic — done often or before")
                continue
            out.append(
                Mention(
                    s, seg_start, seg_end, best, sub, methods, tolls, perp, alleged, place,
                    place is not None and place.precision != "country", date, date is not None,
                    rel, anchored, bool(_UPDATE.search(seg_text)),
                    rel is not None and rel.days < 0 and seg_start > s.start,
                    listed_governorates(s.text, s.start, places),
                )
            )  # fmt: skip
    return out


#: Between a death toll and the place it names: "50 terrorists in Daraa countryside".
_TOLL_IN = re.compile(
    r"\s*,?\s*(?:(?:were|was|have|has|had|been|killed|dead|died)\s+)*(?:in|at)\s+(?:the\s+)?"
    r"(?:(?:town|village|city|countryside|province|neighbou?rhood)\s+of\s+)?"
)


def place_of_toll(
    text: str, offset: int, tolls: Tolls, places: Sequence[Located]
) -> Located | None:
    """The place named right after the figure a stretch of text counts its dead by ("...
    killing more than 50 terrorists in Daraa countryside"), if any: where they fell (a
    country says nothing of it).
    ``text`` begins at document offset ``offset``; ``places`` carry document offsets."""
    if tolls.killed is None:
        return None
    for c in tolls.claims:
        if c.kind != "killed" or c.count != tolls.killed:
            continue
        end = offset + c.end
        for p in places:
            if p.start >= end and not p.away and not p.misread and p.precision != "country":
                if _TOLL_IN.fullmatch(text, c.end, p.start - offset):
                    return p
                break
    return None


#: Between two places of one list: "Damascus, its countryside, Aleppo and Homs".
_LIST_GAP = re.compile(
    r"[\s,;]*(?:(?:and|or|its|their|countryside|province|provinces|governorates?|cit(?:y|ies)"
    r"|towns?|the)[\s,;]+)*",
    re.IGNORECASE,
)


def listed_governorates(text: str, offset: int, places: Sequence[Located]) -> frozenset[str]:
    """The governorates of the longest list of places a stretch of text names ("in
    Damascus its countryside Aleppo Homs Quneitra and Hasaka"), when more than one —
    Damascus and its countryside counted as one (empty otherwise)."""
    best: set[str] = set()
    run: set[str] = set()
    prev: Located | None = None
    for p in sorted(places, key=lambda q: q.start):
        if p.away or p.admin1_pcode is None:
            prev, run = None, set()
            continue
        gap = text[prev.end - offset : p.start - offset] if prev is not None else None
        if gap is None or not _LIST_GAP.fullmatch(gap):
            run = set()
        run.add("SY01" if p.admin1_pcode == "SY03" else p.admin1_pcode)
        if len(run) > len(best):
            best = set(run)
        prev = p
    return frozenset(best) if len(best) > 1 else frozenset()


def _widen(place: Located, by_id: dict[str, Located]) -> Located:
    """A neighbourhood taken as context stands for its town ("in the area")."""
    if place.precision == "neighbourhood" and place.parent_id and place.parent_id in by_id:
        return by_id[place.parent_id]
    return place


@dataclass(frozen=True, slots=True)
class Lead:
    """The article's own place and date: its dateline or first sentences."""

    place: Located | None
    date: DateMention | None


def lead_of(sentences: Sequence[SentenceFacts], title_places: Sequence[Located]) -> Lead:
    """The title's place, else the first named in the first sentences, else the place the
    article names most often (the first named among equals)."""
    place = choose([p for p in title_places if p.precision != "country"], 0)
    date = None
    for s in sentences[:4]:
        if place is None:
            finer = [p for p in s.places if p.precision != "country"]
            if finer:
                place = choose(finer, finer[0].start)
        if date is None:
            resolved = [d for d in s.dates if d.start is not None and d.precision == "day"]
            if resolved:
                date = resolved[0]
    if place is None:
        named = [p for s in sentences for p in s.places if p.precision != "country" and not p.away]
        counts = Counter(p.place_id or p.name for p in named)
        if counts:
            top = max(counts.values())
            place = next(p for p in named if counts[p.place_id or p.name] == top)
    return Lead(place, date)


def with_context(
    mentions: list[Mention],
    lead: Lead,
    published: dt.date | None,
    towns: dict[str, Located],
) -> None:
    """Give each mention without a place or date the one its context gives (in place)."""
    last: Mention | None = None
    for m in mentions:
        if m.place is None or m.place.precision == "country":
            # "an attack in Syria": the country says nothing the context cannot narrow
            if (
                last is not None
                and last.place is not None
                and last.place.precision != "country"
                and m.sentence.index - last.sentence.index <= INHERIT_WINDOW
            ):
                m.place = _widen(last.place, towns)
            elif lead.place is not None:
                m.place = _widen(lead.place, towns)
        if m.relative is not None and m.date is None:
            anchor = last.date if last is not None else None
            if anchor is not None and anchor.start is not None:
                m.date = _shift(anchor, m.relative.days, m.relative)
                m.date_explicit = True
                m.anchored = True
        if m.date is None or m.date.start is None and m.date.reason is None:
            if last is not None and last.date is not None:
                m.date = last.date
            elif lead.date is not None:
                m.date = lead.date
            elif published is not None:
                m.date = DateMention(
                    0, 0, "", published - dt.timedelta(days=6), published, "week", False,
                    "the article gives no date for it: the week up to its publication",
                )  # fmt: skip
        last = m


def _agent_kind(m: Mention) -> str | None:
    return next((a.kind for a in m.sentence.actors if a.actor == m.perp.actor), None)


def _other_agent(g: Sequence[Mention], m: Mention) -> bool:
    """The mention names an agent and the event's mentions name another ("killed in a
    barrel bomb attack carried out by government forces ... killed in rebel fire"): two
    acts, not one (a bloc and one of its members may be the same act told twice)."""
    if m.perp.actor is None or _agent_kind(m) == "bloc":
        return False
    named = {x.perp.actor for x in g if x.perp.actor is not None and _agent_kind(x) != "bloc"}
    return bool(named) and m.perp.actor not in named


def _compatible(g: list[Mention], m: Mention) -> bool:
    head = g[0]
    if _other_agent(g, m):
        return False
    typed = [x for x in g if not x.generic]
    types = {x.sub_event_type for x in typed}
    if typed and not m.generic and m.sub_event_type not in types:
        explosive = types <= _EXPLOSIVE_FAMILY and m.sub_event_type in _EXPLOSIVE_FAMILY
        if not (explosive and (m.bare_explosion or all(x.bare_explosion for x in typed))):
            return False
    for x in g:
        if x.place_explicit and m.place_explicit and x.place is not None and m.place is not None:
            if not compatible(x.place, m.place):
                return False
        if x.date_explicit and m.date_explicit and x.date is not None and m.date is not None:
            a, b = x.date, m.date
            if a.start and b.start and a.end and b.end:
                gap = max((b.start - a.end).days, (a.start - b.end).days)
                if gap > 1:
                    return False
    return head is not None


#: A mention with nothing of its own ("The strikes come ...") refers back this many
#: sentences at most.
ANAPHORA_WINDOW: Final[int] = 2


def merge(mentions: Sequence[Mention], dropped: list[str]) -> list[list[Mention]]:
    """Mentions grouped into events (document order)."""
    groups: list[list[Mention]] = []
    for m in mentions:
        near = [
            g for g in groups
            if m.anchored or m.sentence.index - g[-1].sentence.index <= ANAPHORA_WINDOW
        ]  # fmt: skip
        target = next((g for g in reversed(near) if _compatible(g, m)), None)
        if target is not None:
            target.append(m)
        elif m.anchored:
            groups.append([m])
        else:
            dropped.append(
                f"{m.cue.text!r} at {m.cue.start}: generic — no figure, date or place of its own"
            )
    return [g for g in groups if any(x.anchored for x in g)]


def _date_note(ms: Sequence[Mention]) -> tuple[dt.date, dt.date, DatePrecision, str | None] | None:
    explicit = [m.date for m in ms if m.date_explicit and m.date is not None and m.date.start]
    chosen = explicit or [m.date for m in ms if m.date is not None and m.date.start]
    if not chosen:
        return None
    start = min(d.start for d in chosen if d.start)
    end = max(d.end for d in chosen if d.end)
    precision: DatePrecision = max(chosen, key=lambda d: _DATE_RANK[d.precision]).precision
    days = {(d.start, d.end) for d in chosen}
    note = None
    if explicit and len(days) > 1:
        parts = [f"{d.text!r} gives {d.start.isoformat()}" for d in explicit if d.start]
        note = "mentions disagree: " + "; ".join(dict.fromkeys(parts)) + " — the range covers them"
    elif not explicit:
        d = chosen[0]
        note = d.reason or (f"no date of its own: dated from {d.text!r} nearby" if d.text else None)
    if precision == "day" and start != end and (end - start).days > 1:
        precision = "week"
    return start, end, precision, note


def _perpetrator(ms: Sequence[Mention], denied: set[str]) -> Perpetrator:
    order = {"claimed": 0, "reported": 1, "alleged": 2, "unknown": 3}
    named = [m.perp for m in ms if m.perp.actor is not None]
    if named:
        p = min(named, key=lambda p: order[p.attribution])
        attribution = p.attribution
        if p.actor in denied and attribution == "reported":
            attribution = "alleged"
        if any(m.alleged for m in ms) and attribution == "reported":
            attribution = "alleged"
        return Perpetrator(p.text, p.actor, attribution)
    if any(m.alleged or m.perp.attribution == "alleged" for m in ms):
        return Perpetrator(None, None, "alleged")
    return Perpetrator()


def _lead_civilians(group: Sequence[Mention]) -> Count | None:
    """The civilians of the mention that gives the event's first death figure."""
    lead = next((m for m in group if m.tolls.killed is not None), None)
    return lead.tolls.civilians if lead is not None else None


def _fighters_told_later(
    group: Sequence[Mention], killed: Toll | None, civilians: Toll | None
) -> tuple[Toll | None, Toll | None]:
    """A bare figure ("At least 25 killed") that another mention of the event gives as
    fighters ("killing at least 25 army soldiers") counted the fighters: no mention names
    civilians, so none are counted."""
    if killed is None or civilians is None:
        return killed, civilians
    named_civilians = any(
        c.kind == "killed" and c.category == "civilian" for m in group for c in m.tolls.claims
    )
    fighters = [m.tolls.combatants for m in group if m.tolls.combatants is not None]
    if not named_civilians and any(
        f.best is not None and f.best == killed.best and f.best == civilians.best for f in fighters
    ):
        return killed, None
    # "At least 20 people were killed ... 14 of the dead were rebels": the others are the
    # civilians
    some = [
        c.count.best
        for m in group
        for c in m.tolls.claims
        if c.kind == "killed" and c.subset and c.chain == -1 and c.category == "combatant"
    ]
    if (
        not named_civilians
        and some
        and killed.best is not None
        and civilians.best == killed.best
        and all(n is not None and n < killed.best for n in some)
    ):
        rest = killed.best - max(n for n in some if n is not None)
        return killed, Toll(rest, rest, rest if killed.high is not None else None)
    return killed, civilians


def _incident_id(article: Article, first: Mention) -> str:
    digest = hashlib.sha1(f"{article.id}\0{first.cue.start}".encode()).hexdigest()[:10]
    return f"{article.id}:{digest}"


def to_incident(
    article: Article,
    group: Sequence[Mention],
    denied: set[str],
    headline: Perpetration | None = None,
    headline_tolls: Tolls | None = None,
) -> Incident | Unresolved | None:
    """One event -> incident.v1 (``Unresolved`` when its date cannot be known; None when it
    has no place)."""
    primary = max(group, key=lambda m: (not m.generic, m.cue.rank, -m.start))
    place: Located | None = None
    for m in group:  # the first place named, made more precise by places inside it
        if m.place_explicit and m.place is not None:
            if place is None or (m.place.rank < place.rank and contains(place, m.place)):
                place = m.place
    if place is None:
        place = next((m.place for m in group if m.place is not None), None)
    if place is None:
        return None
    methods = tuple(dict.fromkeys(x for m in group for x in m.methods))
    sources: list[Source] = []
    seen: set[int] = set()
    for m in group:
        if m.sentence.start in seen:
            continue
        seen.add(m.sentence.start)
        sources.append(
            Source(
                document_id=article.id, publisher=article.source, url=article.url,
                published=article.published, attributed_to=m.sentence.cited,
                start=m.sentence.start, end=m.sentence.end,
            )
        )  # fmt: skip
    location = Location(
        lat=place.lat, lon=place.lon, precision=place.precision,  # type: ignore[arg-type]
        name=place.name, admin1_pcode=place.admin1_pcode, admin2_pcode=place.admin2_pcode,
        country=place.country,
    )  # fmt: skip
    killed = _merge_count([(m.tolls.killed, m.update) for m in group])
    civilians = _merge_count([(m.tolls.civilians, m.update) for m in group])
    if killed is not None and civilians is not None and (civilians.best or 0) > (killed.best or 0):
        if any(m.update for m in group):
            killed = civilians
        else:  # the lead's figure stands: its civilians, not a larger figure told later
            civilians = _merge_count([(_lead_civilians(group), False)])
    injured = _merge_count([(m.tolls.injured, m.update) for m in group])
    killed, civilians = _fighters_told_later(group, killed, civilians)
    if headline_tolls is not None:  # the headline's figures, when the body gives none
        if killed is None and headline_tolls.killed is not None:
            killed = _merge_count([(headline_tolls.killed, False)])
            civilians = _merge_count([(headline_tolls.civilians, False)])
        if injured is None and headline_tolls.injured is not None:
            injured = _merge_count([(headline_tolls.injured, False)])
    perp = _perpetrator(group, denied)
    if perp.actor is None and headline is not None and headline.actor is not None:
        attribution = "alleged" if perp.attribution == "alleged" else headline.attribution
        perp = Perpetrator(headline.text, headline.actor, attribution)
    sub = primary.sub_event_type
    sub = primary.sub_event_type

    def incident(occurred: Occurred) -> Incident:
        return Incident(
            id=_incident_id(article, group[0]), event_type=event_type_of(sub),  # type: ignore[arg-type]
            sub_event_type=sub, occurred=occurred, location=location,  # type: ignore[arg-type]
            status="proposed", submitted_by=SUBMITTED_BY, method=methods,  # type: ignore[arg-type]
            perpetrator=perp, fatalities=killed, civilian_fatalities=civilians, injured=injured,
            sources=tuple(sources),
        )  # fmt: skip

    when = _date_note(group)
    if when is None:
        reasons = [m.date.reason for m in group if m.date is not None and m.date.reason]
        reason = reasons[0] if reasons else "no date given, and no publication date to date it by"
        draft = codec.to_json(incident(Occurred(dt.date(1, 1, 1), dt.date(1, 1, 1))))
        draft["occurred"] = {
            "start": None, "end": None, "time": None, "precision": "unknown", "note": reason,
        }  # fmt: skip
        return Unresolved(reason, draft)
    start, end, precision, note = when
    return incident(Occurred(start, end, None, precision, note))


def _headline_group(
    groups: Sequence[list[Mention]], title: tuple[Cue, Perpetration] | None
) -> list[Mention] | None:
    """The event the headline is about: the first of its kind (any kind for a generic
    headline word) with no perpetrator of its own — it takes the headline's."""
    if title is None or title[1].actor is None:
        return None
    cue = title[0]
    for g in groups:
        if any(m.perp.actor is not None for m in g):
            continue
        if (
            cue.provisional
            or cue.rank <= 2
            or any(
                m.sub_event_type == cue.sub_event_type or set(cue.methods) & set(m.methods)
                for m in g
            )
        ):
            return g
        return None
    return None


#: A photo caption: "In this photo taken on June 8 ... shows ...", "... (AP Photo)".
CAPTION: Final = re.compile(
    r"^(?:in\s+)?(?:this|a|the)\s+(?:file\s+)?(?:photo|picture|image)\b"
    r"|\((?:[A-Z][\w/.-]*\s+)?(?:photo|file\s+photo|file)\b[^)]*\)\s*$",
    re.IGNORECASE,
)


def _headline_tolls(
    article: Article, groups: Sequence[list[Mention]], title: tuple[Cue, Perpetration] | None
) -> tuple[Tolls | None, list[Mention] | None]:
    """The headline's figures ("Four medics killed in strike on clinic") and the event they
    belong to: the first of the headline's kind (any kind for a generic headline word)
    that is not only a photo caption's scene ("In this photo ... after warplanes attacked
    a street in Aleppo (AP photo)")."""
    if title is None or not article.title or WAR_TOLL.search(article.title):
        return None, None
    tolls = sentence_tolls(article.title)
    if tolls.empty:
        return None, None
    cue = title[0]
    for g in groups:
        if all(CAPTION.search(m.sentence.text) for m in g):
            continue  # a photo caption's scene, not the report's own event
        if (
            cue.provisional
            or cue.rank <= 2
            or any(
                m.sub_event_type == cue.sub_event_type or set(cue.methods) & set(m.methods)
                for m in g
            )
        ):
            return tolls, g
    return None, None


#: A date this many characters into the article at most is its dateline.
DATELINE_CHARS: Final[int] = 40


def _own_date(sentences: Sequence[SentenceFacts], published: dt.date | None) -> dt.date | None:
    """The day the article speaks from: its dateline ("Sat Jul 26 2014 ISIL terrorists
    execute ...") when it opens with a day other than the publication date it was given
    (a re-published or mis-dated copy), else the publication date."""
    if published is None or not sentences:
        return published
    first = sentences[0]
    for d in first.dates:
        if (
            d.begin - first.start <= DATELINE_CHARS
            and d.explicit
            and d.precision == "day"
            and d.start is not None
            and d.start != published
        ):
            return d.start
    return published


def _current(
    mentions: list[Mention], published: dt.date | None, dropped: list[str]
) -> list[Mention]:
    """Mentions the article itself dates long before its publication are recalled events:
    left out before merging, so they lend no place, figure or actor to today's events."""
    if published is None:
        return mentions
    kept = []
    for m in mentions:
        end = m.date.end if m.date_explicit and m.date is not None else None
        if end is not None and (published - end).days >= BACKGROUND_DAYS:
            dropped.append(
                f"{m.cue.text!r} at {m.cue.start}: background — dated {end.isoformat()}, "
                "long before publication"
            )
            continue
        kept.append(m)
    return kept


_DEFINITE = re.compile(r"\b(?:the|these|those|this|that)\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)


def _agent(g: Sequence[Mention]) -> Perpetration | None:
    return next((m.perp for m in g if m.perp.actor is not None), None)


def lend_agents(groups: list[list[Mention]]) -> None:
    """An event told again by a definite reference in the next sentences ("Syrian and
    Russian warplanes launched air strikes ... The air strikes killed 45"; "an air strike
    killed 15 ... the strike was suspected to have been carried out by Russian planes")
    is the same act: when one of the two names the agent and the other names none, the
    other takes it (with its attribution). The groups stay apart (their figures may be
    for different places); only the agent is shared."""
    for k in range(1, len(groups)):
        b = groups[k]
        first = b[0]
        head = first.sentence.text[
            max(0, first.cue.start - first.sentence.start - 40) : first.cue.start
            - first.sentence.start
        ]
        if not _DEFINITE.search(head):
            continue
        for a in reversed(groups[:k]):
            if first.sentence.index - a[-1].sentence.index > ANAPHORA_WINDOW:
                break
            if a[0].sub_event_type != first.sub_event_type:
                continue
            pa, pb = _agent(a), _agent(b)
            if pa is not None and pb is None:
                b[0] = replace(first, perp=pa)
            elif pb is not None and pa is None:
                a[0] = replace(a[0], perp=pb)
            break


#: A claim of responsibility told in a sentence of its own ("Daesh claimed responsibility
#: via its news agency Amaq").
CLAIM: Final[re.Pattern[str]] = re.compile(
    r"\bclaim(?:ed|s|ing)?\s+(?:the\s+)?(?:responsibility|credit)\b", re.IGNORECASE
)
#: How many sentences back a claim of its own reaches the act it claims.
CLAIM_WINDOW: Final[int] = 2


def lend_claims(groups: list[list[Mention]], sentences: Sequence[SentenceFacts]) -> None:
    """A claim of responsibility in a sentence without an event word ("The bombing killed
    20 ... Daesh claimed responsibility via its news agency") claims the event told just
    before it (within ``CLAIM_WINDOW`` sentences) when that event names no agent."""
    for s in sentences:
        if s.cues or not s.actors:
            continue
        m = CLAIM.search(s.text)
        if m is None:
            continue
        perp = perpetrator(s.text, s.start + m.start(), s.start + m.end(), s.actors, offset=s.start)
        if perp.actor is None or perp.attribution != "claimed":
            continue
        told = [g for g in groups if any(0 < s.index - x.sentence.index <= CLAIM_WINDOW for x in g)]
        if told and _agent(told[-1]) is None:
            told[-1][0] = replace(told[-1][0], perp=perp)


def denied_actors(sentences: Sequence[SentenceFacts]) -> set[str]:
    """Actors the article says denied something ("Syria has denied carrying out the attack")."""
    out: set[str] = set()
    for s in sentences:
        if re.search(r"\bden(?:ied|ies|y|ying)\b|\brefuted\b|\brejected\b", s.text, re.IGNORECASE):
            out.update(a.actor for a in s.actors if a.kind not in ("civilians", "humanitarian"))
    return out


def assemble(
    article: Article,
    sentences: Sequence[SentenceFacts],
    title_places: Sequence[Located] = (),
    towns: dict[str, Located] | None = None,
    title: tuple[Cue, Perpetration] | None = None,
) -> tuple[list[Incident], list[Unresolved], list[str], list[str]]:
    """The incidents an article reports, those it reports without a knowable date, the
    event words left out with the reason, and the ids of the incidents told only as what
    came before another ("... just a day after airstrikes on a school in Idlib")."""
    dropped: list[str] = []
    mentions = mentions_of(sentences, dropped)
    lead = lead_of(sentences, title_places)
    by_id = dict(towns or {})
    for s in sentences:
        for p in s.places:
            if p.place_id and p.precision == "town":
                by_id.setdefault(p.place_id, p)
    with_context(mentions, lead, article.published, by_id)
    asof = _own_date(sentences, article.published)
    mentions = _current(mentions, asof, dropped)
    groups = merge(mentions, dropped)
    lend_agents(groups)
    lend_claims(groups, sentences)
    denied = denied_actors(sentences)
    headline = _headline_group(groups, title)
    counted, counted_group = _headline_tolls(article, groups, title)
    incidents: list[Incident] = []
    unresolved: list[Unresolved] = []
    recalled: list[str] = []
    roundups: list[tuple[str, frozenset[str]]] = []
    for g in groups:
        made = to_incident(
            article, g, denied, title[1] if title and g is headline else None,
            counted if g is counted_group else None,
        )  # fmt: skip
        if made is None:
            dropped.append(f"{g[0].cue.text!r} at {g[0].cue.start}: no place named for it")
        elif isinstance(made, Unresolved):
            unresolved.append(made)
        elif asof is not None and (asof - made.occurred.end).days >= BACKGROUND_DAYS:
            dropped.append(
                f"{g[0].cue.text!r} at {g[0].cue.start}: background — dated "
                f"{made.occurred.start.isoformat()}, long before publication"
            )
        else:
            incidents.append(made)
            if g[0].recalled:
                recalled.append(made.id)
            listed = frozenset().union(*(m.listed for m in g))
            if listed:
                roundups.append((made.id, listed))
    return _placed_roundups(incidents, roundups), unresolved, dropped, recalled


def _gov(i: Incident) -> str | None:
    code = i.location.admin1_pcode
    return "SY01" if code == "SY03" else code


def _placed_roundups(
    incidents: list[Incident], roundups: Sequence[tuple[str, frozenset[str]]]
) -> list[Incident]:
    """A round-up ("four people killed in Damascus, its countryside, Aleppo and Homs")
    whose places the article then tells event by event sums their figures: it happened
    where most of its dead fell — the place of the largest toll told in the governorate
    whose told tolls add up to the most — not in the place it lists first. It keeps that
    place when the article tells dead there too, or when its figure is not their sum."""

    def dead_in(i: Incident) -> int:
        return (i.fatalities.best or 0) if i.fatalities is not None else 0

    ids = {rid for rid, _ in roundups}
    out = list(incidents)
    for rid, listed in roundups:
        told = [i for i in incidents if i.id not in ids and _gov(i) in listed]
        if len({_gov(i) for i in told}) < 2:
            continue
        dead: Counter[str] = Counter()
        for i in told:
            dead[_gov(i) or ""] += dead_in(i)
        top, n = dead.most_common(1)[0]
        k = next(k for k, i in enumerate(out) if i.id == rid)
        if n == 0 or dead[_gov(out[k]) or ""] > 0 or dead_in(out[k]) < n:
            continue
        where = max((i for i in told if _gov(i) == top), key=dead_in)
        out[k] = replace(out[k], location=where.location)
    return out


__all__ = ["SentenceFacts", "assemble", "replace"]
