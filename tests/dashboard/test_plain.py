"""Agreements in plain language: every rule, phase and trigger of every bundled and
example agreement says who, what, where and when."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasewatch.agreement import sources
from ceasewatch.agreement.model import Agreement
from ceasewatch.dashboard import plain

ROOT = Path(__file__).resolve().parents[2]


def _agreements() -> list[Agreement]:
    out = [a for name in sources.bundled_names() for a in sources.load_bundled(name).agreements]
    out.extend(sources.load_path(ROOT / "docs/examples/minimal").agreements)
    return out


AGREEMENTS = _agreements()


@pytest.mark.parametrize("agreement", AGREEMENTS, ids=lambda a: a.id)
def test_every_rule_names_its_parties_and_its_window(agreement: Agreement) -> None:
    world = agreement.world
    for rule in agreement.rules:
        text = plain.rule_text(rule, world)
        for actor in rule.binds:
            assert world.actor(actor).name in text
        assert plain.moment(rule.effective.start, world.timezone) in text
        if rule.effective.end is not None:
            assert plain.moment(rule.effective.end, world.timezone) in text
        else:
            assert "no end date" in text
        for exempt in rule.exempt_targets:
            assert world.actor(exempt).name in text
        if rule.route:
            assert world.route(rule.route).name in text
        for zone in rule.where.zones:
            assert world.zone(zone).name in text


@pytest.mark.parametrize("agreement", AGREEMENTS, ids=lambda a: a.id)
def test_every_phase_and_trigger_says_what_it_waits_for(agreement: Agreement) -> None:
    world = agreement.world
    for phase in agreement.phases:
        text = plain.phase_text(phase, world)
        if phase.gate is not None:
            assert f"{phase.gate.consecutive_days} consecutive day" in text
        if phase.after:
            assert phase.after in text
    for trigger in agreement.triggers:
        text = plain.trigger_text(trigger, world)
        assert f"within {trigger.window_days} day" in text
        if trigger.consequence:
            assert trigger.consequence in text


def test_the_view_is_what_the_page_shows() -> None:
    agreement = AGREEMENTS[0]
    view = plain.agreement_view(agreement, "s")
    assert [r["id"] for r in view["rules"]] == [r.id for r in agreement.rules]
    assert view["entry_into_force"] == agreement.entry_into_force.isoformat()
    assert {z["id"] for z in view["zones"]} == {z.id for z in agreement.world.zones}
