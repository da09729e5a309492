"""Phase gates and walk-away triggers: counting by party, and the evidence they show."""

from __future__ import annotations

import datetime as dt

from ceasewatch import services
from ceasewatch.agreement.model import Scenario
from ceasewatch.evaluate.engine import evaluate
from ceasewatch.evaluate.gates import Daily
from ceasewatch.incidents.codec import ADAPTER

DAY = dt.date(2016, 9, 15)


def _straddling_clash(ident: str, perpetrator: str | None) -> object:
    # in eastern Aleppo at town precision: the place straddles zones of different types,
    # so the September hostilities rule cannot say violation or not -> undetermined
    return ADAPTER.validate_python(
        {
            "id": ident,
            "event_type": "Explosions/Remote violence",
            "sub_event_type": "Shelling/artillery/missile attack",
            "occurred": {"start": DAY.isoformat(), "end": DAY.isoformat()},
            "location": {"lat": 36.2, "lon": 37.16, "precision": "district", "country": "SY"},
            "perpetrator": {
                "actor": perpetrator,
                "attribution": "reported" if perpetrator else "unknown",
            },
        }
    )


def test_undetermined_counts_honour_the_parties_a_condition_names(syria: Scenario) -> None:
    incidents = [
        _straddling_clash("by-opposition", "opposition"),
        _straddling_clash("by-government", "sy-gov"),
        _straddling_clash("by-unknown", None),
    ]
    as_of = dt.datetime(2016, 9, 20, tzinfo=dt.UTC)
    ev = evaluate(syria.agreements, incidents, as_of=as_of)
    sep = next(a for a in syria.agreements if a.id == "sep-2016-arrangement")
    undetermined = {
        f.incident_id
        for f in ev.findings()
        if f.agreement_id == sep.id and f.verdict == "undetermined"
    }
    assert undetermined == {"by-opposition", "by-government", "by-unknown"}, undetermined
    daily = Daily(ev, sep)
    assert daily.undetermined(DAY) == 3
    # the opposition's shelling cannot be the government side's; the unknown one may be
    assert daily.undetermined(DAY, ("sy-gov", "ru")) == 2
    assert daily.undetermined(DAY, ("opposition",)) == 2


def test_trigger_evidence_names_the_window_it_describes(syria_outcome: services.Outcome) -> None:
    """The seed's walk-away terms (violations by the government side on 4 of 7 days while
    aid stays blocked) are met on 17 Sep: the Castello road is shut by the recorded access
    constraints from 13 Sep, as no incident alone shows."""
    [walk_away] = [t for t in syria_outcome.triggers if t.trigger_id == "walk-away"]
    assert walk_away.fired and walk_away.summary == "fired on 17 Sep 2016"
    assert walk_away.evidence[0].startswith("violations by sy-gov, ru on 4 of 6 days")
    assert walk_away.evidence[1].startswith("castello-road closed on 5 days (needs 1): 13 Sep")
    bare = services.run(syria_outcome.scenario, syria_outcome.incidents, None)
    [no_records] = [t for t in bare.triggers if t.trigger_id == "walk-away"]
    assert not no_records.fired
    assert no_records.evidence[0].startswith("closest window: the 7 days to ")


def test_a_far_as_of_does_not_walk_every_day_to_it(syria: Scenario) -> None:
    # an as-of centuries ahead (an API caller may send one) is judged on the days that
    # can still change a window, and the answer still speaks for the as-of day
    incidents = services.bundled_incidents(syria)
    far = dt.datetime(2999, 1, 1, tzinfo=dt.UTC)
    outcome = services.run(syria, incidents, far)
    [walk_away] = [t for t in outcome.triggers if t.trigger_id == "walk-away"]
    near = services.run(syria, incidents, None)
    [walk_away_near] = [t for t in near.triggers if t.trigger_id == "walk-away"]
    assert walk_away.fired == walk_away_near.fired
    assert walk_away.evidence == walk_away_near.evidence
