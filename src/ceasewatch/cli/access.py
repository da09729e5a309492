"""``ceasewatch access``: convoys (add, update, list), access constraints, and the status
of every route and checkpoint on a day. They only translate: the work is in
``ceasewatch.store.access`` and ``ceasewatch.reports.access``."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from ceasewatch.cli.base import DbOption, Format, app, fail, out
from ceasewatch.errors import CeasewatchError, Invalid

access_app = typer.Typer(
    help="Humanitarian access: convoys, constraints, route and checkpoint status.",
    no_args_is_help=True,
)
convoy_app = typer.Typer(help="Aid convoys and their status history.", no_args_is_help=True)
constraint_app = typer.Typer(help="Access constraints (ACAPS categories).", no_args_is_help=True)
access_app.add_typer(convoy_app, name="convoy")
access_app.add_typer(constraint_app, name="constraint")
app.add_typer(access_app, name="access")


class StatusChoice(StrEnum):
    planned = "planned"
    cleared = "cleared"
    waiting = "waiting"
    at_checkpoint = "at_checkpoint"
    delivered = "delivered"
    blocked = "blocked"
    attacked = "attacked"


class CategoryChoice(StrEnum):
    denial_of_access = "denial_of_access"
    movement_restrictions = "movement_restrictions"
    interference = "interference"
    violence_against_personnel = "violence_against_personnel"
    hostilities = "hostilities"
    explosive_hazards = "explosive_hazards"
    physical_environment = "physical_environment"


ActorOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        "--by",
        help="Who records this, for the audit log (default: $CEASEWATCH_USER, else the "
        "login name); audited as cli:NAME like every CLI change.",
        show_default=False,
    ),
]


def _actor(name: str | None) -> str:
    """The audit log's name for the person running the command (``cli:NAME``)."""
    from ceasewatch.cli.server import local_user

    return f"cli:{name.removeprefix('cli:')}" if name else local_user()


AgreementOption = Annotated[
    str | None,
    typer.Option(
        "--agreement",
        "-a",
        help="A stored agreement id (when the store holds several scenarios).",
        show_default=False,
    ),
]
AtOption = Annotated[
    str,
    typer.Option(
        "--at",
        help="When: ISO datetime with offset (2016-09-19T19:30:00+03:00), or a date when "
        "only the day is known.",
    ),
]
EvidenceOption = Annotated[
    str, typer.Option("--evidence", help="What says so: a source, a report id.")
]
AttributedOption = Annotated[
    list[str] | None,
    typer.Option(
        "--attributed-to",
        help="ACTOR or ACTOR:BASIS (reported, claimed, alleged); repeat for several.",
        show_default=False,
    ),
]


def _engine(db: str | None) -> Any:
    import os

    from ceasewatch.store import db as store_db

    url = store_db.resolve_url(db, os.environ)
    if not store_db.exists(url):
        fail(f"no store at {url} — build one with `ceasewatch demo` or `ceasewatch db upgrade`")
    return store_db.open_store(url)


def _attributions(values: list[str] | None) -> list[dict[str, str]]:
    out = []
    for v in values or []:
        actor, _, basis = v.partition(":")
        out.append({"actor": actor, "basis": basis or "reported"})
    return out


def _update_doc(
    status: StatusChoice,
    at: str,
    evidence: str,
    checkpoint: str | None,
    lon: float | None,
    lat: float | None,
    incident: str | None,
    attributed: list[str] | None,
    note: str | None,
) -> dict[str, Any]:
    doc: dict[str, Any] = {"status": status.value, "at": at, "evidence": evidence}
    for key, value in (
        ("checkpoint", checkpoint),
        ("lon", lon),
        ("lat", lat),
        ("incident", incident),
        ("note", note),
    ):
        if value is not None:
            doc[key] = value
    if attributed:
        doc["attributed_to"] = _attributions(attributed)
    return doc


def _validated(kind: Any, doc: dict[str, Any], what: str) -> Any:
    from pydantic import ValidationError

    from ceasewatch.access.records import validation_problems

    try:
        return kind.model_validate(doc)
    except ValidationError as e:
        raise Invalid(f"{what} does not validate", validation_problems(e, what)) from None


def _fail(e: CeasewatchError) -> None:
    detail = getattr(e, "errors", None)
    fail(
        str(e) + ("\n" + "\n".join(f"  {p}" for p in detail) if detail and len(detail) > 1 else "")
    )


