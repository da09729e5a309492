"""The gazetteer: names -> places, a fast scan of a text for place names, and the choice
among places that share a name.

Everything here is pure: a ``Gazetteer`` is built from ``Place`` values (or the text of a
gazetteer file) and answers from memory.

>>> g = Gazetteer([
...     Place("SY02", "Aleppo", 36.2, 37.2, "province", "SY02", None, "SY", "governorate"),
...     Place("c1", "Aleppo", 36.2, 37.16, "town", "SY02", "SY0200", "SY", "city", ("Aleppo", "Halab")),
...     Place("n1", "al-Sukkari", 36.17, 37.13, "neighbourhood", "SY02", "SY0200", "SY",
...           "neighbourhood", parent="c1"),
... ])
>>> [p.id for p in g.lookup("halab")], [p.id for p in g.lookup("ALEPPO")]
(['c1'], ['c1', 'SY02'])
>>> [(m.text, m.start, m.places[0].id) for m in g.find_in_text("Jets hit al-Sukkari in Aleppo.")]
[('al-Sukkari', 9, 'n1'), ('Aleppo', 23, 'c1')]
>>> g.resolve(["Sukkary", "Aleppo"]).place.id
'n1'
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from ceasewatch.places import tsv
from ceasewatch.places.admin import AdminIndex
from ceasewatch.places.model import Mention, Place, Resolution
from ceasewatch.places.normalize import NON_ENGLISH_ARTICLES, WORD, fold, is_article, key

#: Order of places that share a name, before prominence: a city before the governorate and
#: district named after it, those before the towns, villages and sites of the same name.
KIND_RANK: Final[dict[str, int]] = {
    "city": 0,
    "governorate": 1,
    "district": 2,
    "country": 3,
    "town": 4,
    "neighbourhood": 4,
    "village": 4,
    "area": 4,
    "site": 5,
}

#: Kinds that "X <word>" selects: "Idlib province", "Aleppo city", "Homs countryside".
KIND_WORDS: Final[dict[str, frozenset[str]]] = {
    "province": frozenset({"governorate"}),
    "provinces": frozenset({"governorate"}),
    "governorate": frozenset({"governorate"}),
    "countryside": frozenset({"governorate"}),
    "district": frozenset({"district", "neighbourhood"}),
    "city": frozenset({"city", "town"}),
    "town": frozenset({"city", "town", "village"}),
    "village": frozenset({"village", "town"}),
    "neighbourhood": frozenset({"neighbourhood"}),
    "neighborhood": frozenset({"neighbourhood"}),
    "quarter": frozenset({"neighbourhood"}),
    "suburb": frozenset({"town", "neighbourhood", "village"}),
    "area": frozenset({"area", "district"}),
}
_KIND_KEYS: Final[dict[str, frozenset[str]]] = {fold(w): k for w, k in KIND_WORDS.items()}

#: One-word names that are also generic Arabic place-words ("gate", "hill", "village"),
#: English words, or short: matched in a text only with an article attached (``al-Bab``,
#: not ``Bab``) or inside a longer name (``Tall Rifaat``). Judged on the Syrian data: the
#: one-word names of the bundled gazetteer that read as something else when capitalised.
WEAK_WORDS: Final[frozenset[str]] = frozenset(
    fold(w)
    for w in (
        "Bab", "Tal", "Tell", "Tall", "Jabal", "Deir", "Kafr", "Ain", "Ras", "Umm", "Abu",
        "Beit", "Khan", "Wadi", "Sheikh", "Hay", "Qasr", "Jisr", "Burj", "Mazraa", "Khirbat",
        "Hamra", "Asia", "Arak", "Orm", "Mashhad", "Mansoura", "Sakhour", "Hara", "Sahel",
        "Sahil", "Jazira", "Maria", "Salma", "Sara", "Dana", "Nada", "Tina", "Alma", "Rasha",
        "Sama", "Salwa", "Dura", "Bira", "Tuba", "Mara", "Mari", "Sura", "Tana", "Mina",
        "Hula", "Rami", "Jana", "Kinda", "Shahba", "Maida", "Sada", "Saida", "Bara",
        "Baraka", "Karama", "Nasib", "Sabha", "Tishrin", "Furat", "Matin", "Ula", "Basima",
        "Imara", "Jadida", "Najma", "Zahra", "Nimr", "Sin", "Sur", "San", "Man", "Mal",
        "Cat", "Has", "Tub", "Bal", "Kum", "Ara", "Luf", "Hul", "Dur", "Jid", "Kah", "Tah",
        "Miles", "Here", "Mair", "Hadar", "Hader",
    )
)  # fmt: skip

#: Names never matched in a text, even with an article: in news on Syria they are nearly
#: always part of a person's or a group's name (``al-Assad``, ``Ahrar al-Sham``,
#: ``Suheil al-Nimr``, ``Abu Omar``) or another country's place (``Qatar``, ``Ramadi``).
NEVER_SCANNED: Final[frozenset[tuple[str, ...]]] = frozenset(
    key(n)
    for n in (
        "Assad", "Asad", "Sham", "Nimr", "Rashid", "Hussein", "Husain", "Uthman", "Abbas",
        "Karim", "Darwish", "Faraj", "Hamd", "Hamdan", "Nusra", "Islam", "Jihad", "Ansar",
        "Omar", "Umar", "Ali", "Hassan", "Hasan", "Mahmoud", "Muhammad", "Ahmad", "Hazem",
        "Khattab", "Bouthaina", "Buthaina", "Sarraf", "Abu Omar", "Abu Ubaidah", "Qatar",
        "Ramadi", "Sinjar", "Karak", "Sharia", "Bani", "Kelly", "Mayer",
    )
)  # fmt: skip

#: Short names matched alone all the same (well-known places of three letters or fewer).
SHORT_OK: Final[frozenset[str]] = frozenset(fold(w) for w in ("Fua", "Foua", "T4"))

#: Words before a name that say which part of it is meant (``eastern Aleppo``): looked
#: through by ``lookup`` when the whole text is not a name.
DIRECTION_WORDS: Final[frozenset[str]] = frozenset(
    fold(w)
    for w in (
        "north", "south", "east", "west", "northern", "southern", "eastern", "western",
        "northeast", "northwest", "southeast", "southwest", "northeastern", "northwestern",
        "southeastern", "southwestern", "central", "besieged", "rural", "greater", "old",
        "downtown", "outskirts", "countryside", "of", "the", "in", "near",
    )
)  # fmt: skip

#: A town is taken over others of its name, with no other evidence, when the sources
#: record at least this many events there and this many times more than at any other.
PROMINENT_EVENTS: Final = 10
PROMINENT_RATIO: Final = 5

_ADMIN_KINDS: Final = frozenset({"governorate", "district", "country"})

#: Distance (km) within which a co-mentioned city or town vouches for a place.
NEAR_KM: Final[dict[str, float]] = {"city": 12.0, "town": 6.0, "village": 4.0}


_VOWELS = str.maketrans("", "", "aeiouyw")


def skeleton(k: Sequence[str]) -> str:
    """A folded key without the vowels after each word's first letter: transliterations
    that differ only in their vowels share it ("Tabaqa"/"Tabqa", "Jisr al-Shaghour"/"Jisr
    ash Shughur", "al-Hamadaniyeh"/"Hamdaniyah").

    >>> skeleton(key("Tabaqa")) == skeleton(key("Tabqa")), skeleton(key("Jisr al-Shaghour"))
    (True, 'jsr shgr')
    """
    return " ".join(t[:1] + t[1:].translate(_VOWELS) for t in k)


#: Words that say the capitalised words beside them name a place: a spelling known only
#: by its consonants is taken when one stands right before ("the town of Tabaqa") or
#: after it ("the Hamadaniyeh neighbourhood"), or when the name has several words.
_PLACE_BEFORE = re.compile(
    r"\b(?:towns?|villages?|cit(?:y|ies)|neighbou?rhoods?|districts?|suburbs?|areas?|countryside"
    r"|outskirts|province|governorate)\s+of\s+(?:the\s+)?$|\b(?:in|near|outside|on|at)\s+$",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(
    r"\s+(?:neighbou?rhoods?|village|town|district|suburb|countryside|province|area|city)\b",
    re.IGNORECASE,
)
_TOWN_BEFORE = re.compile(r"\b(?:town|village|city)\s+of\s+$", re.IGNORECASE)
_TOWN_AFTER = re.compile(r"\s+(?:village|town|city|province)\b", re.IGNORECASE)
#: Variants must be this close to the name they stand for (edits per letter).
VARIANT_EDITS: Final[float] = 0.2
#: ... and keep this many consonants at least.
VARIANT_MIN_CONSONANTS: Final[int] = 4


class GazetteerInvalid(ValueError):
    """A gazetteer file could not be used at all (its problems are in ``problems``)."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = tuple(problems)


def _ranked(places: Sequence[Place]) -> tuple[Place, ...]:
    """Places sharing a name, best first: by ``KIND_RANK`` and prominence, except that a
    town which the same-named governorate or district holds comes before them (the unit
    is named after its seat: ``Zabadani`` the town before ``Zabadani`` the district)."""
    admins = [p for p in places if p.kind in _ADMIN_KINDS]

    def rank(place: Place) -> tuple[int, int, str]:
        r = KIND_RANK.get(place.kind, 9)
        if (
            place.kind in ("town", "village")
            and admins
            and all(_contains(a, place) for a in admins)
        ):
            r = 1
        return (r, -place.events, place.id)

    return tuple(sorted(places, key=rank))


#: What being the seat of a same-named governorate weighs when resolving a name ("Hama" is
#: the city of Hama governorate, not a village called al-Hamah near Damascus, unless the
#: text names more around the village).
SEAT_PRIOR: Final[int] = 4
#: The weight (``_relation``) of a co-mentioned place near a candidate or in its district.
NEAR_RELATION: Final[int] = 3


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two points given in degrees, in kilometres.

    >>> round(haversine_km(36.2012, 37.1612, 33.5134, 36.2916))  # Aleppo to Damascus
    309
    """
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = (
        math.sin((la2 - la1) / 2) ** 2
        + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def distance_km(a: Place, b: Place) -> float:
    """Great-circle distance between two places, in kilometres."""
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


_HYPHENS: Final = ("-", "\u2010", "\u2011")
_PLAIN_GAP: Final = frozenset(" -\u2010\u2011\u00a0")
#: News text repeats its words: fold each once.
_fold_word = lru_cache(maxsize=1 << 16)(fold)


@dataclass(frozen=True, slots=True)
class _Token:
    start: int
    end: int
    key: str
    upper: bool
    #: An article precedes it, joined by a hyphen or (for al/el) a space: its start.
    article_start: int | None
    #: Only spaces, hyphens and articles separate it from the previous significant token.
    joined: bool


@lru_cache(maxsize=8)
def _tokens(text: str) -> tuple[_Token, ...]:
    """The text's words (cached: ``find_in_text`` and ``find_variants`` scan the same
    text one after the other)."""
    return tuple(_scan_tokens(text))


def _scan_tokens(text: str) -> list[_Token]:
    out: list[_Token] = []
    prev_end = 0
    article_start: int | None = None
    chain = False  # only spaces, hyphens and articles since the last significant token
    for m in WORD.finditer(text):
        word = m.group()
        gap = text[prev_end : m.start()]
        plain = all(c in _PLAIN_GAP for c in gap)
        prev_end = m.end()
        if is_article(word):
            after = text[m.end() : m.end() + 1]
            attached = after in _HYPHENS or (
                after == " " and word.casefold() in NON_ENGLISH_ARTICLES
            )
            article_start = m.start() if attached else None
            chain = chain and plain
            continue
        first = word[0]
        upper = first.isupper() or (first.isalpha() and first.lower() == first.upper())
        if not plain:
            article_start = None
        out.append(
            _Token(m.start(), m.end(), _fold_word(word), upper, article_start, chain and plain)
        )
        article_start = None
        chain = True
    return out


class Gazetteer:
    """Places by name. Build with ``Gazetteer(places)``, ``Gazetteer.parse(text)`` or
    ``Gazetteer.load(path)``; ``places.for_scenario(scenario)`` gives a scenario's."""

    def __init__(
        self,
        places: Iterable[Place],
        *,
        admin: AdminIndex | None = None,
        problems: Sequence[str] = (),
    ) -> None:
        self.places: tuple[Place, ...] = tuple(places)
        self.problems: tuple[str, ...] = tuple(problems)
        self._admin = admin
        self._by_id = {p.id: p for p in self.places}
        by_key: dict[tuple[str, ...], list[Place]] = {}
        for p in self.places:
            for k in {key(n) for n in p.names or (p.name,)}:
                if k:
                    by_key.setdefault(k, []).append(p)
        self._by_key: dict[tuple[str, ...], tuple[Place, ...]] = {
            k: _ranked(v) for k, v in by_key.items()
        }
        self._longest: dict[str, int] = {}
        for k in self._by_key:
            self._longest[k[0]] = max(self._longest.get(k[0], 0), len(k))
        self._inner_words = frozenset(w for k in self._by_key for w in k[1:])
        by_skeleton: dict[str, list[tuple[str, ...]]] = {}
        for k in self._by_key:
            if k not in NEVER_SCANNED and len(k[0]) > 1:
                by_skeleton.setdefault(skeleton(k), []).append(k)
        self._by_skeleton = {sk: tuple(ks) for sk, ks in by_skeleton.items()}
        self._skeleton_first = frozenset(sk.split(" ", 1)[0] for sk in self._by_skeleton)
        self._skeleton_longest = max((len(k) for k in self._by_key), default=0)

    # ---- construction --------------------------------------------------------------

    @classmethod
    def parse(
        cls, text: str, file: str = "gazetteer.tsv", *, admin: AdminIndex | None = None
    ) -> Gazetteer:
        """From a gazetteer file's text. Bad rows are skipped and listed in ``problems``;
        a file with no usable row at all raises ``GazetteerInvalid``."""
        loaded = tsv.read(text, file)
        if not loaded.places and loaded.problems:
            raise GazetteerInvalid(loaded.problems)
        return cls(loaded.places, admin=admin, problems=loaded.problems)

    @classmethod
    def load(cls, path: Path, *, admin_geojson: Path | None = None) -> Gazetteer:
        """From a gazetteer file on disk (and, for ``admin_of``, an admin-2 GeoJSON file)."""
        admin = (
            AdminIndex.from_geojson(admin_geojson.read_text(encoding="utf-8"))
            if admin_geojson is not None
            else None
        )
        return cls.parse(path.read_text(encoding="utf-8"), str(path), admin=admin)

    # ---- names ---------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.places)

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)

    def lookup(self, text: str) -> tuple[Place, ...]:
        """Every place with this name, best first (see ``KIND_RANK``, then prominence).

        When the whole text is not a name: a trailing kind word narrows the answer
        (``"Idlib province"`` -> the governorate, ``"Aleppo city"`` -> the city); leading
        direction words are looked through (``"eastern Aleppo"`` -> Aleppo); an article
        written as one word with the name is split off (``"Alwaer"`` -> ``al-Waer``);
        names given as ``A/B`` or ``A (B)`` are tried one by one (as UCDP writes them).
        """
        k = self._key(text)
        found = self._by_key.get(k)
        if found:
            return found
        if "/" in text or "(" in text:
            for part in re.split(r"[/()]", text):
                if part.strip() and (found := self.lookup(part)):
                    return found
        kinds: frozenset[str] | None = None
        if len(k) > 1 and k[-1] in _KIND_KEYS:
            kinds, k = _KIND_KEYS[k[-1]], k[:-1]
        while len(k) > 1 and k[0] in DIRECTION_WORDS:
            k = k[1:]
        found = self._by_key.get(k, ())
        return self._narrow(found, kinds) if kinds is not None else found

    def _key(self, text: str) -> tuple[str, ...]:
        k = key(text)
        if k and k not in self._by_key:
            k = (self._token_key(k[0]), *(self._inner_key(w) for w in k[1:]))
        return k

    def _token_key(self, folded: str) -> str:
        """A folded word, with a fused article split off when only that makes it a name's
        first word (``alwair`` -> ``wair``)."""
        if folded in self._longest or len(folded) < 6 or folded[:2] not in ("al", "il"):
            return folded
        rest = folded[2:]
        return rest if rest in self._longest else folded

    def _inner_key(self, folded: str) -> str:
        """A folded word after a name's first, with a fused article split off when only
        that makes it a word of a longer name (``Abu Alduhour`` -> ``Abu al-Duhur``)."""
        if len(folded) < 5 or folded[:2] not in ("al", "il") or folded in self._inner_words:
            return folded
        rest = folded[2:]
        return rest if rest in self._inner_words else folded

    @staticmethod
    def _narrow(places: tuple[Place, ...], kinds: frozenset[str]) -> tuple[Place, ...]:
        chosen = tuple(p for p in places if p.kind in kinds)
        return chosen or places

    def find_in_text(self, text: str) -> list[Mention]:
        """Every gazetteer name in ``text``, left to right, longest match first, with
        character offsets (``text[m.start:m.end] == m.text``).

        A match must start with a capital letter (or a letter of a script without case):
        lower-case words are English words, not names. An attached article belongs to the
        span (``al-Sukkari``). A generic word that is also a name (``WEAK_WORDS``, or a
        name of one or two letters) is matched only with an article attached (``al-Bab``)
        or inside a longer name. Names never run across punctuation or a line break. A
        kind word right after a name narrows its places and joins the span
        (``Idlib province``).
        """
        toks = _tokens(text)
        out: list[Mention] = []
        i = 0
        n = len(toks)
        inner = self._inner_key
        while i < n:
            t = toks[i]
            first = self._token_key(t.key)
            longest = self._longest.get(first, 0) if t.upper else 0
            matched = 0
            for size in range(min(longest, n - i), 0, -1):
                if size > 1 and not all(toks[j].joined for j in range(i + 1, i + size)):
                    continue
                k = (first, *(inner(toks[j].key) for j in range(i + 1, i + size)))
                places = self._by_key.get(k)
                if places is None:
                    continue
                if k in NEVER_SCANNED or (
                    size == 1 and not self._alone_ok(first, t.article_start is not None)
                ):
                    continue
                start = t.article_start if t.article_start is not None else t.start
                end = toks[i + size - 1].end
                nxt = i + size
                if nxt < n and toks[nxt].joined and toks[nxt].key in _KIND_KEYS:
                    narrowed = self._narrow(places, _KIND_KEYS[toks[nxt].key])
                    if narrowed != places:
                        places, end, size = narrowed, toks[nxt].end, size + 1
                out.append(Mention(start, end, text[start:end], k, places))
                matched = size
                break
            i += matched or 1
        return out

    def find_variants(self, text: str, taken: Sequence[tuple[int, int]] = ()) -> list[Mention]:
        """Names spelled differently from every spelling the gazetteer holds, found by
        their consonants (``skeleton``), outside the spans ``taken`` (what
        ``find_in_text`` found): a run of capitalised words whose skeleton is a name's,
        within ``VARIANT_EDITS`` edits per letter of it, with ``VARIANT_MIN_CONSONANTS``
        consonants at least, and — for one word — a word beside it that says it is a
        place ("the town of Harbnafsah"), or an attached article ("al-Hamadaniyeh"). A word
        of three consonants only as a town so called ("the town of Tabaqa"), beginning
        alike and one edit away.

        >>> g = Gazetteer([Place("h", "Harbinafsah", 35.1, 36.6, "town", "SY05", None, "SY", "town")])
        >>> [(m.text, m.places[0].id) for m in g.find_variants("Jets hit the town of Harbnafsah.")]
        [('Harbnafsah', 'h')]
        >>> g.find_variants("Harbnafsah Troops said."), g.find_variants("Mr Harbnafsah said.")
        ([], [])
        >>> g = Gazetteer([Place("t", "Tabqa", 35.8, 38.5, "town", "SY11", None, "SY", "town")])
        >>> [m.text for m in g.find_variants("near the town of Tabaqa")], g.find_variants("in Tabaqa")
        (['Tabaqa'], [])
        """
        from rapidfuzz.distance import Levenshtein

        toks = _tokens(text)
        out: list[Mention] = []
        n = len(toks)
        i = 0
        while i < n:
            t = toks[i]
            if not t.upper or any(s <= t.start < e for s, e in taken):
                i += 1
                continue
            found = 0
            if skeleton((self._token_key(t.key),)) not in self._skeleton_first:
                i += 1
                continue
            for size in range(min(self._skeleton_longest, n - i), 0, -1):
                run = toks[i : i + size]
                if size > 1 and not all(x.joined and x.upper for x in run[1:]):
                    continue
                if any(s < x.end and x.start < e for x in run for s, e in taken):
                    continue
                k = (self._token_key(t.key), *(x.key for x in run[1:]))
                if k in self._by_key:
                    continue  # a name the main scan chose not to take (a weak word)
                sk = skeleton(k)
                consonants = len(sk.replace(" ", ""))
                short = consonants == VARIANT_MIN_CONSONANTS - 1 and size == 1
                if consonants < VARIANT_MIN_CONSONANTS and not short:
                    continue
                keys = self._by_skeleton.get(sk)
                if not keys:
                    continue
                start = t.article_start if t.article_start is not None else t.start
                end = run[-1].end
                before = text[max(0, start - 40) : start]
                if short:
                    # three consonants: only as the town of that name, spelled alike at
                    # its start ("the town of Tabaqa"; not "al-Midan" for Maadan)
                    if not (_TOWN_BEFORE.search(before) or _TOWN_AFTER.match(text, end)):
                        continue
                    keys = tuple(c for c in keys if c[0][:2] == k[0][:2])
                elif size == 1 and t.article_start is None:
                    if not (_PLACE_BEFORE.search(before) or _PLACE_AFTER.match(text, end)):
                        continue
                written = " ".join(k)
                close = [
                    c for c in keys
                    if Levenshtein.distance(written, " ".join(c))
                    <= (1 if short else max(1, int(VARIANT_EDITS * len(written))))
                ]  # fmt: skip
                if not close:
                    continue
                places = _ranked([p for c in close for p in self._by_key[c]])
                out.append(Mention(start, end, text[start:end], close[0], places))
                found = size
                break
            i += found or 1
        return out

    @staticmethod
    def _alone_ok(word: str, with_article: bool) -> bool:
        if with_article or word in SHORT_OK:
            return True
        return word not in WEAK_WORDS and (len(word) > 3 or not word.isascii())

    # ---- choosing among places -----------------------------------------------------

    def resolve(
        self, mentions: Sequence[str | Mention], *, near: Place | None = None
    ) -> Resolution:
        """Which place ``mentions[0]`` means, with the other mentions (places named nearby
        in the same text) and ``near`` as context.

        A candidate gains from each co-mentioned place it relates to — most when it is a
        neighbourhood of that city (4), then when it lies in that district or near that
        town (3), in that governorate (2), or in the same governorate as a co-mentioned town
        (1). A governorate the text names by the same name with a kind word ("Hama
        province" beside "Hama") vouches for the places it holds. Beside the city a
        governorate is named after (``SEAT_PRIOR``), a settlement elsewhere of that name
        counts only places near it or in its district. The single best
        candidate wins. With no such evidence, a city wins over the
        governorate, district and villages that share its name; otherwise the answer is
        ``ambiguous``, keeping what the candidates agree on (same governorate: precision
        "province"), and says so.
        """
        if not mentions:
            return Resolution("", "unresolved", "no mention given")
        first = mentions[0]
        text = first.text if isinstance(first, Mention) else first
        candidates = first.places if isinstance(first, Mention) else self.lookup(text)
        if not candidates:
            return Resolution(text, "unresolved", f"no place named {text!r} in the gazetteer")
        if len(candidates) == 1:
            only = candidates[0]
            return self._resolved(text, only, candidates, "the only place of that name")
        context: list[tuple[str, tuple[Place, ...]]] = []
        own = {p.id for p in candidates}
        for m in mentions[1:]:
            mtext = m.text if isinstance(m, Mention) else m
            places = m.places if isinstance(m, Mention) else self.lookup(mtext)
            if not (
                isinstance(m, Mention)
                and isinstance(first, Mention)
                and m.key[: len(first.key)] == first.key
                and len(places) < len(candidates)
                and all(p.kind in _ADMIN_KINDS for p in places)
            ):
                # a place does not vouch for itself — but the governorate the text names
                # by the same name ("Hama province" beside "Hama") holds its seat
                places = tuple(p for p in places if p.id not in own)
            if places:
                context.append((mtext, places))
        if near is not None:
            context.append((f"near {near.name}", (near,)))
        scores: list[tuple[int, list[str]]] = []
        seats = {
            c.id for c in candidates
            if c.kind == "city"
            and any(a.kind == "governorate" and _contains(a, c) for a in candidates)
        }  # fmt: skip
        for cand in candidates:
            total = 0
            why: list[str] = []
            if cand.id in seats:
                # the seat a governorate is named after: a village elsewhere that shares
                # the name needs more co-mentioned evidence than a couple of places in
                # its own governorate
                total += SEAT_PRIOR
            # beside a seat, a settlement elsewhere of the same name counts only places
            # near it or in its district: an article that names many places around
            # Damascus still means the city of Hama by "Hama"
            floor = (
                NEAR_RELATION
                if seats and cand.kind not in _ADMIN_KINDS and cand.id not in seats
                else 1
            )
            for mtext, places in context:
                best = max(_relation(cand, q) for q in places)
                if best >= floor:
                    total += best
                    why.append(mtext)
            scores.append((total, why))
        top = max(s for s, _ in scores)
        best_ids = [c for c, (s, _) in zip(candidates, scores, strict=True) if s == top]
        if top > 0 and len(best_ids) == 1:
            chosen = best_ids[0]
            why = scores[candidates.index(chosen)][1]
            if not why:
                return self._resolved(
                    text,
                    chosen,
                    candidates,
                    f"{len(candidates)} places share the name; the city its governorate is "
                    "named after, and nothing co-mentioned points elsewhere",
                )
            return self._resolved(
                text,
                chosen,
                candidates,
                f"{len(candidates)} places share the name; co-mentioned "
                + ", ".join(repr(w) for w in why)
                + " points to this one",
            )
        tied = tuple(best_ids)
        evidence = (
            "nothing co-mentioned tells them apart"
            if top == 0
            else "co-mentioned places fit several"
        )
        settlements = [p for p in tied if p.kind not in _ADMIN_KINDS]
        admins = [p for p in tied if p.kind in _ADMIN_KINDS]
        if len(settlements) == 1 and admins and all(_contains(a, settlements[0]) for a in admins):
            return self._resolved(
                text,
                settlements[0],
                candidates,
                f"names a {settlements[0].kind} and the "
                + " and ".join(sorted({a.kind for a in admins}))
                + " around it; the "
                + settlements[0].kind
                + " is meant unless a text says otherwise",
            )
        if not settlements and len({p.admin1_pcode for p in admins}) == 1:
            coarse = min(admins, key=lambda p: (p.kind != "governorate", p.id))
            return self._resolved(
                text,
                coarse,
                candidates,
                "names both a governorate and a district; took the governorate",
            )
        cities = [p for p in settlements if p.kind == "city"]
        if len(cities) == 1 and all(_contains(a, cities[0]) for a in admins):
            return self._resolved(
                text,
                cities[0],
                candidates,
                f"{len(tied)} places share the name and {evidence}; the city is meant "
                "unless a text says otherwise",
            )
        ranked = sorted(settlements, key=lambda p: -p.events)
        if (
            len(ranked) > 1
            and ranked[0].kind in ("city", "town")
            and ranked[0].events >= PROMINENT_EVENTS
            and ranked[0].events >= PROMINENT_RATIO * max(ranked[1].events, 1)
            and all(_contains(a, ranked[0]) for a in admins)
        ):
            top_place = ranked[0]
            return self._resolved(
                text,
                top_place,
                candidates,
                f"{len(tied)} places share the name and {evidence}; took the {top_place.kind} "
                f"with {top_place.events} recorded events over places with at most "
                f"{ranked[1].events}",
            )
        return self._ambiguous(text, tied, candidates)

    def resolve_all(
        self, mentions: Sequence[str | Mention], *, near: Place | None = None
    ) -> tuple[Resolution, ...]:
        """``resolve`` for each mention, with all the others as its context."""
        return tuple(
            self.resolve([m, *mentions[:i], *mentions[i + 1 :]], near=near)
            for i, m in enumerate(mentions)
        )

    @staticmethod
    def _resolved(
        text: str, place: Place, candidates: tuple[Place, ...], reason: str
    ) -> Resolution:
        return Resolution(
            text,
            "resolved",
            reason,
            place,
            candidates,
            place.admin1_pcode,
            place.admin2_pcode,
            place.precision,
        )

    @staticmethod
    def _ambiguous(text: str, tied: tuple[Place, ...], candidates: tuple[Place, ...]) -> Resolution:
        admin1 = {p.admin1_pcode for p in tied}
        admin2 = {p.admin2_pcode for p in tied}
        a1 = next(iter(admin1)) if len(admin1) == 1 else None
        a2 = next(iter(admin2)) if len(admin2) == 1 and a1 is not None else None
        precision = "district" if a2 else "province" if a1 else "country"
        listing = "; ".join(str(p) for p in tied[:5]) + (" ..." if len(tied) > 5 else "")
        agreed = (
            f"all in {a2}"
            if a2
            else f"all in governorate {a1}"
            if a1
            else "in different governorates"
        )
        return Resolution(
            text,
            "ambiguous",
            f"{len(tied)} places named {text!r} fit equally ({listing}), {agreed}; "
            "no co-mentioned place tells them apart",
            None,
            candidates,
            a1,
            a2,
            precision,
        )

    # ---- coordinates ---------------------------------------------------------------

    def admin_of(self, lat: float, lon: float) -> tuple[str | None, str | None]:
        """``(admin1_pcode, admin2_pcode)`` of a point, from the admin outlines the
        gazetteer was given; ``(None, None)`` outside them or when it has none."""
        if self._admin is None:
            return (None, None)
        return self._admin.admin_of(lat, lon)


def _contains(unit: Place, place: Place) -> bool:
    """Whether admin unit ``unit`` (governorate, district, country) holds ``place``."""
    if unit.kind == "governorate":
        return place.admin1_pcode == unit.id
    if unit.kind == "district":
        return place.admin2_pcode == unit.id
    return unit.kind == "country" and place.country == unit.country


def _relation(p: Place, q: Place) -> int:
    """How strongly co-mentioned place ``q`` vouches for candidate ``p`` (0 = not at all)."""
    pairs = ((p, q), (q, p))
    if any(a.parent is not None and a.parent == b.id for a, b in pairs):
        return 4
    if any(u.kind == "district" and _contains(u, x) for u, x in pairs):
        return 3
    for a, b in pairs:
        radius = NEAR_KM.get(b.kind)
        if radius is not None and a.kind not in _ADMIN_KINDS and distance_km(a, b) <= radius:
            return 3
    if any(u.kind == "governorate" and _contains(u, x) for u, x in pairs):
        return 2
    if p.admin1_pcode is not None and p.admin1_pcode == q.admin1_pcode and q.kind != "country":
        return 1
    return 0
