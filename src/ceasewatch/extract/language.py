"""Which language an article is in, with lingua (its models ship inside the package).

The detector knows only the languages news on the scenario's region comes in — English,
Arabic, French, German, Spanish, Russian, Turkish, Persian, Hebrew, Kurdish is not in
lingua — which keeps it small and fast; it reads at most ``SAMPLE`` characters. A text
that is mostly Latin letters with common English words is English without asking the
model.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from lingua import LanguageDetector

SAMPLE: Final[int] = 1200
LANGUAGES: Final[tuple[str, ...]] = (
    "ENGLISH", "ARABIC", "FRENCH", "GERMAN", "SPANISH", "RUSSIAN", "TURKISH", "PERSIAN",
    "HEBREW", "ITALIAN", "DUTCH",
)  # fmt: skip
_ENGLISH_WORDS = re.compile(
    r"\b(?:the|and|of|to|in|was|were|said|that|with|for|on)\b", re.IGNORECASE
)
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _detector() -> LanguageDetector:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        *(getattr(Language, n) for n in LANGUAGES)
    ).build()


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's language (``en``, ``ar`` ...), or None when there are
    too few letters to tell.

    >>> detect("Warplanes struck the town of Douma on Monday and killed ten people, activists said.")
    'en'
    >>> detect("قُتل عشرة أشخاص في غارات جوية على مدينة دوما يوم الاثنين بحسب ناشطين")
    'ar'
    """
    sample = text[:SAMPLE]
    letters = _LETTER.findall(sample)
    if len(letters) < 12:
        return None
    ascii_share = sum(1 for c in letters if c.isascii()) / len(letters)
    words = len(sample.split())
    if ascii_share > 0.97 and len(_ENGLISH_WORDS.findall(sample)) >= max(3, words // 12):
        return "en"
    found = _detector().detect_language_of(sample)
    if found is None:
        return None
    return str(found.iso_code_639_1.name).lower()
