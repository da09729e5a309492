"""Place names as supporting evidence: one place, many transliterations.

``normalise`` folds case, accents, apostrophes and hyphens, and drops Arabic articles and
words for the kind of place; ``skeleton`` keeps the consonants that survive every common
romanisation of Arabic (so *Deir ez-Zor*, *Deir al-Zour* and *Dayr az Zawr* agree);
``similarity`` is the better of a token match on the first and a character match on the
second, from 0 to 1.

>>> skeleton("Deir ez-Zor"), skeleton("Deir al-Zour"), skeleton("Dayr az Zawr")
('dr zr', 'dr zr', 'dr zr')
>>> similarity("Urum al-Kubra", "Urum al Kubra town")
1.0
>>> similarity("Maarat al-Numaan town", "Ma'arrat an-Nu'man")
1.0
>>> similarity("Aleppo", "Homs") < 0.5
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Final

from rapidfuzz import fuzz

#: Arabic definite articles as romanised, and their assimilated forms.
ARTICLES: Final = frozenset(
    "al el il ul ad ar as az ash at ath adh an ed er es ez esh et en".split()
)

#: Words for the kind of place, which feeds add or leave out.
PLACE_WORDS: Final = frozenset(
    """town village city district subdistrict sub-district governorate province region
    neighbourhood neighborhood quarter area suburb countryside outskirts vicinity
    near of the and""".split()
)

#: First words of many Syrian place names ("Kafr", "Tell", "Deir", "Ain"...): sharing only
#: one of them says nothing.
PREFIXES: Final = frozenset(
    """kafr kfar tell tal tel deir dayr ain ayn jabal jebel khan beit bayt umm abu bab jisr
    ras qasr maarat maarrat sheikh shaykh wadi bir""".split()
)

_DIGRAPHS: Final = (("kh", "k"), ("gh", "g"), ("sh", "s"), ("th", "t"), ("dh", "d"), ("ph", "f"))
_APOSTROPHES: Final = re.compile(r"['’‘`ʿʾ]")
_SEPARATORS: Final = re.compile(r"[^a-z0-9]+")
_VOWELS: Final = re.compile(r"[aeiouwyh]")
_DOUBLES: Final = re.compile(r"(.)\1+")


@lru_cache(maxsize=65536)
def normalise(name: str) -> str:
    """Lower case, no accents or apostrophes, no articles or place-kind words."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = _APOSTROPHES.sub("", text)
    words = [w for w in _SEPARATORS.split(text) if w and w not in ARTICLES and w not in PLACE_WORDS]
    return " ".join(words)


def _skeleton_word(word: str) -> str:
    for digraph, letter in _DIGRAPHS:
        word = word.replace(digraph, letter)
    word = word.replace("q", "k")
    head, tail = word[0], _VOWELS.sub("", word[1:])
    if head in "aeiou":
        head = "a"
    return _DOUBLES.sub(r"\1", head + tail)


def _skeletons(words: frozenset[str]) -> frozenset[str]:
    return frozenset(_skeleton_word(w) for w in words)


@lru_cache(maxsize=65536)
def skeleton(name: str) -> str:
    """The consonant skeleton of each word of the normalised name."""
    return " ".join(_skeleton_word(w) for w in normalise(name).split())


_PREFIX_SKELETONS: Final = _skeletons(PREFIXES)


@lru_cache(maxsize=262144)
def similarity(a: str, b: str) -> float:
    """0..1: how alike two place names are, across spellings (one contained in the other
    counts as alike: "al-Sukkari, Aleppo" and "Aleppo")."""
    na, nb = normalise(a), normalise(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    sa, sb = skeleton(a), skeleton(b)
    short, long = sorted((set(sa.split()), set(sb.split())), key=len)
    if short <= long and not short <= _PREFIX_SKELETONS:
        return 1.0
    wa, wb = sa.split(), sb.split()
    if len(wa) > 1 and len(wb) > 1 and wa[0] == wb[0] and wa[0] in _PREFIX_SKELETONS:
        # "Kafr Ghan" and "Kafr Naha" share only the word for village: compare the rest
        return similarity(" ".join(na.split()[1:]), " ".join(nb.split()[1:]))
    return round(max(fuzz.token_sort_ratio(na, nb), fuzz.ratio(sa, sb)) / 100.0, 2)


def place_index(places: Iterable[tuple[str, Iterable[str]]]) -> dict[str, frozenset[str]]:
    """Normalised name -> ids of the places known by it, from (id, names) pairs (a
    gazetteer's places with their alternate names: *Halab* and *Aleppo*, *Tadmur* and
    *Palmyra*).

    >>> index = place_index([("SY02", ["Aleppo", "Halab", "Aleppo governorate"])])
    >>> index["halab"]
    frozenset({'SY02'})
    """
    out: dict[str, set[str]] = {}
    for pid, names in places:
        for name in names:
            key = normalise(name)
            if key:
                out.setdefault(key, set()).add(pid)
    return {k: frozenset(v) for k, v in out.items()}


def known_alike(a: str, b: str, index: Mapping[str, frozenset[str]]) -> bool:
    """True when a gazetteer knows one place by both names (an exonym or another
    romanisation that no spelling rule bridges: *Halab Governorate* and *Aleppo*).

    >>> index = place_index([("SY02", ["Aleppo", "Halab"]), ("SY04", ["Homs", "Hims"])])
    >>> known_alike("Halab Governorate", "Aleppo", index), known_alike("Halab", "Hims", index)
    (True, False)
    """
    ia, ib = index.get(normalise(a)), index.get(normalise(b))
    return ia is not None and ib is not None and not ia.isdisjoint(ib)
