"""incident.v1 in and out: JSON, JSONL (incl. ``ceasewatch extract`` output) and CSV.

Reading never stops at a bad record: each one becomes a ``RowProblem`` naming the file,
the line (or CSV row), the field and what is wrong, and the good records beside it load.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ceasewatch.incidents.model import Incident

ADAPTER: TypeAdapter[Incident] = TypeAdapter(Incident)

#: Columns of the flat CSV form (one source per row; use JSON for several sources).
CSV_COLUMNS: tuple[str, ...] = (
    "id", "status", "submitted_by", "event_type", "sub_event_type", "method",
    "start", "end", "time", "date_precision", "date_note",
    "location_name", "admin1_pcode", "admin2_pcode", "country", "lat", "lon", "location_precision",
    "perpetrator_text", "perpetrator_actor", "attribution", "target_text", "target_actor",
    "fatalities_low", "fatalities_best", "fatalities_high",
    "civilian_fatalities_low", "civilian_fatalities_best", "civilian_fatalities_high",
    "injured_low", "injured_best", "injured_high",
    "source_document_id", "source_publisher", "source_url", "source_published",
    "source_attributed_to", "confidence",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class RowProblem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.message} — fix or remove this record"


@dataclass(frozen=True)
class Loaded:
    incidents: tuple[Incident, ...]
    problems: tuple[RowProblem, ...]


def _problems(e: ValidationError, file: str, line: int, prefix: str = "") -> Iterator[RowProblem]:
    for err in e.errors(include_url=False):
        loc = ".".join(str(x) for x in err["loc"]) or "(record)"
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "missing":
            msg = "required field is missing"
        elif err["type"] == "unexpected_keyword_argument":
            msg = "unknown field — see docs/incidents.md for incident.v1's fields"
        yield RowProblem(file, line, prefix + loc, msg)


def parse_records(records: Iterable[tuple[int, Any]], file: str) -> Loaded:
    """Validate (line, dict) pairs; bad ones become problems."""
    good: list[Incident] = []
    bad: list[RowProblem] = []
    seen: dict[str, int] = {}
    for line, record in records:
        try:
            inc = ADAPTER.validate_python(record)
        except ValidationError as e:
            bad.extend(_problems(e, file, line))
            continue
        if inc.id in seen:
            bad.append(
                RowProblem(
                    file, line, "id", f"duplicate id {inc.id!r} (first on line {seen[inc.id]})"
                )
            )
            continue
        seen[inc.id] = line
        good.append(inc)
    return Loaded(tuple(good), tuple(bad))


def read_text(text: str, file: str) -> Loaded:
    """Detect the form from the name and content, then parse."""
    name = file.lower()
    if name.endswith(".csv"):
        return parse_records(_csv_records(text), file)
    if name.endswith((".jsonl", ".ndjson")):
        return _jsonl(text, file)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        if text.lstrip().startswith("{") and "\n" in text.strip():  # one object per line
            return _jsonl(text, file)
        return Loaded((), (RowProblem(file, e.lineno, "(file)", f"not valid JSON: {e.msg}"),))
    if isinstance(doc, dict) and "incidents" in doc and isinstance(doc["incidents"], list):
        doc = doc["incidents"]
    if isinstance(doc, dict):
        doc = [doc]
    if not isinstance(doc, list):
        return Loaded(
            (), (RowProblem(file, 1, "(file)", "expected a list of incident.v1 records"),)
        )
    lines = _record_lines(text, len(doc))
    return parse_records(zip(lines, doc, strict=True), file)


def _record_lines(text: str, n: int) -> list[int]:
    """Best-effort line of each top-level record of a JSON list."""
    lines: list[int] = []
    depth = 0
    line = 1
    in_str = esc = False
    for ch in text:
        if ch == "\n":
            line += 1
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
            continue
        if ch == '"':
            in_str = True
        elif ch in "[{":
            if depth == 1:
                lines.append(line)
            depth += 1
        elif ch in "]}":
            depth -= 1
    lines += [1] * (n - len(lines))
    return lines[:n]


def _jsonl(text: str, file: str) -> Loaded:
    records: list[tuple[int, Any]] = []
    broken: list[RowProblem] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            broken.append(RowProblem(file, n, "(line)", f"not valid JSON: {e.msg}"))
            continue
        # one article of `ceasewatch extract` output: {id, incidents: [...], ...}
        if (
            isinstance(obj, dict)
            and isinstance(obj.get("incidents"), list)
            and "event_type" not in obj
        ):
            records.extend((n, inc) for inc in obj["incidents"])
        else:
            records.append((n, obj))
    loaded = parse_records(records, file)
    return Loaded(loaded.incidents, tuple(broken) + loaded.problems)


def _int(v: str) -> int | str | None:
    v = v.strip()
    if not v:
        return None
    try:
        return int(v)
    except ValueError:
        return v


def _toll(row: dict[str, str], name: str) -> dict[str, Any] | None:
    parts = {k: _int(row.get(f"{name}_{k}", "") or "") for k in ("low", "best", "high")}
    return parts if any(v is not None for v in parts.values()) else None


def csv_row_to_record(row: dict[str, str]) -> dict[str, Any]:
    def get(key: str) -> str | None:
        value = (row.get(key) or "").strip()
        return value or None

    rec: dict[str, Any] = {
        "id": get("id"),
        "status": get("status") or "proposed",
        "submitted_by": get("submitted_by"),
        "event_type": get("event_type"),
        "sub_event_type": get("sub_event_type"),
        "method": [
            m.strip() for m in (get("method") or "").replace(",", ";").split(";") if m.strip()
        ],
        "occurred": {
            "start": get("start"),
            "end": get("end") or get("start"),
            "time": get("time"),
            "precision": get("date_precision") or "day",
            "note": get("date_note"),
        },
        "location": {
            "name": get("location_name"),
            "admin1_pcode": get("admin1_pcode"),
            "admin2_pcode": get("admin2_pcode"),
            "country": get("country"),
            "lat": get("lat"),
            "lon": get("lon"),
            "precision": get("location_precision"),
        },
        "perpetrator": {
            "text": get("perpetrator_text"),
            "actor": get("perpetrator_actor"),
            "attribution": get("attribution") or "unknown",
        },
        "target": {"text": get("target_text"), "actor": get("target_actor")}
        if get("target_text") or get("target_actor")
        else None,
        "fatalities": _toll(row, "fatalities"),
        "civilian_fatalities": _toll(row, "civilian_fatalities"),
        "injured": _toll(row, "injured"),
        "sources": [
            {
                "document_id": get("source_document_id"),
                "publisher": get("source_publisher"),
                "url": get("source_url"),
                "published": get("source_published"),
                "attributed_to": get("source_attributed_to"),
            }
        ]
        if get("source_document_id")
        else [],
        "confidence": get("confidence") or "ungraded",
    }
    return rec


def _csv_records(text: str) -> Iterator[tuple[int, Any]]:
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        yield reader.line_num, csv_row_to_record(row)


def to_json(incident: Incident) -> dict[str, Any]:
    out: dict[str, Any] = ADAPTER.dump_python(incident, mode="json")
    return out


def dumps(incidents: Iterable[Incident]) -> str:
    return json.dumps([to_json(i) for i in incidents], ensure_ascii=False, indent=1) + "\n"
