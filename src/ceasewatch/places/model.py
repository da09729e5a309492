"""What the gazetteer knows and answers: places, mentions in a text, resolutions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

#: How precisely a place's point locates it: the ``LocationPrecision`` of incident.v1
#: without ``exact`` (a gazetteer point stands for a whole neighbourhood, town, district...).
Precision = Literal["neighbourhood", "town", "district", "province", "country"]
PRECISIONS: Final[tuple[str, ...]] = get_args(Precision)

#: What a place is. ``city`` is a governorate capital or another large town.
Kind = Literal[
    "country",
    "governorate",
    "district",
    "city",
    "town",
    "village",
    "neighbourhood",
    "area",
    "site",
]
KINDS: Final[tuple[str, ...]] = get_args(Kind)

#: Kind -> precision a place of that kind has by default.
KIND_PRECISION: Final[dict[str, str]] = {
    "country": "country",
    "governorate": "province",
    "district": "district",
    "city": "town",
    "town": "town",
    "village": "town",
    "neighbourhood": "neighbourhood",
    "area": "district",
    "site": "town",
}


@dataclass(frozen=True, slots=True)
class Place:
    """One place of the gazetteer.

    ``names`` holds every name it is known by (``name`` first), in Latin or Arabic script.
    ``parent`` is the id of the city a neighbourhood belongs to. ``events`` is how many
    events the sources record there: a measure of prominence used to order places that
    share a name. ``sources`` names the data sets the place comes from.
    """

    id: str
    name: str
    lat: float
    lon: float
    precision: Precision
    admin1_pcode: str | None
    admin2_pcode: str | None
    country: str
    kind: Kind
    names: tuple[str, ...] = ()
    parent: str | None = None
    events: int = 0
    sources: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = "/".join(p for p in (self.admin1_pcode, self.admin2_pcode) if p)
        return f"{self.name} ({self.kind}, {where or self.country})"


@dataclass(frozen=True, slots=True)
class Mention:
    """A gazetteer name found in a text: ``text[start:end]``, and the places it may mean
    (best first, as ``Gazetteer.lookup`` orders them)."""

    start: int
    end: int
    text: str
    key: tuple[str, ...]
    places: tuple[Place, ...]


Status = Literal["resolved", "ambiguous", "unresolved"]


@dataclass(frozen=True, slots=True)
class Resolution:
    """Which place a mention means, and why.

    - ``resolved``: ``place`` is the answer; ``reason`` says how it was chosen.
    - ``ambiguous``: several places fit and nothing told them apart; ``place`` is None,
      ``candidates`` lists them, and ``admin1_pcode``/``admin2_pcode``/``precision`` keep
      what they agree on (e.g. the same governorate: ``precision`` "province").
    - ``unresolved``: no place of that name; ``candidates`` is empty.
    """

    mention: str
    status: Status
    reason: str
    place: Place | None = None
    candidates: tuple[Place, ...] = ()
    admin1_pcode: str | None = None
    admin2_pcode: str | None = None
    precision: str | None = None

    @property
    def ok(self) -> bool:
        return self.place is not None
