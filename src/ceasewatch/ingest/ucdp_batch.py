"""UCDP GED rows straight to report rows, a batch at a time: the import's fast path.

``ucdp.map_row`` builds an ``Incident`` per row, and the pipeline then serializes it. Here
a row's cells (a list, in header order) go to the stored incident.v1 JSON directly: the
pieces that repeat — a side's name and its resolved actor, a place name, a source date or
office, an event type and its methods — are escaped once and kept in small caches keyed on
the raw cell (bounded: memory stays constant); dates, counts and the point are read per
row; the headline keywords are classified per row (headlines do not repeat in real files,
so they are never cached). P-codes come from one lookup per batch.

The fast path only takes the rows it can map exactly as ``ucdp.map_row`` does and
nothing else: a row with anything to say — a blank or unreadable field, an unknown code,
a toll range to widen, another country, an end before its start, a point outside the box
— gets ``None`` and goes the reference way (``ucdp.map_row``, then the pipeline's own
serializer), so its rejects and warnings are the reference's. The JSON is byte for byte
what ``codec.ADAPTER.dump_json`` writes for the reference ``Incident``
(tests/ingest/test_ucdp_batch.py compares them field by field on the real UCDP file).
Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from json.encoder import encode_basestring
from typing import Any, Final

from ceasewatch.ingest import ucdp
from ceasewatch.ingest.actors import UCDP_SYNONYMS
from ceasewatch.ingest.common import other_country
from ceasewatch.ingest.context import Context
from ceasewatch.ingest.fields import _date, text
from ceasewatch.store.imports import ROW_BITS, ReportRow

#: Entries per cache before it is emptied (constant memory on any file).
CACHE_SIZE: Final = 20_000

#: Floats written the same by ``repr`` and pydantic-core (which writes 1e-05 as 0.00001).
_FLOAT_MIN: Final = 1e-4
_FLOAT_MAX: Final = 1e15

#: Counts written as plain integers (larger ones go the reference way).
_COUNT_MAX: Final = 10**15

#: A mapped row before its P-codes: lat, lon, location precision, then the pieces of the
#: record (see ``UcdpBatch.rows``).
Pending = tuple[Any, ...]


def _json(value: str | None) -> str:
    """A JSON string (or null), escaped as pydantic-core escapes it."""
    return "null" if value is None else encode_basestring(value)


def _put(cache: dict[Any, Any], key: Any, value: Any) -> Any:
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = value
    return value


class UcdpBatch:
    """Maps the rows of one UCDP GED file (its ``header``) under ``ctx``."""

    def __init__(self, header: Sequence[str], ctx: Context, import_id: int) -> None:
        self.header = list(header)
        self.ctx = ctx
        self.import_id = import_id
        where = {h: k for k, h in enumerate(self.header)}
        #: optional columns a file lacks read as "" (what ``map_row`` makes of ``None``)
        self.pad = any(c not in where for c in _OPTIONAL)
        blank = len(self.header)
        self.at = {c: where.get(c, blank) for c in (*ucdp.REQUIRED, *_OPTIONAL)}
        self.status_json = _json(ctx.status or "published")
        self.status = ctx.status or "published"
        self.country_json = _json(ctx.country.iso2 if ctx.country else None)
        box = ctx.box
        self.box = (
            (box.south, box.north, box.west, box.east) if box is not None else (-90, 90, -180, 180)
        )
        # raw cell(s) -> what it gives (see the methods that fill them)
        self._countries: dict[str, bool] = {}
        self._perpetrators: dict[str, tuple[str | None, str]] = {}
        self._targets: dict[str, str] = {}
        self._places: dict[tuple[str, str], Any] = {}
        self._days: dict[str, Any] = {}
        self._published: dict[str, str] = {}
        self._offices: dict[str, str] = {}
        self._types: dict[tuple[str, str, tuple[str, ...]], tuple[str, str]] = {}
        self._pcodes: dict[str | None, str] = {None: "null"}

    # ------------------------------------------------------------------ the cached pieces
    def _perpetrator(self, raw: str) -> tuple[str | None, str]:
        name = text(raw)
        actor = self.ctx.actors.resolve(name, UCDP_SYNONYMS)
        piece = f'{{"text":{_json(name)},"actor":{_json(actor)},"attribution":"reported"}}'
        return _put(self._perpetrators, raw, (actor, piece))  # type: ignore[no-any-return]

    def _target(self, raw: str) -> str:
        name = text(raw)
        if name is None:
            return _put(self._targets, raw, "null")  # type: ignore[no-any-return]
        actor = self.ctx.actors.resolve(name, UCDP_SYNONYMS)
        piece = f'{{"text":{_json(name)},"actor":{_json(actor)}}}'
        return _put(self._targets, raw, piece)  # type: ignore[no-any-return]

    def _place(self, where_prec: str, raw: str) -> tuple[str, str] | None:
        """(location precision, name as JSON), or None for an unknown where_prec code."""
        precision = ucdp.WHERE_PRECISION.get(where_prec)
        got: tuple[str, str] | None = None
        if precision is not None:
            name = text(raw)
            if where_prec == "1" and name and ucdp.NEIGHBOURHOOD_WORDS.search(name):
                precision = "neighbourhood"
            got = (precision, _json(name))
        return _put(self._places, (where_prec, raw), got)  # type: ignore[no-any-return]

    def _day(self, raw: str) -> tuple[dt.date, str] | None:
        day = _date(raw) if text(raw) is not None else None
        got = None if day is None else (day, day.isoformat())
        return _put(self._days, raw, got)  # type: ignore[no-any-return]

    def _source_date(self, raw: str) -> str:
        day = ucdp.published(raw)
        return _put(self._published, raw, _json(day.isoformat() if day else None))  # type: ignore[no-any-return]

    def _office(self, raw: str) -> str:
        return _put(self._offices, raw, _json(ucdp.offices(raw)))  # type: ignore[no-any-return]

    def _type(self, event: str, sub: str, methods: tuple[str, ...]) -> tuple[str, str]:
        """(event and sub-event type, methods) as JSON members."""
        listed = ",".join(_json(m) for m in methods)
        pieces = (
            f'"event_type":{_json(event)},"sub_event_type":{_json(sub)}',
            f'"method":[{listed}]',
        )
        self._types[(event, sub, methods)] = pieces  # a few dozen at most
        return pieces

    def _pcode(self, code: str | None) -> str:
        return _put(self._pcodes, code, _json(code))  # type: ignore[no-any-return]

    def _country(self, raw: str) -> bool:
        """True when the row's country is the scenario's (or none is given)."""
        return _put(self._countries, raw, other_country(raw, self.ctx) is None)  # type: ignore[no-any-return]

    # ------------------------------------------------------------------ rows
    def map(self, rows: Sequence[list[str]]) -> list[Pending | None]:
        """Each row mapped (``Pending``), or None where it must go the reference way."""
        (i_id, i_tov, i_a, i_b, i_wp, i_where, i_lat, i_lon, i_dp, i_ds, i_de, i_low, i_best,
         i_high, i_civ, i_country, i_head, i_sdate, i_office) = map(self.at.__getitem__, _READ)  # fmt: skip
        south, north, west, east = self.box
        countries, perpetrators, targets = self._countries, self._perpetrators, self._targets
        places, days, published, offices = self._places, self._days, self._published, self._offices
        types = self._types
        violence_types, date_precisions = ucdp.VIOLENCE_TYPES, ucdp.DATE_PRECISION
        classify = ucdp.classify_fields
        pad = self.pad
        out: list[Pending | None] = []
        add = out.append
        for v in rows:
            if pad:
                v = [*v, ""]
            country = v[i_country]
            if country:
                same = countries.get(country)
                if same is None:
                    same = self._country(country)
                if not same:
                    add(None)  # skipped the reference way
                    continue
            sid = text(v[i_id])
            if sid is not None and sid.endswith(".0"):
                sid = sid[:-2]
            if not sid:
                add(None)
                continue
            violence = v[i_tov].strip()
            if violence not in violence_types:
                add(None)
                continue
            raw_a = v[i_a]
            perpetrator = perpetrators.get(raw_a) or self._perpetrator(raw_a)
            where = v[i_where]
            wp = v[i_wp].strip()
            place = places.get((wp, where), False)
            if place is False:
                place = self._place(wp, where)
            if place is None:
                add(None)
                continue
            try:
                lat = float(v[i_lat])
                lon = float(v[i_lon])
            except ValueError:
                add(None)
                continue
            if not (south <= lat <= north and west <= lon <= east):
                add(None)  # outside the box, NaN, or no point on Earth
                continue
            if not (_FLOAT_MIN <= abs(lat) < _FLOAT_MAX and _FLOAT_MIN <= abs(lon) < _FLOAT_MAX):
                add(None)
                continue
            raw_start, raw_end = v[i_ds], v[i_de]
            start = days.get(raw_start, False)
            if start is False:
                start = self._day(raw_start)
            if start is None:
                add(None)
                continue
            if raw_end == raw_start:
                end = start
            elif text(raw_end) is None:
                end = start  # no end: a single day
            else:
                end = days.get(raw_end, False)
                if end is False:
                    end = self._day(raw_end)
                if end is None or end[0] < start[0]:
                    add(None)
                    continue
            day_precision = date_precisions.get(v[i_dp].strip())
            if day_precision is None:
                add(None)
                continue
            try:
                low, best, high = int(v[i_low]), int(v[i_best]), int(v[i_high])
            except ValueError:
                add(None)  # blank, "3.0", not a number: the reference reads or rejects it
                continue
            if not (0 <= low <= best <= high < _COUNT_MAX):
                add(None)  # a range to widen (a warning), or a negative count
                continue
            raw_civ = v[i_civ]
            try:
                civilians = int(raw_civ)
            except ValueError:
                if text(raw_civ) is not None:
                    add(None)
                    continue
                civilians = 0
            if not (0 <= civilians < _COUNT_MAX):
                add(None)
                continue
            event, sub, methods, _rule = classify(violence, v[i_head], where, perpetrator[0])
            kind = types.get((event, sub, methods)) or self._type(event, sub, methods)
            raw_b = v[i_b]
            raw_sdate, raw_office = v[i_sdate], v[i_office]
            add(
                (
                    lat,
                    lon,
                    place[0],
                    sid,
                    kind,
                    start[1],
                    end[1],
                    day_precision,
                    place[1],
                    perpetrator[1],
                    targets.get(raw_b) or self._target(raw_b),
                    f'{{"low":{low},"best":{best},"high":{high}}}',
                    f'{{"low":{civilians},"best":{civilians},"high":{civilians}}}'
                    if civilians
                    else "null",
                    published.get(raw_sdate) or self._source_date(raw_sdate),
                    offices.get(raw_office) or self._office(raw_office),
                    event,
                    sub,
                )
            )
        return out

    def rows(self, done: Sequence[tuple[Pending, int, str]]) -> list[ReportRow]:
        """Report rows of mapped rows: (pending, record number, raw record) each, their
        P-codes looked up at once. The JSON is incident.v1 in the model's field order."""
        codes = self.ctx.admin.lookup(
            [d[0][0] for d in done], [d[0][1] for d in done], [d[0][2] for d in done]
        )
        pcodes = self._pcodes
        status_json, status, country = self.status_json, self.status, self.country_json
        base = self.import_id << ROW_BITS
        import_id = self.import_id
        blake2b = hashlib.blake2b
        make: Callable[[Any], ReportRow] = ReportRow._make
        out = []
        for (p, number, raw), (a1, a2) in zip(done, codes, strict=True):
            (lat, lon, precision, sid, kind, start, end, day_precision, name, perpetrator,
             target, fatalities, civilians, source_date, office, event, sub) = p  # fmt: skip
            quoted = sid if sid.isdigit() else encode_basestring(sid)[1:-1]
            record = (
                f'{{"id":"ucdp:{quoted}",{kind[0]},'
                f'"occurred":{{"start":"{start}","end":"{end}","time":null,'
                f'"precision":"{day_precision}","note":null}},'
                f'"location":{{"lat":{lat!r},"lon":{lon!r},"precision":"{precision}",'
                f'"name":{name},"admin1_pcode":{pcodes.get(a1) or self._pcode(a1)},'
                f'"admin2_pcode":{pcodes.get(a2) or self._pcode(a2)},'
                f'"country":{country}}},"status":{status_json},"submitted_by":"ucdp-ged",'
                f"{kind[1]},"
                f'"perpetrator":{perpetrator},"target":{target},"fatalities":{fatalities},'
                f'"civilian_fatalities":{civilians},"injured":null,'
                f'"sources":[{{"document_id":"ucdp-ged:{quoted}","publisher":"UCDP GED",'
                f'"url":null,"published":{source_date},"attributed_to":{office},'
                f'"start":null,"end":null,"quote":null}}],"confidence":"ungraded"}}'
            )
            digest = blake2b(f"{record}\0{raw}".encode(), digest_size=16).hexdigest()
            out.append(
                make(
                    (
                        f"ucdp:{sid}",
                        base | number,
                        "ucdp",
                        sid,
                        import_id,
                        number,
                        digest,
                        status,
                        event,
                        sub,
                        start,
                        end,
                        lat,
                        lon,
                        record,
                        raw,
                    )
                )
            )
        return out


#: The columns ``UcdpBatch.map`` reads, in the order it takes them.
_READ: Final = (
    "id", "type_of_violence", "side_a", "side_b", "where_prec", "where_coordinates",
    "latitude", "longitude", "date_prec", "date_start", "date_end", "low", "best", "high",
    "deaths_civilians", "country", "source_headline", "source_date", "source_office",
)  # fmt: skip

#: Columns ``map_row`` reads that a file may lack.
_OPTIONAL: Final = (
    "country",
    "source_headline",
    "where_coordinates",
    "deaths_civilians",
    "source_date",
    "source_office",
)
