"""Errors in one shape from one place: ``{"ok": false, "error", "errors", "status"}``.

Every bad input is a 4xx; a store that cannot be reached is 503; anything else is a bug,
answered 500 in the same shape (and the tests look for it).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ceasewatch.errors import CeasewatchError, Conflict, Forbidden, Invalid, Unauthorized

log = logging.getLogger("ceasewatch.server")


def body(status: int, error: str, errors: list[str] | None = None, **extra: Any) -> JSONResponse:
    content = {"ok": False, "error": error, "errors": errors or [], "status": status, **extra}
    return JSONResponse(content, status_code=status)


def _loc(loc: Any) -> str:
    parts = [str(x) for x in loc]
    return ".".join(parts) or "(body)"


def _depends_on(route: Any, call: Any) -> bool:
    """Whether ``route`` (a FastAPI route, or None) runs ``call`` among its dependencies."""
    todo = [getattr(route, "dependant", None)]
    while todo:
        dep = todo.pop()
        if dep is None:
            continue
        if dep.call is call:
            return True
        todo += dep.dependencies
    return False


def install(app: FastAPI) -> None:
    @app.exception_handler(CeasewatchError)
    async def _ours(_: Request, e: CeasewatchError) -> JSONResponse:
        extra: dict[str, Any] = {}
        if isinstance(e, Conflict) and e.current is not None:
            extra["current"] = e.current
        errors = e.errors if isinstance(e, Invalid) else []
        headers = {"WWW-Authenticate": "Bearer"} if e.status == 401 else None
        resp = body(e.status, str(e), errors, **extra)
        if headers:
            resp.headers.update(headers)
        return resp

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, e: RequestValidationError) -> JSONResponse:
        # FastAPI checks the body before the route's dependencies run: a caller the
        # route refuses hears that (401/403), not how its body would fail
        from ceasewatch.server.auth import authorize

        if _depends_on(request.scope.get("route"), authorize):
            try:
                await authorize(request)
            except (Unauthorized, Forbidden) as refused:
                return await _ours(request, refused)
        errors = []
        for err in e.errors():
            msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
            if err.get("type") == "json_invalid":
                msg = "the body is not valid JSON"
            errors.append(f"{_loc(err.get('loc', ()))}: {msg}")
        return body(422, "the request does not validate", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, e: StarletteHTTPException) -> JSONResponse:
        resp = body(e.status_code, str(e.detail))
        if e.headers:
            resp.headers.update(e.headers)
        return resp

    @app.exception_handler(OperationalError)
    async def _down(_: Request, e: OperationalError) -> JSONResponse:
        log.warning("store unavailable: %s", e.orig)
        return body(503, "the store is unavailable — try again shortly")

    @app.exception_handler(DBAPIError)
    async def _db(_: Request, e: DBAPIError) -> JSONResponse:
        if e.connection_invalidated:
            return body(503, "the store is unavailable — try again shortly")
        log.exception("store error")
        return body(500, "internal error (store) — this is a bug, please report it")

    @app.exception_handler(Exception)
    async def _bug(_: Request, e: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return body(500, "internal error — this is a bug, please report it")
