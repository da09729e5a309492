"""The access file and API/CLI records: every problem at once, nothing taken when any
record is wrong."""

from __future__ import annotations

import json

import pytest

from ceasewatch.access.records import AccessInvalid, read_file
from ceasewatch.agreement.model import Scenario


def _doc(**over: object) -> dict[str, object]:
    doc: dict[str, object] = {
        "spec": "ceasewatch.access.v1",
        "convoys": [
            {
                "id": "c1",
                "agency": "WFP",
                "origin": "south",
                "destination": "north",
                "route": "river-road",
                "cargo": "flour",
                "events": [
                    {"status": "planned", "at": "2024-05-02", "evidence": "plan"},
                    {"status": "cleared", "at": "2024-05-03T09:00:00-01:00", "evidence": "letter"},
                ],
            }
        ],
        "constraints": [
            {
                "id": "k1",
                "category": "hostilities",
                "description": "shelling near the bridge",
                "start": "2024-05-03",
                "end": "2024-05-03",
                "routes": ["river-road"],
                "evidence": "monitor report",
            }
        ],
    }
    doc.update(over)
    return doc


def test_a_good_file_reads_with_day_precision_for_bare_dates(valley: Scenario) -> None:
    rec = read_file(json.dumps(_doc()), "access.json", valley.world)
    [c] = rec.convoys
    assert [e.precision for e in c.events] == ["day", "minute"]
    assert c.events[0].at.isoformat() == "2024-05-02T00:00:00-01:00"
    [k] = rec.constraints
    assert k.end is not None and (k.end - k.start).days == 1  # a date as end: that whole day


def _problems(doc: object, valley: Scenario) -> list[str]:
    with pytest.raises(AccessInvalid) as caught:
        read_file(json.dumps(doc), "access.json", valley.world)
    return caught.value.problems


def test_an_out_of_order_history_is_refused(valley: Scenario) -> None:
    doc = _doc()
    events = doc["convoys"][0]["events"]  # type: ignore[index]
    events.reverse()
    [p] = _problems(doc, valley)
    assert p.startswith("access.json: convoys[0] (c1)") and "before the last one" in p


def test_every_bad_reference_is_named_at_once(valley: Scenario) -> None:
    doc = _doc()
    doc["convoys"][0]["route"] = "river-raod"  # type: ignore[index]
    doc["convoys"][0]["events"][1]["checkpoint"] = "nowhere"  # type: ignore[index]
    doc["constraints"][0]["attributed_to"] = [{"actor": "martians"}]  # type: ignore[index]
    found = _problems(doc, valley)
    assert any("unknown route 'river-raod'" in p for p in found)
    assert any("unknown checkpoint 'nowhere'" in p and "events[1]" in p for p in found)
    assert any("unknown actor 'martians'" in p and "constraints[0]" in p for p in found)


def test_a_time_without_offset_says_what_to_write(valley: Scenario) -> None:
    doc = _doc()
    doc["convoys"][0]["events"][1]["at"] = "2024-05-03T09:00:00"  # type: ignore[index]
    [p] = _problems(doc, valley)
    assert "has no UTC offset" in p and "events[1].at" in p


def test_a_wrong_category_or_status_is_a_field_problem(valley: Scenario) -> None:
    doc = _doc()
    doc["constraints"][0]["category"] = "weather"  # type: ignore[index]
    doc["convoys"][0]["events"][0]["status"] = "lost"  # type: ignore[index]
    found = _problems(doc, valley)
    assert any("constraints.0.category" in p for p in found)
    assert any("convoys.0.events.0.status" in p for p in found)


def test_a_repeated_convoy_id_is_refused(valley: Scenario) -> None:
    doc = _doc()
    doc["convoys"] = [doc["convoys"][0], doc["convoys"][0]]  # type: ignore[index]
    assert _problems(doc, valley) == ["access.json: convoy id 'c1' is used twice"]
