"""The core commands: demo, evaluate, check, scenario, db. They only translate: the work is
in ``services`` and the core."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from ceasewatch import services
from ceasewatch.agreement import sources
from ceasewatch.agreement.problems import SpecInvalid
from ceasewatch.cli.base import (
    DbOption,
    Format,
    app,
    called_as,
    db_app,
    err,
    fail,
    out,
    scenario_app,
    stored_lookup,
)
from ceasewatch.errors import CeasewatchError
from ceasewatch.evaluate.gates import plural


@app.command()
def demo(
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for the store and the outputs.")
    ] = Path("ceasewatch-demo"),
    open_report: Annotated[
        bool,
        typer.Option(
            "--open",
            help="Then serve the dashboard on the demo store and open it in a browser "
            "(Ctrl-C stops).",
        ),
    ] = False,
) -> None:
    """Build and evaluate the worked example: the 2016 Syria cessation of hostilities.

    Writes DIR/ceasewatch.db (replaced on a re-run), findings.json, incidents.json,
    timeline.csv, phases.json and report.html, and prints a summary.
    """
    try:
        outcome, url, paths = services.demo(out_dir, dt.datetime.now(dt.UTC))
    except CeasewatchError as e:
        fail(str(e))
    _summary(outcome)
    out.print("\n[bold]Written:[/]")
    for p in paths:
        out.print(f"  {p}")
    out.print(f"\nStore: [bold]--db {url}[/]")
    out.print(
        f"Try:   {called_as()} evaluate --agreement sep-2016-arrangement --db {url} "
        f"--incidents {out_dir / 'incidents.json'}"
    )
    if open_report:
        from ceasewatch.cli.dashboard import open_dashboard

        open_dashboard(url)


@app.command()
def evaluate(
    agreement: Annotated[
        str,
        typer.Option(
            "--agreement", "-a", help="Spec path, bundled scenario name, or stored agreement id."
        ),
    ],
    incidents: Annotated[
        Path, typer.Option("--incidents", "-i", help="incident.v1 JSON, JSONL or CSV.")
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date (end of that local day) or datetime with offset. Default: the latest incident's date.",
        ),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="table (summary) or json (finding.v1 list).")
    ] = Format.table,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Also write findings.json, incidents.json, timeline.csv, phases.json, report.html here.",
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Judge every incident against every rule of an agreement, with reasons."""
    from ceasewatch.store.db import resolve_url

    try:
        # a stored agreement is looked up only in a store that exists: evaluate never makes one
        if out_dir is not None:
            services.output_folder(out_dir)
        scenario = sources.resolve(agreement, stored_lookup(resolve_url(db, os.environ)))
        loaded = services.read_incidents(incidents)
        for problem in loaded.problems:
            err.print(
                f"[yellow]skipped:[/] {escape(str(problem))}", highlight=False, soft_wrap=True
            )
        if not loaded.incidents:
            fail(f"{incidents}: no valid incident to evaluate")
        when = services.parse_as_of(as_of, scenario.world.timezone) if as_of else None
        outcome = services.run(
            scenario,
            loaded.incidents,
            when,
            [str(p) for p in loaded.problems],
            access=services.scenario_access(scenario),
        )
    except SpecInvalid as e:
        for p in e.problems:
            err.print(str(p), highlight=False, soft_wrap=True, markup=False)
        fail(f"the agreement spec has {len(e.problems)} problem(s)")
    except CeasewatchError as e:
        fail(str(e))
    if fmt is Format.json:
        sys.stdout.write(services.findings_json(outcome.findings))
    else:
        _summary(outcome)
    if out_dir is not None:
        services.write_outputs(outcome, out_dir)
    if loaded.problems:
        bad = loaded.skipped
        err.print(f"[yellow]{bad} bad record(s) skipped; {len(loaded.incidents)} evaluated.[/]")
        raise typer.Exit(1)


@app.command()
def check(
    spec: Annotated[
        Path, typer.Argument(help="Scenario folder, scenario.yaml, or an agreement file.")
    ],
) -> None:
    """Validate a spec and print every problem as file:line: field: what — hint."""
    try:
        scenario = sources.load_path(spec)
    except SpecInvalid as e:
        for p in e.problems:
            out.print(str(p), highlight=False, soft_wrap=True, markup=False)
        err.print(f"[red]{len(e.problems)} problem(s) in {spec}[/]")
        raise typer.Exit(1) from None
    except CeasewatchError as e:
        fail(str(e))
    w = scenario.world
    out.print(
        f"[green]ok[/] {spec}: scenario {scenario.id}, {len(scenario.agreements)} agreement(s), "
        f"{sum(len(a.rules) for a in scenario.agreements)} rules, {len(w.actors)} actors, "
        f"{len(w.zones)} zones, {len(w.routes)} routes, {len(w.checkpoints)} checkpoints",
        soft_wrap=True,
    )


