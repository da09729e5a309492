"""access.v2 judgements on the minimal world: route and checkpoint status, convoys that
break sustained access, and findings for stopped convoys."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasewatch.access.judge import AccessBook
from ceasewatch.access.model import (
    AccessRecords,
    Attribution,
    Constraint,
    Convoy,
    ConvoyEvent,
)
from ceasewatch.agreement.model import Agreement
from ceasewatch.evaluate.finding import PartyRef

TZ = dt.timezone(dt.timedelta(hours=-1))  # Atlantic/Cape_Verde
DAY = dt.date(2024, 5, 3)


def at(hour: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def book(truce: Agreement, *, convoys=(), constraints=(), hostile=None, parties=None) -> AccessBook:
    kw = {}
    if hostile is not None:
        kw["hostile"] = hostile
    if parties is not None:
        kw["incident_parties"] = parties
    return AccessBook(truce, AccessRecords(tuple(convoys), tuple(constraints)), **kw)


def test_a_route_with_nothing_against_it_is_open_and_says_its_window(truce: Agreement) -> None:
    st = book(truce).route("river-road", DAY)
    assert st.state == "open"
    assert "daily 08:00-16:00 Atlantic/Cape_Verde" in st.why[0]


@pytest.mark.parametrize(
    ("start", "end", "state"),
    [(9, 10, "closed"), (17, 20, "open"), (5, 8, "open"), (15, 17, "closed")],
)
def test_a_blocking_constraint_closes_the_route_only_during_its_window(
    truce: Agreement, start: int, end: int, state: str
) -> None:
    k = Constraint(
        "barrier",
        "movement_restrictions",
        "a barrier",
        at(start),
        "r",
        end=at(end),
        routes=("river-road",),
    )
    assert book(truce, constraints=[k]).route("river-road", DAY).state == state


def test_a_constraint_placed_in_the_corridor_closes_the_route_without_naming_it(
    truce: Agreement,
) -> None:
    inside = Constraint("mines", "explosive_hazards", "mines", at(0), "r", lon=-30.0, lat=0.032)
    outside = Constraint("far", "explosive_hazards", "mines", at(0), "r", lon=-30.0, lat=0.045)
    assert book(truce, constraints=[inside]).route("river-road", DAY).state == "closed"
    assert book(truce, constraints=[outside]).route("river-road", DAY).state == "open"


def test_a_non_blocking_constraint_is_recorded_but_closes_nothing(truce: Agreement) -> None:
    k = Constraint(
        "letters",
        "denial_of_access",
        "no permits",
        at(0),
        "r",
        blocking=False,
        routes=("river-road",),
    )
    assert book(truce, constraints=[k]).route("river-road", DAY).state == "open"


def test_hostile_incidents_close_or_cloud_the_route_and_are_named(truce: Agreement) -> None:
    closed = book(truce, hostile=lambda r, d: ("closed", ("inc-1",))).route("river-road", DAY)
    assert closed.state == "closed" and "inc-1" in closed.why[0]
    unsure = book(truce, hostile=lambda r, d: ("unknown", ("inc-2",))).route("river-road", DAY)
    assert unsure.state == "unknown" and "inc-2" in unsure.why[0]


def test_an_unmonitored_checkpoint_is_unknown_when_the_rule_requires_monitors(
    truce: Agreement,
) -> None:
    [cp] = truce.world.checkpoints
    st = book(truce).checkpoint(cp, DAY)
    assert st.state == "unknown"
    assert "no monitor designated" in st.why[0]
    k = Constraint("shut", "interference", "shut", at(0), "r", checkpoints=("bridge",))
    assert book(truce, constraints=[k]).checkpoint(cp, DAY).state == "closed"


def _convoy(*events: ConvoyEvent, route: str | None = "river-road") -> Convoy:
    return Convoy("c1", "WFP", "south bank", "north town", route, "flour", events, trucks=12)


def test_a_convoy_kept_waiting_past_release_within_breaks_the_day(truce: Agreement) -> None:
    c = _convoy(ConvoyEvent("cleared", at(9, dt.date(2024, 5, 2)), "letter"))
    b = book(truce, convoys=[c])
    assert b.convoy_breaks(dt.date(2024, 5, 2)) == ()  # cleared that morning: within 24h
    [why] = b.convoy_breaks(DAY)  # by the end of the next day: 39 hours
    assert "c1" in why and "not let through within 24h" in why
    delivered = c.updated(ConvoyEvent("delivered", at(8), "receipt"))
    assert book(truce, convoys=[delivered]).convoy_breaks(DAY) == ()


def test_a_blocked_convoy_breaks_every_day_until_it_moves(truce: Agreement) -> None:
    c = _convoy(
        ConvoyEvent("blocked", at(10, dt.date(2024, 5, 2)), "radio", checkpoint="bridge"),
    )
    b = book(truce, convoys=[c])
    assert any("blocked at checkpoint bridge" in w for w in b.convoy_breaks(dt.date(2024, 5, 2)))
    assert any("blocked since" in w for w in b.convoy_breaks(DAY))
    broken, _, states = b.sustained(("river-road",), DAY)
    assert states == {"river-road": "open"} and any("c1" in w for w in broken)


def test_a_convoy_blocked_at_a_checkpoint_is_a_violation_by_its_operator(
    truce: Agreement,
) -> None:
    c = _convoy(ConvoyEvent("blocked", at(10), "radio", checkpoint="bridge"))
    [f] = book(truce, convoys=[c]).findings(at(0, dt.date(2024, 6, 1)))
    assert f.verdict == "violation" and f.rule_id == "convoys"
    assert f.parties == (PartyRef("gov", "presumed"),)
    assert f.incident_id == "convoy:c1:0"
    assert any("operated by gov" in r for r in f.reasons)


def test_reported_attribution_beats_zone_control(truce: Agreement) -> None:
    ev = ConvoyEvent(
        "attacked",
        at(10),
        "radio",
        lon=-30.05,
        lat=0.02,
        attributed_to=(Attribution("rebels", "alleged"),),
    )
    [f] = book(truce, convoys=[_convoy(ev)]).findings(at(0, dt.date(2024, 6, 1)))
    assert f.parties == (PartyRef("rebels", "alleged"),) and f.verdict == "violation"
    assert f.confidence == "low"


def test_zone_control_names_the_presumed_party(truce: Agreement) -> None:
    ev = ConvoyEvent("attacked", at(10), "radio", lon=-30.05, lat=0.02)  # north: opposition
    [f] = book(truce, convoys=[_convoy(ev)]).findings(at(0, dt.date(2024, 6, 1)))
    assert f.parties == (PartyRef("rebels", "presumed"),) and f.verdict == "violation"


def test_a_linked_incident_gives_its_parties(truce: Agreement) -> None:
    ev = ConvoyEvent("attacked", at(10), "radio", incident="inc-9")
    parties = {"inc-9": (PartyRef("gov", "reported"),)}
    [f] = book(truce, convoys=[_convoy(ev)], parties=lambda i: parties.get(i, ())).findings(
        at(0, dt.date(2024, 6, 1))
    )
    assert f.incident_id == "inc-9" and f.parties == (PartyRef("gov", "reported"),)


def test_no_one_to_name_is_undetermined_with_the_reason(truce: Agreement) -> None:
    ev = ConvoyEvent("blocked", at(10), "radio", lon=-29.97, lat=0.0)  # hills: marbled
    [f] = book(truce, convoys=[_convoy(ev)]).findings(at(0, dt.date(2024, 6, 1)))
    assert f.verdict == "undetermined" and f.parties == ()
    assert "who stopped the convoy is not known" in f.reasons[-1]


def test_a_party_the_rule_does_not_bind_makes_it_not_applicable(truce: Agreement) -> None:
    ev = ConvoyEvent("attacked", at(10), "r", attributed_to=(Attribution("extremists"),))
    [f] = book(truce, convoys=[_convoy(ev)]).findings(at(0, dt.date(2024, 6, 1)))
    assert f.verdict == "not_applicable"


def test_a_day_dated_stop_on_the_rules_last_day_is_undetermined(truce: Agreement) -> None:
    last = dt.datetime(2024, 5, 31, 0, 0, tzinfo=TZ)  # the rule ends 06:00 that day
    ev = ConvoyEvent("blocked", last, "r", precision="day", checkpoint="bridge")
    [f] = book(truce, convoys=[_convoy(ev)]).findings(at(0, dt.date(2024, 6, 2)))
    assert f.verdict == "undetermined"
    assert "date may fall outside the rule's period" in f.reasons[-1]


def test_convoys_on_other_routes_are_not_judged_by_a_route_rule(truce: Agreement) -> None:
    ev = ConvoyEvent("blocked", at(10), "r", checkpoint="bridge")
    assert book(truce, convoys=[_convoy(ev, route=None)]).findings(at(0, dt.date(2024, 6, 1))) == []
