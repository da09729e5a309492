"""What `ceasewatch import` writes is served like the API's own incidents: found by every
search of GET /incidents, and audited (one entry per batch and one per run, naming the
local user and the file) so that `audit verify` holds and shows who imported what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from typer.testing import CliRunner

from ceasewatch.cli import app
from ceasewatch.store import audit, users
from tests.ingest.rows import UCDP_COLUMNS, to_csv, ucdp_row
from tests.server.conftest import NOW, make_client

P = "/api/v1"
runner = CliRunner()


def _rows() -> list[dict[str, str]]:
    """The Urum al-Kubra convoy (UCDP GED facts), plus two events of our own far from it
    in place, date and kind."""
    return [
        ucdp_row(),
        ucdp_row(
            id="900001",
            type_of_violence="2",
            side_a="IS",
            side_b="Syrian insurgents",
            deaths_civilians="0",
            where_coordinates="Raqqa town",
            adm_1="Ar Raqqah governorate",
            adm_2="Ar Raqqah district",
            latitude="35.95",
            longitude="39.01",
            date_start="2016-03-02",
            date_end="2016-03-02",
        ),
        ucdp_row(
            id="900002",
            where_coordinates="Daraa town",
            adm_1="Dar'a governorate",
            adm_2="Dar'a district",
            latitude="32.62",
            longitude="36.10",
            date_start="2016-11-20",
            date_end="2016-11-20",
        ),
    ]


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _import(engine: Engine, tmp_path: Path) -> Path:
    path = tmp_path / "ged.csv"
    path.write_text(to_csv(UCDP_COLUMNS, _rows()), encoding="utf-8")
    done = runner.invoke(
        app,
        ["import", "ucdp", str(path), "--db", _url(engine)],
        env={"COLUMNS": "200", "CEASEWATCH_USER": "amal"},
    )
    assert done.exit_code == 0, done.output
    assert "3 imported" in done.output
    return path


def _ids(client: Any, token: str, **params: str) -> set[str]:
    r = client.get(f"{P}/incidents", params=params, headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return {x["incident"]["id"] for x in r.json()["data"]}


def test_imported_incidents_are_found_by_every_search(store: Engine, tmp_path: Path) -> None:
    _import(store, tmp_path)
    _, token = users.add(store, "ana", "analyst", None, actor="cli:test", now=NOW)
    client = make_client(store)
    everything = _ids(client, token)
    convoy = next(i for i in everything if i.endswith("301214"))
    raqqa = next(i for i in everything if i.endswith("900001"))
    daraa = next(i for i in everything if i.endswith("900002"))
    assert _ids(client, token, bbox="36.8,36.0,37.1,36.3") == {convoy}
    assert _ids(client, token, start="2016-09-19", end="2016-09-19") == {convoy}
    assert _ids(client, token, event_type="Battles") == {raqqa}
    record = client.get(
        f"{P}/incidents/{convoy}", headers={"Authorization": f"Bearer {token}"}
    ).json()["incident"]
    actor = record["perpetrator"]["actor"]
    assert actor, "the importer maps 'Government of Syria' to an actor of the scenario"
    assert _ids(client, token, actor=actor) == {convoy, daraa}
    assert _ids(client, token, q="urum al kubra") == {convoy}
    assert _ids(client, token, q="raqqa") == {raqqa}
    assert _ids(client, token, confidence=record["confidence"]) >= {convoy}


def test_an_import_is_audited_per_batch_and_per_run_and_the_chain_holds(
    store: Engine, tmp_path: Path
) -> None:
    path = _import(store, tmp_path)
    verified = runner.invoke(app, ["audit", "verify", "--db", _url(store)])
    assert verified.exit_code == 0, verified.output
    assert "ok" in verified.output
    entries = list(reversed(audit.entries(store, "import")))
    assert [e.action for e in entries] == ["import.batch", "import.run"]
    for e in entries:
        assert e.actor == "cli:amal"
        assert e.after["file"] == str(path) and e.after["format"] == "ucdp"
        assert e.after["imported"] == 3
    assert entries[0].after["records"] == [1, 3]
    assert entries[1].after["rejected"] == 0
    # importing the same file again changes nothing: no batch entry, one run entry
    again = runner.invoke(
        app,
        ["import", "ucdp", str(path), "--db", _url(store)],
        env={"COLUMNS": "200", "CEASEWATCH_USER": "amal"},
    )
    assert again.exit_code == 0, again.output
    actions = [e.action for e in reversed(audit.entries(store, "import"))]
    assert actions == ["import.batch", "import.run", "import.run"]
    assert audit.verify(store).ok


def _import_into_stored_syria(engine: Engine, tmp_path: Path, *flags: str) -> None:
    from ceasewatch.agreement.sources import load_bundled
    from ceasewatch.store import repository

    repository.save_scenario(engine, load_bundled("syria-2016"), NOW)
    path = tmp_path / "ged.csv"
    path.write_text(to_csv(UCDP_COLUMNS, _rows()), encoding="utf-8")
    done = runner.invoke(
        app,
        ["import", "ucdp", str(path), "--db", _url(engine), *flags],
        env={"COLUMNS": "200", "CEASEWATCH_USER": "amal"},
    )
    assert done.exit_code == 0, done.output


def test_an_import_recomputes_the_stored_agreements_findings(store: Engine, tmp_path: Path) -> None:
    _import_into_stored_syria(store, tmp_path)
    _, token = users.add(store, "ana", "analyst", None, actor="cli:test", now=NOW)
    client = make_client(store)
    convoy = next(i for i in _ids(client, token) if i.endswith("301214"))
    found = _ids(client, token, agreement="coh-2016-02", verdict="violation")
    assert convoy in found, "the convoy attack is a violation of the February terms"
    entries = audit.entries(store, "agreement")
    assert {e.entity_id for e in entries if e.action == "findings.evaluate"} >= {
        "coh-2016-02",
        "sep-2016-arrangement",
    }
    assert all(e.actor == "cli:amal" for e in entries if e.action == "findings.evaluate")


def test_no_evaluate_leaves_the_findings_to_later(store: Engine, tmp_path: Path) -> None:
    _import_into_stored_syria(store, tmp_path, "--no-evaluate")
    _, token = users.add(store, "ana", "analyst", None, actor="cli:test", now=NOW)
    client = make_client(store)
    assert _ids(client, token, agreement="coh-2016-02", verdict="violation") == set()
