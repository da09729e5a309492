"""A monitor's edits as an overlay: recorded per field, re-applied whole over a record
fusion rebuilt, an edit that no longer fits left out and said so."""

from __future__ import annotations

import datetime as dt

from ceasewatch.incidents import codec
from ceasewatch.incidents.edits import add_edits, apply_edits, carry_edits, changed_fields
from ceasewatch.incidents.model import Incident, Location, Occurred, Toll


def _strike(**changes: object) -> Incident:
    base = Incident(
        "r1",
        "Explosions/Remote violence",
        "Air/drone strike",
        Occurred(dt.date(2016, 9, 19), dt.date(2016, 9, 19)),
        Location(36.145, 36.9416, "town", "Urum al-Kubra"),
        fatalities=Toll(20, 20, 21),
    )
    record = codec.to_json(base) | changes
    return codec.ADAPTER.validate_python(record)


def _edits(before: Incident, after: Incident, version: int = 2) -> dict[str, dict[str, object]]:
    changed = changed_fields(codec.to_json(before), codec.to_json(after))
    return add_edits({}, changed, actor="api:mo", at="t", reason="counted", version=version)


def test_an_edit_replaces_the_whole_field_over_what_fusion_makes_later() -> None:
    machine = _strike()
    edited = _strike(fatalities={"low": 25, "best": 25, "high": 25})
    edits = _edits(machine, edited)
    assert set(edits) == {"fatalities"}
    assert edits["fatalities"]["version"] == 2 and edits["fatalities"]["actor"] == "api:mo"
    # fusion later gives another range and a new field; the monitor's toll stands whole
    refused = _strike(fatalities={"low": 18, "best": 18, "high": 30}, injured={"low": 3})
    out = apply_edits(refused, edits)
    assert out.incident.fatalities == Toll(25, 25, 25)
    assert out.incident.injured == Toll(3, None, None)
    assert out.kept == ("fatalities",) and out.differs == ("fatalities",)
    assert out.dropped == ()


def test_an_edit_that_no_longer_fits_is_left_out_and_named() -> None:
    machine = _strike()
    edits = _edits(machine, _strike(sub_event_type="Shelling/artillery/missile attack"))
    edits |= _edits(machine, _strike(status="published"))
    # fusion now codes the event as a battle: the edited sub-event type cannot stand
    refused = _strike(event_type="Battles", sub_event_type="Armed clash")
    out = apply_edits(refused, edits)
    assert out.incident.sub_event_type == "Armed clash"
    assert out.incident.status == "published", "the other edits are kept"
    assert [f for f, _ in out.dropped] == ["sub_event_type"]
    assert out.kept == ("status",)


def test_a_removed_field_stays_removed() -> None:
    machine = _strike(injured={"low": 3, "best": 3, "high": 3})
    edits = _edits(machine, _strike())
    assert edits["injured"]["value"] is None
    assert apply_edits(_strike(injured={"low": 5}), edits).incident.injured is None


def test_no_edits_leave_the_record_as_fusion_made_it() -> None:
    machine = _strike()
    out = apply_edits(machine, {})
    assert out.incident is machine and out.kept == ()


def test_a_merged_incidents_edits_join_the_survivors_without_overruling_them() -> None:
    mine = add_edits({}, {"status": "published"}, actor="a", at="t", reason="r", version=2)
    theirs = add_edits(
        {}, {"status": "rejected", "injured": {"low": 1}}, actor="b", at="t", reason="r", version=3
    )
    both = carry_edits(mine, theirs)
    assert both["status"]["value"] == "published" and both["status"]["actor"] == "a"
    assert both["injured"]["actor"] == "b"
