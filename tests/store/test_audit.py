"""The audit chain catches tampering done directly in the database, on both engines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, select, text

from ceasewatch.errors import UsageError
from ceasewatch.store import audit, users
from ceasewatch.store import tables as t

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
COLUMNS = (
    "at",
    "actor",
    "action",
    "entity",
    "entity_id",
    "before_json",
    "after_json",
    "reason",
    "prev_hash",
    "hash",
)


def _chain(engine: Engine, n: int = 5) -> str:
    for i in range(n):
        with audit.changes(engine) as conn:
            audit.record(
                conn,
                at=T0 + dt.timedelta(minutes=i),
                actor="user:mo",
                action="incident.edit",
                entity="incident",
                entity_id=f"i{i}",
                before={"v": i},
                after={"v": i + 1, "note": "<script>alert(1)</script>'; DROP TABLE x;--"},
                reason=f"reason {i}",
            )
    head = audit.head(engine)
    assert head is not None
    return head


def _set(engine: Engine, seq: int, **values: object) -> None:
    with engine.begin() as conn:
        conn.execute(t.audit_log.update().where(t.audit_log.c.seq == seq).values(**values))


def test_an_untouched_chain_verifies_with_and_without_its_head(store: Engine) -> None:
    head = _chain(store)
    assert head.startswith("5:")
    assert audit.verify(store).ok
    assert audit.verify(store, head).ok
    assert audit.verify(store, head.split(":")[1]).ok  # a bare hash works too


@pytest.mark.parametrize("column", COLUMNS)
def test_one_changed_byte_in_any_column_names_the_entry(store: Engine, column: str) -> None:
    _chain(store)
    with store.connect() as conn:
        value = conn.execute(
            select(t.audit_log.c[column]).where(t.audit_log.c.seq == 3)
        ).scalar_one()
    flipped = value[:-1] + ("0" if value[-1] != "0" else "1")
    _set(store, 3, **{column: flipped})
    verdict = audit.verify(store)
    assert not verdict.ok
    assert "entry 3" in (verdict.problem or "")


def test_a_deleted_entry_is_named(store: Engine) -> None:
    _chain(store)
    with store.begin() as conn:
        conn.execute(t.audit_log.delete().where(t.audit_log.c.seq == 2))
    verdict = audit.verify(store)
    assert not verdict.ok and "entry 2 is missing" in (verdict.problem or "")


def test_a_deleted_entry_renumbered_over_is_caught_by_its_link(store: Engine) -> None:
    _chain(store)
    with store.begin() as conn:
        conn.execute(t.audit_log.delete().where(t.audit_log.c.seq == 2))
        for seq in (3, 4, 5):
            conn.execute(t.audit_log.update().where(t.audit_log.c.seq == seq).values(seq=seq - 1))
    verdict = audit.verify(store)
    assert not verdict.ok and "entry 2" in (verdict.problem or "")


def test_a_reordered_pair_is_caught(store: Engine) -> None:
    _chain(store)
    with store.connect() as conn:
        rows = {
            r.seq: dict(r._mapping)
            for r in conn.execute(select(t.audit_log).where(t.audit_log.c.seq.in_([2, 3])))
        }
    _set(store, 2, **{k: v for k, v in rows[3].items() if k != "seq"})
    _set(store, 3, **{k: v for k, v in rows[2].items() if k != "seq"})
    verdict = audit.verify(store)
    assert not verdict.ok and "entry 2" in (verdict.problem or "")


def test_an_inserted_entry_is_caught(store: Engine) -> None:
    _chain(store, 3)
    with store.connect() as conn:
        last = dict(conn.execute(select(t.audit_log).where(t.audit_log.c.seq == 3)).one()._mapping)
    with store.begin() as conn:
        conn.execute(t.audit_log.update().where(t.audit_log.c.seq == 3).values(seq=4))
        conn.execute(t.audit_log.insert().values(**dict(last, seq=3, reason="forged")))
    assert not audit.verify(store).ok


def test_a_chain_recomputed_from_the_start_is_caught_only_by_the_pinned_head(
    store: Engine,
) -> None:
    pinned = _chain(store)
    with store.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(select(t.audit_log).order_by("seq"))]
    rows[1]["reason"] = "a rewritten reason"
    prev = audit.GENESIS
    with store.begin() as conn:
        for r in rows:
            r["prev_hash"] = prev
            r["hash"] = audit.entry_hash(
                r["seq"],
                r["at"],
                r["actor"],
                r["action"],
                r["entity"],
                r["entity_id"],
                r["before_json"],
                r["after_json"],
                r["reason"],
                prev,
            )
            prev = r["hash"]
            conn.execute(t.audit_log.update().where(t.audit_log.c.seq == r["seq"]).values(**r))
    assert audit.verify(store).ok  # self-consistent...
    verdict = audit.verify(store, pinned)
    assert not verdict.ok and "rewritten" in (verdict.problem or "")  # ...but not the one pinned


def test_a_truncated_chain_is_caught_by_the_pinned_head(store: Engine) -> None:
    pinned = _chain(store)
    with store.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 5"))
    assert audit.verify(store).ok
    assert not audit.verify(store, pinned).ok


def test_a_malformed_head_is_explained() -> None:
    with pytest.raises(UsageError, match="SEQ:HASH"):
        audit.parse_head("12:abc")


def test_adding_a_user_is_audited_and_the_token_is_not_stored(store: Engine) -> None:
    user, token = users.add(store, "amal", "monitor", None, actor="cli:ops", now=T0)
    entry = audit.entries(store)[0]
    assert (entry.actor, entry.action, entry.entity_id) == ("cli:ops", "user.add", "amal")
    with store.connect() as conn:
        dump = " ".join(str(v) for r in conn.execute(select(t.users)) for v in r)
        dump += " ".join(str(v) for r in conn.execute(select(t.audit_log)) for v in r)
    assert token not in dump
    with store.connect() as conn:
        assert users.by_token(conn, token, T0)[0] == "ok"
        assert users.by_token(conn, token, T0 + dt.timedelta(days=366))[0] == "expired"
        assert users.by_token(conn, token + "x", T0)[0] == "unknown"
    assert user.role == "monitor"


def test_entries_appended_together_chain_like_entries_appended_one_by_one(store: Engine) -> None:
    _chain(store, 2)
    with audit.changes(store) as conn:
        n = audit.record_many(
            conn,
            [
                {
                    "at": T0,
                    "actor": "cli:amal",
                    "action": "incident.fuse",
                    "entity": "incident",
                    "entity_id": f"f{i}",
                    "before": {"version": i},
                    "after": {"version": i + 1},
                    "reason": "x joined it",
                }
                for i in range(3)
            ],
        )
    assert n == 3
    _chain(store, 1)
    verdict = audit.verify(store)
    assert verdict.ok and verdict.entries == 6
    assert [e.entity_id for e in audit.entries(store, "incident")][:4] == ["i0", "f2", "f1", "f0"]
