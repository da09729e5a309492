"""The FastAPI app: ``create_app(settings)`` — nothing is built at import time.

Routes live in ``server/routes``; who may call each is in ``server/roles.py``; errors
take one shape (``server/errors.py``); bodies over the size limit get 413 before they
are read whole.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ceasewatch import __version__
from ceasewatch.server import errors
from ceasewatch.server.settings import Settings

API = "/api/v1"  # every router is made with this prefix (routes/common.py)


class BodyLimit:
    """413 for a body over the limit, before the app sees it: by Content-Length, or counted
    as it streams in (the body is then handed on whole, so it is held at most once)."""

    def __init__(self, app: ASGIApp, limit: int, evidence_limit: int) -> None:
        self.app = app
        self.limit = limit
        self.evidence_limit = evidence_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.evidence_limit if path.endswith("/evidence") else self.limit
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    size = -1
                if size < 0 or size > limit:
                    await _too_large(send, limit)
                    return
        parts: list[bytes] = []
        seen = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunk = message.get("body", b"")
            seen += len(chunk)
            if seen > limit:
                await _too_large(send, limit)
                return
            parts.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(parts)
        handed = False

        async def replay() -> Message:
            nonlocal handed
            if not handed:
                handed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    import json

    body = json.dumps(
        {
            "ok": False,
            "error": f"the body is larger than {limit} bytes",
            "errors": [],
            "status": 413,
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"application/json"), (b"connection", b"close")],
        }
    )
    await send({"type": "http.response.body", "body": body})


def create_app(settings: Settings, engine: Engine | None = None) -> FastAPI:
    """The app over the store at ``settings.db_url`` (migrated to the newest schema)."""
    from ceasewatch.server.routes import ALL_ROUTERS
    from ceasewatch.store import db

    if engine is None:
        engine = db.open_store(settings.db_url)
    app = FastAPI(
        title="ceasewatch",
        version=__version__,
        summary="Monitor and verify ceasefire agreements: incidents, findings, review, audit.",
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
        responses=_ERRORS,
    )
    app.state.settings = settings
    app.state.engine = engine
    errors.install(app)
    for router in ALL_ROUTERS:
        app.include_router(router)
    app.add_middleware(
        BodyLimit, limit=settings.max_body_bytes, evidence_limit=settings.max_evidence_bytes
    )

    app.add_middleware(SafeHeaders)

    # the dashboard (issue 6): its pages and static files beside the API (not in OpenAPI)
    from ceasewatch.dashboard.router import mount as mount_dashboard

    mount_dashboard(app)

    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    return app


class SafeHeaders:
    """``nosniff`` and ``no-store`` on every response (a plain ASGI middleware: cheap)."""

    EXTRA = ((b"x-content-type-options", b"nosniff"), (b"cache-control", b"no-store"))

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                have = {k.lower() for k, _ in message.get("headers", ())}
                extra = [(k, v) for k, v in self.EXTRA if k not in have]
                message = {**message, "headers": [*message.get("headers", ()), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


#: ``occurred.time`` is a local time of day without an offset: JSON Schema's ``format:
#: time`` (RFC 3339) would demand one, so the document states the pattern it follows.
LOCAL_TIME = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"}


def _openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is None:
        from fastapi.openapi.utils import get_openapi

        doc = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        for schema in doc.get("components", {}).get("schemas", {}).values():
            for prop in schema.get("properties", {}).values():
                for option in prop.get("anyOf", ()):
                    if option.get("format") == "time":
                        option.pop("format")
                        option.update(LOCAL_TIME)
        app.openapi_schema = doc
    return app.openapi_schema


def _err(description: str) -> dict[str, Any]:
    from ceasewatch.server.models import ErrorOut

    return {"description": description, "model": ErrorOut}


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: _err("Bad request"),
    401: _err("No token, or an unknown, expired or revoked one"),
    403: _err("The role may not do this"),
    404: _err("Not found (or not visible to the caller)"),
    409: _err("Conflict: changed meanwhile, or exists already"),
    413: _err("Body too large"),
    422: _err("Does not validate"),
    503: _err("Store or extractor unavailable"),
}
