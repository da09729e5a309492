"""Convoys and constraints in the store, on both engines: every write audited, and a
refused write (out of order, unknown convoy, bad reference, taken id) leaves nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from ceasewatch.access.records import ConstraintIn, ConvoyIn, UpdateIn
from ceasewatch.agreement.model import Scenario
from ceasewatch.errors import Conflict, Invalid, NotFound
from ceasewatch.store import access, audit
from ceasewatch.store import tables as t
from tests.access.conftest import load

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def valley() -> Scenario:
    return load()


def _convoy(convoy_id: str = "c1") -> ConvoyIn:
    return ConvoyIn.model_validate(
        {
            "id": convoy_id,
            "agency": "WFP",
            "origin": "south",
            "destination": "north",
            "route": "river-road",
            "cargo": "flour",
            "trucks": 12,
            "events": [{"status": "planned", "at": "2024-05-02", "evidence": "plan"}],
        }
    )


def _update(status: str, at: str, **kw: object) -> UpdateIn:
    return UpdateIn.model_validate({"status": status, "at": at, "evidence": "radio", **kw})


def _counts(engine: Engine) -> tuple[int, ...]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(tab)).scalar_one()
            for tab in (t.convoys, t.convoy_updates, t.access_constraints, t.audit_log)
        )


def test_a_convoy_and_its_updates_round_trip_and_are_audited(store: Engine, valley) -> None:
    w = valley.world
    access.add_convoy(store, _convoy(), w, "user:mo", NOW)
    access.update_convoy(
        store, "c1", _update("cleared", "2024-05-03T09:00:00-01:00"), w, "user:mo", NOW
    )
    after = access.update_convoy(
        store,
        "c1",
        _update("blocked", "2024-05-03T11:00:00-01:00", checkpoint="bridge"),
        w,
        "user:lia",
        NOW,
    )
    [back] = access.convoys(store, w)
    assert back == after
    assert [e.status for e in back.events] == ["planned", "cleared", "blocked"]
    assert back.events[0].precision == "day"
    entries = sorted((e for e in audit.entries(store) if e.entity == "convoy"), key=lambda e: e.seq)
    assert [(e.action, e.actor) for e in entries] == [
        ("convoy.add", "user:mo"),
        ("convoy.update", "user:mo"),
        ("convoy.update", "user:lia"),
    ]
    assert entries[-1].before == {"status": "cleared"}
    assert audit.verify(store).ok


def test_an_out_of_order_update_writes_nothing(store: Engine, valley) -> None:
    w = valley.world
    access.add_convoy(store, _convoy(), w, "user:mo", NOW)
    access.update_convoy(store, "c1", _update("cleared", "2024-05-03T09:00:00-01:00"), w, "m", NOW)
    before = _counts(store)
    with pytest.raises(Conflict, match="before the last one"):
        access.update_convoy(
            store, "c1", _update("waiting", "2024-05-03T08:59:00-01:00"), w, "m", NOW
        )
    assert _counts(store) == before
    assert access.convoys(store, w)[0].status == "cleared"


def test_an_update_of_an_unknown_convoy_writes_nothing(store: Engine, valley) -> None:
    before = _counts(store)
    with pytest.raises(NotFound, match="no convoy 'ghost'"):
        access.update_convoy(
            store, "ghost", _update("waiting", "2024-05-03"), valley.world, "m", NOW
        )
    assert _counts(store) == before


def test_bad_references_and_taken_ids_write_nothing(store: Engine, valley) -> None:
    w = valley.world
    access.add_convoy(store, _convoy(), w, "m", NOW)
    before = _counts(store)
    with pytest.raises(Conflict, match="exists already"):
        access.add_convoy(store, _convoy(), w, "m", NOW)
    bad = _convoy("c2").model_copy(update={"route": "nowhere"})
    with pytest.raises(Invalid, match="unknown route 'nowhere'"):
        access.add_convoy(store, bad, w, "m", NOW)
    with pytest.raises(Invalid, match="unknown checkpoint"):
        access.update_convoy(
            store, "c1", _update("waiting", "2024-05-04", checkpoint="x"), w, "m", NOW
        )
    k = ConstraintIn.model_validate(
        {
            "id": "k1",
            "category": "hostilities",
            "description": "d",
            "start": "2024-05-03",
            "routes": ["nowhere"],
            "evidence": "e",
        }
    )
    with pytest.raises(Invalid, match="unknown route"):
        access.add_constraint(store, k, w, "m", NOW)
    assert _counts(store) == before


def test_constraints_round_trip(store: Engine, valley) -> None:
    k = ConstraintIn.model_validate(
        {
            "id": "k1",
            "category": "explosive_hazards",
            "description": "mines on the verge",
            "start": "2024-05-03T10:00:00-01:00",
            "end": "2024-05-05",
            "routes": ["river-road"],
            "attributed_to": [{"actor": "rebels", "basis": "alleged"}],
            "evidence": "e",
        }
    )
    made = access.add_constraint(store, k, valley.world, "user:lia", NOW)
    assert access.constraints(store, valley.world) == [made]
    assert access.load_records(store, valley.world).constraints == (made,)
