"""Evidence attachments: files kept in the store with their SHA-256."""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile, status
from fastapi.responses import Response

from ceasewatch.errors import Invalid
from ceasewatch.server.auth import Authorized
from ceasewatch.server.models import EvidenceOut
from ceasewatch.server.routes.common import API, Now, Store
from ceasewatch.server.services import evidence

router = APIRouter(prefix=API, tags=["evidence"])


@router.post(
    "/incidents/{incident_id}/evidence",
    status_code=status.HTTP_201_CREATED,
    response_model=EvidenceOut,
)
def attach(
    incident_id: str,
    file: Annotated[UploadFile, File(description="The attachment (photo, PDF, text)")],
    caller: Authorized,
    engine: Store,
    now: Now,
) -> dict[str, Any]:
    """Attach a file; the same file twice is stored once."""
    data = file.file.read()
    if not data:
        raise Invalid("the file is empty", ["file: attach a file with content"])
    return evidence.attach(
        engine,
        incident_id,
        file.filename or "attachment",
        file.content_type or "application/octet-stream",
        data,
        caller,
        now,
    )


@router.get("/incidents/{incident_id}/evidence", response_model=list[EvidenceOut])
def listing(incident_id: str, caller: Authorized, engine: Store) -> list[dict[str, Any]]:
    return evidence.evidence_list(engine, incident_id, caller)


_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@router.get(
    "/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"content": {"application/octet-stream": {}}}},
)
def download(evidence_id: str, caller: Authorized, engine: Store) -> Response:
    """The file as stored, as an attachment (never rendered inline); its SHA-256 is in
    the `Digest` header."""
    meta, data = evidence.evidence_data(engine, evidence_id, caller)
    kind = (
        meta["content_type"]
        if meta["content_type"] in evidence.SAFE_TYPES
        else "application/octet-stream"
    )
    name = _SAFE_NAME.sub("_", meta["filename"])[:100] or "attachment"
    return Response(
        data,
        media_type=kind,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Content-Security-Policy": "sandbox",
            "X-Evidence-SHA256": meta["sha256"],
        },
    )
