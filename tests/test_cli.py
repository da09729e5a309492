"""The ``ceasewatch`` command as a user meets it (typer's runner, real SQLite files)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from ceasewatch import schemas
from ceasewatch.cli import app
from ceasewatch.incidents.codec import CSV_COLUMNS

runner = CliRunner()


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    result = runner.invoke(app, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_demo_writes_every_output_and_prints_the_summary(demo_dir: Path) -> None:
    for name in (
        "ceasewatch.db",
        "findings.json",
        "incidents.json",
        "timeline.csv",
        "phases.json",
        "report.html",
    ):
        assert (demo_dir / name).stat().st_size > 0, name
    result = runner.invoke(app, ["demo", "--out", str(demo_dir)])  # a re-run replaces
    assert result.exit_code == 0
    # one table per agreement, so no agreement's violations are hidden below a cut-off
    flat = " ".join(result.output.split())
    assert "coh-2016-02: violations by party and zone" in flat
    assert "sep-2016-arrangement: violations by party and zone" in flat
    assert "Most serious violations" in result.output
    assert f"--db sqlite:///{(demo_dir / 'ceasewatch.db').resolve()}" in result.output.replace(
        "\n", ""
    )


def test_demo_outputs_validate_against_the_schemas(demo_dir: Path) -> None:
    finding_schema = jsonschema.Draft202012Validator(schemas.load("finding.v1"))
    incident_schema = jsonschema.Draft202012Validator(schemas.load("incident.v1"))
    findings = json.loads((demo_dir / "findings.json").read_text(encoding="utf-8"))
    incidents = json.loads((demo_dir / "incidents.json").read_text(encoding="utf-8"))
    assert findings and incidents
    for f in findings:
        finding_schema.validate(f)
    for i in incidents:
        incident_schema.validate(i)
    phases = json.loads((demo_dir / "phases.json").read_text(encoding="utf-8"))
    gate = next(p for p in phases["phases"] if p["phase_id"] == "reduced-violence")["gate"]
    assert gate["status"] == "not_met"
    with (demo_dir / "timeline.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and set(rows[0]) == {
        "date",
        "agreement_id",
        "zone",
        "party",
        "period",
        "violations",
        "undetermined",
    }


def test_report_is_self_contained(demo_dir: Path) -> None:
    html = (demo_dir / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "Phases and gates" in html
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "<script src" not in html and "<link" not in html


def test_report_text_colours_are_readable(demo_dir: Path) -> None:
    """Statuses, verdict counts and muted text keep WCAG AA contrast (4.5:1) on white."""
    from tests.contrast import text_colours, unreadable_on_white

    found = text_colours((demo_dir / "report.html").read_text(encoding="utf-8"))
    assert len(found) >= 5  # body, muted, statuses, the verdicts' figures
    assert unreadable_on_white(found) == {}


def test_evaluate_a_stored_agreement_by_id(demo_dir: Path) -> None:
    db = f"sqlite:///{demo_dir / 'ceasewatch.db'}"
    result = runner.invoke(
        app,
        [
            "evaluate",
            "--agreement",
            "coh-2016-02",
            "--db",
            db,
            "--incidents",
            str(demo_dir / "incidents.json"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    findings = json.loads(result.stdout)
    assert {f["agreement_id"] for f in findings} == {"coh-2016-02"}


def _csv(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
        w.writeheader()
        for row in rows:
            w.writerow({k: row.get(k, "") for k in CSV_COLUMNS})


GOOD = {
    "id": "a1",
    "event_type": "Explosions/Remote violence",
    "sub_event_type": "Air/drone strike",
    "method": "airstrike",
    "start": "2016-09-14",
    "lat": "36.1873",
    "lon": "37.1355",
    "location_precision": "exact",
    "country": "SY",
    "perpetrator_actor": "sy-gov",
    "attribution": "reported",
    "target_actor": "civilians",
    "status": "published",
}


def test_a_bad_row_is_reported_and_the_rest_evaluated(tmp_path: Path) -> None:
    f = tmp_path / "incidents.csv"
    _csv(
        f,
        [
            GOOD,
            {**GOOD, "id": "a2", "lat": "200"},
            {**GOOD, "id": "a3", "start": "2016-09-15", "end": "2016-09-13"},
        ],
    )
    result = runner.invoke(
        app, ["evaluate", "--agreement", "syria-2016", "--incidents", str(f), "--format", "json"]
    )
    assert result.exit_code == 1
    assert f"{f}:3: lat: 200 is outside -90..90" in result.stderr  # CSV: named by column
    assert f"{f}:4: end: 2016-09-13 is before start" in result.stderr
    findings = json.loads(result.stdout)
    assert {x["incident_id"] for x in findings} == {"a1"}
    no_fly = next(x for x in findings if x["rule_id"] == "no-fly")
    assert no_fly["verdict"] == "violation"  # al-Ansari, 14 Sep, Syrian aircraft reported


def test_evaluate_table_from_a_spec_path(tmp_path: Path) -> None:
    f = tmp_path / "one.json"
    f.write_text(
        json.dumps(
            [
                {
                    "id": "b1",
                    "event_type": "Battles",
                    "sub_event_type": "Armed clash",
                    "occurred": {"start": "2016-09-14", "end": "2016-09-14"},
                    "location": {"lat": 36.2, "lon": 37.1, "precision": "town", "country": "SY"},
                    "perpetrator": {"actor": "sy-gov", "attribution": "reported"},
                    "target": {"actor": "isis"},
                }
            ]
        ),
        encoding="utf-8",
    )
    spec = Path(__file__).parents[1] / "src/ceasewatch/agreement/scenarios/syria-2016"
    result = runner.invoke(
        app, ["evaluate", "-a", str(spec), "-i", str(f), "--as-of", "2016-09-20"]
    )
    assert result.exit_code == 0, result.output
    assert "exempt" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["evaluate", "-a", "syria-2061", "-i", "x.json"], "did you mean 'syria-2016'"),
        (["evaluate", "-a", "syria-2016", "-i", "missing.json"], "no such incident file"),
        (["scenario", "export", "nope", "/tmp/never"], "no bundled scenario 'nope'"),
    ],
)
def test_bad_requests_exit_1_with_a_clear_message(
    tmp_path: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 1
    assert message in result.stderr.replace("\n", " ")


def test_unusable_paths_and_urls_get_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("x", encoding="utf-8")
    incidents = tmp_path / "i.csv"
    _csv(incidents, [GOOD])
    cases = [
        (["db", "upgrade", "--db", "foo://bar"], "unknown database kind 'foo'"),
        (["db", "upgrade", "--db", "postgresql+pg8000://u@localhost/x"], "needs the Python driver"),
        (["demo", "--out", str(a_file)], "is a file"),
        (["evaluate", "-a", "syria-2016", "-i", str(incidents), "--out", str(a_file)], "is a file"),
        (["evaluate", "-a", "syria-2016", "-i", str(tmp_path)], "is a folder"),
        (["scenario", "export", "syria-2016", str(a_file)], "is a file"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 1, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), args
        assert message in " ".join(result.stderr.split()), (args, result.stderr)


def test_evaluate_never_creates_a_store(tmp_path: Path) -> None:
    incidents = tmp_path / "i.csv"
    _csv(incidents, [GOOD])
    new_db = tmp_path / "new.db"
    result = runner.invoke(
        app, ["evaluate", "-a", "no-such-id", "-i", str(incidents), "--db", f"sqlite:///{new_db}"]
    )
    assert result.exit_code == 1 and "neither a path" in " ".join(result.stderr.split())
    assert not new_db.exists()


def test_naive_as_of_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "i.csv"
    _csv(f, [GOOD])
    result = runner.invoke(
        app, ["evaluate", "-a", "syria-2016", "-i", str(f), "--as-of", "2016-09-20T10:00"]
    )
    assert result.exit_code == 1 and "no UTC offset" in result.stderr


def test_check_passes_the_bundled_scenario_and_fails_a_broken_one(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["check", "src/ceasewatch/agreement/scenarios/syria-2016"])
    assert ok.exit_code == 0 and "ok" in ok.output
    target = tmp_path / "mine"
    exported = runner.invoke(app, ["scenario", "export", "syria-2016", str(target)])
    assert exported.exit_code == 0
    spec = target / "sep-2016-arrangement.yaml"
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("route: castello-road", "route: castelo"),
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["check", str(target)])
    assert bad.exit_code == 1
    assert "sep-2016-arrangement.yaml:" in bad.stdout and "unknown route 'castelo'" in bad.stdout


def test_scenario_list_names_the_bundled_scenario() -> None:
    result = runner.invoke(app, ["scenario", "list"])
    assert result.exit_code == 0 and "syria-2016" in result.output


def test_db_upgrade_uses_the_environment_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    monkeypatch.setenv("CEASEWATCH_DB", url)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists() and "incidents" in result.output


def test_check_names_every_problem_of_the_access_file(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    assert runner.invoke(app, ["scenario", "export", "syria-2016", str(target)]).exit_code == 0
    access = target / "access.json"
    doc = json.loads(access.read_text(encoding="utf-8"))
    doc["convoys"][0]["route"] = "castelo-road"
    doc["constraints"][0]["start"] = "2016-09-13T07:00"
    access.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    bad = runner.invoke(app, ["check", str(target)])
    assert bad.exit_code == 1
    lines = [line for line in bad.stdout.splitlines() if line.startswith("access.json: ")]
    assert len(lines) == 2, bad.stdout
    assert "convoys[0]" in lines[0] and "unknown route 'castelo-road'" in lines[0]
    assert "constraints[0]" in lines[1] and "no UTC offset" in lines[1]
    access.unlink()
    gone = runner.invoke(app, ["check", str(target)])
    assert gone.exit_code == 1
    assert "scenario.yaml:" in gone.stdout and "'access.json' not found" in gone.stdout


def test_evaluate_a_scenario_judges_its_access_file_too(tmp_path: Path) -> None:
    incidents = tmp_path / "incidents.json"
    demo = runner.invoke(app, ["demo", "--out", str(tmp_path / "demo")])
    assert demo.exit_code == 0, demo.output
    incidents.write_bytes((tmp_path / "demo" / "incidents.json").read_bytes())
    target = tmp_path / "mine"
    assert runner.invoke(app, ["scenario", "export", "syria-2016", str(target)]).exit_code == 0
    args = ["evaluate", "--agreement", str(target), "--incidents", str(incidents), "--out"]
    with_access = runner.invoke(app, [*args, str(tmp_path / "a")])
    assert with_access.exit_code == 0, with_access.output
    phases = (tmp_path / "a" / "phases.json").read_text(encoding="utf-8")
    assert "convoy un-aleppo-east-castello waiting" in phases
    (target / "scenario.yaml").write_text(
        (target / "scenario.yaml").read_text(encoding="utf-8").replace("access: access.json", ""),
        encoding="utf-8",
    )
    without = runner.invoke(app, [*args, str(tmp_path / "b")])
    assert without.exit_code == 0, without.output
    assert "convoy un-aleppo-east-castello" not in (tmp_path / "b" / "phases.json").read_text(
        encoding="utf-8"
    )


def test_db_takes_a_plain_file_path(tmp_path: Path) -> None:
    from tests.ingest.rows import UCDP_COLUMNS, to_csv, ucdp_row

    ged = tmp_path / "ged.csv"
    ged.write_text(to_csv(UCDP_COLUMNS, [ucdp_row()]), encoding="utf-8")
    store = tmp_path / "monitors.db"
    done = runner.invoke(app, ["import", "ucdp", str(ged), "--db", str(store)])
    assert done.exit_code == 0, done.output
    assert store.is_file() and f"sqlite:///{store}" in done.output


def test_an_error_a_command_lets_through_is_still_one_clear_line(monkeypatch, capsys) -> None:
    from ceasewatch.cli import main

    monkeypatch.setattr("sys.argv", ["ceasewatch", "incidents", "show", "X", "--db", "nodb://x"])
    with pytest.raises(SystemExit) as stopped:
        main()
    assert stopped.value.code == 1
    said = capsys.readouterr().err
    assert "unknown database kind 'nodb'" in said and "Traceback" not in said
