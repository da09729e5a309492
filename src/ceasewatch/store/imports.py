"""The store side of imports: import runs and their checkpoints, reports (one per source
record), the window of reports fusion runs over, and the pairs kept apart (the fused
incidents are written by ``store.refusion``).

Every function takes an open ``Connection`` inside the caller's transaction, so that one
batch of reports, its fusion and the import's checkpoint commit together or not at all.
Only portable SQL (SQLAlchemy Core): the same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, bindparam, func, or_, select, update

from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident
from ceasewatch.store import tables as t

#: Rows per ``IN (...)`` list (well under every backend's parameter limit).
CHUNK = 500

#: Bits of a report's ``seq`` that hold its row number; the import id goes above them.
ROW_BITS = 32


def seq(import_id: int, row_number: int) -> int:
    """The report's place in import order: earlier imports first, then row order."""
    return (import_id << ROW_BITS) | row_number


@dataclass(frozen=True, slots=True)
class Checkpoint:
    records: int
    lines: int
    offset: int
    rejects_bytes: int
    counts: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ImportRun:
    id: int
    resumed: bool
    checkpoint: Checkpoint
    rejects_path: str | None


def open_run(
    conn: Connection,
    *,
    fmt: str,
    path: str,
    sha256: str,
    size: int,
    options: dict[str, Any],
    header: list[str] | None,
    rejects_path: str | None,
    now: dt.datetime,
) -> ImportRun:
    """Resume the unfinished run of this very file with these options, or start one."""
    options_json = json.dumps(options, sort_keys=True)
    row = conn.execute(
        select(t.imports)
        .where(
            t.imports.c.sha256 == sha256,
            t.imports.c.format == fmt,
            t.imports.c.options_json == options_json,
            t.imports.c.status == "running",
        )
        .order_by(t.imports.c.id.desc())
    ).first()
    if row is not None:
        return ImportRun(
            row.id,
            True,
            Checkpoint(
                row.records_done,
                row.lines_done,
                row.bytes_done,
                row.rejects_bytes,
                json.loads(row.counts_json),
            ),
            row.rejects_path,
        )
    result = conn.execute(
        t.imports.insert().values(
            format=fmt,
            path=path,
            sha256=sha256,
            size=size,
            options_json=options_json,
            status="running",
            header_json=json.dumps(header, ensure_ascii=False) if header is not None else None,
            records_done=0,
            lines_done=0,
            bytes_done=0,
            rejects_path=rejects_path,
            rejects_bytes=0,
            counts_json="{}",
            started_at=now,
        )
    )
    pk = result.inserted_primary_key
    assert pk is not None
    return ImportRun(int(pk[0]), False, Checkpoint(0, 0, 0, 0, {}), rejects_path)


def save_checkpoint(conn: Connection, import_id: int, cp: Checkpoint) -> None:
    conn.execute(
        update(t.imports)
        .where(t.imports.c.id == import_id)
        .values(
            records_done=cp.records,
            lines_done=cp.lines,
            bytes_done=cp.offset,
            rejects_bytes=cp.rejects_bytes,
            counts_json=json.dumps(cp.counts, sort_keys=True),
        )
    )


def finish_run(conn: Connection, import_id: int, now: dt.datetime) -> None:
    conn.execute(
        update(t.imports).where(t.imports.c.id == import_id).values(status="done", finished_at=now)
    )


@dataclass(frozen=True, slots=True)
class Existing:
    content_hash: str
    import_id: int
    row_number: int


def existing(conn: Connection, ids: Collection[str]) -> dict[str, Existing]:
    """The stored reports among ``ids``."""
    out: dict[str, Existing] = {}
    r = t.reports.c
    ids = list(ids)
    if conn.dialect.paramstyle == "qmark":
        # straight to the driver (SQLite): the bulk import asks this for every batch
        for i in range(0, len(ids), CHUNK):
            part = ids[i : i + CHUNK]
            sql = (
                "SELECT id, content_hash, import_id, row_number FROM reports "
                f"WHERE id IN ({', '.join('?' * len(part))})"
            )
            for rid, content_hash, import_id, row_number in conn.exec_driver_sql(sql, tuple(part)):
                out[rid] = Existing(content_hash, import_id, row_number)
        return out
    for i in range(0, len(ids), CHUNK):
        for row in conn.execute(
            select(r.id, r.content_hash, r.import_id, r.row_number).where(
                r.id.in_(ids[i : i + CHUNK])
            )
        ):
            out[row.id] = Existing(row.content_hash, row.import_id, row.row_number)
    return out


