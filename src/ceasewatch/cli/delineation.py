"""``ceasewatch delineation``: the implementation cell's map proposals, from the shell.

The command acts as a named local user (``--as NAME``, else ``$CEASEWATCH_USER``, else
the login name). When that name is a user of the store (``ceasewatch users add``), the
command has the user's role and party — a liaison proposes and signs for its party;
otherwise it acts as a local administrator, who may propose (for no party) but never
sign. Every change is audited as ``cli:NAME``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from ceasewatch.cli.base import DbOption, Format, app, fail, out
from ceasewatch.errors import CeasewatchError

delineation_app = typer.Typer(
    help="Zone delineations: versioned map proposals both sides must sign.",
    no_args_is_help=True,
)
app.add_typer(delineation_app, name="delineation")

AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Act as this user (default: $CEASEWATCH_USER, else the login name).",
        show_default=False,
    ),
]
AgreementArg = Annotated[str, typer.Argument(help="Agreement id, e.g. sep-2016-arrangement.")]
VersionArg = Annotated[int, typer.Argument(help="Version number (v2 is 2).")]
FormatOption = Annotated[Format, typer.Option("--format", help="Output format.")]


def _engine(db: str | None):  # type: ignore[no-untyped-def]
    from ceasewatch.cli.server import _store

    return _store(db, create=False)


def _caller(engine: Any, who: str | None) -> Any:
    from sqlalchemy import select

    from ceasewatch.cli.server import local_user
    from ceasewatch.server.services.callers import Caller
    from ceasewatch.store import tables as t

    name = who or local_user().removeprefix("cli:")
    with engine.connect() as conn:
        row = conn.execute(select(t.users).where(t.users.c.name == name)).first()
    if row is None:
        return Caller(f"cli:{name}", "admin")
    if row.revoked_at is not None:
        fail(f"user {name!r} is revoked")
    return Caller(f"cli:{name}", row.role, row.party, "party" if row.role == "liaison" else "all")


def _run(action: Any) -> Any:
    try:
        return action()
    except CeasewatchError as e:
        errors = getattr(e, "errors", None) or []
        fail("\n".join([str(e), *(f"  {x}" for x in errors)]))


def _print_changes(changes: list[dict[str, str]]) -> None:
    if not changes:
        out.print("No verdict changed.")
        return
    table = Table("incident", "rule", "old verdict", "new verdict")
    for c in changes:
        table.add_row(c["incident_id"], c["rule_id"], c["before"], c["after"])
    out.print(f"{len(changes)} verdict(s) changed:")
    out.print(table)


@delineation_app.command("propose")
def propose(
    agreement: AgreementArg,
    geojson: Annotated[
        Path, typer.Argument(help="A GeoJSON FeatureCollection of the proposed polygons.")
    ],
    subject: Annotated[
        str, typer.Option("--subject", help="What is delineated, e.g. sw-aleppo-marbled.")
    ],
    zone_type: Annotated[str, typer.Option("--zone-type", help="e.g. marbled.")],
    replaces: Annotated[
        list[str] | None,
        typer.Option("--replaces", help="A spec zone it stands in for (repeat). Default: all."),
    ] = None,
    answers: Annotated[
        int | None, typer.Option("--answers", help="The version this counter-proposes to.")
    ] = None,
    note: Annotated[str, typer.Option("--note", help="Why, in a sentence.")] = "",
    who: AsOption = None,
    db: DbOption = None,
) -> None:
    """Propose a version of a delineation (a liaison's proposal is its party's signature)."""
    from ceasewatch.delineation import service

    try:
        features = json.loads(geojson.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        fail(f"{geojson}: cannot read it as GeoJSON ({e})")
    engine = _engine(db)
    caller = _caller(engine, who)
    result = _run(
        lambda: service.propose(
            engine,
            agreement,
            subject=subject,
            zone_type=zone_type,
            features=features,
            replaces=replaces or [],
            answers=answers,
            note=note,
            caller=caller,
            now=_now(),
        )
    )
    out.print(
        f"Proposed {result['label']} of {result['subject']} ({result['zone_type']}, "
        f"{result['area_km2']:.1f} km²) — signed by {', '.join(result['signed']) or 'no one'}; "
        f"waiting for {', '.join(result['missing'])}."
    )
    for s in result["subjects"]:
        if s["disputed"]:
            out.print(
                f"Disputed: {s['subject']} — {s['disputed']['area_km2']:.1f} km² where "
                + " and ".join(f"v{v}" for v in s["disputed"]["versions"])
                + " differ."
            )
    _print_changes(result["changes"])


@delineation_app.command("approve")
def approve(
    agreement: AgreementArg, version: VersionArg, who: AsOption = None, db: DbOption = None
) -> None:
    """Sign a version for your party; the last approver's signature makes it active."""
    from ceasewatch.delineation import service

    engine = _engine(db)
    caller = _caller(engine, who)
    result = _run(lambda: service.approve(engine, agreement, version, caller=caller, now=_now()))
    if result["status"] == "active":
        out.print(f"{result['label']} is now active (signed by {', '.join(result['signed'])}).")
        _print_changes(result["changes"])
    else:
        out.print(
            f"Signed {result['label']} for {caller.party}; waiting for "
            f"{', '.join(result['missing'])}."
        )


