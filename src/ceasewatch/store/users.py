"""Users and their API tokens. A token is shown once, when the user is added; the store
keeps only its SHA-256, so a copy of the database gives no one a working token."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Final, Literal, get_args

from sqlalchemy import Connection, Engine, select

from ceasewatch.errors import Conflict, NotFound, UsageError
from ceasewatch.store import audit
from ceasewatch.store import tables as t

Role = Literal["admin", "monitor", "analyst", "liaison", "public"]
ROLES: Final[tuple[str, ...]] = get_args(Role)
#: Roles a user can be given (``public`` is who calls without a token).
USER_ROLES: Final[tuple[str, ...]] = ("admin", "monitor", "analyst", "liaison")
TOKEN_PREFIX = "cw_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,79}$")


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: Role
    party: str | None
    expires_at: str | None = None


def token_hash(token: str) -> str:
    """The stored form of a token.

    >>> token_hash("cw_x")[:8]
    '6f257de5'
    """
    return hashlib.sha256(token.encode()).hexdigest()


def add(
    engine: Engine,
    name: str,
    role: str,
    party: str | None,
    *,
    actor: str,
    now: dt.datetime,
    days: int | None = 365,
) -> tuple[User, str]:
    """Add a user; returns the user and the token (the only time it exists in clear)."""
    if not _NAME.match(name):
        raise UsageError(
            f"user name {name!r}: use 1–80 letters, digits, '.', '_', '@' or '-' "
            "(starting with a letter or digit)"
        )
    if role not in USER_ROLES:
        raise UsageError(f"role {role!r}: choose one of {', '.join(USER_ROLES)}")
    if role == "liaison" and not party:
        raise UsageError("a liaison speaks for a party: give --party ACTOR_ID")
    if role != "liaison" and party:
        raise UsageError(f"--party is for liaisons only, not for role {role}")
    if days is not None and days < 1:
        raise UsageError("--days must be at least 1")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = audit.now_text(now + dt.timedelta(days=days)) if days else None
    with audit.changes(engine) as conn:
        if conn.execute(select(t.users.c.id).where(t.users.c.name == name)).first():
            raise Conflict(f"a user named {name!r} exists already — choose another name")
        key = conn.execute(
            t.users.insert().values(
                name=name,
                role=role,
                party=party,
                token_hash=token_hash(token),
                created_at=audit.now_text(now),
                expires_at=expires,
            )
        ).inserted_primary_key
        assert key is not None
        uid = key[0]
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="user.add",
            entity="user",
            entity_id=name,
            after={"name": name, "role": role, "party": party, "expires_at": expires},
        )
    return User(int(uid), name, role, party, expires), token  # type: ignore[arg-type]


def revoke(engine: Engine, name: str, *, actor: str, now: dt.datetime) -> None:
    with audit.changes(engine) as conn:
        row = conn.execute(select(t.users).where(t.users.c.name == name)).first()
        if row is None:
            raise NotFound(f"no user {name!r}")
        conn.execute(
            t.users.update().where(t.users.c.name == name).values(revoked_at=audit.now_text(now))
        )
        audit.record(
            conn,
            at=now,
            actor=actor,
            action="user.revoke",
            entity="user",
            entity_id=name,
            before={"revoked_at": row.revoked_at},
            after={"revoked_at": audit.now_text(now)},
        )


def listing(engine: Engine) -> list[dict[str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(select(t.users).order_by(t.users.c.name)).all()
    return [
        {
            "name": r.name,
            "role": r.role,
            "party": r.party,
            "created_at": r.created_at,
            "expires_at": r.expires_at,
            "revoked_at": r.revoked_at,
        }
        for r in rows
    ]


TokenState = Literal["ok", "unknown", "expired", "revoked"]


def by_token(conn: Connection, token: str, now: dt.datetime) -> tuple[TokenState, User | None]:
    row = conn.execute(select(t.users).where(t.users.c.token_hash == token_hash(token))).first()
    if row is None:
        return "unknown", None
    user = User(row.id, row.name, row.role, row.party, row.expires_at)
    if row.revoked_at is not None:
        return "revoked", user
    if row.expires_at is not None and row.expires_at <= audit.now_text(now):
        return "expired", user
    return "ok", user
