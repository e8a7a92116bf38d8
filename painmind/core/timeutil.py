"""Calendar and clock conversions that respect each place's daylight-saving rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt


def local_date(at: datetime, tz: tzinfo) -> date:
    """The calendar date at the instant `at` in time zone `tz` (DST-correct with zoneinfo).

    >>> from zoneinfo import ZoneInfo
    >>> from datetime import timezone
    >>> local_date(datetime(2026, 10, 24, 23, 30, tzinfo=timezone.utc), ZoneInfo("Europe/London"))
    datetime.date(2026, 10, 25)
    """
    if at.tzinfo is None:
        raise ValueError("at must be time-zone aware")
    return at.astimezone(tz).date()


def local_to_utc_seconds(sec: npt.NDArray[np.float64], start: date, zone: ZoneInfo) -> npt.NDArray[np.int64]:
    """UTC epoch seconds for local seconds-of-day ``sec``, shape (n, n_days, k)."""

    def offset(d: date, minute: int) -> int:
        local = datetime(d.year, d.month, d.day, minute // 60, minute % 60, tzinfo=zone)
        delta = local.utcoffset()
        return int(delta.total_seconds()) if delta is not None else 0

    days = [start + timedelta(days=d) for d in range(sec.shape[1])]
    first = np.array([offset(day, 0) for day in days], dtype=np.int64)
    epoch_day = (start - date(1970, 1, 1)).days + np.arange(len(days))
    local_sec = np.rint(sec).astype(np.int64)
    utc = local_sec + (86_400 * epoch_day - first)[None, :, None]
    for d, day in enumerate(days):
        # Only days with a DST change need per-minute offsets (transitions fall on
        # whole minutes); fold=0 maps a skipped wall time with the pre-change offset.
        if offset(day, 1439) != first[d]:
            table = np.array([offset(day, m) for m in range(1440)], dtype=np.int64)
            utc[:, d, :] += first[d] - table[local_sec[:, d, :] // 60]
    return utc
