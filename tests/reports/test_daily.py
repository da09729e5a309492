"""The daily report: its figures agree with the timeline, its tables keep fixed rows, it
fetches nothing, it escapes what it quotes, and bad days get a clear message."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, update

from ceasewatch import services
from ceasewatch.agreement.sources import load_path
from ceasewatch.errors import UsageError
from ceasewatch.incidents.model import Incident
from ceasewatch.reports import daily, run
from ceasewatch.store import audit, db, repository
from ceasewatch.store import tables as t
from tests.agreement.specs import edit
from tests.exports.made import NOW, incident

DAY = dt.date(2016, 9, 19)
EXAMPLE = Path(__file__).parents[2] / "docs/examples/minimal"


@pytest.fixture(scope="module")
def engine(demo_store: tuple) -> Engine:
    url, _ = demo_store
    return db.open_store(url)


@pytest.fixture(scope="module")
def report(engine: Engine) -> daily.DailyReport:
    return run.build_daily(engine, DAY)


@pytest.fixture(scope="module")
def html(report: daily.DailyReport) -> str:
    return daily.render_html(report)


def test_the_page_names_no_url_and_loads_nothing(html: str) -> None:
    assert "://" not in html
    for needle in ("<script", "<link", "src=", "href=", "url(", "@import", "<img", "<iframe"):
        assert needle not in html.lower(), needle


def test_figures_agree_with_an_evaluation_as_of_the_end_of_the_day(
    report: daily.DailyReport, demo_store: tuple
) -> None:
    _, outcome = demo_store
    o = services.run(outcome.scenario, outcome.incidents, run.end_of(DAY, "Asia/Damascus"))
    (s,) = report.scenarios
    for a in s.agreements:
        rows = [r for r in o.timeline if r.agreement_id == a.agreement.id]
        assert a.total.today == sum(r.violations for r in rows if r.date == DAY)
        assert a.undetermined_today == sum(r.undetermined for r in rows if r.date == DAY)
        week = {DAY - dt.timedelta(days=k) for k in range(7)}
        assert a.total.total == sum(r.violations for r in rows if r.date in week)
        assert sum(z.today for z in a.by_zone) == a.total.today  # every zone has a row
        assert sum(p.today for p in a.by_party) == a.total.today
    todays = [i for i in outcome.incidents if i.occurred.start == DAY]
    assert sorted(d.incident.id for d in s.incidents) == sorted(i.id for i in todays)
    assert todays
    assert s.killed == sum(services.deaths(i) for i in todays)


def test_change_is_against_the_previous_days_report(
    engine: Engine, report: daily.DailyReport
) -> None:
    before = run.build_daily(engine, DAY - dt.timedelta(days=1))
    for a, b in zip(report.scenarios[0].agreements, before.scenarios[0].agreements, strict=True):
        assert a.total.yesterday == b.total.today
        assert a.total.days[:-1] == b.total.days[1:]
        # a fixed table: the same rows, in the same order, every day
        assert [r.key for r in a.by_zone] == [r.key for r in b.by_zone]
        for ra, rb in zip(a.by_zone, b.by_zone, strict=True):
            assert ra.yesterday == rb.today


def test_zone_table_lists_every_zone_and_governorate(
    report: daily.DailyReport, demo_store: tuple
) -> None:
    _, outcome = demo_store
    keys = [r.key for r in report.scenarios[0].agreements[0].by_zone]
    assert {z.id for z in outcome.scenario.world.zones} <= set(keys)
    assert {f"SY{n:02d}" for n in range(1, 15)} <= set(keys)


def test_headline_figures_and_audit_line_are_in_the_page(
    report: daily.DailyReport, html: str
) -> None:
    text = re.sub(r"<[^>]+>", " ", html)
    s = report.scenarios[0]
    assert f"recorded {len(s.incidents)} incidents" in text
    for a in s.agreements:
        assert f"violations of {a.agreement.id}" in text
    assert daily.EMPTY_AUDIT in text  # the demo store's audit log holds no entry yet
    with_head = daily.render_html(
        daily.DailyReport(report.day, report.week, report.scenarios, "812:ab12cd")
    )
    assert "audit chain head: 812:ab12cd" in with_head and daily.EMPTY_AUDIT not in with_head
    without = daily.render_html(daily.DailyReport(report.day, report.week, report.scenarios, None))
    assert daily.NO_AUDIT in without


def test_the_report_prints_the_stores_audit_chain_head(demo_store: tuple, tmp_path: Path) -> None:
    e = audited_copy(demo_store, tmp_path)
    head = audit.head(e)
    r = run.build_daily(e, DAY)
    e.dispose()
    assert head is not None and head.startswith("2:")
    assert r.audit_head == head
    assert f"audit chain head: {head}" in daily.render_html(r)
    assert f"audit verify --head {head}" in daily.render_html(r)


def test_each_incident_shows_its_sources_and_reasons(report: daily.DailyReport, html: str) -> None:
    for d in report.scenarios[0].incidents:
        assert d.incident.id in html
        for src in d.incident.sources:
            assert (src.publisher or "unnamed publisher") in html
        for f in d.findings:
            if f.verdict in ("violation", "undetermined"):
                assert all(reason.replace("'", "&#39;") in html for reason in f.reasons)


def test_stored_findings_are_checked_against_the_evaluation(
    engine: Engine, report: daily.DailyReport
) -> None:
    a = report.scenarios[0].agreements[0]
    assert "agree with this evaluation" in a.stored


def test_tampered_stored_findings_are_called_stale(demo_store: tuple, tmp_path: Path) -> None:
    _, outcome = demo_store
    e = db.open_store(f"sqlite:///{tmp_path / 's.db'}")
    repository.save_scenario(e, outcome.scenario, NOW)
    repository.save_incidents(e, outcome.incidents)
    assert "holds no findings" in run.build_daily(e, DAY).scenarios[0].agreements[0].stored
    repository.replace_findings(e, outcome.findings)
    victim = next(
        f for f in outcome.findings if f.verdict == "violation" and f.agreement_id == "coh-2016-02"
    )
    with e.begin() as conn:
        conn.execute(
            update(t.findings).where(t.findings.c.id == victim.id).values(verdict="exempt")
        )
    stored = run.build_daily(e, DAY, "coh-2016-02").scenarios[0].agreements[0].stored
    assert "stale: 1 finding of" in stored
    e.dispose()


def test_one_agreement_when_asked(engine: Engine) -> None:
    r = run.build_daily(engine, DAY, "sep-2016-arrangement")
    assert [a.agreement.id for a in r.scenarios[0].agreements] == ["sep-2016-arrangement"]


def test_a_day_outside_the_data_is_refused_with_the_range(
    engine: Engine, demo_store: tuple
) -> None:
    _, outcome = demo_store
    first = min(i.occurred.start for i in outcome.incidents)
    last = max(i.occurred.end for i in outcome.incidents)
    for day in (first - dt.timedelta(days=1), last + dt.timedelta(days=1)):
        with pytest.raises(UsageError) as caught:
            run.build_daily(engine, day)
        assert f"--date {day} is outside the data" in str(caught.value)
        assert f"run from {first} to {last} — pick a day in that range" in str(caught.value)
    assert run.build_daily(engine, last).day == last  # the edges are inside


def audited_copy(demo_store: tuple, tmp_path: Path) -> Engine:
    """A copy of the demo store whose audit log holds two entries."""
    url, _ = demo_store
    copy = tmp_path / "audited.db"
    copy.write_bytes(Path(url.removeprefix("sqlite:///")).read_bytes())
    e = db.open_store(f"sqlite:///{copy}")
    for n in (1, 2):
        with audit.changes(e) as conn:
            audit.record(conn, at=NOW, actor="cli:test", action="note", entity="test",
                         entity_id=str(n), reason="a change")  # fmt: skip
    return e


def _example_store(tmp_path: Path, folder: Path, extra: list[Incident]) -> Engine:
    """A store with the documented example scenario (from ``folder``), its incidents and
    ``extra`` ones."""
    scenario = load_path(folder)
    e = db.open_store(f"sqlite:///{tmp_path / 'ex.db'}")
    repository.save_scenario(e, scenario, NOW)
    loaded = services.read_incidents(folder / "incidents.json")
    repository.save_incidents(e, [*loaded.incidents, *extra])
    return e


HOSTILE = "<script>alert(1)</script>"


def test_text_with_html_is_escaped_everywhere(tmp_path: Path) -> None:
    nasty = incident(
        id=f"x-{HOSTILE}",
        occurred={"start": "2024-05-02", "end": "2024-05-02"},
        location={"lat": 14.9, "lon": -24.5, "name": f"Town {HOSTILE}", "country": None,
                  "admin1_pcode": None, "precision": "country"},
        perpetrator={"text": f"<b>gunmen</b>{HOSTILE}", "attribution": "alleged"},
        sources=[{"document_id": "d<i>", "publisher": f"P {HOSTILE}", "url": "https://example.org/a?b=<c>",
                  "attributed_to": "a <em>witness</em>"}],
    )  # fmt: skip
    e = _example_store(tmp_path, EXAMPLE, [nasty])
    html = daily.render_html(run.build_daily(e, dt.date(2024, 5, 2)))
    e.dispose()
    assert "<script" not in html and "<b>gunmen" not in html and "<em>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "href=" not in html  # a source's address is shown as text, never linked
    assert "https://example.org/a?b=&lt;c&gt;" in html
    assert "Not drawn" in html  # located only to the country: listed, not drawn


def test_text_with_html_prints_as_text_in_the_pdf(tmp_path: Path) -> None:
    from tests.exports.made import needs

    needs("weasyprint")
    pypdf = needs("pypdf")
    nasty = incident(
        id="x-1",
        occurred={"start": "2024-05-02", "end": "2024-05-02"},
        location={"lat": 14.9, "lon": -24.5, "name": f"Town {HOSTILE}", "country": None,
                  "admin1_pcode": None, "precision": "town"},
        sources=[{"document_id": "d-1", "publisher": "P <b>bold</b>"}],
    )  # fmt: skip
    e = _example_store(tmp_path, EXAMPLE, [nasty])
    pdf = run.write(run.build_daily(e, dt.date(2024, 5, 2)), tmp_path / "r.pdf")
    e.dispose()
    text = re.sub(r"\s+", " ", " ".join(pg.extract_text() for pg in pypdf.PdfReader(pdf).pages))
    assert f"Town {HOSTILE}" in text  # the characters, as written: never markup
    assert "P <b>bold</b>" in text


def no_zones_example(tmp_path: Path) -> Path:
    """The documented example with its zones, the rules that name zones and its
    attribution rules taken out: an agreement with no zones at all."""
    folder = tmp_path / "nozones"
    folder.mkdir()
    for f in EXAMPLE.iterdir():
        (folder / f.name).write_bytes(f.read_bytes())
    edit(folder / "scenario.yaml", "  zones: zones.geojson\n", "")
    text = (folder / "scenario.yaml").read_text(encoding="utf-8")
    text = text[: text.index("attribution:")] + text[text.index("agreements:") :]
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    truce = (folder / "truce.yaml").read_text(encoding="utf-8")
    truce = (
        truce[: truce.index("  - id: no-fly")]
        + truce[truce.index("  - id: road-open") : truce.index("  - id: no-advance")]
        + truce[truce.index("phases:") :]
    )
    (folder / "truce.yaml").write_text(truce, encoding="utf-8")
    (folder / "zones.geojson").unlink()
    return folder


def test_an_agreement_without_zones_still_reports(tmp_path: Path) -> None:
    folder = no_zones_example(tmp_path)
    e = _example_store(tmp_path, folder, [])
    r = run.build_daily(e, dt.date(2024, 5, 3))
    e.dispose()
    (s,) = r.scenarios
    assert not s.outcome.scenario.world.zones
    assert [z.key for z in s.agreements[0].by_zone] == ["unzoned"]
    assert "Daily situation report" in daily.render_html(r)


def test_every_text_colour_is_readable_on_the_page(html: str) -> None:
    """Verdicts, statuses and greyed days are printed in colour: each text colour the page
    sets keeps WCAG AA contrast (4.5:1) against white (the backgrounds are white or paler
    than the cells that hold text)."""
    from ceasewatch.reports.svg import VERDICT_COLOURS
    from tests.contrast import text_colours, unreadable_on_white

    found = text_colours(html)
    assert set(VERDICT_COLOURS.values()) & found  # the verdicts' colours are among them
    assert unreadable_on_white(found | set(VERDICT_COLOURS.values())) == {}
