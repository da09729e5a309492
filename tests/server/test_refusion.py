"""Fusion run again over incidents a monitor has touched (docs/fusion.md, "Fusion and the
monitors' edits"): a new report of the same event, imported by `ceasewatch import` or
fused by `ceasewatch incidents fuse`, keeps what the monitor did — the edited fields, the
review's status, the id — raises the version and is audited; an override of a finding
lapses only when fusion changes what the finding judges. Real CLI, real API, both
engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from ceasewatch.cli import app
from ceasewatch.store import audit, users
from tests.ingest.rows import UCDP_COLUMNS, to_csv, ucdp_row
from tests.server.conftest import NOW, make_client

P = "/api/v1"
runner = CliRunner()
CONVOY = "ucdp:301214"  # the Urum al-Kubra convoy, as UCDP GED records it (tests/ingest/rows)
MONITOR = "mon-convoy-1"


def _cli(engine: Engine, *args: str) -> str:
    done = runner.invoke(
        app,
        [*args, "--db", engine.url.render_as_string(hide_password=False)],
        env={"COLUMNS": "200", "CEASEWATCH_USER": "amal"},
    )
    assert done.exit_code == 0, done.output
    return done.output


def _import_ucdp(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(to_csv(UCDP_COLUMNS, [ucdp_row()]), encoding="utf-8")
    _cli(engine, "import", "ucdp", str(path))


def monitor_report(report_id: str = MONITOR, **changes: Any) -> dict[str, Any]:
    """A monitor's own report of the convoy strike (our words; UCDP's facts)."""
    record: dict[str, Any] = {
        "id": report_id,
        "event_type": "Explosions/Remote violence",
        "sub_event_type": "Air/drone strike",
        "occurred": {"start": "2016-09-19", "end": "2016-09-19"},
        "location": {"lat": 36.146, "lon": 36.942, "precision": "town", "name": "Urum al-Kubra"},
        "status": "proposed",
        "method": ["airstrike"],
        "perpetrator": {"text": "Syrian government", "actor": "sy-gov", "attribution": "reported"},
        "fatalities": {"low": 20, "best": 20, "high": 20},
        "sources": [
            {"document_id": f"note-{report_id}", "publisher": "Field team", "attributed_to": "SOHR"}
        ],
    }
    record.update(changes)
    return record


def _import_reports(
    engine: Engine, tmp_path: Path, records: list[dict[str, Any]], *flags: str, how: str = "import"
) -> str:
    path = tmp_path / f"reports-{records[0]['id']}-{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(records), encoding="utf-8")
    if how == "fuse":
        _cli(engine, "import", "incidents", str(path), "--no-fuse", *flags)
        return _cli(engine, "incidents", "fuse")
    return _cli(engine, "import", "incidents", str(path), *flags)


class Monitor:
    def __init__(self, engine: Engine) -> None:
        _, token = users.add(engine, "mo", "monitor", None, actor="cli:test", now=NOW)
        self.client: TestClient = make_client(engine)
        self.h = {"Authorization": f"Bearer {token}"}

    def get(self, incident_id: str) -> dict[str, Any]:
        r = self.client.get(f"{P}/incidents/{incident_id}", headers=self.h)
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    def patch(self, incident_id: str, version: int, changes: dict[str, Any]) -> dict[str, Any]:
        r = self.client.patch(
            f"{P}/incidents/{incident_id}",
            headers=self.h,
            json={
                "reason": "the field team counted the injured",
                "version": version,
                "changes": changes,
            },
        )
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    def review(self, incident_id: str, verdict: str, version: int) -> dict[str, Any]:
        r = self.client.post(
            f"{P}/incidents/{incident_id}/{verdict}",
            headers=self.h,
            json={"reason": f"{verdict} after review", "version": version},
        )
        assert r.status_code == 200, r.text
        out: dict[str, Any] = r.json()
        return out

    def history(self, incident_id: str) -> list[dict[str, Any]]:
        r = self.client.get(f"{P}/incidents/{incident_id}/history", headers=self.h)
        assert r.status_code == 200, r.text
        out: list[dict[str, Any]] = r.json()
        return out

    def findings(self, incident_id: str) -> list[dict[str, Any]]:
        r = self.client.get(f"{P}/findings", headers=self.h, params={"incident_id": incident_id})
        assert r.status_code == 200, r.text
        out: list[dict[str, Any]] = r.json()
        return out


INJURED = {"low": 40, "best": 40, "high": None}


@pytest.mark.parametrize("how", ["import", "fuse"])
def test_a_monitors_edit_survives_a_new_report_of_the_same_event(
    store: Engine, tmp_path: Path, how: str
) -> None:
    _import_ucdp(store, tmp_path)
    mo = Monitor(store)
    assert mo.get(CONVOY)["version"] == 1
    edited = mo.patch(CONVOY, 1, {"injured": {"low": 40, "best": 40}})
    assert edited["version"] == 2
    _import_reports(store, tmp_path, [monitor_report()], how=how)
    now = mo.get(CONVOY)
    inc = now["incident"]
    assert inc["injured"] == INJURED, "the monitor's edit is kept"
    assert {s["document_id"] for s in inc["sources"]} >= {"note-mon-convoy-1"}
    assert inc["fatalities"]["low"] == 20, "fusion's own change is applied"
    assert now["version"] == 3, "fusion's change raises the version"
    assert now["updated_at"] and now["updated_at"] != edited["updated_at"]
    # the fusion is in the incident's history, with who and why
    newest = mo.history(CONVOY)[0]
    assert newest["action"] == "incident.fuse"
    assert newest["actor"] == "cli:amal"
    assert (newest["before"]["version"], newest["after"]["version"]) == (2, 3)
    assert "mon-convoy-1 and ucdp:301214" in newest["reason"]
    assert "injured" in newest["reason"], "the kept edit is named"
    # an edit made against the version before fusion is stale
    r = mo.client.patch(
        f"{P}/incidents/{CONVOY}",
        headers=mo.h,
        json={"reason": "x", "version": 2, "changes": {"injured": None}},
    )
    assert r.status_code == 409 and r.json()["current"]["version"] == 3
    assert audit.verify(store).ok


def test_a_rejected_incident_stays_rejected_until_a_monitor_reopens_it(
    store: Engine, tmp_path: Path
) -> None:
    _import_ucdp(store, tmp_path)
    mo = Monitor(store)
    assert mo.review(CONVOY, "reject", 1)["status"] == "rejected"
    # a published report of the same event would make the fused incident published
    _import_reports(store, tmp_path, [monitor_report()], "--status", "published")
    now = mo.get(CONVOY)
    assert (now["status"], now["incident"]["status"]) == ("rejected", "rejected")
    assert now["version"] == 3
    assert mo.findings(CONVOY) == [], "a rejected incident is no evidence"
    # a monitor reopens it by publishing; a later report does not undo that
    assert mo.review(CONVOY, "publish", 3)["status"] == "published"
    _import_reports(store, tmp_path, [monitor_report("mon-convoy-2")], "--status", "rejected")
    now = mo.get(CONVOY)
    assert now["status"] == "published" and now["version"] == 5
    assert len(now["incident"]["sources"]) == 3


def test_a_published_incident_stays_published_when_a_proposed_report_joins_it(
    store: Engine, tmp_path: Path
) -> None:
    _import_reports(store, tmp_path, [monitor_report()])
    mo = Monitor(store)
    assert mo.get(MONITOR)["status"] == "proposed"
    mo.review(MONITOR, "publish", 1)
    _import_reports(store, tmp_path, [monitor_report("mon-convoy-2")])
    now = mo.get(MONITOR)
    assert now["status"] == "published" and now["version"] == 3
    assert len(now["incident"]["sources"]) == 2


def test_an_edited_incident_keeps_its_id_when_fusion_joins_it_with_another(
    store: Engine, tmp_path: Path
) -> None:
    _import_ucdp(store, tmp_path)
    # the field team first dated it four days late: another incident
    _import_reports(
        store, tmp_path, [monitor_report(occurred={"start": "2016-09-23", "end": "2016-09-23"})]
    )
    mo = Monitor(store)
    assert mo.get(MONITOR)["incident"]["id"] == MONITOR
    mo.patch(MONITOR, 1, {"injured": {"low": 40, "best": 40}})
    attached = mo.client.post(
        f"{P}/incidents/{CONVOY}/evidence",
        headers=mo.h,
        files={"file": ("photo.txt", b"a photograph of the convoy", "text/plain")},
    )
    assert attached.status_code == 201, attached.text
    # its corrected report (same id, the right day) joins the UCDP event, whose report
    # came first: the edited incident keeps its id, the other id leads to it
    _import_reports(store, tmp_path, [monitor_report()])
    now = mo.get(MONITOR)
    assert now["incident"]["id"] == MONITOR
    assert now["incident"]["injured"] == INJURED
    assert len(now["incident"]["sources"]) == 2
    assert now["version"] == 3
    moved = mo.get(CONVOY)
    assert moved["incident"]["id"] == MONITOR, "the retired id resolves to the incident"
    merged = mo.history(CONVOY)[0]
    assert merged["action"] == "incident.merge"
    assert merged["after"]["merged_into"] == MONITOR
    assert merged["actor"] == "cli:amal"
    assert merged["after"]["evidence_moved"] == 1
    listed = mo.client.get(f"{P}/incidents/{MONITOR}/evidence", headers=mo.h).json()
    assert [e["id"] for e in listed] == [attached.json()["id"]], "evidence follows its reports"
    stale = mo.client.patch(
        f"{P}/incidents/{CONVOY}",
        headers=mo.h,
        json={"reason": "x", "version": 1, "changes": {"injured": None}},
    )
    assert stale.status_code == 404 and MONITOR in stale.json()["error"]
    assert f"Incident {MONITOR}" in _cli(store, "incidents", "show", CONVOY)
    assert audit.verify(store).ok


def test_split_keeps_the_edits_with_the_incident(store: Engine, tmp_path: Path) -> None:
    _import_ucdp(store, tmp_path)
    _import_reports(store, tmp_path, [monitor_report()])
    mo = Monitor(store)
    before = mo.get(CONVOY)
    assert len(before["incident"]["sources"]) == 2
    mo.patch(CONVOY, before["version"], {"injured": {"low": 40, "best": 40}})
    _cli(store, "incidents", "split", CONVOY, "--report", MONITOR)
    kept = mo.get(CONVOY)
    assert kept["incident"]["injured"] == INJURED
    assert len(kept["incident"]["sources"]) == 1
    assert kept["version"] == before["version"] + 2
    apart = mo.get(MONITOR)
    assert apart["incident"]["id"] == MONITOR
    assert apart["incident"].get("injured") is None, "the edit stays with the incident edited"
    assert apart["version"] == 1
    assert mo.history(CONVOY)[0]["action"] in ("incidents.split", "incident.fuse")
    assert audit.verify(store).ok


def _convoy_violation(mo: Monitor) -> dict[str, Any]:
    return next(
        f
        for f in mo.findings(CONVOY)
        if f["machine_verdict"] == "violation" and f["finding"]["agreement_id"] == "coh-2016-02"
    )


def test_an_override_stands_unless_fusion_changes_what_the_finding_judges(
    store: Engine, tmp_path: Path
) -> None:
    from ceasewatch.agreement.sources import load_bundled
    from ceasewatch.store import repository

    repository.save_scenario(store, load_bundled("syria-2016"), NOW)
    _import_ucdp(store, tmp_path)
    mo = Monitor(store)
    f = _convoy_violation(mo)
    r = mo.client.post(
        f"{P}/findings/{f['finding']['id']}/override",
        headers=mo.h,
        json={"verdict": "undetermined", "reason": "the attribution is disputed"},
    )
    assert r.status_code == 200, r.text
    # a report that adds a source and a toll, nothing the rules read: it stands
    _import_reports(store, tmp_path, [monitor_report()])
    held = _convoy_violation(mo)
    assert held["override"] is not None and held["verdict"] == "undetermined"
    assert mo.get(CONVOY)["version"] == 2
    # three more independent origins confirm it: the grade, which findings carry, changes
    wire = monitor_report(
        "wire-convoy-1",
        sources=[
            {"document_id": "wire-1", "publisher": "Wire A", "attributed_to": "Witness One"},
            {"document_id": "wire-2", "publisher": "Wire B", "attributed_to": "Witness Two"},
        ],
    )
    _import_reports(store, tmp_path, [wire])
    after = mo.get(CONVOY)
    assert after["incident"]["confidence"] != "fair"
    lapsed = _convoy_violation(mo)
    assert lapsed["override"] is None and lapsed["verdict"] == "violation"
    why = lapsed["overrides"][0]["lapsed_why"]
    assert "fusion" in why and "confidence" in why
    assert audit.verify(store).ok
