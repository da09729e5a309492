"""What every export format shares: a table of typed columns, one row per item.

An item is an ``Incident`` (``ceasewatch export incidents``) or a ``Judged`` pair of a
finding and its incident (``ceasewatch export findings``). A ``Table`` says which columns
a format writes and how one item becomes one row; the writers (CSV, GeoPackage, Parquet)
only know tables, so every format of one kind carries the same values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

from ceasewatch.evaluate.finding import Finding
from ceasewatch.incidents.model import Incident, Toll

ColumnKind = Literal["text", "int", "float", "date", "datetime"]
Value = str | int | float | dt.date | dt.datetime | None
Judged = tuple[Finding, Incident]
"""A finding with the incident it judges."""

T = TypeVar("T")
"""An item: an Incident, a Judged pair, or a stored incident (``stored.Held``)."""


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: ColumnKind
    doc: str


@dataclass(frozen=True)
class Lookups:
    """Names the rows may give beyond the incident itself, from the store's scenarios:
    admin areas by P-code, actors' names and kinds by id. Empty lookups leave those cells
    blank (or give the id, where the column is an actor)."""

    admin_names: Mapping[str, str] = field(default_factory=dict)
    actor_names: Mapping[str, str] = field(default_factory=dict)
    actor_kinds: Mapping[str, str] = field(default_factory=dict)

    def admin(self, pcode: str | None) -> str | None:
        return self.admin_names.get(pcode) if pcode else None

    def actor(self, text: str | None, actor: str | None) -> str | None:
        """An actor as reported, else its scenario name, else its id."""
        return text or (self.actor_names.get(actor, actor) if actor else None)


NO_LOOKUPS = Lookups()


@dataclass(frozen=True)
class Table(Generic[T]):
    """Columns and the function that turns one item into one row (values in column order)."""

    name: str
    columns: tuple[Column, ...]
    row: Callable[[T, Lookups], tuple[Value, ...]]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def incident_of(item: Any) -> Incident:
    """The incident of an item: an Incident, a Judged pair, or a stored incident
    (``stored.Held``, which carries it as ``.incident``)."""
    if isinstance(item, tuple):
        first: Incident = item[1]
        return first
    held: Incident | None = getattr(item, "incident", None)
    if held is not None:
        return held
    plain: Incident = item
    return plain


def best(toll: Toll | None) -> int | None:
    """The best figure of a toll, else its low one; None when nothing is known.

    >>> best(Toll(low=7)), best(Toll(low=3, best=5)), best(None)
    (7, 5, None)
    """
    if toll is None:
        return None
    return toll.best if toll.best is not None else toll.low


def joined(values: Any, sep: str = "; ") -> str | None:
    """Distinct non-empty values in order, joined; None when there are none.

    >>> joined(["CNN", None, "SOHR", "CNN"]), joined([])
    ('CNN; SOHR', None)
    """
    out = list(dict.fromkeys(v for v in values if v))
    return sep.join(out) if out else None


def dataset_tables(
    columns: tuple[Column, ...], row: Callable[[Incident, Lookups], tuple[Value, ...]]
) -> tuple[Table[Incident], Table[Judged]]:
    """A dataset's incident table, and its findings table: the incident's columns followed
    by the finding's."""
    return (
        Table("incidents", columns, row),
        Table(
            "findings",
            columns + finding_columns(),
            lambda item, lookups: row(item[1], lookups) + finding_values(item[0]),
        ),
    )


def finding_columns() -> tuple[Column, ...]:
    return (
        Column("finding_id", "text", "finding.v1 `id`"),
        Column("agreement_id", "text", "the agreement judged against"),
        Column("agreement_version", "text", "its version"),
        Column("rule_id", "text", "the rule judged against"),
        Column("verdict", "text", "`violation`, `undetermined`, `exempt` or `not_applicable`"),
        Column("confidence", "text", "the finding's confidence: `high`, `medium`, `low`"),
        Column(
            "parties",
            "text",
            "who the finding concerns, `actor (basis)` joined by `; ` (presumed: one of them)",
        ),
        Column("as_of", "datetime", "the moment the evaluation speaks for"),
        Column("reasons", "text", "the finding's reasons, in order, joined by ` | `"),
    )


def finding_values(f: Finding) -> tuple[Value, ...]:
    return (
        f.id,
        f.agreement_id,
        f.agreement_version,
        f.rule_id,
        f.verdict,
        f.confidence,
        joined(f"{p.actor} ({p.basis})" for p in f.parties),
        f.as_of,
        " | ".join(f.reasons),
    )
