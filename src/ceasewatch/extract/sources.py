"""Whom a sentence cites: "an activist from the Aleppo Media Center told CNN", "the Syrian
Observatory for Human Rights said", "according to local sources".

The cited party is the noun phrase before a reporting verb (said, told, reported ...) or
after "according to" / a sentence-final "said". A phrase is kept only when it names someone
(a pronoun alone — "he said" — is not a source). Dates and weekdays that run into the phrase
in texts without commas ("on Tuesday the monitoring group said") are trimmed off.

>>> cited("Jets struck, an activist from the Aleppo Media Center told CNN.")
'an activist from the Aleppo Media Center'
>>> cited("At least 16 were killed on Tuesday the Syrian Observatory for Human Rights said.")
'the Syrian Observatory for Human Rights'
>>> cited("Five died, according to local sources in the town."), cited("He said it was bad.")
('local sources in the town', None)
"""

from __future__ import annotations

import re
from typing import Final

_VERBS = r"(?:said|says|told|reported|reports|added|stated|announced|confirmed|claimed|quoted|cited|tweeted|wrote|documented)"
#: Lower-case words that may stand in a source's name or description.
_NP_WORDS: Final[frozenset[str]] = frozenset(
    """the a an of for from and -based monitoring monitor group groups activist activists
    source sources official officials spokesman spokeswoman spokesperson observatory agency
    news media state local medical security military rescue workers worker residents resident
    witnesses witness director head chief correspondent reporter doctor doctors commander
    ministry government opposition network center centre council committee defence defense civil
    human rights watchdog television tv channel outlet radio newspaper website statement senior
    administration army police pro-government pro-opposition rebel rebels humanitarian aid one
    two several organization organisation spokesmen officer officers hospital hospitals staff
    members member volunteers volunteer journalist journalists photographer analyst
    britain-based british-based london-based uk-based syria-based turkey-based opposition-run
    state-run government-run pro-regime regime coalition general command office affairs foreign
    interior health unnamed anonymous an-named lawmaker lawmakers team teams""".split()
)
_PRONOUNS: Final[frozenset[str]] = frozenset(
    {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that", "this", "there"}
)
_DATEWORDS = re.compile(
    r"^(?:(?:on|late|early|last|this)\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|today|yesterday|overnight|night|morning|evening)\s+",
    re.IGNORECASE,
)
_BEFORE_VERB = re.compile(
    rf"(?:\s+(?:has|have|had|also|later|earlier))?\s+{_VERBS}\b", re.IGNORECASE
)
_ACCORDING = re.compile(r"\baccording\s+to\s+(?P<np>[^,.;:\"“”()]+)", re.IGNORECASE)
_TAIL = re.compile(rf"[,\"”]\s*{_VERBS}\s+(?P<np>[^,.;:\"“”()]+?)\s*(?:[.,;]|$)", re.IGNORECASE)
_NP_STOP = re.compile(
    r"\s+(?:on|in|that|who|which|as|after|before|when|while|because|to|by|with)\s+.*$"
)


def _backward_np(text: str) -> str | None:
    """The noun phrase that ends ``text`` (words of a name or of ``_NP_WORDS``)."""
    words = list(re.finditer(r"[\w'’.&-]+", text))
    start = None
    for w in reversed(words):
        word = w.group()
        gap = text[w.end() : start if start is not None else len(text)]
        if any(ch in gap for ch in ',;:"“”()!?') or (gap.strip(" ") and gap.strip() != ""):
            break
        if word[0].isupper() or word.lower() in _NP_WORDS:
            start = w.start()
            continue
        break
    if start is None:
        return None
    phrase = text[start:].strip()
    while True:  # dates and weekdays glued on in texts without commas
        trimmed = _DATEWORDS.sub("", phrase)
        if trimmed == phrase:
            break
        phrase = trimmed
    # a leading connective left over: "and", "but", "as"
    phrase = re.sub(r"^(?:and|but|as|while|the\s+the)\s+", "", phrase, flags=re.IGNORECASE)
    return phrase or None


def _ok(phrase: str | None) -> str | None:
    if not phrase:
        return None
    words = phrase.split()
    if all(w.lower() in _PRONOUNS for w in words):
        return None
    if all(
        w.lower() in ("the", "a", "an", "of", "and", "on", "in", "at", "for", "from") for w in words
    ):
        return None
    if words[-1].lower() in ("the", "a", "an", "of", "and", "on", "in", "at", "for", "from"):
        return None
    if len(words) > 14:
        return None
    return phrase


def cited(sentence: str) -> str | None:
    """Whom ``sentence`` cites, as written; None when it cites no one."""
    m = _ACCORDING.search(sentence)
    if m:
        phrase = (
            _NP_STOP.sub("", m.group("np").strip()) if len(m.group("np")) > 60 else m.group("np")
        )
        found = _ok(phrase.strip())
        if found:
            return found
    for v in _BEFORE_VERB.finditer(sentence):
        found = _ok(_backward_np(sentence[: v.start()]))
        if found:
            return found
    m = _TAIL.search(sentence)
    if m:
        return _ok(m.group("np").strip())
    return None
