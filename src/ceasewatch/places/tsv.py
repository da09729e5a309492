"""The gazetteer file format, ``ceasewatch.gazetteer.v1``: tab-separated text.

The first line names the format and the country of every row; the second names the
columns; each further line is one place::

    # ceasewatch.gazetteer.v1 country=SY
    id  name  kind  precision  lat  lon  admin1  admin2  parent  events  sources  names

``names`` lists the other names of the place separated by ``|`` (Latin or Arabic
script); ``sources`` likewise. ``precision`` may be empty (the kind's default). Empty
``admin1``/``admin2``/``parent`` mean unknown/none. Lines starting with ``#`` after the
first are comments. Columns may come in any order; ``id``, ``name``, ``kind``, ``lat`` and
``lon`` are required.

Reading never stops at a bad row: it is reported (file, line, field, what to do) and the
good rows beside it are kept.

>>> text = "# ceasewatch.gazetteer.v1 country=SY\\nid\\tname\\tkind\\tlat\\tlon\\tnames\\n"
>>> text += "x1\\tAleppo\\tcity\\t36.2\\t37.16\\tHalab|حلب\\nx2\\tBad\\tcity\\tnorth\\t37\\t\\n"
>>> loaded = read(text, "g.tsv")
>>> [p.names for p in loaded.places], loaded.problems
([('Aleppo', 'Halab', 'حلب')], ("g.tsv:4: lat: 'north' is not a number — write decimal degrees, e.g. 36.2",))
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from ceasewatch.places.model import KIND_PRECISION, KINDS, PRECISIONS, Place

FORMAT = "ceasewatch.gazetteer.v1"
COLUMNS: tuple[str, ...] = (
    "id",
    "name",
    "kind",
    "precision",
    "lat",
    "lon",
    "admin1",
    "admin2",
    "parent",
    "events",
    "sources",
    "names",
)
REQUIRED: frozenset[str] = frozenset({"id", "name", "kind", "lat", "lon"})


@dataclass(frozen=True, slots=True)
class Loaded:
    """The places read from a file, and one message per problem found."""

    places: tuple[Place, ...]
    problems: tuple[str, ...]
    country: str


class _RowError(ValueError):
    pass


def _number(value: str, field: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _RowError(
            f"{field}: {value!r} is not a number — write decimal degrees, e.g. 36.2"
        ) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise _RowError(f"{field}: {value} is out of range ({low} to {high})")
    return number


def _split(value: str) -> tuple[str, ...]:
    return tuple(v.strip() for v in value.split("|") if v.strip())


def _place(row: dict[str, str], country: str) -> Place:
    kind = row["kind"]
    if kind not in KINDS:
        raise _RowError(f"kind: {kind!r} is not a kind — use one of {', '.join(KINDS)}")
    precision = row.get("precision") or KIND_PRECISION[kind]
    if precision not in PRECISIONS:
        raise _RowError(
            f"precision: {precision!r} is not a precision — use one of {', '.join(PRECISIONS)}"
        )
    if not row["id"] or not row["name"]:
        raise _RowError("id and name must not be empty")
    events_text = row.get("events") or "0"
    if not events_text.isdigit():
        raise _RowError(f"events: {events_text!r} is not a count — write a whole number")
    name = row["name"]
    names = (name, *(n for n in _split(row.get("names", "")) if n != name))
    return Place(
        id=row["id"],
        name=name,
        lat=_number(row["lat"], "lat", -90.0, 90.0),
        lon=_number(row["lon"], "lon", -180.0, 180.0),
        precision=precision,  # type: ignore[arg-type]  # checked against PRECISIONS above
        admin1_pcode=row.get("admin1") or None,
        admin2_pcode=row.get("admin2") or None,
        country=country,
        kind=kind,  # type: ignore[arg-type]  # checked against KINDS above
        names=names,
        parent=row.get("parent") or None,
        events=int(events_text),
        sources=_split(row.get("sources", "")),
    )


def read(text: str, file: str = "gazetteer.tsv") -> Loaded:
    """Parse a gazetteer file's text; every bad row becomes a problem, not an exception."""
    lines = text.splitlines()
    problems: list[str] = []
    head = lines[0].split() if lines else []
    if len(head) < 2 or head[0] != "#" or head[1] != FORMAT:
        return Loaded(
            (),
            (f"{file}:1: not a gazetteer — the first line must be '# {FORMAT} country=XX'",),
            "",
        )
    options = dict(item.split("=", 1) for item in head[2:] if "=" in item)
    country = options.get("country", "")
    if len(lines) < 2:
        return Loaded((), (f"{file}:2: the line naming the columns is missing",), country)
    columns = lines[1].split("\t")
    missing = sorted(REQUIRED - set(columns))
    if missing:
        return Loaded(
            (),
            (f"{file}:2: columns {', '.join(missing)} are missing — name them in line 2",),
            country,
        )
    places: list[Place] = []
    seen: set[str] = set()
    for number, line in enumerate(lines[2:], start=3):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != len(columns):
            problems.append(
                f"{file}:{number}: {len(cells)} fields, expected {len(columns)} — "
                "separate fields with one tab each"
            )
            continue
        row = dict(zip(columns, cells, strict=True))
        try:
            place = _place(row, country)
        except _RowError as e:
            problems.append(f"{file}:{number}: {e}")
            continue
        if place.id in seen:
            problems.append(f"{file}:{number}: id: {place.id!r} is given twice — ids are unique")
            continue
        seen.add(place.id)
        places.append(place)
    return Loaded(tuple(places), tuple(problems), country)


def _cell(value: str) -> str:
    if "\t" in value or "\n" in value or "|" in value:
        raise ValueError(f"{value!r}: a gazetteer field may not hold a tab, newline or '|'")
    return value


def _coordinate(value: float) -> str:
    return f"{value:.5f}".rstrip("0").rstrip(".")


def write(places: Iterable[Place], country: str) -> str:
    """Places -> the file's text (rows in the given order; the output ends with a newline)."""
    out = [f"# {FORMAT} country={country}", "\t".join(COLUMNS)]
    for p in places:
        default = KIND_PRECISION[p.kind]
        cells = (
            _cell(p.id),
            _cell(p.name),
            p.kind,
            "" if p.precision == default else p.precision,
            _coordinate(p.lat),
            _coordinate(p.lon),
            _cell(p.admin1_pcode or ""),
            _cell(p.admin2_pcode or ""),
            _cell(p.parent or ""),
            str(p.events) if p.events else "",
            "|".join(_cell(s) for s in p.sources),
            "|".join(_cell(n) for n in p.names if n != p.name),
        )
        out.append("\t".join(cells))
    return "\n".join(out) + "\n"
