"""What mappers need besides the record: the scenario's actors (to resolve names), its
country and bounding box, the admin areas, its gazetteer, and the status to give.

Built once per import from a scenario (``--agreement``; by default the bundled
``syria-2016``). Mappers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Final

from ceasewatch.agreement.model import Scenario
from ceasewatch.errors import UsageError
from ceasewatch.incidents.model import Status
from ceasewatch.ingest.actors import ActorIndex
from ceasewatch.ingest.geo import AdminIndex, Box
from ceasewatch.places import Gazetteer, for_scenario


@dataclass(frozen=True, slots=True)
class Country:
    """The codes one country goes by in the datasets."""

    iso2: str
    name: str
    iso3: str
    fips: str  # GDELT's country codes are FIPS 10-4
    acled_iso: str  # ACLED's numeric ISO 3166 code


#: Countries the importers can tell apart from their neighbours in worldwide files.
COUNTRIES: Final[dict[str, Country]] = {
    c.iso2: c
    for c in (
        Country("SY", "Syria", "SYR", "SY", "760"),
        Country("IQ", "Iraq", "IRQ", "IZ", "368"),
        Country("LB", "Lebanon", "LBN", "LE", "422"),
        Country("JO", "Jordan", "JOR", "JO", "400"),
        Country("TR", "Turkey", "TUR", "TU", "792"),
        Country("IL", "Israel", "ISR", "IS", "376"),
        Country("YE", "Yemen", "YEM", "YM", "887"),
        Country("UA", "Ukraine", "UKR", "UP", "804"),
    )
}


@dataclass(frozen=True)
class Context:
    """Everything a mapper may consult. ``status`` overrides the dataset's default."""

    actors: ActorIndex
    admin: AdminIndex
    country: Country | None
    scenario_id: str
    status: Status | None = None
    #: The scenario's gazetteer (``geography: gazetteer:``), for records named, not placed.
    places: Gazetteer | None = None

    @property
    def box(self) -> Box | None:
        return self.admin.box

    @property
    def country_name(self) -> str:
        return self.country.name if self.country else "the scenario's country"

    def with_status(self, status: Status | None) -> Context:
        return replace(self, status=status)

    @classmethod
    def from_scenario(cls, scenario: Scenario, status: Status | None = None) -> Context:
        files = dict(scenario.files)
        level1 = files.get(scenario.admin1_file) if scenario.admin1_file else None
        level2 = files.get(scenario.admin2_file) if scenario.admin2_file else None
        try:
            places: Gazetteer | None = for_scenario(scenario)
        except UsageError:  # the scenario names no gazetteer
            places = None
        return cls(
            actors=ActorIndex(scenario.world.actors),
            admin=AdminIndex(level1, level2),
            country=COUNTRIES.get(scenario.world.country or ""),
            scenario_id=scenario.id,
            status=status,
            places=places,
        )


@lru_cache(maxsize=1)
def default_context() -> Context:
    """The bundled ``syria-2016`` scenario's context."""
    from ceasewatch.agreement.sources import load_bundled

    return Context.from_scenario(load_bundled("syria-2016"))
