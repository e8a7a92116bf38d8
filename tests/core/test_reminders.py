"""When a reminder fires, in UTC, hand-computed from each zone's published DST rules.

Europe/London: GMT (+0) in winter, BST (+1) from 01:00 UTC on the last Sunday of March to 01:00
UTC on the last Sunday of October (28 March and 31 October 2027). America/New_York: EST (-5),
EDT (-4) from 02:00 local on the second Sunday of March to 02:00 local on the first Sunday of
November (14 March and 7 November 2027). America/Los_Angeles: PST (-8) in November.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from painmind.core.reminders import due_reminder_on, next_reminder_at, reminder_at

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def utc(year, month, day, hour=0, minute=0, second=0):
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "day", "at", "expected"),
    [
        # ordinary days
        (LONDON, date(2026, 11, 26), time(20, 0), utc(2026, 11, 26, 20, 0)),
        (LONDON, date(2027, 7, 1), time(20, 0), utc(2027, 7, 1, 19, 0)),
        (LOS_ANGELES, date(2026, 11, 26), time(20, 0), utc(2026, 11, 27, 4, 0)),
        (NEW_YORK, date(2026, 11, 26), time(0, 0), utc(2026, 11, 26, 5, 0)),
        # London spring forward, 28 Mar 2027: 01:00 GMT jumps to 02:00 BST
        (LONDON, date(2027, 3, 28), time(0, 59), utc(2027, 3, 28, 0, 59)),
        (LONDON, date(2027, 3, 28), time(1, 0), utc(2027, 3, 28, 1, 0)),  # does not exist → 02:00 BST
        (LONDON, date(2027, 3, 28), time(1, 30), utc(2027, 3, 28, 1, 0)),  # does not exist → 02:00 BST
        (LONDON, date(2027, 3, 28), time(2, 0), utc(2027, 3, 28, 1, 0)),  # 02:00 BST
        (LONDON, date(2027, 3, 28), time(2, 30), utc(2027, 3, 28, 1, 30)),
        # London fall back, 31 Oct 2027: 02:00 BST goes back to 01:00 GMT; 01:xx happens twice
        (LONDON, date(2027, 10, 31), time(0, 30), utc(2027, 10, 30, 23, 30)),
        (LONDON, date(2027, 10, 31), time(1, 30), utc(2027, 10, 31, 0, 30)),  # first: 01:30 BST
        (LONDON, date(2027, 10, 31), time(2, 0), utc(2027, 10, 31, 2, 0)),  # once, GMT
        # New York spring forward, 14 Mar 2027: 02:00 EST jumps to 03:00 EDT
        (NEW_YORK, date(2027, 3, 14), time(1, 59), utc(2027, 3, 14, 6, 59)),
        (NEW_YORK, date(2027, 3, 14), time(2, 30), utc(2027, 3, 14, 7, 0)),  # does not exist → 03:00 EDT
        (NEW_YORK, date(2027, 3, 14), time(3, 0), utc(2027, 3, 14, 7, 0)),
        (NEW_YORK, date(2027, 3, 14), time(20, 0), utc(2027, 3, 15, 0, 0)),
        # New York fall back, 7 Nov 2027: 02:00 EDT goes back to 01:00 EST
        (NEW_YORK, date(2027, 11, 7), time(1, 30), utc(2027, 11, 7, 5, 30)),  # first: 01:30 EDT
        (NEW_YORK, date(2027, 11, 7), time(2, 0), utc(2027, 11, 7, 7, 0)),  # 02:00 EST
        (NEW_YORK, date(2027, 11, 7), time(20, 0), utc(2027, 11, 8, 1, 0)),
    ],
)
def test_reminder_instant(zone, day, at, expected):
    assert reminder_at(day, at, zone) == expected


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (utc(2026, 11, 26, 19, 59, 59), None),  # just before
        (utc(2026, 11, 26, 20, 0), date(2026, 11, 26)),  # at
        (utc(2026, 11, 26, 23, 59), date(2026, 11, 26)),
        (utc(2026, 11, 27, 0, 5), date(2026, 11, 26)),  # after local midnight, still yesterday's
        (utc(2026, 11, 27, 1, 59, 59), date(2026, 11, 26)),  # 6 h late, less a second
        (utc(2026, 11, 27, 2, 0), None),  # 6 h late: dropped, not sent stale
    ],
)
def test_due_window(now, expected):
    assert due_reminder_on(now, time(20, 0), LONDON) == expected


def test_a_late_evening_time_is_still_due_just_after_midnight():
    # 23:55 London; a run at 00:05 the next day sends the reminder for the day before.
    assert due_reminder_on(utc(2026, 11, 27, 0, 5), time(23, 55), LONDON) == date(2026, 11, 26)


def test_naive_now_is_refused():
    with pytest.raises(ValueError, match="time-zone aware"):
        due_reminder_on(datetime(2026, 11, 26, 20, 0), time(20, 0), LONDON)  # noqa: DTZ001  (naive on purpose: it must be refused)


@pytest.mark.parametrize(
    ("now", "at", "zone", "expected"),
    [
        (utc(2026, 11, 26, 12, 0), time(20, 0), LONDON, "2026-11-26T20:00:00+00:00"),
        (utc(2026, 11, 26, 20, 0, 1), time(20, 0), LONDON, "2026-11-27T20:00:00+00:00"),
        (utc(2027, 3, 27, 12, 0), time(1, 30), LONDON, "2027-03-28T02:00:00+01:00"),
        (utc(2026, 11, 26, 12, 0), time(20, 0), LOS_ANGELES, "2026-11-26T20:00:00-08:00"),
    ],
)
def test_next_reminder_in_the_patients_zone(now, at, zone, expected):
    assert next_reminder_at(now, at, zone).isoformat() == expected