@delineation_app.command("list")
def listing(agreement: AgreementArg, db: DbOption = None, fmt: FormatOption = Format.table) -> None:
    """Every version (the whole history) with its status and signatures."""
    from ceasewatch.delineation import service

    engine = _engine(db)
    result = _run(lambda: service.listing(engine, agreement))
    if fmt == Format.json:
        out.print_json(json.dumps(result))
        return
    table = Table("version", "subject", "type", "party", "answers", "status", "signed", "km²")
    for v in result["versions"]:
        table.add_row(
            v["label"],
            v["subject"],
            v["zone_type"],
            v["party"] or "-",
            f"v{v['answers']}" if v["answers"] else "-",
            v["status"],
            ", ".join(v["signed"]) or "-",
            f"{v['area_km2']:.1f}",
        )
    out.print(table)
    out.print(f"Approvers: {', '.join(result['approvers'])}. Map version: {result['map_version']}.")
    for s in result["subjects"]:
        if s["disputed"]:
            out.print(f"Disputed in {s['subject']}: {s['disputed']['area_km2']:.1f} km².")


@delineation_app.command("show")
def show(agreement: AgreementArg, version: VersionArg, db: DbOption = None) -> None:
    """One version: status, signatures, polygons and audit entries (as JSON)."""
    from ceasewatch.delineation import service

    engine = _engine(db)
    result = _run(lambda: service.detail(engine, agreement, version))
    out.print_json(json.dumps(result))


@delineation_app.command("diff")
def diff(
    agreement: AgreementArg,
    version: VersionArg,
    against: Annotated[int | None, typer.Option("--against", help="The other version.")] = None,
    geojson: Annotated[
        Path | None, typer.Option("--geojson", help="Also write the difference to this file.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Where two versions differ, in km² (default: against the version it answers)."""
    from ceasewatch.delineation import service

    engine = _engine(db)
    result = _run(lambda: service.diff(engine, agreement, version, against))
    v, a = result["version"], result["against"]
    out.print(
        f"v{v} vs v{a} ({result['subject']}): {result['disputed_km2']:.2f} km² disputed — "
        f"{result[f'only_in_v{v}_km2']:.2f} km² only in v{v}, "
        f"{result[f'only_in_v{a}_km2']:.2f} km² only in v{a}."
    )
    if geojson is not None:
        geojson.write_text(json.dumps(result["geojson"]), encoding="utf-8")
        out.print(f"Wrote {geojson}")


def _now() -> Any:
    import datetime as dt

    return dt.datetime.now(dt.UTC)
