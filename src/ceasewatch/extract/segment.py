"""Sentences by rule: line breaks, and a full stop, question or exclamation mark followed by
a capital, a digit or a quote — except after abbreviations ("U.S.", "Gen.", "Sept.") — or
glued to a capitalised word by a scrape that lost the space ("barbarity.The").

Rules, not the parser: the parser runs on few sentences (see ``modality``), and news text
from the web often lacks the punctuation a statistical splitter expects.

>>> text = "Gen. Smith said U.S. jets struck. Ten died.\\nHeadline here.Glued on"
>>> [text[s:e] for s, e in sentences(text)]
['Gen. Smith said U.S. jets struck.', 'Ten died.', 'Headline here.', 'Glued on']
>>> text = "A street in Aleppo (AP photo) BEIRUT Jets hit"
>>> [text[s:e] for s, e in sentences(text)]
['A street in Aleppo (AP photo)', 'BEIRUT Jets hit']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

ABBREVIATIONS: Final[frozenset[str]] = frozenset(
    """mr mrs ms dr gen col lt sgt st maj capt cpl pte brig adm rep sen gov pres prof jr sr
    jan feb mar apr aug sep sept oct nov dec no vs etc inc ltd co corp dept est approx fig
    u.s u.n u.k e.u a.m p.m i.e e.g""".split()
)
_BREAK = re.compile(r"([.!?…]+[\"'”’)\]]*)(\s+)(?=[\"'“‘(\[]?[A-Z0-9])")
_LINE = re.compile(r"\n\s*")
#: A sentence glued to the one before by a scrape that lost the space: "barbarity.The".
_GLUED = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")
#: A photo credit glued to the next sentence: "... (Reuters) Two people were killed".
_CREDIT = re.compile(
    r"\((?:[A-Z][\w.&’'/-]*|and|of|the)(?:\s+(?:[A-Z][\w.&’'/-]*|and|of|the|photos?|file|via|by))"
    r"{0,5}\)(?=\s+[A-Z])"
)


def _is_abbreviation(text: str, dot: int) -> bool:
    m = re.search(r"([\w.]+)$", text[max(0, dot - 24) : dot])
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in ABBREVIATIONS:
        return True
    return len(word) == 1 and word.isalpha()  # an initial: "George W. Bush"


def sentences(
    text: str, dropped: Sequence[tuple[int, int]] = (), start: int = 0, end: int | None = None
) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]``, leaving out the ``dropped``
    ranges; spans are trimmed of surrounding white space."""
    end = len(text) if end is None else end
    cuts = {start, end}
    for m in _LINE.finditer(text, start, end):
        cuts.add(m.start())
        cuts.add(m.end())
    for m in _BREAK.finditer(text, start, end):
        if (
            m.group(1).startswith(".")
            and len(m.group(1)) == 1
            and _is_abbreviation(text, m.start(1))
        ):
            continue
        cuts.add(m.end(1))
    for m in _GLUED.finditer(text, start, end):
        cuts.add(m.start())
    for m in _CREDIT.finditer(text, start, end):
        cuts.add(m.end())
    for s, e in dropped:
        if s < end and e > start:
            cuts.add(max(s, start))
            cuts.add(min(e, end))
    points = sorted(cuts)
    out: list[tuple[int, int]] = []
    for a, b in zip(points, points[1:], strict=False):
        if any(s <= a and b <= e for s, e in dropped):
            continue
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a, b))
    return out
