"""What the commands do, as functions: the CLI (and later the API) only translate.

Everything with I/O or a clock lives here or in the adapters, never in the core.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zoneinfo
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from ceasewatch.access.model import AccessRecords
from ceasewatch.agreement.model import Scenario
from ceasewatch.agreement.sources import BUNDLED, load_bundled
from ceasewatch.delineation.apply import evaluate as delineated
from ceasewatch.delineation.model import Ledger
from ceasewatch.errors import UsageError
from ceasewatch.evaluate.engine import Evaluation, evaluate
from ceasewatch.evaluate.finding import Finding
from ceasewatch.evaluate.gates import (
    PhaseStatus,
    TriggerStatus,
    access_findings,
    phase_statuses,
    trigger_statuses,
)
from ceasewatch.evaluate.timeline import DayRow, daily_timeline
from ceasewatch.incidents import codec
from ceasewatch.incidents.model import Incident

FINDINGS: TypeAdapter[list[Finding]] = TypeAdapter(list[Finding])
DEMO_SCENARIO = "syria-2016"


def default_as_of(incidents: Sequence[Incident], timezone: str) -> dt.datetime:
    """The end of the latest incident's last day, local time: reproducible runs.

    >>> from ceasewatch.incidents.codec import ADAPTER
    >>> i = ADAPTER.validate_python({"id": "a", "event_type": "Battles", "sub_event_type": "Armed clash",
    ...     "occurred": {"start": "2016-09-30", "end": "2016-09-30"},
    ...     "location": {"lat": 36, "lon": 37, "precision": "town"}})
    >>> default_as_of([i], "Asia/Damascus").isoformat()
    '2016-10-01T00:00:00+03:00'
    """
    if not incidents:
        raise UsageError(
            "no incidents to evaluate — give --as-of, or an incident file with records"
        )
    last = max(i.occurred.end for i in incidents)
    return dt.datetime.combine(
        last + dt.timedelta(days=1), dt.time(0), tzinfo=zoneinfo.ZoneInfo(timezone)
    )


def parse_as_of(text: str, timezone: str) -> dt.datetime:
    """``2016-09-30`` (the end of that local day) or an ISO datetime with offset."""
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(
                day + dt.timedelta(days=1), dt.time(0), tzinfo=zoneinfo.ZoneInfo(timezone)
            )
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise UsageError(
            f"--as-of {text!r}: write a date (2016-09-30) or a datetime with offset"
        ) from None
    if value.tzinfo is None:
        raise UsageError(f"--as-of {text!r} has no UTC offset — write e.g. {text}+03:00")
    return value


@dataclass(frozen=True)
class Outcome:
    scenario: Scenario
    incidents: tuple[Incident, ...]
    evaluation: Evaluation
    timeline: tuple[DayRow, ...]
    phases: tuple[PhaseStatus, ...]
    triggers: tuple[TriggerStatus, ...]
    rejected: tuple[str, ...] = ()
    """Problems of the records that could not be read (file:line: field: what)."""
    excluded: tuple[str, ...] = ()
    """Ids of incidents left out because a reviewer rejected them (status ``rejected``)."""
    access: AccessRecords = AccessRecords()
    """Convoys and access constraints the evaluation used (access.v2)."""

    @property
    def as_of(self) -> dt.datetime:
        return self.evaluation.as_of

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        """Every finding with its reasons, written when first asked for: the timeline,
        phases and triggers do not need the sentences, and at 100,000 incidents writing
        them costs forty times the evaluation."""
        return (*self.evaluation.findings(), *access_findings(self.evaluation, self.access))


def run(
    scenario: Scenario,
    incidents: Sequence[Incident],
    as_of: dt.datetime | None,
    rejected: Sequence[str] = (),
    ledger: Ledger | None = None,
    access: AccessRecords | None = None,
) -> Outcome:
    """Evaluate ``incidents``: with ``ledger`` (a one-agreement scenario), under its zone
    delineations; for access.v2 rules, with ``access`` records."""
    access = access or AccessRecords()
    excluded = tuple(i.id for i in incidents if i.status == "rejected")
    incidents = [i for i in incidents if i.status != "rejected"]  # a rejected report is no evidence
    when = as_of or default_as_of(incidents, scenario.world.timezone)
    if ledger is not None and len(scenario.agreements) == 1:
        ev = delineated(scenario.agreements[0], incidents, as_of=when, ledger=ledger)
    else:
        ev = evaluate(scenario.agreements, incidents, as_of=when)
    return Outcome(
        scenario=scenario,
        incidents=tuple(incidents),
        evaluation=ev,
        timeline=tuple(daily_timeline(ev)),
        phases=tuple(phase_statuses(ev, access)),
        triggers=tuple(trigger_statuses(ev, access)),
        rejected=tuple(rejected),
        excluded=excluded,
        access=access,
    )


def read_incidents(path: Path) -> codec.Loaded:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{path}: no such incident file") from None
    except IsADirectoryError:
        raise UsageError(
            f"{path} is a folder — give an incident file (JSON, JSONL or CSV) inside it"
        ) from None
    except PermissionError:
        raise UsageError(f"{path}: not allowed to read this file — check its permissions") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise UsageError(
            f"{path}: not UTF-8 text (byte {e.start}) — save the file as UTF-8"
        ) from None
    return codec.read_text(text, str(path))


def scenario_access(scenario: Scenario) -> AccessRecords:
    """The convoys and constraints of the scenario's access file (empty when it names none,
    or when it was stored before access files were kept with their scenario)."""
    from ceasewatch.access.records import read_file

    text = dict(scenario.files).get(scenario.access_file or "")
    if scenario.access_file is None or text is None:
        return AccessRecords()
    return read_file(text, scenario.access_file, scenario.world)


def bundled_incidents(scenario: Scenario) -> tuple[Incident, ...]:
    if scenario.incidents_file is None:
        return ()
    path = BUNDLED / scenario.id / scenario.incidents_file
    loaded = read_incidents(path)
    if loaded.problems:  # a bundled file is ours: any problem is a bug
        raise RuntimeError("\n".join(str(p) for p in loaded.problems))
    return loaded.incidents


# ---- outputs -------------------------------------------------------------------------


def findings_json(findings: Sequence[Finding]) -> str:
    return FINDINGS.dump_json(list(findings), indent=1).decode() + "\n"


def timeline_csv(rows: Sequence[DayRow]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["date", "agreement_id", "zone", "party", "period", "violations", "undetermined"])
    for r in rows:
        w.writerow(
            [
                r.date.isoformat(),
                r.agreement_id,
                r.zone,
                r.party,
                r.period,
                r.violations,
                r.undetermined,
            ]
        )
    return buf.getvalue()


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def phases_json(outcome: Outcome) -> str:
    doc = {
        "as_of": outcome.as_of.isoformat(),
        "phases": [_jsonable(asdict(p)) for p in outcome.phases],
        "triggers": [_jsonable(asdict(t)) for t in outcome.triggers],
    }
    return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


def output_folder(folder: Path) -> None:
    """Make ``folder`` for outputs, or say clearly why it cannot be."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder} is a file — name a folder (it is created if missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--out {folder}: cannot create the folder ({e.strerror})") from None


