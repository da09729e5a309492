"""``ceasewatch report daily`` as functions: read the store, evaluate as of the end of the
day, and write HTML or PDF. The CLI (and later the API) only translate.

The timeline, phase gates, triggers and route status need an evaluation (stored findings
alone cannot give them), so the stored incidents are evaluated as of the end of the day,
as ``services.run`` does; the store's findings are compared with that evaluation and the
report says whether they were current.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from pathlib import Path

from sqlalchemy import Engine, select

from ceasewatch import services
from ceasewatch.errors import UsageError
from ceasewatch.exports import select as sel
from ceasewatch.reports import daily
from ceasewatch.store import access as access_store
from ceasewatch.store import tables as t


def end_of(day: dt.date, timezone: str) -> dt.datetime:
    """The end of a local day: the next midnight.

    >>> end_of(dt.date(2016, 9, 19), "Asia/Damascus").isoformat()
    '2016-09-20T00:00:00+03:00'
    """
    return dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(0), tzinfo=zoneinfo.ZoneInfo(timezone)
    )


def _stored(engine: Engine, agreement_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = defaultdict(list)
    q = select(t.findings.c.agreement_id, t.findings.c.id, t.findings.c.verdict).where(
        t.findings.c.agreement_id.in_(agreement_ids)
    )
    with engine.connect() as conn:
        for aid, fid, verdict in conn.execution_options(yield_per=5000).execute(q):
            out[aid].append((fid, verdict))
    return dict(out)


def build_daily(engine: Engine, day: dt.date, agreement: str | None = None) -> daily.DailyReport:
    """The report of ``day`` for one stored agreement, or every one in the store, with the
    head of the store's audit chain when the report is made (``ceasewatch audit head``)."""
    span = sel.date_range(engine)
    if span is None:
        raise UsageError(
            "the store holds no incidents — import some (or build the example with "
            "`ceasewatch demo`) before asking for a report"
        )
    first, last = span
    if not first <= day <= last:
        raise UsageError(
            f"--date {day.isoformat()} is outside the data: the store's incidents run from "
            f"{first.isoformat()} to {last.isoformat()} — pick a day in that range"
        )
    scenarios = sel.stored_scenarios(engine, agreement)
    if not scenarios:
        raise UsageError("the store holds no agreement — store one first (e.g. `ceasewatch demo`)")
    incidents = list(sel.incidents(engine, sel.Filters(end=day)))
    outcomes = []
    for s in scenarios:
        if not s.agreements:
            continue
        access = access_store.load_records(engine, s.world)
        outcomes.append(services.run(s, incidents, end_of(day, s.world.timezone), access=access))
    ids = [a.id for s in scenarios for a in s.agreements]
    governorates = {s.id: sel.admin_names(s, (1,)) for s in scenarios}
    return daily.build(outcomes, day, _stored(engine, ids), governorates, _audit_head(engine))


def _audit_head(engine: Engine) -> str | None:
    """``SEQ:HASH`` of the audit chain, ``""`` when the log is empty, None without a log
    (a store made before the server's migration)."""
    from sqlalchemy import inspect

    from ceasewatch.store import audit

    if not inspect(engine).has_table(t.audit_log.name):
        return None
    return audit.head(engine) or ""


def write(report: daily.DailyReport, path: Path) -> Path:
    """HTML (``.html``/``.htm``) or PDF (``.pdf``), by the file's name."""
    suffix = path.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise UsageError(f"-o {path}: name a .html or a .pdf file")
    if path.is_dir():
        raise UsageError(f"-o {path} is a folder — name a file such as {path / 'daily.html'}")
    if not path.parent.exists():
        raise UsageError(f"-o {path}: folder {path.parent} does not exist — create it first")
    html = daily.render_html(report)
    if suffix == ".pdf":
        from ceasewatch.reports.pdf import write_pdf

        write_pdf(html, path)
    else:
        path.write_text(html, encoding="utf-8")
    return path


def default_path(day: dt.date) -> Path:
    return Path(f"daily-{day.isoformat()}.html")
