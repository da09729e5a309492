"""``ceasewatch import`` and ``ceasewatch incidents show|split|fuse``: they translate; the
work is in ``ceasewatch.ingest``."""

from __future__ import annotations

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from ceasewatch.cli.base import DbOption, app, err, fail, out, stored_lookup
from ceasewatch.cli.server import local_user
from ceasewatch.errors import CeasewatchError

incidents_app = typer.Typer(
    help="Fused incidents: show one with its sources side by side, split a merge, fuse "
    "reports imported with --no-fuse.",
    no_args_is_help=True,
)
app.add_typer(incidents_app, name="incidents")


class ImportFormat(StrEnum):
    acled = "acled"
    ucdp = "ucdp"
    gdelt = "gdelt"
    geojson = "geojson"
    syrian_archive = "syrian-archive"
    incidents = "incidents"


class StatusChoice(StrEnum):
    proposed = "proposed"
    published = "published"
    rejected = "rejected"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


EvaluateOption = Annotated[
    bool,
    typer.Option(
        "--evaluate/--no-evaluate",
        help="Recompute the findings of every agreement in the store afterwards, so search "
        "by verdict, the timeline and the dashboard see the new incidents (audited).",
    ),
]


def _refresh_findings(engine: Any) -> None:
    """Every stored agreement's findings recomputed over the store's incidents, as the
    local user (one audited ``findings.evaluate`` entry per agreement)."""
    from ceasewatch.server.services.agreements import evaluate_agreement
    from ceasewatch.server.services.callers import Caller
    from ceasewatch.server.services.stored_agreements import current_agreements

    with engine.connect() as conn:
        ids = [s.agreement_id for s in current_agreements(conn)]
    caller = Caller(local_user(), "admin")
    for agreement_id in ids:
        with err.status(f"recomputing the findings of {agreement_id}"):
            done = evaluate_agreement(engine, agreement_id, caller, _now())
        out.print(f"Findings of {agreement_id}: {done['findings']} recomputed.", highlight=False)


AgreementOption = Annotated[
    str | None,
    typer.Option(
        "--agreement",
        "--scenario",
        "-a",
        help="Scenario whose actors, country and admin areas the mapping uses (path, bundled "
        "name or stored agreement id). Default: the bundled syria-2016.",
        show_default=False,
    ),
]


def _context(agreement: str | None, status: str | None, db_url: str):  # type: ignore[no-untyped-def]
    from ceasewatch.agreement import sources
    from ceasewatch.ingest.context import Context, default_context

    if agreement is None:
        return default_context().with_status(status)  # type: ignore[arg-type]
    scenario = sources.resolve(agreement, stored_lookup(db_url))
    return Context.from_scenario(scenario, status)  # type: ignore[arg-type]


def _write_behind(
    thread: bool, process: bool | None, fuse: bool, workers: int | None
) -> str | bool:
    """Who writes the batches: ``"thread"``, ``"process"`` or False (the reading
    process). Unless told, a writer process for a bulk load (``--no-fuse``) that maps in
    this process on a machine with a second CPU — measured 1.5x faster at 1,000,000 UCDP
    rows on a quiet 2-core machine (docs/import.md, "Throughput")."""
    from ceasewatch.ingest.pipeline import default_workers

    if thread:
        return "thread"
    if process is None:
        mapping_here = (default_workers() if workers is None else workers) == 0
        process = not fuse and mapping_here and (os.cpu_count() or 1) >= 2
    return "process" if process else False


