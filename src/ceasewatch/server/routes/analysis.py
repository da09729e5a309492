"""/timeline, /phases, /triggers: computed from the incidents the caller may see."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Query

from ceasewatch.server.auth import Authorized
from ceasewatch.server.routes.common import API, Store
from ceasewatch.server.services import analysis
from ceasewatch.services import _jsonable

router = APIRouter(prefix=API, tags=["analysis"])

AgreementQ = Annotated[str | None, Query(description="One agreement id", max_length=80)]
AsOfQ = Annotated[
    dt.datetime | None,
    Query(description="The moment to speak for (with offset); default: the latest incident"),
]


def _as_of(value: dt.datetime | None) -> dt.datetime | None:
    from ceasewatch.errors import Invalid

    if value is not None and value.tzinfo is None:
        raise Invalid("as_of needs a UTC offset", ["as_of: e.g. 2016-09-19T00:00:00+03:00"])
    return value


@router.get("/timeline")
def timeline(
    caller: Authorized, engine: Store, agreement: AgreementQ = None, as_of: AsOfQ = None
) -> dict[str, Any]:
    """Violations per day × zone × party, baseline vs in force."""
    outs = analysis.outcomes(engine, caller, agreement, _as_of(as_of))
    return {
        "as_of": [o.as_of.isoformat() for o in outs],
        "rows": [_jsonable(dataclasses.asdict(r)) for o in outs for r in o.timeline],
    }


@router.get("/phases")
def phases(
    caller: Authorized, engine: Store, agreement: AgreementQ = None, as_of: AsOfQ = None
) -> dict[str, Any]:
    """Each phase and its gate, with the days that met or broke it."""
    outs = analysis.outcomes(engine, caller, agreement, _as_of(as_of))
    return {"phases": [_jsonable(dataclasses.asdict(p)) for o in outs for p in o.phases]}


@router.get("/triggers")
def triggers(
    caller: Authorized, engine: Store, agreement: AgreementQ = None, as_of: AsOfQ = None
) -> dict[str, Any]:
    """Walk-away triggers: fired or not, with the evidence."""
    outs = analysis.outcomes(engine, caller, agreement, _as_of(as_of))
    return {"triggers": [_jsonable(dataclasses.asdict(t)) for o in outs for t in o.triggers]}