def write_outputs(outcome: Outcome, folder: Path) -> list[Path]:
    from ceasewatch.reports.html import render_report

    output_folder(folder)
    out = {
        "findings.json": findings_json(outcome.findings),
        "incidents.json": codec.dumps(outcome.incidents),
        "timeline.csv": timeline_csv(outcome.timeline),
        "phases.json": phases_json(outcome),
        "report.html": render_report(outcome),
    }
    paths = []
    for name, text in out.items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# ---- summaries -----------------------------------------------------------------------


def violations_by(outcome: Outcome) -> list[tuple[str, str, str, int]]:
    """(agreement, party, zone, violations) over the in-force period, most first."""
    c: Counter[tuple[str, str, str]] = Counter()
    for r in outcome.timeline:
        if r.period == "in_force" and r.violations:
            c[(r.agreement_id, r.party, r.zone)] += r.violations
    return [(a, p, z, n) for (a, p, z), n in c.most_common()]


def deaths(incident: Incident) -> int:
    toll = incident.fatalities
    if toll is None:
        return 0
    return toll.best if toll.best is not None else (toll.low or 0)


def most_serious(outcome: Outcome, n: int = 5) -> list[tuple[Finding, Incident]]:
    """Violations ranked by deaths (best estimate), then confidence; one per incident."""
    by_id = {i.id: i for i in outcome.incidents}
    rank = {"high": 0, "medium": 1, "low": 2}
    ranked = sorted(
        (f for f in outcome.findings if f.verdict == "violation"),
        key=lambda f: (-deaths(by_id[f.incident_id]), rank[f.confidence], f.incident_id),
    )
    out: list[tuple[Finding, Incident]] = []
    seen: set[str] = set()
    for f in ranked:
        if f.incident_id not in seen:
            seen.add(f.incident_id)
            out.append((f, by_id[f.incident_id]))
    return out[:n]


def demo(out: Path, now: dt.datetime) -> tuple[Outcome, str, list[Path]]:
    """Build the worked example: store at out/ceasewatch.db (replaced), files in out/."""
    from ceasewatch.store import access as access_store
    from ceasewatch.store import db, repository

    output_folder(out)
    scenario = load_bundled(DEMO_SCENARIO)
    incidents = bundled_incidents(scenario)
    access = scenario_access(scenario)
    outcome = run(scenario, incidents, None, access=access)
    store = out / "ceasewatch.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{store}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{store.resolve()}"
    engine = db.open_store(url)
    try:
        repository.save_scenario(engine, scenario, now)
        repository.save_incidents(engine, incidents)
        repository.replace_findings(engine, outcome.findings)
        access_store.save_records(engine, access, now, scenario.world.timezone)
    finally:
        engine.dispose()
    paths = write_outputs(outcome, out)
    return outcome, url, paths