@app.command("import")
def import_(
    fmt: Annotated[ImportFormat, typer.Argument(metavar="FORMAT", help="Source format.")],
    file: Annotated[Path, typer.Argument(help="The file to import.")],
    db: DbOption = None,
    status: Annotated[
        StatusChoice | None,
        typer.Option(
            "--status",
            help="Status for every record. Default: published for ACLED, UCDP and GDELT; "
            "proposed for monitor reports; a record's own for incidents and GeoJSON.",
            show_default=False,
        ),
    ] = None,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            help="CSV of rejected records and warnings. Default: FILE.rejects.csv beside "
            "FILE (or in the current folder).",
            show_default=False,
        ),
    ] = None,
    agreement: AgreementOption = None,
    batch: Annotated[int, typer.Option("--batch", min=1, help="Records per transaction.")] = 5000,
    fuse: Annotated[
        bool,
        typer.Option(
            "--fuse/--no-fuse",
            help="Fuse each batch's reports into incidents as they come in; --no-fuse "
            "leaves that to `ceasewatch incidents fuse` (faster for bulk loads).",
        ),
    ] = True,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="Processes that map records while this one reads and writes (0: none). "
            "Default: one fewer than the CPUs, at most 3; none on two CPUs or fewer.",
            show_default=False,
        ),
    ] = None,
    writer_thread: Annotated[
        bool,
        typer.Option(
            "--writer-thread/--no-writer-thread",
            help="Write each batch in a second thread while the next one is read and mapped "
            "(for a machine with a spare core; default: one thread does both).",
        ),
    ] = False,
    writer_process: Annotated[
        bool | None,
        typer.Option(
            "--writer-process/--no-writer-process",
            help="Write each batch in a second process while the next one is read and "
            "mapped. Default: on for a --no-fuse bulk load with no mapping workers on two "
            "or more CPUs (1.5x faster on a quiet 2-core machine), else off.",
            show_default=False,
        ),
    ] = None,
    evaluate: EvaluateOption = True,
) -> None:
    """Import a dataset or monitor reports as incident.v1 reports, fused into incidents.

    Safe to repeat: records keep their source's id, so importing a file again changes
    nothing; an import that was interrupted (even by kill -9) continues where its last
    committed batch ended when run again. Rejected records go to the rejects file with
    their row, field and reason.
    """
    from ceasewatch.ingest.pipeline import run_import
    from ceasewatch.store import db as store_db
    from ceasewatch.store.db import resolve_url

    url = resolve_url(db, os.environ)
    try:
        ctx = _context(agreement, status.value if status else None, url)
        engine = store_db.open_store(url)
        try:
            with Progress(
                TextColumn(f"[bold]{fmt.value}[/] {file.name}"),
                BarColumn(),
                DownloadColumn(),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
                console=err,
                transient=True,
            ) as bar:
                task = bar.add_task("import", total=None)

                def progress(done: int, total: int) -> None:
                    bar.update(task, completed=done, total=total)

                result = run_import(
                    engine,
                    fmt.value,
                    file,
                    ctx,
                    now=_now,
                    rejects=rejects,
                    batch=batch,
                    progress=progress,
                    fuse_now=fuse,
                    actor=local_user(),
                    workers=workers,
                    write_behind=_write_behind(writer_thread, writer_process, fuse, workers),
                )
            if evaluate and fuse:
                _refresh_findings(engine)
        finally:
            engine.dispose()
    except CeasewatchError as e:
        fail(str(e))
    c = result.counts
    for warning in result.file_warnings:
        err.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    if result.resumed:
        out.print(f"Resumed import #{result.import_id} where it stopped.")
    out.print(
        f"[bold]{c.imported}[/] imported, [bold]{c.merged}[/] merged, "
        f"[bold]{c.updated}[/] updated, [bold]{c.unchanged}[/] unchanged, "
        f"[bold]{c.rejected}[/] rejected, {c.skipped} skipped, {c.warnings} warnings",
        highlight=False,
        soft_wrap=True,
    )
    for reason, n in sorted(c.skip_reasons.items(), key=lambda kv: -kv[1])[:5]:
        out.print(f"  skipped {n}: {reason}", highlight=False)
    if result.rejects_path is not None:
        out.print(f"Rejects and warnings: {result.rejects_path}", highlight=False, soft_wrap=True)
    out.print(
        f"Store: {result.reports} reports in {result.incidents} incidents ({url})",
        highlight=False,
        soft_wrap=True,
    )
    if not fuse:
        out.print("Fuse them with: ceasewatch incidents fuse", highlight=False)


