"""`ceasewatch delineation` as a user meets it: named local users, audited like the API."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from ceasewatch.cli import app
from ceasewatch.store import audit, db
from tests.delineation.fixtures import EXAMPLES, REPLACES, SUBJECT
from tests.server.conftest import World

runner = CliRunner(env={"COLUMNS": "200"})
A = "sep-2016-arrangement"


def _propose(url: str, who: str, name: str, *extra: str) -> object:
    args = ["delineation", "propose", A, str(EXAMPLES / f"marbled-{name}.geojson")]
    args += ["--subject", SUBJECT, "--zone-type", "marbled", "--replaces", REPLACES[0]]
    return runner.invoke(app, [*args, *extra, "--as", who, "--db", url])


def test_propose_diff_approve_list_show_from_the_shell(syria: World, tmp_path: Path) -> None:
    url = syria.engine.url.render_as_string(hide_password=False)
    r = _propose(url, "usl", "us")
    assert r.exit_code == 0, r.output
    assert "Proposed v1" in r.output and "waiting for ru" in r.output
    r = _propose(url, "rul", "ru", "--answers", "1")
    assert r.exit_code == 0, r.output
    assert "Disputed: sw-aleppo-marbled" in r.output
    out = tmp_path / "diff.geojson"
    r = runner.invoke(app, ["delineation", "diff", A, "2", "--geojson", str(out), "--db", url])
    assert r.exit_code == 0 and "v2 vs v1" in r.output and "km² disputed" in r.output
    assert '"FeatureCollection"' in out.read_text()
    # a name that is no user of the store acts as an administrator: it may not sign
    r = runner.invoke(app, ["delineation", "approve", A, "2", "--as", "someone", "--db", url])
    assert r.exit_code == 1 and "not a user with role 'admin'" in r.output.replace("\n", " ")
    r = runner.invoke(app, ["delineation", "approve", A, "1", "--as", "rul", "--db", url])
    assert r.exit_code == 1 and "stale" in r.output
    r = runner.invoke(app, ["delineation", "approve", A, "2", "--as", "usl", "--db", url])
    assert r.exit_code == 0, r.output
    assert "v2 is now active" in r.output
    assert "test-1070-strike" in r.output and "undetermined" in r.output
    r = runner.invoke(app, ["delineation", "list", A, "--db", url])
    assert r.exit_code == 0 and "superseded" not in r.output and "active" in r.output
    r = runner.invoke(app, ["delineation", "show", A, "2", "--db", url])
    assert r.exit_code == 0 and "delineation.activate" in r.output
    entries = [e for e in audit.entries(syria.engine, "delineation") if e.actor.startswith("cli:")]
    assert {e.actor for e in entries} == {"cli:usl", "cli:rul"}
    assert audit.verify(syria.engine).ok


def test_a_bad_geojson_file_is_a_clear_error(syria: World, tmp_path: Path) -> None:
    url = syria.engine.url.render_as_string(hide_password=False)
    bad = tmp_path / "bad.geojson"
    bad.write_text("{not json", encoding="utf-8")
    r = runner.invoke(
        app,
        [
            "delineation",
            "propose",
            A,
            str(bad),
            "--subject",
            "s",
            "--zone-type",
            "marbled",
            "--as",
            "usl",
            "--db",
            url,
        ],
    )
    assert r.exit_code == 1 and "cannot read it as GeoJSON" in r.output
    engine = db.connect(url)
    assert audit.entries(engine, "delineation") == []
    engine.dispose()
