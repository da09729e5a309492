"""The audit log: append-only and hash-chained.

Every change — from the API or the CLI — is written in the same transaction as the change
itself, as one entry: who, when, what (before and after, as JSON), why. Each entry holds
the hash of the one before, and its own hash covers every stored column, so

- a changed byte in any entry breaks that entry's hash;
- a removed entry leaves a gap in ``seq`` or a broken link;
- a reordered pair breaks the links;
- a chain recomputed from the start is caught only by comparing its head with a copy
  kept elsewhere (``audit verify --head SEQ:HASH``), which is why the head is printed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import IntegrityError, OperationalError

from ceasewatch.errors import UsageError
from ceasewatch.store import tables as t

GENESIS = "0" * 64
_LOCK = threading.RLock()
_PG_LOCK_KEY = 0x63656173  # pg_advisory_xact_lock key shared by every audited writer


def now_text(clock: dt.datetime) -> str:
    """A timestamp as stored: UTC, ISO 8601, microseconds.

    >>> now_text(dt.datetime(2016, 9, 12, 19, 0, tzinfo=dt.timezone(dt.timedelta(hours=3))))
    '2016-09-12T16:00:00.000000+00:00'
    """
    if clock.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return clock.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(value: Any) -> str | None:
    """JSON with sorted keys and no spaces: the bytes that are stored and hashed."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(
    seq: int,
    at: str,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: str | None,
    after: str | None,
    reason: str | None,
    prev: str,
) -> str:
    """SHA-256 over every column but the hash itself.

    >>> entry_hash(1, "t", "a", "x", "e", "1", None, None, None, GENESIS)[:12]
    '950b6224b720'
    """
    payload = json.dumps(
        [seq, at, actor, action, entity, entity_id, before, after, reason, prev],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode()).hexdigest()


@dataclass(frozen=True)
class Entry:
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    before: Any
    after: Any
    reason: str | None
    prev_hash: str
    hash: str


