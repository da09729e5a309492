"""Walk-away triggers read the access records: a blocking constraint closes its route
for ``route_closed_days`` as hostile incidents do."""

from __future__ import annotations

import datetime as dt

from ceasewatch import services
from ceasewatch.access.model import AccessRecords, Constraint
from ceasewatch.agreement.model import Scenario

TZ = dt.timezone(dt.timedelta(hours=-1))  # Atlantic/Cape_Verde
DAY = dt.date(2024, 5, 3)


def at(hour: int, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=TZ)


def collapse_evidence(valley: Scenario, constraints: tuple[Constraint, ...]) -> str:
    outcome = services.run(
        valley, [], at(0, DAY + dt.timedelta(days=4)), access=AccessRecords((), constraints)
    )
    [collapse] = [t for t in outcome.triggers if t.trigger_id == "collapse"]
    return " ".join(collapse.evidence)


def test_a_blocking_constraint_closes_the_route_for_route_closed_days(valley: Scenario) -> None:
    barrier = Constraint(
        "barrier",
        "movement_restrictions",
        "a barrier across the road",
        at(7),
        "monitor's report",
        end=at(20, DAY + dt.timedelta(days=1)),
        routes=("river-road",),
    )
    assert "river-road closed on 0 days" in collapse_evidence(valley, ())
    said = collapse_evidence(valley, (barrier,))
    assert "river-road closed on 2 days (needs 2): 03 May, 04 May" in said, said
    lifted = Constraint(
        "letters", "denial_of_access", "a letter", at(7), "r", routes=("river-road",),
        blocking=False,
    )  # fmt: skip
    assert "river-road closed on 0 days" in collapse_evidence(valley, (lifted,))
