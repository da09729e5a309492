"""The real files of ../shared/data import whole, and again as a no-op; real UCDP events of
12-19 Sep 2016 fuse with the bundled scenario's hand-written records."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from ceasewatch.incidents import codec
from ceasewatch.ingest.pipeline import run_import
from ceasewatch.store import tables as t
from tests.conftest import shared_path
from tests.ingest.conftest import fixed_now

ACLED = "data/acled-format-syria-2020/acled_syria_2020-04-27_2020-05-09.csv"
UCDP = "data/ucdp-ged-syria/ged191_syria_20160101-20191130.csv"
ARCHIVE = "data/syrian-archive-violations/violations.csv"


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.slow
@pytest.mark.parametrize(
    "fmt, relative", [("acled", ACLED), ("ucdp", UCDP), ("syrian-archive", ARCHIVE)]
)
def test_real_files_import_whole_and_again_as_a_no_op(engine, ctx, tmp_path, fmt, relative) -> None:
    path = shared_path(relative)
    source = rows(path)
    first = run_import(
        engine, fmt, path, ctx, now=fixed_now, rejects=tmp_path / "r.csv", fuse_now=False
    )
    c = first.counts
    assert c.imported + c.skipped + c.rejected == len(source)
    assert c.imported > 0.9 * len(source)
    if fmt == "acled":  # the only skips: peaceful protests, outside incident.v1
        assert c.skipped == sum(r["sub_event_type"] == "Peaceful protest" for r in source)
    if c.rejected:
        assert first.rejects_path is not None
        with first.rejects_path.open(encoding="utf-8") as fh:
            rejected = [r for r in csv.DictReader(fh) if r["outcome"] == "rejected"]
        assert len({r["row"] for r in rejected}) == c.rejected
        if fmt == "syrian-archive":  # only records that cannot be placed
            assert all(source[int(r["row"]) - 1]["Latitude"] == "NA" for r in rejected)
    again = run_import(engine, fmt, path, ctx, now=fixed_now, rejects=tmp_path / "r2.csv")
    assert (again.counts.imported, again.counts.updated) == (0, 0)
    assert again.counts.unchanged == c.imported


@pytest.mark.slow
def test_ucdp_week_of_the_september_truce_fuses_with_the_scenario_records(
    engine, ctx, tmp_path, syria
) -> None:
    from ceasewatch import services

    source = rows(shared_path(UCDP))
    week = [r for r in source if "2016-09-12" <= r["date_start"] <= "2016-09-19"]
    path = tmp_path / "ged-week.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(source[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(week)
    bundled = [
        i
        for i in services.bundled_incidents(syria)
        if not i.id.startswith("ucdp-ged-")  # the hand-written records only
    ]
    mine = tmp_path / "scenario.json"
    mine.write_text(json.dumps([codec.to_json(i) for i in bundled]), encoding="utf-8")
    run_import(engine, "incidents", mine, ctx, now=fixed_now)
    got = run_import(engine, "ucdp", path, ctx, now=fixed_now)
    assert got.counts.imported == len(week)
    convoy = next(i for i in bundled if "urum-al-kubra" in i.id)
    with engine.connect() as conn:
        members = set(
            conn.execute(
                select(t.reports.c.id).where(t.reports.c.incident_id == convoy.id)
            ).scalars()
        )
        fused = codec.ADAPTER.validate_json(
            conn.execute(
                select(t.incidents.c.record_json).where(t.incidents.c.id == convoy.id)
            ).scalar_one()
        )
    assert convoy.id in members and "ucdp:301214" in members
    assert {"ucdp-ged:301214"} <= {s.document_id for s in fused.sources}
