"""Import runs against a real SQLite store: idempotence, rejects, bad input, resume,
fusion of reports into incidents."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from ceasewatch import services
from ceasewatch.errors import CeasewatchError
from ceasewatch.incidents import codec
from ceasewatch.ingest.pipeline import fuse_pending, fusion_settings, run_import
from ceasewatch.ingest.reader import FileProblem
from ceasewatch.store import tables as t
from tests.ingest.conftest import fixed_now
from tests.ingest.rows import (
    ACLED_COLUMNS,
    UCDP_COLUMNS,
    acled_row,
    gdelt_row,
    many_ucdp_rows,
    to_csv,
    to_tsv_rows,
    ucdp_row,
)


def run(engine, fmt: str, path: Path, ctx, **kw):
    return run_import(engine, fmt, path, ctx, now=fixed_now, **kw)


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def report_ids(engine) -> set[str]:
    with engine.connect() as conn:
        return {r[0] for r in conn.execute(select(t.reports.c.id))}


# ---------------------------------------------------------------------------- safe imports
def test_reimporting_the_same_file_changes_nothing(engine, ctx, tmp_path) -> None:
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, many_ucdp_rows(40)))
    first = run(engine, "ucdp", path, ctx)
    assert (first.counts.imported, first.counts.unchanged) == (40, 0)
    with engine.connect() as conn:
        before = sorted(conn.execute(select(t.reports.c.id, t.reports.c.content_hash)).all())
        incidents_before = sorted(conn.execute(select(t.incidents)).all())
    again = run(engine, "ucdp", path, ctx)
    assert (again.counts.imported, again.counts.updated, again.counts.unchanged) == (0, 0, 40)
    assert again.import_id != first.import_id  # a new run, finished
    with engine.connect() as conn:
        assert (
            sorted(conn.execute(select(t.reports.c.id, t.reports.c.content_hash)).all()) == before
        )
        assert sorted(conn.execute(select(t.incidents)).all()) == incidents_before


def test_a_changed_record_is_updated_in_place(engine, ctx, tmp_path) -> None:
    rows = many_ucdp_rows(10)
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, rows))
    run(engine, "ucdp", path, ctx)
    rows[3] = {**rows[3], "best": "4", "high": "9"}
    write(path, to_csv(UCDP_COLUMNS, rows))
    again = run(engine, "ucdp", path, ctx)
    assert (again.counts.imported, again.counts.updated, again.counts.unchanged) == (0, 1, 9)
    with engine.connect() as conn:
        record = conn.execute(
            select(t.reports.c.record_json).where(t.reports.c.id == f"ucdp:{rows[3]['id']}")
        ).scalar_one()
    assert json.loads(record)["fatalities"]["best"] == 4


def test_ids_come_from_the_source_and_raw_rows_are_kept(engine, ctx, tmp_path) -> None:
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, [ucdp_row()]))
    run(engine, "ucdp", path, ctx)
    with engine.connect() as conn:
        row = conn.execute(select(t.reports)).one()
        header = conn.execute(select(t.imports.c.header_json)).scalar_one()
    assert (row.id, row.dataset, row.source_id, row.row_number) == (
        "ucdp:301214",
        "ucdp",
        "301214",
        1,
    )
    values = next(csv.reader([row.raw]))
    assert dict(zip(json.loads(header), values, strict=True)) == ucdp_row()
    incident = codec.ADAPTER.validate_json(row.record_json)
    assert incident.location.admin1_pcode == "SY02"  # by point-in-polygon


def test_the_same_id_twice_with_other_values_is_rejected(engine, ctx, tmp_path) -> None:
    rows = [ucdp_row(), ucdp_row(best="30", high="30"), ucdp_row()]
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, rows))
    got = run(engine, "ucdp", path, ctx, batch=1)
    assert (got.counts.imported, got.counts.rejected, got.counts.unchanged) == (1, 1, 1)
    assert got.rejects_path is not None
    (line,) = rejects(got.rejects_path)
    assert (line["row"], line["field"], line["outcome"]) == ("2", "id", "rejected")
    assert "first on record 1" in line["reason"]


# ---------------------------------------------------------------------------- bad input
def test_bad_rows_go_to_the_rejects_file_and_never_sink_good_ones(engine, ctx, tmp_path) -> None:
    rows = [
        ucdp_row(id="1"),
        ucdp_row(id="2", date_start="2016-09-31"),
        ucdp_row(id="3", latitude="36.9416", longitude="36.145"),  # inside the box: kept
        ucdp_row(id="4", latitude="48.85", longitude="2.35"),
        ucdp_row(id="5", latitude="40.14", longitude="35.33"),
        ucdp_row(id="6", type_of_violence="7"),
    ]
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, rows))
    got = run(engine, "ucdp", path, ctx)
    assert (got.counts.imported, got.counts.rejected, got.counts.warnings) == (3, 3, 1)
    assert report_ids(engine) == {"ucdp:1", "ucdp:3", "ucdp:6"}
    assert got.rejects_path == tmp_path / "ged.csv.rejects.csv"
    lines = {(r["row"], r["field"], r["outcome"]): r for r in rejects(got.rejects_path)}
    assert set(lines) == {
        ("2", "date_start", "rejected"),
        ("4", "latitude/longitude", "rejected"),
        ("5", "latitude/longitude", "rejected"),
        ("6", "type_of_violence", "kept"),
    }
    assert "outside Syria" in lines[("4", "latitude/longitude", "rejected")]["reason"]
    assert "swapped" in lines[("5", "latitude/longitude", "rejected")]["reason"]
    assert lines[("2", "date_start", "rejected")]["line"] == "3"


def test_wrong_delimiter_is_named(engine, ctx, tmp_path) -> None:
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, [ucdp_row()], delimiter=";"))
    with pytest.raises(FileProblem, match="looks like ';'-separated; this importer expects ','"):
        run(engine, "ucdp", path, ctx)
    tsv = write(tmp_path / "events.csv", to_csv(ACLED_COLUMNS, [acled_row()]))
    with pytest.raises(FileProblem, match="looks like ','-separated; this importer expects tab"):
        run(engine, "gdelt", tsv, ctx)
    assert report_ids(engine) == set()


def test_missing_columns_are_named(engine, ctx, tmp_path) -> None:
    columns = [c for c in UCDP_COLUMNS if c not in ("best", "where_prec")]
    row = {k: v for k, v in ucdp_row().items() if k in columns}
    path = write(tmp_path / "ged.csv", to_csv(columns, [row]))
    with pytest.raises(FileProblem, match="missing column") as e:
        run(engine, "ucdp", path, ctx)
    assert "where_prec" in str(e.value) and "best" in str(e.value)


def test_a_misspelt_required_column_is_named_with_the_header_s_spelling(
    engine, ctx, tmp_path
) -> None:
    columns = ["lattitude" if c == "latitude" else c for c in UCDP_COLUMNS]
    row = {("lattitude" if k == "latitude" else k): v for k, v in ucdp_row().items()}
    path = write(tmp_path / "ged.csv", to_csv(columns, [row]))
    with pytest.raises(FileProblem, match="missing column") as e:
        run(engine, "ucdp", path, ctx)
    assert "'latitude' (the header has 'lattitude')" in str(e.value)


@pytest.mark.parametrize(
    ("fmt", "columns", "row", "misspelt", "meant"),
    [
        ("ucdp", UCDP_COLUMNS, ucdp_row, "deaths_civilian", "deaths_civilians"),
        ("acled", ACLED_COLUMNS, acled_row, "Fatalites", "fatalities"),
    ],
)
def test_unknown_columns_are_named_with_the_nearest_known_name(
    engine, ctx, tmp_path, fmt, columns, row, misspelt, meant
) -> None:
    header = [misspelt if c == meant else c for c in columns] + ["my_notes"]
    values = {(misspelt if k == meant else k): v for k, v in row().items()}
    values["my_notes"] = "x"
    path = write(tmp_path / "in.csv", to_csv(header, [values]))
    result = run(engine, fmt, path, ctx)
    assert result.counts.imported == 1  # the rows still import
    assert result.counts.warnings == 2
    assert any(f"'{misspelt}' (did you mean '{meant}'?)" in w for w in result.file_warnings)
    assert any("'my_notes': its values are not imported" in w for w in result.file_warnings)
    lines = rejects(result.rejects_path)
    named = {(r["field"], r["row"], r["outcome"]) for r in lines}
    assert {(misspelt, "0", "ignored"), ("my_notes", "0", "ignored")} <= named
    again = run(engine, fmt, path, ctx)  # said again on a new run, never twice in one file
    assert len(rejects(again.rejects_path)) == 2


def test_a_latin1_row_in_a_utf8_file_is_read_and_flagged(engine, ctx, tmp_path) -> None:
    good = to_csv(UCDP_COLUMNS, [ucdp_row(id="1", where_coordinates="Ma’arat town")])
    odd = to_csv(UCDP_COLUMNS, [ucdp_row(id="2", where_coordinates="Hôms town")])
    data = good.encode("utf-8") + odd.split("\n", 1)[1].encode("latin-1")
    path = tmp_path / "ged.csv"
    path.write_bytes(data)
    got = run(engine, "ucdp", path, ctx)
    assert got.counts.imported == 2 and got.counts.warnings == 1
    assert got.rejects_path is not None
    (line,) = rejects(got.rejects_path)
    assert (line["row"], line["field"], line["outcome"]) == ("2", "(encoding)", "kept")
    with engine.connect() as conn:
        names = {
            json.loads(r)["location"]["name"]
            for r in conn.execute(select(t.reports.c.record_json)).scalars()
        }
    assert names == {"Ma’arat town", "Hôms town"}


def test_a_truncated_last_line_is_rejected_and_the_rest_kept(engine, ctx, tmp_path) -> None:
    text = to_csv(UCDP_COLUMNS, many_ucdp_rows(3))
    path = write(tmp_path / "ged.csv", text[: text.rindex(",2016-") + 3])  # cut mid-row
    got = run(engine, "ucdp", path, ctx)
    assert (got.counts.imported, got.counts.rejected) == (2, 1)
    assert got.rejects_path is not None
    (line,) = rejects(got.rejects_path)
    assert line["row"] == "3" and "truncated" in line["reason"]


def test_a_truncated_quoted_field_is_rejected(engine, ctx, tmp_path) -> None:
    text = to_csv(UCDP_COLUMNS, [ucdp_row(id="1"), ucdp_row(id="2", source_headline="a, b")])
    path = write(tmp_path / "ged.csv", text[: text.index('"a, b"') + 3])
    got = run(engine, "ucdp", path, ctx)
    assert (got.counts.imported, got.counts.rejected) == (1, 1)
    assert got.rejects_path is not None
    assert "truncated" in rejects(got.rejects_path)[0]["reason"]


def test_unknown_vocabulary_is_kept_as_other_with_a_warning(engine, ctx, tmp_path) -> None:
    rows = [
        acled_row(),
        acled_row(event_id_cnty="SYR2", event_type="Skirmish", sub_event_type="Raid"),
    ]
    path = write(tmp_path / "acled.csv", to_csv(ACLED_COLUMNS, rows))
    got = run(engine, "acled", path, ctx)
    assert (got.counts.imported, got.counts.warnings) == (2, 1)
    assert got.rejects_path is not None
    (line,) = rejects(got.rejects_path)
    assert (line["value"], line["outcome"]) == ("Skirmish / Raid", "kept")


def test_rejects_go_to_the_current_folder_when_the_input_folder_is_read_only(
    engine, ctx, tmp_path, monkeypatch
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = write(folder / "ged.csv", to_csv(UCDP_COLUMNS, [ucdp_row(date_start="x")]))
    folder.chmod(0o555)
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    try:
        got = run(engine, "ucdp", path, ctx)
    finally:
        folder.chmod(0o755)
    assert got.rejects_path == work / "ged.csv.rejects.csv"
    assert not (folder / "ged.csv.rejects.csv").exists()


# ---------------------------------------------------------------------------- other formats
def test_gdelt_keeps_only_violent_events_in_the_country(engine, ctx, tmp_path) -> None:
    rows = [
        gdelt_row(),
        gdelt_row(GLOBALEVENTID="2", EventCode="043", EventBaseCode="043", EventRootCode="04"),
        gdelt_row(GLOBALEVENTID="3", ActionGeo_CountryCode="IZ"),
        gdelt_row(GLOBALEVENTID="4", SQLDATE="20161340"),
    ]
    path = write(tmp_path / "20160920.export.CSV", to_tsv_rows(rows))
    got = run(engine, "gdelt", path, ctx)
    assert (got.counts.imported, got.counts.skipped, got.counts.rejected) == (1, 2, 1)
    assert report_ids(engine) == {"gdelt:585000001"}


def test_incident_json_jsonl_and_geojson_import(engine, ctx, tmp_path, syria) -> None:
    bundled = services.bundled_incidents(syria)[:30]
    doc = write(
        tmp_path / "a.json", json.dumps({"incidents": [codec.to_json(i) for i in bundled[:10]]})
    )
    lines = write(
        tmp_path / "b.jsonl", "".join(json.dumps(codec.to_json(i)) + "\n" for i in bundled[10:20])
    )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [i.location.lon, i.location.lat]},
            "properties": codec.to_json(i),
        }
        for i in bundled[20:30]
    ]
    geo = write(
        tmp_path / "c.geojson", json.dumps({"type": "FeatureCollection", "features": features})
    )
    assert run(engine, "incidents", doc, ctx).counts.imported == 10
    assert run(engine, "incidents", lines, ctx).counts.imported == 10
    assert run(engine, "geojson", geo, ctx).counts.imported == 10
    assert report_ids(engine) == {i.id for i in bundled}
    with engine.connect() as conn:
        stored = {
            r.id: codec.ADAPTER.validate_json(r.record_json)
            for r in conn.execute(select(t.reports.c.id, t.reports.c.record_json))
        }
    assert all(stored[i.id] == i for i in bundled)  # incident.v1 in, unchanged


def test_status_flag_overrides_the_dataset_default(engine, ctx, tmp_path) -> None:
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, [ucdp_row()]))
    run_import(engine, "ucdp", path, ctx.with_status("proposed"), now=fixed_now)
    with engine.connect() as conn:
        assert conn.execute(select(t.reports.c.status)).scalar_one() == "proposed"


# ---------------------------------------------------------------------------- resume
class Crash(Exception):
    pass


def test_an_interrupted_import_resumes_where_it_stopped(engine, ctx, tmp_path) -> None:
    rows = many_ucdp_rows(60, bad_every=7)
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, rows))
    calls = []

    def crash_after_two_batches(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 3:  # the initial call, then two committed batches
            raise Crash

    with pytest.raises(Crash):
        run(engine, "ucdp", path, ctx, batch=10, progress=crash_after_two_batches)
    assert len(report_ids(engine)) == 20 - 3  # two batches in, less their bad rows
    got = run(engine, "ucdp", path, ctx, batch=10)
    assert got.resumed
    expected = {f"ucdp:{r['id']}" for k, r in enumerate(rows) if k % 7}
    assert report_ids(engine) == expected
    assert got.counts.imported == len(expected) and got.counts.rejected == 60 - len(expected)
    assert got.rejects_path is not None
    assert [int(r["row"]) for r in rejects(got.rejects_path)] == list(range(1, 61, 7))


# ---------------------------------------------------------------------------- fusion
def test_a_dataset_row_and_a_hand_written_record_of_one_event_fuse(
    engine, ctx, tmp_path, syria
) -> None:
    convoy = next(i for i in services.bundled_incidents(syria) if "urum-al-kubra" in i.id)
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, [ucdp_row()]))
    mine = write(tmp_path / "mine.json", json.dumps([codec.to_json(convoy)]))
    run(engine, "incidents", mine, ctx)
    got = run(engine, "ucdp", path, ctx)
    assert got.counts.merged == 1
    with engine.connect() as conn:
        heads = dict(conn.execute(select(t.reports.c.id, t.reports.c.incident_id)).all())
        fused = conn.execute(select(t.incidents).where(t.incidents.c.id == convoy.id)).one()
    assert heads == {convoy.id: convoy.id, "ucdp:301214": convoy.id}
    incident = codec.ADAPTER.validate_json(fused.record_json)
    assert {s.document_id for s in incident.sources} >= {"ucdp-ged:301214"}
    assert json.loads(fused.reasons_json)


def test_fusing_later_gives_the_same_incidents(engine, ctx, tmp_path) -> None:
    from ceasewatch.store import db

    rows = many_ucdp_rows(30)
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, rows))
    run(engine, "ucdp", path, ctx, batch=7)
    later = db.open_store(f"sqlite:///{tmp_path / 'later.db'}")
    try:
        run(later, "ucdp", path, ctx, batch=7, fuse_now=False)
        with later.connect() as conn:
            assert conn.execute(select(t.reports.c.incident_id)).scalars().all() == [None] * 30
        assert fuse_pending(later, fusion_settings(ctx), window=8) == 30
        query = select(t.reports.c.id, t.reports.c.incident_id).order_by(t.reports.c.id)
        with engine.connect() as a, later.connect() as b:
            assert a.execute(query).all() == b.execute(query).all()
    finally:
        later.dispose()


def test_resume_never_splits_a_jsonl_line_of_several_records(engine, ctx, tmp_path, syria) -> None:
    bundled = services.bundled_incidents(syria)[:9]
    articles = [  # `ceasewatch extract` output: one article per line, its incidents inside
        {"id": f"article-{k}", "incidents": [codec.to_json(i) for i in bundled[k * 3 : k * 3 + 3]]}
        for k in range(3)
    ]
    path = write(tmp_path / "extracted.jsonl", "".join(json.dumps(a) + "\n" for a in articles))
    calls = []

    def crash_after_first_batch(done: int, total: int) -> None:
        calls.append(done)
        if len(calls) == 2:
            raise Crash

    with pytest.raises(Crash):
        run(engine, "incidents", path, ctx, batch=2, progress=crash_after_first_batch)
    assert len(report_ids(engine)) == 3  # the batch ran on to the end of its line
    got = run(engine, "incidents", path, ctx, batch=2)
    assert got.resumed and got.counts.imported == 9 and got.counts.unchanged == 0
    assert report_ids(engine) == {i.id for i in bundled}


@pytest.mark.parametrize(
    "how",
    [
        {"workers": 2},
        {"workers": 0, "write_behind": True},
        {"workers": 0, "write_behind": "process"},
        {"workers": 0, "write_behind": "process", "fuse_now": False},
    ],
    ids=["mapping workers", "a writer thread", "a writer process", "a bulk load's writer"],
)
def test_mapping_in_worker_processes_stores_exactly_what_one_process_does(
    engine, ctx, tmp_path, how
) -> None:
    """Workers mapping, or a writer thread or process writing while this one maps,
    against one thread doing both: the same store, audit and rejects."""
    from ceasewatch.store import db

    rows = many_ucdp_rows(40, bad_every=6)
    rows.append(dict(rows[3]))  # the same record again: unchanged
    rows.append({**rows[4], "best": "99", "high": "99"})  # its id with other values
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, rows))
    one = run(
        engine,
        "ucdp",
        path,
        ctx,
        batch=6,
        workers=0,
        write_behind=False,
        fuse_now=how.get("fuse_now", True),
        rejects=tmp_path / "one.csv",
    )
    other = db.open_store(f"sqlite:///{tmp_path / 'workers.db'}")
    try:
        many = run(other, "ucdp", path, ctx, batch=6, rejects=tmp_path / "many.csv", **how)
        assert many.counts == one.counts
        assert one.counts.unchanged == 1 and one.counts.imported == 40 - 40 // 6 - 1
        query = select(t.reports).order_by(t.reports.c.seq)
        with engine.connect() as a, other.connect() as b:
            assert a.execute(query).all() == b.execute(query).all()
            incidents = select(t.incidents).order_by(t.incidents.c.id)
            assert a.execute(incidents).all() == b.execute(incidents).all()
            log = t.audit_log.c
            entries = select(log.action, log.after_json, log.hash).order_by(log.seq)
            audited = a.execute(entries).all()
            assert [e.action for e in audited].count("import.batch") >= 6
            assert audited == b.execute(entries).all()
    finally:
        other.dispose()
    assert (tmp_path / "one.csv").read_text() == (tmp_path / "many.csv").read_text()
    assert "duplicate id 'ucdp:" in (tmp_path / "one.csv").read_text()


def test_a_writer_process_that_fails_stops_the_import_with_its_error(
    engine, ctx, tmp_path, monkeypatch
) -> None:
    """The writer process's error comes back as the import's; the batches before it are
    stored with their checkpoint, and running the import again finishes it."""
    from ceasewatch.store import imports as store_imports

    rows = many_ucdp_rows(30)
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, rows))
    insert = store_imports.insert_reports
    calls = []

    def failing(conn, batch_rows):  # the writer process inherits it (fork)
        calls.append(1)
        if len(calls) == 2:
            raise CeasewatchError("the disk is on fire")
        insert(conn, batch_rows)

    monkeypatch.setattr(store_imports, "insert_reports", failing)
    with pytest.raises(CeasewatchError, match="the disk is on fire"):
        run(engine, "ucdp", path, ctx, batch=10, write_behind="process", fuse_now=False)
    assert not calls  # it failed in the writer process, not here
    assert len(report_ids(engine)) == 10
    monkeypatch.setattr(store_imports, "insert_reports", insert)
    again = run(engine, "ucdp", path, ctx, batch=10, write_behind="process", fuse_now=False)
    assert again.resumed and again.counts.imported == 30
    assert len(report_ids(engine)) == 30


def test_a_bulk_load_through_a_writer_process_stores_the_same_on_both_engines(
    store, ctx, tmp_path
) -> None:
    """The writer process (forked, with its own connections) on SQLite and PostgreSQL:
    the same reports, checkpoint and rejects as one process writing to SQLite."""
    from ceasewatch.store import db

    rows = many_ucdp_rows(40, bad_every=6)
    rows.append({**rows[4], "best": "99", "high": "99"})  # its id with other values
    path = write(tmp_path / "ged.csv", to_csv(UCDP_COLUMNS, rows))
    here = db.open_store(f"sqlite:///{tmp_path / 'here.db'}")
    try:
        one = run(here, "ucdp", path, ctx, batch=7, write_behind=False, fuse_now=False,
                  rejects=tmp_path / "one.csv")  # fmt: skip
        two = run(store, "ucdp", path, ctx, batch=7, write_behind="process", fuse_now=False,
                  rejects=tmp_path / "two.csv")  # fmt: skip
        assert two.counts == one.counts and one.counts.rejected > 0
        query = select(t.reports).order_by(t.reports.c.seq)
        runs = select(t.imports.c.records_done, t.imports.c.bytes_done, t.imports.c.status)
        with here.connect() as a, store.connect() as b:
            assert [tuple(r) for r in a.execute(query)] == [tuple(r) for r in b.execute(query)]
            assert a.execute(runs).all() == b.execute(runs).all()
    finally:
        here.dispose()
    assert (tmp_path / "one.csv").read_text() == (tmp_path / "two.csv").read_text()
