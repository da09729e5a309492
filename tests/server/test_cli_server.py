"""`ceasewatch users`, `audit` and `db backup` as a user meets them (real SQLite files)."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from typer.testing import CliRunner

from ceasewatch.cli import app
from ceasewatch.store import audit, db

runner = CliRunner()


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'mission.db'}"


def test_users_add_prints_the_token_once_and_stores_only_its_hash(tmp_path: Path) -> None:
    url = _url(tmp_path)
    r = runner.invoke(
        app,
        ["users", "add", "gov-liaison", "--role", "liaison", "--party", "gov", "--db", url],
        env={"CEASEWATCH_USER": "ops"},
    )
    assert r.exit_code == 0, r.output
    token = r.stdout.strip().splitlines()[-1]
    assert token.startswith("cw_") and len(token) > 30
    raw = (tmp_path / "mission.db").read_bytes()
    for suffix in ("-wal",):
        wal = tmp_path / f"mission.db{suffix}"
        if wal.exists():
            raw += wal.read_bytes()
    assert token.encode() not in raw
    engine = db.connect(url)
    entry = audit.entries(engine)[0]
    engine.dispose()
    assert (entry.actor, entry.action, entry.entity_id) == ("cli:ops", "user.add", "gov-liaison")
    listed = runner.invoke(app, ["users", "list", "--db", url])
    assert "gov-liaison" in listed.output and token not in listed.output


def test_users_add_refuses_a_liaison_without_a_party_and_an_unknown_role(tmp_path: Path) -> None:
    url = _url(tmp_path)
    r = runner.invoke(app, ["users", "add", "x", "--role", "liaison", "--db", url])
    assert r.exit_code == 1 and "--party" in r.output
    r = runner.invoke(app, ["users", "add", "x", "--role", "king", "--db", url])
    assert r.exit_code == 1 and "choose one of" in r.output
    runner.invoke(app, ["users", "add", "x", "--role", "analyst", "--db", url])
    r = runner.invoke(app, ["users", "add", "x", "--role", "analyst", "--db", url])
    assert r.exit_code == 1 and "exists already" in r.output


def test_audit_verify_passes_then_names_a_tampered_entry(tmp_path: Path) -> None:
    url = _url(tmp_path)
    for name in ("a", "b", "c"):
        assert (
            runner.invoke(app, ["users", "add", name, "--role", "analyst", "--db", url]).exit_code
            == 0
        )
    head = runner.invoke(app, ["audit", "head", "--db", url]).stdout.strip()
    assert head.startswith("3:")
    ok = runner.invoke(app, ["audit", "verify", "--head", head, "--db", url])
    assert ok.exit_code == 0 and "3 entries" in ok.output
    with sqlite3.connect(tmp_path / "mission.db") as conn:
        conn.execute("UPDATE audit_log SET actor = 'cli:mallory' WHERE seq = 2")
    bad = runner.invoke(app, ["audit", "verify", "--db", url])
    assert bad.exit_code == 1 and "entry 2 was altered" in bad.output


def test_audit_verify_on_a_missing_store_says_so(tmp_path: Path) -> None:
    r = runner.invoke(app, ["audit", "verify", "--db", f"sqlite:///{tmp_path / 'none.db'}"])
    assert r.exit_code == 1 and "no store" in r.output
    assert not (tmp_path / "none.db").exists()


def test_db_backup_is_consistent_while_another_connection_writes(tmp_path: Path) -> None:
    url = _url(tmp_path)
    assert (
        runner.invoke(app, ["users", "add", "seed", "--role", "analyst", "--db", url]).exit_code
        == 0
    )
    stop = threading.Event()

    def writer() -> None:
        import datetime as dt

        from ceasewatch.store import users

        engine = db.connect(url)
        i = 0
        while not stop.is_set() and i < 200:
            users.add(engine, f"u{i}", "analyst", None, actor="cli:w", now=dt.datetime.now(dt.UTC))
            i += 1
        engine.dispose()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        r = runner.invoke(app, ["db", "backup", str(tmp_path / "copy.db"), "--db", url])
    finally:
        stop.set()
        thread.join()
    assert r.exit_code == 0, r.output
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    engine = db.connect(copy)
    verdict = audit.verify(engine)
    engine.dispose()
    assert verdict.ok and verdict.entries >= 1  # a consistent snapshot: its chain holds
    r = runner.invoke(app, ["db", "backup", str(tmp_path / "nowhere" / "x.db"), "--db", url])
    assert r.exit_code == 1 and "does not exist" in r.output
