"""Hand-written reports for the fusion tests: one function, every field defaulted."""

from __future__ import annotations

import datetime as dt

from ceasewatch.fusion import Report
from ceasewatch.incidents.model import (
    Incident,
    Location,
    Occurred,
    Perpetrator,
    Source,
    Target,
    Toll,
)

URUM = (36.1481, 36.94775)


def report(
    id: str,
    *,
    dataset: str = "feed",
    source_class: str = "monitor",
    day: str = "2016-09-19",
    end: str | None = None,
    date_precision: str = "day",
    at: tuple[float, float] = URUM,
    precision: str = "town",
    name: str | None = "Urum al-Kubra",
    event: tuple[str, str] = ("Explosions/Remote violence", "Air/drone strike"),
    method: tuple[str, ...] = ("airstrike",),
    perpetrator: str | None = "sy-gov",
    perpetrator_text: str | None = None,
    attribution: str = "reported",
    target: str | None = None,
    deaths: int | tuple[int | None, int | None, int | None] | None = 21,
    publisher: str | None = None,
    attributed_to: str | None = None,
    document: str | None = None,
    confidence: str = "ungraded",
    denies: tuple[str, ...] = (),
) -> Report:
    toll = None
    if isinstance(deaths, int):
        toll = Toll(deaths, deaths, deaths)
    elif deaths is not None:
        toll = Toll(*deaths)
    incident = Incident(
        id=id,
        event_type=event[0],  # type: ignore[arg-type]
        sub_event_type=event[1],  # type: ignore[arg-type]
        occurred=Occurred(
            start=dt.date.fromisoformat(day),
            end=dt.date.fromisoformat(end or day),
            precision=date_precision,  # type: ignore[arg-type]
        ),
        location=Location(lat=at[0], lon=at[1], precision=precision, name=name),  # type: ignore[arg-type]
        method=method,  # type: ignore[arg-type]
        perpetrator=Perpetrator(
            text=perpetrator_text,
            actor=perpetrator,
            attribution=attribution if (perpetrator or perpetrator_text) else "unknown",  # type: ignore[arg-type]
        ),
        target=Target(actor=target) if target else None,
        fatalities=toll,
        sources=(
            Source(
                document_id=document or f"{dataset}:{id}",
                publisher=publisher or dataset,
                attributed_to=attributed_to,
            ),
        ),
        confidence=confidence,  # type: ignore[arg-type]
    )
    return Report(incident, dataset, source_class, denies)
