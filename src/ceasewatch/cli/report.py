"""``ceasewatch report daily`` and ``ceasewatch export``: the daily situation report and
exports in analysts' formats. They only translate: the work is in ``ceasewatch.reports``
and ``ceasewatch.exports``."""

from __future__ import annotations

import datetime as dt
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ceasewatch.cli.base import DbOption, app, err, fail
from ceasewatch.errors import CeasewatchError

report_app = typer.Typer(help="Situation reports from the store.", no_args_is_help=True)
export_app = typer.Typer(
    help="Incidents and findings from the store in analysts' formats: ACLED/UCDP-style CSV, "
    "GeoJSON, GeoPackage, Parquet, JSON.",
    no_args_is_help=True,
)
app.add_typer(report_app, name="report")
app.add_typer(export_app, name="export")


class ExportFormat(StrEnum):
    acled_csv = "acled-csv"
    ucdp_csv = "ucdp-csv"
    geojson = "geojson"
    gpkg = "gpkg"
    parquet = "parquet"
    json = "json"


class StatusChoice(StrEnum):
    proposed = "proposed"
    published = "published"
    rejected = "rejected"


class VerdictChoice(StrEnum):
    violation = "violation"
    undetermined = "undetermined"
    exempt = "exempt"
    not_applicable = "not_applicable"


AgreementOption = Annotated[
    str | None,
    typer.Option("--agreement", "-a", help="A stored agreement id.", show_default=False),
]
FromOption = Annotated[
    str | None,
    typer.Option(
        "--from", help="Incidents on or after this date (YYYY-MM-DD).", show_default=False
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", help="Incidents on or before this date (YYYY-MM-DD).", show_default=False),
]
StatusOption = Annotated[
    StatusChoice | None,
    typer.Option("--status", help="Only this review status. Default: all but rejected."),
]
VerdictOption = Annotated[
    VerdictChoice | None,
    typer.Option("--verdict", help="Only findings with this verdict (incidents: with one)."),
]
EventTypeOption = Annotated[
    str | None,
    typer.Option("--event-type", help='ACLED event type, e.g. "Battles".', show_default=False),
]
BboxOption = Annotated[
    str | None,
    typer.Option("--bbox", help="W,S,E,N in degrees.", show_default=False),
]
ZoneOption = Annotated[
    str | None,
    typer.Option("--zone", help="A zone id of the stored scenario.", show_default=False),
]
OutOption = Annotated[
    Path | None,
    typer.Option(
        "--out",
        "-o",
        help="File to write; '-' for standard output. Default: KIND.EXT in this folder.",
        show_default=False,
    ),
]


def _export(
    kind: str,
    fmt: ExportFormat,
    agreement: str | None,
    date_from: str | None,
    date_to: str | None,
    status: StatusChoice | None,
    verdict: VerdictChoice | None,
    event_type: str | None,
    bbox: str | None,
    zone: str | None,
    out_path: Path | None,
    db: str | None,
) -> None:
    from ceasewatch.exports import service
    from ceasewatch.store.db import resolve_url

    try:
        written, n, target = service.export(
            kind,  # type: ignore[arg-type]
            fmt.value,
            service.Request(
                agreement=agreement,
                date_from=date_from,
                date_to=date_to,
                status=status.value if status else None,
                verdict=verdict.value if verdict else None,
                event_type=event_type,
                bbox=bbox,
                zone=zone,
            ),
            resolve_url(db, os.environ),
            out_path,
            sys.stdout.buffer,
            dt.datetime.now(dt.UTC),
        )
    except CeasewatchError as e:
        fail(str(e))
    where = "standard output" if target is None else str(target)
    err.print(f"{n} {kind} ({fmt.value}, {written:,} bytes) → {where}", highlight=False)


def _register(kind: str, doc: str) -> None:
    """``ceasewatch export KIND``: one command per kind, the same options."""

    def command(
        fmt: Annotated[ExportFormat, typer.Argument(metavar="FORMAT", help="Output format.")],
        agreement: AgreementOption = None,
        date_from: FromOption = None,
        date_to: ToOption = None,
        status: StatusOption = None,
        verdict: VerdictOption = None,
        event_type: EventTypeOption = None,
        bbox: BboxOption = None,
        zone: ZoneOption = None,
        out_path: OutOption = None,
        db: DbOption = None,
    ) -> None:
        _export(
            kind, fmt, agreement, date_from, date_to, status, verdict, event_type, bbox,
            zone, out_path, db,
        )  # fmt: skip

    command.__doc__ = doc
    export_app.command(kind)(command)


_register("incidents", "Export incidents (incident.v1) from the store, streamed.")
_register(
    "findings",
    "Export stored findings (finding.v1) with their incidents' place and date, streamed.",
)


@report_app.command("daily")
def report_daily(
    date: Annotated[str, typer.Option("--date", help="The local day to report on (YYYY-MM-DD).")],
    agreement: Annotated[
        str | None,
        typer.Option(
            "--agreement",
            "-a",
            help="A stored agreement id. Default: every agreement in the store.",
            show_default=False,
        ),
    ] = None,
    out_path: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="FILE.html or FILE.pdf. Default: daily-YYYY-MM-DD.html in this folder.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Write the daily situation report of one day: headline figures, violations by zone
    and party against the day before and the week, map, timeline, phases, triggers,
    access, and the day's incidents with their sources and verdicts."""
    from ceasewatch.exports.select import parse_date
    from ceasewatch.reports import run
    from ceasewatch.store import db as store_db

    url = store_db.resolve_url(db, os.environ)
    try:
        day = parse_date(date, "--date")
        target = out_path or run.default_path(day)
        if not store_db.exists(url):
            fail(f"no store at {url} — give --db, or build one with `ceasewatch demo`")
        engine = store_db.open_store(url)
        try:
            report = run.build_daily(engine, day, agreement)
        finally:
            engine.dispose()
        run.write(report, target)
    except CeasewatchError as e:
        fail(str(e))
    n = sum(len(s.incidents) for s in report.scenarios)
    err.print(
        f"daily report of {day.isoformat()} ({n} incidents that day) → {target}", highlight=False
    )
