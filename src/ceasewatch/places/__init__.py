"""Places: a gazetteer built per country from real data files that a scenario names.

``Gazetteer.lookup`` finds places by any of their names (spelling variants folded, see
``places.normalize``), ``find_in_text`` scans a text for them, ``resolve`` chooses among
places that share a name using the places mentioned beside it, and ``admin_of`` gives the
governorate and district of a point. ``for_scenario(scenario)`` is the gazetteer a
scenario names (``geography: gazetteer:`` in its scenario.yaml), built once per process.
"""

from __future__ import annotations

from ceasewatch.places.admin import AdminIndex
from ceasewatch.places.gazetteer import Gazetteer, GazetteerInvalid
from ceasewatch.places.model import Mention, Place, Resolution
from ceasewatch.places.normalize import key
from ceasewatch.places.scenario import for_scenario

__all__ = [
    "AdminIndex",
    "Gazetteer",
    "GazetteerInvalid",
    "Mention",
    "Place",
    "Resolution",
    "for_scenario",
    "key",
]
