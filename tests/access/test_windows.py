from __future__ import annotations

import datetime as dt

import pytest

from ceasewatch.access.windows import WindowError, parse_window


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("daily 08:00-16:00", "has no timezone"),
        ("daily 08:00–16:00 local", "has no timezone"),
        ("daily 08:00-16:00 Asia/Damascsu", "did you mean 'Asia/Damascus'"),
        ("08:00-16:00 Asia/Damascus", "not readable"),
        ("daily 25:00-16:00 UTC", "hours run 00-23"),
        ("daily 08:00-08:00 UTC", "opens and closes at the same time"),
    ],
)
def test_a_bad_window_says_what_to_write(text: str, wanted: str) -> None:
    with pytest.raises(WindowError, match=wanted):
        parse_window(text)


def test_a_window_is_local_time_of_its_zone_across_a_dst_change() -> None:
    w = parse_window("daily 08:00-16:00 Asia/Damascus")
    summer = w.on(dt.date(2016, 9, 13))
    winter = w.on(dt.date(2016, 11, 13))
    assert summer[0].utcoffset() == dt.timedelta(hours=3)
    assert winter[0].utcoffset() == dt.timedelta(hours=2)
    assert all(b - a == dt.timedelta(hours=8) for a, b in (summer, winter))
