"""incident.v1 as frozen dataclasses: what one real event is, and the evidence for it.

These classes are the single definition of the format. The edge (``incidents.codec``)
validates untrusted JSON into them with pydantic, and the shipped JSON Schema is generated
from them, so code, schema and docs cannot disagree.

Checks that involve more than one field (a toll's ``low <= best <= high``, an ``end`` not
before its ``start``) live in ``__post_init__`` so that no invalid incident can exist.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Any, Final, Literal

from annotated_types import Ge, Le, MinLen
from pydantic import WithJsonSchema

Status = Literal["proposed", "published", "rejected"]
DatePrecision = Literal["day", "week", "month", "year", "unknown"]
LocationPrecision = Literal["exact", "neighbourhood", "town", "district", "province", "country"]
Attribution = Literal["claimed", "reported", "alleged", "unknown"]
Confidence = Literal["confirmed", "fair", "weak", "contested", "discounted", "ungraded"]
Method = Literal[
    "airstrike",
    "barrel_bomb",
    "shelling",
    "missile",
    "chemical",
    "suicide_bombing",
    "car_bomb",
    "ied",
    "grenade",
    "gunfire",
    "sniper",
    "execution",
    "abduction",
    "siege",
    "looting",
    "other",
]
EventType = Literal[
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Riots",
    "Strategic developments",
]
SubEventType = Literal[
    "Armed clash",
    "Government regains territory",
    "Non-state actor overtakes territory",
    "Chemical weapon",
    "Air/drone strike",
    "Suicide bomb",
    "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED",
    "Grenade",
    "Sexual violence",
    "Attack",
    "Abduction/forced disappearance",
    "Violent demonstration",
    "Mob violence",
    "Disrupted weapons use",
    "Looting/property destruction",
    "Non-violent transfer of territory",
    "Other",
]

#: ACLED event type -> its sub-event types (violent ones, plus strategic developments).
EVENT_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": (
        "Sexual violence",
        "Attack",
        "Abduction/forced disappearance",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Disrupted weapons use",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

_DOCSTRINGS: Any = {"use_attribute_docstrings": True, "extra": "forbid"}

Count = Annotated[int, Ge(0)]

#: "HH:MM" or "HH:MM:SS", as ``LocalTime`` is written in JSON.
LOCAL_TIME_PATTERN: Final = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$"

#: A wall-clock time in the agreement's timezone. The schema says a patterned string, not
#: ``format: time``, which (RFC 3339) would require an offset that these times never have.
LocalTime = Annotated[
    dt.time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": LOCAL_TIME_PATTERN,
            "description": "Local wall-clock time HH:MM or HH:MM:SS in the agreement's "
            "timezone, without an offset.",
        }
    ),
]


@dataclass(frozen=True, slots=True)
class Toll:
    """A count given as a range: "at least seven" is ``low=7, best=7, high=None``."""

    __pydantic_config__ = _DOCSTRINGS

    low: Count | None = None
    """The smallest figure any source supports."""
    best: Count | None = None
    """The most plausible figure (by default the conservative one across sources)."""
    high: Count | None = None
    """The largest figure any source gives; null when open-ended ("more than 40")."""

    def __post_init__(self) -> None:
        known = [v for v in (self.low, self.best, self.high) if v is not None]
        if known != sorted(known):
            raise ValueError(
                f"low <= best <= high does not hold (low={self.low}, best={self.best}, "
                f"high={self.high}) — reorder the figures"
            )


@dataclass(frozen=True, slots=True)
class Occurred:
    """When: local dates in the agreement's timezone, a time of day if known."""

    __pydantic_config__ = _DOCSTRINGS

    start: dt.date
    """First local day the event may have happened on."""
    end: dt.date
    """Last local day (equal to start for a single day)."""
    time: LocalTime | None = None
    """Local time of day (HH:MM or HH:MM:SS, no offset), when a source gives one."""
    precision: DatePrecision = "day"
    """How precisely the sources date the event."""
    note: str | None = None
    """Free text, e.g. "two mentions give 6 and 7 September"."""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"end {self.end.isoformat()} is before start {self.start.isoformat()} — "
                "swap them or give the range in order"
            )
        if self.time is not None and (self.time.tzinfo is not None or self.time.microsecond):
            raise ValueError(
                f"time {self.time.isoformat()} is not a local wall-clock time — "
                "write HH:MM or HH:MM:SS, without an offset or fractions of a second"
            )
        if self.time is not None and self.start != self.end:
            raise ValueError("a time of day needs a single day (start == end)")


