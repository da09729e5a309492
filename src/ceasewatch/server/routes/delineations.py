"""/agreements/{id}/delineations: the implementation cell's versioned map proposals."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from ceasewatch.delineation import service as d
from ceasewatch.server import notify
from ceasewatch.server.auth import Authorized
from ceasewatch.server.routes.common import API, Now, Store

router = APIRouter(prefix=API, tags=["delineations"])
BASE = "/agreements/{agreement_id}/delineations"


class DelineationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=80)
    """What is delineated, e.g. ``sw-aleppo-marbled``: every version of it keeps the same
    zone type and replaced zones."""
    zone_type: str
    """The type of the zones drawn (``marbled``, ``opposition``, ...)."""
    replaces: list[str] = []
    """Spec zones (of that type) the agreed version stands in for; empty: all of the type."""
    answers: int | None = None
    """The version this counter-proposal answers."""
    note: str = Field(default="", max_length=2000)
    features: dict[str, Any]
    """A GeoJSON FeatureCollection of Polygons/MultiPolygons (lon/lat, WGS 84)."""


@router.post(BASE, status_code=status.HTTP_201_CREATED)
def propose(
    agreement_id: str,
    body: DelineationIn,
    caller: Authorized,
    engine: Store,
    now: Now,
    request: Request,
    tasks: BackgroundTasks,
) -> dict[str, Any]:
    """Propose a version. A liaison's proposal counts as its party's signature; it is
    active only when every designated approver has signed it. Invalid, overlapping or
    out-of-country polygons: 422 naming the feature index; nothing is stored."""
    out = d.propose(
        engine,
        agreement_id,
        subject=body.subject,
        zone_type=body.zone_type,
        features=body.features,
        replaces=body.replaces,
        answers=body.answers,
        note=body.note,
        caller=caller,
        now=now,
    )
    notify.queue_watch(request.app, tasks)
    return out


@router.get(BASE)
def listing(agreement_id: str, caller: Authorized, engine: Store) -> dict[str, Any]:
    """Every version with its status and signatures, and how each subject stands (its
    active version, its disputed area)."""
    del caller
    return d.listing(engine, agreement_id)


@router.get(BASE + "/{version}")
def detail(agreement_id: str, version: int, caller: Authorized, engine: Store) -> dict[str, Any]:
    """One version: polygons (GeoJSON), signatures and its audit entries."""
    del caller
    return d.detail(engine, agreement_id, version)


@router.get(BASE + "/{version}/diff")
def diff(
    agreement_id: str,
    version: int,
    caller: Authorized,
    engine: Store,
    against: Annotated[int | None, Query(description="The other version")] = None,
) -> dict[str, Any]:
    """Where two versions differ, in km² (equal-area) and as GeoJSON."""
    del caller
    return d.diff(engine, agreement_id, version, against)


@router.post(BASE + "/{version}/approve")
def approve(
    agreement_id: str,
    version: int,
    caller: Authorized,
    engine: Store,
    now: Now,
    request: Request,
    tasks: BackgroundTasks,
) -> dict[str, Any]:
    """Sign a version for the caller's party (liaisons of designated approvers only:
    403 otherwise). A version that is not the latest proposal, already active or already
    signed by the party: 409. The last signature activates it and lists the verdicts that
    changed."""
    out = d.approve(engine, agreement_id, version, caller=caller, now=now)
    notify.queue_watch(request.app, tasks)
    return out
