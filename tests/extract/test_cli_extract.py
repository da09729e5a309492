"""``ceasewatch extract`` as a user meets it: a folder of good and bad articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasewatch.cli import app
from ceasewatch.incidents import codec

runner = CliRunner()
ARABIC = "قُتل عشرة أشخاص في غارات جوية على مدينة دوما يوم الاثنين بحسب ناشطين"


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "strike.txt").write_text(
        "Warplanes struck the market in Douma on Monday, killing 12 people, activists said.",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "arabic.txt").write_text(ARABIC, encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02binary\x00" * 50)
    (folder / "page.html").write_text(
        "<html><head><script>alert('Jets killed 99 people in Aleppo')</script></head><body>"
        "<article><p>Shelling killed three children in Daraa on Sunday, the civil defence "
        "said. Rescue teams were still searching the rubble of two homes in the town.</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    (folder / "more.jsonl").write_text(
        json.dumps(
            {
                "id": "j1",
                "text": "A car bomb killed six people in Azaz on Sunday.",
                "published": "2016-09-05",
            }
        )
        + "\n{broken\n",
        encoding="utf-8",
    )
    return folder


def test_extract_writes_a_line_per_article_and_counts_them(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["extract", str(inbox), "--published", "2016-09-05", "-o", str(out)]
    )
    assert result.exit_code == 1, result.output  # two articles failed
    lines = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    by_id = {x["id"]: x for x in lines}
    assert len(lines) == 7
    assert by_id["arabic"]["skipped_reason"] == "language: ar"
    assert by_id["empty"]["skipped_reason"] == "empty: no text"
    assert "binary" in by_id["blob"]["errors"][0]
    assert "not valid JSON" in by_id["more:2"]["errors"][0]
    assert by_id["strike"]["incidents"][0]["location"]["admin1_pcode"] == "SY03"
    html = by_id["page"]["incidents"]
    assert len(html) == 1 and html[0]["location"]["admin1_pcode"] == "SY12"
    assert by_id["j1"]["incidents"][0]["sub_event_type"] == "Remote explosive/landmine/IED"
    ok = sum(1 for x in lines if x["incidents"])
    assert f"{ok} ok · 2 skipped · 2 failed" in result.output
    # the output is what `evaluate --incidents` and `import` read
    loaded = codec.read_text(out.read_text(encoding="utf-8"), str(out))
    assert len(loaded.incidents) == sum(len(x["incidents"]) for x in lines)
    assert loaded.problems == ()


def test_extract_refuses_a_bad_published_date(inbox: Path) -> None:
    result = runner.invoke(app, ["extract", str(inbox), "--published", "someday"])
    assert result.exit_code == 1
    assert "--published" in result.output


@pytest.mark.slow
def test_worker_processes_give_the_same_lines(inbox: Path, tmp_path: Path) -> None:
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    args = [
        "extract",
        str(inbox / "strike.txt"),
        str(inbox / "more.jsonl"),
        "--published",
        "2016-09-05",
    ]
    assert runner.invoke(app, [*args, "-o", str(one)]).exit_code == 1
    assert (
        runner.invoke(app, [*args, "--workers", "2", "--batch-size", "1", "-o", str(two)]).exit_code
        == 1
    )
    assert one.read_text(encoding="utf-8") == two.read_text(encoding="utf-8")


def test_a_20_mb_file_fails_alone_and_the_batch_carries_on(inbox: Path, tmp_path: Path) -> None:
    huge = inbox / "huge.txt"
    with huge.open("wb") as fh:
        fh.truncate(20_000_000)  # sparse: cheap to make, never read whole
    out = tmp_path / "out.jsonl"
    result = runner.invoke(
        app, ["extract", str(inbox / "strike.txt"), str(huge), "--published", "2016-09-05",
              "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    by_id = {x["id"]: x for x in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert "20.0 MB is over the 5 MB limit" in by_id["huge"]["errors"][0]
    assert by_id["huge"]["incidents"] == []
    assert len(by_id["strike"]["incidents"]) == 1
    assert "1 ok · 0 skipped · 1 failed" in result.output
