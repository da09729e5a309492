"""Counts as news writes them, to a ``Toll`` (low / best / high), by one written convention.

The convention follows ACLED's conservative coding: a figure is never raised beyond what
the words give, and a vague plural is coded as its smallest round value. A figure given
as a floor ("more than 40", "over 100") is coded as the figure the report gives — the most
conservative figure reported, as ACLED puts it, and how the FA-KES coders code it — not
the next number up.

| words | low | best | high |
|---|---|---|---|
| "seven", "7", "a dozen" | 7 | 7 | 7 |
| "at least seven", "seven or more" | 7 | 7 | – |
| "more than 40", "over 40" (the figure given, open above) | 40 | 40 | – |
| "about 40", "nearly 40", "some 40", "around 40" | – | 40 | – |
| "up to 40", "as many as 40" | – | 40 | 40 |
| "between 20 and 30", "20 to 30", "20-30" | 20 | 20 | 30 |
| "tens" | 10 | 10 | – |
| "dozens" (ACLED: 12) | 12 | 12 | – |
| "scores" | 20 | 20 | – |
| "hundreds" / "thousands" | 100 / 1000 | same | – |
| "several", "many", "a number of", "some" | – | – | – |

A vague word without a number ("several", "many") says that people died but not how
many: the toll is left empty (``None``) rather than guessed.

>>> parse_count("at least seven")
Count(low=7, best=7, high=None, text='at least seven')
>>> parse_count("more than 40").as_tuple(), parse_count("dozens").as_tuple()
((40, 40, None), (12, 12, None))
>>> parse_count("twenty-three").as_tuple(), parse_count("1,200").as_tuple()
((23, 23, 23), (1200, 1200, 1200))
>>> parse_count("between 20 and 30").as_tuple(), parse_count("nearly 40").as_tuple()
((20, 20, 30), (None, 40, None))
>>> parse_count("several") is None, parse_count("a number of") is None
(True, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

UNITS: Final[dict[str, int]] = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "a dozen": 12, "dozen": 12, "a score": 20,
}  # fmt: skip
TENS: Final[dict[str, int]] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
#: Vague plurals and the smallest round value they stand for (ACLED: tens 10, dozens 12,
#: hundreds 100); always a lower bound.
VAGUE: Final[dict[str, int]] = {
    "tens": 10,
    "dozens": 12,
    "scores": 20,
    "hundreds": 100,
    "thousands": 1000,
}
#: Words that say "some people" without a number: no figure.
UNCOUNTED: Final[frozenset[str]] = frozenset(
    {"several", "many", "a number of", "some", "numerous", "a few", "few", "multiple"}
)

_WORD_NUMBER = (
    r"(?:(?:" + "|".join(sorted(TENS, key=len, reverse=True)) + r")(?:[- ](?:"
    + "|".join(k for k in UNITS if " " not in k and UNITS[k] < 10 and UNITS[k] > 0)
    + r"))?|" + "|".join(sorted((k for k in UNITS if k != "dozen"), key=len, reverse=True))
    + r")(?:\s+(?:hundred|thousand))?"
)  # fmt: skip
_DIGITS = r"\d{1,3}(?:,\d{3})+|\d+"
#: One number, in digits or words (``23``, ``1,200``, ``twenty-three``, ``a dozen``).
NUMBER: Final[str] = rf"(?:{_DIGITS}|{_WORD_NUMBER})"
VAGUE_RE: Final[str] = r"(?:" + "|".join(VAGUE) + r")"
UNCOUNTED_RE: Final[str] = r"(?:" + "|".join(sorted(UNCOUNTED, key=len, reverse=True)) + r")"

_AT_LEAST = r"at\s+least|a\s+minimum\s+of|no\s+(?:fewer|less)\s+than"
_MORE = r"more\s+than|over|upwards\s+of|in\s+excess\s+of"
_ABOUT = r"about|around|nearly|almost|roughly|approximately|some|an\s+estimated|close\s+to|circa"
_UP_TO = r"up\s+to|as\s+many\s+as"
#: A whole count phrase: an optional qualifier, then a number, a range or a vague plural.
COUNT: Final[str] = (
    rf"(?:(?:{_AT_LEAST}|{_MORE}|{_ABOUT}|{_UP_TO})\s+)?"
    rf"(?:(?:between\s+)?{NUMBER}(?:\s*(?:-|–|to|and|or)\s*{NUMBER})?(?:\s+or\s+more)?"
    rf"|(?:more\s+than\s+)?{VAGUE_RE}|{UNCOUNTED_RE})"
)
_COUNT_RE = re.compile(rf"^{COUNT}$", re.IGNORECASE)
_NUMBER_RE = re.compile(NUMBER, re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Count:
    """A count as words give it: any of ``low``/``best``/``high`` may be unknown."""

    low: int | None
    best: int | None
    high: int | None
    text: str

    def as_tuple(self) -> tuple[int | None, int | None, int | None]:
        return (self.low, self.best, self.high)


def number_value(text: str) -> int | None:
    """``"1,200"`` -> 1200, ``"twenty-three"`` -> 23, ``"two hundred"`` -> 200; else None.

    >>> number_value("twenty three"), number_value("three hundred"), number_value("x")
    (23, 300, None)
    """
    t = re.sub(r"\s+", " ", text.strip().lower())
    if re.fullmatch(_DIGITS, t):
        return int(t.replace(",", ""))
    scale = 1
    for word, factor in ((" hundred", 100), (" thousand", 1000)):
        if t.endswith(word):
            t, scale = t[: -len(word)], factor
    if t in UNITS:
        return UNITS[t] * scale
    parts = re.split(r"[- ]", t)
    if parts and parts[0] in TENS:
        total = TENS[parts[0]]
        if len(parts) == 2 and parts[1] in UNITS and 0 < UNITS[parts[1]] < 10:
            total += UNITS[parts[1]]
        elif len(parts) != 1:
            return None
        return total * scale
    return None


def parse_count(text: str) -> Count | None:
    """A count phrase (see the module's table) -> ``Count``; None when it gives no figure."""
    raw = re.sub(r"\s+", " ", text.strip())
    t = raw.lower()
    if not _COUNT_RE.match(t) or t in UNCOUNTED:
        return None
    vague = re.search(VAGUE_RE + r"$", t)
    if vague:
        v = VAGUE[vague.group()]
        return Count(v, v, None, raw)
    numbers = [
        n for n in (number_value(m.group()) for m in _NUMBER_RE.finditer(t)) if n is not None
    ]
    if not numbers:
        return None
    if len(numbers) >= 2:  # a range
        lo, hi = sorted(numbers[:2])
        return Count(lo, lo, hi, raw)
    n = numbers[0]
    if re.match(_AT_LEAST, t) or re.match(_MORE, t) or t.endswith("or more"):
        return Count(n, n, None, raw)
    if re.match(_ABOUT, t):
        return Count(None, n, None, raw)
    if re.match(_UP_TO, t):
        return Count(None, n, n, raw)
    return Count(n, n, n, raw)
