"""What every router needs: the store, the clock, and small parsers for query strings."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine

from ceasewatch.errors import Invalid

API = "/api/v1"


async def engine(request: Request) -> Engine:  # async: no thread hop for a lookup
    e: Engine = request.app.state.engine
    return e


async def now(request: Request) -> dt.datetime:
    clock = request.app.state.settings.clock
    value: dt.datetime = clock()
    return value


Store = Annotated[Engine, Depends(engine)]
Now = Annotated[dt.datetime, Depends(now)]


def bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``minlon,minlat,maxlon,maxlat``.

    >>> bbox("36.9,36.1,37.3,36.3")
    (36.9, 36.1, 37.3, 36.3)
    """
    if text is None:
        return None
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or any(v != v for v in values):  # NaN
        raise Invalid(
            "bbox: write min_lon,min_lat,max_lon,max_lat",
            [f"bbox: {text!r} is not four numbers separated by commas"],
        )
    minlon, minlat, maxlon, maxlat = values
    if not (-180 <= minlon <= maxlon <= 180 and -90 <= minlat <= maxlat <= 90):
        raise Invalid(
            "bbox: the corners are out of range or out of order",
            ["bbox: -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90"],
        )
    return minlon, minlat, maxlon, maxlat
