"""Opening windows of corridors: ``daily 08:00-16:00 Asia/Damascus``.

A window always names its IANA timezone: "08:00" means nothing until one knows where.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from dataclasses import dataclass

_WINDOW = re.compile(
    r"^\s*daily\s+(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})(?:\s+(\S+))?\s*$", re.I
)
EXAMPLE = "daily 08:00-16:00 Asia/Damascus"


class WindowError(ValueError):
    """A window that cannot be read, with what to write instead."""


def _zone(name: str, text: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        close = difflib.get_close_matches(name, sorted(zoneinfo.available_timezones()), n=1)
        hint = f"did you mean {close[0]!r}?" if close else "use an IANA name such as Asia/Damascus"
        raise WindowError(f"window {text!r}: unknown timezone {name!r} — {hint}") from None


@dataclass(frozen=True, slots=True)
class Window:
    """Open every day from ``opens`` to ``closes`` local time (``closes`` before
    ``opens`` means the window runs past midnight)."""

    opens: dt.time
    closes: dt.time
    timezone: str

    @property
    def text(self) -> str:
        return f"daily {self.opens:%H:%M}-{self.closes:%H:%M} {self.timezone}"

    def on(self, day: dt.date) -> tuple[dt.datetime, dt.datetime]:
        """The window that opens on ``day``, as aware datetimes.

        >>> w = parse_window("daily 08:00-16:00 Asia/Damascus")
        >>> [t.isoformat() for t in w.on(dt.date(2016, 9, 13))]
        ['2016-09-13T08:00:00+03:00', '2016-09-13T16:00:00+03:00']
        >>> [t.isoformat() for t in parse_window("daily 22:00-02:00 UTC").on(dt.date(2016, 9, 13))]
        ['2016-09-13T22:00:00+00:00', '2016-09-14T02:00:00+00:00']
        """
        tz = zoneinfo.ZoneInfo(self.timezone)
        start = dt.datetime.combine(day, self.opens, tzinfo=tz)
        end_day = day if self.closes > self.opens else day + dt.timedelta(days=1)
        return start, dt.datetime.combine(end_day, self.closes, tzinfo=tz)


ALWAYS_TEXT = "all day"


def parse_window(text: str) -> Window:
    """``daily HH:MM-HH:MM Zone/Name`` -> Window; a missing timezone is an error.

    >>> parse_window("daily 08:00–16:00 Asia/Damascus").text
    'daily 08:00-16:00 Asia/Damascus'
    >>> parse_window("daily 08:00-16:00")
    Traceback (most recent call last):
    ...
    ceasewatch.access.windows.WindowError: window 'daily 08:00-16:00' has no timezone — \
add an IANA name, e.g. 'daily 08:00-16:00 Asia/Damascus'
    """
    m = _WINDOW.match(str(text))
    if m is None:
        raise WindowError(f"window {text!r} is not readable — write e.g. {EXAMPLE!r}")
    h1, m1, h2, m2, zone = m.groups()
    try:
        opens, closes = dt.time(int(h1), int(m1)), dt.time(int(h2), int(m2))
    except ValueError:
        raise WindowError(f"window {text!r}: hours run 00-23 and minutes 00-59") from None
    if opens == closes:
        raise WindowError(f"window {text!r} opens and closes at the same time")
    if zone is None or zone.lower() == "local":
        shown = f"daily {opens:%H:%M}-{closes:%H:%M}"
        raise WindowError(
            f"window {text.strip()!r} has no timezone — add an IANA name, e.g. "
            f"'{shown} Asia/Damascus'"
        )
    _zone(zone, text)
    return Window(opens, closes, zone)


@dataclass(frozen=True, slots=True)
class Corridor:
    """An agreed passage along a route, open during ``window`` (always, when None)."""

    id: str
    route: str
    window: Window | None = None
    note: str | None = None
