"""When a daily reminder fires: a local wall-clock time in the patient's own zone, DST-correct.

Pure (no Django): dates, times and zoneinfo only.

- A time that does not exist that day (the clocks spring forward over it) fires at the first
  valid instant after it: the moment the clocks jump (01:30 in London on 28 March 2027 → 02:00
  BST, 01:00 UTC).
- A time that happens twice (the clocks fall back) fires once, at its first occurrence
  (``fold=0``: 01:30 in London on 31 October 2027 → 01:30 BST, 00:30 UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A reminder more than this late is dropped rather than sent (e.g. the server was down): a
# "time for your check-in" at 03:00 for an 20:00 reminder helps nobody. Run the command at
# least every hour; every 5-15 minutes keeps reminders on time.
LATE_WINDOW = timedelta(hours=6)


def _wall(at: datetime, zone: ZoneInfo) -> datetime:
    return at.astimezone(zone).replace(tzinfo=None)


def reminder_at(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The UTC instant the reminder for local date `day` fires (see the module docstring).

    >>> london = ZoneInfo("Europe/London")
    >>> reminder_at(date(2026, 11, 26), time(20, 0), london).isoformat()
    '2026-11-26T20:00:00+00:00'
    >>> reminder_at(date(2027, 3, 28), time(1, 30), london).isoformat()
    '2027-03-28T01:00:00+00:00'
    """
    wall = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    first = wall.replace(tzinfo=zone).astimezone(UTC)
    if _wall(first, zone) == wall:
        return first  # exists; if ambiguous, fold=0 is its first occurrence
    # In a gap. The two readings (offset before / after the change) bracket the jump; find the
    # first instant whose local wall clock shows `wall` or later, to the second.
    other = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    lo, hi = sorted((first, other))
    lo_s, hi_s = int(lo.timestamp()), int(hi.timestamp())
    while lo_s < hi_s:
        mid = (lo_s + hi_s) // 2
        if _wall(datetime.fromtimestamp(mid, UTC), zone) >= wall:
            hi_s = mid
        else:
            lo_s = mid + 1
    return datetime.fromtimestamp(hi_s, UTC)


def due_reminder_on(now: datetime, at: time, zone: ZoneInfo, *, window: timedelta = LATE_WINDOW) -> date | None:
    """The local date whose reminder is due at `now` (fired, and at most `window` ago), or None.

    Today's and yesterday's local dates are both considered, so a 23:55 reminder still goes
    out from a run a few minutes after midnight.

    >>> london = ZoneInfo("Europe/London")
    >>> due_reminder_on(datetime(2026, 11, 26, 20, 5, tzinfo=UTC), time(20, 0), london)
    datetime.date(2026, 11, 26)
    >>> due_reminder_on(datetime(2026, 11, 26, 19, 55, tzinfo=UTC), time(20, 0), london) is None
    True
    """
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    today = now.astimezone(zone).date()
    for day in (today, today - timedelta(days=1)):
        fires = reminder_at(day, at, zone)
        if fires <= now < fires + window:
            return day
    return None


def next_reminder_at(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """The first reminder instant at or after `now`, in `zone` (for showing to the patient)."""
    today = now.astimezone(zone).date()
    for offset in range(3):
        fires = reminder_at(today + timedelta(days=offset), at, zone)
        if fires >= now:
            return fires.astimezone(zone)
    raise AssertionError("a daily reminder fires within three days")  # pragma: no cover
