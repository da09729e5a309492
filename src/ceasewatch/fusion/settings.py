"""Everything fusion and grading can be told, with the defaults docs/fusion.md explains."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal, get_args

TollPolicy = Literal["conservative", "median", "highest", "first"]
TOLL_POLICIES: Final[tuple[str, ...]] = get_args(TollPolicy)


@dataclass(frozen=True)
class GradingRules:
    """How a grade follows from the sources (docs/fusion.md#grading)."""

    credible_classes: frozenset[str] = frozenset({"monitor", "wire", "dataset"})
    """Source classes that count as credible on their own."""
    confirmed_when_claimed: bool = True
    """A perpetrator's own claim (attribution ``claimed``) confirms the incident."""
    confirmed_min_independent: int | None = 3
    """Independent origins that confirm without a claim (None: only a claim confirms)."""
    confirmed_min_credible: int = 2
    """Of those, how many must be of a credible class."""
    fair_min_independent: int = 2
    """Independent origins for ``fair``."""
    fair_min_credible: int = 1
    """Of those, how many must be of a credible class."""
    contest_on_conflicting_perpetrators: bool = True
    """Sources naming different perpetrators make the incident ``contested``."""
    contest_within_bloc: bool = True
    """... even when both are in one bloc (Syrian vs Russian aircraft)."""
    contest_on_denial: bool = True
    """A report denying the perpetrator the others name makes it ``contested``."""
    discount_when_member_discounted: bool = True
    """A member graded ``discounted`` by its own source discounts the incident."""
    respect_upstream_grades: bool = True
    """Never grade below the best grade (confirmed/fair/weak) a member came with."""

    def __post_init__(self) -> None:
        if self.fair_min_independent < 1:
            raise ValueError("grading: fair_min_independent must be at least 1")
        if self.confirmed_min_independent is not None and (
            self.confirmed_min_independent < self.fair_min_independent
        ):
            raise ValueError(
                "grading: confirmed_min_independent must not be below fair_min_independent"
            )


@dataclass(frozen=True)
class FusionSettings:
    """Thresholds and policies of ``fuse`` and ``grade`` (docs/fusion.md#settings)."""

    threshold: float = 0.7
    """Least pair score for two reports to be joined (0..1)."""
    ambiguity_margin: float = 0.005
    """A match is left apart when a rival fits within this score of it (0: never)."""
    max_date_slack_days: int = 1
    """Day-dated reports this many days apart may still be one event (reporting lag)."""
    min_radius_m: float = 1_000.0
    """Floor under every location's radius (an ``exact`` point is still a few hundred m off)."""
    toll_policy: TollPolicy = "conservative"
    """``best`` of a fused toll: conservative (lowest best), median, highest, first."""
    merge_within_datasets: frozenset[str] = frozenset()
    """Datasets whose records may be merged with each other (feeds that repeat themselves)."""
    actor_aliases: Mapping[str, str] = field(default_factory=dict)
    """Perpetrator/target text (any case) -> actor id, for records without an actor id."""
    place_names: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Normalised place name -> ids of the places it names (``names.place_index`` of a
    scenario gazetteer): two names of one place are alike whatever their spelling."""
    blocs: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Bloc id -> member actor ids: members of one bloc are compatible perpetrators."""
    air_forces: frozenset[str] = frozenset()
    """Actor ids with aircraft: an air strike is never one event with a report that names
    a perpetrator outside this set (empty: the rule is off)."""
    grading: GradingRules = field(default_factory=GradingRules)

    def __post_init__(self) -> None:
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold {self.threshold} is not between 0 and 1")
        if self.max_date_slack_days < 0:
            raise ValueError("max_date_slack_days must be 0 or more")
        if self.min_radius_m < 0:
            raise ValueError("min_radius_m must be 0 or more")
        if self.toll_policy not in TOLL_POLICIES:
            raise ValueError(
                f"toll_policy {self.toll_policy!r} is not one of {', '.join(TOLL_POLICIES)}"
            )


#: The defaults, as one shared value.
DEFAULT_SETTINGS: Final = FusionSettings()
