"""incident.v1 in and out: JSON, JSONL (incl. ``ceasewatch extract`` output) and CSV.

Reading never stops at a bad record: each one becomes a ``RowProblem`` naming the file,
the line (or CSV row), the field and what is wrong, and the good records beside it load.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from typing import Any

from pydantic import TypeAdapter, ValidationError

from ceasewatch.agreement.problems import Path
from ceasewatch.incidents import jsonpos
from ceasewatch.incidents.model import Incident
from ceasewatch.incidents.problems import MISSING, Issue, explain, field_name, kind_of
from ceasewatch.incidents.problems import RowProblem as RowProblem

ADAPTER: TypeAdapter[Incident] = TypeAdapter(Incident)


@dataclass(frozen=True)
class Loaded:
    incidents: tuple[Incident, ...]
    problems: tuple[RowProblem, ...]

    @property
    def skipped(self) -> int:
        """How many records (or unreadable lines) were left out: problems share records.

        ``len({(p.file, p.line) for p in problems})`` miscounts: a record can have problems
        on several lines, and one line of ``ceasewatch extract`` output holds several records.
        """
        keys = {
            ("line", p.line) if p.record is None else ("record", p.record) for p in self.problems
        }
        return len(keys)


@dataclass(frozen=True, slots=True)
class _Record:
    """One record to validate, and where its fields stand."""

    data: Any
    line_of: Callable[[Path], int]
    """Line of a field path inside the record (asked only when there is a problem)."""
    name: Callable[[Path], str] = field_name
    """How a field path is named in this form (CSV: the column)."""
    implied: frozenset[Path] = frozenset()
    """Fields this form fills from another when empty (CSV: ``end`` from ``start``), so
    that they are never reported missing on their own."""


def _on_line(n: int) -> Callable[[Path], int]:
    """Every field on line ``n`` (a JSONL line, a CSV row)."""
    return lambda _path: n


def parse_records(records: Iterable[tuple[int, Any]], file: str) -> Loaded:
    """Validate (line, dict) pairs; bad ones become problems."""
    return _parse((_Record(data, _on_line(line)) for line, data in records), file)


def _parse(items: Iterable[_Record | RowProblem], file: str) -> Loaded:
    """Validate records in file order; a ``RowProblem`` in the stream is an unreadable one."""
    good: list[Incident] = []
    bad: list[RowProblem] = []
    seen: dict[str, _Record] = {}
    for number, item in enumerate(items, start=1):
        if isinstance(item, RowProblem):
            bad.append(replace(item, record=number))
            continue
        try:
            inc = ADAPTER.validate_python(item.data)
        except ValidationError as e:
            for issue in explain(e, Incident):
                if not (issue.path in item.implied and issue.message == MISSING):
                    bad.append(_placed(item, issue, file, number))
            continue
        first = seen.get(inc.id)
        if first is not None:
            problem = RowProblem(
                file,
                item.line_of(("id",)),
                item.name(("id",)),
                f"duplicate id {inc.id!r} (first on line {first.line_of(('id',))})",
                "give each record its own id, or remove the repeat",
                number,
            )
            bad.append(problem)
            continue
        seen[inc.id] = item
        good.append(inc)
    return Loaded(tuple(good), tuple(bad))


def _placed(record: _Record, issue: Issue, file: str, number: int) -> RowProblem:
    line = record.line_of(issue.path)
    return RowProblem(file, line, record.name(issue.path), issue.message, issue.hint, number)


def read_text(text: str, file: str) -> Loaded:
    """Detect the form from the name and content, then parse.

    A byte-order mark is dropped; lines are counted at ``\\n`` (a ``\\r\\n`` file counts
    the same), as editors and ``json`` count them.
    """
    text = text.removeprefix("\ufeff")
    name = file.lower()
    if name.endswith(".csv"):
        return _csv(text, file)
    if not text.strip():
        return Loaded((), (RowProblem(file, 1, "(file)", "the file is empty", "nothing to read"),))
    if name.endswith((".jsonl", ".ndjson")) or _looks_like_jsonl(text):
        return _jsonl(text, file)
    try:
        doc = jsonpos.load(text)
    except json.JSONDecodeError as e:
        problem = RowProblem(
            file,
            e.lineno,
            "(file)",
            f"not valid JSON: {e.msg} (column {e.colno})",
            "fix the file there: often a missing or extra comma, or an unclosed quote",
        )
        return Loaded((), (problem,))
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("incidents"), list):
        base: Path = ("incidents",)
    elif isinstance(data, dict):
        return _parse([_json_record(doc, ())], file)
    elif isinstance(data, list):
        base = ()
    else:
        problem = RowProblem(
            file,
            doc.line(()),
            "(file)",
            f"expected a list of incident.v1 records, got {kind_of(data)}",
            "write [{...}, {...}], one object per incident",
        )
        return Loaded((), (problem,))
    count = len(data["incidents"] if base else data)
    return _parse((_json_record(doc, (*base, i)) for i in range(count)), file)


def _json_record(doc: jsonpos.Located, at: Path) -> _Record:
    data = doc.data
    for step in at:
        data = data[step]
    return _Record(data, lambda path: doc.line((*at, *path)))


def _looks_like_jsonl(text: str) -> bool:
    """One JSON object per line: the first line is a whole object, and more lines follow.

    A pretty-printed JSON object never qualifies (its first line does not close it), so its
    syntax errors are reported once, not as a broken JSONL line each.
    """
    lines = list(islice((s for s in map(str.strip, text.split("\n")) if s), 2))
    return len(lines) == 2 and lines[0].startswith("{") and lines[0].endswith("}")


def _jsonl(text: str, file: str) -> Loaded:
    """One JSON value per line, split at ``\\n`` only: a U+2028 or form feed inside a
    string is text, not a line break. Blank lines are skipped but counted."""
    items: list[_Record | RowProblem] = []
    for n, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as e:
            items.append(
                RowProblem(
                    file,
                    n,
                    "(line)",
                    f"not valid JSON: {e.msg} (column {e.colno})",
                    "each line holds one whole JSON object: fix or remove this line",
                )
            )
            continue
        # one article of `ceasewatch extract` output: {id, incidents: [...], ...}
        if (
            isinstance(obj, dict)
            and isinstance(obj.get("incidents"), list)
            and "event_type" not in obj
        ):
            items.extend(_Record(inc, _on_line(n)) for inc in obj["incidents"])
        else:
            items.append(_Record(obj, _on_line(n)))
    return _parse(items, file)


# ---- CSV -------------------------------------------------------------------------------

#: Each CSV column and the incident.v1 field it fills.
CSV_FIELDS: dict[str, Path] = {
    "id": ("id",),
    "status": ("status",),
    "submitted_by": ("submitted_by",),
    "event_type": ("event_type",),
    "sub_event_type": ("sub_event_type",),
    "method": ("method",),
    "start": ("occurred", "start"),
    "end": ("occurred", "end"),
    "time": ("occurred", "time"),
    "date_precision": ("occurred", "precision"),
    "date_note": ("occurred", "note"),
    "location_name": ("location", "name"),
    "admin1_pcode": ("location", "admin1_pcode"),
    "admin2_pcode": ("location", "admin2_pcode"),
    "country": ("location", "country"),
    "lat": ("location", "lat"),
    "lon": ("location", "lon"),
    "location_precision": ("location", "precision"),
    "perpetrator_text": ("perpetrator", "text"),
    "perpetrator_actor": ("perpetrator", "actor"),
    "attribution": ("perpetrator", "attribution"),
    "target_text": ("target", "text"),
    "target_actor": ("target", "actor"),
    **{
        f"{toll}_{part}": (toll, part)
        for toll in ("fatalities", "civilian_fatalities", "injured")
        for part in ("low", "best", "high")
    },
    "source_document_id": ("sources", 0, "document_id"),
    "source_publisher": ("sources", 0, "publisher"),
    "source_url": ("sources", 0, "url"),
    "source_published": ("sources", 0, "published"),
    "source_attributed_to": ("sources", 0, "attributed_to"),
    "confidence": ("confidence",),
}
#: Columns of the flat CSV form (one source per row; use JSON for several sources).
CSV_COLUMNS: tuple[str, ...] = tuple(CSV_FIELDS)
_COLUMN_OF: dict[Path, str] = {path: column for column, path in CSV_FIELDS.items()}


def _csv_column(path: Path) -> str:
    """The CSV column of a field path (``method.1`` -> ``method``), else its dotted path."""
    for n in range(len(path), 0, -1):
        if path[:n] in _COLUMN_OF:
            return _COLUMN_OF[path[:n]]
    return field_name(path)


def csv_row_to_record(row: dict[str, str]) -> dict[str, Any]:
    """One CSV row as an incident.v1 dict: empty cells are left out (the model's default,
    or "required field is missing"); an empty ``end`` is the ``start``."""
    rec: dict[str, Any] = {"occurred": {}, "location": {}}
    for column, path in CSV_FIELDS.items():
        value = (row.get(column) or "").strip()
        if not value:
            continue
        cell: Any = value
        if column == "method":
            cell = [m.strip() for m in value.replace(",", ";").split(";") if m.strip()]
        elif path[0] in ("fatalities", "civilian_fatalities", "injured"):
            cell = _int(value)
        _put(rec, path, cell)
    occurred = rec["occurred"]
    if "end" not in occurred and "start" in occurred:
        occurred["end"] = occurred["start"]
    return rec


def _put(rec: dict[str, Any], path: Path, value: Any) -> None:
    """Set ``rec[path]``, making the objects and one-item lists on the way."""
    here: Any = rec
    for step, after in zip(path, path[1:], strict=False):
        empty: Any = [] if isinstance(after, int) else {}
        if isinstance(step, int):
            if len(here) <= step:
                here.append(empty)
        else:
            here.setdefault(step, empty)
        here = here[step]
    last = path[-1]
    if isinstance(last, int):
        here.append(value)
    else:
        here[last] = value


def _int(v: str) -> int | str:
    try:
        return int(v)
    except ValueError:
        return v


def _csv(text: str, file: str) -> Loaded:
    return _parse(_csv_records(text, file), file)


def _csv_records(text: str, file: str) -> Iterator[_Record | RowProblem]:
    """Rows with the line they start on (a quoted cell may span lines; blank lines count)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    ended = 0  # the last line of the previous row
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield RowProblem(file, ended + 1, "(row)", f"not valid CSV: {e}", _QUOTE_HINT)
            ended = reader.line_num
            continue
        line, ended = ended + 1, reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            continue
        if len(cells) > len(header):
            message = f"{len(cells)} cells under a header of {len(header)} columns"
            yield RowProblem(file, line, "(row)", message, _QUOTE_HINT)
            continue
        if len(cells) < len(header) and ended > line:  # a quote left open ran on
            message = f"a quoted cell runs from line {line} to line {ended}"
            yield RowProblem(file, line, "(row)", message, _UNCLOSED_HINT)
            continue
        row = dict(zip(header, cells, strict=False))
        implied = frozenset({("occurred", "end")} if not row.get("end", "").strip() else ())
        yield _Record(csv_row_to_record(row), _on_line(line), _csv_column, implied)


_QUOTE_HINT = 'put a cell that holds a comma, quote or line break in double quotes ("a, b")'
_UNCLOSED_HINT = 'close the quote; a quote inside a quoted cell is written twice ("say ""hi""")'


def to_json(incident: Incident) -> dict[str, Any]:
    out: dict[str, Any] = ADAPTER.dump_python(incident, mode="json")
    return out


def dumps(incidents: Iterable[Incident]) -> str:
    return json.dumps([to_json(i) for i in incidents], ensure_ascii=False, indent=1) + "\n"
