"""Proposals, signatures and what they add up to: which version is active, which are
stale, where the sides disagree. Pure: the store passes the rows in.

Rules, stated once:

- versions are numbered per agreement (v1, v2, ...), in the order they are proposed;
  each belongs to a *subject* (e.g. ``sw-aleppo-marbled``): one zone type, and the spec
  zones it replaces (all zones of the type when none are named);
- proposing counts as the proposing party's signature; a version becomes **active** when
  every designated approver (``Agreement.approvers``, at least two parties) has signed
  it — so a proposal can never activate itself;
- only the **latest** proposal of a subject can be signed: an older one is *stale*, an
  activated one that a later activation replaced is *superseded*;
- while a subject has no active version, the area where the approvers' latest proposals
  differ is **disputed**; once a version is active it covers the subject, and a new
  counter-proposal does not reopen the dispute until it is agreed or not.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Literal

import shapely
from shapely.geometry.base import BaseGeometry

from ceasewatch.delineation.shapes import Shape, area_km2, disputed, union
from ceasewatch.errors import Conflict, Forbidden, NotFound, UsageError

Status = Literal["proposed", "active", "superseded", "stale"]


@dataclass(frozen=True, slots=True)
class Proposal:
    """One version of a subject's delineation."""

    version: int
    subject: str
    zone_type: str
    replaces: tuple[str, ...]
    shapes: tuple[Shape, ...]
    party: str | None
    proposed_by: str
    proposed_at: str
    seq: int
    answers: int | None = None
    note: str = ""

    @property
    def label(self) -> str:
        return f"v{self.version}"

    @property
    def geometry(self) -> BaseGeometry:
        return union(self.shapes)


@dataclass(frozen=True, slots=True)
class Signature:
    version: int
    party: str
    signed_by: str
    signed_at: str
    seq: int


@dataclass(frozen=True, slots=True)
class Dispute:
    """Where the approvers' latest proposals of a subject differ (none being agreed)."""

    subject: str
    zone_type: str
    versions: tuple[int, ...]
    parties: tuple[str, ...]
    area: BaseGeometry

    @property
    def km2(self) -> float:
        return area_km2(self.area)

    def sentence(self) -> str:
        """What a finding says about it.

        >>> from shapely.geometry import box
        >>> Dispute("sw", "marbled", (1, 2), ("ru", "us"), box(0, 0, 0, 0)).sentence()[:60]
        'The location lies in an area whose delineation is disputed: '
        """
        who = " and ".join(f"v{v} ({p})" for v, p in zip(self.versions, self.parties, strict=True))
        return (
            f"The location lies in an area whose delineation is disputed: the {self.zone_type} "
            f"zones of {self.subject} are drawn differently by {who}, and no version is agreed "
            f"(disputed area {self.km2:.1f} km²)."
        )


@dataclass(frozen=True, slots=True)
class Subject:
    """How one subject stands: its active version (if any) and its dispute (if any)."""

    subject: str
    zone_type: str
    replaces: tuple[str, ...]
    active: Proposal | None
    latest: Proposal
    dispute: Dispute | None


