"""An import run: read a file, map its records, write them to the store in batches and
fuse the reports of one event into one incident.

Safe by construction:

* a report's id is the source's own id (``ucdp:301214``) or a content hash, so importing a
  file again changes nothing (every record ``unchanged``);
* each batch — its reports, the re-fused incidents of its date window and the run's
  checkpoint (records, lines, bytes read; size of the rejects file) — is one transaction;
* a run killed at any moment (``kill -9``) is resumed by running the same import again:
  the unfinished run of the same file (same SHA-256, format and options) continues from
  its last checkpoint, and the rejects file is cut back to what that checkpoint covers;
* audited like an API call, cheaply: each batch that changes the store writes one audit
  entry (``import.batch``: who, the file, its rows, the batch's counts) in its own
  transaction, and the finished run one more (``import.run``, the run's counts).
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import gc
import hashlib
import io
import os
import sys
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, func, select

from ceasewatch.errors import CeasewatchError, UsageError
from ceasewatch.fusion import Cluster, FusionSettings, Report, fuse
from ceasewatch.fusion.names import place_index
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident, Location, Status
from ceasewatch.ingest import FORMATS, records
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.keywords import AIR_FORCES
from ceasewatch.ingest.reader import (
    CsvReader,
    CsvRow,
    FileProblem,
    JsonDocumentReader,
    JsonLinesReader,
    Position,
    RawRecord,
    checkpoint_here,
)
from ceasewatch.ingest.result import Issue, Mapped, Outcome, Rejected
from ceasewatch.places.gazetteer import Gazetteer
from ceasewatch.store import audit, refusion
from ceasewatch.store import imports as store
from ceasewatch.store import tables as t

#: Records per batch (and per transaction).
BATCH: Final = 5_000

#: Bump when a mapper's output changes: a re-import then updates the reports it changes.
MAPPING_VERSION: Final = 1

#: Kind of source each dataset's reports are, for grading (docs/import.md).
SOURCE_CLASSES: Final[dict[str, str]] = {
    "acled": "dataset",
    "ucdp": "dataset",
    "gdelt": "wire",
    "syrian-archive": "local_activist",
}

#: Datasets that repeat themselves (many articles or videos of one event): their reports
#: may be fused with each other. ACLED and UCDP rows are distinct events by construction.
MERGE_WITHIN: Final = frozenset({"gdelt", "syrian-archive", "incidents", "geojson"})

REJECTS_HEADER: Final = ("row", "line", "field", "value", "reason", "outcome")


@dataclass
class Counts:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    skipped: int = 0
    rejected: int = 0
    warnings: int = 0
    skip_reasons: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["skip_reasons"] = dict(self.skip_reasons)
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Counts:
        data = dict(data)
        reasons = Counter(data.pop("skip_reasons", {}))
        return cls(**data, skip_reasons=reasons)


@dataclass(frozen=True)
class Outcomes:
    """What an import did."""

    import_id: int
    format: str
    path: str
    counts: Counts
    rejects_path: Path | None
    resumed: bool
    incidents: int  # fused incidents the store's reports make up (all imports)
    reports: int  # reports in the store (all imports)
    #: warnings about the file as a whole (header columns the format does not know)
    file_warnings: tuple[str, ...] = ()


Progress = Callable[[int, int], None]


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def default_rejects_path(path: Path) -> Path:
    """FILE.rejects.csv beside the input, or in the current folder if that is not writable."""
    beside = path.with_name(path.name + ".rejects.csv")
    folder = path.parent
    # a folder nobody may write to (a read-only data set) is left alone, even by root
    if os.access(folder, os.W_OK) and folder.stat().st_mode & 0o222:
        return beside
    return Path.cwd() / beside.name


def fusion_settings(ctx: Context) -> FusionSettings:
    """Fusion settings for an import under ``ctx``'s scenario: its blocs and aliases."""
    world_actors = ctx.actors
    return FusionSettings(
        merge_within_datasets=MERGE_WITHIN,
        blocs=world_actors.blocs,
        actor_aliases=world_actors.aliases,
        place_names=_place_names(ctx),
        # an air strike with no named perpetrator never joins a ground report by a party
        # that has no aircraft
        air_forces=AIR_FORCES,
    )


def _place_names(ctx: Context) -> Mapping[str, frozenset[str]]:
    """The scenario gazetteer's names and alternate names, for fusion's place names."""
    return {} if ctx.places is None else _place_index(ctx.places)


@lru_cache(maxsize=8)
def _place_index(places: Gazetteer) -> Mapping[str, frozenset[str]]:
    return place_index((p.id, (p.name, *p.names)) for p in places.places)


