from typing import get_args

from ceasewatch.incidents.model import EVENT_TYPES, EventType, SubEventType
from ceasewatch.incidents.vocab import LOCATION_PRECISIONS, PRECISION_RADIUS_M


def test_event_type_literals_match_the_acled_hierarchy() -> None:
    assert set(get_args(EventType)) == set(EVENT_TYPES)
    subs = [s for group in EVENT_TYPES.values() for s in group]
    assert sorted(get_args(SubEventType)) == sorted(subs)
    assert len(subs) == len(set(subs)), "a sub-event type belongs to one event type"


def test_every_precision_has_a_radius_growing_with_vagueness() -> None:
    radii = [PRECISION_RADIUS_M[p] for p in LOCATION_PRECISIONS]
    assert radii == sorted(radii) and radii[0] == 0
