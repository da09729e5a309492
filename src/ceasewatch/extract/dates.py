"""When: date expressions in a sentence, resolved against the publication date.

News dates events relative to the day it is published. The rules, in order of trust:

- an explicit date with a year ("12 September 2016", "Sept. 12, 2016", "2016-09-12")
  stands alone; without a year ("on 12 September") it takes the publication's year, or
  the year before when that would put it after publication;
- a weekday ("on Wednesday", "Tuesday's blast") is the latest such day on or before the
  publication day (a Wednesday article's "Wednesday" is that same day);
- "today", "this morning", "tonight" are the publication day; "yesterday" and "last
  night" the day before; "overnight" spans both;
- "last week" is the seven days before the publication's week (precision ``week``);
  "earlier this week"/"this week" runs from the week's Monday to publication; "last
  month"/"earlier this month" are calendar months (precision ``month``); "in August"
  (no day) is that month of the publication's year, or the year before;
- "a day after"/"a day earlier"/"two days before" date one event from another: they are
  returned as offsets for ``mentions`` to apply.

Without a publication date only an explicit date with a year resolves; the others come back
unresolved, with the reason.

>>> import datetime as dt
>>> wed = dt.date(2016, 9, 7)
>>> [(d.start.isoformat(), d.end.isoformat(), d.precision) for d in find_dates("On Wednesday, jets struck.", wed)]
[('2016-09-07', '2016-09-07', 'day')]
>>> d = find_dates("Strikes on Tuesday night.", None)[0]
>>> d.start is None, d.reason
(True, "'on Tuesday night' is relative to the publication date, which is not known — give --published or a published field")
>>> [d.start.isoformat() for d in find_dates("It happened on 12 September 2016.", None)]
['2016-09-12']
>>> [(d.start.isoformat(), d.end.isoformat()) for d in find_dates("Last month, it fell.", wed)]
[('2016-08-01', '2016-08-31')]
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from ceasewatch.incidents.model import DatePrecision

WEEKDAYS: Final[dict[str, int]] = {
    name.lower(): i for i, name in enumerate(calendar.day_name)
}  # monday=0
MONTHS: Final[dict[str, int]] = {
    **{name.lower(): i for i, name in enumerate(calendar.month_name) if name},
    **{name.lower(): i for i, name in enumerate(calendar.month_abbr) if name},
    "sept": 9,
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d\d"
_WEEKDAY = r"(?:" + "|".join(WEEKDAYS) + r")"

_PATTERNS: Final[tuple[tuple[str, str], ...]] = (
    ("iso", rf"\b(?P<y>{_YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    ("dmy", rf"\b(?P<d>{_DAY})\s+(?:of\s+)?(?P<mon>{_MONTH})(?:,?\s+(?P<y>{_YEAR}))?\b"),
    ("mdy", rf"\b(?P<mon>{_MONTH})\s+(?P<d>{_DAY})(?:,?\s+(?P<y>{_YEAR}))?\b"),
    (
        "my",
        rf"\b(?:in|since|during|of|early|late|mid-?)\s+(?P<mon>{_MONTH})(?:\s+(?P<y>{_YEAR}))?\b",
    ),
    ("year", rf"\b(?:in|since|during)\s+(?P<y>{_YEAR})\b"),
    (
        "weekday",
        rf"\b(?:(?:on|last|this|late|early|since)\s+)?(?P<wd>{_WEEKDAY})(?:'s|’s|s\b)?(?:\s+(?:night|morning|evening|afternoon))?",
    ),
    (
        "today",
        r"\b(?:today|this\s+morning|this\s+afternoon|this\s+evening|tonight|earlier\s+today)\b",
    ),
    ("yesterday", r"\b(?:yesterday|last\s+night)\b"),
    ("overnight", r"\bovernight\b"),
    ("last_week", r"\b(?:last|past|previous)\s+week\b"),
    ("this_week", r"\b(?:earlier\s+this|this)\s+week\b"),
    ("last_month", r"\b(?:last|past|previous)\s+month\b"),
    ("this_month", r"\b(?:earlier\s+this|this)\s+month\b"),
    ("last_year", r"\b(?:last|past|previous)\s+year\b"),
    # not a clock time: "(updated 1935 05.10.2017)", "at 1935 GMT"
    (
        "bareyear",
        rf"(?<![\d,.])(?<!updated\s)(?<!at\s)(?P<y>{_YEAR})(?![\d,])(?!\s*(?:GMT|UTC|hrs?)\b)",
    ),
)
_COMBINED = re.compile(
    "|".join(
        f"(?P<{name}>{pattern.replace('(?P<', f'(?P<{name}_')})" for name, pattern in _PATTERNS
    ),
    re.IGNORECASE,
)
_MAYBE = re.compile(
    r"\d|day|night|morning|evening|week|month|year|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec",
    re.IGNORECASE,
)
#: "a day after", "two days before", "the day before", "a day earlier", "hours after"
RELATIVE: Final[re.Pattern[str]] = re.compile(
    r"\b(?:(?P<n>a|one|the|two|three|four|five|six|\d|several|few|a\s+few|some)\s+)?(?P<unit>days?|weeks?)\s+"
    r"(?P<dir>after|before|earlier|later|following|prior\s+to)\b",
    re.IGNORECASE,
)
_N = {"a": 1, "one": 1, "the": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression at ``text[start:end]``: resolved to ``start``..``end`` days, or
    unresolved (``start`` None) with the ``reason``."""

    begin: int
    finish: int
    text: str
    start: dt.date | None
    end: dt.date | None
    precision: DatePrecision
    explicit: bool
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Relative:
    """ "a day after": the event named after it is ``days`` away from the one before."""

    begin: int
    finish: int
    text: str
    days: int
    #: "days after": only the direction is known; ``days`` is then the nearest it can be.
    vague: bool = False


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _resolve(
    kind: str, g: dict[str, str | None], published: dt.date | None
) -> tuple[dt.date | None, dt.date | None, DatePrecision, bool, str | None]:
    def need() -> tuple[None, None, DatePrecision, bool, str]:
        return None, None, "unknown", False, "needs publication"

    y = g.get("y")
    year = int(y) if y else None
    if kind in ("iso", "dmy", "mdy"):
        mon = g.get("m")
        month = (
            int(mon) if mon and mon.isdigit() else MONTHS[(g.get("mon") or "").lower().rstrip(".")]
        )
        day = int(re.sub(r"\D", "", g.get("d") or "0"))
        if year is None:
            if published is None:
                return need()
            year = published.year
            cand = _safe_date(year, month, day)
            if cand is not None and cand > published + dt.timedelta(days=1):
                year -= 1
        date = _safe_date(year, month, day)
        if date is None:
            return None, None, "unknown", True, "not a calendar date"
        return date, date, "day", True, None
    if kind == "my":
        month = MONTHS[(g.get("mon") or "").lower().rstrip(".")]
        if year is None:
            if published is None:
                return need()
            year = published.year if month <= published.month else published.year - 1
        s, e = _month_range(year, month)
        return s, e, "month", True, None
    if kind in ("year", "bareyear"):
        assert year is not None
        return dt.date(year, 1, 1), dt.date(year, 12, 31), "year", True, None
    if published is None:
        return need()
    if kind == "weekday":
        target = WEEKDAYS[(g.get("wd") or "").lower()]
        back = (published.weekday() - target) % 7
        on = published - dt.timedelta(days=back)
        return on, on, "day", False, None
    if kind == "today":
        return published, published, "day", False, None
    if kind == "yesterday":
        before = published - dt.timedelta(days=1)
        return before, before, "day", False, None
    if kind == "overnight":
        return published - dt.timedelta(days=1), published, "day", False, None
    monday = published - dt.timedelta(days=published.weekday())
    if kind == "last_week":
        return monday - dt.timedelta(days=7), monday - dt.timedelta(days=1), "week", False, None
    if kind == "this_week":
        return monday, published, "week", False, None
    if kind == "last_month":
        prev = published.replace(day=1) - dt.timedelta(days=1)
        s, e = _month_range(prev.year, prev.month)
        return s, e, "month", False, None
    if kind == "this_month":
        return published.replace(day=1), published, "month", False, None
    if kind == "last_year":
        last = published.year - 1
        return dt.date(last, 1, 1), dt.date(last, 12, 31), "year", False, None
    raise AssertionError(kind)  # pragma: no cover