class _Cache:
    """Recently written reports' incidents, so re-fusing a window rarely re-reads JSON.
    Bounded: memory stays constant however large the file."""

    def __init__(self, size: int = 3 * BATCH) -> None:
        self.size = size
        self.items: OrderedDict[str, tuple[str, Incident]] = OrderedDict()

    def put(self, report_id: str, content_hash: str, incident: Incident) -> None:
        self.items[report_id] = (content_hash, incident)
        self.items.move_to_end(report_id)
        while len(self.items) > self.size:
            self.items.popitem(last=False)

    def get(self, report_id: str, content_hash: str) -> Incident | None:
        hit = self.items.get(report_id)
        return hit[1] if hit is not None and hit[0] == content_hash else None


class _Rejects:
    """The rejects file: one line per problem, written after the batch's records are known
    and cut back on resume to what the last checkpoint covers."""

    def __init__(self, path: Path, keep_bytes: int) -> None:
        self.path = path
        if keep_bytes > 0 and path.exists():
            with path.open("r+b") as fh:
                fh.truncate(keep_bytes)
        elif path.exists():
            path.unlink()
        self.size = keep_bytes

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if not rows:
            return
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        if self.size == 0:
            w.writerow(REJECTS_HEADER)
        w.writerows(rows)
        data = buf.getvalue().encode("utf-8")
        with self.path.open("ab") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        self.size += len(data)


def _open_reader(fmt: str, path: Path, start: Position) -> Any:
    spec = FORMATS[fmt]
    if spec.layout == "csv":
        return CsvReader(
            path,
            delimiter=spec.delimiter,
            required=spec.required,
            columns=spec.columns,
            known=spec.known,
            start=start,
        )
    name = path.name.lower()
    if fmt == "incidents" and name.endswith(".csv"):
        return CsvReader(path, required=("id", "event_type", "start"), start=start)
    if name.endswith((".jsonl", ".ndjson", ".geojsonl", ".geojsons")) or _looks_like_lines(path):
        return JsonLinesReader(path, start=start)
    keys = ("features",) if spec.layout == "geojson" else ("incidents",)
    return JsonDocumentReader(path, keys=keys, start=start)


def _looks_like_lines(path: Path) -> bool:
    """JSON Lines: the first line is a whole JSON object and another line follows."""
    import json

    with path.open("rb") as fh:
        first = fh.readline(1 << 20)
        second = fh.readline(16)
    if not first.lstrip().startswith(b"{") or not second.strip():
        return False
    try:
        json.loads(first)
    except ValueError:
        return False
    return True


def _mapper(fmt: str, path: Path) -> Callable[[Any, Context], Outcome]:
    if fmt == "incidents" and path.name.lower().endswith(".csv"):
        return records.map_csv_row
    return FORMATS[fmt].map


def _dataset(fmt: str, incident: Incident) -> str:
    if fmt in ("incidents", "geojson") and incident.submitted_by:
        return incident.submitted_by[:40]
    return fmt