@convoy_app.command("add")
def convoy_add(
    convoy_id: Annotated[str, typer.Argument(help="A new id, e.g. un-aleppo-east-1.")],
    agency: Annotated[str, typer.Option("--agency", help="Who runs the convoy.")],
    origin: Annotated[str, typer.Option("--origin")],
    destination: Annotated[str, typer.Option("--destination")],
    cargo: Annotated[str, typer.Option("--cargo", help="What it carries.")],
    at: AtOption,
    evidence: EvidenceOption,
    route: Annotated[
        str | None, typer.Option("--route", help="A route id of the scenario.", show_default=False)
    ] = None,
    trucks: Annotated[int | None, typer.Option("--trucks", show_default=False)] = None,
    status: Annotated[
        StatusChoice, typer.Option("--status", help="The first status.")
    ] = StatusChoice.planned,
    by: ActorOption = None,
    agreement: AgreementOption = None,
    db: DbOption = None,
) -> None:
    """Record a new convoy with its first status."""
    from ceasewatch.access.records import ConvoyIn
    from ceasewatch.reports.access import world_of
    from ceasewatch.store import access as store

    doc: dict[str, Any] = {
        "id": convoy_id,
        "agency": agency,
        "origin": origin,
        "destination": destination,
        "cargo": cargo,
        "events": [{"status": status.value, "at": at, "evidence": evidence}],
    }
    if route is not None:
        doc["route"] = route
    if trucks is not None:
        doc["trucks"] = trucks
    engine = _engine(db)
    try:
        record = _validated(ConvoyIn, doc, f"convoy {convoy_id}")
        convoy = store.add_convoy(engine, record, world_of(engine, agreement), _actor(by), _now())
    except CeasewatchError as e:
        _fail(e)
    finally:
        engine.dispose()
    out.print(f"convoy {escape(convoy.id)}: {convoy.status}")


@convoy_app.command("update")
def convoy_update(
    convoy_id: Annotated[str, typer.Argument(help="The convoy's id.")],
    status: Annotated[StatusChoice, typer.Option("--status", help="The new status.")],
    at: AtOption,
    evidence: EvidenceOption,
    checkpoint: Annotated[
        str | None, typer.Option("--checkpoint", help="Where: a checkpoint id.", show_default=False)
    ] = None,
    lon: Annotated[float | None, typer.Option("--lon", show_default=False)] = None,
    lat: Annotated[float | None, typer.Option("--lat", show_default=False)] = None,
    incident: Annotated[
        str | None,
        typer.Option("--incident", help="incident.v1 id of the same event.", show_default=False),
    ] = None,
    attributed_to: AttributedOption = None,
    note: Annotated[str | None, typer.Option("--note", show_default=False)] = None,
    by: ActorOption = None,
    agreement: AgreementOption = None,
    db: DbOption = None,
) -> None:
    """Record a status change. Updates must come in the order things happened: one dated
    before the convoy's last update, or for an unknown convoy, is refused and nothing
    is written."""
    from ceasewatch.access.records import UpdateIn
    from ceasewatch.reports.access import world_of
    from ceasewatch.store import access as store

    doc = _update_doc(status, at, evidence, checkpoint, lon, lat, incident, attributed_to, note)
    engine = _engine(db)
    try:
        record = _validated(UpdateIn, doc, f"update of convoy {convoy_id}")
        convoy = store.update_convoy(
            engine, convoy_id, record, world_of(engine, agreement), _actor(by), _now()
        )
    except CeasewatchError as e:
        _fail(e)
    finally:
        engine.dispose()
    out.print(f"convoy {escape(convoy.id)}: {convoy.status} ({len(convoy.events)} updates)")


@convoy_app.command("list")
def convoy_list(
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    agreement: AgreementOption = None,
    db: DbOption = None,
) -> None:
    """Every convoy with its status history."""
    from ceasewatch.access.records import convoy_doc
    from ceasewatch.reports.access import world_of
    from ceasewatch.store import access as store

    engine = _engine(db)
    try:
        world = world_of(engine, agreement)
        convoys = store.convoys(engine, world)
    except CeasewatchError as e:
        _fail(e)
    finally:
        engine.dispose()
    if fmt == Format.json:
        print(json.dumps([convoy_doc(c, world.timezone) for c in convoys], indent=1))
        return
    t = Table(title="Convoys", title_justify="left")
    for col in ("convoy", "agency", "route", "status", "history"):
        t.add_column(col)
    for c in convoys:
        history = "\n".join(
            f"{e.at.isoformat() if e.precision == 'minute' else e.at.date().isoformat()} "
            f"{e.status}" + (f" @ {e.checkpoint}" if e.checkpoint else "")
            for e in c.events
        )
        t.add_row(escape(c.id), escape(c.agency), escape(c.route or "—"), c.status, escape(history))
    if not convoys:
        t.caption = "no convoys recorded"
    out.print(t)


