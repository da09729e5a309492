"""finding.v1: one incident judged against one rule, with the reasons."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, Literal

Verdict = Literal["violation", "exempt", "not_applicable", "undetermined"]
Basis = Literal["reported", "claimed", "alleged", "presumed"]
FindingConfidence = Literal["high", "medium", "low"]

_DOCSTRINGS: Any = {"use_attribute_docstrings": True, "extra": "forbid"}


@dataclass(frozen=True, slots=True)
class PartyRef:
    """A party a finding concerns and why it is named."""

    __pydantic_config__ = _DOCSTRINGS

    actor: str
    """Actor id of the scenario."""
    basis: Basis
    """reported | claimed | alleged (what sources say) | presumed (an attribution rule)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One incident judged against one rule of one agreement (finding.v1)."""

    __pydantic_config__ = _DOCSTRINGS

    id: str
    """Stable id: a hash of incident, agreement, version, rule and map version."""
    incident_id: str
    agreement_id: str
    agreement_version: str
    rule_id: str
    map_version: str | None
    """The agreed zone delineation(s) used, as ``subject:vN`` (comma-separated); null
    when the spec's own zones were used (see docs/delineation.md)."""
    as_of: dt.datetime
    """The moment the evaluation speaks for (incidents after it are not considered)."""
    verdict: Verdict
    """violation | exempt | not_applicable | undetermined."""
    reasons: tuple[str, ...]
    """Sentences a mediator can read aloud, in the order the rule was applied."""
    parties: tuple[PartyRef, ...]
    """Who the finding concerns. When the basis is presumed the list means "one of these"."""
    confidence: FindingConfidence
    """high | medium | low: the incident's grade, lowered for presumed or alleged parties."""


def finding_id(
    incident_id: str, agreement_id: str, version: str, rule_id: str, map_version: str | None
) -> str:
    """Deterministic id, so a re-evaluation updates rather than duplicates.

    >>> finding_id("i1", "coh-2016-02", "1", "hostilities", None)
    'f-3adcb80dd91e5b90'
    """
    key = "|".join((incident_id, agreement_id, version, rule_id, map_version or ""))
    return "f-" + hashlib.sha256(key.encode()).hexdigest()[:16]