def run_import(
    engine: Engine,
    fmt: str,
    path: Path,
    ctx: Context,
    *,
    now: Callable[[], dt.datetime],
    rejects: Path | None = None,
    batch: int = BATCH,
    progress: Progress | None = None,
    settings: FusionSettings | None = None,
    fuse_now: bool = True,
    actor: str = "cli:unknown",
    workers: int | None = None,
    write_behind: bool | str = False,
) -> Outcomes:
    """Import ``path`` as ``fmt`` under ``ctx`` (its scenario; ``ctx.status`` overrides
    the dataset's default status), audited as ``actor`` (``cli:NAME``). See the module
    docstring for what is guaranteed.

    ``workers`` processes map the records (default ``default_workers()``; 0: this process
    does it all) while this one reads the file and writes the store: batches come back
    in file order, at most two per worker in flight, so memory stays bounded and every
    write — reports, fusion, checkpoint, audit — stays in this process, one transaction a
    batch.

    ``write_behind``: ``"process"``, batches are written by a writer process while this
    one reads and maps the next; ``"thread"`` (or True), by a writer thread; False (the
    default), here. Never for an in-memory SQLite store. Either way every write —
    reports, checkpoint, audit — is one transaction a batch, in file order. Both are off
    by default: on the loaded two-core machine they were measured on, neither gained
    wall time (see docs/import.md, "Throughput").
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} — use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    size = path.stat().st_size
    digest = sha256(path)
    options = {
        "status": ctx.status,
        "scenario": ctx.scenario_id,
        "mapping": MAPPING_VERSION,
    }
    rejects_path = rejects or default_rejects_path(path)
    probe = _open_reader(fmt, path, Position())
    header = getattr(probe, "header", None) if FORMATS[fmt].columns is None else None
    probe.close()
    with engine.begin() as conn:
        run = store.open_run(
            conn,
            fmt=fmt,
            path=str(path),
            sha256=digest,
            size=size,
            options=options,
            header=header,
            rejects_path=str(rejects_path),
            now=now(),
        )
    if run.resumed and run.rejects_path:
        rejects_path = Path(run.rejects_path)
    cp = run.checkpoint
    writer = _Rejects(rejects_path, cp.rejects_bytes)
    counts = Counts.from_json(cp.counts) if cp.counts else Counts()
    reader = _open_reader(fmt, path, Position(cp.records, cp.lines, cp.offset))
    unknown: list[Issue] = getattr(reader, "unknown", [])
    if unknown and cp.records == 0:  # before the first batch: written with it, once
        writer.write([(0, 1, i.field, "", i.message, "ignored") for i in unknown])
        counts.warnings += len(unknown)
    mapper = _mapper(fmt, path)
    spec = FORMATS[fmt]
    fast = (
        spec.batch(reader.header, ctx, run.id)
        if spec.batch is not None and isinstance(reader, CsvReader) and mapper is spec.map
        else None
    )
    how = _Mapping(fmt, ctx, run.id, mapper, fast)
    job = _Job(
        engine=engine,
        how=how,
        writer=writer,
        counts=counts,
        settings=settings or fusion_settings(ctx),
        fuse_now=fuse_now,
        actor=actor,
        now=now,
        file={"file": str(path), "format": fmt, "sha256": digest},
    )
    if progress is not None:
        progress(cp.offset, size)
    collecting = gc.isenabled()
    # the records of a batch make no reference cycles: reference counting frees them, and
    # the cycle collector's passes over a batch's objects would cost more than the mapping
    gc.disable()
    n_workers = default_workers() if workers is None else workers
    try:
        parts: Iterator[tuple[Sequence[RawRecord | CsvRow], Position | None]] = (
            reader.batches(batch)
            if how.fast is not None
            else ((part, None) for part in _batches(reader, batch))
        )
        mode = write_behind if isinstance(write_behind, str) else "thread" if write_behind else None
        if not _threads_ok(engine):
            mode = None
        # in a writer process, the batch mapper's rows are made there (``_finish``): the
        # JSON and hashing balance the two processes' work
        defer = mode == "process" and not job.fuse_now
        if n_workers <= 0:
            prepared: Iterator[_Batch] = (
                _prepare(how, part, job.fuse_now, after, defer) for part, after in parts
            )
        else:
            prepared = _mapped_in_workers(how, reader, parts, n_workers)
        _write_all(job, prepared, progress, size, behind=mode)
        if progress is not None:
            progress(size, size)
    finally:
        reader.close()
        if collecting:
            gc.enable()
    with engine.begin() as conn:
        # the counts below read without memory mapping, as the batches were written: an
        # index mapped in whole would count as this process's memory (with a writer
        # process this is the first connection here to read the reports)
        store.unmapped(conn)
        audit.serialise(conn)
        store.finish_run(conn, run.id, now())
        audit.record(
            conn,
            at=now(),
            actor=actor,
            action="import.run",
            entity="import",
            entity_id=str(run.id),
            after={**job.file, "size": size, "resumed": run.resumed, **job.counts.as_json()},
        )
        n_reports = conn.execute(select(func.count()).select_from(t.reports)).scalar_one()
        n_incidents = conn.execute(
            select(func.count(func.distinct(t.reports.c.incident_id)))
        ).scalar_one()
    return Outcomes(
        import_id=run.id,
        format=fmt,
        path=str(path),
        counts=job.counts,
        rejects_path=rejects_path if writer.size else None,
        resumed=run.resumed,
        incidents=int(n_incidents),
        reports=int(n_reports),
        file_warnings=tuple(f"{path}: {i.message}" for i in unknown),
    )


@dataclass(frozen=True, slots=True)
class _Mapping:
    """What a batch's mapping needs (sent once to each worker process)."""

    fmt: str
    ctx: Context
    import_id: int
    mapper: Callable[[Any, Context], Outcome]
    #: the format's batch mapper for this file's CSV rows (``Format.batch``), if any
    fast: Any = None


@dataclass(slots=True)
class _Batch:
    """A batch's records mapped: the rows to store and what to count and report. Made by
    ``_prepare`` (pure CPU work, in this process or a worker), written by ``_Job.write``."""

    rows: list[store.ReportRow]
    lines: dict[int, int]  # row number -> line, for the duplicate messages of ``write``
    problems: list[tuple[Any, ...]]
    rejected: int
    warnings: int
    unchanged: int
    skip_reasons: Counter[str]
    after: Position | None
    incidents: list[Incident] | None  # the rows' incidents, when fusion wants them
    numbers: tuple[int, int] | None = None  # the batch's first and last record numbers
    #: what ``_finish`` has yet to do (None: the rows above are all there is)
    unfinished: tuple[list[Any], list[Any]] | None = None