@constraint_app.command("add")
def constraint_add(
    constraint_id: Annotated[str, typer.Argument(help="A new id.")],
    category: Annotated[CategoryChoice, typer.Option("--category", help="ACAPS category.")],
    description: Annotated[str, typer.Option("--description")],
    start: Annotated[str, typer.Option("--start", help="ISO datetime with offset, or a date.")],
    evidence: EvidenceOption,
    end: Annotated[str | None, typer.Option("--end", show_default=False)] = None,
    route: Annotated[
        list[str] | None, typer.Option("--route", help="A route it closes; repeat.")
    ] = None,
    checkpoint: Annotated[
        list[str] | None, typer.Option("--checkpoint", help="A checkpoint it closes; repeat.")
    ] = None,
    not_blocking: Annotated[
        bool, typer.Option("--not-blocking", help="Record it without closing anything.")
    ] = False,
    attributed_to: AttributedOption = None,
    by: ActorOption = None,
    agreement: AgreementOption = None,
    db: DbOption = None,
) -> None:
    """Record an access constraint."""
    from ceasewatch.access.records import ConstraintIn
    from ceasewatch.reports.access import world_of
    from ceasewatch.store import access as store

    doc: dict[str, Any] = {
        "id": constraint_id,
        "category": category.value,
        "description": description,
        "start": start,
        "evidence": evidence,
        "blocking": not not_blocking,
        "routes": route or [],
        "checkpoints": checkpoint or [],
        "attributed_to": _attributions(attributed_to),
    }
    if end is not None:
        doc["end"] = end
    engine = _engine(db)
    try:
        record = _validated(ConstraintIn, doc, f"constraint {constraint_id}")
        k = store.add_constraint(engine, record, world_of(engine, agreement), _actor(by), _now())
    except CeasewatchError as e:
        _fail(e)
    finally:
        engine.dispose()
    out.print(f"constraint {escape(k.id)} recorded ({k.category})")


@access_app.command("status")
def status(
    date: Annotated[str, typer.Option("--date", help="The local day (YYYY-MM-DD).")],
    fmt: Annotated[Format, typer.Option("--format", help="table or json.")] = Format.table,
    agreement: AgreementOption = None,
    db: DbOption = None,
) -> None:
    """Each route and checkpoint open, closed or unknown on a day, with why; and the
    convoys that broke sustained access that day."""
    from ceasewatch.reports.access import status as access_status

    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        fail(f"--date {date!r}: write a date as YYYY-MM-DD")
    engine = _engine(db)
    try:
        report = access_status(engine, day, agreement)
    except CeasewatchError as e:
        _fail(e)
    finally:
        engine.dispose()
    if fmt == Format.json:
        print(json.dumps(status_doc(report), indent=1, ensure_ascii=False))
        return
    for a in report.agreements:
        t = Table(title=f"{a.agreement_id}: access on {day.isoformat()}", title_justify="left")
        for col in ("kind", "id", "status", "why"):
            t.add_column(col)
        for s in a.statuses:
            t.add_row(s.kind, escape(s.id), s.state, escape("\n".join(s.why)))
        out.print(t)
        for c in a.convoys:
            out.print(f"  • {c}", highlight=False, markup=False)
        for f in a.findings:
            out.print(
                f"  [{f.verdict}] {f.rule_id}: {f.reasons[-1]}", highlight=False, markup=False
            )


def status_doc(report: Any) -> dict[str, Any]:
    return {
        "date": report.day.isoformat(),
        "scenario": report.scenario_id,
        "agreements": [
            {
                "agreement_id": a.agreement_id,
                "statuses": [
                    {
                        "kind": s.kind,
                        "id": s.id,
                        "name": s.name,
                        "status": s.state,
                        "why": list(s.why),
                    }
                    for s in a.statuses
                ],
                "convoys": list(a.convoys),
                "findings": [f.id for f in a.findings],
            }
            for a in report.agreements
        ],
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