class ReportRow(NamedTuple):
    """A report as stored (everything but ``incident_id``, which fusion sets); the
    fields are the table's columns in order (a plain tuple on the bulk path)."""

    id: str
    seq: int
    dataset: str
    source_id: str
    import_id: int
    row_number: int
    content_hash: str
    status: str
    event_type: str
    sub_event_type: str
    start_date: str
    end_date: str
    lat: float
    lon: float
    record_json: str
    raw: str


_REPORT_COLUMNS = ReportRow._fields


def insert_reports(conn: Connection, rows: Sequence[ReportRow]) -> None:
    if not rows:
        return
    if conn.dialect.paramstyle == "qmark":
        # plain tuples straight to the driver: the hot path of a bulk import (SQLite)
        marks = ", ".join("?" * len(_REPORT_COLUMNS))
        sql = f"INSERT INTO reports ({', '.join(_REPORT_COLUMNS)}) VALUES ({marks})"
        conn.exec_driver_sql(sql, list(rows))
    else:
        conn.execute(t.reports.insert(), [_values(r) for r in rows])


def bulk_pragmas(conn: Connection) -> None:
    """SQLite settings for a bulk write that keep every committed batch across a crash of
    the process: WAL with synchronous=NORMAL syncs at checkpoints, not every commit."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA synchronous=NORMAL")
        conn.exec_driver_sql("PRAGMA cache_size=-65536")
        conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
    unmapped(conn)


def unmapped(conn: Connection) -> None:
    """No memory mapping on this SQLite connection (store/db.py maps files for searches):
    a bulk write reads few pages, and mapped pages would count as the importer's memory
    as the store grows."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA mmap_size=0")


def update_reports(conn: Connection, rows: Sequence[ReportRow]) -> None:
    """Replace changed reports; each keeps its place in import order (``seq``)."""
    if not rows:
        return
    c = t.reports.c
    stmt = (
        update(t.reports)
        .where(c.id == bindparam("b_id"))
        .values(
            {
                name: bindparam(f"b_{name}")
                for name in (
                    "dataset",
                    "source_id",
                    "import_id",
                    "row_number",
                    "content_hash",
                    "status",
                    "event_type",
                    "sub_event_type",
                    "start_date",
                    "end_date",
                    "lat",
                    "lon",
                    "record_json",
                    "raw",
                )  # fmt: skip
            }
        )
    )
    conn.execute(stmt, [{f"b_{k}": v for k, v in _values(r).items()} for r in rows])


def _values(r: ReportRow) -> dict[str, Any]:
    return r._asdict()


def count_pending() -> Any:
    return select(func.count()).select_from(t.reports).where(t.reports.c.incident_id.is_(None))


def pending_spans(conn: Connection, limit: int) -> list[tuple[str, str, str]]:
    """(start, end, id) of the earliest ``limit`` reports not in an incident."""
    r = t.reports.c
    return [
        (row.start_date, row.end_date, row.id)
        for row in conn.execute(
            select(r.start_date, r.end_date, r.id)
            .where(r.incident_id.is_(None))
            .order_by(r.start_date, r.seq)
            .limit(limit)
        )
    ]


# --------------------------------------------------------------------------- fusion
@dataclass(frozen=True, slots=True)
class StoredReport:
    id: str
    seq: int
    dataset: str
    incident: Incident
    incident_id: str | None


@dataclass(frozen=True, slots=True)
class FusedCluster:
    """What fusion gives back, as the store needs it."""

    incident: Incident
    members: tuple[str, ...]
    reasons: tuple[str, ...]