def _prepare(
    how: _Mapping,
    batch: Sequence[RawRecord | CsvRow],
    keep: bool,
    after: Position | None = None,
    defer: bool = False,
) -> _Batch:
    """Map a batch's records to report rows: rejects, warnings and skips counted, OCHA
    P-codes filled in, each row's JSON and content hash made, and an id given twice in the
    batch kept once (the earlier row stands; other values are a ``duplicate id``).

    A ``CsvRow`` (from ``CsvReader.batches``) goes to the format's batch mapper
    (``how.fast``) when it has one; a row that mapper leaves, and every ``RawRecord``, goes
    the reference way: the format's mapper, then ``_row_of``. ``after``: the position after
    the batch (default: the last record's). ``defer``: the batch mapper's rows are left
    to ``_finish`` (which ``_Job.write`` calls), so a writer process can make them."""
    problems: list[tuple[Any, ...]] = []
    # in record order: (number, line, raw, the reference's Mapped, or None for a row the
    # batch mapper took: those are in ``taken``, as (its pending row, number, raw))
    done: list[tuple[int, int, str, Mapped | None]] = []
    taken: list[tuple[Any, int, str]] = []
    rejected = warnings = unchanged = 0
    skips: Counter[str] = Counter()
    mapper, ctx, fast = how.mapper, how.ctx, how.fast
    tuples = [r for r in batch if type(r) is tuple]
    quick = iter(fast.map([r[2] for r in tuples]) if fast is not None and tuples else ())
    for item in batch:
        if type(item) is tuple:
            number, line, values, raw = item
            pending = next(quick, None)
            if pending is not None:
                done.append((number, line, raw, None))
                taken.append((pending, number, raw))
                continue
            header = fast.header if fast is not None else ()
            rec = RawRecord(number, line, _NOWHERE, dict(zip(header, values, strict=True)), raw)
        else:
            rec = item  # type: ignore[assignment]
        if rec.problem is not None:
            rejected += 1
            problems.append(_line(rec, rec.problem, "rejected"))
            continue
        outcome = mapper(rec.value, ctx)
        if isinstance(outcome, Mapped):
            if rec.warning is not None:
                outcome = Mapped(outcome.incident, (rec.warning, *outcome.warnings))
            done.append((rec.number, rec.line, rec.raw, outcome))
            for w in outcome.warnings:
                problems.append(_line(rec, w, "kept"))
                warnings += 1
        elif isinstance(outcome, Rejected):
            rejected += 1
            problems.extend(_line(rec, i, "rejected") for i in outcome.issues)
        else:
            skips[outcome.reason] += 1
    codes = _admin_codes(done, ctx)
    # the reference rows made here; the batch mapper's (``taken``) by ``_finish``
    made: list[tuple[int, int, store.ReportRow | None, Incident | None]] = []
    for k, (number, line, raw, m) in enumerate(done):
        if m is None:
            made.append((number, line, None, None))
        else:
            inc = _located(m.incident, codes[k])
            made.append((number, line, _row_of(how, number, raw, inc), inc if keep else None))
    if after is None and batch:
        last = batch[-1]
        after = last.after if isinstance(last, RawRecord) else None
    b = _Batch(
        [],
        {},
        problems,
        rejected,
        warnings,
        unchanged,
        skips,
        after,
        [] if keep else None,
        (batch[0][0] if type(batch[0]) is tuple else batch[0].number,  # type: ignore[union-attr]
         batch[-1][0] if type(batch[-1]) is tuple else batch[-1].number)  # type: ignore[union-attr]
        if batch
        else None,
        (made, taken),
    )  # fmt: skip
    if not defer:
        _finish(how, b)
    return b


def _finish(how: _Mapping, b: _Batch) -> None:
    """The second half of ``_prepare``: the batch mapper's report rows made (their
    incident.v1 JSON, content hash and P-codes), merged in record order with the
    reference rows, and an id given twice in the batch kept once (the earlier row stands;
    other values are a ``duplicate id``). Pure CPU work: in the importing process, or in
    the writer process (``_write_in_process``)."""
    if b.unfinished is None:
        return
    made, taken = b.unfinished
    b.unfinished = None
    quick_rows = iter(how.fast.rows(taken) if taken else ())
    rows = b.rows
    incidents = b.incidents
    lines = b.lines
    problems = b.problems
    first: dict[str, store.ReportRow] = {}
    for number, line, reference, inc in made:
        row = next(quick_rows) if reference is None else reference
        earlier = first.get(row.id)
        if earlier is not None:
            # the same id twice in one batch: the earlier row stands
            if earlier.content_hash == row.content_hash:
                b.unchanged += 1
            else:
                b.rejected += 1
                problems.append(
                    _line_at(number, line, _duplicate_issue(row.id, earlier.row_number))
                )
            continue
        first[row.id] = row
        rows.append(row)
        lines[number] = line
        if incidents is not None:
            incidents.append(
                inc if inc is not None else codec.ADAPTER.validate_json(row.record_json)
            )


_NOWHERE: Final = Position()


