"""``ceasewatch report daily`` as a user meets it: HTML by default, PDF by name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ceasewatch.cli import app
from ceasewatch.reports import daily, run
from ceasewatch.store import audit, db
from tests.exports.made import needs
from tests.reports.test_daily import audited_copy

runner = CliRunner()
DAY = "2016-09-19"


def invoke(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stderr


def test_html_by_default_in_the_current_folder(
    demo_store: tuple, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = demo_store
    monkeypatch.chdir(tmp_path)
    code, err = invoke("report", "daily", "--date", DAY, "--db", url)
    assert code == 0, err
    page = (tmp_path / f"daily-{DAY}.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "Daily situation report" in page
    assert f"daily-{DAY}.html" in err


def test_pdf_opens_and_holds_the_headline_figures(demo_store: tuple, tmp_path: Path) -> None:
    needs("weasyprint")
    pypdf = needs("pypdf")
    url, _ = demo_store
    out = tmp_path / "day.pdf"
    code, err = invoke("report", "daily", "--date", DAY, "--db", url, "-o", str(out))
    assert code == 0, err
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(out)
    text = " ".join(p.extract_text() for p in reader.pages)
    text = re.sub(r"\s+", " ", text)
    engine = db.open_store(url)
    report = run.build_daily(engine, dt.date.fromisoformat(DAY))
    engine.dispose()
    s = report.scenarios[0]
    assert "Daily situation report" in text
    assert f"recorded {len(s.incidents)} incidents" in text
    assert f"{s.killed} persons were reported killed" in text
    for a in s.agreements:
        assert f"violations of {a.agreement.id}" in text
    assert daily.EMPTY_AUDIT in text
    assert len(reader.pages) > 1


def test_the_pdf_prints_the_audit_chain_head(demo_store: tuple, tmp_path: Path) -> None:
    needs("weasyprint")
    pypdf = needs("pypdf")
    engine = audited_copy(demo_store, tmp_path)
    head = audit.head(engine)
    engine.dispose()
    assert head
    out = tmp_path / "day.pdf"
    code, err = invoke(
        "report", "daily", "--date", DAY, "--db", f"sqlite:///{tmp_path / 'audited.db'}",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    text = "".join(p.extract_text() for p in pypdf.PdfReader(out).pages)
    # the 64 hex digits may be broken over lines: compare without white space
    assert f"auditchainhead:{head}" in re.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--date", "19/09/2016"], "YYYY-MM-DD"),
        (["--date", "2017-01-01"], "outside the data"),
        (["--date", DAY, "-o", "report.txt"], "name a .html or a .pdf file"),
        (["--date", DAY, "--agreement", "coh-2016"], "not in the store"),
    ],
)
def test_bad_input_gives_one_clear_line(demo_store: tuple, args: list[str], needle: str) -> None:
    url, _ = demo_store
    code, err = invoke("report", "daily", "--db", url, *args)
    assert code == 1 and needle in err and "Traceback" not in err


def test_no_store_no_report(tmp_path: Path) -> None:
    code, err = invoke("report", "daily", "--date", DAY, "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert code == 1 and "no store" in err and not (tmp_path / "x.db").exists()
