"""``ceasewatch export`` as a function: the store, the filters and the output file.

The CLI only translates options into a ``Request`` and errors into messages. The store
must exist (an export never creates one); the file appears whole or not at all (written
beside the target, then renamed).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ceasewatch.agreement.model import Scenario
from ceasewatch.agreement.problems import did_you_mean
from ceasewatch.errors import UsageError
from ceasewatch.exports import EXTENSIONS, FORMATS, Kind, chunks, gpkg, select, table, writers
from ceasewatch.incidents.model import EVENT_TYPES


@dataclass(frozen=True)
class Request:
    """The filters as the user wrote them (text), checked by ``filters``."""

    agreement: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    status: str | None = None
    verdict: str | None = None
    event_type: str | None = None
    bbox: str | None = None
    zone: str | None = None


def filters(req: Request, scenarios: Sequence[Scenario]) -> select.Filters:
    start = select.parse_date(req.date_from, "--from") if req.date_from else None
    end = select.parse_date(req.date_to, "--to") if req.date_to else None
    if start and end and end < start:
        raise UsageError(f"--to {end} is before --from {start} — swap them")
    if req.event_type and req.event_type not in EVENT_TYPES:
        raise UsageError(
            f"--event-type {req.event_type!r} is not an ACLED event type — "
            + (did_you_mean(req.event_type, list(EVENT_TYPES)) or "")
        )
    return select.Filters(
        agreement=req.agreement,
        start=start,
        end=end,
        status=req.status,
        verdict=req.verdict,
        event_type=req.event_type,
        bbox=select.parse_bbox(req.bbox) if req.bbox else None,
        zone=select.zone_shape(scenarios, req.zone) if req.zone else None,
    )


def default_path(kind: Kind, fmt: str) -> Path:
    return Path(f"{kind}.{EXTENSIONS[fmt]}")


def export(
    kind: Kind,
    fmt: str,
    req: Request,
    db_url: str,
    out: Path | None,
    stdout: IO[bytes],
    now: dt.datetime,
) -> tuple[int, int, Path | None]:
    """Write the export; (bytes written, items, the file or None for standard output)."""
    from ceasewatch.store import db

    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} — one of {', '.join(FORMATS)}")
    to_stdout = out is not None and str(out) == "-"
    if to_stdout and fmt == "gpkg":
        raise UsageError("a GeoPackage is a database file: give -o FILE.gpkg, not '-'")
    target = None if to_stdout else (out or default_path(kind, fmt))
    if target is not None and target.is_dir():
        raise UsageError(
            f"-o {target} is a folder — name a file, e.g. {target / default_path(kind, fmt)}"
        )
    if target is not None and not target.parent.exists():
        raise UsageError(f"-o {target}: folder {target.parent} does not exist — create it first")
    if not db.exists(db_url):
        raise UsageError(f"no store at {db_url} — give --db, or build one with `ceasewatch demo`")
    engine = db.open_store(db_url)
    try:
        scenarios = select.stored_scenarios(engine, req.agreement)
        f = filters(req, scenarios)
        lookups = select.lookups(scenarios)
        counted = _Counted(
            select.incidents(engine, f) if kind == "incidents" else select.findings(engine, f)
        )
        if target is None:
            written = writers.write(chunks(kind, fmt, counted, lookups, now), stdout)
            return written, counted.n, None
        part = target.with_name(f".{target.name}.part")
        try:
            if fmt == "gpkg":
                gpkg.write_path(counted, table(kind, fmt), part, lookups, now)
                written = part.stat().st_size
            else:
                with part.open("wb") as fh:
                    written = writers.write(chunks(kind, fmt, counted, lookups, now), fh)
            os.replace(part, target)
        finally:
            part.unlink(missing_ok=True)
        return written, counted.n, target
    finally:
        engine.dispose()


class _Counted:
    """An iterator that counts what passes through it."""

    def __init__(self, items: object) -> None:
        self._it = iter(items)  # type: ignore[call-overload]
        self.n = 0

    def __iter__(self) -> _Counted:
        return self

    def __next__(self) -> object:
        item = next(self._it)
        self.n += 1
        return item
