from __future__ import annotations

import datetime as dt

import pytest

from ceasewatch.access.model import Constraint, Convoy, ConvoyError, ConvoyEvent

T0 = dt.datetime(2024, 5, 2, 9, 0, tzinfo=dt.UTC)


def _convoy(*events: ConvoyEvent) -> Convoy:
    return Convoy("c1", "WFP", "south", "north", "river-road", "flour", events)


def test_updates_in_order_build_the_history() -> None:
    c = _convoy(ConvoyEvent("planned", T0, "plan"))
    c = c.updated(ConvoyEvent("cleared", T0 + dt.timedelta(hours=1), "letter"))
    c = c.updated(ConvoyEvent("delivered", T0 + dt.timedelta(hours=5), "receipt"))
    assert [e.status for e in c.events] == ["planned", "cleared", "delivered"]
    assert c.status == "delivered"
    assert c.cleared_at(T0 + dt.timedelta(hours=2)) == T0 + dt.timedelta(hours=1)


def test_an_out_of_order_update_is_refused_and_leaves_the_convoy_as_it_was() -> None:
    c = _convoy(ConvoyEvent("planned", T0, "plan"))
    with pytest.raises(ConvoyError, match="before the last one"):
        c.updated(ConvoyEvent("cleared", T0 - dt.timedelta(minutes=1), "letter"))
    assert len(c.events) == 1


def test_nothing_follows_delivery() -> None:
    c = _convoy(ConvoyEvent("planned", T0, "p"), ConvoyEvent("delivered", T0, "r"))
    with pytest.raises(ConvoyError, match="was delivered"):
        c.updated(ConvoyEvent("blocked", T0 + dt.timedelta(hours=1), "x"))


def test_a_history_given_out_of_order_is_refused() -> None:
    with pytest.raises(ConvoyError, match="before the last one"):
        _convoy(ConvoyEvent("waiting", T0, "a"), ConvoyEvent("planned", T0 - dt.timedelta(1), "b"))


@pytest.mark.parametrize(
    ("kwargs", "wanted"),
    [
        ({"at": dt.datetime(2024, 5, 2, 9)}, "timezone-aware"),
        ({"evidence": " "}, "needs its evidence"),
        ({"status": "lost"}, "unknown convoy status"),
    ],
)
def test_a_bad_update_is_refused(kwargs: dict[str, object], wanted: str) -> None:
    args: dict[str, object] = {"status": "planned", "at": T0, "evidence": "e"} | kwargs
    with pytest.raises(ConvoyError, match=wanted):
        ConvoyEvent(**args)  # type: ignore[arg-type]


def test_a_constraint_overlaps_a_window_half_open() -> None:
    k = Constraint("k", "hostilities", "shelling", T0, "report", end=T0 + dt.timedelta(hours=2))
    assert k.overlaps(T0 + dt.timedelta(hours=1), T0 + dt.timedelta(hours=3))
    assert not k.overlaps(T0 + dt.timedelta(hours=2), T0 + dt.timedelta(hours=3))
    with pytest.raises(ValueError, match="unknown category"):
        Constraint("k", "weather", "rain", T0, "r")  # type: ignore[arg-type]
