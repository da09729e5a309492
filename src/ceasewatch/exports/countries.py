"""The codes a country goes by in the datasets analysts use (ACLED, UCDP GED).

Only the countries of the region ceasewatch ships scenarios for; any other country code
is written as given, with the dataset-specific codes left blank.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True, slots=True)
class Country:
    iso2: str
    name: str
    iso3: str
    iso_numeric: int  # ACLED's ``iso``
    gw_code: int  # Gleditsch & Ward number: UCDP's ``country_id``
    region: str  # ACLED's and UCDP's region name


COUNTRIES: Final[dict[str, Country]] = {
    c.iso2: c
    for c in (
        Country("SY", "Syria", "SYR", 760, 652, "Middle East"),
        Country("IQ", "Iraq", "IRQ", 368, 645, "Middle East"),
        Country("LB", "Lebanon", "LBN", 422, 660, "Middle East"),
        Country("JO", "Jordan", "JOR", 400, 663, "Middle East"),
        Country("TR", "Turkey", "TUR", 792, 640, "Middle East"),
        Country("IL", "Israel", "ISR", 376, 666, "Middle East"),
        Country("YE", "Yemen", "YEM", 887, 678, "Middle East"),
        Country("UA", "Ukraine", "UKR", 804, 369, "Europe"),
    )
}


def country(code: str | None) -> Country | None:
    """The country of an ISO 3166-1 alpha-2 code, if ceasewatch knows it.

    >>> country("sy").name, country("ZZ")
    ('Syria', None)
    """
    return COUNTRIES.get(code.upper()) if code else None
