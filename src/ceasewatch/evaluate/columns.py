"""Incidents as columns: the engine's input form.

The engine works on arrays (one entry per incident) so that a million incidents are
judged in seconds; reasons are rendered later, only for the findings someone reads.
``from_incidents`` builds the columns from incident.v1 records; the benchmark builds them
directly from synthetic arrays.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasewatch.agreement.model import World
from ceasewatch.incidents.model import Incident
from ceasewatch.incidents.vocab import ATTRIBUTIONS, METHODS, PRECISION_RADIUS_M, SUB_EVENT_TYPES

SUB_INDEX = {pair: i for i, pair in enumerate(SUB_EVENT_TYPES)}
METHOD_BIT = {name: np.int32(1 << i) for i, name in enumerate(METHODS)}
BASIS_INDEX = {name: i for i, name in enumerate(ATTRIBUTIONS)}
#: Perpetrator/target code when the record names no actor of the scenario.
NO_ACTOR = -1
#: ... when it names an actor id the scenario does not know.
UNKNOWN_ACTOR = -2

EPOCH = dt.date(1970, 1, 1)

#: The incident.v1 fields a finding follows from: what ``from_incidents`` reads, what the
#: reasons quote (place name, perpetrator as reported, the grade) and the status (a
#: rejected incident is no evidence). A change of any other field (sources, tolls, who
#: submitted it) changes no finding (tests/evaluate/test_judged_fields.py).
JUDGED_FIELDS = frozenset(
    {
        "event_type",
        "sub_event_type",
        "occurred",
        "location",
        "method",
        "perpetrator",
        "target",
        "confidence",
        "status",
    }
)


def method_mask(methods: Sequence[str] | frozenset[str]) -> np.int32:
    mask = np.int32(0)
    for name in methods:
        mask |= METHOD_BIT[name]
    return mask


@dataclass(frozen=True)
class Columns:
    """One row per incident. Times are UTC seconds; ``[t0, t1)`` is when it happened."""

    lon: npt.NDArray[np.float64]
    lat: npt.NDArray[np.float64]
    radius: npt.NDArray[np.float64]
    country_ok: npt.NDArray[np.bool_]  # country unknown or equal to the scenario's
    t0: npt.NDArray[np.int64]
    t1: npt.NDArray[np.int64]
    day: npt.NDArray[np.int32]  # local start date, days since 1970-01-01
    sub: npt.NDArray[np.int16]  # index into SUB_EVENT_TYPES
    methods: npt.NDArray[np.int32]  # bit mask over METHODS
    perp: npt.NDArray[np.int16]  # index into world.actors, NO_ACTOR or UNKNOWN_ACTOR
    basis: npt.NDArray[np.int8]  # index into ATTRIBUTIONS
    target: npt.NDArray[np.int16]

    def __len__(self) -> int:
        return len(self.lon)


def local_bounds(
    start: dt.date, end: dt.date, time: dt.time | None, tz: zoneinfo.ZoneInfo
) -> tuple[int, int]:
    """UTC seconds of ``[start 00:00, end+1 00:00)`` local, or of the given minute.

    >>> tz = zoneinfo.ZoneInfo("Asia/Damascus")
    >>> a, b = local_bounds(dt.date(2016, 9, 12), dt.date(2016, 9, 12), None, tz)
    >>> dt.datetime.fromtimestamp(a, dt.UTC).isoformat(), (b - a) // 3600
    ('2016-09-11T21:00:00+00:00', 24)
    """
    if time is not None:
        t = dt.datetime.combine(start, time, tzinfo=tz)
        s = int(t.timestamp())
        return s, s + 60
    a = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    b = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    return int(a.timestamp()), int(b.timestamp())


def from_incidents(incidents: Sequence[Incident], world: World) -> Columns:
    tz = zoneinfo.ZoneInfo(world.timezone)
    index = {a.id: i for i, a in enumerate(world.actors)}
    n = len(incidents)
    lon = np.empty(n)
    lat = np.empty(n)
    radius = np.empty(n)
    country_ok = np.empty(n, dtype=bool)
    t0 = np.empty(n, dtype=np.int64)
    t1 = np.empty(n, dtype=np.int64)
    day = np.empty(n, dtype=np.int32)
    sub = np.empty(n, dtype=np.int16)
    methods = np.zeros(n, dtype=np.int32)
    perp = np.empty(n, dtype=np.int16)
    basis = np.empty(n, dtype=np.int8)
    target = np.empty(n, dtype=np.int16)
    cache: dict[tuple[dt.date, dt.date, dt.time | None], tuple[int, int]] = {}

    def actor_code(actor: str | None) -> int:
        if actor is None:
            return NO_ACTOR
        return index.get(actor, UNKNOWN_ACTOR)

    for i, inc in enumerate(incidents):
        loc = inc.location
        lon[i], lat[i] = loc.lon, loc.lat
        radius[i] = PRECISION_RADIUS_M[loc.precision]
        country_ok[i] = loc.country is None or world.country is None or loc.country == world.country
        occ = inc.occurred
        key = (occ.start, occ.end, occ.time)
        if key not in cache:
            cache[key] = local_bounds(occ.start, occ.end, occ.time, tz)
        t0[i], t1[i] = cache[key]
        day[i] = (occ.start - EPOCH).days
        sub[i] = SUB_INDEX[(inc.event_type, inc.sub_event_type)]
        methods[i] = method_mask(inc.method)
        perp[i] = actor_code(inc.perpetrator.actor)
        basis[i] = BASIS_INDEX[inc.perpetrator.attribution]
        target[i] = actor_code(inc.target.actor if inc.target else None)
    return Columns(lon, lat, radius, country_ok, t0, t1, day, sub, methods, perp, basis, target)