def _row_of(how: _Mapping, number: int, raw: str, inc: Incident) -> store.ReportRow:
    """The reference serializer: a mapped record's report row."""
    record_json = codec.ADAPTER.dump_json(inc).decode("utf-8")
    digest = hashlib.blake2b(digest_size=16)
    digest.update(record_json.encode("utf-8"))
    digest.update(b"\0")
    digest.update(raw.encode("utf-8"))
    return store.ReportRow(
        id=inc.id,
        seq=store.seq(how.import_id, number),
        dataset=_dataset(how.fmt, inc),
        source_id=inc.id.split(":", 1)[1] if ":" in inc.id else inc.id,
        import_id=how.import_id,
        row_number=number,
        content_hash=digest.hexdigest(),
        status=inc.status,
        event_type=inc.event_type,
        sub_event_type=inc.sub_event_type,
        start_date=inc.occurred.start.isoformat(),
        end_date=inc.occurred.end.isoformat(),
        lat=inc.location.lat,
        lon=inc.location.lon,
        record_json=record_json,
        raw=raw,
    )


# A worker process's mapping and, for a CSV file, its header and delimiter: set once by
# ``_start_worker`` (fork: inherited as is).
_WORKER: tuple[_Mapping, list[str] | None, str] | None = None

#: A record as sent to a worker: number, line, raw text, problem, warning, and the parsed
#: value for all but CSV records (a worker parses a CSV record's raw line again: cheaper
#: than sending the parsed row, which costs a third of the mapping to pickle).
_Sent = tuple[int, int, str, Issue | None, Issue | None, Any]


def _start_worker(how: _Mapping, header: list[str] | None, delimiter: str) -> None:
    global _WORKER
    _WORKER = (how, header, delimiter)
    gc.disable()  # as in the main process: a batch's records make no reference cycles
    _die_with_parent()


