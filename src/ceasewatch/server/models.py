"""Request and response bodies of the API (pydantic at the edge).

``incident`` and ``finding`` fields are the incident.v1 and finding.v1 dataclasses
themselves, so the OpenAPI document and the shipped JSON Schemas come from one
definition.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ceasewatch.evaluate.finding import Finding, Verdict
from ceasewatch.incidents.model import Incident

Text = Field(min_length=1, max_length=10_000)


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorOut(BaseModel):
    ok: Literal[False] = False
    error: str
    errors: list[str] = []
    status: int
    current: dict[str, Any] | None = None


class IncidentOut(BaseModel):
    incident: Incident
    version: int
    """Send it back when you change the incident: a stale one gets 409."""
    status: str
    owner_party: str | None
    """The party whose liaison submitted it; null for monitors' and imported incidents."""
    created_by: str | None
    updated_at: str | None


class IncidentsOut(BaseModel):
    data: list[IncidentOut]
    count: int
    next_offset: int | None


class MapIncidentsOut(BaseModel):
    """Columns of equal length, one entry per incident; codes index the lists."""

    count: int
    precisions: list[str]
    statuses: list[str]
    verdicts: list[str]
    id: list[str]
    lat: list[float]
    lon: list[float]
    precision: list[int | None]
    status: list[int | None]
    start: list[str]
    verdict: list[int | None]
    """Index in `verdicts` of the most serious verdict that holds; null: no finding."""


class PatchIn(_In):
    reason: str = Text
    version: int = Field(ge=1)
    """The version you read: if the incident changed since, the answer is 409."""
    changes: dict[str, Any]
    """A JSON merge patch of the incident.v1 record (null removes a field)."""


class ReviewIn(_In):
    reason: str = Text
    version: int | None = None


class OverrideIn(_In):
    verdict: Verdict
    reason: str = Text


class OverrideOut(BaseModel):
    id: int
    verdict: str
    machine_verdict: str
    reason: str
    by: str | None
    at: str
    standing: bool
    lapsed_at: str | None
    lapsed_why: str | None


class FindingOut(BaseModel):
    finding: Finding
    machine_verdict: str
    override: OverrideOut | None
    """The override standing now, shown beside the machine's verdict."""
    verdict: str
    """The verdict that holds: the override's while it stands, else the machine's."""
    overrides: list[OverrideOut]


class QueryIn(_In):
    party: str = Field(min_length=1, max_length=80)
    question: str = Text


class AnswerIn(_In):
    answer: str = Text


class QueryOut(BaseModel):
    id: int
    incident_id: str
    party: str
    question: str
    asked_by: str
    asked_at: str
    answer: str | None
    answered_by: str | None
    answered_at: str | None


class EvidenceOut(BaseModel):
    id: str
    incident_id: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: str


class SpecIn(_In):
    files: dict[str, str] = Field(min_length=1)
    """A scenario's files by relative path: scenario.yaml, the agreement files, GeoJSON."""


class StoredAgreementOut(BaseModel):
    id: str
    version: str
    title: str
    state: Literal["stored", "unchanged"]


class AgreementSummary(BaseModel):
    id: str
    version: str
    scenario_id: str
    versions: int


class AgreementOut(BaseModel):
    id: str
    version: str
    title: str
    scenario_id: str
    parties: list[str]
    summary: str
    rules: list[dict[str, Any]]
    versions: list[dict[str, Any]]


class EvaluationOut(BaseModel):
    agreement_id: str
    version: str
    as_of: str
    findings: int
    counts: dict[str, int]
    overrides_lapsed: int


class ReportIn(_In):
    text: str = Field(min_length=1, max_length=500_000)
    """The article's text: source offsets in the incidents point into it."""
    title: str | None = Field(default=None, max_length=1000)
    url: str | None = Field(default=None, max_length=2000)
    publisher: str | None = Field(default=None, max_length=200)
    published: dt.date | None = None
    """Publication date: relative dates ("on Wednesday") are resolved against it."""
    agreement: str | None = Field(default=None, min_length=1, max_length=80)
    """The stored agreement whose actors and gazetteer read the article (needed only when
    the store holds several scenarios)."""


class UnresolvedOut(BaseModel):
    reason: str
    """Why it cannot be an incident yet (its date could not be resolved)."""
    draft: dict[str, Any]
    """Every incident.v1 field found, ``occurred`` left empty."""


class ReportOut(BaseModel):
    data: list[IncidentOut]
    """The incidents found, stored ``proposed``: they wait in the review queue."""
    count: int
    article_id: str
    """The id their sources cite (``document_id``): a hash of the sender and the text."""
    scenario_id: str
    skipped_reason: str | None
    """Why the article was not read for incidents (``language: ar``), else null."""
    unresolved: list[UnresolvedOut]
    errors: list[str]


class MeOut(BaseModel):
    name: str
    role: str
    party: str | None


class HealthOut(BaseModel):
    ok: bool
    store: str


class AuditEntryOut(BaseModel):
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any
    reason: str | None
    prev_hash: str
    hash: str


class AuditHeadOut(BaseModel):
    head: str | None


class AuditVerifyOut(BaseModel):
    ok: bool
    entries: int
    head: str | None
    problem: str | None


class UserOut(BaseModel):
    name: str
    role: str
    party: str | None
    created_at: str
    expires_at: str | None
    revoked_at: str | None
