"""Bearer tokens and the role table: every route depends on ``authorize``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool

from ceasewatch.errors import Forbidden, Unauthorized
from ceasewatch.server import roles
from ceasewatch.server.services.callers import Caller
from ceasewatch.store import users

PUBLIC = Caller("public", "public")


async def principal(request: Request) -> Caller:
    """The caller as the token says (public without one); 401 for a bad token."""
    header = request.headers.get("authorization")
    if not header:
        return PUBLIC
    scheme, _, token = header.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise Unauthorized("send the token as: Authorization: Bearer TOKEN")
    app = request.app

    def lookup() -> tuple[str, users.User | None]:
        with app.state.engine.connect() as conn:
            return users.by_token(conn, token, app.state.settings.clock())

    state, user = await run_in_threadpool(lookup)
    if state == "unknown" or user is None:
        raise Unauthorized("unknown token — ask an admin for one (ceasewatch users add)")
    if state != "ok":
        raise Unauthorized(f"this token is {state} — ask an admin for a new one")
    return Caller(f"user:{user.name}", user.role, user.party)


async def authorize(request: Request) -> Caller:
    """The caller, with its cell of the role table for this route; 401/403 when "no"."""
    who = await principal(request)
    route = request.scope.get("route")
    path = getattr(route, "path", request.url.path)
    cell = roles.access(request.method, path, who.role)
    if cell == "no":
        if who.role == "public":
            raise Unauthorized("this needs a token: Authorization: Bearer TOKEN")
        raise Forbidden(f"role {who.role} may not call {request.method} {path}")
    return Caller(who.name, who.role, who.party, cell)


Authorized = Annotated[Caller, Depends(authorize)]
