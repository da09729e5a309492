"""Controlled vocabularies of incident.v1.

Event types and sub-event types follow ACLED's codebook (the violent event types, plus
the strategic developments a ceasefire cares about and ``Other``). Everything else is
ceasewatch's own. The literal types themselves live in
``incidents.model`` (the JSON Schema is generated from them); this module gives them as
tuples for code that iterates, plus the tables the engine needs.
"""

from __future__ import annotations

from typing import Final, get_args

from ceasewatch.incidents.model import EVENT_TYPES as EVENT_TYPES
from ceasewatch.incidents.model import (
    Attribution,
    Confidence,
    DatePrecision,
    LocationPrecision,
    Method,
    Status,
)

#: Every sub-event type, in a stable order (index = the engine's column code).
SUB_EVENT_TYPES: Final[tuple[tuple[str, str], ...]] = tuple(
    (event, sub) for event, subs in EVENT_TYPES.items() for sub in subs
)

METHODS: Final[tuple[str, ...]] = get_args(Method)

#: Methods delivered from the air: what a no-fly rule and an airspace attribution rule see.
AIR_METHODS: Final[frozenset[str]] = frozenset({"airstrike", "barrel_bomb"})

STATUSES: Final[tuple[str, ...]] = get_args(Status)
DATE_PRECISIONS: Final[tuple[str, ...]] = get_args(DatePrecision)
LOCATION_PRECISIONS: Final[tuple[str, ...]] = get_args(LocationPrecision)
ATTRIBUTIONS: Final[tuple[str, ...]] = get_args(Attribution)
CONFIDENCES: Final[tuple[str, ...]] = get_args(Confidence)

#: How far from the given point the event may have happened, by location precision, in
#: metres. ``country`` has no bound. Zone tests use a disc of this radius (see geo.relate).
PRECISION_RADIUS_M: Final[dict[str, float]] = {
    "exact": 0.0,
    "neighbourhood": 1_000.0,
    "town": 5_000.0,
    "district": 25_000.0,
    "province": 75_000.0,
    "country": float("inf"),
}