def merge_intervals(spans: Iterable[tuple[dt.date, dt.date]], slack: int) -> list[tuple[str, str]]:
    """Date spans widened by ``slack`` days and merged where they touch (ISO strings).

    >>> d = dt.date
    >>> merge_intervals([(d(2016, 9, 1), d(2016, 9, 1)), (d(2016, 9, 3), d(2016, 9, 4)),
    ...                  (d(2016, 9, 20), d(2016, 9, 20))], 1)
    [('2016-08-31', '2016-09-05'), ('2016-09-19', '2016-09-21')]
    """
    pad = dt.timedelta(days=slack)
    out: list[list[dt.date]] = []
    for lo, hi in sorted((a - pad, b + pad) for a, b in spans):
        if out and lo <= out[-1][1] + dt.timedelta(days=1):
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a.isoformat(), b.isoformat()) for a, b in out]


def window_reports(
    conn: Connection,
    intervals: Sequence[tuple[str, str]],
    cache: Callable[[str, str], Incident | None] | None = None,
) -> list[StoredReport]:
    """Reports whose dates overlap any interval, plus every report fused with one of them
    (so a cluster is never cut at the window's edge), in import order."""
    r = t.reports.c
    found: dict[str, Any] = {}
    for i in range(0, len(intervals), 50):
        cond = or_(
            *(and_(r.start_date <= hi, r.end_date >= lo) for lo, hi in intervals[i : i + 50])
        )
        for row in conn.execute(
            select(r.id, r.seq, r.dataset, r.content_hash, r.incident_id).where(cond)
        ):
            found[row.id] = row
    # whole clusters: members of the incidents touched, until nothing new comes in
    heads = {row.incident_id for row in found.values() if row.incident_id is not None}
    asked: set[str] = set()
    while heads - asked:
        todo = sorted(heads - asked)
        asked |= set(todo)
        for i in range(0, len(todo), CHUNK):
            for row in conn.execute(
                select(r.id, r.seq, r.dataset, r.content_hash, r.incident_id).where(
                    r.incident_id.in_(todo[i : i + CHUNK])
                )
            ):
                if row.id not in found:
                    found[row.id] = row
                    if row.incident_id is not None:
                        heads.add(row.incident_id)
    incidents: dict[str, Incident] = {}
    missing: list[str] = []
    for row in found.values():
        hit = cache(row.id, row.content_hash) if cache is not None else None
        if hit is None:
            missing.append(row.id)
        else:
            incidents[row.id] = hit
    for i in range(0, len(missing), CHUNK):
        for rid, record_json in conn.execute(
            select(r.id, r.record_json).where(r.id.in_(missing[i : i + CHUNK]))
        ):
            incidents[rid] = codec.ADAPTER.validate_json(record_json)
    out = [
        StoredReport(row.id, row.seq, row.dataset, incidents[row.id], row.incident_id)
        for row in found.values()
    ]
    out.sort(key=lambda s: s.seq)
    return out


def keep_apart(conn: Connection, ids: Collection[str]) -> list[frozenset[str]]:
    """Recorded keep-apart pairs with both reports among ``ids``."""
    c = t.merge_constraints.c
    wanted = set(ids)
    pairs: list[frozenset[str]] = []
    ordered = sorted(wanted)
    for i in range(0, len(ordered), CHUNK):
        for row in conn.execute(select(c.a, c.b).where(c.a.in_(ordered[i : i + CHUNK]))):
            if row.b in wanted:
                pairs.append(frozenset((row.a, row.b)))
    return pairs


def add_keep_apart(conn: Connection, pairs: Iterable[tuple[str, str]], now: dt.datetime) -> int:
    """Record pairs of reports that must not be fused again; returns how many are new."""
    c = t.merge_constraints.c
    added = 0
    for a, b in {tuple(sorted(p)) for p in pairs if p[0] != p[1]}:
        known = conn.execute(select(func.count()).where(c.a == a, c.b == b)).scalar_one()
        if not known:
            conn.execute(t.merge_constraints.insert().values(a=a, b=b, created_at=now))
            added += 1
    return added
