"""``ceasewatch access`` as a user meets it: on a copy of the demo's store."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasewatch.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out / "ceasewatch.db"


@pytest.fixture
def db(demo_store: Path, tmp_path: Path) -> str:
    path = tmp_path / "store.db"
    shutil.copy(demo_store, path)
    return f"sqlite:///{path}"


def _run(*args: str) -> object:
    return runner.invoke(app, list(args))


def test_status_names_each_route_and_checkpoint_with_why(db: str) -> None:
    r = _run("access", "status", "--date", "2016-09-16", "--db", db, "--format", "json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.output)
    [sep] = [a for a in doc["agreements"] if a["agreement_id"] == "sep-2016-arrangement"]
    by_id = {s["id"]: s for s in sep["statuses"]}
    assert by_id["castello-road"]["status"] == "closed"
    assert "castello-withdrawal-unverified" in by_id["castello-road"]["why"][0]
    assert by_id["castello-central-checkpoint"]["status"] == "closed"
    assert {s["status"] for s in sep["statuses"]} <= {"open", "closed", "unknown"}
    assert any("un-aleppo-east-castello" in c for c in sep["convoys"])


def test_add_update_list_and_the_refusals_that_write_nothing(db: str) -> None:
    r = _run(
        "access", "convoy", "add", "wfp-2", "--agency", "WFP", "--origin", "Cilvegozu",
        "--destination", "eastern Aleppo", "--cargo", "flour", "--route", "castello-road",
        "--at", "2016-09-14T10:00:00+03:00", "--evidence", "plan", "--db", db,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    early = ("--at", "2016-09-14T09:00:00+03:00", "--evidence", "radio", "--db", db)
    r = _run("access", "convoy", "update", "wfp-2", "--status", "cleared", *early)
    assert r.exit_code == 1 and "before the last one" in r.output
    r = _run("access", "convoy", "update", "ghost", "--status", "cleared", *early)
    assert r.exit_code == 1 and "no convoy 'ghost'" in r.output
    r = _run(
        "access", "convoy", "update", "wfp-2", "--status", "blocked",
        "--at", "2016-09-14T12:00:00+03:00", "--evidence", "radio",
        "--checkpoint", "castello-central-checkpoint", "--db", db,
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    r = _run("access", "convoy", "list", "--format", "json", "--db", db)
    convoys = {c["id"]: c for c in json.loads(r.output)}
    assert [e["status"] for e in convoys["wfp-2"]["events"]] == ["planned", "blocked"]
    assert set(convoys) == {"wfp-2", "un-aleppo-east-castello", "un-sarc-urum-al-kubra"}


def test_changes_are_audited_as_the_named_local_user(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine, select

    from ceasewatch.store import tables as t

    monkeypatch.setenv("CEASEWATCH_USER", "amal")
    base = ("--agency", "WFP", "--origin", "A", "--destination", "B", "--cargo", "flour")
    when = ("--at", "2016-09-14T10:00:00+03:00", "--evidence", "plan", "--db", db)
    assert _run("access", "convoy", "add", "wfp-7", *base, *when).exit_code == 0
    assert _run("access", "convoy", "add", "wfp-8", *base, *when, "--as", "omar").exit_code == 0
    engine = create_engine(db)
    with engine.connect() as conn:
        actors = [r.actor for r in conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq))]
    engine.dispose()
    assert actors[-2:] == ["cli:amal", "cli:omar"]
    assert _run("audit", "verify", "--db", db).exit_code == 0