def record(
    conn: Connection,
    *,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: str,
    before: Any = None,
    after: Any = None,
    reason: str | None = None,
) -> Entry:
    """Append one entry inside the caller's transaction (see ``changes``)."""
    last = conn.execute(
        select(t.audit_log.c.seq, t.audit_log.c.hash).order_by(t.audit_log.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq + 1, last.hash) if last else (1, GENESIS)
    stamp = now_text(at)
    before_text, after_text = canonical(before), canonical(after)
    digest = entry_hash(
        seq, stamp, actor, action, entity, entity_id, before_text, after_text, reason, prev
    )
    row: dict[str, Any] = {
        "seq": seq,
        "at": stamp,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "before_json": before_text,
        "after_json": after_text,
        "reason": reason,
        "prev_hash": prev,
        "hash": digest,
    }
    conn.execute(t.audit_log.insert().values(**row))
    return Entry(seq, stamp, actor, action, entity, entity_id, before, after, reason, prev, digest)


def record_many(conn: Connection, entries: Sequence[dict[str, Any]]) -> int:
    """Append several entries at once, in order (one read of the chain's head, one
    insert): each dict has the keyword arguments of ``record``. Returns how many."""
    if not entries:
        return 0
    last = conn.execute(
        select(t.audit_log.c.seq, t.audit_log.c.hash).order_by(t.audit_log.c.seq.desc()).limit(1)
    ).first()
    seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
    rows: list[dict[str, Any]] = []
    for e in entries:
        seq += 1
        stamp = now_text(e["at"])
        before_text, after_text = canonical(e.get("before")), canonical(e.get("after"))
        reason = e.get("reason")
        cols = (e["actor"], e["action"], e["entity"], e["entity_id"])
        digest = entry_hash(seq, stamp, *cols, before_text, after_text, reason, prev)
        rows.append(
            {
                "seq": seq,
                "at": stamp,
                "actor": cols[0],
                "action": cols[1],
                "entity": cols[2],
                "entity_id": cols[3],
                "before_json": before_text,
                "after_json": after_text,
                "reason": reason,
                "prev_hash": prev,
                "hash": digest,
            }
        )
        prev = digest
    if conn.dialect.paramstyle == "qmark":  # SQLite: plain tuples straight to the driver
        names = list(rows[0])
        marks = ", ".join("?" * len(names))
        conn.exec_driver_sql(
            f"INSERT INTO audit_log ({', '.join(names)}) VALUES ({marks})",
            [tuple(row.values()) for row in rows],
        )
    else:
        conn.execute(t.audit_log.insert(), rows)
    return len(rows)


@contextmanager
def changes(engine: Engine) -> Iterator[Connection]:
    """One transaction for a change and its audit entries, serialised across writers.

    Within a process a lock orders writers; on PostgreSQL an advisory lock orders them
    across processes; on SQLite a second process that appended first makes our entry's
    ``seq`` collide, and ``retrying`` runs the change again.
    """
    with _LOCK, engine.begin() as conn:
        serialise(conn)
        yield conn


def serialise(conn: Connection) -> None:
    """Order this transaction after every other audited writer's, for a writer that runs
    its own transactions (an import's batches): on PostgreSQL an advisory lock held until
    the transaction ends — taken first, before any row is locked, so that no writer waits
    for another holding it; SQLite orders writers by its own write lock."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def retrying(attempts: int = 5) -> Iterator[int]:
    """``for attempt in retrying(): try: ... break`` — used with ``is_race``."""
    for n in range(attempts):
        if n:
            time.sleep(0.02 * n)
        yield n


def is_race(e: Exception) -> bool:
    """A concurrent writer appended first (SQLite across processes): try again."""
    if isinstance(e, IntegrityError):
        return "audit_log" in str(e) or "seq" in str(e)
    return isinstance(e, OperationalError) and "locked" in str(e)


# ---- reading and verifying ----------------------------------------------------------


def head(engine: Engine) -> str | None:
    """``SEQ:HASH`` of the newest entry, or None for an empty log."""
    with engine.connect() as conn:
        row = conn.execute(
            select(t.audit_log.c.seq, t.audit_log.c.hash)
            .order_by(t.audit_log.c.seq.desc())
            .limit(1)
        ).first()
    return f"{row.seq}:{row.hash}" if row else None


def entries(
    engine: Engine, entity: str | None = None, entity_id: str | None = None, limit: int = 200
) -> list[Entry]:
    q = select(t.audit_log).order_by(t.audit_log.c.seq.desc()).limit(limit)
    if entity is not None:
        q = q.where(t.audit_log.c.entity == entity)
    if entity_id is not None:
        q = q.where(t.audit_log.c.entity_id == entity_id)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        Entry(
            r.seq,
            r.at,
            r.actor,
            r.action,
            r.entity,
            r.entity_id,
            json.loads(r.before_json) if r.before_json else None,
            json.loads(r.after_json) if r.after_json else None,
            r.reason,
            r.prev_hash,
            r.hash,
        )
        for r in rows
    ]


@dataclass(frozen=True)
class Verdict:
    ok: bool
    entries: int
    head: str | None
    problem: str | None = None
    """The first entry altered, removed or inserted, in words."""


def parse_head(pinned: str) -> tuple[int | None, str]:
    """``SEQ:HASH`` or a bare hash.

    >>> parse_head("12:" + "ab" * 32)[0]
    12
    """
    seq_text, _, digest = pinned.strip().rpartition(":")
    digest = digest.lower()
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise UsageError(
            f"--head {pinned!r}: write the head as printed by `ceasewatch audit head` "
            "(SEQ:HASH, the hash 64 hex digits)"
        )
    if not seq_text:
        return None, digest
    try:
        return int(seq_text), digest
    except ValueError:
        raise UsageError(f"--head {pinned!r}: SEQ before ':' must be a number") from None


def verify(engine: Engine, pinned: str | None = None) -> Verdict:
    """Recompute the chain; name the first entry that does not hold."""
    want = parse_head(pinned) if pinned else None
    seen_pin = False
    expected_seq = 1
    prev = GENESIS
    n = 0
    with engine.connect() as conn:
        with conn.execute(
            select(t.audit_log).order_by(t.audit_log.c.seq), execution_options={"yield_per": 2000}
        ) as result:
            for r in result:
                n += 1
                if r.seq != expected_seq:
                    if r.seq > expected_seq:
                        what = (
                            f"entry {expected_seq} is missing (removed?): the next entry is {r.seq}"
                        )
                    else:
                        what = f"entry {r.seq} appears where entry {expected_seq} should be"
                    return Verdict(False, n, None, what)
                if r.prev_hash != prev:
                    return Verdict(
                        False,
                        n,
                        None,
                        f"entry {r.seq} does not follow entry {r.seq - 1}: its link to the entry "
                        "before is broken (an entry removed, inserted or reordered there)",
                    )
                digest = entry_hash(
                    r.seq,
                    r.at,
                    r.actor,
                    r.action,
                    r.entity,
                    r.entity_id,
                    r.before_json,
                    r.after_json,
                    r.reason,
                    r.prev_hash,
                )
                if digest != r.hash:
                    return Verdict(
                        False,
                        n,
                        None,
                        f"entry {r.seq} was altered: its content no longer matches its hash",
                    )
                if want and r.hash == want[1] and (want[0] is None or want[0] == r.seq):
                    seen_pin = True
                prev = r.hash
                expected_seq += 1
    top = f"{expected_seq - 1}:{prev}" if n else None
    if want and not seen_pin:
        where = f"entry {want[0]}" if want[0] is not None else "any entry"
        return Verdict(
            False,
            n,
            top,
            f"the pinned head {pinned} is not {where} of this chain: the chain was rewritten "
            "(or truncated before it)",
        )
    return Verdict(True, n, top)