@dataclass(frozen=True)
class Ledger:
    """Every proposal and signature of one agreement, and its designated approvers."""

    agreement_id: str
    approvers: tuple[str, ...]
    proposals: tuple[Proposal, ...] = ()
    signatures: tuple[Signature, ...] = ()
    _active: dict[int, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # version -> seq of the signature that completed it
        need = set(self.approvers)
        got: dict[int, set[str]] = {}
        for s in sorted(self.signatures, key=lambda s: s.seq):
            got.setdefault(s.version, set()).add(s.party)
            if s.version not in self._active and need and need <= got[s.version]:
                self._active[s.version] = s.seq

    # ---- looking up ------------------------------------------------------------------

    def proposal(self, version: int) -> Proposal:
        for p in self.proposals:
            if p.version == version:
                return p
        known = ", ".join(p.label for p in self.proposals) or "none yet"
        raise NotFound(
            f"agreement {self.agreement_id!r} has no delineation v{version} (versions: {known})"
        )

    def of_subject(self, subject: str) -> list[Proposal]:
        return sorted((p for p in self.proposals if p.subject == subject), key=lambda p: p.version)

    def subjects(self) -> list[str]:
        return sorted({p.subject for p in self.proposals})

    def signed(self, version: int) -> tuple[str, ...]:
        """Parties that signed a version, in the order they signed."""
        out: list[str] = []
        for s in sorted(self.signatures, key=lambda s: s.seq):
            if s.version == version and s.party not in out:
                out.append(s.party)
        return tuple(out)

    def activated_at(self, version: int) -> int | None:
        """The seq of the signature that made a version active, if any did."""
        return self._active.get(version)

    def active(self, subject: str) -> Proposal | None:
        done = [p for p in self.of_subject(subject) if p.version in self._active]
        return max(done, key=lambda p: self._active[p.version]) if done else None

    def status(self, version: int) -> Status:
        p = self.proposal(version)
        active = self.active(p.subject)
        if active is not None and active.version == version:
            return "active"
        if version in self._active:
            return "superseded"
        if self.of_subject(p.subject)[-1].version == version:
            return "proposed"
        return "stale"

    def last_activation(self) -> int | None:
        """Seq of the most recent activation, in any subject."""
        return max(self._active.values(), default=None)

    def before(self, seq: int) -> Ledger:
        """The ledger as it stood before event ``seq`` (for "what changed")."""
        return replace(
            self,
            proposals=tuple(p for p in self.proposals if p.seq < seq),
            signatures=tuple(s for s in self.signatures if s.seq < seq),
        )

    # ---- what it adds up to ----------------------------------------------------------

    def subject_state(self, subject: str) -> Subject:
        versions = self.of_subject(subject)
        if not versions:
            raise NotFound(f"agreement {self.agreement_id!r} has no delineation {subject!r}")
        first, latest = versions[0], versions[-1]
        active = self.active(subject)
        dispute = None
        if active is None:
            positions: dict[str, Proposal] = {}
            for p in versions:
                if p.party in self.approvers:
                    positions[p.party] = p
            if len(positions) >= 2:
                ps = sorted(positions.values(), key=lambda p: p.version)
                area: BaseGeometry = shapely.union_all(
                    [
                        disputed(a.geometry, b.geometry)
                        for a in ps
                        for b in ps
                        if a.version < b.version
                    ]
                )
                if not area.is_empty and area_km2(area) > 0:
                    dispute = Dispute(
                        subject,
                        first.zone_type,
                        tuple(p.version for p in ps),
                        tuple(p.party or "" for p in ps),
                        area,
                    )
        return Subject(subject, first.zone_type, first.replaces, active, latest, dispute)

    def state(self) -> tuple[Subject, ...]:
        return tuple(self.subject_state(s) for s in self.subjects())

    def map_version(self) -> str | None:
        """What a finding records: the active version of each subject (None: the spec's
        own zones everywhere).

        >>> Ledger("a", ("x", "y")).map_version() is None
        True
        """
        parts = [f"{s.subject}:{s.active.label}" for s in self.state() if s.active is not None]
        return ",".join(parts) or None

    # ---- who may do what ---------------------------------------------------------------

    def check_signer(self, version: int, role: str, party: str | None) -> Proposal:
        """Raise unless a liaison of a designated approver may sign ``version`` now:
        Forbidden (403) for the wrong role or party, Conflict (409) for a version that is
        not the latest proposal, already active, or already signed by this party."""
        if role != "liaison" or not party:
            raise Forbidden(
                f"only a liaison of a designated approver ({', '.join(self.approvers)}) signs a "
                f"delineation, not a user with role {role!r}"
            )
        if party not in self.approvers:
            raise Forbidden(
                f"party {party!r} is not a designated approver of agreement "
                f"{self.agreement_id!r}: its approvers are {', '.join(self.approvers)}"
            )
        p = self.proposal(version)
        status = self.status(version)
        current: dict[str, object] = {
            "version": version,
            "status": status,
            "signed": list(self.signed(version)),
        }
        if status == "active":
            raise Conflict(f"v{version} is already active: nothing to sign", current)
        if status == "superseded":
            active = self.active(p.subject)
            assert active is not None
            raise Conflict(
                f"v{version} is stale: it was superseded by {active.label}, the active "
                f"delineation of {p.subject!r}",
                current,
            )
        if status == "stale":
            latest = self.of_subject(p.subject)[-1]
            raise Conflict(
                f"v{version} is stale: {latest.label} is the latest proposal for "
                f"{p.subject!r} — read it and sign that one, or counter-propose",
                current,
            )
        if party in self.signed(version):
            raise Conflict(
                f"party {party!r} has signed v{version} already; it becomes active when "
                f"{', '.join(a for a in self.approvers if a not in self.signed(version))} "
                "sign(s) too",
                current,
            )
        return p

    def check_proposal(
        self, subject: str, zone_type: str, replaces: Iterable[str], answers: int | None
    ) -> None:
        """A new version must keep its subject's zone type and replaced zones, and may
        only answer a version of the same subject."""
        if len(set(self.approvers)) < 2:
            raise UsageError(
                f"agreement {self.agreement_id!r} names fewer than two delineation approvers "
                "— list both sides under delineation_approvers: in the agreement file"
            )
        earlier = self.of_subject(subject)
        if earlier:
            first = earlier[0]
            if first.zone_type != zone_type or first.replaces != tuple(replaces):
                raise Conflict(
                    f"delineation {subject!r} is of {first.zone_type} zones replacing "
                    f"{', '.join(first.replaces) or f'every {first.zone_type} zone'}: a new "
                    "version keeps them (or start a new subject)",
                    {
                        "subject": subject,
                        "zone_type": first.zone_type,
                        "replaces": list(first.replaces),
                    },
                )
        if answers is not None:
            answered = self.proposal(answers)
            if answered.subject != subject:
                raise UsageError(
                    f"v{answers} is a delineation of {answered.subject!r}, not of {subject!r}: "
                    "a counter-proposal answers a version of its own subject"
                )
