"""Pieces every mapper shares: the location check, the country filter, record ids from a
content hash, and building the ``Incident`` without letting a ``ValueError`` escape."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from functools import lru_cache

from ceasewatch.incidents.model import Incident, Location, LocationPrecision
from ceasewatch.ingest.actors import normalize
from ceasewatch.ingest.context import Context, Country
from ceasewatch.ingest.fields import coordinate, text
from ceasewatch.ingest.geo import check_point
from ceasewatch.ingest.result import Issue, Mapped, Outcome, Rejected, Skipped


def content_id(prefix: str, values: Mapping[str, str] | list[str]) -> str:
    """A stable id from a record's content, for sources without their own ids.

    >>> content_id("geojson", ["a", "b"])
    'geojson:h-2ad5266132d88b45'
    """
    items = list(values.items()) if isinstance(values, Mapping) else list(values)
    digest = hashlib.blake2b(repr(items).encode("utf-8"), digest_size=8).hexdigest()
    return f"{prefix}:h-{digest}"


def point(
    row: Mapping[str, str], lat_key: str, lon_key: str, ctx: Context, issues: list[Issue]
) -> tuple[float, float] | None:
    """The record's point, checked against the country's bounding box."""
    before = len(issues)
    lat = coordinate(row.get(lat_key), lat_key, issues)
    lon = coordinate(row.get(lon_key), lon_key, issues)
    if lat is None or lon is None or len(issues) > before:
        return None
    problem = check_point(lat, lon, ctx.box, ctx.country_name)
    if problem is not None:
        issues.append(problem)
        return None
    return lat, lon


def location(
    lat: float,
    lon: float,
    precision: LocationPrecision,
    name: str | None,
    ctx: Context,
    admin1: str | None = None,
    admin2: str | None = None,
) -> Location:
    return Location(
        lat=lat,
        lon=lon,
        precision=precision,
        name=name,
        admin1_pcode=admin1,
        admin2_pcode=admin2,
        country=ctx.country.iso2 if ctx.country else None,
    )


def other_country(value: str | None, ctx: Context, *codes: str) -> Skipped | None:
    """A skip when the record names a country that is not the scenario's (worldwide
    files); None when it names the scenario's country or none at all."""
    given = text(value)
    if given is None or ctx.country is None:
        return None
    return _other(given, ctx.country, codes)


@lru_cache(maxsize=256)
def _other(given: str, c: Country, codes: tuple[str, ...]) -> Skipped | None:
    known = {normalize(x) for x in (c.name, c.iso2, c.iso3, *codes)}
    if normalize(given) in known:
        return None
    return Skipped(f"another country ({given}), not {c.name}")


def finish(build: Callable[[], Incident], issues: list[Issue], warnings: list[Issue]) -> Outcome:
    """Rejected when any issue was found, else the incident — or Rejected if incident.v1's
    own checks refuse it (a range in the wrong order, an end before the start)."""
    if issues:
        return Rejected(tuple(issues))
    try:
        return Mapped(build(), tuple(warnings))
    except ValueError as e:
        return Rejected((Issue("(record)", str(e)),))
