"""kill -9 in the middle of an import, then the same import again: the store ends exactly
as after one uninterrupted run — the same reports, incidents and rejects, no duplicates."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select

from ceasewatch.store import tables as t
from tests.ingest.rows import UCDP_COLUMNS, many_ucdp_rows, to_csv

ROOT = Path(__file__).resolve().parents[2]
N = 3_000
BATCH = 150


def _import(db: Path, path: Path, *options: str, batch: int = BATCH) -> subprocess.Popen[str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT / "src"), env.get("PYTHONPATH")) if p)
    code = "import sys; from ceasewatch.cli import main; sys.argv[0] = 'ceasewatch'; main()"
    return subprocess.Popen(
        [sys.executable, "-c", code, "import", "ucdp", str(path), "--db", f"sqlite:///{db}",
         "--batch", str(batch), *options],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def _records_done(db: Path) -> int:
    if not db.exists():
        return 0
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(t.imports.c.records_done)).scalar() or 0)
    except Exception:  # the schema may not be there yet
        return 0
    finally:
        engine.dispose()


def _state(db: Path) -> tuple[list[tuple[str, str, str | None]], list[tuple[str, str]], int]:
    engine = create_engine(f"sqlite:///{db}")
    try:
        with engine.connect() as conn:
            reports = conn.execute(
                select(t.reports.c.id, t.reports.c.content_hash, t.reports.c.incident_id).order_by(
                    t.reports.c.id
                )
            ).all()
            incidents = conn.execute(
                select(t.incidents.c.id, t.incidents.c.record_json).order_by(t.incidents.c.id)
            ).all()
            runs = len(conn.execute(select(t.imports.c.id)).all())
    finally:
        engine.dispose()
    return [tuple(r) for r in reports], [tuple(i) for i in incidents], runs


@pytest.mark.slow
@pytest.mark.parametrize(
    "options",
    [
        ("--workers", "0"),
        ("--workers", "1"),
        ("--workers", "0", "--writer-thread"),
        ("--workers", "0", "--writer-process"),
        ("--workers", "0", "--no-fuse", "--writer-process"),  # a bulk load
    ],
    ids=["one process", "a mapping worker", "a writer thread", "a writer process", "bulk"],
)
def test_an_import_killed_with_sigkill_and_run_again_loses_and_repeats_nothing(
    tmp_path: Path, options: tuple[str, ...]
) -> None:
    # a bulk load (no fusion) is fast: smaller batches, so that it is caught in the middle
    bulk = "--no-fuse" in options
    batch = 10 if bulk else BATCH
    rows = many_ucdp_rows(N, bad_every=97)
    path = tmp_path / "ged.csv"
    path.write_text(to_csv(UCDP_COLUMNS, rows), encoding="utf-8")
    rejects = tmp_path / "ged.csv.rejects.csv"

    # the reference: one uninterrupted run into its own store
    clean_db = tmp_path / "clean.db"
    done = _import(clean_db, path, "--workers", "0", *(("--no-fuse",) if bulk else ()))
    _, err = done.communicate(timeout=300)
    assert done.returncode == 0, err
    clean_rejects = rejects.read_text(encoding="utf-8")
    rejects.unlink()

    db = tmp_path / "killed.db"
    proc = _import(db, path, *options, batch=batch)
    deadline = time.monotonic() + 120
    while _records_done(db) < 3 * batch:
        assert proc.poll() is None, "the import finished before it could be killed"
        assert time.monotonic() < deadline, "the import made no progress"
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)  # its worker dies with it and lets go of the pipes
    killed_at = _records_done(db)
    assert 0 < killed_at < N, killed_at

    again = _import(db, path, *options, batch=batch)
    out, err = again.communicate(timeout=300)
    assert again.returncode == 0, err
    assert "Resumed import" in out

    reports, incidents, runs = _state(db)
    clean_reports, clean_incidents, _ = _state(clean_db)
    expected = {f"ucdp:{r['id']}" for k, r in enumerate(rows) if k % 97}
    assert {r[0] for r in reports} == expected
    assert len(reports) == len(expected)  # no duplicates, nothing lost
    assert reports == clean_reports  # same content, same incidents
    assert incidents == clean_incidents
    assert runs == 1  # the run was resumed, not started over
    assert rejects.read_text(encoding="utf-8") == clean_rejects