def _die_with_parent() -> None:
    """On Linux, a worker gets SIGKILL when the import process dies (even by kill -9),
    instead of waiting for work forever."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes
    import signal

    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _sent(batch: Sequence[RawRecord | CsvRow], csv_rows: bool) -> list[_Sent]:
    out: list[_Sent] = []
    for r in batch:
        if isinstance(r, tuple):  # a clean CSV row: its raw line is all a worker needs
            out.append((r[0], r[1], r[3], None, None, None))
        else:
            out.append(
                (r.number, r.line, r.raw, r.problem, r.warning, None if csv_rows else r.value)
            )
    return out


def _prepare_in_worker(sent: list[_Sent]) -> _Batch:
    assert _WORKER is not None
    how, header, delimiter = _WORKER
    nowhere = Position()
    batch: list[RawRecord | CsvRow] = []
    for number, line, raw, problem, warning, value in sent:
        if header is not None and problem is None:
            values = next(csv.reader(io.StringIO(raw), delimiter=delimiter, strict=True))
            if warning is None and how.fast is not None:
                batch.append((number, line, values, raw))  # for the batch mapper
                continue
            value = dict(zip(header, values, strict=True))
        batch.append(RawRecord(number, line, nowhere, value, raw, problem, warning))
    done = _prepare(how, batch, False)
    done.rows = [tuple(r) for r in done.rows]  # type: ignore[misc]  # plain tuples pickle fast
    return done


def default_workers() -> int:
    """Mapping processes beside the writer: one fewer than the CPUs, at most 3 (the
    writer is the limit beyond that); none on one or two CPUs, where sending records to a
    worker and back (a quarter more CPU time) costs about what the second process gains."""
    cpus = os.cpu_count() or 1
    return 0 if cpus <= 2 else min(3, cpus - 1)


@dataclass
class _Job:
    engine: Engine
    how: _Mapping
    writer: _Rejects
    counts: Counts
    settings: FusionSettings
    fuse_now: bool = True
    actor: str = "cli:unknown"
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    file: dict[str, Any] = field(default_factory=dict)
    position: Position = Position()
    cache: _Cache = field(default_factory=_Cache)

    def flush(self, batch: list[RawRecord], final: bool = False) -> None:
        """Map and write one batch in this process."""
        if not batch and not final:
            return
        self.write(_prepare(self.how, batch, self.fuse_now))

    def write(self, b: _Batch) -> None:
        """Store a mapped batch, its fusion and the checkpoint: one transaction."""
        _finish(self.how, b)
        counts = self.counts
        before = counts.as_json()
        counts.rejected += b.rejected
        counts.warnings += b.warnings
        counts.unchanged += b.unchanged
        counts.skipped += sum(b.skip_reasons.values())
        counts.skip_reasons.update(b.skip_reasons)
        problems = b.problems
        rows = b.rows
        if b.incidents is not None:
            for row, inc in zip(rows, b.incidents, strict=True):
                self.cache.put(row.id, row.content_hash, inc)
        if b.after is not None:
            self.position = b.after
        with self.engine.begin() as conn:
            audit.serialise(conn)
            store.bulk_pragmas(conn)
            have = store.existing(conn, [r.id for r in rows])
            new: list[store.ReportRow] = []
            changed: list[store.ReportRow] = []
            for row in rows:
                old = have.get(row.id)
                if old is None:
                    new.append(row)
                elif old.content_hash == row.content_hash:
                    counts.unchanged += 1
                elif old.import_id == self.how.import_id and old.row_number < row.row_number:
                    # an earlier row of this very file has the id: a duplicate, not an update
                    counts.rejected += 1
                    problems.append(
                        _line_at(
                            row.row_number,
                            b.lines[row.row_number],
                            _duplicate_issue(row.id, old.row_number),
                        )
                    )
                else:
                    changed.append(row)
            counts.imported += len(new)
            counts.updated += len(changed)
            self.writer.write(problems)
            store.insert_reports(conn, new)
            store.update_reports(conn, changed)
            touched = new + changed
            if touched and self.fuse_now:
                size = refuse(
                    conn, touched, self.settings, self.cache, now=self.now(), actor=self.actor
                )
                counts.merged += sum(1 for r in touched if size.get(r.id, 1) > 1)
            elif changed:
                # even with fusion deferred, a changed report is re-fused now: the incident
                # it was in is found through its link (which a pending report no longer
                # has), so that incident sheds the report's old claims and the other
                # reports' incident is re-made without it
                refuse(conn, changed, self.settings, self.cache, now=self.now(), actor=self.actor)
            if touched:
                self._audit(conn, b.numbers, before)
            store.save_checkpoint(
                conn,
                self.how.import_id,
                store.Checkpoint(
                    self.position.records,
                    self.position.lines,
                    self.position.offset,
                    self.writer.size,
                    counts.as_json(),
                ),
            )

    def _audit(self, conn: Any, numbers: tuple[int, int] | None, before: dict[str, Any]) -> None:
        """One entry for the batch: the file, its records, what the batch did."""
        after = self.counts.as_json()
        done = {
            k: after[k] - before.get(k, 0)
            for k in ("imported", "updated", "unchanged", "merged", "skipped", "rejected")
        }
        audit.record(
            conn,
            at=self.now(),
            actor=self.actor,
            action="import.batch",
            entity="import",
            entity_id=str(self.how.import_id),
            after={**self.file, "records": list(numbers or ()), **done},
        )


def _write_all(
    job: _Job,
    batches: Iterator[_Batch],
    progress: Progress | None,
    size: int,
    *,
    behind: str | None,
) -> None:
    """Write every batch in order, then the final checkpoint: here, or (``behind``) in a
    writer thread or process while this one reads and maps the next batch. Either way one
    batch is one transaction, written after the one before; a batch the writer fails on
    stops the run (the batches after it are not written)."""
    if behind == "process":
        _write_in_process(job, batches, progress, size)
        return
    if behind != "thread":
        for b in batches:
            job.write(b)
            if progress is not None:
                progress(job.position.offset, size)
        job.flush([], final=True)
        return
    import queue
    import threading

    todo: queue.Queue[_Batch | None] = queue.Queue(maxsize=1)  # memory: three batches at most
    failed: list[BaseException] = []

    def writer() -> None:
        while (b := todo.get()) is not None:
            if failed:
                continue  # drain: nothing more is written
            try:
                job.write(b)
                if progress is not None:
                    progress(job.position.offset, size)
            except BaseException as e:  # re-raised in the importing thread
                failed.append(e)

    thread = threading.Thread(target=writer, name="ceasewatch-import-writer", daemon=True)
    thread.start()
    try:
        for b in batches:
            if failed:
                break
            todo.put(b)
    finally:
        todo.put(None)
        thread.join()
    if failed:
        raise failed[0]
    job.flush([], final=True)


def _write_in_process(
    job: _Job, batches: Iterator[_Batch], progress: Progress | None, size: int
) -> None:
    # what both processes hold from before the fork stays shared only while neither
    # writes to its pages: frozen for the run, the garbage collector of neither walks
    # (and so copies) them
    gc.collect()
    gc.freeze()
    try:
        _write_in_forked_process(job, batches, progress, size)
    finally:
        gc.unfreeze()


def _write_in_forked_process(
    job: _Job, batches: Iterator[_Batch], progress: Progress | None, size: int
) -> None:
    """``_write_all`` with a writer process (forked: it has the job as it stands). This
    one sends each mapped batch down a pipe — a send waits while the writer is busy with
    the batch before, so at most about three batches are held — and takes back the
    counts, position and rejects size when the writer is done. A writer process that
    fails stops the run with its error; this process failing (or killed) stops the
    writer before its next batch (it dies with this one: ``_die_with_parent``)."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    results, reply = context.Pipe(duplex=False)
    proc = context.Process(
        target=_writer_process, args=(job, receive, reply), name="ceasewatch-import-writer"
    )
    proc.start()
    receive.close()
    reply.close()
    finished = False
    try:
        for b in batches:
            if results.poll():
                break  # the writer stopped: its answer says why
            b.rows = [tuple(r) for r in b.rows]  # type: ignore[misc]  # plain tuples pickle fast
            try:
                send.send(b)
            except (BrokenPipeError, ConnectionResetError):
                break
            if progress is not None and b.after is not None:
                progress(b.after.offset, size)
        else:
            try:
                send.send(None)
                finished = True
            except (BrokenPipeError, ConnectionResetError):
                pass
    finally:
        send.close()  # the writer stops at the end of what it has (EOF) if not finished
        if not finished and not results.poll():
            proc.join()
    try:
        answer = results.recv()
    except EOFError:
        proc.join()
        raise CeasewatchError(
            f"the import's writer process ended without a word (exit code {proc.exitcode})"
        ) from None
    finally:
        results.close()
    proc.join()
    if answer[0] == "error":
        raise answer[1]
    if answer[0] == "stopped":
        return  # this process failed: its own error goes on
    _, job.counts, job.position, job.writer.size = answer


