"""The gazetteer of a scenario: the file its ``geography: gazetteer:`` names, with its
district outlines for ``admin_of``. Built once per process for the same files."""

from __future__ import annotations

from ceasewatch.agreement.model import Scenario
from ceasewatch.errors import UsageError
from ceasewatch.places.admin import AdminIndex
from ceasewatch.places.gazetteer import Gazetteer

_CACHE: dict[tuple[str, str, str], Gazetteer] = {}
_CACHE_SIZE = 8


def for_scenario(scenario: Scenario) -> Gazetteer:
    """The scenario's gazetteer (cached per process: the same files give the same object).

    Raises ``UsageError`` when the scenario names no gazetteer.
    """
    files = dict(scenario.files)
    rel = scenario.gazetteer_file
    text = files.get(rel) if rel is not None else None
    if rel is None or text is None:
        raise UsageError(
            f"scenario {scenario.id!r} names no gazetteer — add `gazetteer: FILE` under "
            "`geography:` in its scenario.yaml (see docs/places.md)"
        )
    admin_rel = scenario.admin2_file or scenario.admin1_file
    admin_text = files.get(admin_rel, "") if admin_rel is not None else ""
    cache_key = (rel, text, admin_text)
    found = _CACHE.get(cache_key)
    if found is not None:
        return found
    admin = AdminIndex.from_geojson(admin_text) if admin_text else None
    gazetteer = Gazetteer.parse(text, rel, admin=admin)
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[cache_key] = gazetteer
    return gazetteer
