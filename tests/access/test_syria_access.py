"""The access story of the bundled syria-2016 scenario (access.json): the seven-day gate
fails on access as well as on violence, and the Urum al-Kubra attack is a finding under
the access rules."""

from __future__ import annotations

import datetime as dt

from ceasewatch import services

URUM = "public-2016-09-19-urum-al-kubra-convoy"


def _gate(outcome: services.Outcome):
    [phase] = [p for p in outcome.phases if p.phase_id == "reduced-violence"]
    assert phase.gate is not None
    return phase.gate


def test_the_seven_day_gate_fails_on_access_with_the_days_and_convoys(syria_outcome) -> None:
    gate = _gate(syria_outcome)
    assert gate.status == "not_met"
    access_days = {
        d.date: [w for w in d.why if w.startswith("access not sustained")] for d in gate.broken_days
    }
    days = [dt.date(2016, 9, n) for n in range(13, 20)]
    # the Castello road withdrawal went unverified: closed every day from 13 to 19 Sep
    for day in days:
        assert any(
            "castello-road closed" in w and "castello-withdrawal" in w for w in access_days[day]
        ), day
    # the trucks at the Turkish border: waiting from 13 Sep, overdue after 48 hours
    waiting = {
        d for d, ws in access_days.items() if any("un-aleppo-east-castello" in w for w in ws)
    }
    assert waiting == set(days[2:])
    # the UN/SARC convoy attacked at Urum al-Kubra on 19 Sep
    assert [
        d for d, ws in access_days.items() if any("un-sarc-urum-al-kubra attacked" in w for w in ws)
    ] == [dt.date(2016, 9, 19)]
    # and on violence too, on the days with more than two violations
    assert any(any("at most 2" in w for w in d.why) for d in gate.broken_days)
    assert "un-aleppo-east-castello" in gate.summary and "castello-road closed" in gate.summary


def test_without_access_records_only_incidents_speak_for_access(syria) -> None:
    bare = services.run(syria, services.bundled_incidents(syria), None)
    gate = _gate(bare)
    assert not any("un-aleppo-east-castello" in w for d in gate.days for w in d.why)
    assert not any(f.rule_id == "humanitarian-access" for f in bare.findings)


def test_the_urum_al_kubra_attack_is_a_finding_under_the_access_rules(syria_outcome) -> None:
    found = {
        (f.agreement_id, f.rule_id): f for f in syria_outcome.findings if f.incident_id == URUM
    }
    feb = found[("coh-2016-02", "humanitarian-access")]
    assert feb.verdict == "violation"
    assert [(p.actor, p.basis) for p in feb.parties] == [("sy-gov", "alleged")]
    assert any("un-sarc-urum-al-kubra" in r and "attacked" in r for r in feb.reasons)
    # dated 19 Sep without a time: the September rules ended at 19:00 that day
    sep = found[("sep-2016-arrangement", "aid-convoys")]
    assert sep.verdict == "undetermined"
    assert "date may fall outside the rule's period" in sep.reasons[-1]


def test_the_demo_writes_the_access_breaks_into_phases_json(tmp_path) -> None:
    import json

    outcome, url, _ = services.demo(tmp_path / "demo", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    doc = json.loads((tmp_path / "demo" / "phases.json").read_text(encoding="utf-8"))
    [phase] = [p for p in doc["phases"] if p["phase_id"] == "reduced-violence"]
    whys = [w for d in phase["gate"]["days"] for w in d["why"]]
    assert any("convoy un-sarc-urum-al-kubra attacked" in w for w in whys)
    findings = json.loads((tmp_path / "demo" / "findings.json").read_text(encoding="utf-8"))
    assert any(f["rule_id"] == "humanitarian-access" and f["incident_id"] == URUM for f in findings)
    from ceasewatch.store import access, db

    engine = db.open_store(url)
    try:
        stored = access.load_records(engine, outcome.scenario.world)
    finally:
        engine.dispose()
    assert stored == outcome.access