def find_dates(sentence: str, published: dt.date | None, offset: int = 0) -> list[DateMention]:
    """Every date expression in ``sentence`` (offsets shifted by ``offset``)."""
    out: list[DateMention] = []
    if not _MAYBE.search(sentence):  # no digit, month, weekday or relative word: no date
        return out
    for m in _COMBINED.finditer(sentence):
        kind = m.lastgroup
        assert kind is not None
        g = {
            k.split("_", 1)[1]: v
            for k, v in m.groupdict().items()
            if "_" in k and k.startswith(kind + "_")
        }
        start, end, precision, explicit, reason = _resolve(kind, g, published)
        text = m.group(kind)
        if reason == "needs publication":
            reason = (
                f"{text.strip()!r} is relative to the publication date, which is not known — "
                "give --published or a published field"
            )
            if kind in ("dmy", "mdy", "my"):
                reason = (
                    f"{text.strip()!r} gives no year and the publication date is not known — "
                    "give --published or a published field"
                )
        out.append(
            DateMention(
                offset + m.start(kind), offset + m.end(kind), text.strip(), start, end,
                precision, explicit, reason,
            )
        )  # fmt: skip
    return out


def find_relative(sentence: str, offset: int = 0) -> list[Relative]:
    """ "a day after" and the like: the later-named event's offset in days from the
    earlier-named one (negative: it happened before).

    >>> [(r.text, r.days) for r in find_relative("The strikes come a day after the attack.")]
    [('a day after', -1)]
    """
    out: list[Relative] = []
    for m in RELATIVE.finditer(sentence):
        word = (m.group("n") or "").lower().strip()
        vague = not word or word in ("several", "few", "a few", "some")
        n = 2 if vague else (_N.get(word) or int(word))
        if m.group("unit").lower().startswith("week"):
            n *= 7
        direction = m.group("dir").lower()
        # "X came a day after Y" and "a day earlier, Y": Y is a day before X;
        # "X, a day before Y" and "a day later, Y": Y is a day after X
        days = -n if direction in ("after", "following", "earlier") else n
        out.append(Relative(offset + m.start(), offset + m.end(), m.group(), days, vague))
    return out