@incidents_app.command("show")
def show_cmd(
    incident_id: Annotated[str, typer.Argument(metavar="ID", help="Incident or report id.")],
    db: DbOption = None,
) -> None:
    """An incident with every source's values side by side, and why they were merged."""
    from ceasewatch.ingest.review import show
    from ceasewatch.store import db as store_db
    from ceasewatch.store.db import resolve_url

    url = resolve_url(db, os.environ)
    engine = store_db.open_store(url)
    try:
        view = show(engine, incident_id)
    except CeasewatchError as e:
        fail(str(e))
    finally:
        engine.dispose()
    rows = view.table()
    title = f"Incident {view.incident.id}: {len(view.members)} report(s)"
    if len(view.members) <= 3:  # side by side: one column per source
        table = Table(title=title)
        table.add_column("field", style="bold")
        table.add_column("incident", style="cyan")
        for m in view.members:
            table.add_column(f"{m.id}\n{m.dataset} #{m.import_id}:{m.row_number}")
        for name, values in rows:  # sources' text is data, not rich markup ("[sy-gov]")
            table.add_row(name, *(escape(v) for v in values))
    else:  # many sources: one row per source
        table = Table(title=title, show_lines=True)
        table.add_column("report", style="bold")
        for name, _ in rows:
            table.add_column(name)
        labels = ["incident", *(f"{m.id}\n{m.dataset}" for m in view.members)]
        for k, label in enumerate(labels):
            table.add_row(
                label, *(escape(values[k]) for _, values in rows), style="cyan" if k == 0 else None
            )
    out.print(table)
    if view.reasons:
        out.print("[bold]Why:[/]")
        for reason in view.reasons:
            out.print(f"  • {escape(reason)}", highlight=False)
    elif len(view.members) <= 1:
        out.print("One report; not merged with any other.")


@incidents_app.command("split")
def split_cmd(
    incident_id: Annotated[str, typer.Argument(metavar="ID", help="Incident id.")],
    report: Annotated[
        list[str] | None,
        typer.Option(
            "--report",
            "-r",
            help="Take only this report out (repeatable). Default: keep every report apart.",
            show_default=False,
        ),
    ] = None,
    db: DbOption = None,
    agreement: AgreementOption = None,
) -> None:
    """Undo a merge: keep the incident's reports apart from now on, and re-fuse them."""
    from ceasewatch.ingest.pipeline import fusion_settings
    from ceasewatch.ingest.review import split
    from ceasewatch.store import db as store_db
    from ceasewatch.store.db import resolve_url

    url = resolve_url(db, os.environ)
    engine = store_db.open_store(url)
    try:
        settings = fusion_settings(_context(agreement, None, url))
        after, added = split(
            engine,
            incident_id,
            settings,
            _now(),
            reports=tuple(report or ()),
            actor=local_user(),
        )
    except CeasewatchError as e:
        fail(str(e))
    finally:
        engine.dispose()
    out.print(
        f"Split {incident_id}: its reports are now in {len(after)} incidents "
        f"({', '.join(after)}); {added} keep-apart pairs recorded.",
        highlight=False,
    )


@incidents_app.command("fuse")
def fuse_cmd(
    db: DbOption = None, agreement: AgreementOption = None, evaluate: EvaluateOption = True
) -> None:
    """Fuse the reports not yet in an incident (imported with --no-fuse)."""
    from ceasewatch.ingest.pipeline import fuse_pending, fusion_settings
    from ceasewatch.store import db as store_db
    from ceasewatch.store.db import resolve_url

    url = resolve_url(db, os.environ)
    engine = store_db.open_store(url)
    try:
        settings = fusion_settings(_context(agreement, None, url))
        with Progress(
            TextColumn("fusing"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total} reports"),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("fuse", total=None)
            n = fuse_pending(
                engine,
                settings,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                actor=local_user(),
                now=_now,
            )
        out.print(f"Fused {n} reports.")
        if evaluate:
            _refresh_findings(engine)
    except CeasewatchError as e:
        fail(str(e))
    finally:
        engine.dispose()
