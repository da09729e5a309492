"""Web boilerplate around an article's body, found without changing the text.

Offsets into the article must stay true (a source's ``start``/``end`` points into the text
as given), so nothing is deleted: ``boilerplate`` returns the character ranges that are
not the article — comment prompts ("Leave a Reply"), sharing and subscription lines,
"Continue reading the main story", photo and video credits, and the run of short headline
lines (related stories) that trails the body, a line linking one other story ("Related:
..."), video links ("WATCH: ...") and photo credit lines ("Name/AFP/Getty Images", "hide
caption") — and later steps skip them.

>>> text = "Jets struck Aleppo on Monday.\\nMore jets came.\\n\\nSome other story title\\nAnother headline here\\n\\nLeave a Reply\\n"
>>> [text[s:e].strip() for s, e in boilerplate(text)]
['Some other story title\\nAnother headline here\\n\\nLeave a Reply']
"""

from __future__ import annotations

import itertools
import re
from typing import Final

#: Lines that are never article text.
LINE_MARKERS: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|\d*\s*comments?|continue\s+reading(?:\s+the\s+main\s+story)?"
    r"|related(?:\s+(?:coverage|stories|articles|posts|news|content))?:?|read\s+more:?.*|see\s+also:?.*|"
    r"share\s+(?:this|on)\b.*|follow\s+us\b.*|subscribe\b.*|sign\s+up\b.*|advertisement|sponsored|"
    r"photo|video|image|watch\s+in\s+times\s+video.*|click\s+here\b.*|get\s+short\s+url.*|"
    r"copyright\b.*|©.*|all\s+rights\s+reserved.*|recommended(?:\s+for\s+you)?|most\s+(?:read|popular)|"
    r"you\s+may\s+also\s+like|more\s+from\b.*|tags?:.*|filed\s+under.*|email|print|tweet|facebook|twitter|whatsapp|"
    r"hide\s+caption|toggle\s+caption|watch:\s+[^.!?\n]*|"
    r"(?:[\w.'’ -]{1,40}/)?(?:afp|ap|reuters|epa|getty\s+images)(?:/[\w.'’ -]{1,40})*|[\w.'’ -]{1,40}\s+via\s+getty\s+images)\s*$",
    re.IGNORECASE,
)
#: Markers after which nothing belongs to the article.
END_MARKERS: Final[re.Pattern[str]] = re.compile(
    r"^\s*(?:leave\s+a\s+(?:reply|comment)|post\s+a\s+comment|related(?:\s+(?:coverage|stories|articles|posts))?:?|"
    r"you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?|most\s+(?:read|popular)|more\s+from\b.*)\s*$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…\"”’)]\s*$")
#: A run of topic tags inside a line ("Tags Syria Aleppo SOHR"), as pages flattened to one
#: line carry them between the standfirst and the body.
_TAGS = re.compile(r"(?<![\w-])Tags:?\s+(?=[A-Z])")
_WORD_START = re.compile(r"(?<![\w'’-])\w")
#: "Related" (or "Related News") opening a run of other stories' headlines inside a line,
#: as pages flattened to one line carry them after the body ("... 319 Related Russian MoD
#: Releases Footage ..."): headlines have no full stops.
_RELATED = re.compile(r"(?<![\w-])Related(?:\s+News)?:?\s+(?=[A-Z0-9\"“‘'])")
#: A line linking one other story: "Related" (or "Related News"...) and a colon, a headline.
_RELATED_LINE = re.compile(r"^[ \t]*(Related(?:\s+(?:News|Stories|Coverage))?:[ \t]+\S.*)$", re.M)
_FULL_STOP = re.compile(r"[.!?][\"”’]?\s+[A-Z]")
#: How far a run of related headlines is read for a full stop (prose has one).
_HEADLINE_RUN = 100
#: How many characters of the standfirst must reappear to mark where the body begins.
_ECHO = 30


def inline_tags(text: str) -> list[tuple[int, int]]:
    """Runs of topic tags inside a line: from "Tags" to where the body begins — where the
    text before the tags (the standfirst) is repeated, else the end of the sentence.

    >>> t = ("Jets struck a market in Idlib on Monday. Tags Syria Idlib SOHR "
    ...      "Jets struck a market in Idlib on Monday, killing five.")
    >>> [t[s:e] for s, e in inline_tags(t)]
    ['Tags Syria Idlib SOHR ']
    """
    out: list[tuple[int, int]] = []
    for m in _TAGS.finditer(text):
        if out and m.start() < out[-1][1]:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        end = None
        for w in itertools.islice(_WORD_START.finditer(text, line_start, m.start()), 40):
            piece = text[w.start() : w.start() + _ECHO]
            if len(piece) < _ECHO or w.start() + _ECHO > m.start():
                break
            at = text.find(piece, m.end(), m.end() + 400)
            if at >= 0:
                end = at
                break
        if end is None:
            stop = re.compile(r"[.!?](?=\s|$)|\n").search(text, m.end())
            end = stop.end() if stop else len(text)
        out.append((m.start(), end))
    return out