@scenario_app.command("list")
def scenario_list() -> None:
    """List the bundled scenarios."""
    table = Table("name", "agreements", "description")
    for name in sources.bundled_names():
        s = sources.load_bundled(name)
        table.add_row(name, "\n".join(f"{a.id}: {a.title}" for a in s.agreements), s.description)
    out.print(table)


@scenario_app.command("export")
def scenario_export(
    name: Annotated[
        str, typer.Argument(help="A bundled scenario (see `ceasewatch scenario list`).")
    ],
    directory: Annotated[Path, typer.Argument(help="New folder to write the files to.")],
) -> None:
    """Write a bundled scenario's files to DIR, to edit and check as your own."""
    try:
        written = sources.export_bundled(name, directory)
    except CeasewatchError as e:
        fail(str(e))
    for p in written:
        out.print(str(p))
    out.print(
        f"[green]{len(written)} files[/] — validate your edits with: ceasewatch check {directory}"
    )


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create or migrate the store's schema to the newest version."""
    from ceasewatch.store import db as store_db

    url = store_db.resolve_url(db, os.environ)
    try:
        engine = store_db.open_store(url)
    except CeasewatchError as e:
        fail(str(e))
    out.print(f"{url}: schema up to date ({', '.join(store_db.tables(engine))})")
    engine.dispose()


def _summary(o: services.Outcome, rows_per_agreement: int = 8) -> None:
    counts = Counter(f.verdict for f in o.findings)
    judged = {f.incident_id for f in o.findings}
    head = (
        f"[bold]{escape(o.scenario.name)}[/] — as of {o.as_of.isoformat()}\n"
        f"{plural(len(o.incidents), 'incident')} ({len(judged)} covered by a rule), "
        f"{plural(len(o.findings), 'finding')}: "
        + ", ".join(
            f"{counts[v]} {v}" for v in ("violation", "undetermined", "exempt", "not_applicable")
        )
    )
    if o.excluded:
        head += f"\n{plural(len(o.excluded), 'rejected incident')} left out (status rejected)"
    out.print(head)
    rows = services.violations_by(o)
    for agreement in o.scenario.agreements:
        mine = [r for r in rows if r[0] == agreement.id]
        shown = mine[:rows_per_agreement]
        title = f"{agreement.id}: violations by party and zone while in force"
        t = Table(title=escape(title), title_justify="left")
        t.add_column("party")
        t.add_column("zone / governorate")
        t.add_column("violations", justify="right")
        for _, p, z, n in shown:
            t.add_row(escape(p), escape(z), str(n))
        if len(mine) > len(shown):
            rest = sum(n for *_, n in mine[len(shown) :])
            t.caption = (
                f"top {len(shown)} of {len(mine)} rows; "
                f"{plural(rest, 'more violation')} in the rest (timeline.csv has all)"
            )
        if not mine:
            t.caption = "no violations while in force"
        out.print(t)
    t = Table(title="Phases", title_justify="left")
    for col in ("agreement", "phase", "status", "detail"):
        t.add_column(col)
    for ph in o.phases:
        state = ph.status + (f", gate {ph.gate.status}" if ph.gate else "")
        t.add_row(ph.agreement_id, escape(ph.name), state, escape(ph.summary))
    out.print(t)
    t = Table(title="Walk-away triggers", title_justify="left")
    for col in ("agreement", "trigger", "status", "evidence"):
        t.add_column(col)
    for tr in o.triggers:
        t.add_row(
            tr.agreement_id, tr.trigger_id, escape(tr.summary), escape("\n".join(tr.evidence))
        )
    out.print(t)
    out.print("[bold]Most serious violations[/]")
    for f, inc in services.most_serious(o):
        parties = ", ".join(f"{p.actor} ({p.basis})" for p in f.parties)
        out.print(
            f"\n[bold red]violation[/] {f.agreement_id}/{f.rule_id} — {escape(inc.id)} — {parties}"
        )
        for r in f.reasons:
            out.print(f"  • {r}", highlight=False, markup=False)
