"""Source actor names -> the scenario's actor ids, through the scenario's own aliases.

Each dataset names actors its own way ("Military Forces of Syria (2000-)", "Government of
Syria", "SYRMIL"). ``SYNONYMS`` turns a dataset's name into a name a scenario would list
as an alias ("Government of Syria"); the scenario's aliases then give the id. A name that
matches nothing resolves to ``None`` — the incident keeps the name as reported and no
actor, never a guess. docs/import.md lists every table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

from ceasewatch.agreement.model import Actor

_PUNCT = re.compile(r"[-‐‑–—_/’'`´.]+")
_SPACES = re.compile(r"\s+")
_PAREN = re.compile(r"\s*\([^)]*\)")
_ACRONYM = re.compile(r"^[A-Za-z0-9]{2,8}:\s+")


def normalize(name: str) -> str:
    """Case, hyphens, apostrophes and spacing do not matter.

    >>> normalize("  Ahrar al-Sham "), normalize("Jaysh al-Asha’er")
    ('ahrar al sham', 'jaysh al asha er')
    """
    return _SPACES.sub(" ", _PUNCT.sub(" ", name.casefold())).strip()


#: Dataset actor names -> a name scenarios list as an alias (keys compared normalized).
#: ACLED's actor names, UCDP's side names and GDELT's actor names share this table.
SYNONYMS: Final[dict[str, str]] = {
    # ACLED
    "Military Forces of Syria": "Government of Syria",
    "Police Forces of Syria": "Government of Syria",
    "Military Forces of Russia": "Russia",
    "Military Forces of Turkey": "Turkey",
    "Operation Peace Spring": "Turkey",
    "Operation Euphrates Shield": "Turkey",
    "Operation Olive Branch": "Turkey",
    "Military Forces of Israel": "Israel",
    "Military Forces of Iraq": "Iraq",
    "Military Forces of the United States": "US-led coalition",
    "Global Coalition Against Daesh": "US-led coalition",
    "Opposition Rebels": "rebels",
    "Syrian National Army": "opposition",
    "Hayat Tahrir al Sham": "Jabhat Fateh al-Sham",  # HTS: JFS's 2017 successor
    "Civilians": "civilians",
    # UCDP
    "Jaysh Asoud al-Sharqiya": "opposition",
    "Martyr Lieutenant Ahmed Abdou Brigades": "opposition",
    "Jaysh al-Asha’er": "opposition",
    "Syrian National Coalition": "opposition",
    "SNA": "opposition",  # Syrian National Army
    "HTS": "Jabhat Fateh al-Sham",
    "National Front for Liberation": "opposition",
    "Syrian Liberation Front": "opposition",
    "Nour al-Din al-Zenki": "opposition",
    "Sham Legion": "opposition",
    "Jaysh al Nasr": "opposition",
    "Jaysh al-Nukhba": "opposition",
    "23rd Division": "opposition",
    "Suqour al-Sham Brigades": "opposition",
    "Mare' Operations Room": "opposition",
    "Jaysh al-Izza": "opposition",
}

#: UCDP only: in UCDP GED Syria the US-led coalition's strikes are coded under the Iraq–IS
#: conflict with "Government of Iraq" as side A (every such row of September 2016 is a
#: coalition air strike by its sources).
UCDP_SYNONYMS: Final[dict[str, str]] = {"Government of Iraq": "US-led coalition"}


class ActorIndex:
    """Resolve reported actor names against a scenario's actors (ids, names, aliases)."""

    def __init__(self, actors: Iterable[Actor]) -> None:
        actors = tuple(actors)
        self._names: dict[str, str] = {}
        for a in actors:
            for name in (a.id, a.name, *a.aliases):
                self._names.setdefault(normalize(name), a.id)
        self._cache: dict[tuple[str, int], str | None] = {}
        #: alias -> actor id, as the scenario lists them (for fusion's settings)
        self.aliases: dict[str, str] = {n: a.id for a in actors for n in (a.name, *a.aliases)}
        by_id = {a.id: a for a in actors}
        #: bloc id -> the ids of its members, expanded (for fusion's settings)
        self.blocs: dict[str, frozenset[str]] = {
            a.id: _expand(a.id, by_id) for a in actors if a.kind == "bloc"
        }

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self._names.values())

    def resolve(self, name: str | None, extra: Mapping[str, str] | None = None) -> str | None:
        """The actor id ``name`` stands for, or None.

        ``extra`` holds a dataset's own synonyms, tried before ``SYNONYMS``. A list of
        names ("A, B" or "A; B") resolves only when every name gives the same id.
        """
        if not name or not name.strip():
            return None
        key = (name, id(extra))
        try:
            return self._cache[key]
        except KeyError:
            pass
        got = self._resolve(name, extra or {})
        if len(self._cache) < 100_000:
            self._cache[key] = got
        return got

    def _resolve(self, name: str, extra: Mapping[str, str]) -> str | None:
        one = self._one(name, extra)
        if one is not None:
            return one
        parts = [p for p in re.split(r"[;,]", name) if p.strip()]
        if len(parts) > 1:
            ids = {self._one(p, extra) for p in parts}
            if len(ids) == 1:
                return ids.pop()
        return None

    def _one(self, name: str, extra: Mapping[str, str]) -> str | None:
        variants = [name]
        head = name.split("(", 1)[0]  # "Military Forces of Syria (2000-) Prison Guards"
        no_paren = _PAREN.sub("", name)
        for v in (no_paren, head):
            variants.append(v)
            variants.append(_ACRONYM.sub("", v))  # "QSD: Syrian Democratic Forces"
        synonyms = {normalize(k): v for k, v in extra.items()}
        for v in variants:
            n = normalize(v)
            if not n:
                continue
            for table in (synonyms, _SYNONYMS):
                if n in table:
                    hit = self._names.get(normalize(table[n]))
                    if hit is not None:
                        return hit
            if n in self._names:
                return self._names[n]
        return None


_SYNONYMS: Final[dict[str, str]] = {normalize(k): v for k, v in SYNONYMS.items()}


def _expand(actor_id: str, by_id: Mapping[str, Actor]) -> frozenset[str]:
    out: set[str] = set()
    todo, seen = [actor_id], set()
    while todo:
        a = by_id.get(todo.pop())
        if a is None or a.id in seen:
            continue
        seen.add(a.id)
        if a.kind == "bloc":
            todo.extend(a.members)
        else:
            out.add(a.id)
    return frozenset(out)
