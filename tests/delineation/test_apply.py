"""The dispute in south-west Aleppo, without a store: a strike on the 1070 project is
undetermined while the two proposals differ there, and its verdict changes — and says
so — when a delineation is agreed, and again when another replaces it."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasewatch.agreement.sources import load_bundled
from ceasewatch.delineation import apply, shapes
from ceasewatch.delineation.model import Ledger, Proposal
from ceasewatch.evaluate.finding import Finding
from tests.delineation.fixtures import (
    REPLACES,
    SUBJECT,
    drawn,
    proposal,
    signature,
    strike,
    syria_outline,
)

AS_OF = dt.datetime(2016, 9, 20, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def arrangement():  # type: ignore[no-untyped-def]
    scenario = load_bundled("syria-2016")
    return next(a for a in scenario.agreements if a.id == "sep-2016-arrangement")


def _p(version: int, party: str, name: str, seq: int) -> Proposal:
    found = shapes.read(drawn(name), country=syria_outline())
    return proposal(version, party, seq, found, replaces=tuple(REPLACES))


_sig = signature


def _no_fly(ev) -> Finding:  # type: ignore[no-untyped-def]
    return next(f for f in ev.findings() if f.rule_id == "no-fly")


def test_without_delineations_the_spec_zones_are_used_and_map_version_is_null(arrangement) -> None:  # type: ignore[no-untyped-def]
    f = _no_fly(apply.evaluate(arrangement, [strike()], as_of=AS_OF, ledger=None))
    assert f.map_version is None
    assert f.verdict == "violation"  # the spec's marbled zone covers the 1070 project


def test_a_strike_in_the_disputed_area_is_undetermined_disputed_delineation(arrangement) -> None:  # type: ignore[no-untyped-def]
    lg = Ledger(
        arrangement.id,
        arrangement.approvers,
        (_p(1, "us-coalition", "us", 1), _p(2, "ru", "ru", 2)),
        (_sig(1, "us-coalition", 1), _sig(2, "ru", 2)),
    )
    ev = apply.evaluate(arrangement, [strike()], as_of=AS_OF, ledger=lg)
    f = _no_fly(ev)
    assert f.verdict == "undetermined"
    assert "disputed delineation" in f.reasons[-1]
    assert any("v1 (us-coalition) and v2 (ru)" in r for r in f.reasons)
    # a rule that does not depend on the marbled delineation is not touched
    access = [x for x in ev.findings() if x.rule_id == "castello-access"]
    assert all("disputed" not in " ".join(x.reasons) for x in access)


def test_the_verdict_changes_and_says_so_when_a_delineation_is_agreed_then_replaced(
    arrangement,
) -> None:  # type: ignore[no-untyped-def]
    proposals = (_p(1, "us-coalition", "us", 1), _p(2, "ru", "ru", 2))
    sigs = (_sig(1, "us-coalition", 1), _sig(2, "ru", 2))
    # the sides agree on a compromise that keeps the 1070 project marbled
    v3 = (*proposals, _p(3, "us-coalition", "compromise", 3))
    lg = Ledger(
        arrangement.id,
        arrangement.approvers,
        v3,
        (*sigs, _sig(3, "us-coalition", 3), _sig(3, "ru", 4)),
    )
    f = _no_fly(apply.evaluate(arrangement, [strike()], as_of=AS_OF, ledger=lg))
    assert f.map_version == f"{SUBJECT}:v3"
    assert f.verdict == "violation"
    assert f.reasons[-1] == (
        f"Verdict changed: delineation v3 was agreed, ending the dispute between v2 and v3 "
        f"({SUBJECT}); before, it was undetermined."
    )
    # later Russia's map is agreed: the 1070 project is no longer marbled
    v4 = (*v3, _p(4, "ru", "ru", 5))
    lg = Ledger(
        arrangement.id,
        arrangement.approvers,
        v4,
        (*lg.signatures, _sig(4, "ru", 5), _sig(4, "us-coalition", 6)),
    )
    g = _no_fly(apply.evaluate(arrangement, [strike()], as_of=AS_OF, ledger=lg))
    assert g.map_version == f"{SUBJECT}:v4" and g.id != f.id
    assert g.verdict == "not_applicable"
    assert "delineation v4 replaced v3" in g.reasons[-1]
    assert g.reasons[-1].endswith("before, it was violation.")


def test_a_finding_the_change_did_not_touch_says_nothing_about_it(arrangement) -> None:  # type: ignore[no-untyped-def]
    far = strike().__class__  # an incident far from the dispute: Idlib city
    import dataclasses

    inc = strike()
    inc = dataclasses.replace(
        inc, id="far", location=dataclasses.replace(inc.location, lat=35.93, lon=36.63)
    )
    assert far is type(inc)
    lg = Ledger(
        arrangement.id,
        arrangement.approvers,
        (_p(1, "us-coalition", "us", 1),),
        (_sig(1, "us-coalition", 1), _sig(1, "ru", 2)),
    )
    for f in apply.evaluate(arrangement, [inc], as_of=AS_OF, ledger=lg).findings():
        assert not any(r.startswith("Verdict changed") for r in f.reasons)
        assert f.map_version == f"{SUBJECT}:v1"
