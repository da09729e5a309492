"""Syrian Archive violations (monitor reports, CSV) -> incident.v1.

A monitor's report is a claim to review: records import as ``proposed`` unless the
import says otherwise (``--status``). The one-line ``Description`` is searched for
keywords (see ``ingest.keywords``) and never copied. Records without coordinates are
placed by their neighbourhood in the scenario's gazetteer (``ceasewatch.places``: its
point, precision and P-codes) or else their governorate (province precision). Tables:
docs/import.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from ceasewatch.incidents.model import (
    Incident,
    LocationPrecision,
    Method,
    Occurred,
    Perpetrator,
    Source,
    Target,
)
from ceasewatch.ingest import keywords
from ceasewatch.ingest.actors import normalize
from ceasewatch.ingest.common import finish, location, point
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.fields import blank, date, text
from ceasewatch.ingest.result import Issue, Outcome, Rejected

DATASET: Final = "syrian-archive"
SUBMITTER: Final = "syrian-archive"
DELIMITER: Final = ","

REQUIRED: Final = (
    "Reference_Code", "City", "Neighborhood", "Latitude", "Longitude", "Violation_Type",
    "Recording_Date",
)  # fmt: skip

#: Every column of the Syrian Archive's violations CSV: others are named in a warning.
KNOWN: Final = (
    "Description", "City", "Neighborhood", "Latitude", "Longitude", "Reference_Code",
    "Violation_Type", "Recording_Date", "Recording_Hour", "Recording_Minute", "Source",
    "Youtube_ID", "Weapons_Used", "URLs_And_News", "Page_Title", "Video_URL", "Database_ID",
)  # fmt: skip

_ER: Final = "Explosions/Remote violence"
_VAC: Final = "Violence against civilians"

#: Weapons_Used -> (event type, sub-event type, methods); None: decided by keywords.
WEAPONS: Final[dict[str, tuple[str, str, tuple[Method, ...]] | None]] = {
    "Chemical Weapons": (_ER, "Chemical weapon", ("chemical",)),
    "Chlorine Gas": (_ER, "Chemical weapon", ("chemical",)),
    "Barrel Bomb": (_ER, "Air/drone strike", ("barrel_bomb",)),
    "Drone": (_ER, "Air/drone strike", ("airstrike",)),
    "OFAB 250-270": (_ER, "Air/drone strike", ("airstrike",)),  # air-dropped bomb
    "FAB-500 SHN": (_ER, "Air/drone strike", ("airstrike",)),  # air-dropped bomb
    "PTAB-1M": (_ER, "Air/drone strike", ("airstrike",)),  # air-dropped submunition
    "9M79M Tochka": (_ER, "Shelling/artillery/missile attack", ("missile",)),  # missile
    "Cluster Munition": None,  # dropped from the air or fired by rockets
    "Incendiary Weapons": None,  # likewise
}
_WEAPONS: Final = {normalize(k): v for k, v in WEAPONS.items()}

#: When keywords do not tell how cluster or incendiary munitions were delivered: in this
#: archive they are mostly air-dropped.
AIR_DROPPED: Final[tuple[str, str, tuple[Method, ...]]] = (_ER, "Air/drone strike", ("airstrike",))

#: The default for a report no weapon or keyword classifies: an attack on civilians.
DEFAULT: Final[tuple[str, str, tuple[Method, ...]]] = (_VAC, "Attack", ())

#: Violation_Type values that name a perpetrator (as alleged by the archive) and target.
ALLEGED: Final[dict[str, tuple[str, str]]] = {
    "Alleged civilian casualties from Russian attacks": ("Russian forces", "civilians"),
}
_ALLEGED: Final = {normalize(k): v for k, v in ALLEGED.items()}


def source_id(row: Mapping[str, str]) -> str | None:
    return text(row.get("Reference_Code")) or text(row.get("Database_ID"))


Where = tuple[float, float, LocationPrecision, str | None, str | None, str | None]


def _place(row: Mapping[str, str], ctx: Context, issues: list[Issue]) -> Where | None:
    """(lat, lon, precision, name, admin1, admin2): the record's coordinates, else its
    neighbourhood in the scenario's gazetteer, else its governorate (``City``)."""
    city, hood = text(row.get("City")), text(row.get("Neighborhood"))
    name = ", ".join(x.title() if x.isupper() else x for x in (hood, city) if x) or None
    if not blank(row.get("Latitude")) or not blank(row.get("Longitude")):
        at = point(row, "Latitude", "Longitude", ctx, issues)
        if at is None:
            return None
        return at[0], at[1], "neighbourhood" if hood else "town", name, None, None
    g = ctx.places
    if g is not None:
        for mentions in (
            [hood, *([city] if city else [])] if hood else [],
            [f"{city} province"] if city else [],
        ):
            if not mentions:
                continue
            found = g.resolve(mentions)
            if found.place is not None:
                p = found.place
                return p.lat, p.lon, p.precision, name, p.admin1_pcode, p.admin2_pcode
    issues.append(
        Issue(
            "Latitude/Longitude",
            "no coordinates, and neither the neighbourhood nor the governorate is a place "
            "the scenario's gazetteer knows — add coordinates",
            " / ".join(x for x in (row.get("City"), row.get("Neighborhood")) if x),
        )
    )
    return None