def _writer_process(job: _Job, receive: Any, reply: Any) -> None:
    """The writer process: every batch that comes, then the final checkpoint."""
    _die_with_parent()
    job.engine.dispose(close=False)  # its own connections, never the parent's
    try:
        while True:
            try:
                b = receive.recv()
            except EOFError:  # the importing process stopped before the end
                reply.send(("stopped",))
                return
            if b is None:
                break
            b.rows = [store.ReportRow._make(r) for r in b.rows]
            job.write(b)
        job.flush([], final=True)
        reply.send(("done", job.counts, job.position, job.writer.size))
    except BaseException as e:
        receive.close()  # the importing process's next send fails at once
        try:
            reply.send(("error", e))
        except Exception:  # an error that does not pickle
            reply.send(("error", CeasewatchError(f"the import's writer failed: {e!r}")))


def _threads_ok(engine: Engine) -> bool:
    """False where another thread would get another database (in-memory SQLite)."""
    from sqlalchemy.pool import SingletonThreadPool, StaticPool

    return not isinstance(engine.pool, SingletonThreadPool | StaticPool)


def _batches(reader: Any, size: int) -> Iterator[list[RawRecord]]:
    """The records in batches of ``size`` or a little more (a batch ends only where a
    checkpoint may fall: never inside a JSON line of several records)."""
    pending: list[RawRecord] = []
    for rec in reader:
        pending.append(rec)
        if len(pending) >= size and checkpoint_here(rec):
            yield pending
            pending = []
    if pending:
        yield pending


def _mapped_in_workers(
    how: _Mapping,
    reader: Any,
    batches: Iterator[tuple[Sequence[RawRecord | CsvRow], Position | None]],
    workers: int,
) -> Iterator[_Batch]:
    """``_prepare`` of every batch in ``workers`` processes, yielded in input order, with
    at most two batches per worker in flight (bounded memory)."""
    import multiprocessing

    header = reader.header if isinstance(reader, CsvReader) else None
    delimiter = reader.delimiter if isinstance(reader, CsvReader) else ","
    context = multiprocessing.get_context("fork")
    in_flight: deque[tuple[Any, Position | None]] = deque()

    def done(item: tuple[Any, Position | None]) -> _Batch:
        b: _Batch = item[0].get()
        b.rows = [store.ReportRow._make(r) for r in b.rows]
        b.after = item[1]
        return b

    initargs = (how, header, delimiter)
    with context.Pool(workers, initializer=_start_worker, initargs=initargs) as pool:
        for part, after in batches:
            if after is None:
                last = part[-1]
                assert isinstance(last, RawRecord)
                after = last.after
            sent = _sent(part, header is not None)
            in_flight.append((pool.apply_async(_prepare_in_worker, (sent,)), after))
            if len(in_flight) >= 2 * workers:
                yield done(in_flight.popleft())
        while in_flight:
            yield done(in_flight.popleft())


def refuse(
    conn: Any,
    touched: Sequence[store.ReportRow] | Sequence[tuple[str, str]],
    settings: FusionSettings,
    cache: _Cache | None = None,
    *,
    now: dt.datetime,
    actor: str,
    source_classes: Mapping[str, str] = SOURCE_CLASSES,
) -> dict[str, int]:
    """Re-fuse the reports in the date window of ``touched`` (rows, or (start, end) ISO
    date pairs) widened by the settings' date slack, and store the clusters, keeping the
    monitors' edits of the stored incidents (``store.refusion``; changes audited as
    ``actor``). ``source_classes``: the kind of source of each dataset's reports (for
    grading; benchmarks/fusion.py names its own feeds). Returns the cluster size of every
    report in the window."""
    spans = [
        (
            dt.date.fromisoformat(r.start_date if isinstance(r, store.ReportRow) else r[0]),
            dt.date.fromisoformat(r.end_date if isinstance(r, store.ReportRow) else r[1]),
        )
        for r in touched
    ]
    intervals = store.merge_intervals(spans, settings.max_date_slack_days)
    window = store.window_reports(conn, intervals, cache.get if cache is not None else None)
    reports = [
        Report(s.incident, s.dataset, source_classes.get(s.dataset, "unknown")) for s in window
    ]
    apart = store.keep_apart(conn, [s.id for s in window])
    clusters = fuse(reports, keep_apart=apart, settings=settings)
    refusion.write_clusters(conn, window, [_fused(c) for c in clusters], now=now, actor=actor)
    return {m: len(c.members) for c in clusters for m in c.members}