@dataclass(frozen=True, slots=True)
class Location:
    """Where, with how precisely the sources place it."""

    __pydantic_config__ = _DOCSTRINGS

    lat: Annotated[float, Ge(-90), Le(90)]
    """WGS84 latitude in degrees."""
    lon: Annotated[float, Ge(-180), Le(180)]
    """WGS84 longitude in degrees."""
    precision: LocationPrecision
    """exact | neighbourhood | town | district | province | country."""
    name: str | None = None
    """Place name as reported or geocoded."""
    admin1_pcode: str | None = None
    """OCHA P-code of the governorate (SY02 = Aleppo)."""
    admin2_pcode: str | None = None
    """OCHA P-code of the district (SY0200 = Jebel Saman)."""
    country: Annotated[str, MinLen(2)] | None = None
    """ISO 3166-1 alpha-2 code."""


@dataclass(frozen=True, slots=True)
class Perpetrator:
    """Who the sources say did it, and how they say it. Never an inference."""

    __pydantic_config__ = _DOCSTRINGS

    text: str | None = None
    """The perpetrator as reported ("Russian warplanes"), or null."""
    actor: str | None = None
    """The scenario's actor id it resolves to, or null."""
    attribution: Attribution = "unknown"
    """claimed (by the perpetrator) | reported | alleged | unknown."""


@dataclass(frozen=True, slots=True)
class Target:
    """Who or what was attacked."""

    __pydantic_config__ = _DOCSTRINGS

    text: str | None = None
    """As reported ("civilians", "an aid convoy")."""
    actor: str | None = None
    """The scenario's actor id, or null."""


@dataclass(frozen=True, slots=True)
class Source:
    """One report behind the incident, and where in it the claim stands."""

    __pydantic_config__ = _DOCSTRINGS

    document_id: str
    """Stable id of the document (content hash, dataset row id, URL)."""
    publisher: str | None = None
    """Who published it (CNN, UCDP GED 19.1, a monitor)."""
    url: str | None = None
    published: dt.date | None = None
    """Publication date of the document."""
    attributed_to: str | None = None
    """Who the document cites ("an activist from the Aleppo Media Center")."""
    start: Count | None = None
    """Character offset of the cited passage in the document."""
    end: Count | None = None
    """Character offset just past the cited passage."""
    quote: str | None = None
    """The cited passage (optional; omitted where the text may not be redistributed)."""

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"source end offset {self.end} is before start {self.start}")


@dataclass(frozen=True, slots=True)
class Incident:
    """One real event, with every source that reports it (incident.v1)."""

    __pydantic_config__ = _DOCSTRINGS

    id: Annotated[str, MinLen(1)]
    """Stable id (a source's own id or a content hash)."""
    event_type: EventType
    """ACLED event type."""
    sub_event_type: SubEventType
    """ACLED sub-event type; must belong to event_type."""
    occurred: Occurred
    location: Location
    status: Status = "proposed"
    """proposed | published | rejected."""
    submitted_by: str | None = None
    """User, importer or extractor that submitted it."""
    method: tuple[Method, ...] = ()
    """How: airstrike, barrel_bomb, shelling, ..."""
    perpetrator: Perpetrator = field(default_factory=Perpetrator)
    target: Target | None = None
    fatalities: Toll | None = None
    civilian_fatalities: Toll | None = None
    injured: Toll | None = None
    sources: tuple[Source, ...] = ()
    confidence: Confidence = "ungraded"
    """confirmed | fair | weak | contested | discounted | ungraded."""

    def __post_init__(self) -> None:
        if self.sub_event_type not in EVENT_TYPES[self.event_type]:
            allowed = ", ".join(EVENT_TYPES[self.event_type])
            raise ValueError(
                f"sub_event_type {self.sub_event_type!r} is not a kind of "
                f"{self.event_type!r} — use one of: {allowed}"
            )
