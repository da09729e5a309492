from __future__ import annotations

import pytest
from shapely.geometry import box

from ceasewatch.delineation.model import Ledger, Proposal
from ceasewatch.delineation.shapes import Shape
from ceasewatch.errors import Conflict, Forbidden, NotFound, UsageError
from tests.delineation.fixtures import proposal, signature

APPROVERS = ("ru", "us")


def _p(version: int, party: str | None, seq: int, geom=None, subject: str = "sw") -> Proposal:  # type: ignore[no-untyped-def]
    drawn = (Shape("a", geom if geom is not None else box(0, 0, 1, 1)),)
    return proposal(version, party, seq, drawn, subject=subject)


_sig = signature


def _proposed_by_us() -> Ledger:
    # proposing counts as the proposer's signature
    return Ledger("a", APPROVERS, (_p(1, "us", 1),), (_sig(1, "us", 1),))


def test_a_proposal_cannot_activate_itself() -> None:
    lg = _proposed_by_us()
    assert lg.status(1) == "proposed"
    assert lg.map_version() is None
    with pytest.raises(Conflict, match="signed v1 already"):
        lg.check_signer(1, "liaison", "us")


def test_the_other_sides_signature_activates_it() -> None:
    lg = _proposed_by_us()
    lg.check_signer(1, "liaison", "ru")
    lg = Ledger("a", APPROVERS, lg.proposals, (*lg.signatures, _sig(1, "ru", 2)))
    assert lg.status(1) == "active"
    assert lg.map_version() == "sw:v1"
    assert lg.last_activation() == 2
    with pytest.raises(Conflict, match="already active"):
        lg.check_signer(1, "liaison", "us")


@pytest.mark.parametrize(
    ("role", "party"), [("monitor", None), ("admin", None), ("liaison", "opposition")]
)
def test_the_wrong_role_or_party_is_forbidden(role: str, party: str | None) -> None:
    with pytest.raises(Forbidden):
        _proposed_by_us().check_signer(1, role, party)


def test_a_version_answered_by_a_counter_proposal_is_stale() -> None:
    lg = Ledger(
        "a",
        APPROVERS,
        (_p(1, "us", 1), _p(2, "ru", 2, box(0, 0, 0.5, 1))),
        (_sig(1, "us", 1), _sig(2, "ru", 2)),
    )
    assert lg.status(1) == "stale" and lg.status(2) == "proposed"
    with pytest.raises(Conflict, match="v2 is the latest proposal"):
        lg.check_signer(1, "liaison", "ru")
    # the two sides disagree and nothing is agreed: the difference is disputed
    (subject,) = lg.state()
    assert subject.dispute is not None and subject.dispute.versions == (1, 2)
    assert subject.dispute.area.equals(box(0.5, 0, 1, 1))


def test_an_activated_version_is_superseded_by_the_next_activation() -> None:
    lg = Ledger(
        "a",
        APPROVERS,
        (_p(1, "us", 1), _p(2, "ru", 3, box(0, 0, 0.5, 1))),
        (_sig(1, "us", 1), _sig(1, "ru", 2), _sig(2, "ru", 3), _sig(2, "us", 4)),
    )
    assert [lg.status(v) for v in (1, 2)] == ["superseded", "active"]
    with pytest.raises(Conflict, match="superseded by v2"):
        lg.check_signer(1, "liaison", "us")
    assert lg.before(4).map_version() == "sw:v1"
    # an agreed version covers the subject: no dispute while it stands
    assert lg.state()[0].dispute is None


def test_one_approver_is_not_enough() -> None:
    with pytest.raises(UsageError, match="fewer than two"):
        Ledger("a", ("us",)).check_proposal("sw", "marbled", (), None)


def test_a_new_version_keeps_its_subjects_zone_type_and_answers_its_own_subject() -> None:
    lg = _proposed_by_us()
    with pytest.raises(Conflict, match="keeps them"):
        lg.check_proposal("sw", "opposition", (), None)
    with pytest.raises(UsageError, match="its own subject"):
        lg.check_proposal("other", "marbled", (), 1)
    with pytest.raises(NotFound):
        lg.check_proposal("sw", "marbled", (), 9)
