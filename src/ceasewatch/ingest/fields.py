"""Reading single fields of source records: numbers, dates, tolls. Each reader returns the
value, or ``None`` after adding an ``Issue`` to ``issues`` — so a mapper reports every bad
field of a record at once, not just the first.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ceasewatch.incidents.model import Toll
from ceasewatch.ingest.result import Issue

MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
_DMY = re.compile(r"^(\d{1,2})[- /]([A-Za-z]{3,9})[- /](\d{2}|\d{4})$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:\d{6})?$")
MISSING = frozenset({"", "na", "n/a", "nan", "null", "none"})


def blank(value: str | None) -> bool:
    """True for empty cells and the usual spellings of "no value" (NA, null, …).

    >>> blank(" NA "), blank("0")
    (True, False)
    """
    if not value:
        return True
    v = value.strip()
    return not v or (len(v) <= 4 and v.lower() in MISSING)


def text(value: str | None) -> str | None:
    """The trimmed value, or None when blank (``blank`` inlined: a mapper calls this for
    most fields of every record)."""
    if not value:
        return None
    v = value.strip()
    if not v or (len(v) <= 4 and v.lower() in MISSING):
        return None
    return v


@lru_cache(maxsize=8192)
def _date(value: str) -> dt.date | None:
    value = value.strip()
    if len(value) >= 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    m = _COMPACT.match(value)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    m = _DMY.match(value)
    if m:
        month = MONTHS.get(m[2][:3].lower())
        year = int(m[3])
        if len(m[3]) == 2:
            year += 2000 if year < 70 else 1900
        if month is None:
            return None
        try:
            return dt.date(year, month, int(m[1]))
        except ValueError:
            return None
    return None


def date(value: str | None, field: str, issues: list[Issue]) -> dt.date | None:
    """A day from ISO (2016-09-19), compact (20160919) or ACLED (19-Sep-16, 19 September
    2016) form.

    >>> issues = []
    >>> date("9-May-20", "event_date", issues), date("20160919", "d", issues)
    (datetime.date(2020, 5, 9), datetime.date(2016, 9, 19))
    >>> date("31-Feb-20", "event_date", issues), str(issues[0])
    (None, "event_date ('31-Feb-20'): not a date — write YYYY-MM-DD (or D-Mon-YY as ACLED does)")
    """
    if blank(value):
        issues.append(Issue(field, "required date is missing"))
        return None
    got = _date(value)
    if got is None:
        issues.append(
            Issue(field, "not a date — write YYYY-MM-DD (or D-Mon-YY as ACLED does)", value)
        )
    return got


def coordinate(value: str | None, field: str, issues: list[Issue]) -> float | None:
    """A latitude or longitude in decimal degrees."""
    if blank(value):
        issues.append(Issue(field, "required coordinate is missing"))
        return None
    try:
        got = float(value)  # type: ignore[arg-type]
    except ValueError:
        issues.append(Issue(field, "not a number — give decimal degrees (WGS84)", value))
        return None
    if got != got or got in (float("inf"), float("-inf")):
        issues.append(Issue(field, "not a finite number", value))
        return None
    return got


def count(value: str | None, field: str, issues: list[Issue]) -> int | None:
    """A non-negative whole number; blank gives None (unknown), "3.0" gives 3."""
    v = text(value)
    if v is None:
        return None
    try:
        got = int(v)
    except ValueError:
        try:
            f = float(v)
        except ValueError:
            issues.append(Issue(field, "not a whole number", value))
            return None
        if not f.is_integer():
            issues.append(Issue(field, "not a whole number", value))
            return None
        got = int(f)
    if got < 0:
        issues.append(Issue(field, "a count cannot be negative", value))
        return None
    return got


def toll_range(
    low: int | None, best: int | None, high: int | None, field: str, warnings: list[Issue]
) -> Toll | None:
    """A low/best/high toll; where the source has low > best or high < best, the range is
    widened to hold best, with a warning (the figures are the source's, not ours).

    >>> w = []
    >>> toll_range(5, 3, 9, "low/best/high", w), w[0].message
    (Toll(low=3, best=3, high=9), 'low 5 > best 3: range widened to hold best')
    """
    if low is None and best is None and high is None:
        return None
    if best is not None:
        if low is not None and low > best:
            warnings.append(Issue(field, f"low {low} > best {best}: range widened to hold best"))
            low = best
        if high is not None and high < best:
            warnings.append(Issue(field, f"high {high} < best {best}: range widened to hold best"))
            high = best
    elif low is not None and high is not None and low > high:
        low, high = high, low
        warnings.append(Issue(field, "low > high: swapped"))
    return Toll(low, best, high)
