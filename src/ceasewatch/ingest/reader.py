"""Streaming readers: a file in, one ``RawRecord`` at a time out, in constant memory.

* CSV/TSV: the ``csv`` module over the file's lines, decoded one line at a time (a line
  that is not UTF-8 is read as Windows-1252/Latin-1 and flagged); checks the delimiter and
  the columns before the first record; counts bytes so an import can resume by seeking.
* JSON Lines: one record per line (``ceasewatch extract`` output expands to its
  incidents).
* A JSON document (a list of records, ``{"incidents": [...]}``, a GeoJSON
  FeatureCollection): its records are cut out of the byte stream by a small scanner, so
  the whole document is never held in memory. Resuming re-scans and skips done records.

A record-level problem (wrong number of fields, a broken line, bad JSON) comes back as the
record's ``problem``; the reader carries on with the next record.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any, Final

from rapidfuzz import fuzz, process

from ceasewatch.errors import UsageError
from ceasewatch.ingest.result import Issue

csv.field_size_limit(64 * 1024 * 1024)

DELIMITERS: Final = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
READ_BUFFER: Final = 1 << 20
#: Bytes a JSON document is scanned in at a time.
CHUNK: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class Position:
    """Where reading stands: records and lines done, and the byte offset after them."""

    records: int = 0
    lines: int = 0
    offset: int = 0


@dataclass(slots=True)
class RawRecord:
    number: int  # 1-based record number in the file (header excluded)
    line: int  # physical line the record starts on
    #: where reading may resume once this record is done (for all but the last record of a
    #: JSON line holding several, the position before that line: see ``checkpoint_here``)
    after: Position
    value: Any  # dict[str, str] for CSV, a parsed JSON value otherwise (None on a problem)
    raw: str  # the record exactly as read (its CSV line(s), its JSON text), for provenance
    problem: Issue | None = None  # the record could not be read
    warning: Issue | None = None  # read, but with something to say (encoding)


#: A clean CSV record as ``CsvReader.batches`` gives it: number, line, cells, raw text
#: (what a ``RawRecord`` without problem or warning holds, in a plain tuple).
CsvRow = tuple[int, int, list[str], str]


def checkpoint_here(rec: RawRecord) -> bool:
    """True when a batch may end after ``rec`` (not inside a multi-record JSON line)."""
    return rec.after.records == rec.number


class _NotClean(Exception):
    """A line ``CsvReader.batches`` leaves to ``__iter__`` (an unended last line)."""


class FileProblem(UsageError):
    """The file as a whole cannot be read by this importer (wrong delimiter, missing
    columns, not JSON); nothing is imported."""


def _decode(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        try:
            return raw.decode("cp1252"), True
        except UnicodeDecodeError:
            return raw.decode("latin-1"), True


ENCODING_WARNING: Final = Issue(
    "(encoding)",
    "not valid UTF-8: read as Windows-1252/Latin-1 — check accented names, and save the "
    "file as UTF-8",
)


def _delimiter_problem(first: str, expected: str, file: str, want_fields: int | None) -> None:
    counts = {d: first.count(d) for d in DELIMITERS}
    found = counts[expected]
    if want_fields is not None and found == want_fields - 1:
        return
    if want_fields is None and found > 0:
        return
    others = {d: n for d, n in counts.items() if d != expected and n > found}
    if others:
        likely = max(others, key=lambda d: others[d])
        raise FileProblem(
            f"{file}: looks like {DELIMITERS[likely]}-separated; this importer expects "
            f"{DELIMITERS[expected]} — check the format name or re-export the file"
        )
    if want_fields is not None:
        raise FileProblem(
            f"{file}: line 1 has {found + 1} {DELIMITERS[expected]}-separated fields; "
            f"this format has {want_fields} — is this the right format?"
        )


def nearest(name: str, choices: Iterable[str], cutoff: float = 70.0) -> str | None:
    """The choice most like ``name`` (case ignored), if any is alike enough.

    >>> nearest("lattitude", ["latitude", "longitude"])
    'latitude'
    >>> nearest("Weapons used", ["Weapons_Used", "Source"])
    'Weapons_Used'
    >>> nearest("comments", ["latitude", "longitude"]) is None
    True
    """
    found = process.extractOne(
        name, list(choices), scorer=fuzz.ratio, processor=_fold, score_cutoff=cutoff
    )
    return None if found is None else str(found[0])


def _fold(name: str) -> str:
    return name.casefold().replace("_", " ").replace("-", " ").strip()


def unknown_columns(header: Sequence[str], known: Sequence[str]) -> list[Issue]:
    """An issue per header column the format does not know (its values would be lost
    silently), naming the nearest known column the header lacks.

    >>> [i.message for i in unknown_columns(["id", "lattitude"], ["id", "latitude"])]
    ["unknown column 'lattitude' (did you mean 'latitude'?): its values are not imported"]
    """
    known_set = set(known)
    lacking = [k for k in known if k not in header]
    out = []
    for column in header:
        if column in known_set or not column:
            continue
        guess = nearest(column, lacking)
        hint = f" (did you mean {guess!r}?)" if guess else ""
        out.append(
            Issue(column, f"unknown column {column!r}{hint}: its values are not imported", "")
        )
    return out


class CsvReader:
    """Records of a delimited file as dicts keyed by the header (or ``columns``)."""

    def __init__(
        self,
        path: Path,
        *,
        delimiter: str = ",",
        required: tuple[str, ...] = (),
        columns: tuple[str, ...] | None = None,
        known: tuple[str, ...] | None = None,
        start: Position = Position(),
    ) -> None:
        self.path = path
        #: header columns the format does not know (``known``), as warnings
        self.unknown: list[Issue] = []
        self.delimiter = delimiter
        self.file = str(path)
        self._fh: IO[bytes] = path.open("rb", buffering=READ_BUFFER)
        self.offset = 0
        self.lines = 0
        self._odd = False
        self._unterminated = False
        self._raw: list[str] = []  # the lines of the record being read, as text
        try:
            self._read_header(required, columns, known)
        except BaseException:
            self._fh.close()
            raise
        self.data_start = self.offset
        self.number = 0
        if start.offset > self.offset:
            self._fh.seek(start.offset)
            self.offset, self.lines, self.number = start.offset, start.lines, start.records

    def _read_header(
        self,
        required: tuple[str, ...],
        columns: tuple[str, ...] | None,
        known: tuple[str, ...] | None,
    ) -> None:
        first = self._fh.readline()
        if not first.strip():
            raise FileProblem(f"{self.file}: the file is empty (no header line)")
        text, _ = _decode(first.removeprefix(b"\xef\xbb\xbf"))
        _delimiter_problem(
            text, self.delimiter, self.file, len(columns) if columns is not None else None
        )
        if columns is None:
            self.header = [h.strip() for h in next(csv.reader([text], delimiter=self.delimiter))]
            missing = [c for c in required if c not in self.header]
            if missing:
                extra = [h for h in self.header if h not in (known or required)]
                hints = [
                    f"{m!r} (the header has {guess!r})"
                    for m in missing
                    if (guess := nearest(m, extra)) is not None
                ]
                raise FileProblem(
                    f"{self.file}: missing column(s) {', '.join(missing)} — the header has "
                    f"{len(self.header)} columns; is this the right format?"
                    + (f" Misspelt: {', '.join(hints)}?" if hints else "")
                )
            if known is not None:
                self.unknown = unknown_columns(self.header, known)
            self.offset, self.lines = len(first), 1
        else:
            self.header = list(columns)
            self._fh.seek(0)

    def close(self) -> None:
        self._fh.close()

    def _lines(self) -> Iterator[str]:
        raw_lines = self._raw
        for raw in self._fh:
            self.offset += len(raw)
            self.lines += 1
            self._unterminated = not raw.endswith(b"\n")
            text, odd = _decode(raw)
            if odd:
                self._odd = True
            raw_lines.append(text)
            yield text

    def batches(self, size: int) -> Iterator[tuple[list[CsvRow | RawRecord], Position]]:
        """The records in batches of ``size`` with the position after each batch: the
        records ``__iter__`` gives, in the same batches, cheaper.

        A batch's lines are read and decoded at once and parsed in one pass; when they
        are clean — valid UTF-8, every line part of a record of the header's width, the
        last line ended — their records come as ``CsvRow`` tuples, with no per-record
        position. Otherwise the same lines are read again by ``__iter__``, and its
        ``RawRecord``s (problems, warnings, blank lines) come instead.
        """
        fh = self._fh
        width = len(self.header)
        while True:
            start = self.offset
            chunk = list(islice(fh, size))
            if not chunk:
                return
            rows = self._clean(chunk, size, width)
            if rows is not None:
                yield rows, Position(self.number, self.lines, self.offset)
                continue
            fh.seek(start)
            records: list[CsvRow | RawRecord] = list(islice(iter(self), size))
            if not records:
                return
            last = records[-1]
            assert isinstance(last, RawRecord)
            yield records, last.after

    def _clean(self, chunk: list[bytes], size: int, width: int) -> list[CsvRow | RawRecord] | None:
        """The first ``size`` records from ``chunk`` (whole lines; more are read from the
        file while a record runs on past it), or None if any of them is not clean."""
        if not chunk[-1].endswith(b"\n"):
            return None
        data = b"".join(chunk)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        lines = text.split("\n")
        lines.pop()  # after the last "\n"
        extra = 0  # bytes read past the chunk

        def more() -> Iterator[str]:
            nonlocal extra
            for raw in self._fh:
                if not raw.endswith(b"\n"):
                    raise _NotClean
                extra += len(raw)
                line = raw.decode("utf-8")
                lines.append(line[:-1])
                yield line

        reader = csv.reader(
            chain(io.StringIO(text, newline="\n"), more()), delimiter=self.delimiter, strict=True
        )
        cells: list[list[str]] = []
        ends: list[int] = []  # the line each record ends on, counted from the chunk's first
        try:
            for values in islice(reader, size):
                cells.append(values)
                ends.append(reader.line_num)
        except (csv.Error, UnicodeDecodeError, _NotClean):
            return None
        k = len(cells)
        # a blank line is a record of no cells, caught by the width
        if not k or {*map(len, cells)} != {width} or ends[-1] != len(lines):
            return None
        if ends[-1] == k:  # one line each
            raws = [line.rstrip("\r\n") for line in lines]
            firsts: Iterable[int] = range(self.lines + 1, self.lines + k + 1)
        else:  # a few records run over several lines
            raws = [lines[end - 1].rstrip("\r\n") for end in ends]
            starts = [0, *ends[:-1]]
            for i in [i for i, (a, b) in enumerate(zip(starts, ends, strict=True)) if b - a > 1]:
                raws[i] = "\n".join(lines[starts[i] : ends[i]]).rstrip("\r\n")
            firsts = [self.lines + a + 1 for a in starts]
        n = self.number
        self.number += k
        self.lines += len(lines)
        self.offset += len(data) + extra
        return list(zip(range(n + 1, n + k + 1), firsts, cells, raws, strict=True))

    def __iter__(self) -> Iterator[RawRecord]:
        lines = self._lines()
        reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
        header = self.header
        width = len(header)
        while True:
            start_line = self.lines + 1
            self._odd = False
            self._raw.clear()
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                self.number += 1
                truncated = self._unterminated and "end of data" in str(e)
                message = (
                    "the file ends inside a quoted field — the last line is truncated"
                    if truncated
                    else f"not readable as CSV ({e}) — fix the quoting on this line"
                )
                yield RawRecord(
                    self.number,
                    start_line,
                    Position(self.number, self.lines, self.offset),
                    None,
                    "".join(self._raw),
                    Issue("(line)", message),
                )
                reader = csv.reader(lines, delimiter=self.delimiter, strict=True)
                continue
            if not values or (len(values) == 1 and not values[0].strip()):
                continue  # blank line
            self.number += 1
            after = Position(self.number, self.lines, self.offset)
            raw = "".join(self._raw).rstrip("\r\n")
            if len(values) != width:
                short = len(values) < width
                message = f"{len(values)} fields where the header has {width}" + (
                    " — the last line is truncated"
                    if short and self._unterminated
                    else " — check quoting and delimiters on this line"
                )
                yield RawRecord(self.number, start_line, after, None, raw, Issue("(row)", message))
                continue
            yield RawRecord(
                self.number,
                start_line,
                after,
                dict(zip(header, values, strict=True)),
                raw,
                None,
                ENCODING_WARNING if self._odd else None,
            )


class JsonLinesReader:
    """One JSON value per line; ``{"incidents": [...]}`` lines expand to their records."""

    def __init__(self, path: Path, *, start: Position = Position()) -> None:
        self.file = str(path)
        self._fh: IO[bytes] = path.open("rb", buffering=READ_BUFFER)
        self.offset = self.lines = self.number = 0
        if start.offset:
            self._fh.seek(start.offset)
            self.offset, self.lines, self.number = start.offset, start.lines, start.records

    def close(self) -> None:
        self._fh.close()

    def __iter__(self) -> Iterator[RawRecord]:
        for raw in self._fh:
            self.offset += len(raw)
            self.lines += 1
            if not raw.strip():
                continue
            text, odd = _decode(raw)
            warning = ENCODING_WARNING if odd else None
            try:
                value = json.loads(text)
            except json.JSONDecodeError as e:
                self.number += 1
                truncated = not raw.endswith(b"\n")
                yield RawRecord(
                    self.number,
                    self.lines,
                    Position(self.number, self.lines, self.offset),
                    None,
                    text.rstrip("\r\n"),
                    Issue(
                        "(line)",
                        f"not valid JSON: {e.msg}"
                        + (" — the last line is truncated" if truncated else ""),
                    ),
                )
                continue
            items = (
                value["incidents"]
                if isinstance(value, dict)
                and isinstance(value.get("incidents"), list)
                and "event_type" not in value
                else [value]
            )
            # a line is done or not: only its last record stands after it; the others
            # stand before it (``mid_line``), so no checkpoint falls inside a line
            before = Position(self.number, self.lines - 1, self.offset - len(raw))
            done = self.number + len(items)
            for item in items:
                self.number += 1
                yield RawRecord(
                    self.number,
                    self.lines,
                    Position(self.number, self.lines, self.offset)
                    if self.number == done
                    else before,
                    item,
                    json.dumps(item, ensure_ascii=False) if len(items) > 1 else text.strip(),
                    None,
                    warning,
                )


_TOKENS: Final = re.compile(rb'["\\{}\[\]\n]')


class JsonDocumentReader:
    """The records of one JSON document, streamed: the items of a top-level list, or of
    the list under ``key`` ("incidents", "features") in a top-level object."""

    def __init__(
        self,
        path: Path,
        *,
        keys: tuple[str, ...],
        start: Position = Position(),
        chunk: int = CHUNK,
    ) -> None:
        self.file = str(path)
        self.keys = keys
        self.chunk = chunk
        self._fh: IO[bytes] = path.open("rb", buffering=READ_BUFFER)
        self.skip = start.records
        self.offset = 0

    def close(self) -> None:
        self._fh.close()

    def __iter__(self) -> Iterator[RawRecord]:
        depth = 0
        line = 1
        in_string = False
        escape_at = -2  # absolute offset of the last unescaped backslash in a string
        item_depth: int | None = None  # depth of the records' list, once found
        top = b""
        key = b""  # the last string closed at depth 1 (an object key, when a list follows)
        string_start = 0
        string_carry = b""
        pending = b""  # bytes of the record being cut out, carried across chunks
        item_start: int | None = None
        item_line = 0
        number = 0
        base = 0  # file offset of the chunk's first byte
        while chunk := self._fh.read(self.chunk):
            for m in _TOKENS.finditer(chunk):
                ch = m.group()
                i = m.start()
                if in_string:
                    if base + i == escape_at + 1:
                        continue  # the escaped character
                    if ch == b"\\":
                        escape_at = base + i
                    elif ch == b'"':
                        in_string = False
                        if depth == 1:
                            key = string_carry + chunk[string_start:i]
                        string_carry = b""
                    continue
                if ch == b"\n":
                    line += 1
                elif ch == b'"':
                    in_string = True
                    string_start = i + 1
                elif ch in (b"{", b"["):
                    if depth == 0:
                        top = ch
                        if ch == b"[":
                            item_depth = 1
                    elif item_depth is None and depth == 1 and ch == b"[":
                        if key.decode("utf-8", "replace") in self.keys:
                            item_depth = 2
                    elif depth == item_depth and ch == b"{":
                        item_start, item_line, pending = i, line, b""
                    depth += 1
                else:  # } or ]
                    depth -= 1
                    if depth == item_depth and item_start is not None:
                        text = pending + chunk[item_start : i + 1]
                        item_start, pending = None, b""
                        number += 1
                        if number > self.skip:
                            yield self._record(number, item_line, base + i + 1, text)
                    elif item_depth is not None and depth == item_depth - 1:
                        item_depth = -1  # the list is closed; the rest is not records
            if item_start is not None:
                pending += chunk[item_start:]
                item_start = 0
            if in_string and depth == 1:
                string_carry += chunk[string_start:]
                string_start = 0
            base += len(chunk)
            self.offset = base
        if top not in (b"[", b"{"):
            raise FileProblem(f"{self.file}: not a JSON document (no list or object)")
        if item_depth is None:
            raise FileProblem(
                f"{self.file}: no list of records — expected a JSON list, or an object with "
                f"{' or '.join(repr(k) for k in self.keys)}"
            )
        if depth != 0 or in_string:
            number += 1
            yield RawRecord(
                number,
                item_line or line,
                Position(number, line, base),
                None,
                "",
                Issue("(file)", "the document ends early — the file is truncated"),
            )

    def _record(self, number: int, line: int, end: int, text: bytes) -> RawRecord:
        after = Position(number, line, end)
        decoded, odd = _decode(text)
        try:
            value = json.loads(decoded)
        except json.JSONDecodeError as e:
            return RawRecord(
                number, line, after, None, decoded, Issue("(record)", f"not valid JSON: {e.msg}")
            )
        return RawRecord(
            number, line, after, value, decoded, None, ENCODING_WARNING if odd else None
        )
