"""What fusion takes in (a report: one incident as one dataset or feed gives it) and gives
out (a cluster: the fused incident, the ids of its reports and why they were joined)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal, get_args

from ceasewatch.incidents.model import Incident

SourceClass = Literal["monitor", "wire", "local_activist", "party_statement", "dataset", "unknown"]

#: Kinds of source a report comes from (docs/fusion.md#source-classes).
SOURCE_CLASSES: Final[tuple[str, ...]] = get_args(SourceClass)


@dataclass(frozen=True, slots=True)
class Report:
    """One incident as one source gives it. The report's id is ``incident.id``.

    ``dataset`` names where the record was taken from (``ucdp-ged``, ``acled``, a monitor's
    feed): two records of one deduplicated dataset with different rows are two events.
    ``denies`` lists actor ids the report says were *not* responsible (a party's denial).
    """

    incident: Incident
    dataset: str
    source_class: str = "unknown"
    denies: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.dataset:
            raise ValueError(f"report {self.incident.id!r}: dataset is empty — name its dataset")
        if self.source_class not in SOURCE_CLASSES:
            raise ValueError(
                f"report {self.incident.id!r}: source_class {self.source_class!r} is not one "
                f"of {', '.join(SOURCE_CLASSES)}"
            )

    @property
    def id(self) -> str:
        return self.incident.id


@dataclass(frozen=True, slots=True)
class Cluster:
    """One real event: the fused incident, its reports' ids (input order) and the reasons."""

    incident: Incident
    members: tuple[str, ...]
    reasons: tuple[str, ...]
