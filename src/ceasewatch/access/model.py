"""Convoys, their status history, and access constraints: frozen records, no I/O.

A convoy's history only moves forward: an update dated before the last one is refused
(``ConvoyError``), so a history read back is always in the order things happened.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Literal, get_args

ConvoyStatus = Literal[
    "planned", "cleared", "waiting", "at_checkpoint", "delivered", "blocked", "attacked"
]
CONVOY_STATUSES: tuple[str, ...] = get_args(ConvoyStatus)
#: A convoy with one of these statuses has been stopped: a finding under access.v2.
STOPPED: frozenset[str] = frozenset({"blocked", "attacked"})
#: Statuses of a convoy on its way, which must be let through in time once cleared.
EN_ROUTE: frozenset[str] = frozenset({"cleared", "waiting", "at_checkpoint"})

#: ACAPS humanitarian access categories (ACAPS, Humanitarian Access Overview methodology).
ConstraintCategory = Literal[
    "denial_of_access",
    "movement_restrictions",
    "interference",
    "violence_against_personnel",
    "hostilities",
    "explosive_hazards",
    "physical_environment",
]
CONSTRAINT_CATEGORIES: tuple[str, ...] = get_args(ConstraintCategory)
CATEGORY_NAMES: dict[str, str] = {
    "denial_of_access": "denial of access",
    "movement_restrictions": "movement restrictions",
    "interference": "interference in humanitarian activities",
    "violence_against_personnel": "violence against humanitarian personnel or assets",
    "hostilities": "ongoing hostilities",
    "explosive_hazards": "explosive hazards",
    "physical_environment": "physical environment",
}

Precision = Literal["minute", "day"]


class ConvoyError(ValueError):
    """An update that cannot be applied; nothing was changed."""


@dataclass(frozen=True, slots=True)
class Attribution:
    """A party named as responsible, and on what basis (as in finding.v1)."""

    actor: str
    basis: Literal["reported", "claimed", "alleged"] = "reported"


@dataclass(frozen=True, slots=True)
class ConvoyEvent:
    """One status change: when (``precision`` day = only the local day is known), what
    says so (``evidence``), where (a checkpoint or a point), and who is blamed."""

    status: ConvoyStatus
    at: dt.datetime
    evidence: str
    precision: Precision = "minute"
    checkpoint: str | None = None
    lon: float | None = None
    lat: float | None = None
    incident: str | None = None
    """Id of an incident.v1 record of the same event (an attack), if there is one."""
    attributed_to: tuple[Attribution, ...] = ()
    note: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None:
            raise ConvoyError("a convoy update needs a timezone-aware time")
        if self.status not in CONVOY_STATUSES:
            raise ConvoyError(
                f"unknown convoy status {self.status!r} — one of {', '.join(CONVOY_STATUSES)}"
            )
        if not self.evidence.strip():
            raise ConvoyError("a convoy update needs its evidence (a source, a report id)")

    @property
    def end(self) -> dt.datetime:
        """The latest moment the event may have happened."""
        return self.at + (dt.timedelta(days=1) if self.precision == "day" else dt.timedelta(0))


@dataclass(frozen=True, slots=True)
class Convoy:
    id: str
    agency: str
    origin: str
    destination: str
    route: str | None
    cargo: str
    events: tuple[ConvoyEvent, ...]
    trucks: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if not self.events:
            raise ConvoyError(f"convoy {self.id!r} needs a first status (e.g. planned)")
        for before, after in zip(self.events, self.events[1:], strict=False):
            _in_order(self.id, before, after)

    @property
    def status(self) -> ConvoyStatus:
        return self.events[-1].status

    def status_at(self, t: dt.datetime) -> ConvoyEvent | None:
        """The last event at or before ``t`` (None before the first)."""
        last = None
        for ev in self.events:
            if ev.at <= t:
                last = ev
        return last

    def cleared_at(self, t: dt.datetime) -> dt.datetime | None:
        """When the convoy was last cleared, as of ``t``."""
        times = [ev.at for ev in self.events if ev.status == "cleared" and ev.at <= t]
        return times[-1] if times else None

    def updated(self, event: ConvoyEvent) -> Convoy:
        """This convoy with ``event`` appended; refused when out of order or after it was
        delivered.

        >>> c = Convoy("c1", "UN", "A", "B", None, "food",
        ...     (ConvoyEvent("planned", dt.datetime(2016, 9, 13, 9, tzinfo=dt.UTC), "r1"),))
        >>> c.updated(ConvoyEvent("waiting", dt.datetime(2016, 9, 12, tzinfo=dt.UTC), "r2"))
        Traceback (most recent call last):
        ...
        ceasewatch.access.model.ConvoyError: convoy 'c1': update 'waiting' at \
2016-09-12T00:00:00+00:00 is before the last one ('planned' at 2016-09-13T09:00:00+00:00) — \
updates must come in the order things happened
        """
        _in_order(self.id, self.events[-1], event)
        return replace(self, events=(*self.events, event))


def _in_order(convoy_id: str, before: ConvoyEvent, after: ConvoyEvent) -> None:
    if after.at < before.at:
        raise ConvoyError(
            f"convoy {convoy_id!r}: update {after.status!r} at {after.at.isoformat()} is before "
            f"the last one ({before.status!r} at {before.at.isoformat()}) — updates must come "
            "in the order things happened"
        )
    if before.status == "delivered":
        raise ConvoyError(
            f"convoy {convoy_id!r} was delivered at {before.at.isoformat()}: no update can "
            "follow — record a new convoy for a new trip"
        )


@dataclass(frozen=True, slots=True)
class Constraint:
    """An access constraint (ACAPS category) in force over ``[start, end)``.

    ``blocking`` constraints close the ``routes`` and ``checkpoints`` they name (and any
    route whose corridor holds its point) for as long as they last.
    """

    id: str
    category: ConstraintCategory
    description: str
    start: dt.datetime
    evidence: str
    end: dt.datetime | None = None
    blocking: bool = True
    routes: tuple[str, ...] = ()
    checkpoints: tuple[str, ...] = ()
    lon: float | None = None
    lat: float | None = None
    attributed_to: tuple[Attribution, ...] = ()

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or (self.end is not None and self.end.tzinfo is None):
            raise ValueError(f"constraint {self.id!r}: times must be timezone-aware")
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"constraint {self.id!r}: end must be after start")
        if self.category not in CONSTRAINT_CATEGORIES:
            raise ValueError(
                f"constraint {self.id!r}: unknown category {self.category!r} — one of "
                + ", ".join(CONSTRAINT_CATEGORIES)
            )

    def overlaps(self, start: dt.datetime, end: dt.datetime) -> bool:
        return self.start < end and (self.end is None or self.end > start)


@dataclass(frozen=True, slots=True)
class AccessRecords:
    """What the access team recorded: convoys and constraints."""

    convoys: tuple[Convoy, ...] = ()
    constraints: tuple[Constraint, ...] = ()
