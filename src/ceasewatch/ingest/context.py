"""What mappers need besides the record: the scenario's actors (to resolve names), its
country and bounding box, the admin areas, a small gazetteer, and the status to give.

Built once per import from a scenario (``--agreement``; by default the bundled
``syria-2016``). Mappers only read it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Final

from ceasewatch.agreement.model import Scenario
from ceasewatch.incidents.model import Status
from ceasewatch.ingest.actors import ActorIndex, normalize
from ceasewatch.ingest.geo import AdminIndex, Box


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


@dataclass(frozen=True, slots=True)
class Place:
    lat: float
    lon: float
    name: str


class Gazetteer:
    """Named places with coordinates, looked up by (area, place) or by place alone."""

    def __init__(self, rows: list[tuple[str, str, float, float]]) -> None:
        self.by_area: dict[tuple[str, str], Place] = {}
        by_name: dict[str, list[Place]] = {}
        for area, name, lat, lon in rows:
            place = Place(lat, lon, name)
            self.by_area.setdefault((normalize(area), normalize(name)), place)
            by_name.setdefault(normalize(name), []).append(place)
        # a name alone is only trusted when every place of that name is the same point
        self.by_name = {
            k: v[0] for k, v in by_name.items() if len({(p.lat, p.lon) for p in v}) == 1
        }

    def find(self, area: str | None, name: str) -> Place | None:
        n = normalize(name)
        if area:
            hit = self.by_area.get((normalize(area), n))
            if hit is not None:
                return hit
        return self.by_name.get(n)


@lru_cache(maxsize=1)
def syrian_places() -> Gazetteer:
    """Syrian Archive's 164 places with coordinates (CC BY-SA 4.0; see data/SOURCES.md)."""
    text = (
        resources.files("ceasewatch.ingest")
        .joinpath("data/syrian_places.csv")
        .read_text(encoding="utf-8")
    )
    rows = [
        (r["City"], r["Neighborhood"], float(r["Latitude"]), float(r["Longitude"]))
        for r in csv.DictReader(io.StringIO(text))
    ]
    return Gazetteer(rows)


@dataclass(frozen=True)
class Context:
    """Everything a mapper may consult. ``status`` overrides the dataset's default."""

    actors: ActorIndex
    admin: AdminIndex
    country: Country | None
    scenario_id: str
    status: Status | None = None
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
        country = COUNTRIES.get(scenario.world.country or "")
        return cls(
            actors=ActorIndex(scenario.world.actors),
            admin=AdminIndex(level1, level2),
            country=country,
            scenario_id=scenario.id,
            status=status,
            places=syrian_places() if country is not None and country.iso2 == "SY" else None,
        )


@lru_cache(maxsize=1)
def default_context() -> Context:
    """The bundled ``syria-2016`` scenario's context."""
    from ceasewatch.agreement.sources import load_bundled

    return Context.from_scenario(load_bundled("syria-2016"))