def map_row(row: Mapping[str, str], ctx: Context) -> Outcome:
    """One Syrian Archive record -> an incident (``proposed`` unless ``ctx.status``)."""
    issues: list[Issue] = []
    warnings: list[Issue] = []
    sid = source_id(row)
    if sid is None:
        issues.append(Issue("Reference_Code", "record id is missing (Reference_Code)"))
    day = date(row.get("Recording_Date"), "Recording_Date", issues)
    where = _place(row, ctx, issues)

    weapon = text(row.get("Weapons_Used"))
    violation = text(row.get("Violation_Type"))
    alleged = _ALLEGED.get(normalize(violation)) if violation else None
    perpetrator_text, target_text = alleged if alleged else (None, None)
    perpetrator = ctx.actors.resolve(perpetrator_text) if perpetrator_text else None
    known = weapon is not None and normalize(weapon) in _WEAPONS
    if weapon is not None and not known:
        warnings.append(
            Issue("Weapons_Used", "not a weapon ceasewatch knows: method kept as other", weapon)
        )
    fixed = _WEAPONS.get(normalize(weapon)) if weapon is not None else None
    if fixed is not None:
        event, sub, methods = fixed
    else:
        # cluster or incendiary munitions: delivery by keywords, else air-dropped
        fallback = AIR_DROPPED if known else DEFAULT
        event, sub, methods, rule = keywords.classify(
            row.get("Description") or "",
            fallback[0],
            fallback[1],
            battle=False,
            one_sided=True,
            air_capable=True,
        )
        if rule == "default":
            methods = fallback[2] if known or weapon is None else ("other",)

    if issues or sid is None or day is None or where is None:
        return Rejected(tuple(issues))
    lat, lon, precision, name, admin1, admin2 = where
    link = text(row.get("Youtube_ID"))
    url = link if link and link.startswith("http") else text(row.get("Video_URL"))

    def build() -> Incident:
        return Incident(
            id=f"{DATASET}:{sid}",
            event_type=event,  # type: ignore[arg-type]
            sub_event_type=sub,  # type: ignore[arg-type]
            occurred=Occurred(start=day, end=day, precision="day"),
            location=location(lat, lon, precision, name, ctx, admin1, admin2),
            status=ctx.status or "proposed",
            submitted_by=SUBMITTER,
            method=methods,
            perpetrator=Perpetrator(
                perpetrator_text, perpetrator, "alleged" if perpetrator_text else "unknown"
            ),
            target=Target(target_text, ctx.actors.resolve(target_text)) if target_text else None,
            sources=(
                Source(
                    document_id=f"{DATASET}:{sid}",
                    publisher=text(row.get("Source")),
                    url=url,
                ),
            ),
        )

    return finish(build, issues, warnings)
