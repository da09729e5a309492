"""Where: the scenario's gazetteer applied to an article, and the place of each event.

``places_in`` scans the article once (``Gazetteer.find_in_text``) and resolves every name
with the others named in the article as context (``Gazetteer.resolve``). Two habits of
news text are handled here, keeping offsets true: a possessive ("Aleppo's", or "Aleppos"
in texts stripped of apostrophes) is read as the name, and a place name that opens an
organisation's name ("Aleppo Media Center") is not a place, nor is a capital that stands
for its government ("Damascus denied", "its Damascus ally", "Moscow and Damascus").

``choose`` picks the place of an event among those in its sentence: the most precise one
(neighbourhood, then town, district, province; the country only when nothing else is
named), the one nearest the event word among equals; a place followed closely by a
province or district that does not hold it ("Al-Shaara ... in Deir Ezzor province") is a
wrong reading of the name and yields to the others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from ceasewatch.places import Gazetteer, Mention, Place, Resolution
from ceasewatch.places.gazetteer import haversine_km

PRECISION_ORDER: Final[dict[str, int]] = {
    "exact": 0,
    "neighbourhood": 1,
    "town": 2,
    "district": 3,
    "province": 4,
    "country": 5,
}
#: Capitalised words that, right after a place name, make it part of an organisation's name.
ORG_WORDS: Final[frozenset[str]] = frozenset(
    """Media Center Centre Council Committee University Governor Airport Brigade Brigades
    Front Battalion Battalions Network Coordination Coordinating Revolutionary Revolution
    Military Operations Room Channel TV Radio News Agency Observatory Today Times Post Club
    Group Army Shield Conquest Liberation Directorate Police Court Province's Hospital
    Mosque University's Declaration Process Talks Conference Accord Agreement Communique
    Statement""".split()
)
_AWAY = re.compile(
    r"\btowards?(?:\s+(?!in\b|at\b|on\b|near\b)[\w'’-]+){0,4}\s+$|"  # "push towards the Daesh group's Raqqa"
    r"\b(?:from|to|towards|toward|into|fled|flee|leave|leaving|left|evacuated|reach|reached|between"
    r"|(?:residents|natives|inhabitants|evacuees)\s+of)"
    r"(?:\s+(?:the\s+)?(?:towns?|villages?|cit(?:y|ies)|areas?|provinces?|governorates?|regions?|districts?"
    r"|neighbou?rhoods?|of|and|two|three|neighbouring|nearby|besieged"
    r"|(?:north|south|east|west)(?:ern|-?(?:east|west)ern)?|government-held|rebel-held|mostly|shiite|shia))*\s+$",
    re.IGNORECASE,
)
#: Where the attackers were, not where their fire fell: "terrorists positioned in Bustan
#: al-Qasser fired a shell on ...", "groups located in Binnish and Maaret Masrin" (but not
#: "positioned in the eastern neighbourhoods of Aleppo": a part of the place named).
_ORIGIN = re.compile(
    r"\b(?:positioned|stationed|entrenched|holed\s+up|deployed"
    r"|(?:terrorists?|groups?|organi[sz]ations?|militants?|rebels?|gunmen|fighters|factions?)"
    r"\s+(?:\w+\s+){0,2}?(?:located|based))"
    r"\s+(?:in|at|inside|on)(?:\s+the)?"
    r"(?:\s+(?:towns?|villages?|cit(?:y|ies)|neighbou?rhoods?|districts?)\s+of)?\s+$",
    re.IGNORECASE,
)
#: Between two places of one list ("Foua and Kafraya", "Madaya, Zabadani").
_LIST_ON = re.compile(r"\s*(?:,|\band\b|\bor\b|,\s*and\b)\s*", re.IGNORECASE)
#: A province or district named this many characters after a place at most is read as
#: where that place is ("X, a village in Y province").
PLACED_BY: Final[int] = 60
#: How far (km) from the town a text says a place is "near" or "east of" it may lie.
NEAR_TOWN_KM: Final[float] = 60.0
#: Between a place and the town that locates it: "X, east of Y", "X near Y", "X in the
#: city of Y", "X, a village outside Y".
#: Words that may describe the town named after "the ... city of": "the central city of Homs".
_TOWN_WORDS = (
    r"(?:(?:(?:north|south|east|west)(?:ern)?|(?:north|south)-?(?:east|west)ern|central|provincial"
    r"|coastal|besieged|embattled|key|strategic|nearby|major|(?:rebel|government|regime)-held)\s+)*"
)
_LOCATED_BY = re.compile(
    r"\s*,?\s*(?:(?:a|an|the|which\s+is|located|situated|just|some|about|around|roughly|nearly)\s+)*"
    r"(?:(?:small|large|major|key|strategic|rural|northern|southern|eastern|western|gas|oil"
    r"|fields?|oilfields?|gasfields?|village|town|city|area|district|suburb|neighbou?rhood|air"
    r"|military|base|airbase|airport|checkpoint|camp|crossing|border|dam|hill|mountain|plain"
    r"|region|countryside)s?\s+){0,3}"
    r"(?:in|near|outside|(?:some\s+)?\d+\s*(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+)?(?:of|from)"
    r"|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+(?:of|outskirts\s+of))"
    r"\s+(?:the\s+)?(?:" + _TOWN_WORDS + r"(?:city|town|village)\s+of\s+)?",
    re.IGNORECASE,
)
#: Other names of the same list between a place and what locates it: "al-Hamadaniye and
#: Salah-Eddin neighborhoods in Aleppo city".
_LIST_BEFORE = r"(?:\s*(?:,\s*(?:and\s+)?|\s+and\s+)(?-i:(?:al-|el-|the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,2}))*"
_IN_TOWN = re.compile(
    r"\bin\s+(?:the\s+)?(?:" + _TOWN_WORDS + r"(?:city|town|village)\s+of\s+)?$", re.IGNORECASE
)
_LISTED_LOCATED_BY = re.compile(_LIST_BEFORE + _LOCATED_BY.pattern, re.IGNORECASE)
_POSSESSIVE = re.compile(r"(?<=[A-Za-z])['’]s\b")
_BARE_POSSESSIVE = re.compile(r"\b[A-Z][a-z]{2,}s\b")


@dataclass(frozen=True, slots=True)
class Located:
    """A place named in the article, resolved (or as far as it could be)."""

    start: int
    end: int
    text: str
    name: str
    lat: float
    lon: float
    precision: str
    admin1_pcode: str | None
    admin2_pcode: str | None
    country: str | None
    place_id: str | None
    parent_id: str | None
    reason: str

    #: Named as where someone came from or went to ("evacuees from Foua", "fled to
    #: Turkey"), not where something happened.
    away: bool = False
    #: Said to lie in or near a town of another governorate ("the Shaar gas field east of
    #: Homs" where the gazetteer's only Shaar is in Aleppo): a wrong reading of the name.
    misread: bool = False

    @property
    def rank(self) -> int:
        return PRECISION_ORDER.get(self.precision, 9)


def _masked(text: str) -> str:
    """The text with possessive endings blanked out (same length, offsets unchanged)."""
    return _POSSESSIVE.sub("  ", text)


#: A capital that speaks is its government ("Damascus refuted these allegations").
_SPEAKS = re.compile(
    r"\s+(?:has\s+|have\s+|had\s+|also\s+|has\s+also\s+|repeatedly\s+|strongly\s+)?"
    r"(?:said|says|say|denied|denies|deny|refuted|refutes|rejected|rejects|accused|accuses|blamed"
    r"|blames|insisted|insists|claimed|claims|announced|warned|warns|stated|responded|vowed"
    r"|maintained|maintains|condemned|condemns|dismissed|agreed|agrees|wants|hopes)\b"
)
_GOVERNMENT_SEATS: Final[frozenset[str]] = frozenset(
    {"damascus", "moscow", "washington", "ankara", "tehran"}
)


#: A capital that names its government: "its Damascus ally", "the Damascus regime",
#: "Moscow and Damascus".
_GOVERNMENT_AFTER = re.compile(
    r"\s*(?:-\s*based\s+)?(?:ally|allies|regime|government|authorities|officials|leadership"
    r"|and\s+(?:its|their)\s+all(?:y|ies))\b"
)
_OWNED_BEFORE = re.compile(r"\b(?:its|their|his|her)\s+$")
_SEAT_PAIR_AFTER = re.compile(r"\s+(?:and|or)\s+(?:Moscow|Washington|Ankara|Tehran|Damascus)\b")
_SEAT_PAIR_BEFORE = re.compile(r"\b(?:Moscow|Washington|Ankara|Tehran|Damascus)\s+(?:and|or)\s+$")


def _speaks(text: str, start: int, end: int) -> bool:
    """Whether the capital at ``text[start:end]`` stands for its government: it speaks
    ("Damascus denied"), owns or is an ally ("its Damascus ally", "the Damascus
    regime"), or is paired with another government's capital ("Moscow and Damascus")."""
    if text[start:end].lower() not in _GOVERNMENT_SEATS:
        return False
    if _SPEAKS.match(text, end) or _SEAT_PAIR_AFTER.match(text, end):
        return True
    before = text[max(0, start - 20) : start]
    if _SEAT_PAIR_BEFORE.search(before) or _OWNED_BEFORE.search(before):
        return True
    return bool(_GOVERNMENT_AFTER.match(text, end))


def _org(text: str, end: int) -> bool:
    m = re.match(r"\s+([A-Z][\w']*)", text[end : end + 40])
    return bool(m and m.group(1) in ORG_WORDS)


def _bare_possessives(g: Gazetteer, text: str, taken: list[tuple[int, int]]) -> list[Mention]:
    out: list[Mention] = []
    for m in _BARE_POSSESSIVE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        word = m.group()
        if g.lookup(word):
            continue
        places = tuple(
            p for p in g.lookup(word[:-1]) if p.kind in ("city", "governorate", "country")
        )
        if places:
            out.append(Mention(m.start(), m.end() - 1, word[:-1], (word[:-1].lower(),), places))
    return out


def _name(g: Gazetteer, place: Place, written: str) -> str:
    """A neighbourhood as the text spells it, with its town: "al-Sukkari, Aleppo"."""
    if place.parent:
        parent = g.get(place.parent)
        if parent is not None:
            return f"{written}, {parent.name}"
    return place.name


def _located(g: Gazetteer, m: Mention, r: Resolution) -> Located | None:
    if r.place is not None:
        p = r.place
        return Located(
            m.start, m.end, m.text, _name(g, p, m.text), p.lat, p.lon, p.precision,
            p.admin1_pcode, p.admin2_pcode, p.country, p.id, p.parent, r.reason,
        )  # fmt: skip
    # ambiguous: keep what the candidates agree on, at the point of that admin unit
    code = r.admin2_pcode or r.admin1_pcode
    unit = g.get(code) if code else None
    if unit is None or not r.candidates:
        return None
    return Located(
        m.start, m.end, m.text, f"{m.text} ({unit.name})", unit.lat, unit.lon,
        "district" if r.admin2_pcode else "province", r.admin1_pcode, r.admin2_pcode,
        unit.country, None, None, r.reason,
    )  # fmt: skip


def places_in(
    g: Gazetteer, text: str, spans: Sequence[tuple[int, int]] | None = None
) -> list[Located]:
    """Every place named in ``text`` (within ``spans`` when given), resolved, in order."""
    masked = _masked(text)
    found: list[Mention] = []
    for s, e in spans if spans is not None else [(0, len(text))]:
        part = masked[s:e]
        here = [
            m for m in g.find_in_text(part)
            if not _org(part, m.end) and not _speaks(part, m.start, m.end)
        ]  # fmt: skip
        here += _bare_possessives(g, part, [(m.start, m.end) for m in here])
        here += [  # spellings known by their consonants only ("Tabaqa" for Tabqa)
            m for m in g.find_variants(part, [(m.start, m.end) for m in here])
            if not _org(part, m.end) and not _speaks(part, m.start, m.end)
        ]  # fmt: skip
        found += [Mention(m.start + s, m.end + s, m.text, m.key, m.places) for m in here]
    mentions = sorted(found, key=lambda m: m.start)
    mentions = [Mention(m.start, m.end, text[m.start : m.end], m.key, m.places) for m in mentions]
    context = _context(mentions)
    out: list[Located] = []
    cache: dict[tuple[str, ...], Resolution] = {}
    away_end = -1
    for m in mentions:
        r = cache.get(m.key)
        if r is None:
            near = [c for c in context if c.key != m.key]
            r = g.resolve([m, *near])
            cache[m.key] = r
        loc = _located(g, m, r)
        if loc is not None:
            before = text[max(0, m.start - 60) : m.start]
            if (
                _AWAY.search(before[-40:])
                or _ORIGIN.search(before)
                or (away_end >= 0 and _LIST_ON.fullmatch(text[away_end : m.start]))
            ):  # "evacuees from Foua and Kafraya": both are where they came from
                loc = replace(loc, away=True)
                away_end = m.end
            else:
                away_end = -1
            out.append(loc)
    return _neighbourhoods_of_the_city(
        g, text, _placed_by_text(g, text, out, {m.start: m for m in mentions})
    )


_CALLED_NEIGHBOURHOOD_BEFORE = re.compile(
    r"\b[Nn]eighbou?rhoods?\s+of\s+(?:the\s+)?(?:(?:al-|el-)?[A-Z][\w'’-]*(?:\s+and)?\s+){0,4}$"
)
_CALLED_NEIGHBOURHOOD_AFTER = re.compile(r"\s+neighbou?rhoods?\b", re.IGNORECASE)
#: How far before a name the text calls a neighbourhood its city may be named.
CITY_BEFORE: Final[int] = 600


def _neighbourhoods_of_the_city(g: Gazetteer, text: str, found: list[Located]) -> list[Located]:
    """A name the text calls a neighbourhood ("the neighbourhoods of Halab al-Jadideh",
    "al-Hamadaniyeh neighborhood") that the gazetteer knows only as a village or area
    outside the governorate of every city named just before it (the gazetteer's
    Hamdaniyah are villages of Idlib and Hasakeh; the text is about Aleppo city) is a
    wrong reading of the name: ``misread``."""
    out = list(found)
    cities = [
        p for p in found
        if p.place_id is not None and (c := g.get(p.place_id)) is not None and c.kind == "city"
    ]  # fmt: skip
    for i, p in enumerate(found):
        if p.precision == "neighbourhood" or p.misread or p.away:
            continue
        called = _CALLED_NEIGHBOURHOOD_BEFORE.search(
            text[max(0, p.start - 80) : p.start]
        ) or _CALLED_NEIGHBOURHOOD_AFTER.match(text, p.end)
        if not called:
            continue
        near = [c for c in cities if c is not p and 0 < p.start - c.end <= CITY_BEFORE]
        if near and all(c.admin1_pcode != p.admin1_pcode for c in near):
            out[i] = replace(p, misread=True)
    return out


def _placed_by_text(
    g: Gazetteer, text: str, found: list[Located], mentions: dict[int, Mention]
) -> list[Located]:
    """A neighbourhood or town the text locates in or near a town ("Madaya, a town near
    Damascus", "the Shaar gas field east of Homs"): the place of that name near that town
    is meant; when the gazetteer has none within ``NEAR_TOWN_KM`` (or the distance the
    text gives, and some), the name is marked ``misread``."""
    out = list(found)
    fixed: dict[tuple[str, ...], Resolution | None] = {}
    for i, p in enumerate(found):
        if p.rank > PRECISION_ORDER["town"]:
            continue
        for q in found[i + 1 :]:
            if q.start - p.end > PLACED_BY:
                break
            if q.precision != "town" or q.place_id is None or q.away:
                continue
            gap = _LISTED_LOCATED_BY.fullmatch(text, p.end, q.start)
            town = g.get(q.place_id)
            if gap is None or town is None:
                break
            own = g.get(p.place_id) if p.place_id is not None else None
            if own is not None and own.kind == "city":
                break  # a city is not misread ("Idlib near Aleppo")
            km = re.search(r"(\d+)\s*(?:km|kilomet)", gap.group())
            limit = int(km.group(1)) + NEAR_TOWN_KM / 2 if km else NEAR_TOWN_KM
            if _IN_TOWN.search(gap.group()):
                # "X in Y": Y may be the town or the governorate named after it
                if p.admin1_pcode == town.admin1_pcode:
                    break
            elif haversine_km(p.lat, p.lon, town.lat, town.lon) <= limit:
                break
            m = mentions.get(p.start)
            near = [
                c for c in (m.places if m is not None else ())
                if c.kind not in ("governorate", "district", "country")
                and haversine_km(c.lat, c.lon, town.lat, town.lon) <= limit
            ]  # fmt: skip
            if near and m is not None:
                best = min(near, key=lambda c: haversine_km(c.lat, c.lon, town.lat, town.lon))
                r = Resolution(
                    m.text, "resolved", f"the text places it near {town.name}", best, m.places,
                    best.admin1_pcode, best.admin2_pcode, best.precision,
                )  # fmt: skip
                loc = _located(g, m, r)
                if loc is not None:
                    fixed[m.key] = r
                    break
            if m is not None:
                fixed.setdefault(m.key, None)
            break
    if not fixed:
        return out
    # the reading the text gives holds for every mention of the name in the article
    for i, p in enumerate(out):
        m = mentions.get(p.start)
        if m is None or m.key not in fixed:
            continue
        r2 = fixed[m.key]
        loc = _located(g, m, r2) if r2 is not None else None
        out[i] = replace(loc, away=p.away) if loc is not None else replace(p, misread=True)
    return out


def _context(mentions: Sequence[Mention], limit: int = 12) -> list[Mention]:
    """Distinct names of the article (first ``limit``): the context for resolving each."""
    seen: set[tuple[str, ...]] = set()
    out: list[Mention] = []
    for m in mentions:
        if m.key in seen:
            continue
        seen.add(m.key)
        out.append(m)
        if len(out) >= limit:
            break
    return out


def choose(places: Sequence[Located], near: int) -> Located | None:
    """The place of an event whose word stands at offset ``near``: the most precise place
    named, the nearest among equals; the country only when nothing finer is named.

    A neighbourhood and the city it belongs to are one place: the neighbourhood wins.
    """
    if not places:
        return None
    units = [q for q in places if q.precision in ("province", "district")]

    def misplaced(p: Located) -> bool:
        # "Al-Shaara, a town in Deir Ezzor province": the province named right after a
        # place says where it is; a finer place resolved outside it is a wrong reading
        return p.misread or (
            p.rank < PRECISION_ORDER["district"]
            and any(0 <= q.start - p.end <= PLACED_BY and not contains(q, p) for q in units)
        )

    fitting = [p for p in places if not misplaced(p) and not p.away]
    fitting = fitting or [p for p in places if not p.away and not p.misread]
    if not fitting:
        # only where people came from or went to: the sentence does not say where it
        # happened (the context will)
        return None
    return min(fitting, key=lambda p: (p.rank, abs(p.start - near)))


def contains(outer: Located, inner: Located) -> bool:
    """Whether ``inner`` lies within ``outer`` as far as the gazetteer knows (same place,
    a neighbourhood of that city, or inside that district/governorate/country)."""
    if outer.place_id is not None and outer.place_id == inner.place_id:
        return True
    if inner.parent_id is not None and inner.parent_id == outer.place_id:
        return True
    if outer.precision == "country":
        return outer.country == inner.country
    if outer.precision == "province":
        return outer.admin1_pcode is not None and outer.admin1_pcode == inner.admin1_pcode
    if outer.precision == "district":
        return outer.admin2_pcode is not None and outer.admin2_pcode == inner.admin2_pcode
    return False


def compatible(a: Located, b: Located) -> bool:
    """Two places that may be the same event's: one contains the other."""
    return contains(a, b) or contains(b, a)
