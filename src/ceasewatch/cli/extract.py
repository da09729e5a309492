"""``ceasewatch extract`` (news articles -> incidents) and ``ceasewatch measure extract``
(accuracy against FA-KES). They only translate: the work is in ``ceasewatch.extract``.
spaCy, dask and the model are imported inside the commands, so ``ceasewatch --help``
stays fast."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import IO, Annotated

import typer
from rich.markup import escape

from ceasewatch.cli.base import DbOption, app, err, fail, out, stored_lookup
from ceasewatch.errors import CeasewatchError

measure_app = typer.Typer(
    help="Measure a step against human coding (accuracy, confusion tables).", no_args_is_help=True
)
app.add_typer(measure_app, name="measure")

AgreementOption = Annotated[
    str,
    typer.Option(
        "--agreement",
        "-a",
        help="Scenario whose actors and gazetteer to use: spec path, bundled name or stored id.",
    ),
]


def _scenario(agreement: str, db: str | None):  # type: ignore[no-untyped-def]
    from ceasewatch.agreement import sources
    from ceasewatch.agreement.problems import SpecInvalid
    from ceasewatch.store.db import resolve_url

    use_store = db is not None or "CEASEWATCH_DB" in os.environ or Path("ceasewatch.db").exists()
    try:
        url = resolve_url(db, os.environ)
        return sources.resolve(agreement, stored_lookup(url) if use_store else None)
    except SpecInvalid as e:
        for p in e.problems:
            err.print(str(p), highlight=False, soft_wrap=True)
        fail(f"the agreement spec has {len(e.problems)} problem(s)")
    except CeasewatchError as e:
        fail(str(e))


@app.command()
def extract(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Articles: text or HTML files, JSONL files (one {id, text, title?, published?, "
            "source?, url?} per line), or folders of them.",
            show_default=False,
        ),
    ],
    agreement: AgreementOption = "syria-2016",
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            help="Publication date (YYYY-MM-DD) for articles that do not give one; "
            "relative dates are resolved against it.",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the JSONL here (default: standard output)."),
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Local worker processes.")
    ] = 1,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Run on a dask.distributed cluster at this address (instead of --workers).",
        ),
    ] = None,
    batch_size: Annotated[
        int, typer.Option("--batch-size", min=1, help="Articles per batch.")
    ] = 32,
    db: DbOption = None,
) -> None:
    """Read news articles and write the incidents they report, one JSON line per article:
    id, incidents (incident.v1, status "proposed"), and skipped_reason, errors or unresolved when there are.

    A bad article (empty, binary, too big, not English, invalid JSONL line) gets its own
    skip reason or error and the run carries on; the counts of ok, skipped and failed
    articles are printed at the end, and the exit status is 1 if any failed.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from ceasewatch.extract import batch, reading

    if workers > 1 and scheduler is not None:
        fail("give --workers or --scheduler, not both")
    when = None
    if published is not None:
        when = reading.parse_date(published)
        if when is None:
            fail(f"--published {published!r} is not a date — write YYYY-MM-DD")
    scenario = _scenario(agreement, db)
    items = (item for path in inputs for item in reading.read_path(path, when))
    counts: Counter[str] = Counter()
    incidents = 0
    sink: IO[str] = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        with Progress(
            TextColumn("extracting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("articles"),
            console=err,
            transient=True,
            disable=not err.is_terminal,
        ) as bar:
            task = bar.add_task("extract", total=None)
            for outcome in batch.run(
                items,
                scenario,
                workers=workers,
                scheduler=scheduler,
                batch_size=batch_size,
                progress=lambda n: bar.advance(task, n),
            ):
                counts[outcome.status] += 1
                incidents += len(outcome.incidents)
                sink.write(json.dumps(outcome.to_json(), ensure_ascii=False) + "\n")
                for e in outcome.errors:
                    err.print(f"[yellow]{outcome.id}:[/] {e}", highlight=False, soft_wrap=True)
    finally:
        if output:
            sink.close()
    err.print(
        f"{counts['ok']} ok · {counts['skipped']} skipped · {counts['failed']} failed — "
        f"{incidents} incident(s)" + (f" written to {output}" if output else ""),
        highlight=False,
    )
    if counts["failed"]:
        raise typer.Exit(1)


def _fakes_file(folder: Path) -> Path:
    """The FA-KES articles in ``folder``: fakes-dev.csv, else the one CSV there whose
    header has FA-KES's columns (a held-out split ships under another name)."""
    if (folder / "fakes-dev.csv").is_file():
        return folder / "fakes-dev.csv"
    found = []
    for candidate in sorted(folder.glob("*.csv")):
        with candidate.open("rb") as fh:
            header = fh.readline()
        if b"article_content" in header and b"unit_id" in header:
            found.append(candidate)
    if len(found) > 1:
        fail(
            f"{folder}: several FA-KES files ({', '.join(p.name for p in found)}) — "
            "give --fakes the one to measure"
        )
    return found[0] if found else folder / "fakes-dev.csv"


@measure_app.command("extract")
def measure_extract(
    fakes: Annotated[
        Path,
        typer.Option(
            "--fakes",
            help="FA-KES CSV (e.g. ../shared/data/fakes-syria-news/fakes-dev.csv) or its folder.",
        ),
    ],
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Only the first N articles.")
    ] = None,
    agreement: AgreementOption = "syria-2016",
    workers: Annotated[
        int, typer.Option("--workers", "-w", min=1, help="Local worker processes.")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Accuracy per field against FA-KES's human coding, beside a keyword baseline run on
    the same articles: governorate, cause of death, actor, civilians killed (exact and
    within 20%), total killed. Prints a confusion table per field."""
    from ceasewatch.extract import measure

    path = _fakes_file(fakes) if fakes.is_dir() else fakes
    if not path.is_file():
        fail(f"{path}: no such file — give the FA-KES CSV (fakes-dev.csv) or its folder")
    scenario = _scenario(agreement, db)
    try:
        skipped: list[str] = []
        rows = measure.read_fakes(path, limit, skipped)
    except CeasewatchError as e:
        fail(str(e))
    for problem in skipped:
        err.print(f"[yellow]warning:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    report = measure.run(rows, scenario, workers=workers)
    out.print(measure.render(report, path), highlight=False, soft_wrap=True)
