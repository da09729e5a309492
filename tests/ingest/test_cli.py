"""``ceasewatch import`` and ``ceasewatch incidents show|split|fuse`` as users call them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ceasewatch import services
from ceasewatch.cli import app
from ceasewatch.incidents import codec
from tests.ingest.rows import UCDP_COLUMNS, many_ucdp_rows, to_csv, ucdp_row

runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "200"})


def test_import_prints_counts_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(to_csv(UCDP_COLUMNS, many_ucdp_rows(12, bad_every=5)), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cw.db'}"
    first = cli("import", "ucdp", str(path), "--db", db)
    assert first.exit_code == 0, first.output
    assert "9 imported" in first.output and "3 rejected" in first.output
    assert "ged.csv.rejects.csv" in first.output
    again = cli("import", "ucdp", str(path), "--db", db)
    assert again.exit_code == 0, again.output
    assert "0 imported" in again.output and "9 unchanged" in again.output


def test_db_comes_from_the_environment_by_default(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(to_csv(UCDP_COLUMNS, [ucdp_row()]), encoding="utf-8")
    monkeypatch.setenv("CEASEWATCH_DB", f"sqlite:///{tmp_path / 'env.db'}")
    done = runner.invoke(app, ["import", "ucdp", str(path)])
    assert done.exit_code == 0, done.output
    assert (tmp_path / "env.db").exists()


def test_a_file_the_importer_cannot_read_is_an_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(to_csv(UCDP_COLUMNS, [ucdp_row()], delimiter=";"), encoding="utf-8")
    done = cli("import", "ucdp", str(path), "--db", f"sqlite:///{tmp_path / 'cw.db'}")
    assert done.exit_code == 1
    assert "looks like ';'-separated" in done.output


def test_an_unknown_column_is_a_warning_naming_the_nearest_known_one(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    columns = ["Best" if c == "best" else c for c in UCDP_COLUMNS if c != "low"] + ["lowe"]
    row = {
        ("Best" if k == "best" else "lowe" if k == "low" else k): v for k, v in ucdp_row().items()
    }
    path.write_text(to_csv(columns, [row]), encoding="utf-8")
    done = cli("import", "ucdp", str(path), "--db", f"sqlite:///{tmp_path / 'cw.db'}")
    assert done.exit_code == 1  # best and low are required: nothing imported, both named
    assert "missing column(s) low, best" in done.output
    assert "'low' (the header has 'lowe')" in done.output
    columns = [c for c in UCDP_COLUMNS if c != "deaths_unknown"] + ["deaths_unkown"]
    row = {("deaths_unkown" if k == "deaths_unknown" else k): v for k, v in ucdp_row().items()}
    path.write_text(to_csv(columns, [row]), encoding="utf-8")
    done = cli("import", "ucdp", str(path), "--db", f"sqlite:///{tmp_path / 'cw.db'}")
    assert done.exit_code == 0, done.output
    assert "1 imported" in done.output
    assert "unknown column 'deaths_unkown' (did you mean 'deaths_unknown'?)" in done.output


def convoy_and_ucdp(tmp_path: Path, syria):
    """The scenario's Urum al-Kubra convoy record imported, and a UCDP file of the same
    event beside it (not yet imported): (the convoy, the UCDP file, the store URL)."""
    convoy = next(i for i in services.bundled_incidents(syria) if "urum-al-kubra" in i.id)
    mine = tmp_path / "mine.json"
    mine.write_text(json.dumps([codec.to_json(convoy)]), encoding="utf-8")
    ged = tmp_path / "ged.csv"
    ged.write_text(to_csv(UCDP_COLUMNS, [ucdp_row()]), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cw.db'}"
    assert cli("import", "incidents", str(mine), "--db", db).exit_code == 0
    return convoy, ged, db


def test_show_and_split_a_merged_incident(tmp_path: Path, syria) -> None:
    convoy, ged, db = convoy_and_ucdp(tmp_path, syria)
    merged = cli("import", "ucdp", str(ged), "--db", db)
    assert "1 merged" in merged.output, merged.output

    shown = cli("incidents", "show", "ucdp:301214", "--db", db)  # a report id finds its incident
    assert shown.exit_code == 0, shown.output
    assert f"Incident {convoy.id}: 2 report(s)" in shown.output
    assert "ucdp:301214" in shown.output and "Why:" in shown.output
    assert "[sy-gov]" in shown.output  # actor ids in brackets are text, not rich markup

    split = cli("incidents", "split", convoy.id, "--db", db)
    assert split.exit_code == 0, split.output
    assert "2 incidents" in split.output
    alone = cli("incidents", "show", "ucdp:301214", "--db", db)
    assert "Incident ucdp:301214: 1 report(s)" in alone.output, alone.output

    # the split holds when the file is imported again
    cli("import", "ucdp", str(ged), "--db", db)
    assert "1 report(s)" in cli("incidents", "show", "ucdp:301214", "--db", db).output
    nothing = cli("incidents", "split", "ucdp:301214", "--db", db)
    assert nothing.exit_code == 1 and "nothing to split" in nothing.output


def test_no_fuse_then_fuse(tmp_path: Path) -> None:
    path = tmp_path / "ged.csv"
    path.write_text(to_csv(UCDP_COLUMNS, many_ucdp_rows(8)), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'cw.db'}"
    loaded = cli("import", "ucdp", str(path), "--db", db, "--no-fuse")
    assert "8 reports in 0 incidents" in loaded.output, loaded.output
    fused = cli("incidents", "fuse", "--db", db)
    assert fused.exit_code == 0 and "Fused 8 reports" in fused.output
    assert "8 unchanged" in cli("import", "ucdp", str(path), "--db", db).output


def test_show_an_unknown_incident(tmp_path: Path) -> None:
    done = cli("incidents", "show", "nope", "--db", f"sqlite:///{tmp_path / 'cw.db'}")
    assert done.exit_code == 1 and "no incident or report 'nope'" in done.output


def test_a_changed_report_leaves_its_old_incident_whole(tmp_path: Path, syria) -> None:
    """Re-imported with a new date under --no-fuse, a report that was merged into another
    source's incident leaves it: the incident it was in no longer carries its claims, and
    every report points to the incident that holds it."""
    convoy, ged, db = convoy_and_ucdp(tmp_path, syria)
    assert "1 merged" in cli("import", "ucdp", str(ged), "--db", db).output
    moved = ucdp_row(date_start="2016-11-02", date_end="2016-11-02", source_date="2016-11-03")
    ged.write_text(to_csv(UCDP_COLUMNS, [moved]), encoding="utf-8")
    again = cli("import", "ucdp", str(ged), "--db", db, "--no-fuse")
    assert again.exit_code == 0 and "1 updated" in again.output, again.output
    assert cli("incidents", "fuse", "--db", db).exit_code == 0

    from ceasewatch.store import db as store_db
    from ceasewatch.store import tables as t

    engine = store_db.open_store(db)
    with engine.connect() as conn:
        held = {
            row.id: {s["report"] for s in json.loads(row.record_json).get("provenance", [])}
            | {c.get("report") for c in json.loads(row.record_json).get("claims", [])}
            for row in conn.execute(t.incidents.select())
        }
        links = dict(
            conn.execute(
                t.reports.select().with_only_columns(t.reports.c.id, t.reports.c.incident_id)
            ).all()
        )
    engine.dispose()
    assert "1 report(s)" in cli("incidents", "show", convoy.id, "--db", db).output
    assert "1 report(s)" in cli("incidents", "show", "ucdp:301214", "--db", db).output
    shown = cli("incidents", "show", convoy.id, "--db", db).output
    assert "ucdp:301214" not in shown, shown
    assert links["ucdp:301214"] != links[convoy.id] and set(links.values()) <= set(held)


def test_a_bulk_load_writes_in_a_second_process_by_default_given_a_second_cpu(
    monkeypatch,
) -> None:
    import os

    from ceasewatch.cli.ingest import _write_behind

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert _write_behind(False, None, False, None) == "process"  # --no-fuse
    assert _write_behind(False, None, True, None) is False  # fused as it comes in
    assert _write_behind(False, None, False, 1) is False  # mapping workers instead
    assert _write_behind(False, False, False, None) is False  # --no-writer-process
    assert _write_behind(True, None, False, None) == "thread"
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert _write_behind(False, None, False, None) is False
    assert _write_behind(False, True, True, None) == "process"
