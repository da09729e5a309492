"""A problem found in a spec: where (file, line, field path), what, and what to do."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Path = tuple[str | int, ...]


def dotted(path: Path) -> str:
    """``("rules", 3, "where")`` -> ``rules.3.where``."""
    return ".".join(str(p) for p in path) if path else "(top)"


@dataclass(frozen=True, slots=True)
class Problem:
    file: str
    line: int | None
    path: Path
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {dotted(self.path)}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text


def first_defined(file: str, line: int | None) -> str:
    """Where the first of two equal ids is, for a duplicate's message.

    >>> first_defined("zones.geojson", 12), first_defined("truce.yaml", None)
    ('first defined at zones.geojson:12', 'first defined in truce.yaml')
    """
    return f"first defined at {file}:{line}" if line else f"first defined in {file}"


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    """A hint naming the closest choice, or listing the choices when none is close.

    >>> did_you_mean("aleppo-est", ["aleppo-east", "aleppo-west", "aleppo-city"])
    "did you mean 'aleppo-east'?"
    >>> did_you_mean("zzz", ["a", "b"])
    'known: a, b'
    """
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=5, cutoff=0.6)
    if close:
        # equally close candidates: prefer the one that agrees with the word for longer
        best = max(close, key=lambda c: (_ratio(word, c), _common_prefix(word, c)))
        return f"did you mean {best!r}?"
    if not options:
        return None
    shown = ", ".join(options[:12]) + (", ..." if len(options) > 12 else "")
    return f"known: {shown}"


def _ratio(a: str, b: str) -> float:
    return round(difflib.SequenceMatcher(None, a, b).ratio(), 6)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class SpecInvalid(Exception):
    """Raised with every problem found, so that one run reports them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
