"""``ceasewatch export`` as a user meets it: files, standard output, clear errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasewatch.cli import app
from ceasewatch.incidents import codec

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_export_writes_the_default_file_in_the_current_folder(
    demo_store: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, outcome = demo_store
    monkeypatch.chdir(tmp_path)
    code, _, err = run("export", "incidents", "json", "--db", url)
    assert code == 0, err
    loaded = codec.read_text((tmp_path / "incidents.json").read_text(encoding="utf-8"), "x")
    assert list(loaded.incidents) == sorted(outcome.incidents, key=lambda i: i.id)  # by id
    assert f"{len(outcome.incidents)} incidents" in err
    assert not list(tmp_path.glob(".*.part"))  # the file appears whole


def test_export_to_standard_output_with_filters(demo_store: tuple) -> None:
    url, outcome = demo_store
    code, out, err = run(
        "export", "findings", "acled-csv", "--db", url, "-o", "-",
        "--agreement", "sep-2016-arrangement", "--verdict", "violation", "--from", "2016-09-12",
        "--to", "2016-09-19", "--zone", "aleppo-city",
    )  # fmt: skip
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows
    assert {r["agreement_id"] for r in rows} == {"sep-2016-arrangement"}
    assert {r["verdict"] for r in rows} == {"violation"}
    assert all("2016-09-12" <= r["event_date"] <= "2016-09-19" for r in rows)


def test_geojson_with_bbox_and_event_type(demo_store: tuple, tmp_path: Path) -> None:
    url, outcome = demo_store
    out = tmp_path / "battles.geojson"
    code, _, err = run("export", "incidents", "geojson", "--db", url, "-o", str(out),
                       "--event-type", "Battles", "--bbox", "36,35,38,37")  # fmt: skip
    assert code == 0, err
    feats = json.loads(out.read_text(encoding="utf-8"))["features"]
    want = sorted(
        i.id for i in outcome.incidents
        if i.event_type == "Battles" and 36 <= i.location.lon <= 38 and 35 <= i.location.lat <= 37
    )  # fmt: skip
    assert sorted(f["id"] for f in feats) == want and want


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["export", "incidents", "gpkg", "-o", "-"], "GeoPackage is a database file"),
        (["export", "incidents", "json", "--bbox", "1,2"], "four numbers"),
        (["export", "incidents", "json", "--event-type", "Battle"], "did you mean 'Battles'"),
        (["export", "incidents", "json", "--from", "19-09-2016"], "YYYY-MM-DD"),
        (["export", "incidents", "json", "--from", "2016-09-20", "--to", "2016-09-01"], "swap"),
        (["export", "incidents", "json", "--zone", "nowhere"], "not a zone"),
        (["export", "findings", "json", "--agreement", "nope"], "not in the store"),
    ],
)
def test_bad_options_give_one_clear_line(
    demo_store: tuple, tmp_path: Path, args: list[str], needle: str
) -> None:
    url, _ = demo_store
    code, _, err = run(*args, "--db", url)
    assert code == 1 and needle in err and "Traceback" not in err


def test_missing_store_is_not_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.db'}"
    code, _, err = run("export", "incidents", "json", "--db", url, "-o", str(tmp_path / "x.json"))
    assert code == 1 and "no store" in err
    assert not (tmp_path / "none.db").exists() and not (tmp_path / "x.json").exists()
