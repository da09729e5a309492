"""Stored agreements: the newest version of each, loaded (cached by content), and the
fingerprints an override is made against."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from ceasewatch.agreement.loader import load_scenario
from ceasewatch.agreement.model import Agreement, Rule, Scenario
from ceasewatch.store import audit
from ceasewatch.store import tables as t


@dataclass(frozen=True)
class Stored:
    agreement_id: str
    version: str
    scenario_id: str
    file: str
    files: dict[str, str]
    sha256: str


def files_sha(files: dict[str, str]) -> str:
    return hashlib.sha256(audit.canonical(files).encode()).hexdigest()  # type: ignore[union-attr]


def current_agreements(conn: Connection) -> list[Stored]:
    """The newest stored version of each agreement, with the spec files it came from."""
    a = t.agreements
    rows = conn.execute(select(a).order_by(a.c.id, a.c.stored_at.desc(), a.c.version)).all()
    out: list[Stored] = []
    seen: set[str] = set()
    scenario_files: dict[str, str] = {}
    for r in rows:
        if r.id in seen:
            continue
        seen.add(r.id)
        sv = conn.execute(
            select(t.spec_versions.c.files_json, t.spec_versions.c.sha256).where(
                t.spec_versions.c.agreement_id == r.id, t.spec_versions.c.version == r.version
            )
        ).first()
        if sv is not None:
            files = json.loads(sv.files_json)
            sha = sv.sha256
        else:
            if r.scenario_id not in scenario_files:
                scenario_files[r.scenario_id] = conn.execute(
                    select(t.scenarios.c.files_json).where(t.scenarios.c.id == r.scenario_id)
                ).scalar_one()
            files = json.loads(scenario_files[r.scenario_id])
            sha = files_sha(files)
        out.append(Stored(r.id, r.version, r.scenario_id, r.file, files, sha))
    return out


_CACHE: dict[tuple[str, str, str], Scenario] = {}
_CACHE_LOCK = threading.Lock()


def scenario_of(stored: Stored) -> Scenario:
    """The stored agreement loaded (cached by content: versions never change)."""
    key = (stored.agreement_id, stored.version, stored.sha256)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return hit
    files = stored.files
    scenario = load_scenario(lambda rel: files[rel], only=stored.file)
    with _CACHE_LOCK:
        if len(_CACHE) > 64:
            _CACHE.clear()
        _CACHE[key] = scenario
    return scenario


def agreement_of(stored: Stored) -> Agreement:
    return scenario_of(stored).agreements[0]


_NOT_TERMS = frozenset({"source_line", "source_file"})


def _canon(value: Any) -> Any:
    """A JSON-able form of a spec object, for hashing (file positions left out)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _canon(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name not in _NOT_TERMS
        }
    if hasattr(value, "wkb_hex"):  # a shapely geometry
        return value.wkb_hex
    if isinstance(value, frozenset | set):
        return sorted((_canon(v) for v in value), key=repr)
    if isinstance(value, tuple | list):
        return [_canon(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def rule_fingerprint(rule: Rule) -> str:
    """A hash of a rule's terms (not its line in the file): an override made against the
    rule stands while this stays the same."""
    return hashlib.sha256(json.dumps(_canon(rule), sort_keys=True).encode()).hexdigest()


def agreement_fingerprint(agreement: Agreement) -> str:
    """A hash of everything an agreement says, its scenario's geography included."""
    return hashlib.sha256(json.dumps(_canon(agreement), sort_keys=True).encode()).hexdigest()