def fuse_pending(
    engine: Engine,
    settings: FusionSettings,
    *,
    window: int = BATCH,
    progress: Progress | None = None,
    actor: str = "cli:unknown",
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
) -> int:
    """Fuse every report not yet in an incident (imported with ``fuse_now=False``), in
    date order, ``window`` pending reports per transaction, each audited as ``actor``
    (one ``incidents.fuse`` entry). Safe to kill and run again. Returns how many reports
    were fused."""
    done = 0
    with engine.connect() as conn:
        total = int(conn.execute(store.count_pending()).scalar_one())
    if progress is not None:
        progress(0, total)
    while True:
        with engine.begin() as conn:
            audit.serialise(conn)
            spans = store.pending_spans(conn, window)
            if not spans:
                break
            sizes = refuse(conn, [(a, b) for a, b, _ in spans], settings, now=now(), actor=actor)
            left = [rid for _, _, rid in spans if rid not in sizes]
            if left:  # cannot happen: every pending report lies in its own window
                raise CeasewatchError(f"fusion left reports out of every incident: {left[:5]}")
            audit.record(
                conn,
                at=now(),
                actor=actor,
                action="incidents.fuse",
                entity="reports",
                entity_id="pending",
                after={
                    "reports": len(spans),
                    "from": min(a for a, _, _ in spans),
                    "to": max(b for _, b, _ in spans),
                },
            )
            # the window holds every report of its dates: often more than were asked for
            done = total - int(conn.execute(store.count_pending()).scalar_one())
        if progress is not None:
            progress(min(done, total), total)
    return done


def _fused(c: Cluster) -> store.FusedCluster:
    return store.FusedCluster(c.incident, c.members, c.reasons)


def _line(rec: RawRecord, issue: Issue, outcome: str) -> tuple[Any, ...]:
    return (rec.number, rec.line, issue.field, issue.value or "", issue.message, outcome)


def _line_at(number: int, line: int, issue: Issue) -> tuple[Any, ...]:
    return (number, line, issue.field, issue.value or "", issue.message, "rejected")


def _duplicate_issue(report_id: str, first: int) -> Issue:
    return Issue("id", f"duplicate id {report_id!r} with other values (first on record {first})")


def _admin_codes(
    done: Sequence[tuple[int, int, str, Mapped | None]], ctx: Context
) -> list[tuple[str | None, str | None]]:
    """OCHA P-codes by point-in-polygon for each mapped record that has none of its own,
    one lookup for the batch; (None, None) for the others."""
    codes: list[tuple[str | None, str | None]] = [(None, None)] * len(done)
    todo: list[int] = []
    locations: list[Location] = []
    for k, (_number, _line, _raw, m) in enumerate(done):
        if m is None:
            continue
        loc = m.incident.location
        if loc.admin1_pcode is None and loc.admin2_pcode is None:
            todo.append(k)
            locations.append(loc)
    if todo:
        found = ctx.admin.lookup(
            [loc.lat for loc in locations],
            [loc.lon for loc in locations],
            [loc.precision for loc in locations],
        )
        for k, got in zip(todo, found, strict=True):
            codes[k] = got
    return codes


def _located(i: Incident, codes: tuple[str | None, str | None]) -> Incident:
    """``i`` with the P-codes ``_admin_codes`` found (unchanged when it found none)."""
    a1, a2 = codes
    if a1 is None and a2 is None:
        return i
    loc = i.location
    return _moved(i, Location(loc.lat, loc.lon, loc.precision, loc.name, a1, a2, loc.country))


def _moved(i: Incident, location: Location) -> Incident:
    """``i`` at ``location`` (``dataclasses.replace`` is several times slower)."""
    return Incident(
        i.id,
        i.event_type,
        i.sub_event_type,
        i.occurred,
        location,
        i.status,
        i.submitted_by,
        i.method,
        i.perpetrator,
        i.target,
        i.fatalities,
        i.civilian_fatalities,
        i.injured,
        i.sources,
        i.confidence,
    )


def iter_records(fmt: str, path: Path) -> Iterator[RawRecord]:
    """Every record of ``path`` as ``fmt`` reads it (for tests and tools)."""
    reader = _open_reader(fmt, path, Position())
    try:
        yield from reader
    finally:
        reader.close()


__all__ = [
    "BATCH",
    "Counts",
    "FileProblem",
    "Outcomes",
    "Status",
    "iter_records",
    "run_import",
]