def inline_related(text: str) -> tuple[int, int] | None:
    """A run of related stories' headlines inside a line, from "Related" to the end of the
    text — only in the last two thirds of the text, and only when no full stop follows
    within a headline's length (a sentence that begins "Related ..." is prose).

    >>> t = "Jets struck a market in Idlib on Monday, killing five. 31 Related Jets Kill 120 in Raqqa Tags Syria"
    >>> s, e = inline_related(t)
    >>> t[s:e]
    'Related Jets Kill 120 in Raqqa Tags Syria'
    >>> inline_related("Jets struck Idlib on Monday. Related clashes killed two. Five died.") is None
    True
    """
    for m in _RELATED.finditer(text, len(text) // 3):
        if _FULL_STOP.search(text, m.end(), m.end() + _HEADLINE_RUN):
            continue
        line_end = text.find("\n", m.end())
        if line_end >= 0 and _FULL_STOP.search(text, line_end):
            continue  # one linked headline on its own line, prose after it: related_lines
        return (m.start(), len(text))
    return None


def related_lines(text: str) -> list[tuple[int, int]]:
    """Lines that link one other story ("Related: Jets Strike Idlib Market"): "Related" and
    a colon, then a headline with no full stop, up to the end of the line.

    >>> t = "Jets struck Idlib.\\n Related: Jets Strike Idlib Market \\nFive died there."
    >>> [t[s:e] for s, e in related_lines(t)]
    ['Related: Jets Strike Idlib Market ']
    """
    return [
        (m.start(1), m.end(1))
        for m in _RELATED_LINE.finditer(text)
        if not _FULL_STOP.search(m.group(1)) and not _SENTENCE_END.search(m.group(1))
    ]


def _lines(text: str) -> list[tuple[int, int]]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        out.append((pos, pos + len(line)))
        pos += len(line)
    return out


def _headline_like(line: str) -> bool:
    words = line.split()
    return 0 < len(words) <= 16 and not _SENTENCE_END.search(line.rstrip())


def boilerplate(text: str) -> list[tuple[int, int]]:
    """Character ranges of ``text`` that are not article text, in order, not overlapping."""
    tags = inline_tags(text)
    related = inline_related(text)
    if related is not None:
        tags = [(s, e) for s, e in tags if s < related[0]]
    lines = _lines(text)
    if len(lines) < 2:
        return sorted(_merged(tags + ([related] if related else [])))
    dropped: list[tuple[int, int]] = []
    end_at: int | None = None
    for i, (s, e) in enumerate(lines):
        line = text[s:e]
        if END_MARKERS.match(line) and i >= len(lines) // 3:
            end_at = i
            break
    # trailing related headlines: short lines without a full stop right before the end
    last = end_at if end_at is not None else len(lines)
    j = last
    while j > 0:
        line = text[lines[j - 1][0] : lines[j - 1][1]]
        if not line.strip() or _headline_like(line) or LINE_MARKERS.match(line):
            j -= 1
            continue
        break
    trailing_headlines = sum(
        1 for s, e in lines[j:last] if text[s:e].strip() and not LINE_MARKERS.match(text[s:e])
    )
    if trailing_headlines < 1 and end_at is None:
        j = last
    cut = lines[j][0] if j < len(lines) else len(text)
    for s, e in lines[:j]:
        if LINE_MARKERS.match(text[s:e]) and text[s:e].strip():
            dropped.append((s, e))
    dropped += [(s, e) for s, e in tags if e <= cut and not LINE_MARKERS.match(text[s:e])]
    if cut < len(text) and text[cut:].strip():
        dropped.append((cut, len(text)))
    if related is not None:
        dropped.append(related)
    dropped += [(s, e) for s, e in related_lines(text) if e <= cut]
    return sorted(_merged(dropped))


def _merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(ranges):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(e, out[-1][1]))
        else:
            out.append((s, e))
    return out


def body_end(text: str, dropped: list[tuple[int, int]]) -> int:
    """Where the article body ends (the start of trailing boilerplate, or the text's end)."""
    if dropped and dropped[-1][1] == len(text):
        return dropped[-1][0]
    return len(text)
